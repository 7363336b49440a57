"""Starts QGIS with its locale set to French (as a French user's settings do)
and prints the plugin's names and a translated error as QGIS shows them."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / ".pkgroot"))
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import QgsApplication, QgsSettings  # noqa: E402

QgsApplication.setOrganizationName("QGIS")
QgsApplication.setApplicationName("QGIS3")
app = QgsApplication([], False, sys.argv[1])
settings = QgsSettings()
settings.setValue("locale/overrideFlag", True)
settings.setValue("locale/userLocale", "fr_FR")
app.initQgis()

import chainon  # noqa: E402
from chainon.algorithms.i18n import tr_error  # noqa: E402
from chainon.core.errors import InputError  # noqa: E402

plugin = chainon.classFactory(None)
plugin.initProcessing()
for alg in plugin.provider.algorithms():
    print(f"{alg.id()}|{alg.displayName()}|{alg.group()}")
print("error|" + tr_error(InputError("The start date {start} is after the end date {end}.",
                                     start="2018-05-01", end="2018-01-01")))
plugin.unload()
