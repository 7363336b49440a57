"""Robustness runner for chainon:forest_height (protocol in validation/__init__.py).

One scene per seed (a year of Sentinel-2 and Sentinel-1, GEDI L2A granules),
the product trained on the GEDI shots with the land cover's forest (and the
scene's DEM when it has one: the independent scene has relief), mapped at 10 m. Against the TRUE canopy height and biomass at the footprints the product
held out (squares of 1 km it did not train on), the truth read onto the 10 m
map grid (nearest):
- height_rmse (m), agb_rmse (t/ha): Morin et al.'s figures are 3.7 m, 75 t/ha;
- n_validation (reported): held-out footprints.

`python -m chainon.validation.forest_height SIMULATOR SEED...` (with
.pkgroot on PYTHONPATH, as tools/robustness.py makes it) prints where a
scene's error comes from: see diagnose."""
import argparse
import csv
import tempfile
from pathlib import Path
from unittest.mock import patch

import numpy as np
import rasterio
from rasterio.enums import Resampling
from scipy.spatial import cKDTree

from ..core import forest_height
from ..core.forest_cuts import ForestSource
from ..core.forest_height import run_forest_height
from ..core.gedi import GediFilters, read_gedi

TARGETS = {"height_rmse": ("<=", 3.7), "agb_rmse": ("<=", 75.0)}
REPORTED = {"n_validation": ">="}
SIZE = 240            # 20 m pixels of the scene: 4.8 km


def make_scene(simulator, seed, work):
    if simulator == "project":
        from ..core.scenes.forest_height import make_forest_height_scene
        return make_forest_height_scene(work / "scene", seed=seed, size=SIZE)
    from .sims.forest_height import make_scene as make_independent
    return make_independent(work / "scene", seed=seed)


def _read(path, shape):
    with rasterio.open(path) as ds:
        return ds.read(1, out_shape=shape, resampling=Resampling.nearest).astype("float64")


def _product(scene, work):
    return run_forest_height(scene.s2_folder, work / "out", gedi=scene.gedi_folder,
                             s1_folder=scene.s1_folder, dem=getattr(scene, "dem", None),
                             forest=ForestSource(land_cover=str(scene.land_cover)))


def evaluate(simulator, seed, work: Path):
    work = Path(work)
    scene = make_scene(simulator, seed, work)
    result = _product(scene, work)
    rows, cols = result["validation"]
    figures = {}
    for key, truth_path, name in (("OUTPUT", scene.height_truth, "height_rmse"),
                                  ("OUTPUT_AGB", scene.agb_truth, "agb_rmse")):
        with rasterio.open(result[key]) as ds:
            mapped = ds.read(1).astype("float64")
        truth = _read(truth_path, mapped.shape)
        figures[name] = float(np.sqrt(np.mean((mapped[rows, cols] - truth[rows, cols]) ** 2)))
    return dict(figures, n_validation=float(rows.size))


# --- diagnosis (issue 10: where the worst seed's error comes from) -----------------
CLASSES = (0, 5, 10, 15, 20, 25, 30, 35, np.inf)   # true height classes (m)


def diagnose(simulator, seed, work, out=print):
    """Runs the product on one scene (maps skipped) and prints, against the
    true heights at the held-out footprints: the error per true height class
    (bias, RMSE, share of the squared error, training footprints in the
    class), on the footprints taller than the training ones' 95th
    percentile, and the RMSE of remedies fitted on the same footprints:
    quantile matching of the predictions to the reference heights (empirical
    distribution matching) and variance matching (corrections of a forest's
    regression to the mean), no Hampel filter, and the product trained on
    the true heights at the same footprints (perfect labels). On the
    independent scene, also the share of the forest's GEDI shots the reader
    keeps per true height class. Returns {variant: RMSE}."""
    work = Path(work)
    scene = make_scene(simulator, seed, work)
    samples = {}
    real_fit = forest_height.fit

    def keep(s, params, workers=None):
        samples.update(s, params=params)
        return real_fit(s, params, workers)
    with patch.object(forest_height, "fit", keep), \
            patch.object(forest_height, "write_maps", lambda *a, **k: None):
        result = _product(scene, work)
    grid = result["grid"]
    truth = _read(scene.height_truth, (grid.height, grid.width))[samples["rows"],
                                                                  samples["cols"]]
    val = samples["validation"]
    rmse = {}
    t = truth[val]
    for name, pred in _remedies(samples, truth).items():
        rmse[name] = float(np.sqrt(np.mean((pred - t) ** 2)))
        if name == "product":
            _classes(pred - t, t, truth[~val], out)
        tall = t > np.percentile(truth[~val], 95)
        out(f"{name}: RMSE {rmse[name]:.2f} m, bias {np.mean(pred - t):+.2f} m; on the "
            f"{int(tall.sum())} held-out footprints above the training's 95th percentile "
            f"({np.percentile(truth[~val], 95):.1f} m): bias {np.mean((pred - t)[tall]):+.2f} m")
    shots = Path(scene.height_truth).parent / "gedi_shots.csv"
    if shots.exists():
        _kept_by_height(shots, read_gedi(scene.gedi_folder, grid), out)
    return rmse


def _remedies(samples, truth):
    """{variant: heights at the held-out footprints}: the product's own model
    (forest_height.fit then tree_spread) on the reference heights, without
    the Hampel filter and on the true heights (perfect labels), and two
    corrections of the same model's raw predictions instead of its line."""
    val, params = samples["validation"], samples["params"]
    x_val = samples["x"][val]

    def product(labels, mads=forest_height.OUTLIER_MADS):
        with patch.object(forest_height, "OUTLIER_MADS", mads):
            rf = forest_height.fit(dict(samples, height=labels), params)
        return forest_height.tree_spread(rf, x_val)[0]
    linear, rf, fitted, kept, _ = forest_height.robust_fit(
        samples["x"][~val], samples["height"][~val], params)
    raw = linear.predict(x_val) + rf.predict(x_val)
    q = np.linspace(0, 1, 201)
    top = max(GediFilters().max_height, float(kept.max()))     # as fit's chainon_max
    return {"product": product(samples["height"]),
            "quantile matching": np.clip(np.interp(raw, np.quantile(fitted, q),
                                                   np.quantile(kept, q)), 0, top),
            "variance matching": np.clip(kept.mean() + (raw - fitted.mean()) * kept.std()
                                         / fitted.std(), 0, top),
            "no Hampel filter": product(samples["height"], np.inf),
            "perfect labels": product(truth)}


def _classes(error, t, train_truth, out):
    out("true height (m) | held-out | bias (m) | RMSE (m) | share of squared error | training")
    total = np.sum(error ** 2)
    for lo, hi in zip(CLASSES[:-1], CLASSES[1:]):
        m = (t >= lo) & (t < hi)
        if m.any():
            n_train = int(((train_truth >= lo) & (train_truth < hi)).sum())
            out(f"{lo:g}-{hi:g} | {int(m.sum())} | {error[m].mean():+.2f} | "
                f"{np.sqrt(np.mean(error[m] ** 2)):.2f} | {np.sum(error[m] ** 2) / total:.2f} "
                f"| {n_train}")


def _kept_by_height(path, kept, out):
    """Share of the forest's shots (the scene's gedi_shots.csv) the reader keeps,
    per true canopy top class."""
    with open(path, newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["forest"] == "1"]
    xy = np.array([[float(r["x"]), float(r["y"])] for r in rows])
    top = np.array([float(r["true_top"]) for r in rows])
    dist, _ = cKDTree(np.column_stack([kept.x, kept.y])).query(xy)
    read = dist < 1.0
    out("GEDI shots over the forest kept by the reader, per true canopy top (m): " + ", ".join(
        f"{lo:g}-{hi:g} {read[(top >= lo) & (top < hi)].mean():.2f} "
        f"(of {int(((top >= lo) & (top < hi)).sum())})"
        for lo, hi in zip(CLASSES[:-1], CLASSES[1:]) if ((top >= lo) & (top < hi)).any()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Where a forest height scene's error comes from")
    parser.add_argument("simulator", choices=("project", "independent"))
    parser.add_argument("seeds", type=int, nargs="+")
    args = parser.parse_args()
    for seed in args.seeds:
        print(f"# {args.simulator} seed {seed}", flush=True)
        with tempfile.TemporaryDirectory() as work:
            diagnose(args.simulator, seed, work, out=lambda line: print(line, flush=True))
