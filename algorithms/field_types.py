"""Attribute field types for QgsField on every supported QGIS: QVariant.Type
up to QGIS 3.36, QMetaType.Type from 3.38 (PyQt6, hence QGIS 4, has no
QVariant.Type at all)."""
from qgis.core import Qgis
from qgis.PyQt.QtCore import QMetaType, QVariant

if Qgis.QGIS_VERSION_INT >= 33800:
    INT, DOUBLE, STRING = QMetaType.Type.Int, QMetaType.Type.Double, QMetaType.Type.QString
    DATE, DATETIME = QMetaType.Type.QDate, QMetaType.Type.QDateTime
else:
    INT, DOUBLE, STRING = QVariant.Int, QVariant.Double, QVariant.String
    DATE, DATETIME = QVariant.Date, QVariant.DateTime
