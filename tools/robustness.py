"""Robustness table: every product on several seeds of its two simulators.

For each product runner in validation/ (see validation/__init__.py), runs
`evaluate(simulator, seed, work)` for each simulator and seed, and prints one
markdown row per product, simulator and metric: mean, worst seed, the target,
and whether the worst seed meets it.
Usage: python tools/robustness.py [--products forest_cuts mowing_date ...]
                                  [--seeds 0 1 2 3 4] [--simulators project independent]"""
import argparse
import importlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if not (ROOT / ".pkgroot" / "chainon").exists():
    (ROOT / ".pkgroot").mkdir(exist_ok=True)
    (ROOT / ".pkgroot" / "chainon").symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(ROOT / ".pkgroot"))

PRODUCTS = ["forest_cuts", "mowing_date", "crop_carbon", "crop_yield", "irrigation",
            "forest_height", "snow_cover", "land_cover"]


def worst(values, op):
    return min(values) if op == ">=" else max(values)


def meets(value, op, target):
    return value >= target if op == ">=" else value <= target


def run_product(name, simulators, seeds):
    runner = importlib.import_module(f"chainon.validation.{name}")
    rows = []
    for simulator in simulators:
        results = []
        for seed in seeds:
            with tempfile.TemporaryDirectory() as work:
                t0 = time.time()
                results.append(runner.evaluate(simulator, seed, Path(work)))
                print(f"# {name} {simulator} seed {seed}: {results[-1]} "
                      f"({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
        for metric, (op, target) in runner.TARGETS.items():
            values = [r[metric] for r in results]
            w = worst(values, op)
            rows.append(f"| {name} | {simulator} | {metric} | {sum(values) / len(values):.3g} "
                        f"| {w:.3g} | {op} {target:g} | {'yes' if meets(w, op, target) else 'NO'} |")
        for metric, op in getattr(runner, "REPORTED", {}).items():   # figures without a target
            values = [r[metric] for r in results]
            if all(v != v for v in values):      # NaN: a figure this simulator has no truth for
                continue
            rows.append(f"| {name} | {simulator} | {metric} | {sum(values) / len(values):.3g} "
                        f"| {worst(values, op):.3g} | | |")
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", nargs="+", default=PRODUCTS)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--simulators", nargs="+", default=["project", "independent"])
    args = parser.parse_args()
    print(f"Seeds {args.seeds}; accepted on the worst seed.")
    print("| product | simulator | metric | mean | worst seed | target | met |")
    print("|---|---|---|---|---|---|---|")
    for name in args.products:
        for row in run_product(name, args.simulators, args.seeds):
            print(row, flush=True)


if __name__ == "__main__":
    main()
