"""The Jobs dock and the compute-centre settings dialog read as a person
expects: product titles, statuses and messages in words, plurals right; the
token pasted once, kept in the authentication database, tested."""
import http.server
import json
import threading

import pytest
from qgis.core import QgsApplication, QgsSettings

from chainon.remote import settings
from chainon.ui.jobs_dock import JobsDock, message_text
from chainon.ui.settings_dialog import SettingsDialog

JOBS = [{"jobID": "a1", "processID": "snow_cover", "status": "successful", "progress": 100,
         "created": "2026-12-05T20:01:02Z", "message": "4 of 4 tiles done"},
        {"jobID": "b2", "processID": "forest_cuts", "status": "running", "progress": 25,
         "created": "2026-12-05T20:03:00Z", "message": "1 of 1 tiles processed"},
        {"jobID": "c3", "processID": "land_cover", "status": "accepted", "progress": 0,
         "created": "2026-12-05T20:04:00Z", "message": "Accepted"}]


@pytest.fixture
def dock(qgis_app):
    dock = JobsDock()
    dock.timer.stop()
    yield dock
    dock.deleteLater()


def cells(dock, row):
    return [dock.table.item(row, c).text() for c in range(dock.table.columnCount())]


def test_jobs_dock_reads_as_words(dock):
    dock.show_jobs(JOBS)
    headers = [dock.table.horizontalHeaderItem(c).text() for c in range(5)]
    assert headers == ["Product", "Status", "Progress", "Submitted", "Message"]
    first = cells(dock, 0)
    assert first[:3] == ["Snow cover (Let It Snow)", "Done", "100 %"]
    assert len(first[3]) == 16 and first[4] == "4 of 4 tiles done"
    assert cells(dock, 1)[1] == "Running" and cells(dock, 1)[4] == "1 of 1 tile done"
    assert cells(dock, 2)[1] == "Queued" and cells(dock, 2)[4] == "Waiting for a worker"
    assert dock.status.text() == "3 jobs"
    dock.table.selectRow(1)
    assert dock.selected() == ("b2", "forest_cuts")
    dock.show_jobs(JOBS[:1])
    assert dock.status.text() == "1 job"


def test_service_messages_translated():
    assert message_text("3 of 5 tiles done; 1 failed: 31TCJ (no data)") == \
        "3 of 5 tiles done; 1 failed: 31TCJ (no data)"
    assert message_text("Dismissed by its owner") == "Cancelled by you"
    assert message_text("something new") == "something new"


@pytest.fixture
def stub_service():
    """/jobs answering alice's token only."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            ok = self.headers.get("Authorization") == "Bearer good-token"
            body = json.dumps({"jobs": JOBS[:2]} if ok else {"detail": "bad token"}).encode()
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_settings_take_the_token_and_test_it(qgis_app, stub_service):
    QgsApplication.authManager().setMasterPassword("chainon-tests", True)
    dialog = SettingsDialog()
    dialog.url.setText(stub_service)
    dialog.user.setText("alice")
    dialog.token.setText("wrong")
    assert not dialog.test_connection() and "401" in dialog.result.text()
    dialog.token.setText("good-token")
    assert dialog.test_connection() and dialog.result.text() == "Connected: 2 jobs."
    dialog.accept()
    authcfg = settings.authcfg()
    assert settings.token(authcfg) == "good-token" and settings.user_name() == "alice"
    assert settings.service_url() == stub_service
    stored = {k: QgsSettings().value(k) for k in QgsSettings().allKeys() if "chainon" in k}
    assert "good-token" not in str(stored)
    again = SettingsDialog()            # the token stays, unseen, and still works
    assert again.token.text() == "" and authcfg in again.note.text()
    assert again.test_connection()


def test_welcome_page_says_what_each_product_needs(provider):
    from chainon.ui.welcome import welcome_html
    html = welcome_html(provider)
    products = [a for a in provider.algorithms()
                if getattr(a, "product", None) and a.name() == a.product.id]
    assert len(products) == 8
    for alg in products:
        assert alg.displayName() in html
    snow = html[html.index("Snow cover"):]
    assert "Digital elevation model" in snow.split("<h3>")[0]
    assert 'scenario "snow"' in html and 'scenario "forest_cuts"' in html


def test_plugin_menu_offers_the_welcome_page(qgis_iface, provider, monkeypatch):
    from chainon import classFactory
    plugin = classFactory(qgis_iface)
    monkeypatch.setattr(plugin, "initProcessing", lambda: None)   # the session's provider
    plugin.initGui()
    try:
        assert [a.text() for a in plugin.actions][0] == "Welcome"
    finally:
        plugin.unload()


LANG_FR = """
import sys
sys.path.insert(0, sys.argv[2])
from qgis.core import QgsApplication
QgsApplication.setTranslation("fr")          # what `qgis --lang fr` does
app = QgsApplication([], False, sys.argv[1])
app.initQgis()
import chainon
plugin = chainon.classFactory(None)
plugin.initProcessing()
print(plugin.provider.algorithm("snow_cover").displayName())
plugin.unload()
"""


def test_qgis_started_with_lang_fr_shows_the_plugin_in_french(tmp_path):
    """`--lang fr` without the locale override left the plugin in English."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    out = subprocess.run([sys.executable, "-c", LANG_FR, str(tmp_path), str(root / ".pkgroot")],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "Couverture neigeuse (Let It Snow)"


def test_metadata_describes_the_plugin_as_it_is():
    from pathlib import Path
    text = (Path(__file__).resolve().parents[1] / "metadata.txt").read_text(encoding="utf-8")
    about = text.lower()
    for words in ("snow cover", "land cover", "mowing date", "crop yield", "co2 flux",
                  "irrigation", "clear-cuts", "forest height", "compute centre"):
        assert words in about, words
    assert "later sentinel-1" not in about and " next." not in about
