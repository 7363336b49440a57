"""Independent grassland scene for the first-mowing-date product: meadows
mown once, twice or never, grazed pastures, crops and forest, seen by
Sentinel-2 (THEIA L2A, 1 March - 31 October, 5-day revisit).

Physics (written from the literature, not from the retrieval):
- sward growth: logistic green-area growth driven by temperature
  (f(T) rising from 4 to 14 degC, falling above 25 degC) and a soil-water
  bucket (AWC 60-200 mm, Hargreaves ET0, FAO-56 style stress), as in simple
  grassland models (e.g. LINGRA, Schapendonk et al. 1998; ModVege, Jouven et
  al. 2006: temperature sum, water stress, senescence);
- reproductive phase: uncut swards head after ~1100 degC d from 1 February
  and senesce in June-July (green area falls, standing dead and seed heads
  rise): a gradual NDVI decline without any cut;
- summer drought: water stress browns the sward (senescence up to 5 % d-1)
  and regreening follows autumn rains: NDVI drops without mowing;
- mowing (Kolecka et al. 2018, RS 10:1221; Griffiths et al. 2020, RSE
  238:111124; Sinergise area-monitoring mowing marker: mean NDVI drop ~0.15,
  ~20 days to recover): green area falls to a residual of 0.2-0.9 (drop depth
  varies), the cut grass lies in swaths for 2-7 days while drying (green ->
  brown) before baling; regrowth at a parcel-specific rate; second cuts 35-65
  days after the first;
- grazing: continuous removal of 1.5-4 % of the green area per day from a
  turnout date, patchy (intensity varies within the parcel at 60-300 m
  scales): a gradual, uneven decline, never a sharp drop;
- first mowing dates from early May to late July; ~40 % of the meadows are
  never mown or only grazed; crops (wheat, maize from validation/sims/wofost)
  and broad-leaved forest around them.
Sky: ~40 % cloudy dates, two overcast spells of 12-18 days in May-July that
hide some mowings for 2-3 weeks, shadows, unmasked cloud fringes and haze (canopy.apply_sky).
Simplified: one weather series; a cut is applied to the whole parcel on one
day; no trampling or dung patches; no hay-making on non-mown parcels.

make_scene returns a GrasslandScene: s2_folder, truth_dir, land_cover (uint8
array, OSO codes: 13 meadows and lanes, 6 wheat, 10 maize, 16 forest),
land_cover_path (the same as GeoTIFF), parcels (GeoJSON path, EPSG:4326;
parcel_id, code), observations (GeoJSON points, EPSG:4326; parcel_id,
mowing_date 'YYYY-MM-DD'), dates, grid, start, end, parcel_table (dicts:
parcel_id, label, code, first_doy (None = never mown), all_mowing_doys,
management ('never', 'once', 'twice', 'grazed'; None for crops), rows, cols
(bounding slices), pixels).
truth/: first_mowing_doy.tif (0 = not mown or not a meadow), mowing_count.tif,
management.tif (0 not a meadow, 1 never, 2 once, 3 twice, 4 grazed),
parcel_label.tif (parcel_table's label), parcels.csv, daily_gai.csv.
"""
import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from rasterio.warp import transform
from scipy import ndimage

from ...core.grid import Grid
from ...core.scenes.common import acquisition_times, fbm, tile_grid
from ...core.simulate import write_raster
from . import canopy
from .crop_wofost import (N_CLASSES, ORIGIN, SERIES, draw_field, pixel_properties, polygons,
                          run_fields, voronoi_labels, write_geojson, write_products)
from .wofost import _et0

MANAGEMENT = {"never": 0.25, "grazed": 0.15, "once": 0.30, "twice": 0.30}
MANAGEMENT_CODE = {"never": 1, "once": 2, "twice": 3, "grazed": 4}
N_OBSERVATIONS = 36


@dataclass
class GrasslandScene:
    s2_folder: Path
    truth_dir: Path
    land_cover: np.ndarray
    land_cover_path: Path
    parcels: Path
    observations: Path
    dates: list
    grid: Grid
    start: date
    end: date
    parcel_table: list = field(default_factory=list)


def draw_first_cut(rng, year):
    """First mowing date, early May to late July (most in late May - June)."""
    u = rng.random()
    lo, hi = ((date(year, 5, 3), date(year, 6, 10)) if u < 0.5 else
              (date(year, 6, 10), date(year, 7, 5)) if u < 0.85 else
              (date(year, 7, 5), date(year, 7, 28)))
    return lo + timedelta(int(rng.integers(0, (hi - lo).days + 1)))


def draw_managements(rng, n):
    """The managements of n meadows in the MANAGEMENT proportions, shuffled."""
    counts = {k: round(v * n) for k, v in MANAGEMENT.items()}
    counts["twice"] = n - sum(v for k, v in counts.items() if k != "twice")
    return list(rng.permutation([k for k, v in counts.items() for _ in range(v)]))


def draw_meadow(rng, year, fid, kind):
    cuts = []
    if kind in ("once", "twice"):
        cuts.append(draw_first_cut(rng, year))
        if kind == "twice":
            second = cuts[0] + timedelta(int(rng.integers(35, 66)))
            if second < date(year, 10, 1):
                cuts.append(second)
            else:
                kind = "once"
    base = draw_field(rng, "grassland", year, fid)
    base.update(kind="meadow", variety="intermediate", n_status="normal", management=kind,
                cuts=cuts, residual=float(rng.uniform(0.2, 0.9)),
                swath_days=int(rng.integers(2, 8)), regrowth=float(rng.uniform(0.7, 1.4)),
                gmax=float(rng.uniform(4.5, 7.0)), awc=float(rng.uniform(60, 200)),
                heading=bool(rng.random() < 0.7),
                graze_from=date(year, 4, 1) + timedelta(int(rng.integers(0, 60))),
                graze_rate=float(rng.uniform(0.015, 0.04)))
    return base


def meadow_series(meadows, weather, level):
    """Daily green (gai) and brown (bai) area of every meadow unit (days, units)."""
    nd, n = len(weather["days"]), len(meadows) * N_CLASSES
    lev = np.tile(level, len(meadows))
    rep = lambda key: np.repeat([m[key] for m in meadows], N_CLASSES).astype(float)
    gmax, awc, regrow = rep("gmax") * (1 + 0.08 * lev), rep("awc") * (1 + 0.1 * lev), \
        rep("regrowth")
    graze = np.repeat([m["management"] == "grazed" for m in meadows], N_CLASSES)
    pressure = rep("graze_rate") * np.clip(1 + 0.6 * lev, 0.2, 2.0)
    graze_from = np.repeat([(m["graze_from"] - weather["days"][0]).days for m in meadows],
                           N_CLASSES)
    heading = np.repeat([m["heading"] for m in meadows], N_CLASSES)
    cut_days = [{(c - weather["days"][0]).days for c in m["cuts"]} for m in meadows]
    g, b = np.full(n, 0.6), np.full(n, 0.6)
    swath_g, swath_b, bale = np.zeros(n), np.zeros(n), np.full(n, -1)
    water, tt, was_cut = awc * 0.8, np.zeros(n), np.zeros(n, bool)
    out = {k: np.zeros((nd, n), np.float32) for k in SERIES}
    for t in range(nd):
        day = weather["days"][t]
        temp = weather["tmean"][t]
        if day.month >= 2 and day.year == weather["days"][-1].year:
            tt += max(temp, 0)
        f_t = np.clip((temp - 4) / 10, 0, 1) * (1 - np.clip((temp - 25) / 10, 0, 1))
        et0 = _et0(weather["tmin"][t], weather["tmax"][t], weather["doy"][t], canopy.LAT)
        ks = np.clip(water / (0.4 * awc), 0, 1)
        cover = 1 - np.exp(-0.6 * g)
        water = np.clip(water + weather["rain"][t] - et0 * (cover * ks + 0.3 * (1 - cover))
                        * 0.9, 0, awc)
        f_r = min(1.0, weather["radiation"][t] / 15)
        r = 0.1 * f_t * f_r * ks * np.where(was_cut, 1.2 * regrow, 1.0)
        growth = r * g * np.clip(1 - (g + 0.3 * b) / gmax, 0, 1)
        # leaf turnover ~ temperature (ModVege), frost, heading, drought
        sen = (0.0012 * max(temp, 0) + 0.04 * (weather["tmin"][t] < -2)
               + np.where(heading & ~was_cut & (tt > 1100), 0.008, 0.0)
               + 0.03 * (1 - ks) ** 2)
        grazing = np.where(graze & (t >= graze_from), pressure, 0.0)
        dead = sen * g
        g = np.maximum(g + growth - dead - grazing * g, 0.3)
        b = np.maximum(b + 0.6 * dead - 0.02 * b - grazing * 0.5 * b, 0.0)
        # mowing: residual sward, swaths drying, then baled
        for j, days in enumerate(cut_days):
            if t in days:
                sl = slice(j * N_CLASSES, (j + 1) * N_CLASSES)
                cut = np.maximum(g[sl] - meadows[j]["residual"], 0)
                swath_g[sl] = 0.35 * cut
                swath_b[sl] = 0.35 * b[sl]
                g[sl] = np.minimum(g[sl], meadows[j]["residual"])
                b[sl] = 0.15 * b[sl] + 0.2
                bale[sl] = t + meadows[j]["swath_days"]
                was_cut[sl] = True
        drying = 0.35 * swath_g
        swath_g -= drying
        swath_b += drying
        baled = bale == t
        swath_g[baled], swath_b[baled] = 0, 0
        out["gai"][t], out["lai"][t] = g + swath_g, g + swath_g
        out["bai"][t] = b + swath_b
        out["stress"][t] = 1 - ks
    return out


def make_scene(out_dir, seed=0, size=160, year=2022, tile="31TCJ", revisit_days=5):
    """Meadows, pastures, crops and forest; see the module docstring."""
    out_dir = Path(out_dir)
    s2, truth = out_dir / "s2", out_dir / "truth"
    s2.mkdir(parents=True, exist_ok=True)
    truth.mkdir(exist_ok=True)
    rng = np.random.default_rng(30_000 + seed)
    grid = tile_grid(tile, size, ORIGIN.get(tile, ORIGIN["31TCJ"]))
    start, end = date(year, 3, 1), date(year, 10, 31)
    day0 = date(year - 1, 8, 1)
    # meadows: a cooler, wetter upland climate than the Toulouse plain
    weather = canopy.make_weather(rng, day0, end + timedelta(30),
                                  spring_dryness=rng.uniform(0.85, 1.2), t_offset=-2.0,
                                  summer_wet=0.2)
    shape = (size, size)
    woods = fbm(rng, shape, (1600, 800, 400))
    other_kind = np.where(woods > np.quantile(woods, 0.85), 1, 0).astype(np.int32)
    cells = voronoi_labels(rng, shape, round(150 * (size / 160) ** 2))
    labels = relabel(np.where(other_kind == 0, cells, 0))
    n = int(labels.max())
    is_meadow = rng.random(n) < 0.7
    managements = draw_managements(rng, int(is_meadow.sum()))
    fields = []
    for i in range(n):
        if is_meadow[i]:
            fields.append(draw_meadow(rng, year, i + 1, str(managements.pop())))
        else:
            kind = "wheat" if rng.random() < 0.6 else "maize"
            fields.append(dict(draw_field(rng, kind, year, i + 1), management=None, cuts=[]))
    cls = _classes(rng, labels, fields)
    level = np.linspace(-1.2, 1.2, N_CLASSES)
    series = _series(fields, weather, day0, level)
    pix_unit, pix = pixel_properties(rng, labels, fields, {i + 1: i for i in range(n)}, cls,
                                     shape, weather, other_kind)
    times = acquisition_times(rng, start, end, revisit_days)
    fractions = _cloud_fractions(rng, [w.date() for w in times], year)
    dates = write_products(rng, s2, tile, grid, times, lambda d: (d - day0).days, series,
                           pix_unit, pix, weather, fractions)
    land = _land_cover(labels, fields, other_kind)
    land_cover_path = write_raster(out_dir / "land_cover.tif", land, grid, nodata=0)
    table = _parcel_table(labels, fields)
    geoms = polygons(labels, grid)
    parcels_path = write_geojson(out_dir / "parcels.geojson", [
        (geoms[r["label"]], {"parcel_id": r["parcel_id"], "code": r["code"]}) for r in table])
    obs_path = _observations(rng, out_dir / "observations.geojson", labels, table, grid, year)
    _write_truth(truth, labels, table, grid, series, weather, day0, start, end)
    return GrasslandScene(s2, truth, land, land_cover_path, parcels_path, obs_path, dates, grid,
                          start, end, table)


def relabel(labels, min_px=40):
    """Consecutive labels 1..n, parcels under `min_px` pixels dropped (lanes)."""
    out = np.zeros(labels.shape, np.int32)
    k = 0
    for v in np.unique(labels[labels > 0]):
        m = labels == v
        if m.sum() >= min_px:
            k += 1
            out[m] = k
    return out


def _classes(rng, labels, fields):
    """Vigour class per pixel; in pastures the class is the grazing pressure,
    patchy at 60-300 m."""
    fine = fbm(rng, labels.shape, (300, 120, 60))
    broad = fbm(rng, labels.shape, (600, 300, 120))
    cls = np.zeros(labels.shape, np.int32)
    for i, f in enumerate(fields):
        m = labels == i + 1
        noise = (fine if f.get("management") == "grazed" else broad)[m]
        q = np.quantile(noise, np.linspace(0, 1, N_CLASSES + 1)[1:-1])
        cls[m] = np.searchsorted(q, noise)
    return cls


def _series(fields, weather, day0, level):
    """Daily series of every unit: crops by the WOFOST-like model, meadows here."""
    nd, nu = len(weather["days"]), len(fields) * N_CLASSES
    series = {k: np.zeros((nd, nu), np.float32) for k in SERIES}
    for subset, runner in ((
            [i for i, f in enumerate(fields) if f["kind"] != "meadow"],
            lambda fs: run_fields(fs, weather, day0, level)[0]),
            ([i for i, f in enumerate(fields) if f["kind"] == "meadow"],
             lambda fs: meadow_series(fs, weather, level))):
        if not subset:
            continue
        part = runner([fields[i] for i in subset])
        units = np.array([i * N_CLASSES + c for i in subset for c in range(N_CLASSES)])
        for k in SERIES:
            series[k][:, units] = part[k]
    return series


def _cloud_fractions(rng, dates, year):
    """~40 % cloudy dates, plus two overcast spells of 12-18 days in May-July."""
    fractions = canopy.cloudy_date_fractions(rng, dates)
    for month in sorted(rng.choice([5, 6, 7], 2, replace=False)):
        first = date(year, int(month), 1) + timedelta(int(rng.integers(0, 16)))
        days = int(rng.integers(12, 19))
        for k, d in enumerate(dates):
            if first <= d < first + timedelta(days):
                fractions[k] = 1.0 if rng.random() < 0.7 else rng.uniform(0.8, 0.97)
    return fractions


def _land_cover(labels, fields, other_kind):
    lut = np.array([0] + [13 if f["kind"] == "meadow" else 6 if f["kind"] == "wheat" else 10
                          for f in fields], np.uint8)
    land = lut[labels]
    land[labels == 0] = 13            # lanes, hedgerows and verges: grassy
    land[other_kind == 1] = 16
    return land


def _parcel_table(labels, fields):
    table = []
    for i, f in enumerate(fields):
        rows, cols = np.nonzero(labels == i + 1)
        cuts = [c.timetuple().tm_yday for c in f["cuts"]]
        meadow = f["kind"] == "meadow"
        table.append(dict(
            parcel_id=f"P{i + 1:04d}", label=i + 1,
            code=13 if meadow else 6 if f["kind"] == "wheat" else 10,
            first_doy=cuts[0] if cuts else None, all_mowing_doys=cuts,
            management=f["management"] if meadow else None,
            rows=slice(int(rows.min()), int(rows.max()) + 1),
            cols=slice(int(cols.min()), int(cols.max()) + 1), pixels=int(rows.size)))
    return table


def _observations(rng, path, labels, table, grid, year):
    """36 field observations of first mowing dates, one point inside each of
    36 mown meadows (away from the parcel edge); fewer on small scenes."""
    mown = [r for r in table if r["first_doy"]]
    chosen = [mown[j] for j in rng.permutation(len(mown))[:N_OBSERVATIONS]]
    feats = []
    for r in chosen:
        inner = ndimage.binary_erosion(labels == r["label"], iterations=2)
        rows, cols = np.nonzero(inner if inner.any() else labels == r["label"])
        k = int(rng.integers(rows.size))
        x, y = grid.transform * (cols[k] + 0.5, rows[k] + 0.5)
        lon, lat = transform(grid.crs, "EPSG:4326", [x], [y])
        when = date(year, 1, 1) + timedelta(r["first_doy"] - 1)
        feats.append(({"type": "Point", "coordinates": [lon[0], lat[0]]},
                      {"parcel_id": r["parcel_id"], "mowing_date": when.isoformat()}))
    return write_geojson(path, feats)


def _write_truth(truth, labels, table, grid, series, weather, day0, start, end):
    first = np.zeros(labels.shape, np.uint16)
    count = np.zeros(labels.shape, np.uint8)
    manage = np.zeros(labels.shape, np.uint8)
    for r in table:
        m = labels == r["label"]
        first[m] = r["first_doy"] or 0
        count[m] = len(r["all_mowing_doys"])
        manage[m] = MANAGEMENT_CODE.get(r["management"], 0)
    write_raster(truth / "first_mowing_doy.tif", first, grid, nodata=None)
    write_raster(truth / "mowing_count.tif", count, grid)
    write_raster(truth / "management.tif", manage, grid)
    write_raster(truth / "parcel_label.tif", labels, grid, nodata=0)
    with open(truth / "parcels.csv", "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["parcel_id", "label", "code", "management", "first_doy", "mowing_doys",
                     "pixels"])
        for r in table:
            wr.writerow([r["parcel_id"], r["label"], r["code"], r["management"] or "",
                         r["first_doy"] or "", " ".join(map(str, r["all_mowing_doys"])),
                         r["pixels"]])
    i0, i1 = (start - day0).days, (end - day0).days + 1
    with open(truth / "daily_gai.csv", "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["parcel_id", "date", "gai", "bai"])
        for i, r in enumerate(table):
            sl = slice(i * N_CLASSES, (i + 1) * N_CLASSES)
            for t in range(i0, i1):
                wr.writerow([r["parcel_id"], weather["days"][t].isoformat(),
                             f"{series['gai'][t, sl].mean():.3f}",
                             f"{series['bai'][t, sl].mean():.3f}"])
    (truth / "README.txt").write_text(
        "first_mowing_doy.tif: day of year of the first cut, 0 = never mown or not a meadow\n"
        "management.tif: 0 not a meadow, 1 never mown, 2 once, 3 twice, 4 grazed only\n")
