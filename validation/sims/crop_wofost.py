"""Independent wheat scenes for crop biomass / CO2 and crop yield: a
WOFOST-like crop model (validation/sims/wofost.py, NOT SAFY) drives a canopy
reflectance model of our own (validation/sims/canopy.py, NOT PROSAIL) and
writes THEIA L2A products with the real sun angles in their metadata.

Physics (see the two modules for equations and sources):
- WOFOST 7 phenology (thermal time, daylength, vernalisation), leaf-level
  asymptotic light response integrated over the canopy with the variety's
  leaf-angle distribution, maintenance + growth respiration, partitioning,
  leaf ageing and death, stem reserves, soil-water bucket with water stress;
  GPP, Ra, Rh (soil + residues), NEE = Ra + Rh - GPP (negative = uptake).
- Canopy reflectance from green and senescent areas, leaf angle, sun zenith,
  chlorophyll (nitrogen), leaf water, soil brightness and wetness.
Confounders the retrievals must survive:
- sowing dates 1 October to 20 December (a fifth early, 1-15 Oct; a fifth
  late, 25 Nov - 20 Dec): late sowings emerge in winter, develop late;
- three varieties: planophile (mean leaf angle 42 deg), spherical-like
  (57 deg) and erectophile (68 deg), plus a +/-6 % precocity;
- low-nitrogen fields (a quarter): AMAX x 0.75-0.85, thinner canopies,
  lower chlorophyll (paler in the visible);
- soil water capacity 110-230 mm varying between and within fields, and a
  spring dryness that varies with the seed (drought years);
- low winter sun (zenith up to ~70 deg at 10:45 UTC) over erectophile and
  planophile canopies; wet soils after rain; straw after harvest;
  volunteers before sowing on some fields; frost leaf kill;
- ~40 % cloudy dates (more in winter), shadows, unmasked cloud fringes and
  haze on ~15 % of dates; R1 bands with their own noise (core writer);
- within-field variability: 5 vigour classes per field (water capacity,
  nitrogen), plus pixel noise;
- the yield scene: declared yields with 4 % noise and 3 % gross errors
  (x10 unit slips, swapped values, zeros), elevation lowering temperature
  and thinning soils on the hills, several crops beside wheat.
Simplified: one weather series per scene (the CSV) with a lapse rate per
unit in the yield scene; no N balance; no view-angle variation across the
swath (one random view zenith per date); no out-of-swath dates.
"""
import csv
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import rasterio
from rasterio.features import shapes
from rasterio.warp import transform_geom
from scipy.spatial import cKDTree

from ...core.grid import Grid
from ...core.scenes.common import acquisition_times, fbm, tile_grid
from ...core.simulate import write_raster, write_theia_product
from . import canopy
from .wofost import Units, simulate

ORIGIN = {"31TCJ": (300000.0, 4900020.0)}
VARIETIES = {"planophile": 42.0, "intermediate": 57.0, "erectophile": 68.0}
CHL = {"normal": 48.0, "low": 30.0}       # leaf chlorophyll, ug cm-2
N_CLASSES = 5                             # vigour classes per field
MARGIN_BEFORE, MARGIN_AFTER = 60, 30      # weather days around the season


@dataclass
class CarbonScene:
    s2_folder: Path
    meteo_path: Path
    crop_mask_path: Path
    parcels_path: Path
    truth_dir: Path
    dates: list
    grid: Grid
    start: date
    end: date
    fields: list = field(default_factory=list)


@dataclass
class YieldScene:
    s2_folder: Path
    parcels_path: Path
    units_path: Path
    statistics_path: Path
    truth_path: Path
    truth_dir: Path
    dem_path: Path
    meteo_path: Path
    dates: list
    grid: Grid
    start: date
    end: date
    true_yield: dict
    reference_path: Path
    land_cover_path: Path
    parcels: list = field(default_factory=list)


# --- layout ----------------------------------------------------------------------------
def voronoi_labels(rng, shape, n):
    """Labels 1..n of jittered-grid Voronoi cells with 1-pixel lanes (0)
    between them: straight-edged fields separated by tracks and hedges."""
    h, w = shape
    k = int(np.ceil(np.sqrt(n)))
    cy, cx = np.meshgrid((np.arange(k) + 0.5) * h / k, (np.arange(k) + 0.5) * w / k,
                         indexing="ij")
    pts = np.column_stack([cy.ravel(), cx.ravel()])
    pts += rng.uniform(-0.35, 0.35, pts.shape) * np.array([h / k, w / k])
    pts = pts[rng.permutation(len(pts))[:n]]
    yy, xx = np.mgrid[0:h, 0:w]
    _, idx = cKDTree(pts).query(np.column_stack([yy.ravel(), xx.ravel()]))
    labels = idx.reshape(shape).astype(np.int32) + 1
    edge = np.zeros(shape, bool)
    edge[:, :-1] |= labels[:, :-1] != labels[:, 1:]
    edge[:-1, :] |= labels[:-1, :] != labels[1:, :]
    labels[edge] = 0
    return labels


def vigour_classes(rng, labels, n_classes=N_CLASSES):
    """Per pixel a vigour class 0..n-1 (quantiles of smooth noise inside its field)
    and the class mean of that noise (zero-mean, unit-variance scale)."""
    noise = fbm(rng, labels.shape, (600, 300, 120))
    cls = np.zeros(labels.shape, np.int32)
    for lab in np.unique(labels[labels > 0]):
        m = labels == lab
        q = np.quantile(noise[m], np.linspace(0, 1, n_classes + 1)[1:-1])
        cls[m] = np.searchsorted(q, noise[m])
    level = np.linspace(-1.2, 1.2, n_classes)
    return cls, level


def polygons(labels, grid, crs_out="EPSG:4326"):
    """label -> GeoJSON geometry (Polygon or MultiPolygon) in `crs_out`."""
    parts = {}
    for geom, value in shapes(labels, mask=labels > 0, transform=grid.transform):
        parts.setdefault(int(value), []).append(geom["coordinates"])
    out = {}
    for lab, rings in parts.items():
        geom = ({"type": "Polygon", "coordinates": rings[0]} if len(rings) == 1
                else {"type": "MultiPolygon", "coordinates": rings})
        out[lab] = transform_geom(grid.crs, crs_out, geom) if crs_out != grid.crs else geom
    return out


def write_geojson(path, features, crs=None):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geom} for geom, props in features]}
    if crs and crs != "EPSG:4326":
        doc["crs"] = {"type": "name",
                      "properties": {"name": f"urn:ogc:def:crs:EPSG::{crs.split(':')[1]}"}}
    Path(path).write_text(json.dumps(doc))
    return Path(path)


# --- crop runs -------------------------------------------------------------------------
def draw_sowing(rng, kind, season_year):
    """Sowing date of a crop harvested in `season_year`."""
    y0 = season_year - 1
    if kind == "wheat":
        u = rng.random()
        if u < 0.2:
            return date(y0, 10, 1) + timedelta(int(rng.integers(0, 15)))
        if u < 0.8:
            return date(y0, 10, 16) + timedelta(int(rng.integers(0, 40)))
        return date(y0, 11, 25) + timedelta(int(rng.integers(0, 26)))
    start = {"barley": date(y0, 10, 5), "rapeseed": date(y0, 8, 25),
             "sunflower": date(season_year, 4, 5), "maize": date(season_year, 4, 20)}[kind]
    return start + timedelta(int(rng.integers(0, 30)))


def draw_field(rng, kind, season_year, fid):
    """Management and variety of one field."""
    variety = rng.choice(list(VARIETIES)) if kind == "wheat" else "intermediate"
    n_status = "low" if rng.random() < 0.25 else "normal"
    return dict(id=fid, kind=kind, sowing=draw_sowing(rng, kind, season_year),
                variety=str(variety), n_status=n_status,
                n_factor=float(rng.uniform(0.75, 0.85) if n_status == "low"
                               else rng.uniform(0.95, 1.05)),
                precocity=float(rng.uniform(0.94, 1.06)), awc=float(rng.uniform(110, 230)),
                r10=float(rng.uniform(0.6, 1.0)), soil=float(rng.uniform(0.75, 1.3)),
                clumping=float(rng.uniform(0.78, 0.92)), straw=float(rng.choice([0.0, 1.0])),
                harvest_lag=int(rng.integers(3, 14)), till_lag=int(rng.integers(10, 45)),
                volunteers=float(rng.uniform(0.1, 0.4)) if rng.random() < 0.3 else 0.0)


def run_fields(fields, weather, day0, unit_level, unit_dt=None):
    """Simulate every (field, vigour class) unit, crop by crop. Returns the
    daily series (days, units) and events per unit; unit = field_index *
    N_CLASSES + class."""
    nu = len(fields) * N_CLASSES
    nd = len(weather["days"])
    series, events = None, None
    for kind in sorted({f["kind"] for f in fields}):
        idx = [i for i, f in enumerate(fields) if f["kind"] == kind]
        units = np.array([i * N_CLASSES + c for i in idx for c in range(N_CLASSES)])
        rep = lambda key: np.repeat([fields[i][key] for i in idx], N_CLASSES).astype(float)
        lev = np.tile(unit_level, len(idx))
        u = Units(sow=np.repeat([(fields[i]["sowing"] - day0).days for i in idx], N_CLASSES),
                  x_leaf=canopy.ellipsoid_x(np.repeat(
                      [VARIETIES[fields[i]["variety"]] for i in idx], N_CLASSES)),
                  tsum_factor=rep("precocity"),
                  n_factor=np.clip(rep("n_factor") * (1 + 0.04 * lev), 0.6, 1.1),
                  awc=rep("awc") * (1 + 0.15 * lev), r10=rep("r10"),
                  dt=np.zeros(len(units)) if unit_dt is None else unit_dt[units],
                  straw_left=rep("straw"), harvest_lag=rep("harvest_lag"))
        out, ev = simulate(weather, u, crop=kind)
        if series is None:
            series = {k: np.zeros((nd, nu), np.float32) for k in out}
            events = {k: np.full(nu, -1.0) for k in ev}
        for k in out:
            series[k][:, units] = out[k]
        for k in ev:
            events[k][units] = ev[k]
    _surface_states(fields, series, events, weather)
    return series, events


def _surface_states(fields, series, events, weather):
    """Straw/stubble after harvest until tillage; volunteers before sowing."""
    nd = len(weather["days"])
    t = np.arange(nd)[:, None]
    for i, f in enumerate(fields):
        sl = slice(i * N_CLASSES, (i + 1) * N_CLASSES)
        h = events["harvest"][sl][None, :]
        after = (h >= 0) & (t >= h) & (t < h + f["till_lag"])
        stubble = (0.6 + 0.6 * f["straw"]) * np.exp(-(t - h) / 60.0)
        series["bai"][:, sl] = np.where(after, stubble, series["bai"][:, sl])
        if f["volunteers"] > 0:
            sow = (f["sowing"] - weather["days"][0]).days
            before = (t < sow) & (t >= max(sow - 50, 0))
            series["gai"][:, sl] = np.where(before, f["volunteers"] * np.minimum(
                (t - sow + 50) / 30, 1), series["gai"][:, sl])


# --- reflectance ---------------------------------------------------------------------------
def scene_reflectance(rng, when, day, series, pix_unit, pix, weather, wetness):
    """(h, w, band) surface reflectance on one date. `pix`: per-pixel static
    properties (x, cab, soil, clumping, gain noise) with pix_unit = -1 for
    non-crop pixels, which take `pix['other_*']`."""
    zen, az = canopy.sun_angles(when)
    view = float(rng.uniform(1, 10))
    u = np.maximum(pix_unit, 0)
    crop = pix_unit >= 0
    gai = np.where(crop, series["gai"][day][u] * pix["gain"],
                   pix["other_gai"][day] * pix["other_gain"])
    bai = np.where(crop, series["bai"][day][u], pix["other_bai"][day])
    flower = np.where(crop, series["flower"][day][u], 0)
    # chlorophyll falls with ripening (DVS > 1.2) and under water stress
    dvs = np.where(crop, series["dvs"][day][u], 0)
    cab = pix["cab"] * np.clip(1 - (dvs - 1.2) / 0.8, 0.25, 1) * (
        1 - 0.3 * np.where(crop, series["stress"][day][u], 0))
    cw = 0.015 * np.clip(1 - (dvs - 1.4) / 0.6, 0.2, 1)
    soil = canopy.soil_reflectance(pix["soil"], np.clip(wetness[day] * pix["wet_gain"], 0, 1))
    refl = canopy.canopy_reflectance(gai, bai, pix["x"], cab, cw, soil, zen, view,
                                     pix["clumping"], flower)
    return refl, (zen, az)


def write_products(rng, s2_folder, tile, grid, times, day_index, series, pix_unit, pix,
                   weather, share_cloudy=0.4):
    """Write one THEIA product per time; returns the acquisition dates."""
    wetness = canopy.surface_wetness(weather["rain"])
    fractions = canopy.cloudy_date_fractions(rng, [w.date() for w in times], share_cloudy)
    dates = []
    for k, when in enumerate(times):
        day = day_index(when.date())
        refl, sun = scene_reflectance(rng, when, day, series, pix_unit, pix, weather, wetness)
        refl = refl + rng.normal(0, 0.003, refl.shape).astype(np.float32)
        refl, clm, _ = canopy.apply_sky(rng, refl, fractions[k])
        bands = {b: np.clip(refl[..., i], 0.0001, 1.2) for i, b in enumerate(canopy.BANDS)}
        write_theia_product(s2_folder, ("SENTINEL2A", "SENTINEL2B")[k % 2], when, tile, grid,
                            bands, clm, sun_angles=sun)
        dates.append(when.date())
    return dates


def pixel_properties(rng, labels, fields, field_of_label, cls, grid_shape, weather):
    """Static per-pixel properties and the non-crop (lane/hedge) series."""
    h, w = grid_shape
    nd = len(weather["days"])
    noise = fbm(rng, (h, w), (400, 100))
    fi = np.array([field_of_label.get(int(v), -1) for v in labels.ravel()]).reshape(h, w)
    crop = fi >= 0
    get = lambda key, default: np.where(crop, np.array(
        [f[key] for f in fields] + [default])[fi], default)
    x = canopy.ellipsoid_x(np.where(crop, np.array(
        [VARIETIES[f["variety"]] for f in fields] + [57.0])[fi], 57.0))
    cab = np.where(crop, np.array([CHL[f["n_status"]] for f in fields] + [45.0])[fi], 45.0)
    season = 1.4 + 0.9 * np.sin(2 * np.pi * (weather["doy"] - 80) / 365)
    pix_unit = np.where(crop, fi * N_CLASSES + cls, -1)
    pix = dict(x=x.astype(np.float32), cab=(cab * (1 + 0.05 * noise)).astype(np.float32),
               soil=(get("soil", 0.9) * (1 + 0.04 * noise)).astype(np.float32),
               clumping=get("clumping", 0.9).astype(np.float32),
               gain=(1 + 0.04 * rng.standard_normal((h, w))).astype(np.float32),
               wet_gain=(1 + 0.2 * noise).astype(np.float32),
               other_gai=season.astype(np.float32), other_gain=np.maximum(1 + 0.3 * noise, 0.2),
               other_bai=np.full(nd, 0.4, np.float32))
    return pix_unit, pix


# --- the carbon scene -----------------------------------------------------------------------
def make_carbon_scene(out_dir, seed=0, size=96, start=date(2018, 10, 1), end=date(2019, 7, 31),
                      tile="31TCJ", n_fields=None, revisit_days=5):
    """A wheat area for crop biomass and CO2: ~30 fields at 96 px (20 m),
    most wheat, a few barley / rapeseed / sunflower / maize."""
    out_dir = Path(out_dir)
    s2, truth = out_dir / "s2", out_dir / "truth"
    s2.mkdir(parents=True, exist_ok=True)
    truth.mkdir(exist_ok=True)
    rng = np.random.default_rng(10_000 + seed)
    grid = tile_grid(tile, size, ORIGIN.get(tile, ORIGIN["31TCJ"]))
    day0 = start - timedelta(MARGIN_BEFORE)
    weather = canopy.make_weather(rng, day0, end + timedelta(MARGIN_AFTER))
    meteo_path = canopy.write_meteo_csv(out_dir / "meteo.csv", weather)
    n = n_fields or max(6, round(30 * (size / 96) ** 2))
    labels = voronoi_labels(rng, (size, size), n)
    others = ["barley", "rapeseed", "sunflower", "maize"]
    kinds = ["wheat"] * n
    for j, i in enumerate(rng.permutation(n)[:max(2, n // 6)]):
        kinds[i] = others[j % len(others)]
    fields = [draw_field(rng, kinds[i], end.year, i + 1) for i in range(n)]
    cls, level = vigour_classes(rng, labels)
    series, events = run_fields(fields, weather, day0, level)
    field_of_label = {i + 1: i for i in range(n)}
    pix_unit, pix = pixel_properties(rng, labels, fields, field_of_label, cls, labels.shape,
                                     weather)
    times = acquisition_times(rng, start, end, revisit_days)
    dates = write_products(rng, s2, tile, grid, times, lambda d: (d - day0).days, series,
                           pix_unit, pix, weather)
    # truth
    counts = np.bincount(pix_unit[pix_unit >= 0], minlength=n * N_CLASSES).astype(float)
    i0, i1 = (start - day0).days, (end - day0).days + 1
    table = _field_truth(fields, series, events, counts, weather, i0, i1)
    _write_carbon_truth(truth, fields, series, counts, weather, i0, i1, grid, labels, pix_unit,
                        events, dates, day0)
    mask = np.isin(labels, [f["id"] for f in fields if f["kind"] == "wheat"]).astype(np.uint8)
    crop_mask_path = write_raster(out_dir / "crop_mask.tif", mask, grid)
    geoms = polygons(labels, grid)
    parcels_path = write_geojson(out_dir / "parcels.geojson", [
        (geoms[f["id"]], {"id": f["id"], "kind": f["kind"]}) for f in fields if f["id"] in geoms])
    return CarbonScene(s2, meteo_path, crop_mask_path, parcels_path, truth, dates, grid, start,
                       end, table)


PUBLIC_KEYS = ("id", "kind", "sowing", "variety", "n_status")


def _field_truth(fields, series, events, counts, weather, i0, i1):
    """One dict per field: management and pixel-weighted truths."""
    table = []
    for i, f in enumerate(fields):
        sl = slice(i * N_CLASSES, (i + 1) * N_CLASSES)
        w = counts[sl] / max(counts[sl].sum(), 1)
        cum = lambda k: float((series[k][i0:i1, sl].sum(0) * w).sum())
        gpp, ra, rh = cum("gpp"), cum("ra"), cum("rh")
        ev = lambda k: (weather["days"][int(events[k][sl][0])]
                        if events[k][sl][0] >= 0 else None)
        table.append(dict(
            {k: f[k] for k in PUBLIC_KEYS}, pixels=int(counts[sl].sum()),
            awc_mm=round(f["awc"], 1), n_factor=round(f["n_factor"], 3),
            biomass_harvest_t_ha=float((events["biomass_harvest"][sl] * w).sum()),
            yield_t_ha=float((events["yield_"][sl] * w).sum()),
            gpp_gc_m2=gpp, ra_gc_m2=ra, rh_gc_m2=rh, reco_gc_m2=ra + rh,
            nee_gc_m2=ra + rh - gpp, emergence=ev("emergence"), anthesis=ev("anthesis"),
            maturity=ev("maturity"), harvest=ev("harvest")))
    return table


def _write_carbon_truth(truth, fields, series, counts, weather, i0, i1, grid, labels,
                        pix_unit, events, dates, day0):
    keys = ("dvs", "lai", "gai", "bai", "biomass", "wso", "gpp", "ra", "rh")
    with open(truth / "daily.csv", "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["field", "date", "dvs", "lai", "gai", "bai", "biomass_t_ha", "grain_t_ha",
                     "gpp", "ra", "rh", "reco", "nee"])
        for i, f in enumerate(fields):
            sl = slice(i * N_CLASSES, (i + 1) * N_CLASSES)
            w = counts[sl] / max(counts[sl].sum(), 1)
            m = {k: series[k][:, sl] @ w for k in keys}
            for t in range(i0, i1):
                reco = m["ra"][t] + m["rh"][t]
                wr.writerow([f["id"], weather["days"][t].isoformat()]
                            + [f"{m[k][t]:.4f}" for k in keys]
                            + [f"{reco:.4f}", f"{reco - m['gpp'][t]:.4f}"])
    table = _field_truth(fields, series, events, counts, weather, i0, i1)
    with open(truth / "fields.csv", "w", newline="") as fh:
        wr = csv.DictWriter(fh, fieldnames=list(table[0]))
        wr.writeheader()
        wr.writerows(table)
    write_raster(truth / "field_id.tif", labels.astype(np.int32), grid, nodata=0)
    u = np.maximum(pix_unit, 0)
    crop = pix_unit >= 0
    per_pixel = {
        "biomass_harvest.tif": events["biomass_harvest"],
        "yield.tif": events["yield_"],
        "gpp.tif": series["gpp"][i0:i1].sum(0),
        "nee.tif": (series["ra"][i0:i1] + series["rh"][i0:i1] - series["gpp"][i0:i1]).sum(0)}
    for name, values in per_pixel.items():
        write_raster(truth / name, np.where(crop, values[u], np.nan).astype(np.float32), grid,
                     nodata=np.nan)
    _write_gai_stack(truth / "gai_dates.tif", series["gai"], [(d - day0).days for d in dates],
                     u, crop, grid, dates)


def _write_gai_stack(path, gai, days, u, crop, grid, dates):
    """True GAI of every crop pixel on every acquisition date (one band per date)."""
    profile = dict(driver="GTiff", width=grid.width, height=grid.height, count=len(days),
                   dtype="float32", crs=grid.crs, transform=grid.transform, nodata=np.nan,
                   compress="deflate")
    with rasterio.open(path, "w", **profile) as ds:
        for k, (day, d) in enumerate(zip(days, dates)):
            ds.write(np.where(crop, gai[day][u], np.nan).astype(np.float32), k + 1)
            ds.set_band_description(k + 1, d.isoformat())
