"""The yield regressions compared for a crop (core/crop_yield.py trains and
applies them): a bias-corrected Random Forest, ridge and Huber ridge
regressions on all dates or on the crop season, the screening of implausible
declarations, and the selection of the simplest model within one standard
error of the best cross-validated one. Saved model bundles pickle these
classes under chainon.core.crop_yield, which re-exports them."""
import numpy as np

from .training import regression_scores

MIN_TRAINING = 10                           # parcels with a declared yield
CV_FOLDS = 5                                # folds of parcels comparing the models
# ridge penalties on standardised features; below 1 (one observation's weight)
# leave-one-out picks near least squares, unstable with as many features as parcels
RIDGE_ALPHAS = np.logspace(0, 6, 13)
HUBER_C = 1.345                             # Huber's constant, in robust SDs
HUBER_ITERATIONS = 20
SLIP_FACTOR = 10 ** 0.5                     # from the median: a unit slip
OUTLIER_Z = 3.5                             # modified z-score of a gross error
SEASON_SHARE = 0.5                          # of the mean NDVI's amplitude: crop season


class BiasCorrectedForest:
    """Random Forest regression with the bias correction of Zhang & Lu (2012,
    J. Appl. Stat. 39(1)): forests pull predictions towards the mean, so the
    observations are regressed on the out-of-bag predictions (y = a + b p)
    and the line is applied to every prediction."""

    def __init__(self, forest):
        self.forest, self.a, self.b = forest, 0.0, 1.0

    def fit(self, x, y):
        self.forest.fit(x, y)
        self.b, self.a = np.polyfit(self.forest.oob_prediction_, y, 1)
        self.forest.n_jobs = 1   # prediction runs in the block engine's threads
        return self

    def predict(self, x):
        return self.a + self.b * self.forest.predict(x)


class LinearYield:
    """Ridge regression on standardised features (the penalty chosen by
    leave-one-out among RIDGE_ALPHAS), optionally on some columns only.
    huber: Huber's M-estimator (Huber 1964, c = 1.345 robust SD: 95 %
    efficiency under normal errors) by iteratively reweighted ridge, so that
    a wrong declaration left in the training set weighs little."""

    def __init__(self, columns=None, huber=False):
        self.columns, self.huber = columns, huber

    def fit(self, x, y):
        from sklearn.linear_model import RidgeCV
        x = self._scaled(x, fit=True)
        self.ridge = RidgeCV(alphas=RIDGE_ALPHAS).fit(x, y)
        weights = np.ones(len(y))
        for _ in range(HUBER_ITERATIONS if self.huber else 0):
            r = y - self.ridge.predict(x)
            scale = max(robust_sd(r), 1e-9)
            new = np.minimum(1.0, HUBER_C * scale / np.maximum(np.abs(r), 1e-12))
            self.ridge = RidgeCV(alphas=RIDGE_ALPHAS).fit(x, y, sample_weight=new)
            if np.abs(new - weights).max() < 1e-3:
                break
            weights = new
        return self

    def predict(self, x):
        return self.ridge.predict(self._scaled(x))

    def _scaled(self, x, fit=False):
        x = np.asarray(x if self.columns is None else x[:, self.columns], "float64")
        if fit:
            self.mean, sd = x.mean(axis=0), x.std(axis=0)
            self.sd = np.where(sd > 0, sd, 1.0)
        return (x - self.mean) / self.sd


def robust_sd(r):
    """1.4826 x the median absolute deviation: the SD of normal residuals."""
    return 1.4826 * float(np.median(np.abs(r - np.median(r))))


def season_columns(x, names):
    """Columns of the crop's season: the grid dates where the parcels' mean
    NDVI is above half its seasonal amplitude, plus the whole-season features."""
    ndvi = [i for i, n in enumerate(names) if n.startswith("NDVI_d")]
    mean = np.nanmean(x[:, ndvi], axis=0)
    low, high = mean.min(), mean.max()
    dates = {names[i].rsplit("_", 1)[1] for i, m in zip(ndvi, mean)
             if m >= low + SEASON_SHARE * (high - low)}
    return np.array([i for i, n in enumerate(names)
                     if "_d" not in n or n.rsplit("_", 1)[1] in dates])


def candidates(x, names, params, workers):
    """The model families compared by cross-validation, simplest first
    (fewer features, then plain least squares, then the forest): {name:
    factory}."""
    from sklearn.ensemble import RandomForestRegressor
    season = season_columns(x, names)
    # a third of the features per split: Breiman's default for regression
    return {
        "ridge, crop season": lambda: LinearYield(season),
        "Huber ridge, crop season": lambda: LinearYield(season, huber=True),
        "ridge, all dates": LinearYield,
        "Huber ridge, all dates": lambda: LinearYield(huber=True),
        "Random Forest, bias-corrected": lambda: BiasCorrectedForest(RandomForestRegressor(
            n_estimators=params.n_trees, max_features=1 / 3, oob_score=True,
            n_jobs=workers or -1, random_state=params.seed))}


def out_of_fold(make, x, y, seed):
    """Predictions of each parcel by a model trained on the other folds
    (CV_FOLDS folds of parcels, shuffled with `seed`)."""
    from sklearn.model_selection import KFold
    predicted = np.empty(len(y))
    for fit, held in KFold(min(CV_FOLDS, len(y)), shuffle=True,
                           random_state=seed).split(x):
        predicted[held] = make().fit(x[fit], y[fit]).predict(x[held])
    return predicted


def screen(x, y, names, seed):
    """Why each declaration is set aside ("" when kept): a unit slip, more
    than SLIP_FACTOR from the median declared yield (q/ha or kg/ha for t/ha
    are factors 10 and 1000; the square root of 10 is halfway on a log
    scale), or a gross error, its residual to the out-of-fold prediction
    with a modified z-score above OUTLIER_Z (Iglewicz & Hoaglin 1993) for
    both Huber ridges, on all dates and on the crop season: a parcel that one
    feature set explains poorly is not a wrong declaration."""
    why = np.full(len(y), "", "U20")
    why[np.abs(np.log(y / np.median(y))) > np.log(SLIP_FACTOR)] = "unit slip"
    kept = np.flatnonzero(why == "")
    if len(kept) < MIN_TRAINING:
        return why
    outlier = np.ones(len(kept), bool)
    for columns in (None, season_columns(x[kept], names)):
        r = y[kept] - out_of_fold(lambda: LinearYield(columns, huber=True), x[kept], y[kept],
                                  seed)
        outlier &= np.abs(r - np.median(r)) / max(robust_sd(r), 1e-9) > OUTLIER_Z
    why[kept[outlier]] = "gross error"
    return why


def select_model(x, y, names, params, workers):
    """Every candidate's cross-validation scores over (x, y), and the model
    kept, refitted on all of them: the simplest whose RMSE is within one
    standard error of the lowest (the one-SE rule of Breiman et al. 1984,
    CART; Hastie et al. 2009, 7.10): CV errors that close are noise, and the
    simpler model varies less. Returns (name, model, {name: scores})."""
    makers = candidates(x, names, params, workers)
    cv = {name: cv_scores(y, out_of_fold(make, x, y, params.seed))
          for name, make in makers.items()}
    lowest = min(cv.values(), key=lambda s: s["rmse"])
    kept = next(name for name in makers if cv[name]["rmse"] <= lowest["rmse"] + lowest["rmse_se"])
    return kept, makers[kept]().fit(x, y), cv


def cv_scores(y, predicted):
    """regression_scores plus the standard error of the RMSE, from the
    spread of the squared errors (delta method)."""
    scores = regression_scores(y, predicted)
    squares = (predicted - y) ** 2
    scores["rmse_se"] = float(squares.std() / np.sqrt(len(y)) / max(2 * scores["rmse"], 1e-12))
    return scores
