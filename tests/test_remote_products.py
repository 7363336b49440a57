"""Every product algorithm's execution choice (issue 5) against the real
service on 127.0.0.1 (its own environment, a simulated lake of non-snow
products): processing.run with the results loaded and styled, a graphical
model whose step runs at the compute centre, qgis_process in a fresh profile
whose authentication database is unlocked headless, and the Jobs dock."""
import os
import re
import subprocess
import sys
from datetime import date

import processing
import pytest
import rasterio
from qgis.core import (QgsApplication, QgsProcessingException, QgsProcessingModelAlgorithm,
                       QgsProcessingParameterDefinition, QgsProject, QgsVectorLayer)

from chainon.core.forest_cuts import EPOCH
from chainon.core.products import main_outputs
from chainon.remote import settings
from chainon.remote.client import ProcessesClient
from chainon.ui.jobs_dock import JobsDock, fetch_results
from test_qgis_process import QGIS_PROCESS, profile  # noqa: F401 - the packaged-plugin fixture
from test_remote import ROOT, run_service

JOBS = {"forest_cuts": "31TCJ", "land_cover": "31TDJ"}      # product: its lake tile
PRODUCT_ALGS = ("snow_cover", "land_cover", "mowing_date", "crop_yield", "crop_carbon",
                "forest_cuts", "forest_height", "irrigation")
MASTER = "chainon-tests"
AUTH_SETUP = """import sys
sys.path.insert(0, sys.argv[1])
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
from chainon.remote import settings
assert QgsApplication.authManager().setMasterPassword(sys.argv[2], True)
print(settings.store_token("alice", sys.argv[3]))
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    lakes = [["--product", product, "--tiles", tile, "--size", "64"]
             for product, tile in JOBS.items()]
    for running in run_service(tmp_path_factory.mktemp("products"), lakes):
        # the period of each product's simulated scenes, to submit
        yield dict(running, periods=dict(zip(JOBS, running["periods"])))


@pytest.fixture(scope="module")
def authcfg(service, qgis_app):
    QgsApplication.authManager().setMasterPassword(MASTER, True)
    return settings.store_token("alice", service["token"])


def remote_params(product, service, authcfg, folder):
    start, end = service["periods"][product]
    return {"AREA": JOBS[product], "START": start, "END": end,
            "SERVICE_URL": service["url"], "AUTHCFG": authcfg,
            **{o.key: str(folder / f"{o.key}.tif") for o in main_outputs(product)}}


def required(algorithm):
    flags = QgsProcessingParameterDefinition.Flag
    return {d.name() for d in algorithm.parameterDefinitions()
            if not d.flags() & (flags.FlagOptional | flags.FlagHidden)}


@pytest.mark.parametrize("alg", PRODUCT_ALGS)
def test_every_product_offers_the_compute_centre(provider, alg):
    """'<product> at the compute centre' needs an area and a period, no local
    input; the local algorithm keeps TARGET hidden for saved models."""
    registry = QgsApplication.processingRegistry()
    remote = registry.algorithmById(f"chainon:{alg}_remote")
    local = registry.algorithmById(f"chainon:{alg}")
    assert remote.displayName().endswith("at the compute centre")
    assert {"START", "END"} <= required(remote)
    assert not required(remote) & set(local.local_inputs)
    for name in ("AREA", "EXTENT", "SERVICE_URL", "AUTHCFG"):
        assert remote.parameterDefinition(name) is not None, name
    hidden = QgsProcessingParameterDefinition.Flag.FlagHidden
    for name in ("TARGET", "AREA", "SERVICE_URL", "AUTHCFG"):
        assert local.parameterDefinition(name).flags() & hidden
    assert {o.key for o in main_outputs(alg)} == {
        d.name() for d in remote.destinationParameterDefinitions()}


@pytest.mark.parametrize("alg", PRODUCT_ALGS)
def test_the_service_accepts_what_the_dialog_accepts(provider, service, alg):
    """Every number the remote dialog lets through is in the range the
    service checks (a validation share of 0 was refused with a 400). Where
    the dialog sets no maximum, the service's (a bound on one tile's cost)
    is said in its 400."""
    remote = QgsApplication.processingRegistry().algorithmById(f"chainon:{alg}_remote")
    inputs = ProcessesClient(service["url"], service["token"]).process(alg)["inputs"]
    checked, wider = 0, []
    for d in remote.parameterDefinitions():
        schema = inputs.get(d.name().lower(), {}).get("schema", {})
        if d.type() != "number" or "minimum" not in schema:
            continue
        checked += 1
        high = d.maximum() if d.maximum() < 1e300 else None     # None: no maximum set
        if d.minimum() < schema["minimum"] or high is not None and high > schema["maximum"]:
            wider.append((d.name(), d.minimum(), high, schema["minimum"], schema["maximum"]))
    assert checked
    assert not wider


@pytest.mark.parametrize("alg, missing", [
    ("land_cover", "S2_FOLDER"), ("mowing_date", "S2_FOLDER"), ("crop_yield", "S2_FOLDER"),
    ("crop_carbon", "S2_FOLDER"), ("forest_cuts", "S1_FOLDER"),
    ("forest_height", "S2_FOLDER"), ("irrigation", "S2_FOLDER")])
def test_a_local_run_names_the_missing_input(provider, alg, missing):
    algorithm = QgsApplication.processingRegistry().algorithmById(f"chainon:{alg}")
    assert missing in required(algorithm)
    outputs = {d.name(): "TEMPORARY_OUTPUT" for d in algorithm.destinationParameterDefinitions()}
    with pytest.raises(QgsProcessingException, match=missing):
        processing.run(algorithm, {"START": "2018-01-01", "END": "2018-12-31", **outputs})


@pytest.mark.parametrize("product", sorted(JOBS))
def test_products_at_the_compute_centre_load_styled(provider, service, authcfg, product,
                                                     tmp_path):
    QgsProject.instance().removeAllMapLayers()
    result = processing.runAndLoadResults(f"chainon:{product}_remote",
                                          remote_params(product, service, authcfg, tmp_path))
    keys = [o.key for o in main_outputs(product)]
    assert set(result) == set(keys)           # vectors, models, reports: local runs only
    for key in keys:
        with rasterio.open(result[key]) as ds:
            assert ds.crs.to_epsg() == 2154
            valid = ds.read(1, masked=True)
            assert valid.count() > 0, key
    layers = {layer.source(): layer for layer in QgsProject.instance().mapLayers().values()}
    loaded = [layers[result[k]] for k in keys]
    if product == "land_cover":
        assert loaded[0].renderer().type() == "paletted"
    else:   # the detection-date ramp is stretched over the job's period
        labels = [label for label, _ in loaded[0].renderer().legendSymbologyItems()]
        dates = [label for label in labels if re.fullmatch(r"\d{4}-\d\d-\d\d", label)]
        start, end = service["periods"][product]
        assert dates and all(start <= label <= end for label in dates), labels
        if product == "forest_cuts":      # not-yet-confirmed changes have their own entry
            assert any(label.startswith("Undecided") for label in labels), labels


def test_jobs_dock_loads_any_product(provider, service, authcfg, qgis_app):
    client = ProcessesClient(service["url"], service["token"])
    job = next(j for j in client.jobs()
               if j["processID"] == "forest_cuts" and j["status"] == "successful")
    results, start, end = fetch_results(client, job["jobID"])
    assert (start, end) == service["periods"]["forest_cuts"]
    dock = JobsDock()
    try:
        layers = dock.add_layers(client, "forest_cuts", results, start, end)
    finally:
        dock.timer.stop()
        dock.deleteLater()
    assert len(layers) == 2                  # the mosaic and the tile's COG
    for layer in layers:
        assert layer.isValid() and layer.renderer().type() == "singlebandpseudocolor"
        last = layer.renderer().legendSymbologyItems()[-1][0]
        assert last <= end and (date.fromisoformat(last) - EPOCH).days > 0


def test_a_model_step_at_the_compute_centre(provider, service, authcfg, tmp_path):
    """The saved model leaves the service to the plugin settings."""
    settings.save(service["url"], authcfg)
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(ROOT / "resources" / "models" /
                              "forest_cuts_at_the_compute_centre.model3"))
    start, end = service["periods"]["forest_cuts"]
    out, table = "forest_cuts:forest_cuts", "areas:areas"
    result = processing.run(model, {"area": JOBS["forest_cuts"], "start": start, "end": end,
                                    out: str(tmp_path / "cuts.tif"),
                                    table: str(tmp_path / "areas.gpkg")})
    with rasterio.open(result[out]) as ds:
        assert ds.crs.to_epsg() == 2154
        days = set(ds.read(1, masked=True).compressed().tolist())
    areas = QgsVectorLayer(result[table], "areas", "ogr")
    assert {int(f["value"]) for f in areas.getFeatures()} == days and len(days) > 2


def auth_database(folder, token):
    """An authentication database in `folder` holding alice's token (its
    configuration id is returned), and the file `master` holding the master
    password, that QGIS reads when started without a window."""
    folder.mkdir()
    env = dict(os.environ, QGIS_AUTH_DB_DIR_PATH=str(folder))
    authcfg = subprocess.run(
        [sys.executable, "-c", AUTH_SETUP, str(ROOT / ".pkgroot"), MASTER, token],
        env=env, capture_output=True, text=True, check=True, timeout=120).stdout.split()[-1]
    (folder / "master").write_text(MASTER + "\n")
    return authcfg


def qgis_process_run(env, alg, params):
    args = [f"{k}={v}" for k, v in params.items()]
    return subprocess.run([QGIS_PROCESS, "run", alg, "--", *args], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)


def test_qgis_process_at_the_compute_centre(profile, service, tmp_path):  # noqa: F811
    authcfg = auth_database(tmp_path / "auth", service["token"])
    env = dict(profile, QGIS_AUTH_DB_DIR_PATH=str(tmp_path / "auth"))
    params = remote_params("forest_cuts", service, authcfg, tmp_path)
    locked = qgis_process_run(env, "chainon:forest_cuts_remote", params)
    assert locked.returncode != 0 and "QGIS_AUTH_PASSWORD_FILE" in locked.stdout + locked.stderr
    env["QGIS_AUTH_PASSWORD_FILE"] = str(tmp_path / "auth" / "master")
    run = qgis_process_run(env, "chainon:forest_cuts_remote", params)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    with rasterio.open(params["OUTPUT"]) as ds:
        assert ds.crs.to_epsg() == 2154 and ds.read(1, masked=True).count() > 0
