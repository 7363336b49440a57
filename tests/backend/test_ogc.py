"""OGC API - Processes 1.0: every requirement class the service declares in
/conformance is walked over real HTTP on 127.0.0.1; OWSLib, a generic
client, keeps working."""
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from backend_testlib import END, PAUSE_ENV, START, Server, add_user
from ogc_client import OgcClient

SPEC = "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/"
EXC = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/"
PERIOD = {"start": str(START), "end": str(END)}
TILE = {"area": ["31TCJ"], **PERIOD}
POLYGON = {"type": "Polygon", "coordinates": [[[1.2, 43.5], [1.3, 43.5], [1.3, 43.6],
                                               [1.2, 43.6], [1.2, 43.5]]]}


@pytest.fixture(scope="module")
def server(lake, tmp_path_factory):
    """The service (inputs by reference allowed from this host, for the test's
    file server), a user, and three jobs: successful, raw, failed."""
    folder = tmp_path_factory.mktemp("ogc")
    srv = Server(folder, lake, f"sqlite:///{folder / 'jobs.sqlite'}", workers=2,
                 env={PAUSE_ENV: "0.3"}, args=["--allow-internal-refs"]).start()
    srv.client = OgcClient(srv.url, add_user(srv.store_url, "alice"))
    post = partial(execute, srv)
    srv.jobs = {"done": post("snow_cover", {"inputs": TILE}),
                "raw": post("snow_cover", {"inputs": TILE, "response": "raw"}),
                "failed": post("snow_cover", {"inputs": {**TILE, "area": ["31UDQ"]}})}
    for location in srv.jobs.values():
        srv.client.wait(location)
    yield srv
    srv.stop()


def execute(server, process, body):
    resp = server.client.session.post(f"{server.url}/processes/{process}/execution",
                                      json=body, timeout=30,
                                      headers={"Prefer": "respond-async"})
    assert resp.status_code == 201, resp.text
    return resp.headers["Location"]


def is_exception(resp, status, kind=None):
    doc = resp.json()
    assert resp.status_code == status, (resp.status_code, doc)
    assert resp.headers["content-type"].startswith("application/json")
    assert doc["type"].startswith(EXC) and doc["status"] == status and doc["detail"]
    if kind:
        assert doc["type"] == EXC + kind


def check_core(server):
    c = server.client
    # /req/core/root-op, /req/core/http (HEAD too)
    links = {link["rel"] for link in c.get("/").json()["links"]}
    assert {"self", "service-desc", "conformance", "http://www.opengis.net/def/rel/ogc/1.0/"
            "processes", "http://www.opengis.net/def/rel/ogc/1.0/job-list"} <= links
    for path in ("/", "/conformance", "/processes", "/processes/snow_cover", "/jobs"):
        head = c.session.head(server.url + path, timeout=10)
        assert head.status_code == 200 and not head.content, path
    # /req/core/process-list with limit and paging links
    everything = [p["id"] for p in c.get("/processes").json()["processes"]]
    page = c.get("/processes?limit=3").json()
    seen = [p["id"] for p in page["processes"]]
    while next_link := [lnk for lnk in page["links"] if lnk["rel"] == "next"]:
        assert len(page["processes"]) == 3
        page = c.get(next_link[0]["href"]).json()
        seen += [p["id"] for p in page["processes"]]
    assert seen == everything
    is_exception(c.get("/processes?limit=0"), 400, "invalid-parameter-value")
    # /req/core/process, no-such-process
    is_exception(c.get("/processes/nope"), 404, "no-such-process")
    # /req/core/process-execute-*: inputs inline, by reference, invalid ones refused
    for body in ({"inputs": {**TILE, "area": {"bbox": [True, 43, 2, 44]}}},
                 {"inputs": {**TILE, "start": 20171201}},
                 {"inputs": {"area": ["31TCJ"], "start": str(START)}}):
        resp = c.session.post(f"{server.url}/processes/snow_cover/execution", json=body,
                              timeout=30)
        is_exception(resp, 400, "invalid-parameter-value")
    # /req/core/job-op, job-exception-no-such-job
    status = c.get(server.jobs["done"]).json()
    assert status["status"] == "successful" and status["type"] == "process"
    is_exception(c.get("/jobs/no-such-job"), 404, "no-such-job")
    # /req/core/job-results*: only declared outputs; failed; raw by reference
    results = c.results(server.jobs["done"]).json()
    declared = c.get("/processes/snow_cover").json()["outputs"]
    assert set(results) <= set(declared) and {"OUTPUT", "stac", "tiles"} <= set(results)
    is_exception(c.results(server.jobs["failed"]), 400, "job-failed")
    raw = c.results(server.jobs["raw"])
    assert raw.status_code == 204 and not raw.content
    assert f'rel="OUTPUT"; type="{declared["OUTPUT"]["schema"]["contentMediaType"]}"' \
        in raw.headers["Link"]
    assert raw.headers["Link"].count("rel=") == len(results)
    tiles_href = raw.headers["Link"].split('rel="tiles"')[0].rsplit("<", 1)[1].split(">")[0]
    assert set(c.get(tiles_href).json()) == {"31TCJ"}
    # Unmatched routes and methods: OGC exceptions, Allow lists every method.
    is_exception(c.get("/no/such/route"), 404, "not-found")
    resp = c.session.put(server.jobs["done"], timeout=10)
    is_exception(resp, 405, "method-not-allowed")
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD", "DELETE"}
    resp = c.session.delete(f"{server.url}/processes", timeout=10)
    assert resp.status_code == 405 and set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD"}


def check_process_description(server):
    for summary in server.client.get("/processes").json()["processes"]:
        desc = server.client.get(f"/processes/{summary['id']}").json()
        assert desc["jobControlOptions"] == ["async-execute"] and desc["version"]
        assert desc["outputTransmission"] == ["reference"]
        for item in (*desc["inputs"].values(), *desc["outputs"].values()):
            assert item["title"] and isinstance(item["schema"], dict)
        assert all(desc["inputs"][k]["minOccurs"] == 1 for k in ("area", "start", "end"))
        assert any(link["rel"].endswith("/execute") for link in desc["links"])


def check_json(server):
    for path in ("/", "/conformance", "/processes", "/processes/snow_cover", "/jobs",
                 server.jobs["done"], server.jobs["done"] + "/results"):
        resp = server.client.get(path)
        assert resp.headers["content-type"] == "application/json", path
        resp.json()


def check_oas30(server):
    resp = server.client.get("/api")
    assert resp.headers["content-type"].startswith("application/vnd.oai.openapi+json")
    api = resp.json()
    assert api["openapi"].startswith("3.0")
    results = api["paths"]["/jobs/{jobId}/results"]["get"]["responses"]
    assert {"200", "204", "400", "404"} <= set(results)       # 400: the job failed
    for pid in (p["id"] for p in server.client.get("/processes").json()["processes"]):
        op = api["paths"][f"/processes/{pid}/execution"]["post"]
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        assert schema["properties"]["inputs"]["required"] == ["area", "start", "end"]
        assert {"201", "400", "413", "429"} <= set(op["responses"])
    names = {p["name"] for p in api["paths"]["/jobs"]["get"]["parameters"]}
    assert {"processID", "status", "type", "datetime", "minDuration", "maxDuration",
            "limit"} <= names


def check_job_list(server):
    c = server.client
    mine = c.get("/jobs").json()["jobs"]
    assert len(mine) >= 3 and all(j["type"] == "process" for j in mine)

    def ids(query):
        resp = c.get("/jobs" + query)
        assert resp.status_code == 200, resp.text
        return {j["jobID"] for j in resp.json()["jobs"]}
    failed = server.jobs["failed"].rsplit("/", 1)[1]
    assert ids("?status=failed") == {failed}
    assert ids("?status=successful,failed") == {j["jobID"] for j in mine}
    assert ids("?processID=land_cover") == set()
    assert ids("?processID=snow_cover&type=process") == {j["jobID"] for j in mine}
    assert ids("?minDuration=0") == {j["jobID"] for j in mine}
    assert ids("?maxDuration=0") == set()                       # every job took some time
    assert ids("?datetime=2000-01-01T00:00:00Z/2001-01-01T00:00:00Z") == set()
    assert ids("?datetime=2000-01-01T00:00:00Z/..") == {j["jobID"] for j in mine}
    is_exception(c.get("/jobs?status=finished"), 400, "invalid-parameter-value")
    is_exception(c.get("/jobs?datetime=yesterday"), 400, "invalid-parameter-value")
    page = c.get("/jobs?limit=1").json()
    assert len(page["jobs"]) == 1
    following = [link for link in page["links"] if link["rel"] == "next"]
    assert following and "limit=1" in following[0]["href"]
    second = c.get(following[0]["href"]).json()["jobs"]
    assert second and second[0]["jobID"] != page["jobs"][0]["jobID"]


def check_dismiss(server):
    c = server.client
    location = execute(server, "snow_cover", {"inputs": TILE})
    resp = c.session.delete(location, timeout=30)
    assert resp.status_code == 200 and resp.json()["status"] == "dismissed"
    is_exception(c.results(location), 404, "no-such-job")


CHECKS = {"core": check_core, "ogc-process-description": check_process_description,
          "json": check_json, "oas30": check_oas30, "job-list": check_job_list,
          "dismiss": check_dismiss}


def test_every_declared_requirement_class(server):
    declared = server.client.get("/conformance").json()["conformsTo"]
    assert {SPEC + name for name in CHECKS} == set(declared)
    for uri in declared:
        CHECKS[uri[len(SPEC):]](server)


@pytest.fixture
def geojson_url(tmp_path):
    """A GeoJSON file served over HTTP on 127.0.0.1."""
    (tmp_path / "area.geojson").write_text(json.dumps(POLYGON))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler,
                                                          directory=str(tmp_path)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/area.geojson"
    httpd.shutdown()


def test_an_area_by_reference(server, geojson_url):
    from backend.errors import InvalidInput
    from backend.processes import parse_execute
    location = execute(server, "snow_cover", {"inputs": {
        **TILE, "area": {"href": geojson_url, "type": "application/geo+json"}}})
    assert server.client.wait(location)["status"] == "successful"
    from backend.store import Store
    assert Store(server.store_url).job(location.rsplit("/", 1)[1]).inputs["area"] == ["31TCJ"]
    # Without the operator's leave, this host's addresses are not fetched.
    with pytest.raises(InvalidInput, match="private network"):
        parse_execute("snow_cover", {"inputs": {**TILE, "area": {"href": geojson_url}}})


def test_owslib_keeps_working(server):
    from owslib.ogcapi.processes import Processes
    token = server.client.session.headers["Authorization"]
    api = Processes(server.url, headers={"Authorization": token})
    assert "snow_cover" in [p["id"] for p in api.processes()]
    assert "area" in api.process("snow_cover")["inputs"]
    status = api.execute("snow_cover", TILE, async_=True)
    assert status["status"] in ("accepted", "running")
    location = api.response_headers["Location"]
    assert server.client.wait(location)["status"] == "successful"
    assert requests.get(location + "/results", headers={"Authorization": token},
                        timeout=30).json()["stac"]["href"]
