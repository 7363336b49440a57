"""Forest clear-cuts against the simulator's truth with the paper's object-based
metric (Bouvet et al. 2018: > 95 % of cuts larger than 0.4 ha detected), the
Sentinel-1 reader, and bad input."""
import json
import os
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
import rasterio
from scipy import ndimage

from chainon.core import forest_cuts, sentinel1
from chainon.core.errors import InputError
from chainon.core.evaluation import cut_accuracy
from chainon.core.forest_cuts import (EPOCH, NO_CUT, UNDECIDED, ForestSource,
                                      run_forest_cuts)
from chainon.core.inputs import parse_classes
from chainon.core.scenes.forest_cuts import REAL_CUTS, make_forest_cut_scene
from chainon.core.grid import Grid
from chainon.core.simulate import write_raster


@pytest.fixture(scope="module")
def cut_scene(tmp_path_factory):
    return make_forest_cut_scene(tmp_path_factory.mktemp("forest_cuts"), seed=1, size=240)


@pytest.fixture(scope="module")
def whole_run(cut_scene, tmp_path_factory):
    """The scene's cuts over the whole series, default blocks, two workers."""
    return run_forest_cuts(cut_scene.s1_folder, ForestSource(mask=str(cut_scene.forest_mask)),
                           tmp_path_factory.mktemp("forest_cuts_whole") / "cuts.tif", workers=2)


def _cuts_only(path, dest):
    """A copy of a date raster where undecided pixels are forest without cut."""
    with rasterio.open(path) as ds:
        values, profile = ds.read(1), ds.profile
    with rasterio.open(dest, "w", **profile) as out:
        out.write(np.where(values == UNDECIDED, NO_CUT, values), 1)
    return dest


def test_accuracy_on_the_simulator(cut_scene, whole_run, tmp_path):
    result = whole_run
    score = cut_accuracy(_cuts_only(result["OUTPUT"], tmp_path / "only.tif"),
                         cut_scene.cut_ids, cut_scene.cuts, EPOCH)
    print(f"\nforest cuts: {score['detection_rate']:.1%} of {score['n_cuts']} cuts > 0.4 ha "
          f"detected, user's accuracy {score['users_accuracy']:.1%} over "
          f"{score['n_patches']} patches, median detection delay "
          f"{score['median_delay']:.0f} days")
    assert score["n_cuts"] >= 20
    assert score["detection_rate"] >= 0.95
    assert score["users_accuracy"] >= 0.95
    assert 0 < score["median_delay"] <= 60
    with rasterio.open(result["OUTPUT"]) as ds:
        values = ds.read(1)
        assert ds.dtypes[0] == "uint16" and ds.nodata == 65535
    dated = values[(values > UNDECIDED) & (values < 65535)]
    assert (dated % 15 == 0).all()          # every 15 days from 2018-01-01
    assert Path(result["OUTPUT"]).with_suffix(".qml").exists()
    props = result["polygons"][0]["properties"]
    real = json.loads(REAL_CUTS.read_text())
    expected = {"date_min", "date_max", "days_delta", "area_ha"}
    assert expected <= set(real["features"][0]["properties"]) and expected == set(props)
    assert props["area_ha"] >= 0.1 and props["days_delta"] >= 0
    total = sum(f["properties"]["area_ha"] for f in result["polygons"])
    assert total == pytest.approx(dated.size / 100, rel=1e-6)


def test_blocks_match_one_block(cut_scene, whole_run, tmp_path, monkeypatch):
    """Patches straddling block edges are rebuilt whole thanks to the halo."""
    forest, whole = ForestSource(mask=str(cut_scene.forest_mask)), whole_run
    assert forest_cuts.BLOCK > cut_scene.grid.width > 128
    monkeypatch.setattr(forest_cuts, "BLOCK", 128)
    tiled = run_forest_cuts(cut_scene.s1_folder, forest, tmp_path / "tiled.tif", workers=2)
    with rasterio.open(whole["OUTPUT"]) as a, rasterio.open(tiled["OUTPUT"]) as b:
        assert b.block_shapes and (a.read(1) == b.read(1)).mean() > 0.999


def test_date_chunks_match_one_chunk(cut_scene, tmp_path, monkeypatch):
    """The window of images slides over the candidate dates chunk by chunk
    (bounded memory over long periods) without changing any detection."""
    forest = ForestSource(mask=str(cut_scene.forest_mask))
    period = dict(start=date(2020, 9, 1), end=date(2021, 8, 31))
    monkeypatch.setattr(forest_cuts, "CHUNK", 1000)
    one = run_forest_cuts(cut_scene.s1_folder, forest, tmp_path / "one.tif", **period)
    monkeypatch.setattr(forest_cuts, "CHUNK", 3)
    chunked = run_forest_cuts(cut_scene.s1_folder, forest, tmp_path / "chunks.tif", **period)
    with rasterio.open(one["OUTPUT"]) as a, rasterio.open(chunked["OUTPUT"]) as b:
        values = a.read(1)
        assert ((values > 0) & (values < 65535)).sum() > 1000
        assert np.array_equal(values, b.read(1))


def test_polygons_by_strips_match_one_strip(tmp_path, monkeypatch):
    """Patches crossing strip edges (U shapes joined lower down too) come out
    whole and once, as from a single read of the raster."""
    rng = np.random.default_rng(3)
    blobs = ndimage.gaussian_filter(rng.random((150, 120)), 2) > 0.53
    values = np.where(blobs, 15 * rng.integers(1, 60, blobs.shape), 0).astype("uint16")
    values[:, :3] = 65535
    values[20:60, 100:103] = values[20:60, 110:113] = values[57:60, 100:113] = 30   # a U
    grid = Grid("EPSG:32631", 300000.0, 4900020.0, 10.0, 120, 150)
    path = write_raster(tmp_path / "cuts.tif", values, grid, nodata=65535)
    whole = forest_cuts.cut_polygons(path, grid)[0]
    monkeypatch.setattr(forest_cuts, "STRIP", 7)
    strips = forest_cuts.cut_polygons(path, grid)[0]
    n = ndimage.label((values > 0) & (values < 65535), np.ones((3, 3)))[1]
    assert len(whole) == n > 20 and strips == whole


def test_land_cover_classes_and_extent(cut_scene, tmp_path):
    xmin, ymin, *_ = cut_scene.grid.bounds
    result = run_forest_cuts(cut_scene.s1_folder,
                             ForestSource(land_cover=str(cut_scene.land_cover),
                                          classes=parse_classes("16, 17")),
                             tmp_path / "cuts.tif", start=date(2020, 6, 1),
                             end=date(2021, 5, 31), bounds=(xmin, ymin, xmin + 1200, ymin + 1000))
    with rasterio.open(result["OUTPUT"]) as ds:
        assert (ds.width, ds.height) == (120, 100)
        values = ds.read(1)
    dated = values[(values > 0) & (values < 65535)]
    lo, hi = (date(2020, 6, 1) - EPOCH).days, (date(2021, 5, 31) - EPOCH).days
    assert ((dated >= lo) & (dated <= hi + 15)).all()


def test_s1tiling_names_groups_and_db(tmp_path):
    fields = sentinel1.parse_name("s1a_31TCJ_vv_DES_008_20200108t061432.tif")
    assert fields == dict(platform="s1a", tile="31TCJ", polarisation="vv", direction="DES",
                          relative_orbit=8, acquired=datetime(2020, 1, 8, 6, 14, 32))
    assert sentinel1.parse_name("S2A_31TCJ_20200108.tif") is None
    grid = Grid("EPSG:32631", 300000.0, 4900020.0, 10.0, 4, 3)
    power = np.full((3, 4), 0.1, "float32")
    power[0, 0] = 0
    (tmp_path / "a").mkdir()
    write_raster(tmp_path / "a" / "s1b_31TCJ_vh_ASC_030_20200110t181432.tif", power, grid,
                 nodata=0)
    image, = sentinel1.find_images(tmp_path)
    assert image.orbit == "ASC_030" and image.polarisation == "vh"
    linear = sentinel1.read_backscatter(image, grid)
    assert np.isnan(linear[0, 0]) and linear[1, 1] == pytest.approx(0.1)
    as_db = sentinel1.read_backscatter(image, grid, db=True)   # 0.1 dB read as dB
    assert as_db[1, 1] == pytest.approx(10 ** 0.01)


def _copy_subset(scene, dest, keep):
    dest.mkdir()
    for f in scene.s1_folder.iterdir():
        if keep(f.name):
            os.symlink(f, dest / f.name)
    return dest


def test_bad_input(cut_scene, tmp_path):
    forest = ForestSource(mask=str(cut_scene.forest_mask))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="No Sentinel-1 file"):
        run_forest_cuts(empty, forest, tmp_path / "o.tif")
    no_vh = _copy_subset(cut_scene, tmp_path / "vv", lambda n: "_vh_" not in n)
    with pytest.raises(InputError, match="no VH file"):
        run_forest_cuts(no_vh, forest, tmp_path / "o.tif")
    des = _copy_subset(cut_scene, tmp_path / "des", lambda n: "_DES_" in n)
    with pytest.raises(InputError, match="Only descending orbits"):
        run_forest_cuts(des, forest, tmp_path / "o.tif")
    with pytest.raises(InputError, match="Say where the forest is"):
        ForestSource()
    with pytest.raises(InputError, match="no pixel of the forest classes 23"):
        run_forest_cuts(cut_scene.s1_folder, ForestSource(land_cover=str(cut_scene.land_cover),
                                                          classes=(23.0,)), tmp_path / "o.tif")
    with pytest.raises(InputError, match="too early"):
        run_forest_cuts(cut_scene.s1_folder, forest, tmp_path / "o.tif", start=date(2017, 6, 1))
    assert not (tmp_path / "o.tif").exists()


def test_mean_over_polarisations_as_the_nan_ignoring_mean():
    """The ratios averaged kind by kind (to hold less at once) are, bit for
    bit, the former stacked NaN-ignoring mean."""
    from chainon.core.forest_cuts import mean_over_polarisations
    rng = np.random.default_rng(0)
    per_pol = [[rng.normal(0, 3, (4, 9, 7)).astype("float32") for _ in range(4)]
               for _ in range(2)]
    for ratios in per_pol:
        for r in ratios:
            r[rng.random(r.shape) < 0.3] = np.nan
    expected = []
    for ratios in zip(*per_pol):
        stack = np.stack(ratios)
        valid = np.isfinite(stack)
        n = valid.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            expected.append(np.where(n > 0, np.where(valid, stack, 0).sum(axis=0) / n, np.nan)
                            .astype("float32"))
    got = mean_over_polarisations([list(r) for r in per_pol])
    for g, e in zip(got, expected):
        assert g.dtype == np.float32
        np.testing.assert_array_equal(g, e)
    assert any(np.isnan(e).any() for e in expected)
