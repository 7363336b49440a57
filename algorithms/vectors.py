"""Vector layers to and from the plain GeoJSON-like features core/ works on,
so that core/ never sees a QGIS object."""
import json
import re
from datetime import date

from qgis.core import NULL, QgsFeature, QgsFeatureRequest, QgsFeatureSink, QgsField, QgsFields
from qgis.PyQt.QtCore import QVariant

from .field_types import DATE, DATETIME, STRING

SAMPLE = 50           # features read to tell whether a text field holds dates
ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$")
DATE_TYPES = (DATE, DATETIME)


def read_source(source):
    """(features, crs, originals): GeoJSON-like features {"geometry",
    "properties"} of a feature source (NULL attributes as None), its CRS as
    text rasterio understands, and the QgsFeatures in the same order."""
    names = source.fields().names()
    features, originals = [], []
    for f in source.getFeatures():
        geom = f.geometry()
        features.append({
            "geometry": None if geom.isNull() or geom.isEmpty() else json.loads(geom.asJson()),
            "properties": {n: _plain(v) for n, v in zip(names, f.attributes())},
        })
        originals.append(QgsFeature(f))
    crs = source.sourceCrs()
    return features, crs.authid() or crs.toWkt(), originals


def _plain(value):
    if value == NULL or value is None:
        return None
    if isinstance(value, QVariant):
        return value.value()
    return value


def fields_plus(fields, extra):
    """The source's fields plus (name, field type) pairs."""
    out = QgsFields(fields)
    for name, kind in extra:
        out.append(QgsField(name, kind))
    return out


def write_features(sink, source_feats, rows, extra_names):
    """Copies each source feature at rows[i]["index"] with the extra values."""
    for row in rows:
        src = source_feats[row["index"]]
        f = QgsFeature(src)
        f.setAttributes(src.attributes() + [row.get(name) for name in extra_names])
        sink.addFeature(f, QgsFeatureSink.Flag.FastInsert)


def date_field(source, default=None):
    """The name of the field holding dates in a vector layer or feature
    source: `default` when it has it, else a field named like a date, else
    the first date field, else the first text field of ISO dates
    (YYYY-MM-DD); None when none. A day-of-year field is never guessed."""
    fields = source.fields()
    if default and fields.lookupField(default) >= 0:
        return fields.at(fields.lookupField(default)).name()
    texts = [f.name() for f in fields if f.type() == STRING]
    iso = _iso_text_fields(source, texts)
    dated = [f.name() for f in fields if f.type() in DATE_TYPES or f.name() in iso]
    named = [n for n in dated if "date" in n.lower()]
    return (named or dated or [None])[0]


def _iso_text_fields(source, names):
    """Those of the text fields `names` whose first values all read as ISO dates."""
    if not names:
        return set()
    values = {n: [] for n in names}
    request = QgsFeatureRequest().setLimit(SAMPLE).setFlags(QgsFeatureRequest.NoGeometry)
    for feature in source.getFeatures(request):
        for n in names:
            v = feature[n]
            if v is not None and v != NULL and str(v).strip():
                values[n].append(str(v).strip())
    return {n for n, found in values.items() if found and all(_is_iso(v) for v in found)}


def _is_iso(text):
    try:
        return bool(ISO_DATE.match(text)) and bool(date.fromisoformat(text[:10]))
    except ValueError:
        return False
