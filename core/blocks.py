"""The block engine: cut an output grid into windows, compute them in a small
thread pool (GDAL and numpy release the GIL), hand results back in the caller's
thread for writing, check cancel between blocks and report progress.

Memory stays bounded: at most `2 * workers` blocks are in flight."""
import ctypes
import math
import os
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

import rasterio
from rasterio.windows import Window

from .errors import Cancelled

DEFAULT_BLOCK = 480          # a multiple of 12 (LIS 240 m cells at 20 m) and of 16
LARGEST_BLOCK = 2048         # JPEG 2000 alignment: 1536 px at 20 m for 1024-px 10 m tiles
# GDAL keeps the blocks it reads and writes in its cache (5 % of the RAM by
# default) until it is full: up to 1.2 GB here of blocks a tile's run never
# reads twice. A small cache lets them go.
GDAL_CACHE_MB = 128


def gdal_cache(mb=GDAL_CACHE_MB):
    """Context in which GDAL's block cache is limited to `mb`."""
    return rasterio.Env(GDAL_CACHEMAX=mb * 2 ** 20)       # in bytes


def default_workers():
    return max(1, min(4, os.cpu_count() or 1))


def block_for_layers(n_layers, mb=48):
    """Side (a multiple of 16, at most DEFAULT_BLOCK) of the blocks whose
    float32 stack of n_layers (dates x bands of a time series) takes about
    `mb`: a longer period gets smaller blocks, not more memory."""
    side = int((mb * 2 ** 20 / (4 * max(1, n_layers))) ** 0.5) // 16 * 16
    return max(64, min(DEFAULT_BLOCK, side))


def cache_rows(x, mb=4):
    """Row slices of the 2-D array x of about `mb` each. A forest's trees
    each sweep the rows they are given: rows that stay in the CPU cache from
    one tree to the next are read from memory once (land cover's votes on
    481 features: 17.5 -> 8.9 µs/px in blocks of 2048-4096 rows, 16.5 in
    blocks of 8192)."""
    step = max(256, int(mb * 2 ** 20) // max(1, x.shape[1] * x.itemsize))
    return [slice(c, c + step) for c in range(0, x.shape[0], step)]


def release_freed_memory():
    """Hands the memory a finished stage freed back to the system: glibc keeps
    it in its arenas, where the next stage's threads do not take it (land
    cover: 115 MB kept after training, peak 623 -> 524 MB). No-op off glibc."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def jp2_aligned_block(grid, tilings, multiple, default=DEFAULT_BLOCK, largest=LARGEST_BLOCK):
    """A window side (px of `grid`) that is a multiple of `multiple` and puts
    every JPEG 2000 tile of the inputs in one window, so that none is decoded
    twice; `tilings` are the inputs' (tile side m, x0, y0) or None, finest
    input first (the costliest to decode): a coarser input's tiles are left
    out when aligning on them too would exceed `largest`. `default` when no
    input is JPEG 2000 or the grid does not start on their tiles (a cut
    extent)."""
    sides = []
    for tiling in filter(None, tilings):
        tile, x0, y0 = tiling
        on_tiles = all(abs(round(d / tile) * tile - d) < 1e-6 * tile
                       for d in (grid.x0 - x0, y0 - grid.y0))
        if not on_tiles or abs(round(tile / grid.res) * grid.res - tile) > 1e-6 * tile:
            return default
        side = math.lcm(multiple, *sides, round(tile / grid.res))
        if side > largest:
            break
        sides.append(side)
    return sides[-1] if sides else default


def windows(width, height, block=DEFAULT_BLOCK):
    """Row-major windows of at most block x block pixels covering the grid."""
    return [Window(c, r, min(block, width - c), min(block, height - r))
            for r in range(0, height, block) for c in range(0, width, block)]


class Progress:
    """Progress and cancel hooks; the QGIS layer wraps its feedback in one."""

    def __init__(self, set_percent=None, is_canceled=None, info=None):
        self._set = set_percent or (lambda p: None)
        self._canceled = is_canceled or (lambda: False)
        self._info = info or (lambda m: None)

    def percent(self, value):
        self._set(max(0.0, min(100.0, value)))

    def info(self, message):
        self._info(message)

    def check(self):
        if self._canceled():
            raise Cancelled()

    def sub(self, start, end):
        """Progress mapped onto [start, end] of this one."""
        return Progress(lambda p: self.percent(start + (end - start) * p / 100.0),
                        self._canceled, self._info)


def run_blocks(wins, compute, consume, progress=None, workers=None, cache_mb=GDAL_CACHE_MB):
    """compute(window) runs in worker threads; consume(window, result) runs
    here, in submission order per completion. Raises Cancelled when asked.
    `cache_mb`: GDAL's block cache meanwhile (readers that keep their files
    open want a small one: its blocks would otherwise stay, never reread)."""
    progress = progress or Progress()
    workers = workers or default_workers()
    todo = list(wins)
    done = 0
    with gdal_cache(cache_mb), ThreadPoolExecutor(max_workers=workers) as pool:
        running = {}
        try:
            while todo or running:
                while todo and len(running) < 2 * workers:
                    w = todo.pop(0)
                    running[pool.submit(compute, w)] = w
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    w = running.pop(fut)
                    consume(w, fut.result())
                    done += 1
                    progress.percent(100.0 * done / len(wins) if wins else 100.0)
                progress.check()
        except BaseException:
            for fut in running:
                fut.cancel()
            raise
