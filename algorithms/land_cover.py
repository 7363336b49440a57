"""chainon:land_cover — OSO yearly land cover on a tile of the user's own:
trains a Random Forest on reference polygons, or applies a saved model."""
from pathlib import Path

from qgis.core import (QgsProcessing, QgsProcessingOutputFile, QgsProcessingOutputNumber,
                       QgsProcessingParameterBoolean, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterField, QgsProcessingParameterNumber)

from ..core.catalog import LAND_COVER
from ..core.errors import InputError
from ..core.land_cover import LandCoverParams, legend, run_land_cover
from ..core.training import ForestParams, reference_from_features
from . import remote_run
from .base import ChainonAlgorithm, polygon_layer
from .i18n import tr
from .styling import CatalogStyle
from .vectors import read_source

RASTERS = ("OUTPUT", "OUTPUT_CONFIDENCE", "OUTPUT_NOBS")
INTEGER = QgsProcessingParameterNumber.Type.Integer
DOUBLE = QgsProcessingParameterNumber.Type.Double


class LandCoverAlgorithm(ChainonAlgorithm):
    product = LAND_COVER
    icon_name = "land_cover.svg"
    local_inputs = ("S2_FOLDER",)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        remote_run.add_parameters(self)
        self.add_s2_folder()
        polygons = [QgsProcessing.SourceType.TypeVectorPolygon]
        self.add(QgsProcessingParameterFeatureSource(
            "REFERENCE", tr("Reference polygons"), polygons, optional=True),
            tr("Polygons of known land cover to train on (e.g. from the RPG, BD Topo, Corine "
               "Land Cover), in any coordinate system; needed unless a trained model is "
               "given."))
        self.add(QgsProcessingParameterField(
            "CLASS_FIELD", tr("Class field"), parentLayerParameterName="REFERENCE",
            type=QgsProcessingParameterField.DataType.Numeric, defaultValue="code",
            optional=True),
            tr("Field of the reference polygons holding the class code, a whole number from 1 "
               "to 254; the OSO codes 1-23 get the OSO names and colours."))
        self.add_model_input(
            tr("Trained model (instead of reference polygons)"),
            tr("A model saved by a previous run (OUTPUT_MODEL), applied to this tile or year: "
               "the period must have the same length and date step as the training period. "
               "Only open models you trust: loading one runs code stored in it."))
        self.add(QgsProcessingParameterFeatureSource(
            "REGIONS", tr("Eco-climatic regions"), polygons, optional=True),
            tr("Optional polygons of eco-climatic regions: one model is trained per region "
               "(OSO stratification); pixels outside every region are left as no data."))
        self.add(QgsProcessingParameterField(
            "REGION_FIELD", tr("Region field"), parentLayerParameterName="REGIONS",
            defaultValue="region", optional=True),
            tr("Field identifying the region of each polygon."))
        self.add_extent_and_period()
        defaults, forest = LandCoverParams(), ForestParams()
        for name, label, kind, value, bounds, help_text in (
                ("N_TREES", tr("Number of trees"), INTEGER, forest.n_trees, 1,
                 tr("Trees of the Random Forest (OSO: 100).")),
                ("MAX_DEPTH", tr("Maximum tree depth"), INTEGER, forest.max_depth, 1,
                 tr("Maximum depth of the trees (OSO: 25).")),
                ("MIN_SAMPLES_SPLIT", tr("Minimum samples to split a node"), INTEGER,
                 forest.min_samples_split, 2, tr("A node with fewer samples is a leaf (OSO: 5).")),
                ("MAX_SAMPLES", tr("Maximum samples per class"), INTEGER, defaults.max_samples,
                 1, tr("At most this many pixels per class are drawn at random from the "
                       "training polygons, and as many from the validation polygons.")),
                ("VALIDATION_SHARE", tr("Share of validation polygons"), DOUBLE,
                 defaults.validation_share, (0.0, 0.9),
                 tr("Share of the polygons of each class held out for validation (OSO: 0.3); "
                    "polygons, not pixels, are split.")),
                ("STEP_DAYS", tr("Date step (days)"), INTEGER, defaults.step_days, 1,
                 tr("Step of the regular date grid the series is gap-filled onto (iota2: 10).")),
                ("MIN_CLEAR_DATES", tr("Minimum clear dates"), INTEGER, defaults.min_clear, 1,
                 tr("Pixels seen clear fewer times are not used for training and are not "
                    "mapped (iota2: 1).")),
                ("SEED", tr("Random seed"), INTEGER, defaults.seed, 0,
                 tr("Seeds the polygon split, the sampling and the forest: the same seed "
                    "gives the same model."))):
            self.add_number(name, label, kind, value, bounds, help_text)
        self.add(QgsProcessingParameterBoolean(
            "FILTER_LABELS", tr("Set aside training polygons the images contradict"),
            defaultValue=defaults.filter_labels),
            tr("Before training, polygons whose class three different classifiers trained on "
               "the other polygons all reject are left out (consensus filter, Brodley and "
               "Friedl 1999): outdated or mistaken classes of a reference database. The "
               "report lists them. Untick for a reference checked by hand."), advanced=True)
        self.add_raster_outputs(RASTERS, by_default=("OUTPUT_CONFIDENCE",))
        self.add_model_output(
            tr("The trained model with what it takes to apply it to another tile or year "
               "(features, date grid, classes, library versions); next to the land cover map "
               "when empty. Not written when a model is applied."))
        self.add(QgsProcessingOutputFile("OUTPUT_REPORT", tr("Validation report")),
                 tr("Text file next to the map (<map>_validation.txt): confusion matrix, "
                    "overall accuracy, kappa and per-class F1 on the validation polygons."))
        self.add(QgsProcessingOutputNumber("OVERALL_ACCURACY", tr("Overall accuracy")),
                 tr("Share of validation pixels correctly classified (0-1)."))
        self.add(QgsProcessingOutputNumber("KAPPA", tr("Kappa")),
                 tr("Cohen's kappa on the validation pixels."))

    def method_params(self, parameters, context):
        return LandCoverParams(
            forest=ForestParams(*(self.parameterAsInt(parameters, k, context)
                                  for k in ("N_TREES", "MAX_DEPTH", "MIN_SAMPLES_SPLIT"))),
            step_days=self.parameterAsInt(parameters, "STEP_DAYS", context),
            validation_share=self.parameterAsDouble(parameters, "VALIDATION_SHARE", context),
            max_samples=self.parameterAsInt(parameters, "MAX_SAMPLES", context),
            min_clear=self.parameterAsInt(parameters, "MIN_CLEAR_DATES", context),
            filter_labels=self.parameterAsBoolean(parameters, "FILTER_LABELS", context),
            seed=self.parameterAsInt(parameters, "SEED", context))

    def compute(self, parameters, context, feedback, progress):
        bounds, crs, start, end = self.extent_and_period(parameters, context)
        params = self.method_params(parameters, context)
        model = self.parameterAsFile(parameters, "MODEL", context) or None
        outputs, asked = self.raster_outputs(parameters, context, RASTERS)
        if model is None:
            outputs["OUTPUT_MODEL"] = self.model_destination(parameters, context)
        result = run_land_cover(
            self.parameterAsFile(parameters, "S2_FOLDER", context), Path(outputs["OUTPUT"]).parent,
            reference=None if model else self._reference(parameters, context),
            model=model, outputs=outputs, regions=self._regions(parameters, context),
            start=start, end=end, bounds=bounds, bounds_crs=crs, params=params,
            progress=progress)
        self._result = result
        return {**{k: result[k] for k in asked}, "OUTPUT_MODEL": result["OUTPUT_MODEL"],
                "OUTPUT_REPORT": result.get("OUTPUT_REPORT"),
                "OVERALL_ACCURACY": result.get("overall_accuracy"),
                "KAPPA": result.get("kappa")}

    def _reference(self, parameters, context):
        source = self.parameterAsSource(parameters, "REFERENCE", context)
        field = self.field_value(parameters, "CLASS_FIELD", context, source)
        if source is None or not field:
            raise InputError("Give reference polygons and their class field, or a trained "
                             "model.")
        features, crs, _ = read_source(polygon_layer(source))
        return reference_from_features(features, field, crs)

    def _regions(self, parameters, context):
        source = self.parameterAsSource(parameters, "REGIONS", context)
        if source is None:
            return None
        field = self.field_value(parameters, "REGION_FIELD", context, source)
        if not field:
            raise InputError("Give the field identifying the eco-climatic regions.")
        features, crs, _ = read_source(polygon_layer(source))
        return reference_from_features(features, field, crs, numeric=False)

    def style_outputs(self, context, feedback):
        result = getattr(self, "_result", None)
        if not result:
            return {}
        styles = {"OUTPUT": legend(result["classes"]),
                  "OUTPUT_CONFIDENCE": LAND_COVER.output("OUTPUT_CONFIDENCE"),
                  "OUTPUT_NOBS": LAND_COVER.output("OUTPUT_NOBS")}
        for key, spec in styles.items():
            if result[key] and context.willLoadLayerOnCompletion(result[key]):
                details = context.layerToLoadOnCompletionDetails(result[key])
                ramp_max = result["n_acquisitions"] if key == "OUTPUT_NOBS" else None
                details.setPostProcessor(CatalogStyle.create(spec, ramp_max=ramp_max))
        return {}

