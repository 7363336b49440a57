"""Benchmark (not a test): snow cover on one full-size 20 m tile date.

Measured in this run, on the same simulated acquisition, each in its own
process so that peaks do not mix, in CPU seconds (user + system of every
thread: the machine may be shared, so wall times mean little):
  - the read floor: decoding the four inputs (B3 and B4 at 10 m, B11 and
    CLM at 20 m) window by window, nothing else, glibc keeping freed memory
    as during the product (snow_cover.freed_memory_kept);
  - the snow cover product (LIS, per-date map and syntheses), first with an
    empty DEM cache (the DEM warped onto the tile), then with the cache warm
    (the cost of every further date or run on the tile);
  - the cost of each further date: the product on the same acquisition
    re-dated three times (files linked, 5 days apart), less the one-date
    run, per further date (what a season's run pays per date: the
    syntheses are written once, and the start-up paid once);
  - the read floor and the product again on a copy of the acquisition whose
    four inputs are uncompressed GeoTIFFs (the simulator writes DEFLATE;
    the real THEIA files in shared/data/real are uncompressed): how much
    the ratio owes to the input files' compression;
  - the read floor and the product on a copy of the acquisition as Sen2Cor
    delivers it (JPEG 2000 bands, SCL; core/sen2cor_copy.py);
  - Orfeo ToolBox doing LIS pass 1 alone (2 x Superimpose + BandMath), when
    otbcli_Superimpose is installed (Debian: otb-bin).
With --baseline DIR (a folder holding another version's `chainon` package,
e.g. from `git archive`), that version's snow cover is measured too, in the
same run.
--json FILE also writes a summary for tools/benchmark.py's table.
Usage: python tools/benchmark_snow.py [--size 5490] [--work /tmp/chainon-bench]
                                      [--baseline DIR] [--json FILE]"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("CHAINON_BENCH_PKGROOT") or str(ROOT / ".pkgroot"))
sys.path.insert(0, str(ROOT / "tools"))
from scene_copies import linked_copy, sen2cor_copy, uncompressed_copy  # noqa: E402


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


def dated_copies(folder, n):
    """`folder`'s acquisition n times, 5 days apart: every file linked under
    re-dated names, the metadata re-dated (dates are read from both)."""
    out = folder.parent / f"{folder.name}_x{n}"
    if out.exists():
        return out
    src = next((folder / "S2").iterdir())
    for k in range(n):
        day = date(2018, 3, 1) + timedelta(days=5 * k)

        def dated(text, day=day):
            return text.replace("20180301", f"{day:%Y%m%d}").replace("2018-03-01", f"{day}")

        def metadata(path, target, dated=dated):
            if path.suffix == ".xml":
                target.write_text(dated(path.read_text()))
                return True
            return False
        linked_copy(src, out / "S2" / dated(src.name), dated, metadata)
    (out / "dem_20m.tif").symlink_to(folder / "dem_20m.tif")
    return out


def cpu_seconds(who=resource.RUSAGE_SELF):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def child(mode, folder, out):
    """Runs in a fresh process; prints CPU seconds and peak RSS as JSON."""
    from chainon.core import snow_cover
    folder = Path(folder)
    t0, wall = cpu_seconds(), time.perf_counter()
    if mode == "read":
        with snow_cover.freed_memory_kept():    # the allocator as the product has it
            read_inputs(folder)
    else:
        shutil.rmtree(out, ignore_errors=True)
        snow_cover.run_snow_cover(folder / "S2", folder / "dem_20m.tif", out)
    print(json.dumps({"cpu": cpu_seconds() - t0, "wall": time.perf_counter() - wall,
                      "peak_mb": peak_rss_mb()}))


def peak_rss_mb():
    """VmHWM of this process: unlike ru_maxrss it does not carry the parent's
    peak across fork+exec (the simulator's peak would otherwise show)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def input_paths(folder):
    from chainon.core.theia import find_products
    product = find_products(folder / "S2")[0]
    return product, [product.band_path(b) for b in ("B3", "B4", "B11")] + [
        product.mask_path("CLM", "R2")]


def read_inputs(folder):
    """Just the decoding of the inputs, window by window, in the same engine
    and threads, one open dataset per file and thread."""
    import threading

    import rasterio
    from rasterio.windows import Window

    from chainon.core.blocks import run_blocks, windows
    from chainon.core.snow import LisParams
    from chainon.core.snow_cover import _Acquisition
    from chainon.core.theia import product_grid
    product, paths = input_paths(folder)
    grid = product_grid(product)
    block = _Acquisition(product, grid).block(LisParams().rf)   # the product's windows
    local = threading.local()

    def read(w):
        if not hasattr(local, "files"):
            local.files = [rasterio.open(p) for p in paths]
        for ds in local.files:
            k = round(grid.res / ds.transform.a)
            ds.read(1, window=Window(w.col_off * k, w.row_off * k, w.width * k, w.height * k))
    run_blocks(windows(grid.width, grid.height, block), read, lambda w, r: None)


def otb_pass1(folder):
    """LIS pass 1 as LIS runs it with OTB: B3 and B4 superimposed onto the B11
    grid, then BandMath; CPU seconds of the three commands, or None."""
    if not shutil.which("otbcli_Superimpose"):
        return None
    _, (b3, b4, b11, clm) = input_paths(folder)
    env = {**os.environ, "OTB_LOGGER_LEVEL": "WARNING"}
    # LIS pass 1: not cloud, NDSI > 0.4, red > 0.20 (x10000)
    expr = "(im4b1 == 0 and (im1b1 - im3b1) / (im1b1 + im3b1) > 0.4 and im2b1 > 2000) ? 1 : 0"
    with tempfile.TemporaryDirectory() as tmp:
        g, r = f"{tmp}/green.tif", f"{tmp}/red.tif"
        commands = [
            ["otbcli_Superimpose", "-inr", b11, "-inm", b3, "-out", g, "int16"],
            ["otbcli_Superimpose", "-inr", b11, "-inm", b4, "-out", r, "int16"],
            ["otbcli_BandMath", "-il", g, r, b11, clm, "-out", f"{tmp}/pass1.tif", "uint8",
             "-exp", expr]]
        t0 = cpu_seconds(resource.RUSAGE_CHILDREN)
        for cmd in commands:
            subprocess.run(cmd, check=True, capture_output=True, env=env)
        return cpu_seconds(resource.RUSAGE_CHILDREN) - t0


def measure(mode, folder, out, cache, pkgroot=None):
    env = {**os.environ, "CHAINON_CACHE_DIR": str(cache)}
    if pkgroot:
        env["CHAINON_BENCH_PKGROOT"] = str(pkgroot)
    res = subprocess.run([sys.executable, __file__, "--child", mode, str(folder), str(out)],
                         check=True, capture_output=True, text=True, env=env)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=5490)
    parser.add_argument("--work", default="/tmp/chainon-bench")
    parser.add_argument("--baseline", help="folder holding another version's chainon package")
    parser.add_argument("--json", help="also write a summary (scene, wall, cpu, peak, ratio, note)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"Simulating one {args.size} x {args.size} px acquisition (20 m)...")
    folder = make_scene(work, args.size)
    with tempfile.TemporaryDirectory(dir=work) as cache:
        read = measure("read", folder, work / "out", cache)
        cold = measure("product", folder, work / "out", cache)
        warm = measure("product", folder, work / "out", cache)
        three = measure("product", dated_copies(folder, 3), work / "out", cache)
        raw = uncompressed_copy(folder, input_paths(folder)[1])
        raw_read = measure("read", raw, work / "out", cache)
        raw_run = measure("product", raw, work / "out", cache)
        jp2 = sen2cor_copy(folder)
        jp2_read = measure("read", jp2, work / "out", cache)
        jp2_run = measure("product", jp2, work / "out", cache)
        base = args.baseline and measure("product", folder, work / "out", cache, args.baseline)
    otb = otb_pass1(folder)
    mpx = args.size * args.size / 1e6
    print(f"tile: {args.size} x {args.size} px at 20 m, one date (CPU seconds, all threads)")
    print(f"read floor (B3, B4, B11, CLM)  : {read['cpu']:6.2f} s, peak {read['peak_mb']:.0f} MB")
    print(f"snow cover, DEM cache empty    : {cold['cpu']:6.2f} s, peak {cold['peak_mb']:.0f} MB")
    print(f"snow cover, DEM cache warm     : {warm['cpu']:6.2f} s, peak {warm['peak_mb']:.0f} MB "
          f"(limit 1536 MB), {mpx / warm['cpu']:.2f} Mpx per CPU s")
    further = (three["cpu"] - warm["cpu"]) / 2
    print(f"snow cover, 3 dates            : {three['cpu']:6.2f} s, peak "
          f"{three['peak_mb']:.0f} MB: {further:.2f} s per further date")
    print(f"inputs uncompressed: read floor {raw_read['cpu']:.2f} s, snow cover "
          f"{raw_run['cpu']:.2f} s, ratio {raw_run['cpu'] / raw_read['cpu']:.2f}")
    print(f"inputs as Sen2Cor (JPEG 2000): read floor {jp2_read['cpu']:.2f} s, snow cover "
          f"{jp2_run['cpu']:.2f} s, ratio {jp2_run['cpu'] / jp2_read['cpu']:.2f}; "
          f"{jp2_run['cpu'] / warm['cpu']:.2f}x the product on the THEIA files")
    if base:
        print(f"baseline snow cover ({args.baseline}): {base['cpu']:6.2f} s, "
              f"peak {base['peak_mb']:.0f} MB")
    if otb is not None:
        print(f"OTB LIS pass 1 (2 x Superimpose + BandMath): {otb:6.2f} s")
    print(f"ratio snow cover / read floor  : {warm['cpu'] / read['cpu']:.2f} "
          f"(cache empty {cold['cpu'] / read['cpu']:.2f}; goal <= 2); each further "
          f"date {further / read['cpu']:.2f}")
    if base:
        print(f"ratio baseline / read floor    : {base['cpu'] / read['cpu']:.2f}")
    if otb is not None:
        print(f"ratio snow cover / OTB pass 1  : {warm['cpu'] / otb:.2f} "
              f"(cache empty {cold['cpu'] / otb:.2f})"
              + (f"; baseline {base['cpu'] / otb:.2f}" if base else ""))
    else:
        print("OTB not installed (apt-get install otb-bin): no ratio to OTB")
    if args.json:
        note = (f"CPU ratio to the read floor ({read['cpu']:.2f} s), DEM cache warm; "
                f"cache empty {cold['cpu']:.2f} s; each further date {further:.2f} s, "
                f"{further / read['cpu']:.2f}x the read floor")
        if otb is not None:
            note += f"; OTB LIS pass 1 {otb:.2f} s, ratio {warm['cpu'] / otb:.2f}"
        Path(args.json).write_text(json.dumps(dict(
            scene=f"one tile-date, {args.size}² px", wall=warm["wall"], cpu=warm["cpu"],
            peak=warm["peak_mb"], ratio=warm["cpu"] / read["cpu"], note=note)))


if __name__ == "__main__":
    main()
