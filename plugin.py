"""Registers the Processing provider; in the QGIS window, also the
compute-centre settings and the Jobs dock (Plugins ▸ Chaînon)."""
from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtGui import QIcon

from .algorithms.i18n import install_translator, tr

ICON = str(Path(__file__).resolve().parent / "resources" / "icons" / "chainon.svg")


class ChainonPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.actions = []
        self.dock = None

    def initProcessing(self):  # noqa: N802 - QGIS API
        from .algorithms.console import echo_errors_once
        from .algorithms.provider import ChainonProvider
        install_translator()
        echo_errors_once()
        if self.provider is None:
            self.provider = ChainonProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 - QGIS API
        self.initProcessing()
        if self.iface is None:
            return
        try:                # Qt 6 (QGIS 4) moved QAction to QtGui
            from qgis.PyQt.QtGui import QAction
        except ImportError:
            from qgis.PyQt.QtWidgets import QAction
        for label, slot in ((tr("Welcome"), self.show_welcome),
                            (tr("Compute-centre settings…"), self.show_settings),
                            (tr("Compute-centre jobs"), self.show_jobs)):
            action = QAction(QIcon(ICON), label, self.iface.mainWindow())
            action.triggered.connect(slot)
            self.iface.addPluginToMenu("Chaînon", action)
            self.actions.append(action)

    def show_welcome(self):
        from .ui.welcome import WelcomeDialog
        WelcomeDialog(self.iface.mainWindow()).exec()

    def show_settings(self):
        from .ui.settings_dialog import SettingsDialog
        SettingsDialog(self.iface.mainWindow()).exec()

    def show_jobs(self):
        from qgis.PyQt.QtCore import Qt

        from .ui.jobs_dock import JobsDock
        if self.dock is None:
            self.dock = JobsDock(self.iface.mainWindow())
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.show()
        self.dock.refresh()

    def unload(self):
        for action in self.actions:
            self.iface.removePluginMenu("Chaînon", action)
        self.actions = []
        if self.dock is not None:
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
