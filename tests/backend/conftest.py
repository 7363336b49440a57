"""Backend tests: no QGIS, their own venv (make backend-venv), real HTTP on
127.0.0.1 with the service in a subprocess, PostgreSQL as a real server.

    .venv-backend/bin/python -m pytest tests/backend -q -p no:qgis
"""
import importlib.util
import itertools
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from backend_testlib import (END, LAKE_TILES, ROOT, START, Server, as_postgres, free_port,
                             pg_bin)

if importlib.util.find_spec("fastapi") is None:
    # The plugin's QGIS venv has no backend stack: these run in .venv-backend.
    collect_ignore_glob = ["test_*.py"]
else:
    sys.path.insert(0, str(ROOT))
    import backend  # noqa: F401  (makes `chainon` importable)


def pytest_configure(config):
    # rasterio 1.4 multiplies Affines with `*`, which affine 3 deprecates.
    config.addinivalue_line("filterwarnings",
                            "ignore:Use `@` matmul:PendingDeprecationWarning")


@pytest.fixture(scope="session")
def lake(tmp_path_factory):
    """A simulated data lake over real French tiles (tiny scenes, 3 months)."""
    from backend.tiles import grid
    from chainon.core.scenes.lake import make_snow_lake
    root = tmp_path_factory.mktemp("lake")
    make_snow_lake(root, {t: grid()[t].origin for t in LAKE_TILES}, size=56, seed=5,
                   start=START, end=END)
    return root


@pytest.fixture
def make_server(tmp_path_factory):
    servers = []

    def make(lake, store_url=None, **kwargs):
        folder = tmp_path_factory.mktemp("server")
        server = Server(folder, lake, store_url or f"sqlite:///{folder / 'jobs.sqlite'}",
                        **kwargs)
        servers.append(server)
        return server
    yield make
    for server in servers:
        server.stop(crash=True)


@pytest.fixture(scope="session")
def postgres():
    """{"url": admin URL, "new_db": f(name) -> URL of a fresh database}."""
    if pg_bin() is None:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    bindir = pg_bin()
    assert bindir, "PostgreSQL could not be installed"
    data = tempfile.mkdtemp(prefix="chainon-pg-")
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = free_port()
    as_postgres([str(bindir / "initdb"), "-D", data, "-A", "trust", "-U", "postgres",
                 "--no-sync"])
    as_postgres([str(bindir / "pg_ctl"), "-D", data, "-l", f"{data}/server.log", "-w",
                 "-o", f"-h 127.0.0.1 -p {port} -k {data} -c fsync=off", "start"])
    admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    counter = itertools.count()

    def new_db(prefix):
        import psycopg
        name = f"{prefix}_{next(counter)}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{port}/{name}"
    yield {"url": admin, "new_db": new_db}
    as_postgres([str(bindir / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"])
    shutil.rmtree(data, ignore_errors=True)
