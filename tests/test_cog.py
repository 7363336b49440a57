"""COG writer: the nearest overviews it gathers from the blocks give the file
GDAL's own overview building gives, byte for byte."""
import numpy as np
import pytest
import rasterio

from chainon.core import cog
from chainon.core.blocks import windows
from chainon.core.cog import CogWriter, NearestOverviews
from chainon.core.grid import Grid


def _write(path, grid, dtype, nodata, data, resampling="nearest"):
    with CogWriter(path, grid, dtype, nodata, {"product": "test"}, resampling=resampling,
                   description="Test band") as out:
        for w in windows(grid.width, grid.height):
            out.write(w, data[w.row_off:w.row_off + w.height, w.col_off:w.col_off + w.width])


@pytest.mark.parametrize("dtype,nodata,height,width", [
    ("uint8", 255, 1100, 1030),          # two levels, odd sizes: ratios not exactly 2
    ("uint16", 65535, 2100, 777),
    ("float32", float("nan"), 1030, 1100)])
def test_gathered_overviews_are_gdals_byte_for_byte(tmp_path, monkeypatch, dtype, nodata,
                                                     height, width):
    grid = Grid("EPSG:32631", 600000.0, 5000000.0, 20.0, width, height)
    data = np.random.default_rng(0).integers(0, 250, (height, width)).astype(dtype)
    data[:7, :] = nodata
    _write(tmp_path / "fast.tif", grid, dtype, nodata, data)
    monkeypatch.setattr(NearestOverviews, "for_raster", classmethod(lambda *a: None))
    _write(tmp_path / "gdal.tif", grid, dtype, nodata, data)
    assert (tmp_path / "fast.tif").read_bytes() == (tmp_path / "gdal.tif").read_bytes()
    with rasterio.open(tmp_path / "fast.tif") as ds:
        assert len(ds.overviews(1)) >= 1 and ds.descriptions == ("Test band",)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fast.tif", "gdal.tif"]


def test_overviews_left_to_gdal_when_small_big_or_averaged(tmp_path, monkeypatch):
    assert NearestOverviews.for_raster(512, 512, "uint8") is None        # none to build
    assert NearestOverviews.for_raster(5490, 5490, "uint16") is not None  # snow, 15 MB
    assert NearestOverviews.for_raster(10980, 10980, "float32") is None   # 120 MB: GDAL's
    assert NearestOverviews.for_raster(2000, 2000, "int8") is None
    grid = Grid("EPSG:32631", 600000.0, 5000000.0, 20.0, 1100, 1030)
    monkeypatch.setattr(NearestOverviews, "add", lambda *a: pytest.fail("gathered"))
    _write(tmp_path / "avg.tif", grid, "uint16", 65535, np.ones((1030, 1100), "uint16"),
           resampling="average")


def test_failed_overviews_leave_nothing(tmp_path, monkeypatch):
    grid = Grid("EPSG:32631", 600000.0, 5000000.0, 20.0, 1100, 1030)

    def broken(*a):
        raise RuntimeError("disk full")
    monkeypatch.setattr(cog, "_vrt_with_overviews", broken)
    with pytest.raises(RuntimeError):
        _write(tmp_path / "x.tif", grid, "uint8", 255, np.zeros((1030, 1100), "uint8"))
    assert list(tmp_path.iterdir()) == []
