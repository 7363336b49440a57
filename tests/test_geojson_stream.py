"""The compute centre reads its GeoJSON inputs feature by feature
(training.GeoJSONFeatures): the same features, crs and errors as read_geojson,
and the same parcels, labels and references as built from its list."""
import json
import weakref
from pathlib import Path

import numpy as np
import pytest

from chainon.core import products, training
from chainon.core.crop_yield import select_parcels
from chainon.core.errors import InputError
from chainon.core.scenes.irrigation import make_irrigation_scene
from chainon.core.training import GeoJSONFeatures, read_geojson, reference_from_features

ROOT = Path(__file__).resolve().parents[1]
REAL = [ROOT / "backend" / "data" / "s2_tiles_france.geojson",
        ROOT / "resources" / "data" / "clearcut_outlines.geojson"]


def square(x, y, side=20.0):
    return [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]


def write_parcels(path, crs_first=False):
    """Null properties and geometries, a MultiPolygon, a hole, text, numbers
    as text, an empty yield; the legacy "crs" member after the features
    (unless crs_first), and other members around them."""
    props = [{"CODE_CULTU": "BTH", "RDT_DECL": 7.1, "irrigated": 1, "code": 11,
              "name": "Blé tendre d'hiver ☀"},
             None,
             {"CODE_CULTU": "BTH", "RDT_DECL": 6.0, "irrigated": 0, "code": 12},
             {"CODE_CULTU": "BTH", "RDT_DECL": "", "irrigated": None, "code": "12"},
             {"CODE_CULTU": "MIS", "RDT_DECL": None, "irrigated": "1", "code": 5.0,
              "name": "maïs \u00e9\u0301 \U0001f33d \"quoted\" \\ back"},
             {"CODE_CULTU": 3, "RDT_DECL": 12345678901234567890, "irrigated": 0, "code": 13}]
    geoms = [{"type": "Polygon", "coordinates": [square(600000.5, 6800000.25)]},
             {"type": "Polygon", "coordinates": [square(600040.0, 6800000.0)]},
             None,
             {"type": "MultiPolygon", "coordinates": [[square(600080, 6800000)],
                                                      [square(600120, 6800000, 5)]]},
             {"type": "Polygon", "coordinates": [square(600000, 6800040, 60),
                                                 square(600010, 6800050, 10)[::-1]]},
             {"type": "Polygon", "coordinates": [square(1e-7, -3.5e12)]}]
    features = json.dumps([{"type": "Feature", "properties": p, "geometry": g}
                           for p, g in zip(props, geoms)], ensure_ascii=False, indent=1)
    crs = '"crs": {"type": "name", "properties": {"name": "EPSG:2154"}}'
    text = ('{"type": "FeatureCollection", "name": "parcelles é", ' + (crs + ", " if crs_first
                                                                        else "")
            + f'"features": {features}' + ("" if crs_first else f",\n{crs}")
            + ', "bbox": [0, 1.5, 2e3, 3]}\n')
    Path(path).write_text(text, encoding="utf-8")
    return Path(path)


@pytest.fixture(params=[16, training.CHUNK], ids=["16-char chunks", "default chunks"])
def chunk(request, monkeypatch):
    monkeypatch.setattr(training, "CHUNK", request.param)


@pytest.fixture(scope="module")
def irrigation_parcels(tmp_path_factory):
    return make_irrigation_scene(tmp_path_factory.mktemp("irrigation"), size=64).parcels_path


def stream(path):
    features = GeoJSONFeatures(path)
    return list(features), features.crs


@pytest.mark.parametrize("crs_first", [False, True])
def test_features_and_crs_as_read_geojson(tmp_path, chunk, crs_first):
    path = write_parcels(tmp_path / "p.geojson", crs_first)
    assert stream(path) == read_geojson(path)
    assert stream(path)[1] == "EPSG:2154" and stream(path)[0][1]["properties"] == {}
    for path in REAL:
        assert stream(path) == read_geojson(path)
    (tmp_path / "empty.geojson").write_text('{"features":[]}')
    assert stream(tmp_path / "empty.geojson") == ([], "EPSG:4326")


@pytest.mark.parametrize("text", [
    "", "[1]", '{"type": "Feature"', '{"features": []} x', '\ufeff{"features": []}',
    '{"type": "FeatureCollection"}', '{"features": null}', '{"features": [], "crs": "x"}',
    '{"features": [{"properties": null}] "crs": 1}', '{"features": [{"a": 1} {"b": 2}]}',
    '{"features": [{"a": 1}, 3]}', '{"features": [{"a": 1e999999}, {"b": nul}]}',
    '{"features": {"a": 1}}', '{"features": [], "features": []'])
def test_unreadable_files_are_the_same_errors(tmp_path, chunk, text):
    path = tmp_path / "bad.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as legacy:
        read_geojson(path)
    with pytest.raises(InputError) as streamed:
        stream(path)
    assert str(streamed.value) == str(legacy.value)
    with pytest.raises(InputError) as missing:
        stream(tmp_path / "missing.geojson")
    assert "not a readable GeoJSON" in str(missing.value) and "No such file" in str(missing.value)


def test_features_come_before_the_file_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "CHUNK", 64)
    path = tmp_path / "tail.geojson"
    path.write_text('{"features": [{"properties": {"a": 1}, "geometry": null}, '
                    + " " * 1000 + "{broken")
    features = iter(GeoJSONFeatures(path))
    assert next(features) == {"properties": {"a": 1}, "geometry": None}
    with pytest.raises(InputError, match="not a readable GeoJSON.*Expecting property name"):
        next(features)


def same_geometries(a, b):
    keys = ("kind", "part_end", "ring_end", "point_end", "xy", "other")
    return all(getattr(a, k) == getattr(b, k) for k in keys)


def legacy_labels(path):
    """Irrigation's labels and crops as the compute centre built them from
    read_geojson's list."""
    features, crs = read_geojson(path)
    features = [f for f in features if f.get("geometry") is not None]
    labels = reference_from_features(features, products.PARCEL_IRRIGATED_FIELD, crs,
                                     numeric=False, keep_empty=True)
    crops = [f["properties"].get(products.PARCEL_CROP_FIELD) for f in features]
    return labels, crops if any(c is not None for c in crops) else None


def assert_same_labels(path):
    (labels, crops), (old, old_crops) = products._read_labels(path), legacy_labels(path)
    assert crops == old_crops and same_geometries(labels.geometries, old.geometries)
    assert (labels.crs, labels.values, labels.field) == (old.crs, old.values, old.field)


def assert_same_parcels(path, crop):
    new = products._read_parcels(path, crop)
    old = select_parcels(*read_geojson(path), products.PARCEL_CROP_FIELD if crop else None,
                         crop or None, products.PARCEL_YIELD_FIELD)
    assert new.crs == old.crs and same_geometries(new.geometries, old.geometries)
    assert np.array_equal(new.index, old.index) and new.index.dtype == old.index.dtype
    assert np.array_equal(new.declared, old.declared, equal_nan=True)
    return new


def assert_same_reference(path):
    new = products._read_reference(path)
    features, crs = read_geojson(path)
    old = reference_from_features(features, products.REFERENCE_CLASS_FIELD, crs)
    assert same_geometries(new.geometries, old.geometries)
    assert (new.crs, new.values, new.field) == (old.crs, old.values, old.field)


def test_compute_centre_inputs_as_from_read_geojson(tmp_path, chunk, crop_yield_scene,
                                                    land_cover_scene, irrigation_parcels):
    path = write_parcels(tmp_path / "p.geojson")
    parcels = assert_same_parcels(path, "BTH")
    assert list(parcels.index) == [0, 3] and parcels.crs == "EPSG:2154"
    assert np.isnan(parcels.declared[1])
    assert len(assert_same_parcels(path, "").index) == 5
    assert_same_labels(path)
    assert products._read_labels(path)[1] == ["BTH", None, "BTH", "MIS", 3]
    assert_same_reference(path)
    assert_same_parcels(crop_yield_scene.parcels_path, "BTH")
    assert_same_parcels(crop_yield_scene.parcels_path, "")
    assert_same_reference(land_cover_scene.reference_path)
    assert_same_labels(irrigation_parcels)


def test_compute_centre_errors_as_from_read_geojson(tmp_path):
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"features": []}')
    no_bth = tmp_path / "mis.geojson"
    no_bth.write_text('{"features": [{"properties": {"CODE_CULTU": "MIS", "RDT_DECL": 1}, '
                      '"geometry": null}]}')
    no_field = tmp_path / "field.geojson"
    no_field.write_text('{"features": [{"properties": {"RDT_DECL": 1}, "geometry": null}]}')
    for path, crop in ((empty, "BTH"), (no_bth, "BTH"), (no_field, "BTH"), (no_bth, "")):
        with pytest.raises(InputError) as old:
            select_parcels(*read_geojson(path), products.PARCEL_CROP_FIELD if crop else None,
                           crop or None, products.PARCEL_YIELD_FIELD)
        with pytest.raises(InputError) as new:
            products._read_parcels(path, crop)
        assert str(new.value) == str(old.value)
    for path in (empty, no_field):
        with pytest.raises(InputError) as old:
            legacy_labels(path)
        with pytest.raises(InputError) as new:
            products._read_labels(path)
        assert str(new.value) == str(old.value)


class Feature(dict):
    """A feature dict whose life a weak reference follows."""


class Watched(GeoJSONFeatures):
    """Fails when a feature is still alive two features later: the reader
    may hold the one it is converting, not a list of them."""

    def __iter__(self):
        refs = []
        for f in super().__iter__():
            assert all(r() is None for r in refs[:-1]), "the features read are kept"
            f = Feature(f)
            refs = refs[-1:] + [weakref.ref(f)]
            yield f
            del f


def test_the_compute_centre_does_not_keep_the_features(tmp_path, monkeypatch):
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps({"features": [
        {"properties": {"CODE_CULTU": "BTH", "RDT_DECL": 7.0, "irrigated": i % 2,
                        "code": 11}, "geometry": {"type": "Polygon",
                                                  "coordinates": [square(i, 0, 1)]}}
        for i in range(50)]}))
    monkeypatch.setattr(products, "GeoJSONFeatures", Watched)
    assert len(products._read_parcels(path, "BTH").index) == 50
    assert len(products._read_labels(path)[0].values) == 50
    assert len(products._read_reference(path).values) == 50
