"""Plugins ▸ Chaînon ▸ Welcome: what each product needs and how to try it on
sample data, built from the algorithms themselves (so it cannot drift)."""
from html import escape as _escape

from qgis.core import QgsApplication, QgsProcessingParameterDefinition
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from ..algorithms.i18n import tr
from ..algorithms.sample_data import SCENARIOS

def escape(text):
    return _escape(text, quote=False)


OPTIONAL = QgsProcessingParameterDefinition.Flag.FlagOptional
HIDDEN = QgsProcessingParameterDefinition.Flag.FlagHidden


def scenario_of(product_id):
    """The sample-data scenario of a product ("snow" for snow_cover)."""
    return next((s for s in SCENARIOS if s == product_id or product_id.startswith(s + "_")),
                None)


def required_inputs(alg):
    """The inputs a user must give: required, without a default."""
    return [d.description() for d in alg.parameterDefinitions()
            if not d.isDestination() and not d.flags() & (OPTIONAL | HIDDEN)
            and d.defaultValue() is None]


def welcome_html(provider):
    sample = provider.algorithm("sample_data")
    parts = [f"<h2>{escape(tr('Welcome to Chaînon'))}</h2>",
             "<p>{}</p>".format(escape(tr(
                 "Environmental maps of France from Copernicus Sentinel data, after the "
                 "methods of the CESBIO laboratory. Each product is an algorithm of the "
                 "Processing toolbox (group Chaînon): run it on your own Sentinel data on "
                 "this computer, or over tiles or the whole of France at the compute centre "
                 "(\"… at the compute centre\", set up in Plugins ▸ Chaînon ▸ "
                 "Compute-centre settings)."))),
             "<h3>{}</h3><p>{}</p>".format(escape(tr("Try it on sample data")), escape(tr(
                 "Run \"{sample}\" with the product's scenario: it writes a small synthetic "
                 "scene with its ground truth and gives the folders and files to fill the "
                 "product's dialog with.").format(sample=sample.displayName() if sample
                                                  else "Sample data")))]
    for alg in sorted(provider.algorithms(), key=lambda a: a.displayName()):
        product = getattr(alg, "product", None)
        if product is None or alg.name() != product.id:
            continue                      # tools and the compute-centre twins
        needs = ", ".join(escape(n) for n in required_inputs(alg))
        scenario = scenario_of(product.id)
        help_url = alg.helpUrl()
        title = escape(alg.displayName())
        parts.append(
            "<h3>{title}</h3><p>{summary}</p><p><b>{needs_label}</b> {needs}</p>"
            "<p><b>{try_label}</b> {scenario}{help}</p>".format(
                title=f'<a href="{_escape(help_url)}">{title}</a>' if help_url else title,
                summary=escape(tr(product.summary)), needs_label=escape(tr("Needs:")),
                needs=needs, try_label=escape(tr("Sample data:")),
                scenario=escape(tr("scenario \"{scenario}\".").format(scenario=scenario))
                if scenario else "",
                help=" " + escape(tr("Where real inputs come from: the help page (title "
                                     "link).")) if help_url else ""))
    return "\n".join(parts)


class WelcomeDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Welcome to Chaînon"))
        self.resize(640, 640)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        provider = QgsApplication.processingRegistry().providerById("chainon")
        self.browser.setHtml(welcome_html(provider))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
