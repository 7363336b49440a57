"""Irrigated and rainfed crops on one tile, after Pageot et al. 2020 (Remote
Sens. 12(18):3044): monthly cumulative features of Sentinel-2 (NDVI, NDRE,
NDWI, gap-filled), Sentinel-1 (VV, VH, VH/VV) and rainfall, a Random Forest
trained on labelled parcels split by parcel, and the share of irrigated
surface on a 1 km grid. The report compares the multi-source model with
single-source models trained on the same pixels."""
import json
import warnings
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from rasterio.windows import Window

from .blocks import Progress, block_for_layers, run_blocks, windows
from .catalog import IRRIGATION
from .cog import CogWriter
from .errors import InputError
from .grid import Grid
from .inputs import processing_grid, select_products
from .meteo import normalise_header, parse_date, read_rain_rasters
from .qml import write_sidecar
from .sentinel1 import read_stack, select_images
from .theia import clear_mask, read_reflectance
from .timeseries import GapFill, date_grid, normalized_difference
from .training import (check_overlap, classification_report_text, classification_scores,
                       confusion, draw_samples, extract, polygon_pixels, polygon_strips,
                       report_path, split_polygons, to_crs)

BANDS = ("B4", "B5", "B8", "B8A", "B11")
S2_INDICES = ("NDVI", "NDRE", "NDWI")
S1_INDICES = ("VV", "VH", "VHVV")
RAIN_COLUMNS = ("rain", "rain_mm", "precipitation", "precip", "prcp", "pr", "rr", "pluie")
KEYS = ("OUTPUT", "OUTPUT_PROBABILITY", "OUTPUT_GRID")
CELL_M = 1000.0
IRRIGATED_WORDS = ("1", "irrigated", "irrigue", "irrigué", "yes", "true", "oui")
RAINFED_WORDS = ("0", "rainfed", "pluvial", "non irrigue", "non irrigué", "no", "false", "non")
SOURCES = (("S1 + S2 + rain", ("S2", "S1", "RAIN")), ("S1 + S2", ("S2", "S1")),
           ("S2 only", ("S2",)), ("S1 only", ("S1",)))


@dataclass
class IrrigationParams:
    n_trees: int = 100
    step_days: int = 10          # Sentinel-2 gap-filling grid; monthly sums of it
    validation_share: float = 0.3
    max_samples: int = 20000     # per class and side
    seed: int = 0


def run_irrigation(s2_folder, s1_folder, rain_source, labels, out_folder, outputs=None,
                   start=None, end=None, bounds=None, bounds_crs=None, params=None,
                   progress=None, workers=None):
    """rain_source: a daily rain CSV table or a folder of daily rain rasters
    (see read_rain); labels: a training.Reference of parcels whose values say
    irrigated or rainfed (see label_value); returns output paths, scores and
    facts."""
    progress = progress or Progress()
    params = params or IrrigationParams()
    written = []
    try:
        return _run(Path(s2_folder), s1_folder, rain_source, labels, Path(out_folder),
                    dict(outputs or {}), start, end, bounds, bounds_crs, params, progress,
                    workers, written)
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
            Path(str(path)[:-4] + ".qml").unlink(missing_ok=True)
        raise


def _run(s2_folder, s1_folder, rain_source, labels, out_folder, outputs, start, end, bounds,
         bounds_crs, params, progress, workers, written):
    products, start, end = select_products(s2_folder, start, end, BANDS)
    grid = processing_grid(products[0], bounds, bounds_crs)
    tile = "T" + products[0].tile
    s1 = s1_images(s1_folder, products[0].tile, start, end)
    rain, cells = read_rain(rain_source, start, end, grid)
    features = Features(products, s1, rain, grid, start, end, params.step_days, cells)
    classes = np.array([label_value(v) for v in labels.values], "int8")
    labels = to_crs(labels, grid.crs)          # once for the two passes below
    pixels = polygon_pixels(labels, grid)
    check_overlap(pixels, labels, grid, "labelled parcels")
    present = pixels > 0
    if len(set(classes[present])) < 2:
        raise InputError("The labelled parcels over the area are all {kind}: both irrigated "
                         "and rainfed parcels are needed to train.",
                         kind="irrigated" if classes[present].any() else "rainfed")
    validation = split_polygons(classes, present, params.validation_share, params.seed)
    samples = draw_samples(polygon_strips(labels, grid), classes, validation,
                           params.max_samples, params.seed, width=grid.width)
    progress.info(f"{len(products)} Sentinel-2 and {len(s1['vv'])} Sentinel-1 VV acquisitions "
                  f"of {tile}, {len(features.names)} features, {int(present.sum())} parcels")
    x, _ = extract(samples, windows(grid.width, grid.height, features.block), grid.width,
                   lambda w, pick: (features.read(w).reshape(len(features.names), -1)[:, pick].T,
                                    np.zeros(pick.size, "uint16")),
                   progress.sub(0, 40), run=lambda *a: run_blocks(*a, workers=workers))
    ok = np.isfinite(x).all(axis=1)
    samples, x = samples.subset(ok), x[ok]
    model, scores = compare_sources(x, samples, features, params, workers)
    paths = _paths(out_folder, outputs, tile, start, end)
    out_folder.mkdir(parents=True, exist_ok=True)
    tags = dict(product="irrigation", method="Pageot et al. 2020", period=f"{start}/{end}",
                parameters=json.dumps(params.__dict__))
    write_maps(model, features, grid, paths, tags, progress.sub(40, 99), workers, written)
    report = report_path(paths["OUTPUT"])
    text = _report(scores, samples, classes, present, validation, tile, start, end)
    report.write_text(text, encoding="utf-8")
    written.append(report)
    progress.percent(100)
    return dict({k: str(v) for k, v in paths.items()}, OUTPUT_REPORT=str(report), scores=scores,
                grid=grid, tile=tile, start=start, end=end, feature_names=features.names)


def label_value(value):
    """1 irrigated, 0 rainfed, from numbers or words (English or French)."""
    text = str(value).strip().lower().removesuffix(".0")
    if text in IRRIGATED_WORDS:
        return 1
    if text in RAINFED_WORDS:
        return 0
    raise InputError("The label {value!r} is neither irrigated (1, irrigated, yes) nor rainfed "
                     "(0, rainfed, no).", value=value)


def s1_images(folder, tile, start, end):
    """{polarisation: images} of every orbit of the period, pooled."""
    if not folder:
        raise InputError("The method needs Sentinel-1: give the folder of S1Tiling VV and VH "
                         "files of the tile.")
    orbits = select_images(folder, start, end, both_directions=False)
    first = next(iter(orbits.values()))["vv"][0]
    if first.tile != tile:
        raise InputError("The Sentinel-1 files of {folder} are of tile {s1_tile}, the "
                         "Sentinel-2 products of tile {s2_tile}.", folder=folder,
                         s1_tile=first.tile, s2_tile=tile)
    return {p: [i for o in orbits.values() for i in o[p]] for p in ("vv", "vh")}


def read_rain(source, start, end, grid):
    """Daily rain (mm) of [start, end]: (cells, days) and the rain cells
    (None for a table: one series for the whole area)."""
    if not source:
        raise InputError("The method needs the daily rain: give a precipitation table (CSV) or "
                         "a folder of daily rain rasters.")
    if Path(source).is_dir():
        return read_rain_rasters(source, start, end, grid)
    return read_rain_csv(source, start, end)[None], None


def read_rain_csv(path, start, end):
    """Daily rain (mm) of every day of [start, end] from a CSV table with a
    date column and a rain column."""
    path = Path(path)
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8-sig").splitlines()
                 if ln.strip() and not ln.startswith("#")]
    except (OSError, UnicodeDecodeError) as e:
        raise InputError("Cannot read the precipitation table {path} ({error}).", path=path,
                         error=e)
    sep = ";" if lines and lines[0].count(";") > lines[0].count(",") else ","
    header = [normalise_header(h) for h in lines[0].split(sep)] if lines else []
    col = next((header.index(a) for a in RAIN_COLUMNS if a in header), None)
    if "date" not in header or col is None:
        raise InputError("The precipitation table {path} needs a date column and a rain "
                         "column (mm, named rain, rain_mm or precipitation); its columns are: "
                         "{columns}.", path=path, columns=", ".join(header))
    rain = {}
    for line, text in enumerate(lines[1:], start=2):
        row = text.split(sep)
        day = parse_date(row[header.index("date")], path, line)
        try:
            rain[day] = float(row[col].replace(",", "."))
        except (ValueError, IndexError):
            continue              # an empty or non-numeric cell counts as a missing day
    days = [start + timedelta(i) for i in range((end - start).days + 1)]
    missing = [d for d in days if d not in rain or not np.isfinite(rain[d]) or rain[d] < 0]
    if missing:
        known = sorted(rain)
        raise InputError("The precipitation table {path} covers {first} to {last} and lacks "
                         "{n} days of the period {start} to {end} (first missing: {day}): give "
                         "the rain of every day of the period.", path=path,
                         first=known[0] if known else "-", last=known[-1] if known else "-",
                         n=len(missing), start=start, end=end, day=missing[0])
    return np.array([rain[d] for d in days])


def months(start, end):
    """(year, month) of every month touched by [start, end]."""
    out, d = [], date(start.year, start.month, 1)
    while d <= end:
        out.append((d.year, d.month))
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return out


class Features:
    """Per pixel and month: the sums of the gap-filled NDVI, NDRE and NDWI of
    the month's grid dates (cumulative indices), the mean VV and VH (of the
    power, in dB) and VH/VV (dB), and the month's cumulative rain (mm) of the
    pixel's rain cell (nearest; the same everywhere from a table)."""

    def __init__(self, products, s1, rain, grid, start, end, step_days, cells=None):
        self.products, self.s1, self.grid, self.cells = products, s1, grid, cells
        self.dates = [p.acquired.date() for p in products]
        self.grid_dates = date_grid(start, end, step_days)
        self.months = months(start, end)
        # the raw and gap-filled stacks of every band are held at once in _s2
        self.block = block_for_layers((len(products) + len(self.grid_dates)) * len(BANDS))
        self.month_of = np.array([self.months.index((d.year, d.month)) for d in self.grid_dates])
        days = [start + timedelta(i) for i in range(rain.shape[1])]
        self.rain = np.stack([rain[:, [(d.year, d.month) == m for d in days]].sum(axis=1)
                              for m in self.months], axis=1).astype("float32")  # cells, months
        tag = [f"{y}{m:02d}" for y, m in self.months]
        self.names = ([f"{i}_{t}" for i in S2_INDICES for t in tag]
                      + [f"{i}_{t}" for i in S1_INDICES for t in tag]
                      + [f"RAIN_{t}" for t in tag])
        self.source = np.array(["S2"] * 3 * len(tag) + ["S1"] * 3 * len(tag) + ["RAIN"] * len(tag))

    def read(self, w):
        """(features, h, w) float32 of window `w`, NaN where never seen."""
        sub = self.grid.window_grid(w)
        return np.concatenate([self._s2(sub), self._s1(sub), self.rain_of(sub)]).astype(
            "float32")

    def rain_of(self, sub):
        """(months, h, w) cumulative rain of every pixel's cell, NaN outside."""
        ids = (self.cells.ids_on(sub) if self.cells
               else np.zeros((sub.height, sub.width), "int32"))
        return np.where(ids >= 0, np.moveaxis(self.rain[ids], -1, 0), np.nan)

    def _s2(self, sub):
        clear = np.stack([clear_mask(p, sub) for p in self.products])
        bands = {}
        for b in BANDS:
            stack = np.stack([read_reflectance(p, b, sub) for p in self.products])
            clear &= np.isfinite(stack)
            bands[b] = stack
        fill = GapFill(clear, self.dates, self.grid_dates)
        f = {b: fill(bands.pop(b)) for b in BANDS}
        indices = (normalized_difference(f["B8"], f["B4"]),
                   normalized_difference(f["B8A"], f["B5"]),
                   normalized_difference(f["B8"], f["B11"]))          # Gao's NDWI
        never = ~clear.any(axis=0)
        out = np.stack([np.stack([ix[self.month_of == k].sum(axis=0)
                                  for k in range(len(self.months))]) for ix in indices])
        out[:, :, never] = np.nan
        return out.reshape(-1, sub.height, sub.width)

    def _s1(self, sub):
        means = {}
        for pol in ("vv", "vh"):
            days, stack = read_stack(self.s1[pol], sub)
            month = np.array([self.months.index((d.year, d.month))
                              if (d.year, d.month) in self.months else -1 for d in days])
            with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)      # months never seen: NaN
                whole = np.nanmean(stack, axis=0)
                per = np.stack([np.nanmean(stack[month == k], axis=0) if (month == k).any()
                                else whole for k in range(len(self.months))])
                per = np.where(np.isfinite(per), per, whole)       # gap: the period's mean
                means[pol] = 10 * np.log10(per)
        return np.concatenate([means["vv"], means["vh"], means["vh"] - means["vv"]])


def compare_sources(x, samples, features, params, workers):
    """The full model and the single-source ones, trained and validated on
    the same pixels: the full model (the others are dropped: about 75 MB of
    trees each at the default sample cap) and {name: scores}."""
    from sklearn.ensemble import RandomForestClassifier   # heavy: not at QGIS start-up
    train, val = ~samples.validation, samples.validation
    if not val.any() or len(np.unique(samples.label[val])) < 2:
        raise InputError("Too few labelled parcels to validate: at least two irrigated and two "
                         "rainfed parcels with clear pixels are needed.")
    full, scores = None, {}
    for name, sources in SOURCES:
        cols = np.isin(features.source, sources)
        rf = RandomForestClassifier(n_estimators=params.n_trees, max_features="sqrt",
                                    min_samples_leaf=2, n_jobs=workers or -1,
                                    random_state=params.seed)
        rf.fit(x[train][:, cols], samples.label[train])
        rf.n_jobs = 1
        rf.columns = cols
        cm = confusion(samples.label[val], rf.predict(x[val][:, cols]), (0, 1))
        s = classification_scores(cm)
        full = rf if full is None else full          # SOURCES[0]: all features
        scores[name] = dict(oa=s["overall_accuracy"], f1_irrigated=float(s["f1"][1]),
                            kappa=s["kappa"], cm=cm, features=int(cols.sum()))
    return full, scores


def _paths(out_folder, outputs, tile, start, end):
    span = f"{start:%Y%m%d}_{end:%Y%m%d}"
    return {k: Path(outputs.get(k) or out_folder /
                    f"IRRIGATION-{IRRIGATION.output(k).name}_{tile}_{span}.tif") for k in KEYS}


def km_grid(grid):
    """The 1 km grid over `grid`, from its upper-left corner."""
    n = int(round(CELL_M / grid.res))
    return Grid(grid.crs, grid.x0, grid.y0, CELL_M, -(-grid.width // n), -(-grid.height // n)), n


def write_maps(rf, features, grid, paths, tags, progress, workers, written):
    coarse, n = km_grid(grid)
    irrigated_px = np.zeros((coarse.height, coarse.width))
    mapped_px = np.zeros_like(irrigated_px)
    with ExitStack() as stack:
        outs = {}
        for k in ("OUTPUT", "OUTPUT_PROBABILITY"):
            spec = IRRIGATION.output(k)
            written.append(paths[k])
            outs[k] = stack.enter_context(CogWriter(paths[k], grid, spec.dtype, spec.nodata, tags,
                                                    resampling=spec.resampling,
                                                    description=spec.title))

        def compute(w):
            feats = features.read(w)
            flat = feats.reshape(feats.shape[0], -1).T
            ok = np.isfinite(flat).all(axis=1)
            mask = np.full(flat.shape[0], 255, "uint8")
            prob = np.full(flat.shape[0], 255, "uint8")
            if ok.any():
                p = rf.predict_proba(flat[ok][:, rf.columns])[:, list(rf.classes_).index(1)]
                prob[ok] = np.round(100 * p)
                mask[ok] = p >= 0.5
            return mask.reshape(w.height, w.width), prob.reshape(w.height, w.width)

        def consume(w, res):
            outs["OUTPUT"].write(w, res[0])
            outs["OUTPUT_PROBABILITY"].write(w, res[1])
            for counts, hit in ((irrigated_px, res[0] == 1), (mapped_px, res[0] != 255)):
                rows, cols = np.nonzero(hit)
                np.add.at(counts, ((rows + w.row_off) // n, (cols + w.col_off) // n), 1)
        run_blocks(windows(grid.width, grid.height, features.block), compute, consume, progress,
                   workers)
    # share of the square kilometre (cells cut by the area edge: of their part inside)
    inside = np.outer(np.bincount(np.arange(grid.height) // n, minlength=coarse.height),
                      np.bincount(np.arange(grid.width) // n, minlength=coarse.width))
    share = np.where(mapped_px > 0, np.round(100 * irrigated_px / inside), 255).astype("uint8")
    spec = IRRIGATION.output("OUTPUT_GRID")
    written.append(paths["OUTPUT_GRID"])
    with CogWriter(paths["OUTPUT_GRID"], coarse, "uint8", spec.nodata, tags,
                   resampling=spec.resampling, description=spec.title) as out:
        out.write(Window(0, 0, coarse.width, coarse.height), share)
    for k in KEYS:
        write_sidecar(paths[k], IRRIGATION.output(k))


def _report(scores, samples, classes, present, validation, tile, start, end):
    val = samples.validation
    lines = [f"Tile {tile}, period {start} to {end}",
             f"Validation on held-out parcels: {int(val.sum())} pixels; training: "
             f"{int((~val).sum())} pixels",
             "", "Model comparison (same training and validation pixels):",
             f"{'features':<16} {'n':>4} {'OA':>7} {'F1 irrigated':>13} {'kappa':>7}"]
    for name, s in scores.items():
        lines.append(f"{name:<16} {s['features']:>4} {100 * s['oa']:>6.2f}% "
                     f"{s['f1_irrigated']:>13.3f} {s['kappa']:>7.3f}")
    lines.append("The maps are made with the first model (S1 + S2 + rain).")
    full = scores["S1 + S2 + rain"]
    text, _ = classification_report_text(
        "Irrigated crops: validation on held-out parcels", full["cm"], (0, 1),
        {0: "rainfed", 1: "irrigated"},
        {c: (int((present & ~validation & (classes == c)).sum()),
             int((present & validation & (classes == c)).sum())) for c in (0, 1)}, header=lines)
    return text
