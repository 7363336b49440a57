"""The THEIA reader and the snow product on real acquisitions (Verdun, T31UFQ)."""
from collections import Counter

import numpy as np
import rasterio
from conftest import write_flat_dem

from chainon.core import theia
from chainon.core.snow_cover import run_snow_cover


def test_every_product_found_and_parsed(verdun):
    products = theia.find_products(verdun)
    assert len(products) == 187
    assert {p.tile for p in products} == {"31UFQ"}
    assert products[0].acquired.isoformat() == "2015-12-03T10:58:18.575000"
    versions = Counter(p.major_version for p in products)
    assert versions == {"V1": 72, "V2": 115}
    assert all(p.platform in ("SENTINEL2A", "SENTINEL2B") for p in products)


def test_nodata_dates_recognised(verdun):
    products = theia.find_products(verdun)
    grid = theia.product_grid(products[0])
    assert (grid.width, grid.height, grid.res) == (40, 40, 20.0)
    empty = [p for p in products if np.isnan(theia.read_reflectance(p, "B11", grid)).all()]
    assert len(empty) == 90   # the other orbit's swath (PROVENANCE.txt)


def test_masks_read_in_both_versions(verdun):
    products = theia.find_products(verdun)
    grid = theia.product_grid(products[0])
    cloudy = {}
    for p in products:
        clm = theia.read_mask(p, "CLM", grid)
        assert clm.dtype == np.uint8 and clm.shape == (40, 40)
        if clm.any():
            cloudy.setdefault(p.major_version, p)
        assert theia.read_mask(p, "EDG", grid) is None   # absent here: tolerated
    assert set(cloudy) == {"V1", "V2"}
    # 10 m bands averaged onto 20 m agree with a direct block mean
    p = products[1]
    with rasterio.open(p.band_path("B4")) as ds:
        raw = ds.read(1).astype("float32")
    expected = raw.reshape(40, 2, 40, 2).mean(axis=(1, 3)) / 10000
    np.testing.assert_allclose(theia.read_reflectance(p, "B4", grid), expected, rtol=1e-6)


def test_missing_required_band_names_band_and_product(tmp_path, verdun):
    import shutil
    src = theia.find_products(verdun)[1].path
    dst = tmp_path / src.name
    shutil.copytree(src, dst)
    next(dst.glob("*_FRE_B11.tif")).unlink()
    product = theia.find_products(tmp_path)[0]
    try:
        product.band_path("B11")
    except theia.InputError as e:
        assert "B11" in str(e) and src.name in str(e)
    else:
        raise AssertionError("no error for a missing band")


def test_snow_cover_on_real_data_no_summer_snow(tmp_path, verdun):
    first = theia.find_products(verdun)[0]
    dem = write_flat_dem(tmp_path / "flat_dem.tif", first.band_path("B11"))
    result = run_snow_cover(verdun, dem, tmp_path / "out")
    assert len(result["dates"]) == 187 - 90
    assert len(result["skipped"]) == 90
    summer_snow, winter_maps = 0, 0
    for path in sorted((tmp_path / "out").glob("SNOW_T31UFQ_*.tif")):
        month = int(path.stem.split("_")[-1][4:6])
        with rasterio.open(path) as ds:
            codes = ds.read(1)
        assert set(np.unique(codes)) <= {0, 100, 205, 255}
        if month in (6, 7, 8):
            summer_snow += int((codes == 100).sum())
        else:
            winter_maps += 1
    assert summer_snow == 0
    assert winter_maps > 0
    with rasterio.open(result["OUTPUT"]) as ds:
        assert ds.profile["dtype"] == "uint16" and ds.nodata == 65535
