"""Results fetched from the compute centre (the real service on 127.0.0.1)
load with the product's names, never "OUTPUT": through "… at the compute
centre" (main output on top, each file with its .qml beside it, at the
product's resolution) and through the Jobs dock."""
import time
from pathlib import Path

import processing
import pytest
import rasterio
from qgis.core import QgsApplication, QgsProject

from chainon.remote import settings
from chainon.remote.client import ProcessesClient
from chainon.ui.jobs_dock import JobsDock, fetch_results
from test_remote import run_service

TILE = "31TCJ"
NAMES = ["Snow cover duration", "Snow onset date", "Snow melt-out date",
         "Number of clear observations"]


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    yield from run_service(tmp_path_factory.mktemp("names"),
                           [["--tiles", TILE, "--size", "32"]])


@pytest.fixture(scope="module")
def authcfg(service, qgis_app):
    QgsApplication.authManager().setMasterPassword("chainon-tests", True)
    return settings.store_token("alice", service["token"])


@pytest.fixture
def project(qgis_iface):
    QgsProject.instance().clear()
    yield QgsProject.instance()
    QgsProject.instance().clear()


def test_compute_centre_results_load_with_the_products_names(provider, service, authcfg,
                                                              project, tmp_path):
    start, end = service["periods"][0]
    keys = ["OUTPUT", "OUTPUT_SOD", "OUTPUT_SMOD", "OUTPUT_NOBS"]
    # files named after the keys, in the reverse order: the names must come from the product
    result = processing.runAndLoadResults("chainon:snow_cover_remote", {
        "AREA": TILE, "START": start, "END": end, "SERVICE_URL": service["url"],
        "AUTHCFG": authcfg, **{k: str(tmp_path / f"{9 - i}_{k}.tif") for i, k in enumerate(keys)}})
    names = [node.name() for node in project.layerTreeRoot().children()]
    assert names == [f"{n} {TILE}" for n in NAMES], names
    for key in keys:
        assert Path(result[key]).with_suffix(".qml").is_file(), key
        with rasterio.open(result[key]) as ds:
            assert ds.res == (20.0, 20.0), key          # snow cover's native resolution


def test_the_jobs_dock_names_layers_after_the_product(provider, service, authcfg, project):
    client = ProcessesClient(service["url"], service["token"])
    job = client.execute("snow_cover", {"area": [TILE], "start": service["periods"][0][0],
                                        "end": service["periods"][0][1]})
    for _ in range(600):
        if client.job(job["jobID"])["status"] in ("successful", "failed", "dismissed"):
            break
        time.sleep(0.1)
    dock = JobsDock()
    try:
        layers = dock.add_layers(client, "snow_cover",
                                 *fetch_results(client, job["jobID"]))
    finally:
        dock.timer.stop()
        dock.deleteLater()
    names = sorted(layer.name() for layer in layers)
    assert names == sorted([f"{n} (France)" for n in NAMES] + [f"{n} {TILE}" for n in NAMES])
