"""LIS snow detection and annual synthesis on small hand-built arrays."""
import datetime as dt

import numpy as np
import pytest

from chainon.core import snow
from chainon.core import snow_synthesis as syn

P = snow.LisParams()
P1 = snow.LisParams(rf=1)       # coarse red == red: one pixel per test case
CLOUD, SHADOW, HIGH = 2, 1 | 32, 128


def classify(green, red, swir, clm, dem, zs, pass2_enabled, p):
    """Pass A then pass B on one block, as snow_cover runs them."""
    return snow.finish(snow.detect(green, red, swir, clm, p)[0], dem, zs, pass2_enabled)


def coarse_red(red, rf):
    """The dark-cloud test's 240 m red, back on the pixels."""
    return snow._expand(snow._cell_means(red, rf), rf, *red.shape)


def swir_for(green, target_ndsi):
    """SWIR giving the wanted NDSI with this green."""
    return green * (1 - target_ndsi) / (1 + target_ndsi)


def pixels(cases, dem=2000.0):
    """(green, red, swir, clm, dem) rows from (ndsi, red, clm) tuples."""
    n, r, c = (np.array(v, dtype=np.float32)[None, :] for v in zip(*cases))
    g = np.full_like(r, 0.6)
    return g, r, swir_for(g, n), c.astype(np.uint8), np.full_like(r, dem)


# --- per-date basics -------------------------------------------------------

def test_ndsi_values_zero_denominator_and_nan():
    out = snow.ndsi(np.array([0.6, 0.0, np.nan]), np.array([0.2, 0.0, 0.1]))
    assert out.dtype == np.float32
    assert out[0] == pytest.approx(0.5)
    assert out[1] == 0 and np.isnan(out[2])


def test_cloud_masks_bits():
    clm = np.array([0, 1, 2, 16, 32, 64, 128, 33], dtype=np.uint8)
    all_cloud, shadow, high = snow.cloud_masks(clm)
    assert all_cloud.tolist() == [False] + [True] * 7
    assert shadow.tolist() == [False] * 4 + [True, True, False, True]
    assert high.tolist() == [False] * 6 + [True, False]


def test_coarse_red_means_cells_ignores_nan_and_partial_edges():
    red = np.arange(25, dtype=np.float32).reshape(5, 5)
    red[0, 0] = np.nan
    red[4, 4] = np.nan                     # the only pixel of its edge cell
    out = coarse_red(red, 2)
    assert out.shape == (5, 5)
    assert out[0, 0] == out[1, 1] == pytest.approx((1 + 5 + 6) / 3)
    assert out[4, 0] == pytest.approx((20 + 21) / 2)
    assert np.isnan(out[4, 4])


def test_coarse_red_same_on_aligned_blocks():
    red = np.random.default_rng(0).random((30, 30)).astype(np.float32)
    whole = coarse_red(red, 12)
    top = coarse_red(red[:24], 12)
    bottom = coarse_red(red[24:], 12)
    np.testing.assert_array_equal(np.vstack([top, bottom]), whole)


def test_pass1_thresholds_and_cloud():
    g, r, s, clm, _ = pixels([(0.41, 0.5, 0), (0.39, 0.5, 0), (0.6, 0.21, 0),
                              (0.6, 0.19, 0), (0.8, 0.8, CLOUD)])
    assert snow.detect(g, r, s, clm, P)[1][0].tolist() == [True, False, True, False, False]


# --- classification ----------------------------------------------------------

def test_pass2_thresholds_and_snowline():
    cases = [(0.16, 0.05, 0), (0.14, 0.05, 0), (0.3, 0.041, 0), (0.3, 0.039, 0)]
    g, r, s, clm, dem = pixels(cases)
    on = classify(g, r, s, clm, dem, 1500.0, True, P1)[0]
    assert on.tolist() == [100, 0, 100, 0]
    below = classify(g, r, s, clm, dem, 2000.0, True, P1)[0]   # dem > zs is strict
    off = classify(g, r, s, clm, dem, 1500.0, False, P1)[0]
    assert below.tolist() == off.tolist() == [0, 0, 0, 0]


def test_dark_cloud_released_bright_cloud_kept():
    # (ndsi, red): a dark snowy cloud pixel, then a bright snowy cloud pixel
    g, r, s, clm, dem = pixels([(0.3, 0.25, CLOUD), (0.6, 0.35, CLOUD)])
    assert classify(g, r, s, clm, dem, 1000.0, True, P1)[0].tolist() == [100, 205]
    # without pass 2 the dark cloud goes back to cloud (red > 0.10)
    assert classify(g, r, s, clm, dem, 1000.0, False, P1)[0].tolist() == [205, 205]


def test_dark_cloud_uses_coarse_red():
    # A bright cloud cell (coarse red 0.5) keeps one dark pixel as cloud;
    # a dark cell releases its pixels to pass 2.
    red = np.full((12, 24), 0.2, dtype=np.float32)
    red[:, :12] = 0.5
    red[0, 0] = 0.2
    g = np.full_like(red, 0.6)
    s = swir_for(g, 0.3)
    clm = np.full(red.shape, CLOUD, dtype=np.uint8)
    codes = classify(g, red, s, clm, np.full_like(red, 2000.0), 1000.0, True, P)
    assert codes[0, 0] == 205 and codes[0, 12] == 100


def test_shadow_and_high_cloud_kept_even_when_dark():
    g, r, s, clm, dem = pixels([(0.3, 0.05, SHADOW), (0.3, 0.05, 64), (0.3, 0.05, HIGH)])
    assert classify(g, r, s, clm, dem, 1000.0, True, P1)[0].tolist() == [205] * 3


def test_back_to_cloud():
    g, r, s, clm, dem = pixels([(0.0, 0.08, CLOUD), (0.0, 0.12, CLOUD), (0.0, 0.12, 0)])
    assert classify(g, r, s, clm, dem, 1000.0, True, P1)[0].tolist() == [0, 205, 0]


def test_nodata_and_nan_dem():
    g, r, s, clm, dem = pixels([(0.6, 0.5, 0), (0.6, 0.5, 0), (0.3, 0.1, 0), (0.6, 0.5, 0)])
    s[0, 0] = np.nan
    r[0, 1] = np.nan
    dem[0, 2:] = np.nan                  # no pass 2 without elevation, pass 1 still works
    codes = classify(g, r, s, clm, dem, 1000.0, True, P1)
    assert codes.dtype == np.uint8
    assert codes[0].tolist() == [255, 255, 0, 100]


# --- snowline ------------------------------------------------------------------

def ramp(rows=50):
    """DEM 1000..1990 m in 10 m steps along columns: 10 columns per 100 m band."""
    return np.tile(np.arange(1000, 2000, 10, dtype=np.float32), (rows, 1))


def hist_of(dem, snow1, all_cloud, valid=None, dz=100.0):
    h = snow.SnowlineHistogram(np.nanmin(dem), np.nanmax(dem), dz)
    h.add(dem, snow1, all_cloud, np.ones(dem.shape, bool) if valid is None else valid)
    return h


def test_snowline_two_bands_below_first_snowy_band():
    dem = ramp()
    h = hist_of(dem, dem >= 1500, np.zeros(dem.shape, bool))
    assert h.nbins == 9                   # floor((1990 - 1000) / 100)
    assert h.snowline(P) == 1300.0
    assert h.pass2_enabled(P)


def test_snowline_skips_cloudy_bands_and_respects_fractions():
    dem = ramp(rows=100)
    cloud = (dem >= 1500) & (dem < 1700)
    cloud[:10] = False                    # exactly 10 % clear: not > fclear_lim
    h = hist_of(dem, dem >= 1500, cloud)
    assert h.snowline(P) == 1500.0        # first usable band 1700-1800
    cloud[:11] = False                    # 11 % clear
    assert hist_of(dem, dem >= 1500, cloud).snowline(P) == 1300.0


def test_snowline_snow_fraction_limit():
    dem = ramp(rows=100)
    snow1 = (dem >= 1800) | ((dem >= 1500) & (np.arange(100)[:, None] < 10))  # 10 %
    h = hist_of(dem, snow1, np.zeros(dem.shape, bool))
    assert h.snowline(P) == 1600.0
    snow1[10] |= dem[10] >= 1500                                                 # 11 %
    assert hist_of(dem, snow1, np.zeros(dem.shape, bool)).snowline(P) == 1300.0


def test_snowline_clipped_at_dem_min_and_none():
    dem = ramp() + 0.5
    h = hist_of(dem, dem < 1100, np.zeros(dem.shape, bool))
    assert h.snowline(P) == 1000.0        # floor of dem_min, LIS rounds zs down
    none = hist_of(dem, np.zeros(dem.shape, bool), np.zeros(dem.shape, bool))
    assert none.snowline(P) == -1.0 and not none.pass2_enabled(P)


def test_pass2_disabled_when_too_little_snow():
    dem = np.full((10, 100), 1500.0, dtype=np.float32)
    dem[0, :2] = 2000.0                  # the snowy pixels form their own band
    snow1 = np.zeros(dem.shape, bool)
    snow1[0, 0] = True                   # 1 / 1000 = fsnow_total_lim: not above
    h = hist_of(dem, snow1, np.zeros(dem.shape, bool))
    assert h.snowline(P) != -1 and not h.pass2_enabled(P)
    snow1[0, 1] = True
    assert hist_of(dem, snow1, np.zeros(dem.shape, bool)).pass2_enabled(P)


def test_nodata_excluded_from_histogram_and_snow_fraction():
    dem = ramp()
    valid = np.ones(dem.shape, bool)
    valid[:, :50] = False
    h = hist_of(dem, dem >= 1500, np.zeros(dem.shape, bool), valid)
    assert h.total[:5].sum() == 0 and h.n_valid == valid.sum()


def test_block_merge_equals_whole_image():
    rng = np.random.default_rng(1)
    dem = ramp(rows=60) + rng.normal(0, 30, (60, 100)).astype(np.float32)
    dem[5, 5] = np.nan
    snow1, cloud, valid = (rng.random((3, 60, 100)) < [[[0.3]], [[0.3]], [[0.9]]])
    lo, hi = np.nanmin(dem), np.nanmax(dem)
    whole = snow.SnowlineHistogram(lo, hi, 100)
    whole.add(dem, snow1, cloud, valid)
    merged = snow.SnowlineHistogram(lo, hi, 100)
    for rows in (slice(0, 24), slice(24, 48), slice(48, 60)):
        part = snow.SnowlineHistogram(lo, hi, 100)
        part.add(dem[rows], snow1[rows], cloud[rows], valid[rows])
        merged.merge(part)
    for name in ("total", "clear", "snow"):
        np.testing.assert_array_equal(getattr(merged, name), getattr(whole, name))
    assert (merged.n_valid, merged.n_snow1) == (whole.n_valid, whole.n_snow1)
    assert whole.total.sum() == (valid & np.isfinite(dem)).sum()
    with pytest.raises(ValueError):
        merged.merge(snow.SnowlineHistogram(lo, hi, 50))


def test_two_pass_blocks_equal_whole_tile():
    rng = np.random.default_rng(2)
    shape = (48, 36)
    dem = np.tile(np.linspace(800, 2600, shape[1], dtype=np.float32), (shape[0], 1))
    g = rng.uniform(0.05, 0.9, shape).astype(np.float32)
    r = (g * rng.uniform(0.5, 1.0, shape)).astype(np.float32)
    # no pass-1 snow below 1700 m, so the snowline and pass 2 both matter
    s = (rng.uniform(0.02, 0.5, shape) + np.where(dem < 1700, 0.6, 0)).astype(np.float32)
    clm = rng.choice(np.array([0, 0, 0, 2, 33, 128], np.uint8), shape)
    s[0, :5] = np.nan
    blocks = [(slice(0, 24), slice(0, 24)), (slice(0, 24), slice(24, 36)),
              (slice(24, 48), slice(0, 24)), (slice(24, 48), slice(24, 36))]
    hist = snow.SnowlineHistogram(dem.min(), dem.max(), P.dz)
    for b in blocks:
        _, snow1, cloud, valid = snow.detect(g[b], r[b], s[b], clm[b], P)
        hist.add(dem[b], snow1, cloud, valid)
    zs, on = hist.snowline(P), hist.pass2_enabled(P)
    assert on and zs > 800
    tiled = np.zeros(shape, np.uint8)
    for b in blocks:
        tiled[b] = classify(g[b], r[b], s[b], clm[b], dem[b], zs, on, P)
    np.testing.assert_array_equal(tiled, classify(g, r, s, clm, dem, zs, on, P))
    assert set(np.unique(tiled)) <= {0, 100, 205, 255} and tiled[0, 0] == 255


# --- fractional snow cover --------------------------------------------------------

def test_fsc_toc_sigmoid():
    x = np.linspace(-1, 1, 201)
    f = snow.fsc_toc(x)
    assert np.all((f >= 0) & (f <= 1)) and np.all(np.diff(f) > 0)
    assert snow.fsc_toc(1.0) == pytest.approx(0.5 * np.tanh(1.23) + 0.5)


def test_fractional_snow_codes():
    g = np.array([[0.6, 0.1, 0.6, 0.6, 0.6, 0.6]], np.float32)
    s = np.array([[0.01, 0.5, 0.01, 0.01, 0.01, 0.2]], np.float32)
    codes = np.array([[100, 100, 0, 205, 255, 100]], np.uint8)
    on_snow = codes == snow.CODE_SNOW
    out = snow.fsc_codes(codes, snow.ndsi(g[on_snow], s[on_snow]))[0]
    assert out.tolist()[2:5] == [0, 205, 255]
    assert out[1] == 1                                          # negative NDSI snow
    assert out[0] == round(100 * float(snow.fsc_toc(snow.ndsi(g, s)[0, 0])))
    assert 1 <= out[5] < out[0] <= 100


# --- annual synthesis ---------------------------------------------------------------

START = dt.date(2023, 9, 1)
END = START + dt.timedelta(days=59)       # 60 days


def day(offset):
    return START + dt.timedelta(days=offset)


def series(obs):
    """(codes (T, 1, 1), dates) from {day offset: code}."""
    offsets = sorted(obs)
    codes = np.array([obs[o] for o in offsets], np.uint8)[:, None, None]
    return codes, [day(o) for o in offsets]


def one(out):
    return {k: int(v[0, 0]) for k, v in out.items()}


def test_synthesis_gap_filling_known_series():
    # no snow d4, snow d10 & d20, cloud d25, no snow d40, snow d50 (offsets)
    codes, dates = series({4: 0, 10: 100, 20: 100, 25: 205, 40: 0, 50: 100})
    # 4->10: snow from mid-gap d7; 20->40: snow until mid-gap d30;
    # 40->50: snow from d45, then held to d59.
    assert one(syn.synthesize(codes, dates, START, END)) == {
        "SCD": 24 + 15, "SOD": 8, "SMOD": 31, "NOBS": 5}


def test_synthesis_odd_gap_and_fsc_values():
    codes, dates = series({0: 0, 5: 37, 9: 254})   # FSC 37 is snow, 254 is nodata
    # 0->5 crosses 0.5 at 2.5: snow from d3, then held after d5
    assert one(syn.synthesize(codes, dates, START, END, min_scd_for_dates=1)) == {
        "SCD": 57, "SOD": 4, "SMOD": 60, "NOBS": 2}


def test_synthesis_short_period_not_dated_like_lis():
    codes, dates = series({10: 0, 14: 100, 18: 0})   # snow d12..d16: 5 days
    out = one(syn.synthesize(codes, dates, START, END))
    assert (out["SCD"], out["SOD"], out["SMOD"]) == (5, 0, 0)
    out = one(syn.synthesize(codes, dates, START, END, min_scd_for_dates=1))
    assert (out["SOD"], out["SMOD"]) == (13, 17)


def test_synthesis_longest_period_first_on_tie():
    # runs d0..d11 and d31..d42, both 12 days long
    codes, dates = series({0: 100, 10: 100, 12: 0, 30: 0, 32: 100, 41: 100, 43: 0})
    out = one(syn.synthesize(codes, dates, START, END, min_scd_for_dates=1))
    assert out == {"SCD": 24, "SOD": 1, "SMOD": 12, "NOBS": 7}


def test_synthesis_anchors_outside_period():
    codes, dates = series({-4: 100, 8: 0, 56: 0, 66: 100})
    # -4->8: snow until d2; 56->66: snow from d61, outside the period
    out = one(syn.synthesize(codes, dates, START, END, min_scd_for_dates=1))
    assert out == {"SCD": 3, "SOD": 1, "SMOD": 3, "NOBS": 2}


def test_synthesis_nodata_pixel_and_same_day_merge():
    codes = np.array([[[205, 100]], [[255, 0]], [[254, 100]]], np.uint8)
    dates = [day(10), day(10), day(30)]     # two acquisitions on d10
    out = syn.synthesize(codes, dates, START, END)
    assert all(v.dtype == np.uint16 for v in out.values())
    assert [int(out[k][0, 0]) for k in ("SCD", "SOD", "SMOD", "NOBS")] == [65535] * 3 + [0]
    # first observed acquisition of d10 wins: snow all period
    assert [int(out[k][0, 1]) for k in ("SCD", "SOD", "SMOD", "NOBS")] == [60, 1, 60, 2]


def brute_force(codes, dates, n_days):
    """Daily series built explicitly, exact 0.5 threshold, first longest run."""
    t = np.array([(d - START).days for d in dates])
    scd, sod, smod = (np.zeros(codes.shape[1:], int) for _ in range(3))
    for i, j in np.ndindex(codes.shape[1:]):
        obs = {}
        for tk, v in zip(t, codes[:, i, j]):
            if v not in (205, 254, 255):
                obs.setdefault(tk, 0 < v <= 100)
        if not obs:
            scd[i, j] = sod[i, j] = smod[i, j] = 65535
            continue
        ts = sorted(obs)
        daily = []
        for x in range(n_days):
            a = max([u for u in ts if u <= x], default=ts[0])
            b = min([u for u in ts if u >= x], default=ts[-1])
            if a == b:
                daily.append(obs[a])
            else:   # interpolated value >= 0.5, in integers
                daily.append(2 * (obs[a] * (b - x) + obs[b] * (x - a)) >= b - a)
        best, run, start = (0, 0), 0, 0
        for x, on in enumerate(daily):
            run, start = (run + 1, start if run else x) if on else (0, 0)
            if run > best[0]:
                best = (run, start)
        scd[i, j] = sum(daily)
        sod[i, j], smod[i, j] = (best[1] + 1, best[1] + best[0]) if best[0] else (0, 0)
    return scd, sod, smod


def test_synthesis_matches_explicit_daily_series():
    rng = np.random.default_rng(3)
    offsets = np.sort(rng.choice(np.arange(-20, 80), 25, replace=False))
    codes = rng.choice(np.array([0, 0, 100, 100, 60, 205, 255], np.uint8), (25, 6, 7))
    codes[:, 0, 0] = 205
    dates = [day(int(o)) for o in offsets]
    out = syn.synthesize(codes, dates, START, END, min_scd_for_dates=1)
    scd, sod, smod = brute_force(codes, dates, 60)
    np.testing.assert_array_equal(out["SCD"], scd)
    np.testing.assert_array_equal(out["SOD"], sod)
    np.testing.assert_array_equal(out["SMOD"], smod)
    inside = (offsets >= 0) & (offsets < 60)
    nobs = (~np.isin(codes[inside], [205, 254, 255])).sum(axis=0)
    np.testing.assert_array_equal(out["NOBS"], nobs)


def test_synthesis_looked_up_for_few_dates_equals_the_sweep():
    rng = np.random.default_rng(5)
    kinds = np.arange(256).astype(np.uint8)                   # every code
    for n in (1, 2, 3, syn.MAX_LOOKUP_DATES):
        offsets = sorted(rng.choice(np.arange(-10, 70), n))   # same-day repeats too
        dates = [day(int(o)) for o in offsets]
        codes = rng.choice(kinds, (n, 40, 30))
        for min_scd in (1, syn.LIS_MIN_SCD_FOR_DATES):
            out = syn.synthesize(codes, dates, START, END, min_scd)
            ref = syn._sweep(codes, dates, START, END, min_scd)
            assert out.keys() == ref.keys()
            for k in ref:
                assert out[k].dtype == ref[k].dtype == np.uint16
                np.testing.assert_array_equal(out[k], ref[k])


def test_water_mask_is_read_by_nearest_class_in_any_crs(tmp_path):
    """on_grid_by_strips: the pixels whose class is a water value, warped by nearest
    neighbour from another CRS; nodata and outside the raster are not water."""
    import rasterio
    from rasterio.transform import from_origin
    from chainon.core.errors import InputError
    from chainon.core.grid import Grid
    from chainon.core.masks import on_grid_by_strips
    grid = Grid("EPSG:32631", 500000.0, 4800000.0, 20.0, 50, 40)
    classes = np.full((200, 300), 5, "uint8")
    classes[:, :150] = 23           # the western half is water
    classes[:60] = 255              # nodata rows along the north
    path = tmp_path / "oso.tif"
    # a geographic raster over the grid (lon 3.0-3.012, lat 43.346-43.353) and beyond
    with rasterio.open(path, "w", driver="GTiff", width=300, height=200, count=1, dtype="uint8",
                       crs="EPSG:4326", nodata=255,
                       transform=from_origin(2.998, 43.355, 0.00005, 0.00005)) as ds:
        ds.write(classes, 1)
    from rasterio.warp import transform as warp
    cols = np.arange(grid.width) + 0.5
    xs, _ = warp(grid.crs, "EPSG:4326", grid.x0 + cols * grid.res,
                 np.full(grid.width, grid.y0 - 20.5 * grid.res))
    west = np.array(xs) < 2.998 + 150 * 0.00005
    mask = on_grid_by_strips(path, grid, lambda v: np.isin(v, [23]))[0]
    rows = mask.window(rasterio.windows.Window(0, 0, grid.width, grid.height))
    assert west.any() and (~west).any()
    assert np.array_equal(rows[20], west)
    assert not rows[0].any()                      # the nodata rows
    assert on_grid_by_strips(path, grid, lambda v: np.isin(v, [5]))[0].count() > 0
    with pytest.raises(InputError, match="does not overlap"):
        on_grid_by_strips(path, Grid("EPSG:32631", 700000.0, 4800000.0, 20.0, 10, 10),
                          lambda v: np.isin(v, [23]))
