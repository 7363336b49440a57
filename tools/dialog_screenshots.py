"""Screenshots of two Chaînon dialogs (snow cover, crop yield) and of the
Layers panel after a snow cover run, grabbed with QWidget.grab() in an
offscreen QGIS GUI, for a version of the plugin given by its folder.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/dialog_screenshots.py PLUGIN_DIR OUT_DIR

Before/after pictures of issue 12: run it on this tree and on an older one
(e.g. `git archive 942d644^ | tar -x -C /tmp/before`)."""
import sys
import tempfile
from pathlib import Path
from unittest import mock

plugin_dir, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
out.mkdir(parents=True, exist_ok=True)
work = Path(tempfile.mkdtemp(prefix="chainon-shots-"))
(work / "chainon").symlink_to(plugin_dir, target_is_directory=True)
sys.path.insert(0, str(work))
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import QgsApplication, QgsProject  # noqa: E402

app = QgsApplication([], True)
app.initQgis()
import qgis.utils  # noqa: E402
from qgis.gui import QgsBrowserGuiModel, QgsLayerTreeView, QgsMapCanvas  # noqa: E402
from qgis.core import QgsLayerTreeModel  # noqa: E402

view = QgsLayerTreeView()
view.setModel(QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), view))
browser, canvas = QgsBrowserGuiModel(), QgsMapCanvas()
qgis.utils.iface = mock.MagicMock(browserModel=lambda: browser, layerTreeView=lambda: view,
                                  mapCanvas=lambda: canvas, activeLayer=lambda: None)

from processing.core.Processing import Processing  # noqa: E402
import chainon  # noqa: E402
Processing.initialize()
plugin = chainon.classFactory(None)
plugin.initProcessing()
from processing.gui import AlgorithmDialog as module  # noqa: E402
module.iface = qgis.utils.iface
import processing  # noqa: E402


def grab(widget, name, width, height):
    widget.resize(width, height)
    widget.show()
    for _ in range(5):
        app.processEvents()
    widget.grab().save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


for alg_id in ("snow_cover", "crop_yield"):
    dialog = module.AlgorithmDialog(
        QgsApplication.processingRegistry().algorithmById(f"chainon:{alg_id}").create())
    grab(dialog, f"dialog_{alg_id}", 760, 980)
    dialog.close()

from chainon.core.scenes.snow import make_snow_scene  # noqa: E402
scene = make_snow_scene(work / "scene", seed=3, size=96)
processing.runAndLoadResults("chainon:snow_cover", {
    "S2_FOLDER": str(scene.s2_folder), "DEM": str(scene.dem_path),
    "OUTPUT_FOLDER": str(work / "maps"), "OUTPUT": str(work / "scd.tif"),
    "OUTPUT_SOD": str(work / "sod.tif"), "OUTPUT_SMOD": str(work / "smod.tif"),
    "OUTPUT_NOBS": str(work / "nobs.tif")})
panel = QgsLayerTreeView()          # the Layers panel as QGIS shows it after the run
panel.setModel(QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), panel))
grab(panel, "layers_after_snow_run", 420, 900)
plugin.unload()
