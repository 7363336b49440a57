"""Forest clear-cuts on series with what real data holds (issue 10): wet
snow, frost, rain, seasonal drift and ENL 4.4 speckle, the end of the series,
and the date raster saying what the polygons say."""
from datetime import timedelta

import numpy as np
import pytest
import rasterio
from scipy import ndimage

from chainon.core import forest_cuts
from chainon.core.forest_cuts import (EPOCH, NO_CUT, NODATA, UNDECIDED, ForestSource,
                                      run_forest_cuts)
from chainon.core.errors import InputError
from chainon.core.grid import Grid
from chainon.core.scenes import forest_cuts as scenes
from chainon.core.scenes.common import TILE_METRES
from chainon.core.sentinel1 import find_images
from chainon.core.simulate import write_raster

SIZE = 120


def _scene(folder, monkeypatch, n_cuts, late=False, years=1):
    """A confounded one-year scene; with `late`, the last cut is made 16 days
    before the last acquisition (measured, too late to be confirmed)."""
    place = scenes.place_cuts

    def place_late(rng, forest, grid, n, start, end):
        ids, cuts = place(rng, forest, grid, n, start, end)
        if late:
            cuts[-1]["date"] = end - timedelta(days=16)
        return ids, cuts
    monkeypatch.setattr(scenes, "place_cuts", place_late)
    return scenes.make_forest_cut_scene(folder, seed=3, size=SIZE, years=years, n_cuts=n_cuts,
                                        confounders=True)


def _read(path):
    with rasterio.open(path) as ds:
        return ds.read(1), ds.tags()


def test_end_of_series_stays_undecided(tmp_path, monkeypatch):
    """Period = the whole series: no mass detection at the end; the cut made
    in the last weeks is mostly undecided (its own code, in the legend), and
    dated only where full windows of later images confirm it."""
    scene = _scene(tmp_path / "scene", monkeypatch, n_cuts=5, late=True)
    result = run_forest_cuts(scene.s1_folder, ForestSource(mask=str(scene.forest_mask)),
                             tmp_path / "cuts.tif", workers=2)
    values, tags = _read(result["OUTPUT"])
    with rasterio.open(scene.cut_ids) as ds:
        ids = ds.read(1)
    last = max(i.acquired.date() for i in find_images(scene.s1_folder))
    assert result["final_until"] < last - timedelta(days=16)
    assert tags["final_until"] == str(result["final_until"])
    dated = (values != NO_CUT) & (values != NODATA) & (values != UNDECIDED)
    assert dated.sum() <= 1.5 * (ids > 0).sum() and (ids[dated] > 0).mean() >= 0.9
    late = ids == scene.cuts[-1]["id"]
    assert (values[late] == UNDECIDED).mean() >= 0.5
    confirmable = (scene.cuts[-1]["date"] - EPOCH).days + 12     # two passes after it
    assert (values[late & dated] >= confirmable).all()
    assert "Undecided" in (tmp_path / "cuts.qml").read_text()
    assert _patches(values)[1][1] == len(result["polygons"])


def _patches(values):
    dated = (values != NO_CUT) & (values != NODATA) & (values != UNDECIDED)
    return dated, ndimage.label(dated, np.ones((3, 3)))


def test_weather_makes_no_false_cut(tmp_path, monkeypatch):
    """Wet snow (-3 dB on single acquisitions), frost, rain, drift and ENL 4.4
    speckle: every patch found lies on a true cut, none spreads over the forest."""
    scene = _scene(tmp_path / "scene", monkeypatch, n_cuts=5, years=2)
    end = max(i.acquired.date() for i in find_images(scene.s1_folder)) - timedelta(days=61)
    result = run_forest_cuts(scene.s1_folder, ForestSource(mask=str(scene.forest_mask)),
                             tmp_path / "cuts.tif", end=end, workers=2)
    values, _ = _read(result["OUTPUT"])
    with rasterio.open(scene.cut_ids) as ds:
        on_cut = ds.read(1) > 0
    dated, (labels, n) = _patches(values)
    assert n > 0 and dated.sum() <= 1.5 * on_cut.sum()
    assert (ndimage.mean(on_cut, labels, np.arange(1, n + 1)) >= 0.5).all()


def test_raster_and_polygons_agree(tmp_path, monkeypatch):
    """The minimum mapping unit applies to the raster too: patches of 1-2
    pixels (and any under the unit) leave both, also across strips."""
    rng = np.random.default_rng(5)
    values = np.where(ndimage.gaussian_filter(rng.random((90, 70)), 1.5) > 0.56,
                      15 * rng.integers(60, 90, (90, 70)), NO_CUT).astype("uint16")
    values[rng.random(values.shape) < 0.01] = 900           # isolated pixels
    values[:, :2] = NODATA
    values[5:8, 30:33] = UNDECIDED
    grid = Grid("EPSG:32631", 300000.0, 4900020.0, 10.0, 70, 90)
    raw = write_raster(tmp_path / "raw.tif", values, grid, nodata=NODATA)
    monkeypatch.setattr(forest_cuts, "STRIP", 8)
    polygons, small = forest_cuts.cut_polygons(raw, grid, forest_cuts.min_pixels(0.1, 10.0))
    forest_cuts.without_small(raw, tmp_path / "cuts.tif", grid, small, {}, "dates")
    out, _ = _read(tmp_path / "cuts.tif")
    dated, (labels, n) = _patches(out)
    sizes = np.bincount(labels.ravel())[1:]
    areas = sorted(f["properties"]["area_ha"] for f in polygons)
    assert n == len(polygons) > 5 and sizes.min() >= 10 and small.size > 20
    assert areas == pytest.approx(sorted(sizes / 100))
    assert (out[5:8, 30:33] == UNDECIDED).all() and ((out == values) | ~dated & (out == 0)).all()


def test_real_bd_foret_mask_at_verdun(tmp_path, verdun):
    """Plumbing on the real Verdun files: the real BD Foret mask (80 x 80 px,
    uint8 without nodata) limits a Sentinel-1 series simulated on its tile;
    the THEIA Sentinel-2 folder given for Sentinel-1 gets a clear error."""
    mask = verdun.parents[1] / "Rasters" / "ZoneTest" / "BDForet_ZoneTest.tif"
    with rasterio.open(mask) as ds:
        real_forest, (left, top) = ds.read(1) > 0, (ds.bounds.left, ds.bounds.top)
    margin = (TILE_METRES - 80 * 10.0) / 2
    scene = scenes.make_forest_cut_scene(tmp_path / "scene", seed=2, size=80, years=1,
                                         n_cuts=3, tile="31UFQ",
                                         origin=(left - margin, top + margin))
    result = run_forest_cuts(scene.s1_folder, ForestSource(mask=str(mask)),
                             tmp_path / "cuts.tif", workers=2)
    values, _ = _read(result["OUTPUT"])
    assert result["crs"] == "EPSG:32631" and values.shape == real_forest.shape
    assert np.array_equal(values != NODATA, real_forest)
    with pytest.raises(InputError, match="No Sentinel-1 file"):
        run_forest_cuts(verdun, ForestSource(mask=str(mask)), tmp_path / "s2.tif")


def _ratios_of_a_maturing_cut(n_t, ground_db, forest_db=0.0):
    """Ratios (r_after, r_confirm, r_all, before_db) of n_t change dates on
    40 x 40 px of forest at forest_db: a radar-shadow strip (columns 10-11,
    -6 dB from the first date on) beside cleared ground (columns 12-19) whose
    ratio is ground_db[t] at date t (the after-images hold fewer pre-cut ones
    as t grows)."""
    shape = (n_t, 40, 40)
    r_all = np.full(shape, forest_db, "float32")
    r_all[:, 5:30, 10:12] = -6.0
    for t, db in enumerate(ground_db):
        r_all[t, 5:30, 12:20] = db
    before = np.full(shape, -8.0, "float32")
    return r_all.copy(), r_all.copy(), r_all, before


def test_a_cut_seen_before_its_ground_darkened_grows_to_it():
    """A cut first triggers while its images after still hold pre-cut ones:
    its cleared ground (-0.8 dB then, -2.5 dB a date later) must join the
    patch at the next date, though its shadow strip is already claimed."""
    p = forest_cuts.CutParams()
    ratios = _ratios_of_a_maturing_cut(3, [-0.8, -2.5, -2.5])
    forest = np.ones((40, 40), bool)
    first = np.full((40, 40), -1, "int32")
    forest_cuts.claim_cuts(np.arange(3), ratios, forest, p, first)
    assert (first[5:30, 10:12] == 0).all()     # the strip (and its 3 x 3 fringe) at first
    assert (first[6:29, 13:19] == 1).all()     # the ground beyond, one date later
    assert (first[:, 25:] == -1).all() and (first[35:] == -1).all()


def test_a_cut_claimed_long_ago_does_not_seed_new_ground():
    """Only a cut still maturing (claimed fewer than n_after dates before)
    may grow: ground darkening later beside an old cut is not that cut."""
    p = forest_cuts.CutParams()
    n_t = p.n_after + 2
    ratios = _ratios_of_a_maturing_cut(n_t, [-0.8] * (n_t - 1) + [-2.5])
    forest = np.ones((40, 40), bool)
    first = np.full((40, 40), -1, "int32")
    forest_cuts.claim_cuts(np.arange(n_t), ratios, forest, p, first)
    assert (first[5:30, 10:12] == 0).all()
    assert (first[:, 13:20] == -1).all()


def _claimed(ratios):
    first = np.full((40, 40), -1, "int32")
    forest_cuts.claim_cuts(np.arange(1), ratios, np.ones((40, 40), bool),
                           forest_cuts.CutParams(), first)
    return first == 0


def test_the_patch_stops_where_the_forest_did_not_darken():
    """Beside deep cleared ground (-6 dB) the 3 x 3 mean of the ratio falls
    below -1.5 dB one pixel into the standing forest; a pixel whose own
    ratio did not fall (+0.3 dB) stays forest."""
    cut = _claimed(_ratios_of_a_maturing_cut(1, [-6.0], forest_db=0.3))
    assert cut[5:30, 10:20].all()
    assert not cut[:, 20:].any() and not cut[:, :9].any()
