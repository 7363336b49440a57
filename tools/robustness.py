"""Robustness table: every product on several seeds of its two simulators.

For each product runner in validation/ (see validation/__init__.py), runs
`evaluate(simulator, seed, work)` for each simulator and seed, and prints one
markdown row per product, simulator and metric: mean, worst seed, the target,
and whether the worst seed meets it.
Usage: python tools/robustness.py [--products forest_cuts mowing_date ...]
                                  [--seeds 0 1 2 3 4] [--simulators project independent]
                                  [--scene revisit_days=10 size=263 year=2020 ...]
                                  [--sen2cor [weak]]
--scene draws the scenes of the simulators run with other settings than
the runners' (a revisit, a size, a year, a start date the defaults were not
chosen on); a setting one of them does not take is refused (run the other
alone with --simulators). --sen2cor hands the products every scene's
Sentinel-2 acquisitions as Sen2Cor .SAFE products instead of THEIA ones
(core/sen2cor_copy.py: the same values, masks through the SCL, which the
reader grows by 60 m as it grows every SCL's clouds); `--sen2cor weak` also
weakens their cloud masks (no clouds' outer pixel, no shadows)."""
import argparse
import contextlib
import importlib
import inspect
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if not (ROOT / ".pkgroot" / "chainon").exists():
    (ROOT / ".pkgroot").mkdir(exist_ok=True)
    (ROOT / ".pkgroot" / "chainon").symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(ROOT / ".pkgroot"))

PRODUCTS = ["forest_cuts", "mowing_date", "crop_carbon", "crop_yield", "irrigation",
            "forest_height", "snow_cover", "land_cover"]
# Where each simulator's scene functions live, and each product's: independent
# simulator (validation/sims), project simulator (core/scenes), in PACKAGES' order
PACKAGES = {"independent": "chainon.validation.sims", "project": "chainon.core.scenes"}
SCENE_FUNCTIONS = {
    "forest_cuts": ("radar_cuts.make_scene", "forest_cuts.make_forest_cut_scene"),
    "mowing_date": ("grassland.make_scene", "mowing.make_mowing_scene"),
    "crop_carbon": ("crop_wofost.make_carbon_scene", "crop_carbon.make_crop_carbon_scene"),
    "crop_yield": ("crop_wofost.make_yield_scene", "crop_yield.make_crop_yield_scene"),
    "irrigation": ("irrigation.make_scene", "irrigation.make_irrigation_scene"),
    "forest_height": ("forest_height.make_scene", "forest_height.make_forest_height_scene"),
    "snow_cover": ("snow.make_scene", "snow.make_snow_scene"),
    "land_cover": ("land_cover.make_scene", "land_cover.make_land_cover_scene")}


def worst(values, op):
    return min(values) if op == ">=" else max(values)


def meets(value, op, target):
    return value >= target if op == ">=" else value <= target


def parse_scene(items):
    """["revisit_days=10", "start=2021-04-01"] -> {name: int, float, date or str}."""
    settings = {}
    for item in items:
        name, _, text = item.partition("=")
        for kind in (int, float, date.fromisoformat, str):
            try:
                settings[name] = kind(text)
                break
            except ValueError:
                continue
    return settings


def scene_function(name, simulator):
    """(module, function name) of the scene function of product `name`'s `simulator`."""
    path = SCENE_FUNCTIONS[name][list(PACKAGES).index(simulator)]
    module_name, function_name = path.rsplit(".", 1)
    return importlib.import_module(f"{PACKAGES[simulator]}.{module_name}"), function_name


def check_settings(name, settings, simulator):
    """Refuses the settings that product `name`'s `simulator` does not take."""
    module, function_name = scene_function(name, simulator)
    parameters = inspect.signature(getattr(module, function_name)).parameters
    unknown = set(settings) - set(parameters)
    if unknown:
        raise SystemExit(f"{name}'s {simulator} simulator takes no {', '.join(sorted(unknown))} "
                         f"(it takes {', '.join(parameters)}).")


@contextlib.contextmanager
def scene_settings(name, settings, simulator="independent", sen2cor=False):
    """The `simulator` of product `name` called with `settings` overriding
    its runner's arguments (runners import the scene function when called);
    with `sen2cor`, its THEIA products then replaced by Sen2Cor copies."""
    check_settings(name, settings, simulator)
    module, function_name = scene_function(name, simulator)
    function = getattr(module, function_name)

    def drawn(*args, **kwargs):
        scene = function(*args, **{**kwargs, **settings})
        if sen2cor and getattr(scene, "s2_folder", None):
            as_sen2cor(Path(scene.s2_folder), weak_mask=sen2cor == "weak")
        return scene
    setattr(module, function_name, drawn)
    try:
        yield
    finally:
        setattr(module, function_name, function)


def as_sen2cor(folder, weak_mask=False):
    """Every THEIA product under `folder` replaced by its Sen2Cor copy."""
    from chainon.core.sen2cor_copy import write_sen2cor_copy
    from chainon.core.theia import TheiaProduct, find_products
    for product in find_products(folder):
        if isinstance(product, TheiaProduct):
            write_sen2cor_copy(product, product.path.parent, weak_mask=weak_mask)
            (shutil.rmtree if product.path.is_dir() else Path.unlink)(product.path)


def run_product(name, simulators, seeds, scene=None, sen2cor=False):
    runner = importlib.import_module(f"chainon.validation.{name}")
    rows = []
    for simulator in simulators:
        results = []
        for seed in seeds:
            settings = scene_settings(name, scene or {}, simulator, sen2cor) \
                if scene or sen2cor else contextlib.nullcontext()
            with tempfile.TemporaryDirectory() as work, settings:
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
    parser.add_argument("--scene", nargs="+", default=[], metavar="NAME=VALUE",
                        help="scenes drawn with these settings")
    parser.add_argument("--sen2cor", nargs="?", const="copy", choices=["copy", "weak"],
                        help="the Sentinel-2 acquisitions as Sen2Cor products; 'weak': their "
                             "SCL without the clouds' outer pixel nor the cloud shadows")
    args = parser.parse_args()
    scene = parse_scene(args.scene)
    for name in args.products if scene else []:     # refused before any scene is drawn
        for simulator in args.simulators:
            check_settings(name, scene, simulator)
    print(f"Seeds {args.seeds}; accepted on the worst seed."
          + (f" Scenes ({', '.join(args.simulators)}) drawn with {' '.join(args.scene)}."
             if scene else "")
          + (f" Sentinel-2 as Sen2Cor .SAFE products ({args.sen2cor} mask)."
             if args.sen2cor else ""))
    print("| product | simulator | metric | mean | worst seed | target | met |")
    print("|---|---|---|---|---|---|---|")
    for name in args.products:
        for row in run_product(name, args.simulators, args.seeds, scene, args.sen2cor):
            print(row, flush=True)


if __name__ == "__main__":
    main()
