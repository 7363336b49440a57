"""chainon:crop_yield — a-posteriori yield of one crop per parcel, per pixel
and per administrative unit, trained on declared yields or from a saved model."""
from pathlib import Path

import numpy as np
from qgis.core import (QgsFillSymbol, QgsGraduatedSymbolRenderer, QgsProcessing,
                       QgsProcessingException, QgsProcessingLayerPostProcessorInterface,
                       QgsProcessingOutputFile, QgsProcessingOutputNumber,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterField, QgsProcessingParameterFile,
                       QgsProcessingParameterNumber,
                       QgsProcessingParameterRasterDestination,
                       QgsProcessingParameterRasterLayer, QgsProcessingParameterString,
                       QgsProcessingUtils, QgsRendererRange)

from .field_types import DOUBLE, INT, STRING
from ..core.catalog import CROP_YIELD, YIELD_RAMP
from ..core.crop_yield import (OSO_CROPS, YieldParams, read_statistics, run_crop_yield,
                               select_parcels)
from ..core.errors import InputError
from ..core.inputs import parse_classes
from ..core.products import CropYieldParams
from ..core.training import reference_from_features
from . import remote_run
from .base import NOT_A_PATH, ChainonAlgorithm, polygon_layer
from .i18n import tr
from .styling import CatalogStyle
from .vectors import fields_plus, read_source, write_features

PARCEL_FIELDS = (("YIELD_EST", DOUBLE), ("N_PIXELS", INT),
                 ("SPLIT", STRING))
UNIT_FIELDS = (("YIELD_EST", DOUBLE), ("OFFICIAL", DOUBLE),
               ("REL_ERR_PC", DOUBLE), ("AREA_HA", DOUBLE),
               ("N_PARCELS", INT))
INTEGER = QgsProcessingParameterNumber.Type.Integer
DOUBLE = QgsProcessingParameterNumber.Type.Double


class CropYieldAlgorithm(ChainonAlgorithm):
    product = CROP_YIELD
    icon_name = "crop_yield.svg"
    local_inputs = ("S2_FOLDER", "PARCELS")
    remote_extra = ("CROP",)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        polygons = [QgsProcessing.SourceType.TypeVectorPolygon]
        remote_run.add_parameters(self)
        self.add_s2_folder()
        self.add(QgsProcessingParameterFeatureSource("PARCELS", tr("Parcels"), polygons),
                 tr("Crop parcels (e.g. the RPG), in any coordinate system."))
        self.add(QgsProcessingParameterField(
            "CROP_FIELD", tr("Crop field"), parentLayerParameterName="PARCELS",
            defaultValue="CODE_CULTU", optional=True),
            tr("Field holding the crop of each parcel; when empty every parcel is taken as "
               "the crop."))
        crop = QgsProcessingParameterString("CROP", tr("Crop"), optional=True)
        # the dialog lists the crops of the parcels; any text is still accepted
        crop.setMetadata({"widget_wrapper": {"class": f"{__package__}.widgets.FieldValueWrapper",
                                             "layer": "PARCELS", "field": "CROP_FIELD"}})
        self.add(crop, tr("Value of the crop field to map, chosen among the crops of the "
                          "parcels, e.g. BTH (winter soft wheat in the RPG); one model per crop."))
        self.add(QgsProcessingParameterField(
            "YIELD_FIELD", tr("Declared yield field (t/ha)"), parentLayerParameterName="PARCELS",
            type=QgsProcessingParameterField.DataType.Numeric, defaultValue="RDT_DECL",
            optional=True),
            tr("Yields declared by farmers (t/ha) to train on; empty or 0 where unknown. "
               "Needed unless a trained model is given."))
        self.add(QgsProcessingParameterRasterLayer("CROP_MASK", tr("Crop mask"), optional=True),
                 tr("Optional raster (any grid), e.g. the OSO map or the output of "
                    "chainon:land_cover: only its pixels of the crop classes below enter the "
                    "parcel averages and the per-pixel map (hedges, ponds and other land inside "
                    "the parcel outlines are left out); the parcels keep their whole area for "
                    "the units."))
        self.add(QgsProcessingParameterString(
            "CROP_CLASSES", tr("Crop classes of the mask"),
            defaultValue=", ".join(str(c) for c in OSO_CROPS), optional=True),
            tr("Comma-separated codes of the crop mask that are crops; the default is OSO's "
               "winter and summer crops (5 rapeseed to 12 tubers). Leave empty for a 0/1 mask "
               "(any non-zero value)."))
        self.add_model_input(
            tr("Trained model (instead of declared yields)"),
            tr("A model saved by a previous run (OUTPUT_MODEL), applied to this tile or year; "
               "the period must have the same length and date step. Only open models you "
               "trust: loading one runs code stored in it."))
        self.add(QgsProcessingParameterFeatureSource(
            "UNITS", tr("Administrative units"), polygons, optional=True),
            tr("Optional polygons (e.g. départements) over which the parcels' yields are "
               "averaged, weighted by area."))
        self.add(QgsProcessingParameterField(
            "UNIT_FIELD", tr("Unit code field"), parentLayerParameterName="UNITS",
            defaultValue="code",
            optional=True), tr("Field holding the code of each unit."))
        self.add(QgsProcessingParameterFile(
            "STATISTICS", tr("Official statistics (CSV)"), optional=True,
            fileFilter="CSV (*.csv)"),
            tr("Optional table with a header and one row per unit: code, yield (t/ha), e.g. "
               "Agreste figures; the relative error of every unit is written in the units "
               "output and the report."))
        self.add_extent_and_period()
        defaults = YieldParams()
        for name, label, kind, value, bounds, help_text in (
                ("N_TREES", tr("Number of trees"), INTEGER, defaults.n_trees, 1,
                 tr("Trees of the Random Forest regression, one of the models compared.")),
                ("VALIDATION_SHARE", tr("Share of validation parcels"), DOUBLE,
                 defaults.validation_share, (0.0, 0.9),
                 tr("Share of the parcels with a declared yield held out for validation.")),
                ("STEP_DAYS", tr("Date step (days)"), INTEGER, defaults.step_days, 1,
                 tr("Step of the regular date grid the series is gap-filled onto (iota2: 10).")),
                ("MIN_CLEAR_DATES", tr("Minimum clear dates"), INTEGER, defaults.min_clear, 1,
                 tr("Pixels seen clear fewer times are left out of the parcel averages.")),
                ("SEED", tr("Random seed"), INTEGER, defaults.seed, 0,
                 tr("Seeds the parcel split, the cross-validation folds and the forest."))):
            self.add_number(name, label, kind, value, bounds, help_text)
        self.add(QgsProcessingParameterFeatureSink(
            "OUTPUT", tr("Parcels with predicted yield"),
            QgsProcessing.SourceType.TypeVectorPolygon),
            tr("The crop's parcels with YIELD_EST (predicted yield, t/ha), N_PIXELS (pixels "
               "averaged) and SPLIT (training, validation, set aside or not drawn for declared "
               "parcels; set aside: an implausible declaration, left out of training and "
               "validation; not drawn: beyond 20 000 declared parcels, those left out of the "
               "seeded training sample, predicted only)."))
        self.add(QgsProcessingParameterFeatureSink(
            "OUTPUT_UNITS", tr("Units with yield"), QgsProcessing.SourceType.TypeVectorPolygon,
            optional=True, createByDefault=True),
            tr("The units with YIELD_EST (area-weighted mean, t/ha), OFFICIAL, REL_ERR_PC "
               "(relative error, %), AREA_HA and N_PARCELS; only when units are given."))
        spec = CROP_YIELD.output("OUTPUT_PIXELS")
        self.add(QgsProcessingParameterRasterDestination(
            "OUTPUT_PIXELS", tr(spec.title), optional=True, createByDefault=False),
            tr(spec.description))
        self.add_model_output(
            tr("The trained regression with what it takes to apply it to another tile or "
               "year; not written when a model is applied."))
        self.add(QgsProcessingOutputFile("OUTPUT_REPORT", tr("Validation report")),
                 tr("Text file: the cross-validated scores of every model compared and the one "
                    "kept, the declared yields set aside and why, residuals of the validation "
                    "parcels, RMSE, MAE and relative errors, and the unit table with the "
                    "relative errors to the statistics."))
        self.add(QgsProcessingOutputNumber("RELATIVE_RMSE", tr("Relative RMSE")),
                 tr("RMSE of the validation parcels divided by their mean declared yield."))

    def method_params(self, parameters, context):
        return CropYieldParams(
            crop=self.parameterAsString(parameters, "CROP", context) or "",
            n_trees=self.parameterAsInt(parameters, "N_TREES", context),
            step_days=self.parameterAsInt(parameters, "STEP_DAYS", context),
            validation_share=self.parameterAsDouble(parameters, "VALIDATION_SHARE", context),
            min_clear=self.parameterAsInt(parameters, "MIN_CLEAR_DATES", context),
            seed=self.parameterAsInt(parameters, "SEED", context))

    def compute(self, parameters, context, feedback, progress):
        bounds, crs, start, end = self.extent_and_period(parameters, context)
        model = self.parameterAsFile(parameters, "MODEL", context) or None
        source = self.parameterAsSource(parameters, "PARCELS", context)
        crop = self.parameterAsString(parameters, "CROP", context) or None
        crop_field = self.field_value(parameters, "CROP_FIELD", context, source)
        if crop is None and parameters.get("CROP_FIELD") in (None, ""):
            crop_field = None     # the default field without a crop: every parcel, as before
        yield_field = self.field_value(parameters, "YIELD_FIELD", context, source)
        if model is None and not yield_field:
            raise InputError("Give the declared yield field to train on, or a trained model.")
        features, vcrs, originals = read_source(polygon_layer(source))
        parcels = select_parcels(features, vcrs, crop_field, crop,
                                 None if model else yield_field)
        units, unit_feats, statistics = self._units(parameters, context)
        outputs = {"OUTPUT_PIXELS": self.parameterAsOutputLayer(parameters, "OUTPUT_PIXELS",
                                                                context) or None}
        if model is None:
            outputs["OUTPUT_MODEL"] = self.model_destination(parameters, context)
        main = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        if main and (main.startswith(NOT_A_PATH) or not Path(main).parent.is_dir()):
            main = None               # a memory layer or a database: no folder beside it
        anchor = outputs["OUTPUT_PIXELS"] or outputs.get("OUTPUT_MODEL") or main
        out_folder = Path(anchor).parent if anchor else Path(QgsProcessingUtils.tempFolder())
        params = self.method_params(parameters, context)
        result = run_crop_yield(
            self.parameterAsFile(parameters, "S2_FOLDER", context), out_folder, parcels,
            model=model, units=units, statistics=statistics, outputs=outputs,
            pixels=bool(outputs["OUTPUT_PIXELS"]), start=start, end=end, bounds=bounds,
            bounds_crs=crs, params=params, progress=progress,
            crop_mask=self.raster_source(parameters, "CROP_MASK", context),
            crop_classes=parse_classes(self.parameterAsString(parameters, "CROP_CLASSES",
                                                              context), allow_empty=True),
            facts=dict(crop=crop, crop_field=crop_field, yield_field=yield_field))
        out = {"OUTPUT_MODEL": result["OUTPUT_MODEL"],
               "OUTPUT_REPORT": result.get("OUTPUT_REPORT"),
               "RELATIVE_RMSE": (result.get("scores") or {}).get("relative_rmse"),
               "OUTPUT": self._write(parameters, context, "OUTPUT", source.fields(),
                                     PARCEL_FIELDS, source.wkbType(), source.sourceCrs(),
                                     originals, _parcel_rows(result["parcels"]))}
        if units is not None:
            out["OUTPUT_UNITS"] = self._write(parameters, context, "OUTPUT_UNITS", *unit_feats,
                                              _unit_rows(result["units"]))
        self._vectors = [out[k] for k in ("OUTPUT", "OUTPUT_UNITS") if k in out]
        if result.get("OUTPUT_PIXELS"):
            out["OUTPUT_PIXELS"] = result["OUTPUT_PIXELS"]
            self._pixels = result["OUTPUT_PIXELS"]
        return out

    def _units(self, parameters, context):
        source = self.parameterAsSource(parameters, "UNITS", context)
        if source is None:
            return None, None, None
        field = self.field_value(parameters, "UNIT_FIELD", context, source)
        if not field:
            raise InputError("Give the field holding the code of the administrative units.")
        features, crs, originals = read_source(polygon_layer(source))
        units = reference_from_features(features, field, crs, numeric=False)
        path = self.parameterAsFile(parameters, "STATISTICS", context)
        statistics = read_statistics(path, field) if path else None
        return units, (source.fields(), UNIT_FIELDS, source.wkbType(), source.sourceCrs(),
                       [f for f, g in zip(originals, features) if g["geometry"]
                        and g["properties"].get(field) not in (None, "")]), statistics

    def _write(self, parameters, context, key, fields, extra, wkb, crs, originals, rows):
        sink, dest = self.parameterAsSink(parameters, key, context, fields_plus(fields, extra),
                                          wkb, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, key))
        write_features(sink, originals, rows, [name for name, _ in extra])
        return dest

    def style_outputs(self, context, feedback):
        path = getattr(self, "_pixels", None)
        if path and context.willLoadLayerOnCompletion(path):
            details = context.layerToLoadOnCompletionDetails(path)
            details.setPostProcessor(CatalogStyle.create(CROP_YIELD.output("OUTPUT_PIXELS")))
        for dest in getattr(self, "_vectors", ()):
            if context.willLoadLayerOnCompletion(dest):
                details = context.layerToLoadOnCompletionDetails(dest)
                details.setPostProcessor(YieldStyle.create())
        return {}


class YieldStyle(QgsProcessingLayerPostProcessorInterface):
    """Parcels and units coloured by YIELD_EST in classes of 1 t/ha, with the
    colours of the yield ramp of the catalog."""
    BREAKS = (0, 5, 6, 7, 8, 9, 10, 30)
    _keep = []   # sip would otherwise delete post-processors before they run

    @classmethod
    def create(cls):
        pp = cls()
        cls._keep.append(pp)
        return pp

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        ranges = []
        for lo, hi in zip(self.BREAKS, self.BREAKS[1:]):
            label = f"{lo}-{hi} t/ha" if hi < self.BREAKS[-1] else f">= {lo} t/ha"
            symbol = QgsFillSymbol.createSimple({"color": _ramp_color((lo + min(hi, 12)) / 2),
                                                 "outline_color": "#4d4d4d"})
            ranges.append(QgsRendererRange(lo, hi, symbol, label))
        layer.setRenderer(QgsGraduatedSymbolRenderer("YIELD_EST", ranges))
        layer.triggerRepaint()


def _ramp_color(value):
    """Colour of the catalog's yield ramp at `value` (t/ha), linear in RGB."""
    stops = [(v, [int(c[i:i + 2], 16) for i in (1, 3, 5)]) for v, c in YIELD_RAMP]
    rgb = [round(float(np.interp(value, [v for v, _ in stops], [c[k] for _, c in stops])))
           for k in range(3)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _parcel_rows(parcels):
    return [dict(index=p["index"], YIELD_EST=p["predicted"], N_PIXELS=p["n_pixels"],
                 SPLIT=p["split"] or None) for p in parcels]


def _unit_rows(units):
    return [dict(index=u["index"], YIELD_EST=u["predicted"], OFFICIAL=u["official"],
                 REL_ERR_PC=None if u["relative_error"] is None else 100 * u["relative_error"],
                 AREA_HA=u["area_ha"], N_PARCELS=u["n_parcels"]) for u in units]
