"""Mowing scenario: a farmed landscape of rectangular parcels (meadows among
cereals, maize, rapeseed, woods and villages) seen by Sentinel-2 over one
growing season, written as THEIA L2A products, with every meadow's first
mowing day known.

Phenology model: each parcel has a daily green-cover fraction f(t); the
reflectance is f x green vegetation + (1 - f) x its background (soil, litter,
cut grass), so NDVI and the bands move together as on real fields. A mowing
removes most green biomass in a day (f drops to 0.1-0.3); the hay dries and is
removed over 5-12 days, then the sward regrows exponentially (time constant
12-22 days: three to five weeks back to green, as on the real Slovak plots of
../shared/data/real/grassland_mowing_events); 60 % of meadows get a second
cut, some a third. Grazed pastures lose greenness gradually and are
not mown (truth 0). Clouds, shadows, swath edges and a little undetected haze
come on top, as in the snow scenario.
"""
import csv
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from rasterio.warp import transform as warp_transform

from ..grid import Grid
from ..simulate import write_raster, write_theia_product
from .common import (PLATFORMS, acquisition_times, draw_cloud_fraction, draw_clouds, fbm,
                    swath_coverage, swath_mask, tile_grid)

RES = 20.0
BANDS = ("B2", "B3", "B4", "B8", "B11")
# Spectra in BANDS order (reflectance 0-1).
GREEN = np.array((0.030, 0.070, 0.035, 0.42, 0.18), np.float32)       # dense green canopy
SOIL = np.array((0.080, 0.110, 0.140, 0.22, 0.30), np.float32)        # bare soil
LITTER = np.array((0.070, 0.100, 0.130, 0.26, 0.33), np.float32)      # dry grass, stubble
FLOWERS = np.array((0.040, 0.140, 0.120, 0.40, 0.20), np.float32)     # yellow rapeseed
BUILT = np.array((0.090, 0.100, 0.110, 0.16, 0.20), np.float32)
# OSO codes (science.md (b)) and the share of parcels of each.
GRASSLAND, WHEAT, MAIZE, RAPESEED, FOREST, URBAN = 13, 6, 10, 5, 16, 2
LAND_SHARES = ((GRASSLAND, 0.50), (WHEAT, 0.15), (MAIZE, 0.12), (RAPESEED, 0.07),
               (FOREST, 0.12), (URBAN, 0.04))
FIRST_CUT = (120, 200)     # day-of-year range of first cuts
MOWN_SHARE = 0.85          # the other meadows are grazed, never mown
SECOND_CUT, THIRD_CUT = 0.6, 0.3
HAZE_DATES = 0.1           # share of dates with a thin cloud the mask misses
ORIGIN_31TCJ = (300000.0, 4900020.0)


@dataclass
class MowingScene:
    s2_folder: Path
    truth_dir: Path
    land_cover: Path       # OSO codes, uint8, 0 = nodata
    parcels: Path          # meadow parcels, GeoJSON (EPSG:4326), field parcel_id
    observations: Path     # field observations, GeoJSON points, field mowing_date
    dates: list
    grid: Grid
    start: date
    end: date
    parcel_table: list     # dicts: parcel_id, code, first_doy, rows, cols (slices)


def make_mowing_scene(out_dir: Path, seed=0, size=160, year=2022, tile="31TCJ",
                      revisit_days=5, observed_share=0.6, origin=None) -> MowingScene:
    """Write the L2A products (1 March - 31 October), the land cover, the
    meadow parcels, the field observations and the truth under `out_dir`."""
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    s2_folder, truth_dir = out_dir / "S2", out_dir / "truth"
    s2_folder.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    start, end = date(year, 3, 1), date(year, 10, 31)
    grid = tile_grid(tile, size, origin or ORIGIN_31TCJ)
    table = _parcels(rng, size)
    parcel_id, codes = _rasters(table, size)
    texture = 1 + 0.03 * fbm(rng, (size, size), (400, 100))
    days = np.arange(1, (date(year + 1, 1, 1) - date(year, 1, 1)).days + 1)
    cover = np.stack([_green_cover(rng, p, days) for p in table])      # (parcels, 365)
    dates = acquisition_times(rng, start, end, revisit_days)
    coverage = swath_coverage(rng, len(dates))
    for i, when in enumerate(dates):
        doy = when.timetuple().tm_yday
        refl, clm = _acquisition(rng, table, parcel_id, texture, cover[:, doy - 1], doy,
                                 coverage[i])
        write_theia_product(s2_folder, PLATFORMS[i % 2], when, tile, grid, refl, clm)
    truth = np.zeros((size, size), np.uint16)
    for p in table:
        truth[p["rows"], p["cols"]] = p["first_doy"]
    write_raster(truth_dir / "MOWING_DOY_TRUTH.tif", truth, grid)
    land_cover = write_raster(out_dir / "land_cover.tif", codes, grid, nodata=0)
    parcels = _write_parcels(out_dir / "grassland_parcels.geojson", table, grid)
    observations = _write_observations(rng, out_dir / "field_observations.geojson", table,
                                       grid, year, observed_share)
    _write_truth_table(truth_dir / "parcels_truth.csv", table)
    _write_readme(truth_dir, seed, size, tile, start, end, revisit_days, dates, coverage,
                  observed_share)
    return MowingScene(s2_folder, truth_dir, land_cover, parcels, observations, dates, grid,
                       start, end, table)


def _parcels(rng, size, min_side=5, max_side=14):
    """Rectangles tiling the scene (recursive random splits, 100-280 m sides),
    each with a land-cover code and, for mown meadows, its cut days."""
    boxes, todo = [], [(0, 0, size, size)]
    while todo:
        r, c, h, w = todo.pop()
        along_rows = h >= w
        side = h if along_rows else w
        if side < 2 * min_side or (side <= max_side and rng.random() < 0.4):
            boxes.append((r, c, h, w))
            continue
        cut = int(rng.integers(min_side, side - min_side + 1))
        todo += ([(r, c, cut, w), (r + cut, c, h - cut, w)] if along_rows
                 else [(r, c, h, cut), (r, c + cut, h, w - cut)])
    codes, shares = zip(*LAND_SHARES)
    table = []
    for i, (r, c, h, w) in enumerate(sorted(boxes)):
        code = int(rng.choice(codes, p=shares))
        cuts = _cuts(rng) if code == GRASSLAND and rng.random() < MOWN_SHARE else []
        table.append(dict(parcel_id=i + 1, code=code, cuts=cuts,
                          first_doy=cuts[0] if cuts else 0,
                          rows=slice(r, r + h), cols=slice(c, c + w)))
    return table


def _cuts(rng):
    """Days of the first, and maybe second and third, cuts."""
    cuts = [int(rng.integers(FIRST_CUT[0], FIRST_CUT[1] + 1))]
    for share in (SECOND_CUT, THIRD_CUT):
        nxt = cuts[-1] + int(rng.integers(35, 61))
        if rng.random() >= share or nxt > 265:
            break
        cuts.append(nxt)
    return cuts


def _rasters(table, size):
    parcel_id = np.zeros((size, size), np.int32)
    codes = np.zeros((size, size), np.uint8)
    for p in table:
        parcel_id[p["rows"], p["cols"]] = p["parcel_id"]
        codes[p["rows"], p["cols"]] = p["code"]
    return parcel_id, codes


def _logistic(days, mid, width):
    return 1 / (1 + np.exp(-(days - mid) / width))


def _green_cover(rng, parcel, days):
    """Daily green-cover fraction (0-1) of one parcel through the year."""
    code, u = parcel["code"], rng.uniform
    if code == GRASSLAND:
        return _meadow(rng, parcel["cuts"], days)
    if code == WHEAT:
        up = 0.3 + 0.6 * _logistic(days, u(70, 90), 8)
        return up * (1 - _logistic(days, u(160, 172), 5)) * (days < u(190, 200))
    if code == MAIZE:
        return 0.9 * _logistic(days, u(165, 180), 9) * (1 - _logistic(days, u(255, 270), 7))
    if code == RAPESEED:
        return (0.5 + 0.35 * _logistic(days, u(60, 75), 6)) * (1 - _logistic(days, u(165, 175), 5))
    if code == FOREST:
        return 0.45 + 0.45 * _logistic(days, u(105, 120), 5) * (1 - _logistic(days, u(290, 305), 7))
    return np.full(days.shape, u(0.1, 0.2))


def _meadow(rng, cuts, days):
    """Green-up in spring, a summer slow-down, then autumn decline; each cut
    drops the cover to stubble, which stays bare while the hay dries, then
    regrows."""
    u = rng.uniform
    winter, top = u(0.35, 0.5), u(0.85, 0.95)
    f = winter + (top - winter) * _logistic(days, u(85, 105), u(6, 10))
    f -= 0.25 * _logistic(days, u(195, 215), 12) + 0.25 * _logistic(days, u(290, 310), 10)
    if not cuts:                                # grazing: a gradual loss
        f -= u(0.25, 0.4) * _logistic(days, u(135, 160), u(8, 15))
        return np.clip(f, 0.05, 1)
    for cut in cuts:
        stubble, lag, tau = u(0.1, 0.3), u(5, 12), u(12, 22)   # drying hay, then regrowth
        after = days - cut
        regrowth = 1 - np.exp(-np.clip(after - lag, 0, None) / tau)
        cut_f = stubble + (f - stubble) * regrowth
        f = np.where(after >= 0, np.minimum(f, cut_f), f)
    return np.clip(f, 0.05, 1)


def _background(code):
    if code == URBAN:
        return BUILT
    if code in (WHEAT, MAIZE, RAPESEED):
        return SOIL
    return LITTER


def _acquisition(rng, table, parcel_id, texture, cover, doy, coverage):
    """Reflectances (band -> float, NaN = nodata) and CLM of one date."""
    shape = parcel_id.shape
    green = np.zeros(shape + (len(BANDS),), np.float32)
    for p, f in zip(table, cover):
        spectrum = f * GREEN + (1 - f) * _background(p["code"])
        if p["code"] == RAPESEED and 100 <= doy <= 125:     # flowering: yellow canopy
            spectrum = 0.6 * spectrum + 0.4 * FLOWERS
        green[p["rows"], p["cols"]] = spectrum * rng.uniform(0.97, 1.03)
    valid = swath_mask(rng, shape, coverage)
    clm, thick, darkening, high = draw_clouds(rng, shape, draw_cloud_fraction(rng))
    alpha = np.where(high, np.minimum(0.1 + 1.8 * thick, 0.6), np.clip(0.1 + 1.8 * thick, 0, 1))
    alpha[clm & (2 | 16) == 0] = 0
    if rng.random() < HAZE_DATES:               # thin haze the cloud mask misses
        haze = np.clip(fbm(rng, shape, (3200, 800)) - 0.5, 0, None) * 0.1
        alpha = np.where(clm == 0, np.maximum(alpha, haze), alpha)
    refl = {}
    for i, band in enumerate(BANDS):
        cloud_b = (0.22 + 0.28 * thick) if band == "B11" else (0.3 + 0.5 * thick)
        x = green[..., i] * texture
        x = (x * (1 - alpha) + cloud_b * alpha) * darkening
        x += rng.standard_normal(shape, dtype=np.float32) * (0.003 + 0.01 * x)
        refl[band] = np.where(valid, np.maximum(x, 0), np.nan).astype(np.float32)
    clm[~valid] = 0
    return refl, clm


def _pixel_lonlat(grid, rows, cols):
    xs = [grid.x0 + (c + 0.5) * grid.res for c in cols]
    ys = [grid.y0 - (r + 0.5) * grid.res for r in rows]
    return warp_transform(grid.crs, "EPSG:4326", xs, ys)


def _ring(grid, p):
    """The parcel's outline as a lon/lat ring (corners, closed)."""
    r0, r1, c0, c1 = p["rows"].start, p["rows"].stop, p["cols"].start, p["cols"].stop
    xs = [grid.x0 + c * grid.res for c in (c0, c1, c1, c0, c0)]
    ys = [grid.y0 - r * grid.res for r in (r0, r0, r1, r1, r0)]
    lon, lat = warp_transform(grid.crs, "EPSG:4326", xs, ys)
    return [[round(a, 8), round(b, 8)] for a, b in zip(lon, lat)]


def _write_geojson(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    return path


def _write_parcels(path, table, grid):
    return _write_geojson(path, [
        {"type": "Feature", "properties": {"parcel_id": p["parcel_id"]},
         "geometry": {"type": "Polygon", "coordinates": [_ring(grid, p)]}}
        for p in table if p["code"] == GRASSLAND])


def _write_observations(rng, path, table, grid, year, share):
    """A point inside a share of the mown meadows (one pixel from the edge),
    with the first mowing date as a field survey would note it."""
    features = []
    for p in table:
        if not p["first_doy"] or rng.random() >= share:
            continue
        rows, cols = p["rows"], p["cols"]
        r = int(rng.integers(rows.start + 1, max(rows.start + 2, rows.stop - 1)))
        c = int(rng.integers(cols.start + 1, max(cols.start + 2, cols.stop - 1)))
        (lon,), (lat,) = _pixel_lonlat(grid, [r], [c])
        day = date(year, 1, 1) + timedelta(days=p["first_doy"] - 1)
        features.append({"type": "Feature",
                         "properties": {"parcel_id": p["parcel_id"],
                                        "mowing_date": day.isoformat()},
                         "geometry": {"type": "Point",
                                      "coordinates": [round(lon, 8), round(lat, 8)]}})
    return _write_geojson(path, features)


def _write_truth_table(path, table):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["parcel_id", "oso_code", "first_mowing_doy", "all_cuts_doy"])
        for p in table:
            out.writerow([p["parcel_id"], p["code"], p["first_doy"],
                          " ".join(map(str, p["cuts"]))])


def _write_readme(truth_dir, seed, size, tile, start, end, revisit_days, dates, coverage,
                  observed_share):
    out = [f"{d:%Y-%m-%d}" for d, c in zip(dates, coverage) if c == "out"]
    (truth_dir / "README.txt").write_text(f"""\
SYNTHETIC DATA - generated by the Chaînon scene simulator (core/scenes/mowing.py).
Not real Sentinel-2 observations.

Parameters: seed={seed}, size={size} px at {RES:g} m, tile T{tile}, period {start} to {end},
revisit {revisit_days} days, {len(dates)} acquisitions (bands {', '.join(BANDS)}).
Out of swath (all nodata): {', '.join(out) or 'none'}

Rectangular parcels: meadows (OSO 13), wheat, maize, rapeseed, broad-leaved forest, built-up.
{MOWN_SHARE:.0%} of meadows are mown; first cut uniform in days {FIRST_CUT[0]}-{FIRST_CUT[1]},
a second cut 35-60 days later for {SECOND_CUT:.0%}, a third for {THIRD_CUT:.0%} of those.
The other meadows are grazed (gradual greenness loss) and never mown.

../land_cover.tif: OSO codes (uint8, 0 nodata).
../grassland_parcels.geojson: the meadow parcels (field parcel_id).
../field_observations.geojson: a point in {observed_share:.0%} of the mown meadows with the first
mowing date (field mowing_date, YYYY-MM-DD).
MOWING_DOY_TRUTH.tif: first mowing day of year (uint16, 0 = not mown or not a meadow).
parcels_truth.csv: parcel_id, OSO code, first mowing day, all cut days.
""", encoding="utf-8")
