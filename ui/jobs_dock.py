"""The Jobs dock: the user's compute-centre jobs, refreshed on their own in a
background task (QGIS never freezes on the network), with cancel and
"load results" for finished national jobs."""
import re
from datetime import datetime

from qgis.core import QgsApplication, QgsProject, QgsRasterLayer, QgsTask
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtXml import QDomDocument
from qgis.PyQt.QtWidgets import (QAbstractItemView, QDockWidget, QHBoxLayout, QHeaderView,
                                 QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                                 QVBoxLayout, QWidget)

from ..algorithms.i18n import tr
from ..core.catalog import PRODUCTS, N_
from ..core.qml import qml_for
from ..core.styles import period_style
from ..remote import settings
from ..remote.results import period, result_layers

HEADERS = (N_("Product"), N_("Status"), N_("Progress"), N_("Submitted"), N_("Message"))
STATUSES = {"accepted": N_("Queued"), "running": N_("Running"), "successful": N_("Done"),
            "failed": N_("Failed"), "dismissed": N_("Cancelled")}
MESSAGES = (   # the service's messages (backend/runner.py, store.py), in the user's language
    (r"Accepted", lambda m: tr("Waiting for a worker")),
    (r"Running", lambda m: tr("Running")),
    (r"Dismissed by its owner", lambda m: tr("Cancelled by you")),
    (r"Writing the national mosaics and the STAC collection",
     lambda m: tr("Writing the national mosaics")),
    (r"(\d+) of (\d+) tiles (done|processed)(.*)", lambda m: tiles_done(m)),
)
REFRESH_MS = 15000


def tiles_done(match):
    done, total, rest = int(match.group(1)), int(match.group(2)), match.group(4)
    text = (tr("{done} of {total} tile done") if total == 1
            else tr("{done} of {total} tiles done")).format(done=done, total=total)
    failed = re.match(r"; (\d+) failed: (.*)", rest or "")
    if failed:
        n = int(failed.group(1))
        text += "; " + (tr("{n} failed: {why}") if n != 1 else tr("1 failed: {why}")).format(
            n=n, why=failed.group(2))
    return text


def message_text(message):
    """A service message in the user's language (unknown ones as they are)."""
    for pattern, translate in MESSAGES:
        match = re.fullmatch(pattern, message or "")
        if match:
            return translate(match)
    return message or ""


def product_title(process_id):
    product = PRODUCTS.get(process_id)
    return tr(product.title) if product else process_id


def when(iso):
    """An ISO timestamp as local date and time to the minute."""
    try:
        return datetime.fromisoformat(str(iso).replace("Z", "+00:00")).astimezone() \
            .strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(iso or "")


def jobs_count(n):
    return tr("1 job") if n == 1 else tr("{n} jobs").format(n=n)


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
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
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
            progress = job.get("progress")
            cells = (product_title(job.get("processID")),
                     tr(STATUSES.get(job.get("status"), job.get("status") or "")),
                     "" if progress is None else f"{progress:.0f} %",
                     when(job.get("created")), message_text(job.get("message")))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tr("Job {job}").format(job=job.get("jobID")))
                self.table.setItem(row, col, item)
            self.table.item(row, 0).setData(Qt.ItemDataRole.UserRole,
                                            (job.get("jobID"), job.get("processID")))
        self.status.setText(jobs_count(len(jobs)))

    def selected(self):
        """(job id, process id) of the selected row, or (None, None)."""
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else (None, None)

    def selected_job(self):
        return self.selected()[0]

    def cancel(self):
        job_id = self.selected_job()
        if job_id:
            client = settings.client()
            self._run(tr("Cancelling a Chaînon job"), lambda: client.dismiss(job_id),
                      lambda _: self.refresh())

    def load_results(self):
        job_id, process = self.selected()
        if job_id:
            client = settings.client()
            self._run(tr("Fetching job results"), lambda: fetch_results(client, job_id),
                      lambda found: self.add_layers(client, process, *found))

    def add_layers(self, client, process, results, start=None, end=None):
        """Mosaics and per-tile COGs of any product, styled like a local run
        (catalog style stretched to the job's period); the token goes to GDAL
        for this service's files only. Returns the layers added."""
        added = []
        outputs = {o.key: tr(o.title) for o in PRODUCTS[process].outputs} \
            if process in PRODUCTS else {}
        for name, key, uri in result_layers(results, client.token_for, outputs.get):
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


