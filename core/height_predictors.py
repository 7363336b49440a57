"""Forest height's predictors on the 10 m grid: per pixel, the seasonal
medians of the clear Sentinel-2 dates (bands, NDVI, NDWI), the elevation
and Sentinel-1 statistics, each averaged over three windows around it."""
import warnings

import numpy as np
import rasterio
from rasterio.windows import Window
from scipy import ndimage

from .blocks import block_for_layers
from .sentinel1 import read_stack
from .theia import clear_mask, read_reflectance

BANDS = ("B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12")
# Needed in every product; the red edge and B8 are used when every product has
# them (THEIA subsets often lack them, as the real Verdun series does).
CORE_BANDS = ("B2", "B3", "B4", "B8A", "B11", "B12")
# Every predictor is averaged over three square windows (sides in pixels):
# the 10 m pixel the map is made at, the ~25 m footprint, and 70 m, the
# footprint widened by twice GEDI's ~10 m geolocation error (Roy et al. 2021;
# ~20 m for V001, Schleich et al. 2023) so that a shot whose footprint lies off
# its reported position still sees its own stand. The three scales also let
# the forest tell a stand's inside from its border. (Measured on 5 seeds of
# both simulators: the worst seed's height RMSE falls by 0.5-0.9 m against
# the 3 x 3 mean alone.)
SCALES = (1, 3, 7)
HALO = max(SCALES) // 2
S1_LAYERS = ("VV_MEAN", "VH_MEAN", "VV_STD", "VH_STD", "VH_VV")


class Predictors:
    """Per pixel: the median of the clear dates of every season for the 10
    bands, NDVI and NDWI of that median (and the elevation), each averaged
    over the windows of SCALES around it (the pixel, the ~25 m GEDI footprint,
    the footprint and its location error). Seasons with no clear date take the whole period's median. With
    Sentinel-1: temporal mean (of the power, in dB) and standard deviation
    (dB) of VV and VH, and the VH/VV ratio (dB)."""

    def __init__(self, products, grid, start, end, n_seasons, dem_file, s1=None):
        self.products, self.grid, self.dem_file, self.s1 = products, grid, dem_file, s1
        span = (end - start).days + 1
        self.season = [min(n_seasons - 1, (p.acquired.date() - start).days * n_seasons // span)
                       for p in products]
        self.n_seasons = n_seasons
        # np.nanmedian's masked sort holds ~8 copies of a band's stack of dates
        # (measured: 260 MB per 480 px window at 37 dates): longer periods, smaller blocks
        self.bands = band_set(products)
        self.layers = [f"{n}_s{k + 1}" for k in range(n_seasons)
                       for n in self.bands + ("NDVI", "NDWI")] + (["DEM"] if dem_file else [])
        if s1:
            self.layers += list(S1_LAYERS)
        self.names = [f"{n}_w{side}" for n in self.layers for side in SCALES]
        self.block = block_for_layers(max(8 * len(products), len(self.names)))

    def read(self, w, pixels=None):
        """(features (n, h, w) float32 NaN = no data) of window `w`; with
        `pixels` ((rows, cols) in `w`), right only at those pixels: the
        medians, the costly part, are taken only around them."""
        big = _with_halo(w, self.grid)
        where = None
        if pixels is not None:
            where = np.zeros((big.height, big.width), bool)
            where[pixels[0] + w.row_off - big.row_off, pixels[1] + w.col_off - big.col_off] = True
            where = ndimage.binary_dilation(where, np.ones((2 * HALO + 1,) * 2, bool))
        sub = self.grid.window_grid(big)
        # one array filled in place, then one per scale of the window
        feats = np.empty((len(self.layers), sub.height, sub.width), "float32")
        n = self.n_seasons * (len(self.bands) + 2)
        self._composites(sub, where, feats[:n])
        if self.dem_file:
            with rasterio.open(self.dem_file) as ds:
                feats[n] = ds.read(1, window=big)
        if self.s1:
            feats[-5:] = _s1_statistics(self.s1, sub)
        r, c = w.row_off - big.row_off, w.col_off - big.col_off
        out = np.empty((len(self.names), w.height, w.width), "float32")
        for i, layer in enumerate(feats):
            for j, side in enumerate(SCALES):
                out[i * len(SCALES) + j] = _nanmean(layer, side)[r:r + w.height, c:c + w.width]
        return out

    def _composites(self, sub, where, feats):
        """Fills feats (n_seasons * (bands + 2), h, w)."""
        clear = np.stack([clear_mask(p, sub) for p in self.products])
        season = np.array(self.season)
        out = feats.reshape(self.n_seasons, len(self.bands) + 2, sub.height, sub.width)
        for j, band in enumerate(self.bands):     # one band at a time: bounded memory
            stack = np.stack([read_reflectance(p, band, sub) for p in self.products])
            stack[~clear] = np.nan
            whole = _nanmedian(stack, where)
            for k in range(self.n_seasons):
                out[k, j] = _nanmedian(stack[season == k], where) if (season == k).any() \
                    else whole
                gap = ~np.isfinite(out[k, j])
                out[k, j][gap] = whole[gap]
        b = {name: out[:, j] for j, name in enumerate(self.bands)}
        nir = b.get("B8", b["B8A"])
        out[:, -2] = _nd(nir, b["B4"])
        out[:, -1] = _nd(nir, b["B11"])      # Gao's NDWI (NIR - SWIR)


def band_set(products):
    """The bands of BANDS that every product holds."""
    held = [p.bands() for p in products]
    return tuple(b for b in BANDS if all(b in h for h in held))


def _s1_statistics(s1, sub):
    stats = {}
    for pol in ("vv", "vh"):
        _, stack = read_stack(s1[pol], sub)
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # pixels never seen: NaN
            stats[pol] = (10 * np.log10(np.nanmean(stack, axis=0)),
                          np.nanstd(10 * np.log10(stack), axis=0))
    vv, vh = stats["vv"], stats["vh"]
    return np.stack([vv[0], vh[0], vv[1], vh[1], vh[0] - vv[0]]).astype("float32")


def _nanmedian(stack, where=None):
    out = np.full(stack.shape[1:], np.nan, "float32")
    seen = np.isfinite(stack).any(axis=0)
    if where is not None:
        seen &= where
    if seen.any():
        out[seen] = np.nanmedian(stack[:, seen], axis=0)
    return out


def _nd(a, b):
    with np.errstate(invalid="ignore", divide="ignore"):
        return ((a - b) / (a + b)).astype("float32")


def _nanmean(layer, side):
    """Mean of the valid pixels of the side x side window around every pixel
    (NaN where none is valid)."""
    if side == 1:
        return layer
    ok = np.isfinite(layer)
    total = ndimage.uniform_filter(np.where(ok, layer, 0).astype("float32"), side,
                                   mode="constant")
    count = ndimage.uniform_filter(ok.astype("float32"), side, mode="constant")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count * side * side > 0.5, total / count, np.nan)


def _with_halo(w, grid):
    c0, r0 = max(0, w.col_off - HALO), max(0, w.row_off - HALO)
    c1 = min(grid.width, w.col_off + w.width + HALO)
    r1 = min(grid.height, w.row_off + w.height + HALO)
    return Window(c0, r0, c1 - c0, r1 - r0)
