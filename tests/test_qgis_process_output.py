"""What qgis_process prints for Chaînon: help as plain text, each error once."""
import contextlib
import re
import subprocess

import numpy as np
import rasterio
from rasterio.transform import from_origin

from test_qgis_process import QGIS_PROCESS, profile, qgis_process  # noqa: F401 - fixture

ALGORITHMS = ("snow_cover", "land_cover", "forest_cuts", "forest_height", "mowing_date",
              "crop_yield", "irrigation", "crop_carbon", "sample_data")


def test_help_is_plain_text(profile):  # noqa: F811
    text = qgis_process(profile, "help", "chainon:snow_cover")
    assert_plain(text)
    assert "- Digital elevation model: " in text


def test_every_help_is_plain_text_in_a_terminal(provider, monkeypatch):
    from chainon.algorithms import console
    monkeypatch.setattr(console, "in_terminal", lambda: True)
    for alg in ALGORITHMS:
        algorithm = provider.algorithm(alg)
        text = algorithm.shortHelpString()
        assert_plain(text)
        assert algorithm.shortDescription() not in text   # qgis_process prints it just before


def assert_plain(text):
    assert not re.search(r"&[a-z]+;|&#\d+;|</?(p|li|ul|b|h3)>", text), text[:500]


def test_each_error_printed_once(profile, tmp_path):  # noqa: F811
    """qgis_process printed each failure three times (its "ERROR:" line and
    two echoes of the message log)."""
    with rasterio.open(tmp_path / "dem.tif", "w", driver="GTiff", width=4, height=4, count=1,
                       dtype="float32", crs="EPSG:32631",
                       transform=from_origin(300000, 4800000, 20, 20)) as ds:
        ds.write(np.zeros((1, 4, 4), "float32"))
    out = subprocess.run([QGIS_PROCESS, "run", "chainon:snow_cover", "--",
                          f"S2_FOLDER={tmp_path / 'missing'}", f"DEM={tmp_path / 'dem.tif'}",
                          f"OUTPUT_FOLDER={tmp_path / 'maps'}", f"OUTPUT={tmp_path / 'scd.tif'}"],
                         env=profile, capture_output=True, text=True, timeout=300)
    assert out.returncode != 0
    lines = [line for line in (out.stdout + out.stderr).splitlines()
             if "missing" in line and not line.startswith("S2_FOLDER:")]
    assert len(lines) == 1 and lines[0].startswith("ERROR:"), out.stderr


def test_only_qgis_process_echo_is_replaced(qgis_app, monkeypatch):
    """Under qgis_process, echo_errors_once disconnected every listener of the
    message log (other plugins', QGIS's); it replaces only qgis_process's
    echo, the one connected with the application as receiver."""
    from qgis.core import Qgis, QgsApplication

    from chainon.algorithms import console
    monkeypatch.setattr(console, "in_terminal", lambda: True)
    monkeypatch.setattr(console, "_echo", [])
    log, app = QgsApplication.messageLog(), QgsApplication.instance()
    signal = log.messageReceived[str, str, Qgis.MessageLevel]
    echoed, heard = [], []
    on_echo = echoed.append
    app.objectNameChanged.connect(on_echo)
    signal.connect(app.objectNameChanged)   # stands for qgis_process's echo
    listener = lambda message, tag, level: heard.append(message)  # noqa: E731
    signal.connect(listener)
    try:
        console.echo_errors_once()
        log.logMessage("a plugin's message", "plugin", Qgis.MessageLevel.Info)
        assert heard == ["a plugin's message"] and echoed == []
        assert len(console._echo) == 1
    finally:
        for slot in [listener, app.objectNameChanged] + console._echo:
            with contextlib.suppress(TypeError):    # already dropped
                signal.disconnect(slot)
        app.objectNameChanged.disconnect(on_echo)
