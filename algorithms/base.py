"""Shared base of Chaînon's product algorithms: the common parameter
vocabulary, help generated from the catalog and the parameters' own help,
translated errors, progress and cancel."""
import os
from html import escape
from pathlib import Path

from qgis.core import (QgsProcessing, QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingOutputLayerDefinition, QgsProcessingParameterDateTime,
                       QgsProcessingParameterDefinition, QgsProcessingParameterExtent,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber, QgsProcessingParameterRasterDestination,
                       QgsProperty, QgsWkbTypes)
from qgis.PyQt.QtGui import QIcon

from ..core.blocks import Progress
from ..core.catalog import GROUPS, N_
from ..core.errors import Cancelled, InputError
from ..core.qml import write_sidecar
from ..core.styles import period_style
from . import remote_run
from .console import for_display
from .i18n import tr, tr_error, user_language
from .reports import html_help, html_output, with_html_report
from .styling import CatalogStyle, area_suffix, arrange_layers, place_suffix
from .vectors import read_source

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
HELP = Path(__file__).resolve().parent.parent / "resources" / "help"
FOLDER = QgsProcessingParameterFile.Behavior.Folder
# destinations that are not files of the user's (checked by QGIS itself)
NOT_A_PATH = (QgsProcessing.TEMPORARY_OUTPUT, "memory:", "ogr:", "postgres:", "postgis:",
              "spatialite:")


class ChainonAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set `product` (a catalog entry) or override the naming
    methods, declare parameters with add(), and implement compute(). Product
    algorithms run on this computer: their inputs are required as such; they
    keep remote_run.add_parameters() hidden for models and scripts saved
    before "<product> at the compute centre" (algorithms/remote.py) existed,
    list in `local_inputs` the inputs such an old compute-centre call leaves
    out, and give method_params() (the parameters the compute centre also
    receives; `remote_extra` names the non-number ones, numbers always go);
    style_outputs() styles a local run's results, a remote run's are styled
    from the catalog here."""

    product = None
    icon_name = "chainon.svg"
    local_inputs = ()
    local_params = ()     # method_params fields about the user's files, never sent
    remote_extra = ()     # method parameters other than numbers, sent to the compute centre

    def __init__(self):
        super().__init__()
        self._help = []
        self._remote = None

    # --- identity (ids are public API: never rename) -------------------------
    def name(self):
        return self.product.id

    def displayName(self):  # noqa: N802 - QGIS API
        return tr(self.product.title)

    def group(self):
        return tr(GROUPS[self.groupId()])

    def groupId(self):  # noqa: N802 - QGIS API
        return self.product.group_id

    def createInstance(self):  # noqa: N802 - QGIS API
        return type(self)()

    def icon(self):
        return QIcon(str(ICONS / self.icon_name))

    def svgIconPath(self):  # noqa: N802 - QGIS API
        return str(ICONS / self.icon_name)

    def shortDescription(self):  # noqa: N802 - QGIS API
        return tr(self.product.summary)

    def description_html(self):
        return f"<p>{escape(self.shortDescription())}</p><p>{escape(tr(self.product.method))}</p>"

    def shortHelpString(self):  # noqa: N802 - QGIS API
        items = "".join(f"<li><b>{escape(label)}</b>: {escape(text)}</li>"
                        for name, label, text in self._help if not self._hidden(name))
        return for_display(self.description_html()
                           + f"<h3>{tr('Parameters and outputs')}</h3><ul>{items}</ul>",
                           lead=self.shortDescription())

    def _hidden(self, name):
        definition = self.parameterDefinition(name)       # None for outputs
        return bool(definition and definition.flags()
                    & QgsProcessingParameterDefinition.Flag.FlagHidden)

    def help_page(self):
        """The page shipped in the plugin for this algorithm, in QGIS's
        language when it has one (resources/help/fr/), else in English."""
        name = f"{self.name()}.html"
        translated = HELP / user_language() / name
        return translated if translated.exists() else HELP / name

    def helpUrl(self):  # noqa: N802 - QGIS API
        page = self.help_page()
        return page.as_uri() if page.exists() else ""

    # --- parameters ----------------------------------------------------------
    def add(self, param, help_text, advanced=False):
        """Adds a parameter (or output) with its help text."""
        if isinstance(param, QgsProcessingParameterDefinition):
            param.setHelp(help_text)
            if advanced:
                param.setFlags(param.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            self.addParameter(param)
        else:
            self.addOutput(param)
        self._help.append((param.name(), param.description(), help_text))
        if param.name() == "OUTPUT_REPORT":          # its HTML, for the Results Viewer
            html = html_output()
            self.addOutput(html)
            self._help.append((html.name(), html.description(), html_help()))
        return param

    def add_s2_folder(self):
        self.add(QgsProcessingParameterFile("S2_FOLDER", tr("Sentinel-2 L2A folder (THEIA or Sen2Cor)"),
                                            behavior=FOLDER),
                 tr("Folder holding Sentinel-2 L2A products of one tile, as downloaded: "
                    "THEIA/MAJA products or Sen2Cor .SAFE products (Copernicus hub), product "
                    "folders or .zip files, or the items of a STAC search saved as .json "
                    "(their assets read where they point); searched in sub-folders too."))

    def add_raster_outputs(self, keys, by_default=()):
        """The product's rasters: the first (the main output) is required, the
        others are optional and written only when asked for; those in
        `by_default` are offered ticked in the dialog."""
        for i, key in enumerate(keys):
            spec = self.product.output(key)
            self.add(QgsProcessingParameterRasterDestination(
                key, tr(spec.title), optional=i > 0, createByDefault=i == 0 or key in by_default),
                tr(spec.description))

    def raster_outputs(self, parameters, context, keys):
        """({key: path, or None when not asked for: the product's code does
        not write it}, the keys asked for)."""
        paths, asked = {}, []
        for key in keys:
            path = self.parameterAsOutputLayer(parameters, key, context)
            if path:
                asked.append(key)
            paths[key] = path or None
        return paths, asked

    def add_extent_and_period(self):
        self.add(QgsProcessingParameterExtent("EXTENT", tr("Extent"), optional=True),
                 tr("Area to process, in any coordinate system; the whole tile when empty."))
        self.add(QgsProcessingParameterDateTime(
            "START", tr("Start date"), type=QgsProcessingParameterDateTime.Type.Date,
            optional=True), tr("First day of the period (inclusive); the first acquisition "
                               "when empty."))
        self.add(QgsProcessingParameterDateTime(
            "END", tr("End date"), type=QgsProcessingParameterDateTime.Type.Date,
            optional=True), tr("Last day of the period (inclusive); the last acquisition "
                               "when empty."))

    def extent_and_period(self, parameters, context):
        """(bounds, bounds_crs_wkt, start, end) from the common parameters."""
        bounds = crs = None
        if parameters.get("EXTENT"):
            rect = self.parameterAsExtent(parameters, "EXTENT", context)
            if not rect.isNull() and rect.isEmpty():     # a point or a line
                raise InputError("The extent (EXTENT) has no area: draw a rectangle, or leave "
                                 "it empty to process the whole tile.")
            if not rect.isNull():
                bounds = (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum())
                ext_crs = self.parameterAsExtentCrs(parameters, "EXTENT", context)
                crs = (ext_crs if ext_crs.isValid() else context.project().crs()).toWkt()
        start = end = None
        if parameters.get("START"):
            start = self.parameterAsDateTime(parameters, "START", context).date().toPyDate()
        if parameters.get("END"):
            end = self.parameterAsDateTime(parameters, "END", context).date().toPyDate()
        return bounds, crs, start, end

    def add_model_input(self, label, help_text):
        """MODEL: a model saved by an earlier training run, to apply."""
        self.add(QgsProcessingParameterFile("MODEL", label, optional=True,
                                            fileFilter=tr("Chaînon models (*.joblib)")),
                 help_text)

    def add_model_output(self, help_text):
        """OUTPUT_MODEL: where a training run saves its model."""
        self.add(QgsProcessingParameterFileDestination(
            "OUTPUT_MODEL", tr("Trained model"), tr("Chaînon models (*.joblib)"),
            optional=True, createByDefault=True), help_text)

    def model_destination(self, parameters, context):
        """OUTPUT_MODEL's path; None when left to a temporary file (the
        dialog's default) or not given: the product then writes the model
        beside its main output, not in a temporary folder the user never sees."""
        if _destination(parameters.get("OUTPUT_MODEL"), context) in (
                "", QgsProcessing.TEMPORARY_OUTPUT):
            return None
        return self.parameterAsFileOutput(parameters, "OUTPUT_MODEL", context) or None

    def add_number(self, name, label, kind, default, bounds, help_text, advanced=True):
        """A number parameter; `bounds` is its minimum or a (minimum, maximum) pair."""
        low, high = bounds if isinstance(bounds, tuple) else (bounds, None)
        param = QgsProcessingParameterNumber(name, label, kind, defaultValue=default,
                                             minValue=low)
        if high is not None:
            param.setMaximum(high)
        self.add(param, help_text, advanced=advanced)

    def add_tuning(self, table, defaults):
        """Advanced number parameters from rows (name, params field, integer?,
        bounds, label, help), defaults from the params dataclass."""
        for name, attr, integer, bounds, label, help_text in table:
            kind = (QgsProcessingParameterNumber.Type.Integer if integer
                    else QgsProcessingParameterNumber.Type.Double)
            self.add_number(name, tr(label), kind, getattr(defaults, attr), bounds,
                            tr(help_text))

    def tuning_values(self, parameters, context, table):
        """{params field: value} of the add_tuning parameters."""
        return {attr: (self.parameterAsInt if integer else self.parameterAsDouble)(
            parameters, name, context) for name, attr, integer, *_ in table}

    def field_value(self, parameters, name, context, source):
        """A field parameter's value; its default (the usual name, e.g. code)
        counts as not given when the layer `source` has no such field."""
        value = self.parameterAsString(parameters, name, context) or None
        if (value and parameters.get(name) in (None, "") and source is not None
                and source.fields().lookupField(value) < 0):
            return None
        return value

    def raster_source(self, parameters, name, context):
        """Path of an optional raster-layer parameter, None when not given."""
        layer = self.parameterAsRasterLayer(parameters, name, context)
        return layer.source() if layer else None

    def polygon_source(self, parameters, name, context):
        """(crs, [GeoJSON geometries]) of an optional polygon-layer parameter,
        None when not given."""
        source = self.checked_polygons(parameters, name, context)
        if source is None:
            return None
        features, crs, _ = read_source(source)
        return crs, [f["geometry"] for f in features if f["geometry"]]

    def checked_polygons(self, parameters, name, context):
        """The feature source of a polygon-layer parameter (None when not
        given), checked by polygon_layer."""
        source = self.parameterAsSource(parameters, name, context)
        return None if source is None else polygon_layer(source)

    # --- running -------------------------------------------------------------
    def runs_remote(self, parameters, context):
        """True for a compute-centre run (TARGET of a saved model or script)."""
        return remote_run.chosen(self, parameters, context)

    def checkParameterValues(self, parameters, context):  # noqa: N802 - QGIS API
        """A saved model or script choosing TARGET = compute centre leaves out
        the local inputs and the local-only outputs, required here."""
        if not self.runs_remote(parameters, context):
            return super().checkParameterValues(parameters, context)
        for d in self.parameterDefinitions():
            if (d.name() not in self.local_inputs and not d.isDestination()
                    and not d.checkValueIsAcceptable(parameters.get(d.name()), context)):
                return False, tr("Incorrect parameter value for {name}").format(name=d.name())
        return True, ""

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        progress = Progress(feedback.setProgress, feedback.isCanceled, feedback.pushInfo)
        try:
            if self.runs_remote(parameters, context):
                self.check_remote(parameters, context)
                _, _, start, end = self.extent_and_period(parameters, context)
                outputs = remote_run.run_remote(self, parameters, context, feedback, progress)
                self._remote = (start, end, outputs)
                self._area_name = area_suffix(self.parameterAsString(parameters, "AREA", context))
                return outputs
            self.check_folders(parameters, context)
            self.check_outputs(parameters, context)
            return with_html_report(self.compute(parameters, context, feedback, progress))
        except InputError as e:
            raise QgsProcessingException(tr_error(e))
        except OSError as e:        # a disk full or a folder gone while writing
            raise QgsProcessingException(tr("Could not read or write {path}: {reason}.").format(
                path=e.filename or "a file", reason=e.strerror or e)) from None
        except Cancelled:
            feedback.reportError(tr("Cancelled: the partial results were removed."))
            return {}

    def check_remote(self, parameters, context):
        """Checks before a compute-centre job (none for a TARGET call of a
        saved model or script: it gives no local output)."""

    def check_folders(self, parameters, context):
        """An empty folder is read as "" or "." (QGIS's working directory,
        which would then be searched): an error naming the parameter."""
        for d in self.parameterDefinitions():
            if not (isinstance(d, QgsProcessingParameterFile) and d.behavior() == FOLDER):
                continue
            value = (self.parameterAsFile(parameters, d.name(), context) or "").strip()
            required = not d.flags() & QgsProcessingParameterDefinition.Flag.FlagOptional
            if value in ("", ".") and (required or value == "."):
                raise InputError("Choose the folder {parameter} ({name}): it is empty.",
                                 parameter=d.description(), name=d.name())
            if value and not Path(value).is_dir():
                raise InputError("The folder {path} given as {parameter} ({name}) does not "
                                 "exist.", path=value, parameter=d.description(), name=d.name())

    def check_outputs(self, parameters, context):
        """Every required output is given, no two outputs share a file, and
        every output file can be written (its missing folders made: vector
        outputs would not make them), before any work starts."""
        taken = {}
        for d in self.destinationParameterDefinitions():
            value = _destination(parameters.get(d.name()), context)
            if not value:
                if not d.flags() & QgsProcessingParameterDefinition.Flag.FlagOptional:
                    raise InputError("Choose where to write {parameter} ({name}): this output "
                                     "is required.", parameter=d.description(), name=d.name())
                continue
            if value.startswith(NOT_A_PATH):
                continue
            same = taken.setdefault(os.path.abspath(value.split("|")[0]), d)
            if same is not d:
                raise InputError("{first} ({a}) and {second} ({b}) are both to be written to "
                                 "{path}: give each output its own file.",
                                 first=same.description(), a=same.name(),
                                 second=d.description(), b=d.name(), path=value)
            _make_folder(Path(value).parent, d, value)

    def compute(self, parameters, context, feedback, progress):
        raise NotImplementedError

    def method_params(self, parameters, context):
        """The method's parameters dataclass (what the compute centre receives)."""
        return None

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802 - QGIS API
        if self._remote is None:
            self.style_outputs(context, feedback)
            arrange_layers(self, context, place_suffix(getattr(self, "_result", None)))
            return {}
        start, end, outputs = self._remote
        for key, path in outputs.items():
            if key == "OUTPUT_FOLDER":
                continue
            output, ramp_max = period_style(self.product.id, key, start, end)
            write_sidecar(path, output, ramp_max, tr)     # styled wherever it is opened
            if context.willLoadLayerOnCompletion(path):
                context.layerToLoadOnCompletionDetails(path).setPostProcessor(
                    CatalogStyle.create(output, ramp_max=ramp_max))
        arrange_layers(self, context, getattr(self, "_area_name", ""))
        return {}

    def style_outputs(self, context, feedback):
        """Styles the results of a run on this computer as they load."""


WRONG_GEOMETRY = {"Polygon": N_("The layer {layer} holds {kind} geometries where polygons are "
                                 "needed."),
                  "Point": N_("The layer {layer} holds {kind} geometries where points are "
                              "needed: one point per measured value.")}


def polygon_layer(source):
    """`source`, refused unless it holds polygons with a CRS (checked_layer)."""
    return checked_layer(source, "Polygon")


def checked_layer(source, geometry):
    """`source`, refused when empty, of another geometry than `geometry`
    ("Polygon" or "Point") or without a CRS: QGIS lets any geometry through
    a layer parameter given by its path, and a layer without a CRS would
    reach rasterio as an empty one (a traceback)."""
    if source.featureCount() == 0:      # an empty file has no CRS either: say why
        raise InputError("The layer {layer} holds no feature.", layer=source.sourceName())
    kind = QgsWkbTypes.geometryType(source.wkbType())
    if kind != QgsWkbTypes.geometryType(QgsWkbTypes.parseType(geometry)):
        raise InputError(WRONG_GEOMETRY[geometry], layer=source.sourceName(),
                         kind=QgsWkbTypes.geometryDisplayString(kind).lower())
    if not source.sourceCrs().isValid():
        raise InputError("The layer {layer} has no coordinate reference system: set one.",
                         layer=source.sourceName())
    return source


def _make_folder(folder, d, value):
    """Makes the output's missing folders, or says why it cannot."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        if not (existing.is_dir() and os.access(existing, os.W_OK)):
            raise PermissionError
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise InputError("Cannot write {parameter} ({name}) to {path}: {folder} is not a "
                         "folder you can write to.", parameter=d.description(), name=d.name(),
                         path=value, folder=str(existing)) from None


def _destination(value, context):
    """The path or URI text of a destination parameter's value, "" when none."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink
    if isinstance(value, QgsProperty):
        value = value.valueAsString(context.expressionContext())
        if isinstance(value, tuple):    # PyQGIS gives (text, ok)
            value = value[0]
    return "" if value is None else str(value).strip()
