"""The THEIA L2A writer and the synthetic snow scene: format, masks, truth."""
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime

import numpy as np
import pytest
import rasterio

from chainon.core.grid import Grid
from chainon.core.scenes.snow import make_snow_scene
from chainon.core.simulate import product_name, write_raster, write_theia_product

NAME_RE = re.compile(r"^(SENTINEL2[AB])_(\d{8}-\d{6})-(\d{3})_L2A_T(\d{2}[A-Z]{3})_C_V2-2$")
CLM_CODES = {0, 16, 1 | 2 | 4, 1 | 2 | 8, 1 | 2 | 128, 1 | 32, 1 | 64}


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return make_snow_scene(tmp_path_factory.mktemp("snow"), seed=3, size=96, zipped_every=4)


def products(scene):
    return sorted(scene.s2_folder.glob("SENTINEL2*"), key=lambda p: p.name.split("_")[1])


def raster_path(product, suffix):
    """rasterio path of `<name>_<suffix>.tif` (suffix like 'FRE_B4' or 'CLM_R2')."""
    name = product.name.removesuffix(".zip")
    sub = "MASKS/" if suffix[:3] in ("CLM", "EDG", "SAT", "MG2") else ""
    inner = f"{name}/{sub}{name}_{suffix}.tif"
    return f"zip://{product}!{inner}" if product.suffix == ".zip" else str(product.parent / inner)


def read(path):
    with rasterio.open(path) as ds:
        return ds.read(1)


def stack(scene, suffix):
    return np.array([read(raster_path(p, suffix)) for p in products(scene)])


def truths(scene):
    return np.array([read(scene.truth_dir / f"SNOW_TRUTH_{d:%Y%m%d}.tif") for d in scene.dates])


def test_product_name_round_trip(scene):
    when = datetime(2018, 8, 26, 10, 41, 55, 257000)
    assert product_name("SENTINEL2A", when, "31UFQ") == \
        "SENTINEL2A_20180826-104155-257_L2A_T31UFQ_C_V2-2"
    names = [p.name.removesuffix(".zip") for p in products(scene)]
    assert len(names) == len(scene.dates) == 73
    for name, when in zip(names, scene.dates):
        platform, stamp, ms, tile = NAME_RE.match(name).groups()
        assert datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(microsecond=int(ms) * 1000) == when
        assert tile == "31TGL" and 10 <= when.hour <= 11
    assert {NAME_RE.match(n).group(1) for n in names} == {"SENTINEL2A", "SENTINEL2B"}


def test_r1_is_twice_r2_with_same_bounds(scene):
    product = products(scene)[0]
    with rasterio.open(raster_path(product, "FRE_B4")) as r1, \
            rasterio.open(raster_path(product, "FRE_B11")) as r2, \
            rasterio.open(raster_path(product, "CLM_R1")) as m1:
        assert r1.shape == (2 * r2.height, 2 * r2.width) == m1.shape
        assert r1.bounds == r2.bounds == m1.bounds == pytest.approx(scene.grid.bounds)
        assert r1.res == (10, 10) and r2.res == (20, 20)
        assert r1.crs.to_epsg() == r2.crs.to_epsg() == 32631


def test_int16_encoding_and_nodata(tmp_path):
    grid = Grid("EPSG:32631", 600000, 5000000, 20, 4, 2)
    refl = {b: np.full((2, 4), 0.1234, np.float32) for b in ("B3", "B4", "B11")}
    for a in refl.values():
        a[0, 0] = np.nan
    refl["B11"][1, 3] = np.nan  # nodata in one band only: not an edge pixel
    product = write_theia_product(tmp_path, "SENTINEL2B", datetime(2018, 1, 2, 10, 40, 0, 123456), "31TGL",
                                  grid, refl, np.zeros((2, 4), np.uint8))
    assert sorted(p.name.split("_")[-1] for p in product.glob("*_FRE_*")) == \
        ["B11.tif", "B3.tif", "B4.tif"]
    with rasterio.open(raster_path(product, "FRE_B11")) as ds:
        assert ds.dtypes[0] == "int16" and ds.nodata == -10000
        swir = ds.read(1)
    assert swir[0, 0] == swir[1, 3] == -10000 and swir[0, 1] == 1234
    red = read(raster_path(product, "FRE_B4"))
    assert (red[:2, :2] == -10000).all() and (red[2:, :] != -10000).all()
    assert np.abs(red[red != -10000] - 1234).max() < 100
    assert read(raster_path(product, "EDG_R2")).tolist() == [[1, 0, 0, 0], [0, 0, 0, 0]]
    assert (read(raster_path(product, "EDG_R1"))[:2, :2] == 1).all()
    mtd = ET.parse(product / f"{product.name}_MTD_ALL.xml").getroot()
    assert mtd.tag == "Muscate_Metadata_Document"
    assert mtd.findtext(".//IDENTIFIER") == product.name
    assert mtd.findtext(".//GEOGRAPHICAL_ZONE") == "T31TGL"
    assert datetime.strptime(mtd.findtext(".//ACQUISITION_DATE"), "%Y-%m-%dT%H:%M:%S.%fZ") == \
        datetime(2018, 1, 2, 10, 40, 0, 123000)
    assert mtd.findtext(".//SPECIAL_VALUE[@name='nodata']") == "-10000"
    assert mtd.findtext(".//REFLECTANCE_QUANTIFICATION_VALUE") == "10000"
    assert mtd.findtext(".//QUALITY_INDEX[@name='CloudPercent']") == "0"


def test_write_raster_rejects_wrong_shape(tmp_path):
    with pytest.raises(ValueError):
        write_raster(tmp_path / "x.tif", np.zeros((3, 3)), Grid("EPSG:32631", 0, 0, 20, 4, 3))


def test_out_of_swath_dates(scene):
    swir, edg, truth = stack(scene, "FRE_B11"), stack(scene, "EDG_R2"), truths(scene)
    nodata = swir == -10000
    assert ((edg == 1) == nodata).all() and ((truth == 255) == nodata).all()
    out = nodata.all(axis=(1, 2))
    assert out.sum() == round(0.15 * len(scene.dates))
    assert (stack(scene, "FRE_B3")[out] == -10000).all()
    partial = nodata.any(axis=(1, 2)) & ~out
    assert partial.sum() >= 5


def test_clm_bits_consistent_with_truth(scene):
    clm, edg, truth = stack(scene, "CLM_R2"), stack(scene, "EDG_R2"), truths(scene)
    assert set(np.unique(clm)) <= CLM_CODES
    assert ((truth == 205) == ((clm != 0) & (edg == 0))).all()
    assert (clm[edg == 1] == 0).all()
    assert set(np.unique(truth)) == {0, 100, 205, 255}
    cloudy = np.array([(c[e == 0] != 0).mean() if (e == 0).any() else np.nan
                       for c, e in zip(clm, edg)])
    assert np.nanmin(cloudy) == 0 and np.nanmax(cloudy) > 0.5
    for bit in (16, 32, 128):
        assert (clm & bit).any()
    assert (stack(scene, "CLM_R1")[:, ::2, ::2] == clm).all()


def test_reflectance_separates_snow(scene):
    green, red, swir = (stack(scene, b).astype(float) / 10000
                        for b in ("FRE_B3", "FRE_B4", "FRE_B11"))
    green, red = green[:, ::2, ::2], red[:, ::2, ::2]
    truth = truths(scene)
    ndsi = (green - swir) / (green + swir + 1e-9)
    snow, free = truth == 100, truth == 0
    assert np.median(ndsi[snow]) > 0.6 and np.median(ndsi[free]) < 0
    assert 0.5 < np.median(green[snow]) < 0.9 and np.median(green[free]) < 0.12
    assert 0.03 < np.median(swir[snow]) < 0.15 and 0.12 < np.median(swir[free]) < 0.3
    patchy = snow & (ndsi > 0.15) & (ndsi < 0.4) & (red > 0.04)
    assert 0.001 < patchy.sum() / snow.sum() < 0.2


def test_duration_truth(scene):
    n_days = (scene.end - scene.start).days + 1
    dem = read(scene.dem_path)
    scd, sod, smod = (read(scene.truth_dir / f"{k}_TRUTH.tif").astype(int)
                      for k in ("SCD", "SOD", "SMOD"))
    assert 600 <= dem.min() and dem.max() <= 3000 and dem.max() - dem.min() > 1500
    assert scd.min() >= 0 and scd.max() <= n_days and scd.min() < scd.max()
    assert np.corrcoef(scd.ravel(), dem.ravel())[0, 1] > 0.5
    snowy = scd > 0
    assert ((sod == 0) == ~snowy).all() and ((smod == 0) == ~snowy).all()
    assert (sod[snowy] <= smod[snowy]).all() and (smod - sod + 1 <= scd)[snowy].all()
    truth = truths(scene)
    assert not (truth[:, scd == 0] == 100).any()
    assert not (truth[:, scd == n_days] == 0).any()
    # Snow seen on an acquisition day lies within [SOD, SMOD] when that run is the only one.
    day = np.array([(d.date() - scene.start).days + 1 for d in scene.dates])[:, None, None]
    single = (smod - sod + 1 == scd)
    seen = (truth == 100) & single
    assert ((day >= sod) & (day <= smod))[seen].all()
    assert "SYNTHETIC" in (scene.truth_dir / "README.txt").read_text(encoding="utf-8")


def test_same_seed_same_bytes(tmp_path):
    kwargs = dict(size=32, start=date(2018, 1, 1), end=date(2018, 1, 20))
    a = make_snow_scene(tmp_path / "a", seed=7, **kwargs)
    b = make_snow_scene(tmp_path / "b", seed=7, **kwargs)
    c = make_snow_scene(tmp_path / "c", seed=8, **kwargs)
    assert a.dates == b.dates
    for band in ("FRE_B3", "FRE_B11"):
        pa, pb = (raster_path(products(s)[1], band) for s in (a, b))
        with open(pa, "rb") as fa, open(pb, "rb") as fb:
            assert fa.read() == fb.read()
    assert (read(a.dem_path) == read(b.dem_path)).all()
    assert not (read(a.dem_path) == read(c.dem_path)).all()


def test_zipped_products(scene):
    entries = products(scene)
    zipped = [p for p in entries if p.suffix == ".zip"]
    assert [entries.index(p) for p in zipped] == list(range(3, len(entries), 4))
    assert all(not p.with_suffix("").exists() for p in zipped)
    assert not list(scene.s2_folder.glob(".tmp-*"))
    for p in zipped[:3]:
        with rasterio.open(raster_path(p, "FRE_B8")) as ds:
            assert ds.shape == (192, 192) and ds.nodata == -10000
        assert read(raster_path(p, "MG2_R2")).shape == (96, 96)
