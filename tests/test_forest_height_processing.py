"""chainon:forest_height as QGIS users run it: processing.run with GEDI or with
reference points, styled outputs, the sample data scenario, bad input."""
from pathlib import Path

import numpy as np
import processing
import pytest
import rasterio

from chainon.algorithms.sample_data import SCENARIOS
from chainon.core.gedi import write_granule
from chainon.core.scenes.forest_height import make_forest_height_scene
from chainon.core.simulate import write_raster
from qgis.core import QgsProcessingException


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return make_forest_height_scene(tmp_path_factory.mktemp("forest_height_qgis"), seed=3,
                                    size=120)


def _outputs(tmp_path):
    return {"OUTPUT": str(tmp_path / "height.tif"),
            "OUTPUT_UNCERTAINTY": str(tmp_path / "height_sd.tif"),
            "OUTPUT_AGB": str(tmp_path / "agb.tif"),
            "OUTPUT_AGB_UNCERTAINTY": str(tmp_path / "agb_sd.tif")}


def test_processing_run_with_gedi(provider, scene, tmp_path):
    result = processing.run("chainon:forest_height", {
        "S2_FOLDER": str(scene.s2_folder), "GEDI": str(scene.gedi_folder),
        "S1_FOLDER": str(scene.s1_folder), "LAND_COVER": str(scene.land_cover), "AGB_A": 1.0,
        **_outputs(tmp_path)})
    with rasterio.open(result["OUTPUT"]) as ds:
        height = ds.read(1)
        assert ds.nodata == -9999 and ds.dtypes[0] == "float32"
    assert ((height > 0) & (height < 50)).sum() > 1000
    assert 0 < result["RMSE"] < 10
    assert "AGB = 1 * H^1.6" in Path(result["OUTPUT_REPORT"]).read_text(encoding="utf-8")
    assert "t/ha" in (tmp_path / "agb.qml").read_text()


def test_processing_run_with_reference_points_and_dem(provider, scene, tmp_path):
    dem = write_raster(tmp_path / "dem.tif", np.linspace(100, 400, 120 * 120, dtype="float32")
                       .reshape(120, 120), scene.grid, -32768.0)
    result = processing.run("chainon:forest_height", {
        "S2_FOLDER": str(scene.s2_folder), "REFERENCE_POINTS": str(scene.plots_path),
        "HEIGHT_FIELD": "height_m", "FOREST_MASK": str(scene.forest_mask), "DEM": str(dem),
        "BLOCK_M": 500, **_outputs(tmp_path)})
    assert 0 < result["RMSE"] < 10
    assert ", DEM" in Path(result["OUTPUT_REPORT"]).read_text(encoding="utf-8")


def test_a_height_field_that_does_not_exist(provider, scene, tmp_path):
    with pytest.raises(QgsProcessingException, match="height field nope does not exist"):
        processing.run("chainon:forest_height", {
            "S2_FOLDER": str(scene.s2_folder), "REFERENCE_POINTS": str(scene.plots_path),
            "HEIGHT_FIELD": "nope", **_outputs(tmp_path)})


def test_no_valid_shot_over_the_tile(provider, scene, tmp_path):
    far = {"BEAM0101": dict(lon=[10.0, 10.1], lat=[60.0, 60.1], rh=[[20.0] * 101] * 2,
                            quality_flag=[1, 1], degrade_flag=[0, 0], sensitivity=[0.99, 0.99],
                            delta_time=[8e7, 8e7], leaf_off_flag=[0, 0])}
    granule = write_granule(tmp_path / "GEDI02_A_far.h5", far)
    with pytest.raises(QgsProcessingException, match="no valid shot over the processing area"):
        processing.run("chainon:forest_height", {
            "S2_FOLDER": str(scene.s2_folder), "GEDI": str(granule), **_outputs(tmp_path)})
    assert not (tmp_path / "height.tif").exists()


def test_sample_data_scenario(provider, tmp_path):
    result = processing.run("chainon:sample_data", {
        "SCENARIO": SCENARIOS.index("forest_height"), "SIZE": 48, "SEED": 1,
        "OUTPUT_FOLDER": str(tmp_path)})
    assert list((tmp_path / "GEDI").glob("GEDI02_A_*.h5")) and result["GEDI"]
    assert (tmp_path / "truth" / "AGB_TRUTH.tif").exists()
