"""Sen2Cor's SAFE products: read as THEIA's, on copies of a simulated scene
(same values, same maps) and on real Sen2Cor reflectances and SCL."""
import zipfile
from datetime import date

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window
from scipy import ndimage
from conftest import REAL_DATA, write_flat_dem

from chainon.core import sen2cor, snow_cover, theia
from chainon.core.blocks import DEFAULT_BLOCK, jp2_aligned_block
from chainon.core.errors import InputError
from chainon.core.grid import Grid
from chainon.core.scenes.snow import make_snow_scene
from chainon.core.sen2cor_copy import write_sen2cor_copy
from chainon.core.snow_cover import _Acquisition, run_snow_cover

BARBELLINO = REAL_DATA / "sen2cor_samples" / "sen2r_barbellino"
FERRARA = REAL_DATA / "sen2cor_samples" / "sen2rts_sampleroi"
# sen2r's BOA stacks hold these bands, in this order (no B9, no B10)
SEN2R_BANDS = ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B11", "B12")


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """A small winter snow scene and its Sen2Cor copy (one product zipped)."""
    out = tmp_path_factory.mktemp("sen2cor")
    s = make_snow_scene(out / "scene", seed=1, size=64, start=date(2018, 1, 1),
                        end=date(2018, 2, 28))
    copy = out / "S2C"
    for i, p in enumerate(theia.find_products(s.s2_folder)):
        safe = write_sen2cor_copy(p, copy)
        if i == 1:                     # as downloaded from the Copernicus hub
            with zipfile.ZipFile(safe.with_suffix(".zip"), "w") as z:
                for f in sorted(safe.rglob("*")):
                    z.write(f, f.relative_to(copy).as_posix())
            _remove(safe)
    return s, copy


def _remove(folder):
    import shutil
    shutil.rmtree(folder)


def test_names_parsed_and_suffixes_dropped():
    name = "S2B_MSIL2A_20230712T103629_N0509_R008_T31UFQ_20230712T134418"
    fields = sen2cor.parse_name(sen2cor.product_stem(name + ".SAFE.zip"))
    assert fields["tile"] == "31UFQ" and fields["baseline"] == 509
    assert fields["acquired"].isoformat() == "2023-07-12T10:36:29"
    l1c = "S2B_MSIL1C_20230712T103629_N0509_R008_T31UFQ_20230712T134418"
    assert sen2cor.parse_name(l1c) is None


@pytest.fixture
def unbuffered(monkeypatch):
    """The SCL's clouds as they are: a copy then masks what its original masks."""
    monkeypatch.setattr(sen2cor, "CLOUD_BUFFER_M", 0)


def test_copy_reads_as_the_original(scene, unbuffered):
    s, copy = scene
    originals, copies = theia.find_products(s.s2_folder), theia.find_products(copy)
    assert [type(p).__name__ for p in copies] == ["Sen2CorProduct"] * len(originals)
    assert sum(p.path.suffix == ".zip" for p in copies) == 1
    grid = theia.product_grid(originals[0])
    assert theia.product_grid(copies[0]) == grid
    for p, c in zip(originals, copies):
        assert c.acquired.replace(microsecond=0) == p.acquired.replace(microsecond=0)
        assert c.bands() == p.bands() and c.sun_angles() == p.sun_angles()
        for band in ("B3", "B4", "B8", "B11"):
            np.testing.assert_array_equal(theia.read_reflectance(c, band, grid),
                                          theia.read_reflectance(p, band, grid))
        np.testing.assert_array_equal(theia.clear_mask(c, grid), theia.clear_mask(p, grid))


def test_scl_clouds_and_shadows_grow_by_the_buffer(scene):
    """Every pixel within 60 m (3 SCL pixels) of a cloud or shadow is masked,
    nothing beyond: the copy's clear pixels are its original's less that fringe."""
    s, copy = scene
    grid = theia.product_grid(theia.find_products(s.s2_folder)[0])
    fringe = 0
    for p, c in zip(theia.find_products(s.s2_folder), theia.find_products(copy)):
        clm, edg = theia.read_mask(p, "CLM", grid), theia.read_mask(p, "EDG", grid)
        near = ndimage.maximum_filter((clm > 0) & (edg == 0), size=7)
        before, after = theia.clear_mask(p, grid), theia.clear_mask(c, grid)
        np.testing.assert_array_equal(after, before & ~near)
        fringe += int((before & near).sum())
    assert fringe > 0


def test_in_memory_files_live_as_long_as_their_product(scene):
    """A QGIS session or a compute-centre worker reads product after product:
    each product's VRTs and grown CLM are freed with it, and a copy sent to
    another process (pickled) makes its own."""
    import gc
    import pickle
    from osgeo import gdal
    s, copy = scene
    product = theia.find_products(copy)[0]
    grid = theia.product_grid(product)
    clear = theia.clear_mask(product, grid)
    paths = [product.mask_path("CLM", "R2"), product.band_path("B4")]
    assert product.mask_path("CLM", "R2") == paths[0]           # made once
    assert all(gdal.VSIStatL(p) is not None for p in paths)
    twin = pickle.loads(pickle.dumps(product))
    assert twin == product and twin.mask_path("CLM", "R2") not in paths
    np.testing.assert_array_equal(theia.clear_mask(twin, grid), clear)
    del product
    gc.collect()
    assert all(gdal.VSIStatL(p) is None for p in paths)


def test_windows_hold_whole_jpeg2000_tiles():
    """1024-px tiles at 10 m (Sen2Cor's) give 1536-px windows at 20 m, a
    multiple of LIS's 12-px cells; a 20 m band's 1024-px tiles would need
    3072, so they are left out; GeoTIFFs and cut extents keep the default."""
    grid = Grid("EPSG:32631", 600000.0, 5000040.0, 20.0, 5490, 5490)
    ten, twenty = (10240.0, 600000.0, 5000040.0), (20480.0, 600000.0, 5000040.0)
    assert jp2_aligned_block(grid, [ten, ten, twenty], 12) == 1536
    assert jp2_aligned_block(grid, [None, None, None], 12) == DEFAULT_BLOCK
    cut = grid.window_grid(Window(100, 0, 500, 500))
    assert jp2_aligned_block(cut, [ten, ten, twenty], 12) == DEFAULT_BLOCK
    assert jp2_aligned_block(grid, [(640.0, 600000.0, 5000040.0)], 12) == 96


def test_snow_windows_from_the_jpeg2000_tiles_map_as_the_original(scene, tmp_path,
                                                                 unbuffered, monkeypatch):
    """The copy's JPEG 2000 tiles (its whole 128-px 10 m bands, 1280 m) give
    192-px windows, THEIA's GeoTIFFs the default; and any window that is a
    multiple of LIS's 12-px cells maps the same (here 24 px: nine windows)."""
    s, copy = scene
    product, original = theia.find_products(copy)[0], theia.find_products(s.s2_folder)[0]
    grid = theia.product_grid(original)
    assert _Acquisition(product, grid).block(12) == 192
    assert _Acquisition(original, grid).block(12) == DEFAULT_BLOCK
    monkeypatch.setattr(snow_cover, "jp2_aligned_block", lambda *args: 24)
    a = run_snow_cover(s.s2_folder, s.dem_path, tmp_path / "theia")
    b = run_snow_cover(copy, s.dem_path, tmp_path / "sen2cor")
    assert a["dates"] == b["dates"]
    for f in sorted((tmp_path / "theia").glob("SNOW*.tif")):
        with rasterio.open(f) as x, rasterio.open(tmp_path / "sen2cor" / f.name) as y:
            np.testing.assert_array_equal(x.read(), y.read())


def test_buffer_is_a_square_of_three_pixels_over_clear_ground():
    scl = np.full((20, 20), 4, np.uint8)
    scl[10, 10], scl[2, 2], scl[0, 19] = 9, 3, 0
    clm = sen2cor.buffered_clm(scl, 3)
    cloud, shadow = sen2cor.SCL_AS_MASK["CLM"][9], sen2cor.SCL_AS_MASK["CLM"][3]
    assert (clm[7:14, 7:14] == cloud).all() and (clm[0:6, 0:6] == shadow).all()
    assert (clm > 0).sum() == 49 + 36 and clm[0, 19] == 0


def test_snow_cover_maps_the_copy_as_the_original(scene, tmp_path, unbuffered):
    s, copy = scene
    a = run_snow_cover(s.s2_folder, s.dem_path, tmp_path / "theia")
    b = run_snow_cover(copy, s.dem_path, tmp_path / "sen2cor")
    assert a["dates"] == b["dates"] and len(a["dates"]) > 5
    for f in sorted((tmp_path / "theia").glob("SNOW*.tif")):
        with rasterio.open(f) as x, rasterio.open(tmp_path / "sen2cor" / f.name) as y:
            np.testing.assert_array_equal(x.read(), y.read())


def test_offset_by_baseline_when_the_metadata_lacks_it(scene, tmp_path):
    s, _ = scene
    product = theia.find_products(s.s2_folder)[0]
    grid = theia.product_grid(product)
    expected = theia.read_reflectance(product, "B4", grid)
    old = write_sen2cor_copy(product, tmp_path / "old", baseline=213)    # no offset
    new = write_sen2cor_copy(product, tmp_path / "new", baseline=400)
    (new / "MTD_MSIL2A.xml").unlink()                                     # -1000 by baseline
    for folder in (old, new):
        got = theia.read_reflectance(theia.find_products(folder.parent)[0], "B4", grid)
        ok = ~np.isnan(expected) & (expected > 0)
        np.testing.assert_array_equal(got[ok], expected[ok])


def test_missing_band_named(scene, tmp_path):
    s, _ = scene
    safe = write_sen2cor_copy(theia.find_products(s.s2_folder)[0], tmp_path)
    next(safe.rglob("*_B11_20m.jp2")).unlink()
    product = theia.find_products(tmp_path)[0]
    with pytest.raises(InputError, match="B11.*S2A_MSIL2A"):
        product.band_path("B11")


def test_corrupt_scl_named(scene, tmp_path):
    s, _ = scene
    safe = write_sen2cor_copy(theia.find_products(s.s2_folder)[0], tmp_path)
    scl = next(safe.rglob("*_SCL_20m.jp2"))
    with rasterio.open(scl) as ds:
        profile = ds.profile
    classes = np.random.default_rng(0).integers(0, 12, (profile["height"], profile["width"]))
    _jp2(scl, classes.astype("uint8"), profile["transform"])
    scl.write_bytes(scl.read_bytes()[:len(scl.read_bytes()) * 7 // 10])    # cut in the tiles
    product = theia.find_products(tmp_path)[0]
    with pytest.raises(InputError, match="Cannot read the raster .*_SCL_20m.jp2"):
        product.mask_path("CLM", "R2")


def _barbellino_safe(parent, day):
    """sen2r's Barbellino BOA (10 m) and SCL (20 m) of `day` in the SAFE layout
    (baseline 02.13: no offset), 20 m bands averaged from the 10 m ones."""
    stamp = f"{day}T101031"
    safe = parent / f"S2A_MSIL2A_{stamp}_N0213_R022_T32TNR_{stamp}.SAFE"
    img = safe / "GRANULE" / f"L2A_T32TNR_A000001_{stamp}" / "IMG_DATA"
    with rasterio.open(BARBELLINO / f"S2A2A_{day}_022_Barbellino_BOA_10.tif") as ds:
        boa, profile = ds.read(), ds.profile
    for band, data in zip(SEN2R_BANDS, boa):
        if band in ("B02", "B03", "B04", "B08"):
            _jp2(img / "R10m" / f"T32TNR_{stamp}_{band}_10m.jp2", data, profile["transform"])
        else:
            h, w = data.shape[0] // 2, data.shape[1] // 2
            mean = data[:2 * h, :2 * w].reshape(h, 2, w, 2).mean(axis=(1, 3)).round()
            _jp2(img / "R20m" / f"T32TNR_{stamp}_{band}_20m.jp2", mean.astype("uint16"),
                 profile["transform"] * rasterio.Affine.scale(2))
    with rasterio.open(BARBELLINO / f"S2A2A_{day}_022_Barbellino_SCL_10.tif") as ds:
        _jp2(img / "R20m" / f"T32TNR_{stamp}_SCL_20m.jp2", ds.read(1), ds.transform)
    return safe


def _jp2(path, data, transform):
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", driver="JP2OpenJPEG", width=data.shape[1],
                       height=data.shape[0], count=1, dtype=data.dtype.name, crs="EPSG:32632",
                       transform=transform, QUALITY=100, REVERSIBLE="YES") as ds:
        ds.write(data, 1)


def test_real_sen2cor_reflectances_and_scl(tmp_path):
    """Real Sen2Cor L2A (Lago Barbellino, Italian Alps, July 2017 and 2019):
    reflectances as stored, Sen2Cor's clouds are LIS's clouds (their 60 m
    fringe cloud or clear ground), and in July, where Sen2Cor's SCL sees no
    snow, LIS maps none."""
    for day in ("20170703", "20190723"):
        _barbellino_safe(tmp_path / "S2", day)
    products = theia.find_products(tmp_path / "S2")
    grid = theia.product_grid(products[1])
    assert (grid.width, grid.height) == (12, 21)
    with rasterio.open(BARBELLINO / "S2A2A_20190723_022_Barbellino_BOA_10.tif") as ds:
        red = ds.read(4).astype("float32")
    np.testing.assert_allclose(theia.read_reflectance(products[1], "B4", grid),
                               red.reshape(21, 2, 12, 2).mean(axis=(1, 3)) / 10000, rtol=1e-6)
    dem = write_flat_dem(tmp_path / "dem.tif", products[1].band_path("B11"), 1900.0)
    run_snow_cover(tmp_path / "S2", dem, tmp_path / "out")
    counts = {}
    for p in products:
        day = f"{p.acquired:%Y%m%d}"
        with rasterio.open(BARBELLINO / f"S2A2A_{day}_022_Barbellino_SCL_10.tif") as ds:
            scl = ds.read(1)
        with rasterio.open(tmp_path / "out" / f"SNOW_T32TNR_{p.acquired:%Y%m%d}.tif") as ds:
            codes = ds.read(1)
        cloud = np.isin(scl, (3, 8, 9, 10))
        fringe = (sen2cor.buffered_clm(scl, round(60 / 20)) > 0) & ~cloud
        counts[p.acquired.year] = {"scl_cloud": int(cloud.sum()), "fringe": int(fringe.sum()),
                                   "lis_cloud": int((codes == 205).sum()),
                                   "lis_snow": int((codes == 100).sum())}
        # here every SCL cloud is cloud for LIS (bright: back to cloud), the
        # ground beyond the 60 m fringe clear; in the fringe LIS releases the
        # dark pixels (pass 1's dark-cloud test) and keeps the rest cloud
        assert (codes[cloud] == 205).all() and (codes[~cloud & ~fringe & (scl > 0)] == 0).all()
        assert set(np.unique(codes[fringe])) <= {0, 205}
    print("\nBarbellino, SCL against LIS:", counts)
    assert counts[2017]["scl_cloud"] > 0 and counts[2019]["scl_cloud"] == 0


def _stac_item(product, k):
    """`product` (a Sen2Cor copy) as a STAC item: even k as the Planetary
    Computer writes them (band names, baseline), odd k as Earth Search
    (common names, raster:bands scale and offset, MGRS fields)."""
    zenith, azimuth = product.sun_angles()
    common = {"B2": "blue", "B3": "green", "B4": "red", "B5": "rededge1", "B6": "rededge2",
              "B7": "rededge3", "B8": "nir", "B8A": "nir08", "B11": "swir16", "B12": "swir22",
              "SCL": "scl"}
    files = {b: product._band_file(b) for b in product.bands()} | {"SCL": product._scl_file()}
    when = product.acquired.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if k % 2 == 0:
        props = {"datetime": when, "platform": "Sentinel-2A", "s2:mgrs_tile": product.tile,
                 "s2:processing_baseline": "05.10", "s2:mean_solar_zenith": zenith,
                 "s2:mean_solar_azimuth": azimuth}
        assets = {sen2cor.BAND_FILES.get(b, b): {"href": f} for b, f in files.items()}
        name = product.name
    else:
        props = {"datetime": when, "platform": "sentinel-2a", "mgrs:utm_zone": 31,
                 "mgrs:latitude_band": "T", "mgrs:grid_square": "GL",
                 "view:sun_elevation": 90 - zenith, "view:sun_azimuth": azimuth}
        scaled = {"raster:bands": [{"nodata": 0, "scale": 0.0001, "offset": -0.1}]}
        assets = {common[b]: {"href": f, **({} if b == "SCL" else scaled)}
                  for b, f in files.items()}
        name = f"S2A_{product.tile}_{product.acquired:%Y%m%d}_0_L2A"
    return {"type": "Feature", "stac_version": "1.0.0", "id": name, "properties": props,
            "assets": assets, "geometry": None, "links": []}


def test_stac_items_map_as_the_original(scene, tmp_path, unbuffered):
    """The copies as the items of a saved STAC search (one ItemCollection,
    two catalogues' conventions) give the THEIA original's maps."""
    import json
    s, copy = scene
    items = [_stac_item(p, k) for k, p in enumerate(theia.find_products(copy))]
    (tmp_path / "stac").mkdir()
    (tmp_path / "stac" / "search.json").write_text(json.dumps(
        {"type": "FeatureCollection", "features": items}))
    (tmp_path / "stac" / "parcels.json").write_text(json.dumps({"type": "FeatureCollection",
                                                              "features": []}))
    found = theia.find_products(tmp_path / "stac")
    assert [type(p).__name__ for p in found] == ["StacProduct"] * len(items)
    assert found[0].sun_angles() == pytest.approx(theia.find_products(s.s2_folder)[0].sun_angles())
    a = run_snow_cover(s.s2_folder, s.dem_path, tmp_path / "theia")
    b = run_snow_cover(tmp_path / "stac", s.dem_path, tmp_path / "from_stac")
    assert a["dates"] == b["dates"]
    for f in sorted((tmp_path / "theia").glob("SNOW*.tif")):
        with rasterio.open(f) as x, rasterio.open(tmp_path / "from_stac" / f.name) as y:
            np.testing.assert_array_equal(x.read(), y.read())


def test_stac_fields_from_each_convention(tmp_path):
    from chainon.core import stac
    asset = {"href": "b.tif"}
    item = {"type": "Feature", "stac_version": "1.1.0", "id": "x",
            "properties": {"datetime": "2023-11-07T14:47:31.0240000Z", "platform": "sentinel-2b",
                           "grid:code": "MGRS-T31UFQ", "processing:version": "05.09"},
            "assets": {"B04_10m": asset, "SCL_20m": asset}}
    product = stac.StacProduct.of(item, tmp_path / "item.json")
    assert (product.tile, product.baseline, product.platform) == ("31UFQ", 509, "S2B")
    assert product.acquired.isoformat() == "2023-11-07T14:47:31"
    assert product._encoding("B4") == (1, -1000)
    assert product._band_file("B4") == str(tmp_path / "b.tif")
    l1c = dict(item, assets={"B04": asset})          # no SCL: a Level-1C item
    assert stac.StacProduct.of(l1c, tmp_path / "item.json") is None
    remote = dict(item, assets={"red": {"href": "https://x/B04.tif", "raster:bands": [
        {"scale": 0.0001, "offset": -0.1}]}, "scl": {"href": "s3://b/SCL.tif"}},
        properties={k: v for k, v in item["properties"].items() if k != "processing:version"})
    product = stac.StacProduct.of(remote, tmp_path / "item.json")
    assert product._encoding("B4") == (1.0, -1000.0)
    assert product._band_file("B4") == "/vsicurl/https://x/B04.tif"
    assert product._scl_file() == "/vsis3/b/SCL.tif"


def test_malformed_stac_json_is_skipped(tmp_path):
    import json
    (tmp_path / "a.json").write_text(json.dumps({"type": "Feature", "stac_version": "1.0.0",
                                                "properties": [], "assets": {"red": 3}}))
    (tmp_path / "b.json").write_text("[1, 2")
    with pytest.raises(InputError, match="No Sentinel-2 L2A product"):
        from chainon.core.inputs import select_products
        select_products(tmp_path, None, None, ("B4",))


def test_weak_mask_only_unmasks(scene, tmp_path, unbuffered):
    """--sen2cor weak: the clouds lose their outer pixel and the shadows go;
    nothing clear becomes masked (read without the reader's buffer)."""
    s, _ = scene
    originals = theia.find_products(s.s2_folder)
    grid = theia.product_grid(originals[0])
    gained = 0
    for p in originals[::3]:
        weak = theia.find_products(write_sen2cor_copy(p, tmp_path / p.name, weak_mask=True)
                                   .parent)[0]
        before, after = theia.clear_mask(p, grid), theia.clear_mask(weak, grid)
        assert (after[before]).all()
        gained += int((after & ~before).sum())
    assert gained > 0


def test_buffer_masks_the_cloud_edges_a_weak_mask_misses(scene, tmp_path, monkeypatch):
    """Clouds missing their outer pixel (--sen2cor weak) read clear on their
    edges; grown by the reader, all but the tips of thin tendrils are masked."""
    s, _ = scene
    originals = theia.find_products(s.s2_folder)
    grid = theia.product_grid(originals[0])
    missed = {0: 0, 60: 0}
    for p in originals:
        weak = theia.find_products(write_sen2cor_copy(p, tmp_path / p.name, weak_mask=True)
                                   .parent)[0]
        clm = theia.read_mask(p, "CLM", grid)
        cloud = (clm > 0) & ((clm & 0b01100000) == 0)       # not a shadow bit
        for metres in missed:
            monkeypatch.setattr(sen2cor, "CLOUD_BUFFER_M", metres)
            missed[metres] += int((theia.clear_mask(weak, grid) & cloud).sum())
    print(f"\ncloud pixels read clear through a weak SCL: {missed} (by buffer, m)")
    assert missed[0] > 100 and missed[60] <= 0.01 * missed[0]


def _dips(ndvi, clear, depth, where=None):
    """Clear observations (`where` True, if given) more than `depth` below
    both clear neighbours in time."""
    where = np.ones(ndvi.shape, bool) if where is None else where
    n = 0
    for series, ok, counted in zip(*(a.reshape(len(a), -1).T for a in (ndvi, clear, where))):
        v, c = series[ok], counted[ok]
        n += int(np.sum((v[1:-1] < v[:-2] - depth) & (v[1:-1] < v[2:] - depth) & c[1:-1]))
    return n


def test_real_scl_series_grown_clouds_drop_the_cloud_edge_dips():
    """Real Sen2Cor SCL and NDVI, 60 dates of 2020 over a field near Ferrara:
    observations the raw SCL calls clear but that dip below both neighbours
    are cloud edges; grown by 60 m, the clouds take nearly all of them for
    under a tenth of the clear observations."""
    ndvi, scl = [], []
    for f in sorted((FERRARA / "NDVI").glob("*.tif")):
        with rasterio.open(f) as ds:
            ndvi.append(ds.read(1))
        with rasterio.open(FERRARA / "SCL" / f.name.replace("NDVI", "SCL")) as ds:
            scl.append(ds.read(1))
    ndvi = np.array(ndvi) / 10000
    found = {}
    for buffer in (0, 3):
        masked = np.array([(sen2cor.buffered_clm(s, buffer) > 0) | (s <= 1) for s in scl])
        masked = masked.repeat(2, axis=1).repeat(2, axis=2)[:, :ndvi.shape[1], :ndvi.shape[2]]
        clear = ~masked & (ndvi > -3)
        found[buffer] = (int(clear.sum()), _dips(ndvi, clear, 0.2))
    print(f"\nFerrara, (clear observations, dips > 0.2 NDVI) by buffer (px): {found}")
    (n0, dips0), (n3, dips3) = found[0], found[3]
    assert dips0 >= 20 and dips3 <= 0.1 * dips0 and n3 >= 0.9 * n0
    # The classes kept clear, dark areas (2) and unclassified (7), against
    # vegetation (4) and bare soil (5): (clear observations, dips > 0.1 NDVI)
    classes = np.array(scl).repeat(2, axis=1).repeat(2, axis=2)[:, :ndvi.shape[1],
                                                                 :ndvi.shape[2]]
    print("by SCL class:", {c: (int((clear & (classes == c)).sum()),
                                _dips(ndvi, clear, 0.1, classes == c)) for c in (2, 4, 5, 7)})
