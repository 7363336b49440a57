"""The README's shell blocks run as written, so that it cannot drift: each
block is run (in order, one shell per command, from the repository root) or
skipped here with its reason. The test's own folder stands for the user's:
HOME (the QGIS profile the plugin is unzipped into), /tmp, and the
compute centre's job store (CHAINON_STORE, its documented override) and port."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SKIPPED = {   # a command the block holds: why this test does not run it
    "make demo": "make demo takes about 2 minutes (sample scene, snow cover, compute centre); "
                 "run it by hand",
    "make test": "make test is the whole test suite, this test included",
    "backend.benchmark": "the benchmarks take several minutes each",
    "tools/benchmark.py": "the benchmark table takes about an hour (tests/test_benchmark.py "
                          "runs it on tiny scenes)",
}
SETTINGS = """
import sys
from qgis.core import QgsApplication
app = QgsApplication([], False, sys.argv[1])
app.initQgis()
from qgis.PyQt.QtCore import QSettings
from chainon.remote import settings
QgsApplication.authManager().setMasterPassword(sys.argv[2], True)
authcfg = settings.store_token("alice", sys.argv[3])
ini = QSettings(sys.argv[1] + "/QGIS/QGIS3.ini", QSettings.IniFormat)  # what qgis_process reads
ini.setValue(settings.URL_KEY, sys.argv[4])
ini.setValue(settings.AUTHCFG_KEY, authcfg)
ini.sync()
print(authcfg)
"""


def blocks():
    return re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def commands(block):
    """The block's commands, continuation lines joined."""
    return [c.strip() for c in re.sub(r"\\\n", " ", block).splitlines()
            if c.strip() and not c.strip().startswith("#")]


def skip_reason(block):
    return next((why for what, why in SKIPPED.items() if what in block), None)


@pytest.mark.parametrize("block", [b for b in blocks() if skip_reason(b)],
                         ids=lambda b: commands(b)[0][:30])
def test_long_blocks_are_skipped_with_their_reason(block):
    pytest.skip(skip_reason(block))


def test_the_plugin_default_is_the_service_default():
    from chainon.remote.settings import DEFAULT_URL
    serve = next(c for b in blocks() for c in commands(b) if "backend serve" in c)
    bind = re.search(r"--bind (\S+)", serve).group(1)
    assert DEFAULT_URL == f"http://{bind}"


def test_readme_commands_run(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen",
               CHAINON_STORE=f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    env.pop("QGIS_CUSTOM_CONFIG_PATH", None)
    state = {"tmp": tmp_path, "env": env, "service": None}
    try:
        for block in blocks():
            if skip_reason(block):
                continue
            for command in commands(block):
                run(command.replace("/tmp/", f"{tmp_path}/"), state)
    finally:
        if state["service"] is not None:
            os.killpg(state["service"].pid, signal.SIGTERM)
            state["service"].wait(30)
    assert (tmp_path / "scd.tif").exists() and list((tmp_path / "snow").glob("SNOW_*.tif"))
    assert (tmp_path / "scd_31TCJ.tif").exists()


def run(command, state):
    assignment = re.fullmatch(r"(?:export )?([A-Z_]+)=(\S+)", command)
    if assignment:             # a variable for the next commands
        name, value = assignment.groups()
        state["env"][name] = os.path.expanduser(value.replace("~", state["env"]["HOME"], 1))
        return
    if "backend serve" in command:
        return serve(command, state)
    if "<id>" in command:
        command = command.replace("<id>", settings_dialog(state))
    out = subprocess.run(["bash", "-c", command], cwd=ROOT, env=state["env"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, f"{command}\n{out.stdout[-1500:]}\n{out.stderr[-1500:]}"
    if "users add" in command:
        state["token"] = out.stdout.strip().splitlines()[-1]


def serve(command, state):
    """The service in the background, on a free port of 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = re.sub(r"--bind \S+", f"--bind 127.0.0.1:{port}", command)
    log = open(state["tmp"] / "service.log", "w")
    state["service"] = subprocess.Popen(["bash", "-c", "exec " + command], cwd=ROOT,
                                        env=state["env"], stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
    state["url"] = f"http://127.0.0.1:{port}"
    for _ in range(300):
        assert state["service"].poll() is None, (state["tmp"] / "service.log").read_text()
        try:
            urllib.request.urlopen(state["url"] + "/processes", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("the service did not answer")


def settings_dialog(state):
    """What the user does in the settings dialog: the token (and this test's
    URL) saved in the profile qgis_process uses; the master password in the
    file the README names. Returns the authentication configuration id."""
    home = Path(state["env"]["HOME"])
    (home / ".qgis-master").write_text("readme-test\n")
    profile = home / ".local" / "share" / "QGIS" / "QGIS3" / "profiles" / "default"
    sys_path = str(ROOT / ".pkgroot")
    out = subprocess.run([sys.executable, "-c", SETTINGS, str(profile), "readme-test",
                          state["token"], state["url"]], env=dict(state["env"],
                                                                  PYTHONPATH=sys_path),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-1500:]
    return out.stdout.strip().splitlines()[-1]
