"""Writing results: tiled GeoTIFF written block by block, turned into a
Cloud-Optimized GeoTIFF with overviews only when complete, so that a failed or
cancelled run never leaves a file posing as a result.

The COG driver can only copy a complete raster, so every result is written
twice; the intermediate copy of the blocks is compressed with ZSTD level 1
(cheaper than DEFLATE, about half the raw size: a full 10 m float32 tile is
0.48 GB raw, and several are written at once). The COG does not depend on
it, byte for byte.

Nearest overviews are gathered from the blocks as they are written (when the
first level is small, see NearestOverviews) and handed to the COG driver
through a VRT: GDAL's own nearest resampling costs as much as compressing the
whole raster (snow cover: 0.38 -> 0.30 CPU s per full uint16 tile)."""
import os
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import rasterio
from rasterio.shutil import copy as rio_copy

from . import __version__
from .blocks import gdal_cache

COG_BLOCK = 512
COG_OPTIONS = dict(driver="COG", compress="DEFLATE", blocksize=COG_BLOCK, overviews="AUTO",
                   bigtiff="IF_SAFER", num_threads="ALL_CPUS")
TMP_OPTIONS = dict(driver="GTiff", tiled=True, blockxsize=512, blockysize=512, compress="ZSTD",
                   zstd_level=1, bigtiff="IF_SAFER")
# Overviews gathered in memory only when their first level is at most this big.
MAX_GATHERED_MB = 32
VRT_TYPES = {"uint8": "Byte", "uint16": "UInt16", "int16": "Int16", "uint32": "UInt32",
             "int32": "Int32", "float32": "Float32", "float64": "Float64"}


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
        self.ds = self.env = self.overviews = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.env = gdal_cache()     # written blocks go to disk, not to the cache
        self.env.__enter__()
        self.ds = rasterio.open(
            self.tmp, "w", width=self.grid.width, height=self.grid.height,
            count=1, dtype=self.dtype, crs=self.grid.crs, transform=self.grid.transform,
            nodata=self.nodata, **TMP_OPTIONS)
        self.ds.update_tags(**{k: str(v) for k, v in self.tags.items()})
        if self.description:
            self.ds.set_band_description(1, self.description)
        if self.resampling == "nearest":
            self.overviews = NearestOverviews.for_raster(self.grid.height, self.grid.width,
                                                         self.dtype)
        return self

    def write(self, window, array):
        array = array.astype(self.dtype, copy=False)
        self.ds.write(array, 1, window=window)
        if self.overviews:
            self.overviews.add(window, array)

    def __exit__(self, exc_type, exc, tb):
        levels = []
        try:
            self.ds.close()
            if exc_type is None and self.overviews:
                self.overviews.write(self.tmp, levels)
                vrt = self.tmp.with_name(self.tmp.name + ".vrt")
                levels.append(vrt)
                vrt.write_text(_vrt_with_overviews(self.tmp, levels[:-1]))
                to_cog(vrt, self.path, self.resampling)
            elif exc_type is None:
                to_cog(self.tmp, self.path, self.resampling)
        finally:
            for path in [self.tmp] + levels:
                remove_quietly(path)
            self.env.__exit__(None, None, None)
        return False


class NearestOverviews:
    """The overviews the COG driver would build with nearest resampling
    (GDAL 3.6: levels of halving sizes, base size // 2**n, until both sides
    fit a COG block; each level from the previous one, source pixel
    int(0.5 + i * ratio)), the first level picked from the blocks as they are
    written: the full raster is never held. tests/test_cog.py checks them
    against the driver's, byte for byte."""

    def __init__(self, height, width, dtype, sizes):
        self.sizes = sizes
        h, w = sizes[0]
        self.rows, self.cols = _nearest(height, h), _nearest(width, w)
        self.first = np.zeros((h, w), dtype)

    @classmethod
    def for_raster(cls, height, width, dtype):
        """None when GDAL builds none or the first level is too big to gather."""
        sizes, f = [], 1
        while height // f > COG_BLOCK or width // f > COG_BLOCK:
            f *= 2
            sizes.append((max(1, height // f), max(1, width // f)))
        dtype = np.dtype(dtype)
        if (not sizes or dtype.name not in VRT_TYPES
                or np.prod(sizes[0]) * dtype.itemsize > MAX_GATHERED_MB * 2 ** 20):
            return None
        return cls(height, width, dtype, sizes)

    def add(self, window, array):
        r0, c0 = int(window.row_off), int(window.col_off)
        rs = np.flatnonzero((self.rows >= r0) & (self.rows < r0 + array.shape[0]))
        cs = np.flatnonzero((self.cols >= c0) & (self.cols < c0 + array.shape[1]))
        self.first[np.ix_(rs, cs)] = array[np.ix_(self.rows[rs] - r0, self.cols[cs] - c0)]

    def write(self, base, paths):
        """Writes every level beside `base` (same profile), adding their paths
        to `paths` as they are made."""
        level = self.first
        with rasterio.open(base) as ds:
            profile = dict(count=1, dtype=ds.dtypes[0], nodata=ds.nodata, crs=ds.crs,
                           **TMP_OPTIONS)
            size, transform = (ds.height, ds.width), ds.transform
        for i, (h, w) in enumerate(self.sizes):
            if i:
                level = level[np.ix_(_nearest(level.shape[0], h), _nearest(level.shape[1], w))]
            paths.append(base.with_name(f"{base.name}.ovr{i + 1}.tif"))
            scaled = transform * transform.scale(size[1] / w, size[0] / h)
            with rasterio.open(paths[-1], "w", width=w, height=h, transform=scaled,
                               **profile) as out:
                out.write(level, 1)


def _nearest(n_src, n_dst):
    """GDAL's nearest source index of each of n_dst pixels."""
    return (0.5 + np.arange(n_dst) * (n_src / n_dst)).astype(np.int64)


def _vrt_with_overviews(base, levels):
    """A VRT of `base` (its CRS, transform, tags, nodata, description) whose
    overviews are the rasters `levels`."""
    with rasterio.open(base) as ds:
        kind = VRT_TYPES[ds.dtypes[0]]
        head = [f'<VRTDataset rasterXSize="{ds.width}" rasterYSize="{ds.height}">',
                f"<SRS>{escape(ds.crs.to_wkt())}</SRS>" if ds.crs else "",
                "<GeoTransform>" + ",".join(repr(v) for v in ds.transform.to_gdal())
                + "</GeoTransform>", "<Metadata>"]
        head += [f"<MDI key={quoteattr(k)}>{escape(v)}</MDI>" for k, v in ds.tags().items()]
        band = ["</Metadata>", f'<VRTRasterBand dataType="{kind}" band="1">']
        if ds.descriptions[0]:
            band.append(f"<Description>{escape(ds.descriptions[0])}</Description>")
        if ds.nodata is not None:
            band.append(f"<NoDataValue>{ds.nodata!r}</NoDataValue>")
    band.append(_vrt_source("SimpleSource", base))
    band += [_vrt_source("Overview", p) for p in levels]
    return "\n".join(head + band + ["</VRTRasterBand>", "</VRTDataset>"])


def _vrt_source(tag, path):
    return (f'<{tag}><SourceFilename relativeToVRT="0">{escape(str(Path(path).resolve()))}'
            f"</SourceFilename><SourceBand>1</SourceBand></{tag}>")


def to_cog(src, dst, resampling="nearest"):
    """Copy a raster to a COG at dst (written aside, then renamed)."""
    dst = Path(dst)
    part = dst.with_name(dst.name + ".part.cog.tif")
    try:
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
