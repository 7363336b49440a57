"""Shared base of Chaînon's product algorithms: the common parameter
vocabulary, help generated from the catalog and the parameters' own help,
translated errors, progress and cancel."""
from html import escape
from pathlib import Path

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingParameterDateTime, QgsProcessingParameterDefinition,
                       QgsProcessingParameterExtent, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber)
from qgis.PyQt.QtGui import QIcon

from ..core.blocks import Progress
from ..core.catalog import GROUPS
from ..core.errors import Cancelled, InputError
from ..core.styles import period_style
from . import remote_run
from .console import for_display
from .i18n import tr, tr_error
from .styling import CatalogStyle

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


class ChainonAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set `product` (a catalog entry) or override the naming
    methods, declare parameters with add(), and implement compute(). Product
    algorithms add remote_run.add_parameters() (the execution choice), list
    in `local_inputs` the inputs only a run on this computer needs, and give
    method_params() (the parameters the compute centre also receives);
    style_outputs() styles a local run's results, a remote run's are styled
    from the catalog here."""

    product = None
    icon_name = "chainon.svg"
    local_inputs = ()
    local_params = ()     # method_params fields about the user's files, never sent

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

    def shortDescription(self):  # noqa: N802 - QGIS API
        return tr(self.product.summary)

    def description_html(self):
        return f"<p>{escape(self.shortDescription())}</p><p>{escape(tr(self.product.method))}</p>"

    def shortHelpString(self):  # noqa: N802 - QGIS API
        items = "".join(f"<li><b>{escape(label)}</b>: {escape(text)}</li>"
                        for label, text in self._help)
        return for_display(self.description_html()
                           + f"<h3>{tr('Parameters and outputs')}</h3><ul>{items}</ul>",
                           lead=self.shortDescription())

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
        self._help.append((param.description(), help_text))
        return param

    def add_s2_folder(self, optional=False):
        """optional: needed only on this computer (add it to local_inputs)."""
        self.add(QgsProcessingParameterFile(
            "S2_FOLDER", tr("Sentinel-2 L2A folder (THEIA)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder, optional=optional),
            tr("Folder holding THEIA/MAJA Sentinel-2 L2A products of one tile, as downloaded: "
               "product folders or .zip files, searched in sub-folders too. Needed on this "
               "computer; the compute centre uses its own.") if optional else
            tr("Folder holding THEIA/MAJA Sentinel-2 L2A products of one tile, as downloaded: "
               "product folders or .zip files, searched in sub-folders too."))

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
            if not rect.isNull() and not rect.isEmpty():
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

    def add_tuning(self, table, defaults):
        """Advanced number parameters from rows (name, params field, integer?,
        minimum, label, help), defaults from the params dataclass."""
        for name, attr, integer, low, label, help_text in table:
            kind = (QgsProcessingParameterNumber.Type.Integer if integer
                    else QgsProcessingParameterNumber.Type.Double)
            self.add(QgsProcessingParameterNumber(name, tr(label), kind,
                                                  defaultValue=getattr(defaults, attr),
                                                  minValue=low), tr(help_text), advanced=True)

    def tuning_values(self, parameters, context, table):
        """{params field: value} of the add_tuning parameters."""
        return {attr: (self.parameterAsInt if integer else self.parameterAsDouble)(
            parameters, name, context) for name, attr, integer, *_ in table}

    def raster_source(self, parameters, name, context):
        """Path of an optional raster-layer parameter, None when not given."""
        layer = self.parameterAsRasterLayer(parameters, name, context)
        return layer.source() if layer else None

    # --- running -------------------------------------------------------------
    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        progress = Progress(feedback.setProgress, feedback.isCanceled, feedback.pushInfo)
        try:
            if remote_run.chosen(self, parameters, context):
                _, _, start, end = self.extent_and_period(parameters, context)
                outputs = remote_run.run_remote(self, parameters, context, feedback, progress)
                self._remote = (start, end, outputs)
                return outputs
            self.check_local_inputs(parameters)
            return self.compute(parameters, context, feedback, progress)
        except InputError as e:
            raise QgsProcessingException(tr_error(e))
        except Cancelled:
            feedback.reportError(tr("Cancelled: the partial results were removed."))
            return {}

    def check_local_inputs(self, parameters):
        """Inputs optional for the compute centre are needed here."""
        for name in self.local_inputs:
            value = parameters.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise InputError("Running on this computer needs {parameter} ({name}); only "
                                 "the compute centre runs without it.",
                                 parameter=self.parameterDefinition(name).description(),
                                 name=name)

    def compute(self, parameters, context, feedback, progress):
        raise NotImplementedError

    def method_params(self, parameters, context):
        """The method's parameters dataclass (what the compute centre receives)."""
        return None

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802 - QGIS API
        if self._remote is None:
            self.style_outputs(context, feedback)
            return {}
        start, end, outputs = self._remote
        for key, path in outputs.items():
            if key != "OUTPUT_FOLDER" and context.willLoadLayerOnCompletion(path):
                output, ramp_max = period_style(self.product.id, key, start, end)
                context.layerToLoadOnCompletionDetails(path).setPostProcessor(
                    CatalogStyle.create(output, ramp_max=ramp_max))
        return {}

    def style_outputs(self, context, feedback):
        """Styles the results of a run on this computer as they load."""
