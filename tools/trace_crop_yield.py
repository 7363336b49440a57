"""What crop yield's peak memory is made of with a whole tile's parcels
(issue 13), without simulating a tile's imagery (hours): the product's own
code (core/crop_yield.py, _run_series with training, units and the pixel
map) runs on a 5490² px grid at 20 m covered with N square parcels whose
features are cheap synthetic values (FakeSeries: every block's read is made
up, 37 grid dates of a year, 520 features per parcel as the real series).
The parcels come from a GeoJSON file read feature by feature, as the
compute centre reads them (--whole: json.loads of the whole file, then the
selection, as it did before). Each stage prints the process's resident size
when it began and its peak during the stage (VmHWM, reset at each stage
through /proc/self/clear_refs: also GDAL's and the forests' C allocations);
with --trace, the memory Python and numpy held when it began and its traced
peak (tracemalloc: its own records, tens of bytes per Python object, inflate
the resident sizes then, by ~1.7 GB for 470 000 GeoJSON features held).

Not the real figures: blocks of real imagery (GDAL's caches, the inputs
read) add to the pixel stages; the models' inputs are synthetic (the
forest's trees grow to single parcels as on noisy declarations).

--readers-cpu: instead, the CPU seconds of reading and selecting the
parcels both ways, alternately, twice each, and whether both give the same
parcels.

--scene S: instead, the same stages of a real run (Sentinel-2 imagery read
block by block) on the project's simulated crop yield scene of S px, its
wheat parcels: what the imagery's blocks add to the stages that read it.

Usage: python tools/trace_crop_yield.py [--side 5490] [--parcel-px 8]
                                        [--declared 0.7] [--trees 200] [--trace]
                                        [--whole [--drop-features]] [--readers-cpu]
                                        [--scene S]"""
import argparse
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".pkgroot"))

from chainon.core import crop_yield as cy  # noqa: E402
from chainon.core.blocks import Progress  # noqa: E402
from chainon.core.products import _read_parcels  # noqa: E402
from chainon.core.scenes.common import tile_grid  # noqa: E402
from chainon.core.scenes.crop_yield import _units  # noqa: E402
from chainon.core.scenes.land_cover import rectangle  # noqa: E402
from chainon.core.series import feature_names  # noqa: E402
from chainon.core.training import read_geojson, reference_from_features, write_geojson  # noqa: E402
from memory_stages import reset_hwm, staged, status  # noqa: E402

DATES = 37                                 # a year every 10 days


class FakeSeries:
    """S2Series' interface; read() makes up each picked pixel's features from
    its position (smooth, so that parcel means differ from parcel to parcel)."""

    def __init__(self, grid, block):
        self.grid, self._block = grid, block
        start = date(2018, 1, 1)
        self.grid_dates = [start + timedelta(days=10 * k) for k in range(DATES)]
        self.offsets = [10 * k for k in range(DATES)]
        self.names = feature_names(self.offsets)
        self.start, self.step_days = start, 10
        self.products = [SimpleNamespace(tile="31TCJ")] * 73
        self.weights = np.linspace(0.5, 1.5, len(self.names), dtype="float32")

    def block(self, mb=None):
        return self._block

    def read(self, w, pick):
        rows, cols = np.divmod(pick, w.width)
        where = ((rows + w.row_off) * 7 + (cols + w.col_off) * 13) % 1000
        x = (100 + where.astype("float32"))[:, None] * self.weights
        return x, np.full(len(pick), 30, "uint16")


def stage_all(log):
    for name in ("polygon_raster", "parcel_features", "train", "_parcel_rows", "aggregate",
                 "map_pixels"):
        setattr(cy, name, staged(name, getattr(cy, name), log))


def real_scene(size, trees):
    from chainon.core.scenes.crop_yield import make_crop_yield_scene
    work = Path(tempfile.mkdtemp(prefix="chainon-trace-yield-"))
    scene = make_crop_yield_scene(work / "scene", seed=0, size=size)
    features, crs = read_geojson(scene.parcels_path)
    parcels = cy.select_parcels(features, crs, "CODE_CULTU", "BTH", "RDT_DECL")
    del features
    units_f, ucrs = read_geojson(scene.units_path)
    units = reference_from_features(units_f, "code", ucrs, numeric=False)
    log = []
    stage_all(log)
    print(f"{len(parcels.index)} wheat parcels on {size}² px, {len(scene.dates)} dates; RSS at "
          f"start {status('VmRSS'):.0f} MB", flush=True)
    t0 = time.perf_counter()
    reset_hwm()
    cy.run_crop_yield(scene.s2_folder, work / "out", parcels, units=units,
                      statistics=cy.read_statistics(scene.statistics_path, "code"), pixels=True,
                      params=cy.YieldParams(n_trees=trees))
    log.append(status("VmHWM"))
    print(f"peak over the run {max(log):.0f} MB (VmHWM), {time.perf_counter() - t0:.0f} s",
          flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def read_whole(path):
    return cy.select_parcels(*read_geojson(path), "CODE_CULTU", "BTH", "RDT_DECL")


def compare_readers(path):
    """CPU seconds of each reading, alternately; the parcels must be equal."""
    got = {}
    for name, read in 2 * (("feature by feature", lambda: _read_parcels(path, "BTH")),
                           ("whole file", lambda: read_whole(path))):
        t0 = time.process_time()
        parcels = read()
        print(f"{name:<20} {time.process_time() - t0:6.2f} CPU s", flush=True)
        got[name] = parcels
        del parcels
    a, b = got.values()
    g, h = a.geometries, b.geometries
    same = (a.crs == b.crs and np.array_equal(a.index, b.index)
            and np.array_equal(a.declared, b.declared, equal_nan=True) and g.other == h.other
            and all(getattr(g, k) == getattr(h, k)
                    for k in ("kind", "part_end", "ring_end", "point_end", "xy")))
    print(f"same parcels: {same}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--side", type=int, default=5490)
    parser.add_argument("--parcel-px", type=int, default=8, help="side of the square parcels")
    parser.add_argument("--declared", type=float, default=0.7, help="share with a yield")
    parser.add_argument("--trees", type=int, default=200)
    parser.add_argument("--block", type=int, default=128, help="px (a year's 64 MB blocks)")
    parser.add_argument("--trace", action="store_true", help="tracemalloc too (slower)")
    parser.add_argument("--whole", action="store_true",
                        help="json.loads of the whole GeoJSON, then select (the former reading)")
    parser.add_argument("--drop-features", action="store_true",
                        help="with --whole: free the GeoJSON features once the parcels are "
                        "selected")
    parser.add_argument("--readers-cpu", action="store_true",
                        help="only the CPU of reading the parcels, feature by feature and whole")
    parser.add_argument("--scene", type=int, metavar="S", help="a real run on an S px scene")
    args = parser.parse_args(argv)
    if args.scene:
        return real_scene(args.scene, args.trees)
    rng = np.random.default_rng(0)
    grid = tile_grid("31TCJ", args.side, (300000.0, 4900020.0))
    n_side = args.side // args.parcel_px
    work = Path(tempfile.mkdtemp(prefix="chainon-trace-yield-"))
    cells = [(slice(r * args.parcel_px, (r + 1) * args.parcel_px),
              slice(c * args.parcel_px, (c + 1) * args.parcel_px))
             for r in range(n_side) for c in range(n_side)]
    write_geojson(work / "parcels.geojson", [
        {"type": "Feature", "geometry": rectangle(grid, rows, cols),
         "properties": {"ID_PARCEL": i, "CODE_CULTU": "BTH",
                        "RDT_DECL": round(float(rng.normal(7, 1)), 1)
                        if rng.random() < args.declared else None}}
        for i, (rows, cols) in enumerate(cells)], grid.crs)
    del cells
    log = []
    if args.trace:
        tracemalloc.start()
    print(f"{n_side ** 2} parcels of {args.parcel_px}² px on {args.side}² px, {DATES} dates; "
          f"RSS at start {status('VmRSS'):.0f} MB", flush=True)
    reset_hwm()                       # not the simulated layout's writing
    path = work / "parcels.geojson"
    if args.readers_cpu:
        compare_readers(path)
        shutil.rmtree(work, ignore_errors=True)
        return 0
    if args.whole:
        features, crs = staged("read GeoJSON", read_geojson, log)(path)
        parcels = staged("select parcels", cy.select_parcels, log)(features, crs, "CODE_CULTU",
                                                                   "BTH", "RDT_DECL")
    else:
        features = None
        parcels = staged("read parcels", _read_parcels, log)(path, "BTH")
    units = reference_from_features(_units(grid, (args.side, args.side)), "code", grid.crs,
                                    numeric=False)
    stage_all(log)
    if args.drop_features:
        del features                  # the caller's GeoJSON dicts freed once selected
    series = FakeSeries(grid, args.block)
    t0 = time.perf_counter()
    reset_hwm()
    cy._run_series(series, work / "out", parcels, None, units, None, {}, True, series.start,
                   series.grid_dates[-1], cy.YieldParams(n_trees=args.trees), {}, Progress(),
                   None, [], None, ())
    log.append(status("VmHWM"))
    print(f"peak over the run {max(log):.0f} MB (VmHWM), {time.perf_counter() - t0:.0f} s",
          flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
