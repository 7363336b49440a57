"""Sentinel-2 L2A products in the THEIA/MAJA (MUSCATE) layout.

Finds products (folders or .zip files) in a folder tree, parses their names
and reads FRE reflectances and masks onto a target grid. Reflectances are
returned as float32 0-1 with NaN for nodata (-10000 on disk).
"""
import os
import re
import threading
import zipfile
from xml.etree import ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import rasterio
from rasterio.enums import MaskFlags, Resampling
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window

from .errors import InputError
from .grid import Grid

NODATA = -10000
QUANTIFICATION = 10000.0
R1_BANDS = ("B2", "B3", "B4", "B8")
R2_BANDS = ("B5", "B6", "B7", "B8A", "B11", "B12")
MASK_KINDS = ("CLM", "EDG", "SAT", "MG2", "DFP", "IAB")
INVALID_MASKS = ("CLM", "SAT", "EDG")

NAME_RE = re.compile(
    r"^(?P<platform>SENTINEL2[A-D]|LANDSAT8[-A-Z]*|VENUS[-A-Z]*)_"
    r"(?P<date>\d{8})-(?P<time>\d{6})-(?P<ms>\d{3})_(?P<level>L2A)_"
    r"T?(?P<tile>\d{2}[A-Z]{3})_(?P<status>[CHD])_(?P<version>V\d+-\d+)$")

# CLM bit values per MUSCATE format version. V1 (MAJA 1.x) and V2 (MAJA 3.x)
# use the same positions; V1 leaves the thinnest clouds (16) out of bits 0-1
# while V2 folds them in, which is why "any bit set" is the safe cloud test.
# (The native MAJA .DBL format puts shadows on 4/8: not a MUSCATE product.)
CLM_BITS = {
    "V1": {"all_and_shadows": 1, "all_clouds": 2, "mono": 4, "multi": 8,
           "thin": 16, "shadow": 32, "shadow_outside": 64, "high": 128},
    "V2": {"all_and_shadows": 1, "all_clouds": 2, "mono": 4, "multi": 8,
           "thin": 16, "shadow": 32, "shadow_outside": 64, "high": 128},
}


@dataclass(frozen=True)
class TheiaProduct:
    path: Path            # product folder or .zip
    name: str
    platform: str
    acquired: datetime
    tile: str             # e.g. "31UFQ"
    version: str          # e.g. "V2-2"
    _files: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def major_version(self):
        return self.version.split("-")[0]

    @property
    def clm_bits(self):
        return CLM_BITS.get(self.major_version, CLM_BITS["V2"])

    def files(self):
        """Relative file name -> openable path, listed once."""
        if not self._files:
            self._files.update(_list_files(self.path))
        return self._files

    def _find(self, suffix):
        for rel, full in self.files().items():
            if rel.endswith(suffix):
                return full
        return None

    def bands(self, kind="FRE"):
        """The reflectance bands of `kind` the product holds."""
        return {rel.split(f"_{kind}_")[1][:-4] for rel in self.files() if f"_{kind}_" in rel}

    def band_path(self, band, kind="FRE"):
        path = self._find(f"_{kind}_{band}.tif")
        if path is None:
            raise InputError("Band {band} ({kind}) is missing from the Sentinel-2 product "
                             "{product}; this product needs it.",
                             band=band, kind=kind, product=self.path)
        return path

    def jp2_tiling(self, band):
        """THEIA's GeoTIFFs decode cheaply window by window: None (see
        sen2cor.Sen2CorProduct.jp2_tiling)."""
        return None

    def mask_path(self, kind, res_group):
        """Path of MASKS/*_{kind}_R{1|2}.tif, or None when absent (optional)."""
        return self._find(f"_{kind}_{res_group}.tif")

    def sun_angles(self):
        """Mean sun (zenith, azimuth) in degrees from MTD_ALL.xml
        (Geometric_Informations/Mean_Value_List/Sun_Angles), or None."""
        path = Path(self.path)
        try:
            if path.suffix.lower() == ".zip":
                with zipfile.ZipFile(path) as z:
                    names = [n for n in z.namelist() if n.endswith("_MTD_ALL.xml")]
                    if not names:
                        return None
                    root = ET.fromstring(z.read(names[0]))
            else:
                found = sorted(path.glob("*_MTD_ALL.xml"))
                if not found:
                    return None
                root = ET.parse(found[0]).getroot()
            sun = root.find(".//Mean_Value_List/Sun_Angles")
            return float(sun.findtext("ZENITH_ANGLE")), float(sun.findtext("AZIMUTH_ANGLE"))
        except (AttributeError, TypeError, ValueError, OSError, ET.ParseError, zipfile.BadZipFile):
            return None


def parse_name(name):
    """The fields of a THEIA product name, or None if it is not one."""
    m = NAME_RE.match(name)
    if not m:
        return None
    acquired = datetime.strptime(m["date"] + m["time"] + m["ms"], "%Y%m%d%H%M%S%f")
    return dict(platform=m["platform"], acquired=acquired, tile=m["tile"],
                version=m["version"])


def find_products(root):
    """All Sentinel-2 L2A products under `root` (THEIA, Sen2Cor's SAFE as
    `sen2cor.Sen2CorProduct`, the items of STAC JSON files as
    `stac.StacProduct`), sorted by acquisition time. A product present both
    zipped and unzipped is taken once (the folder)."""
    from . import sen2cor, stac    # they build on this module
    root = Path(root)
    if not root.is_dir():
        raise InputError("The Sentinel-2 folder {folder} does not exist.", folder=root)
    found = {}

    def take(path, stem):
        theia, safe = parse_name(stem), sen2cor.parse_name(stem)
        if theia or safe:
            found[stem] = (TheiaProduct(path, stem, **theia) if theia
                           else sen2cor.Sen2CorProduct(path, stem, **safe))
        return stem in found

    for dirpath, dirnames, filenames in os.walk(root):
        for d in list(dirnames):
            if take(Path(dirpath) / d, sen2cor.product_stem(d)):
                dirnames.remove(d)   # do not descend into a product
        for f in filenames:
            stem = sen2cor.product_stem(f)
            if f.lower().endswith(".zip") and stem not in found:
                take(Path(dirpath) / f, stem)
            elif f.lower().endswith(".json"):
                for item in stac.find_items(Path(dirpath) / f):
                    found.setdefault(item.name, item)
    return sorted(found.values(), key=lambda p: p.acquired)


def _list_files(path):
    path = Path(path)
    if path.suffix.lower() == ".zip":
        return {n.split("/")[-1]: f"/vsizip/{path}/{n}" for n in zip_members(path)
                if n.endswith(".tif")}
    return {p.name: str(p) for p in path.rglob("*.tif")}


def zip_members(path):
    """The member names of a zipped product."""
    try:
        with zipfile.ZipFile(path) as z:
            return z.namelist()
    except zipfile.BadZipFile as e:
        raise InputError("The Sentinel-2 product {product} is not a valid zip file ({error}).",
                         product=path, error=e)


# rasterio before 1.4 does not derive RasterioIOError (a failed read) from RasterioError
READ_ERRORS = (rasterio.errors.RasterioError, rasterio.errors.RasterioIOError)


def open_raster(path):
    """rasterio.open with an error a user can act on."""
    try:
        return rasterio.open(path)
    except rasterio.errors.RasterioIOError as e:
        raise InputError("Cannot read the raster {path}: it is missing or corrupt ({error}).",
                         path=path, error=e)


def read_on_grid(ds, grid, resampling="mean", nodata=None):
    """Read band 1 of an open dataset onto `grid` as float32 with NaN for nodata.

    Same CRS and pixel sizes in an integer ratio (the THEIA R1/R2 case): exact
    numpy block mean (downsampling) or repeat (upsampling). Anything else: GDAL
    warping (bilinear, or nearest for masks)."""
    nodata = ds.nodata if nodata is None else nodata
    src_res = ds.transform.a
    same_crs = ds.crs is not None and ds.crs.to_string() == grid.crs
    if same_crs and _integer_ratio(src_res, grid.res):
        data = _read_aligned(ds, grid, resampling).astype("float32")
    else:
        rs = Resampling.nearest if resampling == "nearest" else Resampling.bilinear
        with WarpedVRT(ds, crs=grid.crs, transform=grid.transform, width=grid.width,
                       height=grid.height, resampling=rs, src_nodata=nodata,
                       nodata=np.nan if nodata is None else nodata, dtype="float32") as vrt:
            data = vrt.read(1, out_dtype="float32")
    if nodata is not None and resampling != "mean":
        data[data == nodata] = np.nan
    return data


def _integer_ratio(a, b):
    r = max(a, b) / min(a, b)
    return abs(r - round(r)) < 1e-6


def _read_aligned(ds, grid, resampling):
    """Pixels of `ds` covering `grid` (same CRS), resampled by an integer factor."""
    t, s = ds.transform, ds.transform.a
    col_f, row_f = (grid.x0 - t.c) / s, (t.f - grid.y0) / s
    if s < grid.res:                  # e.g. 10 m band onto a 20 m grid
        k = int(round(grid.res / s))
        raw = _read_window(ds, round(col_f), round(row_f), grid.width * k, grid.height * k)
        cells = raw.reshape(grid.height, k, grid.width, k)
        if resampling == "or":        # bit masks: a flag anywhere in the cell counts
            return np.bitwise_or.reduce(np.bitwise_or.reduce(cells, axis=3), axis=1)
        if resampling == "mean":
            # np.nanmean's own steps, without its warning on all-nodata cells
            # (catch_warnings does not hold in worker threads): NaN there
            valid = cells != NODATA
            total = np.where(valid, cells, 0).astype("float32").sum(axis=(1, 3))
            count = valid.sum(axis=(1, 3), dtype=np.intp)
            with np.errstate(invalid="ignore"):
                return np.true_divide(total, count, out=total, casting="unsafe")
        return cells[:, 0, :, 0]
    if s > grid.res:                  # e.g. 20 m band or mask onto a 10 m grid
        k = int(round(s / grid.res))
        c0, r0 = int(np.floor(col_f + 1e-9)), int(np.floor(row_f + 1e-9))
        dc, dr = int(round((col_f - c0) * k)), int(round((row_f - r0) * k))
        raw = _read_window(ds, c0, r0, -(-(dc + grid.width) // k), -(-(dr + grid.height) // k))
        out = np.repeat(np.repeat(raw, k, axis=0), k, axis=1)
        return out[dr:dr + grid.height, dc:dc + grid.width]
    return _read_window(ds, round(col_f), round(row_f), grid.width, grid.height)


def _read_window(ds, col, row, width, height):
    """Band 1 over a pixel window; outside the raster is filled with nodata."""
    win = Window(col, row, width, height)
    inside = col >= 0 and row >= 0 and col + width <= ds.width and row + height <= ds.height
    fill = ds.nodata if ds.nodata is not None else (NODATA if ds.dtypes[0] == "int16" else 0)
    return ds.read(1, window=win, boundless=not inside, fill_value=fill)


def read_fine(ds, grid, k):
    """The pixels of `ds` (same CRS, pixels k times finer, aligned) under
    `grid`, as _read_window reads them. Inside a raster whose only mask is
    its nodata value, a plain read gives the same values at half the cost of
    rasterio's masked-then-filled read (an internal mask must be applied)."""
    t, res = ds.transform, ds.transform.a
    col, row = round((grid.x0 - t.c) / res), round((t.f - grid.y0) / res)
    width, height = grid.width * k, grid.height * k
    inside = col >= 0 and row >= 0 and col + width <= ds.width and row + height <= ds.height
    if inside and ds.mask_flag_enums[0] in ([MaskFlags.nodata], [MaskFlags.all_valid]):
        return ds.read(1, window=Window(col, row, width, height))
    return _read_window(ds, col, row, width, height)


MAX_CELL = 15   # k x k int16 sums stay exact in float32, their counts fit uint8


def cell_ratio(ds, grid, dtype):
    """k when `ds` holds `dtype` on `grid`'s CRS with pixels k times finer
    (1 <= k <= MAX_CELL; THEIA R1/R2 on a 10 or 20 m grid), else 0."""
    res = ds.transform.a
    if (ds.crs is None or ds.crs.to_string() != grid.crs or ds.dtypes[0] != dtype
            or res > grid.res or not _integer_ratio(res, grid.res)):
        return 0
    k = int(round(grid.res / res))
    return k if k <= MAX_CELL else 0


def read_cells(ds, grid, how):
    """Band 1 of `ds` (cell_ratio k > 0) over `grid`, its pixels k x k per
    grid cell: "or" of each cell (bit masks, uint8), or "mean": the float32
    mean of its valid (not NODATA) int16 pixels, NaN when none, bit for bit
    read_on_grid's np.nanmean without its copies. k = 1: the pixels as stored."""
    k = int(round(grid.res / ds.transform.a))
    raw = read_fine(ds, grid, k)
    if how == "or":
        if k > 1:
            raw = np.bitwise_or.reduce([raw[i::k, j::k] for i in range(k) for j in range(k)])
        return raw.astype("uint8", copy=False)
    return raw if k == 1 else _cell_mean(raw, k)


def _cell_mean(raw, k):
    """np.nanmean sums in float32 (exact here) and divides in float64; the
    float32 division gives the same bits (float64 carries more than twice
    float32's precision, so rounding twice is harmless: checked for every
    int16 sum of 1 to 9 values)."""
    parts = [(i, j) for i in range(k) for j in range(k)]
    valid = raw != NODATA
    if valid.all():
        total = raw[0::k, 0::k].astype(np.float32)
        for i, j in parts[1:]:
            total += raw[i::k, j::k]
        return total / np.float32(k * k)
    zeroed = raw * valid
    total = zeroed[0::k, 0::k].astype(np.float32)
    v = valid.view(np.uint8)
    count = v[0::k, 0::k].copy()
    for i, j in parts[1:]:
        total += zeroed[i::k, j::k]
        count += v[i::k, j::k]
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count


class OpenDatasets:
    """Rasters kept open by each block thread (rasterio's datasets are not
    shared between threads): opening a file for every block costs more than
    decoding it. At most `limit` stay open in all (None: no limit); past it
    `get` gives None and the caller reads that file the slow way. The files
    of threads that have ended are closed when another thread starts;
    `close` closes every one."""

    def __init__(self, limit=None):
        self.limit = limit
        self._lock = threading.Lock()
        self._threads = {}            # Thread -> {path: dataset, or None if unfit}
        self._n_open = 0

    def get(self, path, fits=None):
        """This thread's open dataset of `path`; None past the limit or when
        `fits(dataset)` is false."""
        files = self._mine()
        if path not in files:
            with self._lock:
                if self.limit is not None and self._n_open >= self.limit:
                    return None
                self._n_open += 1
            ds = None
            try:
                ds = open_raster(path)
                if fits is not None and not fits(ds):
                    ds.close()
                    ds = None
            finally:
                if ds is None:
                    with self._lock:
                        self._n_open -= 1
            files[path] = ds
        return files[path]

    def _mine(self):
        me = threading.current_thread()
        files = self._threads.get(me)
        if files is None:
            with self._lock:
                for t in [t for t in self._threads if not t.is_alive()]:
                    self._close(self._threads.pop(t))
                files = self._threads[me] = {}
        return files

    def _close(self, files):
        for ds in files.values():
            if ds is not None:
                ds.close()
                self._n_open -= 1

    def close(self):
        with self._lock:
            for files in self._threads.values():
                self._close(files)
            self._threads.clear()


def open_files_limit(n_files, threads):
    """How many files the block threads may keep open in all: the process's
    soft limit (1024 on many Linux desktops) is raised towards the hard one
    for `threads` threads holding `n_files` each, 1024 are left to the rest;
    None when unlimited (Windows: GDAL's files are not counted)."""
    try:
        import resource
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = threads * n_files + 1024
    if soft != resource.RLIM_INFINITY and soft < want:
        try:
            soft = want if hard == resource.RLIM_INFINITY else min(want, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        except (ValueError, OSError):
            soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return None if soft == resource.RLIM_INFINITY else max(0, soft - 1024)


def read_reflectance(product, band, grid, kind="FRE"):
    """Reflectance 0-1 (float32, NaN = nodata) of one band on `grid`."""
    path = product.band_path(band, kind)
    with open_raster(path) as ds:
        try:
            data = read_on_grid(ds, grid, resampling="mean", nodata=NODATA)
        except READ_ERRORS as e:
            raise InputError("Cannot read the raster {path}: it is missing or corrupt ({error}).",
                             path=path, error=e)
    if not np.issubdtype(data.dtype, np.floating):
        data = data.astype("float32")
    data[data == NODATA] = np.nan
    return data / QUANTIFICATION


def read_mask(product, kind, grid):
    """A MASKS/ raster (uint8 bits) on `grid`: the resolution group closest to
    the grid, bit-ORed when downsampled; None when the product lacks it."""
    groups = ("R1", "R2") if grid.res < 15 else ("R2", "R1")
    for g in groups:
        path = product.mask_path(kind, g)
        if path:
            with open_raster(path) as ds:
                try:
                    return mask_on_grid(ds, grid)
                except READ_ERRORS as e:
                    raise InputError("Cannot read the raster {path}: it is missing or corrupt "
                                     "({error}).", path=path, error=e)
    return None


def mask_on_grid(ds, grid):
    """An open MASKS/ raster on `grid`: bit-ORed when downsampled."""
    if cell_ratio(ds, grid, "uint8"):
        return read_cells(ds, grid, "or")
    if ds.crs.to_string() == grid.crs and _integer_ratio(ds.transform.a, grid.res):
        return _read_aligned(ds, grid, "or").astype("uint8")
    return np.nan_to_num(read_on_grid(ds, grid, "nearest", nodata=255), nan=0).astype("uint8")


def clear_mask(product, grid):
    """True where CLM, SAT and EDG are all zero (iota2: any bit is a gap);
    masks a product lacks are taken as clear."""
    ok = np.ones((grid.height, grid.width), bool)
    for kind in INVALID_MASKS:
        mask = read_mask(product, kind, grid)
        if mask is not None:
            ok &= mask == 0
    return ok


def product_grid(product, res=20.0):
    """The product's full-tile grid at `res` m, from its R2 (or R1) files."""
    held = product.bands()
    for band in R2_BANDS + R1_BANDS:
        if band in held:
            with open_raster(product.band_path(band)) as ds:
                return Grid.from_dataset(ds).at_resolution(res)
    raise InputError("The Sentinel-2 product {product} holds no FRE band.", product=product.path)
