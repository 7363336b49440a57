"""The snow cover product on one tile: LIS per acquisition, then the syntheses
of the period. Shared by the QGIS algorithm and the compute centre."""
import ctypes
import json
import shutil
from contextlib import ExitStack, contextmanager
from pathlib import Path

import numpy as np
import rasterio

from . import snow, snow_synthesis
from .blocks import (Progress, default_workers, jp2_aligned_block, release_freed_memory,
                     run_blocks, windows)
from .catalog import SNOW_COVER
from .cog import CogWriter, output_paths
from .dem import dem_on_grid
from .errors import InputError
from .qml import write_sidecar
from .inputs import processing_grid, select_products
from .masks import on_grid_by_strips, polygons_on_grid
from .theia import (NODATA, QUANTIFICATION, READ_ERRORS, OpenDatasets, cell_ratio,
                    mask_on_grid, open_files_limit, read_cells, read_on_grid)

BANDS = ("B3", "B4", "B11")        # green, red, SWIR
WINDOWS_OPEN_FILES = 256           # of the C runtime's 512 file handles


def run_snow_cover(s2_folder, dem_path, out_folder, outputs=None, start=None, end=None,
                   bounds=None, bounds_crs=None, fsc=False, params=None, progress=None,
                   workers=None, water_mask=None, water_values=(1,), water_polygons=None):
    """Runs the product; returns a dict of result paths and run facts.

    water_mask: optional raster of permanent water (LIS >= 1.7): its pixels
    whose value is in water_values are no data (255) on every date, so that
    lakes are neither mapped as snow nor counted in the snowline.
    water_polygons: optional (crs, [GeoJSON geometries]) of permanent water
    (e.g. BD TOPO's water surfaces), the pixels whose centre they cover
    treated alike; with water_mask, the water of both.

    outputs: optional {output key: path} for OUTPUT, OUTPUT_SOD, OUTPUT_SMOD,
    OUTPUT_NOBS; by default they go to out_folder, a secondary one given as
    None is not written (None in the result). Per-date maps always go to
    out_folder. On any error or cancel, every file this run wrote is removed."""
    progress = progress or Progress()
    params = params or snow.LisParams()
    out_folder = Path(out_folder)
    written = []
    work = out_folder / ".chainon-work"
    try:
        with freed_memory_kept():
            result = _run(Path(s2_folder), dem_path, out_folder, dict(outputs or {}), start, end,
                          bounds, bounds_crs, fsc, params, progress, workers, work, written,
                          (water_mask, tuple(water_values), water_polygons))
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
            Path(str(path)[:-4] + ".qml").unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


# glibc's mallopt parameters and values (malloc.h); 128 kB is their default.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
KEPT_BLOCK_MB, KEPT_FREE_MB, GLIBC_DEFAULT = 32, 64, 128 * 1024


@contextmanager
def freed_memory_kept():
    """By default glibc hands freed blocks of more than 128 kB back to the
    system, and the kernel zeroes the pages of the next ones: a block engine
    allocating a few MB per window spent 20 % of a tile-date's CPU there
    (perf: clear_page). Meanwhile blocks up to KEPT_BLOCK_MB come from the
    heap and up to KEPT_FREE_MB of freed memory stays for reuse (between
    dates, release_freed_memory hands it back: else each stage's threads
    keep theirs, 74 MB more at 20 dates); afterwards the default thresholds
    return and freed memory goes back. No-op off glibc."""
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        yield
        return
    mallopt(M_MMAP_THRESHOLD, KEPT_BLOCK_MB * 2 ** 20)
    mallopt(M_TRIM_THRESHOLD, KEPT_FREE_MB * 2 ** 20)
    try:
        yield
    finally:
        mallopt(M_MMAP_THRESHOLD, GLIBC_DEFAULT)
        mallopt(M_TRIM_THRESHOLD, GLIBC_DEFAULT)
        release_freed_memory()


def _run(s2_folder, dem_path, out_folder, outputs, start, end, bounds, bounds_crs, fsc,
         params, progress, workers, work, written, water):
    products, start, end = select_products(s2_folder, start, end, BANDS)
    grid = processing_grid(products[0], bounds, bounds_crs)
    tile = "T" + products[0].tile
    work.mkdir(parents=True, exist_ok=True)
    out_folder.mkdir(parents=True, exist_ok=True)
    progress.info(f"{len(products)} acquisitions of {tile}, grid {grid.width} x {grid.height} "
                  f"px at 20 m, period {start} to {end}")
    with ExitStack() as stack:
        dem = dem_on_grid(dem_path, grid, work, progress.sub(0, 2))
        stack.callback(dem.close)
        bins = _dem_bins(dem, params)
        stack.callback(bins.close)
        return _run_dates(products, grid, tile, dem, bins, dem_path, out_folder, outputs, start,
                          end, fsc, params, progress, workers, work, written, water)


def _run_dates(products, grid, tile, dem, bins, dem_path, out_folder, outputs, start, end,
               fsc, params, progress, workers, work, written, water):
    tags = dict(product="snow_cover", method="Let It Snow (Gascoin et al. 2019)",
                parameters=json.dumps(params.__dict__), dem=str(dem_path),
                period=f"{start}/{end}")
    water = water_on_grid(water, grid, tags, progress)

    maps, skipped, snowlines = [], [], {}
    per_date = 85.0 / len(products)
    for i, product in enumerate(products):
        step = progress.sub(3 + i * per_date, 3 + (i + 1) * per_date)
        day = product.acquired.date()
        target = out_folder if start <= day <= end else work
        path = target / _map_name("SNOW", tile, product, maps)
        result = classify_date(product, grid, dem, bins, params, path, fsc, step, workers,
                               {**tags, "input": product.name}, water)
        release_freed_memory()      # what a date kept for reuse: not kept for the next
        if result is None:
            skipped.append(product.name)
            continue
        if target == out_folder:
            written.extend(result["files"])
        maps.append((day, result["files"][0]))
        snowlines[product.name] = result["zs"]
    if not any(start <= d <= end for d, _ in maps):
        raise InputError("Every acquisition between {start} and {end} is empty (no data "
                         "over the area): nothing to map.", start=start, end=end)
    progress.info(f"{len(skipped)} acquisitions without data over the area were skipped")
    synth = synthesize_period(maps, grid, start, end, out_folder, outputs, tile,
                              {**tags, "inputs": ",".join(p.name for p in products)},
                              progress.sub(88, 100), workers, written)
    return dict(synth, OUTPUT_FOLDER=str(out_folder), tile=tile, grid=grid,
                dates=[str(d) for d, _ in maps if start <= d <= end], skipped=skipped,
                snowlines=snowlines, start=start, end=end)


def water_on_grid(water, grid, tags, progress):
    """PackedMask of the permanent water from (raster, its water values,
    polygons), each optional, or None without any; recorded in `tags`."""
    path, values, polygons = water
    mask = None
    if path:
        tags.update(water_mask=str(path), water_values=",".join(map(str, values)))
        wanted = np.asarray(values, "float64")
        mask = on_grid_by_strips(path, grid, lambda v: np.isin(v, wanted))[0]
        progress.info(f"water mask {path}: {mask.count()} px of water set to no data")
    if polygons:
        tags.update(water_polygons=str(len(polygons[1])))
        inside = polygons_on_grid(polygons, grid)
        progress.info(f"{len(polygons[1])} water polygons: {inside.count()} px of water set "
                      f"to no data")
        if mask is None:
            return inside
        mask |= inside
    return mask


def _map_name(kind, tile, product, maps):
    day = product.acquired.strftime("%Y%m%d")
    if any(d == product.acquired.date() for d, _ in maps):   # two passes the same day
        day += product.acquired.strftime("-%H%M%S")
    return f"{kind}_{tile}_{day}.tif"


def _dem_bins(dem, params):
    """The snowline-histogram bin of each pixel (dem.RawRows), the same every
    date: kept beside the cached DEM, so made on a tile's first run only."""
    hist = snow.SnowlineHistogram(dem.min, dem.max, params.dz)
    kind = hist.bin_index(np.zeros(0)).dtype
    return dem.derived(f"snowline-bins-v{hist.BIN_FORMAT}-dz{float(params.dz)!r}", kind,
                       hist.bin_index)


def classify_date(product, grid, dem, bins, params, path, fsc, progress, workers, tags,
                  water=None):
    """LIS on one acquisition, written to `path` (and FSC beside it when asked).
    `dem` is a dem.GridDem, `bins` its _dem_bins, `water` None or a PackedMask
    of pixels to leave as no data. Returns None when the acquisition holds no data
    over the grid. The bands are read once: pass A keeps per window the
    uint8 states (and, for FSC, the NDSI of possible snow) that pass B needs."""
    acquisition = _Acquisition(product, grid)
    wins = windows(grid.width, grid.height, acquisition.block(params.rf))
    hist = snow.SnowlineHistogram(dem.min, dem.max, params.dz)
    kept = {}

    def detect(w):
        g, r, s, clm = acquisition.read(w)
        if water is not None:
            g[water.window(w)] = np.nan        # no data, as LIS's water mask makes it
        state, snow1, all_cloud, valid = snow.detect(g, r, s, clm, params)
        h = snow.SnowlineHistogram(dem.min, dem.max, params.dz)
        h.add_binned(bins.read(w), snow1, all_cloud, valid)
        if not fsc:
            return h, state, None
        maybe = snow.maybe_snow(state)
        return h, state, snow.ndsi(g[maybe], s[maybe])

    def merge(w, res):
        hist.merge(res[0])
        kept[(w.col_off, w.row_off)] = res[1:]
    try:
        run_blocks(wins, detect, merge, progress.sub(0, 80), workers)
    finally:
        acquisition.close()
    if hist.n_valid == 0:
        return None
    zs, enabled = hist.snowline(params), hist.pass2_enabled(params)
    files = [path]
    fsc_path = path.with_name(path.name.replace("SNOW_", "FSC_", 1))
    spec = SNOW_COVER.output("SNOW")
    tags = {**tags, "snowline_m": zs, "pass2": enabled}
    with ExitStack() as stack:
        out = stack.enter_context(CogWriter(path, grid, "uint8", 255, tags,
                                            description=spec.title))
        if fsc:
            fsc_out = stack.enter_context(CogWriter(fsc_path, grid, "uint8", 255, tags,
                                                    description="FSC"))
            files.append(fsc_path)

        def finish(w):
            state, nd = kept.pop((w.col_off, w.row_off))
            codes = snow.finish(state, lambda: dem.read(w), zs, enabled)
            return codes, (_fractional(codes, state, nd) if fsc else None)

        def consume(w, res):
            out.write(w, res[0])
            if fsc:
                fsc_out.write(w, res[1])
        run_blocks(wins, finish, consume, progress.sub(80, 100), workers)
    write_sidecar(path, spec)
    if fsc:
        write_sidecar(fsc_path, SNOW_COVER.output("FSC"))
    return dict(files=files, zs=zs)


def _fractional(codes, state, maybe_ndsi):
    """FSC codes from pass A's NDSI of the pixels that may be snow."""
    nd = np.zeros(codes.shape, np.float32)
    nd[snow.maybe_snow(state)] = maybe_ndsi
    return snow.fsc_codes(codes, nd[codes == snow.CODE_SNOW])


class _Acquisition:
    """B3, B4, B11 and CLM of one product read window by window, each thread
    with its own open datasets (closed by `close`)."""

    def __init__(self, product, grid):
        self.product, self.grid = product, grid
        self.clm = product.mask_path("CLM", "R2") or product.mask_path("CLM", "R1")
        self.files = OpenDatasets()
        self.cells = {}     # per band: theia.cell_ratio, the same for every window

    def close(self):
        self.files.close()

    def block(self, rf):
        """The window side: Sen2Cor's JPEG 2000 bands (B3 and B4 first, the
        costliest) decoded once per tile, not once per window and thread."""
        return jp2_aligned_block(self.grid, [self.product.jp2_tiling(b) for b in BANDS], rf)

    def read(self, w):
        """(green, red, swir) reflectances and the CLM (zeros without one)."""
        sub = self.grid.window_grid(w)
        g, r, s = (self._read(self.product.band_path(b), self._reflectance, sub) for b in BANDS)
        if self.clm is None:
            return g, r, s, np.zeros(g.shape, "uint8")
        return g, r, s, self._read(self.clm, mask_on_grid, sub)

    def _read(self, path, reader, sub):
        try:
            return reader(self.files.get(path), sub)
        except READ_ERRORS as e:
            raise InputError("Cannot read the raster {path}: it is missing or corrupt "
                             "({error}).", path=path, error=e)

    def _reflectance(self, ds, grid):
        """theia.read_reflectance on an open dataset. cell_ratio is asked once
        per band (it compares CRS strings: 0.3 ms a call)."""
        if ds.name not in self.cells:
            self.cells[ds.name] = cell_ratio(ds, self.grid, "int16")
        if self.cells[ds.name]:
            data = read_cells(ds, grid, "mean").astype(np.float32, copy=False)
        else:
            data = read_on_grid(ds, grid, resampling="mean", nodata=NODATA)
        data[data == NODATA] = np.nan
        data /= np.float32(QUANTIFICATION)       # in place: the same float32 division
        return data


def synthesize_period(maps, grid, start, end, out_folder, outputs, tile, tags, progress,
                      workers, written):
    """SCD, SOD, SMOD and NOBS of the period from the per-date maps."""
    days = [d for d, _ in maps]
    keys = ("OUTPUT", "OUTPUT_SOD", "OUTPUT_SMOD", "OUTPUT_NOBS")
    span = f"{start:%Y%m%d}_{end:%Y%m%d}"
    paths = output_paths(outputs, keys, lambda k: out_folder /
                         f"SNOW-{SNOW_COVER.output(k).name}_{tile}_{span}.tif")

    # the maps stay open in each thread (an open costs as much as reading a
    # window), within the open-files limit; past it they are opened per window
    limit = open_files_limit(len(maps), workers or default_workers())
    files = OpenDatasets(WINDOWS_OPEN_FILES if limit is None else limit)

    def compute(w):
        stack = np.empty((len(maps), int(w.height), int(w.width)), "uint8")
        for i, (_, path) in enumerate(maps):
            ds = files.get(path)
            if ds is None:
                with rasterio.open(path) as ds:
                    stack[i] = ds.read(1, window=w)
            else:
                stack[i] = ds.read(1, window=w)
        return snow_synthesis.synthesize(stack, days, start, end)

    with ExitStack() as stack:
        writers = {k: stack.enter_context(CogWriter(
            paths[k], grid, "uint16", snow_synthesis.SYNTH_NODATA, tags,
            resampling=SNOW_COVER.output(k).resampling,
            description=SNOW_COVER.output(k).title)) for k in paths}

        def consume(win, res):
            for k in paths:
                writers[k].write(win, res[SNOW_COVER.output(k).name])
        try:
            run_blocks(windows(grid.width, grid.height), compute, consume, progress, workers)
        finally:
            files.close()
    n_days = (end - start).days + 1
    for k in paths:
        written.append(paths[k])
        write_sidecar(paths[k], SNOW_COVER.output(k),
                      ramp_max=(len(days) if k == "OUTPUT_NOBS" else n_days))
    return {k: str(paths[k]) if k in paths else None for k in keys}

