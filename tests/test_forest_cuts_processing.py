"""chainon:forest_cuts as QGIS users run it: processing.run, the polygon layer
with the clear-cut product's attributes, the styled date raster, bad input."""
import json
from datetime import date

import processing
import pytest
import rasterio
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

from chainon.core.scenes.forest_cuts import make_forest_cut_scene
from test_qgis_process import profile, run_json  # noqa: F401 - the packaged-plugin fixture
from test_results import untiled  # layer names without their tile


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return make_forest_cut_scene(tmp_path_factory.mktemp("forest_cuts_qgis"), seed=4, size=160,
                                 n_cuts=10)


def _forest_polygon(scene, path):
    xmin, ymin, xmax, ymax = scene.grid.bounds
    ring = [[xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax], [xmin, ymin]]
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32631"}},
        "features": [{"type": "Feature", "properties": {"id": 1},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    return str(path)


def test_processing_run(provider, scene, tmp_path):
    result = processing.run("chainon:forest_cuts", {
        "S1_FOLDER": str(scene.s1_folder), "FOREST_MASK": str(scene.forest_mask),
        "FOREST_POLYGONS": _forest_polygon(scene, tmp_path / "forest.geojson"),
        "MMU_HA": 0.2, "OUTPUT": str(tmp_path / "dates.tif"),
        "OUTPUT_POLYGONS": str(tmp_path / "cuts.gpkg")})
    with rasterio.open(result["OUTPUT"]) as ds:
        values = ds.read(1)
    assert ((values > 0) & (values < 65535)).sum() > 100
    layer = QgsVectorLayer(result["OUTPUT_POLYGONS"], "cuts", "ogr")
    assert layer.isValid() and layer.featureCount() >= len(scene.cuts) - 1
    assert {"date_min", "date_max", "days_delta", "area_ha"} <= set(layer.fields().names())
    f = next(layer.getFeatures())
    assert f["area_ha"] >= 0.2 and f["date_min"] <= f["date_max"]
    assert layer.crs().authid() == "EPSG:32631"
    assert "Forest without clear-cut" in (tmp_path / "dates.qml").read_text()


def test_results_load_styled_with_legends(provider, scene, tmp_path, qgis_iface):
    QgsProject.instance().clear()
    processing.runAndLoadResults("chainon:forest_cuts", {
        "S1_FOLDER": str(scene.s1_folder), "LAND_COVER": str(scene.land_cover),
        "START": "2020-03-01", "END": "2021-10-31", "OUTPUT": str(tmp_path / "dates.tif"),
        "OUTPUT_POLYGONS": str(tmp_path / "cuts.gpkg")})
    layers = {untiled(lyr.name()): lyr for lyr in QgsProject.instance().mapLayers().values()}
    raster = layers["Clear-cut detection date"]
    labels = [label for label, _ in raster.renderer().legendSymbologyItems()]
    assert labels[0] == "Forest without clear-cut" and labels[-1] == "2021-10-31"
    polygons = layers["Clear-cut polygons"]
    assert polygons.renderer().type() == "graduatedSymbol"
    assert polygons.featureCount() > 0
    assert all(polygons.renderer().legendKeyForValue(
        (f["date_min"].toPyDate() - date(2018, 1, 1)).days) for f in polygons.getFeatures())
    QgsProject.instance().clear()


def test_processing_bad_input(provider, scene, tmp_path):
    with pytest.raises(QgsProcessingException, match="Say where the forest is"):
        processing.run("chainon:forest_cuts", {"S1_FOLDER": str(scene.s1_folder),
                                               "OUTPUT": str(tmp_path / "dates.tif")})
    with pytest.raises(QgsProcessingException, match="No Sentinel-1 file"):
        processing.run("chainon:forest_cuts", {"S1_FOLDER": str(tmp_path),
                                               "FOREST_MASK": str(scene.forest_mask),
                                               "OUTPUT": str(tmp_path / "dates.tif")})


def test_sample_data_then_forest_cuts(provider, tmp_path):
    scene = processing.run("chainon:sample_data", {"SCENARIO": 5, "SIZE": 120, "SEED": 2,
                                                   "OUTPUT_FOLDER": str(tmp_path / "scene")})
    result = processing.run("chainon:forest_cuts", {
        "S1_FOLDER": scene["S1_FOLDER"], "LAND_COVER": scene["LAND_COVER"],
        "OUTPUT": str(tmp_path / "dates.tif"), "OUTPUT_POLYGONS": "memory:"})
    assert result["OUTPUT_POLYGONS"].featureCount() > 0


def test_qgis_process_runs_it(profile, tmp_path):  # noqa: F811 - fixture
    scene = run_json(profile, "chainon:sample_data", SCENARIO=5, SIZE=100, SEED=3,
                     OUTPUT_FOLDER=tmp_path / "scene")
    result = run_json(profile, "chainon:forest_cuts", S1_FOLDER=scene["S1_FOLDER"],
                      FOREST_MASK=scene["FOREST_MASK"], START="2020-02-01", END="2021-12-31",
                      OUTPUT=tmp_path / "dates.tif", OUTPUT_POLYGONS=tmp_path / "cuts.gpkg")
    with rasterio.open(result["OUTPUT"]) as ds:
        assert ds.dtypes[0] == "uint16" and ((ds.read(1) > 0) & (ds.read(1) < 65535)).any()
    assert QgsVectorLayer(result["OUTPUT_POLYGONS"], "cuts", "ogr").featureCount() > 0
