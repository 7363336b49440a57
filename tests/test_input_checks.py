"""Inputs that used to pass for results: an extent without area, two outputs
on one file, vector outputs in folders not made yet, radar series with no
valid value or in the wrong unit (found by an audit of every algorithm)."""
from pathlib import Path

import numpy as np
import pytest
import rasterio

from chainon.core.errors import InputError
from chainon.core.forest_cuts import CutParams, ForestSource, run_forest_cuts
from chainon.core.scenes.forest_cuts import make_forest_cut_scene
from chainon.core.scenes.snow import make_snow_scene


@pytest.fixture(scope="module")
def snow_scene(tmp_path_factory):
    return make_snow_scene(tmp_path_factory.mktemp("snow") / "scene", seed=0, size=32)


@pytest.fixture(scope="module")
def cut_scene(tmp_path_factory):
    return make_forest_cut_scene(tmp_path_factory.mktemp("cuts") / "scene", seed=1, size=48,
                                 years=1, n_cuts=3)


def _snow(scene, out, **extra):
    return {"S2_FOLDER": str(scene.s2_folder), "DEM": str(scene.dem_path),
            "OUTPUT_FOLDER": str(out / "maps"), "OUTPUT": str(out / "scd.tif"), **extra}


def _refused(algorithm, params, *words):
    import processing
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException) as err:
        processing.run(algorithm, params)
    for w in words:
        assert w in str(err.value), str(err.value)
    return str(err.value)


def test_an_extent_without_area_is_refused(provider, snow_scene, tmp_path):
    """A point or a line drawn as EXTENT used to process the whole tile."""
    with rasterio.open(snow_scene.dem_path) as ds:
        x, y = ds.xy(10, 10)
    for extent in (f"{x},{x},{y},{y} [{ds.crs}]", f"{x},{x + 200},{y},{y} [{ds.crs}]"):
        _refused("chainon:snow_cover", _snow(snow_scene, tmp_path, EXTENT=extent), "no area")
    assert not (tmp_path / "scd.tif").exists() and not (tmp_path / "maps").exists()


def test_two_outputs_on_one_file_are_refused(provider, snow_scene, tmp_path):
    params = _snow(snow_scene, tmp_path, OUTPUT_NOBS=str(tmp_path / "scd.tif"))
    _refused("chainon:snow_cover", params, "OUTPUT_NOBS", "OUTPUT", "its own file")
    assert not list(tmp_path.rglob("*.tif"))


def test_outputs_as_the_dialog_gives_them(provider, snow_scene, tmp_path, monkeypatch):
    """The dialog and runAndLoadResults hand outputs over as layer
    definitions, whose path PyQGIS returns as a (text, ok) pair: it was
    checked as the text "('/path', True)", which made a folder named "('"
    in the working directory and let two outputs share one file."""
    from qgis.core import QgsProcessingOutputLayerDefinition, QgsProject
    monkeypatch.chdir(tmp_path)
    shared = QgsProcessingOutputLayerDefinition(str(tmp_path / "new" / "scd.tif"),
                                                QgsProject.instance())
    params = _snow(snow_scene, tmp_path, OUTPUT=shared, OUTPUT_NOBS=str(tmp_path / "new" /
                                                                         "scd.tif"))
    _refused("chainon:snow_cover", params, "OUTPUT_NOBS", "OUTPUT", "its own file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new"]


def test_outputs_go_to_folders_not_made_yet(provider, cut_scene, tmp_path):
    """Raster outputs made their folders, vector ones did not: the run
    failed at its very end, leaving the raster behind."""
    import processing
    result = processing.run("chainon:forest_cuts", {
        "S1_FOLDER": str(cut_scene.s1_folder), "FOREST_MASK": str(cut_scene.forest_mask),
        "OUTPUT": str(tmp_path / "new" / "cuts.tif"),
        "OUTPUT_POLYGONS": str(tmp_path / "other" / "deep" / "cuts.gpkg")})
    assert Path(result["OUTPUT"]).exists() and Path(result["OUTPUT_POLYGONS"]).exists()


def _rewritten(scene, folder, convert):
    """A copy of the scene's Sentinel-1 files, every value converted."""
    folder.mkdir()
    for path in Path(scene.s1_folder).glob("*.tif"):
        with rasterio.open(path) as ds:
            profile, values = ds.profile, ds.read(1)
        with rasterio.open(folder / path.name, "w", **profile) as out:
            out.write(convert(values).astype(profile["dtype"]), 1)
    return folder


def test_radar_series_in_the_wrong_unit_or_empty_are_refused(cut_scene, tmp_path):
    """Each used to give a forest without a single cut."""
    forest = ForestSource(mask=str(cut_scene.forest_mask))
    nodata = _rewritten(cut_scene, tmp_path / "nodata", np.zeros_like)
    db = _rewritten(cut_scene, tmp_path / "db",
                    lambda v: np.where(v > 0, 10 * np.log10(np.maximum(v, 1e-6)), 0))
    cases = [(nodata, False, "no valid value"), (db, False, "looks like dB"),
             (cut_scene.s1_folder, True, "linear power")]
    for folder, in_db, words in cases:
        with pytest.raises(InputError, match=words):
            run_forest_cuts(folder, forest, tmp_path / "cuts.tif", params=CutParams(db=in_db),
                            workers=1)
        assert not list(tmp_path.glob("cuts*"))
    run_forest_cuts(db, forest, tmp_path / "cuts.tif", params=CutParams(db=True), workers=1)


def test_a_class_map_given_as_a_mask_is_refused(cut_scene, tmp_path):
    """Every non-zero pixel of a mask counts: a land-cover map given as the
    grassland or forest mask made crops and towns grassland or forest."""
    from chainon.core.mowing_date import Grassland, run_mowing_date
    from chainon.core.scenes.mowing import make_mowing_scene
    meadows = make_mowing_scene(tmp_path / "meadows", seed=0, size=24)
    with pytest.raises(InputError, match="class map"):
        run_mowing_date(meadows.s2_folder, tmp_path / "mow", Grassland(mask=meadows.land_cover),
                        workers=1)
    with rasterio.open(cut_scene.forest_mask) as ds:
        profile, forest = ds.profile, ds.read(1)
    classes = tmp_path / "classes.tif"
    with rasterio.open(classes, "w", **profile) as out:          # forest 17, the rest 5
        out.write(np.where(forest > 0, 17, 5).astype(profile["dtype"]), 1)
    with pytest.raises(InputError, match="class map"):
        run_forest_cuts(cut_scene.s1_folder, ForestSource(mask=str(classes)),
                        tmp_path / "cuts.tif", workers=1)
    assert not list(tmp_path.glob("cuts*")) and not list((tmp_path / "mow").glob("*.tif"))


def test_the_shipped_models_ask_for_a_scene_size_the_simulators_can_make(provider):
    """Below 24 px sample_data refuses; the models said only "Error encountered"."""
    from qgis.core import QgsApplication, QgsProcessingModelAlgorithm
    registry = QgsApplication.processingRegistry()
    models = [a for a in provider.algorithms() if isinstance(a, QgsProcessingModelAlgorithm)
              and a.parameterDefinition("size") is not None]
    assert len(models) == 4
    for model in models:
        size = model.parameterDefinition("size")
        floor = registry.algorithmById("chainon:sample_data").parameterDefinition("SIZE")
        assert (size.minimum(), size.maximum()) == (floor.minimum(), floor.maximum()), model.id()


def test_polygon_layers_that_are_empty_or_points_are_named_so(provider, snow_scene, tmp_path):
    """An empty file was said to lack a coordinate system; points passed."""
    import json
    empty, points = tmp_path / "empty.geojson", tmp_path / "points.geojson"
    empty.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    points.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point",
                                                           "coordinates": [6.5, 45.0]}}]}))
    _refused("chainon:snow_cover", _snow(snow_scene, tmp_path, WATER_POLYGONS=str(empty)),
             "holds no feature")
    _refused("chainon:snow_cover", _snow(snow_scene, tmp_path, WATER_POLYGONS=str(points)),
             "point geometries where polygons")


@pytest.mark.parametrize("algorithm,name,value", [
    ("chainon:snow_cover", "NDSI_PASS1", 5.0), ("chainon:snow_cover", "RED_PASS2", 1.5),
    ("chainon:snow_cover", "DZ", 0.0), ("chainon:mowing_date", "RELATIVE_DROP", 1.5),
    ("chainon:land_cover", "VALIDATION_SHARE", 1.0),
    ("chainon:crop_yield", "VALIDATION_SHARE", 1.0),
    ("chainon:forest_height", "VALIDATION_SHARE", 1.0)])
def test_thresholds_outside_their_range_are_refused(provider, algorithm, name, value):
    """An NDSI threshold of 5 used to map no snow anywhere, a validation share
    of 1 left nothing to train on, a 0 m elevation band divided by zero."""
    from qgis.core import QgsApplication
    param = QgsApplication.processingRegistry().algorithmById(algorithm).parameterDefinition(name)
    assert not param.checkValueIsAcceptable(value)
    assert param.checkValueIsAcceptable(param.defaultValue())
