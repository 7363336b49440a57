"""The Processing provider `chainon`: one algorithm per catalog product plus tools."""
from pathlib import Path

from qgis.core import QgsProcessingProvider
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
from .sample_data import SampleDataAlgorithm
from .snow_cover import SnowCoverAlgorithm

ICON = Path(__file__).resolve().parent.parent / "resources" / "icons" / "chainon.svg"
ALGORITHMS = (SnowCoverAlgorithm, SampleDataAlgorithm, CropCarbonAlgorithm, MowingDateAlgorithm,
              LandCoverAlgorithm, CropYieldAlgorithm, ForestCutsAlgorithm, ForestHeightAlgorithm,
              IrrigationAlgorithm)


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
