"""chainon:irrigation as QGIS users run it: processing.run on the sample data
scenario, styled outputs, and bad input."""
from pathlib import Path

import numpy as np
import processing
import pytest
import rasterio

from chainon.algorithms.sample_data import SCENARIOS
from qgis.core import QgsProcessingException


@pytest.fixture(scope="module")
def sample(provider, tmp_path_factory):
    return processing.run("chainon:sample_data", {
        "SCENARIO": SCENARIOS.index("irrigation"), "SIZE": 80, "SEED": 2,
        "OUTPUT_FOLDER": str(tmp_path_factory.mktemp("irrigation_qgis"))})


def _outputs(tmp_path):
    return {"OUTPUT": str(tmp_path / "irrigated.tif"),
            "OUTPUT_PROBABILITY": str(tmp_path / "probability.tif"),
            "OUTPUT_GRID": str(tmp_path / "km2.tif")}


def test_processing_run(provider, sample, tmp_path):
    result = processing.run("chainon:irrigation", {
        "S2_FOLDER": sample["S2_FOLDER"], "S1_FOLDER": sample["S1_FOLDER"],
        "PRECIPITATION": sample["METEO"], "PARCELS": sample["PARCELS"],
        "LABEL_FIELD": "irrigated", "CROP_FIELD": "crop", "N_TREES": 40,
        **_outputs(tmp_path)})
    with rasterio.open(result["OUTPUT"]) as ds:
        mask = ds.read(1)
        assert ds.dtypes[0] == "uint8" and ds.nodata == 255
    assert set(np.unique(mask)) <= {0, 1, 255} and (mask == 1).any() and (mask == 0).any()
    with rasterio.open(result["OUTPUT_PROBABILITY"]) as ds:
        assert ds.read(1)[mask != 255].max() <= 100
    with rasterio.open(result["OUTPUT_GRID"]) as ds:
        assert ds.res == (1000.0, 1000.0) and ds.read(1).max() <= 100
    assert 0.5 < result["OVERALL_ACCURACY"] <= 1
    report = Path(result["OUTPUT_REPORT"]).read_text(encoding="utf-8")
    assert "S1 only" in report and "by more than its standard error" in report
    assert "Declared crops: " in report
    assert "Irrigated" in (tmp_path / "irrigated.qml").read_text()


def test_a_label_field_with_other_values(provider, sample, tmp_path):
    with pytest.raises(QgsProcessingException, match="neither irrigated"):
        processing.run("chainon:irrigation", {
            "S2_FOLDER": sample["S2_FOLDER"], "S1_FOLDER": sample["S1_FOLDER"],
            "PRECIPITATION": sample["METEO"], "PARCELS": sample["PARCELS"],
            "LABEL_FIELD": "crop", **_outputs(tmp_path)})


def test_rain_as_table_or_rasters_not_both(provider, sample, tmp_path):
    with pytest.raises(QgsProcessingException, match="either as a precipitation table"):
        processing.run("chainon:irrigation", {
            "S2_FOLDER": sample["S2_FOLDER"], "S1_FOLDER": sample["S1_FOLDER"],
            "PRECIPITATION": sample["METEO"], "PRECIPITATION_RASTER": sample["METEO_RASTER"],
            "PARCELS": sample["PARCELS"], "LABEL_FIELD": "irrigated", **_outputs(tmp_path)})
