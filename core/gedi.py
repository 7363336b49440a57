"""Reference canopy heights: GEDI L2A granules (HDF5) and point layers.

A GEDI L2A granule holds one group per beam (BEAM0000 ... BEAM1011), one row
per laser shot: position of the lowest mode, relative heights rh (shots x
101, percentiles 0-100 in m), quality_flag, degrade_flag, sensitivity,
delta_time (s since 2018-01-01T00:00:00Z) and land_cover_data/leaf_off_flag
(science.md (d)). The usual filters keep good, undegraded, sensitive,
leaf-on shots below a plausible height for France."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from rasterio.warp import transform

from .errors import InputError

BEAMS = ("BEAM0000", "BEAM0001", "BEAM0010", "BEAM0011",     # coverage beams
         "BEAM0101", "BEAM0110", "BEAM1000", "BEAM1011")     # full-power beams
COVERAGE_BEAMS = BEAMS[:4]
GEDI_EPOCH = datetime(2018, 1, 1)
LEAF_ON_MONTHS = (6, 7, 8, 9, 10)   # used when a granule has no leaf_off_flag


@dataclass
class GediFilters:
    rh: int = 98                       # relative height percentile taken as canopy height
    min_sensitivity: float = 0.95      # full-power beams
    min_sensitivity_coverage: float = 0.98   # coverage beams penetrate dense canopy less
    max_height: float = 50.0           # taller returns are errors in France


@dataclass
class Reference:
    """Reference heights in the grid CRS."""
    x: np.ndarray
    y: np.ndarray
    height: np.ndarray
    source: str


def find_granules(path):
    """A .h5 file, or every .h5 file under a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.rglob("*.h5"))
    else:
        files = [path] if path.is_file() else []
    if not files:
        raise InputError("No GEDI L2A granule (.h5 file) was found at {path}.", path=path)
    return files


def read_granule(path, filters):
    """(lon, lat, height, counts) of the shots of one granule passing the
    filters; counts = (shots read, shots kept)."""
    import h5py  # optional dependency: only GEDI users need it
    lon, lat, height, total = [], [], [], 0
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise InputError("Cannot read the GEDI granule {path} ({error}).", path=path, error=e)
    with f:
        for beam in (b for b in BEAMS if b in f):
            g = f[beam]
            if "rh" not in g or "lat_lowestmode" not in g:
                raise InputError("The file {path} is not a GEDI L2A granule: beam {beam} has "
                                 "no rh or lat_lowestmode.", path=path, beam=beam)
            h = g["rh"][:, filters.rh].astype("float64")
            total += h.size
            keep = _good_shots(g, beam, h, filters)
            lon.append(g["lon_lowestmode"][:][keep])
            lat.append(g["lat_lowestmode"][:][keep])
            height.append(h[keep])
    if not total:
        raise InputError("The file {path} holds no GEDI beam group (BEAM0000 ... BEAM1011).",
                         path=path)
    cat = [np.concatenate(a) for a in (lon, lat, height)]
    return (*cat, (total, len(cat[2])))


def _good_shots(g, beam, h, filters):
    min_sens = (filters.min_sensitivity_coverage if beam in COVERAGE_BEAMS
                else filters.min_sensitivity)
    keep = ((g["quality_flag"][:] == 1) & (g["degrade_flag"][:] == 0)
            & (g["sensitivity"][:] >= min_sens)
            & np.isfinite(h) & (h >= 0) & (h <= filters.max_height))
    if "land_cover_data/leaf_off_flag" in g:
        keep &= g["land_cover_data/leaf_off_flag"][:] == 0
    else:
        months = np.array([(GEDI_EPOCH + timedelta(seconds=float(t))).month
                           for t in g["delta_time"][:]])
        keep &= np.isin(months, LEAF_ON_MONTHS)
    return keep


def read_gedi(path, grid, filters=None):
    """GEDI reference heights over `grid` from a granule or a folder of them."""
    filters = filters or GediFilters()
    files = find_granules(path)
    parts = [read_granule(p, filters) for p in files]
    lon, lat, height = (np.concatenate([p[i] for p in parts]) for i in range(3))
    total = sum(p[3][0] for p in parts)
    x, y = transform("EPSG:4326", grid.crs, lon, lat) if lon.size else ([], [])
    ref = inside(Reference(np.asarray(x), np.asarray(y), height, "GEDI"), grid)
    if ref.height.size == 0:
        raise InputError("The GEDI data {path} ({n_files} granules, {total} shots, {valid} "
                         "passing the quality filters) hold no valid shot over the processing "
                         "area: give granules whose tracks cross the tile.",
                         path=path, n_files=len(files), total=total, valid=lon.size)
    return ref


def reference_points(x, y, height, crs, grid, name):
    """Reference heights from a point layer (coordinates in `crs`)."""
    h = np.asarray(height, "float64")
    ok = np.isfinite(h) & (h >= 0)
    xs, ys = np.asarray(x, "float64")[ok], np.asarray(y, "float64")[ok]
    if xs.size:
        xs, ys = (np.asarray(v) for v in transform(crs, grid.crs, xs, ys))
    ref = inside(Reference(xs, ys, h[ok], name), grid)
    if ref.height.size == 0:
        raise InputError("None of the {n} reference points of {layer} with a height lies over "
                         "the processing area.", n=int(ok.sum()), layer=name)
    return ref


def inside(ref, grid):
    xmin, ymin, xmax, ymax = grid.bounds
    k = (ref.x >= xmin) & (ref.x < xmax) & (ref.y > ymin) & (ref.y <= ymax)
    return Reference(ref.x[k], ref.y[k], ref.height[k], ref.source)


def write_granule(path, beams):
    """Writes a GEDI L2A-like granule (the real layout, the fields used here).
    beams: {beam name: dict(lon, lat, rh (n x 101), quality_flag, degrade_flag,
    sensitivity, delta_time, leaf_off_flag)} — for the simulator and tests."""
    import h5py
    with h5py.File(path, "w") as f:
        for name, b in beams.items():
            g = f.create_group(name)
            n = len(b["lon"])
            g["shot_number"] = np.arange(n, dtype="uint64")
            g["lon_lowestmode"] = np.asarray(b["lon"], "float64")
            g["lat_lowestmode"] = np.asarray(b["lat"], "float64")
            g["rh"] = np.asarray(b["rh"], "float32")
            g["quality_flag"] = np.asarray(b["quality_flag"], "uint8")
            g["degrade_flag"] = np.asarray(b["degrade_flag"], "uint8")
            g["sensitivity"] = np.asarray(b["sensitivity"], "float32")
            g["delta_time"] = np.asarray(b["delta_time"], "float64")
            if "leaf_off_flag" in b:
                g["land_cover_data/leaf_off_flag"] = np.asarray(b["leaf_off_flag"], "uint8")
    return Path(path)
