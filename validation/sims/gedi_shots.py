"""GEDI L2A granules of the independent forest height scene (moved unchanged
from validation/sims/forest_height.py, whose docstring describes the error
model: footprint top, geolocation, slope, noise, missed ground, flags)."""
import csv
from datetime import datetime, timedelta

import numpy as np
import rasterio.warp
from scipy import ndimage

from . import canopy

GEDI_BEAMS = ("BEAM0101", "BEAM0000", "BEAM0110", "BEAM0001",   # across-track order,
              "BEAM1000", "BEAM0010", "BEAM1011", "BEAM0011")   # power / coverage
COVERAGE = {"BEAM0000", "BEAM0001", "BEAM0010", "BEAM0011"}
GEDI_EPOCH = datetime(2018, 1, 1)

def _bilinear(a, rows, cols):
    return ndimage.map_coordinates(a, [rows, cols], order=1, mode="nearest")


def _footprint_top(land, x, y, grid10, t_year):
    """Canopy top in the 25 m footprint centred on (x, y) at decimal year t."""
    r = (grid10.y0 - y) / 10 - 0.5
    c = (x - grid10.x0) / 10 - 0.5
    ang = np.arange(8) * np.pi / 4
    rr = np.concatenate([r[:, None], r[:, None] + 0.9 * np.sin(ang)], axis=1)
    cc = np.concatenate([c[:, None], c[:, None] + 0.9 * np.cos(ang)], axis=1)
    samples = _bilinear(land["chm"], rr.ravel(), cc.ravel()).reshape(rr.shape)
    top = 0.75 * samples.max(1) + 0.25 * samples.mean(1)
    ri = np.clip(np.round(r).astype(int), 0, grid10.height - 1)
    ci = np.clip(np.round(c).astype(int), 0, grid10.width - 1)
    in_forest = land["forest"][ri, ci]
    stand = land["cells"][ri, ci]
    for k in np.flatnonzero(in_forest):
        s = land["stands"].get(int(stand[k]))
        if s is None:
            continue
        if s["cut_year"] is not None and t_year < s["cut_year"]:
            top[k] = s["precut"]
        else:
            top[k] = max(top[k] + s["growth"] * (t_year - 2020.5), 0.1)
    slope = land["slope"][ri, ci]
    return top, slope, in_forest, land["group"][ri, ci], land["dem"][ri, ci]


def _granule_plan(rng, year, n):
    """(datetime, version, ascending) of the granules: V002 over 2019-2021, two
    of them in winter (leaf-off), one V001 of summer 2019."""
    plans = []
    for k in range(n):
        if k == 0:
            when, version = datetime(2019, 5, 15) + timedelta(float(rng.uniform(0, 130))), "001"
        elif k <= 2:
            when = datetime(year - 1 + k % 2, 12, 1) + timedelta(float(rng.uniform(0, 100)))
            version = "002"
        else:
            when = datetime(year + int(rng.integers(-1, 2)), 4, 15) + timedelta(
                float(rng.uniform(0, 195)))
            version = "002"
        plans.append((when, version, bool(rng.random() < 0.5)))
    return plans


def _write_gedi(rng, folder, grid10, land, year, n_granules):
    """GEDI L2A granules (and one L2B file); returns the number of shots written."""
    rows = []
    xmin, ymin, xmax, ymax = grid10.bounds
    centre = np.array([(xmin + xmax) / 2, (ymin + ymax) / 2])
    half = np.hypot(xmax - xmin, ymax - ymin) / 2
    for g, (when, version, ascending) in enumerate(_granule_plan(rng, year, n_granules)):
        az = np.radians((59.0 if ascending else 121.0) + rng.normal(0, 1.5))
        along = np.array([np.sin(az), np.cos(az)])
        across = np.array([np.cos(az), -np.sin(az)])
        shift = rng.uniform(-0.6, 0.6) * (xmax - xmin)
        geo_sigma = 7.0 if version == "002" else 14.0     # per axis: ~10 / ~20 m radial
        bias = rng.normal(0, geo_sigma * 0.5, 2)
        cloud = rng.uniform(0, 0.7) if rng.random() < 0.8 else 0.0
        hour = float(rng.uniform(0, 24))
        t0 = when.replace(hour=0, minute=0, second=0) + timedelta(hours=hour)
        zen, _ = canopy.sun_angles(t0)
        solar_elev = 90 - zen
        degraded_run = rng.random() < 0.3
        beams = {}
        for b, beam in enumerate(GEDI_BEAMS):
            offset = shift + (b - 3.5) * 600
            s = np.arange(-half + rng.uniform(0, 60), half, 60.0)
            xy = centre + s[:, None] * along + offset * across
            keep = ((xy[:, 0] > xmin + 15) & (xy[:, 0] < xmax - 15)
                    & (xy[:, 1] > ymin + 15) & (xy[:, 1] < ymax - 15))
            if keep.sum() < 3:
                continue
            xy, s = xy[keep], s[keep]
            beams[beam] = _beam_shots(rng, land, grid10, xy, s, beam, when, t0, version,
                                      geo_sigma, bias, cloud, solar_elev, degraded_run, g, rows)
        name = _granule_name(t0, version, g)
        _write_l2a(folder / name, beams, version)
    _write_l2b(folder, rows)
    _write_shots_csv(folder.parent / "truth" / "gedi_shots.csv", rows)
    return len(rows)


def _beam_shots(rng, land, grid10, xy, s, beam, when, t0, version, geo_sigma, bias, cloud,
                solar_elev, degraded_run, granule, rows):
    n = len(s)
    coverage = beam in COVERAGE
    t_year = when.year + (when.timetuple().tm_yday - 0.5) / 365.25
    degrade = np.zeros(n, np.uint8)
    if degraded_run:
        k0 = int(rng.integers(n))
        degrade[k0:k0 + max(3, n // 4)] = 3
    err = bias + rng.normal(0, geo_sigma * 0.85, (n, 2))
    err[degrade > 0] += rng.normal(0, 45, (int((degrade > 0).sum()), 2))
    true_xy = xy + err
    xmin, ymin, xmax, ymax = grid10.bounds
    true_xy[:, 0] = np.clip(true_xy[:, 0], xmin + 1, xmax - 1)
    true_xy[:, 1] = np.clip(true_xy[:, 1], ymin + 1, ymax - 1)
    top, slope, in_forest, group, dem = _footprint_top(land, true_xy[:, 0], true_xy[:, 1],
                                                       grid10, t_year)
    doy = when.timetuple().tm_yday
    leaf_off_true = not (115 < doy < 295)
    decid = in_forest & (group == 16)
    # Canopy cover seen by the laser, against the beam sensitivity.
    cover = np.where(in_forest, 1 - np.exp(-np.maximum(top, 0) / 5.0), 0.2)
    cover = np.where(decid, cover * (0.96 if not leaf_off_true else 0.65),
                     np.where(in_forest, cover * 0.93, cover))
    cover = np.clip(cover + rng.normal(0, 0.015, n), 0, 0.99)
    day = solar_elev > 0
    sens = rng.normal(0.955 if coverage else 0.975, 0.02 if coverage else 0.012, n)
    sens -= 0.02 * day * max(np.sin(np.radians(solar_elev)), 0)
    sens = np.clip(sens, 0.8, 0.995)
    miss = rng.random(n) < 1 / (1 + np.exp(-(cover - sens) / 0.006))
    noise_sd = 1.0 + 0.8 * coverage + 0.8 * day
    noise = rng.normal(0, noise_sd, n)
    tail = rng.random(n) < 0.03
    noise[tail] += rng.choice([-8.0, 8.0], tail.sum()) * rng.uniform(0.5, 1.2, tail.sum())
    r_eff = rng.uniform(8, 12.5, n)
    slope_bias = r_eff * np.tan(np.radians(slope))
    dense = np.where(cover > 0.95, rng.uniform(0.95, 1.0, n), 1.0)
    leaf = np.where(decid & leaf_off_true, rng.uniform(0.9, 0.95, n), 1.0)
    rh98 = top * dense * leaf + slope_bias + noise
    rh98 = np.where(miss, top * rng.uniform(0.25, 0.7, n), rh98)
    clouded = _cloud_runs(rng, n, cloud)
    quality = (~clouded & (sens >= 0.9) & ~(miss & (rng.random(n) < 0.3))).astype(np.uint8)
    ghost = clouded & (rng.random(n) < 0.01)
    quality[ghost] = 1
    rh98 = np.where(clouded, rng.uniform(60, 300, n), rh98)
    rh98 = np.maximum(rh98, -0.5)
    # Leaf-off flag: the 1 km phenology grid's dates, not this footprint's leaves.
    leaf_off_doy, leaf_on_doy = 300 + rng.normal(0, 8), 110 + rng.normal(0, 8)
    flag = np.full(n, int(doy >= leaf_off_doy or doy < leaf_on_doy), np.uint8)
    lon, lat = rasterio.warp.transform(grid10.crs, "EPSG:4326", xy[:, 0], xy[:, 1])
    delta = (t0 - GEDI_EPOCH).total_seconds() + (s - s.min()) / 7200.0
    for k in range(n):
        rows.append(dict(granule=granule, version=version, beam=beam, x=xy[k, 0], y=xy[k, 1],
                         true_x=true_xy[k, 0], true_y=true_xy[k, 1], forest=int(in_forest[k]),
                         true_top=top[k], rh98=rh98[k], slope=slope[k],
                         slope_bias=slope_bias[k],
                         noise=noise[k], missed_ground=int(miss[k]), cloud=int(clouded[k]),
                         quality_flag=quality[k], degrade_flag=degrade[k],
                         sensitivity=sens[k], leaf_off_flag=flag[k],
                         leaf_off_true=int(leaf_off_true), date=f"{t0:%Y-%m-%d}"))
    gfrac = np.where(miss, 0.02, 1 - cover)
    return dict(lon=np.asarray(lon), lat=np.asarray(lat), rh=_rh_profile(rng, rh98, gfrac),
                quality_flag=quality, degrade_flag=degrade, sensitivity=sens.astype(np.float32),
                delta_time=delta, leaf_off_flag=flag,
                elev=dem + np.where(miss, 0.4 * top, 0) + rng.normal(0, 0.5, n),
                solar_elevation=np.full(n, solar_elev, np.float32),
                treecover=np.round(100 * cover).astype(np.float32),
                modes=np.where(clouded, 0, np.where(top > 3, rng.integers(2, 6, n), 1)))


def _cloud_runs(rng, n, share):
    """Cloudy shots come in along-track runs (cloud fields), about `share` of them."""
    if share <= 0:
        return np.zeros(n, bool)
    field = ndimage.gaussian_filter1d(rng.standard_normal(n + 40), 8)[20:20 + n]
    return field > np.quantile(field, 1 - share)


def _rh_profile(rng, rh98, ground_share):
    """rh (n x 101, m): ground return around 0 (its lower half below), then the
    canopy energy rising to rh98; rh100 a little above."""
    n = len(rh98)
    k = np.arange(101)[None, :]
    kg = np.clip(np.round(100 * ground_share), 2, 90)[:, None]
    below = -rng.uniform(1.0, 3.0, n)[:, None]
    top = rh98[:, None]
    ground = below + (0.3 - below) * np.clip(k / kg, 0, 1)
    shape = np.clip((k - kg) / np.maximum(98 - kg, 1), 0, None) ** 0.7
    canopy_part = 0.3 + (top - 0.3) * shape
    rh = np.where(k <= kg, ground, np.maximum(canopy_part, ground))
    rh[:, 99] = np.maximum(rh[:, 98], 0) + 0.4
    rh[:, 100] = rh[:, 99] + rng.uniform(0.4, 1.4, n)
    return np.maximum.accumulate(rh, axis=1).astype(np.float32)


def _granule_name(t0, version, g):
    orbit, track = 2000 + 131 * g, 1000 + 377 * g
    stamp = f"{t0:%Y}{t0.timetuple().tm_yday:03d}{t0:%H%M%S}"
    if version == "001":
        return f"GEDI02_A_{stamp}_O{orbit:05d}_T{track:05d}_02_001_01.h5"
    return f"GEDI02_A_{stamp}_O{orbit:05d}_0{1 + g % 4}_T{track:05d}_02_003_01_V002.h5"


def _write_l2a(path, beams, version):
    """The real L2A layout (the fields GEDI users read)."""
    import h5py
    with h5py.File(path, "w") as f:
        meta = f.create_group("METADATA/DatasetIdentification")
        meta.attrs["shortName"] = "GEDI_L2A"
        meta.attrs["VersionID"] = version
        for name, b in beams.items():
            g = f.create_group(name)
            g.attrs["description"] = ("Coverage beam" if name in COVERAGE else "Full power beam")
            n = len(b["lon"])
            g["shot_number"] = (np.uint64(int(name[4:], 2)) * np.uint64(10 ** 15)
                                + np.arange(n, dtype="uint64"))
            g["beam"] = np.full(n, int(name[4:], 2), "uint16")
            g["lon_lowestmode"] = b["lon"].astype("float64")
            g["lat_lowestmode"] = b["lat"].astype("float64")
            g["elev_lowestmode"] = b["elev"].astype("float32")
            g["elev_highestreturn"] = (b["elev"] + b["rh"][:, 100]).astype("float32")
            g["rh"] = b["rh"]
            g["quality_flag"] = b["quality_flag"]
            g["degrade_flag"] = b["degrade_flag"]
            g["sensitivity"] = b["sensitivity"]
            g["delta_time"] = b["delta_time"].astype("float64")
            g["solar_elevation"] = b["solar_elevation"]
            g["num_detectedmodes"] = b["modes"].astype("uint8")
            if version != "001":
                g["digital_elevation_model"] = b["elev"].astype("float32")
                g["land_cover_data/leaf_off_flag"] = b["leaf_off_flag"]
                g["land_cover_data/landsat_treecover"] = b["treecover"]


def _write_l2b(folder, rows):
    """A GEDI02_B file of the first orbit beside the L2A ones: beam groups, no rh."""
    import h5py
    first = [r for r in rows if r["granule"] == 0]
    with h5py.File(folder / "GEDI02_B_2019150000000_O02000_T01000_02_001_01.h5", "w") as f:
        g = f.create_group("BEAM0101")
        g["rh100"] = np.array([int(100 * r["rh98"]) for r in first[:50]], "int16")
        g["cover"] = np.full(min(len(first), 50), 0.8, "float32")


def _write_shots_csv(path, rows):
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: f"{v:.3f}" if isinstance(v, (float, np.floating)) else v
                        for k, v in r.items()})
