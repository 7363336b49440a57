"""chainon:<product>_remote — a product at the compute centre: it runs the
method of chainon:<product> on the centre's own data for an area and a
period, and downloads the product's maps clipped to the extent.

A separate algorithm (rather than a mode of the local one) so that each
dialog, batch table, modeler form and qgis_process call shows as required
exactly what its run needs: QGIS checks mandatory parameters one by one,
before the algorithm can say which mode was chosen."""
from qgis.core import (QgsProcessingAlgorithm, QgsProcessingParameterDateTime,
                       QgsProcessingParameterExtent, QgsProcessingParameterNumber)

from ..core.products import main_outputs
from . import remote_run
from .base import ChainonAlgorithm
from .i18n import tr

class RemoteAlgorithm(ChainonAlgorithm):
    """The compute-centre twin of a product algorithm class `local`."""

    def __init__(self, local):
        super().__init__()
        self.local_class = local
        self.product = local.product
        self.icon_name = local.icon_name
        self.local_params = local.local_params
        self._local = None

    def name(self):
        return f"{self.product.id}_remote"

    def displayName(self):  # noqa: N802 - QGIS API
        return tr("{product} at the compute centre").format(product=tr(self.product.title))

    def createInstance(self):  # noqa: N802 - QGIS API
        return type(self)(self.local_class)

    def help_page(self):
        return self.local().help_page()

    def description_html(self):
        return super().description_html() + "<p>{}</p>".format(tr(
            "Runs at the compute centre on its own data: give an area (an extent, 'france' or "
            "tile ids) and a period. The product's maps come back clipped to the extent and "
            "styled; vector layers, reports, trained models and per-date maps are produced "
            "only by the algorithm that runs on this computer."))

    def local(self):
        """The local algorithm, whose method parameters this one sends."""
        if self._local is None:
            self._local = self.local_class()
            self._local.initAlgorithm()
        return self._local

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        remote_run.add_area(self)
        self.add(QgsProcessingParameterExtent("EXTENT", tr("Extent"), optional=True),
                 tr("Area of the results, in any coordinate system; with an empty area above, "
                    "also the area of the job."))
        self.add(QgsProcessingParameterDateTime(
            "START", tr("Start date"), type=QgsProcessingParameterDateTime.Type.Date),
            tr("First day of the period (inclusive)."))
        self.add(QgsProcessingParameterDateTime(
            "END", tr("End date"), type=QgsProcessingParameterDateTime.Type.Date),
            tr("Last day of the period (inclusive)."))
        for definition in self.method_definitions():
            self.add(definition.clone(), definition.help(), advanced=True)
        remote_run.add_service_parameters(self, area=False)
        keys = [o.key for o in main_outputs(self.product.id)]
        self.add_raster_outputs(keys, by_default=keys)

    def method_definitions(self):
        """The local algorithm's number parameters and its `remote_extra`."""
        local = self.local()
        return [d for d in local.parameterDefinitions()
                if isinstance(d, QgsProcessingParameterNumber)
                or d.name() in local.remote_extra]

    def method_params(self, parameters, context):
        return self.local().method_params(parameters, context)

    def runs_remote(self, parameters, context):
        return True

    def checkParameterValues(self, parameters, context):  # noqa: N802 - QGIS API
        """QGIS's own checks: everything this algorithm asks for is needed."""
        return QgsProcessingAlgorithm.checkParameterValues(self, parameters, context)

    def check_remote(self, parameters, context):
        self.check_outputs(parameters, context)
