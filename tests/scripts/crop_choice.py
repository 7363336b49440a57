"""Opens chainon:crop_yield's dialog in a real (offscreen) QGIS GUI, gives it
a parcel layer (argv[1]) and prints the crops its Crop list offers, the
field pre-selected for the crop, then the parameters the form shows as
required (no "[optional]" in their label)."""
import sys

from gui_plugin import start

app, plugin = start()
from processing.gui.AlgorithmDialog import AlgorithmDialog  # noqa: E402
from processing.tools.dataobjects import createContext  # noqa: E402
from qgis.core import QgsApplication  # noqa: E402

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
