"""theia.read_cells, the block readers' fast path (snow cover, the land-cover
and crop-yield series), against theia's general readers: the same values bit
for bit, with nodata, an internal mask, windows past the raster's edge."""
import numpy as np
import pytest
import rasterio

from chainon.core.grid import Grid
from chainon.core.simulate import write_raster
from chainon.core.theia import MAX_CELL, NODATA, _read_aligned, cell_ratio, read_cells, read_on_grid

FINE = Grid("EPSG:32631", 600000.0, 5000000.0, 10.0, 60, 48)


def test_float32_division_is_nanmean_bit_for_bit():
    """Every int16 sum of 1-9 values, and a sample of the sums of up to
    MAX_CELL² values (both ends included), divided in float32 equals
    np.nanmean's float64 division rounded to float32 (rounding twice is
    harmless)."""
    rng = np.random.default_rng(1)
    for count in range(1, MAX_CELL ** 2 + 1):
        lo, hi = -count * 32768, count * 32767
        sums = (np.arange(lo, hi + 1) if count < 10 else
                np.r_[lo, hi, rng.integers(lo, hi, 20000)]).astype(np.float32)
        np.testing.assert_array_equal(
            (sums / np.float32(count)).view(np.int32),
            np.divide(sums, np.full(sums.shape, count, np.intp), casting="unsafe",
                      out=np.empty_like(sums)).view(np.int32))


@pytest.fixture(scope="module")
def rasters(tmp_path_factory):
    """An int16 band with nodata and an internal mask, and a uint8 bit mask."""
    folder = tmp_path_factory.mktemp("cells")
    rng = np.random.default_rng(0)
    band = rng.integers(-2000, 16000, (FINE.height, FINE.width)).astype(np.int16)
    band[rng.random(band.shape) < 0.3] = NODATA
    band[:6, :6] = NODATA                                 # all-nodata cells at any k
    write_raster(folder / "band.tif", band, FINE, nodata=NODATA)
    with rasterio.open(folder / "band.tif", "r+") as ds:   # a mask beside the nodata
        mask = np.full(band.shape, 255, np.uint8)
        mask[rng.random(mask.shape) < 0.2] = 0
        ds.write_mask(mask)
    bits = rng.choice(np.array([0, 0, 0, 1, 2, 32, 128], np.uint8), band.shape)
    write_raster(folder / "mask.tif", bits, FINE, nodata=None)
    return folder


@pytest.mark.parametrize("k", [1, 2, 3, MAX_CELL])
@pytest.mark.parametrize("shift", [0, 5])        # 5 cells: past the raster's edge
def test_read_cells_equals_the_general_readers(rasters, k, shift):
    res = FINE.res * k
    grid = Grid(FINE.crs, FINE.x0 + shift * res, FINE.y0 - shift * res, res,
                FINE.width // k, FINE.height // k)
    with rasterio.open(rasters / "band.tif") as ds:
        assert cell_ratio(ds, grid, "int16") == k
        got = read_cells(ds, grid, "mean").astype(np.float32)
        want = read_on_grid(ds, grid, resampling="mean", nodata=NODATA)   # np.nanmean
        np.testing.assert_array_equal(got, want)
        assert (ds.read_masks(1) == 0).any()             # the internal mask was applied
    with rasterio.open(rasters / "mask.tif") as ds:
        cells = read_cells(ds, grid, "or")
        assert cells.dtype == np.uint8
        np.testing.assert_array_equal(cells, _read_aligned(ds, grid, "or"))
        if k > 1 and shift == 0:
            raw = ds.read(1)[:grid.height * k, :grid.width * k]
            np.testing.assert_array_equal(cells, np.bitwise_or.reduce(np.bitwise_or.reduce(
                raw.reshape(grid.height, k, grid.width, k), axis=3), axis=1))
