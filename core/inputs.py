"""Choosing the Sentinel-2 inputs of a run: the products of one tile in a
period, and the processing grid (the tile, or the part under an extent)."""
from datetime import timedelta

import numpy as np
from rasterio.warp import transform_bounds

from .errors import InputError
from .theia import find_products, open_raster, product_grid, read_on_grid

DATE_MARGIN = timedelta(days=15)   # dates just outside the period anchor gap-filling


def select_products(s2_folder, start, end, bands, margin=DATE_MARGIN):
    """Products of one tile within [start - margin, end + margin] (the whole
    series when a date is not given), every one checked for `bands`."""
    products = find_products(s2_folder)
    if not products:
        raise InputError("No Sentinel-2 L2A product was found in {folder} (expected folders "
                         "or .zip files named like SENTINEL2A_20180826-104155-257_L2A_T31UFQ_C_"
                         "V2-2 from THEIA or S2B_MSIL2A_20230712T103629_N0509_R008_T31UFQ_"
                         "20230712T134418.SAFE from Sen2Cor, or STAC items saved as .json).",
                         folder=s2_folder)
    tiles = sorted({p.tile for p in products})
    if len(tiles) > 1:
        raise InputError("The folder {folder} holds products of several tiles ({tiles}); "
                         "give a folder with one tile.", folder=s2_folder, tiles=", ".join(tiles))
    start = start or products[0].acquired.date()
    end = end or products[-1].acquired.date()
    if start > end:
        raise InputError("The start date {start} is after the end date {end}.",
                         start=start, end=end)
    inside = [p for p in products if start <= p.acquired.date() <= end]
    if not inside:
        raise InputError("No Sentinel-2 acquisition between {start} and {end} in {folder} "
                         "(products from {first} to {last}).", start=start, end=end,
                         folder=s2_folder, first=products[0].acquired.date(),
                         last=products[-1].acquired.date())
    used = [p for p in products if start - margin <= p.acquired.date() <= end + margin]
    for p in used:                 # fail before any work on a missing band
        for b in bands:
            p.band_path(b)
    return used, start, end


def processing_grid(product, bounds, bounds_crs, res=20.0):
    """The product's tile grid at `res` m, cut to `bounds` when given."""
    grid = product_grid(product, res)
    if bounds is None:
        return grid
    b = transform_bounds(bounds_crs or grid.crs, grid.crs, *bounds, densify_pts=21)
    sub = grid.crop_to_bounds(*b)
    if sub is None:
        raise InputError("The extent does not overlap tile T{tile} ({crs} bounds {tile_bounds}).",
                         tile=product.tile, crs=grid.crs,
                         tile_bounds=tuple(round(v) for v in grid.bounds))
    return sub


def parse_classes(text, allow_empty=False):
    """'16, 17' -> (16, 17): land-cover codes given by a user; empty -> ()
    (meaning any non-zero value) when allowed."""
    try:
        classes = tuple(int(float(v)) for v in str(text or "").replace(";", ",").split(",")
                        if v.strip())
    except ValueError:
        classes = None
    if classes is None or (not classes and not allow_empty):
        raise InputError("The classes {classes} are not a list of land-cover codes "
                         "(e.g. 16, 17).", classes=text)
    return classes


def mask_reader(path, classes):
    """window grid -> bool mask read (nearest) from the raster `path`: its
    pixels in `classes` (land-cover codes), or its non-zero pixels when no
    class is given (a 0/1 mask); all True without a raster."""
    if not path:
        return lambda sub: np.ones((sub.height, sub.width), bool)

    def read(sub):
        with open_raster(path) as ds:
            values = read_on_grid(ds, sub, "nearest")
        if classes:
            return np.isin(values, classes)
        return np.isfinite(values) & (values != 0)
    return read
