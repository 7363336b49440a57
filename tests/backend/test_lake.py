"""The simulated data lake over real French tiles (core.scenes.lake)."""
import subprocess

import rasterio

from backend.tiles import grid
from chainon.core.products import tile_inputs
from backend_testlib import LAKE_TILES, PY, ROOT


def test_each_tile_sits_in_its_real_footprint(lake):
    for tile in LAKE_TILES:
        inputs = tile_inputs(lake, "T" + tile)
        products = sorted(p.name for p in inputs["S2"].iterdir())
        assert products and all(f"_L2A_T{tile}_" in p for p in products)
        t = grid()[tile]
        with rasterio.open(inputs["DEM"]) as dem:
            assert dem.crs.to_epsg() == t.epsg
            left, bottom, right, top = dem.bounds
        assert t.ulx < left < right < t.ulx + t.size_m
        assert t.uly - t.size_m < bottom < top < t.uly


def test_simulate_lake_command(tmp_path):
    cmd = [PY, "-m", "backend", "simulate-lake", str(tmp_path / "lake"), "--tiles",
           "T32TNN", "--size", "48", "--start", "2018-01-01", "--end", "2018-01-31"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    assert (tmp_path / "lake" / "tiles" / "32TNN" / "DEM" / "dem.tif").is_file()
    bad = subprocess.run(cmd[:6] + ["31TZZ"], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 1 and "Unknown tile" in bad.stderr
