"""Vector layers to and from the plain GeoJSON-like features core/ works on,
so that core/ never sees a QGIS object."""
import json

from qgis.core import NULL, QgsFeature, QgsFeatureSink, QgsField, QgsFields
from qgis.PyQt.QtCore import QVariant


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
    """The source's fields plus (name, QVariant type) pairs."""
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
