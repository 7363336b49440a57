"""The independent scenes of validation/sims/ are written in the formats the
project's readers expect and hold the truth they state."""
import csv
from datetime import date

import numpy as np
import pytest
import rasterio

from chainon.core.meteo import read_rain_rasters
from chainon.core.parcels import Parcels
from chainon.core.sentinel1 import read_stack, select_images
from chainon.core.theia import clear_mask, find_products, read_reflectance
from chainon.validation.sims import irrigation as irrigation_sim
from chainon.validation.sims import radar_cuts


@pytest.fixture(scope="module")
def radar(tmp_path_factory):
    return radar_cuts.make_scene(tmp_path_factory.mktemp("radar"), seed=3, size=100,
                                 start=date(2020, 1, 1), years=1, n_cuts=6, n_thinnings=2)


def test_radar_files_read_by_the_s1tiling_reader(radar):
    groups = select_images(radar.s1_folder)
    assert set(groups) == {"ASC_030", "DES_008"}
    for orbit, by_pol in groups.items():
        days, stack = read_stack(by_pol["vv"], radar.grid)
        gaps = np.diff([d.toordinal() for d in days])
        assert set(gaps) <= {6, 12}                       # 6-day track, rare missing dates
        assert {i.platform for i in by_pol["vv"]} == {"s1a", "s1b"}
        assert stack.shape[1:] == (radar.grid.height, radar.grid.width)
        valid = stack[np.isfinite(stack)]
        assert valid.min() > 0 and 1e-4 < np.median(valid) < 1
        partial = np.isnan(stack).all(axis=(1,)).any(axis=1)
        assert partial.sum() == 2                          # two dates cut by the swath edge
    assert radar.end == max(radar.dates).date() and radar.start == date(2020, 1, 1)


def test_radar_scene_may_start_in_any_month(tmp_path):
    """A period from April spans one more calendar year of crops (it failed
    with an IndexError at the last year's fields)."""
    scene = radar_cuts.make_scene(tmp_path, seed=1, size=48, start=date(2021, 4, 1), years=1,
                                  n_cuts=2, n_thinnings=1)
    assert scene.start == date(2021, 4, 1) and scene.end.year == 2022


def test_radar_truth(radar):
    with rasterio.open(radar.cut_ids) as ds:
        ids = ds.read(1)
    with rasterio.open(radar.forest_mask) as ds:
        forest = ds.read(1)
    with rasterio.open(radar.land_cover) as ds:
        lc = ds.read(1)
    assert len(radar.cuts) == 6
    assert sorted(np.unique(ids[ids > 0])) == [c["id"] for c in radar.cuts]
    assert np.all(forest[ids > 0] == 1) and set(np.unique(lc[forest == 1])) <= {16, 17}
    assert not set(np.unique(lc[forest == 0])) & {16, 17}
    for c in radar.cuts:
        assert c["area_ha"] == pytest.approx((ids == c["id"]).sum() * 0.01)
        assert c["over_0_4ha"] == (c["area_ha"] > 0.4)
        assert radar.start < c["date"] <= radar.end
    assert max(c["date"] for c in radar.cuts).toordinal() > radar.end.toordinal() - 60
    with open(radar.truth_dir / "thinnings.csv") as f:
        assert [r["is_cut"] for r in csv.DictReader(f)] == ["False", "False"]


def test_wet_snow_darkens_one_acquisition(radar):
    """A wet-snow date is ~3 dB below both neighbours of its own orbit."""
    with open(radar.truth_dir / "acquisitions.csv") as f:
        snow = [r for r in csv.DictReader(f) if r["wet_snow"] == "True"]
    assert len(snow) == 2
    with rasterio.open(radar.forest_mask) as ds:
        forest = ds.read(1) == 1
    for r in snow:
        orbit = f"{r['direction']}_{int(r['orbit']):03d}"
        days, stack = read_stack(select_images(radar.s1_folder)[orbit]["vv"], radar.grid)
        level = 10 * np.log10(np.nanmean(stack[:, forest], axis=1))
        k = [d.strftime("%Y%m%dt%H%M%S") for d in days].index(r["file_date"])
        neighbours = [level[j] for j in (k - 1, k + 1) if 0 <= j < len(level)]
        assert min(neighbours) - level[k] > 1.8


def test_shadow_on_the_near_range_border():
    """Ascending looks east: a cleared square is shadowed along its west
    border over ~h tan(theta), brightened along its east border."""
    standing = np.ones((30, 30), bool)
    standing[10:20, 10:20] = False
    height = np.full((30, 30), 20.0)
    shadow, bright = radar_cuts._geometry(standing, height, 80.0, np.full((30, 30), 40.0))
    assert shadow[15, 10] == 1 and 0.5 < shadow[15, 11] < 1 and shadow[15, 13] == 0
    assert bright[15, 19] == 1 and shadow[15, 19] == 0 and bright[15, 10] == 0
    assert shadow[standing].max() == 0


# --- irrigation --------------------------------------------------------------------

@pytest.fixture(scope="module")
def irrigation(tmp_path_factory):
    return irrigation_sim.make_scene(tmp_path_factory.mktemp("irrigation"), seed=1, size=80)


def _truth_rows(scene):
    with open(scene.truth_dir / "parcels.csv") as f:
        return list(csv.DictReader(f))


def test_irrigation_inputs_read_by_the_project_readers(irrigation):
    s = irrigation
    products = find_products(s.s2_folder)
    assert len(products) == len(s.dates) and len(products) >= 45
    assert {(b.acquired.date() - a.acquired.date()).days
            for a, b in zip(products, products[1:])} == {5}
    cloudy = [clear_mask(p, s.grid).mean() < 0.5 for p in products]
    assert 0.2 < np.mean(cloudy) < 0.6
    assert 0 <= np.nanmin(read_reflectance(products[0], "B8", s.grid))
    assert {o: len(v["vv"]) for o, v in select_images(s.s1_folder).items()}.keys() == {
        "ASC_030", "DES_008"}
    with open(s.rain_path) as f:
        assert f.readline().strip() == "date,rain_mm"
    rain, cells = read_rain_rasters(s.rain_folder, s.start, s.end, s.grid)
    assert len(np.unique(cells.ids_on(s.grid))) >= 2 and rain.min() >= 0
    assert len(Parcels(s.parcels_path, None, s.grid)) == len(_truth_rows(s))


def test_irrigation_truth(irrigation):
    rows = _truth_rows(irrigation)
    irrigated = np.array([int(r["irrigated"]) for r in rows])
    wrong = [r for r in rows if r["wrong_label"] == "1"]
    assert len(wrong) == max(1, round(0.03 * len(rows)))
    assert all(r["declared"] != r["irrigated"] for r in wrong)
    assert 0.2 < irrigated.mean() < 0.5
    assert len({r["crop"] for r in rows if r["irrigated"] == "1"}) >= 2
    assert any(r["crop"] == "maize" and r["irrigated"] == "0" for r in rows)
    turns = np.array([int(r["n_irrigations"]) for r in rows])
    assert turns[irrigated == 0].max() == 0 and turns[irrigated == 1].mean() > 2
    with rasterio.open(irrigation.truth_path) as ds:
        truth = ds.read(1)
    assert set(np.unique(truth)) == {0, 1, 255}
    assert truth.shape == (irrigation.grid.height, irrigation.grid.width)


def test_irrigation_scene_has_150_parcels_at_size_120():
    grid10 = irrigation_sim.tile_grid("31TCJ", 120, radar_cuts.DEFAULT_ORIGIN,
                                      res=20.0).at_resolution(10)
    assert irrigation_sim._parcels(np.random.default_rng(0), grid10)["n"] >= 150


def test_wet_soil_raises_vv_less_under_a_canopy():
    """Water-cloud model: a wetting from 15 to 35 vol. % adds 6 dB on bare
    soil, 2-3.5 dB at LAI 2-3, ~1 dB under a closed maize canopy."""
    maize = irrigation_sim.CROPS["maize"][10]
    cos_t = np.cos(np.radians(38))

    def gain(lai):
        dry, wet = (irrigation_sim._water_cloud(lai, theta, 0.0, maize, cos_t, "vv")
                    for theta in (15.0, 35.0))
        return 10 * np.log10(wet / dry)
    assert gain(0.0) == pytest.approx(6.0)
    assert 0.7 < gain(5.0) < 1.5 < 2.0 < gain(3.0) < gain(2.0) < 3.8
