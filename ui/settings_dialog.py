"""Compute-centre settings: the service URL and the user's token, pasted as
the compute centre gave it and kept in the QGIS authentication database
(never in plain settings); "Test connection" tries both."""
from qgis.PyQt.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                                 QLineEdit, QPushButton, QVBoxLayout)

from ..algorithms.i18n import tr
from ..remote import settings
from ..remote.client import ProcessesClient, ServiceError


class SettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Chaînon compute centre"))
        self.url = QLineEdit(settings.service_url())
        self.user = QLineEdit(settings.user_name() or "")
        self.user.setPlaceholderText(tr("your user name at the compute centre"))
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(tr("kept as it is") if settings.authcfg()
                                      else tr("paste the token the compute centre gave you"))
        form = QFormLayout()
        form.addRow(tr("Service URL"), self.url)
        form.addRow(tr("User"), self.user)
        form.addRow(tr("Token"), self.token)
        self.result = QLabel()
        self.result.setWordWrap(True)
        test = QPushButton(tr("Test connection"))
        test.clicked.connect(self.test_connection)
        row = QHBoxLayout()
        row.addWidget(test)
        row.addWidget(self.result, 1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self._show_authcfg(settings.authcfg())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def _show_authcfg(self, authcfg):
        self.note.setText(tr(
            "The token is kept in the QGIS authentication database (configuration {id}: "
            "give it as AUTHCFG to qgis_process).").format(id=authcfg) if authcfg else tr(
            "The token will be kept in the QGIS authentication database, encrypted by its "
            "master password."))

    def _token(self):
        return self.token.text().strip() or settings.token(settings.authcfg())

    def test_connection(self):
        """Lists the user's jobs: needs both the service and a valid token."""
        client = ProcessesClient(self.url.text().strip(), self._token())
        try:
            n = len(client.jobs())
        except ServiceError as e:
            text = (tr("The compute centre refused the token (401): check it.")
                    if e.status == 401 else str(e))
            self.result.setText(text)
            return False
        self.result.setText(tr("Connected: 1 job.") if n == 1
                            else tr("Connected: {n} jobs.").format(n=n))
        return True

    def accept(self):
        authcfg = settings.authcfg()
        if self.token.text().strip():
            try:
                authcfg = settings.store_token(self.user.text().strip() or "user",
                                               self.token.text().strip(), authcfg or None)
            except RuntimeError:
                self.result.setText(tr("QGIS could not store the token: set the master "
                                       "password of the authentication database first."))
                return
        settings.save(self.url.text().strip(), authcfg)
        self._show_authcfg(authcfg)
        super().accept()
