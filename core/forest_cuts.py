"""Forest clear-cuts from Sentinel-1 radar shadows (Bouvet et al. 2018,
Mermoz et al. 2024), on one tile. Shared by the QGIS algorithm and the tests.

Every acquisition is first divided by the median backscatter of the forest on
that acquisition (per orbit and polarisation), so that what hits the whole
forest at once (wet snow, frost, rain, seasonal drift) cancels and only local
changes remain. Then per orbit (its own look direction), per candidate change
date t, per pixel: R = 10 log10(mean after t / mean before t), averaged over
VV and VH. A new radar shadow (R < -seed over the n_after + n_confirm images
after t, and deep on both parts of them) is the trigger; the cut patch spans
from the shadow strip towards far range up to the forest wall that brightens,
and over the spatially smoothed decrease of the cleared ground, at most
MAX_GROW pixels away. Orbits are combined (earliest detection), patches smaller
than the minimum mapping unit are dropped from the raster and the polygons
alike, and each pixel gets the 15-day detection date at which its cut was
confirmed. Changes too close to the end of the series to be confirmed are not
cuts: their pixels get the UNDECIDED code."""
import json
import math
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import rasterio
from rasterio.features import shapes
from rasterio.warp import transform_bounds
from rasterio.windows import Window
from scipy import ndimage

from .blocks import Progress, release_freed_memory, run_blocks, windows
from .catalog import FOREST_CUTS
from .cog import CogWriter
from .errors import InputError
from .masks import check_binary, on_grid_by_strips, polygons_on_grid
from .qml import write_sidecar
from .sentinel1 import read_stack, select_images, tile_grid

EPOCH = date(2018, 1, 1)        # raster values are days since this date
PERIOD_DAYS = 15                # detection dates: EPOCH + 15 k (the France product's rhythm)
NODATA, NO_CUT = 65535, 0
UNDECIDED = 1                   # a change too close to the data end to be confirmed
                                # (never a date: dates are multiples of PERIOD_DAYS)
MAX_GROW = 40                   # px: a patch ends at most 400 m from its shadow strip
LEVEL_BINS = np.linspace(-40.0, 10.0, 2501)   # dB histogram of the forest (0.02 dB)
HALO = 48                       # px read around each block so patches are whole
BLOCK = 256                     # px per block side (plus the halo)
CHUNK = 16                      # change dates whose ratios are held at once
STRIP = 512                     # rows of whole-width reads (forest mask, polygons)
EIGHT = np.ones((3, 3), bool)
REFERENCE_MARGIN = timedelta(days=365)   # images before START feed the 'before' means


@dataclass
class CutParams:
    seed_db: float = 4.0        # new shadow: R over all images after below -seed_db (3P: 4.5)
    grow_db: float = 3.0        # strip grown, and both halves after, below -grow_db (3P: 3)
    patch_db: float = 1.5       # cleared ground around the strip (science.md: ~1.5)
    n_before: int = 20          # reference images before t (a long, stable mean)
    n_after: int = 3            # images after t in the change ratio
    n_confirm: int = 2          # later images on which the shadow must persist
    min_before: int = 5         # fewer reference images: no detection
    shadow_floor_db: float = -20.0   # already this dark before: old shadow, not new
    min_shadow_px: int = 3      # smaller shadow strips are speckle
    mmu_ha: float = 0.1         # minimum mapping unit of a cut
    db: bool = False            # input files in dB rather than linear power


@dataclass
class ForestSource:
    """Where the forest is: every source given must agree (intersection).
    polygons: (crs, [GeoJSON geometries])."""
    mask: str = None
    land_cover: str = None
    classes: tuple = (16.0, 17.0)
    polygons: tuple = None

    def __post_init__(self):
        if not (self.mask or self.land_cover or self.polygons):
            raise InputError("Say where the forest is: give a forest mask, a land-cover raster "
                             "(with its forest classes) or forest polygons.")


def run_forest_cuts(s1_folder, forest, output, start=None, end=None, bounds=None,
                    bounds_crs=None, params=None, progress=None, workers=None):
    """Runs the product; returns dict(OUTPUT=path, polygons=[features], ...).
    On error or cancel the output raster is removed."""
    progress = progress or Progress()
    params = params or CutParams()
    output = Path(output)
    try:
        return _run(s1_folder, forest, output, start, end, bounds, bounds_crs, params,
                    progress, workers)
    except BaseException:
        output.unlink(missing_ok=True)
        output.with_suffix(".qml").unlink(missing_ok=True)
        raise


def _run(s1_folder, forest, output, start, end, bounds, bounds_crs, params, progress, workers):
    start, end = _period(start, end)
    orbits = select_images(s1_folder, *image_period(start, end, params),
                           polarisations=("vv", "vh"))
    first = min(i.acquired.date() for o in orbits.values() for i in o["vv"])
    last = max(i.acquired.date() for o in orbits.values() for i in o["vv"])
    start, end = start or first, end or last
    _check_orbits(orbits, params)
    final = final_until(orbits, params)
    any_image = next(iter(orbits.values()))["vv"][0]
    grid = _processing_grid(tile_grid(any_image), bounds, bounds_crs, any_image.tile)
    forest_mask = forest_on_grid(forest, grid)
    progress.info(f"{len(orbits)} orbits ({', '.join(orbits)}), grid {grid.width} x "
                  f"{grid.height} px at {grid.res:g} m, period {start} to {end}")
    levels = forest_levels(orbits, grid, forest_mask, params.db, progress.sub(0, 30), workers)
    tags = dict(product="forest_cuts", method="Bouvet et al. 2018 / Mermoz et al. 2024",
                parameters=json.dumps(params.__dict__), period=f"{start}/{end}",
                final_until=str(min(final, end)),
                values=f"days since {EPOCH}; {NO_CUT} forest without cut; {UNDECIDED} change "
                       f"after {final}, too close to the data end to be confirmed; "
                       f"{NODATA} not forest")
    spec = FOREST_CUTS.output("OUTPUT")

    def compute(w):
        big = _with_halo(w, grid)
        sub = grid.window_grid(big)
        values = detect(orbits, sub, forest_mask.window(big), start, end, params, levels)
        r, c = w.row_off - big.row_off, w.col_off - big.col_off
        return values[r:r + w.height, c:c + w.width]

    raw = output.with_name(output.name + ".raw.tif")
    try:
        with CogWriter(raw, grid, "uint16", NODATA, tags, description=spec.title) as out:
            run_blocks(windows(grid.width, grid.height, BLOCK), compute,
                       lambda w, v: out.write(w, v), progress.sub(30, 85), workers)
            # glibc keeps the blocks' freed arrays in the threads' arenas, where
            # the polygons and the COG (main thread, GDAL) would not reuse them
            release_freed_memory()
        polygons, small = cut_polygons(raw, grid, min_pixels(params.mmu_ha, grid.res))
        without_small(raw, output, grid, small, tags, spec.title)
    finally:
        raw.unlink(missing_ok=True)
    write_sidecar(output, date_ramp(start, end))
    if end > final:
        progress.info(f"Cuts are final up to {final}: later changes need more acquisitions "
                      f"after them to be confirmed, their pixels are marked undecided "
                      f"({UNDECIDED}), not cut.")
    progress.percent(100)
    return dict(OUTPUT=str(output), polygons=polygons, grid=grid, start=start, end=end,
                orbits=list(orbits), crs=grid.crs, final_until=min(final, end))


def final_until(orbits, params):
    """The last change date every orbit can confirm: n_after + n_confirm
    acquisitions must follow it."""
    lag = params.n_after + params.n_confirm
    return min(orbit_days(by_pol)[-lag].date() for by_pol in orbits.values())


def without_small(raw, output, grid, small, tags, title):
    """Copies the raw date raster to `output` by strips, patches under the
    minimum mapping unit (flat pixel indices `small`) set to NO_CUT."""
    small = np.sort(small)
    with rasterio.open(raw) as src, \
            CogWriter(output, grid, "uint16", NODATA, tags, description=title) as out:
        for top in range(0, grid.height, STRIP):
            w = Window(0, top, grid.width, min(STRIP, grid.height - top))
            values = src.read(1, window=w)
            lo, hi = np.searchsorted(small, [top * grid.width, (top + w.height) * grid.width])
            values.ravel()[small[lo:hi] - top * grid.width] = NO_CUT
            out.write(w, values)


def _period(start, end):
    if start and end and start > end:
        raise InputError("The start date {start} is after the end date {end}.",
                         start=start, end=end)
    if start and start <= EPOCH:
        raise InputError("The start date {start} is too early: detection dates are counted "
                         "from {epoch}; start after it.", start=start, epoch=EPOCH)
    return start, end


def image_period(start, end, params):
    """The images a detection period needs: a year of reference before it
    and the change and confirmation images after it (12-day revisit)."""
    lo = start - REFERENCE_MARGIN if start else None
    hi = end + timedelta(days=12 * (params.n_after + params.n_confirm)) if end else None
    return lo, hi


def _check_orbits(orbits, params):
    need = params.min_before + params.n_after + params.n_confirm
    for orbit, by_pol in orbits.items():
        n = len({i.acquired for i in by_pol["vv"]})
        if n < need:
            raise InputError("Orbit {orbit} has only {n} acquisitions; the method needs at "
                             "least {need} ({before} before a change, {after} after it).",
                             orbit=orbit, n=n, need=need, before=params.min_before,
                             after=params.n_after + params.n_confirm)


def _processing_grid(grid, bounds, bounds_crs, tile):
    if bounds is None:
        return grid
    b = transform_bounds(bounds_crs or grid.crs, grid.crs, *bounds, densify_pts=21)
    sub = grid.crop_to_bounds(*b)
    if sub is None:
        raise InputError("The extent does not overlap tile T{tile} ({crs} bounds {tile_bounds}).",
                         tile=tile, crs=grid.crs, tile_bounds=tuple(round(v) for v in grid.bounds))
    return sub


def _with_halo(w, grid):
    c0, r0 = max(0, w.col_off - HALO), max(0, w.row_off - HALO)
    c1 = min(grid.width, w.col_off + w.width + HALO)
    r1 = min(grid.height, w.row_off + w.height + HALO)
    return Window(c0, r0, c1 - c0, r1 - r0)


# --- forest mask -------------------------------------------------------------------
def forest_on_grid(source, grid):
    """Forest mask (PackedMask) on `grid`, with an error naming the culprit when empty."""
    forest = None
    if source.mask:
        forest, found = on_grid_by_strips(source.mask, grid, lambda v: np.isfinite(v) & (v != 0))
        check_binary(found, source.mask)
        if not forest.any():
            raise InputError("The forest mask {path} holds no forest (non-zero) pixel over "
                             "the processing area.", path=source.mask)
    if source.land_cover:
        wanted = np.array(source.classes, "float64")
        classes, found = on_grid_by_strips(source.land_cover, grid,
                                           lambda v: np.isin(v, wanted))
        if not classes.any():
            raise InputError("The land-cover raster {path} holds no pixel of the forest classes "
                             "{classes} over the processing area (classes found: {found}).",
                             path=source.land_cover,
                             classes=", ".join(f"{c:g}" for c in source.classes),
                             found=", ".join(f"{c:g}" for c in found) or "none")
        forest = _narrowed(forest, classes)
    if source.polygons:
        inside = polygons_on_grid(source.polygons, grid, STRIP)
        if not inside.any():
            raise InputError("None of the {n} forest polygons covers a pixel centre of the "
                             "processing area: check their position and coordinate system.",
                             n=len(source.polygons[1]))
        forest = _narrowed(forest, inside)
    if not forest.any():
        raise InputError("The forest sources given have no pixel in common over the "
                         "processing area.")
    return forest


def _narrowed(forest, mask):
    """forest & mask, in place; mask itself for the first source."""
    if forest is None:
        return mask
    forest &= mask
    return forest


# --- forest level of each acquisition --------------------------------------------
def forest_levels(orbits, grid, forest, db, progress, workers):
    """{orbit: {polarisation: {acquired: median forest backscatter (linear)}}}
    over the processing area, from dB histograms gathered block by block."""
    keys = [(o, pol, day) for o, by_pol in orbits.items() for pol, images in by_pol.items()
            for day in sorted({i.acquired for i in images})]
    hist = np.zeros((len(keys), LEVEL_BINS.size - 1), "int64")

    def compute(w):
        f = forest.window(w)
        sub, counts = grid.window_grid(w), []
        for o, pol, day in keys:
            images = [i for i in orbits[o][pol] if i.acquired == day]
            values = read_stack(images, sub, db)[1][0][f]
            with np.errstate(divide="ignore", invalid="ignore"):
                counts.append(np.histogram(10 * np.log10(values), LEVEL_BINS)[0])
        return np.array(counts)

    def consume(w, counts):
        hist[:] += counts

    run_blocks(windows(grid.width, grid.height, BLOCK * 2), compute, consume, progress, workers)
    check_levels(keys, hist, db)
    levels = defaultdict(lambda: defaultdict(dict))
    for (o, pol, day), h in zip(keys, hist):
        levels[o][pol][day] = 10 ** (_median_db(h) / 10) if h.any() else 1.0
    return levels


def _median_db(counts):
    """The median (dB) of a LEVEL_BINS histogram holding values."""
    centres = (LEVEL_BINS[1:] + LEVEL_BINS[:-1]) / 2
    cum = np.cumsum(counts)
    return centres[np.searchsorted(cum, cum[-1] / 2)]


def check_levels(keys, hist, db):
    """Refuses series that would pass for a forest without cuts: no valid
    value over the forest in an orbit and polarisation, or values in the
    wrong unit (forest backscatter is about -7 dB in VV and -12 dB in VH,
    never above 0 dB over a whole forest)."""
    for orbit, pol in dict.fromkeys((o, p) for o, p, _ in keys):
        total = hist[[k for k, (o, p, _) in enumerate(keys) if (o, p) == (orbit, pol)]].sum(0)
        if not total.any():
            raise InputError("The Sentinel-1 files of orbit {orbit} ({pol}) hold no valid "
                             "value over the forest of the processing area (all no data): "
                             "check that they cover it, or leave that orbit out.",
                             orbit=orbit, pol=pol.upper())
        median = _median_db(total)
        if median > 0 and db:
            raise InputError("The forest of orbit {orbit} ({pol}) reads {level} dB, above any "
                             "forest: the files look like linear power. Untick 'Files are in "
                             "dB' (DB).", orbit=orbit, pol=pol.upper(), level=f"{median:+.1f}")
        if median > 0:
            raise InputError("The forest of orbit {orbit} ({pol}) reads {level} dB, above any "
                             "forest: give calibrated backscatter (sigma0 or gamma0).",
                             orbit=orbit, pol=pol.upper(), level=f"{median:+.1f}")


# --- detection ---------------------------------------------------------------------
def detect(orbits, grid, forest, start, end, params, levels=None):
    """uint16 detection dates (days since EPOCH) on `grid`; NO_CUT forest
    without a cut, UNDECIDED forest with a change the data cannot confirm yet,
    NODATA outside the forest. `levels`: forest_levels(), or None (1)."""
    best = np.full(forest.shape, np.iinfo("int32").max, "int32")   # ordinal of detection
    pending = np.zeros(forest.shape, bool)
    for orbit, by_pol in orbits.items():
        scale = levels[orbit] if levels else None
        confirm, first, tail = detect_orbit(by_pol, grid, forest, start, end, params, scale,
                                            far_range(orbit))
        found = first >= 0
        best[found] = np.minimum(best[found], confirm[first[found]])
        pending |= tail
    cut = (best >= start.toordinal()) & (best <= end.toordinal())
    pending = remove_small(pending & ~cut, params.mmu_ha, grid.res)
    elapsed = best - EPOCH.toordinal()
    period_end = np.maximum(1, -(-elapsed // PERIOD_DAYS)) * PERIOD_DAYS
    values = np.where(cut, period_end, np.where(pending, UNDECIDED, NO_CUT))
    return np.where(forest, values, NODATA).astype("uint16")


def far_range(orbit):
    """+1 when the orbit looks east (ascending passes, right-looking), -1 west."""
    return 1 if orbit.upper().startswith("ASC") else -1


def detect_orbit(by_pol, grid, forest, start, end, p, levels=None, far=1):
    """(confirmation ordinal of every change index t, the t of each pixel's
    first confirmed cut or -1, pixels of changes measured on the n_after
    images but too late to be confirmed) for one orbit. The candidate dates are taken CHUNK at a time over a window
    of images that slides forward (each image read once), so memory does not
    grow with the length of the period."""
    days = orbit_days(by_pol)
    lag = p.n_after + p.n_confirm
    confirm = np.array([d.toordinal() for d in days[lag - 1:]], "int32")
    first = np.full(forest.shape, -1, "int32")
    pending = np.zeros(forest.shape, bool)
    ts = candidates(days, start, end, p)
    if ts.size == 0:
        return confirm, first, pending
    stacks = [SlidingStack(images, days, grid, p.db, levels and levels[pol])
              for pol, images in by_pol.items()]
    for chunk in np.array_split(ts, -(-ts.size // CHUNK)):
        lo = max(0, chunk[0] - p.n_before)
        hi = min(chunk[-1] + lag, len(days))
        decided = chunk + lag <= len(days)
        measured = ~decided & (chunk + p.n_after <= len(days))
        # polarisations in turn: each one's running sums and counts (images lo..hi-1) live
        # only while its ratios are computed; the ratios of all are then averaged kind by kind
        ratios = mean_over_polarisations(
            [_ratios(*stack.running_sums(lo, hi), chunk - lo, p) for stack in stacks])
        claim_cuts(chunk[decided], [r[decided] for r in ratios], forest, p, first, far)
        mark_pending([r[measured] for r in ratios], forest & (first < 0), p, pending, far)
    return confirm, first, pending


def orbit_days(by_pol):
    """The orbit's acquisition times, the same for every polarisation."""
    days = [sorted({i.acquired for i in images}) for images in by_pol.values()]
    if any(d != days[0] for d in days):
        orbit = next(iter(by_pol.values()))[0].orbit
        raise InputError("The polarisations of orbit {orbit} were not acquired on the same "
                         "dates: give VV and VH files of every acquisition.", orbit=orbit)
    return days[0]


def candidates(days, start, end, p):
    """Change indices t worth testing: those confirmed within the period, the
    n_before + lag before them, whose cuts would otherwise leak into the
    period's reference means and be dated late, and those of the period too
    close to the data end to be confirmed (they can only be undecided)."""
    lag = p.n_after + p.n_confirm
    on = np.array([d.date() for d in days])
    confirmed = on[lag - 1:]
    inside = np.flatnonzero((confirmed >= start) & (confirmed <= end))
    late = np.flatnonzero((on >= start) & (on <= end))
    late = late[late > len(days) - lag]
    if inside.size == 0 and late.size == 0:
        return inside
    lo = max(p.min_before, (inside[0] if inside.size else late[0]) - p.n_before - lag)
    return np.arange(lo, late[-1] + 1 if late.size else inside[-1] + 1)


class SlidingStack:
    """The images of one polarisation of an orbit on a block, divided by the
    forest level of their acquisition (`levels`: {acquired: level}, or None),
    read once each and kept while the window [lo, hi) of indices needs them."""

    def __init__(self, images, days, grid, db, levels=None):
        self.on_day = defaultdict(list)
        for image in images:
            self.on_day[image.acquired].append(image)
        self.days, self.grid, self.db, self.kept = days, grid, db, {}
        self.levels = levels

    def running_sums(self, lo, hi):
        """(cumulative sums of the valid values, cumulative counts) of images
        lo..hi-1, each with a leading zero image (index k: the first k)."""
        for k in [k for k in self.kept if k < lo]:
            del self.kept[k]
        for k in range(lo, hi):
            if k not in self.kept:       # same-day files averaged by read_stack
                day = self.days[k]
                image = read_stack(self.on_day[day], self.grid, self.db)[1][0]
                self.kept[k] = image / self.levels[day] if self.levels else image
        sums = np.zeros((hi - lo + 1, self.grid.height, self.grid.width), "float32")
        for j, k in enumerate(range(lo, hi)):
            sums[j + 1] = self.kept[k]
        counts = np.zeros(sums.shape, "int16")
        np.cumsum(np.isfinite(sums[1:]), axis=0, dtype="int16", out=counts[1:])
        np.nan_to_num(sums, copy=False)
        return np.cumsum(sums, axis=0, out=sums), counts


def mean_over_polarisations(per_pol):
    """(R_after, R_confirm, R_all, before_db), arrays (len(ts), h, w) in dB,
    from each polarisation's _ratios: their mean ignoring NaN (NaN where none
    is finite: never a change); each kind is freed as it is averaged."""
    out = []
    for kind in range(len(per_pol[0])):
        stack = np.stack([ratios[kind] for ratios in per_pol])
        for ratios in per_pol:
            ratios[kind] = None
        valid = np.isfinite(stack)
        n = valid.sum(axis=0)
        np.putmask(stack, ~valid, 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = stack.sum(axis=0) / n
        del stack, valid
        mean[n == 0] = np.nan
        out.append(mean.astype("float32"))
    return out


def _ratios(s, c, ts, p):
    """One polarisation's ratios for the change indices ts (into its running
    sums s, counts c). Windows are cut at the last image held: with no image
    in one, a ratio is NaN."""
    last = len(s) - 1

    def mean(a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return (s[b] - s[a]) / (c[b] - c[a])
    before = mean(np.maximum(ts - p.n_before, 0), ts)
    mid = np.minimum(ts + p.n_after, last)
    stop = np.minimum(ts + p.n_after + p.n_confirm, last)
    with np.errstate(divide="ignore", invalid="ignore"):
        db = [10 * np.log10(mean(a, b) / before) for a, b in ((ts, mid), (mid, stop), (ts, stop))]
        return [*db, 10 * np.log10(before)]


def claim_cuts(ts, ratios, forest, p, first, far=1):
    """Sets `first` to t on the pixels of the cuts confirmed at each t of ts
    (in order), where no earlier cut was found. A shadow must be deep over
    all the images after t and stay deep on both the first n_after and the
    n_confirm later ones: one odd acquisition cannot make it. A cut claimed
    fewer than n_after dates before t may grow at t over ground still free."""
    r_after, r_confirm, r_all, before_db = ratios
    for i, t in enumerate(ts):
        free = forest & (first < 0)
        # a cut claimed fewer than n_after changes ago was seen while its images
        # after still held some taken before it: its cleared ground had not yet
        # darkened fully, so its strip may seed the rest of the patch now
        growing = forest & (first >= 0) & (first > t - p.n_after)
        seeds = ((free | growing) & (r_all[i] < -p.seed_db) & (r_after[i] < -p.grow_db)
                 & (r_confirm[i] < -p.grow_db))
        patch = cut_patch(seeds, r_all[i], before_db[i], free | growing, p, far)
        first[patch & free] = t


def mark_pending(ratios, free, p, pending, far=1):
    """Adds to `pending` the patches of the changes that began with too few
    acquisitions after them to be confirmed: judged on the images there are."""
    r_after, _, r_all, before_db = ratios
    for i in range(len(r_after)):
        seeds = free & (r_all[i] < -p.seed_db) & (r_after[i] < -p.grow_db)
        pending |= cut_patch(seeds, r_all[i], before_db[i], free, p, far)


def cut_patch(seeds, r_all, before_db, free, p, far=1):
    """The cut patches around new shadows: seeds on pixels that were not dark
    before, grown into strips over R < -grow_db (at least min_shadow_px); the
    patch spans from the strip towards far range (`far`: +1 east, -1 west)
    up to the forest wall that now faces the sensor and brightens
    (R > grow_db), and over the cleared ground where it darkens (3x3-smoothed
    R < -patch_db, and the pixel's own R below 0: the 3x3 mean of deep ground
    reaches one pixel into the standing forest beside it), at most MAX_GROW px
    from the strips; holes filled."""
    seeds = seeds & (before_db > p.shadow_floor_db)
    if not seeds.any():
        return seeds
    strips = _grown(free & (r_all < -p.grow_db) | seeds, seeds, p.min_shadow_px)
    if not strips.any():
        return strips
    wall = free & (r_all > p.grow_db)
    span = range_fill(strips, _grown(wall, wall, p.min_shadow_px), far, MAX_GROW)
    near = ndimage.binary_dilation(strips, EIGHT, iterations=MAX_GROW)
    ground = free & (span | near & (_smoothed(r_all) < -p.patch_db) & (r_all < 0)) | strips
    return ndimage.binary_fill_holes(_grown(ground, strips, 1)) & free


def range_fill(strips, walls, far, reach):
    """Pixels of each row from a strip pixel towards far range up to (not
    including) the next wall pixel, when that wall is at most `reach` px
    away and no other wall lies between."""
    if far < 0:
        return range_fill(strips[:, ::-1], walls[:, ::-1], 1, reach)[:, ::-1]
    col = np.arange(strips.shape[1])
    big = strips.shape[1] + reach + 1
    last_strip = np.maximum.accumulate(np.where(strips, col, -big), axis=1)
    last_wall = np.maximum.accumulate(np.where(walls, col, -big), axis=1)
    next_wall = np.minimum.accumulate(np.where(walls, col, 2 * big)[:, ::-1], axis=1)[:, ::-1]
    return ((last_strip > last_wall) & (next_wall - last_strip <= reach) & ~walls)


def _smoothed(r):
    """3x3 mean ignoring NaN (speckle of single pixels kept from leaking)."""
    ok = np.isfinite(r)
    total = ndimage.uniform_filter(np.where(ok, r, 0).astype("float32"), 3)
    n = ndimage.uniform_filter(ok.astype("float32"), 3)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, total / n, np.nan)


def _grown(mask, seeds, min_px):
    """Connected components (8-neighbour) of `mask` holding a seed and at least min_px."""
    labels, n = ndimage.label(mask, EIGHT)
    if n == 0:
        return np.zeros(mask.shape, bool)
    sizes = np.bincount(labels.ravel(), minlength=n + 1)
    keep = np.zeros(n + 1, bool)
    keep[np.unique(labels[seeds])] = True
    keep &= sizes >= min_px
    keep[0] = False
    return keep[labels]


def min_pixels(mmu_ha, res):
    """Pixels of the minimum mapping unit."""
    return max(1, int(math.ceil(mmu_ha * 1e4 / (res * res) - 1e-9)))


def remove_small(mask, mmu_ha, res):
    """Drops 8-connected patches under the minimum mapping unit."""
    labels, n = ndimage.label(mask, EIGHT)
    sizes = np.bincount(labels.ravel(), minlength=n + 1)
    keep = sizes >= min_pixels(mmu_ha, res)
    keep[0] = False
    return keep[labels]


# --- outputs -----------------------------------------------------------------------
def date_ramp(start, end):
    """The OUTPUT style stretched over the period: yellow (oldest) to red
    (latest), after the fixed 'no cut' and 'undecided' stops."""
    spec = FOREST_CUTS.output("OUTPUT")
    fixed, colours = spec.ramp[:2], spec.ramp[2:]
    lo, hi = max(UNDECIDED + 1, (start - EPOCH).days), (end - EPOCH).days
    stops = list(fixed)
    for k, (_, colour) in enumerate(colours):
        value = round(lo + (hi - lo) * k / (len(colours) - 1))
        stops.append((value, colour, str(EPOCH + timedelta(days=value))))
    return replace(spec, ramp=tuple(stops))


def cut_polygons(raster, grid, min_px=1):
    """(features, small): one polygon per 8-connected cut patch of at least
    min_px pixels, with the attributes of the SUFOSAT clear-cut polygons:
    date_min, date_max (ISO dates), days_delta, area_ha, in raster order of
    the patches' first pixels; and the flat pixel indices of the smaller
    patches, which the raster must drop too (see without_small).

    The raster is read by strips of rows: a patch touching the last row of a
    strip is left to the next strip, which starts at that patch's first row,
    so every patch is polygonised whole, once, in bounded memory."""
    features, small, top, done_before = [], [np.zeros(0, "int64")], 0, -1
    with rasterio.open(raster) as ds:
        bottom = min(ds.height, STRIP)
        while top < ds.height:
            window = Window(0, top, ds.width, bottom - top)
            found, too_small, first_open = _strip_polygons(
                ds.read(1, window=window), window, grid, done_before, bottom < ds.height, min_px)
            features += found
            small.append(too_small + top * ds.width)
            done_before = bottom - 1
            top = bottom if first_open is None else top + first_open
            bottom = min(ds.height, max(top + STRIP, bottom + STRIP // 2))
    return [f for _, f in sorted(features, key=lambda kf: kf[0])], np.concatenate(small)


def _strip_polygons(values, window, grid, done_before, more_below, min_px=1):
    """([((row, col) of first pixel, feature)] of the strip's patches of at
    least min_px pixels ending at or below row `done_before` (earlier ones
    were complete in the previous strip) and, when `more_below`, not touching
    the strip's last row; the flat indices (in the strip) of the smaller such
    patches; and the first row (in the strip) of those touching it, or None."""
    cut = (values != NO_CUT) & (values != NODATA) & (values != UNDECIDED)
    labels, n = ndimage.label(cut, EIGHT)
    none = np.zeros(0, "int64")
    if n == 0:
        return [], none, None
    rows = np.array([(s[0].start, s[0].stop - 1) for s in ndimage.find_objects(labels)])
    touching = (rows[:, 1] == values.shape[0] - 1) & more_below
    done = ~touching & (rows[:, 1] + window.row_off >= done_before)
    first_open = int(rows[touching, 0].min()) if touching.any() else None
    size = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    emit = done & (size >= min_px)
    dropped = np.concatenate([[False], done & ~emit])[labels]
    small = np.flatnonzero(dropped.ravel()).astype("int64")
    index = np.flatnonzero(emit) + 1
    if index.size == 0:
        return [], small, first_open
    lo = ndimage.minimum(values, labels, index)
    hi = ndimage.maximum(values, labels, index)
    count = ndimage.sum(cut, labels, index)
    ids, first = np.unique(labels, return_index=True)
    first = dict(zip(ids.tolist(), first.tolist()))
    parts = {}
    for geom, k in shapes(labels, mask=emit[labels - 1] & cut, connectivity=8,
                          transform=grid.window_grid(window).transform):
        parts.setdefault(int(k), []).append(geom)
    found = []
    for k, a, b, c in zip(index.tolist(), lo, hi, count):
        d0, d1 = EPOCH + timedelta(days=int(a)), EPOCH + timedelta(days=int(b))
        geom = parts[k][0] if len(parts[k]) == 1 else {
            "type": "MultiPolygon", "coordinates": [g["coordinates"] for g in parts[k]]}
        row, col = divmod(first[k], values.shape[1])
        found.append(((window.row_off + row, col), {"geometry": geom, "properties": dict(
            date_min=str(d0), date_max=str(d1), days_delta=(d1 - d0).days,
            area_ha=round(float(c) * grid.res ** 2 / 1e4, 4))}))
    return found, small, first_open
