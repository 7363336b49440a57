"""Robustness runner for chainon:forest_cuts (protocol in validation/__init__.py).

One two-year scene per seed (240 px at 10 m, 30 cuts, both orbits, VV and
VH); the project's scene is made with its confounders (wet snow, frost, rain,
drift, ENL 4.4). The product runs twice on the forest mask:
- "whole": the period left empty, i.e. the whole series (its last weeks
  cannot be confirmed and must stay undecided, not cut);
- "early": the period ending two months before the last acquisition.

Object-based scores after Bouvet et al. 2018 (> 95 % of the cuts larger than
0.4 ha detected). Matching rule:
- a detected patch is an 8-connected group of pixels dated as cut;
- a true cut counts when larger than 0.4 ha and cut between 60 days after the
  first acquisition (a reference mean exists) and 60 days before the end of
  the period (five acquisitions at 12 days confirm it inside the period);
- producer's accuracy (pa): share of the counted cuts with at least half of
  their pixels in detected patches ("overlaps substantially");
- user's accuracy (ua): share of detected patches with at least half of their
  pixels on a true cut (any date or size: a real cut found early or late is
  not a false alarm, but a patch that spills mostly over standing forest is).
"""
from datetime import timedelta

import numpy as np
import rasterio
from scipy import ndimage

from ..core.forest_cuts import NO_CUT, NODATA, UNDECIDED, ForestSource, run_forest_cuts

TARGETS = {"pa_whole": (">=", 0.95), "ua_whole": (">=", 0.95),
           "pa_early": (">=", 0.95), "ua_early": (">=", 0.95)}
SIZE, N_CUTS, YEARS = 240, 30, 2
MIN_HA = 0.4
CONFIRM = timedelta(days=60)     # from the cut to its confirmation; and reference length
EARLY = timedelta(days=61)       # "two months before the data end"


def make_scene(simulator, seed, work):
    from datetime import date
    start = date(2020, 1, 1)
    if simulator == "project":
        from ..core.scenes.forest_cuts import make_forest_cut_scene
        return make_forest_cut_scene(work / "scene", seed=seed, size=SIZE, start=start,
                                     years=YEARS, n_cuts=N_CUTS, confounders=True)
    from .sims.radar_cuts import make_scene as independent
    return independent(work / "scene", seed, size=SIZE, start=start, years=YEARS, n_cuts=N_CUTS)


def scores(path, ids, cuts, first, end):
    """(pa, ua, number of counted cuts, number of patches) under the rule above."""
    with rasterio.open(path) as ds:
        values = ds.read(1)
    detected = (values != NO_CUT) & (values != NODATA) & (values != UNDECIDED)
    counted = [c for c in cuts if c["area_ha"] > MIN_HA
               and first + CONFIRM <= _day(c["date"]) <= end - CONFIRM]
    hits = [detected[ids == c["id"]].mean() >= 0.5 for c in counted]
    labels, n = ndimage.label(detected, np.ones((3, 3), bool))
    on_cut = ndimage.mean(ids > 0, labels, np.arange(1, n + 1)) if n else np.ones(0)
    pa = float(np.mean(hits)) if hits else float("nan")
    ua = float((on_cut >= 0.5).mean()) if n else 1.0
    return pa, ua, len(counted), n


def _day(value):
    from datetime import date
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def evaluate(simulator, seed, work):
    scene = make_scene(simulator, seed, work)
    with rasterio.open(scene.cut_ids) as ds:
        ids = ds.read(1)
    first = min(d.date() if hasattr(d, "date") else d for d in scene.dates)
    last = max(d.date() if hasattr(d, "date") else d for d in scene.dates)
    forest = ForestSource(mask=str(scene.forest_mask))
    out = {}
    for name, end in (("whole", None), ("early", last - EARLY)):
        result = run_forest_cuts(scene.s1_folder, forest, work / f"{name}.tif", end=end,
                                 workers=1)
        pa, ua, n_cuts, n_patches = scores(result["OUTPUT"], ids, scene.cuts, first,
                                           end or last)
        out.update({f"pa_{name}": pa, f"ua_{name}": ua, f"cuts_{name}": n_cuts,
                    f"patches_{name}": n_patches})
    return out
