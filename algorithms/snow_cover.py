"""chainon:snow_cover — Let It Snow on a tile of the user's own."""
from pathlib import Path

from qgis.core import (QgsProcessing, QgsProcessingContext, QgsProcessingParameterBoolean,
                       QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterLayer, QgsProcessingParameterString)

from ..core.catalog import SNOW_COVER, N_
from ..core.errors import InputError
from ..core.snow import LisParams
from ..core.snow_cover import run_snow_cover
from ..core.styles import period_style
from . import remote_run
from .base import ChainonAlgorithm
from .i18n import tr
from .styling import CatalogStyle

SYNTHESES = ("OUTPUT", "OUTPUT_SOD", "OUTPUT_SMOD", "OUTPUT_NOBS")
THRESHOLDS = (  # (parameter, LisParams field, minimum or (min, max), label, help)
    ("NDSI_PASS1", "ndsi_pass1", (0.0, 1.0), N_("NDSI threshold, pass 1"),
     N_("Snow in pass 1 needs NDSI above this.")),
    ("RED_PASS1", "red_pass1", (0.0, 1.0), N_("Red threshold, pass 1"),
     N_("Snow in pass 1 needs red reflectance above this (0-1).")),
    ("NDSI_PASS2", "ndsi_pass2", (0.0, 1.0), N_("NDSI threshold, pass 2"),
     N_("Snow above the snowline needs NDSI above this.")),
    ("RED_PASS2", "red_pass2", (0.0, 1.0), N_("Red threshold, pass 2"),
     N_("Snow above the snowline needs red reflectance above this (0-1).")),
    ("DZ", "dz", 1.0, N_("Elevation band height (m)"),
     N_("Height of the DEM bands used to find the snowline.")),
)


class SnowCoverAlgorithm(ChainonAlgorithm):
    product = SNOW_COVER
    icon_name = "snow_cover.svg"
    local_inputs = ("S2_FOLDER", "DEM")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        remote_run.add_parameters(self)
        self.add_s2_folder()
        self.add(QgsProcessingParameterRasterLayer("DEM", tr("Digital elevation model")),
                 tr("Any elevation raster (m) covering the tile; it is reprojected and "
                    "resampled (bilinear) onto the 20 m grid of the products."))
        self.add_extent_and_period()
        self.add(QgsProcessingParameterRasterLayer("WATER_MASK", tr("Water mask"), optional=True),
                 tr("Optional raster of permanent water (a 0/1 mask, a rasterised lake layer, or "
                    "the OSO land cover): its pixels whose value is one of the water values "
                    "become no data (255) on every date, as in LIS 1.7, so that lakes are "
                    "never mapped as snow nor counted in the snowline."))
        self.add(QgsProcessingParameterString("WATER_VALUES", tr("Water values"),
                                              defaultValue="1", optional=True),
                 tr("Values of the water mask that mean water, separated by commas: 1 for a "
                    "0/1 mask, 23 for the OSO land cover."))
        self.add(QgsProcessingParameterFeatureSource(
            "WATER_POLYGONS", tr("Water polygons"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True),
            tr("Optional polygons of permanent water (e.g. BD TOPO's water surfaces, "
               "SURFACE_HYDROGRAPHIQUE), in any coordinate system: the pixels whose centre "
               "they cover are no data like the water mask's. Given with the water mask, "
               "the water of both is."))
        self.add(QgsProcessingParameterBoolean("FSC", tr("Also map fractional snow cover"),
                                               defaultValue=False),
                 tr("Writes FSC_<tile>_<date>.tif beside each snow map: percentage of the "
                    "pixel covered by snow from the NDSI (Gascoin et al. 2020)."))
        defaults = LisParams()
        for name, field, bounds, label, help_text in THRESHOLDS:
            self.add_number(name, tr(label), QgsProcessingParameterNumber.Type.Double,
                            getattr(defaults, field), bounds, tr(help_text))
        self.add(QgsProcessingParameterFolderDestination(
            "OUTPUT_FOLDER", tr("Folder of snow maps")),
            tr("One snow map per acquisition, SNOW_<tile>_<YYYYMMDD>.tif (0 no snow, 100 snow, "
               "205 cloud, 255 no data); acquisitions without data over the area are skipped."))
        self.add_raster_outputs(SYNTHESES, by_default=("OUTPUT_SOD", "OUTPUT_SMOD"))

    def method_params(self, parameters, context):
        return LisParams(**{field: self.parameterAsDouble(parameters, name, context)
                            for name, field, *_ in THRESHOLDS})

    def compute(self, parameters, context, feedback, progress):
        bounds, crs, start, end = self.extent_and_period(parameters, context)
        outputs, asked = self.raster_outputs(parameters, context, SYNTHESES)
        result = run_snow_cover(
            self.parameterAsFile(parameters, "S2_FOLDER", context),
            self.raster_source(parameters, "DEM", context),
            self.parameterAsString(parameters, "OUTPUT_FOLDER", context),
            outputs, start, end, bounds, crs,
            fsc=self.parameterAsBoolean(parameters, "FSC", context),
            params=self.method_params(parameters, context), progress=progress,
            water_mask=self.raster_source(parameters, "WATER_MASK", context),
            water_values=water_values(self.parameterAsString(parameters, "WATER_VALUES", context)),
            water_polygons=self.polygon_source(parameters, "WATER_POLYGONS", context))
        feedback.pushInfo(tr("{n} snow maps written, {k} empty acquisitions skipped.").format(
            n=len(result["dates"]), k=len(result["skipped"])))
        self._result = result
        return {k: result[k] for k in asked + ["OUTPUT_FOLDER"]}

    def style_outputs(self, context, feedback):
        result = getattr(self, "_result", None)
        if not result:
            return {}
        for key in SYNTHESES:
            path = result[key]          # None when not asked for
            if path and context.willLoadLayerOnCompletion(path):
                output, ramp_max = period_style("snow_cover", key, result["start"],
                                                result["end"])
                if key == "OUTPUT_NOBS":
                    ramp_max = len(result["dates"])
                details = context.layerToLoadOnCompletionDetails(path)
                details.setPostProcessor(CatalogStyle.create(output, ramp_max=ramp_max))
        if context.willLoadLayerOnCompletion(result["OUTPUT"]):
            self._load_date_maps(result, context)
        return {}

    def _load_date_maps(self, result, context):
        """Per-date maps load with the main result only (not inside models)."""
        spec = SNOW_COVER.output("SNOW")
        for path in sorted(Path(result["OUTPUT_FOLDER"]).glob("SNOW_*.tif")):
            name = tr("Snow {date}").format(date=path.stem.split("_")[-1])
            details = QgsProcessingContext.LayerDetails(name, context.project(), "OUTPUT_FOLDER")
            details.setPostProcessor(CatalogStyle.create(spec, name))
            context.addLayerToLoadOnCompletion(str(path), details)


def water_values(text):
    """The WATER_VALUES parameter as numbers (1 when empty)."""
    parts = ((text or "").strip() or "1").replace(";", ",").split(",")
    try:
        values = [float(v) for v in parts if v.strip()]
    except ValueError:
        values = []
    if not values:
        raise InputError("Water values must be numbers separated by commas, such as 1 or "
                         "23, not \"{text}\".", text=text)
    return values
