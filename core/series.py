"""A year of Sentinel-2 as iota2 features: the 10 FRE bands of every
acquisition, masked with (CLM | SAT | EDG) != 0, gap-filled linearly onto a
regular date grid, plus NDVI, NDWI and brightness per grid date. Read one
window at a time so that any tile fits in bounded memory."""
import numpy as np

from .errors import InputError
from .inputs import select_products
from .theia import NODATA, QUANTIFICATION, clear_mask, read_reflectance
from .timeseries import GapFill, date_grid, iota2_features

BANDS = ("B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12")
INDICES = ("NDVI", "NDWI", "BRIGHTNESS")


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
    """Features of the pixels of a window of `grid`, from THEIA `products`."""

    def __init__(self, products, grid, grid_dates):
        self.products, self.grid, self.grid_dates = products, grid, list(grid_dates)
        self.dates = [p.acquired.date() for p in products]
        start = self.grid_dates[0]
        self.offsets = [(d - start).days for d in self.grid_dates]
        self.names = feature_names(self.offsets)
        self.start = start

    @property
    def step_days(self):
        return self.offsets[1] - self.offsets[0] if len(self.offsets) > 1 else 0

    def read(self, window, pick=None):
        """(X, n_clear): X float32 (n_px, n_features) with NaN rows for pixels
        never seen clear, n_clear the number of clear acquisitions per pixel.
        `pick`: flat indices of the window's pixels to keep (all when None)."""
        sub = self.grid.window_grid(window)
        clear = np.stack([_pick(clear_mask(p, sub), pick) for p in self.products])
        stacks = {b: self._stack(b, sub, pick, clear) for b in BANDS}
        n_clear = clear.sum(axis=0).astype("uint16")
        fill = GapFill(clear, self.dates, self.grid_dates)
        per_date = len(BANDS) + len(INDICES)
        x = np.empty((n_clear.shape[0], len(self.grid_dates) * per_date), "float32")
        for j, band in enumerate(BANDS):   # one band at a time: bounded memory
            x[:, j::per_date] = (fill(stacks.pop(band)) / QUANTIFICATION).T
        for k in range(len(self.grid_dates)):
            at = k * per_date
            features = iota2_features({b: x[:, at + j] for j, b in enumerate(BANDS)})
            for j, v in enumerate(features.values(), start=at + len(BANDS)):
                x[:, j] = v
        x[n_clear == 0] = np.nan
        return x, n_clear

    def _stack(self, band, sub, pick, clear):
        """(dates, pixels) int16 reflectance x 10000, the products' own exact
        encoding (half the memory of float32); nodata clears `clear`."""
        stack = np.empty(clear.shape, "int16")
        for i, product in enumerate(self.products):
            v = _pick(read_reflectance(product, band, sub), pick)
            ok = np.isfinite(v)
            clear[i] &= ok
            stack[i] = np.where(ok, np.round(v * QUANTIFICATION), NODATA)
        return stack


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
