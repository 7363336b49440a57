"""Training from reference vectors, shared by the supervised products.

Reference polygons (GeoJSON-like geometries with a class or value) are
rasterised on the processing grid (pixel centres, as OTB/iota2). Polygons,
never pixels, are split between training and validation, per class, so that
no polygon lends pixels to both sides. A cap bounds the samples per class.
Trained models are saved as bundles holding what it takes to apply them
later; every training writes a validation report beside its outputs."""
import json
import math
import platform
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import joblib
import numpy as np
import sklearn

from . import __version__
from .blocks import DEFAULT_BLOCK, cache_rows, run_blocks
from .errors import InputError
from .geometries import Geometries
from .masks import geometry_strips

BUNDLE_FORMAT = "chainon-model"
BUNDLE_VERSION = 1


@dataclass
class Reference:
    """Polygons and their values, in `crs` (anything rasterio understands);
    geometries: GeoJSON-like dicts or a Geometries."""
    crs: str
    geometries: Sequence
    values: list
    field: str


def reference_from_features(features, field, crs, numeric=True, keep_empty=False):
    """A Reference from GeoJSON-like features {"geometry", "properties"}
    (any iterable: consumed one feature at a time, geometries kept compact);
    features without geometry are skipped, and so are those without value
    unless keep_empty (their value is then None)."""
    geoms, values, unique, empty = Geometries(), [], {}, True
    for f in features:
        if empty and field not in f["properties"]:
            names = sorted(f["properties"])
            raise InputError("The field {field} does not exist in the reference layer (fields: "
                             "{fields}).", field=field, fields=", ".join(names) or "none")
        empty = False
        value = f["properties"].get(field)
        if value == "":
            value = None
        if f.get("geometry") is None or (value is None and not keep_empty):
            continue
        if numeric and value is not None:
            value = _number(value, field)
        geoms.append(f["geometry"])
        values.append(unique.setdefault((type(value), value), value))  # one object per value
    if empty:
        raise InputError("The reference layer holds no feature.")
    if all(v is None for v in values):
        raise InputError("The field {field} of the reference layer is empty.", field=field)
    return Reference(crs, geoms, values, field)


def _number(value, field):
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError("The field {field} must hold numbers; it holds {value!r}.",
                         field=field, value=value)


def as_key(value):
    """Attribute values as text keys, so that 3, 3.0 and "3" are one value."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def class_codes(reference):
    """Class values as integer codes 1-254 (0 is the maps' nodata)."""
    codes = np.asarray(reference.values, "float64")
    bad = (codes != np.round(codes)) | (codes < 1) | (codes > 254)
    if bad.any():
        raise InputError("Class codes must be whole numbers from 1 to 254 (0 means no data): "
                         "the field {field} holds {value:g}.", field=reference.field,
                         value=codes[bad][0])
    return codes.astype("int64")


def read_geojson(path):
    """(features, crs) of a GeoJSON file, with its legacy "crs" member if any;
    every feature gets a properties dict (GeoJSON allows null)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        features = data["features"]
        crs = _crs(data)
        for f in features:
            _properties(f)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise _unreadable(path, e)
    return features, crs


def _crs(members):
    return (members.get("crs") or {}).get("properties", {}).get("name", "EPSG:4326")


def _properties(feature):
    feature["properties"] = feature.get("properties") or {}
    return feature


def _unreadable(path, error):
    return InputError("{path} is not a readable GeoJSON feature collection ({error}).",
                      path=path, error=error)


CHUNK = 1 << 20                     # characters read at a time
_BLANK = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class GeoJSONFeatures:
    """The features of a GeoJSON file as read_geojson gives them, decoded one
    at a time while iterated (json.loads of a tile's 470 000 parcels peaked
    at 1.1 GB, its dicts ~1.8 KB each). crs: the legacy "crs" member's name
    (EPSG:4326 without one), known once iterated: it may follow the features."""

    def __init__(self, path):
        self.path, self.crs = path, None

    def __iter__(self):
        try:
            with open(self.path, encoding="utf-8") as file:
                members = yield from _stream(_Text(file))
            self.crs = _crs(members)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            if isinstance(e, ValueError):     # not JSON, or not an object: json.loads's message
                read_geojson(self.path)
            raise _unreadable(self.path, e)


def _stream(text):
    """Yields the members of the top-level object's "features" array (with a
    properties dict) and returns its other members."""
    members, seen = {}, False
    if not text.take("{"):
        raise ValueError("not an object")      # read_geojson tells what it is
    if not text.take("}"):
        while True:
            key = text.value()
            if not isinstance(key, str) or not text.take(":"):
                raise ValueError("not an object")
            if key != "features":
                members[key] = text.value()
            elif seen:
                raise ValueError("two features members")
            else:
                seen = True
                yield from _features(text)
            if text.take("}"):
                break
            if not text.take(","):
                raise ValueError("not an object")
    if text.next():
        raise ValueError("extra data")
    if not seen:
        raise KeyError("features")
    return members


def _features(text):
    if not text.take("["):                     # not an array: iterated as read_geojson does
        yield from map(_properties, text.value())
        return
    if text.take("]"):
        return
    while True:
        yield _properties(text.value())
        if text.take("]"):
            return
        if not text.take(","):
            raise ValueError("not an array")


class _Text:
    """A text file read CHUNK characters at a time, JSON value after value."""

    def __init__(self, file):
        self.file, self.buffer, self.at, self.end = file, "", 0, False

    def next(self):
        """The next non-blank character ("" at the end of the file)."""
        while True:
            self.at = _BLANK.match(self.buffer, self.at).end()
            if self.at < len(self.buffer) or self.end:
                return self.buffer[self.at:self.at + 1]
            self._read()

    def take(self, char):
        """Whether `char` comes next (then passed)."""
        if self.next() != char:
            return False
        self.at += 1
        return True

    def value(self):
        self.next()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.at)
                # a value ending the buffer may go on (a number) unless the file ends
                if end < len(self.buffer) or self.end:
                    self.at = end
                    return value
            except json.JSONDecodeError:
                if self.end:
                    raise
            self._read()

    def _read(self):
        """Drops what was decoded and reads on (at least as much as is left:
        a value longer than CHUNK is decoded again a few times, not CHUNK / its length)."""
        self.buffer = self.buffer[self.at:]
        self.at = 0
        more = self.file.read(max(CHUNK, len(self.buffer)))
        self.end = not more
        self.buffer += more


def write_geojson(path, features, crs):
    """GeoJSON with a legacy "crs" member so that GDAL and QGIS read the
    projected coordinates as they are."""
    data = {"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": crs}}, "features": features}
    Path(path).write_text(json.dumps(data), encoding="utf-8")
    return Path(path)


def to_crs(reference, crs):
    """The reference with its geometries in `crs` (itself when already)."""
    if reference.crs == crs:
        return reference
    geoms = Geometries.of(reference.geometries).transformed(reference.crs, crs)
    return Reference(crs, geoms, reference.values, reference.field)


def polygon_raster(reference, grid):
    """int32 raster on `grid`: 1 + index of the polygon covering each pixel
    centre (the last one where they overlap), 0 elsewhere."""
    return np.concatenate([strip for _, strip in polygon_strips(reference, grid)])


def polygon_strips(reference, grid, rows=None):
    """(row_off, strip) of polygon_raster, strip after strip of `rows` rows
    (default: a block's worth of pixels; a whole tile's raster would hold
    120 MB of ids)."""
    rows = rows or max(1, DEFAULT_BLOCK ** 2 // grid.width)
    return geometry_strips(to_crs(reference, grid.crs).geometries, grid, rows)


def polygon_pixels(reference, grid):
    """Pixels of every polygon on `grid` (as polygon_raster counts them)."""
    counts = np.zeros(len(reference.values) + 1, "int64")
    for _, strip in polygon_strips(reference, grid):
        counts += np.bincount(strip.ravel(), minlength=counts.size)
    return counts[1:]


def check_overlap(raster, reference, grid, what="reference polygons"):
    """Raises when none of the reference's polygons, rasterised on `grid`
    as `raster` (or counted by polygon_pixels), covers a pixel."""
    if not raster.any():
        raise InputError("None of the {n} {what} covers a pixel of the processing area "
                         "({crs} bounds {bounds}): check their position and coordinate "
                         "system.", n=len(reference.values), what=what, crs=grid.crs,
                         bounds=tuple(round(v) for v in grid.bounds))


def split_polygons(labels, present, share, seed):
    """Validation flag per polygon: about `share` of the polygons of every
    class (at least one when the class has two or more, never all)."""
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    validation = np.zeros(len(labels), bool)
    for label in np.unique(labels[present]):
        ids = rng.permutation(np.flatnonzero(present & (labels == label)))
        if len(ids) < 2 or share <= 0:
            continue
        n_val = min(len(ids) - 1, max(1, int(round(share * len(ids)))))
        validation[ids[:n_val]] = True
    return validation


def capped(chosen, most, seed):
    """`chosen` (bool per polygon), or a seeded random sample of `most` of
    its polygons: a memory bound on the models trained on them (irrigation,
    crop yield), the same sample every run."""
    if chosen.sum() <= most:
        return chosen
    out = np.zeros_like(chosen)
    out[np.random.default_rng(seed).choice(np.flatnonzero(chosen), most, replace=False)] = True
    return out


@dataclass
class Samples:
    """Sample pixels: flat index on the grid, polygon index, label, side."""
    flat: np.ndarray
    poly: np.ndarray
    label: np.ndarray
    validation: np.ndarray

    def subset(self, keep):
        return Samples(self.flat[keep], self.poly[keep], self.label[keep], self.validation[keep])


def draw_samples(raster, labels, validation, cap, seed, width=None):
    """All pixels of the polygons, at most `cap` per class and side, drawn at
    random (seeded), returned sorted by position. raster: a polygon_raster
    or its polygon_strips (then give the grid's width). The draw keeps the
    `cap` pixels of smallest pixel_keys of each class and side: uniform,
    and the same whichever way the raster is cut."""
    strips, width = ([(0, raster)], raster.shape[1]) if width is None else (raster, width)
    _, lab = np.unique(labels, return_inverse=True)
    group = 2 * lab + np.asarray(validation)
    flat = poly = np.empty(0, "int64")
    for row, strip in strips:
        new = np.flatnonzero(strip)
        flat = np.concatenate([flat, new + row * width])
        poly = np.concatenate([poly, strip.reshape(-1)[new] - 1])
        order = np.lexsort((pixel_keys(flat, seed), group[poly]))
        g = group[poly][order]
        keep = order[np.arange(g.size) - np.searchsorted(g, g) < cap]   # rank in its group
        flat, poly = flat[keep], poly[keep]
    order = np.argsort(flat)
    flat, poly = flat[order], poly[order]
    return Samples(flat, poly, np.asarray(labels)[poly], np.asarray(validation)[poly])


def pixel_keys(flat, seed):
    """A pseudo-random uint64 per pixel index and seed (SplitMix64 mixing)."""
    z = flat.astype("uint64") ^ np.uint64((seed * 0x9E3779B97F4A7C15 + 1) % 2 ** 64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def extract(samples, wins, width, read, progress=None, run=None, n_features=None):
    """Features of the sample pixels, read window by window with
    read(window, pick) -> (X, n_clear). Returns (X, n_clear) in sample order;
    run(windows, compute, consume, progress) replaces the block engine's
    run_blocks (e.g. to set its workers). With `n_features`, X is allocated
    first and read(window, pick, out=(X, rows)) writes into it: a window's
    features are not held twice (S2Series.read)."""
    rows, cols = samples.flat // width, samples.flat % width
    todo = []
    for w in wins:
        inside = np.flatnonzero((rows >= w.row_off) & (rows < w.row_off + w.height)
                                & (cols >= w.col_off) & (cols < w.col_off + w.width))
        if inside.size:
            todo.append((w, inside))
    where = {(w.col_off, w.row_off): inside for w, inside in todo}
    n_clear = np.zeros(len(samples.flat), "uint16")
    x = None if n_features is None else np.empty((len(samples.flat), n_features), "float32")

    def compute(w):
        inside = where[(w.col_off, w.row_off)]
        pick = (rows[inside] - w.row_off) * int(w.width) + (cols[inside] - w.col_off)
        return read(w, pick) if n_features is None else read(w, pick, out=(x, inside))

    def consume(w, res):
        nonlocal x
        inside = where[(w.col_off, w.row_off)]
        if res[0] is not None:
            if x is None:
                x = np.empty((len(samples.flat), res[0].shape[1]), "float32")
            x[inside] = res[0]
        n_clear[inside] = res[1]
    (run or run_blocks)([w for w, _ in todo], compute, consume, progress)
    return x, n_clear


# --- classification ---------------------------------------------------------
@dataclass
class ForestParams:
    n_trees: int = 100        # OTB nbtrees
    max_depth: int = 25       # OTB -classifier.rf.max
    min_samples_split: int = 5   # OTB -classifier.rf.min


def fit_classifier(x, y, params, seed, workers=None):
    from sklearn.ensemble import RandomForestClassifier   # heavy: not at QGIS start-up
    rf = RandomForestClassifier(n_estimators=params.n_trees, max_depth=params.max_depth,
                                min_samples_split=params.min_samples_split,
                                max_features="sqrt", n_jobs=workers or -1, random_state=seed)
    rf.fit(x, y)
    rf.n_jobs = 1   # prediction runs in the block engine's threads
    return rf


def vote(rf, x):
    """(label, confidence 0-100): the class most trees vote for and the share
    of trees voting for it (OTB's RF confidence), by hard votes."""
    n_classes = len(rf.classes_)
    votes = np.zeros((x.shape[0], n_classes), "uint16")
    rows = np.arange(x.shape[0])
    leaf_classes = [np.argmax(tree.tree_.value[:, 0, :], axis=1) for tree in rf.estimators_]
    for part in cache_rows(x):
        for tree, leaf_class in zip(rf.estimators_, leaf_classes):
            votes[rows[part], leaf_class[tree.apply(x[part], check_input=False)]] += 1
    best = votes.argmax(axis=1)
    confidence = np.round(100.0 * votes[rows, best] / len(rf.estimators_))
    return rf.classes_[best], confidence.astype("uint8")


def confusion(truth, pred, classes):
    index = {c: i for i, c in enumerate(classes)}
    cm = np.zeros((len(classes), len(classes)), np.int64)
    for t, p in zip(truth, pred):
        cm[index[t], index[p]] += 1
    return cm


def classification_scores(cm):
    """Overall accuracy, Cohen's kappa, and per class user's / producer's
    accuracy and F1 from a confusion matrix (rows reference, columns map)."""
    n = cm.sum()
    oa = np.trace(cm) / n if n else float("nan")
    expected = (cm.sum(0) * cm.sum(1)).sum() / n ** 2 if n else float("nan")
    kappa = (oa - expected) / (1 - expected) if n and expected < 1 else float("nan")
    with np.errstate(invalid="ignore", divide="ignore"):
        producer = np.diag(cm) / cm.sum(1)
        user = np.diag(cm) / cm.sum(0)
        f1 = 2 * producer * user / (producer + user)
    return dict(overall_accuracy=float(oa), kappa=float(kappa), producer=producer,
                user=user, f1=np.nan_to_num(f1), pixels=int(n))


# --- regression ---------------------------------------------------------------
def regression_scores(observed, predicted):
    """RMSE, MAE, bias (predicted - observed), the relative RMSE and MAE (over
    the mean observed value) and R²."""
    obs, pred = np.asarray(observed, "float64"), np.asarray(predicted, "float64")
    err = pred - obs
    mean = obs.mean()
    ss_tot = ((obs - mean) ** 2).sum()
    return dict(n=int(obs.size), rmse=float(np.sqrt((err ** 2).mean())),
                mae=float(np.abs(err).mean()), bias=float(err.mean()),
                relative_rmse=float(np.sqrt((err ** 2).mean()) / mean),
                relative_mae=float(np.abs(err).mean() / mean),
                r2=float(1 - (err ** 2).sum() / ss_tot) if ss_tot > 0 else float("nan"))


# --- model bundles ------------------------------------------------------------
def versions():
    return dict(chainon=__version__, scikit_learn=sklearn.__version__,
                numpy=np.__version__, python=platform.python_version())


def save_model(path, product, models, feature_names, grid, **facts):
    """A bundle: {key: estimator} (key = eco-climatic region or None) and what
    it takes to apply it: features, grid CRS and resolution, versions."""
    bundle = dict(format=BUNDLE_FORMAT, format_version=BUNDLE_VERSION, product=product,
                  models=models, feature_names=list(feature_names),
                  grid=dict(crs=grid.crs, res=grid.res), versions=versions(),
                  trained=datetime.now().isoformat(timespec="seconds"), **facts)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(bundle, path, compress=3)
    return path


def load_model(path, product, progress=None):
    """A bundle saved by save_model for `product` (loading runs pickled code:
    only open models you trust)."""
    try:
        bundle = joblib.load(path)
    except Exception as e:  # a pickle can fail in many ways: all mean "not a model"
        raise InputError("The file {path} is not a Chaînon model, or it is damaged ({error}).",
                         path=path, error=f"{type(e).__name__}: {e}")
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise InputError("The file {path} is not a Chaînon model.", path=path)
    if bundle["product"] != product:
        raise InputError("The model {path} was trained for {trained}, not for {product}.",
                         path=path, trained=bundle["product"], product=product)
    if progress and bundle["versions"]["scikit_learn"] != sklearn.__version__:
        progress.info(f"The model was saved with scikit-learn "
                      f"{bundle['versions']['scikit_learn']}, this is {sklearn.__version__}.")
    return bundle


def check_model_fits(bundle, feature_names, grid):
    """Raises when the data give other features than the model was trained on."""
    if not math.isclose(bundle["grid"]["res"], grid.res):
        raise InputError("The model was trained on a {trained:g} m grid; this grid is "
                         "{res:g} m.", trained=bundle["grid"]["res"], res=grid.res)
    trained = bundle["feature_names"]
    if list(feature_names) != trained:
        missing = [f for f in trained if f not in set(feature_names)]
        extra = [f for f in feature_names if f not in set(trained)]
        raise InputError("The model was trained on {n_model} features ({first_model} to "
                         "{last_model}); these data give {n_data} ({first_data} to {last_data}). "
                         "Missing: {missing}; unknown to the model: {extra}. Give a period of "
                         "the same length and step as the training period.",
                         n_model=len(trained), first_model=trained[0], last_model=trained[-1],
                         n_data=len(feature_names), first_data=feature_names[0],
                         last_data=feature_names[-1], missing=", ".join(missing[:5]) or "none",
                         extra=", ".join(extra[:5]) or "none")


# --- reports ------------------------------------------------------------------
def report_path(output_path):
    """The validation report beside an output: <stem>_validation.txt."""
    p = Path(output_path)
    return p.with_name(p.stem + "_validation.txt")


def classification_report_text(title, cm, classes, names, counts, header=()):
    """Readable report: figures, per-class table, confusion matrix."""
    s = classification_scores(cm)
    lines = [title, "=" * len(title), *header, "",
             f"Overall accuracy: {100 * s['overall_accuracy']:.2f} %",
             f"Kappa: {s['kappa']:.4f}", f"Validation pixels: {s['pixels']}", "",
             "Per class (producer's accuracy = recall, user's accuracy = precision):",
             f"{'code':>5} {'name':<34} {'train pol.':>10} {'valid. pol.':>11} "
             f"{'valid. px':>9} {'producer':>8} {'user':>6} {'F1':>6}"]
    for i, c in enumerate(classes):
        tr, va = counts.get(c, (0, 0))
        lines.append(f"{c:>5} {names.get(c, '')[:34]:<34} {tr:>10} {va:>11} "
                     f"{cm[i].sum():>9} {_pct(s['producer'][i]):>8} {_pct(s['user'][i]):>6} "
                     f"{s['f1'][i]:>6.3f}")
    lines += ["", "Confusion matrix (rows: reference, columns: map):",
              "      " + "".join(f"{c:>7}" for c in classes)]
    lines += [f"{c:>5} " + "".join(f"{v:>7}" for v in row) for c, row in zip(classes, cm)]
    return "\n".join(lines) + "\n", s


def _pct(v):
    return "-" if not np.isfinite(v) else f"{100 * v:.1f}"


def regression_report_text(title, scores, rows, header=(), units=""):
    """Readable report: figures then one residual line per validation item.
    rows: (id, observed, predicted)."""
    u = f" {units}" if units else ""
    lines = [title, "=" * len(title), *header, "",
             f"Validation items: {scores['n']}",
             f"RMSE: {scores['rmse']:.3f}{u} ({100 * scores['relative_rmse']:.2f} % of the mean)",
             f"MAE: {scores['mae']:.3f}{u} ({100 * scores['relative_mae']:.2f} % of the mean)",
             f"Bias (predicted - observed): {scores['bias']:+.3f}{u}",
             f"R²: {scores['r2']:.3f}", "",
             "Residuals:", f"{'id':>10} {'observed':>10} {'predicted':>10} {'residual':>10}"]
    lines += [f"{str(i):>10} {o:>10.3f} {p:>10.3f} {p - o:>+10.3f}" for i, o, p in rows]
    return "\n".join(lines) + "\n"
