"""chainon:irrigation — irrigated and rainfed crops from Sentinel-1, Sentinel-2
and daily rain, trained on labelled parcels (Pageot et al. 2020)."""
from pathlib import Path

from qgis.core import (QgsProcessing, QgsProcessingOutputFile, QgsProcessingOutputNumber,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterFile, QgsProcessingParameterNumber)

from ..core.catalog import IRRIGATION
from ..core.errors import InputError
from ..core.irrigation import KEYS, IrrigationParams, run_irrigation
from ..core.training import reference_from_features
from . import remote_run
from .base import ChainonAlgorithm, polygon_layer
from .i18n import tr
from .styling import CatalogStyle
from .vectors import read_source


class FieldWithDefault(QgsProcessingParameterField):
    """A required field parameter whose default stands in when it is left
    out: QGIS 3.22 refuses it then, default or not ("Incorrect parameter
    value", qgis_process "mandatory parameters were not specified"; fixed
    upstream in 2023, qgis/QGIS#54414), though parameterAsString reads the
    default."""

    def checkValueIsAcceptable(self, value, context=None):  # noqa: N802 - QGIS API
        return super().checkValueIsAcceptable(
            self.defaultValue() if value is None else value, context)


class IrrigationAlgorithm(ChainonAlgorithm):
    product = IRRIGATION
    icon_name = "irrigation.svg"
    local_inputs = ("S2_FOLDER", "S1_FOLDER", "PARCELS", "LABEL_FIELD")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        remote_run.add_parameters(self)
        self.add_s2_folder()
        self.add(QgsProcessingParameterFile(
            "S1_FOLDER", tr("Sentinel-1 folder (S1Tiling)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder),
            tr("Folder of Sentinel-1 VV and VH backscatter of the same tile as written by "
               "S1Tiling (e.g. s1a_31TCJ_vv_DES_008_20200108t061432.tif, linear power); the "
               "orbits are pooled."))
        self.add(QgsProcessingParameterFile(
            "PRECIPITATION", tr("Daily precipitation table"),
            fileFilter=tr("CSV tables (*.csv *.txt)"), optional=True),
            tr("CSV with a header row, comma or semicolon separated: a date column (YYYY-MM-DD "
               "or DD/MM/YYYY) and the rain of the day in mm (column rain, rain_mm or "
               "precipitation), for every day of the period. One series for the whole area: "
               "give either this table or the rain rasters."))
        self.add(QgsProcessingParameterFile(
            "PRECIPITATION_RASTER", tr("Daily precipitation rasters (folder)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder, optional=True),
            tr("Folder of one GeoTIFF per day named with its date (e.g. rain_20200315.tif, "
               "YYYYMMDD or YYYY-MM-DD), band 1 the rain of the day in mm, all on one grid in "
               "any coordinate system (SAFRAN, COMEPHORE exported per day), covering the whole "
               "area and every day of the period. Each pixel takes the rain of the cell it "
               "lies in."))
        self.add(QgsProcessingParameterFeatureSource(
            "PARCELS", tr("Labelled parcels"), [QgsProcessing.SourceType.TypeVectorPolygon]),
            tr("Crop parcels, in any coordinate system, each mapped as a whole; those known to "
               "be irrigated or rainfed (farmer declarations, field surveys) train the model "
               "and some of them are held out for validation; those with an empty label are "
               "only mapped."))
        self.add(FieldWithDefault(
            "LABEL_FIELD", tr("Label field"), parentLayerParameterName="PARCELS",
            defaultValue="irrigated"),
            tr("Field saying whether the parcel is irrigated (1, irrigated, yes) or rainfed "
               "(0, rainfed, no)."))
        self.add(QgsProcessingParameterField(
            "CROP_FIELD", tr("Crop field"), parentLayerParameterName="PARCELS",
            optional=True),
            tr("Field of the declared crop of every parcel (e.g. the RPG crop code). When "
               "given, each parcel is compared with the parcels of the same crop around it "
               "and its wetting events not explained by rain are counted: irrigation is a "
               "departure from the crop's regional behaviour."))
        self.add_extent_and_period()
        defaults = IrrigationParams()
        self.add(QgsProcessingParameterNumber(
            "N_TREES", tr("Number of trees"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=defaults.n_trees, minValue=1),
            tr("Trees of each Random Forest."),
            advanced=True)
        self.add(QgsProcessingParameterNumber(
            "VALIDATION_SHARE", tr("Share of validation parcels"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=defaults.validation_share,
            minValue=0.05, maxValue=0.9),
            tr("Share of the parcels of each class held out (whole parcels) for validation."),
            advanced=True)
        self.add(QgsProcessingParameterNumber(
            "SEED", tr("Random seed"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=defaults.seed, minValue=0),
            tr("Seeds the split and the forest."), advanced=True)
        self.add_raster_outputs(KEYS, by_default=KEYS)
        self.add(QgsProcessingOutputFile("OUTPUT_REPORT", tr("Validation report")),
                 tr("Text file: the models trained on the same parcels (the fusion of one "
                    "forest per sensor, each sensor, Sentinel-1 alone and one forest on all "
                    "features), their overall accuracy by cross-validation and on the "
                    "held-out parcels, and which one made the map (the fusion unless another "
                    "cross-validates better by more than its standard error)."))
        self.add(QgsProcessingOutputNumber("OVERALL_ACCURACY", tr("Overall accuracy")),
                 tr("Overall accuracy (0-1) of the model that made the map on the held-out "
                    "parcels."))

    def method_params(self, parameters, context):
        return IrrigationParams(
            n_trees=self.parameterAsInt(parameters, "N_TREES", context),
            validation_share=self.parameterAsDouble(parameters, "VALIDATION_SHARE", context),
            seed=self.parameterAsInt(parameters, "SEED", context))

    def compute(self, parameters, context, feedback, progress):
        bounds, crs, start, end = self.extent_and_period(parameters, context)
        params = self.method_params(parameters, context)
        outputs, asked = self.raster_outputs(parameters, context, KEYS)
        out_folder = Path(outputs["OUTPUT"]).parent
        table = self.parameterAsFile(parameters, "PRECIPITATION", context)
        rasters = self.parameterAsFile(parameters, "PRECIPITATION_RASTER", context)
        if bool(table) == bool(rasters):
            raise InputError("Give the daily rain either as a precipitation table (CSV) or as a "
                             "folder of daily rain rasters, not both.")
        labels, crops = self._labels(parameters, context)
        result = run_irrigation(
            self.parameterAsFile(parameters, "S2_FOLDER", context),
            self.parameterAsFile(parameters, "S1_FOLDER", context) or None,
            table or rasters, labels, out_folder, outputs=outputs, start=start,
            end=end, bounds=bounds, bounds_crs=crs, params=params, progress=progress,
            crops=crops)
        full = result["scores"][result["model"]]
        feedback.pushInfo(tr("Map made with the model {model}: overall accuracy {oa} %, F1 of "
                             "the irrigated class {f1} on the held-out parcels.").format(
            model=result["model"], oa=f"{100 * full['oa']:.1f}",
            f1=f"{full['f1_irrigated']:.3f}"))
        self._loaded = {k: result[k] for k in asked}
        return {**self._loaded, "OUTPUT_REPORT": result["OUTPUT_REPORT"],
                "OVERALL_ACCURACY": full["oa"]}

    def _labels(self, parameters, context):
        source = self.parameterAsSource(parameters, "PARCELS", context)
        if source is None:
            raise InputError("Give the labelled parcels.")
        features, crs, _ = read_source(polygon_layer(source))
        labels = reference_from_features(
            features, self._label_field(parameters, context, source), crs,
            numeric=False, keep_empty=True)
        field = self.parameterAsString(parameters, "CROP_FIELD", context)
        if not field:
            return labels, None
        # the parcels reference_from_features keeps (those with a geometry), in its order
        return labels, ["" if f["properties"].get(field) is None else f["properties"][field]
                        for f in features if f.get("geometry") is not None]

    def _label_field(self, parameters, context, source):
        field = self.field_value(parameters, "LABEL_FIELD", context, source)
        if not field:
            raise InputError("The parcels have no field {field}: choose the label field "
                             "(LABEL_FIELD) saying which parcels are irrigated.",
                             field=self.parameterDefinition("LABEL_FIELD").defaultValue())
        return field

    def style_outputs(self, context, feedback):
        for key, path in getattr(self, "_loaded", {}).items():
            if context.willLoadLayerOnCompletion(path):
                details = context.layerToLoadOnCompletionDetails(path)
                details.setPostProcessor(CatalogStyle.create(IRRIGATION.output(key)))
        return {}
