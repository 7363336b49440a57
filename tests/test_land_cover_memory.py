"""Land cover's memory (issue 13): the training features, its largest array
(up to 12 classes x 2 sides x 10 000 samples x 481 float32 features), are
held once, and nothing is rasterised over the whole tile."""
import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from chainon.core import land_cover, training
from chainon.core.blocks import Progress
from chainon.core.inputs import processing_grid
from chainon.core.land_cover import (LandCoverParams, _compact, _sample_regions, _vote_rows,
                                     region_raster)
from chainon.core.series import S2Series, select_series
from chainon.core.training import (draw_samples, polygon_strips, read_geojson,
                                   reference_from_features, vote)

MIN_CLEAR = 30      # drops a few sample pixels of the 144 px scene


def layer(path, field, numeric=True):
    features, crs = read_geojson(path)
    return reference_from_features(features, field, crs, numeric=numeric)


def test_training_features_are_held_once(land_cover_scene, tmp_path, monkeypatch):
    """Every forest and every validation vote gets a slice of the extracted
    features, not a copy (stratified, and some samples seen clear too
    rarely so that they are dropped)."""
    scene, seen = land_cover_scene, {"fit": [], "vote": []}
    real_extract, real_fit, real_vote = land_cover.extract, land_cover.fit_classifier, land_cover.vote

    def extract(*a, **k):
        seen["x"], n_clear = real_extract(*a, **k)
        seen["dropped"] = int((n_clear < MIN_CLEAR).sum())
        return seen["x"], n_clear

    def fit(x, *a, **k):
        seen["fit"].append(np.shares_memory(x, seen["x"]))
        return real_fit(x, *a, **k)

    def spy_vote(rf, x):
        seen["vote"].append(np.shares_memory(x, seen["x"]))
        return real_vote(rf, x)
    monkeypatch.setattr(land_cover, "extract", extract)
    monkeypatch.setattr(land_cover, "fit_classifier", fit)
    monkeypatch.setattr(land_cover, "vote", spy_vote)
    products, _, _, grid_dates = select_series(scene.s2_folder, None, None, 10)
    with S2Series(products, processing_grid(products[0], None, None), grid_dates) as series:
        params = LandCoverParams(max_samples=200, min_clear=MIN_CLEAR)
        paths = {"OUTPUT": tmp_path / "map.tif", "OUTPUT_MODEL": tmp_path / "model.joblib"}
        bundle, facts = land_cover.train(series, layer(scene.reference_path, "code"),
                                         layer(scene.regions_path, "region", numeric=False),
                                         params, paths, Progress(), 1, [])
    assert seen["dropped"] > 0 and len(bundle["models"]) == 2
    assert seen["fit"] == [True, True]
    assert seen["vote"] == [True, True]


def test_compact_is_boolean_indexing_in_place():
    rng = np.random.default_rng(0)
    for n, share in ((10, 1.0), (10, 0.0), (23, 0.5), (24, 0.9)):
        x = rng.random((n, 4)).astype("float32")
        keep = rng.random(n) < share
        expected = x[keep]
        got = _compact(x, keep, rows=3)         # chunks of 3 rows: partial last chunk
        assert np.array_equal(got, expected) and (got is x or got.base is x)   # no new array


def test_sample_regions_strip_by_strip(land_cover_scene, monkeypatch):
    """Regions of the samples as the whole-grid raster gives them, read in
    strips of a few rows; a region's polygons share one index."""
    scene = land_cover_scene
    monkeypatch.setattr(training, "DEFAULT_BLOCK", 32)
    ref, regions = layer(scene.reference_path, "code"), layer(scene.regions_path, "region",
                                                             numeric=False)
    grid = scene.grid
    codes = np.asarray(ref.values, "int64")
    samples = draw_samples(polygon_strips(ref, grid), codes, np.zeros(len(codes), bool), 10 ** 6,
                           0, width=grid.width)
    index, keys = _sample_regions(regions, grid, samples)
    raster, whole_keys = region_raster(regions, grid)
    assert list(keys[index]) == list(whole_keys[raster.reshape(-1)[samples.flat]])
    assert len(keys) == len(set(keys.tolist())) and keys[0] is None
    assert len(np.unique(index)) == len(set(keys[index].tolist())) >= 2


@pytest.mark.parametrize("chunk", [7, 1000])
def test_vote_by_chunks_of_rows_is_the_vote_of_the_rows(chunk):
    rng = np.random.default_rng(1)
    x = rng.random((300, 5)).astype("float32")
    rf = RandomForestClassifier(n_estimators=5, random_state=0).fit(x, (x[:, 0] > 0.5) + 1)
    rows = np.flatnonzero(rng.random(300) < 0.6)
    label, conf = _vote_rows(rf, x, rows, chunk)
    expected = vote(rf, x[rows])
    assert np.array_equal(label, expected[0]) and np.array_equal(conf, expected[1])
