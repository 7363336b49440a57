"""Benchmark of sharing the service between users (a script, not a test):

    .venv-backend/bin/python -m backend.benchmark_sharing [--big 16] [--pause 1.0]
                                                          [--polls 1000]

Runs the real service (`python -m backend serve`, 2 local workers) on
127.0.0.1 with an empty lake: each tile holds its worker `--pause` seconds
(CHAINON_BACKEND_TILE_PAUSE) and then fails for want of data, so what is
measured is scheduling, not science.

1. Fairness: Alice submits a job of `--big` tiles, Bob right after a 1-tile
   job; Bob's wait (submit -> job ended) is printed alone, then behind
   Alice's job "before" (--tile-slots 1000: every tile handed to Dask at
   once, first come first served, as the service did) and "after" (the
   fair gate: tiles interleaved between users).
2. Status polls: `--polls` concurrent GET /jobs/{id} (one connection each)
   while Alice's job runs: p50, p99, max and the errors by kind."""
import argparse
import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import requests

from .pkgpath import ROOT
from .store import Store

BIG_TILES = ("31TCJ", "31TDJ", "31TCH", "31TDH", "31TEJ", "31TFJ", "31TEK", "31TFK",
             "31TCK", "31TDK", "31TGJ", "31TGK", "31UDP", "31UEP", "31UDQ", "31UEQ",
             "30TYP", "30TXP", "30TYQ", "30TXQ", "31TCL", "31TDL", "31TEL", "31TFL")
SMALL_TILE = "32TNN"
PERIOD = {"start": "2018-01-01", "end": "2018-01-31"}


def main(argv=None):
    args = _parser().parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="chainon-sharing-"))
    print(f"{args.big}-tile job vs 1-tile job, {args.pause} s per tile, 2 workers")
    with Service(work / "alone", args.pause) as svc:
        alone = svc.small_job_wait(big=0)
    print(f"Bob's 1-tile job alone: {alone:.1f} s")
    for label, extra in (("before (FIFO)", ["--tile-slots", "1000"]),
                         ("after (fair)", [])):
        with Service(work / label.split()[0], args.pause, extra) as svc:
            wait = svc.small_job_wait(big=args.big)
            if label.startswith("after"):
                latencies, errors = svc.polls(args.polls)
        print(f"Bob's 1-tile job behind Alice's {args.big} tiles, {label}: {wait:.1f} s")
    lat = sorted(latencies)
    pick = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]) if lat else (lambda q: 0)
    print(f"{args.polls} concurrent status polls: p50 {pick(0.5) * 1000:.0f} ms, "
          f"p99 {pick(0.99) * 1000:.0f} ms, max {pick(1.0) * 1000:.0f} ms, "
          f"errors {sum(errors.values())} {dict(errors) or ''}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def _parser():
    p = argparse.ArgumentParser(prog="python -m backend.benchmark_sharing", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--big", type=int, default=16, choices=range(2, len(BIG_TILES) + 1))
    p.add_argument("--pause", type=float, default=1.0, help="seconds per tile")
    p.add_argument("--polls", type=int, default=1000)
    return p


class Service:
    """The service in a subprocess on a free port of 127.0.0.1."""

    def __init__(self, folder, pause, extra=()):
        self.folder = Path(folder)
        (self.folder / "lake").mkdir(parents=True)
        self.store_url = f"sqlite:///{self.folder / 'jobs.sqlite'}"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.url = f"http://127.0.0.1:{s.getsockname()[1]}"
        self.cmd = [sys.executable, "-m", "backend", "serve", "--lake", str(self.folder / "lake"),
                    "--results", str(self.folder / "results"), "--store", self.store_url,
                    "--workers", "2", "--bind", self.url[len("http://"):], *extra]
        self.env = {**os.environ, "CHAINON_BACKEND_TILE_PAUSE": str(pause)}

    def __enter__(self):
        store = Store(self.store_url)
        self.tokens = {name: store.add_user(name) for name in ("alice", "bob")}
        self.log = open(self.folder / "server.log", "w")
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        for _ in range(300):
            try:
                if requests.get(self.url + "/conformance", timeout=2).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("the service did not start: see " + self.log.name)

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()

    def _submit(self, user, tiles):
        resp = requests.post(f"{self.url}/processes/snow_cover/execution", timeout=30,
                             json={"inputs": {"area": list(tiles), **PERIOD}},
                             headers={"Authorization": f"Bearer {self.tokens[user]}"})
        resp.raise_for_status()
        return resp.headers["Location"]

    def _wait(self, user, location, timeout=600):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            doc = requests.get(location, timeout=30, headers={
                "Authorization": f"Bearer {self.tokens[user]}"}).json()
            if doc["status"] in ("successful", "failed", "dismissed"):
                return doc
            time.sleep(0.1)
        raise TimeoutError(location)

    def small_job_wait(self, big):
        """Seconds from Bob's submit to his job's end, Alice's `big` tiles
        submitted just before (the workers warmed up first: imports)."""
        self._wait("bob", self._submit("bob", BIG_TILES[-2:]))
        if big:
            self.big = self._submit("alice", BIG_TILES[:big])
            time.sleep(0.5)
        t0 = time.perf_counter()
        self._wait("bob", self._submit("bob", [SMALL_TILE]))
        return time.perf_counter() - t0

    def polls(self, n):
        """n concurrent polls of Alice's job while it runs."""
        return asyncio.run(_polls(self.big, self.tokens["alice"], n))


async def _polls(location, token, n):
    """n GETs at once, one connection each. A bare HTTP/1.1 client on
    asyncio streams: a general client's connection pool costs more than the
    service at this concurrency, and is not what is measured."""
    url = urlsplit(location)
    request = (f"GET {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
               f"Authorization: Bearer {token}\r\nConnection: close\r\n\r\n").encode()
    latencies, errors = [], Counter()

    async def one():
        t0 = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection(url.hostname, url.port)
            writer.write(request)
            response = await asyncio.wait_for(reader.read(), 60)
            writer.close()
            status = response[9:12].decode()
            if status != "200":
                errors[f"HTTP {status or 'empty'}"] += 1
                return
            latencies.append(time.perf_counter() - t0)
        except (OSError, asyncio.TimeoutError) as exc:
            errors[type(exc).__name__] += 1
    await asyncio.gather(*(one() for _ in range(n)))
    return latencies, errors


if __name__ == "__main__":
    sys.exit(main())
