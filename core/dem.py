"""Ancillary DEM: any raster, reprojected and resampled onto the product grid."""
import numpy as np
import rasterio
from rasterio.warp import transform_bounds

from .blocks import run_blocks, windows
from .errors import InputError
from .theia import open_raster, read_on_grid


def check_covers(ds, grid, path):
    """A DEM must cover the whole grid (one DEM pixel of tolerance)."""
    try:
        b = transform_bounds(ds.crs, grid.crs, *ds.bounds, densify_pts=21)
    except Exception as e:   # noqa: BLE001 - any CRS failure means the same to the user
        raise InputError("The DEM {path} has no usable coordinate system ({error}).",
                         path=path, error=e)
    tol = 2 * max(abs(b[2] - b[0]) / ds.width, abs(b[3] - b[1]) / ds.height)
    g = grid.bounds
    if b[0] > g[0] + tol or b[1] > g[1] + tol or b[2] < g[2] - tol or b[3] < g[3] - tol:
        raise InputError("The DEM {path} does not cover the area to process "
                         "(DEM {dem}, area {area} in {crs}); give a DEM that covers the tile.",
                         path=path, dem=tuple(round(v) for v in b),
                         area=tuple(round(v) for v in g), crs=grid.crs)


def warp_dem(path, grid, dst, progress=None):
    """Write the DEM resampled (bilinear) onto `grid` as float32 GeoTIFF `dst`;
    returns (min, max) elevation over the grid."""
    lo, hi = np.inf, -np.inf
    with open_raster(path) as src:
        if src.crs is None:
            raise InputError("The DEM {path} has no coordinate system.", path=path)
        check_covers(src, grid, path)
        profile = dict(driver="GTiff", width=grid.width, height=grid.height, count=1,
                       dtype="float32", crs=grid.crs, transform=grid.transform, nodata=np.nan,
                       tiled=True, blockxsize=256, blockysize=256, compress="DEFLATE")
        with rasterio.open(dst, "w", **profile) as out:
            def compute(w):
                with rasterio.open(path) as ds:   # one handle per thread
                    return read_on_grid(ds, grid.window_grid(w), resampling="bilinear")

            def consume(w, block):
                nonlocal lo, hi
                out.write(block, 1, window=w)
                if np.isfinite(block).any():
                    lo, hi = min(lo, np.nanmin(block)), max(hi, np.nanmax(block))
            run_blocks(windows(grid.width, grid.height, 1024), compute, consume, progress)
    if not np.isfinite(lo):
        raise InputError("The DEM {path} holds no valid elevation over the area to process.",
                         path=path)
    return float(lo), float(hi)
