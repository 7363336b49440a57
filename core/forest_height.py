"""Forest canopy height and above-ground biomass on one tile (after Morin et
al. 2019, 2023): Sentinel-2 seasonal composites (and optionally Sentinel-1
VV/VH statistics and a DEM) as predictors, reference heights from GEDI footprints or a point layer, a
Random Forest regression validated on spatially held-out footprints, and
biomass from height through an allometric relation per forest type."""
import json
import shutil
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import rasterio

from .blocks import Progress, cache_rows, release_freed_memory, run_blocks, windows
from .catalog import FOREST_HEIGHT, N_
from .cog import CogWriter, output_paths
from .dem import warp_dem
from .errors import InputError
from .forest_cuts import forest_on_grid
from .masks import on_grid_by_strips
from .gedi import GEOLOCATION_ERROR, GediFilters, Reference, read_gedi, reference_points, subset
from .height_predictors import BANDS, CORE_BANDS, S1_LAYERS, Predictors
from .inputs import processing_grid, select_products
from .qml import write_sidecar
from .sentinel1 import select_images
from .training import regression_report_text, regression_scores, report_path

NODATA = -9999.0
RES = 10.0                # the published product's grid (m); 20 m bands are repeated
FOOTPRINT_RADIUS = 12.5  # m: GEDI's ~25 m footprint
# A shot's lowest mode should lie on the ground: one far above the DEM found
# the canopy, not the ground (dense canopy, Pourrahmati et al. 2023), and
# reads too low. GEDI elevations are ellipsoidal and DEMs are not (~50 m apart
# in France), so the median offset is removed first and shots farther than
# GROUND_MADS robust standard deviations (1.4826 MAD) from it are dropped:
# Hampel's outlier rule (3 is its usual constant), no threshold in metres.
# On a slope a shot's true position lies off its reported one by the
# geolocation error (gedi.GEOLOCATION_ERROR, by product version), so its
# ground differs from the DEM's there by that error x tan(slope) (~6 m for
# 10 m on 30 degrees) whatever the waveform: the tolerance is widened per
# shot, in quadrature, by GEOLOCATION_SIGMAS x error x tan(slope), 1.96 ~ 2
# standard deviations holding 95 % of a normal error along the slope.
# Without it the check drops mostly mountain shots (a spatial bias).
GROUND_MADS = 3.0
GEOLOCATION_SIGMAS = 2.0
MIN_GROUND_SHOTS = 20     # fewer shots with a ground elevation: no check
OUTLIER_MADS = 3.0        # Hampel's constant for the model's residuals (see fit)
PREDICT_PIXELS = 65536    # pixels per Random Forest call (a 14 MB predictor table)
# Footprints drawn for training and validation, evenly over the 1 km squares: a
# tile holds 10^5-10^6 quality shots and a fully grown forest grows with its
# training set (measured: 0.35 node of ~72 bytes per footprint and tree, 2.5 kB
# per footprint for 100 trees).
MAX_FOOTPRINTS = 20000     # stated in the catalog method text
KEYS = ("OUTPUT", "OUTPUT_UNCERTAINTY", "OUTPUT_AGB", "OUTPUT_AGB_UNCERTAINTY")
MIN_REFERENCES = 20       # in two squares at least: some to train, others to validate


@dataclass
class HeightParams:
    n_trees: int = 100
    min_samples_leaf: int = 3
    n_seasons: int = 4           # equal parts of the period, one median composite each
    validation_share: float = 0.3
    block_m: float = 1000.0      # footprints are held out by squares of this side
    seed: int = 0
    # AGB (t/ha) = a * H^b. [INFERRED] defaults: 10 m -> ~48 t/ha, 30 m -> ~277 t/ha
    # for broadleaved stands, ~15 % less for conifers (lower wood density); typical
    # of French inventory stands, not the published national equations.
    agb_a: float = 1.2
    agb_b: float = 1.6
    agb_a_conifer: float = 0.9
    agb_b_conifer: float = 1.65
    conifer_classes: tuple = (17.0,)


def run_forest_height(s2_folder, out_folder, gedi=None, points=None, forest=None, dem=None,
                      s1_folder=None, outputs=None, start=None, end=None, bounds=None,
                      bounds_crs=None, params=None, progress=None, workers=None):
    """Runs the product; returns dict of output paths, scores and facts.
    gedi: a GEDI L2A granule or folder; points: (x, y, height, crs, name);
    forest: a forest_cuts.ForestSource or None (every pixel mapped);
    s1_folder: optional S1Tiling VV and VH files of the same tile."""
    progress = progress or Progress()
    params = params or HeightParams()
    out_folder = Path(out_folder)
    work = out_folder / ".chainon-work-height"
    written = []
    try:
        return _run(Path(s2_folder), out_folder, gedi, points, forest, dem, s1_folder,
                    dict(outputs or {}), start, end, bounds, bounds_crs, params, progress,
                    workers, work, written)
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
            Path(str(path)[:-4] + ".qml").unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(s2_folder, out_folder, gedi, points, forest, dem, s1_folder, outputs, start, end,
         bounds, bounds_crs, params, progress, workers, work, written):
    if gedi is None and points is None:
        raise InputError("Give reference heights: GEDI L2A granules or a point layer with a "
                         "height field.")
    products, start, end = select_products(s2_folder, start, end, CORE_BANDS, timedelta(0))
    grid = processing_grid(products[0], bounds, bounds_crs, res=RES)
    tile = "T" + products[0].tile
    if gedi is not None:
        ref = read_gedi(gedi, grid, warn=progress.info)
    else:
        ref = reference_points(*points[:4], grid, points[4])
    mask = forest_on_grid(forest, grid) if forest is not None else None
    conifer = _conifer(forest, grid, params)
    work.mkdir(parents=True, exist_ok=True)
    out_folder.mkdir(parents=True, exist_ok=True)
    dem_file = None
    if dem:
        dem_file = work / "dem.tif"
        warp_dem(dem, grid, dem_file, progress.sub(0, 2))
    s1 = _s1_images(s1_folder, products[0].tile, start, end) if s1_folder else None
    if dem_file and ref.source == "GEDI":
        tan = footprint_slope(ref, dem_file)
        ref, tan = ground_checked(ref, dem_file, tan, progress.info)
        ref = slope_corrected(ref, tan)
    predictors = Predictors(products, grid, start, end, params.n_seasons, dem_file, s1)
    missing = [b for b in BANDS if b not in predictors.bands]
    if missing:
        progress.info(f"Not every product has {', '.join(missing)}: the predictors use "
                      f"{', '.join(predictors.bands)}.")
    progress.info(f"{len(products)} acquisitions of {tile}, {len(predictors.names)} "
                  f"predictors, {ref.height.size} {ref.source} reference heights, grid "
                  f"{grid.width} x {grid.height} px at {grid.res:g} m")
    samples = sample_references(ref, grid, mask, predictors, params, progress.sub(2, 30),
                                workers)
    rf = fit(samples, params, workers)
    val = samples["validation"]
    h_pred, _ = tree_spread(rf, samples["x"][val])
    a, b = allometry(params, None if conifer is None
                     else conifer.at(samples["rows"][val], samples["cols"][val]))
    scores = dict(height=regression_scores(samples["height"][val], h_pred),
                  agb=regression_scores(a * samples["height"][val] ** b, a * h_pred ** b))
    paths = _paths(out_folder, outputs, tile, start, end)
    tags = dict(product="forest_height", method="Morin et al. 2019/2023",
                parameters=json.dumps(params.__dict__),
                period=f"{start}/{end}", reference=ref.source)
    release_freed_memory()   # the fit's threads kept 43-105 MB, else held through the maps
    write_maps(rf, predictors, grid, mask, conifer, params, paths, tags,
               progress.sub(30, 99), workers, written)
    report = report_path(paths["OUTPUT"])
    report.write_text(_report(scores, samples, h_pred, ref, predictors, params, start, end,
                              tile, rf.chainon_outliers, rf.chainon_tallest), encoding="utf-8")
    written.append(report)
    progress.percent(100)
    rows, cols = samples["rows"][val], samples["cols"][val]
    return dict({k: paths.get(k) and str(paths[k]) for k in KEYS}, OUTPUT_REPORT=str(report), scores=scores,
                grid=grid, tile=tile, start=start, end=end, validation=(rows, cols),
                n_train=int((~val).sum()), n_validation=int(val.sum()),
                feature_names=predictors.names)


def _paths(out_folder, outputs, tile, start, end):
    span = f"{start:%Y%m%d}_{end:%Y%m%d}"
    return output_paths(outputs, KEYS, lambda k: out_folder / (
        f"FOREST-{FOREST_HEIGHT.output(k).name}_{tile}_{span}.tif"))


def _dem_at(ds, x, y):
    v = np.array([p[0] for p in ds.sample(zip(x, y))], "float64")
    return np.where(v == ds.nodata, np.nan, v) if ds.nodata is not None else v


def ground_checked(ref, dem_file, tan, info=None):
    """The GEDI shots whose lowest mode lies on the DEM's ground (see
    GROUND_MADS), and their `tan` (footprint_slope); shots without a ground
    elevation or DEM value are kept."""
    if ref.ground is None:
        return ref, tan
    with rasterio.open(dem_file) as ds:
        dz = ref.ground - _dem_at(ds, ref.x, ref.y)
    known = np.isfinite(dz)
    if known.sum() < MIN_GROUND_SHOTS:
        return ref, tan
    offset = np.median(dz[known])
    base = GROUND_MADS * max(1.4826 * np.median(np.abs(dz[known] - offset)), 0.1)
    geo_err = GEOLOCATION_ERROR["002"] if ref.geo_err is None else ref.geo_err
    tolerance = np.hypot(base, GEOLOCATION_SIGMAS * geo_err * tan)
    far = known & (np.abs(dz - offset) > tolerance)
    if far.any() and info:
        info(f"{int(far.sum())} of {dz.size} GEDI shots dropped: their ground (lowest mode) "
             f"lies more than {base:.1f} m from the DEM's (after the median offset of "
             f"{offset:+.1f} m; more on slopes, by twice the geolocation error x the slope), "
             f"so the waveform missed the ground.")
    return subset(ref, ~far), tan[~far]


def footprint_slope(ref, dem_file, radius=FOOTPRINT_RADIUS):
    """tan(slope) of the DEM over each shot's footprint (0 where unknown)."""
    with rasterio.open(dem_file) as ds:
        step = ds.res[0] * max(1, round(radius / ds.res[0]))   # whole pixels apart
        def z(dx, dy):
            return _dem_at(ds, ref.x + dx, ref.y + dy)
        gx = (z(step, 0) - z(-step, 0)) / (2 * step)
        gy = (z(0, step) - z(0, -step)) / (2 * step)
    return np.nan_to_num(np.hypot(gx, gy))


def slope_corrected(ref, tan, radius=FOOTPRINT_RADIUS):
    """GEDI heights less the terrain relief a footprint sees on a slope.

    The ground return is the footprint's mean terrain, so on a slope the
    waveform's top stands up to radius x tan(slope) higher than the canopy
    (Lefsky et al. 2005 for GLAS; Wang et al. 2019 and Adam et al. 2020 for
    GEDI): subtracted, with `tan` from footprint_slope."""
    return Reference(ref.x, ref.y, np.maximum(ref.height - radius * tan, 0), ref.source,
                     ref.ground, ref.geo_err)


def _conifer(forest, grid, params):
    """Conifer pixels (a masks.PackedMask) from the land cover's conifer
    classes, or None."""
    if forest is None or not forest.land_cover:
        return None
    wanted = np.array(params.conifer_classes, "float64")
    return on_grid_by_strips(forest.land_cover, grid, lambda v: np.isin(v, wanted))[0]


def _s1_images(folder, tile, start, end):
    """{polarisation: images} of every orbit of the period (the statistics pool
    the orbits), for the S2 tile."""
    orbits = select_images(folder, start, end, both_directions=False)
    first = next(iter(orbits.values()))["vv"][0]
    if first.tile != tile:
        raise InputError("The Sentinel-1 files of {folder} are of tile {s1_tile}, the "
                         "Sentinel-2 products of tile {s2_tile}.", folder=folder,
                         s1_tile=first.tile, s2_tile=tile)
    return {p: [i for o in orbits.values() for i in o[p]] for p in ("vv", "vh")}


def allometry(params, conifer):
    """(a, b) of AGB = a * H^b, per pixel when the forest type is known."""
    if conifer is None:
        return params.agb_a, params.agb_b
    return (np.where(conifer, params.agb_a_conifer, params.agb_a),
            np.where(conifer, params.agb_b_conifer, params.agb_b))


# --- training -----------------------------------------------------------------------
def sample_references(ref, grid, mask, predictors, params, progress, workers):
    """Predictors at the reference pixels (inside the forest; at most
    MAX_FOOTPRINTS of them, see _draw), and the spatial split: squares of
    block_m metres go wholly to training or to validation."""
    rows = ((grid.y0 - ref.y) // grid.res).astype(int)
    cols = ((ref.x - grid.x0) // grid.res).astype(int)
    keep = np.ones(rows.size, bool) if mask is None else mask.at(rows, cols)
    if not keep.any():
        raise InputError("None of the {n} reference heights over the area falls in the "
                         "forest mask.", n=int(rows.size))
    rows, cols, height = rows[keep], cols[keep], ref.height[keep]
    n_inside = rows.size
    pick = _draw(rows, cols, grid.res, params)
    rows, cols, height = rows[pick], cols[pick], height[pick]
    x = np.full((rows.size, len(predictors.names)), np.nan, "float32")

    def at(w):
        return np.flatnonzero((rows >= w.row_off) & (rows < w.row_off + w.height)
                              & (cols >= w.col_off) & (cols < w.col_off + w.width))
    todo = [w for w in windows(grid.width, grid.height, predictors.block) if at(w).size]

    def compute(w):
        k = at(w)
        return predictors.read(w, (rows[k] - w.row_off, cols[k] - w.col_off))

    def consume(w, feats):
        k = at(w)
        x[k] = feats[:, rows[k] - w.row_off, cols[k] - w.col_off].T
    run_blocks(todo, compute, consume, progress, workers)
    ok = np.isfinite(x).all(axis=1)
    if _enough(rows, cols, grid.res, params) and not _enough(rows[ok], cols[ok], grid.res,
                                                             params):
        _predictors_missing(x, predictors)
    rows, cols, height, x = rows[ok], cols[ok], height[ok], x[ok]
    validation = _spatial_split(rows, cols, grid.res, params)
    return dict(x=x, height=height, rows=rows, cols=cols, validation=validation,
                n_inside=n_inside)


def _squares(rows, cols, res, params):
    """Id of the square of block_m metres of every footprint."""
    k = max(1, int(round(params.block_m / res)))
    return (rows // k) * 100003 + cols // k


def _draw(rows, cols, res, params):
    """Sorted indices of at most MAX_FOOTPRINTS footprints, taken in turns from
    every square (the first of each square, then the second...; seeded random
    order within a square and among squares at the last turn): dense squares
    are thinned, sparse ones kept whole, so the draw stays spread out."""
    if rows.size <= MAX_FOOTPRINTS:
        return np.arange(rows.size)
    square = _squares(rows, cols, res, params)
    key = np.random.default_rng(params.seed).random(rows.size)
    order = np.lexsort((key, square))
    rank = np.empty(rows.size, "int64")
    rank[order] = np.arange(rows.size) - np.searchsorted(square[order], square[order])
    return np.sort(np.lexsort((key, rank))[:MAX_FOOTPRINTS])


def _enough(rows, cols, res, params):
    """Enough reference heights to train and validate (see _spatial_split)."""
    return (rows.size >= MIN_REFERENCES
            and np.unique(_squares(rows, cols, res, params)).size >= 2)


# Too few reference heights left once those without every predictor go, by
# the source missing at the most of them
PREDICTORS_MISSING = {
    "S2": N_("Sentinel-2 is cloudy or nodata on every date of the period at {n} of the {m} "
             "reference heights, leaving too few to train and validate: give Sentinel-2 "
             "products with clear views of them (another period or tile)."),
    "S1": N_("Sentinel-1 holds no valid backscatter at {n} of the {m} reference heights "
             "(nodata there, or images of another place), leaving too few to train and "
             "validate: give S1Tiling files covering them, or no Sentinel-1 folder."),
    "DEM": N_("The DEM has no value at {n} of the {m} reference heights, leaving too few to "
              "train and validate: give a DEM covering them, or none."),
}


def _predictors_missing(x, predictors):
    """Raises naming the predictor source unknown at the most reference
    heights (x: their predictors): the heights are there, their
    predictors are not."""
    source = np.array([predictor_source(n) for n in predictors.names])
    missing = {s: int((~np.isfinite(x[:, source == s]).all(axis=1)).sum())
               for s in PREDICTORS_MISSING if (source == s).any()}
    worst = max(missing, key=missing.get)
    raise InputError(PREDICTORS_MISSING[worst], n=missing[worst], m=len(x))


def predictor_source(name):
    """"S2", "S1" or "DEM": where a predictor (Predictors.names) comes from."""
    layer = name.rsplit("_w", 1)[0]
    return "DEM" if layer == "DEM" else "S1" if layer in S1_LAYERS else "S2"


def _spatial_split(rows, cols, res, params):
    block = _squares(rows, cols, res, params)
    ids = np.unique(block)
    if not _enough(rows, cols, res, params):
        raise InputError("Too few reference heights to train and validate: {n} footprints in "
                         "{blocks} squares of {size:g} m inside the forest (at least {need} in two "
                         "squares needed). Give more GEDI granules or a larger extent.",
                         n=int(rows.size), blocks=int(ids.size), size=params.block_m,
                         need=MIN_REFERENCES)
    rng = np.random.default_rng(params.seed)
    n_val = min(ids.size - 1, max(1, int(round(params.validation_share * ids.size))))
    return np.isin(block, rng.permutation(ids)[:n_val])


def fit(samples, params, workers=None):
    """Regression-enhanced Random Forest (Zhang, Nettleton & Zhu 2019,
    arXiv:1904.10416): a ridge regression on the standardised predictors
    (its penalty chosen by generalised cross-validation) carries the trend,
    and a Random Forest (a third of the predictors per split, Breiman's
    default for regression) learns what it leaves. A forest alone cannot
    predict beyond the heights it was trained on and flattens where the
    optical signal saturates: tall stands of squares it did not see came out
    ~9 m low on the worst independent seed, even with perfect labels
    (measured on the footprints of 5 seeds of both simulators, worst seed:
    4.84 -> 4.22 m independent; the trend alone 4.48 m). The bias correction
    of Zhang & Lu (2012, J. Appl. Stat. 39(1)), as in chainon:crop_yield,
    follows: the heights are regressed on the out-of-bag predictions
    (H = a + b p) and the line is applied to every prediction.

    GEDI heights have heavy tails (on the independent scenes the spread of
    shots' errors is twice its robust value: clouds, missed ground, a
    footprint off its stand): footprints whose out-of-bag residual lies more
    than OUTLIER_MADS robust standard deviations from the median (Hampel's
    rule, as the ground check) are dropped and the model fitted again."""
    train = ~samples["validation"]
    linear, rf, fitted, y, far = robust_fit(samples["x"][train], samples["height"][train],
                                            params, workers)
    rf.n_jobs = 1    # prediction runs in the block engine's threads
    slope, intercept = np.polyfit(fitted, y, 1)
    rf.chainon_correction = (intercept, slope)
    rf.chainon_linear = linear
    rf.chainon_outliers = int(far.sum())
    rf.chainon_tallest = float(y.max())      # of the footprints kept
    # the trend may run on beyond the trained heights, not beyond any canopy
    # the reference allows (gedi.GediFilters.max_height)
    rf.chainon_max = max(GediFilters().max_height, float(y.max()))
    return rf


def robust_fit(x, y, params, workers=None):
    """The ridge and the forest fitted once, then again without the footprints
    beyond OUTLIER_MADS (see fit): (linear, rf, out-of-bag fitted heights, the
    heights kept, the dropped footprints' mask)."""
    linear, rf = _fit_once(x, y, params, workers)
    fitted = linear.predict(x) + rf.oob_prediction_
    residual = y - fitted
    far = np.abs(residual - np.median(residual)) > OUTLIER_MADS * max(
        1.4826 * np.median(np.abs(residual - np.median(residual))), 0.1)
    if far.any():
        x, y = x[~far], y[~far]
        linear, rf = _fit_once(x, y, params, workers)
        fitted = linear.predict(x) + rf.oob_prediction_
    return linear, rf, fitted, y, far


def _fit_once(x, y, params, workers):
    from sklearn.ensemble import RandomForestRegressor  # heavy: not at QGIS start-up
    linear = Linear(x, y)
    rf = RandomForestRegressor(n_estimators=params.n_trees,
                               min_samples_leaf=params.min_samples_leaf,
                               max_features=1 / 3, oob_score=True, n_jobs=workers or -1,
                               random_state=params.seed)
    rf.fit(x, y - linear.predict(x))
    return linear, rf


RIDGE_ALPHAS = np.logspace(-2, 3, 11)   # penalties tried (standardised predictors)


class Linear:
    """A ridge regression on standardised predictors, its penalty chosen by
    efficient leave-one-out (generalised) cross-validation (sklearn's
    RidgeCV), kept as weights of the raw predictors: no standardised copy
    of a block's predictor table is made."""

    def __init__(self, x, y):
        from sklearn.linear_model import RidgeCV
        x = x.astype("float64")
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        ridge = RidgeCV(alphas=RIDGE_ALPHAS).fit((x - mean) / scale, y)
        self.weights = (ridge.coef_ / scale).astype("float32")
        self.intercept = ridge.intercept_ - float(np.sum(mean * ridge.coef_ / scale))

    def predict(self, x):
        return (x @ self.weights).astype("float64") + self.intercept


def tree_spread(rf, x):
    """Bias-corrected height (the ridge trend plus the mean of the trees) and
    the standard deviation of the trees' predictions (m)."""
    total = np.zeros(x.shape[0], "float64")
    squares = np.zeros(x.shape[0], "float64")
    for part in cache_rows(x):
        for tree in rf.estimators_:
            p = tree.predict(x[part])
            total[part] += p
            squares[part] += p * p
    mean = total / len(rf.estimators_)
    sd = np.sqrt(np.maximum(squares / len(rf.estimators_) - mean ** 2, 0))
    a, b = rf.chainon_correction
    height = np.clip(a + b * (rf.chainon_linear.predict(x) + mean), 0, rf.chainon_max)
    return height, abs(b) * sd


# --- maps ---------------------------------------------------------------------------
def predict(rf, feats, forest, conifer, params):
    """Height, its uncertainty, AGB and its uncertainty for one window, by
    strips of rows: the pixels' predictor table stays small."""
    n, h, w = feats.shape
    out = np.full((4, h, w), NODATA, "float32")
    step = max(1, PREDICT_PIXELS // w)
    for r in range(0, h, step):
        rows = slice(r, r + step)
        flat = feats[:, rows].reshape(n, -1).T
        ok = np.isfinite(flat).all(axis=1)
        if forest is not None:
            ok &= forest[rows].reshape(-1)
        if ok.any():
            height, sd = tree_spread(rf, flat[ok])
            a, b = allometry(params, None if conifer is None else conifer[rows].reshape(-1)[ok])
            agb = a * height ** b
            # first-order propagation through the allometry: dAGB = a b H^(b-1) dH
            strip = np.full((4, flat.shape[0]), NODATA, "float32")
            strip[:, ok] = (height, sd, agb, a * b * height ** (b - 1) * sd)
            out[:, rows] = strip.reshape(4, -1, w)
    return out


def write_maps(rf, predictors, grid, mask, conifer, params, paths, tags, progress, workers,
               written):
    def part(a, w):                   # a: a masks.PackedMask or None
        return None if a is None else a.window(w)

    with ExitStack() as stack:
        outs = {}                     # position in predict's answer: writer
        for i, k in enumerate(KEYS):
            if k not in paths:        # not asked for
                continue
            spec = FOREST_HEIGHT.output(k)
            written.append(paths[k])
            outs[i] = stack.enter_context(CogWriter(
                paths[k], grid, "float32", NODATA, tags, resampling=spec.resampling,
                description=spec.title))

        def compute(w):
            return predict(rf, predictors.read(w), part(mask, w), part(conifer, w), params)

        def consume(w, res):
            for i, out in outs.items():
                out.write(w, res[i])
        run_blocks(windows(grid.width, grid.height, predictors.block), compute, consume, progress,
                   workers)
    for k in paths:
        write_sidecar(paths[k], FOREST_HEIGHT.output(k))


HEIGHT_CLASSES = (0, 10, 20, 30, np.inf)   # m, for the report's table


def height_classes(observed, predicted, tallest):
    """Report lines: the held-out footprints' error per reference height class.
    A forest regresses to the mean where its predictors saturate (tall stands
    read low, low ones high: on the simulated scenes even with perfect labels)
    and cannot reach heights it was not trained on: the table shows it."""
    lines = [f"Held-out footprints per reference height class (the tallest training "
             f"footprint: {tallest:.1f} m; {int((observed > tallest).sum())} "
             f"held-out footprints are taller):",
             f"{'class (m)':>10} {'n':>5} {'bias (m)':>9} {'RMSE (m)':>9}"]
    for lo, hi in zip(HEIGHT_CLASSES[:-1], HEIGHT_CLASSES[1:]):
        m = (observed >= lo) & (observed < hi)
        if m.any():
            e = predicted[m] - observed[m]
            name = f"{lo:g}-{hi:g}" if np.isfinite(hi) else f">= {lo:g}"
            lines.append(f"{name:>10} {int(m.sum()):>5} {e.mean():>+9.2f} "
                         f"{np.sqrt(np.mean(e ** 2)):>9.2f}")
    return lines


def _report(scores, samples, predicted, ref, predictors, params, start, end, tile, outliers,
            tallest):
    val = samples["validation"]
    header = (f"Tile {tile}, period {start} to {end}; reference: {ref.source}",
              f"Footprints inside the forest: {samples['n_inside']}, {val.size} used "
              f"({int((~val).sum())} training, "
              f"{int(val.sum())} validation, held out by squares of {params.block_m:g} m)",
              f"Model: ridge trend plus a Random Forest of {params.n_trees} trees on its "
              f"residuals; {outliers} training footprints dropped as outliers (out-of-bag "
              f"residual beyond {OUTLIER_MADS:g} robust standard deviations)",
              f"Predictors ({len(predictors.names)}): {', '.join(predictors.names)}",
              f"Biomass: AGB = {params.agb_a:g} * H^{params.agb_b:g} (broadleaved), "
              f"{params.agb_a_conifer:g} * H^{params.agb_b_conifer:g} (conifer classes "
              f"{', '.join(f'{c:g}' for c in params.conifer_classes)})")
    rows = [(f"{r},{c}", o, p) for r, c, o, p in zip(
        samples["rows"][val], samples["cols"][val], samples["height"][val], predicted)]
    s = scores["agb"]
    header += ("", "Above-ground biomass (reference heights through the same allometry): "
               f"RMSE {s['rmse']:.2f} t/ha, MAE {s['mae']:.2f} t/ha, bias {s['bias']:+.2f} "
               f"t/ha, R² {s['r2']:.3f}", "",
               *height_classes(samples["height"][val], predicted, tallest),
               "", "Canopy height (residual ids: row,col):")
    return regression_report_text("Forest height: validation on held-out footprints",
                                  scores["height"], rows, header, units="m")
