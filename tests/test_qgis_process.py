"""The plugin zip installed into a fresh QGIS profile, driven by qgis_process."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import rasterio

ROOT = Path(__file__).resolve().parents[1]
QGIS_PROCESS = "/usr/bin/qgis_process.bin"


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    base = tmp_path_factory.mktemp("qgis_config")
    zip_path = base / "chainon.zip"
    subprocess.run([sys.executable, str(ROOT / "tools" / "package.py"), str(zip_path)], check=True)
    plugins = base / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as z:
        names = z.namelist()
        assert not any(n.startswith(("chainon/tests/", "chainon/backend/")) for n in names)
        z.extractall(plugins)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(base))
    qgis_process(env, "plugins", "enable", "chainon")
    return env


def qgis_process(env, *args):
    out = subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    return out.stdout


def run_json(env, alg, **params):
    args = [f"{k}={v}" for k, v in params.items()]
    return json.loads(qgis_process(env, "--json", "run", alg, "--", *args))["results"]


def test_listed(profile):
    listing = qgis_process(profile, "list")
    assert "chainon:snow_cover" in listing and "chainon:sample_data" in listing


def test_help_lists_parameters(profile):
    text = qgis_process(profile, "help", "chainon:snow_cover")
    for name in ("S2_FOLDER", "DEM", "EXTENT", "START", "END", "OUTPUT_FOLDER", "OUTPUT"):
        assert name in text


def test_run_sample_data_then_snow_cover(profile, tmp_path):
    scene = run_json(profile, "chainon:sample_data", SIZE=48, SEED=4,
                     OUTPUT_FOLDER=tmp_path / "scene")
    result = run_json(profile, "chainon:snow_cover", S2_FOLDER=scene["S2_FOLDER"],
                      DEM=scene["DEM"], START="2017-10-01", END="2018-06-30",
                      OUTPUT_FOLDER=tmp_path / "maps", OUTPUT=tmp_path / "scd.tif",
                      OUTPUT_SOD=tmp_path / "sod.tif", OUTPUT_SMOD=tmp_path / "smod.tif",
                      OUTPUT_NOBS=tmp_path / "nobs.tif")
    maps = sorted(Path(result["OUTPUT_FOLDER"]).glob("SNOW_*.tif"))
    assert maps and all("20171001" <= m.stem.split("_")[-1] <= "20180630" for m in maps)
    with rasterio.open(result["OUTPUT"]) as ds:
        assert ds.read(1).max() <= 273
