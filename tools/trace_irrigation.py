"""What irrigation's peak memory is made of with a whole tile's parcels
(issue 13), without simulating a tile's imagery (hours): the product's own
code (core/irrigation.py's _run: parcel sums block by block, features,
models, predictions, maps and report) runs on a 5490² px grid at 20 m
covered with N square parcels, a share of them labelled, each with a crop,
the rain a daily table (as the compute centre passes it). Only the image
reads are made up (read_reflectance, clear_mask, read_stack: cheap values
from each pixel's parcel, date and position; irrigated parcels wetter in
summer), over the simulator's season (March-October, Sentinel-2 every 10
days, one Sentinel-1 orbit every 12 days). Each stage prints the process's
resident size when it began and its peak during the stage (VmHWM, reset at
each stage through /proc/self/clear_refs: also GDAL's and the forests' C
allocations) and the peak since the previous stage (what ran between).

Not the real figures: blocks of real imagery (GDAL's caches, the inputs
read) add to the block stages; the models' inputs are synthetic.

Usage: python tools/trace_irrigation.py [--side 5490] [--parcel-px 8]
                                        [--labelled 0.7] [--trees 100]"""
import argparse
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".pkgroot"))
sys.path.insert(0, str(ROOT / "tools"))

from chainon.core import irrigation as ir  # noqa: E402
from chainon.core import irrigation_features as irf  # noqa: E402
from chainon.core.blocks import Progress  # noqa: E402
from chainon.core.irrigation import IrrigationParams, ParcelSeries  # noqa: E402
from chainon.core.scenes.common import tile_grid  # noqa: E402
from chainon.core.scenes.land_cover import rectangle  # noqa: E402
from chainon.core.training import reference_from_features  # noqa: E402
from memory_stages import reset_hwm, staged, status  # noqa: E402

START, END = date(2020, 3, 1), date(2020, 10, 31)
CROPS = ("maize", "soybean", "sunflower", "wheat", "sorghum")


def parcel_of(rows, cols, px, n_side):
    return (rows // px) * n_side + cols // px


def irrigated(ids):
    return (ids * 2654435761 % 1000) < 350         # a made-up 35 % irrigated


class Fake:
    """The reads of _compute, from every pixel's parcel, date and position."""

    def __init__(self, px, n_side, tile):
        self.px, self.n_side, self.tile = px, n_side, tile

    def _where(self, grid):
        rows, cols = np.mgrid[0:grid.height, 0:grid.width]
        r0 = int(round((self.tile.y0 - grid.y0) / grid.res))
        c0 = int(round((grid.x0 - self.tile.x0) / grid.res))
        return rows + r0, cols + c0

    def reflectance(self, product, band, grid):
        rows, cols = self._where(grid)
        ids = parcel_of(rows, cols, self.px, self.n_side)
        season = np.sin(np.pi * (product.acquired.timetuple().tm_yday - 60) / 245)
        green = (0.2 + 0.5 * season * (1 + 0.3 * irrigated(ids))
                 + 0.01 * ((rows * 7 + cols * 13) % 11)).astype("float32")
        base = {"B4": 0.08, "B5": 0.12, "B8": 0.25, "B8A": 0.26, "B11": 0.2}[band]
        scale = {"B4": -0.05, "B5": 0.02, "B8": 0.3, "B8A": 0.28, "B11": -0.08}[band]
        return base + scale * green

    def clear(self, product, grid):
        rows, cols = self._where(grid)
        return ((rows // 97 + cols // 89 + product.acquired.toordinal()) % 5) != 0

    def stack(self, images, grid):
        rows, cols = self._where(grid)
        ids = parcel_of(rows, cols, self.px, self.n_side)
        day = images[0].acquired
        summer = 150 < day.timetuple().tm_yday < 240
        db = (-12 + 2 * (irrigated(ids) & summer) * ((ids + day.toordinal()) % 3 == 0)
              + 0.1 * ((rows * 5 + cols * 3 + day.toordinal()) % 17))
        if images[0].polarisation == "vh":
            db = db - 7
        return [day], (10 ** (db / 10)).astype("float32")[None]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labelled", type=float, default=0.7, help="share with a label")
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="block and forest threads")
    parser.add_argument("--side", type=int, default=5490)
    parser.add_argument("--parcel-px", type=int, default=8, help="side of the square parcels")
    args = parser.parse_args(argv)
    grid = tile_grid("31TCJ", args.side, (300000.0, 4900020.0))
    px, n_side = args.parcel_px, args.side // args.parcel_px
    rng = np.random.default_rng(0)
    n = n_side ** 2
    label = np.where(rng.random(n) < args.labelled,
                     irrigated(np.arange(n)).astype("int8"), -1)
    crop = rng.integers(0, len(CROPS), n)

    def features():
        for i in range(n):
            r, c = divmod(i, n_side)
            yield {"geometry": rectangle(grid, slice(r * px, (r + 1) * px),
                                         slice(c * px, (c + 1) * px)),
                   "properties": {"irrigated": None if label[i] < 0 else str(label[i])}}
    labels = reference_from_features(features(), "irrigated", grid.crs, numeric=False,
                                     keep_empty=True)
    crops = [CROPS[c] for c in crop]
    del label, crop
    s2 = [SimpleNamespace(acquired=datetime(2020, 3, 1) + timedelta(days=10 * k), tile="31TCJ")
          for k in range(((END - START).days) // 10 + 1)]
    s1_days = [datetime(2020, 3, 3) + timedelta(days=12 * k)
               for k in range(((END - START).days - 2) // 12 + 1)]
    s1 = {"DES_008": {p: [SimpleNamespace(acquired=d, polarisation=p, tile="31TCJ")
                          for d in s1_days] for p in ("vv", "vh")}}
    rain = np.where(np.arange((END - START).days + 1) % 6 == 0, 8.0, 0.0)
    fake = Fake(px, n_side, grid)
    ir.select_products = lambda *a: (s2, START, END)
    ir.processing_grid = lambda *a: grid
    ir.s1_images = lambda *a: s1
    ir.read_rain = lambda *a: (rain[None], None)
    ir.read_reflectance, ir.clear_mask, ir.read_stack = fake.reflectance, fake.clear, fake.stack
    log = []
    for module, name in ((ParcelSeries, "accumulate"), (ir, "parcel_cells"),
                         (ParcelSeries, "s2_means"), (irf, "_s1_features"),
                         (irf, "wetting_events"), (irf, "_monthly_table"),
                         (irf, "joint_features"), (irf, "_assembled"),
                         (ir, "choose_model"), (ir, "write_maps"), (ir, "_report")):
        setattr(module, name, staged(name, getattr(module, name), log))
    work = Path(tempfile.mkdtemp(prefix="chainon-trace-irrigation-"))
    print(f"{n} parcels of {px}² px on {args.side}² px, {len(s2)} Sentinel-2 and "
          f"{len(s1_days)} Sentinel-1 dates, {args.labelled:.0%} labelled; RSS at start "
          f"{status('VmRSS'):.0f} MB", flush=True)
    cpu, t0 = time.process_time(), time.perf_counter()
    reset_hwm()
    out = ir.run_irrigation("S2", "S1", "rain.csv", labels, work,
                            params=IrrigationParams(n_trees=args.trees),
                            progress=Progress(), workers=args.workers, crops=crops)
    log.append(status("VmHWM"))
    print(f"{len(out['feature_names'])} features, model {out['model']}; peak over the run "
          f"{max(log):.0f} MB (VmHWM), {time.perf_counter() - t0:.0f} s, "
          f"{time.process_time() - cpu:.0f} CPU s (this process)", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
