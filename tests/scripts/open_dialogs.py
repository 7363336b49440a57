"""Opens the toolbox, batch and modeler dialogs of every Chaînon algorithm in
a real (offscreen) QGIS GUI application; prints one line per dialog."""
from gui_plugin import start

app, plugin = start()
from processing.gui.AlgorithmDialog import AlgorithmDialog  # noqa: E402
from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog  # noqa: E402
from processing.modeler.ModelerParametersDialog import ModelerParametersDialog  # noqa: E402
from qgis.core import QgsProcessingModelAlgorithm  # noqa: E402

for alg in plugin.provider.algorithms():
    for make in (AlgorithmDialog, BatchAlgorithmDialog,
                 lambda a: ModelerParametersDialog(a, QgsProcessingModelAlgorithm())):
        dialog = make(alg.create())
        print(f"{alg.id()} {type(dialog).__name__} {dialog.windowTitle()}")
        dialog.close()
plugin.unload()
