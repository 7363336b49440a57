"""Sentinel-1 backscatter on the Sentinel-2 tile grid, in the S1Tiling layout.

One GeoTIFF per platform/tile/polarisation/orbit direction/relative orbit/
date, e.g. s1a_31TCJ_vv_DES_008_20200108t061432.tif: linear power (sigma0 or
gamma0) as float32 with nodata 0, or dB when the files were converted (`db`).
Orbits are kept apart: each (direction, relative orbit) sees the ground from
its own side, which the radar-shadow methods need."""
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from .errors import InputError
from .grid import Grid
from .theia import open_raster, read_on_grid

NAME_RE = re.compile(
    r"^(?P<platform>s1[a-d])_(?P<tile>\d{2}[A-Z]{3})_(?P<pol>vv|vh|hh|hv)_"
    r"(?P<direction>ASC|DES)_(?P<orbit>\d{3})_(?P<when>\d{8}t\d{6})(?P<extra>[_A-Za-z0-9]*)"
    r"\.tiff?$", re.IGNORECASE)
NAME_EXAMPLE = "s1a_31TCJ_vv_DES_008_20200108t061432.tif"
LOOK = {"ASC": "east", "DES": "west"}   # right-looking SAR on a near-polar orbit


@dataclass(frozen=True)
class S1Image:
    path: Path
    platform: str
    tile: str
    polarisation: str        # "vv", "vh", ...
    direction: str           # "ASC" | "DES"
    relative_orbit: int
    acquired: datetime

    @property
    def orbit(self):
        """The orbit key images are grouped by, e.g. 'DES_008'."""
        return f"{self.direction}_{self.relative_orbit:03d}"


def parse_name(name):
    """An S1Tiling file name -> dict of its fields, or None."""
    m = NAME_RE.match(name)
    if not m:
        return None
    return dict(platform=m["platform"].lower(), tile=m["tile"].upper(),
                polarisation=m["pol"].lower(), direction=m["direction"].upper(),
                relative_orbit=int(m["orbit"]),
                acquired=datetime.strptime(m["when"].lower(), "%Y%m%dt%H%M%S"))


def find_images(root, tile=None):
    """Every S1Tiling image under `root` (sub-folders too), sorted by date."""
    images = []
    for folder, _, files in os.walk(root):
        for f in files:
            fields = parse_name(f)
            if fields and (tile is None or fields["tile"] == tile.lstrip("T")):
                images.append(S1Image(Path(folder) / f, **fields))
    return sorted(images, key=lambda i: (i.acquired, i.orbit, i.polarisation))


def select_images(root, start=None, end=None, polarisations=("vv", "vh"),
                  both_directions=True):
    """{orbit: {polarisation: [S1Image...]}} of one tile between start and end
    (datetime.date, inclusive), checked for what the methods need."""
    images = find_images(root)
    if not images:
        raise InputError("No Sentinel-1 file was found in {folder} (expected S1Tiling files "
                         "named like {example}).", folder=root, example=NAME_EXAMPLE)
    tiles = sorted({i.tile for i in images})
    if len(tiles) > 1:
        raise InputError("The folder {folder} holds Sentinel-1 files of several tiles "
                         "({tiles}); give a folder with one tile.", folder=root,
                         tiles=", ".join(tiles))
    inside = [i for i in images if (start is None or i.acquired.date() >= start)
              and (end is None or i.acquired.date() <= end)]
    if not inside:
        raise InputError("No Sentinel-1 file of tile {tile} between {start} and {end} in "
                         "{folder} (files from {first} to {last}).", tile=tiles[0],
                         start=start, end=end, folder=root,
                         first=images[0].acquired.date(), last=images[-1].acquired.date())
    groups = defaultdict(lambda: defaultdict(list))
    for i in inside:
        groups[i.orbit][i.polarisation].append(i)
    for orbit, by_pol in groups.items():
        missing = [p for p in polarisations if p not in by_pol]
        if missing:
            raise InputError("Orbit {orbit} has no {missing} file between {start} and {end}: "
                             "both {needed} polarisations are needed.", orbit=orbit,
                             missing=", ".join(p.upper() for p in missing), start=start,
                             end=end, needed=" and ".join(p.upper() for p in polarisations))
    directions = {o.split("_")[0] for o in groups}
    if both_directions and directions == {"ASC"}:
        raise InputError("Only ascending orbits in {folder}: the method needs descending "
                         "orbits too (each direction sees a different border of a cut).",
                         folder=root)
    if both_directions and directions == {"DES"}:
        raise InputError("Only descending orbits in {folder}: the method needs ascending "
                         "orbits too (each direction sees a different border of a cut).",
                         folder=root)
    return {o: {p: groups[o][p] for p in polarisations} for o in sorted(groups)}


def tile_grid(image):
    """The grid of an image file (the S2 tile grid, 10 m)."""
    with open_raster(image.path) as ds:
        return Grid.from_dataset(ds)


def read_backscatter(image, grid, db=False):
    """Linear backscatter on `grid`, float32, NaN where no data (0 on disk)."""
    with open_raster(image.path) as ds:
        data = read_on_grid(ds, grid, resampling="nearest", nodata=0)
    if db:                      # dB files: 0 dB is valid but S1Tiling's nodata too
        data = np.where(np.isfinite(data), 10.0 ** (data / 10.0), np.nan).astype("float32")
    else:   # no power is negative: mostly negative values are dB (a few, noise removal's)
        negative = data < 0
        if np.count_nonzero(negative) > np.count_nonzero(data > 0):
            raise InputError("The Sentinel-1 file {path} holds mostly negative values: it looks "
                             "like dB. Tick 'Files are in dB' (DB).", path=image.path)
        data[negative | (data == 0)] = np.nan
    return data


def read_stack(images, grid, db=False):
    """(n, h, w) float32 stack of linear backscatter; same-day duplicates
    (two platforms or slices) are averaged ignoring NaN."""
    days = sorted({i.acquired for i in images})
    stack = np.full((len(days), grid.height, grid.width), np.nan, "float32")
    index = {d: k for k, d in enumerate(days)}
    for i in images:
        data, k = read_backscatter(i, grid, db), index[i.acquired]
        both = np.isfinite(stack[k]) & np.isfinite(data)
        stack[k] = np.where(both, (stack[k] + data) / 2, np.fmax(stack[k], data))
    return days, stack
