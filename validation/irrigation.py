"""Robustness runner for chainon:irrigation (protocol in validation/__init__.py).

One scene per seed (120 px at 10 m, March to October 2020), the daily rain
as rasters. The product trains on the scene's parcel labels (with whatever
wrong labels the simulator put in them) and the declared crops, and holds
some parcels out. Every figure is against the TRUE class of each parcel
(majority of the truth raster over it; a parcel the map leaves undecided
counts as wrong):
- oa: overall accuracy of the map on the product's held-out parcels;
- margin: the out-of-fold accuracy of the model that made the map minus
  that of the better single source (Sentinel-1 only or Sentinel-2 only), by
  a repeated cross-validation over ALL the labelled parcels of the scene
  (REPEATS x FOLDS folds, stratified by label, the folds the same for every
  model): every model of the product is fitted on four fifths of the
  parcels with its own settings and predicts the fifth, so every parcel is
  predicted REPEATS times by a model that did not learn it. The model is the
  one the product chose in its run (not chosen again per fold: that would
  cost the product's inner cross-validation 10 times);
- reported, no target: margin_split, the margin as measured before
  2026-12-06, on the product's single held-out split (39-74 parcels, the
  better single source picked on those parcels themselves); model, the
  index in MODELS of the model that made the map.
Protocol changed 2026-12-06, to make the margin less noisy, not to move it:
one held-out split put one parcel at 1.4-2.6 points and the target at two
parcels, and picked the better single source on the very parcels it scored
(a selection that favoured the single source by 0.002-0.007 on average);
the cross-validation scores ~230 parcels twice each and compares the
sources on averages over all of them. FOLDS and REPEATS are not tuned: 5
folds as the product's own cross-validation, 2 repeats for the run time.

Results measured with this protocol, and the trials made to reach the
margin: docs/results/irrigation.md."""
from pathlib import Path

import numpy as np
import rasterio

from ..core.irrigation import IrrigationParams, run_irrigation
from ..core.irrigation_models import MODELS, fit_models
from ..core.training import polygon_raster, read_geojson, reference_from_features

TARGETS = {"oa": (">=", 0.70), "margin": (">=", 0.03)}
REPORTED = {"margin_split": ">="}
SINGLE = ("S1 only", "S2 only")
SIZE = 120
YEAR = 2020
FOLDS = 5
REPEATS = 2


def make_scene(simulator, seed, work):
    if simulator == "project":
        from ..core.scenes.irrigation import make_irrigation_scene
        return make_irrigation_scene(work / "scene", seed=seed, size=SIZE, year=YEAR)
    from .sims.irrigation import make_scene as make_independent
    return make_independent(work / "scene", seed, size=SIZE, year=YEAR)


def parcel_majority(raster, ids, n):
    """The most frequent value of `raster` over each of the n parcels of `ids`
    (1 + parcel index, 0 outside), -1 where a parcel has no pixel."""
    values = np.unique(raster)
    counts = np.stack([np.bincount(ids[raster == v], minlength=n + 1)[1:] for v in values])
    return np.where(counts.sum(axis=0) > 0, values[counts.argmax(axis=0)], -1)


def cross_validated_oa(table, classes, usable, truth, params, seed=0):
    """{model name: share of right out-of-fold decisions against `truth`}
    over the `usable` parcels, every model fitted on the labels (`classes`)
    of the other folds; REPEATS x FOLDS stratified folds."""
    from sklearn.model_selection import RepeatedStratifiedKFold
    idx = np.flatnonzero(usable)
    y = classes.astype("int64")
    right = {}
    for fit, test in RepeatedStratifiedKFold(n_splits=FOLDS, n_repeats=REPEATS,
                                             random_state=seed).split(idx, y[idx]):
        fit, test = idx[fit], idx[test]
        for name, model in fit_models(table, table.x[fit], y[fit], params, None).items():
            right.setdefault(name, []).append((model.proba(table.x[test]) > 0.5) == truth[test])
    return {name: float(np.mean(np.concatenate(r))) for name, r in right.items()}


def evaluate(simulator, seed, work: Path):
    work = Path(work)
    scene = make_scene(simulator, seed, work)
    features, crs = read_geojson(scene.parcels_path)
    labels = reference_from_features(features, "irrigated", crs, numeric=False)
    crops = [f["properties"]["crop"] for f in features]      # declared, as in the RPG
    params = IrrigationParams()
    result = run_irrigation(scene.s2_folder, scene.s1_folder, scene.rain_folder, labels,
                            work / "out", start=scene.start, end=scene.end, crops=crops,
                            params=params)
    ids = polygon_raster(labels, result["grid"])
    with rasterio.open(scene.truth_path) as ds:
        truth = parcel_majority(ds.read(1).astype("int64"), ids, len(labels.values))
    with rasterio.open(result["OUTPUT"]) as ds:
        mapped = parcel_majority(ds.read(1).astype("int64"), ids, len(labels.values))
    held = result["validation_parcels"]
    split = {name: float(np.mean(s["held_out"] == truth[held]))
             for name, s in result["scores"].items()}
    map_oa = float(np.mean(mapped[held] == truth[held]))
    usable = np.isfinite(result["probability"]) & (result["classes"] >= 0)
    cv = cross_validated_oa(result["table"], result["classes"], usable, truth, params)
    return dict(oa=map_oa, margin=cv[result["model"]] - max(cv[n] for n in SINGLE),
                margin_split=map_oa - max(split[n] for n in SINGLE),
                model=float(MODELS.index(result["model"])),
                **{f"cv oa {name}": v for name, v in cv.items()})
