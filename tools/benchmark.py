"""`make benchmark`: one table of the products' benchmarks, each run by its
own script (tools/benchmark_<product>.py) in this run, on this machine.

Columns: the wall time and CPU seconds (user + system, all threads) of the
measured run, its peak memory, and the ratio of the product's time to the
time needed just to read its inputs, both measured in the same run. Wall
times on a shared machine are indicative only; CPU seconds and ratios taken
in one run compare. "extrapolated" marks figures scaled from smaller scenes.
Usage: python tools/benchmark.py [--products land_cover snow] [--work DIR]"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

TOOLS = Path(__file__).resolve().parent


def land_cover(work):
    summary = Path(work) / "land_cover.json"
    _run("benchmark_land_cover.py", "--json", str(summary))
    s = json.loads(summary.read_text())
    basis = "extrapolated from" if s["extrapolated"] else "full tile from"
    return dict(product="land cover", scene=f"tile-year, 73 dates ({basis} {s['size']}² px)",
                wall=None, cpu=s["tile_cpu_seconds"], peak=s["peak_mb"],
                ratio=s["end_to_end"] / s["floor"],
                note=f"features {1e3 * s['gapfill_indices'] / s['n_features']:.0f} ns per "
                     f"pixel-feature (+ {1e3 * s['floor'] / s['n_features']:.0f} reading), end "
                     f"to end {s['end_to_end'] / s['rf']:.1f}x the Random Forest "
                     f"({s['end_to_end_1'] / s['rf']:.1f}x with one thread); CPU per tile "
                     f"from µs/px, peak measured on {s['size']}² px")


def snow(work):
    """tools/benchmark_snow.py's printed wall seconds, or its summary when it
    offers --json FILE (keys: scene, wall, cpu, peak, ratio, note)."""
    script = TOOLS / "benchmark_snow.py"
    summary = Path(work) / "snow.json"
    if "--json" in script.read_text():
        _run("benchmark_snow.py", "--json", str(summary))
        return dict(json.loads(summary.read_text()), product="snow cover")
    text = _run("benchmark_snow.py")
    read = re.search(r"read inputs only\s*:\s*([\d.]+) s, peak (\d+) MB", text)
    prod = re.search(r"snow cover\s*:\s*([\d.]+) s, peak (\d+) MB", text)
    size = re.search(r"tile: (\d+) x", text)
    if not (read and prod):
        return dict(product="snow cover", scene="(output not understood)", note=text[-200:])
    return dict(product="snow cover", scene=f"one tile-date, {size[1] if size else '?'}² px",
                wall=float(prod[1]), cpu=None, peak=float(prod[2]),
                ratio=float(prod[1]) / float(read[1]), note="ratio of wall times")


PRODUCTS = {"land_cover": land_cover, "snow": snow}


def _run(script, *args):
    res = subprocess.run([sys.executable, str(TOOLS / script), *args], capture_output=True,
                         text=True)
    sys.stdout.write(res.stdout)
    if res.returncode:
        sys.stdout.write(res.stderr)
        raise RuntimeError(f"{script} failed")
    return res.stdout


def _fmt(value, spec):
    return "—" if value is None else format(value, spec)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", nargs="+", default=list(PRODUCTS), choices=list(PRODUCTS))
    parser.add_argument("--work", default=None)
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="chainon-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in args.products:
        print(f"=== {name} ===", flush=True)
        try:
            rows.append(PRODUCTS[name](work))
        except RuntimeError as e:
            rows.append(dict(product=name, scene=f"failed: {e}"))
    print(f"\n| product | measured on | time (s) | CPU (s) | peak (MB) | ratio to reading "
          f"inputs | notes |\n|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['product']} | {r['scene']} | {_fmt(r.get('wall'), '.0f')} | "
              f"{_fmt(r.get('cpu'), '.0f')} | {_fmt(r.get('peak'), '.0f')} | "
              f"{_fmt(r.get('ratio'), '.2f')} | {r.get('note', '')} |")


if __name__ == "__main__":
    main()
