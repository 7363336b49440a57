"""Registers the Processing provider; nothing else happens at start-up."""
from qgis.core import QgsApplication

from .algorithms.i18n import install_translator


class ChainonPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 - QGIS API
        from .algorithms.provider import ChainonProvider
        install_translator()
        if self.provider is None:
            self.provider = ChainonProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 - QGIS API
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
