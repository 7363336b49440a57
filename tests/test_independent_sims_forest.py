"""The independent forest height scene (validation/sims/forest_height.py) is
written in the formats the project's readers expect (THEIA L2A, S1Tiling,
GEDI L2A V001/V002) and holds the truth and the GEDI error structure it states."""
import csv

import h5py
import numpy as np
import pytest
import rasterio

from chainon.core.gedi import read_gedi
from chainon.core.sentinel1 import read_stack, select_images
from chainon.core.theia import clear_mask, find_products, read_reflectance
from chainon.validation.sims import forest_height as sim


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return sim.make_scene(tmp_path_factory.mktemp("forest_height"), seed=2, size=80,
                          revisit_days=10, n_granules=10)


def _read(path):
    with rasterio.open(path) as ds:
        return ds.read(1), ds.nodata


def test_truth_rasters(scene):
    height, nodata = _read(scene.height_truth)
    agb, _ = _read(scene.agb_truth)
    lc, _ = _read(scene.land_cover)
    forest = _read(scene.forest_mask)[0] == 1
    assert height.shape == (2 * scene.grid.height, 2 * scene.grid.width)   # 10 m
    assert nodata == -9999 and np.all(height[~forest] == -9999) and np.all(agb[~forest] == -9999)
    assert np.array_equal(forest, np.isin(lc, (16, 17)))
    assert {16, 17} <= set(np.unique(lc)) and 0.3 < forest.mean() < 0.8
    h, b = height[forest], agb[forest]
    assert h.min() > 0 and h.max() <= 45 and np.percentile(h, 90) > 20
    assert (h < 6).mean() > 0.02                       # regrowth and gaps
    assert b.min() > 0 and np.corrcoef(np.log(h), np.log(b))[0, 1] > 0.8
    dem, true_dem = _read(scene.dem)[0], _read(scene.truth_dir / "dem.tif")[0]
    assert dem.shape == height.shape and np.abs(dem - true_dem).mean() < 3   # a user's DEM


def test_sentinel2_series(scene):
    products = find_products(scene.s2_folder)
    assert len(products) == len(scene.dates) and products[0].acquired.year == 2020
    grid10 = scene.grid.at_resolution(10)
    forest = _read(scene.forest_mask)[0] == 1
    cloudy = 0
    for p in products:
        clear = clear_mask(p, scene.grid)
        cloudy += clear.mean() < 0.5
        if p.acquired.month == 7 and clear.all():
            nir = read_reflectance(p, "B8", grid10)
            swir = read_reflectance(p, "B11", scene.grid)
            assert 0.15 < np.median(nir[forest]) < 0.45 and 0.03 < np.nanmedian(swir) < 0.3
    assert 0.2 < cloudy / len(products) < 0.6


def test_sentinel1_series(scene):
    groups = select_images(scene.s1_folder)
    assert set(groups) == {"ASC_030", "DES_008"}
    forest = _read(scene.forest_mask)[0] == 1
    for by_pol in groups.values():
        days, vh = read_stack(by_pol["vh"], scene.grid.at_resolution(10))
        assert set(np.diff([d.toordinal() for d in days])) == {12}
        db = 10 * np.log10(np.nanmean(vh, axis=0))
        assert -16 < np.median(db[forest]) < -10


def test_gedi_granules(scene):
    warnings = []
    ref = read_gedi(scene.gedi_folder, scene.grid.at_resolution(10), warn=warnings.append)
    assert len(warnings) == 1 and "GEDI02_B" in warnings[0]       # the L2B file is skipped
    assert ref.height.size > 50 and ref.height.max() <= 50
    versions = set()
    for f in scene.gedi_folder.glob("GEDI02_A_*.h5"):
        with h5py.File(f) as h:
            beam = h[next(k for k in h if k.startswith("BEAM"))]
            assert beam["rh"].shape[1] == 101
            version = h["METADATA/DatasetIdentification"].attrs["VersionID"]
            versions.add(version)
            assert ("land_cover_data/leaf_off_flag" in beam) == (version == "002")
    assert versions == {"001", "002"}


def test_gedi_error_structure(scene):
    """Filtered shots: rh98 overestimates the footprint top on slopes by about
    the footprint radius times tan(slope), errors of a few metres, and some
    dense-canopy shots that missed the ground read far too low."""
    with open(scene.truth_dir / "gedi_shots.csv") as f:
        rows = [r for r in csv.DictReader(f) if r["quality_flag"] == "1"
                and r["degrade_flag"] == "0" and r["forest"] == "1" and r["cloud"] == "0"]
    get = lambda key, rs: np.array([float(r[key]) for r in rs])   # noqa: E731
    clean = [r for r in rows if r["missed_ground"] == "0"]
    error = get("rh98", clean) - get("true_top", clean)
    gain = np.polyfit(np.tan(np.radians(get("slope", clean))), error, 1)[0]
    assert 5 < gain < 15
    assert 1.5 < np.std(error) < 4
    missed = [r for r in rows if r["missed_ground"] == "1"]
    assert missed and np.all(get("rh98", missed) < 0.75 * get("true_top", missed) + 1)
