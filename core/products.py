"""Runs any catalog product on one tile from a data-lake folder: the entry
point of the compute centre's workers (the QGIS algorithms call the product
modules directly, with the user's own inputs)."""
from pathlib import Path

from .catalog import PRODUCTS
from .errors import InputError
from .snow import LisParams
from .snow_cover import run_snow_cover

# Data lake layout, per Sentinel-2 tile:
#   <lake>/tiles/<TILE>/S2/    THEIA L2A products (folders or zips)
#   <lake>/tiles/<TILE>/DEM/dem.tif


def tile_inputs(lake, tile):
    """The input paths of one tile in the data lake."""
    root = Path(lake) / "tiles" / tile.upper().lstrip("T")
    return {"S2": root / "S2", "DEM": root / "DEM" / "dem.tif"}


def main_outputs(product_id):
    """Output keys a national job mosaics (per-date maps stay per tile)."""
    product = PRODUCTS[product_id]
    return [o for o in product.outputs if o.key.startswith("OUTPUT")]


def run_tile(product_id, lake, tile, out_dir, start, end, params=None, progress=None):
    """Runs the product on one tile; returns {output key: COG path}."""
    if product_id not in PRODUCTS:
        raise InputError("Unknown product {product}.", product=product_id)
    inputs = tile_inputs(lake, tile)
    if not inputs["S2"].is_dir():
        raise InputError("No Sentinel-2 data for tile {tile} in the data lake.", tile=tile)
    params = params or {}
    if product_id == "snow_cover":
        lis = LisParams(**{k: float(v) for k, v in params.items() if hasattr(LisParams, k)})
        result = run_snow_cover(inputs["S2"], inputs["DEM"], out_dir, start=start, end=end,
                                params=lis, progress=progress)
        return {o.key: result[o.key] for o in main_outputs(product_id)}
    raise InputError("Product {product} cannot run at the compute centre yet.",
                     product=product_id)
