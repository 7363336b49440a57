"""Benchmark of the compute centre (a script, not a test):

    .venv-backend/bin/python -m backend.benchmark [--tiles 4] [--size 240]

1. builds a simulated data lake of a few real French tiles (one year each);
2. runs one national snow cover job over them with 1, then 2 Dask workers
   (LocalCluster, the service's runner and store, no HTTP) and prints the
   speed-up;
3. measures one more tile at twice the size, fits the per-tile CPU cost as
   dates x (fixed + per-pixel), and projects the CPU-hours of a France-wide
   year of each product that runs at the compute centre, printing the
   assumptions."""
import argparse
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from chainon.core.catalog import PRODUCTS
from chainon.core.scenes.lake import make_snow_lake

from .cluster import connect
from .config import Settings
from .runner import JobRunner
from .store import Store
from .tasks import run_tile_task
from .tiles import grid

START, END = date(2017, 9, 1), date(2018, 8, 31)
FULL_TILE_PX = 5490 ** 2           # a Sentinel-2 tile at 20 m
TILES = ("30TYP", "31TCH", "31TCJ", "31TDJ", "31TDH", "31TEJ")
RUNNABLE = {"snow_cover"}          # products core.products.run_tile runs today


def main(argv=None):
    args = _parser().parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="chainon-bench-"))
    tiles = TILES[:args.tiles]
    print(f"Building a lake of {len(tiles)} tiles, {args.size} px, {START} to {END} ...")
    t0 = time.perf_counter()
    scenes = make_snow_lake(work / "lake", {t: grid()[t].origin for t in tiles},
                            size=args.size, start=START, end=END)
    dates = len(next(iter(scenes.values())).dates)
    print(f"  {time.perf_counter() - t0:.0f} s, {dates} acquisitions per tile")

    runs = {n: run_job(work, n, tiles) for n in (1, 2)}
    for n, r in runs.items():
        print(f"{n} worker(s): job {r['wall']:.1f} s (tiles {r['tiles_wall']:.1f} s, "
              f"mosaics+STAC {r['wall'] - r['tiles_wall']:.1f} s); CPU per tile "
              f"{sum(r['cpu']) / len(r['cpu']):.1f} s, cores busy during the tiles "
              f"{sum(r['cpu']) / r['tiles_wall']:.2f}")
    print(f"Speed-up 1 -> 2 workers: x{runs[1]['wall'] / runs[2]['wall']:.2f} for the job, "
          f"x{runs[1]['tiles_wall'] / runs[2]['tiles_wall']:.2f} for the tiles "
          f"(on a {_cpus()}-core machine, load average before the runs "
          f"{os.getloadavg()[0]:.1f})")

    small = sum(runs[1]["cpu"]) / len(runs[1]["cpu"])
    big = measure_big_tile(work, args.size * 2)
    project(args.size, small, big, dates)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _parser():
    p = argparse.ArgumentParser(prog="python -m backend.benchmark", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tiles", type=int, default=4, choices=range(2, len(TILES) + 1))
    p.add_argument("--size", type=int, default=240, help="scene size in pixels (20 m)")
    p.add_argument("--work", help="keep the lake and results in this folder")
    return p


def _cpus():
    return os.cpu_count()


def run_job(work, n_workers, tiles):
    """One job through the service's runner; wall times and per-tile CPU."""
    folder = work / f"run{n_workers}"
    settings = Settings(lake=work / "lake", results=folder / "results",
                        store_url=f"sqlite:///{folder / 'jobs.sqlite'}", workers=n_workers)
    store = Store(settings.store_url)
    client, cluster = connect("local", n_workers)
    try:
        user = store.user_for_token(store.add_user("bench"))
        inputs = {"area": list(tiles), "tiles": list(tiles), "start": str(START),
                  "end": str(END), "params": {}}
        job = store.create_job(user.id, "snow_cover", inputs, list(tiles))
        runner = JobRunner(store, client, settings)
        t0 = time.perf_counter()
        runner.start(job.id)
        tiles_wall = _wait_tiles(store, job.id, len(tiles), t0)
        runner.wait(job.id)
        wall = time.perf_counter() - t0
        done = store.job(job.id)
        assert done.status == "successful", done.message
        cpu = [t.cpu_seconds for t in store.tiles(job.id)]
    finally:
        client.close()
        cluster.close()
    return {"wall": wall, "tiles_wall": tiles_wall, "cpu": cpu}


def _wait_tiles(store, job_id, n, t0):
    while store.job(job_id).tiles_done + store.job(job_id).tiles_failed < n:
        time.sleep(0.05)
    return time.perf_counter() - t0


def measure_big_tile(work, size):
    """CPU seconds of one tile at `size` px, run in this process."""
    print(f"Measuring one tile at {size} px ...")
    make_snow_lake(work / "lake_big", {"31TCJ": grid()["31TCJ"].origin}, size=size,
                   start=START, end=END)
    spec = {"job_id": "big", "product": "snow_cover", "lake": str(work / "lake_big"),
            "results": str(work / "big"), "tile": "31TCJ", "start": str(START),
            "end": str(END), "params": {}}
    result = run_tile_task(spec)
    assert result["state"] == "done", result
    return result["cpu_seconds"]


def project(size, cpu_small, cpu_big, dates):
    """CPU per tile-year = dates x (fixed + per-pixel x pixels), fitted on
    the two sizes, then x the tiles of France."""
    px_small, px_big = size ** 2, (2 * size) ** 2
    per_px = (cpu_big - cpu_small) / dates / (px_big - px_small)
    fixed = cpu_small / dates - per_px * px_small
    n_tiles = len(grid())
    print("\nProjection to a France-wide year (assumptions):")
    print(f"  measured CPU per tile-year: {cpu_small:.1f} s at {size} px, "
          f"{cpu_big:.1f} s at {2 * size} px ({dates} acquisitions)")
    print(f"  fitted cost per acquisition: {fixed * 1e3:.1f} ms + {per_px * 1e9:.1f} ns/pixel")
    print(f"  full tile {FULL_TILE_PX / 1e6:.1f} Mpx (5490 x 5490 at 20 m), {n_tiles} tiles")
    print("  acquisitions per tile-year: 73 (one every 5 days, the simulator's revisit); "
          "x2 where orbits overlap (up to ~150 on some French tiles)")
    print("  CPU time of the worker process; I/O waits on a shared file system not counted")
    for product in PRODUCTS.values():
        if product.id not in RUNNABLE:
            print(f"  {product.id}: not measured (core.products.run_tile does not run it yet)")
            continue
        tile_s = 73 * (fixed + per_px * FULL_TILE_PX)
        total_h = n_tiles * tile_s / 3600
        print(f"  {product.id}: {tile_s / 3600:.2f} CPU-h per tile-year -> "
              f"{total_h:.0f} CPU-h for France (73 dates), {2 * total_h:.0f} CPU-h (146 dates)")


if __name__ == "__main__":
    raise SystemExit(main())
