"""The Jobs dock: the user's compute-centre jobs, refreshed on their own in a
background task (QGIS never freezes on the network), with cancel and
"load results" for finished national jobs."""
from qgis.core import QgsApplication, QgsProject, QgsRasterLayer, QgsTask
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtXml import QDomDocument
from qgis.PyQt.QtWidgets import (QAbstractItemView, QDockWidget, QHBoxLayout, QLabel,
                                 QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                                 QWidget)

from ..algorithms.i18n import tr
from ..core.catalog import PRODUCTS
from ..core.qml import qml_for
from ..core.styles import period_style
from ..remote import settings
from ..remote.results import period, result_layers

COLUMNS = ("jobID", "processID", "status", "progress", "created", "message")
REFRESH_MS = 15000


class FetchTask(QgsTask):
    """Runs one client call off the main thread."""

    def __init__(self, description, call):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.call, self.result, self.error = call, None, None

    def run(self):
        try:
            self.result = self.call()
        except Exception as e:  # noqa: BLE001 - reported in the dock, never raised in Qt
            self.error = str(e)
        return True


def fetch_results(client, job_id):
    """(results document, start, end) of a finished job (network: off the main thread)."""
    results = client.results(job_id)
    return (results, *period(client, results))


class JobsDock(QDockWidget):
    def __init__(self, parent=None):
        super().__init__(tr("Chaînon jobs"), parent)
        self.setObjectName("ChainonJobsDock")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr("Job"), tr("Product"), tr("Status"),
                                              tr("Progress (%)"), tr("Created"), tr("Message")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.status = QLabel()
        buttons = QHBoxLayout()
        for label, slot in ((tr("Refresh"), self.refresh), (tr("Cancel job"), self.cancel),
                            (tr("Load results"), self.load_results)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout()
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        body = QWidget()
        body.setLayout(layout)
        self.setWidget(body)
        self.tasks = []
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(REFRESH_MS)

    def _run(self, description, call, done):
        task = FetchTask(description, call)
        task.taskCompleted.connect(lambda: self._finished(task, done))
        self.tasks.append(task)          # keep a reference until it ends
        QgsApplication.taskManager().addTask(task)

    def _finished(self, task, done):
        self.tasks.remove(task)
        if task.error:
            self.status.setText(task.error)
        else:
            done(task.result)

    def refresh(self):
        client = settings.client()
        self._run(tr("Listing Chaînon jobs"), client.jobs, self.show_jobs)

    def show_jobs(self, jobs):
        self.table.setRowCount(len(jobs))
        for row, job in enumerate(jobs):
            for col, key in enumerate(COLUMNS):
                self.table.setItem(row, col, QTableWidgetItem(str(job.get(key, ""))))
        self.status.setText(tr("{n} jobs").format(n=len(jobs)))

    def selected_job(self):
        row = self.table.currentRow()
        return self.table.item(row, 0).text() if row >= 0 and self.table.item(row, 0) else None

    def cancel(self):
        job_id = self.selected_job()
        if job_id:
            client = settings.client()
            self._run(tr("Cancelling a Chaînon job"), lambda: client.dismiss(job_id),
                      lambda _: self.refresh())

    def load_results(self):
        job_id = self.selected_job()
        if job_id:
            process = self.table.item(self.table.currentRow(), 1).text()
            client = settings.client()
            self._run(tr("Fetching job results"), lambda: fetch_results(client, job_id),
                      lambda found: self.add_layers(client, process, *found))

    def add_layers(self, client, process, results, start=None, end=None):
        """Mosaics and per-tile COGs of any product, styled like a local run
        (catalog style stretched to the job's period); the token goes to GDAL
        for this service's files only. Returns the layers added."""
        added = []
        for name, key, uri in result_layers(results, client.token):
            layer = QgsRasterLayer(uri, name, "gdal")
            if not layer.isValid():
                self.status.setText(tr("Could not open {name}").format(name=name))
                continue
            if process in PRODUCTS and key in {o.key for o in PRODUCTS[process].outputs}:
                output, ramp_max = period_style(process, key, start, end)
                doc = QDomDocument()
                doc.setContent(qml_for(output, tr, ramp_max))
                layer.importNamedStyle(doc)
            added.append(QgsProject.instance().addMapLayer(layer))
        return added

    def closeEvent(self, event):  # noqa: N802 - Qt API
        self.timer.stop()
        super().closeEvent(event)


