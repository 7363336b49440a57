"""Irrigation's memory (issue 13): a block of the parcel series reads one
Sentinel-1 date at a time, so its memory does not grow with the number of
dates (the whole stack and its float64 sums took ~38 bytes per pixel-date,
180 MB per 480 px block of a season), and its counts are integers."""
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from rasterio.windows import Window

from chainon.core import irrigation, irrigation_features
from chainon.core.inputs import select_products
from chainon.core.irrigation import BANDS, ParcelSeries, s1_images
from chainon.core.irrigation_features import parcel_features
from chainon.core.scenes.irrigation import make_irrigation_scene
from chainon.core.sentinel1 import read_stack
from chainon.core.theia import clear_mask, read_reflectance
from chainon.core.timeseries import normalized_difference
from chainon.core.training import (polygon_raster, read_geojson, reference_from_features,
                                   to_crs)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    scene = make_irrigation_scene(tmp_path_factory.mktemp("irrigation_memory"), seed=1,
                                  size=48)
    features, crs = read_geojson(scene.parcels_path)
    labels = to_crs(reference_from_features(features, "irrigated", crs, numeric=False),
                    scene.grid.crs)
    products, start, end = select_products(scene.s2_folder, scene.start, scene.end, BANDS)
    return scene, labels, products, s1_images(scene.s1_folder, products[0].tile, start, end)


def _every(s1, k):
    """The Sentinel-1 images of every k-th day of each orbit."""
    out = {}
    for orbit, pols in s1.items():
        days = sorted({i.acquired for i in pols["vv"] + pols["vh"]})[::k]
        out[orbit] = {p: [i for i in images if i.acquired in days] for p, images in pols.items()}
    return out


def _block_peak(scene, labels, products, s1):
    series = ParcelSeries(labels, products, s1, scene.grid)
    whole = Window(0, 0, scene.grid.width, scene.grid.height)
    series._compute(whole)                       # caches warmed
    tracemalloc.start()
    series._compute(whole)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, max(len(d) for d in series.s1_days.values())


def test_block_memory_flat_in_dates(inputs):
    scene, labels, products, s1 = inputs
    all_dates, n_all = _block_peak(scene, labels, products, s1)
    third, n_third = _block_peak(scene, labels, products, _every(s1, 3))
    assert n_all >= 2.5 * n_third
    assert all_dates < 1.3 * third, f"{all_dates} B for {n_all} dates, {third} for {n_third}"


def test_series_counts_are_each_parcels_pixels_over_blocks(inputs, monkeypatch):
    """The counts (int32) are, per parcel, its clear Sentinel-2 pixels of
    each date and its valid Sentinel-1 pixels of each orbit, polarisation
    and day, and the sums theirs, whatever blocks cut the parcels (20 px
    blocks across 8 px parcels here): the same as over the whole grid."""
    scene, labels, products, s1 = inputs
    monkeypatch.setattr(irrigation, "DEFAULT_BLOCK", 20)
    series = ParcelSeries(labels, products, s1, scene.grid)
    series.accumulate(None, 1)
    ids = polygon_raster(labels, scene.grid).ravel()
    n = len(labels.values)

    def per_parcel(ok, values=None):
        return np.bincount(ids[ok] - 1, None if values is None else values[ok], n)
    for t, p in enumerate(products):
        b = {name: read_reflectance(p, name, scene.grid).ravel() for name in BANDS}
        ndvi = normalized_difference(b["B8"], b["B4"])
        ok = ((ids > 0) & clear_mask(p, scene.grid).ravel() & np.isfinite(ndvi)
              & np.isfinite(normalized_difference(b["B8A"], b["B5"]))
              & np.isfinite(normalized_difference(b["B8"], b["B11"])))
        assert (series.s2_n[t] == per_parcel(ok)).all()
        np.testing.assert_allclose(series.s2[0][t], per_parcel(ok, ndvi), rtol=1e-6, atol=1e-9)
    orbit, pols = next(iter(s1.items()))
    for j, pol in enumerate(("vv", "vh")):
        days, stack = read_stack(pols[pol], scene.grid)
        for day, image in zip(days, stack):
            k = series.s1_days[orbit].index(day)
            flat = image.ravel()
            ok = (ids > 0) & np.isfinite(flat) & (flat > 0)
            assert series.s1_n[orbit].dtype == np.int32
            assert (series.s1_n[orbit][j, k] == per_parcel(ok)).all()
            np.testing.assert_allclose(series.s1_sum[orbit][j, k], per_parcel(ok, flat),
                                       rtol=1e-6)
    assert series.s2_n.dtype == np.int32 and series.s2_n.sum() > 0
    assert (series.pixels == np.bincount(ids, minlength=n + 1)[1:]).all()


def test_training_parcels_capped_by_a_seeded_sample(inputs, tmp_path, monkeypatch):
    """Beyond MAX_TRAINING labelled parcels the models train on a seeded
    random sample of them (the forests grow ~900 bytes per training parcel:
    ~2 GB on a whole simulated tile), and the report says so; below it, on
    every one."""
    scene = inputs[0]
    features, crs = read_geojson(scene.parcels_path)
    labels = reference_from_features(features, "irrigated", crs, numeric=False)
    trained, choose = [], irrigation.choose_model
    monkeypatch.setattr(irrigation, "choose_model",
                        lambda table, classes, train, *a: trained.append(train.copy())
                        or choose(table, classes, train, *a))
    monkeypatch.setattr(irrigation, "MAX_TRAINING", 16)
    runs = [irrigation.run_irrigation(scene.s2_folder, scene.s1_folder, scene.rain_path, labels,
                                      tmp_path / str(k), workers=1) for k in range(2)]
    usable = np.isfinite(runs[0]["probability"]) & (runs[0]["classes"] >= 0)
    others = usable.copy()
    others[runs[0]["validation_parcels"]] = False
    assert others.sum() > 16 and all(t.sum() == 16 for t in trained)
    assert not (trained[0] & ~others).any() and (trained[0] == trained[1]).all()
    report = Path(runs[0]["OUTPUT_REPORT"]).read_text(encoding="utf-8")
    assert f"trained on a random sample (seeded) of 16 of the other {others.sum()}" in report
    assert irrigation.capped(others, others.sum(), 0) is others


def _plain_s2_means(series):
    """The reference: means made beside the sums, which stay."""
    seen = series.s2_n >= np.maximum(irrigation.CLEAR_SHARE * series.pixels, 1)
    n = np.maximum(series.s2_n, 1)
    return [np.where(seen, s / n, np.nan) for s in series.s2], seen


def _plain_s1_power(series, orbit):
    n = series.s1_n[orbit]
    seen = n >= np.maximum(irrigation.CLEAR_SHARE * series.pixels, 1)
    return np.where(seen, series.s1_sum[orbit] / np.maximum(n, 1), np.nan)


def test_features_from_released_sums_are_the_same_bit_for_bit(inputs, monkeypatch):
    """The means are made in place of the series' sums, which it drops (a
    tile's sums and means are not held at once), the rises without rain are
    read by groups of parcels and the features against the crop by groups
    of columns: the same table, bit for bit, as means made beside the sums
    in one group, here with groups of 5 parcels (the last one merged: 36 =
    7 x 5 + 1) and of 3 columns."""
    scene, labels, products, s1 = inputs
    features, _ = read_geojson(scene.parcels_path)
    crops = [f["properties"]["crop"] for f in features]
    rain, cells = irrigation.read_rain(scene.rain_folder, scene.start, scene.end, scene.grid)

    def table():
        series = ParcelSeries(labels, products, s1, scene.grid)
        series.accumulate(None, 1)
        cell = irrigation.parcel_cells(cells, scene.grid, series)
        return parcel_features(series, rain, cell, scene.start, scene.end, 10, crops), series
    with monkeypatch.context() as m:
        m.setattr(ParcelSeries, "s2_means", _plain_s2_means)
        m.setattr(ParcelSeries, "s1_power", _plain_s1_power)
        want, kept = table()
    monkeypatch.setattr(irrigation_features, "CHUNK_PARCELS", 5)
    monkeypatch.setattr(irrigation_features, "CROP_COLUMNS", 3)
    got, released = table()
    assert len(labels.values) == 36 and want.x.dtype == got.x.dtype == np.float32
    assert got.names == want.names and (got.source == want.source).all()
    assert np.array_equal(got.x, want.x, equal_nan=True)
    assert kept.s2 is not None and kept.s1_sum
    assert released.s2 is None and released.s2_n is None and not released.s1_sum


def test_parcel_groups_cover_every_parcel_once_never_one_alone(monkeypatch):
    monkeypatch.setattr(irrigation_features, "CHUNK_PARCELS", 5)
    for n in range(1, 23):
        groups = irrigation_features._parcel_groups(n)
        assert np.concatenate([np.arange(n)[g] for g in groups]).tolist() == list(range(n))
        assert n == 1 or min(g.stop - g.start for g in groups) > 1
