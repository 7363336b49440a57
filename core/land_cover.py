"""The OSO land cover product on one tile (iota2 recipe, Inglada et al. 2017):
gap-filled Sentinel-2 features, a Random Forest trained on reference polygons
split by polygon (optionally one per eco-climatic region), then classes,
confidence and clear-date counts written block by block."""
import colorsys
import json
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .blocks import Progress, release_freed_memory, run_blocks, windows
from .catalog import LAND_COVER, OSO_NOMENCLATURE
from .cog import CogWriter, output_paths
from .errors import InputError
from .geometries import Geometries
from .qml import write_sidecar
from .series import CACHE_MB, S2Series, check_clear_dates, select_series
from .inputs import processing_grid
from .label_filter import contradicted
from .training import (ForestParams, as_key, check_model_fits, check_overlap,
                       class_codes, classification_report_text, confusion, draw_samples,
                       extract, fit_classifier, load_model, polygon_pixels, polygon_raster,
                       polygon_strips, report_path, save_model, split_polygons, to_crs, vote)

NODATA_CLASS, NODATA_CONFIDENCE = 0, 255
OSO = {code: (fr, en, color) for code, fr, en, color in OSO_NOMENCLATURE}
RASTERS = ("OUTPUT", "OUTPUT_CONFIDENCE", "OUTPUT_NOBS")     # in classify's order
VOTE_ROWS = 8192     # pixels voted together when a block's are not all voted (16 MB a year)
# training pixels a class needs: each tree trains on a bootstrap draw, which
# misses a class of k pixels with probability about e^-k (37 % of the trees
# never see a one-pixel class, under 1 % a five-pixel one)
MIN_CLASS_PIXELS = 5
NO_VALIDATION = ("No validation: the share of validation polygons is 0, so the overall "
                 "accuracy and kappa are not computed.")


@dataclass
class LandCoverParams:
    forest: ForestParams = field(default_factory=ForestParams)
    step_days: int = 10            # iota2 Sentinel_2.temporalResolution
    validation_share: float = 0.3  # OSO production: 70 % training, 30 % validation polygons
    max_samples: int = 10000       # per class and side
    min_clear: int = 1             # iota2 cloud_threshold
    filter_labels: bool = True     # set aside polygons the images contradict (label_filter)
    seed: int = 0


def run_land_cover(s2_folder, out_folder, reference=None, model=None, outputs=None,
                   regions=None, start=None, end=None, bounds=None, bounds_crs=None,
                   params=None, progress=None, workers=None):
    """Trains on `reference` (a training.Reference of class codes) or applies
    the saved `model`, then maps. `regions`: optional Reference of
    eco-climatic regions (one model each). outputs: optional {key: path} for
    OUTPUT, OUTPUT_CONFIDENCE, OUTPUT_NOBS, OUTPUT_MODEL; a raster given as
    None is not written (None in the result). Returns paths and figures; on
    error or cancel every file this run wrote is removed."""
    if (reference is None) == (model is None):
        raise InputError("Give either reference polygons to train a model, or a trained "
                         "model to apply, not both.")
    written = []
    try:
        return _run(Path(s2_folder), Path(out_folder), reference, model, dict(outputs or {}),
                    regions, start, end, bounds, bounds_crs, params or LandCoverParams(),
                    progress or Progress(), workers, written)
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
            Path(str(path)[:-4] + ".qml").unlink(missing_ok=True)
        raise


def _run(s2_folder, out_folder, reference, model, outputs, regions, start, end, bounds,
         bounds_crs, params, progress, workers, written):
    products, start, end, grid_dates = select_series(s2_folder, start, end, params.step_days)
    grid = processing_grid(products[0], bounds, bounds_crs)
    with S2Series(products, grid, grid_dates, workers) as series:
        return _run_series(series, out_folder, reference, model, outputs, regions, start, end,
                           params, progress, workers, written)


def _run_series(series, out_folder, reference, model, outputs, regions, start, end, params,
                progress, workers, written):
    products, grid, grid_dates = series.products, series.grid, series.grid_dates
    tile = "T" + products[0].tile
    progress.info(f"{len(products)} acquisitions of {tile}, grid {grid.width} x {grid.height} "
                  f"px at 20 m, {len(grid_dates)} dates every {params.step_days} days from "
                  f"{start} to {end}, {len(series.names)} features")
    paths = _paths(out_folder, outputs, tile, start, end)
    result = {}
    if model is None:
        bundle, result = train(series, reference, regions, params, paths, progress.sub(0, 40),
                               workers, written)
        release_freed_memory()      # the samples and the fit's buffers, before mapping
        region_ref = regions
    else:
        bundle = load_model(model, "land_cover", progress)
        check_model_fits(bundle, series.names, grid)
        region_ref = _model_regions(bundle, regions)
        progress.sub(0, 40).percent(100)
    classify(series, bundle, region_ref, paths, params.min_clear, progress.sub(40, 100),
             workers, written, dict(product="land_cover", method="OSO / iota2",
                                    period=f"{start}/{end}", classes=json.dumps(
                                        [int(c) for c in bundle["classes"]])))
    return dict(result, **{k: str(paths[k]) if k in paths else None for k in RASTERS},
                OUTPUT_MODEL=str(paths["OUTPUT_MODEL"]) if model is None else str(model),
                classes=[int(c) for c in bundle["classes"]], tile=tile, grid=grid,
                start=start, end=end, n_acquisitions=len(products))


def _paths(out_folder, outputs, tile, start, end):
    span = f"{start:%Y%m%d}_{end:%Y%m%d}"
    paths = output_paths(outputs, RASTERS, lambda k: out_folder /
                         f"LAND-COVER-{LAND_COVER.output(k).name}_{tile}_{span}.tif")
    main = paths["OUTPUT"]
    paths["OUTPUT_MODEL"] = Path(outputs.get("OUTPUT_MODEL")
                                 or main.with_name(main.stem + "_model.joblib"))
    return paths


def _model_regions(bundle, regions):
    stratified = list(bundle["models"]) != [None]
    if stratified and regions is None:
        raise InputError("This model holds one classifier per eco-climatic region (field "
                         "{field}): give the regions layer it was trained with.",
                         field=bundle["region_field"])
    return regions if stratified else None


# --- training -----------------------------------------------------------------
def class_names(codes):
    """Report names: OSO English (French) names for OSO codes."""
    return {c: f"{OSO[c][1]} ({OSO[c][0]})" for c in codes if c in OSO}


def train(series, reference, regions, params, paths, progress, workers, written):
    """Samples, fits one Random Forest per region, validates on the held-out
    polygons, saves the model bundle and the report. Returns (bundle, facts)."""
    grid = series.grid
    reference = to_crs(reference, grid.crs)
    codes, present, validation, samples, x, region_of = _sample(series, reference, regions,
                                                                params, progress.sub(0, 60),
                                                                workers)
    _check_classes(reference, codes, samples, grid, min(MIN_CLASS_PIXELS, params.max_samples))
    _check_validation(samples, params.validation_share)
    set_aside = np.empty(0, int)
    if params.filter_labels:
        samples, x, region_of, set_aside = _filter_labels(samples, x, region_of, params)
        progress.info(f"{set_aside.size} training polygons whose class the images contradict "
                      f"are set aside (listed in the report)")
    models, predicted = _fit(samples, x, region_of, params, progress.sub(60, 100), workers)
    classes = [int(c) for c in np.unique(samples.label)]
    text, scores = _report(series, reference, regions, samples, predicted, classes, codes,
                           validation, present, params, paths, set_aside, grid)
    report = report_path(paths["OUTPUT"])
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text, encoding="utf-8")
    written.append(report)
    oa, kappa = (scores["overall_accuracy"], scores["kappa"]) if scores else (None, None)
    bundle_facts = dict(classes=classes, label_field=reference.field,
                        region_field=regions.field if regions else None,
                        date_offsets=series.offsets, step_days=series.step_days,
                        start=str(series.start), params=dict(params.forest.__dict__),
                        validation=dict(overall_accuracy=oa, kappa=kappa))
    save_model(paths["OUTPUT_MODEL"], "land_cover", models, series.names, grid, **bundle_facts)
    written.append(paths["OUTPUT_MODEL"])
    progress.info(f"Validation on held-out polygons: overall accuracy {100 * oa:.1f} %, kappa "
                  f"{kappa:.3f}" if scores else NO_VALIDATION)
    bundle = dict(bundle_facts, models=models, feature_names=series.names)
    return bundle, dict(OUTPUT_REPORT=str(report), overall_accuracy=oa, kappa=kappa,
                        scores=scores,
                        n_train=int((~samples.validation).sum()),
                        set_aside_polygons=set_aside.tolist(),
                        n_validation=int(samples.validation.sum()),
                        validation_polygons=np.flatnonzero(validation & present).tolist())


def _filter_labels(samples, x, region_of, params):
    """(samples, x, region_of, polygons set aside): the training polygons of
    each region that the consensus filter contradicts leave the training
    samples (x compacted in place); validation polygons are never touched."""
    drop = np.zeros(len(samples.label), bool)
    train_mask = ~samples.validation
    for key in set(region_of[train_mask]):
        rows = train_mask & (region_of == key)
        bad = contradicted(samples.poly[rows], samples.label[rows], _rows(x, rows),
                           params.forest, params.seed)
        drop |= rows & np.isin(samples.poly, bad)
    keep = ~drop
    return (samples.subset(keep), _compact(x, keep), region_of[keep],
            np.unique(samples.poly[drop]))


def _fit(samples, x, region_of, params, progress, workers):
    """One forest per region (a single one, key None, without regions) and
    the predictions of the validation samples."""
    train_mask = ~samples.validation
    keys = sorted(set(region_of[train_mask]), key=str)
    untrained = sorted(set(region_of[samples.validation]) - set(keys), key=str)
    if untrained:
        raise InputError("The eco-climatic region {region} holds validation polygons but "
                         "no training sample.", region=untrained[0])
    models, predicted = {}, np.zeros(len(samples.label), samples.label.dtype)
    for i, key in enumerate(keys):
        here = region_of == key
        models[key] = fit_classifier(_rows(x, train_mask & here),
                                     samples.label[train_mask & here], params.forest,
                                     params.seed, workers)
        val = samples.validation & here
        if val.any():
            predicted[val] = vote(models[key], _rows(x, val))[0]
        progress.percent(100 * (i + 1) / len(keys))
    return models, predicted


def _sample(series, reference, regions, params, progress, workers):
    """Polygons rasterised and split, sample pixels drawn and their features
    read; pixels seen clear fewer than min_clear times, or outside every
    eco-climatic region, are dropped. The samples come grouped by side, then
    region (each group in pixel order), so that a group's features are a
    slice of x: the features, the largest array of training, are held once."""
    grid = series.grid
    pixels = polygon_pixels(reference, grid)        # strip by strip: no whole-tile raster
    check_overlap(pixels, reference, grid)
    codes = class_codes(reference)
    present = pixels > 0
    validation = split_polygons(codes, present, params.validation_share, params.seed)
    samples = draw_samples(polygon_strips(reference, grid), codes, validation,
                           params.max_samples, params.seed, width=grid.width)
    index, keys = _sample_regions(regions, grid, samples)
    order = np.lexsort((index, samples.validation))       # stable: pixel order in a group
    samples, index = samples.subset(order), index[order]
    x, n_clear = extract(samples, windows(grid.width, grid.height, series.block()), grid.width,
                         series.read, progress,
                         lambda *a: run_blocks(*a, workers, cache_mb=CACHE_MB),
                         n_features=len(series.names))
    check_clear_dates(int(n_clear.max()), params.min_clear, len(series.products))
    keep = n_clear >= params.min_clear
    outside = int((keep & (index == 0)).sum()) if regions else 0
    if outside:
        progress.info(f"{outside} sample pixels outside every eco-climatic region are left out")
        keep &= index > 0
    return (codes, present, validation, samples.subset(keep), _compact(x, keep),
            keys[index[keep]])


def _sample_regions(regions, grid, samples):
    """(index, keys): keys[index] is the region of each sample (index 0,
    None: outside every region, or no regions), rasterised strip by strip."""
    if not regions:
        return np.zeros(len(samples.flat), "int32"), np.array([None], object)
    names = [as_key(v) for v in regions.values]
    keys = np.array([None] + sorted(set(names)), dtype=object)
    of_polygon = np.searchsorted(keys[1:], names).astype("int32") + 1   # polygons of a region
    of_polygon = np.concatenate([[0], of_polygon])                       # share its index
    index = np.zeros(len(samples.flat), "int32")
    for row, strip in polygon_strips(regions, grid):
        lo, hi = np.searchsorted(samples.flat, (row * grid.width, (row + len(strip)) * grid.width))
        index[lo:hi] = of_polygon[strip.reshape(-1)[samples.flat[lo:hi] - row * grid.width]]
    return index, keys


def _compact(x, keep, rows=4096):
    """x[keep] without a second array: kept rows move up, a chunk at a time
    (a kept row never moves down, so no row is overwritten before it moves)."""
    if keep.all():
        return x
    idx = np.flatnonzero(keep)
    for c in range(0, idx.size, rows):
        part = idx[c:c + rows]
        x[c:c + part.size] = x[part]
    return x[:idx.size]


def _rows(x, mask):
    """x[mask], a view when the rows are contiguous (as _sample groups them)."""
    idx = np.flatnonzero(mask)
    if idx.size and idx[-1] - idx[0] + 1 == idx.size:
        return x[idx[0]:idx[-1] + 1]
    return x[mask]


def _check_classes(reference, codes, samples, grid, need):
    """A class with polygons over the area must keep `need` training samples."""
    trained, counts = np.unique(samples.label[~samples.validation], return_counts=True)
    inside = _inside(reference, grid)
    missing = sorted(set(codes[inside].tolist()) - set(trained.tolist()))
    if missing:
        raise InputError("Class {code} has no training sample: its {n} reference polygons in "
                         "the area cover no pixel centre seen clear often enough. Enlarge them, "
                         "lower the minimum number of clear dates, or remove the class.",
                         code=missing[0], n=int((codes[inside] == missing[0]).sum()))
    if (counts < need).any():
        raise InputError("Class {code} has too few training pixels ({n}); the forest needs "
                         "{need} per class at least. Enlarge or add its reference polygons, "
                         "lower the minimum number of clear dates, or remove the class.",
                         code=int(trained[counts < need][0]), n=int(counts[counts < need][0]),
                         need=need)
    if len(trained) < 2:
        raise InputError("The reference polygons in the area give samples of one class only "
                         "({codes}); a classification needs at least two.",
                         codes=", ".join(str(c) for c in sorted(trained)))


def _check_validation(samples, share):
    """Held-out pixels of two classes at least, unless none are asked for:
    kappa weighs the agreement against chance, which validation pixels of
    one class make total (kappa 0 or undefined)."""
    validated = np.unique(samples.label[samples.validation]).size
    if share > 0 and validated < 2:
        raise InputError("Only {n} of the {total} classes have validation pixels; validating "
                         "the map needs two at least, and a class is held out only when it "
                         "has two reference polygons or more in the area (the split is by "
                         "polygon). Add reference polygons, or set the share of validation "
                         "polygons to 0 to train without validation.", n=validated,
                         total=np.unique(samples.label).size)


def _inside(reference, grid):
    """Polygons whose bounding box overlaps the grid (geometries in grid CRS)."""
    xmin, ymin, xmax, ymax = grid.bounds
    x0, y0, x1, y1 = Geometries.of(reference.geometries).bounds().T
    return (x0 < xmax) & (x1 > xmin) & (y0 < ymax) & (y1 > ymin)


def region_raster(regions, grid, window=None):
    """(index raster, keys): keys[index] is the region value of each pixel,
    None outside every region (index 0)."""
    sub = grid if window is None else grid.window_grid(window)
    keys = np.array([None] + [as_key(v) for v in regions.values], dtype=object)
    return polygon_raster(regions, sub), keys


def _report(series, reference, regions, samples, predicted, classes, codes, validation,
            present, params, paths, set_aside, grid):
    val = samples.validation
    cm = confusion(samples.label[val], predicted[val], classes)
    counts = {c: (int((present & ~validation & (codes == c)).sum()),
                  int((present & validation & (codes == c)).sum())) for c in classes}
    header = [f"Product: land cover (OSO / iota2), Random Forest {params.forest.n_trees} trees, "
              f"max depth {params.forest.max_depth}, min samples split "
              f"{params.forest.min_samples_split}, seed {params.seed}",
              f"Period: {series.grid_dates[0]} to {series.grid_dates[-1]}, "
              f"{len(series.grid_dates)} dates every {params.step_days} days, "
              f"{len(series.products)} acquisitions, {len(series.names)} features",
              f"Reference: field {reference.field}, {int(present.sum())} polygons in the area; "
              f"validation share {params.validation_share:g} of the polygons of each class "
              f"(split by polygon); at most {params.max_samples} pixels per class and side",
              f"Training pixels: {int((~val).sum())}; validation pixels: {int(val.sum())}",
              f"Map: {paths['OUTPUT']}", f"Model: {paths['OUTPUT_MODEL']}"]
    if regions:
        header.append(f"Stratified by eco-climatic region (field {regions.field})")
    if params.filter_labels:
        header += _set_aside_lines(reference, codes, set_aside, present & ~validation, grid)
    title = "Land cover validation report"
    if not val.any():            # a validation share of 0: no figure to give
        return "\n".join([title, "=" * len(title), *header, "", NO_VALIDATION, ""]), None
    return classification_report_text(title, cm, classes, class_names(classes), counts,
                                      header)


def _check_mapped(seen, need, grid_dates):
    """An all no-data map is not a result: says why no pixel was classified."""
    if seen["mapped"]:
        return
    if seen["best"] >= need:
        raise InputError("No pixel of the area lies in one of the model's eco-climatic "
                         "regions: give regions that cover the area.")
    raise InputError("No pixel of the area is seen clear on {need} dates between {start} and "
                     "{end} (at most on {best}): give a longer period or lower the minimum "
                     "number of clear dates.", need=need, start=grid_dates[0],
                     end=grid_dates[-1], best=seen["best"])


def _set_aside_lines(reference, codes, set_aside, training, grid, most=100):
    """The report's list of the training polygons the filter set aside."""
    lines = [f"Training polygons set aside because the images contradict their class "
             f"(consensus filter, Brodley and Friedl 1999): {set_aside.size} of "
             f"{int(training.sum())}"]
    x0, y0, x1, y1 = Geometries.of(reference.geometries).bounds().T
    for i in set_aside[:most]:
        lines.append(f"  polygon {i + 1} of the layer, class {codes[i]}, centre "
                     f"{(x0[i] + x1[i]) / 2:.0f} {(y0[i] + y1[i]) / 2:.0f} ({grid.crs})")
    if set_aside.size > most:
        lines.append(f"  ... and {set_aside.size - most} more")
    return lines


# --- mapping ------------------------------------------------------------------
def legend(classes):
    """The classification Output styled with the trained classes only: OSO
    names and colours for OSO codes, generated ones for others."""
    entries = []
    for c in classes:
        if c in OSO:
            entries.append((c, OSO[c][1], OSO[c][2]))
        else:
            hue = (c * 0.618034) % 1.0
            entries.append((c, f"Class {c}", _hex_from_hue(hue)))
    return replace(LAND_COVER.output("OUTPUT"), classes=tuple(entries))


def _hex_from_hue(h):
    r, g, b = colorsys.hsv_to_rgb(h, 0.65, 0.9)
    return "#{:02x}{:02x}{:02x}".format(int(r * 255), int(g * 255), int(b * 255))


def _vote_rows(rf, x, rows, chunk=VOTE_ROWS):
    """vote(rf, x[rows]) copying `chunk` rows at a time, not a block's features."""
    label, conf = np.empty(rows.size, rf.classes_.dtype), np.empty(rows.size, "uint8")
    for c in range(0, rows.size, chunk):
        label[c:c + chunk], conf[c:c + chunk] = vote(rf, x[rows[c:c + chunk]])
    return label, conf


def classify(series, bundle, regions, paths, min_clear, progress, workers, written, tags):
    """Class, confidence and clear-date count, window by window."""
    grid, models = series.grid, bundle["models"]
    if regions is not None:
        regions = to_crs(regions, grid.crs)
    need = max(1, min_clear)
    seen = dict(mapped=0, best=0)       # pixels classified, most clear dates of a pixel

    def compute(w):
        x, n_clear = series.read(w)
        label = np.full(len(n_clear), NODATA_CLASS, "uint8")
        conf = np.full(len(n_clear), NODATA_CONFIDENCE, "uint8")
        ok = n_clear >= need
        if regions is None:
            region_of = np.full(len(n_clear), None, object)
        else:
            raster, rkeys = region_raster(regions, grid, w)
            region_of = rkeys[raster.reshape(-1)]
        for key, rf in models.items():
            sel = ok & (region_of == key)
            if sel.all():       # no copy of the features in the usual case
                label[:], conf[:] = vote(rf, x)
            elif sel.any():     # pixels never clear, or of other regions, left out
                label[sel], conf[sel] = _vote_rows(rf, x, np.flatnonzero(sel))
        shape = (int(w.height), int(w.width))
        return label.reshape(shape), conf.reshape(shape), n_clear.reshape(shape)

    with ExitStack() as stack:
        writers = {}
        for k in [r for r in RASTERS if r in paths]:
            spec = LAND_COVER.output(k)
            writers[k] = stack.enter_context(CogWriter(
                paths[k], grid, spec.dtype, spec.nodata, tags, resampling=spec.resampling,
                description=spec.title))
            written.append(paths[k])

        def consume(w, res):
            for k, arr in zip(RASTERS, res):
                if k in writers:
                    writers[k].write(w, arr)
            seen["mapped"] += int(np.count_nonzero(res[0] != NODATA_CLASS))
            seen["best"] = max(seen["best"], int(res[2].max(initial=0)))
        run_blocks(windows(grid.width, grid.height, series.block()), compute, consume, progress,
                   workers, cache_mb=CACHE_MB)
        _check_mapped(seen, need, series.grid_dates)
    write_sidecar(paths["OUTPUT"], legend(bundle["classes"]))
    if "OUTPUT_CONFIDENCE" in paths:
        write_sidecar(paths["OUTPUT_CONFIDENCE"], LAND_COVER.output("OUTPUT_CONFIDENCE"))
    if "OUTPUT_NOBS" in paths:
        write_sidecar(paths["OUTPUT_NOBS"], LAND_COVER.output("OUTPUT_NOBS"),
                      ramp_max=len(series.products))
