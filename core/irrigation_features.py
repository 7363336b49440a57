"""chainon:irrigation's parcel features (the method is in core/irrigation.py's
docstring): Sentinel-2 indices gap-filled onto a date grid, Sentinel-1
backscatter against the crop's and the 10 km context's, the rain as water
balance (antecedent precipitation index, dry acquisitions, wetting events),
the features relative to the crop group, and the joint features that need two
sources. Inputs are parcel sums (irrigation.ParcelSeries); outputs a Table."""
from dataclasses import dataclass
from datetime import date
from itertools import chain

import numpy as np

from .timeseries import date_grid, gapfill

S2_INDICES = ("NDVI", "NDRE", "NDWI")
CONTEXT_M = 10000.0    # Bazzi et al. 2020 compare the plot with a 10 km grid's signal
API_DECAY = 0.85       # antecedent precipitation index, per day (Kohler & Linsley: 0.85-0.98)
DRY_MM = 5.0           # an acquisition is dry below this API (mm)
MIN_GROUP = 5          # a crop's median needs a few parcels: below, the crop over the area
JUMP_DB = 0.5          # a wetting event: VV rises this much above the crop's (dB)
NDVI_OPEN = 0.75       # above, C-band sees the canopy, not the soil (see core/irrigation.py)
CHUNK_PARCELS = 20000     # parcels gap-filled or predicted together: tens of MB of copies
CROP_COLUMNS = 8       # features read against the crop's together (64 bytes per parcel)


def months(start, end):
    """(year, month) of every month touched by [start, end]."""
    out, d = [], date(start.year, start.month, 1)
    while d <= end:
        out.append((d.year, d.month))
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return out


def antecedent_index(rain):
    """Antecedent precipitation index (mm) of every day, (cells, days): the
    rain of the day plus API_DECAY times the index of the day before."""
    api = np.zeros_like(rain, dtype="float64")
    for t in range(rain.shape[1]):
        api[:, t] = rain[:, t] + (API_DECAY * api[:, t - 1] if t else 0.0)
    return api


def _monthly(values, month, n_months):
    """(n_months, parcels) mean of (times, parcels) `values` over the times
    of each month, NaN ignored, NaN where none."""
    ok = np.isfinite(values)
    v = np.where(ok, values, 0.0)
    s = np.stack([v[month == m].sum(axis=0) for m in range(n_months)])
    c = np.stack([ok[month == m].sum(axis=0) for m in range(n_months)])
    return np.where(c > 0, s / np.maximum(c, 1), np.nan)


def _filled(values, fallback):
    """`values`, `fallback` where NaN, then each parcel's mean over the
    months where still NaN (NaN when it has no value at all)."""
    out = np.where(np.isfinite(values), values, fallback)
    ok = np.isfinite(out)
    mean = np.where(ok, out, 0).sum(axis=0) / np.where(ok.any(axis=0), ok.sum(axis=0), np.nan)
    return np.where(ok, out, mean)


def _regional(values, region):
    """(times, parcels) `values` minus the median of the parcels of the same
    region (or group) at the same time."""
    out = np.full_like(values, np.nan)
    for r in np.unique(region):
        at = region == r
        block = values[:, at]
        seen = np.isfinite(block).any(axis=1)
        med = np.full(len(values), np.nan)
        med[seen] = np.nanmedian(block[seen], axis=1)
        out[:, at] = block - med[:, None]
    return out


@dataclass
class Table:
    x: np.ndarray          # (parcels, features), NaN: not enough data
    names: list
    source: np.ndarray     # "S2", "S1" or "RAIN" per feature


def crop_groups(crops, region):
    """A group per parcel: its crop within its region, or its crop over the
    area when fewer than MIN_GROUP parcels of the crop are in the region."""
    crops = np.asarray(["" if c is None else str(c) for c in crops])
    key = np.char.add(np.char.add(crops, "|"), region.astype("int64").astype(str))
    _, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    return np.where(counts[inv] >= MIN_GROUP, key, crops)


def wetting_events(jumps, rain_between, group, soil_seen=True):
    """Share of the dry intervals (no rain between two acquisitions) where
    VV jumps JUMP_DB above the median jump of the same crop, and the mean
    such excess (dB): (jumps, rain_between) are (intervals, parcels), the
    jumps in dB, the rain in mm (NaN: not known); soil_seen: (intervals,
    parcels) False where the canopy hides the soil (those not counted). A
    parcel whose rain is known but never dry counts all intervals (see
    dry_or_all); one whose rain is not known, none (NaN)."""
    rel = _regional(jumps, group)
    seen = np.isfinite(rel) & soil_seen
    dry = dry_or_all((rain_between < DRY_MM) & seen, seen & np.isfinite(rain_between))
    n = dry.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(dry, rel > JUMP_DB, False).sum(axis=0) / n
        np.maximum(rel, 0, out=rel)              # in place: one (intervals, parcels) array
        rel[~dry] = 0
        excess = rel.sum(axis=0) / n
    return np.where(n > 0, share, np.nan), np.where(n > 0, excess, np.nan)


def _crop_parts(table, crops, group, events):
    """The columns the declared crops add to `table`: every feature minus the
    median of its crop group, the crop as a feature and the wetting events
    (with the rain: source RAIN), as (x, names, source) one part at a time:
    the caller writes each away before the next is made."""
    crops, kinds = crop_kinds(crops)
    for c in range(0, len(table.names), CROP_COLUMNS):       # never a copy of the table
        at = slice(c, c + CROP_COLUMNS)
        yield (_regional(table.x[:, at].T, group).T, [f"{n}_CROP" for n in table.names[at]],
               table.source[at])
    yield ((crops[:, None] == kinds).astype("float64"), [f"CROP_{k}" for k in kinds],
           np.array(["CROP"] * kinds.size))
    yield np.column_stack(events), ["WET_EVENTS", "WET_EXCESS"], np.array(["RAIN", "RAIN"])


def crop_kinds(crops):
    """The declared crops as strings ("" when none) and their kinds."""
    crops = np.asarray(["" if c is None else str(c) for c in crops])
    return crops, np.unique(crops)


def _assembled(parts, dtype, n_columns=None):
    """A Table of (x, names, source) `parts` side by side, each written into
    one `dtype` array as it comes (n_columns: their total, when `parts` is a
    generator), never two whole copies at once."""
    if n_columns is None:
        parts = list(parts)
        n_columns = sum(len(names) for _, names, _ in parts)
    x, names, source, at = None, [], [], 0
    for values, part_names, part_source in parts:
        if x is None:
            x = np.empty((len(values), n_columns), dtype)
        x[:, at:at + len(part_names)] = values
        at += len(part_names)
        names += list(part_names)
        source.append(np.asarray(part_source))
        del values
    if at != n_columns:          # columns never written would hold garbage
        raise ValueError(f"{at} feature columns assembled, {n_columns} announced")
    return Table(x, names, np.concatenate(source))


def clear_changes(values, seen):
    """(dates, parcels) change of `values` since the parcel's previous seen
    date (NaN on unseen dates and the first seen one) and that date's index
    (-1: none)."""
    change = np.full(values.shape, np.nan)
    previous = np.full(values.shape, -1, "int32")        # date indices
    last = np.full(values.shape[1], -1)
    for t in range(len(values)):
        ok = seen[t] & np.isfinite(values[t])
        at = np.flatnonzero(ok & (last >= 0))
        change[t, at] = values[t, at] - values[last[at], at]
        previous[t, at] = last[at]
        last = np.where(ok, t, last)
    return change, previous


def dry_or_all(dry, available):
    """(times, parcels) `dry` where a parcel has a dry time, else `available`:
    where it rains all the time nothing tells irrigation from rain, and rain
    that only says where a parcel lies must read as no rain at all."""
    return np.where(dry.any(axis=0), dry, available)


def _mean_or_zero(values, counted):
    """Each parcel's mean of (times, parcels) `values` where `counted`, 0
    where none is: no evidence reads as no departure, never as a detection."""
    n = counted.sum(axis=0)
    total = np.where(counted, values, 0.0).sum(axis=0)
    return np.where(n > 0, total / np.maximum(n, 1), 0.0)


def joint_features(means, seen, dates, api, total, day_of, cell, group, vv_events):
    """Features no single source has (source JOINT): Sentinel-2 NDVI and
    NDWI against the parcels of the same group on dry dates (API below
    DRY_MM: green and moist without rain), the rises of NDWI between clear
    dates with no rain between (a wetted soil darkens in SWIR), and the
    Sentinel-1 wetting events of intervals where the canopy lets the radar
    see the soil (`vv_events`: share and excess, see wetting_events). means
    (NDVI, NDRE, NDWI) and seen: see ParcelSeries.s2_means; api, total:
    (cells, days) API and cumulative rain from the first day (one more
    column); day_of(dates): their day indices; cell: each parcel's rain
    cell (-1: rain not known, no evidence: 0)."""
    known = cell[None] >= 0
    day = day_of(dates)
    dry = known & (api[:, day][np.maximum(cell, 0)].T < DRY_MM)
    ndvi, ndwi = means[0], means[2]
    # nan_to_num in place: on arrays made here, one (dates, parcels) copy less
    anomalies = [_mean_or_zero(np.nan_to_num(_regional(ix, group), copy=False),
                               dry_or_all(dry & seen & np.isfinite(ix),
                                          known & seen & np.isfinite(ix)))
                 for ix in (ndvi, ndwi)]
    change, previous = clear_changes(ndwi, seen)
    rise = np.nan_to_num(_regional(change, group), copy=False)
    del change
    np.maximum(rise, 0, out=rise)
    # rain up to each date's end, by groups of parcels (a (dates, parcels)
    # array of it took ~0.2 KB per parcel, several at once)
    upto = total[:, day + 1]
    wetted = np.concatenate([_rises_without_rain(np.ascontiguousarray(rise[:, p]),
                                                 previous[:, p],
                                                 upto[np.maximum(cell[p], 0)].T, known[:, p])
                             for p in _parcel_groups(len(cell))])
    x = np.column_stack(anomalies + [wetted] + [np.nan_to_num(v) for v in vv_events])
    return x, ["NDVI_DRY", "NDWI_DRY", "NDWI_RISE_DRY", "WET_OPEN_EVENTS", "WET_OPEN_EXCESS"]


def _rises_without_rain(rise, previous, upto, known):
    """Each parcel's mean `rise` since its `previous` clear date when no rain
    fell between (`upto`: rain up to each date's end), see joint_features."""
    between = upto - np.take_along_axis(upto, np.maximum(previous, 0), axis=0)
    steps = previous >= 0
    return _mean_or_zero(rise, dry_or_all(known & steps & (between < DRY_MM), known & steps))


def _parcel_groups(n):
    """Slices of CHUNK_PARCELS of n parcels, none of a single parcel unless
    n is 1: numpy sums a (times, 1) array in another order than a (times,
    parcels) one (pairwise), and the results would differ in their last bit."""
    starts = list(range(0, n, CHUNK_PARCELS))
    if len(starts) > 1 and n - starts[-1] == 1:
        starts.pop()
    return [slice(a, b) for a, b in zip(starts, starts[1:] + [n])]


def parcel_features(series, rain, cell, start, end, step_days, crops=None):
    """The per-parcel feature table (see the module's docstring). The
    series' sums are turned into means in place and dropped from it as they
    are used (see ParcelSeries.s2_means): it cannot be read again."""
    span = months(start, end)
    tag = [f"{y}{m:02d}" for y, m in span]

    def month_of(days):
        return np.array([span.index((d.year, d.month)) if (d.year, d.month) in span else -1
                         for d in days])
    # Sentinel-2: monthly sums of the indices gap-filled every step_days
    grid_dates = date_grid(start, end, step_days)
    means, seen = series.s2_means()
    per_month = np.bincount(month_of(grid_dates), minlength=len(span))[:, None]
    s2 = [_monthly(_gapfilled(ix, seen, series.dates, grid_dates), month_of(grid_dates),
                   len(span)) * per_month for ix in means]
    means[1] = None                  # NDRE: only its monthly sums are features
    region = (np.floor(series.rows * series.grid.res / np.maximum(series.pixels, 1) / CONTEXT_M)
              * 1e6 + np.floor(series.cols * series.grid.res / np.maximum(series.pixels, 1)
                               / CONTEXT_M))
    api = antecedent_index(rain)
    total = np.concatenate([np.zeros((len(api), 1)), np.cumsum(rain, axis=1)], axis=1)

    def day_of(days):
        return np.clip([(d - start).days for d in days], 0, api.shape[1] - 1)
    monthly, (jumps, between, soil_seen) = _s1_features(series, means[0], seen, region, api,
                                                        total, cell, day_of, month_of,
                                                        len(span))
    # the groups as integers: strings took ~80 bytes per parcel (and slow compares)
    group = (region if crops is None
             else np.unique(crop_groups(crops, region), return_inverse=True)[1].ravel())
    # the wetting events at once: their inputs (~0.35 KB per parcel) go
    vv_events = wetting_events(jumps, between, group, soil_seen)
    del soil_seen
    events = None if crops is None else wetting_events(jumps, between, group)
    del jumps, between
    groups = [("S2", i, m) for i, m in zip(S2_INDICES, s2)] + monthly
    del monthly, s2
    table = _monthly_table(groups, tag)
    joint = joint_features(means, seen, series.dates, api, total, day_of, cell, group,
                           vv_events)
    del means, seen
    parts = [(table.x, table.names, table.source)]
    n_columns = len(table.names) + len(joint[1])
    if crops is not None:
        n_columns += len(table.names) + len(crop_kinds(crops)[1]) + 2
        parts = chain(parts, _crop_parts(table, crops, group, events))
    # float32: the forests split on X cast to float32 anyway (sklearn's
    # trees), so their decisions are those of the float64 features, in half
    # the memory; the features themselves are computed in float64
    return _assembled(chain(parts, [(joint[0], joint[1], ["JOINT"] * len(joint[1]))]),
                      "float32", n_columns)


def _monthly_table(groups, tag):
    """A float64 Table of [(source, name, (months, parcels) values)], each
    month a column named name_month: the values are let go one by one as
    they are copied in (the caller holds none), never all twice."""
    n, names, source = groups[0][2].shape[1], [], []
    x = np.empty((n, len(groups) * len(tag)))
    for j in range(len(groups)):
        (kind, name, values), groups[j] = groups[j], None
        x[:, j * len(tag):(j + 1) * len(tag)] = values.T
        names += [f"{name}_{t}" for t in tag]
        source += [kind] * len(tag)
        del values
    return Table(x, names, np.array(source))


def _gapfilled(values, seen, dates, to_dates):
    """timeseries.gapfill of (dates, parcels) `values` by groups of
    CHUNK_PARCELS parcels (each parcel's series alone: the same values), so
    that its interpolation plan (~30 bytes per parcel-date) stays small."""
    out = np.empty((len(to_dates), values.shape[1]), "float32")
    for c in range(0, values.shape[1], CHUNK_PARCELS):
        part = slice(c, c + CHUNK_PARCELS)
        out[:, part] = gapfill(values[:, part], seen[:, part], dates, to_dates)
    return out


def _rises(changes):
    """The positive part of (times - 1, parcels) `changes` under a NaN
    first row (no change before the first time), written in one array."""
    out = np.empty((len(changes) + 1, changes.shape[1]))
    out[0] = np.nan
    np.maximum(changes, 0, out=out[1:])
    return out


def _joined(arrays, axis=0):
    """np.concatenate without its copy when there is one array (one orbit)."""
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays, axis=axis)


def _s1_features(series, ndvi, seen, region, api, total, cell, day_of, month_of, n_months):
    """Sentinel-1's monthly features [(source, name, (months, parcels))],
    orbits apart for changes, pooled for the monthly means, and (jumps, rain
    between, soil seen), (intervals, parcels) of every orbit, for the
    wetting events. Each array goes as soon as it is used (issue 13)."""
    power = [series.s1_power(orbit) for orbit in series.s1_days]
    month = np.concatenate([month_of(days) for days in series.s1_days.values()])
    # the pooled means first: each orbit's power then goes once its VV is read
    joined = _joined(power, axis=1)
    pooled = [_filled(_monthly(joined[j], month, n_months), np.nan) for j in (0, 1)]
    del joined
    with np.errstate(divide="ignore", invalid="ignore"):
        vv_db, vh_db = (10 * np.log10(v) for v in pooled)
    del pooled
    rel, dry, jumps = [], [], []
    for o, days in enumerate(series.s1_days.values()):
        with np.errstate(divide="ignore", invalid="ignore"):
            vv = 10 * np.log10(power[o][0])
        power[o] = None
        rel.append(_regional(vv, region))
        jumps.append(np.diff(vv, axis=0))
        del vv
        day = day_of([d.date() for d in days])
        dry.append(np.where(cell[None] >= 0, api[:, day][np.maximum(cell, 0)].T < DRY_MM, False))
    # the rises one after the other, each from what is held anyway
    rise = _joined([_rises(np.diff(r, axis=0)) for r in rel])
    rise_m = _filled(_monthly(rise, month, n_months), 0.0)
    del rise
    rel, dry = _joined(rel), _joined(dry)
    wet_dry = _filled(_monthly(np.where(dry, rel, np.nan), month, n_months),
                      _monthly(rel, month, n_months))
    del rel
    rise_raw = _joined([_rises(j) for j in jumps])
    rise_dry = _filled(_monthly(np.where(dry, rise_raw, np.nan), month, n_months),
                       _monthly(rise_raw, month, n_months))
    del rise_raw, dry
    monthly = [("S1", "VV", vv_db), ("S1", "VH", vh_db), ("S1", "VHVV", vh_db - vv_db),
               ("S1", "VV_RISE", rise_m), ("RAIN", "VV_DRY", wet_dry),
               ("RAIN", "VV_RISE_DRY", rise_dry)]
    # the wetting events' rain and canopy last: not held with the arrays above
    return monthly, (_joined(jumps),) + _rain_and_canopy(series, ndvi, seen, total, cell,
                                                         day_of)


def _rain_and_canopy(series, ndvi, seen, total, cell, day_of):
    """(intervals, parcels) rain between consecutive acquisitions of every
    orbit (mm, NaN: not known) and whether the canopy lets the radar see
    the soil at the second one (see _s1_features)."""
    between, soil_seen = [], []
    for days in series.s1_days.values():
        # rain of the days after one acquisition up to the next one's day
        k = day_of([d.date() for d in days]) + 1
        between.append(np.where(cell[None] >= 0,
                                (total[:, k[1:]] - total[:, k[:-1]])[np.maximum(cell, 0)].T,
                                np.nan))
        # no Sentinel-2 (NaN): not seen
        soil_seen.append(_gapfilled(ndvi, seen, series.dates, [d.date() for d in days])[1:]
                         < NDVI_OPEN)
    return _joined(between), _joined(soil_seen)
