"""Per-parcel features of a crop from the gap-filled Sentinel-2 series:
the mean of each feature over a parcel's interior pixels (one pixel off its
edge, in the crop mask when given), block by block with memory flat in the
tile's area, and the features the yield regression adds to the series'."""
import os
import tempfile

import numpy as np
from scipy import ndimage, sparse

from .blocks import run_blocks, windows
from .errors import InputError
from .inputs import mask_reader
from .series import BANDS, CACHE_MB, INDICES

MASK_BLOCK = 256       # px: the crop mask is read in blocks of this side
EXTRA_FEATURES = ("NDVI_SUM", "NDVI_MAX")   # season-integrated and peak NDVI
RED_EDGE_FLOOR = 0.01                       # B5 reflectance floor of the red-edge index
# rows (pixels) predicted together, columns summed together in float64: the
# per-block temporaries stay a few MB, flat in the block's area
PREDICT_ROWS = 2048
SUM_COLUMNS = 64
# MB of a block's inputs and features (S2Series.block: its side from the
# number of dates); each block thread holds one: most of the peak. 224 (240
# px blocks of a year of 73 dates) -> 64 (128 px): peak 1154 -> 858 MB at
# 512² px, CPU +3 % (issue 13)
BLOCK_MB = 64


def _same_parcel(raster, w):
    """The parcel ids of window `w` and its pixels whose 3 x 3 neighbourhood
    lies in the same parcel (a one-pixel inner buffer against mixed edge
    pixels): filtered with a one-pixel halo, "nearest" only at the grid's
    edges, as the whole raster would be."""
    r0, c0 = max(w.row_off - 1, 0), max(w.col_off - 1, 0)
    halo = raster[r0:w.row_off + w.height + 1, c0:w.col_off + w.width + 1]
    same = (ndimage.minimum_filter(halo, 3, mode="nearest") == halo) & (
        ndimage.maximum_filter(halo, 3, mode="nearest") == halo) & (halo > 0)
    inside = (slice(w.row_off - r0, w.row_off - r0 + w.height),
              slice(w.col_off - c0, w.col_off - c0 + w.width))
    return halo[inside], same[inside]


def parcels_with_inner(raster, n_parcels, wins, progress):
    """((n_parcels + 1) bool: the parcels with a pixel off their edge,
    {window's offsets: its pixels off their parcel's edge, one bit each},
    (n_parcels + 1) int32: the number of windows each parcel is in): the
    filter runs once per block; its masks take 1/32 of the raster."""
    has_inner = np.zeros(n_parcels + 1, bool)
    windows_of = np.zeros(n_parcels + 1, "int32")
    inner = {}
    for w in wins:
        progress.check()            # ~460 blocks on a full tile: cancel between them
        ids, same = _same_parcel(raster, w)
        has_inner[ids[same]] = True
        windows_of += np.bincount(ids.reshape(-1), minlength=n_parcels + 1) > 0
        inner[w.row_off, w.col_off] = np.packbits(same, axis=None)
    return has_inner, inner, windows_of


def interior(raster, w, has_inner, inner):
    """The parcel ids of window `w`'s pixels off their parcel's edge (`inner`
    of parcels_with_inner), 0 elsewhere; parcels too thin keep all their pixels."""
    ids = raster[w.row_off:w.row_off + w.height, w.col_off:w.col_off + w.width]
    same = np.unpackbits(inner[w.row_off, w.col_off], count=ids.size).reshape(ids.shape) > 0
    return np.where(same | ((ids > 0) & ~has_inner[ids]), ids, 0)


def in_crop(ids, crop, w):
    """ids where the crop mask `crop` (None: everywhere) holds, 0 elsewhere."""
    if crop is None:
        return ids
    return np.where(crop[w.row_off:w.row_off + w.height, w.col_off:w.col_off + w.width], ids, 0)


def crop_pixels(path, classes, raster, grid, workers):
    """The crop mask on `grid` (bool), read block by block; raises when none
    of the parcels' pixels is in it."""
    read = mask_reader(path, classes)
    crop = np.zeros(raster.shape, bool)

    def consume(w, res):
        crop[w.row_off:w.row_off + w.height, w.col_off:w.col_off + w.width] = res
    run_blocks(windows(grid.width, grid.height, MASK_BLOCK), lambda w: read(grid.window_grid(w)),
               consume, None, workers)
    if not (crop & (raster > 0)).any():
        raise InputError("No pixel of the crop's parcels is in the crop mask {path} (crop "
                         "classes: {classes}): give a mask that covers the parcels, with "
                         "their land-cover classes, or leave the classes empty for a 0/1 mask.",
                         path=path, classes=", ".join(f"{c:g}" for c in classes)
                         or "any non-zero value")
    return crop


class ParcelTable:
    """The parcels' float32 features in an unnamed temporary file in
    `folder` (gone when closed, whatever happens), NaN until written: a
    tile's 470 000 parcels x 520 features, 1 GB, never in memory at once.
    Rows are written as their parcel completes (x[rows] = values, as into
    an array) and read back by groups (take)."""

    def __init__(self, n, width, folder):
        folder.mkdir(parents=True, exist_ok=True)
        self.shape, self.row_bytes = (n, width), width * 4
        self.file = tempfile.TemporaryFile(dir=folder)
        nan = np.full((PREDICT_ROWS, width), np.nan, "float32").tobytes()
        for c in range(0, n, PREDICT_ROWS):
            self.file.write(nan[:min(PREDICT_ROWS, n - c) * self.row_bytes])
        self.file.flush()

    def __setitem__(self, rows, values):
        rows = np.atleast_1d(rows)
        values = np.asarray(values, "float32").reshape(len(rows), self.shape[1])
        for r, v in zip(rows, values):
            os.pwrite(self.file.fileno(), v.tobytes(), int(r) * self.row_bytes)

    def take(self, rows):
        """(len(rows), width) float32 array of the `rows`."""
        out = np.empty((len(rows), self.shape[1]), "float32")
        for i, r in enumerate(rows):
            out[i] = np.frombuffer(os.pread(self.file.fileno(), self.row_bytes,
                                            int(r) * self.row_bytes), "float32")
        return out

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()


def parcel_features(series, raster, n_parcels, min_clear, progress, workers, crop=None,
                    out=None):
    """Mean features over each parcel's interior pixels (in the crop mask
    `crop` when given) seen clear at least min_clear times: (X (n_parcels,
    n_features): `out` (a ParcelTable) if given, pixels used, max clear count)."""
    wins = windows(series.grid.width, series.grid.height, series.block(BLOCK_MB))
    has_inner, inner, left = parcels_with_inner(raster, n_parcels, wins, progress)
    # a parcel within one block takes its mean at once, in float32; one over
    # several blocks keeps float64 sums (the same sums) only until its last
    # block is in: {parcel: sums} of the open ones, about a row of blocks'
    x = np.full((n_parcels, len(feature_names(series))), np.nan, "float32") if out is None \
        else out
    left = left[1:]                            # each parcel's windows not consumed yet
    shared = left > 1
    sums = {}
    counts = np.zeros(n_parcels, "int64")
    best = np.zeros(1, "uint16")

    def compute(w):
        ids = in_crop(interior(raster, w, has_inner, inner), crop, w).reshape(-1)
        pick = np.flatnonzero(ids)
        if not pick.size:
            return None
        x, n_clear = series.read(w, pick)
        rows = np.flatnonzero(n_clear >= max(1, min_clear))
        present, pid = np.unique(ids[pick][rows] - 1, return_inverse=True)
        return present, _block_sums(x, rows, pid, len(present), series), n_clear

    def consume(w, res):
        nonlocal best
        if res is not None:
            present, (block_sums, block_counts), n_clear = res
            best = np.maximum(best, n_clear.max(initial=0))
            counts[present] += block_counts
            alone = ~shared[present]
            x[present[alone]] = block_sums[alone] / block_counts[alone, None]
            for p, s in zip(present[~alone], block_sums[~alone]):
                sums.setdefault(p, np.zeros(x.shape[1]))[:] += s
        ids = np.unique(raster[w.row_off:w.row_off + w.height, w.col_off:w.col_off + w.width])
        ids = ids[ids > 0] - 1
        left[ids] -= 1
        for p in ids[shared[ids] & (left[ids] == 0)]:
            if p in sums:                       # else no clear interior pixel: NaN
                x[p] = sums.pop(p) / counts[p]
    run_blocks(wins, compute, consume, progress, workers, cache_mb=CACHE_MB)
    return x, counts, best


def _block_sums(x, rows, pid, n, series):
    """Sums of the features with extras of the `rows` of `x` over each of `n`
    parcels (`pid`: 0..n-1 per row) and their counts. No copy of the
    block's features (a float64 one took 4 KB per pixel): the float64 sums
    by chunks of columns, the extras by chunks of rows, each sum in pixel
    order as one sparse product over all the columns."""
    def sums_of(values, onehot):
        out = np.empty((n, values.shape[1]))
        for c in range(0, values.shape[1], SUM_COLUMNS):
            out[:, c:c + SUM_COLUMNS] = onehot @ values[:, c:c + SUM_COLUMNS].astype("float64")
        return out
    ones = np.ones(len(rows))
    extras = np.concatenate([_extras(x[rows[c:c + PREDICT_ROWS]], series)    # one if none
                             for c in range(0, max(len(rows), 1), PREDICT_ROWS)])
    sums = np.hstack([sums_of(x, sparse.csr_matrix((ones, (pid, rows)), shape=(n, len(x)))),
                      sums_of(extras, sparse.csr_matrix((ones, (pid, np.arange(len(rows)))),
                                                        shape=(n, len(rows))))])
    return sums, np.bincount(pid, minlength=n)


def predict_rows(model, x, rows, series):
    """model's predictions of the `rows` of the pixels' features `x` (without
    extras), by chunks of PREDICT_ROWS rows: the linear models' float64
    standardised copies of a whole block took 12 KB per pixel."""
    out = np.empty(len(rows), "float32")
    for c in range(0, len(rows), PREDICT_ROWS):
        out[c:c + PREDICT_ROWS] = model.predict(_with_extras(x[rows[c:c + PREDICT_ROWS]],
                                                             series))
    return out


def feature_names(series):
    return (series.names + [f"CIRE_d{off:03d}" for off in series.offsets]
            + list(EXTRA_FEATURES))


def _with_extras(x, series):
    return np.hstack([x, _extras(x, series)])


def _extras(x, series):
    """The features appended to the series': the red-edge chlorophyll index
    of every date, CIred-edge = B7 / B5 - 1 (Clevers & Gitelson 2013, for
    Sentinel-2: it follows canopy chlorophyll and nitrogen, which the bands'
    linear combinations do not), the season's integrated NDVI (NDVI x days)
    and peak NDVI."""
    per_date = len(BANDS) + len(INDICES)
    first = series.names.index(f"NDVI_d{series.offsets[0]:03d}")
    ndvi = x[:, first::per_date] / 1000.0
    red_edge = np.maximum(x[:, BANDS.index("B5")::per_date], RED_EDGE_FLOOR)
    cire = x[:, BANDS.index("B7")::per_date] / red_edge - 1
    extra = np.column_stack([ndvi.sum(axis=1) * max(series.step_days, 1), ndvi.max(axis=1)])
    return np.hstack([cire, extra]).astype("float32")
