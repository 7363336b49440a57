"""Robustness runner for chainon:mowing_date (protocol in validation/__init__.py).

One scene per seed (160 px at 20 m, 1 March - 31 October). The product runs
twice on the land cover's meadows: without field observations (detection)
and with the scene's field observations (trained Random Forest, falling back
to detection unless it validates clearly better). Per run, over meadow pixels:
- mae_days: mean |mapped - true| first mowing day over the pixels of mown
  meadows that get a date;
- never_mown_dated: share of never-mown meadow pixels that get a date;
- mown_dated (REPORTED, so that a method dating nothing cannot pass):
  share of mown meadow pixels that get a date;
- never_mown_undecided (REPORTED): share of never-mown meadow pixels left
  undecided (65535: a cut found but not dated), false cuts that
  never_mown_dated does not count.
A run that dates no mown pixel has an infinite mae_days: it fails.
The truth is each meadow's own pixels: the independent scene's parcel label
raster (its parcels are not rectangles: their bounding boxes overlap, and
the lanes between them are grassy but no meadow), the project scene's
rectangles."""
from datetime import date
from pathlib import Path

import numpy as np
import rasterio

from ..core.mowing import MowingParams
from ..core.mowing_date import DOY_NODATA, Grassland, run_mowing_date
from ..core.training import read_geojson, reference_from_features

TARGETS = {"mae_days_detection": ("<=", 6.0), "never_mown_dated_detection": ("<=", 0.10),
           "mae_days_trained": ("<=", 6.0), "never_mown_dated_trained": ("<=", 0.10)}
REPORTED = {"mown_dated_detection": ">=", "mown_dated_trained": ">=",
            "never_mown_undecided_detection": "<="}
SIZE = 160
YEAR = 2022


def make_scene(simulator, seed, work):
    if simulator == "project":
        from ..core.scenes.mowing import make_mowing_scene
        return make_mowing_scene(work / "scene", seed=seed, size=SIZE, year=YEAR)
    from .sims.grassland import make_scene as independent
    return independent(work / "scene", seed, size=SIZE, year=YEAR)


def truth_rasters(scene, shape):
    """(meadow code set, true first day per pixel: -1 not a meadow, 0 never mown)."""
    first = {p["parcel_id"]: p["first_doy"] for p in scene.parcel_table}
    codes = {p["code"] for p in scene.parcel_table if first[p["parcel_id"]]}
    truth = np.full(shape, -1, "int32")
    labels = Path(scene.truth_dir) / "parcel_label.tif"
    if labels.exists():                       # independent scene: the parcels' own pixels
        with rasterio.open(labels) as ds:
            label = ds.read(1)
        for p in scene.parcel_table:
            if p["code"] in codes:
                truth[label == p["label"]] = p["first_doy"] or 0
        return codes, truth
    for p in scene.parcel_table:              # project scene: rectangles tiling the scene
        if p["code"] in codes:
            truth[p["rows"], p["cols"]] = p["first_doy"] or 0
    return codes, truth


def date_field(features):
    """The property of the observations holding the first mowing date."""
    names = list(features[0]["properties"])
    for word in ("date", "doy", "day"):
        for name in names:
            if word in name.lower():
                return name
    raise ValueError(f"no date field among {names}")


def scores(path, truth):
    with rasterio.open(path) as ds:
        doy = ds.read(1).astype("int64")
    dated = (doy > 0) & (doy != DOY_NODATA)
    mown, never = truth > 0, truth == 0
    err = np.abs(doy - truth)[mown & dated]
    return dict(mae_days=float(err.mean()) if err.size else float("inf"),
                never_mown_dated=float(dated[never].mean()) if never.any() else 0.0,
                mown_dated=float(dated[mown].mean()),
                never_mown_undecided=float((doy == DOY_NODATA)[never].mean()) if never.any()
                else 0.0)


def evaluate(simulator, seed, work: Path):
    work = Path(work)
    scene = make_scene(simulator, seed, work)
    codes, truth = truth_rasters(scene, (scene.grid.height, scene.grid.width))
    land_cover = getattr(scene, "land_cover_path", scene.land_cover)   # independent: array + path
    grassland = Grassland(land_cover=str(land_cover), classes=tuple(map(float, codes)))
    start = getattr(scene, "start", date(YEAR, 3, 1))
    end = getattr(scene, "end", date(YEAR, 10, 31))
    params = MowingParams(seed=seed)
    out = {}
    detected = run_mowing_date(scene.s2_folder, work / "det", grassland, start=start, end=end,
                               params=params)
    out.update({f"{k}_detection": v for k, v in scores(detected["OUTPUT"], truth).items()})
    features, crs = read_geojson(scene.observations)
    observations = reference_from_features(features, date_field(features), crs, numeric=False)
    trained = run_mowing_date(scene.s2_folder, work / "rf", grassland, observations,
                              start=start, end=end, params=params)
    out.update({f"{k}_trained": v for k, v in scores(trained["OUTPUT"], truth).items()})
    out["trained_model_used"] = float(trained["model_used"])
    return out
