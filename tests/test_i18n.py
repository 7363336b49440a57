"""Every user-facing string is translated into French, and QGIS in French
shows the plugin in French."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import update_ts  # noqa: E402


def test_every_string_has_a_french_translation():
    strings = update_ts.extract()
    translations = update_ts.read_ts(ROOT / "i18n" / "chainon_fr.ts")
    missing = [s for s in strings if not translations.get(s)]
    assert len(strings) > 50
    assert not missing, f"untranslated (run tools/update_ts.py fr): {missing[:5]}"
    for source, french in translations.items():
        for field in ("{start}", "{end}", "{path}", "{band}", "{product}", "{folder}"):
            assert (field in source) == (field in (french or "")), (source, french)


def test_qgis_in_french_shows_the_plugin_in_french(tmp_path):
    assert (ROOT / "i18n" / "chainon_fr.qm").exists(), "run make translations"
    script = ROOT / "tests" / "scripts" / "french_names.py"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, str(script), str(tmp_path)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = dict(line.split("|", 1) for line in out.stdout.splitlines() if "|" in line)
    assert rows["chainon:snow_cover"] == "Couverture neigeuse (Let It Snow)|Neige et eau"
    assert "2018-05-01" in rows["error"] and "date de début" in rows["error"].lower()
