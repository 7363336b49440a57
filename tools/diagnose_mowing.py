"""Diagnoses chainon:mowing_date on independent grassland scenes (validation/sims/grassland.py,
run unchanged: its sky and sward are only recorded on the way, no random draw is added).

For each seed, on the meadow pixels the robustness runner scores (validation/mowing_date.py):
- the clear-date calendar over the mowing season (share of meadow pixels clear by the
  cloud mask, kept by the product's cloud/haze screening, altered by unflagged haze or
  cloud fringes) and the commonest per-pixel calendars;
- per mown meadow: its true cuts, the clear dates around its first cut, the product's answer;
- ORACLE BOUNDS for dating the first cut knowing only which dates are clear (the cut lies
  between the last clear date before it and the first clear date on or after it):
  the interval's midpoint, and the best single day per interval chosen with the truth known
  (the median true day of the pixels sharing that interval: no method using only the clear
  calendar can do better); the share of mown pixels datable within 6 days;
- never-mown meadow pixels the product leaves undecided (a cut found, not dated): which rule
  left them undecided and what the scene did across the fall found (true green area lost,
  grazing, heading, drought stress, unflagged haze or cloud fringes).
Usage: python tools/diagnose_mowing.py --seeds 19 [--calendar]"""
import argparse
import sys
from collections import Counter
from datetime import date
from pathlib import Path
import tempfile

import numpy as np
import rasterio

ROOT = Path(__file__).resolve().parents[1]
if not (ROOT / ".pkgroot" / "chainon").exists():
    (ROOT / ".pkgroot").mkdir(exist_ok=True)
    (ROOT / ".pkgroot" / "chainon").symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(ROOT / ".pkgroot"))

from chainon.core import mowing                                    # noqa: E402
from chainon.core.blocks import windows                            # noqa: E402
from chainon.core.inputs import processing_grid, select_products   # noqa: E402
from chainon.core.mowing_date import (BLOCK, Grassland, GrasslandArea, Series,  # noqa: E402
                                      area_facts)
from chainon.core.timeseries import date_grid                      # noqa: E402
from chainon.validation import mowing_date as runner              # noqa: E402
from chainon.validation.sims import canopy, grassland              # noqa: E402

SEASON = (110, 215)          # days of year shown: first cuts fall on days 123-209
WITHIN = 6                   # the bar: MAE <= 6 days
REGROWN_DAYS = 20            # a cut sward looks uncut again (Sinergise's mowing marker)


def instrumented_scene(seed, work):
    """The runner's independent scene, and what the simulator drew on the way: per
    acquisition (cloud fraction, CLM, unflagged alteration), the daily series of the
    units, the pixels' units and gains, the weather and the meadows."""
    rec = dict(sky=[])
    originals = (canopy.apply_sky, canopy.make_weather, grassland.meadow_series,
                 grassland._series, grassland.pixel_properties)

    def sky(rng, refl, fraction, haze_prob=0.15):
        out = originals[0](rng, refl, fraction, haze_prob)
        rec["sky"].append((fraction, out[1], out[2]))
        return out

    def weather(*a, **k):
        rec["weather"] = originals[1](*a, **k)
        return rec["weather"]

    def meadows(fields, *a):
        rec["meadows"] = {f["id"]: f for f in fields}
        return originals[2](fields, *a)

    def series(*a):
        rec["series"] = originals[3](*a)
        return rec["series"]

    def pixels(*a, **k):
        rec["pix_unit"], rec["pix"] = originals[4](*a, **k)
        return rec["pix_unit"], rec["pix"]

    canopy.apply_sky, canopy.make_weather = sky, weather
    grassland.meadow_series, grassland._series, grassland.pixel_properties = (
        meadows, series, pixels)
    try:
        scene = runner.make_scene("independent", seed, work)
    finally:
        (canopy.apply_sky, canopy.make_weather, grassland.meadow_series, grassland._series,
         grassland.pixel_properties) = originals
    return scene, rec


def product_view(scene, seed):
    """What the product sees on the meadow pixels: (pick, dates, NDVI, clear, haze,
    water, kept clear dates, answer per pixel, params, series)."""
    codes, truth = runner.truth_rasters(scene, (scene.grid.height, scene.grid.width))
    params = mowing.MowingParams(seed=seed)
    products, start, end = select_products(scene.s2_folder, scene.start, scene.end,
                                           mowing.FEATURE_BANDS)
    grid = processing_grid(products[0], None, None)
    series = Series(products, grid, date_grid(start, end, params.step_days), params)
    area = GrasslandArea(Grassland(land_cover=str(scene.land_cover_path),
                                   classes=tuple(map(float, codes))), grid)
    wins = windows(grid.width, grid.height, BLOCK)
    assert len(wins) == 1, "one block scenes only"
    series.reference, series.fresh_depth = area_facts(series, area, wins, params, 1)
    grass = area.window(wins[0])[0].reshape(-1)
    pick = np.flatnonzero(grass & (truth.reshape(-1) >= 0))
    _, n_clear, (nd, clear, haze, water) = series.read(wins[0], pick, with_bands=False)
    kept = mowing.despiked(nd, clear, series.dates, mowing.DIP_DEPTH * params.drop, haze)
    doy = np.full(pick.size, mowing.UNDECIDED, "int64")    # too few clear dates: no answer
    seen = n_clear >= params.min_clear
    doy[seen] = mowing.detect_first_mowing(nd[:, seen], clear[:, seen], series.dates, params,
                                           series.reference, haze[:, seen],
                                           series.fresh_depth, water[:, seen])[0]
    return dict(pick=pick, truth=truth.reshape(-1)[pick], dates=series.dates, nd=nd,
                clear=clear, haze=haze, water=water, kept=kept, doy=doy, seen=seen,
                params=params, series=series)


def doys(dates):
    return np.array([d.timetuple().tm_yday for d in dates])


def calendar(view, rec):
    """Per acquisition in the season: cloud fraction, share of meadow pixels clear by the
    mask, kept by the product, and of the clear ones altered without a flag."""
    days = doys(view["dates"])
    print("DOY  cloud_frac  clear_mask  kept  clear_but_altered(haze/fringe)")
    for k, d in enumerate(days):
        if not SEASON[0] <= d <= SEASON[1]:
            continue
        frac, _, unflagged = rec["sky"][k]
        clr = view["clear"][k]
        altered = unflagged.reshape(-1)[view["pick"]] & clr
        print(f"{d:4d}  {frac:10.2f}  {clr.mean():10.3f}  {view['kept'][k].mean():.3f}  "
              f"{altered.sum() / max(clr.sum(), 1):.3f}")


def patterns(view, mask, n=6):
    days = doys(view["dates"])
    season = (days >= SEASON[0]) & (days <= SEASON[1])
    keys = [" ".join(map(str, days[season][view["kept"][season, i]]))
            for i in np.flatnonzero(mask)]
    total = mask.sum()
    print(f"commonest kept-clear calendars (days {SEASON[0]}-{SEASON[1]}) of {total} pixels:")
    for key, count in Counter(keys).most_common(n):
        print(f"  {count / total:6.1%}  {key}")


def brackets(days, ok, cut):
    """(last clear day before `cut`, first clear day on or after it; NaN when none), per
    pixel: `ok` (T, n) clear dates, `cut` (n,) true days."""
    d = days[:, None].astype(float)
    before = np.where(ok & (d < cut), d, -np.inf).max(axis=0)
    after = np.where(ok & (d >= cut), d, np.inf).min(axis=0)
    return np.where(np.isfinite(before), before, np.nan), np.where(np.isfinite(after), after,
                                                                   np.nan)


def oracle(view, ok, label, missed_too=False):
    """Midpoint and best-point-per-interval MAE of the first cut over the mown pixels;
    `missed_too`: also when the first cut of those called not mown was next seen."""
    mown = view["truth"] > 0
    cut = view["truth"][mown].astype(float)
    lo, hi = brackets(doys(view["dates"]), ok[:, mown], cut)
    inside = np.isfinite(lo) & np.isfinite(hi)
    err_mid = np.abs((lo + hi) / 2 - cut)[inside]
    best = np.full(cut.shape, np.nan)
    for key in set(zip(lo[inside], hi[inside])):
        same = inside & (lo == key[0]) & (hi == key[1])
        best[same] = np.median(cut[same])
    err_best = np.abs(best - cut)[inside]
    width = (hi - lo)[inside]
    missed = view["doy"][mown] == 0
    if missed.any() and missed_too:
        seen_after = (hi - cut)[missed]
        print(f"mown pixels called not mown: {missed.mean():.1%}; their first cut's next kept "
              f"clear date median {np.nanmedian(seen_after):.0f} d after it, > {REGROWN_DAYS} d "
              f"after it (regrown unseen): {np.mean(seen_after > REGROWN_DAYS):.1%}")
    print(f"{label}: {inside.mean():.1%} of {mown.sum()} mown pixels bracketed; interval "
          f"median {np.median(width):.0f} d (<= 12 d: {np.mean(width <= 12):.1%}, < 25 d: "
          f"{np.mean(width < 25):.1%}); midpoint MAE {err_mid.mean():.2f} d, within "
          f"{WITHIN} d {np.mean(err_mid <= WITHIN):.1%}; best point per interval (truth "
          f"known) MAE {err_best.mean():.2f} d, within {WITHIN} d "
          f"{np.mean(err_best <= WITHIN):.1%}")
    return lo, hi


def parcel_labels(scene):
    with rasterio.open(Path(scene.truth_dir) / "parcel_label.tif") as ds:
        return ds.read(1)


def meadow_table(scene, view, lo, hi):
    labels = parcel_labels(scene)
    label = labels.reshape(-1)[view["pick"]]
    mown = view["truth"] > 0
    print("parcel  mgmt  cuts  pixels  first-cut interval (commonest)  product: dated "
          "undecided none  median dated day")
    for p in sorted(scene.parcel_table, key=lambda p: p["first_doy"] or 0):
        if not p["first_doy"]:
            continue
        m = label[mown] == p["label"]
        if not m.any():
            continue
        pairs = Counter(zip(lo[m], hi[m])).most_common(1)[0][0]
        d = view["doy"][mown][m]
        dated = (d > 0) & (d != mowing.UNDECIDED)
        med = f"{np.median(d[dated]):.0f}" if dated.any() else "-"
        cuts = " ".join(map(str, p["all_mowing_doys"]))
        print(f"{p['parcel_id']}  {p['management']:5s}  {cuts:8s}  {m.sum():5d}  "
              f"{pairs[0]:.0f}-{pairs[1]:.0f}  {dated.mean():.2f} "
              f"{(d == mowing.UNDECIDED).mean():.2f} {(d == 0).mean():.2f}  {med}")


def undecided_rules(view):
    """On the pixels seen on enough dates (cols): whether a cut was found, its fall's
    step [lo, hi] (ordinals), which of detect_first_mowing's undecided rules each meets,
    the day the product would give without them, and the longest clear gap from the
    peak to the fall's low date."""
    p, s = view["params"], view["series"]
    ok = view["seen"]
    cols = np.flatnonzero(ok)
    nd, clear, haze, water = (view[k][:, ok] for k in ("nd", "clear", "haze", "water"))
    v, tt, lo_step, hi, start, found, t_peak, kept = mowing._falls(nd, clear, s.dates, p,
                                                                   s.reference, haze)
    rules = dict(
        gap_before=mowing._longest_gap(tt, t_peak, start) >= mowing.HIDDEN_GAP_DAYS,
        long_step=hi - lo_step >= mowing.LONG_STEP_DAYS,
        unplaced=mowing._unplaced(v, tt, lo_step, hi),
        regrown_dip=mowing._regrown_after_gap(v, tt, t_peak, start),
        water_trace=mowing._water_trace(water, kept, s.dates, t_peak, start, p.sigmas))
    lo = np.fmax(lo_step, hi - mowing.HIDDEN_GAP_DAYS)
    raw = np.where(found, mowing._doy(mowing.backdated(v, tt, lo, hi, s.fresh_depth)), 0)
    gap = np.nan_to_num(np.fmax(mowing._longest_gap(tt, t_peak, start), hi - lo_step))
    return cols, found, lo_step, hi, rules, raw, gap


def held_back(view):
    """What the undecided rules hold back on the mown pixels: the product's day without
    them, its error, and whether the fall found is a later cut (the true first cut lies
    before the fall's clear step)."""
    cols, found, lo_step, hi, rules, raw, gap = undecided_rules(view)
    truth = view["truth"][cols]
    mown = truth > 0
    year0 = date(view["dates"][0].year, 1, 1).toordinal() - 1
    step_start = lo_step - year0                     # day of year of the step's first date
    held = found & (view["doy"][cols] == mowing.UNDECIDED)
    later = truth < step_start - 0.5
    print(f"mown pixels seen enough: {mown.sum()}; a cut found {np.mean(found[mown]):.1%}, held "
          f"back undecided {np.mean(held[mown]):.1%}")
    groups = [(f"rule {name:12s}", r) for name, r in rules.items()]
    for label, r in groups + [("all held back     ", True)]:
        m = mown & held & r
        if m.any():
            err = np.abs(raw - truth)[m]
            print(f"  {label}: {m.sum():5d} px; dated without the rules MAE "
                  f"{err.mean():6.2f} d, within {WITHIN} d {np.mean(err <= WITHIN):5.1%}, the "
                  f"fall a later cut (first cut before its step) {np.mean(later[m]):5.1%}")
    every = mown & found
    err = np.abs(raw - truth)[every]
    print(f"  every cut found dated (no undecided rule): {np.mean(found[mown]):.1%} of the mown "
          f"pixels seen enough, MAE {err.mean():.2f} d")
    alone = m & rules["gap_before"] & ~np.any([r for k, r in rules.items()
                                               if k != "gap_before"], 0)
    if alone.any():
        err = np.abs(raw - truth)[alone]
        print(f"  gap_before alone  : {alone.sum():5d} px; dated without the rules MAE "
              f"{err.mean():6.2f} d, within {WITHIN} d {np.mean(err <= WITHIN):5.1%}, the fall "
              f"a later cut {np.mean(later[alone]):5.1%}")
    print(f"  mown pixels whose found fall has no clear gap >= {mowing.HIDDEN_GAP_DAYS} d from "
          f"the peak to its low date (no earlier cut can hide): "
          f"{np.mean(found[mown] & (gap[mown] < mowing.HIDDEN_GAP_DAYS)):.1%}")


def true_state(rec, pix_flat, ordinal):
    """(green area, stress) of pixels on a date (proleptic ordinal) from the recorded
    daily series."""
    day0 = rec["weather"]["days"][0]
    t = int(ordinal) - day0.toordinal()
    unit = rec["pix_unit"].reshape(-1)[pix_flat]
    gain = rec["pix"]["gain"].reshape(-1)[pix_flat]
    return (rec["series"]["gai"][t][unit] * gain, rec["series"]["stress"][t][unit])


def heading_day(rec):
    """First day the thermal time from 1 February passes 1100 degC d (uncut swards head)."""
    w = rec["weather"]
    year = w["days"][-1].year
    tt = 0.0
    for d, temp in zip(w["days"], w["tmean"]):
        if d.month >= 2 and d.year == year:
            tt += max(temp, 0)
            if tt > 1100:
                return d
    return None


def false_cuts(scene, view, rec):
    """Never-mown meadow pixels left undecided: the rules and the causes of their falls."""
    never = view["truth"] == 0
    und = never & (view["doy"] == mowing.UNDECIDED) & view["seen"]
    d = view["doy"][never]
    print(f"never-mown meadow pixels: {never.sum()}, dated "
          f"{np.mean((d > 0) & (d != mowing.UNDECIDED)):.2%}, undecided "
          f"{np.mean(d == mowing.UNDECIDED):.2%} "
          f"({und.sum()} px with enough clear dates)")
    if not und.any():
        return
    cols, found, lo, hi, rules, _, _ = undecided_rules(view)
    where = np.searchsorted(cols, np.flatnonzero(und))
    print("rules (a pixel can meet several): " + ", ".join(
        f"{k} {r[where].mean():.1%}" for k, r in rules.items()))
    labels = parcel_labels(scene)
    flat = view["pick"][und]
    label = labels.reshape(-1)[flat]
    by_label = {p["label"]: p for p in scene.parcel_table}
    mgmt = np.array([by_label[l]["management"] for l in label])
    heads = np.array([rec["meadows"][l]["heading"] for l in label])
    graze_from = np.array([rec["meadows"][l]["graze_from"].toordinal() for l in label])
    t_lo, t_hi = lo[where], hi[where]
    g_lo = np.array([true_state(rec, f, t)[0] for f, t in zip(flat, t_lo)])
    g_hi = np.array([true_state(rec, f, t)[0] for f, t in zip(flat, t_hi)])
    s_lo = np.array([true_state(rec, f, t)[1] for f, t in zip(flat, t_lo)])
    s_hi = np.array([max(true_state(rec, f, t)[1] for t in range(int(a), int(b) + 1))
                     for f, a, b in zip(flat, t_lo, t_hi)])     # the step's worst stress
    lost = g_lo - g_hi
    hd = heading_day(rec)
    headed = heads & (t_lo >= hd.toordinal())
    grazed = (mgmt == "grazed") & (t_hi >= graze_from)
    days = doys(view["dates"])
    ordinals = np.array([d.toordinal() for d in view["dates"]])
    k_lo = np.searchsorted(ordinals, t_lo)
    k_hi = np.searchsorted(ordinals, t_hi)
    sky_altered = np.array([_altered(rec, f, k) for f, k in zip(flat, k_hi)])
    sky_before = np.array([_altered(rec, f, k) for f, k in zip(flat, k_lo)])
    print(f"heading (uncut swards, 1100 degC d from 1 Feb): {hd} (DOY "
          f"{hd.timetuple().tm_yday})")
    print("management: " + ", ".join(f"{k} {np.mean(mgmt == k):.1%}" for k in ("never",
                                                                               "grazed")))
    print(f"fall's step (first low date hi): DOY of hi quartiles "
          f"{np.percentile(days[k_hi], [25, 50, 75]).astype(int).tolist()}, step length "
          f"median {np.median(t_hi - t_lo):.0f} d")
    print(f"true green area across the step: lost median {np.median(lost):.2f} "
          f"(from {np.median(g_lo):.2f}); lost > 0.5: {np.mean(lost > 0.5):.1%}; "
          f"water stress (1 - ks) median {np.median(s_lo):.2f} at the step's start, "
          f"{np.median(s_hi):.2f} at its highest in the step; rising by 0.3 or more: "
          f"{np.mean(s_hi - s_lo >= 0.3):.1%}")
    print(f"grazing active {grazed.mean():.1%}; headed swards (senescing) "
          f"{headed.mean():.1%}; unflagged haze/fringe on the low date {sky_altered.mean():.1%}, "
          f"on the date before {sky_before.mean():.1%}")
    awc = np.array([rec["meadows"][l]["awc"] for l in label])
    never_all = view["pick"][never & view["seen"]]
    awc_all = np.array([rec["meadows"][l]["awc"] for l in labels.reshape(-1)[never_all]])
    print(f"soil water capacity (AWC, mm): undecided never-mown pixels median {np.median(awc):.0f}"
          f", all never-mown pixels {np.median(awc_all):.0f}; AWC < 100 mm: "
          f"{np.mean(awc < 100):.1%} against {np.mean(awc_all < 100):.1%}")
    area_loss, area_stress = np.zeros(lost.size), np.zeros(lost.size)
    for pair in set(zip(t_lo, t_hi)):             # all never-mown pixels over the same steps
        same = (t_lo == pair[0]) & (t_hi == pair[1])
        g0, g1 = (true_state(rec, never_all, t)[0] for t in pair)
        worst = np.max([true_state(rec, never_all, t)[1]
                        for t in range(int(pair[0]), int(pair[1]) + 1)], axis=0)
        area_loss[same], area_stress[same] = np.median((g0 - g1) / g0), np.median(worst)
    k = int(np.median(k_hi))                        # the area's unmown reference that day
    top = view["clear"][k] & (view["nd"][k] >= view["series"].reference[k])
    awc_top = [rec["meadows"][l]["awc"] for l in labels.reshape(-1)[view["pick"][top]]]
    print(f"meadow pixels at or above the area's reference NDVI on DOY {days[k]} (the median "
          f"low date): {top.sum()}, soil water capacity median {np.median(awc_top):.0f} mm")
    lab_all = labels.reshape(-1)[never_all]
    grazed_all = np.mean([by_label[l]["management"] == "grazed" for l in lab_all])
    print(f"over the same steps, these pixels against all never-mown pixels (medians): green "
          f"area lost {np.median(lost / g_lo):.0%} against {np.median(area_loss):.0%}; highest "
          f"water stress {np.median(s_hi):.2f} against {np.median(area_stress):.2f}; grazed "
          f"pastures {np.mean(mgmt == 'grazed'):.0%} of these pixels, {grazed_all:.0%} of all "
          f"never-mown pixels")


def _altered(rec, flat, k):
    return bool(rec["sky"][k][2].reshape(-1)[flat])


def diagnose(seed, work, with_calendar):
    scene, rec = instrumented_scene(seed, work)
    view = product_view(scene, seed)
    mown = view["truth"] > 0
    d = view["doy"][mown]
    dated = (d > 0) & (d != mowing.UNDECIDED)
    err = np.abs(d - view["truth"][mown])[dated]
    print(f"== independent seed {seed}: product on {mown.sum()} mown meadow pixels: dated "
          f"{dated.mean():.1%} (MAE {err.mean() if err.size else float('inf'):.2f} d), "
          f"undecided {np.mean(d == mowing.UNDECIDED):.1%}, not mown {np.mean(d == 0):.1%}")
    if with_calendar:
        calendar(view, rec)
        patterns(view, mown)
    quantiles = np.percentile(view["truth"][mown], [0, 25, 50, 75, 100]).astype(int)
    print(f"true first cuts: {quantiles.tolist()} (min, quartiles, max)")
    lo, hi = oracle(view, view["clear"], "oracle on the mask's clear dates")
    oracle(view, view["kept"], "oracle on the dates the product keeps", missed_too=True)
    held_back(view)
    if with_calendar:
        meadow_table(scene, view, lo, hi)
    false_cuts(scene, view, rec)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[19])
    parser.add_argument("--calendar", action="store_true", help="print the clear calendars")
    args = parser.parse_args()
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as work:
            diagnose(seed, Path(work), args.calendar)


if __name__ == "__main__":
    main()
