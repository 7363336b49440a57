"""Reference canopy heights: GEDI L2A granules (HDF5) and point layers.

A GEDI L2A granule holds one group per beam (BEAM0000 ... BEAM1011), one row
per laser shot: position of the lowest mode, relative heights rh (shots x
101, percentiles 0-100 in m), quality_flag, degrade_flag, sensitivity,
delta_time (s since 2018-01-01T00:00:00Z) and land_cover_data/leaf_off_flag
(science.md (d)). The usual filters keep good, undegraded, sensitive,
leaf-on shots below a plausible height for France."""
import re
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
# Without leaf_off_flag (product version 001; version 002 added it from MODIS
# phenology), leaf-on is taken from the month where leaves fall: June-October
# north of the tropics, December-April south of them; in the tropics no
# season is dropped (evergreen or wet-season canopies, no winter leaf-off).
LEAF_ON_MONTHS = (6, 7, 8, 9, 10)
LEAF_ON_MONTHS_SOUTH = (12, 1, 2, 3, 4)
TROPIC = 23.44
# Other GEDI products downloaded beside the L2A granules (L1B waveforms,
# L2B cover, L4A biomass...): named GEDI<level>_<letter>_...
OTHER_PRODUCT = re.compile(r"^GEDI0(1_B|2_B|3_|4_)", re.IGNORECASE)
FILTERS = ("quality", "degrade", "sensitivity", "height", "season")
# Horizontal geolocation error of a shot (m) by product version: ~20 m for
# version 001, ~10 m since version 002's improved geolocation (Roy et al.
# 2021; Schleich et al. 2023). Used as the standard deviation of the error
# along any one direction (an upper value: a 2-D normal error of 10 m mean
# length has ~8 m along each axis).
GEOLOCATION_ERROR = {"001": 20.0, "002": 10.0}
# Shots over the area held at most (issue 13): a tile-year of granules holds
# 10^5-10^6 quality shots; beyond this a uniform random sample of them is kept,
# granule after granule (bottom-k of seeded random keys, a reservoir sample),
# so memory stays bounded (~10 MB) whatever the number of granules. Ten times
# forest_height.MAX_FOOTPRINTS, so its even draw over the squares still has
# room to choose.
MAX_SHOTS = 200000


@dataclass
class GediFilters:
    rh: int = 98                       # relative height percentile taken as canopy height
    min_sensitivity: float = 0.95      # full-power beams
    min_sensitivity_coverage: float = 0.98   # coverage beams penetrate dense canopy less
    # Tried and dropped (independent simulator, 5 seeds): 0.9 on every beam when
    # a DEM checks each shot's ground. Mean 3.40 -> 3.25 m but seed 1 3.03 ->
    # 4.05 m (missed-ground shots under tall firs pass the slope-widened check),
    # worst 4.14 -> 4.05 m, within noise; and shots the DEM cannot check would
    # have kept the lower threshold.
    max_height: float = 50.0           # taller returns are errors in France


@dataclass
class Reference:
    """Reference heights in the grid CRS; ground: GEDI's elevation of the
    lowest mode (m above the WGS84 ellipsoid; NaN where a granule lacks it),
    None for point layers."""
    x: np.ndarray
    y: np.ndarray
    height: np.ndarray
    source: str
    ground: np.ndarray = None
    geo_err: np.ndarray = None     # horizontal geolocation error (m); None for points


def find_granules(path, warn=None):
    """A .h5 file, or the .h5 files under a folder that are not another GEDI
    product (L1B, L2B, L4A...: skipped, each with a warning through `warn`)."""
    path = Path(path)
    warn = warn or (lambda message: None)
    if path.is_dir():
        files = []
        for f in sorted(path.rglob("*.h5")):
            if OTHER_PRODUCT.match(f.name):
                warn(f"Skipped {f.name}: not a GEDI L2A granule (another GEDI product).")
            else:
                files.append(f)
    else:
        files = [path] if path.is_file() else []
    if not files and path.is_dir() and any(path.rglob("*.h5")):
        _only_other_products(path)
    if not files:
        raise InputError("No GEDI L2A granule (.h5 file) was found at {path}.", path=path)
    return files


def _only_other_products(path):
    raise InputError("No GEDI L2A granule was found at {path}: its .h5 files are other "
                     "products (L1B, L2B...). Download the L2A granules (GEDI02_A).", path=path)


def read_granule(path, filters):
    """(lon, lat, height, ground, counts) of the shots of one granule passing
    the filters; ground: elev_lowestmode (NaN without it); counts: shots read,
    then removed by each of FILTERS in turn, and kept. None when the file has
    no L2A beam group."""
    import h5py  # optional dependency: only GEDI users need it
    lon, lat, height, ground = [], [], [], []
    counts = dict.fromkeys(("read",) + FILTERS + ("kept",), 0)
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise InputError("Cannot read the GEDI granule {path} ({error}).", path=path, error=e)
    with f:
        beams = [f[b] for b in BEAMS if b in f]
        if not any("rh" in g and "lat_lowestmode" in g for g in beams):
            return None
        for g in beams:
            h = g["rh"][:, filters.rh].astype("float64")
            keep = _good_shots(g, g.name.strip("/"), h, filters, counts)
            lon.append(g["lon_lowestmode"][:][keep])
            lat.append(g["lat_lowestmode"][:][keep])
            height.append(h[keep])
            ground.append(g["elev_lowestmode"][:][keep].astype("float64")
                          if "elev_lowestmode" in g else np.full(int(keep.sum()), np.nan))
    cat = [np.concatenate(a) for a in (lon, lat, height, ground)]
    counts["kept"] = len(cat[2])
    return (*cat, counts)


def _good_shots(g, beam, h, filters, counts):
    """Keep mask of a beam's shots; counts what each filter removes, in order."""
    min_sens = (filters.min_sensitivity_coverage if beam in COVERAGE_BEAMS
                else filters.min_sensitivity)
    lat = g["lat_lowestmode"][:]
    steps = dict(quality=g["quality_flag"][:] == 1, degrade=g["degrade_flag"][:] == 0,
                 sensitivity=g["sensitivity"][:] >= min_sens,
                 height=np.isfinite(h) & (h >= 0) & (h <= filters.max_height),
                 season=lambda: _leaf_on(g, lat))
    keep = np.ones(h.size, bool)
    counts["read"] += h.size
    for name in FILTERS:
        step = steps[name]() if callable(steps[name]) else steps[name]
        counts[name] += int((keep & ~step).sum())
        keep &= step
    return keep


def _leaf_on(g, lat):
    if "land_cover_data/leaf_off_flag" in g:
        return g["land_cover_data/leaf_off_flag"][:] == 0
    months = np.array([(GEDI_EPOCH + timedelta(seconds=float(t))).month
                       for t in g["delta_time"][:]])
    return np.where(lat > TROPIC, np.isin(months, LEAF_ON_MONTHS),
                    np.where(lat < -TROPIC, np.isin(months, LEAF_ON_MONTHS_SOUTH), True))


def product_version(path):
    """"001" or "002" (002 or later): the granule's METADATA PGEVersion ("001"
    in product version 001), else its name (version 001 names end in _001_01,
    later ones in _V002); "002" when neither says so."""
    import h5py
    with h5py.File(path, "r") as f:
        meta = f.get("METADATA/DatasetIdentification")
        pge = meta.attrs.get("PGEVersion") if meta is not None else None
    if pge is not None:
        pge = np.ravel(pge)[0]
        pge = pge.decode() if isinstance(pge, bytes) else str(pge)
        return "001" if pge == "001" else "002"
    return "001" if re.search(r"_001_\d\d(_sub)?\.h5$", Path(path).name) else "002"


def read_gedi(path, grid, filters=None, warn=None, seed=0):
    """GEDI reference heights over `grid` from a granule or a folder of them
    (at most MAX_SHOTS, a seeded uniform sample beyond). Files that are not
    L2A granules are skipped with a warning (through `warn`) in a folder, and
    are an error when given alone."""
    filters = filters or GediFilters()
    warn = warn or (lambda message: None)
    files = find_granules(path, warn)
    sample = _Reservoir(MAX_SHOTS, seed)
    counts, n_files = None, 0
    for f in files:
        part = read_granule(f, filters)
        if part is None and len(files) == 1 and not Path(path).is_dir():
            raise InputError("The file {path} is not a GEDI L2A granule: it has no beam group "
                             "with rh and lat_lowestmode.", path=f)
        if part is None:
            warn(f"Skipped {f.name}: not a GEDI L2A granule (no beam group with rh).")
            continue
        lon, lat, height, ground, part_counts = part
        counts = part_counts if counts is None else {k: counts[k] + part_counts[k]
                                                     for k in counts}
        n_files += 1
        x, y = transform("EPSG:4326", grid.crs, lon, lat) if lon.size else ([], [])
        err = np.full(height.size, GEOLOCATION_ERROR[product_version(f)])
        sample.add(inside(Reference(np.asarray(x, "float64"), np.asarray(y, "float64"), height,
                                    "GEDI", ground, err), grid))
    if counts is None:
        _only_other_products(path)
    ref = sample.reference()
    if sample.seen > MAX_SHOTS:
        warn(f"{sample.seen} GEDI shots over the area: a random {MAX_SHOTS} of them are used "
             f"(enough for training and validation, and memory stays bounded).")
    if ref.height.size == 0 and counts["kept"]:
        raise InputError("The GEDI data {path} ({n_files} L2A granules, {read} shots) hold no "
                         "valid shot over the processing area: {kept} shots pass the quality "
                         "filters but none lies over it. Give granules whose tracks cross it.",
                         path=path, n_files=n_files, **counts)
    if ref.height.size == 0:
        raise InputError("The GEDI data {path} ({n_files} L2A granules, {read} shots) hold no "
                         "valid shot: {quality} removed by quality_flag, {degrade} by "
                         "degrade_flag, {sensitivity} below the sensitivity threshold, {height} "
                         "outside 0-{max_height:g} m, {season} outside the leaf-on season "
                         "(leaf_off_flag, or the month where a granule has no such flag).",
                         path=path, n_files=n_files, max_height=filters.max_height, **counts)
    return ref


class _Reservoir:
    """A uniform sample of at most `size` shots from granules added one by
    one: the shots with the smallest seeded random keys (bottom-k sampling),
    so at most size + one granule's shots are ever held."""

    def __init__(self, size, seed):
        self.size, self.rng, self.seen = size, np.random.default_rng(seed), 0
        self.keys, self.parts = np.empty(0), []

    def add(self, ref):
        self.seen += ref.height.size
        self.keys = np.concatenate([self.keys, self.rng.random(ref.height.size)])
        self.parts.append(ref)
        if self.keys.size > self.size:
            keep = np.sort(np.argpartition(self.keys, self.size)[:self.size])
            self.parts, self.keys = [subset(self.reference(), keep)], self.keys[keep]

    def reference(self):
        if not self.parts:
            return Reference(*(np.empty(0) for _ in range(3)), "GEDI", np.empty(0), np.empty(0))
        return Reference(*(np.concatenate([getattr(p, k) for p in self.parts])
                           for k in ("x", "y", "height")), "GEDI",
                         *(np.concatenate([getattr(p, k) for p in self.parts])
                           for k in ("ground", "geo_err")))


def reference_points(x, y, height, crs, grid, name):
    """Reference heights from a point layer (coordinates in `crs`)."""
    x, y = _point_coordinates(x, y, name)
    h = np.asarray(height, "float64")
    ok = np.isfinite(h) & (h >= 0)
    xs, ys = x[ok], y[ok]
    if xs.size:
        xs, ys = (np.asarray(v) for v in transform(crs, grid.crs, xs, ys))
    ref = inside(Reference(xs, ys, h[ok], name), grid)
    if ref.height.size == 0:
        raise InputError("None of the {n} reference points of {layer} with a height lies over "
                         "the processing area.", n=int(ok.sum()), layer=name)
    return ref


def _point_coordinates(x, y, name):
    """x and y as float arrays of one number per height; the vertices of
    lines or polygons are refused (not points)."""
    try:
        x, y = np.asarray(x, "float64"), np.asarray(y, "float64")
    except (TypeError, ValueError):         # ragged: rings or lines of several vertices
        x = y = None
    if x is None or x.ndim != 1 or y.ndim != 1:
        raise InputError("The reference heights of {layer} are not points (one x and one y "
                         "per height): give a point layer.", layer=name)
    return x, y


def inside(ref, grid):
    xmin, ymin, xmax, ymax = grid.bounds
    k = (ref.x >= xmin) & (ref.x < xmax) & (ref.y > ymin) & (ref.y <= ymax)
    return subset(ref, k)


def subset(ref, keep):
    """The reference heights where `keep` (a mask or indices)."""
    return Reference(ref.x[keep], ref.y[keep], ref.height[keep], ref.source,
                     *(None if a is None else a[keep] for a in (ref.ground, ref.geo_err)))


def write_granule(path, beams):
    """Writes a GEDI L2A-like granule (the real layout, the fields used here).
    beams: {beam name: dict(lon, lat, rh (n x 101), quality_flag, degrade_flag,
    sensitivity, delta_time, leaf_off_flag, optionally elev)} — for the
    simulator and tests."""
    import h5py
    with h5py.File(path, "w") as f:
        for name, b in beams.items():
            g = f.create_group(name)
            n = len(b["lon"])
            g["shot_number"] = np.arange(n, dtype="uint64")
            g["lon_lowestmode"] = np.asarray(b["lon"], "float64")
            g["lat_lowestmode"] = np.asarray(b["lat"], "float64")
            g["rh"] = np.asarray(b["rh"], "float32")
            if "elev" in b:
                g["elev_lowestmode"] = np.asarray(b["elev"], "float32")
            g["quality_flag"] = np.asarray(b["quality_flag"], "uint8")
            g["degrade_flag"] = np.asarray(b["degrade_flag"], "uint8")
            g["sensitivity"] = np.asarray(b["sensitivity"], "float32")
            g["delta_time"] = np.asarray(b["delta_time"], "float64")
            if "leaf_off_flag" in b:
                g["land_cover_data/leaf_off_flag"] = np.asarray(b["leaf_off_flag"], "uint8")
    return Path(path)
