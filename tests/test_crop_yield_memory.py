"""Crop yield's memory is flat in the block's area (issue 13): the pixel map
is predicted and the parcel features summed by chunks of pixels, never a
whole block's feature matrix at once (the ridge's float64 standardised
copies took 12 KB per pixel: 1.3 GB on one 256² px block), and the chunks
change no figure."""
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import rasterio
from scipy import ndimage

from chainon.core import crop_yield as cy
from chainon.core import yield_features as pf
from chainon.core.blocks import Progress
from chainon.core.grid import Grid
from chainon.core.inputs import processing_grid
from chainon.core.series import S2Series, feature_names, select_series
from chainon.core.training import (polygon_raster, read_geojson, reference_from_features,
                                   to_crs)
from chainon.core.yield_models import LinearYield, SLIP_FACTOR


class Recording:
    """A model that notes the most rows it was asked to predict at once."""

    def __init__(self, model):
        self.model, self.max_rows = model, 0

    def predict(self, x):
        self.max_rows = max(self.max_rows, len(x))
        return self.model.predict(x)


def _pixel_map(series, raster, model, path):
    cy.map_pixels(series, raster, model, path, 1, Progress(), 1, [])
    with rasterio.open(path) as ds:
        return ds.read(1)


def test_pixels_predicted_and_parcels_summed_by_chunks(crop_yield_scene, tmp_path,
                                                       monkeypatch):
    products, _, _, grid_dates = select_series(crop_yield_scene.s2_folder, None, None, 10)
    grid = processing_grid(products[0], None, None)
    features, crs = read_geojson(crop_yield_scene.parcels_path)
    parcels = cy.select_parcels(features, crs, "CODE_CULTU", "BTH", "RDT_DECL")
    raster = polygon_raster(parcels.reference, grid)
    n = len(parcels.index)
    with S2Series(products, grid, grid_dates, 1) as series:
        monkeypatch.setattr(pf, "PREDICT_ROWS", 10 ** 9)
        monkeypatch.setattr(pf, "SUM_COLUMNS", 10 ** 9)
        x, n_px, best = pf.parcel_features(series, raster, n, 1, Progress(), 1)
        fit = np.isfinite(parcels.declared) & (n_px > 0)
        ridge = LinearYield().fit(x[fit], parcels.declared[fit])
        whole = _pixel_map(series, raster, ridge, tmp_path / "whole.tif")
        monkeypatch.setattr(pf, "PREDICT_ROWS", 100)
        monkeypatch.setattr(pf, "SUM_COLUMNS", 7)
        chunked = pf.parcel_features(series, raster, n, 1, Progress(), 1)
        recording = Recording(ridge)
        pixels = _pixel_map(series, raster, recording, tmp_path / "chunked.tif")
    assert (whole != cy.NODATA).sum() > 10 * 100
    assert recording.max_rows <= 100
    for a, b in zip((x, n_px, best), chunked):
        np.testing.assert_array_equal(a, b)         # the same sums, bit for bit
    # the same pixels; the ridge's matrix product may round differently by chunk
    np.testing.assert_array_equal(pixels == cy.NODATA, whole == cy.NODATA)
    np.testing.assert_allclose(pixels, whole, rtol=1e-6)


class FlatSeries:
    """A stand-in for S2Series on a large grid: one grid date, features all
    ones, so that only the parcel rasters' own arrays weigh."""
    names, offsets, step_days = feature_names([0]), [0], 10

    def __init__(self, side):
        self.grid = SimpleNamespace(width=side, height=side)

    def block(self, mb=None):
        return 256

    def read(self, w, pick):
        return np.ones((len(pick), len(self.names)), "float32"), np.ones(len(pick), "uint16")


def test_parcel_features_hold_no_whole_grid_array():
    """The inner buffer of the parcels and the crop mask are applied block
    by block: no array of the grid's size is made (the whole-grid inner
    buffer and its temporaries traced 164 MB here, ~10 bytes per pixel)."""
    side = 4096
    rows = np.arange(side) // 16
    raster = (rows[:, None] * (side // 16) + rows[None, :] + 1).astype("int32")
    crop = np.ones(raster.shape, bool)
    tracemalloc.start()
    x, n_px, _ = pf.parcel_features(FlatSeries(side), raster, int(raster.max()), 1,
                                    Progress(), 1, crop)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (n_px >= 14 * 14).all() and (x[:, :len(FlatSeries.names)] == 1).all()
    assert peak < raster.nbytes / 2, f"{peak / 2 ** 20:.0f} MB traced"


def test_inner_buffer_filtered_once_per_block(monkeypatch):
    """The parcels' inner buffer (a 3 x 3 minimum and maximum filter) was
    computed twice per block: for the parcels that have an inner pixel,
    then again for the block's features."""
    side = 512                                       # 4 blocks of FlatSeries.block()
    rows = np.arange(side) // 16
    raster = (rows[:, None] * (side // 16) + rows[None, :] + 1).astype("int32")
    filtered, same_parcel = [], pf._same_parcel
    monkeypatch.setattr(pf, "_same_parcel", lambda r, w: filtered.append(w) or same_parcel(r, w))
    _, n_px, _ = pf.parcel_features(FlatSeries(side), raster, int(raster.max()), 1,
                                    Progress(), 1)
    assert (n_px >= 14 * 14).all()
    assert len(filtered) == 4


def test_inner_buffer_pass_can_be_cancelled():
    """The whole-tile pass before the features (one filter per block) stops
    at the next block when the user cancels."""
    from chainon.core.blocks import windows
    from chainon.core.errors import Cancelled
    raster = np.arange(1, 5, dtype="int32").repeat(32).reshape(8, 16)
    asked = []
    progress = Progress(is_canceled=lambda: asked.append(1) or len(asked) > 1)
    with pytest.raises(Cancelled):
        pf.parcels_with_inner(raster, 4, windows(16, 8, 4), progress)
    assert len(asked) == 2                  # the first block done, the second not begun


class PatternSeries(FlatSeries):
    """FlatSeries whose first two features tell the pixels apart: the
    pixel's flat index, and 10 (row % m)² + (col % m)², whose mean over an
    m x m parcel's interior differs from that over the whole parcel."""

    def __init__(self, side, m):
        super().__init__(side)
        self.m = m

    def read(self, w, pick):
        x, n_clear = super().read(w, pick)
        rows, cols = np.divmod(pick, w.width)
        rows, cols = rows + w.row_off, cols + w.col_off
        x[:, 0] = rows * self.grid.width + cols
        x[:, 1] = 10 * (rows % self.m) ** 2 + (cols % self.m) ** 2
        return x, n_clear


def _squares(side, m):
    cells = np.arange(side) // m
    return (cells[:, None] * (side // m) + cells[None, :] + 1).astype("int32")


def _interior_means(raster, m):
    """Each parcel's count of interior pixels (3 x 3 neighbourhood in the
    parcel, the grid's edges extended) and its mean of PatternSeries' two
    features over them, computed directly on the whole raster."""
    inner = ((ndimage.minimum_filter(raster, 3, mode="nearest") == raster)
             & (ndimage.maximum_filter(raster, 3, mode="nearest") == raster))
    rows, cols = np.nonzero(inner)
    ids, n = raster[inner] - 1, int(raster.max())
    count = np.bincount(ids, minlength=n)
    return count, [np.bincount(ids, v, n) / count
                   for v in (rows * raster.shape[1] + cols, 10 * (rows % m) ** 2 + (cols % m) ** 2)]


def test_parcel_features_compact_per_parcel():
    """Parcels within one block take their float32 mean at once; only those
    over several blocks keep float64 sums (a float64 table of every parcel
    and its float32 copy took 12 bytes per parcel-feature); the means of
    both kinds are the means of the parcel's interior pixels."""
    side, size = 1530, 3          # 260 100 parcels of 3 x 3 px, some over two blocks
    raster = _squares(side, size)
    n = int(raster.max())
    tracemalloc.start()
    x, n_px, _ = pf.parcel_features(PatternSeries(side, size), raster, n, 1, Progress(), 1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    table = n * x.shape[1] * 4                      # the float32 features themselves
    count, means = _interior_means(raster, size)
    assert x.dtype == np.float32 and (n_px == count).all() and (count == 1).mean() > 0.99
    for j, want in enumerate(means):
        np.testing.assert_array_equal(x[:, j], want.astype("float32"))
    assert (x[:, 2:len(FlatSeries.names)] == 1).all()
    assert peak < 2.5 * table, f"{peak / table:.1f} float32 tables traced"


def test_parcel_means_summed_over_blocks():
    """A parcel whose interior lies in several blocks (6 x 6 px parcels
    across 256 px blocks) takes the mean of all its interior pixels."""
    side, size = 516, 6
    raster = _squares(side, size)
    x, n_px, _ = pf.parcel_features(PatternSeries(side, size), raster, int(raster.max()), 1,
                                    Progress(), 1)
    count, means = _interior_means(raster, size)
    assert (n_px == count).all() and (count == 16).mean() > 0.95
    for j, want in enumerate(means):
        np.testing.assert_array_equal(x[:, j], want.astype("float32"))


class SmallBlocks(FlatSeries):
    """FlatSeries of 20 grid dates (282 features) in blocks of 8 px: most 6 px
    parcels lie over several blocks."""
    offsets = list(range(0, 200, 10))
    names = feature_names(offsets)

    def block(self, mb=None):
        return 8


def test_parcels_over_several_blocks_hold_sums_only_while_open():
    """The float64 sums of a parcel over several blocks are kept only until
    its last block is in: they took 8 bytes per parcel-feature for every such
    parcel (about one in eight on a full tile), and their quotient as many
    again at the end (here 4 float32 tables traced)."""
    side, size = 480, 6
    raster = _squares(side, size)
    n = int(raster.max())
    tracemalloc.start()
    x, n_px, _ = pf.parcel_features(SmallBlocks(side), raster, n, 1, Progress(), 1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    table = n * x.shape[1] * 4
    count, _ = _interior_means(raster, size)
    assert (n_px == count).all() and (x[:, :len(SmallBlocks.names)] == 1).all()
    assert peak < 1.5 * table, f"{peak / table:.1f} float32 tables traced"


def test_declared_parcels_capped_by_a_seeded_sample(crop_yield_scene, tmp_path, monkeypatch):
    """Beyond MAX_TRAINING declared parcels a seeded random sample of them is
    screened, split and trained on (a whole tile declares ~300 000: the
    screen's and the models' float64 copies grew without bound); the report
    says so, and the others are predicted, never trained on. Declarations
    typed in q/ha are set aside when drawn."""
    features, crs = read_geojson(crop_yield_scene.parcels_path)
    declared = [f for f in features if f["properties"]["RDT_DECL"]
                and f["properties"]["CODE_CULTU"] == "BTH"]
    for f in declared[::10]:
        f["properties"]["RDT_DECL"] *= 10
    parcels = cy.select_parcels(features, crs, "CODE_CULTU", "BTH", "RDT_DECL")
    trained, select = [], cy.select_model
    monkeypatch.setattr(cy, "select_model",
                        lambda x, y, *a: trained.append(len(y)) or select(x, y, *a))
    monkeypatch.setattr(cy, "MAX_TRAINING", 40)
    runs = [cy.run_crop_yield(crop_yield_scene.s2_folder, tmp_path / str(k), parcels,
                              params=cy.YieldParams(n_trees=20), workers=1) for k in range(2)]
    split = np.array([p["split"] for p in runs[0]["parcels"]])
    n_declared = sum(p["declared"] is not None and p["n_pixels"] > 0 for p in runs[0]["parcels"])
    assert n_declared > 60 and (split == "not drawn").sum() == n_declared - 40
    assert np.isin(split, ["training", "validation", "set aside"]).sum() == 40
    assert trained == [(split == "training").sum()] * 2
    assert (split == np.array([p["split"] for p in runs[1]["parcels"]])).all()
    assert [p["predicted"] for p in runs[0]["parcels"]] == [p["predicted"]
                                                            for p in runs[1]["parcels"]]
    assert all(p["predicted"] is not None for p in runs[0]["parcels"] if p["n_pixels"])
    slipped = np.array([p["declared"] is not None and p["declared"] > SLIP_FACTOR * 8
                        for p in runs[0]["parcels"]])
    assert set(split[slipped]) == {"set aside", "not drawn"}
    assert (split == "set aside").sum() == (slipped & (split != "not drawn")).sum()
    report = open(runs[0]["OUTPUT_REPORT"], encoding="utf-8").read()
    assert (f"Declared parcels: 40 (a random sample, seeded, of the {n_declared} with clear "
            f"pixels: a memory bound; the others are predicted, not trained on") in report


def test_selected_parcels_hold_their_geometries_compactly():
    """The parcels keep their geometries as coordinate arrays, not the
    layer's GeoJSON dicts (~1.5 KB per parcel: 0.7 GB for a tile's 470 000
    parcels, held the whole run), and rasterise the same."""
    n = 20000

    def features():
        for i in range(n):
            x, y = 500000.0 + 160 * (i % 100), 4800000.0 + 160 * (i // 100)
            ring = [[x, y], [x + 160, y], [x + 160, y + 160], [x, y + 160], [x, y]]
            yield {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                   "properties": {"CODE_CULTU": "BTH", "RDT_DECL": 7.0}}
    tracemalloc.start()
    parcels = cy.select_parcels(features(), "EPSG:32631", "CODE_CULTU", "BTH", "RDT_DECL")
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert held < 300 * n, f"{held / n:.0f} bytes per parcel"
    grid = Grid("EPSG:32631", 500000.0, 4832000.0, 160.0, 100, 200)
    dicts = cy.Parcels("EPSG:32631", [f["geometry"] for f in features()], parcels.index,
                       parcels.declared)
    np.testing.assert_array_equal(polygon_raster(parcels.reference, grid),
                                  polygon_raster(dicts.reference, grid))


def _aggregate_whole_grid(raster, predicted, units, grid):
    """The units' aggregation as it was: per-pixel arrays of the whole grid."""
    unit_raster = polygon_raster(to_crs(units, grid.crs), grid)
    both = (raster > 0) & (unit_raster > 0)
    pid, uid = raster[both] - 1, unit_raster[both] - 1
    ok = np.isfinite(predicted[pid])
    n = len(units.values)
    count = np.bincount(uid[ok], minlength=n)
    total = np.bincount(uid[ok], weights=predicted[pid][ok], minlength=n)
    return count, total, [len(np.unique(pid[ok][uid[ok] == u])) for u in range(n)]


def test_units_aggregated_strip_by_strip():
    """The units are rasterised and summed strip by strip: no per-pixel array
    of the whole grid (the unit raster and its copies traced ~30 bytes per
    pixel: 0.9 GB on a tile); the same areas and parcel counts, the unit
    means within 1e-12 (summed per parcel, no longer pixel by pixel)."""
    from chainon.core.scenes.crop_yield import _units
    side = 2048
    raster = _squares(side, 16)
    raster[:, :100] = 0                              # pixels of no parcel
    grid = Grid("EPSG:32631", 300000.0, 4900000.0, 20.0, side, side)
    units = reference_from_features(_units(grid, raster.shape), "code", grid.crs,
                                    numeric=False)
    predicted = np.random.default_rng(0).uniform(4, 9, int(raster.max()))
    predicted[::7] = np.nan                          # parcels without a prediction
    tracemalloc.start()
    rows = cy.aggregate(raster, predicted, units, grid)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    count, total, n_parcels = _aggregate_whole_grid(raster, predicted, units, grid)
    assert [r["n_parcels"] for r in rows] == n_parcels and min(n_parcels) > 1000
    assert [r["area_ha"] for r in rows] == list(count * grid.res ** 2 / 1e4)
    np.testing.assert_allclose([r["predicted"] for r in rows], total / count, rtol=1e-12)
    assert peak < raster.nbytes / 2, f"{peak / raster.nbytes:.2f} rasters traced"


def test_parcel_features_wait_on_disk_and_come_back_bit_for_bit(crop_yield_scene, tmp_path,
                                                               monkeypatch):
    """The run's parcel features are written to a temporary file as each
    parcel completes and read back for the training and the predictions:
    those are the model's on the features, and the file leaves nothing."""
    features, crs = read_geojson(crop_yield_scene.parcels_path)
    parcels = cy.select_parcels(features, crs, "CODE_CULTU", "BTH", "RDT_DECL")
    tables, parcel_features = [], cy.parcel_features

    def keep(*a, **k):
        out = parcel_features(*a, **k)
        tables.extend([out[0].take(np.arange(len(out[1]))), out[1]])
        return out
    monkeypatch.setattr(cy, "parcel_features", keep)
    result = cy.run_crop_yield(crop_yield_scene.s2_folder, tmp_path, parcels,
                               params=cy.YieldParams(n_trees=20), workers=1)
    x, n_px = tables
    model = cy.load_model(result["OUTPUT_MODEL"], "crop_yield")["models"][None]
    seen = n_px > 0
    assert (np.array([p["predicted"] for p in result["parcels"]])[seen]
            == model.predict(x[seen])).all()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        Path(result[k]).name for k in ("OUTPUT_MODEL", "OUTPUT_REPORT"))


class WidePattern(PatternSeries):
    """PatternSeries of 20 grid dates (282 features) in blocks of 64 px."""
    offsets = list(range(0, 200, 10))
    names = feature_names(offsets)

    def block(self, mb=None):
        return 64


def test_parcel_table_never_in_memory(tmp_path):
    """Written into a ParcelTable, the features of 65 536 parcels are never
    held at once (the whole float32 table was: 1 GB for a tile's 470 000
    parcels), and read back as the in-memory table, bit for bit."""
    side, size = 768, 3
    raster = _squares(side, size)
    n = int(raster.max())
    want, n_px, _ = pf.parcel_features(WidePattern(side, size), raster, n, 1, Progress(), 1)
    with pf.ParcelTable(n, want.shape[1], tmp_path) as table:
        tracemalloc.start()
        _, n_px2, _ = pf.parcel_features(WidePattern(side, size), raster, n, 1, Progress(), 1,
                                         out=table)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        np.testing.assert_array_equal(table.take(np.arange(n)), want)
        np.testing.assert_array_equal(table.take([5, 3, n - 1]), want[[5, 3, n - 1]])
    assert (n_px2 == n_px).all() and not any(tmp_path.iterdir())
    assert peak < 0.25 * want.nbytes, f"{peak / want.nbytes:.2f} float32 tables traced"
