"""Crop yield scenario: the land cover scenario's farmed landscape, half of
it winter wheat, with the yield of every wheat parcel known.

Truth model: a wheat parcel's yield grows with its green area duration, the
integral of its green cover from January to harvest (set by the parcel's
vigour, calendar and within-parcel growth), plus 4 % of unexplained
variation (soil, disease, grain filling): yield = (1 + 0.075 G) (1 + e)
t/ha with G in days. 70 % of the wheat parcels declare their yield (to 0.1
t/ha). The official yield of each of six administrative units is the
area-weighted mean of the true yields of its wheat parcels. The parcels' OSO
classes are written too, as land-cover reference polygons and a land-cover
raster, so that a land cover trained on the same series gives the crop mask.
"""
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from ..simulate import write_raster
from ..training import write_geojson
from .land_cover import (fractions, layout, rectangle, reference_feature, room, vigour_texture,
                         write_series)
from .common import RES, acquisition_times, tile_grid

RPG_CODES = {6: "BTH", 10: "MIS", 13: "PPH", 5: "CZH", 9: "TRN"}   # RPG crop codes
LANDSCAPE = (6, 6, 6, 6, 6, 10, 10, 13, 5, 9)                     # half winter wheat
UNIT_CODES = ("31", "32", "09", "11", "81", "82")                 # 3 x 2 units
WHEAT = 6
NOISE = 0.04
NODATA = -9999.0


@dataclass
class CropYieldScene:
    s2_folder: Path
    parcels_path: Path      # GeoJSON: ID_PARCEL, CODE_CULTU, RDT_DECL (t/ha or null)
    units_path: Path        # GeoJSON: code, name
    statistics_path: Path   # CSV code,yield: official yield per unit
    truth_path: Path        # CSV parcel,crop,yield,declared,area_ha
    truth_dir: Path
    dem_path: Path
    dates: list
    grid: object
    start: date
    end: date
    true_yield: dict        # ID_PARCEL -> t/ha (wheat)
    reference_path: Path    # GeoJSON: every parcel's OSO class (code), to train a land cover
    land_cover_path: Path   # uint8 OSO class of every pixel


def make_crop_yield_scene(out_dir, seed=0, size=192, year=2018, tile="31TCJ",
                          revisit_days=5, origin=None, parcel_px=(50, 150),
                          declared_share=0.7) -> CropYieldScene:
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    s2_folder, truth_dir = out_dir / "S2", out_dir / "truth"
    s2_folder.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    grid = tile_grid(tile, size, origin or (300000.0, 4900020.0))
    shape = (size, size)
    ids, parcels = layout(rng, shape, parcel_px, list(LANDSCAPE))
    vigour = vigour_texture(rng, shape)
    truth = true_yields(rng, ids, parcels, vigour)
    declared = {pid: round(y, 1) for pid, y in truth.items() if rng.random() < declared_share}
    dates = acquisition_times(rng, date(year, 1, 1), date(year, 12, 31), revisit_days)
    write_series(rng, s2_folder, tile, grid, ids, parcels, dates, year, vigour=vigour)
    dem_path = write_raster(out_dir / "dem_20m.tif", np.full(shape, 180, np.float32), grid)
    parcels_path = write_geojson(out_dir / "parcels.geojson", [
        {"type": "Feature", "geometry": rectangle(grid, p.rows, p.cols),
         "properties": {"ID_PARCEL": p.id, "CODE_CULTU": RPG_CODES[p.code],
                        "RDT_DECL": declared.get(p.id)}} for p in parcels], grid.crs)
    unit_of = _unit_raster(shape)
    units_path = write_geojson(out_dir / "units.geojson", _units(grid, shape), grid.crs)
    statistics_path = out_dir / "statistics.csv"
    _write_statistics(statistics_path, ids, unit_of, truth)
    yield_map = np.full(shape, NODATA, np.float32)
    for pid, y in truth.items():
        yield_map[ids == pid] = y
    write_raster(truth_dir / "YIELD_TRUTH.tif", yield_map, grid, NODATA)
    reference_path = write_geojson(out_dir / "reference.geojson",
                                   [reference_feature(p, grid) for p in parcels], grid.crs)
    land_cover_path = write_raster(truth_dir / "LAND_COVER_TRUTH.tif", np.array(
        [0] + [p.code for p in parcels], np.uint8)[ids], grid, 0)
    truth_path = truth_dir / "parcel_yields.csv"
    truth_path.write_text("parcel,crop,yield,declared,area_ha\n" + "".join(
        f"{p.id},{RPG_CODES[p.code]},{truth[p.id]:.4f},{declared.get(p.id, '')},"
        f"{(ids == p.id).sum() * RES ** 2 / 1e4:.2f}\n" for p in parcels if p.id in truth),
        encoding="utf-8")
    _write_readme(truth_dir, seed, size, tile, year, len(dates), len(truth), len(declared))
    return CropYieldScene(s2_folder, parcels_path, units_path, statistics_path, truth_path,
                          truth_dir, dem_path, dates, grid, date(year, 1, 1),
                          date(year, 12, 31), truth, reference_path, land_cover_path)


def true_yields(rng, ids, parcels, vigour):
    """Yield (t/ha) of every wheat parcel from its green area duration."""
    days = np.arange(0, 241)
    mean_vigour = np.bincount(ids.reshape(-1), weights=vigour.reshape(-1)) / np.maximum(
        np.bincount(ids.reshape(-1)), 1)
    out = {}
    for p in parcels:
        if p.code != WHEAT:
            continue
        f = fractions(p, days)
        # the within-parcel vigour adds green where soil shows, as in the reflectances
        green_days = (f["crop"] * (1 + mean_vigour[p.id] * room(f))).sum()
        out[p.id] = float((1 + 0.075 * green_days) * (1 + rng.normal(0, NOISE)))
    return out


def _unit_raster(shape):
    rows = (np.arange(shape[0]) * 2 // shape[0])[:, None]
    cols = (np.arange(shape[1]) * 3 // shape[1])[None, :]
    return (rows * 3 + cols).astype(np.int32)


def _units(grid, shape):
    feats = []
    for k, code in enumerate(UNIT_CODES):
        r, c = divmod(k, 3)
        rows = slice(-(-r * shape[0] // 2), -(-(r + 1) * shape[0] // 2))
        cols = slice(-(-c * shape[1] // 3), -(-(c + 1) * shape[1] // 3))
        feats.append({"type": "Feature", "geometry": rectangle(grid, rows, cols),
                      "properties": {"code": code, "name": f"Unit {code}"}})
    return feats


def _write_statistics(path, ids, unit_of, truth):
    """Area-weighted mean true yield of the wheat parcels of every unit."""
    lines = ["code,yield"]
    for k, code in enumerate(UNIT_CODES):
        pids = ids[(unit_of == k) & np.isin(ids, list(truth))]
        if pids.size:
            lines.append(f"{code},{np.mean([truth[p] for p in pids]):.3f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_readme(truth_dir, seed, size, tile, year, n_dates, n_wheat, n_declared):
    (truth_dir / "README.txt").write_text(f"""\
SYNTHETIC DATA - generated by the Chaînon scene simulator (core/scenes/crop_yield.py).
Not real Sentinel-2 observations nor real yields.

Parameters: seed={seed}, size={size} px at {RES:g} m, tile T{tile}, year {year},
{n_dates} acquisitions; {n_wheat} winter wheat parcels (CODE_CULTU = BTH), {n_declared}
with a declared yield (RDT_DECL, t/ha, rounded to 0.1).
Truth: yield = (1 + 0.075 G) (1 + e) t/ha, G = green area duration (days of full
green cover from January to harvest, including within-parcel growth), e ~ N(0, {NOISE:g}).
parcel_yields.csv: true yield of every wheat parcel; YIELD_TRUTH.tif: per pixel.
../statistics.csv: official yield per unit = area-weighted mean true yield of its
wheat parcels; ../units.geojson: the six units (field code).
../reference.geojson: every parcel with its OSO land-cover class (field code);
LAND_COVER_TRUTH.tif: OSO class of every pixel (5 rapeseed, 6 straw cereals,
9 sunflower, 10 maize, 13 grasslands).
""", encoding="utf-8")
