"""Forest masks held at one bit per pixel (issue 13): the same pixels as the
whole-grid boolean arrays they replace."""
import numpy as np
import pytest
from rasterio.features import rasterize
from rasterio.windows import Window

from chainon.core.forest_cuts import STRIP, ForestSource, forest_on_grid
from chainon.core.masks import PackedMask, polygons_mask
from chainon.core.grid import Grid
from chainon.core.simulate import write_raster


def _packed(values, step=5):
    mask = PackedMask(*values.shape)
    for top in range(0, values.shape[0], step):
        mask.set_rows(top, values[top:top + step])
    return mask


def test_packed_mask_reads_back_any_window_and_pixel():
    rng = np.random.default_rng(0)
    values = rng.random((37, 75)) < 0.4          # width not a multiple of 8
    mask = _packed(values)
    assert mask.bits.nbytes == 37 * 10
    for _ in range(200):
        r, c = rng.integers(0, 37), rng.integers(0, 75)
        w = Window(c, r, rng.integers(1, 76 - c), rng.integers(1, 38 - r))
        got = mask.window(w)
        assert got.dtype == bool
        assert np.array_equal(got, values[r:r + w.height, c:c + w.width])
    rows, cols = rng.integers(0, 37, 500), rng.integers(0, 75, 500)
    assert np.array_equal(mask.at(rows, cols), values[rows, cols])
    assert mask.count() == values.sum()
    other = rng.random(values.shape) < 0.5
    mask &= _packed(other, step=37)
    assert np.array_equal(mask.window(Window(0, 0, 75, 37)), values & other)
    assert mask.count() == (values & other).sum()
    third = rng.random(values.shape) < 0.1
    mask |= _packed(third)
    assert np.array_equal(mask.window(Window(0, 0, 75, 37)), values & other | third)
    assert mask.any() and not PackedMask(3, 9).any() and PackedMask(3, 9).count() == 0


def test_packed_mask_refuses_pixels_outside_it():
    mask = _packed(np.ones((4, 5), bool))     # column 5..7 are padding bits of byte 0
    for rows, cols in (([0], [5]), ([0], [-1]), ([4], [0]), ([-1], [0])):
        with pytest.raises(IndexError):
            mask.at(np.array(rows), np.array(cols))


def _square(grid, col, row, side):
    x, y = grid.x0 + col * grid.res, grid.y0 - row * grid.res
    ring = [(x, y), (x + side, y), (x + side, y - side), (x, y - side), (x, y)]
    return {"type": "Polygon", "coordinates": [ring]}


def test_forest_sources_on_a_grid_of_several_strips(tmp_path):
    """Mask, land cover and polygons over STRIP + 100 rows: one bit per pixel,
    and the pixels of the whole-grid rasters (polygons rasterised strip by
    strip, edges on pixel centres included)."""
    grid = Grid("EPSG:32631", 300000.0, 4900020.0, 10.0, 90, STRIP + 100)
    rng = np.random.default_rng(1)
    mask = (rng.random((grid.height, grid.width)) < 0.8).astype("uint8")
    cover = rng.choice(np.array([5, 16, 17], "uint8"), (grid.height, grid.width))
    geoms = [_square(grid, c, r, s) for c, r, s in
             rng.uniform([0, 0, 10], [90, grid.height, 900], (60, 3))]
    geoms.append(_square(grid, 10.5, STRIP - 20.5, 400.0))    # edges through pixel centres
    source = ForestSource(mask=str(write_raster(tmp_path / "m.tif", mask, grid, 255)),
                          land_cover=str(write_raster(tmp_path / "c.tif", cover, grid, 0)),
                          polygons=(grid.crs, geoms))
    forest = forest_on_grid(source, grid)
    inside = rasterize([(g, 1) for g in geoms], out_shape=(grid.height, grid.width),
                       transform=grid.transform, dtype="uint8").view(bool)
    assert np.array_equal(polygons_mask(geoms, grid, STRIP).window(Window(0, 0, 90, grid.height)),
                          inside)
    expected = (mask != 0) & np.isin(cover, [16, 17]) & inside
    assert np.array_equal(forest.window(Window(0, 0, 90, grid.height)), expected)
    assert forest.bits.nbytes == grid.height * 12      # 90 px: 12 bytes a row
