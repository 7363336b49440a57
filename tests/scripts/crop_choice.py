"""Opens chainon:crop_yield's dialog in a real (offscreen) QGIS GUI, gives it
a parcel layer (argv[1]) and prints the crops its Crop list offers, the
field pre-selected for the crop, then the parameters the form shows as
required (no "[optional]" in their label)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / ".pkgroot"))
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import QgsApplication  # noqa: E402

app = QgsApplication([], True)
app.initQgis()
from processing.core.Processing import Processing  # noqa: E402
from processing.gui.AlgorithmDialog import AlgorithmDialog  # noqa: E402
from processing.tools.dataobjects import createContext  # noqa: E402

import chainon  # noqa: E402

Processing.initialize()
plugin = chainon.classFactory(None)
plugin.initProcessing()
alg = QgsApplication.processingRegistry().algorithmById("chainon:crop_yield")
dialog = AlgorithmDialog(alg.create())
wrappers = dialog.mainWidget().wrappers
wrappers["PARCELS"].setParameterValue(sys.argv[1], createContext())
crop = wrappers["CROP"]
print(",".join(crop.widget.itemText(i) for i in range(crop.widget.count())))
print(wrappers["CROP_FIELD"].parameterValue())
print(",".join(name for name, w in wrappers.items()
               if w.wrappedLabel() and "[optional]" not in w.wrappedLabel().text()))
dialog.close()
plugin.unload()
