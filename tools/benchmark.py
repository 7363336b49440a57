"""`make benchmark`: one table for the eight products, measured in this run,
on this machine.

Each product runs as the compute centre runs it (core.products.run_tile) on
its own simulated data-lake tile (core.scenes.lake: the product's scene over
its whole period, a year or its season), at two sizes (S and 2S px), each in
a fresh child process so that peaks do not mix:
  - the product: wall time, CPU seconds (user + system of all its threads)
    and peak memory (VmHWM, the child's peak resident set);
  - the read floor: in another child, decoding once every raster the product
    opened (all bands, window by window) and reading its other input files
    (vectors, tables, GEDI granules) byte for byte.
A full tile (109.8 km: 10 980² px at 10 m, 5 490² at 20 m, at the product's
output resolution) over a whole period would take hours and tens of GB of
disk, so time, CPU and peak are fitted as fixed + per-pixel on the two sizes
and extrapolated linearly in area to the full tile ("x" marks these figures,
and the table says from which sizes). A peak extrapolated linearly is an
upper bound for a product that works block by block: its peak is flat in
area once the scene holds more blocks than are in flight.
The ratio to reading the inputs is CPU / CPU, on the larger measured scene.

Then, unless --no-details: Orfeo ToolBox's Random Forest (iota2's
classifier) against land cover on the small scene when otb-bin is
installed, and after the table the per-product scripts add their lines:
tools/benchmark_snow.py (one full 5490² tile-date, measured, against OTB's
LIS pass 1) and tools/benchmark_land_cover.py (a trained model applied,
stage by stage: the table's land cover row includes training, whose
samples grow with the scene up to their cap, so its per-pixel
extrapolation is an upper bound, as for every trained product).

Usage: python tools/benchmark.py [--products snow_cover ...] [--size S | --scale F]
                                 [--work DIR] [--json FILE] [--no-details]"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
sys.path.insert(0, str(ROOT / ".pkgroot"))

PRODUCTS = ("land_cover", "snow_cover", "mowing_date", "crop_yield", "crop_carbon",
            "irrigation", "forest_height", "forest_cuts")
TILE_ID, ORIGIN = "31TCJ", (300000.0, 4900020.0)    # upper-left corner of 31TCJ
TILE_METRES = 109800.0
LIMIT_MB = 1536                                     # issue 13: < 1.5 GB per product
# A whole period per scene: the lake's snow tile holds only a winter, forest
# cuts two years.
SCENE_OPTIONS = {"snow_cover": dict(start=date(2017, 9, 1), end=date(2018, 8, 31)),
                 "forest_cuts": dict(years=1)}
MIN_SIZE = {"forest_height": 64}    # the smallest forest height scene that trains
# Default S per product (2S is also run): large enough for several blocks in
# flight, small enough for the whole table to fit in 90 minutes on 2 cores.
DEFAULT_SIZE = {"land_cover": 256, "snow_cover": 384, "mowing_date": 384, "crop_yield": 256,
                "crop_carbon": 256, "irrigation": 256, "forest_height": 256,
                "forest_cuts": 384}


# ---- child processes --------------------------------------------------------

def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_rss_mb():
    """VmHWM of this process: unlike ru_maxrss it does not carry the parent's
    peak across fork+exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _record_opens(opened):
    """Wraps rasterio.open and h5py.File to note the files the product reads."""
    import rasterio
    real_open = rasterio.open

    def open_(fp, mode="r", *args, **kwargs):
        if mode == "r":
            opened.add(str(fp))
        return real_open(fp, mode, *args, **kwargs)
    rasterio.open = open_
    try:
        import h5py
    except ImportError:
        return
    real_file = h5py.File

    class File(real_file):
        def __init__(self, name, *args, **kwargs):
            opened.add(str(name))
            super().__init__(name, *args, **kwargs)
    h5py.File = File


def child_run(spec):
    """The product on its lake tile; its figures and the files it opened."""
    import rasterio

    from chainon.core.products import run_tile
    opened = set()
    _record_opens(opened)
    t0, c0 = time.perf_counter(), cpu_seconds()
    result = run_tile(spec["product"], spec["lake"], TILE_ID, Path(spec["out"]),
                      date.fromisoformat(spec["start"]), date.fromisoformat(spec["end"]))
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    with rasterio.open(next(iter(result.values()))) as ds:
        res, size = ds.res[0], ds.width
    tile = Path(spec["lake"]).resolve() / "tiles" / TILE_ID
    inputs = sorted(p for p in opened if _under(p, tile))
    return dict(wall=wall, cpu=cpu, peak=peak_rss_mb(), res=res, out_size=size,
                inputs=inputs)


def _under(path, folder):
    path = path.split("/vsizip/")[-1]
    try:
        Path(path).resolve().relative_to(folder)
        return True
    except ValueError:
        return False


def child_read(spec):
    """The read floor: every raster the product opened decoded once, block by
    block, and its other inputs read byte for byte."""
    import rasterio

    from chainon.core.blocks import gdal_cache, windows
    rasters = [p for p in spec["inputs"] if not p.endswith(".h5")]
    others = [p for p in spec["other"] if p not in rasters]
    t0, c0 = time.perf_counter(), cpu_seconds()
    with gdal_cache():
        for path in rasters:
            with rasterio.open(path) as ds:
                for w in windows(ds.width, ds.height):
                    ds.read(window=w)
    for path in others:
        Path(path).read_bytes()
    return dict(wall=time.perf_counter() - t0, cpu=cpu_seconds() - c0, peak=peak_rss_mb())


def child(mode, spec_path):
    import chainon.core.products  # noqa: F401 - imports are not the product's time
    spec = json.loads(Path(spec_path).read_text())
    figures = child_run(spec) if mode == "run" else child_read(spec)
    print(json.dumps(figures))


def _child(mode, spec, work, extra_env=None):
    path = Path(work) / f"spec_{mode}.json"
    path.write_text(json.dumps(spec))
    env = {**os.environ, **(extra_env or {}), "CHAINON_CACHE_DIR": str(Path(work) / "cache")}
    res = subprocess.run([sys.executable, __file__, "--child", mode, str(path)],
                         capture_output=True, text=True, env=env)
    if res.returncode:
        raise RuntimeError(res.stderr.strip().splitlines()[-1] if res.stderr else "failed")
    return json.loads(res.stdout.strip().splitlines()[-1])


# ---- one product ------------------------------------------------------------

def simulate(product, work, size):
    from chainon.core.scenes.lake import make_lake
    lake = work / "lake"
    c0 = cpu_seconds()
    scene = make_lake(product, lake, {TILE_ID: ORIGIN}, size=size,
                      **SCENE_OPTIONS.get(product, {}))[TILE_ID]
    return lake, scene, cpu_seconds() - c0


def other_inputs(product, lake):
    """The product's non-raster inputs in the lake (vectors, tables, GEDI)."""
    from chainon.core.products import NEEDS, OPTIONAL, tile_inputs
    paths = tile_inputs(lake, TILE_ID)
    out = []
    for key in NEEDS[product] + OPTIONAL.get(product, ()):
        p = paths[key]
        files = sorted(p.rglob("*")) if p.is_dir() else [p] if p.is_file() else []
        out += [str(f.resolve()) for f in files if f.is_file() and f.suffix != ".tif"
                and f.suffix != ".xml"]
    return out


def measure(product, size, work, keep=False):
    """Simulates one tile of `size` px and measures the product and its floor;
    keep: the lake stays (its path under "lake") for the OTB comparison."""
    folder = work / f"{product}_{size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    lake, scene, sim = simulate(product, folder, size)
    spec = dict(product=product, lake=str(lake), out=str(folder / "out"),
                start=str(scene.start), end=str(scene.end))
    run = _child("run", spec, folder)
    read = _child("read", dict(inputs=run["inputs"], other=other_inputs(product, lake)),
                  folder)
    dates = len(getattr(scene, "dates", None) or [])
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"  {size}² px ({dates} dates, {scene.start} to {scene.end}; simulated in "
          f"{sim:.0f} CPU s): {run['wall']:.1f} s, {run['cpu']:.1f} CPU s, peak "
          f"{run['peak']:.0f} MB | read floor {read['cpu']:.1f} CPU s "
          f"({len(run['inputs'])} rasters)", flush=True)
    return dict(size=size, px=run["out_size"] ** 2, res=run["res"], dates=dates,
                period=f"{scene.start} to {scene.end}", run=run, read=read,
                lake=str(lake) if keep else None)


def extrapolate(small, big, part, key, full_px):
    """small[part][key] and big's, fitted as fixed + per-pixel, at `full_px`
    (never below the larger measurement: noise must not promise a cheaper tile)."""
    a, b = small[part][key], big[part][key]
    slope = (b - a) / (big["px"] - small["px"])
    return max(b, a + slope * (full_px - small["px"]))


def product_row(product, size, work, keep_small=False):
    size = max(size, MIN_SIZE.get(product, 0))
    print(f"=== {product} ===", flush=True)
    small, big = measure(product, size, work, keep_small), measure(product, 2 * size, work)
    full_px = round(TILE_METRES / big["res"]) ** 2
    run = {k: extrapolate(small, big, "run", k, full_px) for k in ("wall", "cpu", "peak")}
    read_cpu = extrapolate(small, big, "read", "cpu", full_px)
    return dict(product=product, res=big["res"], dates=big["dates"], period=big["period"],
                sizes=(small["size"], big["size"]), full_side=round(TILE_METRES / big["res"]),
                wall=run["wall"], cpu=run["cpu"], peak=run["peak"], read_cpu=read_cpu,
                ratio=big["run"]["cpu"] / big["read"]["cpu"],
                measured_peak=(small["run"]["peak"], big["run"]["peak"]),
                measured_cpu=(small["run"]["cpu"], big["run"]["cpu"]), small=small,
                px=(small["px"], big["px"]))


# ---- per-product scripts measuring one full tile ---------------------------

def snow_detail(work):
    """tools/benchmark_snow.py's summary: one full 5490² tile-date, OTB ratio."""
    summary = Path(work) / "snow.json"
    _script("benchmark_snow.py", "--work", str(Path(work) / "snow_detail"), "--json",
            str(summary))
    return json.loads(summary.read_text())


def land_cover_otb(small):
    """Orfeo ToolBox's Random Forest (TrainImagesClassifier + ImageClassifier,
    the classifier of iota2, OSO's chain, with OSO's forest: 100 trees, depth
    25, min 5 samples) on the raw series of the small land cover scene (every
    band of every date stacked at 20 m: no gap-filling, no indices), against
    the product end to end on the same scene. CPU seconds of the commands."""
    lake = Path(small["lake"])
    tile = lake / "tiles" / TILE_ID
    bands = sorted(str(p) for p in (tile / "S2").rglob("*_FRE_B*.tif"))
    work = lake.parent / "otb"
    work.mkdir(exist_ok=True)
    stack, model = work / "stack.vrt", work / "model.rf"
    subprocess.run(["gdalbuildvrt", "-q", "-separate", "-tr", "20", "20", "-r", "average",
                    str(stack), *bands], check=True)
    env = {**os.environ, "OTB_LOGGER_LEVEL": "WARNING"}
    cpu = {}
    for name, cmd in (
            ("train", ["otbcli_TrainImagesClassifier", "-io.il", str(stack), "-io.vd",
                       str(tile / "REFERENCE" / "land_cover.geojson"), "-sample.vfn", "code",
                       "-sample.mt", "10000", "-sample.vtr", "0", "-classifier", "rf",
                       "-classifier.rf.nbtrees", "100", "-classifier.rf.max", "25",
                       "-classifier.rf.min", "5", "-io.out", str(model)]),
            ("classify", ["otbcli_ImageClassifier", "-in", str(stack), "-model", str(model),
                          "-out", str(work / "map.tif"), "uint8"])):
        c0 = _children_cpu()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        cpu[name] = _children_cpu() - c0
    shutil.rmtree(lake.parent, ignore_errors=True)
    ours, px, otb = small["run"]["cpu"], small["px"], cpu["train"] + cpu["classify"]
    return (f"land cover, {small['size']}² px, {small['dates']} dates: Orfeo ToolBox's Random "
            f"Forest on the raw series ({len(bands)} bands, no gap-filling or indices) "
            f"trains in {cpu['train']:.1f} CPU s and classifies in {cpu['classify']:.1f} "
            f"({1e6 * cpu['classify'] / px:.0f} µs/px); the product end to end (features, "
            f"training, votes, 3 COGs) {ours:.1f} CPU s: {ours / otb:.2f}x OTB's training + "
            f"classification")


def _children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def land_cover_detail(work, size):
    """tools/benchmark_land_cover.py's summary: the model applied (trained
    beforehand), per pixel, stage by stage."""
    summary = Path(work) / "land_cover.json"
    _script("benchmark_land_cover.py", "--sizes", str(size), "--work",
            str(Path(work) / "land_cover_detail"), "--json", str(summary))
    s = json.loads(summary.read_text())
    return (f"land cover, a trained model applied to {s['size']}² px "
            f"(tools/benchmark_land_cover.py): {s['end_to_end']:.0f} µs/px end to end, "
            f"{s['end_to_end'] / s['floor']:.2f}x the read floor, "
            f"{s['end_to_end'] / s['rf']:.1f}x the Random Forest alone; features "
            f"{1e3 * s['gapfill_indices'] / s['n_features']:.0f} ns per pixel-feature; "
            f"{s['tile_cpu_seconds'] / 3600:.2f} CPU-h per tile-year without training "
            f"(extrapolated), peak {s['peak_mb']:.0f} MB")


def _script(script, *args):
    res = subprocess.run([sys.executable, str(TOOLS / script), *args], capture_output=True,
                         text=True)
    sys.stdout.write(res.stdout)
    if res.returncode:
        sys.stdout.write(res.stderr[-2000:])
        raise RuntimeError(f"{script} failed")


# ---- table ------------------------------------------------------------------

def _fmt(value, spec):
    return "—" if value is None else format(value, spec)


def print_table(rows, details):
    print("\n| product | full tile, period | time (s) | CPU (s) | read floor CPU (s) | CPU / "
          "read | peak (MB) | < 1.5 GB | measured at S² and (2S)² px |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['product']} | failed: {r['error']} | | | | | | | |")
            continue
        (s, b), (p1, p2) = r["sizes"], r["measured_peak"]
        km2 = (r["px"][1] - r["px"][0]) * r["res"] ** 2 / 1e6
        growth = (p2 - p1) / km2                                  # MB per km² of scene
        verdict = (f"{'yes' if p2 < LIMIT_MB else 'NO'} at {b}² px (measured); full tile "
                   f"{'yes' if r['peak'] < LIMIT_MB else 'unknown: over'} if linear (x)")
        print(f"| {r['product']} | {r['full_side']}² px at {r['res']:g} m, {r['dates']} dates "
              f"({r['period']}) | x {r['wall']:.0f} | x {r['cpu']:.0f} | x {r['read_cpu']:.0f} "
              f"| {r['ratio']:.2f} | x {r['peak']:.0f} | {verdict} | {s}², {b}² px: CPU "
              f"{r['measured_cpu'][0]:.1f}, {r['measured_cpu'][1]:.1f} s; peak {p1:.0f}, "
              f"{p2:.0f} MB ({growth:+.1f} MB/km²) |")
    print("\nx: extrapolated to the full tile (109.8 km) linearly in area: fixed + per-pixel "
          "cost through the two\nmeasured scenes, all dates of the period. CPU = user + "
          "system of all threads; time = wall clock\n(shared machine: indicative only); "
          "CPU / read = the product's CPU over the read floor's on the\nlarger scene "
          "(measured). Peak = the child's VmHWM; extrapolated linearly it is an upper bound\n"
          "for products working block by block, whose peak stops growing once the scene "
          "holds more blocks\nthan are in flight: MB/km² is the growth measured between "
          "the two scenes.")
    for text in details:
        print(text)


def write_json(rows, path):
    """{product: per-tile figures}, as backend.benchmark --table reads them."""
    table = {r["product"]: dict(cpu=r["cpu"], wall=r["wall"], peak=r["peak"],
                                read_cpu=r["read_cpu"], dates=r["dates"], period=r["period"],
                                extrapolated=True,
                                basis=f"{r['full_side']}² px at {r['res']:g} m from "
                                      f"{r['sizes'][0]}² and {r['sizes'][1]}² px")
             for r in rows if "error" not in r}
    Path(path).write_text(json.dumps(table, indent=1))


def _size(args, product):
    return args.size or round(args.scale * DEFAULT_SIZE[product] / 16) * 16


def run_scripts(args, work):
    """The per-product scripts' lines, printed after the table (they are the
    slowest part: a cut run still has its table)."""
    print("\nPer-product scripts:", flush=True)
    if "snow_cover" in args.products:
        try:
            s = snow_detail(work)
            print(f"snow cover, {s['scene']} (tools/benchmark_snow.py, measured): "
                  f"{s['cpu']:.1f} CPU s, peak {s['peak']:.0f} MB, {s['ratio']:.2f}x the read "
                  f"floor; {s['note']}", flush=True)
        except RuntimeError as e:
            print(f"snow cover full tile-date: {e}", flush=True)
    if "land_cover" in args.products:
        try:
            # at 2S: at S (256² px) opening the year's 1 314 files weighs on every figure
            print(land_cover_detail(work, 2 * _size(args, "land_cover")), flush=True)
        except (RuntimeError, KeyError, OSError) as e:
            print(f"land cover per stage: {e}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", nargs="+", default=list(PRODUCTS), choices=PRODUCTS)
    parser.add_argument("--size", type=int, help="S for every product (default: per product)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiplies the default S of every product (0.5: a quicker run)")
    parser.add_argument("--work", default=None)
    parser.add_argument("--json", help="also write the per-tile figures here (for "
                        "python -m backend.benchmark --table)")
    parser.add_argument("--no-details", action="store_true",
                        help="skip the per-product full-tile scripts (snow: OTB)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(*args.child)
    work = Path(args.work or tempfile.mkdtemp(prefix="chainon-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    from chainon.core.blocks import default_workers
    print(f"{os.cpu_count()} CPUs, {default_workers()} block threads, load average "
          f"{os.getloadavg()[0]:.2f} at the start; work folder {work}", flush=True)
    t0 = time.perf_counter()
    otb = not args.no_details and shutil.which("otbcli_ImageClassifier")
    rows, details = [], []
    for product in args.products:
        try:
            rows.append(product_row(product, _size(args, product), work,
                                    keep_small=otb and product == "land_cover"))
        except Exception as e:  # noqa: BLE001 - one failed product must not hide the others
            print(f"  failed: {e}", flush=True)
            rows.append(dict(product=product, error=str(e)[:120]))
            continue
        if rows[-1]["small"]["lake"]:
            try:
                details.append(land_cover_otb(rows[-1]["small"]))
            except (subprocess.CalledProcessError, OSError) as e:
                details.append(f"land cover against Orfeo ToolBox: failed ({e})")
            print(details[-1], flush=True)
    print_table(rows, details)
    if args.json:
        write_json(rows, args.json)
    if not args.no_details:
        run_scripts(args, work)
    print(f"\nWhole benchmark: {(time.perf_counter() - t0) / 60:.0f} min; load average "
          f"{os.getloadavg()[0]:.2f} at the end")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all("error" not in r for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
