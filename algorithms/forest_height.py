"""chainon:forest_height — canopy height and above-ground biomass from Sentinel-2
(and optionally Sentinel-1 and a DEM) trained on GEDI lidar heights or
reference points."""
from pathlib import Path

from qgis.core import (QgsProcessing, QgsProcessingOutputFile, QgsProcessingOutputNumber,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterFile, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterLayer, QgsProcessingParameterString)

from ..core.catalog import FOREST_HEIGHT, N_
from ..core.errors import InputError
from ..core.forest_cuts import ForestSource
from ..core.inputs import parse_classes
from ..core.forest_height import KEYS, HeightParams, run_forest_height
from . import remote_run
from .base import ChainonAlgorithm, checked_layer
from .i18n import tr
from .styling import CatalogStyle
from .vectors import read_source

DOUBLE = QgsProcessingParameterNumber.Type.Double
ALLOMETRY = (  # (parameter, HeightParams field, label, help)
    ("AGB_A", "agb_a", N_("Biomass coefficient a (broadleaved)"),
     N_("a of AGB = a * H^b (t/ha, H in m) for broadleaved and unknown forest types. The "
        "default (1.2, with b = 1.6: 10 m -> 48 t/ha, 30 m -> 277 t/ha) is a typical value for "
        "French stands, not a published national equation: set your own.")),
    ("AGB_B", "agb_b", N_("Biomass exponent b (broadleaved)"),
     N_("b of AGB = a * H^b for broadleaved and unknown forest types.")),
    ("AGB_A_CONIFER", "agb_a_conifer", N_("Biomass coefficient a (conifers)"),
     N_("a of AGB = a * H^b for the conifer classes of the land cover (default 0.9, with b = "
        "1.65: about 15 % less than broadleaved stands of the same height, for the lower wood "
        "density).")),
    ("AGB_B_CONIFER", "agb_b_conifer", N_("Biomass exponent b (conifers)"),
     N_("b of AGB = a * H^b for the conifer classes of the land cover.")),
)
TUNING = (  # (parameter, HeightParams field, integer?, minimum or (min, max), label, help)
    ("N_TREES", "n_trees", True, 1, N_("Number of trees"),
     N_("Trees of the Random Forest regression; their spread is the height uncertainty.")),
    ("N_SEASONS", "n_seasons", True, 1, N_("Number of seasons"),
     N_("The period is cut into this many equal seasons, each summarised by the median of its "
        "clear dates.")),
    ("BLOCK_M", "block_m", False, 20.0, N_("Size of the validation squares (m)"),
     N_("Reference heights are held out for validation by whole squares of this side, so "
        "that validation footprints are away from the training ones.")),
    ("VALIDATION_SHARE", "validation_share", False, (0.0, 0.9), N_("Share of validation squares"),
     N_("Share of the squares whose reference heights are held out for validation.")),
    ("SEED", "seed", True, 0, N_("Random seed"), N_("Seeds the split and the forest.")),
)


class ForestHeightAlgorithm(ChainonAlgorithm):
    product = FOREST_HEIGHT
    icon_name = "forest_height.svg"
    local_inputs = ("S2_FOLDER",)
    remote_extra = ("CONIFER_CLASSES",)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        remote_run.add_parameters(self)
        self.add_s2_folder()
        # "(*)" lets a folder through the file parameter's check as well as a .h5 file
        self.add(QgsProcessingParameterFile(
            "GEDI", tr("GEDI L2A granule or folder"), optional=True,
            fileFilter=tr("GEDI L2A (*.h5);;All files and folders (*)")),
            tr("A GEDI L2A granule (.h5, e.g. GEDI02_A_2020190023000_O08000_02_T02000_02_003_01_"
               "V002.h5) or a folder searched for them (type or paste its path): the rh98 of "
               "the shots passing the quality filters are the reference heights."))
        self.add(QgsProcessingParameterFeatureSource(
            "REFERENCE_POINTS", tr("Reference height points"),
            [QgsProcessing.SourceType.TypeVectorPoint], optional=True),
            tr("Instead of GEDI: points with a measured canopy height (field plots, lidar "
               "samples), in any coordinate system."))
        self.add(QgsProcessingParameterField(
            "HEIGHT_FIELD", tr("Height field (m)"), parentLayerParameterName="REFERENCE_POINTS",
            type=QgsProcessingParameterField.DataType.Numeric, defaultValue="height",
            optional=True),
            tr("Field of the reference points holding the canopy height in metres."))
        self.add(QgsProcessingParameterFile(
            "S1_FOLDER", tr("Sentinel-1 folder (S1Tiling)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder, optional=True),
            tr("Optional folder of Sentinel-1 backscatter of the same tile as written by "
               "S1Tiling (e.g. s1a_31TCJ_vv_DES_008_20200108t061432.tif, linear power): the "
               "temporal mean and spread of VV and VH over the period and the VH/VV ratio are "
               "added to the predictors."))
        self.add(QgsProcessingParameterRasterLayer("DEM", tr("DEM"), optional=True),
                 tr("Optional elevation model (any grid), added to the predictors."))
        self.add(QgsProcessingParameterRasterLayer("FOREST_MASK", tr("Forest mask"),
                                                   optional=True),
                 tr("A raster (any grid) whose non-zero pixels are forest; every pixel is "
                    "mapped when neither a mask nor a land cover is given."))
        self.add(QgsProcessingParameterRasterLayer("LAND_COVER", tr("Land cover"),
                                                   optional=True),
                 tr("A land-cover raster (any grid), e.g. the OSO map or the output of "
                    "chainon:land_cover: its forest classes are mapped, and its conifer "
                    "classes take the conifer allometry."))
        self.add(QgsProcessingParameterString("FOREST_CLASSES",
                                              tr("Forest classes of the land cover"),
                                              defaultValue="16,17"),
                 tr("Comma-separated codes of the land-cover raster that are forest; 16 and 17 "
                    "are OSO's broad-leaved and coniferous forests."))
        self.add(QgsProcessingParameterString("CONIFER_CLASSES",
                                              tr("Conifer classes of the land cover"),
                                              defaultValue="17"),
                 tr("Codes of the land cover that take the conifer allometry (17: OSO's "
                    "coniferous forest)."), advanced=True)
        self.add_extent_and_period()
        defaults = HeightParams()
        for name, attr, label, help_text in ALLOMETRY:
            self.add_number(name, tr(label), DOUBLE, getattr(defaults, attr), 0.0, tr(help_text))
        self.add_tuning(TUNING, defaults)
        self.add_raster_outputs(KEYS, by_default=("OUTPUT_UNCERTAINTY", "OUTPUT_AGB"))
        self.add(QgsProcessingOutputFile("OUTPUT_REPORT", tr("Validation report")),
                 tr("Text file: RMSE, MAE, bias and R² of the height (and of the biomass) on "
                    "the held-out footprints, with every residual."))
        self.add(QgsProcessingOutputNumber("RMSE", tr("Height RMSE (m)")),
                 tr("RMSE of the height on the held-out reference heights."))

    def method_params(self, parameters, context):
        return HeightParams(
            conifer_classes=parse_classes(self.parameterAsString(parameters, "CONIFER_CLASSES",
                                                                 context)),
            **{attr: self.parameterAsDouble(parameters, name, context)
               for name, attr, *_ in ALLOMETRY},
            **self.tuning_values(parameters, context, TUNING))

    def compute(self, parameters, context, feedback, progress):
        bounds, crs, start, end = self.extent_and_period(parameters, context)
        gedi = self.parameterAsFile(parameters, "GEDI", context) or None
        points = None if gedi else self._points(parameters, context)
        if gedi is None and points is None:
            raise InputError("Give reference heights: GEDI L2A granules or a point layer with a "
                             "height field.")
        params = self.method_params(parameters, context)
        outputs, asked = self.raster_outputs(parameters, context, KEYS)
        out_folder = Path(outputs["OUTPUT"]).parent
        result = run_forest_height(
            self.parameterAsFile(parameters, "S2_FOLDER", context), out_folder, gedi=gedi,
            points=points, forest=self._forest(parameters, context),
            dem=self.raster_source(parameters, "DEM", context),
            s1_folder=self.parameterAsFile(parameters, "S1_FOLDER", context) or None,
            outputs=outputs, start=start, end=end,
            bounds=bounds, bounds_crs=crs, params=params, progress=progress)
        rmse = result["scores"]["height"]["rmse"]
        feedback.pushInfo(tr("Height RMSE on {n} held-out reference heights: {rmse} m.").format(
            n=result["n_validation"], rmse=f"{rmse:.2f}"))
        self._loaded = {k: result[k] for k in asked}
        return {**self._loaded, "OUTPUT_REPORT": result["OUTPUT_REPORT"],
                "RMSE": rmse}

    def _points(self, parameters, context):
        source = self.parameterAsSource(parameters, "REFERENCE_POINTS", context)
        if source is None:
            return None
        checked_layer(source, "Point")
        field = self.field_value(parameters, "HEIGHT_FIELD", context, source)
        names = source.fields().names()
        if not field or field not in names:
            raise InputError("The height field {field} does not exist in the reference points "
                             "layer (fields: {fields}).", field=field or "(none)",
                             fields=", ".join(names))
        if not source.sourceCrs().isValid():
            raise InputError("The layer {layer} has no coordinate reference system: set one.",
                             layer=source.sourceName())
        features, crs, _ = read_source(source)
        xs, ys, hs = [], [], []
        for f in features:
            g, value = f["geometry"], f["properties"].get(field)
            if not g or value is None:
                continue
            x, y = (g["coordinates"][0] if g["type"] == "MultiPoint" else g["coordinates"])[:2]
            xs.append(x)
            ys.append(y)
            hs.append(float(value))
        return xs, ys, hs, crs, source.sourceName()

    def _forest(self, parameters, context):
        mask = self.raster_source(parameters, "FOREST_MASK", context)
        land_cover = self.raster_source(parameters, "LAND_COVER", context)
        if not (mask or land_cover):
            return None
        return ForestSource(mask=mask, land_cover=land_cover, classes=parse_classes(
            self.parameterAsString(parameters, "FOREST_CLASSES", context)))

    def style_outputs(self, context, feedback):
        for key, path in getattr(self, "_loaded", {}).items():
            if context.willLoadLayerOnCompletion(path):
                details = context.layerToLoadOnCompletionDetails(path)
                details.setPostProcessor(CatalogStyle.create(FOREST_HEIGHT.output(key)))
        return {}

