"""Robustness runner for chainon:forest_height (protocol in validation/__init__.py).

One scene per seed (a year of Sentinel-2 and Sentinel-1, GEDI L2A granules),
the product trained on the GEDI shots with the land cover's forest (and the
scene's DEM when it has one: the independent scene has relief), mapped at 10 m. Against the TRUE canopy height and biomass at the footprints the product
held out (squares of 1 km it did not train on), the truth read onto the 10 m
map grid (nearest):
- height_rmse (m), agb_rmse (t/ha): Morin et al.'s figures are 3.7 m, 75 t/ha;
- n_validation (reported): held-out footprints."""
from pathlib import Path

import numpy as np
import rasterio
from rasterio.enums import Resampling

from ..core.forest_cuts import ForestSource
from ..core.forest_height import run_forest_height

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


def evaluate(simulator, seed, work: Path):
    work = Path(work)
    scene = make_scene(simulator, seed, work)
    result = run_forest_height(scene.s2_folder, work / "out", gedi=scene.gedi_folder,
                               s1_folder=scene.s1_folder, dem=getattr(scene, "dem", None),
                               forest=ForestSource(land_cover=str(scene.land_cover)))
    rows, cols = result["validation"]
    figures = {}
    for key, truth_path, name in (("OUTPUT", scene.height_truth, "height_rmse"),
                                  ("OUTPUT_AGB", scene.agb_truth, "agb_rmse")):
        with rasterio.open(result[key]) as ds:
            mapped = ds.read(1).astype("float64")
        truth = _read(truth_path, mapped.shape)
        figures[name] = float(np.sqrt(np.mean((mapped[rows, cols] - truth[rows, cols]) ** 2)))
    return dict(figures, n_validation=float(rows.size))
