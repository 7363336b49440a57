"""The choice of the model that maps chainon:irrigation's parcels (see
core/irrigation_features.py for the features).

One Random Forest per sensor (Sentinel-2; Sentinel-1 read with the rain and
the canopy: its changes against the rain, and the features that need
Sentinel-2 or the rain to be read, source JOINT) and their late fusion
(stacking: a logistic regression on the out-of-bag probabilities of the two
forests) are compared by repeated cross-validation on the training parcels
with Sentinel-1 alone and a forest on all features (early fusion, as Pageot
et al.); the fusion maps the parcels unless another model is better by more
than one standard error (with ~160 training parcels one split often favours
a model by chance), and all are scored on the held-out parcels. One forest
on ~150 features of all sources does no better than its best source on ~160
parcels; the fusion weighs each sensor by what it adds out of bag. Two
members, not three (Sentinel-2, Sentinel-1, its wetting without rain, until
2026-12-06): out of fold over seeds 0-4 of both simulators the three-member
fusion fell to 0.017 below Sentinel-2 alone on an independent scene, the
two-member one to 0.004 (validation/irrigation.py). Simplified: Pageot et al. stack the features
in one forest; Amin et al. announce a deep network."""
import warnings

import numpy as np

from .errors import InputError
from .training import classification_scores, confusion

ALL_SOURCES = ("S2", "S1", "RAIN", "JOINT", "CROP")
# one forest per source, and one on all features (early fusion, as Pageot et
# al.); RAIN: the S1 changes read against the rain (wetting without rain);
# JOINT: what needs two sources (see irrigation_features.joint_features)
RADAR = "S1 + rain + S2 dry spells"
SOURCES = (("S1 + S2 + rain, one forest", ALL_SOURCES), ("S2 only", ("S2", "CROP")),
           ("S1 only", ("S1", "CROP")), (RADAR, ("S1", "RAIN", "JOINT", "CROP")))
FUSED = "S1 + S2 + rain, fused"
MEMBERS = ("S2 only", RADAR)   # one member per sensor, the radar read with rain and canopy
MODELS = (FUSED,) + tuple(name for name, _ in SOURCES)        # as compared, FUSED first
MAX_PROB = 0.99        # a member's probability clipped: one forest's 0 or 1 is no certainty
CV_FOLDS = 5
CV_REPEATS = 3         # repeated CV: one 5-fold split of ~160 parcels is too noisy to choose


def _forest(params, workers):
    from sklearn.ensemble import RandomForestClassifier   # heavy: not at QGIS start-up
    return RandomForestClassifier(n_estimators=params.n_trees, max_features="sqrt",
                                  n_jobs=workers or -1, random_state=params.seed,
                                  oob_score=True)


def _logit(p):
    p = np.clip(np.nan_to_num(p, nan=0.5), 1 - MAX_PROB, MAX_PROB)
    return np.log(p / (1 - p))


class Forest:
    """A forest on the features of some sources."""

    def __init__(self, columns, params, workers):
        self.columns, self.rf = columns, _forest(params, workers)

    def fit(self, x, y):
        # out-of-bag probability of the training parcels: what the forest says
        # of a parcel it did not learn (NaN when every tree saw it: few trees)
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.filterwarnings("ignore", "Some inputs do not have OOB scores")
            self.rf.fit(x[:, self.columns], y)
            self.oob = self.rf.oob_decision_function_[:, list(self.rf.classes_).index(1)]
        return self

    def proba(self, x):
        return self.rf.predict_proba(x[:, self.columns])[:, list(self.rf.classes_).index(1)]


class Fusion:
    """Late fusion (stacking, Wolpert 1992): a logistic regression on the
    logits of the members' probabilities, trained on their out-of-bag
    probabilities (never on what a member learnt by heart). It weighs each
    source by what it adds, so it does not fall below its best member by
    more than chance, and a few weights cannot overfit ~150 parcels where one
    forest on ~150 features of all sources can."""

    def __init__(self, members):
        from sklearn.linear_model import LogisticRegression
        self.members, self.meta = members, LogisticRegression()   # C = 1: sklearn's default

    def fit(self, x, y):
        self.meta.fit(_logit(np.column_stack([m.oob for m in self.members])), y)
        return self

    def proba(self, x):
        z = _logit(np.column_stack([m.proba(x) for m in self.members]))
        return self.meta.predict_proba(z)[:, list(self.meta.classes_).index(1)]


def fit_models(table, x, y, params, workers):
    """Every model of MODELS fitted on the parcels (x, y): {name: model}."""
    models = {name: Forest(np.isin(table.source, sources), params, workers).fit(x, y)
              for name, sources in SOURCES}
    models = {FUSED: Fusion([models[name] for name in MEMBERS]).fit(x, y), **models}
    return models


def _cv_accuracy(table, x, y, params, workers):
    """{name: (OA, standard error over the folds)} of every model by
    CV_REPEATS stratified k-fold cross-validations over the training parcels
    (NaN with fewer than two parcels of a class). The splits depend on the
    seed only, so every model is scored on the same folds."""
    from sklearn.model_selection import RepeatedStratifiedKFold
    folds = min(CV_FOLDS, int(np.bincount(y, minlength=2).min()))
    if folds < 2:
        return {name: (float("nan"), float("nan")) for name in MODELS}
    oa = {name: [] for name in MODELS}
    for fit, test in RepeatedStratifiedKFold(n_splits=folds, n_repeats=CV_REPEATS,
                                             random_state=params.seed).split(x, y):
        for name, model in fit_models(table, x[fit], y[fit], params, workers).items():
            oa[name].append(np.mean((model.proba(x[test]) > 0.5) == y[test]))
    return {name: (float(np.mean(v)), float(np.std(v, ddof=1) / np.sqrt(len(v))))
            for name, v in oa.items()}


def pick(scores):
    """The name of the model that maps: the first (the fusion of all
    sources) unless another cross-validates better by more than its standard
    error (the one-standard-error rule: a single split often favours a
    smaller model by chance)."""
    first = next(iter(scores))
    best = max(scores, key=lambda n: np.nan_to_num(scores[n]["cv_oa"], nan=-1.0))
    gain = scores[best]["cv_oa"] - np.nan_to_num(scores[first]["cv_oa"], nan=-1.0)
    return best if gain > scores[best]["cv_se"] else first


def choose_model(table, classes, train, val, params, workers):
    """Every model of MODELS trained on the `train` parcels: (name, model)
    of the one that maps (see pick) and {name: scores} (cross-validation and
    held-out parcels)."""
    if not val.any() or len(np.unique(classes[val])) < 2:
        raise InputError("Too few labelled parcels to validate: at least two irrigated and two "
                         "rainfed parcels with clear pixels are needed.")
    x, y = table.x, classes.astype("int64")
    models = fit_models(table, x[train], y[train], params, workers)
    cv = _cv_accuracy(table, x[train], y[train], params, workers)
    scores = {}
    for name, model in models.items():
        held_out = (model.proba(x[val]) > 0.5).astype("int64")   # ties: rainfed, as the map
        cm = confusion(y[val], held_out, (0, 1))
        s = classification_scores(cm)
        columns = model.columns if name != FUSED else np.isin(table.source, ALL_SOURCES)
        scores[name] = dict(cv_oa=cv[name][0], cv_se=cv[name][1], oa=s["overall_accuracy"],
                            f1_irrigated=float(s["f1"][1]), kappa=s["kappa"], cm=cm,
                            features=int(columns.sum()), held_out=held_out)
    best = pick(scores)
    return best, models[best], scores
