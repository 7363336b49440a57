"""chainon:forest_cuts — clear-cuts from Sentinel-1 radar shadows on a tile of the user's own."""
import json
from datetime import date

from osgeo import ogr
from qgis.core import (QgsCoordinateReferenceSystem, QgsFeature, QgsFeatureSink, QgsField,
                       QgsFields, QgsGeometry, QgsGraduatedSymbolRenderer, QgsProcessing,
                       QgsProcessingLayerPostProcessorInterface, QgsProcessingParameterBoolean,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterFile, QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination,
                       QgsProcessingParameterRasterLayer, QgsProcessingParameterString,
                       QgsRendererRange, QgsSymbol, QgsWkbTypes)
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtGui import QColor

from .field_types import DATE, DOUBLE, INT
from ..core.catalog import FOREST_CUTS, N_
from ..core.forest_cuts import (EPOCH, PERIOD_DAYS, CutParams, ForestSource, date_ramp,
                                run_forest_cuts)
from ..core.inputs import parse_classes
from . import remote_run
from .base import ChainonAlgorithm
from .i18n import tr
from .styling import CatalogStyle

TUNING = (  # (parameter, CutParams field, integer?, minimum or (min, max), label, help)
    ("SEED_DB", "seed_db", False, 0.0, N_("New shadow threshold (dB)"),
     N_("A new radar shadow is a backscatter drop deeper than this (after / before ratio).")),
    ("GROW_DB", "grow_db", False, 0.0, N_("Shadow growth and confirmation threshold (dB)"),
     N_("The shadow strip is grown over drops deeper than this, and the shadow must stay "
        "this deep on the confirming acquisitions.")),
    ("PATCH_DB", "patch_db", False, 0.0, N_("Cleared ground threshold (dB)"),
     N_("The cut patch is rebuilt around the shadow over drops deeper than this.")),
    ("N_BEFORE", "n_before", True, 1, N_("Reference acquisitions before a change"),
     N_("Acquisitions of the same orbit averaged before a possible change.")),
    ("N_AFTER", "n_after", True, 1, N_("Acquisitions after a change"),
     N_("Acquisitions averaged after a possible change.")),
    ("N_CONFIRM", "n_confirm", True, 1, N_("Confirming acquisitions"),
     N_("Later acquisitions on which the new shadow must persist (more: fewer false alarms, "
        "later detection).")),
)
POLYGON_FIELDS = (("date_min", DATE), ("date_max", DATE),
                  ("days_delta", INT), ("area_ha", DOUBLE))


class ForestCutsAlgorithm(ChainonAlgorithm):
    product = FOREST_CUTS
    icon_name = "forest_cuts.svg"
    local_inputs = ("S1_FOLDER",)
    local_params = ("db",)        # the unit of the user's files, not the lake's

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        remote_run.add_parameters(self)
        self.add(QgsProcessingParameterFile(
            "S1_FOLDER", tr("Sentinel-1 folder (S1Tiling)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder),
            tr("Folder holding Sentinel-1 backscatter of one Sentinel-2 tile as written by "
               "S1Tiling (e.g. s1a_31TCJ_vv_DES_008_20200108t061432.tif), searched in "
               "sub-folders too: VV and VH of ascending and descending orbits, linear power "
               "with nodata 0 (or dB, see below)."))
        self.add(QgsProcessingParameterBoolean("DB", tr("Files are in dB"), defaultValue=False),
                 tr("Tick when the Sentinel-1 files hold dB values instead of linear power."))
        self.add(QgsProcessingParameterRasterLayer("FOREST_MASK", tr("Forest mask"),
                                                   optional=True),
                 tr("A raster (any grid) whose non-zero pixels are forest."))
        self.add(QgsProcessingParameterRasterLayer("LAND_COVER", tr("Land cover"),
                                                   optional=True),
                 tr("A land-cover raster (any grid), e.g. the OSO map or the output of "
                    "chainon:land_cover: its forest classes are searched for cuts."))
        self.add(QgsProcessingParameterString("FOREST_CLASSES",
                                              tr("Forest classes of the land cover"),
                                              defaultValue="16,17"),
                 tr("Comma-separated codes of the land-cover raster that are forest; 16 and 17 "
                    "are OSO's broad-leaved and coniferous forests."))
        self.add(QgsProcessingParameterFeatureSource(
            "FOREST_POLYGONS", tr("Forest polygons"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True),
            tr("Polygons of forest (e.g. BD Forêt). Give at least one of the mask, the land "
               "cover or the polygons; when several are given a pixel must be forest in all."))
        self.add_extent_and_period()
        self.add(QgsProcessingParameterNumber(
            "MMU_HA", tr("Minimum mapping unit (ha)"), QgsProcessingParameterNumber.Type.Double,
            defaultValue=CutParams().mmu_ha, minValue=0.0),
            tr("Cut patches smaller than this are dropped. 0.1 ha (10 pixels) removes speckle "
               "clusters and keeps the small cuts the method detects (Bouvet et al. 2018 "
               "report more than 95 % detection above 0.4 ha)."))
        defaults = CutParams()
        self.add_tuning(TUNING, defaults)
        spec = FOREST_CUTS.output("OUTPUT")
        self.add(QgsProcessingParameterRasterDestination("OUTPUT", tr(spec.title)),
                 tr(spec.description))
        self.add(QgsProcessingParameterFeatureSink(
            "OUTPUT_POLYGONS", tr("Clear-cut polygons"),
            QgsProcessing.SourceType.TypeVectorPolygon, optional=True, createByDefault=True),
            tr("One polygon per cut patch with the attributes of the SUFOSAT clear-cut "
               "polygons: date_min and date_max (first and last detection date in the patch), "
               "days_delta (days between them) and area_ha (area in hectares)."))

    def method_params(self, parameters, context):
        return CutParams(
            mmu_ha=self.parameterAsDouble(parameters, "MMU_HA", context),
            db=self.parameterAsBoolean(parameters, "DB", context),
            **self.tuning_values(parameters, context, TUNING))

    def compute(self, parameters, context, feedback, progress):
        bounds, crs, start, end = self.extent_and_period(parameters, context)
        params = self.method_params(parameters, context)
        forest = ForestSource(
            mask=self.raster_source(parameters, "FOREST_MASK", context),
            land_cover=self.raster_source(parameters, "LAND_COVER", context),
            classes=parse_classes(self.parameterAsString(parameters, "FOREST_CLASSES",
                                                         context)),
            polygons=self.polygon_source(parameters, "FOREST_POLYGONS", context))
        output = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        result = run_forest_cuts(self.parameterAsFile(parameters, "S1_FOLDER", context), forest,
                                 output, start, end, bounds, crs, params, progress)
        feedback.pushInfo(tr("{n} clear-cut patches detected ({ha} ha).").format(
            n=len(result["polygons"]),
            ha=f"{sum(f['properties']['area_ha'] for f in result['polygons']):.1f}"))
        self._result = result
        answer = {"OUTPUT": result["OUTPUT"]}
        self._polygons_dest = None
        if parameters.get("OUTPUT_POLYGONS"):
            self._polygons_dest = answer["OUTPUT_POLYGONS"] = self._write_polygons(
                parameters, context, result)
        return answer

    def _write_polygons(self, parameters, context, result):
        fields = QgsFields()
        for name, kind in POLYGON_FIELDS:
            fields.append(QgsField(name, kind))
        sink, dest = self.parameterAsSink(parameters, "OUTPUT_POLYGONS", context, fields,
                                          QgsWkbTypes.Type.MultiPolygon,
                                          QgsCoordinateReferenceSystem(result["crs"]))
        for feature in result["polygons"]:
            props = feature["properties"]
            f = QgsFeature(fields)
            wkt = ogr.CreateGeometryFromJson(json.dumps(feature["geometry"])).ExportToWkt()
            geom = QgsGeometry.fromWkt(wkt)
            geom.convertToMultiType()
            f.setGeometry(geom)
            f.setAttributes([QDate(date.fromisoformat(props["date_min"])),
                             QDate(date.fromisoformat(props["date_max"])),
                             props["days_delta"], props["area_ha"]])
            sink.addFeature(f, QgsFeatureSink.Flag.FastInsert)
        return dest

    def style_outputs(self, context, feedback):
        result = getattr(self, "_result", None)
        if not result:
            return {}
        ramp = date_ramp(result["start"], result["end"])
        if context.willLoadLayerOnCompletion(result["OUTPUT"]):
            details = context.layerToLoadOnCompletionDetails(result["OUTPUT"])
            details.setPostProcessor(CatalogStyle.create(ramp))
        dest = self._polygons_dest
        if dest and context.willLoadLayerOnCompletion(dest):
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(
                PolygonStyle.create(ramp))
        return {}


class PolygonStyle(QgsProcessingLayerPostProcessorInterface):
    """Cut polygons coloured by their first detection date, as the raster."""
    _keep = []

    def __init__(self, ramp):
        super().__init__()
        self.ramp = ramp

    @classmethod
    def create(cls, ramp):
        pp = cls(ramp)
        cls._keep.append(pp)   # sip would otherwise delete it before it runs
        return pp

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        stops = self.ramp.ramp[2:]       # the dates, after 'no cut' and 'undecided'
        ranges = []
        for i, (day, color, label) in enumerate(stops[:-1]):
            symbol = QgsSymbol.defaultSymbol(layer.geometryType())
            symbol.setColor(QColor(color))
            upper = stops[i + 1][0] + (PERIOD_DAYS if i == len(stops) - 2 else 0)
            ranges.append(QgsRendererRange(day if i else 0, upper, symbol,
                                           f"{label} – {stops[i + 1][2]}"))
        days = f"day(age(\"date_min\", to_date('{EPOCH}')))"
        layer.setRenderer(QgsGraduatedSymbolRenderer(days, ranges))
        layer.triggerRepaint()
