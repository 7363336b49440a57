"""What makes snow cover fast, checked for exactness and behaviour (never timed):
the DEM warped once per tile into a private cache, the bands read once per
date (the 10 m -> 20 m mean: tests/test_theia_cells.py)."""
import os
import platform
import stat

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window

from chainon.core import dem as dem_mod
from chainon.core import snow, snow_cover
from chainon.core.grid import Grid
from chainon.core.simulate import write_raster
from chainon.core.snow_cover import run_snow_cover
from chainon.core.theia import find_products, product_grid, read_reflectance

GRID = Grid("EPSG:32631", 600000.0, 5000000.0, 20.0, 50, 40)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(dem_mod.CACHE_ENV, str(folder))
    return folder / "dem"


def a_dem(tmp_path, offset=0.0):
    """A 30 m DEM in another CRS-aligned grid: the warp is real (bilinear)."""
    src = Grid("EPSG:32631", 599990.0, 5000010.0, 30.0, 40, 32)
    z = np.add.outer(np.linspace(500, 900, 32), np.linspace(0, 300, 40)).astype("float32")
    path = tmp_path / "dem.tif"
    write_raster(path, z + offset, src, nodata=-9999)
    return path


def test_cached_dem_equals_the_warped_geotiff_and_is_reused(tmp_path, cache):
    path = a_dem(tmp_path)
    lo, hi = dem_mod.warp_dem(path, GRID, tmp_path / "warped.tif")
    with rasterio.open(tmp_path / "warped.tif") as ds:
        expected = ds.read(1)
    first = dem_mod.dem_on_grid(path, GRID, tmp_path)
    assert first.path.parent == cache and (first.min, first.max) == (lo, hi)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    for w in (Window(0, 0, 50, 40), Window(12, 24, 30, 16)):
        np.testing.assert_array_equal(
            first.read(w), expected[w.row_off:w.row_off + w.height, w.col_off:w.col_off + w.width])
    mtime = first.path.stat().st_mtime_ns
    again = dem_mod.dem_on_grid(path, GRID, tmp_path)
    assert again.path == first.path and again.path.stat().st_mtime_ns >= mtime
    assert len(list(cache.glob("*.f32"))) == 1            # not warped a second time


def test_dem_cache_keyed_by_file_and_grid(tmp_path, cache):
    path = a_dem(tmp_path)
    first = dem_mod.dem_on_grid(path, GRID, tmp_path)
    other_grid = dem_mod.dem_on_grid(path, GRID.window_grid(Window(0, 0, 20, 20)), tmp_path)
    assert other_grid.path != first.path
    a_dem(tmp_path, offset=100.0)                          # the DEM file changes
    os.utime(path, ns=(first.path.stat().st_mtime_ns + 10 ** 9,) * 2)
    changed = dem_mod.dem_on_grid(path, GRID, tmp_path)
    assert changed.path != first.path and changed.min == pytest.approx(first.min + 100)


def test_dem_cache_not_used_unless_private(tmp_path, cache):
    cache.mkdir(parents=True, mode=0o755)
    cache.chmod(0o755)                                     # readable by others: refused
    dem = dem_mod.dem_on_grid(a_dem(tmp_path), GRID, tmp_path / "work")
    assert dem.path.parent == tmp_path / "work" and not list(cache.iterdir())


def test_dem_cache_evicts_least_recently_used(tmp_path, cache, monkeypatch):
    path = a_dem(tmp_path)
    monkeypatch.setattr(dem_mod, "CACHE_MAX_BYTES", 2 * (16 + 50 * 40 * 4))
    grids = [GRID, GRID.window_grid(Window(0, 0, 50, 39)), GRID.window_grid(Window(0, 0, 50, 38))]
    kept = [dem_mod.dem_on_grid(path, g, tmp_path).path for g in grids]
    assert not kept[0].exists() and kept[1].exists() and kept[2].exists()


def test_dem_cache_drops_partial_files_of_killed_runs(tmp_path, cache):
    dem_mod.dem_on_grid(a_dem(tmp_path), GRID, tmp_path)
    stale, fresh = cache / "old.part", cache / "new.part"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(stale, (0, 0))
    dem_mod.dem_on_grid(a_dem(tmp_path, offset=1.0), GRID, tmp_path)   # a new DEM: evicts
    assert not stale.exists() and fresh.exists()


def test_dem_cache_hit_evicted_meanwhile_is_warped_again(tmp_path, cache, monkeypatch):
    path = a_dem(tmp_path)
    dem_mod.dem_on_grid(path, GRID, tmp_path).close()
    real_utime = os.utime

    def evicted(p, *a, **k):             # another run removes the file between the two calls
        os.unlink(p)
        real_utime(tmp_path, *a, **k)
    monkeypatch.setattr(dem_mod.os, "utime", evicted)
    again = dem_mod.dem_on_grid(path, GRID, tmp_path)
    assert again.read(Window(0, 0, 5, 5)).shape == (5, 5)


def test_reader_equals_theia_reader(snow_scene):
    product = next(p for p in find_products(snow_scene.s2_folder) if p.path.is_dir())
    grid = product_grid(product)
    acquisition = snow_cover._Acquisition(product, grid)
    try:
        for w in (Window(0, 0, 144, 144), Window(12, 36, 60, 48)):
            g, r, s, _ = acquisition.read(w)
            for band, got in zip(snow_cover.BANDS, (g, r, s)):
                want = read_reflectance(product, band, grid.window_grid(w))
                np.testing.assert_array_equal(got, want)
    finally:
        acquisition.close()


def test_bands_read_once_per_date(snow_scene, tmp_path, monkeypatch, cache):
    """Pass B works from pass A's states: each band file is opened once per
    date and thread, not once per window and pass."""
    opened, maps = [], []
    real_open = rasterio.open

    def counting_open(path, *args, **kwargs):
        if "_FRE_" in str(path):
            opened.append(str(path))
        if str(path).endswith(".tif") and os.path.basename(path).startswith("SNOW_T") \
                and not args and "mode" not in kwargs:
            maps.append(str(path))          # the syntheses reading the per-date maps
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr(rasterio, "open", counting_open)
    monkeypatch.setattr(snow_cover, "jp2_aligned_block", lambda *args: 48)   # many blocks
    start, end = snow_scene.dates[40].date(), snow_scene.dates[50].date()
    result = run_snow_cover(snow_scene.s2_folder, snow_scene.dem_path, tmp_path, start=start,
                            end=end, workers=1)
    assert result["dates"]
    assert opened and len(opened) == len(set(opened))
    assert maps and len(maps) == len(set(maps))


def test_snowline_bins_floor_divide_like_python():
    rng = np.random.default_rng(3)
    edges = np.arange(-3, 60) * 100.0
    x = np.concatenate([edges, np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf),
                        rng.uniform(-300, 6000, 10000), [np.nan]])
    for dz in (100.0, 7.0, 33.3):
        with np.errstate(invalid="ignore"):
            np.testing.assert_array_equal(snow._floor_divide(x, dz), x // dz)


def test_snowline_bins_derived_once_per_tile(tmp_path, cache, monkeypatch):
    """The bins of every pixel are those of the DEM, made on the first run
    only, and go with their DEM when it is evicted."""
    path = a_dem(tmp_path)
    params = snow.LisParams()
    made = []
    real = snow.SnowlineHistogram.bin_index
    monkeypatch.setattr(snow.SnowlineHistogram, "bin_index",
                        lambda self, z: made.append(z.size) or real(self, z))
    for _ in range(2):
        dem = dem_mod.dem_on_grid(path, GRID, tmp_path)
        bins = snow_cover._dem_bins(dem, params)
        whole = Window(0, 0, GRID.width, GRID.height)
        want = real(snow.SnowlineHistogram(dem.min, dem.max, params.dz), dem.read(whole))
        np.testing.assert_array_equal(bins.read(Window(7, 5, 30, 20)), want[5:25, 7:37])
        bins.close()
        dem.close()
    assert sum(made) == GRID.width * GRID.height          # every pixel once, in all
    assert [p.name for p in cache.iterdir()] and len(list(cache.glob("*.f32.*"))) == 1
    monkeypatch.setattr(dem_mod, "CACHE_MAX_BYTES", 0)
    dem_mod.dem_on_grid(a_dem(tmp_path, offset=1.0), GRID, tmp_path).close()   # evicts
    assert len(list(cache.glob("*.f32"))) == 1 and not list(cache.glob("*.f32.*"))


def test_snowline_bins_kept_per_elevation_step(tmp_path, cache):
    dem = dem_mod.dem_on_grid(a_dem(tmp_path), GRID, tmp_path)
    whole = Window(0, 0, GRID.width, GRID.height)
    for dz in (100.0, 100.00001, 7.0):
        bins = snow_cover._dem_bins(dem, snow.LisParams(dz=dz))
        want = snow.SnowlineHistogram(dem.min, dem.max, dz).bin_index(dem.read(whole))
        np.testing.assert_array_equal(bins.read(whole), want)
        bins.close()
    dem.close()
    assert len(list(cache.glob("*.f32.*"))) == 3           # one per step, however close


def test_snowline_bins_of_another_format_are_not_reused(tmp_path, cache, monkeypatch):
    """Bins cached by a version whose bin_index differed are not read back."""
    dem = dem_mod.dem_on_grid(a_dem(tmp_path), GRID, tmp_path)
    snow_cover._dem_bins(dem, snow.LisParams()).close()
    monkeypatch.setattr(snow.SnowlineHistogram, "BIN_FORMAT",
                        snow.SnowlineHistogram.BIN_FORMAT + 1)
    snow_cover._dem_bins(dem, snow.LisParams()).close()
    dem.close()
    assert len(list(cache.glob("*.f32.*"))) == 2


def test_snowline_bins_of_another_dem_left_in_the_work_folder_are_not_reused(tmp_path, cache):
    """Without a private cache the DEM is warped into the run's work folder as
    dem.f32: bins a killed run left beside it belong to another DEM."""
    cache.mkdir(parents=True, mode=0o755)
    cache.chmod(0o755)                                     # not private: not used
    work, params = tmp_path / "work", snow.LisParams()
    whole = Window(0, 0, GRID.width, GRID.height)
    dem = dem_mod.dem_on_grid(a_dem(tmp_path), GRID, work)
    snow_cover._dem_bins(dem, params).close()              # a run killed after this
    dem.close()
    dem = dem_mod.dem_on_grid(a_dem(tmp_path, offset=700.0), GRID, work)
    assert dem.path == work / "dem.f32"
    bins = snow_cover._dem_bins(dem, params)
    want = snow.SnowlineHistogram(dem.min, dem.max, params.dz).bin_index(dem.read(whole))
    np.testing.assert_array_equal(bins.read(whole), want)
    bins.close()
    dem.close()


def test_cell_ratio_asked_once_per_band_and_date(snow_scene, tmp_path, monkeypatch, cache):
    """It compares CRS strings (0.3 ms a call): once per band, not per window."""
    calls = []
    real = snow_cover.cell_ratio
    monkeypatch.setattr(snow_cover, "cell_ratio",
                        lambda ds, *a: calls.append(ds.name) or real(ds, *a))
    monkeypatch.setattr(snow_cover, "jp2_aligned_block", lambda *args: 48)   # many blocks
    start, end = snow_scene.dates[40].date(), snow_scene.dates[42].date()
    assert run_snow_cover(snow_scene.s2_folder, snow_scene.dem_path, tmp_path, start=start,
                          end=end, workers=1)["dates"]
    assert calls and len(calls) == len(set(calls))


FAULTS_SCRIPT = """
import ctypes, resource
from chainon.core import snow_cover
ctypes.CDLL("libc.so.6").mallopt(snow_cover.M_MMAP_THRESHOLD, 128 * 1024)  # no dynamic threshold


def faults():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(5):
        bytearray(2 ** 24)      # 16 MB written (4 kB pages), freed at once
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


with snow_cover.freed_memory_kept():
    faults()
    kept = faults()
print(kept, faults())
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_freed_memory_reused_during_a_run_and_handed_back_after():
    """Freed blocks stay for reuse while the product runs (the kernel does not
    zero their pages again), and go back to the system after it."""
    import subprocess
    import sys
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", FAULTS_SCRIPT], check=True, text=True,
                         capture_output=True, env=env).stdout.split()
    kept, after = map(int, out)
    pages = 5 * 2 ** 24 // 4096
    assert kept < pages // 10 and after > pages // 2
