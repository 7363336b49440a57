"""Writing results: tiled GeoTIFF written block by block, turned into a
Cloud-Optimized GeoTIFF with overviews only when complete, so that a failed or
cancelled run never leaves a file posing as a result.

The COG driver can only copy a complete raster, so every result is written
twice; the intermediate copy of the blocks is compressed with ZSTD level 1
(cheaper than DEFLATE, about half the raw size: a full 10 m float32 tile is
0.48 GB raw, and several are written at once). The COG does not depend on
it, byte for byte."""
import os
from pathlib import Path

import rasterio
from rasterio.shutil import copy as rio_copy

from . import __version__
from .blocks import gdal_cache

COG_OPTIONS = dict(driver="COG", compress="DEFLATE", blocksize=512, overviews="AUTO",
                   bigtiff="IF_SAFER", num_threads="ALL_CPUS")
# The COG driver compresses the overviews it builds into a temporary file
# (ZSTD, level 9 by default) before copying them: level 1 gives the same COG,
# byte for byte, for less CPU (5490² uint16: 0.05 of 0.45 CPU s).
COG_ENV = dict(ZSTD_LEVEL_OVERVIEW=1)


class CogWriter:
    """with CogWriter(path, grid, dtype, nodata, tags=...) as w: w.write(window, array)
    On success the COG appears at `path`; on any exception nothing remains."""

    def __init__(self, path, grid, dtype, nodata, tags=None, resampling="nearest",
                 description=None):
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".part.tif")
        self.grid, self.dtype, self.nodata = grid, dtype, nodata
        self.tags = {"software": f"Chainon {__version__}", **(tags or {})}
        self.resampling, self.description = resampling, description
        self.ds = self.env = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.env = gdal_cache()     # written blocks go to disk, not to the cache
        self.env.__enter__()
        self.ds = rasterio.open(
            self.tmp, "w", driver="GTiff", width=self.grid.width, height=self.grid.height,
            count=1, dtype=self.dtype, crs=self.grid.crs, transform=self.grid.transform,
            nodata=self.nodata, tiled=True, blockxsize=512, blockysize=512,
            compress="ZSTD", zstd_level=1, bigtiff="IF_SAFER")
        self.ds.update_tags(**{k: str(v) for k, v in self.tags.items()})
        if self.description:
            self.ds.set_band_description(1, self.description)
        return self

    def write(self, window, array):
        self.ds.write(array.astype(self.dtype, copy=False), 1, window=window)

    def __exit__(self, exc_type, exc, tb):
        try:
            self.ds.close()
            if exc_type is None:
                to_cog(self.tmp, self.path, self.resampling)
        finally:
            remove_quietly(self.tmp)
            self.env.__exit__(None, None, None)
        return False


def to_cog(src, dst, resampling="nearest"):
    """Copy a raster to a COG at dst (written aside, then renamed)."""
    dst = Path(dst)
    part = dst.with_name(dst.name + ".part.cog.tif")
    try:
        with rasterio.Env(**COG_ENV):
            rio_copy(str(src), str(part), overview_resampling=resampling, **COG_OPTIONS)
        os.replace(part, dst)
    finally:
        remove_quietly(part)


def remove_quietly(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def output_paths(outputs, keys, default):
    """{key: Path} of the rasters to write. outputs maps keys to paths; a key
    given as None was not asked for and is left out (not written), a key
    missing or empty goes to default(key)."""
    return {k: Path(outputs.get(k) or default(k)) for k in keys
            if not (k in outputs and outputs[k] is None)}
