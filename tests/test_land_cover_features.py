"""The land-cover feature reader (series.S2Series.read) against a reference
copy of its first, slower implementation: the same features bit for bit,
with nodata in some 10 m cells, partly outside the tiles, with picked pixels.
The reference is also what tools/benchmark_land_cover.py compares with."""
from datetime import date, timedelta

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window

from chainon.core.grid import Grid
from chainon.core.series import BANDS, INDICES, S2Series, select_series
from chainon.core.theia import NODATA, QUANTIFICATION, clear_mask, read_reflectance
from chainon.core.timeseries import GapFill, gapfill, normalized_difference


# --- the reference: the implementation before issue 13 ------------------------
def _reference_fill(fill, values):
    """GapFill.__call__ as it was: float32 first, then a 2-D fancy gather."""
    flat = np.asarray(values, dtype="float32").reshape(len(values), -1)
    cols = np.arange(flat.shape[1])
    vp, vn = flat[fill.p, cols], flat[fill.n, cols]
    out = (vp + fill.w * (vn - vp)).astype("float32")
    out[fill.none] = np.nan
    return out.reshape(fill.shape)


def iota2_features(bands):
    """The iota2 indices per date as they were (dict band -> reflectances):
    NDVI, NDWI (SWIR minus NIR) x 1000, brightness in x10000 units; NaN in
    any band gives -10000 (the reader then sets the pixel's row to NaN)."""
    red, nir, swir = bands["B4"], bands["B8"], bands["B11"]
    stack = np.stack([bands[b] for b in bands])
    bad = ~np.isfinite(stack).all(axis=0)
    ndvi = normalized_difference(nir, red) * 1000
    ndwi = normalized_difference(swir, nir) * 1000
    brightness = np.sqrt(np.nansum((stack * 10000.0) ** 2, axis=0))
    feats = {"NDVI": ndvi, "NDWI": ndwi, "BRIGHTNESS": brightness}
    return {k: np.where(bad, -10000, v).astype("float32") for k, v in feats.items()}


def reference_read(series, window, pick=None):
    """S2Series.read as it was: every file opened per window, np.nanmean for
    the 10 m -> 20 m mean, features date by date on columns of X."""
    def take(array):
        flat = array.reshape(-1)
        return flat if pick is None else flat[pick]

    sub = series.grid.window_grid(window)
    clear = np.stack([take(clear_mask(p, sub)) for p in series.products])
    stacks = {}
    for band in BANDS:
        stack = np.empty(clear.shape, "int16")
        for i, product in enumerate(series.products):
            v = take(read_reflectance(product, band, sub))
            ok = np.isfinite(v)
            clear[i] &= ok
            stack[i] = np.where(ok, np.round(v * QUANTIFICATION), NODATA)
        stacks[band] = stack
    n_clear = clear.sum(axis=0).astype("uint16")
    fill = GapFill(clear, series.dates, series.grid_dates)
    per_date = len(BANDS) + len(INDICES)
    x = np.empty((n_clear.shape[0], len(series.grid_dates) * per_date), "float32")
    for j, band in enumerate(BANDS):
        x[:, j::per_date] = (_reference_fill(fill, stacks.pop(band)) / QUANTIFICATION).T
    for k in range(len(series.grid_dates)):
        at = k * per_date
        features = iota2_features({b: x[:, at + j] for j, b in enumerate(BANDS)})
        for j, v in enumerate(features.values(), start=at + len(BANDS)):
            x[:, j] = v
    x[n_clear == 0] = np.nan
    return x, n_clear


# --- tests -------------------------------------------------------------------
@pytest.fixture(scope="module")
def holed_series(tmp_path_factory):
    """Three months of a small land-cover scene with nodata in single 10 m pixels, whole
    20 m cells and 20 m bands, one band with an internal mask, and one product
    without its SAT mask."""
    from chainon.core.scenes.land_cover import make_land_cover_scene
    scene = make_land_cover_scene(tmp_path_factory.mktemp("lc_features"), seed=5, size=40)
    rng = np.random.default_rng(0)
    # three months (~25 acquisitions with the margins) keep the reference quick
    products, _, _, grid_dates = select_series(scene.s2_folder, date(2018, 4, 1),
                                               date(2018, 6, 30), 10)
    for product in products[::3]:
        for band in ("B4", "B8", "B11"):
            path = product.band_path(band)
            with rasterio.open(path, "r+") as ds:
                a = ds.read(1)
                a[rng.random(a.shape) < 0.2] = NODATA
                a[:6, :6] = NODATA
                ds.write(a, 1)
    with rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True), \
            rasterio.open(products[2].band_path("B8"), "r+") as ds:
        mask = np.full(ds.shape, 255, "uint8")       # a per-dataset mask beside the nodata
        mask[rng.random(mask.shape) < 0.2] = 0
        ds.write_mask(mask)
    sat = products[1].mask_path("SAT", "R2")
    if sat:
        import os
        os.remove(sat)
        products[1]._files.clear()
    with S2Series(products, scene.grid, grid_dates) as series:
        yield series


def test_features_identical_to_the_reference(holed_series):
    s = holed_series
    g = s.grid
    # a grid reaching 3 pixels past the tiles' west and north edges
    wide = S2Series(s.products, Grid(g.crs, g.x0 - 3 * g.res, g.y0 + 3 * g.res, g.res,
                                     g.width + 3, g.height + 3), s.grid_dates)
    tight = S2Series(s.products, g, s.grid_dates)
    tight.files.limit = 10      # past 10 open files, theia's readers
    for series, window, pick in [
            (s, Window(0, 0, g.width, g.height), None),
            (tight, Window(3, 2, 17, 11), None),
            (s, Window(5, 7, 20, 13), np.array([0, 3, 17, 250, 259])),
            (wide, Window(0, 0, 30, 30), None)]:
        x, n = series.read(window, pick)
        x_ref, n_ref = reference_read(series, window, pick)
        assert x.flags.c_contiguous and x.dtype == np.float32
        np.testing.assert_array_equal(n, n_ref)
        np.testing.assert_array_equal(x, x_ref)     # NaN where NaN, every bit elsewhere
    assert (n_ref == 0).any() and (n_ref > 0).any()


def test_features_written_into_given_rows(holed_series):
    """Training's reads write each window's features straight into the
    samples' array (issue 13: a block's features are not held twice)."""
    g = holed_series.grid            # 3 pixels past the tiles' edges: never clear
    s = S2Series(holed_series.products, Grid(g.crs, g.x0 - 3 * g.res, g.y0 + 3 * g.res, g.res,
                                             g.width + 3, g.height + 3), holed_series.grid_dates)
    window = Window(0, 0, 30, 30)
    x, n = s.read(window)
    rows = np.random.default_rng(2).permutation(len(n) + 7)[:len(n)]
    out = np.full((len(n) + 7, x.shape[1]), 7.0, "float32")
    res, n_out = s.read(window, out=(out, rows))
    assert res is None and (n == 0).any()
    np.testing.assert_array_equal(n_out, n)
    np.testing.assert_array_equal(out[rows], x)            # NaN rows included
    assert (np.delete(out, rows, axis=0) == 7).all()
    s.close()


def test_gapfill_identical_to_the_reference():
    rng = np.random.default_rng(1)
    dates = [date(2020, 1, 1 + 2 * i) for i in range(15)]
    grid_dates = [date(2019, 12, 25) + timedelta(days=4 * i) for i in range(12)]
    for values in (rng.integers(-900, 900, (15, 63)).astype("int16"),
                   rng.normal(size=(15, 7, 9))):
        valid = rng.random(values.shape) < 0.4
        fill = GapFill(valid, dates, grid_dates)
        np.testing.assert_array_equal(fill(values), _reference_fill(fill, values))
    values[3, 5, 2] = np.nan       # gapfill() takes NaN as a gap
    np.testing.assert_array_equal(
        gapfill(values, valid, dates, grid_dates),
        _reference_fill(GapFill(valid & np.isfinite(values), dates, grid_dates),
                        values.astype("float32")))


def test_int16_round_trip_is_exact():
    """The reader keeps 20 m bands as read: the reference's float32 round
    trip (/ 10000, x 10000, rounded) gives every int16 back."""
    k = np.arange(-32768, 32768).astype("int16")
    back = np.round((k.astype("float32") / QUANTIFICATION) * QUANTIFICATION)
    np.testing.assert_array_equal(back.astype("int16"), k)


def test_open_files_closed_and_limited_in_all(holed_series):
    """Each block thread keeps its files open; those of an ended thread are
    closed when another starts, all at close(), and the limit counts them all."""
    from concurrent.futures import ThreadPoolExecutor
    s = holed_series
    with S2Series(s.products, s.grid, s.grid_dates, workers=2) as series:
        def opened_by_one_thread():
            with ThreadPoolExecutor(1) as pool:
                pool.submit(series.read, Window(0, 0, 8, 8)).result()
            return [ds for files in series.files._threads.values() for ds in files.values()]
        first = opened_by_one_thread()
        second = opened_by_one_thread()
        assert first and all(ds.closed for ds in first)
        assert not any(ds.closed for ds in second)
        assert series.files._n_open == len(second)
    assert all(ds.closed for ds in second) and series.files._n_open == 0
    series.files.limit = 7
    series.read(Window(0, 0, 8, 8))
    assert series.files._n_open == 7
    series.close()


def test_bands_of_a_product_never_clear_are_not_read(holed_series):
    s = holed_series
    window = Window(0, 0, s.grid.width, s.grid.height)
    with S2Series(s.products, s.grid, s.grid_dates) as series:
        series.read(window)
        opened = {path for files in series.files._threads.values() for path in files}
    unclear = [p for p in s.products if not clear_mask(p, s.grid).any()]
    assert unclear                     # out of the swath
    for product in unclear:
        assert not opened & {product.band_path(b) for b in BANDS}
        assert product.mask_path("EDG", "R2") in opened
    clear = next(p for p in s.products if clear_mask(p, s.grid).any())
    assert {clear.band_path(b) for b in BANDS} <= opened
