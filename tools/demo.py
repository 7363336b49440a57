"""make demo: the plugin zip installed in a fresh QGIS profile; a synthetic
scene made and snow cover run through qgis_process; maps, PNG quicklooks and
the measured accuracy written to the output folder. Then the compute centre:
the service started on 127.0.0.1 with its embedded defaults over a small
simulated data lake of real French tiles, a national snow cover job sent
through the plugin's client, the mosaic loaded and its quicklook written,
the service stopped."""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".pkgroot"))
if not (ROOT / ".pkgroot" / "chainon").exists():
    (ROOT / ".pkgroot").mkdir(exist_ok=True)
    (ROOT / ".pkgroot" / "chainon").symlink_to(ROOT, target_is_directory=True)

from chainon.core.catalog import SNOW_COVER  # noqa: E402
from chainon.core.evaluation import raster_error, snow_accuracy  # noqa: E402
from chainon.core.quicklook import write_quicklook  # noqa: E402

QGIS_PROCESS = "/usr/bin/qgis_process.bin"
BACKEND_PY = ROOT / ".venv-backend" / "bin" / "python"
LAKE_TILES = "31TCJ,31TDJ,30TYP,31TCH"      # around Toulouse, two UTM zones
OWN_FOLDERS = ("qgis-profile", "sample_data", "snow_maps", "quicklooks", "compute_centre")


def install_plugin(out):
    """Unzips build/chainon.zip into a fresh QGIS profile under `out`."""
    config = out / "qgis-profile"
    plugins = config / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(ROOT / "build" / "chainon.zip") as z:
        z.extractall(plugins)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(config))
    qgis_process(env, "plugins", "enable", "chainon")
    return env


def qgis_process(env, *args):
    out = subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"qgis_process {' '.join(args[:3])} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


def run(env, alg, **params):
    print(f"qgis_process run {alg}")
    args = [f"{k}={v}" for k, v in params.items()]
    return json.loads(qgis_process(env, "--json", "run", alg, "--", *args))["results"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="demo_output")
    parser.add_argument("--size", type=int, default=240)
    args = parser.parse_args()
    out = Path(args.out).resolve()
    for folder in OWN_FOLDERS:     # a second run starts afresh (a fresh QGIS profile too)
        shutil.rmtree(out / folder, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    env = install_plugin(out)
    scene = run(env, "chainon:sample_data", SIZE=args.size, SEED=0,
                OUTPUT_FOLDER=out / "sample_data")
    maps = out / "snow_maps"
    result = run(env, "chainon:snow_cover", S2_FOLDER=scene["S2_FOLDER"], DEM=scene["DEM"],
                 OUTPUT_FOLDER=maps, OUTPUT=out / "SCD.tif", OUTPUT_SOD=out / "SOD.tif",
                 OUTPUT_SMOD=out / "SMOD.tif", OUTPUT_NOBS=out / "NOBS.tif")
    looks = out / "quicklooks"
    looks.mkdir(exist_ok=True)
    for key, name in (("OUTPUT", "SCD"), ("OUTPUT_SOD", "SOD"), ("OUTPUT_SMOD", "SMOD")):
        write_quicklook(result[key], looks / f"{name}.png", SNOW_COVER.output(key), 366)
    dated = sorted(maps.glob("SNOW_*.tif"))
    for path in dated[::6]:
        write_quicklook(path, looks / f"{path.stem}.png", SNOW_COVER.output("SNOW"))
    truth = Path(scene["TRUTH_FOLDER"])
    score = snow_accuracy(maps, truth)
    scd = raster_error(result["OUTPUT"], truth / "SCD_TRUTH.tif")
    print(f"\nResults in {out}\n  {len(dated)} snow maps in {maps}\n  quicklooks in {looks}")
    print("Measured against the simulator's ground truth (synthetic data):")
    print(f"  snow / no snow accuracy on clear pixels: {score['accuracy']:.2%} "
          f"({score['pixels']} pixels; published LIS figure: 94 %)")
    print(f"  snow cover duration error: MAE {scd['mae']:.1f} days, bias {scd['bias']:+.1f} days")
    compute_centre_demo(out / "compute_centre")


def backend(*args):
    return subprocess.run([str(BACKEND_PY), "-m", "backend", *args], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


def compute_centre_demo(out):
    out.mkdir(parents=True, exist_ok=True)
    store = f"sqlite:///{out / 'jobs.sqlite'}"
    print(f"\nCompute centre: simulated data lake over {LAKE_TILES}")
    backend("simulate-lake", str(out / "lake"), "--tiles", LAKE_TILES, "--size", "120")
    token = backend("users", "add", f"demo-{time.time():.0f}", "--store", store).strip()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with open(out / "service.log", "w") as log:
        service = subprocess.Popen(
            [str(BACKEND_PY), "-m", "backend", "serve", "--lake", str(out / "lake"),
             "--results", str(out / "results"), "--store", store,
             "--bind", f"127.0.0.1:{port}"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            national_job(f"http://127.0.0.1:{port}", token, out)
        finally:       # the service and its Dask workers
            os.killpg(service.pid, signal.SIGTERM)
            service.wait(30)
    print("Service stopped.")


def national_job(url, token, out):
    """Through the plugin's own client, as QGIS runs it."""
    from qgis.core import QgsApplication, QgsRasterLayer
    global _app   # lives until the process exits: tearing QGIS down by hand crashes
    _app = QgsApplication([], False)
    _app.initQgis()
    from chainon.core.blocks import Progress
    from chainon.remote.client import ProcessesClient, follow
    from chainon.remote.results import gdal_uri, mosaics
    client = ProcessesClient(url, token)
    for _ in range(300):
        try:
            client.processes()
            break
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    print(f"Service up at {url}; submitting a snow cover job")
    job = client.execute("snow_cover", {"area": LAKE_TILES.split(","),
                                        "start": str(date(2017, 12, 1)),
                                        "end": str(date(2018, 2, 28))})
    final = follow(client, job["jobID"], Progress(
        lambda p: print(f"  job {job['jobID'][:8]}: {p:.0f} %", flush=True)))
    print(f"Job {final['status']}: {final.get('message', '')}")
    if final["status"] != "successful":
        sys.exit(1)
    href = mosaics(client.results(job["jobID"]))["OUTPUT"]
    layer = QgsRasterLayer(gdal_uri(href, token), "Snow cover duration (France)", "gdal")
    print(f"Mosaic loaded in QGIS: valid={layer.isValid()}, {layer.width()} x "
          f"{layer.height()} px, {layer.crs().authid()}")
    png = write_quicklook(gdal_uri(href, token), out / "mosaic_SCD.png",
                          SNOW_COVER.output("OUTPUT"), 90)
    print(f"Mosaic quicklook: {png}")


if __name__ == "__main__":
    main()
