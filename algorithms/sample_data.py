"""chainon:sample_data — a synthetic scene with known ground truth, so that a
new user can try a product without downloading anything."""
from html import escape

from qgis.core import (QgsProcessingOutputFolder, QgsProcessingOutputRasterLayer,
                       QgsProcessingParameterEnum, QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterNumber)

from ..core.scenes.snow import make_snow_scene
from .base import ChainonAlgorithm
from .i18n import tr

SCENARIOS = ("snow",)   # append only: saved models store the index


class SampleDataAlgorithm(ChainonAlgorithm):
    icon_name = "sample_data.svg"

    def name(self):
        return "sample_data"

    def displayName(self):  # noqa: N802 - QGIS API
        return tr("Sample data (synthetic scene)")

    def groupId(self):  # noqa: N802 - QGIS API
        return "tools"

    def shortDescription(self):  # noqa: N802 - QGIS API
        return tr("Writes a SYNTHETIC Sentinel-2 time series in the THEIA L2A format, with a DEM "
                  "and the ground truth, to try Chaînon's products without downloading data. "
                  "The data are simulated, not observations.")

    def description_html(self):
        return f"<p>{escape(self.shortDescription())}</p>"

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add(QgsProcessingParameterEnum(
            "SCENARIO", tr("Scenario"),
            options=[tr("Snow: mountain tile, one hydrological year")], defaultValue=0),
            tr("Which product the scene is made for."))
        self.add(QgsProcessingParameterNumber(
            "SIZE", tr("Size (pixels at 20 m)"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=240, minValue=24, maxValue=5490),
            tr("Width and height of the scene; 5490 is a full Sentinel-2 tile."))
        self.add(QgsProcessingParameterNumber(
            "SEED", tr("Random seed"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=0, minValue=0),
            tr("The same seed always writes the same scene."))
        self.add(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", tr("Output folder")),
                 tr("Where the scene is written."))
        self.add(QgsProcessingOutputFolder("S2_FOLDER", tr("Sentinel-2 folder")),
                 tr("The folder of simulated THEIA L2A products, for the S2_FOLDER input of "
                    "a product."))
        self.add(QgsProcessingOutputRasterLayer("DEM", tr("DEM")),
                 tr("The simulated elevation model (m)."))
        self.add(QgsProcessingOutputFolder("TRUTH_FOLDER", tr("Ground truth folder")),
                 tr("The ground truth the products are measured against."))

    def compute(self, parameters, context, feedback, progress):
        scene = make_snow_scene(
            self.parameterAsString(parameters, "OUTPUT_FOLDER", context),
            seed=self.parameterAsInt(parameters, "SEED", context),
            size=self.parameterAsInt(parameters, "SIZE", context), progress=progress)
        feedback.pushInfo(tr("Synthetic scene: {n} acquisitions written to {folder}.").format(
            n=len(scene.dates), folder=scene.s2_folder))
        return {"OUTPUT_FOLDER": self.parameterAsString(parameters, "OUTPUT_FOLDER", context),
                "S2_FOLDER": str(scene.s2_folder), "DEM": str(scene.dem_path),
                "TRUTH_FOLDER": str(scene.truth_dir)}
