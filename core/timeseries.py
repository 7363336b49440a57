"""Time-series tools shared by the optical products (iota2 recipe):
linear gap-filling of invalid dates onto a regular date grid, edges held at
the nearest clear value (the iota2 features: series.iota2_stack)."""
from datetime import date, timedelta

import numpy as np

def date_grid(start: date, end: date, step_days=10):
    """Regular dates from start to end (inclusive of start), every step_days."""
    n = (end - start).days // step_days + 1
    return [start + timedelta(days=i * step_days) for i in range(n)]


def gapfill(values, valid, dates, grid_dates):
    """Linear interpolation in time of (T, ...) `values` over the dates where
    `valid` (same shape, bool) onto `grid_dates`; before the first / after the
    last clear date the nearest clear value is held (as OTB's gap-filling).
    Pixels with no clear date get NaN. Returns float32 (len(grid_dates), ...)."""
    values = np.asarray(values, dtype="float32")
    return GapFill(np.asarray(valid, bool) & np.isfinite(values), dates, grid_dates)(values)


class GapFill:
    """gapfill() split in two: the interpolation plan of one validity mask
    (which clear dates bracket each grid date, and the weights), computed
    once, then applied to every band that shares the mask."""

    def __init__(self, valid, dates, grid_dates):
        t = np.array([d.toordinal() for d in dates], dtype="float64")
        tg = np.array([d.toordinal() for d in grid_dates], dtype="float64")
        ok = np.asarray(valid, bool).reshape(len(t), -1)
        self.shape = (len(tg),) + np.shape(valid)[1:]
        # previous / next clear date index for every grid date and pixel
        prev = _last_valid_index(ok, t, tg, side="prev")
        nxt = _last_valid_index(ok, t, tg, side="next")
        # one side missing: both indices on the other side (the edge is held)
        self.p = np.where(prev >= 0, prev, np.maximum(nxt, 0)).astype(np.int32)
        self.n = np.where(nxt >= 0, nxt, self.p).astype(np.int32)
        self.none = (prev < 0) & (nxt < 0)
        del prev, nxt
        tp, tn = t[self.p], t[self.n]
        self.w = np.where(tn > tp, (tg[:, None] - tp) / np.where(tn > tp, tn - tp, 1),
                          0.0).astype("float32")
        # flat indices into a (dates, pixels) array: one gather per band
        n_px, cols = ok.shape[1], np.arange(ok.shape[1])
        self.flat_p = self.p.astype(np.intp) * n_px + cols
        self.flat_n = self.n.astype(np.intp) * n_px + cols

    def __call__(self, values):
        flat = np.ascontiguousarray(values).reshape(-1)
        # gathered, then converted: only the grid dates become float32
        vp = flat.take(self.flat_p).astype("float32", copy=False)
        vn = flat.take(self.flat_n).astype("float32", copy=False)
        out = (vp + self.w * (vn - vp)).astype("float32", copy=False)
        out[self.none] = np.nan
        return out.reshape(self.shape)


def _last_valid_index(ok, t, tg, side):
    """For each grid time and pixel, index of the clear date at or before
    (side="prev") / at or after (side="next") it; -1 when none."""
    n_t, n_px = ok.shape
    kind = np.int16 if n_t < 2 ** 15 - 1 else np.int32     # small indices: less to move
    order = np.arange(n_t, dtype=kind)[:, None]
    if side == "prev":
        run = np.maximum.accumulate(np.where(ok, order, kind(-1)), axis=0)
        pos = np.searchsorted(t, tg, side="right") - 1
    else:
        run = np.minimum.accumulate(np.where(ok, order, kind(n_t))[::-1], axis=0)[::-1]
        run[run == n_t] = -1
        pos = np.searchsorted(t, tg, side="left")
    inside = (pos >= 0) & (pos < n_t)
    out = run[np.clip(pos, 0, n_t - 1)]
    out[~inside] = -1
    return out


def normalized_difference(a, b):
    """(a - b) / (a + b), 0 where |a + b| < 1e-5 (iota2)."""
    s = a + b
    safe = np.where(np.abs(s) < 1e-5, 1.0, s)
    return np.where(np.abs(s) < 1e-5, 0.0, (a - b) / safe).astype("float32")
