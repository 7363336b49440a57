"""The simulated data lake over real French tiles (core.scenes.lake)."""
import subprocess
from datetime import date

import numpy as np
import rasterio

from backend.tiles import grid
from chainon.core.products import LAKE_FILES, run_tile, tile_inputs
from chainon.core.scenes.lake import make_snow_lake
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


def test_snow_tile_takes_the_lake_water_as_lis_water_mask(tmp_path):
    """A snow tile whose lake holds the OSO land cover: its water (class 23)
    is no data on every date, LIS 1.7's water mask; without it, observed."""
    start, end = date(2018, 1, 1), date(2018, 1, 31)
    make_snow_lake(tmp_path / "lake", {"32TNN": grid()["32TNN"].origin}, size=40, seed=3,
                   start=start, end=end)
    inputs = tile_inputs(tmp_path / "lake", "T32TNN")
    with rasterio.open(inputs["DEM"]) as dem:
        profile, (h, w) = dem.profile, dem.shape
    oso = np.full((h, w), 13, "uint8")
    oso[:h // 2, :w // 2] = 23
    dest = tmp_path / "lake" / "tiles" / "32TNN" / LAKE_FILES["LAND_COVER"]
    dest.parent.mkdir(parents=True)
    with rasterio.open(dest, "w", **{**profile, "dtype": "uint8", "nodata": 0}) as out:
        out.write(oso, 1)
    nobs = {}
    for case in ("water", "none"):
        if case == "none":
            dest.unlink()
        outputs = run_tile("snow_cover", tmp_path / "lake", "32TNN", tmp_path / case, start, end)
        with rasterio.open(outputs["OUTPUT_NOBS"]) as ds:
            nobs[case] = ds.read(1)
    corner = np.zeros(nobs["water"].shape, bool)
    corner[:h // 2 - 1, :w // 2 - 1] = True          # the DEM's grid is the product's
    assert (nobs["water"][corner] == 0).all() and (nobs["none"][corner] > 0).any()
    outside = np.ones(corner.shape, bool)
    outside[:h // 2 + 1, :w // 2 + 1] = False
    assert np.array_equal(nobs["water"][outside], nobs["none"][outside])
