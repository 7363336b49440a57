"""How the peak memory of a product grows with area, measured (issue 13).

tools/benchmark.py measures each product at S and 2S px and extrapolates the
peak linearly to the full tile, an upper bound. This runs the product on its
simulated lake tile at several sides (256, 512, 1024, ... px), each in a fresh
child process of tools/benchmark.py (VmHWM, CPU s), and prints the marginal
peak per million pixels between sizes: ~0 means block-wise (flat), a steady
slope means an array proportional to area, parcels, footprints or samples.
"scene" is the simulated side, "side" the output's (forest height: twice).
A size is skipped when the previous one, scaled by the area ratio, would take
longer than --max-minutes.

--trace S: instead of the table, the product is run at S px under
tracemalloc (slower, same peak to a few MB); a watcher thread
keeps the snapshot at the traced peak and prints the lines of chainon code
holding the most memory then (Python and numpy allocations; GDAL's are not
traced).

Usage: python tools/benchmark_area.py --products irrigation ... [--sizes 256 512 1024]
                                      [--max-minutes 12] [--trace S] [--work DIR]"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchmark as bm  # noqa: E402 - tools/ is not a package


def run(product, size, work, trace=False):
    """Simulates the product's tile of `size` px and runs it in a child."""
    folder = work / f"{product}_{size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    t0 = time.perf_counter()
    lake, scene, sim = bm.simulate(product, folder, size)
    spec = dict(product=product, lake=str(lake), out=str(folder / "out"),
                start=str(scene.start), end=str(scene.end))
    figures = _trace_child(spec, folder) if trace else bm._child("run", spec, folder)
    figures.update(size=size, sim=sim, dates=len(getattr(scene, "dates", None) or []),
                   total=time.perf_counter() - t0)
    shutil.rmtree(folder, ignore_errors=True)
    return figures


# ---- tracemalloc child ----------------------------------------------------

def _trace_child(spec, folder):
    path = folder / "spec_trace.json"
    path.write_text(json.dumps(spec))
    env = {**os.environ, "CHAINON_CACHE_DIR": str(folder / "cache")}
    res = subprocess.run([sys.executable, __file__, "--trace-child", str(path)],
                         capture_output=True, text=True, env=env)
    if res.returncode:
        raise RuntimeError(res.stderr.strip()[-2000:])
    lines = res.stdout.strip().splitlines()
    print("\n".join(lines[:-1]))
    return json.loads(lines[-1])


def trace_child(spec_path):
    sys.path.insert(0, str(bm.ROOT / ".pkgroot"))
    from chainon.core.products import run_tile
    spec = json.loads(Path(spec_path).read_text())
    tracemalloc.start(12)
    best, done = {"peak": 0, "snap": None}, threading.Event()

    def watch():                     # snapshot whenever the traced total tops 105 % of the last
        while not done.wait(0.2):
            current = tracemalloc.get_traced_memory()[0]
            if current > 1.05 * best["peak"]:
                best["snap"], best["peak"] = tracemalloc.take_snapshot(), current
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    c0 = bm.cpu_seconds()
    run_tile(spec["product"], spec["lake"], bm.TILE_ID, Path(spec["out"]),
             date.fromisoformat(spec["start"]), date.fromisoformat(spec["end"]))
    done.set()
    watcher.join()
    traced_peak = tracemalloc.get_traced_memory()[1]
    print(f"  tracemalloc: traced peak {traced_peak / 2**20:.0f} MB; at the snapshot "
          f"({best['peak'] / 2**20:.0f} MB traced) the largest holders:")
    for stat in best["snap"].statistics("traceback")[:8]:
        frames = [f for f in stat.traceback if "/chainon/" in f.filename
                  or "/work/" in f.filename and "/tools/" not in f.filename]
        where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in frames[-3:][::-1])
        print(f"    {stat.size / 2**20:7.1f} MB in {stat.count} blocks: {where or stat.traceback[-1]}")
    print(json.dumps(dict(cpu=bm.cpu_seconds() - c0, peak=bm.peak_rss_mb(),
                          traced_peak=traced_peak / 2**20)))


# ---- table -----------------------------------------------------------------

def product_rows(product, sizes, work, max_minutes):
    print(f"=== {product} ===", flush=True)
    print(f"{'scene':>6} {'side':>6} {'px':>10} {'dates':>5} {'CPU s':>8} {'wall s':>7} {'peak MB':>8} "
          f"{'MB/Mpx':>8}", flush=True)
    rows, prev = [], None
    for size in sizes:
        size = max(size, bm.MIN_SIZE.get(product, 0))
        if prev and prev["total"] * (size / prev["size"]) ** 2 > 60 * max_minutes:
            print(f"{size:>6} {'':>6} skipped: ~{prev['total'] * (size / prev['size']) ** 2 / 60:.0f} "
                  f"min expected (> {max_minutes} min)", flush=True)
            break
        r = run(product, size, work)
        px = r["out_size"] ** 2
        slope = (r["peak"] - prev["peak"]) / ((px - prev["px"]) / 1e6) if prev else None
        r["px"] = px
        print(f"{size:>6} {r['out_size']:>6} {px:>10} {r['dates']:>5} {r['cpu']:>8.1f} {r['wall']:>7.1f} "
              f"{r['peak']:>8.0f} {'' if slope is None else format(slope, '+8.1f'):>8}",
              flush=True)
        rows.append(r)
        prev = r
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", nargs="+", default=[], choices=bm.PRODUCTS)
    parser.add_argument("--sizes", nargs="+", type=int, default=[256, 512, 1024])
    parser.add_argument("--max-minutes", type=float, default=12)
    parser.add_argument("--trace", type=int, metavar="S",
                        help="only run at S px under tracemalloc: the largest holders")
    parser.add_argument("--work")
    parser.add_argument("--trace-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.trace_child:
        return trace_child(args.trace_child)
    work = Path(args.work or tempfile.mkdtemp(prefix="chainon-area-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()[0]:.2f}; work folder {work}", flush=True)
    for product in args.products:
        try:
            if not args.trace:
                product_rows(product, args.sizes, work, args.max_minutes)
                continue
            print(f"=== {product} under tracemalloc ===", flush=True)
            r = run(product, args.trace, work, trace=True)
            print(f"  {r['size']}² px: peak {r['peak']:.0f} MB (traced {r['traced_peak']:.0f} "
                  f"MB), {r['cpu']:.0f} CPU s", flush=True)
        except Exception as e:  # noqa: BLE001 - one failed product must not hide the others
            print(f"  {product} failed: {e}", flush=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
