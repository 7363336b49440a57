"""Ancillary DEM: any raster, reprojected and resampled onto the product grid.

A DEM warped onto a tile's grid is the same for every run on that tile:
`dem_on_grid` keeps it in a private per-user cache (raw float32, so reading a
window costs no decoding) keyed by the DEM file and the grid, and beside it
what a product derives from it pixel by pixel (GridDem.derived)."""
import hashlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import rasterio
from rasterio.warp import transform_bounds
from rasterio.windows import Window

from .blocks import run_blocks, windows
from .errors import InputError
from .theia import open_raster, read_on_grid

WARP_BLOCK = 1024
DERIVE_ROWS = 256                    # rows of the grid derived at a time (float64 temporaries)
CACHE_ENV = "CHAINON_CACHE_DIR"      # overrides the cache folder (tests, compute centre)
CACHE_MAX_BYTES = 4 * 2 ** 30        # least recently used DEMs are removed beyond this
_CACHE_VERSION = 1
_HEADER = 16                         # float64 min and max before the raw rows


def check_covers(ds, grid, path):
    """A DEM must cover the whole grid (one DEM pixel of tolerance)."""
    try:
        b = transform_bounds(ds.crs, grid.crs, *ds.bounds, densify_pts=21)
    except Exception as e:   # noqa: BLE001 - any CRS failure means the same to the user
        raise InputError("The DEM {path} has no usable coordinate system ({error}).",
                         path=path, error=e)
    tol = 2 * max(abs(b[2] - b[0]) / ds.width, abs(b[3] - b[1]) / ds.height)
    g = grid.bounds
    if b[0] > g[0] + tol or b[1] > g[1] + tol or b[2] < g[2] - tol or b[3] < g[3] - tol:
        raise InputError("The DEM {path} does not cover the area to process "
                         "(DEM {dem}, area {area} in {crs}); give a DEM that covers the tile.",
                         path=path, dem=tuple(round(v) for v in b),
                         area=tuple(round(v) for v in g), crs=grid.crs)


def _warp(path, grid, consume, progress):
    """consume(window, float32 block) for the DEM resampled (bilinear) onto
    `grid`; returns (min, max) elevation over the grid."""
    lo, hi = np.inf, -np.inf
    local = threading.local()
    opened = []
    with open_raster(path) as src:
        if src.crs is None:
            raise InputError("The DEM {path} has no coordinate system.", path=path)
        check_covers(src, grid, path)

    def compute(w):
        if not hasattr(local, "ds"):           # one handle per thread
            local.ds = rasterio.open(path)
            opened.append(local.ds)
        return read_on_grid(local.ds, grid.window_grid(w), resampling="bilinear")

    def keep(w, block):
        nonlocal lo, hi
        consume(w, block)
        if np.isfinite(block).any():
            lo, hi = min(lo, np.nanmin(block)), max(hi, np.nanmax(block))
    try:
        run_blocks(windows(grid.width, grid.height, WARP_BLOCK), compute, keep, progress)
    finally:
        for ds in opened:
            ds.close()
    if not np.isfinite(lo):
        raise InputError("The DEM {path} holds no valid elevation over the area to process.",
                         path=path)
    return float(lo), float(hi)


def warp_dem(path, grid, dst, progress=None):
    """Write the DEM resampled (bilinear) onto `grid` as float32 GeoTIFF `dst`;
    returns (min, max) elevation over the grid."""
    profile = dict(driver="GTiff", width=grid.width, height=grid.height, count=1,
                   dtype="float32", crs=grid.crs, transform=grid.transform, nodata=np.nan,
                   tiled=True, blockxsize=256, blockysize=256, compress="DEFLATE")
    with rasterio.open(dst, "w", **profile) as out:
        return _warp(path, grid, lambda w, block: out.write(block, 1, window=w), progress)


class RawRows:
    """Rows of a grid stored raw (after `header` bytes): a window is read
    without decoding and without holding the whole grid in memory. The file
    stays open, so that another run evicting it from the cache meanwhile
    does not matter."""

    def __init__(self, path, width, dtype, header=0):
        self.path, self.width, self.dtype, self.header = Path(path), width, np.dtype(dtype), header
        self._file = open(self.path, "rb")
        self._lock = threading.Lock()           # np.memmap seeks the shared file

    def read(self, w):
        with self._lock:
            rows = np.memmap(self._file, self.dtype, "r", shape=(int(w.height), self.width),
                             offset=self.header + int(w.row_off) * self.width * self.dtype.itemsize)
        block = np.array(rows[:, int(w.col_off):int(w.col_off + w.width)])
        del rows                                # unmapped: only this window was resident
        return block

    def close(self):
        self._file.close()


class GridDem(RawRows):
    """The DEM on a grid as a raw float32 file (rows of the grid after a
    header holding min and max)."""

    def __init__(self, path, grid):
        super().__init__(path, grid.width, "<f4", _HEADER)
        self.height = grid.height
        self.min, self.max = np.frombuffer(self._file.read(_HEADER), "<f8").tolist()

    def derived(self, name, dtype, make):
        """RawRows of make(DEM rows), a per-pixel product of the DEM alone
        (e.g. its snowline bins), kept beside the DEM file as <file>.<name>
        (evicted with it): made on the first run on a tile only."""
        path = self.path.with_name(f"{self.path.name}.{name}")
        if not path.exists():
            self._derive(path, dtype, make)
        try:
            return RawRows(path, self.width, dtype)
        except FileNotFoundError:               # evicted by another run meanwhile
            self._derive(path, dtype, make)
            return RawRows(path, self.width, dtype)

    def _derive(self, path, dtype, make):
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as f:
                for row in range(0, self.height, DERIVE_ROWS):
                    w = Window(0, row, self.width, min(DERIVE_ROWS, self.height - row))
                    f.write(np.asarray(make(self.read(w)), dtype).tobytes())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def dem_on_grid(path, grid, work, progress=None):
    """GridDem of the DEM `path` warped onto `grid`: from the cache when this
    DEM file was already warped onto this grid, else warped now (and cached
    when a private cache folder is available, else written in `work`)."""
    cache = cache_dir()
    key = _cache_key(path, grid) if cache else None
    if key and (cache / key).exists():
        try:
            os.utime(cache / key)               # recently used: evicted last
            return GridDem(cache / key, grid)
        except FileNotFoundError:               # evicted by another run meanwhile: warp
            pass
    folder = cache if key else Path(work)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
    try:
        with os.fdopen(fd, "r+b") as f:
            f.truncate(_HEADER + grid.width * grid.height * 4)

            def write(w, block):
                for i, row in enumerate(block):
                    f.seek(_HEADER + ((int(w.row_off) + i) * grid.width + int(w.col_off)) * 4)
                    f.write(row.astype("<f4").tobytes())
            lo, hi = _warp(path, grid, write, progress)
            f.seek(0)
            f.write(np.array([lo, hi], "<f8").tobytes())
        final = folder / (key or "dem.f32")
        os.replace(tmp, final)
        for d in _derived_files(final):        # left by a killed run: another DEM's
            d.unlink(missing_ok=True)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if key:
        _evict(cache, keep=final)
    return GridDem(final, grid)


def cache_dir():
    """The DEM cache folder, created private (0700); None when it cannot be
    made or is not private to this user (then nothing is cached)."""
    base = os.environ.get(CACHE_ENV) or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chainon"
    folder = Path(base) / "dem"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o077):
        return None
    return folder


def _cache_key(path, grid):
    """Name of the cached DEM: the file (path, size, modification time) and
    the grid; None for a DEM that is not a plain file (no way to tell a change)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    facts = [_CACHE_VERSION, str(Path(path).resolve()), st.st_size, st.st_mtime_ns,
             grid.crs, grid.x0, grid.y0, grid.res, grid.width, grid.height]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()[:32] + ".f32"


def _evict(cache, keep):
    """Remove the least recently used DEMs while the cache is over its size,
    and the partial files of runs killed mid-warp a day ago or more."""
    for p in cache.glob("*.part"):
        try:
            if time.time() - p.stat().st_mtime > 86400:
                p.unlink()
        except OSError:                          # finished or removed meanwhile
            pass
    for p in cache.glob("*.f32.*"):              # derived from a DEM evicted meanwhile
        if not p.with_name(p.name.split(".f32.", 1)[0] + ".f32").exists():
            try:
                p.unlink(missing_ok=True)
            except OSError:                      # open by another run (Windows)
                pass
    entries = []
    for p in cache.glob("*.f32"):
        try:
            st = p.stat()
            size = st.st_size + sum(d.stat().st_size for d in _derived_files(p))
        except OSError:                          # removed by another run meanwhile
            continue
        entries.append((st.st_mtime, size, p))
    total = sum(size for _, size, _ in entries)
    for _, size, p in sorted(entries):
        if total <= CACHE_MAX_BYTES:
            break
        if p != keep:
            try:
                p.unlink(missing_ok=True)
                for d in _derived_files(p):
                    d.unlink(missing_ok=True)
            except OSError:                      # open by another run (Windows)
                continue
            total -= size


def _derived_files(dem_file):
    return dem_file.parent.glob(dem_file.name + ".*")
