"""Annual snow cover duration (LIS L3B: SCD, SOD, SMOD, NOBS).

LIS gap-fills the binary snow series linearly onto every day (OTB
ImageTimeSeriesGapFilling), re-binarises at 0.5 and then measures the
daily series. Between two observations the interpolated line crosses 0.5
at most once, so the snow days of each gap form one contiguous segment
that can be written down directly. We therefore sweep the acquisitions
once, feeding those segments to per-pixel run accumulators: the result is
the daily series' statistics without ever building a (days, H, W) array.
"""
import numpy as np

SYNTH_NODATA = 65535
_NOT_OBSERVED = (205, 254, 255)
# LIS compute_SOD_SMOD only dates the longest period when SCD > 10 days.
LIS_MIN_SCD_FOR_DATES = 11


class _Runs:
    """Running snow-day count and longest snow period, per pixel."""

    def __init__(self, shape):
        self.scd = np.zeros(shape, dtype=np.int32)
        self.run_start = np.zeros(shape, dtype=np.int32)
        self.run_end = np.full(shape, -2, dtype=np.int32)   # -2: no run touching day -1
        self.best_start = np.zeros(shape, dtype=np.int32)
        self.best_len = np.zeros(shape, dtype=np.int32)

    def add(self, first, last, n_days):
        """Add the snow days first..last (inclusive, chronological per pixel)."""
        first = np.maximum(first, 0)
        last = np.minimum(last, n_days - 1)
        m = first <= last
        self.scd[m] += (last - first + 1)[m]
        fresh = m & (self.run_end != first - 1)
        self.run_start[fresh] = first[fresh]
        self.run_end[m] = last[m]
        length = self.run_end - self.run_start + 1
        # Strictly longer: ties keep the earliest period, as LIS' max() does.
        better = m & (length > self.best_len)
        self.best_len[better] = length[better]
        self.best_start[better] = self.run_start[better]


def _gap_segment(t_prev, v_prev, t_now, v_now):
    """Days in (t_prev, t_now] whose interpolated snow value is >= 0.5."""
    gap = t_now - t_prev
    first = np.where(v_prev, t_prev + 1, t_prev + (gap + 1) // 2)   # 0 -> 1: from mid-gap
    last = np.where(v_now, t_now, t_prev + gap // 2)                 # 1 -> 0: until mid-gap
    empty = ~v_prev & ~v_now
    return first, np.where(empty, first - 1, last)


def synthesize(codes, dates, start, end, min_scd_for_dates=LIS_MIN_SCD_FOR_DATES):
    """SCD, SOD, SMOD and NOBS (uint16) from per-date snow codes (T, H, W).

    `dates` may extend beyond [start, end]: outer acquisitions only anchor
    the interpolation. Before the first / after the last observation the
    nearest observation is held. On a day with several acquisitions the
    first observed one wins (LIS date merging). SOD/SMOD are 1-based day
    numbers from `start` (0 = no dated period).
    """
    codes = np.asarray(codes)
    n_days = (end - start).days + 1
    shape = codes.shape[1:]
    runs = _Runs(shape)
    t_prev = np.zeros(shape, dtype=np.int32)
    v_prev = np.zeros(shape, dtype=bool)
    seen = np.zeros(shape, dtype=bool)
    nobs = np.zeros(shape, dtype=np.int32)
    for k in sorted(range(len(dates)), key=lambda i: dates[i]):
        t = (dates[k] - start).days
        obs = ~np.isin(codes[k], _NOT_OBSERVED) & ~(seen & (t_prev == t))
        snow = (codes[k] > 0) & (codes[k] <= 100)
        # Before the first observation its value is held back to day 0.
        first, last = _gap_segment(np.where(seen, t_prev, -1),
                                   np.where(seen, v_prev, snow), t, snow)
        runs.add(np.where(obs, first, 0), np.where(obs, last, -1), n_days)
        nobs += obs & (0 <= t < n_days)
        t_prev = np.where(obs, t, t_prev)
        v_prev = np.where(obs, snow, v_prev)
        seen |= obs
    # After the last observation its value is held to the end.
    hold = seen & v_prev
    runs.add(np.where(hold, t_prev + 1, 0), np.where(hold, n_days - 1, -1), n_days)
    return _outputs(runs, seen, nobs, min_scd_for_dates)


def _outputs(runs, seen, nobs, min_scd_for_dates):
    dated = runs.scd >= max(min_scd_for_dates, 1)
    sod = np.where(dated, runs.best_start + 1, 0)
    smod = np.where(dated, runs.best_start + runs.best_len, 0)
    out = {"SCD": runs.scd, "SOD": sod, "SMOD": smod}
    out = {k: np.where(seen, v, SYNTH_NODATA).astype(np.uint16) for k, v in out.items()}
    out["NOBS"] = nobs.astype(np.uint16)
    return out
