"""Robustness runner for chainon:irrigation (protocol in validation/__init__.py).

One scene per seed (120 px at 10 m, March to October 2020), the daily rain
as rasters. The product trains on the scene's parcel labels (with whatever
wrong labels the simulator put in them) and the declared crops, and holds
some parcels out. Per run,
against the TRUE class of each held-out parcel (majority of the truth raster
over it; a parcel the map leaves undecided counts as wrong):
- oa: overall accuracy of the map;
- margin: oa minus that of the best single-source model (Sentinel-1 only or
  Sentinel-2 only) on the same parcels, each source's model trained on the
  same training parcels as the map's (the better of the two is picked on the
  held-out parcels themselves: a selection that favours the single source);
- reported, no target: margin_cv, oa minus that of the single source that
  cross-validates better on the training parcels (the one a user would pick
  without fusion, chosen without seeing the held-out parcels); model, the
  index in MODELS of the model that made the map.

Measured 2026-12-05 (tools/robustness.py --products irrigation --seeds 0 1 2 3 4):
| irrigation | project | oa | 0.94 | 0.923 | >= 0.7 | yes |
| irrigation | project | margin | 0.00219 | -0.0147 | >= 0.03 | NO |
| irrigation | project | margin_cv | 0.014 | -0.0147 | | |
| irrigation | independent | oa | 0.849 | 0.718 | >= 0.7 | yes |
| irrigation | independent | margin | -0.0308 | -0.0845 | >= 0.03 | NO |
| irrigation | independent | margin_cv | -0.0308 | -0.0845 | | |
Why the margin is not met (figures against the truth, labels with 3 % wrong):
- one held-out split holds 39-74 parcels: one parcel is 1.4-2.6 points, the
  margin's target is two parcels, and the better single source is picked on
  those parcels (over 15 splits per simulator the picked one scores 0.007
  (project) and 0.002 (independent) above the better source on average);
- the sources are redundant on these scenes: 5-fold CV over all labelled
  parcels, the share of parcels that S2's or S1's forest gets right (an
  oracle that always knows which to trust) is only 0.021-0.038 above S2
  alone on the independent scenes (S2 0.857-0.941, oracle 0.885-0.962), and
  0.013-0.052 above the better source on the project's; on independent
  scenes 0 and 2, 11 of the 18 and 6 of the 8 parcels no source (S1, S2,
  wetting) gets right are irrigated sunflower, wheat and grass (one or two
  turns, a few such parcels per scene to learn from);
- over 15 random 70/30 splits per simulator (3 per scene), the fusion scores
  +0.000 (project) and -0.002 (independent) against the better single source
  picked on the held-out parcels, one forest on all features -0.014 and
  -0.010: the fusion is the better combination, but no combination of these
  sources reaches +0.03 on the worst seed."""
from pathlib import Path

import numpy as np
import rasterio

from ..core.irrigation import run_irrigation
from ..core.irrigation_models import MODELS
from ..core.training import polygon_raster, read_geojson, reference_from_features

TARGETS = {"oa": (">=", 0.70), "margin": (">=", 0.03)}
REPORTED = {"margin_cv": ">="}
SINGLE = ("S1 only", "S2 only")
SIZE = 120
YEAR = 2020


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


def evaluate(simulator, seed, work: Path):
    work = Path(work)
    scene = make_scene(simulator, seed, work)
    features, crs = read_geojson(scene.parcels_path)
    labels = reference_from_features(features, "irrigated", crs, numeric=False)
    crops = [f["properties"]["crop"] for f in features]      # declared, as in the RPG
    result = run_irrigation(scene.s2_folder, scene.s1_folder, scene.rain_folder, labels,
                            work / "out", start=scene.start, end=scene.end, crops=crops)
    ids = polygon_raster(labels, result["grid"])
    with rasterio.open(scene.truth_path) as ds:
        truth = parcel_majority(ds.read(1).astype("int64"), ids, len(labels.values))
    with rasterio.open(result["OUTPUT"]) as ds:
        mapped = parcel_majority(ds.read(1).astype("int64"), ids, len(labels.values))
    held = result["validation_parcels"]
    scores = result["scores"]
    oa = {name: float(np.mean(s["held_out"] == truth[held])) for name, s in scores.items()}
    map_oa = float(np.mean(mapped[held] == truth[held]))
    by_cv = max(SINGLE, key=lambda n: scores[n]["cv_oa"])
    return dict(oa=map_oa, margin=map_oa - max(oa[n] for n in SINGLE),
                margin_cv=map_oa - oa[by_cv], model=float(MODELS.index(result["model"])),
                **{f"oa {name}": v for name, v in oa.items()})
