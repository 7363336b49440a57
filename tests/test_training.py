"""Training tools: rasterised references, the split by polygon, the sample
cap, the metrics, hard votes, model bundles and their checks."""
import numpy as np
import pytest

from chainon.core.errors import InputError
from chainon.core.geometries import Geometries
from chainon.core.grid import Grid
from chainon.core.training import (Reference, check_model_fits, class_codes, read_geojson,
                                   classification_scores, draw_samples, load_model,
                                   polygon_pixels, polygon_raster, polygon_strips,
                                   reference_from_features, regression_scores, save_model,
                                   split_polygons, vote)

GRID = Grid("EPSG:32631", 300000.0, 4900020.0, 20.0, 60, 40)


def square(x, y, size):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y - size],
                                                [x, y - size], [x, y]]]}


def test_polygon_raster_pixel_centres_and_reprojection():
    from rasterio.warp import transform_geom
    inside = square(300000.0 + 100, 4900020.0 - 100, 200)            # 10 x 10 px
    lonlat = transform_geom("EPSG:32631", "EPSG:4326", square(300000.0 + 600, 4900020.0 - 100,
                                                               100))
    ref = Reference("EPSG:32631", [inside], [5], "code")
    raster = polygon_raster(ref, GRID)
    assert (raster == 1).sum() == 100 and raster[5:15, 5:15].all()
    wgs = polygon_raster(Reference("EPSG:4326", [lonlat], [7], "code"), GRID)
    assert abs(int((wgs == 1).sum()) - 25) <= 3                      # 5 x 5 px after warping


def test_split_is_by_polygon_per_class_and_seeded():
    labels = np.repeat([1, 2, 3], [10, 4, 1])
    present = np.ones(len(labels), bool)
    val = split_polygons(labels, present, 0.3, seed=4)
    assert val[labels == 1].sum() == 3 and val[labels == 2].sum() == 1
    assert not val[labels == 3].any()              # a lone polygon only trains
    assert (split_polygons(labels, present, 0.3, seed=4) == val).all()
    assert (split_polygons(labels, present, 0.3, seed=5) != val).any()


def test_samples_never_mix_a_polygon_and_respect_the_cap():
    rng = np.random.default_rng(0)
    raster = rng.integers(0, 21, size=(50, 50)).astype("int32")    # 20 "polygons"
    labels = np.arange(20) % 2 + 1
    val = split_polygons(labels, np.ones(20, bool), 0.3, seed=1)
    s = draw_samples(raster, labels, val, cap=200, seed=1)
    assert not set(s.poly[s.validation]) & set(s.poly[~s.validation])
    for lab in (1, 2):
        for side in (False, True):
            assert ((s.label == lab) & (s.validation == side)).sum() <= 200
    assert (np.diff(s.flat) > 0).all()
    assert (labels[s.poly] == s.label).all() and (raster.reshape(-1)[s.flat] == s.poly + 1).all()


def test_compact_geometries_read_back_as_given():
    given = [{"type": "Point", "coordinates": [1.0, 2.0]},
             {"type": "MultiPoint", "coordinates": [[1.0, 2.0], [3.0, 4.0]]},
             {"type": "MultiLineString", "coordinates": [[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0],
                                                                                  [7.0, 8.0]]]},
             square(10.0, 20.0, 5.0),
             {"type": "GeometryCollection", "geometries": [square(0.0, 0.0, 1.0)]},
             {"type": "MultiPolygon", "coordinates": [square(0.0, 9.0, 1.0)["coordinates"],
                                                      square(4.0, 4.0, 2.0)["coordinates"]]}]
    geoms = Geometries(given)
    assert list(geoms) == given and geoms[-1] == given[-1]
    assert geoms.bounds()[3].tolist() == [10.0, 15.0, 15.0, 20.0]
    assert geoms.bounds()[5].tolist() == [0.0, 2.0, 6.0, 9.0]
    assert np.isinf(geoms.bounds()[4]).all()             # kept as given: always a candidate


def test_strips_and_their_draw_match_the_whole_raster():
    rng = np.random.default_rng(3)
    corners = rng.uniform([300000.0, 4899300.0], [301300.0, 4900100.0], (60, 2))
    ref = Reference("EPSG:32631", [square(x, y, s) for (x, y), s in
                                   zip(corners, rng.uniform(20, 300, 60))], list(range(60)), "c")
    raster = polygon_raster(ref, GRID)
    strips = list(polygon_strips(ref, GRID, rows=7))
    assert [row for row, _ in strips] == list(range(0, GRID.height, 7))
    assert (np.concatenate([s for _, s in strips]) == raster).all()
    assert (polygon_pixels(ref, GRID) == np.bincount(raster.ravel(), minlength=61)[1:]).all()
    labels, val = np.arange(60) % 2, np.arange(60) % 3 == 0
    whole = draw_samples(raster, labels, val, cap=150, seed=2)
    cut = draw_samples(polygon_strips(ref, GRID, rows=5), labels, val, 150, 2, width=GRID.width)
    assert (whole.flat == cut.flat).all() and (whole.poly == cut.poly).all()
    assert (draw_samples(raster, labels, val, 150, seed=3).flat != whole.flat).any()


def test_scores_on_a_known_confusion_matrix():
    cm = np.array([[45, 5], [10, 40]])
    s = classification_scores(cm)
    assert s["overall_accuracy"] == pytest.approx(0.85)
    expected = (50 * 55 + 50 * 45) / 100 ** 2            # chance agreement 0.5
    assert s["kappa"] == pytest.approx((0.85 - expected) / (1 - expected))
    assert s["producer"][0] == pytest.approx(0.9) and s["user"][0] == pytest.approx(45 / 55)
    r = regression_scores([2.0, 4.0, 6.0], [3.0, 4.0, 5.0])
    assert r["rmse"] == pytest.approx(np.sqrt(2 / 3)) and r["mae"] == pytest.approx(2 / 3)
    assert r["relative_rmse"] == pytest.approx(np.sqrt(2 / 3) / 4) and r["bias"] == 0


def test_reference_errors_are_actionable():
    feats = [{"geometry": square(0, 0, 1), "properties": {"code": 3, "name": "a"}}]
    with pytest.raises(InputError, match="field cls does not exist.*code, name"):
        reference_from_features(feats, "cls", "EPSG:32631")
    with pytest.raises(InputError, match="must hold numbers"):
        reference_from_features(feats, "name", "EPSG:32631")
    bad = reference_from_features([dict(feats[0], properties={"code": 300})], "code", "EPSG:1")
    with pytest.raises(InputError, match="1 to 254"):
        class_codes(bad)


def test_votes_are_the_share_of_trees():
    from sklearn.ensemble import RandomForestClassifier
    rng = np.random.default_rng(2)
    x = rng.normal(size=(300, 4)).astype("float32")
    y = np.where(x[:, 0] + 0.5 * rng.normal(size=300) > 0, 6, 13)
    rf = RandomForestClassifier(n_estimators=20, random_state=0).fit(x, y)
    label, confidence = vote(rf, x[:50])
    votes = np.array([[(rf.classes_[t.predict(x[:50]).astype(int)] == c) for c in rf.classes_]
                      for t in rf.estimators_]).sum(axis=0).T
    assert (label == rf.classes_[votes.argmax(1)]).all()
    assert (confidence == np.round(100 * votes.max(1) / 20)).all()


def test_votes_in_cache_sized_row_chunks_are_the_whole_arrays_votes(monkeypatch):
    from sklearn.ensemble import RandomForestClassifier

    from chainon.core import blocks, training
    rng = np.random.default_rng(3)
    x = rng.normal(size=(700, 6)).astype("float32")
    y = rng.choice([1, 5, 13], size=700)
    rf = RandomForestClassifier(n_estimators=15, random_state=0).fit(x, y)
    whole = vote(rf, x)
    monkeypatch.setattr(training, "cache_rows", lambda a: blocks.cache_rows(a, mb=1e-3))
    assert len(training.cache_rows(x)) == 3         # 256-row chunks
    chunked = vote(rf, x)
    assert (chunked[0] == whole[0]).all() and (chunked[1] == whole[1]).all()


def test_model_bundle_round_trip_and_checks(tmp_path):
    names = ["B2_d000", "NDVI_d000", "B2_d010", "NDVI_d010"]
    path = save_model(tmp_path / "m.joblib", "land_cover", {None: "estimator"}, names, GRID,
                      classes=[1, 2], date_offsets=[0, 10])
    bundle = load_model(path, "land_cover")
    assert bundle["feature_names"] == names and bundle["grid"]["res"] == 20.0
    assert {"chainon", "scikit_learn", "numpy"} <= set(bundle["versions"])
    check_model_fits(bundle, names, GRID)
    with pytest.raises(InputError, match="trained on 4 features.*give 2.*Missing: B2_d010"):
        check_model_fits(bundle, names[:2], GRID)
    with pytest.raises(InputError, match="10 m grid|20 m grid"):
        check_model_fits(bundle, names, GRID.at_resolution(10))
    with pytest.raises(InputError, match="trained for land_cover, not for crop_yield"):
        load_model(path, "crop_yield")
    (tmp_path / "junk.joblib").write_bytes(b"not a pickle")
    with pytest.raises(InputError, match=r"not a Chaînon model, or it is damaged \(\w+Error: "):
        load_model(tmp_path / "junk.joblib", "land_cover")


def test_geojson_with_null_properties_reads_and_a_broken_file_is_a_clear_error(tmp_path):
    good = tmp_path / "p.geojson"
    good.write_text('{"type": "FeatureCollection", "features": '
                    '[{"type": "Feature", "properties": null, "geometry": null}]}')
    features, crs = read_geojson(good)
    assert features[0]["properties"] == {} and crs == "EPSG:4326"
    bad = tmp_path / "b.geojson"
    bad.write_text('{"type": "Feature"')
    with pytest.raises(InputError, match="not a readable GeoJSON"):
        read_geojson(bad)
