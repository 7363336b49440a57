"""Long national jobs survive what happens to them: a Dask worker killed
mid-job, the service crashing and restarting mid-job, a user cancelling."""
import os
import signal
import subprocess
import time

import pytest

from backend_testlib import (END, LAKE_TILES, PAUSE_ENV, PY, ROOT, START, add_user,
                             free_port, tls_args, tls_files)
from ogc_client import OgcClient

INPUTS = {"area": list(LAKE_TILES), "start": str(START), "end": str(END)}


def runs(server, job_id):
    """{tile: times computed}, from the per-tile run counters."""
    folder = server.results / job_id / "tiles"
    return {p.stem: len(p.read_text().splitlines()) for p in folder.glob("*.runs")}


def wait_for(predicate, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"no {what} after {timeout} s")


@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and two workers of our own, so that one can be killed;
    TLS with the operator's certificates. Yields (address, workers, TLS files)."""
    port = free_port()
    tls = tls_files(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), PAUSE_ENV: "1.5"}
    logs = open(tmp_path / "dask.log", "w")

    def start(*args):
        return subprocess.Popen([PY, "-m", *args], cwd=ROOT, env=env, stdout=logs,
                                stderr=subprocess.STDOUT)
    scheduler = start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                      str(port), "--no-dashboard", "--protocol", "tls", *tls_args(tls))
    address = f"tls://127.0.0.1:{port}"
    workers = [start("distributed.cli.dask_worker", address, "--nthreads", "1",
                     "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", *tls_args(tls))
               for _ in range(2)]
    from distributed import Client

    from backend.cluster import security_from_files
    with Client(address, timeout=60, security=security_from_files(*tls)) as client:
        client.wait_for_workers(2, timeout=60)        # both up before the job starts
    yield address, workers, tls
    for proc in [*workers, scheduler]:
        proc.kill()
        proc.wait()
    logs.close()


def test_a_killed_worker_does_not_fail_the_job(lake, make_server, dask_cluster):
    address, workers, tls = dask_cluster
    server = make_server(lake, scheduler=address, args=tls_args(tls)).start()
    client = OgcClient(server.url, add_user(server.store_url, "alice"))
    location = client.submit("snow_cover", INPUTS)
    job_id = location.rsplit("/", 1)[1]
    wait_for(lambda: len(runs(server, job_id)) >= 2, what="two tiles running")
    workers[0].send_signal(signal.SIGKILL)             # mid-tile: both workers are busy
    status = client.wait(location)
    assert status["status"] == "successful", status
    assert status["tiles"]["done"] == len(LAKE_TILES) and status["tiles"]["failed"] == 0
    assert sum(runs(server, job_id).values()) > len(LAKE_TILES)   # the lost tile ran again


def test_a_restarted_service_resumes_without_recomputing(lake, make_server):
    server = make_server(lake, workers=1, env={PAUSE_ENV: "1.0"}).start()
    client = OgcClient(server.url, add_user(server.store_url, "alice"))
    location = client.submit("snow_cover", INPUTS)
    job_id = location.rsplit("/", 1)[1]
    wait_for(lambda: client.get(location).json()["tiles"]["done"] >= 2, what="two tiles done")
    before = {t.tile: t for t in _done_tiles(server, job_id)}
    mtimes = {tile: _mtimes(server, job_id, tile) for tile in before}
    server.stop(crash=True)                            # service and workers killed at once
    # What interrupted runs leave: private folders of a tile done already
    # and of one that will be recomputed.
    redo = sorted(set(LAKE_TILES) - set(before))[0]
    for tile in (sorted(before)[0], redo):
        stale = server.results / job_id / "tiles" / f".{tile}.partial-dead{tile}"
        stale.mkdir()
        (stale / "part.tif").write_bytes(b"half")

    server.start()
    status = client.wait(location)
    assert status["status"] == "successful", status
    assert status["tiles"]["done"] == len(LAKE_TILES)
    counts = runs(server, job_id)
    for tile in before:                                # finished before the crash: not rerun
        assert counts[tile] == 1
        assert _mtimes(server, job_id, tile) == mtimes[tile]
    assert set(counts) == set(LAKE_TILES)
    # The private folders of the tiles the crash interrupted are gone.
    assert not list((server.results / job_id / "tiles").glob(".*"))


def _done_tiles(server, job_id):
    from backend.store import Store
    return [t for t in Store(server.store_url).tiles(job_id) if t.state == "done"]


def _mtimes(server, job_id, tile):
    folder = server.results / job_id / "tiles" / tile
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.tif")}


def test_cancel_stops_the_work_and_dismisses(lake, make_server):
    # Each tile would take 30 s: only a real cancel ends the job in seconds.
    server = make_server(lake, workers=1, env={PAUSE_ENV: "30"}).start()
    client = OgcClient(server.url, add_user(server.store_url, "alice"))
    location = client.submit("snow_cover", INPUTS)
    job_id = location.rsplit("/", 1)[1]
    wait_for(lambda: runs(server, job_id), what="a tile running")
    assert client.get(location).json()["status"] == "running"
    early = client.results(location)
    assert early.status_code == 404 and early.json()["type"].endswith("/result-not-ready")

    resp = client.session.delete(location)
    assert resp.status_code == 200 and resp.json()["status"] == "dismissed"
    job_folder = server.results / job_id
    wait_for(lambda: not job_folder.exists(), timeout=10, what="results removed")
    assert client.get(location).json()["status"] == "dismissed"
    assert client.results(location).status_code == 404
    listed = {j["jobID"]: j["status"] for j in client.get("/jobs").json()["jobs"]}
    assert listed[job_id] == "dismissed"
    time.sleep(1.5)                                    # nothing comes back to life
    assert not job_folder.exists()
    assert not (server.results / ".cancel" / job_id).exists()     # the marker went too
