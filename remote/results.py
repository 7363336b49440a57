"""Turning a job's results document into layers and local files. Result
files need the user's bearer token: it is given to GDAL for the service's URL
prefix only (a path-specific option), never globally."""
from osgeo import gdal

COG = "image/tiff"


def authorize(base_url, token):
    """GDAL sends `Authorization: Bearer` to this service's files only."""
    if token:
        gdal.SetPathSpecificOption(f"/vsicurl/{base_url.rstrip('/')}/", "GDAL_HTTP_HEADERS",
                                   f"Authorization: Bearer {token}")


def mosaics(results):
    """{output key: href} of the national mosaics in a results document."""
    return {key: value["href"] for key, value in results.items()
            if isinstance(value, dict) and value.get("type", "").startswith(COG)}


def tiles(results):
    """{tile: {output key: href}} of the per-tile COGs."""
    entry = results.get("tiles") or {}
    return entry.get("value", {}) if isinstance(entry, dict) else {}


def result_layers(results):
    """(name, output key, /vsicurl/ URI) for every mosaic and per-tile COG."""
    layers = [(f"{key} (France)", key, "/vsicurl/" + href)
              for key, href in mosaics(results).items()]
    for tile, outputs in sorted(tiles(results).items()):
        layers += [(f"{key} {tile}", key, "/vsicurl/" + href) for key, href in outputs.items()]
    return layers
