"""Benchmark (not a test): forest_cuts, irrigation and forest_height on one
full-size tile (5490 x 5490 px at 20 m; 10980 x 10980 px at 10 m for forest_cuts).

Full-size simulated inputs would take tens of GB, so each product's scene is
simulated at SIZE px (its own scene generator) and every input raster is
presented to the readers as a 5490 px tile: a GDAL VRT, saved under the
original .tif name (GDAL opens it by content), tiling the small file
(5490 / SIZE)² times (see benchmark_land_cover.py). Reference heights
(GEDI footprints, a tenth of them in each copy) and labelled parcels are
repeated in every copy. All the computing runs on 5490² px; only the disk
reads are cheaper than real (the small files stay in the page cache).
forest_cuts works on the 10 m grid of its S1 files: its full tile is
--copies 20 (10980² px).

Each measurement runs in its own process (peaks do not mix): peak memory is
the child's VmHWM, wall and CPU seconds its own. The reference, in the same
run, is reading every pixel of every input raster of the product's period
once, block by block, with the same engine. Periods are kept short and the
number of dates is printed so that the time per tile-year can be scaled;
the product's peak is also printed stage by stage (STAGES: each stage's own
peak, VmHWM reset between them through /proc/self/clear_refs; "a..b" is what
runs between stages a and b, e.g. forest cuts' detection and its raw raster);
even so a full tile takes tens of minutes per product on 2 shared cores.
--period year runs each product over its scene's whole season instead
(forest_cuts: all of 2021, after a reference year; irrigation: March to
October; forest_height: all of 2020).
With --copies N the tile is N x N scenes (default 10, the full 20 m tile;
4 is 16 % of it, for a quicker run).
Usage: python tools/benchmark_radar.py [--size 549] [--copies 10] [--products ...]
       [--period short|year] [--no-reference] [--work DIR]"""
import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from benchmark_land_cover import _tiled_vrt, peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".pkgroot"))
TILE = {"forest_cuts": 10980, "irrigation": 5490, "forest_height": 5490}   # px per side
# product: {period name: (start, end)}; the scenes cover 2020 (forest_cuts: 2020-2021)
PERIODS = {"forest_cuts": {"short": (date(2021, 4, 1), date(2021, 5, 31)),
                           "year": (date(2021, 1, 1), date(2021, 12, 31))},
           "irrigation": {"short": (date(2020, 5, 1), date(2020, 6, 30)),
                          "year": (date(2020, 3, 1), date(2020, 10, 31))},
           "forest_height": {"short": (date(2020, 6, 1), date(2020, 8, 31)),
                             "year": (date(2020, 1, 1), date(2020, 12, 31))}}
FOOTPRINT_SHARE = 10
# product: (module, its functions measured as stages, in the order they run)
STAGES = {"forest_cuts": ("forest_cuts", ("forest_on_grid", "forest_levels", "cut_polygons",
                                          "without_small")),
          "forest_height": ("forest_height", ("forest_on_grid", "_conifer", "sample_references",
                                              "fit", "write_maps"))}


# --- scenes ---------------------------------------------------------------------------
def scene(product, work, size, factor):
    """Simulates the product's scene (once) and its factor² copy; returns both
    folders."""
    name = "forest_cuts_2y" if product == "forest_cuts" else product
    small, full = work / f"{name}_{size}", work / f"{name}_{size}_x{factor}"
    if not (small / "done").exists():
        from chainon.core.scenes.forest_cuts import make_forest_cut_scene
        from chainon.core.scenes.forest_height import make_forest_height_scene
        from chainon.core.scenes.irrigation import make_irrigation_scene
        shutil.rmtree(small, ignore_errors=True)
        {"forest_cuts": lambda: make_forest_cut_scene(small, seed=1, size=size, years=2),
         "irrigation": lambda: make_irrigation_scene(small, seed=0, size=size),
         "forest_height": lambda: make_forest_height_scene(small, seed=0, size=size)}[product]()
        (small / "done").touch()
    if not (full / "done").exists():
        shutil.rmtree(full, ignore_errors=True)
        tiled_copy(small, full, factor)
        (full / "done").touch()
    return small, full


def tiled_copy(src, dst, factor):
    """Every file of `src` under `dst`; rasters as VRTs tiling them factor² times."""
    import rasterio
    for path in src.rglob("*"):
        out = dst / path.relative_to(src)
        if "truth" in out.parts:
            continue
        if path.is_dir():
            out.mkdir(parents=True, exist_ok=True)
        elif path.suffix == ".tif":
            out.parent.mkdir(parents=True, exist_ok=True)
            with rasterio.open(path) as ds:
                out.write_text(_tiled_vrt(path, ds, factor))
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, out)


def copies(grid, factor):
    """(dx, dy) map offsets of the factor² copies of the small scene."""
    step_x, step_y = grid.width * grid.res, grid.height * grid.res
    return [(i * step_x, -j * step_y) for j in range(factor) for i in range(factor)]


def repeated_parcels(path, grid, factor):
    """The scene's labelled parcels, repeated in every copy, as a Reference
    (the moved features made one at a time, as a layer is read)."""
    from chainon.core.training import read_geojson, reference_from_features
    features, crs = read_geojson(path)
    moved = ({"geometry": {"type": "Polygon", "coordinates": [
                 [[x + dx, y + dy] for x, y in ring] for ring in f["geometry"]["coordinates"]]},
              "properties": f["properties"]}
             for dx, dy in copies(grid, factor) for f in features)
    return reference_from_features(moved, "irrigated", crs, numeric=False)


def repeated_footprints(gedi_folder, grid, factor):
    """The scene's GEDI footprints (quality-filtered) in every copy, one in
    FOOTPRINT_SHARE of them in each (a different one in the next copy), as the
    point input (x, y, height, crs, name): footprints over the whole tile at
    a tenth of the scene's density, which keeps the training set of a
    tile-sized Random Forest fit within minutes."""
    import numpy as np

    from chainon.core.gedi import read_gedi
    ref = read_gedi(gedi_folder, grid)
    k = np.arange(ref.x.size)
    parts = [(ref.x[pick] + dx, ref.y[pick] + dy, ref.height[pick])
             for n, (dx, dy) in enumerate(copies(grid, factor))
             for pick in [k % FOOTPRINT_SHARE == n % FOOTPRINT_SHARE]]
    x, y, h = (np.concatenate(v) for v in zip(*parts))
    return x, y, h, grid.crs, "GEDI footprints"


# --- measured runs (children) ---------------------------------------------------------
def child(mode, product, work, size, factor, period):
    """Runs in a fresh process; prints what it measured as JSON."""
    work, size, factor = Path(work), int(size), int(factor)
    small, full = scene(product, work, size, factor)
    out = work / "out" / f"{product}_x{factor}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    start, end = PERIODS[product][period]
    stages = staged(product) if mode == "product" else None
    t0 = time.perf_counter()
    cpu0 = cpu_seconds()
    facts = read_inputs(product, full, start, end) if mode == "read" else \
        run(product, small, full, factor, out, start, end)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    if stages is not None:
        stages.mark(f"{stages.last}..end")
        facts["stages"] = stages.peaks
    peak = max([peak_rss_mb()] + [mb for _, mb in facts.get("stages", [])])
    print(json.dumps(dict(facts, seconds=seconds, cpu_seconds=cpu, peak_mb=peak)))


class Stages:
    """[(stage, its peak MB)]: mark(stage) notes the peak since the last mark
    and resets it (the peak stays monotonic where the kernel refuses)."""

    def __init__(self):
        self.peaks, self.last = [], "start"
        _reset_peak()

    def mark(self, stage):
        self.peaks.append((stage, peak_rss_mb()))
        _reset_peak()
        self.last = stage


def _reset_peak():
    try:
        Path("/proc/self/clear_refs").write_text("5")     # VmHWM := VmRSS (Linux)
    except OSError:
        pass


def staged(product):
    """Wraps the product's STAGES functions so that each one's peak, and
    that of the work between two of them, is recorded; None if none."""
    if product not in STAGES:
        return None
    import importlib
    module_name, names = STAGES[product]
    module = importlib.import_module(f"chainon.core.{module_name}")
    stages = Stages()

    def wrap(name, f):
        def measured(*args, **kwargs):
            stages.mark(f"{stages.last}..{name}")
            try:
                return f(*args, **kwargs)
            finally:
                stages.mark(name)
        return measured
    for name in names:
        setattr(module, name, wrap(name, getattr(module, name)))
    return stages


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(product, small, full, factor, out, start, end):
    from chainon.core.sentinel1 import find_images, tile_grid
    grid = tile_grid(find_images(small / "S1")[0])
    if product == "forest_cuts":
        from chainon.core.forest_cuts import ForestSource, run_forest_cuts
        res = run_forest_cuts(full / "S1", ForestSource(mask=str(full / "forest_mask.tif")),
                              out / "cuts.tif", start=start, end=end)
        extra = dict(polygons=len(res["polygons"]))
    elif product == "irrigation":
        from chainon.core.irrigation import run_irrigation
        res = run_irrigation(full / "S2", full / "S1", full / "rain.csv",
                             repeated_parcels(small / "parcels.geojson", grid, factor), out,
                             start=start, end=end)
        extra = dict(oa=res["scores"]["S1 + S2 + rain"]["oa"])
    else:
        from chainon.core.forest_cuts import ForestSource
        from chainon.core.forest_height import run_forest_height
        res = run_forest_height(full / "S2", out,
                                points=repeated_footprints(small / "GEDI", grid, factor),
                                forest=ForestSource(land_cover=str(full / "land_cover.tif")),
                                s1_folder=full / "S1", start=start, end=end)
        extra = dict(rmse=res["scores"]["height"]["rmse"], n_train=res["n_train"])
    return dict(extra, width=res["grid"].width, height=res["grid"].height)


def input_files(product, full, start, end):
    """The input rasters the product reads for the period (S1 of forest_cuts
    with its year of reference images before the period)."""
    from chainon.core.forest_cuts import CutParams, image_period
    from chainon.core.sentinel1 import find_images
    from chainon.core.theia import find_products
    lo, hi = image_period(start, end, CutParams()) if product == "forest_cuts" else (start, end)
    s1 = [i.path for i in find_images(full / "S1") if lo <= i.acquired.date() <= hi]
    if product == "forest_cuts":
        return s1 + [full / "forest_mask.tif"], 0
    s2 = [p for p in find_products(full / "S2") if start <= p.acquired.date() <= end]
    files = [f for p in s2 for f in p.path.rglob("*.tif")]
    return s1 + files + ([full / "land_cover.tif"] if product == "forest_height" else []), len(s2)


def read_inputs(product, full, start, end):
    """Every pixel of every input raster once, block by block, same engine."""
    import rasterio

    from chainon.core.blocks import run_blocks, windows
    for path in input_files(product, full, start, end)[0]:
        with rasterio.open(path) as ds:
            def read(w, ds=ds):
                with rasterio.open(ds.name) as one:    # one handle per thread
                    one.read(1, window=w)
            run_blocks(windows(ds.width, ds.height), read, lambda w, r: None)
    return {}


def measure(mode, product, work, size, factor, period):
    res = subprocess.run([sys.executable, __file__, "--child", mode, product, str(work),
                          str(size), str(factor), period], check=True, capture_output=True,
                         text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=549)
    parser.add_argument("--work", default="/tmp/chainon-bench-radar")
    parser.add_argument("--products", nargs="+", default=["forest_height", "irrigation",
                                                          "forest_cuts"])
    parser.add_argument("--copies", type=int, default=10,
                        help="scenes per side of the tile (--size x --copies = 5490: a full "
                             "20 m tile; 10980: a full 10 m tile, forest_cuts)")
    parser.add_argument("--period", choices=("short", "year"), default="short")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the read-only reference run (it takes a third of the "
                             "product's time on a full tile)")
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    import os

    from chainon.core.blocks import default_workers
    work, side = Path(args.work), args.size * args.copies
    work.mkdir(parents=True, exist_ok=True)
    print(f"CPUs: {os.cpu_count()}, block workers: {default_workers()}; scenes of {args.size} px "
          f"tiled {args.copies ** 2} times into {side} x {side} px")
    for product in args.products:
        _, full = scene(product, work, args.size, args.copies)   # simulated outside the measures
        start, end = PERIODS[product][args.period]
        files, n_s2 = input_files(product, full, start, end)
        n_s1 = sum(1 for f in files if f.parent.name == "S1")
        read = None if args.no_reference else \
            measure("read", product, work, args.size, args.copies, args.period)
        prod = measure("product", product, work, args.size, args.copies, args.period)
        facts = {k: v for k, v in prod.items()
                 if k not in ("seconds", "cpu_seconds", "peak_mb", "stages")}
        print(f"{product}: {side ** 2 / TILE[product] ** 2:.0%} of a {TILE[product]} px tile, "
              f"period {start} to {end}, {n_s1} S1 images, {n_s2} S2 products, "
              f"{len(files)} input rasters; {facts}")
        if read:
            print(f"  read inputs only: {read['seconds']:.0f} s (CPU {read['cpu_seconds']:.0f} s), "
                  f"peak {read['peak_mb']:.0f} MB")
        print(f"  product         : {prod['seconds']:.0f} s (CPU {prod['cpu_seconds']:.0f} s), "
              f"peak {prod['peak_mb']:.0f} MB" + (f", ratio product / read-only time "
              f"{prod['seconds'] / read['seconds']:.1f}" if read else ""), flush=True)
        if prod.get("stages"):
            print("  peak by stage (MB): " + " | ".join(
                f"{stage} {mb:.0f}" for stage, mb in prod["stages"]), flush=True)

if __name__ == "__main__":
    main()
