"""Training polygons whose class the images contradict, set aside before a
classifier is trained: the consensus filter of Brodley and Friedl (1999,
J. Artif. Intell. Res. 11:131-167), applied to polygons because a reference
database is wrong polygon by polygon (outdated or mistaken classes: Pelletier
et al. 2017, Remote Sens. 9:173, on the OSO reference sources).

The polygons of each class are dealt into FOLDS folds; each fold is
classified by three different learners trained on the other folds - a
Random Forest, 1-nearest-neighbour on standardised features and a linear
discriminant (Ledoit-Wolf shrinkage), as the paper's tree, 1-NN and linear
machine - all on the polygons' mean features. A polygon is set aside only
when all three give it another class: the paper finds the consensus filter
conservative (it rarely throws good data away), which suits reference sets
with few polygons per class. A polygon is not judged when its class has no
polygon in the other folds, and a class loses only a minority of its
polygons: the filter's premise is that mislabeled polygons are exceptions;
when the learners reject half a class or more, what they see is how diverse
the class is (vineyards, orchards), not wrong labels, and none is set aside."""
import warnings

import numpy as np

FOLDS = 4       # Brodley and Friedl's n-fold filtering


def polygon_means(poly, x):
    """(polygon ids, index of each row's polygon in ids, mean features per
    polygon), summed a chunk of rows at a time (x may be large)."""
    ids, inv = np.unique(poly, return_inverse=True)
    order = np.argsort(inv, kind="stable")
    sums = np.zeros((ids.size, x.shape[1]))
    for c in range(0, order.size, 4096):
        rows = order[c:c + 4096]
        group = inv[rows]
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        sums[group[starts]] += np.add.reduceat(x[rows], starts, axis=0, dtype="float64")
    return ids, inv, sums / np.bincount(inv, minlength=ids.size)[:, None]


def contradicted(poly, label, x, forest, seed):
    """Polygon ids of the rows (poly, label, features x) set aside by the
    consensus filter; see the module docstring. `forest`: a
    training.ForestParams for the Random Forest learner."""
    ids, inv, means = polygon_means(poly, x)
    labels = np.zeros(ids.size, np.asarray(label).dtype)
    labels[inv] = label
    fold = _folds(labels, seed)
    wrong = np.zeros((ids.size, 3), bool)
    judged = np.zeros(ids.size, bool)
    for f in range(FOLDS):
        test, train = fold == f, fold != f
        known = np.unique(labels[train])
        if not test.any() or known.size < 2 or train.sum() <= known.size:
            continue    # nothing to judge, or too few polygons to learn the classes from
        judged |= test & np.isin(labels, labels[train])
        for j, predicted in enumerate(_learners(means[train], labels[train], means[test],
                                                forest, seed)):
            wrong[test, j] = predicted != labels[test]
    out = wrong.all(axis=1) & judged
    for c in np.unique(labels):
        if 2 * out[labels == c].sum() >= (labels == c).sum():
            out[labels == c] = False    # not exceptions: the class is that diverse
    return ids[out]


def _folds(labels, seed):
    """Each class's polygons dealt in turn into the folds, in a seeded order."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(labels.size, int)
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        fold[idx] = (np.arange(idx.size) + rng.integers(FOLDS)) % FOLDS
    return fold


def _learners(x, y, test, forest, seed):
    """Predictions of the three learners for `test`."""
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.preprocessing import StandardScaler
    from .training import fit_classifier
    scale = StandardScaler().fit(x)
    with warnings.catch_warnings():     # a class with one polygon: its covariance is 0
        warnings.simplefilter("ignore", UserWarning)
        lda = LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto").fit(x, y)
        return (fit_classifier(x, y, forest, seed, 1).predict(test),
                KNeighborsClassifier(1).fit(scale.transform(x), y).predict(scale.transform(test)),
                lda.predict(test))
