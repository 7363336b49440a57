"""Security of the compute centre over real HTTP on 127.0.0.1: Dask talks
TLS only, files are owner-only, bookkeeping is not served, and messages
show no server path."""
import grp
import os
import stat
from pathlib import Path

import pytest

from backend_testlib import END, START, Server, add_user
from ogc_client import OgcClient

INPUTS = {"area": ["31TCJ"], "start": str(START), "end": str(END)}


@pytest.fixture(scope="module")
def server(lake, tmp_path_factory):
    """The service started under umask 022, as a careless operator would,
    without CHAINON_CACHE_DIR (the tests' conftest sets one)."""
    folder = tmp_path_factory.mktemp("security")
    old = os.umask(0o022)
    try:
        srv = Server(folder, lake, f"sqlite:///{folder / 'jobs.sqlite'}", workers=1,
                     env={"CHAINON_CACHE_DIR": "", "XDG_CACHE_HOME": "",
                          "HOME": str(folder / "home")}).start()
    finally:
        os.umask(old)
    srv.client = OgcClient(srv.url, add_user(srv.store_url, "alice"))
    srv.location = srv.client.submit("snow_cover", INPUTS)
    assert srv.client.wait(srv.location)["status"] == "successful"
    yield srv
    srv.stop()


def test_dask_refuses_clients_without_the_credentials():
    from distributed import Client
    from distributed.security import Security

    from backend.cluster import connect
    client, cluster = connect("local", workers=1)
    try:
        address = client.scheduler.address
        assert address.startswith("tls://")
        assert client.submit(sum, [1, 2]).result() == 3          # the service's own client
        # the workers' spill folder: a new one of the service's, not Dask's shared name
        [scratch] = client.run(lambda dask_worker: dask_worker.local_directory).values()
        private = [p for p in Path(scratch).parents if p.name.startswith("chainon-dask-")]
        assert private and stat.S_IMODE(private[0].stat().st_mode) == 0o700
        # Plain TCP (no TLS), then TLS with a certificate of one's own.
        for kwargs in ({"address": address.replace("tls://", "tcp://")},
                       {"address": address, "security": Security.temporary()}):
            with pytest.raises((OSError, TimeoutError)):
                Client(timeout=5, **kwargs)
    finally:
        client.close()
        cluster.close()


def test_a_scheduler_address_needs_tls_and_certificates(tmp_path):
    from backend.cluster import connect
    from backend.errors import ConfigError
    with pytest.raises(ConfigError, match="must be a tls:// address"):
        connect("tcp://127.0.0.1:8786")
    with pytest.raises(ConfigError, match="--tls-ca-file, --tls-cert, --tls-key"):
        connect("tls://127.0.0.1:8786")
    with pytest.raises(ConfigError, match="does not exist"):
        connect("tls://127.0.0.1:8786", tls=(str(tmp_path / "ca.pem"),) * 3)


def test_store_and_results_are_owner_only(server):
    found = []
    for base in (server.results, server.folder):
        for root, dirs, files in os.walk(base):
            if base == server.folder and root != str(base):
                continue                      # the test's own folder: only its store
            for name in dirs + files:
                path = os.path.join(root, name)
                if base == server.folder and not name.startswith("jobs.sqlite"):
                    continue
                found.append((path, stat.S_IMODE(os.lstat(path).st_mode),
                              0o700 if os.path.isdir(path) else 0o600))
    assert any(p.endswith(".tif") for p, _, _ in found)
    assert any(p.endswith("jobs.sqlite") for p, _, _ in found)
    wrong = [(p, oct(mode)) for p, mode, want in found if mode != want]
    assert not wrong
    assert stat.S_IMODE(server.results.stat().st_mode) == 0o700


def test_dem_cache_is_the_services_own(server):
    """The workers' DEM cache went to the service account's ~/.cache/chainon:
    it is kept under the service's results folder, owner-only."""
    cache = server.results / ".cache"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert list((cache / "dem").glob("*.f32"))              # the job's DEM, warped once
    assert not (server.folder / "home" / ".cache" / "chainon").exists()


def test_dem_cache_on_workers_that_lack_the_services_env(tmp_path, monkeypatch):
    """A PBS/Slurm worker does not inherit the service's environment: its
    task puts the cache in the results folder too; an operator's choice stays."""
    from backend.private import private_cache
    monkeypatch.delenv("CHAINON_CACHE_DIR", raising=False)
    assert private_cache(tmp_path / "results") == tmp_path / "results" / ".cache"
    assert os.environ["CHAINON_CACHE_DIR"] == str(tmp_path / "results" / ".cache")
    assert stat.S_IMODE((tmp_path / "results" / ".cache").stat().st_mode) == 0o700
    monkeypatch.setenv("CHAINON_CACHE_DIR", str(tmp_path / "scratch"))
    assert private_cache(tmp_path / "results") == tmp_path / "scratch"


def test_a_named_group_may_read(tmp_path):
    from backend.private import private_dir, private_file, umask_for
    group = grp.getgrgid(os.getgid()).gr_name
    folder = private_dir(tmp_path / "results", group)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750 | stat.S_ISGID
    (folder / "a.tif").write_bytes(b"x")
    private_file(folder / "a.tif", group)
    assert stat.S_IMODE((folder / "a.tif").stat().st_mode) == 0o640
    assert umask_for(group) == 0o027 and umask_for(None) == 0o077


@pytest.mark.parametrize("path", [
    "tiles/31TCJ.runs", "tiles/31TCJ/tile.json", "tiles/.31TCJ.partial-0000/x.tif",
    "tiles/31TCJ/%00.tif", "stac/collection.json%00", "%2e%2e/%2e%2e/jobs.sqlite",
    "a" * 300 + ".tif", "a/" * 2100 + "x.tif"])         # names too long for the disk
def test_bookkeeping_and_odd_paths_are_not_served(server, path):
    for method in ("GET", "HEAD"):
        resp = server.client.session.request(method, f"{server.location}/files/{path}",
                                             timeout=10)
        assert resp.status_code == 404, (method, path, resp.status_code)


def test_result_files_are_still_served(server):
    results = server.client.results(server.location).json()
    for href in (results["stac"]["href"], results["tiles"]["value"]["31TCJ"]["OUTPUT"]):
        assert server.client.session.head(href, timeout=10).status_code == 200


def test_messages_show_no_server_path(server, lake):
    """A tile lacking a lake file fails with a message naming it relative to
    the lake, never as a path of the server."""
    resp = server.client.execute("mowing_date", {"area": ["31TCJ"], "start": "2018-03-01",
                                                 "end": "2018-06-30"})
    status = server.client.wait(resp.headers["Location"])
    assert status["status"] == "failed"
    [failure] = status["tiles"]["failures"]
    assert "tiles/31TCJ/LAND_COVER/land_cover.tif is missing" in failure["error"]
    text = resp.text + server.client.get(resp.headers["Location"]).text
    assert str(lake) not in text and str(server.results) not in text and "/tmp" not in text
