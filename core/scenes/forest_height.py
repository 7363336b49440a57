"""Forest height scenario: broadleaved and coniferous stands of known height
(5-40 m) among meadows, a year of Sentinel-2 every 10 days, GEDI L2A
granules along 16 tracks crossing the scene (8 beams 600 m apart, a shot
every 60 m), and 300 reference plots (height_m, ±1 m).

Stands are Voronoi cells of about 16 x 16 pixels with wobbly borders; their
heights are 5 + 35 Beta(2, 2.5) m (mostly 12-28 m, as French forests) plus
±1.2 m of within-stand variation. Reflectance model: the canopy darkens as
stands grow taller (more crown shadow, rougher canopy), through
s = 1 - exp(-H / 25), which saturates for tall stands as optical signals do.
Broadleaved stands lose their leaves from November to April, showing a
litter and branch background that also darkens with height; conifers stay
green. Each stand has its own species and site factor (±2 %), the scene a
smooth fertility pattern (±3 %), every date its noise (0.004) and clouds.
GEDI rh98 = true height + N(0, 2.5 m); 10 % of the shots are flagged bad
(quality_flag 0) with meaningless heights, some are degraded or
insensitive, one track is flown leaf-off. Truth biomass:
AGB = a H^b (the product's default allometry per type) times a stand factor
N(1, 0.1) (allometric scatter). Every stand is also written as a reference
polygon with its OSO code (field code), to train a land cover on.

With n_cuts (make_forest_chain_scene), the Sentinel-1 series is the forest
cut scene's instead (both orbits, forest backscatter not tied to height)
and runs one more year, in which n_cuts clear-cuts are made in the forest:
the height truth, of the Sentinel-2 year, is before the cuts.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from rasterio.features import shapes
from rasterio.warp import transform
from scipy.spatial import cKDTree

from ..forest_height import HeightParams, allometry
from ..gedi import BEAMS, GEDI_EPOCH, write_granule
from ..simulate import write_raster, write_theia_product
from ..training import write_geojson
from .common import (BANDS, PLATFORMS, RES, acquisition_times, draw_cloud_fraction, draw_clouds,
                     fbm, tile_grid)
from .forest_cuts import place_cuts, write_cut_series, write_cut_truth

BROADLEAF, CONIFER, MEADOW = 16, 17, 13            # OSO codes
NODATA = -9999.0
GEDI_NOISE = 2.5
SHOT_SPACING = 60.0      # m along track
BEAM_SPACING = 600.0     # m across track
# summer canopy of a short stand and its darkening when tall (B2 ... B12)
CANOPY = np.array([0.030, 0.055, 0.035, 0.080, 0.220, 0.280, 0.300, 0.310, 0.170, 0.085])
CANOPY_DARK = np.array([0.015, 0.028, 0.022, 0.040, 0.085, 0.110, 0.125, 0.125, 0.095, 0.055])
LEAF_OFF = np.array([0.060, 0.080, 0.100, 0.130, 0.160, 0.180, 0.200, 0.210, 0.280, 0.200])
CONIFER_GAIN = np.array([0.8, 0.8, 0.8, 0.8, 0.75, 0.75, 0.75, 0.75, 0.8, 0.8])
MEADOW_GREEN = np.array([0.030, 0.070, 0.030, 0.100, 0.300, 0.380, 0.420, 0.430, 0.200, 0.090])
SOIL = np.array([0.070, 0.100, 0.130, 0.160, 0.190, 0.210, 0.230, 0.240, 0.320, 0.260])


@dataclass
class ForestHeightScene:
    s2_folder: Path
    s1_folder: Path         # S1Tiling VV and VH, one descending orbit every 12 days
    gedi_folder: Path
    plots_path: Path        # GeoJSON points, field height_m
    land_cover: Path
    forest_mask: Path
    height_truth: Path
    agb_truth: Path
    truth_dir: Path
    dates: list
    grid: object
    start: date
    end: date
    reference_path: Path = None   # GeoJSON stand polygons, field code (OSO 13, 16, 17)
    cuts: list = None             # with n_cuts: dicts id, date, area_ha (truth/cuts.json)


def make_forest_height_scene(out_dir, seed=0, size=160, year=2020, tile="31TCJ",
                             revisit_days=10, origin=None, n_tracks=16, stand_px=16, n_cuts=0):
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    s2_folder, gedi_folder, truth_dir = out_dir / "S2", out_dir / "GEDI", out_dir / "truth"
    s1_folder = out_dir / "S1"
    for d in (s2_folder, s1_folder, gedi_folder, truth_dir):
        d.mkdir(parents=True, exist_ok=True)
    grid = tile_grid(tile, size, origin or (300000.0, 4900020.0))
    shape = (size, size)
    cover, height, stand_factor, ids = stands(rng, shape, stand_px)
    forest = cover != MEADOW
    a, b = allometry(HeightParams(), cover == CONIFER)
    scatter = np.clip(rng.normal(1, 0.1, ids.max() + 1), 0.7, 1.3)[ids]
    agb = np.where(forest, a * height ** b * scatter, 0)
    write_raster(truth_dir / "HEIGHT_TRUTH.tif", np.where(forest, height, NODATA).astype(
        "float32"), grid, NODATA)
    write_raster(truth_dir / "AGB_TRUTH.tif", np.where(forest, agb, NODATA).astype("float32"),
                 grid, NODATA)
    land_cover = write_raster(out_dir / "land_cover.tif", cover.astype("uint8"), grid, 0)
    forest_mask = write_raster(out_dir / "forest_mask.tif", forest.astype("uint8"), grid, 255)
    start, end = date(year, 1, 1), date(year, 12, 31)
    dates = write_series(rng, s2_folder, grid, tile, cover, height, stand_factor, start, end,
                         revisit_days)
    if n_cuts:
        cut_ids, cuts = place_cuts(rng, forest, grid, n_cuts, date(year + 1, 1, 1),
                                   date(year + 1, 12, 31))
        write_cut_series(rng, s1_folder, grid, tile, forest, cut_ids, cuts, start,
                         date(year + 1, 12, 31))
        write_cut_truth(truth_dir, grid, cut_ids, cuts)
    else:
        cuts = None
        write_s1(rng, s1_folder, grid, tile, cover, height, start, end)
    for k in range(n_tracks):
        write_track(rng, gedi_folder, grid, height, forest, year, k, leaf_off=(k == n_tracks - 1))
    plots_path = write_plots(rng, out_dir / "plots.geojson", grid, height, forest)
    (truth_dir / "README.txt").write_text(
        f"Synthetic forest height scene (seed {seed}, {size} x {size} px at {RES:g} m, tile "
        f"{tile}, {year}, {len(dates)} acquisitions, {n_tracks} GEDI tracks).\n"
        "HEIGHT_TRUTH.tif: canopy height (m); AGB_TRUTH.tif: above-ground biomass (t/ha); "
        f"{NODATA:g} outside the forest.\n"
        + ("cut_ids.tif: 0 no cut, k = cut k (Sentinel-1 of the next year); cuts.json: id, "
           "date of the cut, area_ha.\n" if cuts else ""), encoding="utf-8")
    reference = write_reference(out_dir / "reference.geojson", grid, ids, cover)
    return ForestHeightScene(s2_folder, s1_folder, gedi_folder, plots_path, land_cover, forest_mask,
                             truth_dir / "HEIGHT_TRUTH.tif", truth_dir / "AGB_TRUTH.tif",
                             truth_dir, dates, grid, start, end, reference, cuts)


def make_forest_chain_scene(out_dir, seed=0, size=160):
    """The forest height scene with a second year of Sentinel-1 holding up to
    six clear-cuts (as many as fit): land cover, forest cuts and forest
    height on one grid."""
    return make_forest_height_scene(out_dir, seed=seed, size=size, n_cuts=6)


def write_reference(path, grid, ids, cover):
    """One polygon per stand with its OSO code."""
    code = np.zeros(ids.max() + 1, "uint8")
    code[ids] = cover
    features = [{"type": "Feature", "properties": {"code": int(code[int(k)])}, "geometry": geom}
                for geom, k in shapes(ids.astype("int32"), transform=grid.transform)]
    return write_geojson(path, features, grid.crs)


def stands(rng, shape, stand_px):
    """Land cover, true height (m), per-pixel stand factor and stand ids of
    Voronoi stands with wobbly borders."""
    n = max(4, int(shape[0] * shape[1] / stand_px ** 2))
    seeds = rng.uniform(0, shape[0], (n, 2))
    rr, cc = np.mgrid[0:shape[0], 0:shape[1]].astype("float32")
    wobble = 0.3 * stand_px
    pts = np.stack([rr + wobble * fbm(rng, shape, (800, 200)),
                    cc + wobble * fbm(rng, shape, (800, 200))], axis=-1).reshape(-1, 2)
    ids = cKDTree(seeds).query(pts)[1].reshape(shape)
    kind = rng.choice([BROADLEAF, CONIFER, MEADOW], n, p=[0.45, 0.3, 0.25])
    stand_h = 5 + 35 * rng.beta(2.0, 2.5, n)     # 5-40 m, mostly 12-28 m as in France
    factor = rng.normal(1, 0.02, n)
    cover = kind[ids]
    height = np.where(cover == MEADOW, 0,
                      np.clip(stand_h[ids] + 1.2 * fbm(rng, shape, (200, 100)), 2, 45))
    return (cover.astype("uint8"), height.astype("float32"), factor[ids].astype("float32"),
            ids)


def leaf_cover(doy):
    """Broadleaved leaf display 0.15 (winter) to 1 (summer): green-up around
    day 115, leaf fall around day 300."""
    up = 1 / (1 + np.exp(-(doy - 115) / 8))
    down = 1 / (1 + np.exp((doy - 300) / 10))
    return 0.15 + 0.85 * up * down


def reflectances(cover, height, factor, fertility, doy):
    """(10, h, w) reflectance of one clear day."""
    s = 1 - np.exp(-height / 25.0)
    canopy = CANOPY[:, None, None] - CANOPY_DARK[:, None, None] * s
    conifer = (cover == CONIFER)
    canopy = np.where(conifer, canopy * CONIFER_GAIN[:, None, None], canopy)
    leaf = np.where(conifer, 1.0, leaf_cover(doy))
    under = LEAF_OFF[:, None, None] * (1 - 0.35 * s)
    forest = leaf * canopy + (1 - leaf) * under
    green = 0.55 + 0.35 * np.sin(2 * np.pi * (doy - 80) / 365)
    meadow = green * MEADOW_GREEN + (1 - green) * SOIL
    out = np.where(cover == MEADOW, meadow[:, None, None], forest)
    return (out * factor * (1 + 0.03 * fertility)).astype("float32")


def write_series(rng, folder, grid, tile, cover, height, factor, start, end, revisit_days):
    fertility = fbm(rng, cover.shape, (2000, 600))
    times = acquisition_times(rng, start, end, revisit_days)
    for i, when in enumerate(times):
        refl = reflectances(cover, height, factor, fertility, when.timetuple().tm_yday)
        refl += rng.normal(0, 0.004, refl.shape).astype("float32")
        clm, thick, dark, _ = draw_clouds(rng, cover.shape, draw_cloud_fraction(rng))
        refl = refl * (1 - thick) * dark + 0.45 * thick
        write_theia_product(folder, PLATFORMS[i % 2], when, tile, grid,
                            {b: refl[j] for j, b in enumerate(BANDS)}, clm)
    return [t.date() for t in times]


def write_s1(rng, folder, grid, tile, cover, height, start, end, looks=4.4):
    """S1Tiling files of one descending orbit every 12 days. C band saturates
    early over forest: VV and VH rise with s = 1 - exp(-H / 7); meadows
    follow their soil moisture, which changes from date to date."""
    s = np.where(cover == MEADOW, 0, 1 - np.exp(-height / 7.0))
    meadow = cover == MEADOW
    for day in range(0, (end - start).days + 1, 12):
        when = datetime(start.year, start.month, start.day, 6, 14, 32) + timedelta(days=day)
        wet = rng.uniform(0, 1)
        for pol, base, gain, soil in (("vv", -10.5, 3.0, -12.5), ("vh", -19.0, 5.5, -21.0)):
            db = np.where(meadow, soil + 2.5 * wet, base + gain * s + 0.3 * wet)
            power = 10 ** (db / 10) * rng.gamma(looks, 1 / looks, db.shape)
            write_raster(folder / f"s1a_{tile}_{pol}_DES_008_{when:%Y%m%dt%H%M%S}.tif",
                         power.astype("float32"), grid, nodata=0)


def write_track(rng, folder, grid, height, forest, year, k, leaf_off=False):
    """One GEDI granule: 8 beams 600 m apart across a track crossing the scene."""
    xmin, ymin, xmax, ymax = grid.bounds
    cx, cy = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
    heading = np.radians(rng.uniform(-50, 50))
    along = np.array([np.sin(heading), np.cos(heading)])
    across = np.array([along[1], -along[0]])
    half = np.hypot(xmax - xmin, ymax - ymin)
    t = np.arange(-half, half, SHOT_SPACING)
    when = datetime(year, 12 if leaf_off else 7, 10 + k, 2, 30)
    beams = {}
    for j, beam in enumerate(BEAMS):
        off = (j - 3.5) * BEAM_SPACING
        x = cx + off * across[0] + t * along[0] + rng.normal(0, 5, t.size)
        y = cy + off * across[1] + t * along[1] + rng.normal(0, 5, t.size)
        inside = (x > xmin) & (x < xmax) & (y > ymin) & (y < ymax)
        if inside.sum() == 0:
            continue
        beams[beam] = _shots(rng, grid, height, forest, x[inside], y[inside], when, leaf_off)
    name = (f"GEDI02_A_{year}{when.timetuple().tm_yday:03d}023000_O{10000 + k:05d}_02_"
            f"T{20000 + k:05d}_02_003_01_V002.h5")
    return write_granule(folder / name, beams)


def _shots(rng, grid, height, forest, x, y, when, leaf_off):
    n = x.size
    rows = ((grid.y0 - y) // grid.res).astype(int)
    cols = ((x - grid.x0) // grid.res).astype(int)
    true = np.where(forest[rows, cols], height[rows, cols], np.abs(rng.normal(0.5, 1.0, n)))
    rh98 = np.maximum(true + rng.normal(0, GEDI_NOISE, n), 0)
    quality = (rng.random(n) > 0.1).astype("uint8")
    rh98 = np.where(quality == 1, rh98, rng.uniform(0, 80, n))
    p = np.arange(101) / 100
    rh = rh98[:, None] * (p / 0.98) ** 2 - 1.5 * (1 - p / 0.98).clip(0)
    lon, lat = transform(grid.crs, "EPSG:4326", x, y)
    seconds = (when - GEDI_EPOCH).total_seconds() + np.arange(n) * 0.0083
    return dict(lon=lon, lat=lat, rh=rh, quality_flag=quality,
                degrade_flag=(rng.random(n) < 0.03).astype("uint8"),
                sensitivity=rng.uniform(0.92, 1.0, n), delta_time=seconds,
                leaf_off_flag=np.full(n, int(leaf_off), "uint8"))


def write_plots(rng, path, grid, height, forest, n=300):
    """Field plots: true height at random forest pixels, measured to ±1 m."""
    rows, cols = np.nonzero(forest)
    pick = rng.choice(rows.size, min(n, rows.size), replace=False)
    features = []
    for i, k in enumerate(pick):
        x = grid.x0 + (cols[k] + 0.5) * grid.res
        y = grid.y0 - (rows[k] + 0.5) * grid.res
        h = float(height[rows[k], cols[k]] + rng.normal(0, 1.0))
        features.append({"type": "Feature", "properties": {"plot": i + 1, "height_m": round(h, 1)},
                         "geometry": {"type": "Point", "coordinates": [x, y]}})
    return write_geojson(path, features, grid.crs)
