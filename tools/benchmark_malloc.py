"""What Dask's worker environment costs the products: distributed's nanny
starts every worker with MALLOC_TRIM_THRESHOLD_=65536 (its config
distributed.nanny.pre-spawn-environ), which also switches off glibc's
adaptive mmap threshold, so every freed block over 128 kB goes back to the
system and the next one comes back zeroed by the kernel (snow cover measured
that at 22 % of its CPU outside Dask).

Each product is simulated once (its lake tile, whole period, as
tools/benchmark.py does) and run in fresh child processes, alternately
without and with that variable, `--pairs` times: CPU seconds (user + system)
and peak memory (VmHWM) of each run, and the ratio of the means, taken in
this run.

Usage: python tools/benchmark_malloc.py [--products crop_carbon ...] [--size S]
                                        [--pairs 3] [--work DIR]"""
import argparse
import os
import shutil
import tempfile
from pathlib import Path
from statistics import mean

import benchmark as bench

DASK_ENV = {"MALLOC_TRIM_THRESHOLD_": "65536"}


def run_once(spec, folder, env):
    shutil.rmtree(spec["out"], ignore_errors=True)
    return bench._child("run", spec, folder, env)


def product_pairs(product, size, pairs, work):
    folder = work / product
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    lake, scene, _ = bench.simulate(product, folder, size)
    spec = dict(product=product, lake=str(lake), out=str(folder / "out"),
                start=str(scene.start), end=str(scene.end))
    runs = {"plain": [], "dask": []}
    for _ in range(pairs):
        runs["plain"].append(run_once(spec, folder, {}))
        runs["dask"].append(run_once(spec, folder, DASK_ENV))
    shutil.rmtree(folder, ignore_errors=True)
    cpu = {k: [r["cpu"] for r in v] for k, v in runs.items()}
    peak = {k: [r["peak"] for r in v] for k, v in runs.items()}
    print(f"{product} {size}² px, {pairs} pairs (load {os.getloadavg()[0]:.1f}): CPU s "
          f"without {_list(cpu['plain'])}, with MALLOC_TRIM_THRESHOLD_=65536 "
          f"{_list(cpu['dask'])}: ratio {mean(cpu['dask']) / mean(cpu['plain']):.3f}; "
          f"peak MB without {_list(peak['plain'], '.0f')}, with {_list(peak['dask'], '.0f')}",
          flush=True)


def _list(values, spec=".1f"):
    return "/".join(format(v, spec) for v in values)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", nargs="+", default=list(bench.PRODUCTS),
                        choices=bench.PRODUCTS)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--work", default=None)
    args = parser.parse_args(argv)
    for name in DASK_ENV:            # "without" must mean without
        os.environ.pop(name, None)
    work = Path(args.work or tempfile.mkdtemp(prefix="chainon-malloc-"))
    work.mkdir(parents=True, exist_ok=True)
    for product in args.products:
        product_pairs(product, max(args.size, bench.MIN_SIZE.get(product, 0)), args.pairs,
                      work)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
