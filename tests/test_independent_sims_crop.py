"""The independent crop and grassland simulators (validation/sims): scenes
are written in the real formats, readable by the project's readers, and have
the statistics their docstrings state."""
import csv
import json
import xml.etree.ElementTree as ET
from datetime import date

import numpy as np
import pytest
import rasterio

from chainon.core import theia
from chainon.core.meteo import read_meteo_csv
from chainon.core.parcels import Parcels
from chainon.validation.sims import canopy
from chainon.validation.sims.crop_wofost import make_carbon_scene, make_yield_scene
from chainon.validation.sims.grassland import make_scene as make_grassland_scene
from chainon.validation.sims.wofost import Units, simulate


@pytest.fixture(scope="module")
def carbon(tmp_path_factory):
    return make_carbon_scene(tmp_path_factory.mktemp("wofost"), seed=1, size=48, n_fields=14)


def sun_zenith(product):
    mtd = next(product.path.glob("*_MTD_ALL.xml"))
    return float(ET.parse(mtd).find(".//ZENITH_ANGLE").text)


def test_carbon_scene_is_readable(carbon):
    products = theia.find_products(carbon.s2_folder)
    assert [p.acquired.date() for p in products] == carbon.dates
    assert len(products) == 61                           # 5-day revisit, Oct to July
    grid = carbon.grid
    p = products[len(products) // 2]
    for band in canopy.BANDS:
        assert np.isfinite(theia.read_reflectance(p, band, grid)).all()
    meteo = read_meteo_csv(carbon.meteo_path, carbon.start, carbon.end)
    assert meteo.tmean.shape == (1, (carbon.end - carbon.start).days + 1)
    assert len(Parcels(carbon.parcels_path, None, grid)) == len(carbon.fields)
    with rasterio.open(carbon.crop_mask_path) as ds:
        mask = ds.read(1)
    with rasterio.open(carbon.truth_dir / "field_id.tif") as ds:
        fid = ds.read(1)
    wheat = [f["id"] for f in carbon.fields if f["kind"] == "wheat"]
    assert np.array_equal(mask == 1, np.isin(fid, wheat))


def test_sun_angles_follow_the_season(carbon):
    products = theia.find_products(carbon.s2_folder)
    zen = {p.acquired.date(): sun_zenith(p) for p in products}
    winter = [z for d, z in zen.items() if d.month in (12, 1)]
    summer = [z for d, z in zen.items() if d.month in (6, 7)]
    assert min(winter) > 64 and max(summer) < 32        # Toulouse, 10:40-10:50 UTC


def test_cloudy_dates_and_truth_statistics(carbon):
    products = theia.find_products(carbon.s2_folder)
    cloudy = [np.mean(~theia.clear_mask(p, carbon.grid)) > 0.3 for p in products]
    assert 0.25 <= np.mean(cloudy) <= 0.55
    wheat = [f for f in carbon.fields if f["kind"] == "wheat"]
    biomass = np.array([f["biomass_harvest_t_ha"] for f in wheat])
    yields = np.array([f["yield_t_ha"] for f in wheat])
    assert biomass.min() > 6 and biomass.max() < 21
    assert yields.min() > 3.5 and yields.max() < 11
    assert np.median([f["nee_gc_m2"] for f in wheat]) < -100      # a net sink
    assert all(f["gpp_gc_m2"] > 500 for f in wheat)
    rows = list(csv.DictReader(open(carbon.truth_dir / "daily.csv")))
    assert len(rows) == len(carbon.fields) * ((carbon.end - carbon.start).days + 1)
    with rasterio.open(carbon.truth_dir / "gai_dates.tif") as ds:
        assert ds.count == len(carbon.dates)


def _units(n, **kw):
    base = dict(sow=np.full(n, 75), x_leaf=np.ones(n), tsum_factor=np.ones(n),
                n_factor=np.ones(n), awc=np.full(n, 180.0), r10=np.full(n, 0.8),
                dt=np.zeros(n), straw_left=np.full(n, 0.5), harvest_lag=np.full(n, 7))
    base.update({k: np.asarray(v, float) if k != "sow" else np.asarray(v) for k, v in kw.items()})
    return Units(**base)


def test_crop_model_responds_to_sowing_nitrogen_and_leaf_angle():
    weather = canopy.make_weather(np.random.default_rng(3), date(2018, 8, 1), date(2019, 8, 30),
                                  spring_dryness=1.0)
    day = lambda d: (d - date(2018, 8, 1)).days
    units = _units(4, sow=[day(date(2018, 10, 5)), day(date(2018, 12, 15)),
                           day(date(2018, 10, 25)), day(date(2018, 10, 25))],
                   n_factor=[1, 1, 1, 0.78])
    out, ev = simulate(weather, units)
    early, late, normal, low_n = ev["biomass_harvest"]
    assert early > late and normal > low_n
    assert ev["emergence"][1] - ev["emergence"][0] > 60
    assert (ev["anthesis"][1] - ev["anthesis"][0]) < 20     # vernalisation and daylength
    assert out["lai"][:, 3].max() < out["lai"][:, 2].max()


def test_low_sun_raises_ndvi_of_sparse_canopies_more_for_erectophile_leaves():
    soil = canopy.soil_reflectance(1.0, 0.0)

    def ndvi(ala, zenith):
        r = canopy.canopy_reflectance(0.7, 0.0, canopy.ellipsoid_x(ala), 45, 0.015, soil,
                                      zenith)
        return (r[6] - r[2]) / (r[6] + r[2])
    assert ndvi(68, 68) - ndvi(68, 30) > ndvi(42, 68) - ndvi(42, 30) > 0
    assert ndvi(42, 30) > ndvi(68, 30)                       # planophile covers more


def test_thin_canopies_are_not_as_bright_in_the_nir_as_closed_ones():
    """Wheat NIR keeps rising to LAI ~4 while red saturates near 3 (Asrar et
    al. 1984; Baret & Guyot 1991); PROSPECT+SAIL over a soil of NDVI 0.19
    gives NDVI 0.30-0.45 at GAI 0.25. The finite layer's multiple scattering
    once made GAI 0.25 read NDVI 0.43-0.55 and NIR flat above GAI 2."""
    soil = canopy.soil_reflectance(1.0, 0.0)
    for ala in (42, 57, 68):
        for zenith in (35, 65):
            r = [canopy.canopy_reflectance(g, 0.0, canopy.ellipsoid_x(ala), 48, 0.015, soil,
                                           zenith) for g in (0.25, 2.0, 4.0)]
            assert 0.25 < (r[0][6] - r[0][2]) / (r[0][6] + r[0][2]) < 0.46
            assert r[2][6] > r[1][6] + 0.015


@pytest.fixture(scope="module")
def yield_scene(tmp_path_factory):
    return make_yield_scene(tmp_path_factory.mktemp("wofost_yield"), seed=2, size=96)


def test_yield_scene_files(yield_scene):
    sc = yield_scene
    products = theia.find_products(sc.s2_folder)
    assert products[0].acquired.date() >= date(2018, 1, 1)
    assert products[-1].acquired.date() <= date(2018, 12, 31)
    parcels = json.loads(sc.parcels_path.read_text())["features"]
    assert len(Parcels(sc.parcels_path, None, sc.grid)) == len(parcels)
    assert {f["properties"]["CODE_CULTU"] for f in parcels} >= {"BTH", "MIS", "PPH"}
    wheat = [f["properties"] for f in parcels if f["properties"]["CODE_CULTU"] == "BTH"]
    assert set(sc.true_yield) == {p["ID_PARCEL"] for p in wheat}
    declared = [p for p in wheat if p["RDT_DECL"] is not None]
    assert 0.8 < len(declared) / len(wheat) < 0.97
    rows = list(csv.DictReader(open(sc.truth_path)))
    good = [r for r in rows if r["declared"] and not r["error"]]
    rel = [float(r["declared"]) / float(r["yield"]) - 1 for r in good]
    assert 0.02 < np.std(rel) < 0.06                    # the 4 % noise
    assert any(r["error"] for r in rows)                 # and gross errors
    units = json.loads(sc.units_path.read_text())["features"]
    stats = dict(line.split(",") for line in sc.statistics_path.read_text().split()[1:])
    assert {u["properties"]["code"] for u in units} >= set(stats)
    assert all(4 < float(v) < 10.5 for v in stats.values())
    with rasterio.open(sc.land_cover_path) as ds:
        land = ds.read(1)
    assert {2, 6, 13, 16} <= set(np.unique(land))
    reference = json.loads(sc.reference_path.read_text())["features"]
    assert len(reference) == len(parcels) and all("code" in f["properties"] for f in reference)
    with rasterio.open(sc.dem_path) as ds:
        assert 100 < ds.read(1).mean() < 300


def test_yield_comes_from_the_crop_model_not_from_ndvi(yield_scene):
    """Peak NDVI explains part of the yield, not all of it (water stress after
    the peak, nitrogen, sowing date, variety)."""
    sc = yield_scene
    products = [p for p in theia.find_products(sc.s2_folder) if 3 <= p.acquired.month <= 5]
    with rasterio.open(sc.truth_dir / "parcel_label.tif") as ds:
        lab = ds.read(1)
    rows = {int(r["parcel"]) - 100000: float(r["yield"])
            for r in csv.DictReader(open(sc.truth_path)) if r["crop"] == "BTH"}
    peak = np.full(lab.max() + 1, -1.0)
    for p in products:
        ok = theia.clear_mask(p, sc.grid)
        b4, b8 = (theia.read_reflectance(p, b, sc.grid) for b in ("B4", "B8"))
        ndvi = np.where(ok, (b8 - b4) / (b8 + b4), np.nan)
        for k in rows:
            v = ndvi[lab == k]
            if np.isfinite(v).mean() > 0.8:
                peak[k] = max(peak[k], np.nanmean(v))
    keys = [k for k in rows if peak[k] > 0]
    r = np.corrcoef([peak[k] for k in keys], [rows[k] for k in keys])[0, 1]
    assert 0.0 < r < 0.9


@pytest.fixture(scope="module")
def meadows(tmp_path_factory):
    return make_grassland_scene(tmp_path_factory.mktemp("grassland"), seed=1, size=96)


def test_grassland_scene_files_and_truth(meadows):
    sc = meadows
    products = theia.find_products(sc.s2_folder)
    assert [p.acquired.date() for p in products] == sc.dates
    assert sc.dates[0] >= date(2022, 3, 1) and sc.dates[-1] <= date(2022, 10, 31)
    assert len(Parcels(sc.parcels, None, sc.grid)) == len(sc.parcel_table)
    meadow = [r for r in sc.parcel_table if r["code"] == 13]
    unmown = [r for r in meadow if r["management"] in ("never", "grazed")]
    assert 0.25 <= len(unmown) / len(meadow) <= 0.6
    assert all(r["first_doy"] is None for r in unmown)
    firsts = [r["first_doy"] for r in meadow if r["first_doy"]]
    assert 120 <= min(firsts) and max(firsts) <= 212             # early May - late July
    assert any(len(r["all_mowing_doys"]) == 2 for r in meadow)
    obs = json.loads(sc.observations.read_text())["features"]
    assert len(obs) == min(36, len(firsts))
    by_id = {r["parcel_id"]: r for r in meadow}
    for f in obs:
        when = date.fromisoformat(f["properties"]["mowing_date"])
        assert when.timetuple().tm_yday == by_id[f["properties"]["parcel_id"]]["first_doy"]
    assert {13, 16} <= set(np.unique(sc.land_cover))
    with rasterio.open(sc.truth_dir / "first_mowing_doy.tif") as ds:
        first = ds.read(1)
    assert set(np.unique(first[first > 0])) == set(firsts)


def test_some_mowings_are_hidden_by_clouds_for_two_weeks(meadows):
    sc = meadows
    clear = {p.acquired.date(): theia.clear_mask(p, sc.grid).mean() > 0.5
             for p in theia.find_products(sc.s2_folder)}
    cloudy = 1 - np.mean(list(clear.values()))
    assert 0.3 <= cloudy <= 0.6
    clear_days = [d.timetuple().tm_yday for d, ok in clear.items() if ok]
    gaps = [min((d - r["first_doy"] for d in clear_days if d >= r["first_doy"]), default=99)
            for r in sc.parcel_table if r["first_doy"]]
    assert max(gaps) >= 14
