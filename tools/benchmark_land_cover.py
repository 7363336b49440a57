"""Benchmark (not a test): land cover inference on a year of 20 m Sentinel-2.

A full simulated tile-year (5490² px, 73 acquisitions, 18 files each, R1
bands at 10 m) would take ~70 GB of disk, so the product is measured on
simulated scenes of a few sizes, and with --full SIZE on one full-size
tile-year made of a SIZE px scene repeated (5490 / SIZE)² times: every file
of every product is a GDAL VRT, under the original .tif name, tiling the
small file. The reader, gap-filling, features, forest votes and COG writing
all run on 5490² px; only the disk reads are cheaper than real (the small
files stay in the page cache). Each measurement runs in its own process
(peaks do not mix):
- train: the OSO Random Forest (100 trees, depth 25, min split 5, up to
  10 000 pixels per class) on the smallest scene;
- read: the gap-filled iota2 features only (73 dates -> 37 dates x 13);
- apply: the whole product with that model (features, votes, 3 COGs).
Usage: python tools/benchmark_land_cover.py [--sizes 256 512] [--full 549] [--work DIR]"""
import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".pkgroot"))
TILE = 5490
START, END = date(2018, 1, 1), date(2018, 12, 31)


def scene(work, size):
    from chainon.core.scenes.land_cover import make_land_cover_scene
    folder = work / f"scene_{size}"
    if not (folder / "reference.geojson").exists():
        make_land_cover_scene(folder, seed=size, size=size)
    return folder


def child(mode, folder, out):
    """Runs in a fresh process; prints seconds and peak RSS as JSON."""
    folder, out = Path(folder), Path(out)
    t0 = time.perf_counter()
    if mode == "train":
        train(folder, out)
    elif mode == "read":
        read_features(folder)
    else:
        from chainon.core.land_cover import run_land_cover
        run_land_cover(folder / "S2", out / folder.name, model=out / "model.joblib",
                       start=START, end=END)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": time.perf_counter() - t0, "peak_mb": peak_rss_mb(),
                      "cpu_seconds": usage.ru_utime + usage.ru_stime}))


def train(folder, out):
    from chainon.core.land_cover import run_land_cover
    from chainon.core.training import read_geojson, reference_from_features
    features, crs = read_geojson(folder / "reference.geojson")
    run_land_cover(folder / "S2", out / "train", reference_from_features(features, "code", crs),
                   outputs={"OUTPUT_MODEL": out / "model.joblib"}, start=START, end=END)


def read_features(folder):
    """The product's feature reads alone, block by block, same engine."""
    from chainon.core.blocks import run_blocks, windows
    from chainon.core.land_cover import BLOCK
    from chainon.core.series import S2Series, select_series
    from chainon.core.theia import product_grid
    products, _, _, grid_dates = select_series(folder / "S2", START, END, 10)
    grid = product_grid(products[0])
    series = S2Series(products, grid, grid_dates)
    run_blocks(windows(grid.width, grid.height, BLOCK), series.read, lambda w, r: None)


def peak_rss_mb():
    """VmHWM of this process (ru_maxrss would carry the parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def full_tile(folder, work, size):
    """A 5490² px copy of the scene's products made of VRTs (see the docstring)."""
    import shutil

    import rasterio
    factor = TILE // size
    if factor * size != TILE:
        raise SystemExit(f"--full: {size} does not divide {TILE}")
    full = work / f"full_{size}"
    if (full / "done").exists():
        return full
    for src in (folder / "S2").rglob("*"):
        dst = full / "S2" / src.relative_to(folder / "S2")
        if src.is_dir():
            dst.mkdir(parents=True, exist_ok=True)
        elif src.suffix == ".tif":
            with rasterio.open(src) as ds:
                dst.write_text(_tiled_vrt(src, ds, factor))
        else:
            shutil.copy(src, dst)
    (full / "done").touch()
    return full


def _tiled_vrt(src, ds, factor):
    w, h = ds.width, ds.height
    t = ds.transform
    nodata = "" if ds.nodata is None else f"<NoDataValue>{ds.nodata:g}</NoDataValue>"
    sources = "".join(
        f'<SimpleSource><SourceFilename relativeToVRT="0">{src.resolve()}</SourceFilename>'
        f'<SourceBand>1</SourceBand><SrcRect xOff="0" yOff="0" xSize="{w}" ySize="{h}"/>'
        f'<DstRect xOff="{i * w}" yOff="{j * h}" xSize="{w}" ySize="{h}"/></SimpleSource>'
        for j in range(factor) for i in range(factor))
    dtype = {"int16": "Int16", "uint8": "Byte", "uint16": "UInt16", "float32": "Float32"}
    return (f'<VRTDataset rasterXSize="{w * factor}" rasterYSize="{h * factor}">'
            f"<SRS>{ds.crs.to_wkt()}</SRS>"
            f"<GeoTransform>{t.c}, {t.a}, 0, {t.f}, 0, {t.e}</GeoTransform>"
            f'<VRTRasterBand dataType="{dtype[ds.dtypes[0]]}" band="1">{nodata}{sources}'
            "</VRTRasterBand></VRTDataset>")


def measure(mode, folder, out):
    res = subprocess.run([sys.executable, __file__, "--child", mode, str(folder), str(out)],
                         check=True, capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 512])
    parser.add_argument("--full", type=int, metavar="SIZE",
                        help="also run one full 5490² px tile-year built from a SIZE px scene")
    parser.add_argument("--work", default="/tmp/chainon-bench-land-cover")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    import os

    from chainon.core.blocks import default_workers
    work = Path(args.work)
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(args.sizes) | ({args.full} if args.full else set()))
    print(f"Simulating land cover scenes of {sizes} px (20 m, 2018, 5-day revisit)...")
    folders = {s: scene(work, s) for s in sizes}
    trained = measure("train", folders[sizes[0]], out)
    print(f"CPUs: {os.cpu_count()}, block workers: {default_workers()}")
    print(f"train on {sizes[0]}² px: {trained['seconds']:.1f} s, peak {trained['peak_mb']:.0f} MB")
    per_px = None
    for s in sizes:
        read, apply = measure("read", folders[s], out), measure("apply", folders[s], out)
        per_px = apply["seconds"] / s ** 2
        print(f"{s:>5}² px: features only {read['seconds']:7.1f} s, peak {read['peak_mb']:5.0f} "
              f"MB | land cover {apply['seconds']:7.1f} s, peak {apply['peak_mb']:5.0f} MB | "
              f"{1e6 * per_px:.0f} µs/px ({1e6 * read['seconds'] / s ** 2:.0f} µs/px reading "
              f"and gap-filling)")
    if args.full:
        full = measure("apply", full_tile(folders[args.full], work, args.full), out)
        print(f"full tile {TILE}² px ({args.full}² px scene x {(TILE // args.full) ** 2}): land "
              f"cover {full['seconds']:.0f} s (CPU {full['cpu_seconds']:.0f} s), peak "
              f"{full['peak_mb']:.0f} MB | {1e6 * full['seconds'] / TILE ** 2:.0f} µs/px, "
              f"ratio to the {args.full}² px scene per pixel "
              f"{full['seconds'] / TILE ** 2 / per_px:.2f}")
        return
    print(f"extrapolated to one tile-year ({TILE}² px, same inputs per pixel): "
          f"{per_px * TILE ** 2 / 3600:.1f} h on these {default_workers()} workers; peak memory "
          f"is set by the {256}² px blocks in flight, not by the area (see the peaks above)")


if __name__ == "__main__":
    main()
