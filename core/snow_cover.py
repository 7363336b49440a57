"""The snow cover product on one tile: LIS per acquisition, then the syntheses
of the period. Shared by the QGIS algorithm and the compute centre."""
import json
import shutil
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import rasterio

from . import snow, snow_synthesis
from .blocks import Progress, run_blocks, windows
from .catalog import SNOW_COVER
from .cog import CogWriter
from .dem import warp_dem
from .errors import InputError
from .qml import write_sidecar
from .inputs import processing_grid, select_products
from .theia import read_mask, read_reflectance

BANDS = ("B3", "B4", "B11")        # green, red, SWIR


def run_snow_cover(s2_folder, dem_path, out_folder, outputs=None, start=None, end=None,
                   bounds=None, bounds_crs=None, fsc=False, params=None, progress=None,
                   workers=None):
    """Runs the product; returns a dict of result paths and run facts.

    outputs: optional {output key: path} for OUTPUT, OUTPUT_SOD, OUTPUT_SMOD,
    OUTPUT_NOBS; by default they go to out_folder. Per-date maps always go to
    out_folder. On any error or cancel, every file this run wrote is removed."""
    progress = progress or Progress()
    params = params or snow.LisParams()
    out_folder = Path(out_folder)
    written = []
    work = out_folder / ".chainon-work"
    try:
        result = _run(Path(s2_folder), dem_path, out_folder, dict(outputs or {}), start, end,
                      bounds, bounds_crs, fsc, params, progress, workers, work, written)
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
            Path(str(path)[:-4] + ".qml").unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _run(s2_folder, dem_path, out_folder, outputs, start, end, bounds, bounds_crs, fsc,
         params, progress, workers, work, written):
    products, start, end = select_products(s2_folder, start, end, BANDS)
    grid = processing_grid(products[0], bounds, bounds_crs)
    tile = "T" + products[0].tile
    work.mkdir(parents=True, exist_ok=True)
    out_folder.mkdir(parents=True, exist_ok=True)
    progress.info(f"{len(products)} acquisitions of {tile}, grid {grid.width} x {grid.height} "
                  f"px at 20 m, period {start} to {end}")
    dem_file = work / "dem.tif"
    dem_min, dem_max = warp_dem(dem_path, grid, dem_file, progress.sub(0, 3))
    tags = dict(product="snow_cover", method="Let It Snow (Gascoin et al. 2019)",
                parameters=json.dumps(params.__dict__), dem=str(dem_path),
                period=f"{start}/{end}")

    maps, skipped, snowlines = [], [], {}
    per_date = 85.0 / len(products)
    for i, product in enumerate(products):
        step = progress.sub(3 + i * per_date, 3 + (i + 1) * per_date)
        day = product.acquired.date()
        target = out_folder if start <= day <= end else work
        path = target / _map_name("SNOW", tile, product, maps)
        result = classify_date(product, grid, dem_file, dem_min, dem_max, params, path,
                               fsc, step, workers, {**tags, "input": product.name})
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


def _map_name(kind, tile, product, maps):
    day = product.acquired.strftime("%Y%m%d")
    if any(d == product.acquired.date() for d, _ in maps):   # two passes the same day
        day += product.acquired.strftime("-%H%M%S")
    return f"{kind}_{tile}_{day}.tif"


def _reader(product, grid, dem_file):
    def read(w):
        sub = grid.window_grid(w)
        g, r, s = (read_reflectance(product, b, sub) for b in BANDS)
        clm = read_mask(product, "CLM", sub)
        if clm is None:
            clm = np.zeros(g.shape, "uint8")
        with rasterio.open(dem_file) as ds:
            dem = ds.read(1, window=w)
        return g, r, s, clm, dem
    return read


def classify_date(product, grid, dem_file, dem_min, dem_max, params, path, fsc, progress,
                  workers, tags):
    """LIS on one acquisition, written to `path` (and FSC beside it when asked).
    Returns None when the acquisition holds no data over the grid."""
    read = _reader(product, grid, dem_file)
    wins = windows(grid.width, grid.height)
    hist = snow.SnowlineHistogram(dem_min, dem_max, params.dz)

    def stats(w):
        g, r, s, clm, dem = read(w)
        all_cloud, _, _ = snow.cloud_masks(clm)
        valid = ~snow.nodata_mask(g, r, s)
        h = snow.SnowlineHistogram(dem_min, dem_max, params.dz)
        h.add(dem, snow.pass1(g, r, s, all_cloud, params), all_cloud, valid)
        return h, int(valid.sum())
    n_valid = 0

    def merge(w, res):
        nonlocal n_valid
        hist.merge(res[0])
        n_valid += res[1]
    run_blocks(wins, stats, merge, progress.sub(0, 45), workers)
    if n_valid == 0:
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

        def compute(w):
            g, r, s, clm, dem = read(w)
            codes = snow.classify(g, r, s, clm, dem, zs, enabled, params)
            return codes, (snow.fractional_snow(g, s, codes) if fsc else None)

        def consume(w, res):
            out.write(w, res[0])
            if fsc:
                fsc_out.write(w, res[1])
        run_blocks(wins, compute, consume, progress.sub(45, 100), workers)
    write_sidecar(path, spec)
    if fsc:
        write_sidecar(fsc_path, SNOW_COVER.output("FSC"))
    return dict(files=files, zs=zs)


def synthesize_period(maps, grid, start, end, out_folder, outputs, tile, tags, progress,
                      workers, written):
    """SCD, SOD, SMOD and NOBS of the period from the per-date maps."""
    days = [d for d, _ in maps]
    keys = ("OUTPUT", "OUTPUT_SOD", "OUTPUT_SMOD", "OUTPUT_NOBS")
    span = f"{start:%Y%m%d}_{end:%Y%m%d}"
    paths = {}
    for key in keys:
        spec = SNOW_COVER.output(key)
        paths[key] = Path(outputs.get(key) or out_folder / f"SNOW-{spec.name}_{tile}_{span}.tif")

    def compute(w):
        stack = np.empty((len(maps), int(w.height), int(w.width)), "uint8")
        for i, (_, path) in enumerate(maps):
            with rasterio.open(path) as ds:
                stack[i] = ds.read(1, window=w)
        return snow_synthesis.synthesize(stack, days, start, end)

    with ExitStack() as stack:
        writers = {k: stack.enter_context(CogWriter(
            paths[k], grid, "uint16", snow_synthesis.SYNTH_NODATA, tags,
            resampling=SNOW_COVER.output(k).resampling,
            description=SNOW_COVER.output(k).title)) for k in keys}

        def consume(win, res):
            for k in keys:
                writers[k].write(win, res[SNOW_COVER.output(k).name])
        run_blocks(windows(grid.width, grid.height), compute, consume, progress, workers)
    n_days = (end - start).days + 1
    for k in keys:
        written.append(paths[k])
        write_sidecar(paths[k], SNOW_COVER.output(k),
                      ramp_max=(len(days) if k == "OUTPUT_NOBS" else n_days))
    return {k: str(v) for k, v in paths.items()}

