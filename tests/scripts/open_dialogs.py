"""Opens the toolbox, batch and modeler dialogs of every Chaînon algorithm in
a real (offscreen) QGIS GUI application; prints one line per dialog."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / ".pkgroot"))
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import QgsApplication, QgsProcessingModelAlgorithm  # noqa: E402

app = QgsApplication([], True)
app.initQgis()
from processing.core.Processing import Processing  # noqa: E402
from processing.gui.AlgorithmDialog import AlgorithmDialog  # noqa: E402
from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog  # noqa: E402
from processing.modeler.ModelerParametersDialog import ModelerParametersDialog  # noqa: E402

import chainon  # noqa: E402

Processing.initialize()
plugin = chainon.classFactory(None)
plugin.initProcessing()
for alg in plugin.provider.algorithms():
    for make in (AlgorithmDialog, BatchAlgorithmDialog,
                 lambda a: ModelerParametersDialog(a, QgsProcessingModelAlgorithm())):
        dialog = make(alg.create())
        print(f"{alg.id()} {type(dialog).__name__} {dialog.windowTitle()}")
        dialog.close()
plugin.unload()
