"""OGC API - Processes over real HTTP on 127.0.0.1: discovery, the full cycle
with a plain client (on SQLite and on PostgreSQL), users, bad inputs."""
import subprocess
import time

import numpy as np
import pytest
import rasterio
from rasterio.warp import transform, transform_bounds
from rasterio.windows import from_bounds

from backend.auth import USER_TTL
from chainon.core.catalog import PRODUCTS
from backend_testlib import END, LAKE_TILES, MISSING_TILE, PY, ROOT, START, add_user
from ogc_client import OgcClient

SPEC = "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/"
INPUTS = {"area": list(LAKE_TILES) + [MISSING_TILE], "start": str(START), "end": str(END)}


@pytest.fixture(scope="module")
def server(lake, tmp_path_factory):
    """The service; the port drawn first is taken meanwhile, as another
    process may take it: the start retries on another."""
    import socket
    from backend_testlib import Server
    folder = tmp_path_factory.mktemp("api")
    srv = Server(folder, lake, f"sqlite:///{folder / 'jobs.sqlite'}", workers=2)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", srv.port))
        taken.listen()
        first = srv.port
        srv.start()
    assert srv.port != first
    srv.tokens = {name: add_user(srv.store_url, name) for name in ("alice", "bob")}
    yield srv
    srv.stop()


def test_discovery(server):
    client = OgcClient(server.url)
    rels = {link["rel"] for link in client.get("/").json()["links"]}
    assert {"service-desc", "conformance", "http://www.opengis.net/def/rel/ogc/1.0/processes",
            "http://www.opengis.net/def/rel/ogc/1.0/job-list"} <= rels
    assert set(client.get("/conformance").json()["conformsTo"]) == {
        SPEC + c for c in ("core", "ogc-process-description", "json", "oas30", "job-list",
                           "dismiss")}
    api = client.get("/api")
    assert api.headers["content-type"].startswith("application/vnd.oai.openapi+json")
    assert api.json()["openapi"].startswith("3.0")
    assert {f"/processes/{p}/execution" for p in PRODUCTS} <= set(api.json()["paths"])
    listed = client.get("/processes").json()["processes"]
    assert [p["id"] for p in listed] == list(PRODUCTS)     # one process per product
    desc = client.get("/processes/snow_cover").json()
    assert desc["jobControlOptions"] == ["async-execute"]
    assert {"area", "start", "end", "ndsi_pass1"} <= set(desc["inputs"])
    assert desc["inputs"]["ndsi_pass1"]["schema"] == {"type": "number", "default": 0.4,
                                                      "minimum": 0, "maximum": 1}
    assert {"OUTPUT", "OUTPUT_SOD", "OUTPUT_SMOD", "OUTPUT_NOBS", "stac", "tiles"} == set(
        desc["outputs"])
    assert client.get("/processes/nope").status_code == 404


def full_cycle(server, token, tmp_path):
    """Execute, poll, fetch results, check the mosaic against the tiles."""
    client = OgcClient(server.url, token)
    assert "snow_cover" in [p["id"] for p in client.get("/processes").json()["processes"]]
    created = client.execute("snow_cover", INPUTS)
    assert created.status_code == 201, created.text
    assert created.json()["status"] in ("accepted", "running")
    location = created.headers["Location"]
    assert location == f"{server.url}/jobs/{created.json()['jobID']}"
    seen = []
    status = client.wait(location, seen=seen)
    assert status["status"] == "successful", status
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress) and progress[-1] == 100
    # The tile missing from the lake failed, and said why, without hiding the others.
    assert status["tiles"] == {"planned": 5, "done": 4, "failed": 1, "failures": [
        {"tile": MISSING_TILE, "error": f"No Sentinel-2 data for tile {MISSING_TILE} "
                                         "in the data lake."}]}
    assert MISSING_TILE in status["message"]
    assert any(link["rel"].endswith("/results") for link in status["links"])
    assert status["jobID"] in [j["jobID"] for j in client.get("/jobs").json()["jobs"]]

    results = client.results(location).json()
    assert set(results["tiles"]["value"]) == set(LAKE_TILES)
    mosaic = _download(client, results["OUTPUT"]["href"], tmp_path / "mosaic.tif")
    tiles = {t: _download(client, links["OUTPUT"]["href"] if isinstance(links["OUTPUT"], dict)
                          else links["OUTPUT"], tmp_path / f"{t}.tif")
             for t, links in results["tiles"]["value"].items()}
    _check_mosaic(mosaic, tiles)
    assert client.get(results["OUTPUT"]["href"][:-4] + ".qml").status_code == 200

    collection = client.get(results["stac"]["href"]).json()
    items = [link["href"] for link in collection["links"] if link["rel"] == "item"]
    assert len(items) == 4 and all(h.startswith(server.url) for h in items)
    item = client.get(items[0]).json()
    assert item["properties"]["proj:epsg"] in (32630, 32631, 32632)
    assert client.get(item["assets"]["OUTPUT"]["href"]).status_code == 200
    assert set(collection["assets"]) == {"OUTPUT", "OUTPUT_SOD", "OUTPUT_SMOD", "OUTPUT_NOBS"}
    return location


def _download(client, href, path):
    resp = client.get(href)
    assert resp.status_code == 200, href
    path.write_bytes(resp.content)
    return path


def _check_mosaic(mosaic_path, tile_paths):
    """Around each tile, every valid mosaic pixel holds the value of the tile
    pixel under its centre (nearest neighbour), and the tile's pixels are all
    there. Read window by window: the mosaic spans hundreds of km."""
    with rasterio.open(mosaic_path) as m:
        assert m.crs.to_epsg() == 2154 and m.nodata == 65535 and m.overviews(1)
        for path in tile_paths.values():
            with rasterio.open(path) as t:
                tile = t.read(1)
                window = from_bounds(*transform_bounds(t.crs, m.crs, *t.bounds),
                                     m.transform).round_offsets().round_lengths()
                data = m.read(1, window=window, boundless=True, fill_value=m.nodata)
                rows, cols = np.nonzero(data != m.nodata)
                xs, ys = rasterio.transform.xy(m.window_transform(window), rows, cols)
                r, c = rasterio.transform.rowcol(t.transform, *transform(m.crs, t.crs, xs, ys))
                r, c = np.asarray(r), np.asarray(c)
                inside = (r >= 0) & (r < t.height) & (c >= 0) & (c < t.width)
                assert inside.all()                     # nothing but this tile here
                same = tile[r, c] == data[rows, cols]
                assert same.mean() > 0.995              # GDAL's approximate transformer
                valid = int((tile != t.nodata).sum())
                assert abs(len(rows) - valid) / valid < 0.05


def test_full_cycle_on_sqlite(server, tmp_path):
    location = full_cycle(server, server.tokens["alice"], tmp_path)
    # Range requests, as GDAL's /vsicurl/ makes them (QGIS opens COGs so).
    client = OgcClient(server.url, server.tokens["alice"])
    href = client.results(location).json()["OUTPUT"]["href"]
    part = client.get(href, headers={"Range": "bytes=0-1023"})
    assert part.status_code == 206 and len(part.content) == 1024
    assert part.headers["content-range"].startswith("bytes 0-1023/")
    for bad in ("bytes=", "bytes=5-3", "items=0-10", "bytes=a-b", "bytes=-", "0-10"):
        answer = client.get(href, headers={"Range": bad})
        assert answer.status_code == 400, bad        # was Starlette's plain text
        assert answer.json()["type"].endswith("invalid-range"), bad
    assert client.get(href, headers={"Range": "bytes=0-0, 10-"}).status_code == 206
    assert client.get(href, headers={"Range": "bytes=999999999-"}).status_code == 416
    env = {"GDAL_HTTP_HEADERS": f"Authorization: Bearer {server.tokens['alice']}",
           "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR"}
    with rasterio.Env(**env), rasterio.open("/vsicurl/" + href) as ds:
        assert ds.crs.to_epsg() == 2154 and ds.overviews(1)


def test_full_cycle_on_postgresql(lake, postgres, make_server, tmp_path):
    url = postgres["new_db"]("api")
    server = make_server(lake, url, workers=2).start()
    full_cycle(server, add_user(url, "carol"), tmp_path)


def test_users_see_only_their_own_jobs(server):
    out = subprocess.run([PY, "-m", "backend", "users", "add", "dave", "--store",
                          server.store_url], cwd=ROOT, capture_output=True, text=True, check=True)
    dave = OgcClient(server.url, out.stdout.strip())
    location = dave.submit("snow_cover", {**INPUTS, "area": ["31TCJ"]})
    assert dave.wait(location)["status"] == "successful"
    job_id = location.rsplit("/", 1)[1]

    anonymous, bob = OgcClient(server.url), OgcClient(server.url, server.tokens["bob"])
    files = f"/jobs/{job_id}/files/stac/collection.json"
    for path in ("/jobs", f"/jobs/{job_id}", f"/jobs/{job_id}/results", files):
        assert anonymous.get(path).status_code == 401
        assert OgcClient(server.url, "chn_forged").get(path).status_code == 401
    assert anonymous.execute("snow_cover", INPUTS).status_code == 401
    for path in (f"/jobs/{job_id}", f"/jobs/{job_id}/results", files):
        assert bob.get(path).status_code == 404
    assert bob.session.delete(f"{server.url}/jobs/{job_id}").status_code == 404
    assert job_id not in [j["jobID"] for j in bob.get("/jobs").json()["jobs"]]
    assert dave.get(files).status_code == 200

    subprocess.run([PY, "-m", "backend", "users", "revoke", "dave", "--store",
                    server.store_url], cwd=ROOT, check=True)
    deadline = time.monotonic() + USER_TTL + 3     # who a token is stays cached USER_TTL s
    while dave.get(f"/jobs/{job_id}").status_code != 401:
        assert time.monotonic() < deadline, "the revoked token still works"
        time.sleep(0.2)


def test_a_job_whose_tiles_all_fail_has_failed(server):
    client = OgcClient(server.url, server.tokens["bob"])
    status = client.wait(client.submit("snow_cover", {**INPUTS, "area": [MISSING_TILE]}))
    assert status["status"] == "failed"
    assert status["message"] == (f"All 1 tiles failed: {MISSING_TILE}: No Sentinel-2 data "
                                 f"for tile {MISSING_TILE} in the data lake.")
    failed = client.results(f"{server.url}/jobs/{status['jobID']}")
    assert failed.status_code == 400 and failed.json()["detail"] == status["message"]
    assert failed.json()["type"].endswith("/job-failed")


@pytest.mark.parametrize("inputs, words", [
    ({**INPUTS, "area": ["31TZZ"]}, "Unknown tile"),
    ({**INPUTS, "area": []}, "empty"),
    ({**INPUTS, "area": {"bbox": [-20, 45, -19, 46]}}, "empty"),
    ({**INPUTS, "start": "2017-01-01", "end": "2018-12-31"}, "at most 400 days"),
    ({**INPUTS, "start": "2018-03-01"}, "after the end date"),
    ({**INPUTS, "start": "1st of May"}, "YYYY-MM-DD"),
    ({"area": "france", "start": str(START)}, "Missing input"),
    ({**INPUTS, "colour": "blue"}, "Unknown input"),
    ({**INPUTS, "ndsi_pass1": "high"}, "must be a number"),
    ({**INPUTS, "area": "31"}, "Department"),
])
def test_bad_inputs_are_answered_400(server, inputs, words):
    resp = OgcClient(server.url, server.tokens["alice"]).execute("snow_cover", inputs)
    assert resp.status_code == 400
    assert words in resp.json()["detail"]


def test_malformed_requests(server):
    client = OgcClient(server.url, server.tokens["alice"])
    url = f"{server.url}/processes/snow_cover/execution"
    resp = client.session.post(url, data="{inputs: ", headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and "not valid JSON" in resp.json()["detail"]
    resp = client.session.post(url, json=["not", "an", "object"])
    assert resp.status_code == 400 and '"inputs"' in resp.json()["detail"]
    resp = client.execute("no_such_product", INPUTS)
    assert resp.status_code == 404 and resp.json()["type"].endswith("/no-such-process")
    assert client.get("/jobs/unknown-job").status_code == 404


def test_non_finite_numbers_are_refused_on_sqlite(server):
    client = OgcClient(server.url, server.tokens["bob"])
    before = len(client.get("/jobs").json()["jobs"])
    body = ('{"inputs": {"area": ["31TCJ"], "start": "2018-01-01", "end": "2018-01-31", '
            '"ndsi_pass1": NaN}}')
    resp = client.session.post(f"{server.url}/processes/snow_cover/execution", data=body,
                               headers={"Content-Type": "application/json"}, timeout=30)
    assert resp.status_code == 400 and "must be finite" in resp.json()["detail"]
    assert len(client.get("/jobs").json()["jobs"]) == before
