"""A year of Sentinel-2 as iota2 features: the 10 FRE bands of every
acquisition, masked with (CLM | SAT | EDG) != 0, gap-filled linearly onto a
regular date grid, plus NDVI, NDWI and brightness per grid date. Read one
window at a time so that any tile fits in bounded memory."""
import numpy as np

from .blocks import block_for_layers, default_workers
from .errors import InputError
from .inputs import select_products
from .theia import (INVALID_MASKS, NODATA, QUANTIFICATION, OpenDatasets, cell_ratio,
                    open_files_limit, read_cells, read_mask, read_reflectance)
from .timeseries import GapFill, date_grid

BANDS = ("B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12")
INDICES = ("NDVI", "NDWI", "BRIGHTNESS")
BLOCK_MB = 224   # a year of features in 256 px blocks, as before issue 13
# EDG first: a product out of the swath is then known unclear after one read
MASK_ORDER = ("EDG",) + tuple(k for k in INVALID_MASKS if k != "EDG")
CHUNK = 512      # pixels whose features are made together: they stay in the CPU cache
# GDAL block cache while reading: the files stay open, so a larger cache fills
# with their decoded blocks (+110 MB peak measured with the engine's 128 MB),
# which blocks aligned on the files' tiles never read twice
CACHE_MB = 16


def feature_names(offsets, bands=BANDS, indices=INDICES):
    """Names like B2_d000: band or index, then the grid date as days from the
    start, so that a model applies to another year with the same period."""
    return [f"{name}_d{off:03d}" for off in offsets for name in bands + indices]


def select_series(s2_folder, start, end, step_days):
    """The products of the period (with LIS' 15-day margin that anchors the
    gap-filling), its start and end, and the regular date grid."""
    products, start, end = select_products(s2_folder, start, end, BANDS)
    grid_dates = date_grid(start, end, step_days)
    return products, start, end, grid_dates


class S2Series:
    """Features of the pixels of a window of `grid`, from THEIA `products`.
    Each block thread keeps the files open (a year is ~950 of them) until
    `close` (or the end of a `with` block)."""

    def __init__(self, products, grid, grid_dates, workers=None):
        self.products, self.grid, self.grid_dates = products, grid, list(grid_dates)
        self.dates = [p.acquired.date() for p in products]
        start = self.grid_dates[0]
        self.offsets = [(d - start).days for d in self.grid_dates]
        self.names = feature_names(self.offsets)
        self.start = start
        n_files = len(products) * (len(BANDS) + len(INVALID_MASKS))
        self.files = OpenDatasets(open_files_limit(n_files, workers or default_workers()))

    def close(self):
        self.files.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def block(self, mb=BLOCK_MB):
        """Side of the square blocks whose inputs (int16 bands, clear masks)
        and float32 features take about `mb`: a longer period gets smaller
        blocks, not more memory (256 px for a year every 5 days)."""
        per_px = len(self.products) * (2 * len(BANDS) + 1) + 4 * len(self.names)
        return block_for_layers(per_px / 4, mb)

    @property
    def step_days(self):
        return self.offsets[1] - self.offsets[0] if len(self.offsets) > 1 else 0

    def read(self, window, pick=None, out=None):
        """(X, n_clear): X float32 (n_px, n_features), C-contiguous, with NaN
        rows for pixels never seen clear, n_clear the number of clear
        acquisitions per pixel. `pick`: flat indices of the window's pixels to
        keep (all when None). `out`: (array, rows): X is written into
        array[rows] instead (and None returned), not held a second time."""
        sub = self.grid.window_grid(window)
        files = self.files
        clear = np.stack([_pick(self._clear(p, sub, files), pick) for p in self.products])
        stacks = [self._stack(b, sub, pick, clear, files) for b in BANDS]
        n_clear = clear.sum(axis=0).astype("uint16")
        x, rows = out or (np.empty((n_clear.shape[0], len(self.names)), "float32"), None)
        at = (lambda i: i) if rows is None else rows.__getitem__
        for c in range(0, len(n_clear), CHUNK):
            part = slice(c, c + CHUNK)
            x[at(part)] = iota2_stack([s[:, part] for s in stacks], clear[:, part],
                                      self.dates, self.grid_dates)
        x[at(n_clear == 0)] = np.nan
        return (x if rows is None else None), n_clear

    def _clear(self, product, sub, files):
        """theia.clear_mask from this thread's open masks."""
        ok = np.ones((sub.height, sub.width), bool)
        for kind in MASK_ORDER:
            if not ok.any():          # e.g. out of the swath: the other masks are moot
                break
            groups = ("R1", "R2") if sub.res < 15 else ("R2", "R1")
            path = next(filter(None, (product.mask_path(kind, g) for g in groups)), None)
            if path is None:
                continue
            ds = _aligned(files, path, sub, "uint8")
            mask = read_mask(product, kind, sub) if ds is None else read_cells(ds, sub, "or")
            ok &= mask == 0
        return ok

    def _stack(self, band, sub, pick, clear, files):
        """(dates, pixels) int16 reflectance x 10000, the products' own exact
        encoding (half the memory of float32); nodata clears `clear`. A
        product with no clear pixel here is not read: gap-filling never
        takes its values (NODATA in their place)."""
        stack = np.empty(clear.shape, "int16")
        for i, product in enumerate(self.products):
            if not clear[i].any():
                stack[i] = NODATA
                continue
            path = product.band_path(band)
            ds = _aligned(files, path, sub, "int16")
            v = _int16_band(product, band, sub) if ds is None else _int16_cells(ds, sub)
            v = _pick(v, pick)
            clear[i] &= v != NODATA
            stack[i] = v
        return stack


def iota2_stack(stacks, clear, dates, grid_dates):
    """(n_px, n_grid_dates x 13) float32 features, in feature_names' order,
    of the (dates, pixels) int16 x10000 `stacks` of BANDS: each band gap-filled
    with one interpolation plan, NDVI, NDWI and brightness for all dates at
    once (iota2's FeatureExtractionFunctor: NDVI = (B8 - B4)/(B8 + B4) x 1000,
    NDWI = (B11 - B8)/(B11 + B8) x 1000, SWIR minus NIR as iota2, brightness =
    sqrt of the sum of squares in x10000 units); bit for bit the former
    date-by-date implementation (tests/test_land_cover_features.py)."""
    fill = GapFill(clear, dates, grid_dates)
    n_px = clear.shape[1]
    per_date = len(BANDS) + len(INDICES)
    f = np.empty((len(grid_dates), per_date, n_px), "float32")
    for j, stack in enumerate(stacks):
        np.divide(fill(stack), QUANTIFICATION, out=f[:, j])
    red, nir, swir = (f[:, BANDS.index(b)] for b in ("B4", "B8", "B11"))
    _normalized_difference_x1000(nir, red, f[:, len(BANDS)])
    _normalized_difference_x1000(swir, nir, f[:, len(BANDS) + 1])
    total = f[:, len(BANDS) + 2]
    square = np.empty_like(total)
    for j in range(len(BANDS)):     # band by band, in order: as nansum over the bands
        np.multiply(f[:, j], np.float32(10000.0), out=square)
        np.square(square, out=square)
        if j:
            total += square
        else:
            total[:] = square
    np.sqrt(total, out=total)
    # never clear pixels come out NaN: the caller sets their whole row to NaN
    return f.reshape(-1, n_px).T


def _normalized_difference_x1000(a, b, out):
    """timeseries.normalized_difference(a, b) * 1000 into `out`."""
    s = a + b
    np.subtract(a, b, out=out)
    small = np.abs(s) < 1e-5
    np.divide(out, s, out=out, where=~small)
    out[small] = 0.0
    out *= np.float32(1000)


def _aligned(files, path, grid, dtype):
    """The open dataset of `path` when theia.read_cells reads it onto `grid`
    (THEIA R1/R2 on a 10 or 20 m grid), else None (theia's general readers
    warp it, and read the files past the open-files limit)."""
    return files.get(path, lambda ds: cell_ratio(ds, grid, dtype) > 0)


def _int16_cells(ds, grid):
    """theia.read_cells' mean as int16 x 10000: bit for bit
    theia.read_reflectance rounded to int16."""
    v = read_cells(ds, grid, "mean")
    return v if v.dtype == np.int16 else _as_int16(v)


def _int16_band(product, band, grid):
    """The general reader (warping) rounded to int16 x 10000."""
    return _as_int16(read_reflectance(product, band, grid) * QUANTIFICATION, scaled=True)


def _as_int16(value, scaled=False):
    """float -> int16 x 10000, NaN -> NODATA, through the float32 steps of
    the general reader (reflectance / 10000, then x 10000 rounded)."""
    v = value.astype("float32", copy=False)       # callers pass a temporary
    if not scaled:
        v[v == NODATA] = np.nan
        v /= np.float32(QUANTIFICATION)
        v *= np.float32(QUANTIFICATION)
    np.round(v, out=v)
    v[np.isnan(v)] = NODATA
    return v.astype("int16")


def _pick(array, pick):
    flat = array.reshape(-1)
    return flat if pick is None else flat[pick]


def check_clear_dates(n_clear_max, min_clear, n_products):
    """The method needs pixels seen clear at least `min_clear` times."""
    if n_clear_max < min_clear:
        raise InputError("The pixels of the reference polygons or parcels are seen clear on "
                         "at most {n} of the {total} acquisitions, fewer than the {need} clear "
                         "dates asked for: give a longer period or lower the minimum number of "
                         "clear dates.",
                         n=n_clear_max, total=n_products, need=min_clear)
