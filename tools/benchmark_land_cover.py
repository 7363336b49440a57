"""Benchmark (not a test): land cover inference on a year of 20 m Sentinel-2.

Figures are CPU seconds (user + system, all threads) per pixel, so that runs
on a shared machine compare; every stage runs in its own process (peaks do
not mix), in this run, on the same simulated scenes:
- train: the OSO Random Forest (100 trees, depth 25, min split 5, up to
  10 000 pixels per class) on the smallest scene;
- floor: reading the inputs alone (every band and mask window of every
  acquisition, decoded, as the reader reads them), the land cover's read floor;
- features: the gap-filled iota2 features (73 dates -> 37 dates x 13 = 481),
  block by block in one thread, then the forest's votes on them (timed apart:
  the Random Forest alone);
- reference: the same features by the implementation before issue 13 (a copy
  kept in tests/test_land_cover_features.py), checked identical bit for bit;
- apply: the whole product with the model (features, votes, 3 COGs), with the
  engine's block threads, then with one (two threads on this 2-core machine
  cost ~25 % more CPU for the same work: they share caches and memory).
"gap-filling + indices" = features - floor. A full simulated tile-year
(5490² px, 73 acquisitions, 18 files each) would take ~70 GB of disk: with
--full SIZE the product runs on one full-size tile-year made of a SIZE px
scene repeated (5490 / SIZE)² times (GDAL VRTs under the original names; only
the disk reads are cheaper than real, the small files stay in the page cache).
With --uncompressed every scene is also measured with its rasters uncompressed
(the simulator writes DEFLATE, the real THEIA files in shared/data/real are
uncompressed): how much the ratios owe to decoding.
Usage: python tools/benchmark_land_cover.py [--sizes 256 512] [--full 549] [--work DIR]
       [--uncompressed] [--json FILE]  (one summary row for tools/benchmark.py)"""
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
sys.path.insert(0, str(ROOT / "tools"))
from scene_copies import uncompressed_copy  # noqa: E402
TILE = 5490
START, END = date(2018, 1, 1), date(2018, 12, 31)


def scene(work, size):
    from chainon.core.scenes.land_cover import make_land_cover_scene
    folder = work / f"scene_{size}"
    if not (folder / "reference.geojson").exists():
        make_land_cover_scene(folder, seed=size, size=size)
    return folder


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(mode, folder, out):
    """Runs in a fresh process; prints its figures as JSON."""
    folder, out = Path(folder), Path(out)
    import sklearn.ensemble  # noqa: F401 - imports are not the product's time

    import chainon.core.land_cover  # noqa: F401
    t0, c0 = time.perf_counter(), cpu_seconds()
    facts = {}
    if mode == "train":
        train(folder, out)
    elif mode in ("apply", "apply1"):
        from chainon.core.land_cover import run_land_cover
        run_land_cover(folder / "S2", out / folder.name, model=out / "model.joblib",
                       start=START, end=END, workers=1 if mode == "apply1" else None)
    else:
        facts = {"floor": read_floor, "features": features,
                 "reference": reference}[mode](folder, out)
    print(json.dumps(dict(facts, seconds=time.perf_counter() - t0, peak_mb=peak_rss_mb(),
                          cpu_seconds=facts.get("cpu_seconds", cpu_seconds() - c0))))


def train(folder, out):
    from chainon.core.land_cover import run_land_cover
    from chainon.core.training import read_geojson, reference_from_features
    features, crs = read_geojson(folder / "reference.geojson")
    run_land_cover(folder / "S2", out / "train", reference_from_features(features, "code", crs),
                   outputs={"OUTPUT_MODEL": out / "model.joblib"}, start=START, end=END)


def _series(folder):
    from chainon.core.blocks import windows
    from chainon.core.series import S2Series, select_series
    from chainon.core.theia import product_grid
    products, _, _, grid_dates = select_series(folder / "S2", START, END, 10)
    series = S2Series(products, product_grid(products[0]), grid_dates)
    return series, windows(series.grid.width, series.grid.height, series.block())


def read_floor(folder, out):
    """Every window the reader reads, decoded, nothing else (one thread)."""
    import rasterio

    from chainon.core.blocks import gdal_cache
    from chainon.core.series import BANDS, CACHE_MB
    from chainon.core.theia import INVALID_MASKS
    series, wins = _series(folder)
    paths = [p.band_path(b) for p in series.products for b in BANDS]
    paths += [p.mask_path(k, "R2") for p in series.products for k in INVALID_MASKS]
    with gdal_cache(CACHE_MB):
        files = [rasterio.open(p) for p in paths if p]
        for w in wins:
            for ds in files:
                k = ds.width // series.grid.width
                ds.read(1, window=((w.row_off * k, (w.row_off + w.height) * k),
                                   (w.col_off * k, (w.col_off + w.width) * k)))
    return dict(n_px=series.grid.width * series.grid.height)


def features(folder, out):
    """The features block by block in one thread, then the forest's votes
    on them, each timed apart."""
    from chainon.core.blocks import gdal_cache
    from chainon.core.series import CACHE_MB
    from chainon.core.training import load_model, vote
    series, wins = _series(folder)
    rf = load_model(out / "model.joblib", "land_cover")["models"][None]
    read = votes = 0.0
    with gdal_cache(CACHE_MB):
        for w in wins:
            c0 = cpu_seconds()
            x, _ = series.read(w)
            c1 = cpu_seconds()
            vote(rf, x)
            read, votes = read + c1 - c0, votes + cpu_seconds() - c1
    return dict(cpu_seconds=read, rf_cpu_seconds=votes, n_features=len(series.names),
                n_px=series.grid.width * series.grid.height, block=series.block(),
                n_products=len(series.products))


def reference(folder, out, max_blocks=4):
    """The former implementation on the first blocks, timed, then the
    difference with the current one on the same blocks."""
    import numpy as np

    from chainon.core.blocks import gdal_cache
    from chainon.core.series import CACHE_MB
    sys.path.insert(0, str(ROOT / "tests"))
    from test_land_cover_features import reference_read
    series, wins = _series(folder)
    wins = wins[:max_blocks]
    with gdal_cache(CACHE_MB):
        c0 = cpu_seconds()
        old = [reference_read(series, w)[0] for w in wins]
        seconds = cpu_seconds() - c0
        diff, same_nan = 0.0, True
        for w, x_old in zip(wins, old):
            x = series.read(w)[0]
            same_nan &= bool((np.isnan(x) == np.isnan(x_old)).all())
            ok = ~np.isnan(x_old)
            diff = max(diff, float(np.abs(x[ok] - x_old[ok]).max(initial=0.0)))
    return dict(cpu_seconds=seconds, n_px=sum(int(w.width * w.height) for w in wins),
                max_abs_diff=diff, same_nan=same_nan)


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


def scene_rows(size, folder, out, title=""):
    """Per-stage figures of one scene, µs/px and ns per pixel-feature."""
    floor, feats = measure("floor", folder, out), measure("features", folder, out)
    ref, apply = measure("reference", folder, out), measure("apply", folder, out)
    apply1 = measure("apply1", folder, out)
    n_px, n_f = feats["n_px"], feats["n_features"]
    rows = {"floor": ("reading the inputs (floor)", floor["cpu_seconds"], floor["peak_mb"], n_px),
            "features_before": ("features, before issue 13", ref["cpu_seconds"], ref["peak_mb"],
                                ref["n_px"]),
            "features": ("features", feats["cpu_seconds"], feats["peak_mb"], n_px),
            "gapfill_indices": ("  of which gap-filling + indices",
                                feats["cpu_seconds"] - floor["cpu_seconds"], None, n_px),
            "rf": ("Random Forest votes", feats["rf_cpu_seconds"], None, n_px),
            "end_to_end": ("land cover end to end", apply["cpu_seconds"], apply["peak_mb"], n_px),
            "end_to_end_1": ("  the same with one block thread", apply1["cpu_seconds"],
                             apply1["peak_mb"], n_px)}
    print(f"\n{size}² px{title}, {feats['n_products']} acquisitions, {n_f} features, blocks of "
          f"{feats['block']}² px (reference: its first {ref['n_px']} px)")
    print(f"  {'stage':34} {'CPU s':>7} {'µs/px':>7} {'ns/px-feature':>14} {'peak MB':>8}")
    us = {}
    for key, (name, cpu, peak, n) in rows.items():
        us[key] = 1e6 * cpu / n
        print(f"  {name:34} {cpu:7.1f} {us[key]:7.1f} {1e3 * us[key] / n_f:14.1f} "
              f"{'' if peak is None else f'{peak:8.0f}'}")
    print(f"  features identical to the former implementation: max |difference| "
          f"{ref['max_abs_diff']:g}, NaN at the same places: {ref['same_nan']}")
    print(f"  ratios to the Random Forest alone: gap-filling + indices "
          f"{us['gapfill_indices'] / us['rf']:.2f}, features with reading "
          f"{us['features'] / us['rf']:.2f}, end to end {us['end_to_end'] / us['rf']:.2f} "
          f"({us['end_to_end_1'] / us['rf']:.2f} with one block thread); "
          f"end to end / reading the inputs {us['end_to_end'] / us['floor']:.2f}")
    return dict(us, peak_mb=apply["peak_mb"], n_px=n_px, n_features=n_f)  # µs/px per stage


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 512])
    parser.add_argument("--full", type=int, metavar="SIZE",
                        help="also run one full 5490² px tile-year built from a SIZE px scene")
    parser.add_argument("--work", default="/tmp/chainon-bench-land-cover")
    parser.add_argument("--uncompressed", action="store_true",
                        help="also measure every scene with its rasters uncompressed")
    parser.add_argument("--json", help="write the summary of the largest scene here")
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
    print(f"CPUs: {os.cpu_count()}, block workers: {default_workers()}; CPU seconds are "
          f"user + system of all threads")
    print(f"train on {sizes[0]}² px: {trained['cpu_seconds']:.1f} CPU s, peak "
          f"{trained['peak_mb']:.0f} MB")
    for s in sizes:
        summary = scene_rows(s, folders[s], out)
        if args.uncompressed:
            raw = uncompressed_copy(folders[s], folders[s].rglob("*.tif"))
            scene_rows(s, raw, out, title=" (rasters uncompressed)")
    tile_px = TILE ** 2
    summary.update(product="land cover", size=sizes[-1],
                   tile_cpu_seconds=summary["end_to_end"] * 1e-6 * tile_px,
                   tile_read_cpu_seconds=summary["floor"] * 1e-6 * tile_px,
                   extrapolated=True)
    if args.full:
        full = measure("apply", full_tile(folders[args.full], work, args.full), out)
        copies = (TILE // args.full) ** 2
        print(f"\nfull tile {TILE}² px ({args.full}² px scene x {copies}): land cover "
              f"{full['cpu_seconds']:.0f} CPU s, peak {full['peak_mb']:.0f} MB | "
              f"{1e6 * full['cpu_seconds'] / tile_px:.1f} µs/px")
        summary.update(tile_cpu_seconds=full["cpu_seconds"], peak_mb=full["peak_mb"],
                       extrapolated=False)
    else:
        print(f"\nextrapolated to one tile-year ({TILE}² px, same inputs per pixel): "
              f"{summary['tile_cpu_seconds'] / 3600:.1f} CPU h; peak memory is set by the "
              f"blocks in flight, not by the area")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
