"""The plugin loaded in a real (offscreen) QGIS GUI application with
Processing initialised, for the dialog scripts beside this one."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / ".pkgroot"))
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import QgsApplication  # noqa: E402


def start():
    """(application, plugin with its provider registered)."""
    app = QgsApplication([], True)
    app.initQgis()
    from processing.core.Processing import Processing
    import chainon
    Processing.initialize()
    plugin = chainon.classFactory(None)
    plugin.initProcessing()
    return app, plugin
