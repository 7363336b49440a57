"""Compute-centre settings: service URL and the QGIS authentication
configuration holding the user's token."""
from qgis.gui import QgsAuthConfigSelect
from qgis.PyQt.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                                 QVBoxLayout)

from ..algorithms.i18n import tr
from ..remote import settings


class SettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Chaînon compute centre"))
        self.url = QLineEdit(settings.service_url())
        self.auth = QgsAuthConfigSelect(self)
        self.auth.setConfigId(settings.authcfg())
        form = QFormLayout()
        form.addRow(tr("Service URL"), self.url)
        form.addRow(tr("Authentication"), self.auth)
        note = QLabel(tr("Your token is kept in the QGIS authentication database: create a "
                         "'Basic' configuration whose password is the token the compute "
                         "centre gave you."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def accept(self):
        settings.save(self.url.text().strip(), self.auth.configId())
        super().accept()
