"""The Sentinel-2 tiles of metropolitan France and Corsica (data shipped in
backend/data, made by backend/tools/make_tile_grid.py) and the resolution of
a job's area to the tiles it touches."""
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rasterio.warp import transform_geom
from shapely import union_all
from shapely.geometry import box, shape
from shapely.validation import make_valid

from .errors import InvalidInput, public_message

GRID_FILE = Path(__file__).resolve().parent / "data" / "s2_tiles_france.geojson"
TILE_ID = re.compile(r"^T?(\d{2}[C-X][A-Z]{2})$")
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
FRANCE_NAMES = ("france", "fr", "metropole", "métropole")
DEPARTMENT = re.compile(r"^(\d{2,3}|2[AB])$", re.IGNORECASE)
GEOJSON_TYPE = "application/geo+json"
MAX_TILE_IDS = 200          # a list of tile ids (France has 99)
MAX_COORD = 1e8             # |coordinate| of a bbox in any CRS (m or degrees)
MAX_VERTICES = 100_000      # of a GeoJSON area


@dataclass(frozen=True)
class Tile:
    id: str               # e.g. "31TCJ" (no leading T)
    epsg: int             # its UTM zone, e.g. 32631
    ulx: float            # upper-left corner in that zone (m)
    uly: float
    size_m: float
    land_fraction: float  # share of the footprint on French land
    footprint: object     # shapely Polygon, lon/lat

    @property
    def crs(self):
        return f"EPSG:{self.epsg}"

    @property
    def origin(self):
        return (self.ulx, self.uly)


@lru_cache(maxsize=1)
def grid():
    """{tile id: Tile}, sorted by id."""
    features = json.loads(GRID_FILE.read_text())["features"]
    tiles = {}
    for f in sorted(features, key=lambda f: f["id"]):
        p = f["properties"]
        tiles[f["id"]] = Tile(f["id"], p["epsg"], p["ulx"], p["uly"], p["size_m"],
                              p["land_fraction"], shape(f["geometry"]))
    return tiles


def normalize(tile_id):
    """'T31TCJ' or '31tcj' -> '31TCJ'; None when it is not a tile id."""
    m = TILE_ID.match(str(tile_id).strip().upper())
    return m.group(1) if m else None


def check_tiles(ids):
    """Tile ids as given -> normalized ids of France's grid, or a 400."""
    if not ids:
        raise InvalidInput("The area is empty: the tile list has no tile.")
    if len(ids) > MAX_TILE_IDS:
        raise InvalidInput(f"The area lists {len(ids)} tiles; at most {MAX_TILE_IDS} "
                           f"(France has {len(grid())}: use \"france\").")
    known, unknown = [], []
    for raw in ids:
        tile = normalize(raw) if isinstance(raw, str) else None
        (known if tile in grid() else unknown).append(tile or raw)
    if unknown:
        raise InvalidInput(
            f"Unknown tile(s) {', '.join(map(str, unknown))}: not Sentinel-2 tiles of "
            f"metropolitan France (the grid has {len(grid())} tiles, e.g. 31TCJ).")
    return sorted(set(known))


def resolve_area(area):
    """An area input -> sorted tile ids it touches. Accepted: "france"; a
    list of tile ids (or {"tiles": [...]}); an OGC bbox {"bbox": [minx,
    miny, maxx, maxy], "crs": ...}; a GeoJSON Polygon/MultiPolygon, Feature
    or FeatureCollection in lon/lat."""
    if isinstance(area, str):
        return _area_from_name(area)
    if isinstance(area, list):
        return check_tiles(area)
    if not isinstance(area, dict):
        raise InvalidInput("The area must be \"france\", a list of tiles, a bbox object "
                           "or a GeoJSON polygon.")
    if "tiles" in area:
        return check_tiles(area["tiles"] if isinstance(area["tiles"], list) else [])
    if "bbox" in area:
        return tiles_touching(_bbox_polygon(area["bbox"], area.get("crs") or CRS84))
    return tiles_touching(_geojson_polygon(area))


def _is_number(value):
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and abs(value) <= MAX_COORD)


def tiles_touching(geom):
    """Tiles whose footprint shares some area with a lon/lat geometry."""
    hits = [t.id for t in grid().values()
            if t.footprint.intersects(geom) and not t.footprint.touches(geom)]
    if not hits:
        b = tuple(round(v, 3) for v in geom.bounds)
        raise InvalidInput(f"The area is empty: it touches no Sentinel-2 tile of "
                           f"metropolitan France (its lon/lat bounds are {b}).")
    return hits


def _area_from_name(name):
    if name.strip().lower() in FRANCE_NAMES:
        return list(grid())
    if normalize(name):
        return check_tiles([name])
    if DEPARTMENT.match(name.strip()):
        raise InvalidInput(f"Department and region codes ({name}) are not supported: no "
                           "boundary layer with a suitable licence is installed. Give "
                           "a bbox, a GeoJSON polygon or a list of tiles.")
    raise InvalidInput(f"Unknown area {name!r}: use \"france\", a tile id, a list of "
                       "tiles, a bbox or a GeoJSON polygon.")


EPSG_NAME = re.compile(r"^(?:https?://www\.opengis\.net/def/crs/EPSG/0/|EPSG:|"
                       r"urn:ogc:def:crs:EPSG:[\d.]*:)(\d{4,6})$", re.IGNORECASE)


def _crs_code(crs):
    """OGC CRS URIs and EPSG codes -> "EPSG:n"; lon/lat for geographic CRSs
    (GeoJSON and GDAL's traditional axis order). Nothing else: GDAL would
    read any other string as a file or URL to fetch, a way into the
    service's disks and network."""
    text = crs.strip()
    if text in (CRS84, "CRS84", "OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84"):
        return "EPSG:4326"
    m = EPSG_NAME.match(text)
    if not m:
        raise InvalidInput(f"The bbox crs {text[:80]!r} is not a CRS this service reads: give "
                           f"{CRS84} or an EPSG code, e.g. "
                           "http://www.opengis.net/def/crs/EPSG/0/2154 or EPSG:2154.")
    return f"EPSG:{m.group(1)}"


def _bbox_polygon(bbox, crs):
    if (not isinstance(bbox, list) or len(bbox) not in (4, 6)
            or not all(_is_number(v) for v in bbox)):
        raise InvalidInput("bbox must be a list of 4 numbers [minx, miny, maxx, maxy], "
                           f"each at most {MAX_COORD:g} in absolute value.")
    if not isinstance(crs, str) or len(crs) > 200:
        raise InvalidInput("The bbox crs must be a CRS URI, e.g. " + CRS84 + ".")
    half = len(bbox) // 2
    minx, miny, maxx, maxy = bbox[0], bbox[1], bbox[half], bbox[half + 1]
    if minx >= maxx or miny >= maxy:
        raise InvalidInput(f"The area is empty: bbox {bbox} has min >= max.")
    ring = box(minx, miny, maxx, maxy).segmentize(max(maxx - minx, maxy - miny) / 20)
    code = _crs_code(crs)
    try:
        geom = shape(transform_geom(code, "EPSG:4326", ring.__geo_interface__))
    except Exception as exc:
        raise InvalidInput(f"Unknown or unusable CRS {crs!r} for the bbox: "
                           f"{public_message(exc)}") from None
    if geom.is_empty or not all(map(math.isfinite, geom.bounds)):
        raise InvalidInput(f"The bbox {bbox} has no place on Earth in {crs}.")
    return geom


def _geojson_polygon(obj):
    kind = obj.get("type")
    vertices = _count_numbers(obj) // 2
    if vertices > MAX_VERTICES:
        raise InvalidInput(f"The area has {vertices} vertices; at most {MAX_VERTICES}: "
                           "simplify it, or give its bbox.")
    try:
        if kind == "FeatureCollection":
            parts = [shape(f["geometry"]) for f in obj.get("features", [])]
            geom = union_all(parts) if parts else None
        elif kind == "Feature":
            geom = shape(obj["geometry"])
        elif kind in ("Polygon", "MultiPolygon"):
            geom = shape(obj)
        else:
            raise InvalidInput(f"Unsupported area type {kind!r}: give \"france\", a list "
                               "of tiles, a bbox or a GeoJSON (Multi)Polygon.")
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput(f"The area is not valid GeoJSON: {exc}") from None
    if geom is None or geom.is_empty or geom.area == 0:
        raise InvalidInput("The area is empty: the polygon has no surface.")
    if not all(map(math.isfinite, geom.bounds)) or max(map(abs, geom.bounds)) > 360:
        raise InvalidInput("The area's coordinates must be longitudes and latitudes.")
    return geom if geom.is_valid else make_valid(geom)


def _count_numbers(value):
    if isinstance(value, dict):
        return sum(_count_numbers(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_numbers(v) for v in value)
    return isinstance(value, (int, float))
