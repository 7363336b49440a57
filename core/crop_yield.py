"""A-posteriori yield of one crop: per-parcel features from the gap-filled
Sentinel-2 series, a regression trained on the yields farmers declared
(implausible declarations set aside; a bias-corrected Random Forest, ridge
and Huber ridge regressions compared by cross-validation over the parcels,
the best one kept), predictions for every parcel (and pixel), and the
area-weighted mean per administrative unit compared with official
statistics."""
import csv
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .blocks import Progress, release_freed_memory, run_blocks, windows
from .catalog import CROP_YIELD
from .cog import CogWriter
from .errors import InputError
from .geometries import Geometries
from .inputs import processing_grid
from .qml import write_sidecar
from .series import CACHE_MB, S2Series, check_clear_dates, select_series
from .training import (Reference, as_key, capped, check_model_fits, check_overlap,
                       load_model, polygon_raster, polygon_strips, regression_report_text,
                       regression_scores, report_path, save_model, to_crs)
from .yield_features import (BLOCK_MB, PREDICT_ROWS, ParcelTable, crop_pixels, feature_names,
                             in_crop, parcel_features, predict_rows)
# the model family; saved bundles pickle its classes under this module's name
from .yield_models import (CV_FOLDS, MIN_TRAINING, OUTLIER_Z, SLIP_FACTOR,  # noqa: F401
                           BiasCorrectedForest, LinearYield, select_model, screen)

NODATA = CROP_YIELD.output("OUTPUT_PIXELS").nodata
OSO_CROPS = (5, 6, 7, 8, 9, 10, 11, 12)     # OSO's winter and summer crops, rapeseed to tubers
# declared parcels screened, split and cross-validated at most: a memory
# bound, not a science choice (the robustness scenes declare ~180; a whole
# tile ~300 000, whose screen alone took float64 copies of 4 KB per parcel)
MAX_TRAINING = 20000
# t/ha: where the median of a grain crop's declared yields lies (winter
# wheat 1-15 t/ha, France's record fields about 13; grain maize up to about
# 15). A median outside is not a crop's spread but another unit, q/ha (x 10)
# or kg/ha (x 1000), that the regression would learn and predict as t/ha
YIELD_MEDIAN_RANGE = (0.5, 20.0)


@dataclass
class YieldParams:
    n_trees: int = 200
    step_days: int = 10
    validation_share: float = 0.3
    min_clear: int = 1
    seed: int = 0


@dataclass
class Parcels:
    """The parcels of the crop: geometries in `crs` (coordinate arrays: the
    layer's GeoJSON geometry dicts took ~0.9 KB per parcel), index in the
    input layer, declared yield (NaN when none)."""
    crs: str
    geometries: Geometries
    index: np.ndarray
    declared: np.ndarray

    @property
    def reference(self):
        return Reference(self.crs, self.geometries, list(self.index), "parcel")


def select_parcels(features, crs, crop_field=None, crop=None, yield_field=None):
    """The parcels of `crop` (all parcels when no crop field is given) from
    GeoJSON-like features (any iterable: consumed one feature at a time, only
    the kept parcels' coordinates held)."""
    geometries, keep, declared, crops = Geometries(), array("q"), array("d"), set()
    wanted, count = as_key(crop), 0
    for count, f in enumerate(features, 1):
        if count == 1:
            _check_fields(set(f["properties"]), crop_field, crop, yield_field)
        value = as_key(f["properties"].get(crop_field))
        if crop_field:
            crops.add(value)       # the values the error below lists
        if f.get("geometry") and (not crop_field or value == wanted):
            keep.append(count - 1)
            geometries.append(f["geometry"])
            declared.append(_yield(f["properties"].get(yield_field), yield_field)
                            if yield_field else np.nan)
    if not count:
        raise InputError("The parcel layer holds no feature.")
    if not keep and not crop_field:
        raise InputError("No feature of the parcel layer has a geometry.")
    if not keep:
        raise InputError("No parcel has the crop {crop} in the field {field} (values: "
                         "{values}).", crop=crop, field=crop_field,
                         values=", ".join(sorted(crops)[:20]))
    median = _median_outside(declared)
    if median is not None:
        raise InputError("The declared yields (field {field}) have a median of {median:g}, "
                         "outside the {low:g} to {high:g} t/ha of grain yields: they look like "
                         "another unit (q/ha and kg/ha are 10 and 1000 times t/ha). Give them "
                         "in t/ha.", field=yield_field, median=median, low=YIELD_MEDIAN_RANGE[0],
                         high=YIELD_MEDIAN_RANGE[1])
    return Parcels(crs, geometries, np.array(keep), np.array(declared))


def _median_outside(yields):
    """The median of the known yields (NaN or 0: unknown) when most of them
    lie on one side of YIELD_MEDIAN_RANGE, else None (one absurd value of
    two is the screen's to set aside, not a unit)."""
    known = np.asarray(yields, "float64")
    known = known[np.isfinite(known) & (known > 0)]
    low, high = YIELD_MEDIAN_RANGE
    if not known.size or max(np.mean(known < low), np.mean(known > high)) <= 0.5:
        return None
    return float(np.median(known))


def _check_fields(names, crop_field, crop, yield_field):
    for f in (crop_field, yield_field):
        if f and f not in names:
            raise InputError("The field {field} does not exist in the parcel layer (fields: "
                             "{fields}).", field=f, fields=", ".join(sorted(names)) or "none")
    if crop not in (None, "") and not crop_field:
        raise InputError("Give the field that holds the crop {crop} (the parcel layer's "
                         "fields: {fields}).", crop=crop, fields=", ".join(sorted(names)))
    if crop_field and (crop is None or crop == ""):
        raise InputError("Give the crop to map: a value of the field {field}.", field=crop_field)


def _yield(value, field):
    if value is None or value == "":
        return np.nan
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError("The yield field {field} must hold numbers (t/ha); it holds {value!r}.",
                         field=field, value=value)
    return v if v > 0 else np.nan


def read_statistics(path, code_field=None):
    """Official yields {unit code: t/ha} from a CSV with a header: the code
    column (named like the unit field, or "code", else the first) and the
    yield column (named "yield" or "rendement", else the second). Commas,
    semicolons or tabs; decimal commas with semicolons."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError("Cannot read the statistics table {path} ({error}).", path=path, error=e)
    delimiter = ";" if text.count(";") > text.count(",") else "\t" if "\t" in text else ","
    rows = [r for r in csv.reader(text.splitlines(), delimiter=delimiter) if any(r)]
    if len(rows) < 2 or len(rows[0]) < 2:
        raise InputError("The statistics table {path} needs a header and one row per unit "
                         "(code, yield).", path=path)
    header = [h.strip().lower() for h in rows[0]]
    code_col = _column(header, ((code_field or "").lower(), "code"), 0)
    yield_col = _column(header, ("yield", "rendement"), 1)
    out = {}
    for r in rows[1:]:
        try:
            out[as_key(r[code_col])] = float(r[yield_col].replace(",", ".")
                                             if delimiter == ";" else r[yield_col])
        except (IndexError, ValueError):
            raise InputError("The statistics table {path} has an unreadable row: {row}.",
                             path=path, row=delimiter.join(r))
    median = _median_outside(list(out.values()))
    if median is not None:
        raise InputError("The official yields of {path} have a median of {median:g}, outside "
                         "the {low:g} to {high:g} t/ha of grain yields: they look like another "
                         "unit (q/ha and kg/ha are 10 and 1000 times t/ha). Give them in t/ha.",
                         path=path, median=median, low=YIELD_MEDIAN_RANGE[0],
                         high=YIELD_MEDIAN_RANGE[1])
    return out


def _column(header, names, default):
    return next((header.index(n) for n in names if n and n in header), default)


def run_crop_yield(s2_folder, out_folder, parcels, model=None, units=None, statistics=None,
                   outputs=None, pixels=False, start=None, end=None, bounds=None,
                   bounds_crs=None, params=None, facts=None, progress=None, workers=None,
                   crop_mask=None, crop_classes=()):
    """Trains on the parcels' declared yields (or applies `model`), predicts
    every parcel. crop_mask: optional raster whose pixels in `crop_classes`
    (non-zero pixels without classes) are the only ones averaged and mapped;
    the parcels keep their whole area for the units. units: optional
    training.Reference of unit codes; statistics: optional {code: official
    yield}. outputs: optional {key: path} for OUTPUT_PIXELS and OUTPUT_MODEL.
    facts: crop, field names, kept in the model. On error or cancel every
    file this run wrote is removed."""
    written = []
    try:
        return _run(Path(s2_folder), Path(out_folder), parcels, model, units, statistics,
                    dict(outputs or {}), pixels, start, end, bounds, bounds_crs,
                    params or YieldParams(), dict(facts or {}), progress or Progress(),
                    workers, written, crop_mask, crop_classes)
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
            Path(str(path)[:-4] + ".qml").unlink(missing_ok=True)
        raise


def _run(s2_folder, out_folder, parcels, model, units, statistics, outputs, pixels, start,
         end, bounds, bounds_crs, params, facts, progress, workers, written, crop_mask,
         crop_classes):
    products, start, end, grid_dates = select_series(s2_folder, start, end, params.step_days)
    grid = processing_grid(products[0], bounds, bounds_crs)
    with S2Series(products, grid, grid_dates, workers) as series:
        return _run_series(series, out_folder, parcels, model, units, statistics, outputs,
                           pixels, start, end, params, facts, progress, workers, written,
                           crop_mask, crop_classes)


def _run_series(series, out_folder, parcels, model, units, statistics, outputs, pixels, start,
                end, params, facts, progress, workers, written, crop_mask, crop_classes):
    products, grid = series.products, series.grid
    names = feature_names(series)
    tile = "T" + products[0].tile
    span = f"{start:%Y%m%d}_{end:%Y%m%d}"
    paths = {"OUTPUT_PIXELS": Path(outputs.get("OUTPUT_PIXELS")
                                   or out_folder / f"CROP-YIELD_{tile}_{span}.tif")}
    paths["OUTPUT_MODEL"] = Path(outputs.get("OUTPUT_MODEL") or paths["OUTPUT_PIXELS"].with_name(
        paths["OUTPUT_PIXELS"].stem + "_model.joblib"))
    if model is None:
        _check_training(np.isfinite(parcels.declared))     # before the long reads
    raster = polygon_raster(parcels.reference, grid)
    check_overlap(raster, parcels.reference, grid, what="parcels of the crop")
    crop = crop_pixels(crop_mask, crop_classes, raster, grid, workers) if crop_mask else None
    result = dict(tile=tile, grid=grid, start=start, end=end)
    with ParcelTable(len(parcels.index), len(names), paths["OUTPUT_PIXELS"].parent) as x:
        _, n_px, n_clear = parcel_features(series, raster, len(parcels.index), params.min_clear,
                                           progress.sub(0, 50), workers, crop, out=x)
        check_clear_dates(int(n_clear.max()), params.min_clear, len(products))
        release_freed_memory()   # the feature threads' 50-90 MB, else held while training
        if model is None:
            drawn = np.flatnonzero(capped(np.isfinite(parcels.declared) & (n_px > 0),
                                          MAX_TRAINING, params.seed))
            rf, split, facts_out = train(x.take(drawn), drawn, n_px, parcels, names, grid,
                                         params, paths, series, facts, progress, workers,
                                         written)
            result.update(facts_out)
        else:
            bundle = load_model(model, "crop_yield", progress)
            check_model_fits(bundle, names, grid)
            rf, split = bundle["models"][None], np.zeros(len(n_px), "U10")
        predicted = np.full(len(n_px), np.nan)
        seen = np.flatnonzero(n_px > 0)
        for c in range(0, seen.size, PREDICT_ROWS):   # the ridge's float64 copies by chunks
            predicted[seen[c:c + PREDICT_ROWS]] = rf.predict(x.take(seen[c:c + PREDICT_ROWS]))
        release_freed_memory()   # the fit's ~50 MB, else held through the parcel rows and units
    result["parcels"] = _parcel_rows(parcels, predicted, n_px, _areas(raster, len(n_px), grid),
                                     split)
    if units is not None:
        result["units"] = aggregate(raster, predicted, units, grid, statistics)
        if "OUTPUT_REPORT" not in result:
            result["OUTPUT_REPORT"] = str(_start_report(paths, model, written))
        _append_units(result)
    if pixels:
        map_pixels(series, raster, rf, paths["OUTPUT_PIXELS"], params.min_clear,
                   progress.sub(75, 100), workers, written, crop)
        result["OUTPUT_PIXELS"] = str(paths["OUTPUT_PIXELS"])
    result["OUTPUT_MODEL"] = str(paths["OUTPUT_MODEL"]) if model is None else str(model)
    return result


def _parcel_rows(parcels, predicted, n_px, areas, split):
    return [dict(index=int(i), predicted=_num(p), n_pixels=int(n), area_ha=float(a),
                 split=str(s), declared=_num(d))
            for i, p, n, a, s, d in zip(parcels.index, predicted, n_px, areas, split,
                                        parcels.declared)]


def _num(v):
    return None if not np.isfinite(v) else float(v)


def _areas(raster, n, grid):
    counts = np.bincount(raster.reshape(-1), minlength=n + 1)[1:]
    return counts * grid.res ** 2 / 1e4


def _check_training(usable):
    if usable.sum() < MIN_TRAINING:
        raise InputError("Only {n} parcels of the crop have a declared yield and clear pixels "
                         "in the area; the regression needs at least {need}.",
                         n=int(usable.sum()), need=MIN_TRAINING)


def train(x, sample, n_px, parcels, names, grid, params, paths, series, facts, progress,
          workers, written):
    """The declared parcels `sample` (a seeded sample of MAX_TRAINING at
    most, in order; `x` their features) screened, the rest split by parcel; the
    candidate models cross-validated on the training parcels, the best one
    kept; report and model. The sample is drawn before the screen: the
    screen's Huber ridges weigh as much as the models', and the validation
    parcels are screened like the training ones."""
    declared = np.isfinite(parcels.declared) & (n_px > 0)
    drawn = np.zeros(len(n_px), bool)
    drawn[sample] = True
    _check_training(declared)
    at = np.full(len(n_px), -1)
    at[sample] = np.arange(len(sample))      # parcel -> its row of x
    why = screen(x, parcels.declared[sample], names, params.seed)
    aside, usable = sample[why != ""], sample[why == ""]
    if len(usable) < MIN_TRAINING:
        raise InputError("Only {n} declared yields are left after setting aside {aside} "
                         "implausible ones; the regression needs at least {need}.",
                         n=len(usable), aside=len(aside), need=MIN_TRAINING)
    rng = np.random.default_rng(params.seed)
    ids = rng.permutation(usable)
    n_val = int(round(params.validation_share * len(ids)))
    split = np.full(len(n_px), "", "U10")
    split[declared & ~drawn] = "not drawn"
    split[ids[n_val:]], split[ids[:n_val]], split[aside] = "training", "validation", "set aside"
    train_ids, val_ids = ids[n_val:], ids[:n_val]
    best, model, cv = select_model(x[at[train_ids]], parcels.declared[train_ids], names, params,
                                   workers)
    progress.sub(50, 75).percent(100)
    predicted = model.predict(x[at[val_ids]]) if len(val_ids) else np.zeros(0)
    scores = regression_scores(parcels.declared[val_ids], predicted) if len(val_ids) else None
    rows = [(int(parcels.index[i]), parcels.declared[i], p) for i, p in zip(val_ids, predicted)]
    header = [f"Product: crop yield, {best} (kept among {len(cv)} models by "
              f"cross-validation), seed {params.seed}; crop {facts.get('crop') or 'all parcels'}",
              f"Period: {series.grid_dates[0]} to {series.grid_dates[-1]}, "
              f"{len(series.grid_dates)} dates every {params.step_days} days, "
              f"{len(series.products)} acquisitions, {len(names)} features per parcel",
              f"Declared parcels: {len(ids) + len(aside)}{_sample_note(declared, drawn)}, "
              f"set aside {len(aside)}, training "
              f"{len(train_ids)}, validation {len(val_ids)} (split by parcel, share "
              f"{params.validation_share:g})",
              f"Model: {paths['OUTPUT_MODEL']}", "",
              *_cv_lines(cv, best, len(train_ids)), "",
              *_aside_lines(parcels, aside, why[why != ""])]
    report = report_path(paths["OUTPUT_PIXELS"])
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(regression_report_text("Crop yield validation report (parcels)", scores,
                                             rows, header, "t/ha") if scores else
                      "\n".join(header) + "\nNo validation parcel (validation share 0).\n",
                      encoding="utf-8")
    written.append(report)
    save_model(paths["OUTPUT_MODEL"], "crop_yield", {None: model}, names, grid,
               date_offsets=series.offsets, step_days=series.step_days,
               start=str(series.start), params=dict(params.__dict__), **facts,
               validation=scores, model_name=best, cross_validation=cv)
    written.append(paths["OUTPUT_MODEL"])
    if drawn.sum() < declared.sum():
        progress.info(f"Trained on a seeded sample of {int(drawn.sum())} of the "
                      f"{int(declared.sum())} declared parcels (memory bound)")
    progress.info(f"Model: {best} (cross-validated relative RMSE "
                  f"{100 * cv[best]['relative_rmse']:.1f} %); {len(aside)} declared yields "
                  f"set aside")
    if scores:
        progress.info(f"Validation on {scores['n']} held-out parcels: RMSE "
                      f"{scores['rmse']:.2f} t/ha ({100 * scores['relative_rmse']:.1f} %), "
                      f"MAE {scores['mae']:.2f} t/ha ({100 * scores['relative_mae']:.1f} %)")
    return model, split, dict(OUTPUT_REPORT=str(report), scores=scores, model_name=best,
                              cross_validation=cv, set_aside=len(aside))


def _sample_note(declared, drawn):
    if drawn.sum() == declared.sum():
        return ""
    return (f" (a random sample, seeded, of the {int(declared.sum())} with clear pixels: a "
            f"memory bound; the others are predicted, not trained on, split \"not drawn\")")


def _cv_lines(cv, best, n):
    lines = [f"Model selection: {CV_FOLDS}-fold cross-validation over the {n} training "
             f"parcels (folds of parcels), simplest first; kept: the simplest within one "
             f"standard error of the lowest RMSE",
             f"{'model':<30} {'RMSE t/ha':>9} {'SE':>6} {'rel. RMSE':>9} {'MAE t/ha':>9} "
             f"{'R²':>6}"]
    lines += [f"{name:<30} {s['rmse']:>9.3f} {s['rmse_se']:>6.3f} "
              f"{100 * s['relative_rmse']:>7.2f} % {s['mae']:>9.3f} {s['r2']:>6.3f}"
              f"{'  <- kept' if name == best else ''}" for name, s in cv.items()]
    return lines


def _aside_lines(parcels, aside, why):
    lines = [f"Declared yields set aside: {len(aside)} ({(why == 'unit slip').sum()} more than "
             f"{SLIP_FACTOR:.2f} times from the median declared yield, "
             f"{(why == 'gross error').sum()} with a robust residual z-score above "
             f"{OUTLIER_Z:g} for both Huber ridges)"]
    lines += [f"{int(parcels.index[i]):>10} {parcels.declared[i]:>10.3f}  {w}"
              for i, w in zip(aside, why)]
    return lines


def aggregate(raster, predicted, units, grid, statistics=None):
    """Per unit: area-weighted mean of the predicted parcel yields over the
    parcel area inside the unit, and the relative error to the official yield."""
    n_units = len(units.values)
    uid, pid, pixels = unit_parcel_pixels(raster, np.isfinite(predicted), units, grid)
    count = np.bincount(uid, weights=pixels, minlength=n_units)
    total = np.bincount(uid, weights=pixels * predicted[pid], minlength=n_units)
    n_parcels = np.bincount(uid, minlength=n_units)
    area = count * grid.res ** 2 / 1e4
    rows = []
    for u in range(n_units):
        code = as_key(units.values[u])
        est = float(total[u] / count[u]) if count[u] else None
        official = (statistics or {}).get(code)
        rel = (est - official) / official if est is not None and official else None
        rows.append(dict(index=u, code=code, predicted=est, area_ha=float(area[u]),
                         n_parcels=int(n_parcels[u]), official=official, relative_error=rel))
    return rows


def unit_parcel_pixels(raster, keep, units, grid):
    """(unit, parcel, pixels) of every unit and parcel `keep` (bool per
    parcel) that share pixels: the units rasterised strip by strip (their
    whole-grid raster and its per-pixel copies took ~30 bytes per pixel,
    0.9 GB on a tile)."""
    n = keep.size
    codes, counts = [], []
    for row, strip in polygon_strips(to_crs(units, grid.crs), grid):
        ids = raster[row:row + len(strip)]
        both = (ids > 0) & (strip > 0)
        pid = ids[both] - 1
        use = keep[pid]
        code, k = np.unique((strip[both][use] - 1).astype("int64") * n + pid[use],
                            return_counts=True)
        codes.append(code)
        counts.append(k)
    code, at = np.unique(np.concatenate(codes), return_inverse=True)
    pixels = np.bincount(at, weights=np.concatenate(counts)).astype("int64")
    return code // n, code % n, pixels


def _start_report(paths, model, written):
    report = report_path(paths["OUTPUT_PIXELS"])
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(f"Crop yield report\n=================\nModel applied: {model}\n",
                      encoding="utf-8")
    written.append(report)
    return report


def _append_units(result):
    """Unit table appended to the report."""
    lines = ["", "Administrative units (area-weighted mean of the parcels' predictions):",
             f"{'code':>10} {'parcels':>8} {'area ha':>9} {'predicted':>10} {'official':>9} "
             f"{'rel. error':>10}"]
    for u in result["units"]:
        lines.append(f"{u['code']:>10} {u['n_parcels']:>8} {u['area_ha']:>9.1f} "
                     f"{_fmt(u['predicted'], '.3f'):>10} {_fmt(u['official'], '.3f'):>9} "
                     f"{_fmt(u['relative_error'] and 100 * u['relative_error'], '+.2f'):>9} %")
    errors = [abs(u["relative_error"]) for u in result["units"] if u["relative_error"] is not None]
    if errors:
        lines.append(f"Mean absolute relative error over {len(errors)} units: "
                     f"{100 * np.mean(errors):.2f} %, max {100 * max(errors):.2f} %")
    with open(result["OUTPUT_REPORT"], "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def _fmt(v, spec):
    return "-" if v is None else format(v, spec)


def map_pixels(series, raster, rf, path, min_clear, progress, workers, written, crop=None):
    """Yield of every pixel of the crop's parcels (t/ha), in the crop mask
    `crop` when given."""
    spec = CROP_YIELD.output("OUTPUT_PIXELS")

    def compute(w):
        ids = in_crop(raster[w.row_off:w.row_off + w.height, w.col_off:w.col_off + w.width],
                       crop, w)
        out = np.full(ids.shape, NODATA, "float32")
        pick = np.flatnonzero(ids)
        if pick.size:
            x, n_clear = series.read(w, pick)
            rows = np.flatnonzero(n_clear >= max(1, min_clear))
            if rows.size:
                out.reshape(-1)[pick[rows]] = predict_rows(rf, x, rows, series)
        return out

    with CogWriter(path, series.grid, spec.dtype, spec.nodata,
                   dict(product="crop_yield"), resampling=spec.resampling,
                   description=spec.title) as writer:
        written.append(path)
        run_blocks(windows(series.grid.width, series.grid.height, series.block(BLOCK_MB)),
                   compute, lambda w, res: writer.write(w, res), progress, workers,
                   cache_mb=CACHE_MB)
    write_sidecar(path, spec)
