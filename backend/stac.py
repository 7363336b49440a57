"""A STAC 1.0 collection per job: one item per tile (its COGs as assets)
and the national mosaics as collection assets. Written with relative hrefs
(a self-contained catalogue that can be copied anywhere); the file server
makes them absolute when it serves them (absolute_hrefs)."""
import json
import os
from pathlib import Path
from urllib.parse import urljoin

import rasterio
from rasterio.warp import transform_geom

from chainon.core.catalog import PRODUCTS

STAC_VERSION = "1.0.0"
PROJ_EXT = "https://stac-extensions.github.io/projection/v1.1.0/schema.json"
COG_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized"


def write_collection(job_folder, job_id, product_id, start, end, tile_outputs, mosaics):
    """tile_outputs: {tile: {key: path}}; mosaics: {key: path}. Paths are
    absolute, under job_folder. Returns the collection's path."""
    folder = Path(job_folder) / "stac"
    (folder / "items").mkdir(parents=True, exist_ok=True)
    product = PRODUCTS[product_id]
    items = {t: _item(t, outs, product, job_id, start, end, folder / "items")
             for t, outs in sorted(tile_outputs.items())}
    for tile, item in items.items():
        _write(folder / "items" / f"{tile}.json", item)
    boxes = [item["bbox"] for item in items.values()]
    collection = {
        "type": "Collection", "stac_version": STAC_VERSION, "stac_extensions": [PROJ_EXT],
        "id": f"chainon-{product_id}-{job_id}", "title": f"{product.title}, {start} to {end}",
        "description": product.summary, "license": "proprietary",
        "extent": {"spatial": {"bbox": [[min(b[0] for b in boxes), min(b[1] for b in boxes),
                                         max(b[2] for b in boxes), max(b[3] for b in boxes)]]},
                   "temporal": {"interval": [[f"{start}T00:00:00Z", f"{end}T23:59:59Z"]]}},
        "links": [{"rel": "root", "href": "./collection.json", "type": "application/json"}]
        + [{"rel": "item", "href": f"./items/{t}.json", "type": "application/geo+json"}
           for t in items],
        "assets": {key: _asset(path, product.output(key).title + " (Lambert-93 mosaic)",
                               folder, {"proj:epsg": 2154})
                   for key, path in mosaics.items()},
    }
    _write(folder / "collection.json", collection)
    return folder / "collection.json"


def _item(tile, outputs, product, job_id, start, end, folder):
    first = next(iter(outputs.values()))
    with rasterio.open(first) as ds:
        left, bottom, right, top = ds.bounds
        epsg, shape, transform = ds.crs.to_epsg(), [ds.height, ds.width], list(ds.transform)[:6]
    ring = [[left, top], [right, top], [right, bottom], [left, bottom], [left, top]]
    geometry = transform_geom(f"EPSG:{epsg}", "EPSG:4326",
                              {"type": "Polygon", "coordinates": [ring]})
    lons = [p[0] for p in geometry["coordinates"][0]]
    lats = [p[1] for p in geometry["coordinates"][0]]
    return {
        "type": "Feature", "stac_version": STAC_VERSION, "stac_extensions": [PROJ_EXT],
        "id": tile, "collection": f"chainon-{product.id}-{job_id}",
        "geometry": geometry, "bbox": [min(lons), min(lats), max(lons), max(lats)],
        "properties": {"datetime": None, "start_datetime": f"{start}T00:00:00Z",
                       "end_datetime": f"{end}T23:59:59Z", "proj:epsg": epsg,
                       "proj:bbox": [left, bottom, right, top], "proj:shape": shape,
                       "proj:transform": transform, "chainon:product": product.id,
                       "s2:mgrs_tile": tile},
        "links": [{"rel": "collection", "href": "../collection.json", "type": "application/json"},
                  {"rel": "parent", "href": "../collection.json", "type": "application/json"},
                  {"rel": "root", "href": "../collection.json", "type": "application/json"}],
        "assets": {key: _asset(path, product.output(key).title, folder)
                   for key, path in outputs.items()},
    }


def _asset(path, title, folder, extra=None):
    path = Path(path)
    asset = {"href": _relative(path, folder), "type": COG_TYPE, "title": title,
             "roles": ["data"], **(extra or {})}
    style = path.with_suffix(".qml")
    if style.exists():     # QGIS style of the COG, from the catalog
        asset["chainon:style"] = _relative(style, folder)
    return asset


def _relative(path, folder):
    """POSIX relative href from a folder to a file (both under the job folder)."""
    return os.path.relpath(path, folder).replace(os.sep, "/")


def _write(path, doc):
    Path(path).write_text(json.dumps(doc, indent=1))


def absolute_hrefs(doc, url):
    """The document with every link and asset href resolved against `url`
    (where the document itself is served)."""
    def fix(entry):
        if isinstance(entry, dict):
            return {k: (urljoin(url, v) if k in ("href", "chainon:style") and isinstance(v, str)
                        else fix(v)) for k, v in entry.items()}
        if isinstance(entry, list):
            return [fix(v) for v in entry]
        return entry
    return fix(doc)
