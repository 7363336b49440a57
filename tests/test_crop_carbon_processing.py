"""chainon:crop_carbon as QGIS users run it: sample data, processing.run,
parcels, styled results with legends, qgis_process, bad input."""
import shutil
from pathlib import Path

import numpy as np
import processing
import pytest
import rasterio
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

from chainon.algorithms.sample_data import SCENARIOS
from chainon.core.evaluation import relative_rmse
from test_qgis_process import profile, run_json  # noqa: F401 - the packaged-plugin fixture
from test_results import untiled  # layer names without their tile

OUTPUTS = ("OUTPUT", "OUTPUT_UNCERTAINTY", "OUTPUT_GPP", "OUTPUT_RECO", "OUTPUT_NEE")


@pytest.fixture(scope="module")
def scene(provider, tmp_path_factory):
    out = tmp_path_factory.mktemp("cc_sample")
    return processing.run("chainon:sample_data", {"SCENARIO": SCENARIOS.index("crop_carbon"),
                                                  "SIZE": 60, "SEED": 2,
                                                  "OUTPUT_FOLDER": str(out)})


def params(scene, out, **extra):
    out.mkdir(parents=True, exist_ok=True)
    return {"S2_FOLDER": scene["S2_FOLDER"], "METEO": scene["METEO"],
            "CROP_MASK": scene["CROP_MASK"], "START": "2018-10-01", "END": "2019-07-31",
            **{k: str(out / f"{k.lower()}.tif") for k in OUTPUTS},
            **extra}


def test_sample_data_then_crop_carbon(scene, tmp_path):
    truth = Path(scene["TRUTH_FOLDER"])
    assert "SYNTHETIC" in (truth / "README.txt").read_text(encoding="utf-8")
    result = processing.run("chainon:crop_carbon", params(scene, tmp_path))
    for key in OUTPUTS:
        assert Path(result[key]).with_suffix(".qml").exists()
        with rasterio.open(result[key]) as ds:
            assert ds.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
            assert ds.nodata == -9999 and ds.res == (10.0, 10.0)
    s = relative_rmse(result["OUTPUT"], truth / "BIOMASS_TRUTH.tif", truth / "FIELDS_TRUTH.tif")
    print(f"\nsample scene: biomass rRMSE {s['pixel_rrmse']:.1f} % pixels, "
          f"{s['zone_rrmse']:.1f} % over {s['zones']} fields")
    assert s["zone_rrmse"] <= 10


def test_parcels_give_a_table(scene, tmp_path):
    result = processing.run("chainon:crop_carbon", params(
        scene, tmp_path, CROP_MASK=None, PARCELS=scene["PARCELS"],
        OUTPUT_PARCELS=str(tmp_path / "parcels.gpkg")))
    layer = QgsVectorLayer(result["OUTPUT_PARCELS"], "parcels", "ogr")
    assert layer.isValid() and layer.featureCount() > 0
    names = layer.fields().names()
    for name in ("field_id", "biomass", "biomass_sd", "gpp", "reco", "nee", "clear_dates"):
        assert name in names
    assert all(f["nee"] < 0 < f["biomass"] for f in layer.getFeatures())


def test_results_load_styled_with_legends(scene, tmp_path, qgis_iface):
    QgsProject.instance().clear()
    processing.runAndLoadResults("chainon:crop_carbon", params(scene, tmp_path))
    layers = {untiled(lyr.name()): lyr for lyr in QgsProject.instance().mapLayers().values()}
    biomass = layers["Above-ground biomass at harvest"]
    assert biomass.renderer().type() == "singlebandpseudocolor"
    labels = [label for label, _ in biomass.renderer().legendSymbologyItems()]
    assert labels[-1] == "25 t/ha"
    nee = layers["Net ecosystem exchange (NEE, negative = uptake)"]
    labels = [label for label, _ in nee.renderer().legendSymbologyItems()]
    assert "uptake" in labels[0] and "release" in labels[-1] and "g C/m²" in labels[1]
    QgsProject.instance().clear()


def test_qgis_process_runs_it(profile, scene, tmp_path):  # noqa: F811 - fixture
    result = run_json(profile, "chainon:crop_carbon", S2_FOLDER=scene["S2_FOLDER"],
                      METEO=scene["METEO"], PARCELS=scene["PARCELS"], START="2018-10-01",
                      END="2019-07-31", ENSEMBLE_SIZE=500,
                      **{k: tmp_path / f"{k.lower()}.tif" for k in OUTPUTS})
    with rasterio.open(result["OUTPUT"]) as ds:
        biomass = ds.read(1)
    assert 5 < biomass[biomass != -9999].mean() < 25


def _fails(parameters, *words):
    with pytest.raises(QgsProcessingException) as err:
        processing.run("chainon:crop_carbon", parameters)
    for w in words:
        assert w in str(err.value), str(err.value)
    for key in OUTPUTS:
        assert not Path(parameters[key]).exists(), f"partial output left: {key}"


def _meteo_copy(scene, path, keep=lambda line: True, header=None):
    lines = Path(scene["METEO"]).read_text(encoding="utf-8").splitlines()
    body = [ln for ln in lines[1:] if keep(ln)]
    path.write_text("\n".join([header or lines[0]] + body), encoding="utf-8")
    return str(path)


def test_bad_inputs_give_clear_errors(scene, tmp_path):
    short = _meteo_copy(scene, tmp_path / "short.csv", lambda ln: ln[:7] <= "2019-05")
    _fails(params(scene, tmp_path / "a", METEO=short), "does not cover", "2019-07-31")
    no_rad = _meteo_copy(scene, tmp_path / "norad.csv", header="date,tmin,tmax,sunshine")
    _fails(params(scene, tmp_path / "b", METEO=no_rad), "radiation", "sunshine")
    _fails(params(scene, tmp_path / "c", START="2018-10-01", END="2018-10-12"),
           "at least 5 clear dates")
    _fails(params(scene, tmp_path / "d", METEO=None), "CSV table or as a folder")
    _fails(params(scene, tmp_path / "e", METEO_RASTER=str(tmp_path)),
           "CSV table or as a folder")
    _fails(params(scene, tmp_path / "f", CROP_CLASSES="wheat"), "wheat")
    _fails(params(scene, tmp_path / "g", EXTENT="0,1,0,1 [EPSG:4326]"), "does not overlap")


def test_no_pixel_with_enough_clear_dates(scene, tmp_path):
    """Clouds flagged everywhere but on 3 dates: a clear error, nothing left behind."""
    s2 = tmp_path / "s2"
    shutil.copytree(scene["S2_FOLDER"], s2)
    for product in sorted(s2.iterdir())[3:]:
        for clm in product.glob("MASKS/*_CLM_R*.tif"):
            with rasterio.open(clm, "r+") as ds:
                ds.write(np.full((ds.height, ds.width), 2, "uint8"), 1)
    _fails(params(scene, tmp_path / "h", S2_FOLDER=str(s2)), "No pixel has 5 clear")
