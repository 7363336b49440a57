"""What the backend tests share: the service in a subprocess, constants,
PostgreSQL helpers. Only the standard library at import time."""
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
START, END = date(2017, 12, 1), date(2018, 2, 28)
LAKE_TILES = ("30TYP", "31TCH", "31TCJ", "31TDJ")   # around Toulouse, two UTM zones
MISSING_TILE = "31UDQ"                             # in France's grid, not in the lake
PAUSE_ENV = "CHAINON_BACKEND_TILE_PAUSE"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m backend serve` in its own process group, on a free port."""

    def __init__(self, folder, lake, store_url, scheduler="local", workers=2, env=None,
                 args=()):
        self.folder, self.lake, self.store_url = Path(folder), lake, store_url
        self.results = self.folder / "results"
        self.scheduler, self.workers, self.env = scheduler, workers, env or {}
        self.args = list(args)          # more `serve` options
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, timeout=90, attempts=3):
        """Starts the service; on another free port when the one drawn was
        taken meanwhile (the service's own Dask cluster may take it first)."""
        for attempt in range(attempts):
            try:
                return self._start(timeout)
            except RuntimeError as e:
                if "address already in use" not in str(e) or attempt == attempts - 1:
                    raise
                self.port = free_port()
                self.url = f"http://127.0.0.1:{self.port}"

    def _start(self, timeout):
        import requests
        self.log = open(self.folder / f"server-{time.time_ns()}.log", "w")
        cmd = [PY, "-m", "backend", "serve", "--lake", str(self.lake), "--results",
               str(self.results), "--store", self.store_url, "--scheduler", self.scheduler,
               "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}", *self.args]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **self.env}, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.read_log()}")
            try:
                if requests.get(self.url + "/conformance", timeout=2).ok:
                    return self
            except requests.RequestException:     # not up yet, or another's port
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not up in {timeout} s: {self.read_log()}")

    def read_log(self):
        self.log.flush()
        return Path(self.log.name).read_text()[-4000:]

    def stop(self, crash=False):
        """SIGTERM (clean stop), or SIGKILL to the whole group: a crash of the
        service and of its local workers."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL if crash else signal.SIGTERM)
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        except ProcessLookupError:
            pass
        if crash:       # stray children of the group, if any, go too
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


def add_user(store_url, name):
    from backend.store import Store
    return Store(store_url).add_user(name)


# PostgreSQL: a real server on 127.0.0.1, in a temporary folder. CI runs as
# root, and PostgreSQL refuses to run as root: its commands run as `postgres`.

def pg_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def as_postgres(cmd, **kwargs):
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)




def tls_files(folder):
    """(ca, cert, key) PEM files for Dask TLS: a self-signed certificate that
    is its own CA, as an operator's PKI would issue."""
    from distributed.security import Security
    sec = Security.temporary()
    folder = Path(folder)
    (folder / "cert.pem").write_text(sec.tls_client_cert)
    (folder / "key.pem").write_text(sec.tls_client_key)
    return str(folder / "cert.pem"), str(folder / "cert.pem"), str(folder / "key.pem")


def tls_args(files):
    ca, cert, key = files
    return ["--tls-ca-file", ca, "--tls-cert", cert, "--tls-key", key]
