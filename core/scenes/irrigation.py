"""Irrigation scenario: crop parcels on a grid (irrigated maize and soybean;
rainfed maize, sunflower and wheat), a season of daily rain, Sentinel-2
every 10 days with clouds, Sentinel-1 (one descending orbit every 12 days,
VV and VH with speckle), daily rain as a CSV (the scene mean) and as daily
rasters (rain/rain_YYYYMMDD.tif, mm, cells of 2 x 2 parcels), labelled
parcels (a share of them wrongly labelled, as declarations are) and the
truth.

Rain varies in space: spring and autumn fronts wet the whole scene with a
gentle gradient, summer rain falls in storms a few hundred metres across
(shrunk to the scene, which is much smaller than a rain product's cells),
so that some rainfed parcels get a summer downpour and others none.

Soil moisture (0.05-0.40 m3/m3) is a daily bucket wetted by the rain
of the parcel's cell and, on irrigated parcels only, by 25 mm waterings
every 5-8 days (each parcel its own turn) from mid-June to August unless
the parcel had rain the day before. Backscatter: the soil term
(VV dB = -19 + 30 SM, VH 7 dB lower) attenuated by the canopy, plus the
canopy's own term, with gamma speckle of 4.5 looks. Canopy: green cover follows each crop's
calendar; rainfed summer crops senesce earlier and lose leaf water (SWIR
rises) after dry spells, by how much depends on each parcel's soil
(water holding capacity), so that good rainfed soils look like irrigated
crops to Sentinel-2 alone, and wet-rain weeks look like irrigation to
Sentinel-1 alone.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from ..grid import Grid
from ..simulate import write_raster, write_theia_product
from ..training import write_geojson
from .common import (BANDS, PLATFORMS, acquisition_times, draw_cloud_fraction, draw_clouds,
                     tile_grid)

# (name, irrigated, peak day of year, half-width of the green season in days)
CROPS = (("maize", 1, 205, 60), ("soybean", 1, 210, 50), ("maize", 0, 200, 55),
         ("sunflower", 0, 195, 45), ("wheat", 0, 130, 55))
SHARES = (0.3, 0.15, 0.25, 0.15, 0.15)
GREEN = np.array([0.03, 0.07, 0.035, 0.10, 0.30, 0.38, 0.42, 0.43, 0.20, 0.09])
DRY = np.array([0.06, 0.09, 0.11, 0.14, 0.20, 0.24, 0.27, 0.28, 0.36, 0.28])
SOIL = np.array([0.07, 0.10, 0.13, 0.16, 0.19, 0.21, 0.23, 0.24, 0.32, 0.26])
LOOKS = 4.5
S1_REVISIT = 12          # days
ROUGHNESS_DB = 2.0       # per-parcel soil roughness offset, constant in time
SPREAD = (8.0, 0.15, 0.7)   # per parcel: peak date sd (days), season length sd, min top cover
IRRIGATION_MM = 25.0
STORM_P, STORM_SPREAD = 0.4, 2.5    # summer storm days; spread (cells) around the corridor
WRONG_LABELS = 0.03      # share of parcels declared in the other class


@dataclass
class IrrigationScene:
    s2_folder: Path
    s1_folder: Path
    rain_path: Path          # CSV date,rain_mm (scene mean)
    rain_folder: Path        # daily rain rasters rain_YYYYMMDD.tif (mm)
    parcels_path: Path       # GeoJSON polygons: parcel_id, crop, irrigated (1/0, declared)
    truth_path: Path         # uint8 1 irrigated, 0 rainfed
    truth_dir: Path
    dates: list
    grid: object
    start: date
    end: date


def make_irrigation_scene(out_dir, seed=0, size=120, year=2020, tile="31TCJ", parcel_px=8,
                          origin=None):
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    s2, s1, truth_dir = out_dir / "S2", out_dir / "S1", out_dir / "truth"
    for d in (s2, s1, truth_dir):
        d.mkdir(parents=True, exist_ok=True)
    grid = tile_grid(tile, size, origin or (300000.0, 4900020.0))
    start, end = date(year, 3, 1), date(year, 10, 31)
    ids, crop = _parcels(rng, size, parcel_px)
    irrigated = np.array([CROPS[c][1] for c in crop])
    capacity = rng.uniform(0.0, 1.0, crop.size)        # soil water holding capacity
    cells, cell_of = _rain_cells(grid, size, parcel_px)
    field = _rain(rng, start, end, cells)
    rain = field.reshape(field.shape[0], -1)[:, cell_of]        # (days, parcels)
    moisture = _soil_moisture(rng, rain, irrigated, start)
    truth = write_raster(truth_dir / "IRRIGATED_TRUTH.tif",
                         irrigated[ids].astype("uint8"), grid, 255)
    rain_path = out_dir / "rain.csv"
    rain_path.write_text("date,rain_mm\n" + "".join(
        f"{start + timedelta(i)},{r:.1f}\n" for i, r in enumerate(rain.mean(axis=1))),
        encoding="utf-8")
    rain_folder = out_dir / "rain"
    rain_folder.mkdir(exist_ok=True)
    for i, day in enumerate(field):
        write_raster(rain_folder / f"rain_{start + timedelta(i):%Y%m%d}.tif",
                     day.astype("float32"), cells, -999.0)
    canopy = _canopy(rng, crop, capacity, moisture, start, end)
    dates = _write_s2(rng, s2, grid, tile, ids, canopy, start, end)
    _write_s1(rng, s1, grid, tile, ids, canopy, moisture, start, end)
    declared = np.where(rng.random(crop.size) < WRONG_LABELS, 1 - irrigated, irrigated)
    parcels = _write_parcels(out_dir / "parcels.geojson", grid, size, parcel_px, crop, declared)
    (truth_dir / "README.txt").write_text(
        f"Synthetic irrigation scene (seed {seed}, {size} x {size} px, {year}): "
        "IRRIGATED_TRUTH.tif 1 irrigated, 0 rainfed.\n", encoding="utf-8")
    return IrrigationScene(s2, s1, rain_path, rain_folder, parcels, truth, truth_dir, dates,
                           grid, start, end)


def _parcels(rng, size, parcel_px):
    n = size // parcel_px
    crop = rng.choice(len(CROPS), n * n, p=SHARES)
    r, c = np.mgrid[0:size, 0:size] // parcel_px
    return np.minimum(r, n - 1) * n + np.minimum(c, n - 1), crop


def _rain_cells(grid, size, parcel_px):
    """The rain grid (cells of 2 x 2 parcels, one cell of margin around the
    scene) and the flat cell index of every parcel."""
    k, n = 2 * parcel_px, size // parcel_px
    side = -(-size // k) + 2
    cells = Grid(grid.crs, grid.x0 - k * grid.res, grid.y0 + k * grid.res, k * grid.res,
                 side, side)
    rows = np.minimum(np.arange(n) * parcel_px // k + 1, side - 1)
    return cells, (rows[:, None] * side + rows[None, :]).ravel()


def _rain(rng, start, end, cells):
    """(days, rows, cols) daily rain (mm): fronts in spring and autumn;
    summer storms of 1-3 cells, most along a corridor (relief, a valley)."""
    days = (end - start).days + 1
    doy = np.array([(start + timedelta(i)).timetuple().tm_yday for i in range(days)])
    summer = (doy > 160) & (doy < 245)
    wet = rng.random(days) < np.where(summer, STORM_P, 0.35)
    amount = rng.exponential(7.0, days)
    r, c = np.mgrid[0:cells.height, 0:cells.width]
    corridor = rng.uniform(0.25, 0.75, 2) * cells.height
    out = np.zeros((days, cells.height, cells.width))
    for t in np.nonzero(wet)[0]:
        if summer[t]:
            cr, cc = corridor + rng.normal(0, STORM_SPREAD, 2)
            radius = rng.uniform(1.0, 3.0)
            out[t] = 4 * amount[t] * np.exp(-((r - cr) ** 2 + (c - cc) ** 2) / radius ** 2)
        else:
            slope = rng.normal(0, 0.08, 2)
            out[t] = amount[t] * np.clip(1 + slope[0] * (r - r.mean()) + slope[1] * (c - c.mean()),
                                         0.3, None)
    return out


def _soil_moisture(rng, rain, irrigated, start):
    """(days, parcels) soil moisture of the surface layer the radar sees."""
    days, n = rain.shape[0], irrigated.size
    turn = rng.integers(5, 10, n)
    phase = rng.integers(0, 10, n)
    dose = rng.uniform(0.7, 1.0, n) * IRRIGATION_MM
    decay = rng.uniform(0.80, 0.92, n)     # drainage: deep soil layers, not the root zone
    sm = np.full(n, 0.25)
    out = np.empty((days, n))
    dry_for = np.zeros(n)
    for t in range(days):
        doy = (start + timedelta(t)).timetuple().tm_yday
        dry_for = np.where(rain[t] > 2, 0, dry_for + 1)
        water = rain[t].copy()
        season = (165 <= doy <= 240) & (dry_for > 1)
        water += np.where(season & (irrigated == 1) & ((t + phase) % turn == 0),
                          dose, 0.0)
        sm = np.minimum(0.40, 0.05 + (sm - 0.05) * decay + 0.008 * water)
        out[t] = sm
    return out


def _canopy(rng, crop, capacity, moisture, start, end):
    """(days, parcels) green cover and leaf wetness (1 = well watered); each
    parcel its own sowing date, season length and maximum cover."""
    days = (end - start).days + 1
    doy = np.array([(start + timedelta(i)).timetuple().tm_yday for i in range(days)])[:, None]
    peak = np.array([CROPS[c][2] for c in crop]) + rng.normal(0, SPREAD[0], crop.size)
    width = np.array([CROPS[c][3] for c in crop], float) * rng.normal(1, SPREAD[1], crop.size)
    top = rng.uniform(SPREAD[2], 1.0, crop.size)
    dry = np.ones(20) / 20                              # 20-day memory of the water stress
    stress = np.apply_along_axis(lambda s: np.convolve(s, dry)[:days], 0,
                                 np.clip((0.22 - moisture) / 0.15, 0, 1))
    summer = np.array([CROPS[c][2] > 180 for c in crop])
    stress = stress * summer * (1.1 - capacity)        # good soils buffer the drought
    cover = top * np.exp(-((doy - peak) / width) ** 4) * (1 - 0.6 * stress)
    return np.clip(cover, 0, 1), np.clip(1 - stress, 0, 1)


def _write_s2(rng, folder, grid, tile, ids, canopy, start, end):
    cover, wet = canopy
    times = acquisition_times(rng, start, end, 10)
    pixel = rng.normal(1, 0.03, ids.shape)
    for i, when in enumerate(times):
        t = (when.date() - start).days
        c, w = cover[t][ids][None], wet[t][ids][None]
        leaf = w * GREEN[:, None, None] + (1 - w) * DRY[:, None, None]
        refl = (c * leaf + (1 - c) * SOIL[:, None, None]) * pixel
        refl = refl + rng.normal(0, 0.006, refl.shape)
        clm, thick, dark, _ = draw_clouds(rng, ids.shape, draw_cloud_fraction(rng))
        refl = refl * (1 - thick) * dark + 0.45 * thick
        write_theia_product(folder, PLATFORMS[i % 2], when, tile, grid,
                            {b: refl[j].astype("float32") for j, b in enumerate(BANDS)}, clm)
    return [t.date() for t in times]


def _write_s1(rng, folder, grid, tile, ids, canopy, moisture, start, end):
    cover = canopy[0]
    roughness = rng.normal(0, ROUGHNESS_DB, ids.max() + 1)[ids]
    for day in range(0, (end - start).days + 1, S1_REVISIT):
        when = datetime(start.year, start.month, start.day, 6, 14, 32) + timedelta(days=day)
        c, sm = cover[day][ids], moisture[day][ids]
        attenuation = np.exp(-1.5 * c)
        for pol, offset, vegetation in (("vv", 0.0, -11.0), ("vh", -7.0, -16.0)):
            soil = 10 ** ((-19 + 30 * sm + offset + roughness) / 10)
            power = soil * attenuation + c * 10 ** (vegetation / 10)
            power = power * rng.gamma(LOOKS, 1 / LOOKS, ids.shape)
            write_raster(folder / f"s1a_{tile}_{pol}_DES_008_{when:%Y%m%dt%H%M%S}.tif",
                         power.astype("float32"), grid, nodata=0)


def _write_parcels(path, grid, size, parcel_px, crop, irrigated):
    n = size // parcel_px
    features = []
    for k in range(n * n):
        r0, c0 = (k // n) * parcel_px, (k % n) * parcel_px
        r1 = size if k // n == n - 1 else r0 + parcel_px
        c1 = size if k % n == n - 1 else c0 + parcel_px
        x0, x1 = grid.x0 + c0 * grid.res, grid.x0 + c1 * grid.res
        y0, y1 = grid.y0 - r0 * grid.res, grid.y0 - r1 * grid.res
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        features.append({"type": "Feature", "properties": {
            "parcel_id": k + 1, "crop": CROPS[crop[k]][0], "irrigated": int(irrigated[k])},
            "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return write_geojson(path, features, grid.crs)
