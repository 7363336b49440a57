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

Measured 2026-12-06 (tools/robustness.py --products irrigation --seeds 0 1 2 3 4):
| irrigation | project | oa | 0.935 | 0.897 | >= 0.7 | yes |
| irrigation | project | margin | 0.00844 | 0 | >= 0.03 | NO |
| irrigation | project | margin_split | 8.78e-05 | -0.0441 | | |
| irrigation | independent | oa | 0.866 | 0.789 | >= 0.7 | yes |
| irrigation | independent | margin | 0.00131 | -0.00595 | >= 0.03 | NO |
| irrigation | independent | margin_split | -0.014 | -0.0556 | | |
The same protocol on the method before 2026-12-06 (three-member fusion, no
JOINT features): project margin mean 0.0109, worst 0; independent mean
-0.00502, worst -0.0169 (oa 0.94 / 0.923 and 0.849 / 0.718).
On seeds 5-9, run after the method was frozen (--seeds 5 6 7 8 9): project
oa mean 0.914, worst 0.881, margin mean 0.0124, worst -0.0111; independent oa
0.89 / 0.836, margin 0.00525 / -0.00195 (the method before: project margin
0.0106 / 0, independent 0.000439 / -0.00615). Project oa is lower than before
on some seeds because the parcels where it rained between every two
acquisitions are now decided (they were undecided, so never scored).
Why the margin is not met: the two sensors are redundant on these scenes.
Out of fold (the protocol above, S1 and S2 forests only), the share of
parcels that Sentinel-2's or Sentinel-1's forest gets right, an oracle that
always knows which one to trust, is above the better sensor by only
+0.018 to +0.049 on the project's scenes (seed 4: +0.018) and +0.017 to
+0.040 on the independent ones (seed 2: +0.017; S2 0.857-0.944, oracle
0.889-0.960): no fusion of the two sensors' decisions reaches +0.03 on the
worst seed of either simulator, only information neither sensor carries
alone could. The JOINT features (S1 wetting where S2 shows an open canopy,
S2 wetness in dry spells) with the two-member fusion moved the mean margin
by +0.006 on the independent scenes (worst +0.011) and by -0.002 on the
project's (worst unchanged, 0). On independent scenes 0 and 2, most parcels
no source gets right are irrigated parcels of one or two turns, a few per
scene to learn from.
Joint evidence measured 2026-12-06, none adopted (tools/diagnose_irrigation.py,
the protocol above; margin mean / worst, independent then project; the
product: seeds 0-4 +0.0013 / -0.0060, +0.0084 / 0; seeds 5-9 +0.0052 /
-0.0019, +0.0124 / -0.0111): Sentinel-1 VH wetting events (as WET_EVENTS
for VV) 0-4: +0.0025 / -0.0020, +0.0080 / -0.0022, 5-9: +0.0040 / -0.0039,
+0.0102 / -0.0067; counts of rain-free VV, VH and VV-and-VH rises above
the crop's -0.0033 / -0.0063, +0.0089 / 0; +0.0068 / +0.0039, +0.0133 /
-0.0022; rises of the anomaly to the crop with both orbits merged in time
+0.0009 / -0.0020, +0.0098 / +0.0022; +0.0053 / 0, +0.0142 / -0.0067; the
JOINT features in the stacking's logistic +0.0009 / -0.0042, +0.0142 /
+0.0044; +0.0028 / -0.0123, +0.0156 / -0.0044; a third member on S2 +
JOINT +0.0029 / -0.0020, +0.0089 / 0; +0.0056 / -0.0020, +0.0133 / -0.0044;
the plain mean of the two members -0.0020 / -0.0101, +0.0049 / -0.0089;
+0.0064 / -0.0039, +0.0107 / -0.0111. Every variant stays within about two
parcels in ~240 of the product on the worst seed, and which one leads flips
between seeds 0-4 and 5-9: +0.03 (seven parcels) is out of reach. Why: the
parcels both sensors miss on the independent scenes are mostly irrigated
wheat (spring) and sunflower (flowering) watered once or twice, and
rainfed maize that stays green; irrigated against rainfed wheat (34 of 365
parcels over seeds 0-4, 39 of 375 over 5-9), every Sentinel-1 wetting
feature has a within-crop ROC AUC of 0.39-0.53 (sunflower 0.53-0.67;
the best of them 0.64 for maize, 0.74 for soybean). Read once against the
simulator's own irrigation dates (seed 3, to understand, not to tune): a
turn on wheat or sunflower changes the crop-relative jump to the next
acquisition by a median of -0.26 to +0.45 dB per orbit and polarisation
(sunflower VH ascending: +1.17 dB), while the jumps of
rainfed parcels of the same crop between dry acquisitions spread with a
standard deviation of 0.62-0.71 dB; one or two such jumps among ~35
intervals per orbit are noise at the parcel mean."""
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
