"""First mowing date: the detection method on known series, both methods
against the simulator's truth (the paper's metric, MAE in days, on held-out
parcels), and both against the field dates of real Slovak meadows."""
import csv
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import rasterio
from osgeo import ogr

from chainon.core import mowing, mowing_date
from chainon.core.blocks import Progress
from chainon.core.errors import InputError
from chainon.core.mowing_date import (DETECTION_FALLBACK, Grassland, Regressor,
                                      compare_with_detection, run_mowing_date)
from chainon.core.scenes.mowing import FIRST_CUT, GRASSLAND, make_mowing_scene
from chainon.core.theia import find_products
from chainon.core.timeseries import date_grid
from chainon.core.training import read_geojson, reference_from_features, regression_scores

YEAR = 2022
MOWING_REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / \
    "grassland_mowing_events"
CSV_BANDS = {"B2": "blue", "B3": "green", "B4": "red", "B8": "nir", "B11": "swir1"}


def day(doy):
    return date(YEAR, 1, 1) + timedelta(days=doy - 1)


def detect(series_by_doy, params=None):
    """Detection on clear NDVI values {doy: ndvi} (one pixel)."""
    dates = [day(d) for d in sorted(series_by_doy)]
    values = np.array([[series_by_doy[d]] for d in sorted(series_by_doy)])
    doy, spread = mowing.detect_first_mowing(values, np.ones(values.shape, bool), dates,
                                             params or mowing.MowingParams())
    return int(doy[0]), float(spread[0])


def season(**cuts):
    """A meadow's clear NDVI every 10 days: green-up to 0.8, then `cuts`."""
    base = {60: 0.45, 80: 0.55, 100: 0.7, 120: 0.8, 140: 0.82, 160: 0.8, 180: 0.78,
            200: 0.75, 220: 0.72, 240: 0.7, 260: 0.68, 280: 0.6, 300: 0.55}
    base.update({int(k[1:]): v for k, v in cuts.items()})
    return base


def test_detection_dates_the_middle_of_the_fall():
    """A step of up to two revisits is dated in its middle; a longer one back
    from its first low date (test_cut_is_dated_back_from_the_regrowth)."""
    doy, spread = detect(season(d160=0.8, d170=0.8, d180=0.4))
    assert doy == 175 and spread == pytest.approx(10 / np.sqrt(12), abs=0.01)
    # 20 days, no regrowth seen after: the hay's days before the first low date
    doy, spread = detect(season(d160=0.8, d180=0.4))
    assert doy == CUT_160_180 and spread == pytest.approx(20 / np.sqrt(12), abs=0.01)
    # a slow decline before the cut is not part of it
    doy, _ = detect(season(d140=0.85, d150=0.82, d160=0.79, d170=0.42, d180=0.45))
    assert doy == 165
    # the second cut is not the first
    assert detect(season(d140=0.82, d150=0.4, d160=0.45, d200=0.78, d210=0.35))[0] == 145


CUT_160_180 = 180 - mowing.HAY_DAYS    # a fall from day 160 to 180 (no regrowth seen after)


def test_detection_thresholds_and_spring_peak():
    assert detect(season()) == (0, 0.0)                       # never cut
    assert detect(season(d180=0.66))[0] == 0                  # fall 0.14 < 0.15
    assert detect(season(d180=0.62))[0] == CUT_160_180       # fall 0.18
    strict = mowing.MowingParams(relative_drop=0.6)           # amplitude 0.37 -> need 0.22
    # (a fall to 0.62 ends 0.21 below the undisturbed course: a cut by that rule)
    assert detect(season(d180=0.64))[0] == CUT_160_180
    assert detect(season(d180=0.64), strict)[0] == 0
    # a dip before the spring peak (snow, flooding) is not a cut
    assert detect(season(d50=0.3, d55=0.1, d180=0.4))[0] == CUT_160_180


def every_5_days(ndvi_of_doy, cloudy=()):
    """A clear NDVI every 5 days from day 60 to 300 but on `cloudy` days."""
    return {d: ndvi_of_doy(d) for d in range(60, 301, 5) if d not in cloudy}


def green_up(d):
    return 0.45 + 0.4 / (1 + np.exp(-(d - 95) / 8))


def test_never_mown_meadows_stay_not_mown():
    """Grazing (a gradual loss, seen across a 25-day cloud gap), summer
    drought browning and an unmasked haze date are not cuts; a cut hidden
    under the same gap is found, dated within it, and the uncertainty says
    so."""
    cloudy = range(155, 180, 5)
    grazed = every_5_days(lambda d: green_up(d) - 0.3 * np.clip((d - 140) / 60, 0, 1), cloudy)
    assert detect(grazed) == (0, 0.0)
    dry = every_5_days(lambda d: green_up(d) - 0.25 / (1 + np.exp(-(d - 200) / 6)))
    assert detect(dry) == (0, 0.0)
    hazy = every_5_days(green_up)
    hazy[170] = 0.45                             # thin cloud the mask missed
    assert detect(hazy) == (0, 0.0)
    mown = every_5_days(lambda d: green_up(d) if d < 165 else
                        0.35 + 0.45 * (1 - np.exp(-max(d - 172, 0) / 17)), cloudy)
    doy, spread = detect(mown)
    assert 150 <= doy <= 180 and spread == pytest.approx(25 / np.sqrt(12), abs=0.01)


def test_faint_first_cut_below_the_undisturbed_course():
    """A first cut of a sward already past its peak loses only 0.12 (less
    than the 0.15 drop) but ends 0.2 below the pixel's undisturbed course
    (its upper envelope): it is the first cut, not the deeper second one;
    the same summer decline without the cut stays not mown."""
    wobble = {d: 0.01 * (-1) ** (d // 5) for d in range(60, 301, 5)}

    def sward(d, first_cut=True):
        past_peak = green_up(d) - 0.0044 * np.clip(d - 140, 0, 25)
        if first_cut and 167 <= d < 228:
            return 0.62 + 0.23 * (1 - np.exp(-max(d - 172, 0) / 12))
        if d >= 228:
            return 0.40 + 0.45 * (1 - np.exp(-max(d - 233, 0) / 12))
        return past_peak
    doy, _ = detect({d: v + wobble[d] for d, v in every_5_days(sward).items()})
    assert 165 <= doy <= 170
    uncut = every_5_days(lambda d: green_up(d) - 0.0044 * np.clip(d - 140, 0, 50))
    assert detect(uncut) == (0, 0.0)


def test_cut_is_dated_back_from_the_regrowth():
    """In a 25-day clear gap the cut is not dated in the gap's middle (day
    162): the sward lies at its lowest for the hay's days, then regrows; the
    regrowth seen after the first low date (rate to the next date), down to
    the area's fresh-cut depth (meadows whose cut was seen within one
    revisit), dates it. A cut seen at its lowest is dated the hay's days
    before the first low date."""
    def cut_on(d0):
        return lambda d: 0.8 if d < d0 else min(0.8, 0.4 + 0.01 * max(d - d0 - mowing.HAY_DAYS, 0))
    clouds = range(155, 175, 5)
    pixels = [every_5_days(cut_on(152))] * 30             # fresh cuts: depth 0.4
    pixels += [every_5_days(cut_on(152), clouds), every_5_days(cut_on(172), clouds)]
    days = sorted(pixels[0])
    values = np.array([[p.get(d, np.nan) for p in pixels] for d in days])
    doy, _ = mowing.detect_first_mowing(values, np.isfinite(values), [day(d) for d in days],
                                        mowing.MowingParams())
    assert set(doy[:30]) == {153}                         # the middle of 150-155
    assert abs(int(doy[30]) - 152) <= 1 and doy[31] == 175 - mowing.HAY_DAYS   # true: 172


def detect_with_haze(ndvi, haze):
    """Detection of one pixel from {doy: ndvi} and {doy: haze index}."""
    days = sorted(ndvi)
    values = np.array([[ndvi[d]] for d in days])
    doy, _ = mowing.detect_first_mowing(values, np.ones(values.shape, bool),
                                        [day(d) for d in days], mowing.MowingParams(),
                                        haze=np.array([[haze[d]] for d in days]))
    return int(doy[0])


def test_haze_index_tells_haze_from_a_fast_regrowing_cut():
    """Haze and thin cloud raise the blue more than the red (the haze index
    rises); a cut raises the red (it falls). A one-date dip that regrows
    fast is a cut when the index fell (NDVI alone drops it as a cloud); a
    two-date haze the NDVI dip test cannot see is not a cut."""
    base = {d: 0.02 + 0.002 * np.sin(d) for d in range(60, 301, 5)}
    cut = every_5_days(green_up)
    cut.update({180: 0.5, 185: 0.8})                  # regrown 85 % in 5 days
    assert detect(cut)[0] == 0                        # NDVI only: taken for a cloud
    assert detect_with_haze(cut, {**base, 180: 0.005}) in range(175, 181)
    hazy = every_5_days(green_up)
    hazy.update({180: 0.55, 185: 0.55})
    assert detect(hazy)[0] != 0                       # NDVI only: taken for a cut
    assert detect_with_haze(hazy, {**base, 180: 0.06, 185: 0.06}) == 0


def test_a_flat_haze_index_is_not_noise_free():
    """A haze index flat to the stored reflectance step has a robust noise of
    0: any rise, even one step (1e-4), was haze and its date dropped (here
    the cut's first low date, so the cut was missed). A real haze rise on a
    flat index is still haze."""
    cut = season(d160=0.8, d170=0.8, d180=0.4)
    flat = {d: 0.02 for d in cut}
    assert detect_with_haze(cut, flat) == 175
    assert detect_with_haze(cut, {**flat, 180: 0.0201}) == 175
    hazy = every_5_days(green_up)
    hazy.update({180: 0.55, 185: 0.55})
    assert detect_with_haze(hazy, {**{d: 0.02 for d in hazy}, 180: 0.06, 185: 0.06}) == 0


def test_haze_over_two_dates_is_not_a_cut_when_haze_is_frequent():
    """Haze lasting two revisits (independent seed 10: NDVI 0.82, 0.65,
    0.72, 0.83 on days 70-100, dated a cut on day 70 in 26 to 69 pixels of
    meadows cut in July) is no single-date dip, and where haze is frequent
    the haze index's noise is too large for one date's rise to pass 3 SDs;
    the pair's mean rise does. A dip over two dates that recovers within
    SPIKE_DAYS of its first is a cut when the index fell, or rose by noise
    only (seed 13: cuts regrowing after a cloud gap)."""
    rng = np.random.default_rng(0)
    base = {d: 0.02 + 0.01 * rng.standard_normal() for d in range(60, 301, 5)}
    ndvi = every_5_days(green_up)
    ndvi.update({180: 0.62, 185: 0.72})               # back to 0.85 on day 190
    assert detect_with_haze(ndvi, {**base, 180: 0.065, 185: 0.055}) == 0
    assert detect_with_haze(ndvi, {**base, 180: 0.0, 185: 0.005}) in range(175, 181)
    assert detect_with_haze(ndvi, {**base, 180: 0.025, 185: 0.025}) in range(175, 181)


def test_cut_after_a_cloud_gap_that_can_hide_one_is_undecided():
    """A sward looks uncut again ~20 days after a cut (plus the hay's days):
    a later fall after a 30-day clear gap may be the second cut, the first
    lying in the gap. It is left undecided, not dated (a 40-day rule dated
    it 40-60 days late on the independent scene); after a 20-day gap the
    fall is dated."""
    def cut_on(d0):
        return lambda d: green_up(d) if d < d0 else 0.4 + 0.45 * (1 - np.exp(-(d - d0) / 12))
    assert detect(every_5_days(cut_on(200), range(150, 180, 5)))[0] == mowing.UNDECIDED
    assert detect(every_5_days(cut_on(200), range(150, 165, 5)))[0] in range(195, 201)


def test_first_cut_seen_only_as_regrowth_after_a_gap_is_undecided():
    """A first cut in a 20-day cloud gap, seen at the gap's end only as a
    shallow dip (0.07, less than the 0.15 drop) below the dates before the
    gap and after it (the sward regrowing): the deep second cut later is not
    the first, the pixel stays undecided (it was dated at the second cut, 60
    days late). Without the dip the same second cut is the first one."""
    def sward(dip):
        def ndvi(d):
            if d >= 225:                                   # second cut on day 222
                return 0.4 + 0.45 * (1 - np.exp(-(d - 225) / 12))
            return green_up(d) - {175: dip, 180: dip / 3}.get(d, 0.0)
        return every_5_days(ndvi, cloudy=range(160, 175, 5))
    assert detect(sward(0.0))[0] in range(215, 226)
    assert detect(sward(0.07))[0] == mowing.UNDECIDED


def test_first_cut_seen_only_in_the_water_index_is_undecided():
    """A sward heavy with seed heads (its NDVI down to 0.78) cut on day 160 in
    a cloud gap is back at 0.78 at the next clear date, day 170: NDVI keeps no
    trace and the deep second cut (day 207) was dated as the first, 47 days
    late (held-out independent seed 7). The water index (NDMI), which
    saturates at a larger leaf area, still lies 0.09 below the date before
    the gap and the regrown sward: the pixel is undecided. Without that dip,
    or with a dip as small as its noise, the second cut is dated."""
    wobble = {d: (-1) ** (d // 5) for d in range(60, 301, 5)}

    def sward(d):
        if d >= 210:                                       # second cut on day 207
            return 0.62 + 0.24 * (1 - np.exp(-(d - 210) / 8))
        return green_up(d) - 0.07 * np.clip((d - 130) / 20, 0, 1) if d <= 170 else \
            0.83 if d == 175 else 0.86

    def water(dip):
        def ndmi(d):
            if d >= 210:
                return 0.14 + 0.21 * (1 - np.exp(-(d - 210) / 8))
            return 0.35 - 0.04 * np.clip((d - 130) / 20, 0, 1) - dip * (d == 170) \
                if d <= 170 else 0.30 if d == 175 else 0.35
        return ndmi
    cloudy = range(155, 170, 5)
    ndvi = {d: v + 0.01 * wobble[d] for d, v in every_5_days(sward, cloudy).items()}

    def detect_with_water(ndmi, ndvi=ndvi):
        days = sorted(ndvi)
        water = np.array([[ndmi(d) + 0.005 * wobble[d]] for d in days])
        values = np.array([[ndvi[d]] for d in days])
        doy, _ = mowing.detect_first_mowing(values, np.ones(values.shape, bool),
                                            [day(d) for d in days], mowing.MowingParams(),
                                            water=water)
        return int(doy[0])
    assert detect(ndvi)[0] in range(205, 211)                        # NDVI alone
    assert detect_with_water(water(0.09)) == mowing.UNDECIDED
    assert detect_with_water(water(0.0)) in range(205, 211)
    assert detect_with_water(water(0.015)) in range(205, 211)         # within its noise
    # the same dip in a clear series (no gap for a cut to hide in): a B11
    # cloud residue or a dry spell, the cut the NDVI shows is dated
    clear = {d: v + 0.01 * wobble[d] for d, v in every_5_days(sward, ()).items()}
    assert detect_with_water(water(0.09), clear) in range(205, 211)


def test_detection_day_of_an_observation_leaves_undecided_pixels_out():
    """65535 (undecided) is a code, not a day: in a median it made the
    detection's error thousands of days and the trained model always won."""
    u = mowing.UNDECIDED
    day_of = mowing_date._observation_day
    assert day_of(np.array([150, u])) == 150
    assert day_of(np.array([0, 0, u, u])) == 0
    assert day_of(np.array([0, 150, 160, u])) == 155
    assert day_of(np.array([u, u])) == u


def test_first_cut_in_a_step_that_can_hold_two_cuts_is_undecided():
    """A fall seen across a 50-day cloud gap may be a second cut, a first one
    having regrown within the gap: undecided, not dated in the gap's last
    25 days; across a 30-day gap it is dated."""
    def cut_on(d0):
        return lambda d: green_up(d) if d < d0 else 0.4 + 0.45 * (1 - np.exp(-(d - d0) / 12))
    assert detect(every_5_days(cut_on(147), range(105, 150, 5)))[0] == mowing.UNDECIDED
    assert detect(every_5_days(cut_on(147), range(125, 150, 5)))[0] in range(125, 151)


def test_cut_seen_on_one_date_after_a_long_gap_is_undecided():
    """Held-out independent seed 19: clear dates 115, 150, 180. A meadow cut
    on day 128 and one cut on day 148 both lie low on day 150 and regrow
    by day 180; nothing after day 150 says how far the regrowth went, so
    either cut lies anywhere in the gap's last 25 days (a sward looks uncut
    again about 20 days after a cut, plus the hay's days). Both were dated
    day 143 (15 and 5 days off); now undecided. With a clear date 5 days
    after the low one, the regrowth seen dates the cut."""
    def cut_on(d0):
        return lambda d: green_up(d) if d < d0 else 0.45 + 0.4 * np.clip((d - d0 - 2) / 40, 0, 1)
    gap = [d for d in range(60, 301, 5) if 115 < d < 150 or 150 < d < 180]
    for cut in (128, 148):
        assert detect(every_5_days(cut_on(cut), gap))[0] == mowing.UNDECIDED
    seen_again = [d for d in gap if d != 155]
    assert detect(every_5_days(cut_on(148), seen_again))[0] in range(140, 151)


def test_trained_model_dates_the_map_only_when_clearly_better():
    """Independent seed 13: the detection dated 4 of 36 held-out
    observations, 2, 2, 3 and 75 days off, the model 14, 2.5, 8 and 31: a
    lower mean error won by one observation chose the model (8.8 days on
    the map against 5.8 for the detection). The model must win a paired
    Wilcoxon test at 5 %; it does on 12 observations it dates better."""
    observed = np.array([185.0, 180, 140, 133])
    compared = compare_with_detection(observed, np.array([170.8, 177.5, 148.0, 164.2]),
                                      np.array([183.0, 178, 143, 208]))
    assert compared["mae_model"] < compared["mae_detection"]
    assert not compared["model_used"] and "not clearly better" in compared["verdict"]
    observed = np.arange(140.0, 200, 5)
    better = compare_with_detection(observed, observed + [1, -2] * 6, observed + [6, -7] * 6)
    assert better["model_used"] and better["p_value"] < 0.05
    none = compare_with_detection(observed, observed, np.full(12, float(mowing.UNDECIDED)))
    assert not none["model_used"] and none["found"] == 0


def test_model_choice_is_exact_whatever_the_scipy_version():
    """One equal pair among 4: scipy 1.10 (QGIS's) switched to the normal
    approximation (p = 0.042, the model chosen on 3 differing observations)
    where 1.17 (the compute centre's) gave 0.125: the exact test on the
    differing pairs gives 1/8 on both (review)."""
    observed = np.array([150.0, 160, 170, 180])
    compared = compare_with_detection(observed, observed + [5, 2, 3, 4], observed + [5, 6, 7, 8])
    assert compared["p_value"] == pytest.approx(0.125)
    assert not compared["model_used"]


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return make_mowing_scene(tmp_path_factory.mktemp("mowing"), seed=3, size=176)


@pytest.fixture(scope="module")
def detected(scene, tmp_path_factory):
    """The detection over the scene's grassland (land cover only), default
    blocks: shared by the tests that compare other runs with it."""
    return run_mowing_date(scene.s2_folder, tmp_path_factory.mktemp("mowing_det"),
                           Grassland(land_cover=str(scene.land_cover)))


def test_scene_is_what_it_says(scene):
    products = find_products(scene.s2_folder)
    assert len(products) == len(scene.dates) > 40
    for band in mowing.FEATURE_BANDS:
        products[0].band_path(band)
    firsts = [p["first_doy"] for p in scene.parcel_table if p["first_doy"]]
    assert FIRST_CUT[0] <= min(firsts) and max(firsts) <= FIRST_CUT[1]
    assert any(p["code"] == GRASSLAND and not p["cuts"] for p in scene.parcel_table)
    assert any(len(p["cuts"]) >= 2 for p in scene.parcel_table)
    features, _ = read_geojson(scene.observations)
    assert features and all(day(FIRST_CUT[0]) <= date.fromisoformat(
        f["properties"]["mowing_date"]) <= day(FIRST_CUT[1]) for f in features)


def parcel_mae(doy_path, parcels):
    """MAE (days) of the median mapped day of each mown parcel's pixels."""
    with rasterio.open(doy_path) as ds:
        doy = ds.read(1).astype("float64")
    errors = []
    for p in parcels:
        d = doy[p["rows"], p["cols"]]
        d = d[(d > 0) & (d != 65535)]
        if d.size:
            errors.append(np.median(d) - p["first_doy"])
    return float(np.mean(np.abs(errors))), len(errors)


def test_accuracy_on_held_out_parcels(scene, tmp_path):
    """Trained on the observations of the western meadows, scored on the
    eastern ones (200 m apart at least): MAE within 6 days (the paper's
    figure)."""
    mid = scene.grid.width // 2
    west = {p["parcel_id"] for p in scene.parcel_table if p["cols"].stop <= mid}
    east = [p for p in scene.parcel_table if p["first_doy"] and p["cols"].start >= mid + 10]
    features, crs = read_geojson(scene.observations)
    training = [f for f in features if f["properties"]["parcel_id"] in west]
    observations = reference_from_features(training, "mowing_date", crs, numeric=False)
    parcels = reference_from_features(read_geojson(scene.parcels)[0], "parcel_id", crs)
    grassland = Grassland(land_cover=str(scene.land_cover), parcels=parcels)
    params = mowing.MowingParams(n_trees=50, max_samples_per_observation=20)   # fast enough
    trained = run_mowing_date(scene.s2_folder, tmp_path / "rf", grassland, observations,
                              params=params)
    detected = run_mowing_date(scene.s2_folder, tmp_path / "det", grassland, params=params)
    rf_mae, n = parcel_mae(trained["OUTPUT"], east)
    det_mae, n_det = parcel_mae(detected["OUTPUT"], east)
    print(f"\nmowing date on {n} held-out parcels: trained Random Forest MAE {rf_mae:.1f} days "
          f"({len(training)} training observations, spatial CV MAE "
          f"{trained['scores']['mae']:.1f} days, R² {trained['scores']['r2']:.2f}); detection "
          f"MAE {det_mae:.1f} days on {n_det} parcels")
    assert n >= 40 and rf_mae <= 6.0
    assert det_mae <= 8.0


def test_detection_map_does_not_depend_on_the_blocks(scene, detected, tmp_path, monkeypatch):
    """The area's facts (unmown reference, fresh-cut depth) come from the
    whole area, so a pixel's date does not change with the block it is in."""
    from chainon.core import mowing_date
    assert mowing_date.BLOCK >= scene.grid.width > 96       # one block, then four
    monkeypatch.setattr(mowing_date, "BLOCK", 96)
    messages = []
    out = run_mowing_date(scene.s2_folder, tmp_path, Grassland(land_cover=str(scene.land_cover)),
                          progress=Progress(info=messages.append))
    maps = []
    for result in (detected, out):
        with rasterio.open(result["OUTPUT"]) as ds:
            maps.append(ds.read(1))
    assert np.array_equal(*maps)
    # the log counts the pixels dated and those with a cut left undecided,
    # summed over the four blocks (every grassland pixel is seen clear enough)
    with rasterio.open(scene.land_cover) as ds:
        grass = ds.read(1) == GRASSLAND
    doy = maps[0][grass]
    dated, undecided = ((doy > 0) & (doy != 65535)).sum(), (doy == 65535).sum()
    assert undecided > 0
    assert (f"{grass.sum()}; mown and dated: {dated}; a cut found but not dated (65535: an "
            f"earlier cut may hide in a cloud gap before it, or the cut lies anywhere in such "
            f"a gap): {undecided}") in "\n".join(messages)


def dated_share(path, table, mown):
    """Share of the pixels of the mown (or never-mown) meadows given a day."""
    with rasterio.open(path) as ds:
        doy = ds.read(1)
    pixels = np.concatenate([doy[p["rows"], p["cols"]].ravel() for p in table
                             if p["code"] == GRASSLAND and bool(p["first_doy"]) == mown])
    return float(((pixels > 0) & (pixels != 65535)).mean())


def test_trained_map_keeps_never_mown_meadows_and_falls_back(scene, detected, tmp_path,
                                                             monkeypatch):
    """The detection decides mown / not mown, the trained model only dates:
    never-mown meadows stay 0 with field observations too. A model that
    learnt nothing (the mean date) validates worse than the detection on the
    held-out observations: the report says so and the map is the
    detection's."""
    features, crs = read_geojson(scene.observations)
    grassland = Grassland(land_cover=str(scene.land_cover))
    params = mowing.MowingParams(n_trees=30, max_samples_per_observation=10)  # forest only
    observations = reference_from_features(features, "mowing_date", crs, numeric=False)
    trained = run_mowing_date(scene.s2_folder, tmp_path / "rf", grassland, observations,
                              params=params)
    for result in (detected, trained):
        assert dated_share(result["OUTPUT"], scene.parcel_table, mown=False) <= 0.05
        # 0.65: the rest stays undecided after cloud gaps that may hide a cut
        assert dated_share(result["OUTPUT"], scene.parcel_table, mown=True) >= 0.6
    from sklearn.dummy import DummyRegressor
    monkeypatch.setattr(mowing, "fit_regressor", lambda x, y, *_: DummyRegressor().fit(x, y))
    guessed = run_mowing_date(scene.s2_folder, tmp_path / "mean", grassland, observations,
                              params=params)
    assert not guessed["model_used"], guessed["detection"]
    assert guessed["method"] == DETECTION_FALLBACK
    assert "not clearly better" in Path(guessed["OUTPUT_REPORT"]).read_text()
    with rasterio.open(guessed["OUTPUT"]) as a, rasterio.open(detected["OUTPUT"]) as b:
        assert (a.read(1) == b.read(1)).all()


def test_saved_model_applied_to_another_year(scene, tmp_path):
    """Trained on this scene's field observations and saved, the model maps
    another scene (other meadows and weather, the next year, another place of
    the tile) with an MAE within 6 days; a period giving other features and
    a model given with observations are refused."""
    features, crs = read_geojson(scene.observations)
    observations = reference_from_features(features, "mowing_date", crs, numeric=False)
    trained = run_mowing_date(scene.s2_folder, tmp_path / "train",
                              Grassland(land_cover=str(scene.land_cover)), observations,
                              outputs={"OUTPUT_MODEL": tmp_path / "meadows.joblib"})
    other = make_mowing_scene(tmp_path / "other", seed=11, size=176, year=YEAR + 1,
                              origin=(320000.0, 4880040.0))
    grassland = Grassland(land_cover=str(other.land_cover))
    applied = run_mowing_date(other.s2_folder, tmp_path / "apply", grassland,
                              model=trained["OUTPUT_MODEL"])
    mown = [p for p in other.parcel_table if p["first_doy"]]
    mae, n = parcel_mae(applied["OUTPUT"], mown)
    print(f"\nmowing model trained on {trained['n_observations']} observations of {YEAR}, "
          f"applied to {YEAR + 1} (another scene): MAE {mae:.1f} days on {n} mown parcels")
    assert applied["MODEL"] == str(tmp_path / "meadows.joblib")
    assert "OUTPUT_REPORT" not in applied and n >= 100 and mae <= 6.0
    with pytest.raises(InputError, match="trained on .* features.*same length and step"):
        run_mowing_date(other.s2_folder, tmp_path / "step", grassland, model=applied["MODEL"],
                        params=mowing.MowingParams(step_days=10))
    with pytest.raises(InputError, match="not both"):
        run_mowing_date(other.s2_folder, tmp_path / "both", grassland, observations,
                        model=applied["MODEL"])


def test_model_dates_move_with_the_period_start():
    """A model trained from 1 March 2022 (day 60) applied from 1 March 2024
    (day 61): a cut the forest dates day 150 is day 151."""
    class Tree:
        def predict(self, x):
            return np.full(len(x), 150.0)
    doy, spread = Regressor(SimpleNamespace(estimators_=[Tree()]), 60, shift=1).predict(
        np.zeros((2, 3)))
    assert doy.tolist() == [151, 151] and spread.tolist() == [0, 0]


def read_real_plots():
    """Per-plot clear series (B2 B3 B4 B8 B11) of 2022 and the 2022 reference
    first mowing day of year (0 = not mown) of the plots that have one."""
    events = {}
    source = ogr.Open(str(MOWING_REAL / "train" / "GMI_Long.gpkg"))   # keep: owns the layer
    for f in source.GetLayer():
        if f["year"] == YEAR:
            when = f["date"]
            doy = date.fromisoformat(when[:10].replace("/", "-")).timetuple().tm_yday \
                if f["type"] == "k" else 0
            events[f["PLOTID"]] = min(doy, events.get(f["PLOTID"], 999)) if doy else 0
    rows = defaultdict(list)
    with open(MOWING_REAL / "train" / "S2" / f"ts_NS_GMI_S2_NS_{YEAR}.csv") as f:
        for r in csv.DictReader(f):
            rows[r["PLOTID"]].append(r)
    plots = sorted(p for p in rows if p in events)
    dates = sorted({date.fromisoformat(r["Date"]) for p in plots for r in rows[p]})
    index = {d: i for i, d in enumerate(dates)}
    bands = {b: np.full((len(dates), len(plots)), np.nan) for b in CSV_BANDS}
    clear = np.zeros((len(dates), len(plots)), bool)
    for j, p in enumerate(plots):
        for r in rows[p]:
            i = index[date.fromisoformat(r["Date"])]
            clear[i, j] = r["mask"] == "1.0" and r["ndvi"] != "-9999"
            for b, column in CSV_BANDS.items():
                bands[b][i, j] = float(r[column]) if clear[i, j] else np.nan
    return plots, dates, bands, clear, np.array([events[p] for p in plots])


def test_real_slovak_meadows_against_field_dates():
    """41 plots of north-east Slovakia, 2022: the detection method and the
    Random Forest (cross-validation grouped by plot) against the reference
    first mowing dates, compared as the product compares them (on the plots
    the detection finds mown). Bounds: the figures measured (detection MAE
    3.1 days on 22 of 23 mown plots; 3.0 on 20 before faint cuts were
    scored below the undisturbed course, 3.1 before cuts in long clear gaps were
    dated back from the regrowth, the plot once dated 66 days late on an
    autumn fall now undecided after its cloud gap; 0 of 3 unmown plots
    dated; Random Forest 8.9 days on the same 22 plots, so the product falls
    back to the detection) with a margin of about 1.5 days, not a target. The area reference (printed only)
    cannot be taken from 26 plots cut in the same weeks: it sinks with the
    cuts (8.2 days, 16 plots found). A regrowth requirement (a cut regains
    30 % of its fall within 30 days) was tried and dropped: 9 of these 20
    cuts, in the 2022 drought, did not regrow."""
    plots, dates, bands, clear, truth = read_real_plots()
    grid = date_grid(date(YEAR, 3, 1), date(YEAR, 10, 31), 5)
    params = mowing.MowingParams()
    series, n_clear = mowing.gapfilled_features(bands, clear, dates, grid, params)
    assert n_clear.min() >= params.min_clear
    nd, ok = mowing.clear_ndvi(bands, clear)
    haze, water = mowing.haze_index(bands), mowing.water_index(bands)
    doy, _ = mowing.detect_first_mowing(nd, ok, dates, params, haze=haze, water=water)
    mown = truth > 0
    # the area reference from these 26 plots, 23 of them cut within 7 weeks:
    # not an area where some grass stays uncut on every date (see the report)
    with_ref, _ = mowing.detect_first_mowing(nd, ok, dates, params,
                                             mowing.grassland_reference(nd, ok, min_pixels=10),
                                             haze, water=water)
    ref_found = mown & (with_ref > 0) & (with_ref != mowing.UNDECIDED)
    ref_mae = float(np.abs(with_ref[ref_found] - truth[ref_found]).mean())
    found = mown & (doy > 0) & (doy != mowing.UNDECIDED)
    det = regression_scores(truth[found], doy[found])
    x, y = mowing.feature_matrix(series)[mown], truth[mown].astype("float64")
    ids = np.arange(len(y))
    _, observed, predicted = mowing.cross_validate(x, y, ids, ids, params)
    rf = regression_scores(observed, predicted)
    compared = compare_with_detection(observed, predicted, doy[mown].astype(float))
    null_mae = float(np.mean(np.abs(y - (y.sum() - y) / (len(y) - 1))))
    print(f"\nreal Slovak meadows {YEAR}: detection MAE {det['mae']:.1f} days (bias "
          f"{det['bias']:+.1f}, cut found on {found.sum()} of {mown.sum()} mown plots, "
          f"{(doy[~mown] > 0).sum()} of {(~mown).sum()} unmown plots dated); Random Forest "
          f"grouped CV MAE {rf['mae']:.1f} days on all mown plots, R² {rf['r2']:.2f} (mean of "
          f"the other plots: MAE {null_mae:.1f} days). {compared['verdict']} With the area "
          f"reference taken from these plots: detection MAE {ref_mae:.1f} days, cut found on "
          f"{ref_found.sum()} plots.")
    assert mown.sum() >= 20 and found.sum() >= 0.85 * mown.sum()
    assert det["mae"] <= 4.5 and (doy[~mown] == 0).all()
    assert rf["mae"] < null_mae and not compared["model_used"]


def test_cancel_is_honoured_during_the_area_pass(scene, tmp_path, monkeypatch):
    """The area's reference reads every date of a grassland sample over the
    whole tile: a cancel there stops it at the first window."""
    from chainon.core import mowing_date
    from chainon.core.blocks import Progress
    from chainon.core.errors import Cancelled
    reads = []
    real = mowing_date.Series.read
    monkeypatch.setattr(mowing_date, "BLOCK", 48)
    monkeypatch.setattr(mowing_date.Series, "read",
                        lambda self, *a, **k: reads.append(1) or real(self, *a, **k))
    with pytest.raises(Cancelled):
        run_mowing_date(scene.s2_folder, tmp_path, Grassland(land_cover=str(scene.land_cover)),
                        progress=Progress(is_canceled=lambda: True), workers=1)
    assert len(reads) <= 2          # 16 windows; only those already started are read


def test_area_sample_that_misses_small_meadows_reads_them_all(scene):
    """On a big tile the area's sample is a sparse grid: where it finds too
    few grassland pixels, all of them are read (small meadows were missed and
    the area reference silently dropped)."""
    from chainon.core import mowing_date
    from chainon.core.blocks import windows
    products, start, end = mowing_date.select_products(scene.s2_folder, None, None,
                                                       mowing.FEATURE_BANDS)
    grid = mowing_date.processing_grid(products[0], None, None)
    params = mowing.MowingParams()
    series = mowing_date.Series(products, grid, date_grid(start, end, params.step_days), params)
    area = mowing_date.GrasslandArea(Grassland(land_cover=str(scene.land_cover)), grid)
    wins = windows(grid.width, grid.height, 64)
    every = mowing_date.area_facts(series, area, wins, params, 1)
    sparse = mowing_date.area_facts(series, area, wins, params, 1, max_pixels=40)  # stride 27
    assert every[0] is not None
    np.testing.assert_array_equal(sparse[0], every[0])
    np.testing.assert_array_equal(sparse[1], every[1])
