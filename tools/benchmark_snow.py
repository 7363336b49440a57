"""Benchmark (not a test): snow cover on one full-size 20 m tile date.

Prints the product's peak memory, its throughput, and the ratio of its time
to the time needed just to read its inputs (B3, B4, B11, CLM, DEM) block by
block, both measured in this run on the same simulated data, each in its own
process so that peaks do not mix.
Usage: python tools/benchmark_snow.py [--size 5490] [--work /tmp/chainon-bench]"""
import argparse
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".pkgroot"))


def make_scene(work, size):
    """One acquisition with data (out-of-swath draws are skipped by seed)."""
    import numpy as np
    from rasterio.windows import Window

    from chainon.core.scenes.snow import make_snow_scene
    from chainon.core.theia import find_products, product_grid, read_reflectance
    day = date(2018, 3, 1)
    for seed in range(20):
        folder = work / f"scene_{size}_{seed}"
        if not folder.exists():
            make_snow_scene(folder, seed=seed, size=size, start=day, end=day)
        product = find_products(folder / "S2")[0]
        grid = product_grid(product).window_grid(Window(0, 0, 48, 48))
        if np.isfinite(read_reflectance(product, "B11", grid)).any():
            return folder
    raise SystemExit("no scene with data")


def child(mode, folder, out):
    """Runs in a fresh process; prints seconds and peak RSS as JSON."""
    from chainon.core.snow_cover import run_snow_cover
    folder, t0 = Path(folder), time.perf_counter()
    if mode == "read":
        read_inputs(folder)
    else:
        run_snow_cover(folder / "S2", folder / "dem_20m.tif", out)
    seconds = time.perf_counter() - t0
    peak_mb = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def peak_rss_mb():
    """VmHWM of this process: unlike ru_maxrss it does not carry the parent's
    peak across fork+exec (the simulator's peak would otherwise show)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def read_inputs(folder):
    """Just the reads the product needs, block by block, same engine."""
    import rasterio

    from chainon.core.blocks import run_blocks, windows
    from chainon.core.theia import find_products, product_grid, read_mask, read_reflectance
    product = find_products(folder / "S2")[0]
    grid = product_grid(product)

    def read(w):
        sub = grid.window_grid(w)
        for band in ("B3", "B4", "B11"):
            read_reflectance(product, band, sub)
        read_mask(product, "CLM", sub)
        with rasterio.open(folder / "dem_20m.tif") as ds:
            ds.read(1, window=w)
    run_blocks(windows(grid.width, grid.height), read, lambda w, r: None)


def measure(mode, folder, out):
    res = subprocess.run([sys.executable, __file__, "--child", mode, str(folder), str(out)],
                         check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=5490)
    parser.add_argument("--work", default="/tmp/chainon-bench")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"Simulating one {args.size} x {args.size} px acquisition (20 m)...")
    folder = make_scene(work, args.size)
    read = measure("read", folder, work / "out")
    prod = measure("product", folder, work / "out")
    mpx = args.size * args.size / 1e6
    print(f"tile: {args.size} x {args.size} px at 20 m, one date")
    print(f"read inputs only : {read['seconds']:.1f} s, peak {read['peak_mb']:.0f} MB")
    print(f"snow cover       : {prod['seconds']:.1f} s, peak {prod['peak_mb']:.0f} MB "
          f"(limit 1536 MB)")
    print(f"throughput       : {mpx / prod['seconds']:.2f} Mpx/s")
    print(f"ratio product / read-only time: {prod['seconds'] / read['seconds']:.2f}")


if __name__ == "__main__":
    main()
