"""Robustness runner for chainon:land_cover (protocol in validation/__init__.py).

One scene per seed (144 px at 20 m, a calendar year of Sentinel-2). The
product trains on the training polygons with its default parameters and
maps the scene; the figures are those of the paper (Inglada et al. 2017:
kappa 0.86 with 17 classes, on held-out polygons), over every pixel of the
held-out polygons, which the product never sees:
- kappa: Cohen's kappa of the map against the true class;
- oa (REPORTED): overall accuracy;
- min_f1 (REPORTED): F-score of the worst class;
- n_classes (REPORTED): classes in the held-out truth.
Independent scene: the training polygons are the noisy "database" ones
(wrong / outdated classes, straddling polygons), the held-out polygons are
exact and clean (validation/sims/land_cover.py). Project scene: its
reference polygons are split here, 30 % of each class held out (at least
one), with the same metric."""
from pathlib import Path

import numpy as np
import rasterio

from ..core.land_cover import LandCoverParams, run_land_cover
from ..core.training import (classification_scores, confusion, polygon_raster, read_geojson,
                             reference_from_features, write_geojson)

TARGETS = {"kappa": (">=", 0.86)}
REPORTED = {"oa": ">=", "min_f1": ">=", "n_classes": ">="}
SIZE = 144
HELD_OUT_SHARE = 0.3


def _read(path):
    with rasterio.open(path) as ds:
        return ds.read(1)


def split_project_reference(scene, work, seed):
    """(training path, held-out path): 30 % of each class's polygons held out."""
    features, crs = read_geojson(scene.reference_path)
    rng = np.random.default_rng(seed)
    codes = np.array([f["properties"]["code"] for f in features])
    held = np.zeros(len(features), bool)
    for c in np.unique(codes):
        idx = np.flatnonzero(codes == c)
        held[rng.permutation(idx)[:max(1, round(HELD_OUT_SHARE * idx.size))]] = True
    train = write_geojson(work / "train.geojson", [f for f, h in zip(features, held) if not h],
                          crs)
    test = write_geojson(work / "held_out.geojson", [f for f, h in zip(features, held) if h],
                         crs)
    return train, test


def make_scene(simulator, seed, work, noise=None):
    """(scene, training polygons, held-out polygons, truth raster); `noise`
    (independent scene): {"wrong_share": .., "straddle_share": ..} instead of
    the scene's label noise."""
    if simulator == "project":
        from ..core.scenes.land_cover import make_land_cover_scene
        scene = make_land_cover_scene(work / "scene", seed=seed, size=SIZE)
        train, test = split_project_reference(scene, work, seed)
        return scene, train, test, scene.truth_path
    from .sims.land_cover import make_scene as independent
    scene = independent(seed, work / "scene", size=SIZE, **(noise or {}))
    return scene, scene.reference_path, scene.held_out_path, scene.truth_path


def reference(path):
    features, crs = read_geojson(path)
    return reference_from_features(features, "code", crs)


def scores(mapped, truth, where):
    """Scores and the confusion matrix (rows truth, columns map) over `where`."""
    classes = sorted(set(np.unique(truth[where])) | set(np.unique(mapped[where])))
    cm = confusion(truth[where], mapped[where], classes)
    return classification_scores(cm), cm, classes


def evaluate(simulator, seed, work: Path, details=None, noise=None):
    """One scene, one run. `details`: optional dict receiving the confusion
    matrix, its classes and the per-class F1; `noise`: see make_scene
    (diagnosis of the label noise's cost)."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    scene, train, test, truth_path = make_scene(simulator, seed, work, noise)
    result = run_land_cover(scene.s2_folder, work / "out", reference=reference(train),
                            params=LandCoverParams(seed=seed))
    mapped, truth = _read(result["OUTPUT"]), _read(truth_path)
    held = polygon_raster(reference(test), result["grid"]) > 0
    s, cm, classes = scores(mapped, truth, held & (truth > 0))
    present = np.isin(classes, np.unique(truth[held & (truth > 0)]))
    f1 = np.asarray(s["f1"])
    if details is not None:
        details.update(cm=cm, classes=classes, f1=f1, dates=len(scene.dates))
    return dict(kappa=s["kappa"], oa=s["overall_accuracy"], min_f1=float(f1[present].min()),
                n_classes=float(present.sum()))


def print_details(details):
    """The confusion matrix and per-class F1 of one run, for reports."""
    classes, cm = details["classes"], details["cm"]
    print("truth \\ map " + " ".join(f"{c:>5}" for c in classes) + "    F1")
    for c, row, f in zip(classes, cm, details["f1"]):
        print(f"{c:>11} " + " ".join(f"{v:>5}" for v in row) + f"  {f:.2f}")


if __name__ == "__main__":
    # python -m chainon.validation.land_cover independent|project SEED... [--wrong W --straddle S]
    import argparse
    import tempfile
    parser = argparse.ArgumentParser()
    parser.add_argument("simulator", choices=("project", "independent"))
    parser.add_argument("seeds", type=int, nargs="+")
    parser.add_argument("--wrong", type=float, help="share of wrong training labels")
    parser.add_argument("--straddle", type=float, help="share of straddling training polygons")
    args = parser.parse_args()
    noise = {k: v for k, v in (("wrong_share", args.wrong), ("straddle_share", args.straddle))
             if v is not None}
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="lc-val-") as tmp:
            d = {}
            out = evaluate(args.simulator, seed, Path(tmp), d, noise)
            print(args.simulator, seed, noise or "", {k: round(v, 4) for k, v in out.items()},
                  "dates", d["dates"], flush=True)
            print_details(d)
