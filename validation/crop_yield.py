"""Robustness runner for chainon:crop_yield (protocol in validation/__init__.py).

One scene per seed (192 px at 10 m, one year). The product trains on the
scene's declared yields (RDT_DECL, with whatever noise and gross errors the
simulator put in them) for the crop of the parcels that have a true yield,
and averages the parcels over the scene's units. Per run:
- parcel_relative_rmse: RMSE of the predicted yield against the TRUE yield
  over the parcels the model did not train on (validation and undeclared
  parcels), divided by their mean true yield;
- unit_relative_rmse: root mean square of the units' relative errors to the
  official statistics;
Reported without a target: set_aside, the declarations the screen set
aside; gross_kept, declarations more than 25 % from the true yield that it
kept (of those drawn: see crop_yield.MAX_TRAINING); sound_set_aside,
declarations within 10 % of the true yield that it set aside."""
from collections import Counter
from pathlib import Path

import numpy as np

from ..core.crop_yield import read_statistics, run_crop_yield, select_parcels
from ..core.training import read_geojson, reference_from_features

TARGETS = {"parcel_relative_rmse": ("<=", 0.10), "unit_relative_rmse": ("<=", 0.05)}
REPORTED = {"set_aside": "<=", "gross_kept": "<=", "sound_set_aside": "<="}   # worst: most
SIZE = 192
YEAR = 2018


def make_scene(simulator, seed, work):
    if simulator == "project":
        from ..core.scenes.crop_yield import make_crop_yield_scene
        return make_crop_yield_scene(work / "scene", seed=seed, size=SIZE, year=YEAR)
    from .sims.crop_wofost import make_yield_scene
    return make_yield_scene(work / "scene", seed, size=SIZE, year=YEAR)


def evaluate(simulator, seed, work: Path):
    work = Path(work)
    scene = make_scene(simulator, seed, work)
    features, crs = read_geojson(scene.parcels_path)
    truth = {str(k): v for k, v in scene.true_yield.items()}
    crop = Counter(f["properties"]["CODE_CULTU"] for f in features
                   if str(f["properties"]["ID_PARCEL"]) in truth).most_common(1)[0][0]
    parcels = select_parcels(features, crs, "CODE_CULTU", crop, "RDT_DECL")
    units, ucrs = read_geojson(scene.units_path)
    code = next(k for k in ("code", "CODE", "code_dept", "INSEE_DEP")
                if k in units[0]["properties"])
    result = run_crop_yield(scene.s2_folder, work / "out", parcels,
                            units=reference_from_features(units, code, ucrs, numeric=False),
                            statistics=read_statistics(scene.statistics_path, code),
                            start=scene.start, end=scene.end)
    true_of = {p["index"]: truth[str(features[p["index"]]["properties"]["ID_PARCEL"])]
               for p in result["parcels"]}
    held = [(p["predicted"], true_of[p["index"]]) for p in result["parcels"]
            if p["split"] != "training" and p["predicted"] is not None]
    pred, true = np.array(held, float).T
    rel = [u["relative_error"] for u in result["units"] if u["relative_error"] is not None]
    off = {p["index"]: abs(p["declared"] / true_of[p["index"]] - 1) for p in result["parcels"]
           if p["declared"] is not None and p["split"] != "not drawn"}   # screened only
    aside = {p["index"] for p in result["parcels"] if p["split"] == "set aside"}
    return dict(parcel_relative_rmse=float(np.sqrt(np.mean((pred - true) ** 2)) / true.mean()),
                unit_relative_rmse=float(np.sqrt(np.mean(np.square(rel)))),
                set_aside=float(len(aside)),
                gross_kept=float(sum(e > 0.25 and i not in aside for i, e in off.items())),
                sound_set_aside=float(sum(e < 0.10 and i in aside for i, e in off.items())))
