"""The COG writer: what makes it cheaper must not change a byte of its files."""
import numpy as np
import rasterio
from rasterio.shutil import copy as rio_copy

from chainon.core.blocks import windows
from chainon.core.cog import COG_OPTIONS, CogWriter
from chainon.core.grid import Grid


def test_cog_same_bytes_as_gdal_defaults(tmp_path):
    """ZSTD level 1 for the overviews' temporary file leaves the COG as GDAL's
    defaults make it, with nearest and averaged overviews."""
    rng = np.random.default_rng(0)
    data = rng.integers(0, 300, (1100, 1377)).astype("uint16")
    data[rng.random(data.shape) < 0.2] = 65535
    grid = Grid("EPSG:32631", 600000.0, 5000000.0, 20.0, 1377, 1100)
    for resampling in ("nearest", "average"):
        path = tmp_path / f"{resampling}.tif"
        with CogWriter(path, grid, "uint16", 65535, {"product": "test"},
                       resampling=resampling) as out:
            for w in windows(grid.width, grid.height):
                out.write(w, data[w.toslices()])
        plain = tmp_path / f"{resampling}.plain.tif"
        profile = dict(driver="GTiff", width=grid.width, height=grid.height, count=1,
                       dtype="uint16", crs=grid.crs, transform=grid.transform, nodata=65535,
                       tiled=True, blockxsize=512, blockysize=512)
        with rasterio.open(tmp_path / "src.tif", "w", **profile) as ds:
            with rasterio.open(path) as cog:
                ds.update_tags(**cog.tags())
            ds.write(data, 1)
        rio_copy(str(tmp_path / "src.tif"), str(plain), overview_resampling=resampling,
                 **COG_OPTIONS)
        with rasterio.open(path) as ds:
            assert ds.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG" and ds.overviews(1)
        assert path.read_bytes() == plain.read_bytes()
