"""Grassland first mowing date (Rivas et al. 2024, RSE 315:114476), pure numpy
and scikit-learn, on gap-filled series of any pixels or plots.

Two methods, as compared in the paper:
- detection (the paper's threshold baselines), used without field data: the
  first fall of the gap-filled NDVI after the spring peak deeper than a fixed
  drop and than a share of the season's amplitude;
- supervised regression of the first mowing day of year from the gap-filled
  series, trained on field observations: a Random Forest (the paper's
  classical baseline; its best model, the L-TAE, needs PyTorch), validated by
  spatially grouped cross-validation; the uncertainty is the spread of the
  trees' predictions."""
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from .errors import InputError
from .timeseries import gapfill, normalized_difference

FEATURE_BANDS = ("B2", "B3", "B4", "B8", "B11")
FEATURES = FEATURE_BANDS + ("NDVI",)
NOT_MOWN = 0
EPOCH = date(1970, 1, 1).toordinal()
STEEP_SHARE = 0.5     # steps falling at least this share of the steepest one form the cut


@dataclass
class MowingParams:
    step_days: int = 5            # date grid of the gap-filled series
    drop: float = 0.15            # NDVI fall a cut must exceed (science.md threshold method)
    relative_drop: float = 0.2    # ... and this share of the season's NDVI amplitude
    peak_fraction: float = 0.8    # the spring peak: NDVI first reaches this share of its max
    min_clear: int = 8            # clear dates a pixel needs in the period
    n_trees: int = 100
    max_samples_per_observation: int = 50
    cv_folds: int = 5
    seed: int = 0


def ndvi(red, nir):
    return normalized_difference(nir, red)


def gapfilled_features(bands, clear, dates, grid_dates, with_bands=True):
    """Gap-filled NDVI, and bands when `with_bands`: `bands` {band: (T, N)
    reflectance} holding at least B4 and B8, `clear` (T, N) bool. NDVI is
    computed on clear dates, then gap-filled itself, so that it stays
    piecewise linear between clear dates. Returns ({feature: (G, N)}, number
    of clear dates per column)."""
    ok = clear & np.all([np.isfinite(v) for v in bands.values()], axis=0)
    out = {b: gapfill(v, ok, dates, grid_dates) for b, v in bands.items()} if with_bands else {}
    out["NDVI"] = gapfill(ndvi(bands["B4"], bands["B8"]), ok, dates, grid_dates)
    return out, ok.sum(axis=0)


def feature_matrix(series):
    """(N, G x 6) matrix, grid date after grid date, B2 B3 B4 B8 B11 NDVI."""
    return np.stack([series[f] for f in FEATURES], axis=1).reshape(
        -1, series["NDVI"].shape[1]).T.astype("float32")


# --- detection ------------------------------------------------------------------
def detect_first_mowing(ndvi_g, grid_dates, params):
    """First mowing day of year and its uncertainty (days) per column of the
    gap-filled NDVI `ndvi_g` (G, N); day 0 = no cut found.

    Linear gap-filling turns a cut between two clear dates into one straight
    fall spanning them. A fall is a run of falling grid steps, reduced to its
    steep part (steps falling at least half as fast as its steepest), so that
    a slow decline (senescence, grazing, drying before the cut) does not
    count. The first fall after the spring peak whose steep part is deeper
    than max(drop, relative_drop x amplitude) is the first cut. It happened
    some day between the last date before the steep part and the first date
    after it; with nothing else known every day of that interval is as
    likely, so its midpoint is the estimate of least expected absolute error
    (never more than half the interval off), and the uncertainty is the
    standard deviation of that uniform law, interval / sqrt(12)."""
    x = np.asarray(ndvi_g, "float64")
    t = np.array([d.toordinal() for d in grid_dates], "float64")
    top = np.nanmax(x, axis=0)
    need = np.maximum(params.drop, params.relative_drop * (top - np.nanmin(x, axis=0)))
    peak = np.argmax(x >= params.peak_fraction * top, axis=0)
    steep, run, run_start, depth = _falls(x[:-1] - x[1:])
    cut = steep & (run_start >= peak) & (depth > need)
    found = cut.any(axis=0)
    first_run = run[np.argmax(cut, axis=0), np.arange(x.shape[1])]
    in_cut = steep & (run == first_run)
    lo = np.argmax(in_cut, axis=0)
    hi = len(in_cut) - np.argmax(in_cut[::-1], axis=0)
    doy = np.where(found, _doy((t[lo] + t[hi]) / 2), NOT_MOWN)
    spread = np.where(found, (t[hi] - t[lo]) / np.sqrt(12), 0.0)
    return doy.astype("uint16"), spread.astype("float32")


def _falls(fall, eps=1e-3):
    """Per grid step (S, N): steep (in the steep part of its run of falling
    steps), run id (1, 2... per column; 0 = not falling), index of the run's
    first step, and the summed fall of the run's steep part."""
    falling = fall > eps
    starts = falling & ~np.vstack([np.zeros((1, fall.shape[1]), bool), falling[:-1]])
    run = np.cumsum(starts, axis=0) * falling
    steep = falling & (fall >= STEEP_SHARE * _per_run(fall, starts, falling, np.maximum))
    depth = _per_run(np.where(steep, fall, 0.0), starts, falling, np.add)
    index = np.arange(len(fall))[:, None]
    run_start = np.maximum.accumulate(np.where(starts, index, -1), axis=0)
    return steep, run, run_start, depth


def _per_run(values, starts, falling, op):
    """`op` (np.add, np.maximum) accumulated over each run of falling steps,
    the run's result given to all its steps."""
    acc = values.copy()
    for k in range(1, len(acc)):
        acc[k] = np.where(starts[k], values[k], op(acc[k - 1], values[k]))
    for k in range(len(acc) - 2, -1, -1):
        acc[k] = np.where(falling[k] & falling[k + 1], acc[k + 1], acc[k])
    return acc


def _doy(ordinals):
    """Day of year of proleptic Gregorian ordinals (date.toordinal)."""
    days = (np.floor(ordinals + 0.5) - EPOCH).astype("datetime64[D]")   # half days up
    return (days - days.astype("datetime64[Y]").astype("datetime64[D]")).astype(int) + 1


# --- supervised regression ------------------------------------------------------
def observation_doy(value, year, field):
    """Day of year of a field observation: a date, an ISO date text
    (YYYY-MM-DD, time ignored) or a day-of-year number (of `year`)."""
    if isinstance(value, date):          # datetime too
        return value.timetuple().tm_yday, value.year
    if isinstance(value, (int, float, np.integer, np.floating)) and 1 <= value <= 366:
        return int(round(value)), year
    try:
        day = datetime.strptime(str(value).strip()[:10].replace("/", "-"), "%Y-%m-%d")
    except ValueError:
        raise InputError("The field {field} must hold dates (YYYY-MM-DD) or days of the year "
                         "(1-366); it holds {value!r}.", field=field, value=value)
    return day.timetuple().tm_yday, day.year


def fit_regressor(x, y, params, workers=None):
    from sklearn.ensemble import RandomForestRegressor
    rf = RandomForestRegressor(n_estimators=params.n_trees, max_features="sqrt",
                               min_samples_leaf=2, n_jobs=workers or -1,
                               random_state=params.seed)
    rf.fit(x, y)
    rf.n_jobs = 1   # prediction runs in the block engine's threads
    return rf


def predict(rf, x):
    """(day of year, uncertainty in days): the forest's mean prediction and the
    standard deviation of its trees' predictions."""
    per_tree = np.stack([tree.predict(x) for tree in rf.estimators_])
    doy = np.clip(np.rint(per_tree.mean(axis=0)), 1, 366)
    return doy.astype("uint16"), per_tree.std(axis=0).astype("float32")


def spatial_groups(xy, n_groups, seed):
    """Contiguous spatial clusters of observation positions (k-means), so that
    cross-validation tests on areas the model has not seen."""
    from sklearn.cluster import KMeans
    xy = np.asarray(xy, "float64")
    k = min(n_groups, len(np.unique(xy, axis=0)))
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(xy)


def cross_validate(x, y, obs, groups, params, workers=None):
    """Grouped K-fold: each fold trains on the other groups' observations and
    predicts the held-out ones; an observation's prediction is the median of
    its pixels'. x, y, obs: per sample (pixel); groups: per observation.
    Returns (observation ids, observed, predicted), one value per observation."""
    from sklearn.model_selection import GroupKFold
    obs = np.asarray(obs)
    ids = np.unique(obs)
    group_of = np.asarray(groups)[obs]
    n_folds = min(params.cv_folds, len(np.unique(group_of)))
    if n_folds < 2:
        raise InputError("The field observations fall in a single area: cross-validation "
                         "needs observations in at least two separate places.")
    predicted = np.full(len(y), np.nan)
    for train, test in GroupKFold(n_folds).split(x, y, group_of):
        rf = fit_regressor(x[train], y[train], params, workers)
        predicted[test] = rf.predict(x[test])
    observed = np.array([np.median(y[obs == i]) for i in ids])
    per_obs = np.array([np.median(predicted[obs == i]) for i in ids])
    return ids, observed, per_obs
