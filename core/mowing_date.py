"""The grassland first mowing date product on one tile: the grassland of the
area, its gap-filled Sentinel-2 series, then the detection method or a
Random Forest trained on field observations, written block by block.
Shared by the QGIS algorithm and the compute centre."""
import json
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from rasterio.features import bounds as geometry_bounds
from rasterio.features import rasterize
from rasterio.warp import transform_geom

from . import mowing
from .blocks import Progress, run_blocks, windows
from .catalog import MOWING_DATE
from .cog import CogWriter, output_paths
from .errors import InputError
from .qml import write_sidecar
from .inputs import processing_grid, select_products
from .masks import check_binary
from .series import feature_names
from .theia import clear_mask, open_raster, read_on_grid, read_reflectance
from .timeseries import date_grid
from .training import (Reference, Samples, check_model_fits, check_overlap, extract,
                       load_model, polygon_raster, regression_report_text, regression_scores,
                       report_path, save_model)

BLOCK = 240                 # T dates x 5 bands per pixel: smaller blocks than the default
DOY_NODATA, UNC_NODATA = 65535, 255
MIN_OBSERVATIONS = 10       # field observations a trained model needs
MIN_AREA_SAMPLE = 1000      # area sample below which all grassland pixels are read
POINT_TYPES = ("Point", "MultiPoint")
RF_METHOD = "Random Forest regression (Rivas et al. 2024 baseline)"
DETECTION_FALLBACK = ("detection (the trained Random Forest did not validate clearly better on "
                      "held-out field observations)")
MODEL_SIGNIFICANCE = 0.05   # compare_with_detection's test level


@dataclass
class Grassland:
    """Where grassland is: every source given must agree (intersection).
    mask: raster path, non-zero = grassland; land_cover: raster path with
    `classes`; parcels: a training.Reference of polygons (values unused)."""
    mask: str = None
    land_cover: str = None
    classes: tuple = (13.0,)
    parcels: Reference = None

    def __post_init__(self):
        if not (self.mask or self.land_cover or self.parcels):
            raise InputError("Say where the grassland is: give a grassland mask, a land-cover "
                             "raster (with its grassland classes) or a layer of grassland "
                             "parcels.")


def run_mowing_date(s2_folder, out_folder, grassland, observations=None, outputs=None,
                    start=None, end=None, bounds=None, bounds_crs=None, params=None,
                    progress=None, workers=None, model=None):
    """Maps the first mowing day of year. `observations`: optional
    training.Reference of points or polygons whose values are dates (or days
    of the year): with it a Random Forest is trained and saved (OUTPUT_MODEL);
    `model`: a model saved so, applied instead; with neither the detection
    method runs. outputs: optional {key: path} for OUTPUT, OUTPUT_UNCERTAINTY
    (None: not written) and OUTPUT_MODEL. Returns paths, figures and, with parcels, one result
    per parcel (None where no pixel had a result). On error or cancel every
    file this run wrote is removed."""
    if observations is not None and model is not None:
        raise InputError("Give either field observations to train on or a trained model to "
                         "apply, not both.")
    written = []
    try:
        return _run(Path(s2_folder), Path(out_folder), grassland, observations, model,
                    dict(outputs or {}), start, end, bounds, bounds_crs,
                    params or mowing.MowingParams(), progress or Progress(), workers, written)
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
            Path(str(path)[:-4] + ".qml").unlink(missing_ok=True)
        raise


def _run(s2_folder, out_folder, grassland, observations, model_path, outputs, start, end,
         bounds, bounds_crs, params, progress, workers, written):
    products, start, end = select_products(s2_folder, start, end, mowing.FEATURE_BANDS)
    _check_products(products, start, end, params.min_clear)
    grid = processing_grid(products[0], bounds, bounds_crs)
    series = Series(products, grid, date_grid(start, end, params.step_days), params)
    area = GrasslandArea(grassland, grid)
    tile = "T" + products[0].tile
    progress.info(f"{len(products)} acquisitions of {tile}, grid {grid.width} x {grid.height} "
                  f"px at 20 m, {len(series.grid_dates)} dates every {params.step_days} days "
                  f"from {start} to {end}")
    wins = windows(grid.width, grid.height, BLOCK)
    area.check(wins, workers, progress.sub(0, 2))
    series.reference, series.fresh_depth = area_facts(series, area, wins, params, workers,
                                                      progress.sub(2, 10))
    paths = _paths(out_folder, outputs, tile, start, end)
    result = dict(method="detection")
    model = None
    if observations is not None:
        model_path = Path(outputs.get("OUTPUT_MODEL") or paths["OUTPUT"].with_name(
            paths["OUTPUT"].stem + "_model.joblib"))
        model, result = train(series, observations, grassland.parcels, params, paths,
                              progress.sub(10, 40), workers, written)
        save_model(model_path, "mowing_date", {None: model.rf}, series.names, grid,
                   start=str(start), start_doy=model.start_doy, step_days=params.step_days,
                   params=dict(params.__dict__), validation=result["scores"],
                   n_observations=result["n_observations"],
                   detection_better=not result["model_used"])
        written.append(model_path)
        result["OUTPUT_MODEL"] = str(model_path)
    elif model_path is not None:
        model, result = applied_model(model_path, series, progress)
    tags = dict(product="mowing_date", method=result["method"], period=f"{start}/{end}",
                parameters=json.dumps(params.__dict__))
    if not result.get("model_used", True):
        model = None                   # not clearly better than the detection
    stats = map_dates(series, area, model, params, paths, wins, tags,
                      progress.sub(40 if observations is not None else 10, 100), workers,
                      written)
    unc = paths.get("OUTPUT_UNCERTAINTY")
    return dict(result, OUTPUT=str(paths["OUTPUT"]), OUTPUT_UNCERTAINTY=unc and str(unc),
                parcels=stats, tile=tile, grid=grid, start=start, end=end)


def _check_products(products, start, end, min_clear):
    for p in products:             # fail before any work on a missing band
        for b in mowing.FEATURE_BANDS:
            p.band_path(b)
    inside = sum(start <= p.acquired.date() <= end for p in products)
    if inside < min_clear:
        raise InputError("Only {n} Sentinel-2 acquisitions between {start} and {end}, fewer "
                         "than the {need} clear dates the method needs: give a longer period "
                         "or lower the minimum number of clear dates.",
                         n=inside, start=start, end=end, need=min_clear)


def _paths(out_folder, outputs, tile, start, end):
    span = f"{start:%Y%m%d}_{end:%Y%m%d}"
    return output_paths(outputs, ("OUTPUT", "OUTPUT_UNCERTAINTY"), lambda k: out_folder / (
        f"MOWING-{MOWING_DATE.output(k).name}_{tile}_{span}.tif"))


class Series:
    """Gap-filled series of chosen pixels of a window, from THEIA products."""

    def __init__(self, products, grid, grid_dates, params):
        self.products, self.grid, self.grid_dates = products, grid, list(grid_dates)
        self.params = params
        self.reference = None      # NDVI of the area's unmown grass per date
        self.fresh_depth = None    # the area's fresh-cut depth (mowing.fresh_cut_depth)
        self.dates = [p.acquired.date() for p in products]
        # B2_d000 ... NDVI_d240: the columns of features(), days from the start
        self.names = feature_names([(d - self.grid_dates[0]).days for d in self.grid_dates],
                                   mowing.FEATURES, ())

    def read(self, window, pick, with_bands=True):
        """({feature: (G, n)}, n_clear, (clear NDVI (T, n), clear (T, n), haze
        index (T, n), water index (T, n))) for the flat indices `pick` of the
        window."""
        sub = self.grid.window_grid(window)
        clear = np.stack([clear_mask(p, sub).reshape(-1)[pick] for p in self.products])
        bands = mowing.FEATURE_BANDS if with_bands else ("B2", "B4", "B8", "B11")
        raw = {b: np.stack([read_reflectance(p, b, sub).reshape(-1)[pick]
                            for p in self.products]) for b in bands}
        feats, n_clear = mowing.gapfilled_features(raw, clear, self.dates, self.grid_dates,
                                                   self.params, with_bands)
        return feats, n_clear, mowing.clear_ndvi(raw, clear) + (mowing.haze_index(raw),
                                                                mowing.water_index(raw))

    def features(self, window, pick):
        """(X, n_clear), X the (n, G x 6) feature matrix followed by the clear
        NDVI, clear flags, haze and water indices of the T dates
        (training.extract's reader)."""
        series, n_clear, clear = self.read(window, pick)
        return np.hstack([mowing.feature_matrix(series)] + [a.T for a in clear]), n_clear


class GrasslandArea:
    """The grassland mask and parcel index of any window of `grid`."""

    def __init__(self, grassland, grid):
        self.source, self.grid = grassland, grid
        self.classes = np.array(grassland.classes, "float64")
        self.parcels = None
        if grassland.parcels is not None:
            ref = grassland.parcels
            geoms = [transform_geom(ref.crs, grid.crs, g) for g in ref.geometries]
            self.parcels = (geoms, np.array([geometry_bounds(g) for g in geoms]))

    def window(self, w):
        """(grassland bool (h, w), parcel index + 1 int32 or None, facts)."""
        sub = self.grid.window_grid(w)
        shape = (sub.height, sub.width)
        grass = np.ones(shape, bool)
        facts = {}
        if self.source.mask:
            values = self._read(self.source.mask, sub)
            facts["mask_covered"], facts["mask_grass"] = np.isfinite(values), values != 0
            facts["mask_values"] = np.unique(values[np.isfinite(values)])[:30]
            grass &= facts["mask_covered"] & facts["mask_grass"]
        if self.source.land_cover:
            values = self._read(self.source.land_cover, sub)
            facts["lc_covered"], facts["lc_grass"] = np.isfinite(values), np.isin(values,
                                                                                   self.classes)
            facts["lc_values"] = np.unique(values[np.isfinite(values)])
            grass &= facts["lc_grass"]
        parcel = None
        if self.parcels is not None:
            parcel = self._parcels(sub, shape)
            facts["parcels"] = parcel > 0
            grass &= facts["parcels"]
        return grass, parcel, facts

    @staticmethod
    def _read(path, sub):
        with open_raster(path) as ds:
            return read_on_grid(ds, sub, resampling="nearest")

    def _parcels(self, sub, shape):
        geoms, box = self.parcels
        xmin, ymin, xmax, ymax = sub.bounds
        near = np.flatnonzero((box[:, 0] < xmax) & (box[:, 2] > xmin)
                              & (box[:, 1] < ymax) & (box[:, 3] > ymin)) if len(box) else []
        if not len(near):
            return np.zeros(shape, "int32")
        return rasterize([(geoms[i], i + 1) for i in near], out_shape=shape,
                         transform=sub.transform, fill=0, dtype="int32")

    def check(self, wins, workers, progress=None):
        """Raises an error naming the culprit when the area holds no grassland."""
        totals = {}

        def count(w):
            grass, _, facts = self.window(w)
            return int(grass.sum()), facts

        def add(w, res):
            totals["grass"] = totals.get("grass", 0) + res[0]
            for k, v in res[1].items():
                if k in ("lc_values", "mask_values"):
                    totals[k] = np.union1d(totals.get(k, []), v)
                else:
                    totals[k] = totals.get(k, 0) + int(v.sum())
        run_blocks(wins, count, add, progress, workers)
        if self.source.mask:
            check_binary(totals.get("mask_values", []), self.source.mask)
        if totals["grass"]:
            return
        src = self.source
        for key, path in (("mask_covered", src.mask), ("lc_covered", src.land_cover)):
            if key in totals and not totals[key]:
                raise InputError("The raster {path} does not cover the processing area.",
                                 path=path)
        if "mask_grass" in totals and not totals["mask_grass"]:
            raise InputError("The grassland mask {path} holds no grassland (non-zero) pixel "
                             "over the processing area.", path=src.mask)
        if "lc_grass" in totals and not totals["lc_grass"]:
            raise InputError("The land-cover raster {path} holds no pixel of the grassland "
                             "classes {classes} over the processing area (classes found: "
                             "{found}).", path=src.land_cover,
                             classes=", ".join(f"{c:g}" for c in self.classes),
                             found=", ".join(f"{c:g}" for c in totals["lc_values"]) or "none")
        if "parcels" in totals and not totals["parcels"]:
            raise InputError("None of the {n} grassland parcels covers a pixel centre of the "
                             "processing area: check their position and coordinate system.",
                             n=len(src.parcels.geometries))
        raise InputError("The grassland sources given have no pixel in common over the "
                         "processing area.")


def area_facts(series, area, wins, params, workers, progress=None, max_pixels=20000):
    """(mowing.grassland_reference or None without params.area_reference,
    mowing.fresh_cut_depth) of the area, from at most about `max_pixels`
    grassland pixels (a regular subsample): the same for every block. A
    subsample that misses small meadows falls back to all their pixels."""
    stride = max(1, int(np.sqrt(series.grid.width * series.grid.height / max_pixels)))
    parts = _area_sample(series, area, wins, workers, progress, stride)
    if stride > 1 and sum(p[0].shape[-1] for p in parts) < MIN_AREA_SAMPLE:
        parts = _area_sample(series, area, wins, workers, progress, 1)
    if not parts:
        return None, None
    nd, ok, haze = (np.hstack([p[k] for p in parts]) for k in range(3))
    reference = mowing.grassland_reference(nd, ok) if params.area_reference else None
    return reference, mowing.fresh_cut_depth(nd, ok, series.dates, params, reference, haze)


def _area_sample(series, area, wins, workers, progress, stride):
    """Clear-date series of the grassland pixels on a grid of `stride`."""
    parts = []

    def compute(w):
        grass, _, _ = area.window(w)
        keep = np.zeros_like(grass)
        keep[::stride, ::stride] = grass[::stride, ::stride]
        pick = np.flatnonzero(keep)
        if not pick.size:
            return None
        _, _, clear = series.read(w, pick, with_bands=False)
        return clear[:3]

    def consume(w, res):
        if res is not None:
            parts.append(res)
    run_blocks(wins, compute, consume, progress, workers)
    return parts


# --- training -------------------------------------------------------------------
def observation_days(observations, start, end):
    """(kept indices, day of year of each kept observation) for the
    observations dated within [start, end]."""
    kept, days = [], []
    for i, value in enumerate(observations.values):
        doy, year = mowing.observation_doy(value, start.year, observations.field)
        if start <= date(year, 1, 1) + timedelta(days=doy - 1) <= end:
            kept.append(i)
            days.append(doy)
    if not kept:
        raise InputError("None of the {n} field observations is dated between {start} and "
                         "{end}: give observations of the season the images cover.",
                         n=len(observations.values), start=start, end=end)
    return kept, np.array(days, "float64")


def sample_raster(observations, parcels, grid):
    """int32 raster: 1 + index of the observation labelling each pixel. A
    point inside a parcel labels the whole parcel (field surveys date a
    parcel); other points label their pixel, polygons their pixel centres."""
    raster = polygon_raster(observations, grid)
    check_overlap(raster, observations, grid, what="field observations")
    if parcels is None:
        return raster
    parcel = polygon_raster(parcels, grid)
    is_point = np.array([g["type"] in POINT_TYPES for g in observations.geometries])
    flat = np.flatnonzero(raster)
    obs = raster.reshape(-1)[flat] - 1
    at = parcel.reshape(-1)[flat]
    sel = is_point[obs] & (at > 0)
    lookup = np.zeros(len(parcels.geometries) + 1, "int32")
    lookup[at[sel]] = obs[sel] + 1
    expanded = lookup[parcel]
    return np.where(expanded > 0, expanded, raster)


def draw_samples(raster, cap, seed):
    """Sample pixels (flat index, observation index), at most `cap` per
    observation, drawn at random (seeded), sorted by position."""
    rng = np.random.default_rng(seed)
    flat = np.flatnonzero(raster)
    obs = raster.reshape(-1)[flat] - 1
    keep = []
    for i in np.unique(obs):
        idx = np.flatnonzero(obs == i)
        keep.append(idx if len(idx) <= cap else rng.choice(idx, cap, replace=False))
    keep = np.sort(np.concatenate(keep))
    return flat[keep], obs[keep]


def training_samples(series, observations, parcels, params, progress, workers):
    """(x, y, obs, flat, kept): features, day of year, observation index and
    flat grid index of the sample pixels seen clear often enough, and the
    indices of the observations dated within the period."""
    grid = series.grid
    start, end = series.grid_dates[0], series.grid_dates[-1]
    kept, days = observation_days(observations, start, end)
    if len(kept) < len(observations.values):
        progress.info(f"{len(observations.values) - len(kept)} field observations dated "
                      f"outside {start} - {end} were left out")
    dated = Reference(observations.crs, [observations.geometries[i] for i in kept],
                      days.tolist(), observations.field)
    flat, obs = draw_samples(sample_raster(dated, parcels, grid),
                             params.max_samples_per_observation, params.seed)
    samples = Samples(flat, obs, days[obs], np.zeros(len(flat), bool))
    x, n_clear = extract(samples, windows(grid.width, grid.height, BLOCK), grid.width,
                         series.features, progress,
                         lambda w, c, s, p: run_blocks(w, c, s, p, workers))
    ok = n_clear >= params.min_clear
    n_obs = len(np.unique(obs[ok]))
    if n_obs < MIN_OBSERVATIONS:
        raise InputError("Only {n} field observations cover pixels seen clear on at least "
                         "{need} dates (at most {best} clear dates were found); training "
                         "needs {min} or more.", n=n_obs, need=params.min_clear,
                         best=int(n_clear.max()), min=MIN_OBSERVATIONS)
    return x[ok], samples.label[ok], obs[ok], flat[ok], kept


def split_features(x, n_features):
    """(feature matrix, clear NDVI (T, n), clear (T, n), haze index (T, n),
    water index (T, n)) of Series.features' X."""
    n_dates = (x.shape[1] - n_features) // 4
    nd, ok, haze, water = (x[:, n_features + k * n_dates:n_features + (k + 1) * n_dates].T
                           for k in range(4))
    return x[:, :n_features], nd, ok > 0, haze, water


def train(series, observations, parcels, params, paths, progress, workers, written):
    """Fits the Random Forest on the field observations and cross-validates
    it by spatial groups against the detection on the same held-out
    observations, writes the validation report. Returns (model, facts);
    facts["model_used"] is False unless the model validated clearly better
    (compare_with_detection)."""
    x, y, obs, flat, kept = training_samples(series, observations, parcels, params,
                                             progress.sub(0, 50), workers)
    x, nd, ok, haze, water = split_features(x, len(series.names))
    present = np.unique(obs)
    rows, cols = np.divmod(flat, series.grid.width)
    centres = np.array([[rows[obs == i].mean(), cols[obs == i].mean()] for i in present])
    groups = np.zeros(len(kept), int)
    groups[present] = mowing.spatial_groups(centres, params.cv_folds, params.seed)
    ids, observed, predicted = mowing.cross_validate(x, y, obs, groups, params, workers)
    progress.sub(50, 80).percent(100)
    scores = regression_scores(observed, predicted)
    detected = _detection_on_samples(nd, ok, haze, water, obs, ids, series, params)
    compared = compare_with_detection(observed, predicted, detected)
    header = _report_header(params, series, len(np.unique(groups[present])), compared)
    rows_out = [(kept[i] + 1, o, p) for i, o, p in zip(ids, observed, predicted)]
    report = report_path(paths["OUTPUT"])
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(regression_report_text(
        "First mowing date: validation of the trained model", scores, rows_out, header,
        units="days"), encoding="utf-8")
    written.append(report)
    model = Regressor(mowing.fit_regressor(x, y, params, workers),
                      series.grid_dates[0].timetuple().tm_yday)
    progress.sub(80, 100).percent(100)
    progress.info(f"Spatial cross-validation on {scores['n']} field observations: MAE "
                  f"{scores['mae']:.1f} days, R² {scores['r2']:.2f}")
    progress.info(compared["verdict"])
    method = RF_METHOD if compared["model_used"] else DETECTION_FALLBACK
    return model, dict(method=method, OUTPUT_REPORT=str(report), scores=scores,
                       detection=compared, model_used=compared["model_used"],
                       n_observations=len(present))


def compare_with_detection(observed, predicted, detected):
    """The trained model and the detection on the held-out observations the
    detection dates (the map dates only those: the detection decides mown /
    not mown). The model dates the map only when it is clearly more
    accurate there: a one-sided Wilcoxon signed-rank test of the paired
    absolute errors at the 5 % level (Demsar 2006, JMLR 7:1-30: the test
    for two methods on the same cases). A lower mean error won by a hair,
    or on one observation, does not switch methods; fewer than 5 dated
    observations never can (the smallest p on 4 is 1/16)."""
    found = (detected > 0) & (detected != mowing.UNDECIDED)
    n = int(found.sum())
    if not n:
        return dict(model_used=False, found=0, n=len(observed), mae_model=float("nan"),
                    mae_detection=float("nan"), p_value=float("nan"),
                    verdict="The detection dates none of the held-out field observations: "
                            "the trained model cannot be compared with it, the map is dated "
                            "by the detection.")
    err_model = np.abs(predicted - observed)[found]
    err_detection = np.abs(detected - observed)[found]
    p = _better_p(err_detection, err_model)
    used = p < MODEL_SIGNIFICANCE
    verdict = (f"On the {n} held-out field observations the detection dates, the trained "
               f"model's MAE is {err_model.mean():.2f} days and the detection's "
               f"{err_detection.mean():.2f} days (paired Wilcoxon test, model better: "
               f"p = {p:.2g}): " + (
                   "the map is dated by the trained model." if used else
                   "the trained model is not clearly better, the map is dated by the "
                   "detection."))
    return dict(model_used=used, found=n, n=len(observed), mae_model=float(err_model.mean()),
                mae_detection=float(err_detection.mean()), p_value=p, verdict=verdict)


def _better_p(worse, better):
    """One-sided p of the Wilcoxon signed-rank test that `better` (paired
    errors) is smaller than `worse`; 1 when they never differ. Equal pairs
    are dropped and the exact distribution is used up to 50 pairs: left to
    scipy, 1.10 (QGIS's Debian) switched to a normal approximation on one
    equal pair and let 3 differing observations pass at 5 %, where 1.17 (the
    compute centre) did not."""
    from scipy.stats import wilcoxon
    d = np.asarray(worse, "float64") - np.asarray(better, "float64")
    d = d[d != 0]
    if not d.size:
        return 1.0
    return float(wilcoxon(d, alternative="greater",
                          method="exact" if d.size <= 50 else "approx").pvalue)


@dataclass
class Regressor:
    """A trained forest of first mowing days of the year and the day of the
    year its period started on. Features are dated from the period's start,
    so on a period starting another day (a leap year) the dates move by
    `shift` days."""
    rf: object
    start_doy: int
    shift: int = 0

    def predict(self, x):
        doy, uncertainty = mowing.predict(self.rf, x)
        return np.clip(doy.astype(int) + self.shift, 1, 366).astype("uint16"), uncertainty


def applied_model(path, series, progress):
    """(Regressor, facts) of a model saved by a training run, checked
    against the features of this series."""
    bundle = load_model(path, "mowing_date", progress)
    check_model_fits(bundle, series.names, series.grid)
    start_doy = series.grid_dates[0].timetuple().tm_yday
    progress.info(f"Model trained from {bundle['start']} on {bundle['n_observations']} field "
                  f"observations (cross-validated MAE {bundle['validation']['mae']:.1f} days)")
    facts = dict(method=f"{RF_METHOD}, model {path}", MODEL=str(path), model_used=True)
    if bundle.get("detection_better"):
        progress.info("This model did not validate clearly better than the detection on its "
                      "held-out field observations: the map is dated by the detection.")
        facts.update(method=f"{DETECTION_FALLBACK}, model {path}", model_used=False)
    return (Regressor(bundle["models"][None], bundle["start_doy"],
                      start_doy - bundle["start_doy"]), facts)


def _detection_on_samples(nd, ok, haze, water, obs, ids, series, params):
    """The detection's day per observation: the median of its mown pixels,
    0 when most of its decided pixels are not mown, UNDECIDED when none is
    decided (undecided pixels are no day: their code must not enter a median)."""
    doy, _ = mowing.detect_first_mowing(nd, ok, series.dates, params, series.reference, haze,
                                        series.fresh_depth, water)
    return np.array([_observation_day(doy[obs == i]) for i in ids], "float64")


def _observation_day(days):
    days = days[days != mowing.UNDECIDED]
    if not days.size:
        return float(mowing.UNDECIDED)
    mown = days > 0
    return float(np.median(days[mown])) if mown.mean() >= 0.5 else 0.0


def _report_header(params, series, n_groups, compared):
    return (f"Random Forest ({params.n_trees} trees) on the gap-filled B2 B3 B4 B8 B11 and "
            f"NDVI every {params.step_days} days from {series.grid_dates[0]} to "
            f"{series.grid_dates[-1]}, dating the pixels the detection finds mown.",
            f"Cross-validation: {min(params.cv_folds, n_groups)}-fold, grouped by {n_groups} "
            f"spatial clusters of observations (k-means on their positions); an "
            f"observation's prediction is the median of its pixels'.",
            f"Detection method (no training) on the same observations: a cut found for "
            f"{compared['found']} of {compared['n']}.",
            compared["verdict"])


# --- mapping --------------------------------------------------------------------
def map_dates(series, area, model, params, paths, wins, tags, progress, workers, written):
    """Writes the day-of-year and uncertainty rasters; returns per-parcel
    results when parcels are given."""
    grid = series.grid
    found = dict(pixels=0, best=0, dated=0, undecided=0)
    parcel_parts = []

    def compute(w):
        grass, parcel, _ = area.window(w)
        doy = np.zeros(grass.size, "uint16")
        unc = np.full(grass.size, UNC_NODATA, "uint8")
        pick = np.flatnonzero(grass)
        n_clear = np.zeros(0, int)
        if pick.size:
            doy[pick], unc[pick], n_clear = _dates(series, w, pick, model, params)
        part = None if parcel is None else (parcel.reshape(-1)[pick], doy[pick], unc[pick])
        shape = (int(w.height), int(w.width))
        return doy.reshape(shape), unc.reshape(shape), n_clear, part, _counts(doy[pick],
                                                                              n_clear, params)

    with ExitStack() as stack:
        specs = {k: MOWING_DATE.output(k) for k in paths}
        out = {k: stack.enter_context(CogWriter(
            paths[k], grid, spec.dtype, spec.nodata, tags, resampling=spec.resampling,
            description=spec.title)) for k, spec in specs.items()}

        def consume(w, res):
            doy, unc, n_clear, part, counts = res
            out["OUTPUT"].write(w, doy)
            if "OUTPUT_UNCERTAINTY" in out:
                out["OUTPUT_UNCERTAINTY"].write(w, unc)
            for k, n in counts.items():
                found[k] += n
            found["best"] = max(found["best"], int(n_clear.max(initial=0)))
            if part is not None:
                parcel_parts.append(part)
        run_blocks(wins, compute, consume, progress, workers)
        if not found["pixels"]:
            raise InputError("No grassland pixel is seen clear on {need} dates between {start} "
                             "and {end} (at most on {best}): give a longer period or lower "
                             "the minimum number of clear dates.", need=params.min_clear,
                             start=series.grid_dates[0], end=series.grid_dates[-1],
                             best=found["best"])
    progress.info(f"Grassland pixels seen clear on {params.min_clear} dates or more: "
                  f"{found['pixels']}; mown and dated: {found['dated']}; a cut found but not "
                  f"dated (65535: an earlier cut may hide in a cloud gap before it, or the cut "
                  f"lies anywhere in such a gap): {found['undecided']}")
    for k, path in paths.items():
        written.append(path)
        write_sidecar(path, MOWING_DATE.output(k))
    if area.parcels is None:
        return None
    return parcel_results(parcel_parts, len(area.parcels[0]))


def _counts(doy, n_clear, params):
    """Picked pixels seen clear on enough dates, those dated and those undecided."""
    seen = n_clear >= params.min_clear
    return dict(pixels=int(seen.sum()), dated=int((seen & (doy > 0) & (doy != DOY_NODATA)).sum()),
                undecided=int((seen & (doy == mowing.UNDECIDED)).sum()))


def _dates(series, w, pick, model, params):
    """(day of year, uncertainty in whole days, n_clear) of the picked pixels:
    the detection decides which are mown, the model (if any) dates them."""
    feats, n_clear, (nd, clear, haze, water) = series.read(w, pick,
                                                          with_bands=model is not None)
    ok = n_clear >= params.min_clear
    doy = np.full(pick.size, DOY_NODATA, "uint16")
    unc = np.full(pick.size, UNC_NODATA, "uint8")
    if ok.any():
        d, u = mowing.detect_first_mowing(nd[:, ok], clear[:, ok], series.dates, params,
                                          series.reference, haze[:, ok], series.fresh_depth,
                                          water[:, ok])
        dated = (d > 0) & (d != DOY_NODATA)
        if model is not None:
            d_model, u_model = model.predict(mowing.feature_matrix(feats)[ok])
            d, u = np.where(dated, d_model, d), np.where(dated, u_model, u)
        doy[ok] = d
        unc[ok] = np.where(dated, np.minimum(np.rint(u), UNC_NODATA - 1), UNC_NODATA)
    return doy, unc, n_clear


def parcel_results(parts, n_parcels):
    """Per parcel: pixels with a result, share of them mown, median day of the
    mown pixels (0 when most pixels are not mown) and their mean uncertainty."""
    if parts:
        idx, doy, unc = (np.concatenate(a) for a in zip(*parts))
    else:
        idx = doy = unc = np.zeros(0, int)
    valid = (idx > 0) & (doy != DOY_NODATA)
    idx, doy, unc = idx[valid] - 1, doy[valid], unc[valid]
    order = np.argsort(idx, kind="stable")
    idx, doy, unc = idx[order], doy[order], unc[order]
    bounds = np.searchsorted(idx, np.arange(n_parcels + 1))
    results = []
    for i in range(n_parcels):
        d, u = doy[bounds[i]:bounds[i + 1]], unc[bounds[i]:bounds[i + 1]]
        if not d.size:
            results.append(None)
            continue
        mown = d > 0
        share = float(mown.mean())
        day = int(np.rint(np.median(d[mown]))) if share >= 0.5 else 0
        results.append(dict(doy=day, uncertainty=float(u[mown].mean()) if day else None,
                            pixels=int(d.size), mown_share=share))
    return results
