"""The plugin's compute-centre mode against the real service over HTTP on
127.0.0.1: the backend runs in its own environment (.venv-backend, no QGIS);
the plugin submits through its client, follows, cancels and loads results."""
import os
import socket
import subprocess
import time
from pathlib import Path

import processing
import pytest
import rasterio
from qgis.core import QgsApplication, QgsProcessingException, QgsRasterLayer

from chainon.core.blocks import Progress
from chainon.core.errors import Cancelled
from chainon.remote import settings
from chainon.remote.client import ProcessesClient, ServiceError, follow
from chainon.remote.results import result_layers

ROOT = Path(__file__).resolve().parents[1]
BACKEND_PY = ROOT / ".venv-backend" / "bin" / "python"
TILES = "31TCJ,31TDJ"


def backend(*args, **kw):
    return subprocess.run([str(BACKEND_PY), "-m", "backend", *args], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=600, **kw)


def run_service(base, lakes, **env):
    """Builds a simulated data lake (one `simulate-lake` call per argument
    list of `lakes`), adds the user alice and serves on a free port of
    127.0.0.1; yields {url, token, base, periods (start, end) of each lake}."""
    if not BACKEND_PY.exists():
        pytest.fail("the backend environment is missing: run `make backend-venv`")
    store = f"sqlite:///{base / 'jobs.sqlite'}"
    periods = [tuple(backend("simulate-lake", str(base / "lake"), *lake_args).stdout.split()[-2:])
               for lake_args in lakes]
    token = backend("users", "add", "alice", "--store", store).stdout.strip()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(base / "server.log", "w")
    proc = subprocess.Popen([str(BACKEND_PY), "-m", "backend", "serve", "--lake",
                             str(base / "lake"), "--results", str(base / "results"), "--store",
                             store, "--workers", "1", "--bind", f"127.0.0.1:{port}"],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, **env))
    url = f"http://127.0.0.1:{port}"
    client = ProcessesClient(url, token)
    for _ in range(300):
        if proc.poll() is not None:
            pytest.fail("the service stopped: " + (base / "server.log").read_text()[-2000:])
        try:
            client.processes()
            break
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    yield {"url": url, "token": token, "base": base, "periods": periods}
    proc.terminate()
    proc.wait(30)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    yield from run_service(tmp_path_factory.mktemp("service"),
                           [["--tiles", TILES, "--size", "48"]],
                           CHAINON_BACKEND_TILE_PAUSE="1.5")   # time to cancel


@pytest.fixture(scope="module")
def authcfg(service, qgis_app):
    manager = QgsApplication.authManager()
    manager.setMasterPassword("chainon-tests", True)
    return settings.store_token("alice", service["token"])


def test_token_lives_in_the_auth_database(authcfg, service):
    assert settings.token(authcfg) == service["token"]
    settings.save(service["url"], authcfg)
    from qgis.core import QgsSettings
    stored = {k: QgsSettings().value(k) for k in QgsSettings().allKeys() if "chainon" in k}
    assert service["token"] not in str(stored)


def test_snow_cover_at_the_compute_centre(provider, service, authcfg, tmp_path):
    client = ProcessesClient(service["url"], service["token"])
    assert any(p["id"] == "snow_cover" for p in client.processes())
    params = {"TARGET": 1, "AREA": TILES, "START": "2017-12-01", "END": "2018-01-31",
              "SERVICE_URL": service["url"], "AUTHCFG": authcfg,
              "OUTPUT_FOLDER": str(tmp_path / "job"), "OUTPUT": str(tmp_path / "scd.tif"),
              "OUTPUT_SOD": str(tmp_path / "sod.tif"), "OUTPUT_SMOD": str(tmp_path / "smod.tif"),
              "OUTPUT_NOBS": str(tmp_path / "nobs.tif")}
    result = processing.run("chainon:snow_cover", params)
    with rasterio.open(result["OUTPUT"]) as ds:
        assert ds.crs.to_epsg() == 2154
        assert ds.read(1).max() > 0
    assert list(Path(result["OUTPUT_FOLDER"]).glob("job_*.json"))
    assert (tmp_path / "scd.qml").exists()          # styled wherever it is opened


def test_results_load_as_layers(service):
    client = ProcessesClient(service["url"], service["token"])
    job = [j for j in client.jobs() if j["status"] == "successful"][0]
    layers = result_layers(client.results(job["jobID"]), client.token_for)
    assert {key for _, key, _ in layers} >= {"OUTPUT", "OUTPUT_NOBS"}
    layer = QgsRasterLayer(layers[0][2], layers[0][0], "gdal")
    assert layer.isValid() and layer.crs().authid() == "EPSG:2154"


def test_cancel_dismisses_the_remote_job(service):
    client = ProcessesClient(service["url"], service["token"])
    job = client.execute("snow_cover", {"area": TILES.split(","), "start": "2017-12-01",
                                        "end": "2018-02-28"})
    calls = []
    progress = Progress(is_canceled=lambda: len(calls) > 3, set_percent=calls.append)
    with pytest.raises(Cancelled):
        follow(client, job["jobID"], progress, sleep=lambda s: calls.append(s))
    assert client.job(job["jobID"])["status"] == "dismissed"


def test_service_errors_are_clear(provider, service, authcfg, tmp_path):
    params = {"TARGET": 1, "AREA": "99XXX", "START": "2017-12-01", "END": "2018-01-31",
              "SERVICE_URL": service["url"], "AUTHCFG": authcfg,
              "OUTPUT_FOLDER": str(tmp_path / "job"), "OUTPUT": str(tmp_path / "scd.tif"),
              "OUTPUT_SOD": "TEMPORARY_OUTPUT", "OUTPUT_SMOD": "TEMPORARY_OUTPUT",
              "OUTPUT_NOBS": "TEMPORARY_OUTPUT"}
    with pytest.raises(QgsProcessingException, match="400"):
        processing.run("chainon:snow_cover", params)
    wrong = settings.store_token("mallory", "not-a-token")
    with pytest.raises(QgsProcessingException, match="401"):
        processing.run("chainon:snow_cover", dict(params, AREA=TILES, AUTHCFG=wrong))


def test_token_goes_to_the_service_only_and_never_in_clear_over_a_network():
    client = ProcessesClient("http://127.0.0.1:8000/", "secret")
    assert client.token_for("http://127.0.0.1:8000/jobs/1/results/a.tif") == "secret"
    assert client.token_for("http://elsewhere.example/a.tif") is None
    assert client.token_for("https://127.0.0.1:8000/a.tif") is None      # another origin
    layers = result_layers({"OUTPUT": {"type": "image/tiff", "href": "http://other.org/x.tif"}},
                           client.token_for)
    assert "header_file" not in layers[0][2]
    assert ProcessesClient("https://cc.example:443", "t").token_for("https://cc.example/x") == "t"
    with pytest.raises(ServiceError, match="https://"):
        ProcessesClient("http://cc.example:8000", "secret").jobs()
