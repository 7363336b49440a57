"""chainon:crop_carbon — crop biomass and CO2 fluxes after AgriCarbon-EO."""
from pathlib import Path

from qgis.core import (QgsProcessing, QgsProcessingParameterDateTime,
                       QgsProcessingParameterExtent, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterFile, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterLayer, QgsProcessingParameterString,
                       QgsProcessingParameterVectorDestination)

from ..core.catalog import CROP_CARBON
from ..core.crop_carbon import OUTPUT_KEYS, run_crop_carbon
from ..core.inputs import parse_classes
from ..core.products import CarbonParams
from . import remote_run
from .base import ChainonAlgorithm
from .i18n import tr
from .styling import CatalogStyle


class CropCarbonAlgorithm(ChainonAlgorithm):
    product = CROP_CARBON
    icon_name = "crop_carbon.svg"
    local_inputs = ("S2_FOLDER",)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        remote_run.add_parameters(self)
        self.add_s2_folder()
        self.add(QgsProcessingParameterFile(
            "METEO", tr("Daily meteorology (CSV)"), extension="csv", optional=True),
            tr("Table of daily weather for the whole area, covering every day of the season: "
               "columns date (YYYY-MM-DD), tmean (or tmin and tmax) in degrees Celsius and "
               "radiation, the global radiation in MJ m-2 d-1; an optional rain column (mm) "
               "adds the soil water balance (water stress). Give this or the rasters."))
        self.add(QgsProcessingParameterFile(
            "METEO_RASTER", tr("Daily meteorology rasters (folder)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder, optional=True),
            tr("Folder of one GeoTIFF per day, the date in the file name (e.g. "
               "meteo_20190315.tif), band 1 mean temperature (degrees Celsius), band 2 global "
               "radiation (MJ m-2 d-1), all on one grid (e.g. SAFRAN 8 km): SAFY runs once per "
               "cell. Give this or the CSV table."))
        self.add(QgsProcessingParameterRasterLayer("CROP_MASK", tr("Crop mask"), optional=True),
                 tr("Raster of the crop to map (any grid): pixels with a non-zero value, or "
                    "with one of the crop classes below, are estimated; all pixels when empty."))
        self.add(QgsProcessingParameterString("CROP_CLASSES", tr("Crop classes of the mask"),
                                              optional=True),
                 tr("Comma-separated codes of the mask raster that are the crop, e.g. 6 for "
                    "straw cereals in an OSO land cover; empty = any non-zero value."))
        self.add(QgsProcessingParameterFeatureSource(
            "PARCELS", tr("Parcels"), [QgsProcessing.SourceType.TypeVectorPolygon],
            optional=True),
            tr("Optional polygons of the fields: one estimate per parcel from the mean GAI of "
               "its clear pixels (a date counts when half of them are clear), burnt into the "
               "rasters; per-pixel estimates when empty."))
        self.add(QgsProcessingParameterExtent("EXTENT", tr("Extent"), optional=True),
                 tr("Area to process, in any coordinate system; the whole tile when empty."))
        self.add(QgsProcessingParameterDateTime(
            "START", tr("Start date"), type=QgsProcessingParameterDateTime.Type.Date,
            optional=True),
            tr("First day of the crop season, the earliest sowing (emergence is searched "
               "5 to 120 days after it; 1 October for winter wheat); the first acquisition "
               "when empty."))
        self.add(QgsProcessingParameterDateTime(
            "END", tr("End date"), type=QgsProcessingParameterDateTime.Type.Date,
            optional=True),
            tr("Last day of the season, after harvest; the fluxes are summed from the start "
               "to this day. The last acquisition when empty."))
        self.add(QgsProcessingParameterNumber(
            "ENSEMBLE_SIZE", tr("Ensemble size"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=CarbonParams().ensemble_size, minValue=100, maxValue=100000),
            tr("Number of SAFY parameter sets drawn from the prior (the look-up table): more "
               "members, finer posteriors, longer runs."), advanced=True)
        self.add(QgsProcessingParameterNumber(
            "SEED", tr("Random seed"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=0, minValue=0),
            tr("Seed of the prior ensemble: the same seed gives the same results."),
            advanced=True)
        self.add_raster_outputs(OUTPUT_KEYS, by_default=OUTPUT_KEYS)
        self.add(QgsProcessingParameterVectorDestination(
            "OUTPUT_PARCELS", tr("Parcels with their results"), optional=True,
            createByDefault=False),
            tr("A copy of the parcel layer with biomass, biomass_sd (t/ha), gpp, reco, nee "
               "(g C/m², NEE negative = uptake), pixels and clear_dates per parcel; only "
               "with parcels."))

    def method_params(self, parameters, context):
        return CarbonParams(ensemble_size=self.parameterAsInt(parameters, "ENSEMBLE_SIZE",
                                                              context),
                            seed=self.parameterAsInt(parameters, "SEED", context))

    def compute(self, parameters, context, feedback, progress):
        bounds, crs, start, end = self.extent_and_period(parameters, context)
        params = self.method_params(parameters, context)
        outputs, asked = self.raster_outputs(parameters, context, OUTPUT_KEYS)
        mask = self.parameterAsRasterLayer(parameters, "CROP_MASK", context)
        parcels = parcels_out = None
        if self.checked_polygons(parameters, "PARCELS", context) is not None:
            parcels = self.parameterAsCompatibleSourceLayerPathAndLayerName(
                parameters, "PARCELS", context, ["gpkg", "shp"], "gpkg", feedback)
            parcels_out = self.parameterAsOutputLayer(parameters, "OUTPUT_PARCELS", context)
        result = run_crop_carbon(
            self.parameterAsFile(parameters, "S2_FOLDER", context),
            Path(outputs["OUTPUT"]).parent,
            meteo_csv=self.parameterAsFile(parameters, "METEO", context) or None,
            meteo_folder=self.parameterAsFile(parameters, "METEO_RASTER", context) or None,
            outputs=outputs, start=start, end=end, bounds=bounds, bounds_crs=crs,
            crop_mask=mask.source() if mask else None,
            crop_classes=parse_classes(self.parameterAsString(parameters, "CROP_CLASSES",
                                                              context), allow_empty=True),
            parcels=parcels, parcels_output=parcels_out or None,
            ensemble_size=params.ensemble_size, seed=params.seed, progress=progress)
        feedback.pushInfo(tr("{n} pixels estimated from {d} acquisitions.").format(
            n=result["pixels"], d=len(result["dates"])))
        self._result = result
        return {k: result[k] for k in asked + ["OUTPUT_PARCELS"] if k in result}

    def style_outputs(self, context, feedback):
        result = getattr(self, "_result", None)
        if not result:
            return {}
        for key in OUTPUT_KEYS:
            if result[key] and context.willLoadLayerOnCompletion(result[key]):
                details = context.layerToLoadOnCompletionDetails(result[key])
                details.setPostProcessor(CatalogStyle.create(CROP_CARBON.output(key)))
        return {}
