"""The Processing provider `chainon`: one algorithm per catalog product plus tools."""
from pathlib import Path

from qgis.core import QgsProcessingModelAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core import __version__
from .crop_carbon import CropCarbonAlgorithm
from .crop_yield import CropYieldAlgorithm
from .forest_cuts import ForestCutsAlgorithm
from .forest_height import ForestHeightAlgorithm
from .i18n import tr
from .irrigation import IrrigationAlgorithm
from .land_cover import LandCoverAlgorithm
from .mowing_date import MowingDateAlgorithm
from .remote import RemoteAlgorithm
from .sample_data import SampleDataAlgorithm
from .snow_cover import SnowCoverAlgorithm

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICON = RESOURCES / "icons" / "chainon.svg"
MODELS = RESOURCES / "models"
PRODUCTS = (SnowCoverAlgorithm, CropCarbonAlgorithm, MowingDateAlgorithm, LandCoverAlgorithm,
            CropYieldAlgorithm, ForestCutsAlgorithm, ForestHeightAlgorithm, IrrigationAlgorithm)
ALGORITHMS = (SampleDataAlgorithm,) + PRODUCTS


class ChainonProvider(QgsProcessingProvider):
    def id(self):
        return "chainon"

    def name(self):
        return "Chaînon"

    def longName(self):  # noqa: N802 - QGIS API
        return tr("Chaînon — environmental maps from Copernicus data")

    def icon(self):
        return QIcon(str(ICON))

    def svgIconPath(self):  # noqa: N802 - QGIS API
        return str(ICON)

    def versionInfo(self):  # noqa: N802 - QGIS API
        return __version__

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802 - QGIS API
        return ["tif"]

    def loadAlgorithms(self):  # noqa: N802 - QGIS API
        for cls in ALGORITHMS:
            self.addAlgorithm(cls())
        for cls in PRODUCTS:        # "<product> at the compute centre"
            self.addAlgorithm(RemoteAlgorithm(cls))
        for path in sorted(MODELS.glob("*.model3")):
            self.addAlgorithm(ShippedModel(path))


class ShippedModel(QgsProcessingModelAlgorithm):
    """A graphical model of resources/models in the toolbox, with the id
    chainon:<file name>. Each run reads the file again, so that its steps
    find the algorithms of this provider (registered after loading)."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.fromFile(str(path))

    def name(self):
        return self.path.stem

    def createInstance(self):  # noqa: N802 - QGIS API
        return ShippedModel(self.path)
