"""Bad input gets a 4xx, never a 500, and nothing meaningless is stored: over
real HTTP on 127.0.0.1, the service on a real PostgreSQL store (test_api
checks non-finite numbers on SQLite)."""
import json

import pytest

from backend_testlib import END, START, add_user
from ogc_client import OgcClient

GOOD = {"area": ["31TCJ"], "start": str(START), "end": str(END)}


@pytest.fixture(scope="module")
def pg_server(lake, postgres, tmp_path_factory):
    from backend_testlib import Server
    url = postgres["new_db"]("inputs")
    folder = tmp_path_factory.mktemp("inputs")
    srv = Server(folder, lake, url, workers=1).start()
    srv.client = OgcClient(srv.url, add_user(url, "alice"))
    yield srv
    srv.stop()


def post(server, body, process="snow_cover"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return server.client.session.post(f"{server.url}/processes/{process}/execution",
                                      data=data, timeout=60,
                                      headers={"Content-Type": "application/json"})


def raw(inputs_text):
    """A body whose inputs are JSON text as given (NaN and such are not JSON
    that `json.dumps` would write)."""
    return ('{"inputs": {"start": "%s", "end": "%s", %s}}' % (START, END, inputs_text)).encode()


@pytest.mark.parametrize("body, status, words", [
    (raw('"area": ["31TCJ"], "ndsi_pass1": NaN'), 400, "must be finite"),
    (raw('"area": ["31TCJ"], "ndsi_pass1": 1e999'), 400, "must be finite"),
    (raw('"area": {"bbox": [-Infinity, 43, 2, 44]}'), 400, "must be finite"),
    (raw('"area": {"bbox": [1, 43, 1e308, 44]}'), 400, "bbox must be"),
    (b"[" * 100_000 + b"]" * 100_000, 400, "nested too deeply"),
    (b'{"inputs": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", 400, "nested too deeply"),
    ({"inputs": {**GOOD, "area": {"bbox": [True, 43, 2, 44]}}}, 400, "bbox must be"),
    ({"inputs": {**GOOD, "start": 20171201}}, 400, "YYYY-MM-DD"),
    ({"inputs": {**GOOD, "start": "9999-01-01", "end": "9999-01-31"}}, 400,
     "outside the period with data"),
    ({"inputs": {**GOOD, "ndsi_pass1": 7}}, 400, "between 0 and 1"),
    ({"inputs": {**GOOD, "area": ["31TCJ"] * 300}}, 400, "at most 200"),
    ({"inputs": {**GOOD, "area": ["31TCJ"] * 2_000_000}}, 413, "larger than"),
    ({"inputs": GOOD, "response": "stream"}, 400, '"response"'),
    ({"inputs": GOOD, "outputs": {"nope": {}}}, 400, "Unknown output"),
])
def test_bad_input_is_refused(pg_server, body, status, words):
    resp = post(pg_server, body)
    assert resp.status_code == status, resp.text[:300]
    assert words in resp.json()["detail"]


def test_parameters_are_checked_against_their_ranges(pg_server):
    resp = post(pg_server, {"inputs": {**GOOD, "n_trees": -5}}, "land_cover")
    assert resp.status_code == 400
    assert resp.json()["detail"] == "n_trees must be between 1 and 1000, not -5."
    api = pg_server.client.get("/api").json()
    schema = api["paths"]["/processes/land_cover/execution"]["post"]["requestBody"][
        "content"]["application/json"]["schema"]["properties"]["inputs"]
    assert schema["required"] == ["area", "start", "end"]
    assert schema["properties"]["n_trees"] == {"type": "integer", "default": 100,
                                               "minimum": 1, "maximum": 1000}
    assert schema["properties"]["start"]["pattern"] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def test_the_area_is_stored_as_its_tiles(pg_server):
    from backend.store import Store
    polygon = {"type": "Polygon", "coordinates": [[[1.2, 43.5], [1.3, 43.5], [1.3, 43.6],
                                                   [1.2, 43.6], [1.2, 43.5]]]}
    resp = post(pg_server, {"inputs": {**GOOD, "area": polygon}})
    assert resp.status_code == 201, resp.text
    job = Store(pg_server.store_url).job(resp.json()["jobID"])
    assert job.inputs["area"] == ["31TCJ"]
