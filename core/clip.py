"""Cutting a (remote) result down to the user's area, as a local COG."""
from pathlib import Path

import rasterio
from rasterio.warp import transform_bounds
from rasterio.errors import WindowError
from rasterio.windows import Window, from_bounds

from .cog import to_cog
from .errors import InputError


def clip_to_bounds(src, dst, bounds=None, bounds_crs=None):
    """Writes the part of raster `src` (a path or /vsicurl/ URL) inside
    `bounds` (in `bounds_crs`) to `dst` as a COG; the whole raster when no
    bounds. Only the needed byte ranges of a remote COG are read."""
    dst = Path(dst)
    tmp = dst.with_name(dst.name + ".part.tif")
    with rasterio.open(src) as ds:
        window = None
        if bounds is not None:
            b = transform_bounds(bounds_crs or ds.crs, ds.crs, *bounds, densify_pts=21)
            window = from_bounds(*b, transform=ds.transform).round_offsets().round_lengths()
            try:
                window = window.intersection(Window(0, 0, ds.width, ds.height))
            except WindowError:
                window = None
            if window is None or window.width < 1 or window.height < 1:
                raise InputError("The extent does not overlap the result {src}.", src=src)
        data = ds.read(1, window=window)
        profile = ds.profile
        profile.update(driver="GTiff", width=data.shape[1], height=data.shape[0],
                       transform=ds.window_transform(window) if window else ds.transform,
                       tiled=True, blockxsize=256, blockysize=256, compress="DEFLATE")
        tags = ds.tags()
    try:
        with rasterio.open(tmp, "w", **profile) as out:
            out.write(data, 1)
            out.update_tags(**tags)
        to_cog(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    return dst
