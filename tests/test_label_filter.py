"""The consensus filter of training polygons (core/label_filter.py) on
synthetic polygons: a mislabeled polygon goes, true ones stay, and what the
data cannot judge is kept."""
import numpy as np

from chainon.core import label_filter
from chainon.core.label_filter import contradicted, polygon_means
from chainon.core.training import ForestParams

FOREST = ForestParams(n_trees=30)


def polygons(rng, centres, per_class=8, pixels=40, spread=0.5):
    """(poly, label, x): `per_class` polygons of `pixels` pixels per class,
    each polygon's mean drawn around its class centre."""
    poly, label, x = [], [], []
    for c, centre in centres.items():
        for _ in range(per_class):
            mean = centre + rng.normal(0, spread, centre.size)
            x.append(mean + rng.normal(0, 1, (pixels, centre.size)))
            poly += [len(x) - 1] * pixels
            label += [c] * pixels
    return np.array(poly), np.array(label), np.vstack(x).astype("float32")


def centres(rng, classes, dim=30, distance=3.0):
    return {c: rng.normal(0, distance, dim) for c in classes}


def test_polygon_means_match_a_direct_mean():
    rng = np.random.default_rng(0)
    poly = rng.integers(0, 50, 9000) * 3           # ids need not be contiguous
    x = rng.normal(size=(9000, 7)).astype("float32")
    ids, inv, means = polygon_means(poly, x)
    assert np.array_equal(ids[inv], poly)
    direct = np.array([x[poly == i].mean(axis=0) for i in ids])
    assert np.allclose(means, direct, atol=1e-6)


def test_a_mislabeled_polygon_is_set_aside_and_true_ones_stay():
    for seed in range(3):
        rng = np.random.default_rng(seed)
        poly, label, x = polygons(rng, centres(rng, (5, 6, 13)))
        wrong = poly == 3                            # a class-5 polygon given class 13
        label = np.where(wrong, 13, label)
        assert contradicted(poly, label, x, FOREST, seed).tolist() == [3]


def test_clean_labels_lose_nothing():
    for seed in range(3):
        rng = np.random.default_rng(10 + seed)
        poly, label, x = polygons(rng, centres(rng, (1, 2, 3, 4)))
        assert contradicted(poly, label, x, FOREST, seed).size == 0


def test_a_class_shown_by_one_polygon_only_is_not_judged():
    rng = np.random.default_rng(3)
    poly, label, x = polygons(rng, centres(rng, (5, 6)))
    lone_poly, lone_label, lone_x = polygons(rng, {9: rng.normal(0, 3, 30)}, per_class=1)
    poly = np.concatenate([poly, lone_poly + poly.max() + 1])
    label, x = np.concatenate([label, lone_label]), np.vstack([x, lone_x])
    assert contradicted(poly, label, x, FOREST, 0).size == 0


def test_a_class_loses_only_a_minority_of_its_polygons(monkeypatch):
    """Learners that reject exactly the polygons flagged in feature 0 (and
    read the class from feature 1): a class loses its rejected polygons
    only when they are fewer than half of it."""
    flagged = {5: [0, 0, 0, 0], 6: [0, 1, 0, 0], 13: [1, 0, 1], 9: [1, 0]}
    rows = [(c, f) for c, flags in flagged.items() for f in flags]
    poly = np.repeat(np.arange(len(rows)), 5)
    label = np.repeat([c for c, _ in rows], 5)
    x = np.repeat([[100.0 * f, c] for c, f in rows], 5, axis=0).astype("float32")
    monkeypatch.setattr(label_filter, "_learners", lambda x, y, test, *a: [
        np.where(test[:, 0] > 50, -1, test[:, 1]).astype(int)] * 3)
    assert contradicted(poly, label, x, FOREST, 0).tolist() == [5]     # 1 of 6's 4


def test_too_few_polygons_to_fill_the_folds():
    """Two classes of one polygon each: nothing to judge, nothing set aside
    (and no fold left empty reaches a learner)."""
    rng = np.random.default_rng(5)
    poly, label, x = polygons(rng, centres(rng, (5, 6)), per_class=1)
    assert contradicted(poly, label, x, FOREST, 0).size == 0


def test_no_more_polygons_than_classes_is_not_judged():
    """Three classes of one polygon and one of two (a tiny tile): the other
    folds hold as many polygons as classes, too few to learn them from (the
    linear discriminant refuses): nothing set aside, no error."""
    rng = np.random.default_rng(6)
    c = centres(rng, (1, 2, 3, 4))
    parts = [polygons(rng, {k: c[k]}, per_class=1 + (k == 4)) for k in c]
    poly = np.concatenate([p + 10 * i for i, (p, _, _) in enumerate(parts)])
    label = np.concatenate([lab for _, lab, _ in parts])
    x = np.vstack([feats for _, _, feats in parts])
    assert contradicted(poly, label, x, FOREST, 0).size == 0
