"""Qt translation of every user-facing string (French first)."""
from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

CONTEXT = "chainon"
I18N = Path(__file__).resolve().parent.parent / "i18n"
_translator = None


def tr(text):
    return QCoreApplication.translate(CONTEXT, text)


def user_language():
    """The language QGIS speaks, however it was chosen: the translation QGIS
    loaded (`--lang fr`, the override in its options, else the system's),
    else its locale setting (qgis_process loads no translation)."""
    app = QgsApplication.instance()
    loaded = app.translation() if app is not None else ""
    return (loaded or QgsApplication.locale() or "en")[:2]


def install_translator(language=None):
    """Load i18n/chainon_<lang>.qm once; English when there is none."""
    global _translator
    if _translator is not None:
        return
    qm = I18N / f"chainon_{language or user_language()}.qm"
    if qm.exists():
        translator = QTranslator()
        if translator.load(str(qm)):
            QCoreApplication.installTranslator(translator)
            _translator = translator


def tr_error(error):
    """A core InputError in the user's language."""
    return tr(error.template).format(**error.fields)
