"""Forest clear-cut scenario: a forested area with fields seen by Sentinel-1
(VV, VH; one ascending and one descending orbit) for two years, written as
S1Tiling files, with clear-cuts of known outline and date.

Backscatter model (linear power, multiplicative gamma speckle of a few looks):
forest is stable; fields follow a crop season and wet up after rain. After a
cut, the cleared ground drops a little (bare soil with debris), the forest wall
on the near-range border casts a radar shadow on the cleared strip behind it
(width h tan(incidence)), and the wall on the far-range border faces the
sensor and brightens. Ascending passes look east (near range on the west),
descending passes look west. Cut outlines are scaled, rotated copies of real
clear-cuts (SUFOSAT polygons, resources/data/clearcut_outlines.geojson), from
0.4 ha to about 12 ha.

`confounders=True` adds what real series hold and the simple model lacks
(issue 10): a few wet-snow acquisitions that darken everything by ~3 dB,
frozen acquisitions (forest -1.5 dB), rainy acquisitions (+0.5 to +0.7 dB,
forest included), a seasonal drift of the forest of 1 dB peak to peak, and a
speckle of ENL 4.4. Each hits one orbit's single acquisition.
"""
import json
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from rasterio.features import rasterize
from scipy import ndimage

from ..grid import Grid
from ..simulate import write_raster
from .common import tile_grid

RES = 10.0
TILE = "31TCJ"
ORBITS = (("ASC", 30, 18, 39.0), ("DES", 8, 6, 34.0))  # direction, orbit, hour, incidence
# Mean backscatter (dB) per cover and polarisation.
FOREST_DB = {"vv": -7.5, "vh": -13.0}
FIELD_DB = {"vv": (-12.0, -8.0), "vh": (-20.0, -14.5)}   # bare -> full crop
CUT_DROP_DB = {"vv": -2.0, "vh": -3.0}                    # cleared ground vs forest
SHADOW_DB = -7.0          # radar shadow vs forest, both polarisations
BRIGHT_DB = 3.0           # far-range wall facing the sensor
TREE_HEIGHT = 22.0        # m, casts the shadow
LOOKS = 4.5               # equivalent number of looks of the speckle
CONFOUNDED_LOOKS = 4.4    # ENL of the S1Tiling series of issue 10
WET_SNOW_DB, FROST_DB = -3.0, -1.5     # per winter acquisition hit (all covers / forest)
DRIFT_DB = 1.0            # seasonal swing of the forest, peak to peak
# Real SUFOSAT outlines (../shared/data/real/clearcuts_france), simplified to 1 m and
# shipped with the plugin so that the scene can be made anywhere.
REAL_CUTS = Path(__file__).resolve().parents[2] / "resources" / "data" / \
    "clearcut_outlines.geojson"
LC_FOREST, LC_FIELD = 17, 6   # OSO coniferous forest, straw cereals


@dataclass
class ForestCutScene:
    s1_folder: Path
    truth_dir: Path
    forest_mask: Path
    land_cover: Path
    cut_ids: Path           # truth raster, 0 = no cut, k = cut k
    cuts: list              # dicts: id, date, area_ha
    dates: list
    grid: Grid
    start: date
    end: date


def make_forest_cut_scene(out_dir, seed=0, size=240, start=date(2020, 1, 1), years=2,
                          n_cuts=24, tile=TILE, origin=None, confounders=False):
    """Writes the scene under out_dir and returns it; deterministic from `seed`.
    `origin`: the tile's upper-left UTM corner, to centre the scene in the
    tile (a data lake); the scene starts at 31TCJ's corner by default.
    `confounders`: wet snow, frost, rain, drift and ENL 4.4 (module doc)."""
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    s1, truth = out_dir / "S1", out_dir / "truth"
    s1.mkdir(parents=True, exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)
    grid = (tile_grid(tile, size, origin, RES) if origin
            else Grid("EPSG:32631", 300000.0, 4900020.0, RES, size, size))
    end = start + timedelta(days=365 * years - 1)
    forest = _forest(rng, size)
    cut_ids, cuts = place_cuts(rng, forest, grid, n_cuts, start, end)
    weather = np.random.default_rng([seed, 10]) if confounders else None
    dates = write_cut_series(rng, s1, grid, tile, forest, cut_ids, cuts, start, end, weather)
    forest_path = write_raster(out_dir / "forest_mask.tif", forest.astype("uint8"), grid)
    lc = np.where(forest, LC_FOREST, LC_FIELD).astype("uint8")
    lc_path = write_raster(out_dir / "land_cover.tif", lc, grid, nodata=0)
    ids_path = write_cut_truth(truth, grid, cut_ids, cuts)
    (truth / "README.txt").write_text(
        "SYNTHETIC forest clear-cut scene (Chainon simulator), not real data.\n"
        "cut_ids.tif: 0 no cut, k = cut k; cuts.json: id, date of the cut, area_ha.\n"
        "Outlines: scaled, rotated copies of real SUFOSAT clear-cuts.\n")
    return ForestCutScene(s1, truth, forest_path, lc_path, ids_path, cuts, sorted(dates), grid,
                          start, end)


def write_cut_series(rng, folder, grid, tile, forest, cut_ids, cuts, start, end, weather=None):
    """S1Tiling VV and VH files of both orbits from `start` to `end`; returns
    the acquisition times. `weather`: a generator of confounders, or None."""
    dates = []
    looks = LOOKS if weather is None else CONFOUNDED_LOOKS
    for direction, orbit, hour, incidence in ORBITS:
        days = _revisits(start, end, 3 if direction == "ASC" else 0)
        geometry = _cut_geometry(cut_ids, direction, incidence, grid.res)
        rain = _rain(rng, days)
        extra = _confounders(weather, days, start) if weather else dict.fromkeys(days, (0, 0))
        for day in days:
            when = datetime(day.year, day.month, day.day, hour, 14, 32)
            for pol in ("vv", "vh"):
                db = _mean_db(forest, cut_ids, cuts, geometry, day, pol, rain[day], start)
                everywhere, on_forest = extra[day]
                db = db + everywhere + on_forest * forest
                power = 10 ** (db / 10) * rng.gamma(looks, 1 / looks, db.shape)
                name = f"s1{'a' if day.toordinal() % 12 < 6 else 'b'}_{tile}_{pol}_" \
                       f"{direction}_{orbit:03d}_{when:%Y%m%dt%H%M%S}.tif"
                write_raster(folder / name, power.astype("float32"), grid, nodata=0)
            dates.append(when)
    return dates


def write_cut_truth(folder, grid, cut_ids, cuts):
    """truth cut_ids.tif (0 no cut, k cut k) and cuts.json; returns the raster."""
    (folder / "cuts.json").write_text(json.dumps(
        [dict(c, date=str(c["date"])) for c in cuts], indent=1))
    return write_raster(folder / "cut_ids.tif", cut_ids.astype("int16"), grid)


def _forest(rng, size):
    """Forest everywhere but a few rectangular fields along the borders."""
    forest = np.ones((size, size), bool)
    for _ in range(4):
        h, w = rng.integers(size // 8, size // 4, 2)
        r = rng.choice([0, size - h])
        c = rng.integers(0, size - w)
        forest[r:r + h, c:c + w] = False
    return forest


def _revisits(start, end, offset):
    """6-day revisit the first year (S1A + S1B), 12 days after (S1A only)."""
    days, day = [], start + timedelta(days=offset)
    while day <= end:
        days.append(day)
        day += timedelta(days=6 if (day - start).days < 365 else 12)
    return days


def _rain(rng, days):
    """Soil wetness boost (dB) of each date after rain."""
    return {d: float(rng.choice([0.0, 0.0, 0.5, 1.5])) for d in days}


def _confounders(rng, days, start):
    """{day: (dB added everywhere, dB added on forest)}: four wet-snow and four
    frozen acquisitions among the winter ones (December-February), rain on a
    third of the acquisitions, and the forest's seasonal drift."""
    winter = [d for d in days if d.month in (12, 1, 2)]
    hits = rng.choice(len(winter), min(len(winter), 8), replace=False)
    snow = {winter[i] for i in hits[:4]}
    frost = {winter[i] for i in hits[4:]}
    out = {}
    for d in days:
        drift = DRIFT_DB / 2 * math.cos(2 * math.pi * (d - start).days / 365)
        rain = rng.uniform(0.5, 0.7) if rng.random() < 1 / 3 else 0.0
        out[d] = (WET_SNOW_DB * (d in snow) + rain, drift + FROST_DB * (d in frost))
    return out


def real_cut_shapes():
    """The real clear-cut outlines, centred on (0, 0), in metres, with their area (ha)."""
    features = json.loads(REAL_CUTS.read_text())["features"]
    shapes = []
    for f in features:
        ring = np.array(f["geometry"]["coordinates"][0] if f["geometry"]["type"] == "Polygon"
                        else f["geometry"]["coordinates"][0][0])
        shapes.append((ring - ring.mean(axis=0), f["properties"]["area_ha"]))
    return shapes


def place_cuts(rng, forest, grid, n_cuts, start, end):
    """Rasterised cut outlines inside the forest, apart from each other."""
    shapes = real_cut_shapes()
    size = forest.shape[0]
    ids = np.zeros(forest.shape, "int32")
    taken = ~ndimage.binary_erosion(forest, iterations=4, border_value=0)
    cuts = []
    areas = np.concatenate([rng.uniform(5.0, 12.0, max(1, n_cuts // 6)),
                            rng.uniform(0.4, 3.0, n_cuts)])[:n_cuts]
    first, last = start + timedelta(days=75), end - timedelta(days=75)
    for area in areas:
        ring, real_area = shapes[rng.integers(len(shapes))]
        theta = rng.uniform(0, 2 * math.pi)
        rot = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
        scaled = ring @ rot.T * math.sqrt(area / real_area)
        for _ in range(200):
            cx, cy = rng.uniform(0.1, 0.9, 2) * size * grid.res
            geom = {"type": "Polygon", "coordinates": [(scaled + [grid.x0 + cx, grid.y0 - cy])
                                                       .tolist()]}
            mask = rasterize([(geom, 1)], out_shape=forest.shape, transform=grid.transform,
                             dtype="uint8").astype(bool)
            if mask.sum() >= 40 and not (mask & taken).any():
                k = len(cuts) + 1
                ids[mask] = k
                taken |= ndimage.binary_dilation(mask, iterations=6)
                day = first + timedelta(days=int(rng.integers((last - first).days)))
                cuts.append(dict(id=k, date=day,
                                 area_ha=round(mask.sum() * grid.res ** 2 / 1e4, 3)))
                break
    return ids, cuts


def _cut_geometry(ids, direction, incidence, res):
    """(shadow fraction, brightened wall) of each pixel once its cut is done.
    Near range is west for ascending passes (looking east), east otherwise."""
    width = TREE_HEIGHT * math.tan(math.radians(incidence)) / res   # px
    step = 1 if direction == "ASC" else -1        # towards far range, along columns
    cut = ids > 0
    shadow = np.zeros(ids.shape, "float32")
    for d in range(int(math.ceil(width))):
        # a cut pixel d px behind a forest pixel (towards far range) is in its shadow
        behind_wall = np.roll(~cut, step * (d + 1), axis=1) & cut
        for k in range(d):
            behind_wall &= np.roll(cut, step * (k + 1), axis=1)
        shadow = np.maximum(shadow, behind_wall * min(1.0, width - d))
    wall = np.roll(cut, step, axis=1) & ~cut          # forest just after a cut
    return shadow, wall, np.roll(ids, step, axis=1)


def _mean_db(forest, ids, cuts, geometry, day, pol, wet, start):
    """Mean backscatter (dB) of every pixel on `day`."""
    season = 0.5 - 0.5 * math.cos(2 * math.pi * ((day - start).days % 365 - 60) / 365)
    lo, hi = FIELD_DB[pol]
    db = np.where(forest, FOREST_DB[pol] + 0.2 * wet, lo + (hi - lo) * season + wet)
    done = np.zeros(len(cuts) + 1, bool)
    done[1:] = [c["date"] <= day for c in cuts]
    shadow, wall, wall_ids = geometry
    cleared = done[ids]
    db = np.where(cleared, FOREST_DB[pol] + CUT_DROP_DB[pol] + 0.5 * wet, db)
    linear = 10 ** (db / 10)
    shade = shadow * cleared
    linear = linear * (1 - shade) + 10 ** ((FOREST_DB[pol] + SHADOW_DB) / 10) * shade
    bright = wall & done[wall_ids] & forest
    return np.where(bright, 10 * np.log10(linear) + BRIGHT_DB, 10 * np.log10(linear))
