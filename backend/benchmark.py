"""Benchmark of the compute centre (a script, not a test):

    .venv-backend/bin/python -m backend.benchmark [--tiles 4] [--size 240]
        [--table FILE] [--wait-idle 300] [--no-jobs]

1. builds a simulated data lake of a few real French tiles (one year each);
2. runs one national snow cover job over them with 1, then 2 Dask workers
   (LocalCluster, the service's runner and store, no HTTP) and prints the
   speed-up, with the load average before each run: the speed-up means
   something only on an idle machine (--wait-idle waits up to that many
   seconds for the load to fall below IDLE_LOAD first; the report says when
   it did not);
3. projects the CPU-hours of a France-wide year of every product: from the
   per-tile CPU seconds of tools/benchmark.py's table (--table, the JSON it
   writes with --json), else by measuring each product here on one
   simulated tile at two sizes (core.scenes.lake) and fitting fixed +
   per-pixel. The assumptions are printed with the figures."""
import argparse
import json
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from chainon.core.catalog import PRODUCTS
from chainon.core.scenes.common import TILE_METRES
from chainon.core.scenes.lake import make_lake, make_snow_lake

from .cluster import connect
from .config import Settings
from .runner import JobRunner
from .store import Store
from .tasks import run_tile_task
from .tiles import grid

START, END = date(2017, 9, 1), date(2018, 8, 31)
TILES = ("30TYP", "31TCH", "31TCJ", "31TDJ", "31TDH", "31TEJ")
RUNNABLE = tuple(PRODUCTS)         # core.products.run_tile runs every product
# The smallest scene of each product that trains (tests/backend/test_products.py).
MIN_SIZE = {"forest_height": 64}
IDLE_LOAD = 0.5       # 1-minute load average below which the machine counts as idle
SCENE_OPTIONS = {"snow_cover": dict(start=START, end=END),   # a hydrological year
                 "forest_cuts": dict(years=1)}


def main(argv=None):
    args = _parser().parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="chainon-bench-"))
    if not args.no_jobs:
        speed_up(work, TILES[:args.tiles], args.size, args.wait_idle)
    print("\nProjection to a France-wide year (assumptions):")
    print(f"  {len(grid())} tiles (the service's grid of metropolitan France and Corsica), each "
          "run whole\n  once over the product's period; CPU time of the worker process, I/O "
          "waits on a shared\n  file system not counted;")
    products = args.products.split(",")
    if args.table:
        project_from_table(json.loads(Path(args.table).read_text()), products)
    else:
        print("  cost of a tile = fixed + per-pixel, fitted on the product's simulated scene "
              "at two sizes and\n  extrapolated to a full 109.8 km tile (thousands of times "
              "the pixels measured: a rough estimate)")
        for product in products:
            project(work, product, args.proj_size)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def speed_up(work, tiles, size, wait_idle_s):
    """One national snow cover job with 1, then 2 workers: prints the speed-up."""
    print(f"Building a lake of {len(tiles)} tiles, {size} px, {START} to {END} ...")
    t0 = time.perf_counter()
    scenes = make_snow_lake(work / "lake", {t: grid()[t].origin for t in tiles},
                            size=size, start=START, end=END)
    dates = len(next(iter(scenes.values())).dates)
    print(f"  {time.perf_counter() - t0:.0f} s, {dates} acquisitions per tile")

    runs = {}
    for n in (1, 2):
        load = wait_idle(wait_idle_s)
        runs[n] = dict(run_job(work, n, tiles), load=load)
    for n, r in runs.items():
        print(f"{n} worker(s): job {r['wall']:.1f} s (tiles {r['tiles_wall']:.1f} s, "
              f"mosaics+STAC {r['wall'] - r['tiles_wall']:.1f} s); CPU per tile "
              f"{sum(r['cpu']) / len(r['cpu']):.1f} s, cores busy during the tiles "
              f"{sum(r['cpu']) / r['tiles_wall']:.2f}; load average before {r['load']:.2f}")
    loads = [r["load"] for r in runs.values()]
    idle = ("an idle machine" if max(loads) < IDLE_LOAD else
            f"a machine NOT idle (load average {max(loads):.1f} before a run, other "
            f"processes competed for the cores: the speed-up says little)")
    print(f"Speed-up 1 -> 2 workers: x{runs[1]['wall'] / runs[2]['wall']:.2f} for the job, "
          f"x{runs[1]['tiles_wall'] / runs[2]['tiles_wall']:.2f} for the tiles "
          f"(on a {_cpus()}-core machine, {idle})")


def _parser():
    p = argparse.ArgumentParser(prog="python -m backend.benchmark", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tiles", type=int, default=4, choices=range(2, len(TILES) + 1))
    p.add_argument("--size", type=int, default=240, help="scene size in pixels (20 m)")
    p.add_argument("--work", help="keep the lake and results in this folder")
    p.add_argument("--products", default=",".join(RUNNABLE),
                   help="comma-separated products to project")
    p.add_argument("--no-jobs", action="store_true",
                   help="skip the 1 -> 2 workers job (only the projection)")
    p.add_argument("--table", help="per-tile figures written by tools/benchmark.py --json")
    p.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                   help=f"wait up to this long for the load average to fall below {IDLE_LOAD}")
    p.add_argument("--proj-size", type=int, default=96,
                   help="smaller scene size of the projection (then twice it)")
    return p


def _cpus():
    return os.cpu_count()


def wait_idle(seconds):
    """The 1-minute load average once below IDLE_LOAD, or after `seconds`."""
    end = time.monotonic() + seconds
    while os.getloadavg()[0] >= IDLE_LOAD and time.monotonic() < end:
        time.sleep(5)
    return os.getloadavg()[0]


def project_from_table(table, products):
    """France-wide CPU-hours from the per-tile CPU seconds of the table."""
    print("  per-tile CPU seconds from tools/benchmark.py: a full tile at the product's "
          "resolution over\n  its simulated period and number of acquisitions (printed "
          "below); tiles seen from two\n  orbits have up to twice as many acquisitions and "
          "cost up to twice as much;\n  products that train on the tile (land cover, crop "
          "yield, irrigation,\n  forest height) include training, whose samples grow with "
          "the scene only up to\n  a cap: their figures are upper bounds")
    total = 0.0
    for product in products:
        row = table.get(product)
        if not row:
            print(f"  {product}: not in the table")
            continue
        hours = len(grid()) * row["cpu"] / 3600
        total += hours
        how = "extrapolated" if row["extrapolated"] else "measured"
        print(f"  {product}: {row['cpu'] / 3600:.2f} CPU-h per tile ({how}: {row['basis']}; "
              f"{row['dates']} acquisitions, {row['period']}) -> {hours:.0f} CPU-h for France")
    print(f"  all products: {total:.0f} CPU-h for a France-wide year")


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


def measure_tile(work, product, size):
    """(CPU seconds, scene) of one tile of the product's scene at `size` px,
    run in this process as a worker runs it."""
    lake = work / f"lake_{product}_{size}"
    scene = make_lake(product, lake, {"31TCJ": grid()["31TCJ"].origin}, size=size,
                      **SCENE_OPTIONS.get(product, {}))["31TCJ"]
    spec = {"job_id": f"{product}-{size}", "product": product, "lake": str(lake),
            "results": str(work / "measure"), "tile": "31TCJ", "start": str(scene.start),
            "end": str(scene.end), "params": {}}
    result = run_tile_task(spec)
    assert result["state"] == "done", result
    return result["cpu_seconds"], scene


def project(work, product, size):
    """Fits CPU = fixed + per-pixel on two scene sizes; prints the France-wide
    CPU-hours of one run per tile over the scene's period."""
    size = max(size, MIN_SIZE.get(product, 0))
    cpu_small, scene = measure_tile(work, product, size)
    cpu_big, _ = measure_tile(work, product, 2 * size)
    px_small, px_big = size ** 2, (2 * size) ** 2
    per_px = max(cpu_big - cpu_small, 0.0) / (px_big - px_small)
    fixed = cpu_small - per_px * px_small
    res = scene.grid.res
    full_px = round(TILE_METRES / res) ** 2
    tile_s = fixed + per_px * full_px
    print(f"  {product}: {cpu_small:.1f} s at {size} px, {cpu_big:.1f} s at {2 * size} px "
          f"({res:g} m, {len(scene.dates)} acquisitions, {scene.start} to {scene.end}) -> "
          f"{tile_s / 3600:.2f} CPU-h per tile, {len(grid()) * tile_s / 3600:.0f} CPU-h for "
          "France")


if __name__ == "__main__":
    raise SystemExit(main())
