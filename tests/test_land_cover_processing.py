"""chainon:land_cover and chainon:crop_yield as QGIS users run them:
processing.run with vector layers, stratification, a saved model applied,
styled loading, outputs as layers, and bad inputs with clear errors."""
import json
from pathlib import Path

import processing
import pytest
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

from chainon.core.training import load_model
from test_results import untiled  # layer names without their tile


def lc_params(scene, out, **extra):
    return {"S2_FOLDER": str(scene.s2_folder), "REFERENCE": str(scene.reference_path),
            "CLASS_FIELD": "code", "MAX_SAMPLES": 300, "N_TREES": 50,
            "OUTPUT": str(out / "lc.tif"), "OUTPUT_CONFIDENCE": str(out / "conf.tif"),
            "OUTPUT_NOBS": str(out / "nobs.tif"), "OUTPUT_MODEL": str(out / "lc.joblib"),
            **extra}


@pytest.fixture(scope="module")
def stratified(provider, land_cover_scene, tmp_path_factory):
    out = tmp_path_factory.mktemp("lc_processing")
    params = lc_params(land_cover_scene, out, REGIONS=str(land_cover_scene.regions_path),
                       REGION_FIELD="region")
    return processing.run("chainon:land_cover", params), out


def test_stratified_training_through_processing(stratified):
    result, out = stratified
    print(f"\nland cover through processing.run, one model per region: OA "
          f"{result['OVERALL_ACCURACY']:.1%} kappa {result['KAPPA']:.3f}")
    assert result["KAPPA"] >= 0.8
    assert Path(result["OUTPUT_REPORT"]) == out / "lc_validation.txt"
    assert "Stratified by eco-climatic region" in Path(result["OUTPUT_REPORT"]).read_text()
    bundle = load_model(result["OUTPUT_MODEL"], "land_cover")
    assert set(bundle["models"]) == {"1", "2"} and bundle["region_field"] == "region"


def test_model_applied_and_loaded_styled(stratified, land_cover_scene, tmp_path, qgis_iface):
    result, _ = stratified
    params = {"S2_FOLDER": str(land_cover_scene.s2_folder), "MODEL": result["OUTPUT_MODEL"],
              "OUTPUT": str(tmp_path / "lc.tif"), "OUTPUT_CONFIDENCE": str(tmp_path / "c.tif"),
              "OUTPUT_NOBS": str(tmp_path / "n.tif")}
    with pytest.raises(QgsProcessingException, match="one classifier per eco-climatic region"):
        processing.run("chainon:land_cover", params)
    QgsProject.instance().clear()
    x0, y0 = land_cover_scene.grid.x0, land_cover_scene.grid.y0
    extent = f"{x0},{x0 + 1200},{y0 - 1200},{y0} [EPSG:32631]"
    processing.runAndLoadResults("chainon:land_cover", dict(
        params, REGIONS=str(land_cover_scene.regions_path), REGION_FIELD="region",
        EXTENT=extent))
    layers = {untiled(lyr.name()): lyr for lyr in QgsProject.instance().mapLayers().values()}
    renderer = layers["Land cover"].renderer()
    labels = [label for label, _ in renderer.legendSymbologyItems()]
    assert renderer.type() == "paletted" and "Vineyards" in labels and len(labels) == 12
    assert layers["Confidence"].renderer().type() == "singlebandpseudocolor"
    assert not (tmp_path / "lc.joblib").exists() and not (tmp_path / "lc_model.joblib").exists()
    QgsProject.instance().clear()


def _fails(params, *words):
    with pytest.raises(QgsProcessingException) as err:
        processing.run("chainon:land_cover", params)
    for w in words:
        assert w in str(err.value), str(err.value)
    out = Path(params["OUTPUT"]).parent
    assert not list(out.glob("*.tif")) and not list(out.glob("*.joblib")), list(out.iterdir())


def _geojson(path, features, crs="EPSG:32631"):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features,
                                "crs": {"type": "name", "properties": {"name": crs}}}))
    return str(path)


def test_land_cover_bad_inputs(provider, stratified, land_cover_scene, tmp_path):
    scene = land_cover_scene
    features = json.loads(Path(scene.reference_path).read_text())["features"]
    _fails(lc_params(scene, tmp_path / "a", CLASS_FIELD="classe"),
           "field classe does not exist", "code, name, parcel")
    far = [dict(f, geometry={"type": "Polygon", "coordinates": [
        [[x - 1e6, y] for x, y in f["geometry"]["coordinates"][0]]]}) for f in features]
    _fails(lc_params(scene, tmp_path / "b", REFERENCE=_geojson(tmp_path / "far.json", far)),
           f"None of the {len(far)} reference polygons", "EPSG:32631")
    x0, y0 = scene.grid.x0, scene.grid.y0
    tiny = {"type": "Feature", "properties": {"code": 99, "name": "tiny", "parcel": 0},
            "geometry": {"type": "Polygon", "coordinates": [[   # 5 m, no pixel centre
                [x0 + 1, y0 - 1], [x0 + 6, y0 - 1], [x0 + 6, y0 - 6], [x0 + 1, y0 - 1]]]}}
    _fails(lc_params(scene, tmp_path / "c",
                     REFERENCE=_geojson(tmp_path / "tiny.json", features + [tiny])),
           "Class 99 has no training sample")
    _fails(lc_params(scene, tmp_path / "d", START="2018-06-01", END="2018-06-12",
                     MIN_CLEAR_DATES=20), "fewer than the 20 clear dates")
    model = load_model(stratified[0]["OUTPUT_MODEL"], "land_cover")
    _fails(lc_params(scene, tmp_path / "e", REFERENCE=None, MODEL=stratified[0]["OUTPUT_MODEL"],
                     REGIONS=str(scene.regions_path), REGION_FIELD="region",
                     START="2018-01-01", END="2018-06-30"),
           f"trained on {len(model['feature_names'])} features", "same length")
    _fails(lc_params(scene, tmp_path / "f", REFERENCE=None), "Give reference polygons")


@pytest.fixture(scope="module")
def yield_run(provider, crop_yield_scene, tmp_path_factory, qgis_iface):
    out = tmp_path_factory.mktemp("yield_processing")
    scene = crop_yield_scene
    params = {"S2_FOLDER": str(scene.s2_folder), "PARCELS": str(scene.parcels_path),
              "CROP_FIELD": "CODE_CULTU", "CROP": "BTH", "YIELD_FIELD": "RDT_DECL",
              "UNITS": str(scene.units_path), "UNIT_FIELD": "code",
              "STATISTICS": str(scene.statistics_path), "OUTPUT": str(out / "parcels.gpkg"),
              "OUTPUT_UNITS": str(out / "units.gpkg"), "OUTPUT_MODEL": str(out / "wheat.joblib")}
    QgsProject.instance().clear()
    result = processing.runAndLoadResults("chainon:crop_yield", params)
    styles = {untiled(lyr.name()): (lyr.renderer().type(),
                                    getattr(lyr.renderer(), "classAttribute", str)())
              for lyr in QgsProject.instance().mapLayers().values()}
    QgsProject.instance().clear()
    return result, params, out, styles


def test_crop_yield_through_processing(yield_run):
    result, _, out, styles = yield_run
    assert styles["Parcels with predicted yield"] == ("graduatedSymbol", "YIELD_EST")
    assert styles["Units with yield"] == ("graduatedSymbol", "YIELD_EST")
    parcels = QgsVectorLayer(result["OUTPUT"], "parcels")
    units = QgsVectorLayer(result["OUTPUT_UNITS"], "units")
    assert parcels.isValid() and units.isValid()
    rows = list(parcels.getFeatures())
    assert {f["CODE_CULTU"] for f in rows} == {"BTH"}
    assert all(4 < f["YIELD_EST"] < 12 for f in rows)
    assert {f["SPLIT"] for f in rows if f["RDT_DECL"]} == {"training", "validation"}
    errors = [abs(f["REL_ERR_PC"]) for f in units.getFeatures()]
    print(f"\ncrop yield through processing.run: parcel relative RMSE "
          f"{result['RELATIVE_RMSE']:.1%}, unit errors max {max(errors):.2f} %")
    assert result["RELATIVE_RMSE"] <= 0.10 and len(errors) == 6 and max(errors) <= 5
    assert Path(result["OUTPUT_REPORT"]).parent == out and Path(result["OUTPUT_MODEL"]).exists()


def test_crop_yield_bad_inputs(yield_run, tmp_path):
    _, params, _, _ = yield_run
    params = dict(params, OUTPUT=str(tmp_path / "p.gpkg"), OUTPUT_UNITS=str(tmp_path / "u.gpkg"),
                  OUTPUT_MODEL=str(tmp_path / "m.joblib"))
    for change, words in ((dict(YIELD_FIELD="RENDEMENT"), "field RENDEMENT does not exist"),
                          (dict(CROP="MIS_X"), "No parcel has the crop MIS_X"),
                          (dict(YIELD_FIELD=""), "Give the declared yield field")):
        with pytest.raises(QgsProcessingException, match=words):
            processing.run("chainon:crop_yield", dict(params, **change))
    assert not list(tmp_path.iterdir())


def test_crop_yield_old_call_without_crop_takes_every_parcel(yield_run, crop_yield_scene,
                                                             tmp_path):
    """Scripts saved before CROP_FIELD had a default give neither it nor CROP on
    parcels already filtered to one crop: every parcel is that crop."""
    result, _, _, _ = yield_run
    data = json.loads(Path(crop_yield_scene.parcels_path).read_text())
    data["features"] = [f for f in data["features"] if f["properties"]["CODE_CULTU"] == "BTH"]
    wheat = tmp_path / "wheat.geojson"
    wheat.write_text(json.dumps(data))
    applied = processing.run("chainon:crop_yield", {
        "S2_FOLDER": str(crop_yield_scene.s2_folder), "PARCELS": str(wheat),
        "MODEL": result["OUTPUT_MODEL"], "OUTPUT": str(tmp_path / "p.gpkg")})
    assert QgsVectorLayer(applied["OUTPUT"], "p").featureCount() == len(data["features"])


def test_crop_yield_report_and_model_beside_the_parcels(provider, crop_yield_scene, tmp_path):
    """With only the parcels asked for, the report and the trained model are
    written beside them, not lost in QGIS's temporary folder."""
    scene = crop_yield_scene
    result = processing.run("chainon:crop_yield", {
        "S2_FOLDER": str(scene.s2_folder), "PARCELS": str(scene.parcels_path),
        "CROP_FIELD": "CODE_CULTU", "CROP": "BTH", "YIELD_FIELD": "RDT_DECL",
        "OUTPUT": str(tmp_path / "parcels.gpkg")})
    assert Path(result["OUTPUT_REPORT"]).parent == tmp_path
    assert Path(result["OUTPUT_MODEL"]).parent == tmp_path
