"""Styles results when QGIS loads them, from the catalog's QML, on the main
thread (a layer post-processor, as Processing requires)."""
from qgis.core import QgsProcessingLayerPostProcessorInterface
from qgis.PyQt.QtXml import QDomDocument

from ..core.qml import qml_for
from .i18n import tr

_keep = []   # sip would otherwise delete post-processors before they run


class CatalogStyle(QgsProcessingLayerPostProcessorInterface):
    def __init__(self, output, name=None, ramp_max=None):
        super().__init__()
        self.output, self.name, self.ramp_max = output, name, ramp_max

    @classmethod
    def create(cls, output, name=None, ramp_max=None):
        pp = cls(output, name, ramp_max)
        _keep.append(pp)
        return pp

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        doc = QDomDocument()
        doc.setContent(qml_for(self.output, tr, self.ramp_max))
        layer.importNamedStyle(doc)
        if self.name:
            layer.setName(self.name)
        layer.triggerRepaint()
