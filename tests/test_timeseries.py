"""Gap-filling and iota2 features on hand-made series."""
from datetime import date

import numpy as np

from chainon.core.series import BANDS, INDICES, iota2_stack
from chainon.core.timeseries import date_grid, gapfill


def test_linear_gapfill_with_held_edges():
    dates = [date(2020, 1, 1), date(2020, 1, 11), date(2020, 1, 21), date(2020, 1, 31)]
    values = np.array([[1.0, 5.0], [2.0, 9.0], [99.0, 7.0], [4.0, 3.0]])
    valid = np.array([[False, True], [True, True], [False, True], [True, False]])
    grid = [date(2020, 1, 1), date(2020, 1, 16), date(2020, 1, 26), date(2020, 2, 10)]
    out = gapfill(values, valid, dates, grid)
    # pixel 0: clear on Jan 11 (2) and Jan 31 (4): held before, linear between, held after
    np.testing.assert_allclose(out[:, 0], [2.0, 2.5, 3.5, 4.0])
    # pixel 1: clear Jan 1, 11, 21 (5, 9, 7): Jan 16 = 8, Jan 26 and Feb 10 held at 7
    np.testing.assert_allclose(out[:, 1], [5.0, 8.0, 7.0, 7.0])


def test_never_clear_pixel_is_nan_and_grid_is_regular():
    out = gapfill(np.ones((3, 2)), np.array([[1, 0], [1, 0], [0, 0]], bool),
                  [date(2020, 1, d) for d in (1, 5, 9)], date_grid(date(2020, 1, 1),
                                                                  date(2020, 1, 30)))
    assert out.shape == (3, 2) and np.isnan(out[:, 1]).all() and (out[:, 0] == 1).all()


def test_iota2_features():
    """NDVI, NDWI (SWIR minus NIR) x 1000 and brightness of the product's
    feature stack; a pixel never clear has NaN features."""
    days = [date(2020, 1, 1), date(2020, 1, 11)]
    refl = {b: 0.1 for b in BANDS}
    refl["B8"] = 0.3
    stacks = [np.full((2, 2), round(refl[b] * 10000), np.int16) for b in BANDS]
    clear = np.array([[True, False], [True, False]])
    f = iota2_stack(stacks, clear, days, days[:1])
    names = dict(zip(BANDS + INDICES, f[0]))
    np.testing.assert_allclose(names["NDVI"], 500.0, rtol=1e-5)       # (0.3-0.1)/(0.4)
    np.testing.assert_allclose(names["NDWI"], -500.0, rtol=1e-5)      # SWIR minus NIR
    np.testing.assert_allclose(names["BRIGHTNESS"], 10000 * np.sqrt(9 * 0.01 + 0.09),
                               rtol=1e-5)
    assert np.isnan(f[1]).all()
