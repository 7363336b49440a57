"""Benchmark (not a test): a time-series product on Sen2Cor's JPEG 2000 files
against the same acquisitions as THEIA GeoTIFFs, ratios taken in one run.

Mowing date (detection) on a project mowing scene of `--size` px at 20 m (49
dates, 1 March - 31 October), then on its Sen2Cor copy
(core/sen2cor_copy.py), each in a fresh process (CPU s of all threads, peak
RSS); and the decoding of every JPEG 2000 input it reads, each file whole and
once: the floor a reader that decodes each tile once would reach.
Usage: python tools/benchmark_sen2cor_series.py [--size 768] [--work DIR]"""
import argparse
import glob
import json
import resource
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".pkgroot"))
READ = ("B02_10m", "B03_10m", "B04_10m", "B08_10m", "B11_20m", "SCL_20m")   # mowing's


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_mb():
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def child(s2, land_cover, out):
    from chainon.core.mowing_date import Grassland, run_mowing_date
    t = cpu_seconds()
    run_mowing_date(s2, out, Grassland(land_cover=land_cover, classes=(13.0,)),
                    start=date(2022, 3, 1), end=date(2022, 10, 31))
    print(json.dumps({"cpu": cpu_seconds() - t, "peak_mb": peak_mb()}))


def decode_once(copy):
    import rasterio
    t, n = cpu_seconds(), 0
    for code in READ:
        for path in glob.glob(f"{copy}/*/GRANULE/*/IMG_DATA/R*/*_{code}.jp2"):
            with rasterio.open(path) as ds:
                ds.read(1)
            n += 1
    return n, cpu_seconds() - t


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=768)
    parser.add_argument("--work", default="/tmp/chainon-bench-sen2cor")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    from chainon.core.scenes.mowing import make_mowing_scene
    from chainon.core.sen2cor_copy import write_sen2cor_copy
    from chainon.core.theia import find_products
    work = Path(args.work) / str(args.size)
    scene = make_mowing_scene(work / "scene", seed=0, size=args.size)
    copy = work / "S2C"
    if not copy.exists():
        for product in find_products(scene.s2_folder):
            write_sen2cor_copy(product, copy)
    runs = {}
    for label, s2 in (("THEIA GeoTIFF", scene.s2_folder), ("Sen2Cor JPEG 2000", copy)):
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        done = subprocess.run([sys.executable, __file__, "--child", str(s2),
                               str(scene.land_cover), str(out)],
                              capture_output=True, text=True, check=True)
        runs[label] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"mowing date, {label:18}: {runs[label]['cpu']:7.1f} CPU s, "
              f"peak {runs[label]['peak_mb']:.0f} MB", flush=True)
    n, floor = decode_once(copy)
    s2c, theia = runs["Sen2Cor JPEG 2000"]["cpu"], runs["THEIA GeoTIFF"]["cpu"]
    print(f"{n} JPEG 2000 inputs decoded whole once: {floor:.1f} CPU s")
    print(f"Sen2Cor / THEIA: {s2c / theia:.2f}; Sen2Cor beyond THEIA / decoding once: "
          f"{(s2c - theia) / floor:.2f}")


if __name__ == "__main__":
    main()
