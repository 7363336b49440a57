"""Irrigated and rainfed crop parcels on one tile, after Pageot et al. 2020
(Remote Sens. 12(18):3044), decided per parcel, with the rain read as a water
balance rather than as a place.

Every feature is computed on the parcel's mean (speckle and cloud edges
average out first): monthly cumulative Sentinel-2 NDVI, NDRE and NDWI
(gap-filled every 10 days) and monthly Sentinel-1 VV, VH and VH/VV (dB), as
Pageot et al.; the rises of VV above those of the parcels around it (Bazzi et
al. 2020: plot against grid signal); and two features that read the rain:
how much wetter than its surroundings the parcel is on acquisitions with no
recent rain, and how much its VV rises up to such acquisitions (irrigated
parcels get wet without rain). The rain itself is never a feature: a value
per rain cell would let the forest learn where a parcel lies.

When the declared crop of every parcel is given (RPG), irrigation is read as
a departure from the crop's regional behaviour: every feature also enters
minus the median of the parcels of the same crop around it, the crop itself
is a feature, and the wetting events not explained by rain (Bazzi et al.
2020, Le Page et al. 2020) are counted: VV jumps between consecutive
acquisitions of one orbit, above those of the same crop, with no rain in
between.

Five features need two sources at once (source JOINT, see joint_features):
the Sentinel-1 wetting events counted only where Sentinel-2 says the canopy
is open enough for C-band to see the soil (NDVI below NDVI_OPEN), NDVI and
NDWI above the crop's on dry dates, and NDWI rises between clear dates with
no rain between. On the simulated scenes they add little (the per-parcel
oracle of the two sensors bounds what any fusion of them can add; see
validation/irrigation.py).

The model that maps is chosen in core/irrigation_models.py.

JUMP_DB: a soil wetted over the whole parcel raises VV by
~1-3 dB, but a hose reel wets one strip a day, so the parcel mean rises
less; 0.5 dB separated irrigated from rainfed parcels of one crop better
than 1 or 2 dB on scenes of both simulators (AUC per crop, 3 scenes: a
small comparison, simplified). NDVI_OPEN: El Hajj et al. 2017 (Remote Sens.
9(12):1292) retrieve soil moisture from Sentinel-1 only below NDVI 0.75, the
C-band signal being the canopy's above [RECALLED, not re-read]."""
import json
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
from rasterio.warp import transform as transform_points
from rasterio.windows import Window

from .blocks import DEFAULT_BLOCK, Progress, run_blocks, windows
from .catalog import IRRIGATION, N_
from .cog import CogWriter, output_paths
from .errors import InputError
from .grid import Grid
from .inputs import processing_grid, select_products
from .irrigation_features import CHUNK_PARCELS, S2_INDICES, parcel_features
from .irrigation_models import CV_FOLDS, CV_REPEATS, choose_model
from .meteo import normalise_header, parse_date, read_rain_rasters
from .qml import write_sidecar
from .sentinel1 import read_stack, select_images
from .theia import clear_mask, read_reflectance
from .timeseries import normalized_difference
from .training import (capped, check_overlap, classification_report_text, polygon_strips,
                       report_path, split_polygons, to_crs)

BANDS = ("B4", "B5", "B8", "B8A", "B11")
RAIN_COLUMNS = ("rain", "rain_mm", "precipitation", "precip", "prcp", "pr", "rr", "pluie")
KEYS = ("OUTPUT", "OUTPUT_PROBABILITY", "OUTPUT_GRID")
CELL_M = 1000.0
IRRIGATED_WORDS = ("1", "irrigated", "irrigue", "irrigué", "yes", "true", "oui")
RAINFED_WORDS = ("0", "rainfed", "pluvial", "non irrigue", "non irrigué", "no", "false", "non")
CLEAR_SHARE = 0.5      # a date counts for a parcel when half of its pixels are seen
# training parcels at most: a memory bound, not a science choice (the method's
# ~160 and the robustness scenes' ~150 are far below; a whole simulated tile
# labels ~330 000: 4 forests of 290 MB, measured 880 bytes per parcel)
MAX_TRAINING = 20000


@dataclass
class IrrigationParams:
    n_trees: int = 100
    step_days: int = 10          # Sentinel-2 gap-filling grid; monthly sums of it
    validation_share: float = 0.3
    seed: int = 0


def run_irrigation(s2_folder, s1_folder, rain_source, labels, out_folder, outputs=None,
                   start=None, end=None, bounds=None, bounds_crs=None, params=None,
                   progress=None, workers=None, crops=None):
    """rain_source: a daily rain CSV table or a folder of daily rain rasters
    (see read_rain); labels: a training.Reference of the parcels to map,
    whose values say irrigated or rainfed (see label_value; None: not known,
    mapped but not trained on); crops: the declared crop of each parcel
    (same order, optional); returns output paths, scores, the mapping
    model's name, the held-out parcels, every parcel's probability and facts,
    the feature table and the classes (-1: no label) the models learnt from.
    outputs: optional {key: path} of KEYS, by default in out_folder; one
    given as None is not written (None in the result)."""
    progress = progress or Progress()
    params = params or IrrigationParams()
    written = []
    try:
        return _run(Path(s2_folder), s1_folder, rain_source, labels, Path(out_folder),
                    dict(outputs or {}), start, end, bounds, bounds_crs, params, progress,
                    workers, written, crops)
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
            Path(str(path)[:-4] + ".qml").unlink(missing_ok=True)
        raise


def _run(s2_folder, s1_folder, rain_source, labels, out_folder, outputs, start, end, bounds,
         bounds_crs, params, progress, workers, written, crops=None):
    products, start, end = select_products(s2_folder, start, end, BANDS)
    grid = processing_grid(products[0], bounds, bounds_crs)
    tile = "T" + products[0].tile
    s1 = s1_images(s1_folder, products[0].tile, start, end)
    rain, cells = read_rain(rain_source, start, end, grid)
    classes = np.array([-1 if v is None else label_value(v) for v in labels.values], "int8")
    if crops is not None and len(crops) != classes.size:
        raise InputError("{n} crops given for {m} parcels: give the crop of every parcel.",
                         n=len(crops), m=classes.size)
    labels = to_crs(labels, grid.crs)          # once for the two passes below
    series = ParcelSeries(labels, products, s1, grid)
    series.accumulate(progress.sub(0, 60), workers)
    check_overlap(series.pixels, labels, grid, "labelled parcels")
    pixels, n_orbits = series.pixels, len(series.s1_days)
    # its sums (~1.2 KB per parcel) become the features' means, dropped once used
    table = parcel_features(series, rain, parcel_cells(cells, grid, series), start, end,
                            params.step_days, crops)
    del series
    seen = (pixels > 0) & np.isfinite(table.x).all(axis=1)
    usable = trainable(classes, seen, pixels, table, dict(
        s2=s2_folder, s1=s1_folder, start=start, end=end))
    validation = split_polygons(classes, usable, params.validation_share, params.seed)
    progress.info(f"{len(products)} Sentinel-2 and {n_orbits} Sentinel-1 orbits of "
                  f"{tile}, {len(table.names)} features, {int(usable.sum())} labelled parcels "
                  f"with data")
    train = capped(usable & ~validation, MAX_TRAINING, params.seed)
    if train.sum() < (usable & ~validation).sum():
        progress.info(f"Trained on a seeded sample of {int(train.sum())} of the "
                      f"{int((usable & ~validation).sum())} training parcels (memory bound)")
    name, model, scores = choose_model(table, classes, train, usable & validation, params,
                                       workers)
    prob = np.full(classes.size, np.nan)
    at = np.flatnonzero(seen)
    for c in range(0, at.size, CHUNK_PARCELS):   # no copy of the whole table
        prob[at[c:c + CHUNK_PARCELS]] = model.proba(table.x[at[c:c + CHUNK_PARCELS]])
    paths = _paths(out_folder, outputs, tile, start, end)
    out_folder.mkdir(parents=True, exist_ok=True)
    tags = dict(product="irrigation", method="Pageot et al. 2020, per parcel",
                model=name, period=f"{start}/{end}", parameters=json.dumps(params.__dict__))
    write_maps(labels, prob, grid, paths, tags, progress.sub(60, 99), workers, written)
    report = report_path(paths["OUTPUT"])
    report.write_text(_report(scores, name, classes, usable, validation, seen, tile, start, end,
                              crops, train), encoding="utf-8")
    written.append(report)
    progress.percent(100)
    return dict({k: str(paths[k]) if k in paths else None for k in KEYS},
                OUTPUT_REPORT=str(report), scores=scores,
                model=name, validation_parcels=np.flatnonzero(usable & validation),
                probability=prob, grid=grid, tile=tile, start=start, end=end,
                feature_names=table.names, table=table, classes=classes)


def trainable(classes, seen, pixels, table, inputs):
    """The labelled parcels the models learn from (`seen`: every feature
    known); raises when they lack a class. A class missing for want of
    data is said so (see _no_data): it must not read as an area all
    irrigated or all rainfed."""
    labelled = (classes >= 0) & (pixels > 0)
    usable = labelled & seen
    kinds = np.unique(classes[usable])
    if kinds.size == 2:
        return usable
    if not labelled.any():
        raise InputError("None of the {n} labelled parcels lies over the processing area: "
                         "extend the area or label parcels inside it.",
                         n=int((classes >= 0).sum()))
    blind = labelled & ~seen & ~np.isin(classes, kinds)    # of the class with no usable parcel
    if not blind.any():
        raise InputError(ONE_KIND[kinds[0]])
    raise _no_data(table, blind, kinds, inputs)


# Whole sentences per class, so that translations never hold an English word
ONE_KIND = {
    0: N_("The labelled parcels over the area are all rainfed: irrigated parcels are needed "
          "too to train."),
    1: N_("The labelled parcels over the area are all irrigated: rainfed parcels are needed "
          "too to train."),
}
ONLY_KIND = {   # (class with observations, the empty source known?)
    (0, True): N_("Only rainfed labelled parcels have usable observations: {source} has none "
                  "over the {n} irrigated ones from {start} to {end}; give images covering "
                  "them with clear dates, or label more parcels."),
    (1, True): N_("Only irrigated labelled parcels have usable observations: {source} has none "
                  "over the {n} rainfed ones from {start} to {end}; give images covering them "
                  "with clear dates, or label more parcels."),
    (0, False): N_("Only rainfed labelled parcels have usable observations: none of the {n} "
                   "irrigated ones has both a clear Sentinel-2 date and valid Sentinel-1 "
                   "backscatter from {start} to {end}; give images covering them with clear "
                   "dates, or label more parcels."),
    (1, False): N_("Only irrigated labelled parcels have usable observations: none of the {n} "
                   "rainfed ones has both a clear Sentinel-2 date and valid Sentinel-1 "
                   "backscatter from {start} to {end}; give images covering them with clear "
                   "dates, or label more parcels."),
}
# No labelled parcel with usable observations, by the source empty over them
NO_DATA = {
    "S2": N_("The Sentinel-2 products of {s2} are cloudy or nodata over all {n} labelled "
             "parcels on every date from {start} to {end}: give products with clear views of "
             "the parcels (another period or tile)."),
    "S1": N_("The Sentinel-1 files of {s1} hold no valid backscatter over any of the {n} "
             "labelled parcels from {start} to {end} (nodata there, or images of another "
             "place): give S1Tiling files covering the parcels."),
    None: N_("None of the {n} labelled parcels has both a clear Sentinel-2 date ({s2}) and "
             "valid Sentinel-1 backscatter ({s1}) from {start} to {end}: give images covering "
             "the parcels with clear dates."),
}


def _no_data(table, blind, kinds, inputs):
    """The error when the `blind` labelled parcels (those of the classes
    not in `kinds`) lack features, naming the source empty over them;
    inputs: the S2 and S1 folders and the period."""
    source = _blind_source(table, blind)
    if not kinds.size:
        return InputError(NO_DATA[source], n=int(blind.sum()), **inputs)
    names = dict(S2="Sentinel-2", S1="Sentinel-1")
    fields = dict(source=names[source]) if source in names else {}
    return InputError(ONLY_KIND[int(kinds[0]), source in names], n=int(blind.sum()),
                      start=inputs["start"], end=inputs["end"], **fields)


def _blind_source(table, parcels):
    """"S2" or "S1" when that source's features are unknown at every one of
    `parcels`, else None; column by column (no copy of the table)."""
    for source in ("S2", "S1"):
        known = parcels.copy()
        for j in np.flatnonzero(table.source == source):
            known &= np.isfinite(table.x[:, j])
        if not known.any():
            return source
    return None


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
    """{orbit: {polarisation: images}} of the period."""
    if not folder:
        raise InputError("The method needs Sentinel-1: give the folder of S1Tiling VV and VH "
                         "files of the tile.")
    orbits = select_images(folder, start, end, both_directions=False)
    first = next(iter(orbits.values()))["vv"][0]
    if first.tile != tile:
        raise InputError("The Sentinel-1 files of {folder} are of tile {s1_tile}, the "
                         "Sentinel-2 products of tile {s2_tile}.", folder=folder,
                         s1_tile=first.tile, s2_tile=tile)
    return orbits


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


def _sums(inv, n, values):
    """(k, n) sums of (k, pixels) `values` over the pixels of each of the n
    parcels (inv: the pixel's parcel, 0 to n - 1)."""
    k = values.shape[0]
    idx = (inv[None, :] + n * np.arange(k)[:, None]).ravel()
    return np.bincount(idx, values.ravel(), k * n).reshape(k, n)


def _by_day(images, days):
    """(index in `days`, that day's images) of every day the images have: a
    block reads one date at a time, so its memory does not grow with dates."""
    for day in sorted({i.acquired for i in images}):
        yield days.index(day), [i for i in images if i.acquired == day]


class ParcelSeries:
    """Sums over the pixels of every parcel, read block by block: pixel
    count and centre, clear pixels and Sentinel-2 indices per date, valid
    pixels and Sentinel-1 power per orbit, polarisation and date."""

    def __init__(self, labels, products, s1, grid):
        self.labels, self.products, self.s1, self.grid = labels, products, s1, grid
        self.dates = [p.acquired.date() for p in products]
        self.s1_days = {o: sorted({i.acquired for i in pols["vv"] + pols["vh"]})
                        for o, pols in s1.items()}
        n, t = len(labels.values), len(products)
        self.pixels, self.rows, self.cols = np.zeros(n), np.zeros(n), np.zeros(n)
        # sums in float64 (the features as before, bit for bit), counts in int32;
        # one array per index, so that each goes when its features are made
        self.s2 = [np.zeros((t, n)) for _ in S2_INDICES]
        self.s2_n = np.zeros((t, n), "int32")
        self.s1_sum = {o: np.zeros((2, len(d), n)) for o, d in self.s1_days.items()}
        self.s1_n = {o: np.zeros((2, len(d), n), "int32") for o, d in self.s1_days.items()}

    def accumulate(self, progress, workers):
        # a block reads one date at a time (~150 bytes per pixel whatever the
        # dates, traced; the whole stack took ~38 per pixel-date): full blocks
        run_blocks(windows(self.grid.width, self.grid.height, DEFAULT_BLOCK), self._compute,
                   self._consume, progress, workers)

    def _compute(self, w):
        sub = self.grid.window_grid(w)
        ids = next(polygon_strips(self.labels, sub, rows=sub.height))[1].ravel()
        inside = np.flatnonzero(ids)
        if not inside.size:
            return None
        local, inv = np.unique(ids[inside] - 1, return_inverse=True)
        n = local.size
        rows, cols = np.divmod(inside, sub.width)
        out = dict(local=local, pixels=np.bincount(inv, minlength=n),
                   rows=_sums(inv, n, (rows + w.row_off + 0.5)[None])[0],
                   cols=_sums(inv, n, (cols + w.col_off + 0.5)[None])[0],
                   s2=np.zeros((len(S2_INDICES), len(self.dates), n)),
                   s2_n=np.zeros((len(self.dates), n), self.s2_n.dtype))
        for t, p in enumerate(self.products):
            b = {name: read_reflectance(p, name, sub).ravel()[inside] for name in BANDS}
            ix = np.stack([normalized_difference(b["B8"], b["B4"]),
                           normalized_difference(b["B8A"], b["B5"]),
                           normalized_difference(b["B8"], b["B11"])])      # Gao's NDWI
            ok = clear_mask(p, sub).ravel()[inside] & np.isfinite(ix).all(axis=0)
            out["s2"][:, t] = _sums(inv, n, np.where(ok, ix, 0.0))
            out["s2_n"][t] = np.bincount(inv[ok], minlength=n)
        for orbit, pols in self.s1.items():
            days = self.s1_days[orbit]
            s, c = np.zeros((2, len(days), n)), np.zeros((2, len(days), n), "int32")
            for j, pol in enumerate(("vv", "vh")):
                for k, images in _by_day(pols[pol], days):
                    flat = read_stack(images, sub)[1].ravel()[inside]
                    ok = np.isfinite(flat) & (flat > 0)
                    s[j, k] = np.bincount(inv, np.where(ok, flat, 0.0), n)
                    c[j, k] = np.bincount(inv[ok], minlength=n)
            out[orbit] = s, c
        return out

    def _consume(self, w, res):
        if res is None:
            return
        at = res["local"]
        for name in ("pixels", "rows", "cols"):
            getattr(self, name)[at] += res[name]
        for total, part in zip(self.s2, res["s2"]):
            total[:, at] += part
        self.s2_n[:, at] += res["s2_n"]
        for orbit in self.s1:
            self.s1_sum[orbit][..., at] += res[orbit][0]
            self.s1_n[orbit][..., at] += res[orbit][1]

    def s2_means(self):
        """[(dates, parcels) mean of each index, NaN where not seen] and
        (dates, parcels) seen. The means are made in place of the sums, which
        the series then drops with their counts (a tile's sums and means are
        not held at once): they can be read once."""
        seen = self.s2_n >= np.maximum(CLEAR_SHARE * self.pixels, 1)
        n = np.maximum(self.s2_n, 1)
        means, self.s2, self.s2_n = self.s2, None, None
        return [_mean_in_place(s, n, seen) for s in means], seen

    def s1_power(self, orbit):
        """(2, dates, parcels) mean VV and VH power, NaN where not seen, made
        in place of the orbit's sums, which go (see s2_means)."""
        n = self.s1_n.pop(orbit)
        seen = n >= np.maximum(CLEAR_SHARE * self.pixels, 1)
        return _mean_in_place(self.s1_sum.pop(orbit), np.maximum(n, 1), seen)


def _mean_in_place(sums, n, seen):
    """np.where(seen, sums / n, NaN), written into `sums`."""
    np.divide(sums, n, out=sums)
    sums[~seen] = np.nan
    return sums


def parcel_cells(cells, grid, series):
    """The rain cell of every parcel's centre (-1: no rain known there; all 0
    for a table: one series for the whole area)."""
    n = series.pixels.size
    if cells is None:
        return np.zeros(n, "int64")
    with np.errstate(invalid="ignore"):
        col, row = series.cols / series.pixels, series.rows / series.pixels
    seen = series.pixels > 0
    out = np.full(n, -1, "int64")
    if seen.any():
        xs, ys = transform_points(grid.crs, cells.crs, grid.x0 + col[seen] * grid.res,
                                  grid.y0 - row[seen] * grid.res)
        c, r = ~cells.transform * (np.asarray(xs), np.asarray(ys))
        c, r = np.floor(c).astype("int64"), np.floor(r).astype("int64")
        inside = (c >= 0) & (c < cells.width) & (r >= 0) & (r < cells.height)
        ids = np.where(inside, r * cells.width + c, -1)
        ids[inside] = np.where(cells.valid[ids[inside]], ids[inside], -1)
        out[seen] = ids
    return out


def _paths(out_folder, outputs, tile, start, end):
    span = f"{start:%Y%m%d}_{end:%Y%m%d}"
    return output_paths(outputs, KEYS, lambda k: out_folder /
                        f"IRRIGATION-{IRRIGATION.output(k).name}_{tile}_{span}.tif")


def km_grid(grid):
    """The 1 km grid over `grid`, from its upper-left corner."""
    n = int(round(CELL_M / grid.res))
    return Grid(grid.crs, grid.x0, grid.y0, CELL_M, -(-grid.width // n), -(-grid.height // n)), n


def write_maps(labels, prob, grid, paths, tags, progress, workers, written):
    """Every parcel painted with its decision (irrigated above a probability
    of 0.5) and probability; 255 outside the parcels
    and on parcels without enough data; the irrigated share per km². Only
    the maps of `paths` are written."""
    known = np.isfinite(prob)
    decision = np.full(prob.size + 1, 255, "uint8")
    decision[1:][known] = prob[known] > 0.5        # as the models' predict (ties: rainfed)
    percent = np.full(prob.size + 1, 255, "uint8")
    percent[1:][known] = np.round(100 * prob[known])
    coarse, n = km_grid(grid)
    irrigated_px = np.zeros((coarse.height, coarse.width))
    mapped_px = np.zeros_like(irrigated_px)
    with ExitStack() as stack:
        outs = {}
        for k in [k for k in ("OUTPUT", "OUTPUT_PROBABILITY") if k in paths]:
            spec = IRRIGATION.output(k)
            written.append(paths[k])
            outs[k] = stack.enter_context(CogWriter(paths[k], grid, spec.dtype, spec.nodata, tags,
                                                    resampling=spec.resampling,
                                                    description=spec.title))

        def compute(w):
            ids = next(polygon_strips(labels, grid.window_grid(w), rows=int(w.height)))[1]
            return decision[ids], percent[ids]

        def consume(w, res):
            for k, arr in zip(("OUTPUT", "OUTPUT_PROBABILITY"), res):
                if k in outs:
                    outs[k].write(w, arr)
            if "OUTPUT_GRID" not in paths:
                return
            for counts, hit in ((irrigated_px, res[0] == 1), (mapped_px, res[0] != 255)):
                rows, cols = np.nonzero(hit)
                np.add.at(counts, ((rows + w.row_off) // n, (cols + w.col_off) // n), 1)
        run_blocks(windows(grid.width, grid.height, DEFAULT_BLOCK), compute, consume, progress,
                   workers)
    if "OUTPUT_GRID" in paths:
        _write_grid(irrigated_px, mapped_px, grid, coarse, n, paths["OUTPUT_GRID"], tags,
                    written)
    for k in paths:
        write_sidecar(paths[k], IRRIGATION.output(k))


def _write_grid(irrigated_px, mapped_px, grid, coarse, n, path, tags, written):
    """The irrigated share of each square kilometre (cells cut by the area
    edge: of their part inside)."""
    inside = np.outer(np.bincount(np.arange(grid.height) // n, minlength=coarse.height),
                      np.bincount(np.arange(grid.width) // n, minlength=coarse.width))
    share = np.where(mapped_px > 0, np.round(100 * irrigated_px / inside), 255).astype("uint8")
    spec = IRRIGATION.output("OUTPUT_GRID")
    written.append(path)
    with CogWriter(path, coarse, "uint8", spec.nodata, tags,
                   resampling=spec.resampling, description=spec.title) as out:
        out.write(Window(0, 0, coarse.width, coarse.height), share)


def _report(scores, chosen, classes, usable, validation, seen, tile, start, end, crops, train):
    others = int((usable & ~validation).sum())
    lines = [f"Tile {tile}, period {start} to {end}",
             f"Parcels mapped: {int(seen.sum())} of {classes.size}"
             + (" (the others lack clear images)" if not seen.all() else "")
             + f"; labelled and mapped: {int(usable.sum())}, of which held out for "
             f"validation: {int((usable & validation).sum())}"
             + (f"; trained on a random sample (seeded) of {int(train.sum())} of the other "
                f"{others}" if train.sum() < others else ""),
             (f"Declared crops: {len(set(map(str, crops)))}; every feature also read against "
              "the parcels of the same crop, wetting events not explained by rain counted"
              if crops is not None else "No declared crop given: parcels compared with all "
              "parcels around them"),
             "", f"Models compared (same parcels; OA of {CV_REPEATS} repeated {CV_FOLDS}-fold "
             "cross-validations on the training parcels with its standard error, then on the "
             "held-out parcels):",
             f"{'features':<28} {'n':>4} {'CV OA':>7} {'SE':>6} {'OA':>7} {'F1 irrigated':>13} "
             f"{'kappa':>7}"]
    for name, s in scores.items():
        lines.append(f"{name:<28} {s['features']:>4} {100 * s['cv_oa']:>6.2f}% "
                     f"{100 * s['cv_se']:>5.2f}% {100 * s['oa']:>6.2f}% "
                     f"{s['f1_irrigated']:>13.3f} {s['kappa']:>7.3f}")
    lines.append(f"The maps are made with the model {chosen} (the fusion of all sources "
                 "unless another cross-validates better by more than its standard error).")
    text, _ = classification_report_text(
        f"Irrigated crops ({chosen}): validation on held-out parcels", scores[chosen]["cm"],
        (0, 1), {0: "rainfed", 1: "irrigated"},
        {c: (int((train & (classes == c)).sum()),
             int((usable & validation & (classes == c)).sum())) for c in (0, 1)}, header=lines)
    return text.replace("Validation pixels", "Validation parcels").replace("valid. px",
                                                                         "val. parc")
