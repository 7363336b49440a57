"""One OGC process per catalog product: its description (inputs as JSON
Schema, from the catalog) and the validation of an execute request."""
from datetime import date

from chainon.core.catalog import PRODUCTS
from chainon.core.products import main_outputs, param_fields

from . import tiles
from .errors import InvalidInput

VERSION = "1.0.0"
COG_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized"
# JSON Schema of the product parameters, by type of the dataclass field
# (core.products.PARAMS).
SCHEMA_TYPES = {int: {"type": "integer"}, float: {"type": "number"},
                bool: {"type": "boolean"}, str: {"type": "string"},
                tuple: {"type": "array", "items": {"type": "number"}}}
CORE_INPUTS = ("area", "start", "end")

AREA_SCHEMA = {"oneOf": [
    {"type": "string", "enum": ["france"], "description": "Metropolitan France and Corsica"},
    {"type": "array", "minItems": 1,
     "items": {"type": "string", "pattern": "^T?[0-9]{2}[C-X][A-Z]{2}$"},
     "description": "Sentinel-2 tile ids, e.g. [\"31TCJ\", \"31UDQ\"]"},
    {"type": "object", "required": ["bbox"], "description": "OGC bounding box",
     "properties": {"bbox": {"type": "array", "items": {"type": "number"},
                             "minItems": 4, "maxItems": 6},
                    "crs": {"type": "string", "default": tiles.CRS84}}},
    {"type": "object", "required": ["type"], "contentMediaType": "application/geo+json",
     "description": "GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (lon/lat)",
     "properties": {"type": {"type": "string", "enum": [
         "Polygon", "MultiPolygon", "Feature", "FeatureCollection"]}}},
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
                  "schema": {"type": "string", "format": "date"},
                  "description": f"First day of the period (at most {days} days long)."},
        "end": {"title": "End date", "minOccurs": 1, "maxOccurs": 1,
                "schema": {"type": "string", "format": "date"},
                "description": "Last day of the period (included)."},
    }
    for f in param_fields(product.id):
        default = list(f.default) if f.type is tuple else f.default
        inputs[f.name] = {"title": f.name, "minOccurs": 0, "maxOccurs": 1,
                          "description": "Product parameter (default from the method).",
                          "schema": {**SCHEMA_TYPES[f.type], "default": default}}
    return inputs


def outputs_of(product):
    outputs = {o.key: {"title": o.title, "description": o.description + (
        " National mosaic in Lambert-93 (EPSG:2154) and one COG per tile in its UTM zone."),
        "schema": {"type": "string", "contentMediaType": COG_TYPE}}
        for o in main_outputs(product.id)}
    outputs["stac"] = {"title": "STAC collection",
                       "description": "One item per tile, the mosaics as collection assets.",
                       "schema": {"type": "string", "contentMediaType": "application/json"}}
    return outputs


def _value(raw):
    """OGC qualified values {"value": ..., "mediaType": ...} -> the value."""
    if isinstance(raw, dict) and "value" in raw and set(raw) <= {"value", "mediaType"}:
        return raw["value"]
    return raw


def parse_execute(product_id, body):
    """An execute request body -> the job's normalized inputs (what the
    store keeps and the runner reads). Raises InvalidInput."""
    product = PRODUCTS[product_id]
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), dict):
        raise InvalidInput('The request body must be a JSON object with "inputs": {...}.')
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
    return {"area": given["area"], "tiles": tiles.resolve_area(given["area"]),
            "start": start.isoformat(), "end": end.isoformat(),
            "params": {k: _param(k, given[k], params[k].type) for k in params if k in given}}


def _date(text, name):
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise InvalidInput(f"{name} must be a date as YYYY-MM-DD, not {text!r}.") from None


def _param(name, value, kind):
    if kind is tuple:
        if not isinstance(value, list):
            raise InvalidInput(f"{name} must be a list of numbers, not {value!r}.")
        return [_param(name, v, float) for v in value]
    if kind is bool or kind is str:
        if not isinstance(value, kind):
            raise InvalidInput(f"{name} must be a {'boolean' if kind is bool else 'string'}, "
                               f"not {value!r}.")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"{name} must be a number, not {value!r}.")
    if kind is int and value != int(value):
        raise InvalidInput(f"{name} must be a whole number, not {value!r}.")
    return int(value) if kind is int else float(value)
