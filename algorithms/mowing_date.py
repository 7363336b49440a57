"""chainon:mowing_date — grassland first mowing date on a tile of the user's own."""
from datetime import date, timedelta
from pathlib import Path

from qgis.core import (QgsGraduatedSymbolRenderer, QgsProcessing,
                       QgsProcessingLayerPostProcessorInterface, QgsProcessingOutputFile,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterField, QgsProcessingParameterRasterLayer,
                       QgsProcessingParameterString,
                       QgsRendererRange, QgsSymbol)
from qgis.PyQt.QtCore import QDate, QDateTime
from qgis.PyQt.QtGui import QColor

from .field_types import DATE, DOUBLE, INT
from ..core.catalog import MOWING_DATE, N_
from ..core.errors import InputError
from ..core.mowing import MowingParams
from ..core.inputs import parse_classes
from ..core.mowing_date import Grassland, run_mowing_date
from ..core.training import Reference, reference_from_features
from . import remote_run
from .base import ChainonAlgorithm
from .i18n import tr
from .styling import CatalogStyle
from .vectors import date_field, fields_plus, read_source, write_features

RASTERS = ("OUTPUT", "OUTPUT_UNCERTAINTY")
TUNING = (  # (parameter, MowingParams field, integer?, minimum or (min, max), label, help)
    ("STEP_DAYS", "step_days", True, 1, N_("Date grid step (days)"),
     N_("Days between the dates of the regular grid the series are gap-filled onto.")),
    ("MIN_CLEAR_DATES", "min_clear", True, 1, N_("Minimum number of clear dates"),
     N_("A grassland pixel seen clear on fewer acquisitions of the period gets no date "
        "(65535).")),
    ("DROP", "drop", False, (0.0, 1.0), N_("NDVI drop of a cut"),
     N_("Detection method: a cut is an NDVI fall deeper than this (NDVI units)...")),
    ("RELATIVE_DROP", "relative_drop", False, (0.0, 1.0),
     N_("NDVI drop of a cut, share of the amplitude"),
     N_("Detection method: ...and deeper than this share of the pixel's NDVI amplitude over "
        "the period (0-1).")),
    ("N_TREES", "n_trees", True, 1, N_("Number of trees"),
     N_("Trained model: trees of the Random Forest; more trees, smoother dates and "
        "uncertainties, longer runs.")),
)
PARCEL_FIELDS = (("mowing_doy", INT), ("mowing_date", DATE),
                 ("uncertainty", DOUBLE), ("mown_share", DOUBLE),
                 ("pixels", INT))


class MowingDateAlgorithm(ChainonAlgorithm):
    product = MOWING_DATE
    icon_name = "mowing_date.svg"
    local_inputs = ("S2_FOLDER",)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        remote_run.add_parameters(self)
        self.add_s2_folder()
        self.add(QgsProcessingParameterRasterLayer("LAND_COVER", tr("Land cover"),
                                                   optional=True),
                 tr("A land-cover raster (any grid), e.g. the OSO map or the output of "
                    "chainon:land_cover: its grassland classes are mapped."))
        self.add(QgsProcessingParameterString("GRASSLAND_CLASSES",
                                              tr("Grassland classes of the land cover"),
                                              defaultValue="13"),
                 tr("Comma-separated codes of the land-cover raster that are grassland; 13 is "
                    "OSO's Prairies (grasslands)."))
        self.add(QgsProcessingParameterRasterLayer("GRASSLAND_MASK", tr("Grassland mask"),
                                                   optional=True),
                 tr("A raster (any grid) whose non-zero pixels are grassland."))
        self.add(QgsProcessingParameterFeatureSource(
            "PARCELS", tr("Grassland parcels"), [QgsProcessing.SourceType.TypeVectorPolygon],
            optional=True),
            tr("Polygons of grassland parcels (e.g. RPG meadows): only their pixels are mapped, "
               "each gets its date (median of its pixels), and a field observation point "
               "inside a parcel labels the whole parcel. Give at least one of the land cover, "
               "the mask or the parcels; when several are given a pixel must be grassland in "
               "all of them."))
        self.add(QgsProcessingParameterFeatureSource(
            "FIELD_DATES", tr("Field observations of the first mowing"),
            [QgsProcessing.SourceType.TypeVectorPoint,
             QgsProcessing.SourceType.TypeVectorPolygon], optional=True),
            tr("Points or polygons with the date of the first mowing seen in the field. When "
               "given, a Random Forest regression is trained on them (at least 10 in the "
               "area, dated within the period) and a validation report is written; when "
               "empty, the NDVI drop detection runs. The detection always decides which "
               "pixels are mown; the model only dates them, and only when it validates "
               "clearly better than the detection on held-out observations (a one-sided "
               "paired Wilcoxon test at 5 % on those the detection dates); otherwise the "
               "report says so and the map is dated by the detection. The paper's best model, the L-TAE attention network, "
               "needs PyTorch and is not offered."))
        date_param = QgsProcessingParameterField(
            "DATE_FIELD", tr("Date field"), parentLayerParameterName="FIELD_DATES",
            defaultValue="mowing_date", optional=True)
        # without a mowing_date field, the dialog picks the observations' date field by type
        date_param.setMetadata({"widget_wrapper": {
            "class": f"{__package__}.widgets.DateFieldWrapper"}})
        self.add(date_param,
                 tr("Field of the observations holding the first mowing date: a date, a text "
                    "YYYY-MM-DD, or a day of the year (1-366). When none is given and the layer "
                    "has no mowing_date field, a field of dates is taken (one named like a date "
                    "first)."))
        self.add_model_input(
            tr("Trained model (instead of field observations)"),
            tr("A model saved by a previous run with field observations (OUTPUT_MODEL), applied "
               "to this tile or year: the period must have the same length and date step as "
               "the training period; dates move with the period's start. Only open models you "
               "trust: loading one runs code stored in it."))
        self.add_extent_and_period()
        defaults = MowingParams()
        self.add_tuning(TUNING, defaults)
        self.add_raster_outputs(RASTERS, by_default=RASTERS)
        self.add(QgsProcessingParameterFeatureSink(
            "OUTPUT_PARCELS", tr("Parcels with their first mowing date"),
            QgsProcessing.SourceType.TypeVectorPolygon, optional=True, createByDefault=True),
            tr("Only with parcels: a copy of them with mowing_doy (0 = not mown), mowing_date, "
               "uncertainty (days), mown_share (share of the pixels with a cut) and pixels "
               "(pixels with a result)."))
        self.add_model_output(
            tr("Only with field observations: the trained regression with what it takes to "
               "apply it to another tile or year (feature list, date grid, library versions, "
               "validation figures)."))
        self.add(QgsProcessingOutputFile("OUTPUT_REPORT", tr("Validation report")),
                 tr("Only with field observations: the spatial cross-validation of the trained "
                    "model (MAE, RMSE, R², residual per observation) and the detection method's "
                    "MAE on the same observations, beside the day-of-year raster."))

    def method_params(self, parameters, context):
        return MowingParams(**self.tuning_values(parameters, context, TUNING))

    def compute(self, parameters, context, feedback, progress):
        bounds, crs, start, end = self.extent_and_period(parameters, context)
        params = self.method_params(parameters, context)
        parcel_source = self.parameterAsSource(parameters, "PARCELS", context)
        parcels = _parcels(parcel_source) if parcel_source else None
        grassland = Grassland(
            mask=self.raster_source(parameters, "GRASSLAND_MASK", context),
            land_cover=self.raster_source(parameters, "LAND_COVER", context),
            classes=parse_classes(self.parameterAsString(parameters, "GRASSLAND_CLASSES",
                                                         context)),
            parcels=parcels[0] if parcels else None)
        outputs, asked = self.raster_outputs(parameters, context, RASTERS)
        outputs["OUTPUT_MODEL"] = self.model_destination(parameters, context)
        result = run_mowing_date(
            self.parameterAsFile(parameters, "S2_FOLDER", context), Path(outputs["OUTPUT"]).parent,
            grassland, self._observations(parameters, context), outputs, start, end, bounds,
            crs, params, progress,
            model=self.parameterAsFile(parameters, "MODEL", context) or None)
        self._result = result
        answer = {k: result[k] for k in asked + ["OUTPUT_REPORT", "OUTPUT_MODEL"]
                  if k in result}
        self._parcels_dest = None
        if parcel_source and parameters.get("OUTPUT_PARCELS"):
            self._parcels_dest = answer["OUTPUT_PARCELS"] = self._write_parcels(
                parameters, context, parcel_source, parcels, result)
        if "scores" in result:
            feedback.pushInfo(tr("Trained on {n} field observations; cross-validated MAE {mae} "
                                 "days.").format(n=result["n_observations"],
                                                 mae=f"{result['scores']['mae']:.1f}"))
        return answer

    def _observations(self, parameters, context):
        source = self.parameterAsSource(parameters, "FIELD_DATES", context)
        if source is None:
            return None
        field = self.field_value(parameters, "DATE_FIELD", context, source)
        if not field and parameters.get("DATE_FIELD") in (None, ""):
            field = date_field(source)     # no mowing_date field: the date field by its type
        if not field:
            raise InputError("Give the date field of the field observations.")
        if source.fields().lookupField(field) < 0:
            raise InputError("The field {field} does not exist in the field observations "
                             "(fields: {fields}).", field=field,
                             fields=", ".join(source.fields().names()) or "none")
        features, crs, _ = read_source(_with_crs(source))
        for f in features:
            f["properties"][field] = _python_date(f["properties"].get(field))
        return reference_from_features(features, field, crs, numeric=False)

    def _write_parcels(self, parameters, context, source, parcels, result):
        _, originals, index = parcels
        fields = fields_plus(source.fields(), PARCEL_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT_PARCELS", context, fields,
                                          source.wkbType(), source.sourceCrs())
        names = [name for name, _ in PARCEL_FIELDS]
        year = result["start"].year
        rows = [dict(zip(names, _parcel_values(
            result["parcels"][index[i]] if i in index else None, year)), index=i)
            for i in range(len(originals))]
        write_features(sink, originals, rows, names)
        return dest

    def style_outputs(self, context, feedback):
        result = getattr(self, "_result", None)
        if not result:
            return {}
        for key in RASTERS:
            if result[key] and context.willLoadLayerOnCompletion(result[key]):
                details = context.layerToLoadOnCompletionDetails(result[key])
                details.setPostProcessor(CatalogStyle.create(MOWING_DATE.output(key)))
        dest = self._parcels_dest
        if dest and context.willLoadLayerOnCompletion(dest):
            context.layerToLoadOnCompletionDetails(dest).setPostProcessor(ParcelStyle.create())
        return {}


def _with_crs(source):
    if not source.sourceCrs().isValid():
        raise InputError("The layer {layer} has no coordinate reference system: set one.",
                         layer=source.sourceName())
    return source


def _python_date(value):
    """QDate / QDateTime attributes as Python dates, anything else as it is."""
    if isinstance(value, (QDate, QDateTime)):
        return value.toPyDate() if isinstance(value, QDate) else value.toPyDateTime()
    return value


def _parcels(source):
    """(Reference of the parcels with a geometry, all QgsFeatures, feature
    index -> index in the Reference)."""
    features, crs, originals = read_source(_with_crs(source))
    index = {i: k for k, i in enumerate(i for i, f in enumerate(features) if f["geometry"])}
    geoms = [features[i]["geometry"] for i in index]
    return Reference(crs, geoms, [None] * len(geoms), ""), originals, index


def _parcel_values(res, year):
    if res is None:
        return [None] * len(PARCEL_FIELDS)
    day = res["doy"]
    when = QDate(date(year, 1, 1) + timedelta(days=day - 1)) if day else None
    unc = round(res["uncertainty"], 1) if res["uncertainty"] is not None else None
    return [day, when, unc, round(res["mown_share"], 3), res["pixels"]]


class ParcelStyle(QgsProcessingLayerPostProcessorInterface):
    """Parcels coloured by month of first mowing, as the day-of-year raster."""
    _keep = []

    @classmethod
    def create(cls):
        pp = cls()
        cls._keep.append(pp)   # sip would otherwise delete it before it runs
        return pp

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        (_, grey, _), *stops = MOWING_DATE.output("OUTPUT").ramp
        ranges = [_range(layer, -0.5, 0.5, grey, tr("Not mown"))]
        for i, (day, color, label) in enumerate(stops):
            nxt = stops[i + 1] if i + 1 < len(stops) else (367, None, "")
            lower = 0.5 if i == 0 else day - 0.5      # earlier cuts join the first range
            ranges.append(_range(layer, lower, nxt[0] - 0.5, color,
                                 f"{tr(label)} – {tr(nxt[2]) if nxt[2] else ''}".strip()))
        layer.setRenderer(QgsGraduatedSymbolRenderer("mowing_doy", ranges))
        layer.triggerRepaint()


def _range(layer, lower, upper, color, label):
    symbol = QgsSymbol.defaultSymbol(layer.geometryType())
    symbol.setColor(QColor(color))
    return QgsRendererRange(lower, upper, symbol, label)
