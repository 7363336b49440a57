"""National mosaic of one output: the per-tile COGs (each in its UTM zone)
warped tile by tile into one Lambert-93 grid, written as a COG with
overviews, nodata kept, and a QML sidecar.

Memory stays at one tile's footprint whatever the number of tiles: each tile
is warped into its own window of a sparse scratch GeoTIFF, which is turned
into a COG at the end. Warping uses nearest neighbour so that every mosaic
value is a value of a tile (codes and day counts stay exact); overviews use
the catalog's resampling. Where tiles overlap, the first tile (by id) wins."""
import math
import os
from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import Affine
from rasterio.warp import Resampling, reproject, transform_bounds
from rasterio.windows import Window

from chainon.core.catalog import PRODUCTS
from chainon.core.cog import remove_quietly, to_cog
from chainon.core.qml import write_sidecar
from chainon.core.styles import period_style

MOSAIC_CRS = "EPSG:2154"


def mosaic_name(product_id, key, start, end):
    name = PRODUCTS[product_id].output(key).name
    return f"{product_id.upper()}-{name}_{start.replace('-', '')}_{end.replace('-', '')}_L93.tif"


def build_mosaic(tile_cogs, out_path, product_id, key, start=None, end=None, res=None):
    """tile_cogs: paths of one output's per-tile COGs; the period (ISO dates)
    stretches the sidecar style where the output counts days of it. `res`:
    the tiles' own (the product's native resolution, 10 m for forest cuts)."""
    output = PRODUCTS[product_id].output(key)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    res = res or native_res(tile_cogs)
    transform, width, height = _grid([_l93_bounds(p) for p in tile_cogs], res)
    scratch = out_path.with_name(out_path.name + ".scratch.tif")
    try:
        with rasterio.open(scratch, "w+", driver="GTiff", width=width, height=height, count=1,
                           dtype=output.dtype, nodata=output.nodata, crs=MOSAIC_CRS,
                           transform=transform, tiled=True, blockxsize=512, blockysize=512,
                           sparse_ok=True, bigtiff="YES") as dst:
            for path in sorted(tile_cogs, key=lambda p: Path(p).name):
                _add_tile(path, dst, output.nodata)
            dst.set_band_description(1, output.title)
            dst.update_tags(product=product_id, output=key)
        to_cog(scratch, out_path, output.resampling)
    finally:
        remove_quietly(scratch)
    write_sidecar(out_path, *period_style(product_id, key, start, end))
    return str(out_path)


def native_res(tile_cogs):
    """The finest pixel size of the tiles (metres)."""
    res = []
    for path in tile_cogs:
        with rasterio.open(path) as ds:
            res.append(min(abs(ds.res[0]), abs(ds.res[1])))
    return min(res)


def _l93_bounds(path):
    with rasterio.open(path) as src:
        return transform_bounds(src.crs, MOSAIC_CRS, *src.bounds, densify_pts=21)


def _grid(bounds, res):
    """The smallest grid on multiples of `res` covering every tile."""
    left = math.floor(min(b[0] for b in bounds) / res) * res
    bottom = math.floor(min(b[1] for b in bounds) / res) * res
    right = math.ceil(max(b[2] for b in bounds) / res) * res
    top = math.ceil(max(b[3] for b in bounds) / res) * res
    return (Affine(res, 0, left, 0, -res, top), round((right - left) / res),
            round((top - bottom) / res))


def _window(dst, bounds):
    left, bottom, right, top = bounds
    t = dst.transform
    c0 = max(0, math.floor((left - t.c) / t.a))
    c1 = min(dst.width, math.ceil((right - t.c) / t.a))
    r0 = max(0, math.floor((t.f - top) / -t.e))
    r1 = min(dst.height, math.ceil((t.f - bottom) / -t.e))
    return Window(c0, r0, c1 - c0, r1 - r0)


def _add_tile(path, dst, nodata):
    """Warps one tile into its window, filling only pixels still empty."""
    with rasterio.open(path) as src:
        window = _window(dst, transform_bounds(src.crs, MOSAIC_CRS, *src.bounds,
                                               densify_pts=21))
        warped = np.full((int(window.height), int(window.width)), nodata, src.dtypes[0])
        reproject(rasterio.band(src, 1), warped, src_nodata=src.nodata, dst_nodata=nodata,
                  dst_transform=dst.window_transform(window), dst_crs=MOSAIC_CRS,
                  resampling=Resampling.nearest, num_threads=min(4, os.cpu_count() or 1))
    current = dst.read(1, window=window)
    empty = (current == nodata) & (warped != nodata)
    current[empty] = warped[empty]
    dst.write(current, 1, window=window)
