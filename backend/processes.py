"""One OGC process per catalog product: its description (inputs as JSON
Schema, from the catalog, with the ranges a value must be in) and the strict
validation of an execute request: what the schema refuses is refused (400),
and nothing meaningless (non-finite numbers, dates without data, parameters
out of range) reaches the store."""
import json
import math
import re
from datetime import UTC, date, datetime

from shapely.errors import GEOSException

from chainon.core.catalog import PRODUCTS
from chainon.core.products import main_outputs, param_fields

from . import tiles
from .errors import InvalidInput
from .refs import fetch_reference

VERSION = "1.0.0"
COG_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized"
# JSON Schema of the product parameters, by type of the dataclass field
# (core.products.PARAMS).
SCHEMA_TYPES = {int: {"type": "integer"}, float: {"type": "number"},
                bool: {"type": "boolean"}, str: {"type": "string"},
                tuple: {"type": "array", "items": {"type": "number"}}}
CORE_INPUTS = ("area", "start", "end")
# The first day with data: Sentinel-1A's launch (Sentinel-2A: 2015-06-23).
FIRST_DAY = date(2014, 4, 3)
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_DEPTH = 32          # JSON nesting of a request (a GeoJSON area needs about 10)
SEED = (0, 2**32 - 1)
# Ranges of the product parameters, inclusive: the QGIS algorithms' bounds
# where they set one (thresholds >= 0, n_trees >= 1, validation_share
# 0.05-0.9 or, where 0 means "no validation", 0-0.9, ensemble_size
# 100-100000, seed >= 0), else what the quantity can physically be, and
# maxima that keep one tile's cost bounded.
RANGES = {
    "ndsi_pass1": (0, 1), "ndsi_pass2": (0, 1), "red_pass1": (0, 1), "red_pass2": (0, 1),
    "red_darkcloud": (0, 1), "red_backtocloud": (0, 1), "fsnow_lim": (0, 1),
    "fclear_lim": (0, 1), "fsnow_total_lim": (0, 1), "dz": (1, 1000), "rf": (1, 100),
    "n_trees": (1, 1000), "max_depth": (1, 100), "min_samples_split": (2, 1000),
    "min_samples_leaf": (1, 1000), "step_days": (1, 60), "validation_share": (0.05, 0.9),
    "max_samples": (1, 1_000_000), "min_clear": (1, 100), "seed": SEED,
    "ensemble_size": (100, 100_000), "drop": (0, 1), "relative_drop": (0, 1),
    "peak_fraction": (0, 1), "max_samples_per_observation": (1, 10_000),
    "cv_folds": (2, 20), "seed_db": (0, 30), "grow_db": (0, 30), "patch_db": (0, 30),
    "n_before": (1, 200), "n_after": (1, 50), "n_confirm": (1, 50), "min_before": (1, 200),
    "shadow_floor_db": (-50, 0), "min_shadow_px": (0, 10_000), "mmu_ha": (0, 10_000),
    "n_seasons": (1, 12), "block_m": (20, 10_000), "agb_a": (0, 10), "agb_b": (0, 10),
    "agb_a_conifer": (0, 10), "agb_b_conifer": (0, 10), "conifer_classes": (1, 255),
}
# Products whose QGIS algorithm accepts a validation share of 0 (land cover
# and crop yield then report no validation; forest height keeps one square).
PRODUCT_RANGES = {product: {"validation_share": (0, 0.9)}
                  for product in ("land_cover", "crop_yield", "forest_height")}
STRING_PATTERN = "^[A-Za-z0-9_ -]{0,32}$"       # crop codes, e.g. BTH
MAX_LIST = 64                                   # items of a list parameter

AREA_SCHEMA = {"oneOf": [
    {"type": "string", "enum": ["france"], "description": "Metropolitan France and Corsica"},
    {"type": "array", "minItems": 1, "maxItems": tiles.MAX_TILE_IDS,
     "items": {"type": "string", "pattern": "^T?[0-9]{2}[C-X][A-Z]{2}$"},
     "description": "Sentinel-2 tile ids, e.g. [\"31TCJ\", \"31UDQ\"]"},
    {"type": "object", "required": ["bbox"], "description": "OGC bounding box",
     "properties": {"bbox": {"type": "array", "items": {
                        "type": "number", "minimum": -tiles.MAX_COORD, "maximum": tiles.MAX_COORD},
                        "minItems": 4, "maxItems": 6},
                    "crs": {"type": "string", "maxLength": 200, "default": tiles.CRS84}}},
    {"type": "object", "required": ["type"], "contentMediaType": "application/geo+json",
     "description": "GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (lon/lat)",
     "properties": {"type": {"type": "string", "enum": [
         "Polygon", "MultiPolygon", "Feature", "FeatureCollection"]}}},
    {"type": "object", "required": ["href"], "description": "By reference: a GeoJSON "
     "document at an http(s) URL (public addresses only, at most 1 MiB)",
     "properties": {"href": {"type": "string", "format": "uri", "pattern": "^https?://"},
                    "type": {"type": "string", "enum": [tiles.GEOJSON_TYPE, "application/json"]}}},
]}


def summary(product, base):
    return {
        "id": product.id, "title": product.title, "description": product.summary,
        "version": VERSION, "keywords": ["Sentinel-2", product.group_id],
        "jobControlOptions": ["async-execute"], "outputTransmission": ["reference"],
        "links": [{"href": f"{base}/processes/{product.id}", "rel": "self",
                   "type": "application/json", "title": "Process description"}],
    }


def describe(product, base):
    doc = summary(product, base)
    doc["inputs"] = inputs_of(product)
    doc["outputs"] = outputs_of(product)
    doc["links"].append({"href": f"{base}/processes/{product.id}/execution",
                         "rel": "http://www.opengis.net/def/rel/ogc/1.0/execute",
                         "type": "application/json", "title": "Execute (asynchronous)"})
    return doc


def inputs_of(product):
    days = product.max_period_days
    inputs = {
        "area": {"title": "Area", "minOccurs": 1, "maxOccurs": 1, "schema": AREA_SCHEMA,
                 "description": "Where to run: resolved to the Sentinel-2 tiles it touches."},
        "start": {"title": "Start date", "minOccurs": 1, "maxOccurs": 1,
                  "schema": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
                  "description": f"First day of the period (at most {days} days long), "
                                 f"from {FIRST_DAY} to today."},
        "end": {"title": "End date", "minOccurs": 1, "maxOccurs": 1,
                "schema": {"type": "string", "format": "date", "pattern": DATE_PATTERN},
                "description": "Last day of the period (included), at the latest today."},
    }
    for f in param_fields(product.id):
        inputs[f.name] = {"title": f.name, "minOccurs": 0, "maxOccurs": 1,
                          "description": "Product parameter (default from the method).",
                          "schema": param_schema(product.id, f)}
    return inputs


def value_range(product_id, name):
    """(minimum, maximum) of a product parameter, or (None, None)."""
    return PRODUCT_RANGES.get(product_id, {}).get(name) or RANGES.get(name, (None, None))


def param_schema(product_id, f):
    """JSON Schema of one product parameter, with its range."""
    schema = dict(SCHEMA_TYPES[f.type])
    low, high = value_range(product_id, f.name)
    bounds = {"minimum": low, "maximum": high} if low is not None else {}
    if f.type is tuple:
        schema = {"type": "array", "maxItems": MAX_LIST,
                  "items": {"type": "number", **bounds}, "default": list(f.default)}
    elif f.type is str:
        schema.update(pattern=STRING_PATTERN, default=f.default)
    else:
        schema.update(default=f.default, **({} if f.type is bool else bounds))
    return schema


def execute_schema(product):
    """The execute request body of a process: which inputs, which required."""
    inputs = inputs_of(product)
    example = {"area": ["31TCJ"], "start": "2018-01-01", "end": "2018-01-31"}
    return {"type": "object", "required": ["inputs"], "example": {"inputs": example},
            "properties": {
        "inputs": {"type": "object", "additionalProperties": False,
                   "required": [k for k, v in inputs.items() if v["minOccurs"] > 0],
                   "properties": {k: v["schema"] for k, v in inputs.items()}},
        "outputs": {"type": "object", "additionalProperties": {
            "type": "object", "properties": {
                "transmissionMode": {"type": "string", "enum": ["reference"]}}},
            "propertyNames": {"enum": sorted(outputs_of(product))}},
        "response": {"type": "string", "enum": ["raw", "document"], "default": "document"}}}


def outputs_of(product):
    outputs = {o.key: {"title": o.title, "description": o.description + (
        " National mosaic in Lambert-93 (EPSG:2154) and one COG per tile in its UTM zone."),
        "schema": {"type": "string", "contentMediaType": COG_TYPE}}
        for o in main_outputs(product.id)}
    outputs["stac"] = {"title": "STAC collection",
                       "description": "One item per tile, the mosaics as collection assets.",
                       "schema": {"type": "string", "contentMediaType": "application/json"}}
    outputs["tiles"] = {"title": "Per-tile COGs",
                        "description": "For each tile done, the link of each output's COG "
                                       "in the tile's UTM zone.",
                        "schema": {"type": "object", "additionalProperties": {
                            "type": "object", "additionalProperties": {"type": "string"}}}}
    return outputs


def _value(raw):
    """OGC qualified values {"value": ..., "mediaType": ...} -> the value."""
    if isinstance(raw, dict) and "value" in raw and set(raw) <= {"value", "mediaType"}:
        return raw["value"]
    return raw


def parse_json(raw):
    """A request body -> JSON, strictly: finite numbers only, at most
    MAX_DEPTH levels deep. Raises InvalidInput."""
    def constant(name):
        raise InvalidInput(f"{name} is not allowed: numbers must be finite.")

    def number(text):
        value = float(text)
        if not math.isfinite(value):
            constant(text)
        return value

    def integer(text):
        value = int(text)
        if abs(value) > 2**53:
            raise InvalidInput(f"The number {text[:20]}... is too large.")
        return value
    try:
        body = json.loads(raw or b"null", parse_constant=constant, parse_float=number,
                          parse_int=integer)
    except RecursionError:
        raise InvalidInput(f"The body is nested too deeply (at most {MAX_DEPTH} levels).")\
            from None
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, InvalidInput):
            raise
        raise InvalidInput(f"The body is not valid JSON: {exc}") from None
    if _depth(body) > MAX_DEPTH:
        raise InvalidInput(f"The body is nested too deeply (at most {MAX_DEPTH} levels).")
    return body


def _depth(value, level=1):
    if level > MAX_DEPTH:
        return level
    children = (value.values() if isinstance(value, dict)
                else value if isinstance(value, list) else ())
    return max((_depth(v, level + 1) for v in children), default=level)


def parse_execute(product_id, body, allow_internal_refs=False):
    """An execute request body -> the job's normalized inputs (what the
    store keeps and the runner reads: the area as its tiles). Raises
    InvalidInput."""
    product = PRODUCTS[product_id]
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), dict):
        raise InvalidInput('The request body must be a JSON object with "inputs": {...}.')
    response = body.get("response", "document")
    if response not in ("raw", "document"):
        raise InvalidInput(f'"response" must be "raw" or "document", not {response!r}.')
    _check_outputs(product, body.get("outputs"))
    given = {k: _value(v) for k, v in body["inputs"].items()}
    params = {f.name: f for f in param_fields(product_id)}
    unknown = sorted(set(given) - set(CORE_INPUTS) - set(params))
    if unknown:
        raise InvalidInput(f"Unknown input(s) {', '.join(unknown)}; {product_id} takes "
                           f"{', '.join(CORE_INPUTS + tuple(params))}.")
    missing = [k for k in CORE_INPUTS if given.get(k) in (None, "")]
    if missing:
        raise InvalidInput(f"Missing input(s): {', '.join(missing)}.")
    start, end = _date(given["start"], "start"), _date(given["end"], "end")
    if start > end:
        raise InvalidInput(f"The start date {start} is after the end date {end}.")
    days = (end - start).days + 1
    if days > product.max_period_days:
        raise InvalidInput(f"The period {start} to {end} lasts {days} days; {product_id} "
                           f"allows at most {product.max_period_days} days per job.")
    area = given["area"]
    if isinstance(area, dict) and "href" in area:
        area = fetch_reference(area, allow_internal_refs, parse_json)
    try:
        area_tiles = tiles.resolve_area(area)
    except (GEOSException, ValueError, TypeError, KeyError, AttributeError) as exc:
        if isinstance(exc, InvalidInput):
            raise
        raise InvalidInput(f"The area could not be read: {type(exc).__name__}: {exc}") \
            from None
    return {"area": area_tiles, "tiles": area_tiles, "response": response,
            "start": start.isoformat(), "end": end.isoformat(),
            "params": {k: _param(product_id, params[k], given[k])
                       for k in params if k in given}}


def _check_outputs(product, outputs):
    if outputs is None:
        return
    if not isinstance(outputs, dict):
        raise InvalidInput('"outputs" must be an object {output id: {...}}.')
    known = outputs_of(product)
    for key, spec in outputs.items():
        if key not in known:
            raise InvalidInput(f"Unknown output {key!r}; {product.id} has "
                               f"{', '.join(known)}.")
        mode = spec.get("transmissionMode", "reference") if isinstance(spec, dict) else None
        if mode != "reference":
            raise InvalidInput(f"Output {key!r}: only transmissionMode \"reference\" is "
                               "offered (results are files).")


def _date(text, name):
    if not isinstance(text, str) or not re.match(DATE_PATTERN, text):
        raise InvalidInput(f"{name} must be a date as YYYY-MM-DD, not {text!r}.")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name} must be a date as YYYY-MM-DD, not {text!r}.") from None
    today = datetime.now(UTC).date()
    if not FIRST_DAY <= day <= today:
        raise InvalidInput(f"{name} {day} is outside the period with data, {FIRST_DAY} "
                           f"to today ({today}).")
    return day


def _param(product_id, field, value):
    name, kind = field.name, field.type
    bounds = value_range(product_id, name)
    if kind is tuple:
        if not isinstance(value, list) or len(value) > MAX_LIST:
            raise InvalidInput(f"{name} must be a list of at most {MAX_LIST} numbers, "
                               f"not {_short(value)}.")
        return [_number(name, v, float, bounds) for v in value]
    if kind is bool:
        if not isinstance(value, bool):
            raise InvalidInput(f"{name} must be a boolean (true or false), not "
                               f"{_short(value)}.")
        return value
    if kind is str:
        if not isinstance(value, str) or not re.match(STRING_PATTERN, value):
            raise InvalidInput(f"{name} must be a code of at most 32 letters, digits, "
                               f"spaces, '_' or '-', not {_short(value)}.")
        return value
    return _number(name, value, kind, bounds)


def _number(name, value, kind, bounds):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"{name} must be a number, not {_short(value)}.")
    if kind is int and value != int(value):
        raise InvalidInput(f"{name} must be a whole number, not {value!r}.")
    low, high = bounds
    if low is not None and not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}, not {value!r}.")
    return int(value) if kind is int else float(value)


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
