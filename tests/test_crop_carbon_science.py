"""SAFY, the GAI retrieval, the meteorology readers and the importance
sampling of chainon:crop_carbon, without QGIS."""
from datetime import date, timedelta

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from chainon.core import crop_carbon as cc
from chainon.core.errors import InputError
from chainon.core.gai import gai_from_ndvi, gai_from_reflectance, ndvi
from chainon.core.grid import Grid
from chainon.core.meteo import read_meteo_csv, read_meteo_rasters
from chainon.core.safy import SafyConstants, run_safy, temperature_stress

START, END = date(2018, 10, 1), date(2019, 7, 31)
DAYS = (END - START).days + 1


def climate(days=DAYS):
    t = np.arange(days)
    tmean = 12 - 7 * np.cos(2 * np.pi * (t - 110) / 365)     # coldest mid-January
    rad = 13 - 9 * np.cos(2 * np.pi * (t - 80) / 365)        # darkest late December
    return tmean, rad


def members(**over):
    base = dict(D0=[45.0], ELUE=[2.8], PlB=[0.0016], STT=[1400.0], RS=[5000.0])
    base.update({k: [v] if np.isscalar(v) else v for k, v in over.items()})
    return {k: np.asarray(v, float) for k, v in base.items()}


def test_temperature_stress_is_safy_ft():
    ft = temperature_stress([-1, 0, 10, 20, 28.5, 37, 38])
    assert np.allclose(ft, [0, 0, 0.75, 1, 0.75, 0, 0])


def test_safy_emergence_growth_senescence_and_harvest():
    c = SafyConstants()
    tmean, rad = climate()
    run = run_safy(members(), tmean, rad)
    gai, dam = run.gai[:, 0], run.dam[:, 0]
    assert gai[44] == 0 and gai[45] == pytest.approx(c.ms0 * c.sla)
    assert dam[45] == pytest.approx(c.ms0)
    peak = int(gai.argmax())
    assert 2 < gai[peak] < 9 and 150 < peak < 260
    assert gai[-1] == 0                                   # senesced, harvest-ready
    dead = np.flatnonzero(gai[peak:] == 0)[0] + peak
    assert np.all(dam[dead:] == dam[dead]) and np.all(np.diff(dam) >= 0)
    assert run.totals()["biomass"][0] == pytest.approx(dam[-1] / 100)


def test_safy_responds_to_its_free_parameters():
    tmean, rad = climate()
    base = run_safy(members(), tmean, rad)
    more_light = run_safy(members(ELUE=3.5), tmean, rad)
    late_senescence = run_safy(members(STT=1700.0), tmean, rad)
    assert more_light.totals()["biomass"][0] > base.totals()["biomass"][0] * 1.2
    last = lambda r: np.flatnonzero(r.gai[:, 0])[-1]  # noqa: E731
    assert last(late_senescence) > last(base)


def test_carbon_budget_closes():
    tmean, rad = climate()
    run = run_safy(members(ELUE=[2.0, 3.0]), tmean, rad)
    c, t = SafyConstants(), run.totals()
    npp = c.carbon_fraction * np.diff(run.dam, axis=0, prepend=0).sum(axis=0) - \
        c.carbon_fraction * c.ms0
    assert np.allclose(run.gpp.sum(0) - run.ra.sum(0), npp, rtol=1e-4)
    assert np.allclose(t["nee"], run.ra.sum(0) + run.rh.sum() - run.gpp.sum(0), rtol=1e-5)
    assert np.all(t["nee"] < 0) and t["nee"][1] < t["nee"][0]   # more growth, more uptake
    assert np.all(run.rh > 0) and run.rh.sum() > 100             # soil respires all season


def test_gai_retrieval_inverts_the_relation_and_saturates():
    gai = np.array([0.0, 0.5, 1, 2, 4])
    v = 0.92 - (0.92 - 0.15) * np.exp(-0.6 * gai)
    got, sigma = gai_from_ndvi(v)
    assert np.allclose(got, gai, atol=1e-4)
    assert np.all(np.diff(sigma) > 0)
    _, sat = gai_from_ndvi([0.915])
    assert sat[0] > 2                        # saturated NDVI: hardly informative
    assert ndvi(np.array([0.05]), np.array([0.45]))[0] == pytest.approx(0.8)
    g, _ = gai_from_reflectance(np.array([np.nan, 0.2]), np.array([0.3, 0.2]))
    assert np.isnan(g[0]) and g[1] == 0


def member_gai(lut, i):
    return lut.basis[:lut.basis.shape[0] // 2, i].astype("float64")


def test_posterior_finds_the_member_that_made_the_observations():
    n, days = 500, np.arange(40, 300, 10)
    params = cc.sample_prior(n, seed=3)
    lut = cc.build_lut(params, *climate(), days)
    biomass = lut.values[:, 0] + lut.centre[0]
    truth = 123
    obs = member_gai(lut, truth)[None, :]
    sigma = np.full_like(obs, 0.05)
    post = cc.posterior(lut, obs, sigma, np.ones_like(obs, bool))
    assert post[0, 0] == pytest.approx(biomass[truth], rel=0.05)
    wide = cc.posterior(lut, obs, sigma * 40, np.ones_like(obs, bool))
    assert wide[0, 4] > post[0, 4]           # vaguer observations, wider posterior
    # no clear date: the prior
    none = cc.posterior(lut, obs, sigma, np.zeros_like(obs, bool))
    assert none[0, 0] == pytest.approx(biomass.mean(), rel=1e-4)
    assert none[0, 4] == pytest.approx(biomass.std(), rel=1e-3)


def test_assimilate_needs_enough_clear_dates():
    lut = cc.build_lut(cc.sample_prior(200, 0), *climate(), np.arange(50, 300, 25))
    obs = np.tile(member_gai(lut, 7), (2, 1))
    obs[1, cc.MIN_CLEAR_DATES - 1:] = np.nan
    post = cc.assimilate(lambda cell: lut, np.array([0, 0]), obs, np.full_like(obs, 0.3))
    assert np.isfinite(post[0]).all() and np.isnan(post[1]).all()


def test_sample_prior_is_seeded_and_inside_the_box():
    a, b = cc.sample_prior(300, 1), cc.sample_prior(300, 1)
    for k, (lo, hi) in cc.PRIOR.items():
        assert np.array_equal(a[k], b[k]) and lo <= a[k].min() and a[k].max() <= hi
    assert not np.array_equal(a["ELUE"], cc.sample_prior(300, 2)["ELUE"])


# --- meteorology -----------------------------------------------------------------------
def write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def days_csv(first, n, header="date,tmean,radiation", row="{d},10.5,12.0", sep="\n"):
    return header + sep + sep.join(row.format(d=first + timedelta(i)) for i in range(n))


def test_csv_with_tmean_or_tmin_tmax_and_semicolons(tmp_path):
    p = write_csv(tmp_path / "a.csv", days_csv(START, DAYS))
    m = read_meteo_csv(p, START, END)
    assert m.tmean.shape == (1, DAYS) and np.all(m.tmean == 10.5) and np.all(m.radiation == 12)
    text = days_csv(START - timedelta(3), DAYS + 5, "Date;Tmin (°C);Tmax (°C);Rg [MJ/m2]",
                    "{d};4,0;11,0;8,5")
    m = read_meteo_csv(write_csv(tmp_path / "b.csv", text), START, END)
    assert np.all(m.tmean == 7.5) and np.all(m.radiation == 8.5) and m.tmean.shape[1] == DAYS


@pytest.mark.parametrize("text, words", [
    (days_csv(START, DAYS, "date,temperature_max,radiation"), ["tmean", "temperature_max"]),
    (days_csv(START, DAYS, "date,tmean"), ["radiation"]),
    (days_csv(START + timedelta(10), DAYS - 10), ["does not cover", "2018-10-11"]),
    (days_csv(START, DAYS - 1), ["does not cover", "2019-07-30"]),
    (days_csv(START, DAYS).replace("2019-01-02,10.5,12.0", "2019-01-02,,12.0"),
     ["lacks 1 days", "2019-01-02"]),
    (days_csv(START, DAYS).replace("2019-01-02,10.5", "2019-01-02,warm"), ["warm"]),
    (days_csv(START, DAYS, row="{d},283.1,12"), ["Celsius"]),
    (days_csv(START, DAYS, row="{d},10,1200"), ["MJ m-2 d-1"]),
])
def test_bad_csv_gives_clear_errors(tmp_path, text, words):
    with pytest.raises(InputError) as err:
        read_meteo_csv(write_csv(tmp_path / "m.csv", text), START, END)
    for w in words:
        assert w in str(err.value), str(err.value)


def write_meteo_rasters(folder, first, n, tmean, rad):
    """2 x 2 cells of 8 km in Lambert-93 around Toulouse; tmean/rad (2, 2) or
    callables of the day index."""
    folder.mkdir()
    transform = from_origin(560000, 6290000, 8000, 8000)
    for i in range(n):
        t = tmean(i) if callable(tmean) else tmean
        data = np.stack([t, np.full((2, 2), rad)]).astype("float32")
        with rasterio.open(folder / f"safran_{first + timedelta(i):%Y%m%d}.tif", "w",
                           driver="GTiff", width=2, height=2, count=2, dtype="float32",
                           crs="EPSG:2154", transform=transform, nodata=-999) as ds:
            ds.write(data)
    return folder


def test_meteo_rasters_give_one_series_per_cell(tmp_path):
    temps = np.array([[8.0, 10.0], [12.0, -999]])      # one cell at sea: nodata
    folder = write_meteo_rasters(tmp_path / "met", START, DAYS, temps, 12.0)
    grid = Grid("EPSG:2154", 561000, 6289000, 100, 140, 140)  # 14 km square, all 4 cells
    m = read_meteo_rasters(folder, START, END, grid)
    assert m.n_cells == 4 and list(m.cells.valid) == [True, True, True, False]
    assert m.tmean[1, 0] == 10 and m.radiation[2, 5] == 12
    ids = m.cell_ids(grid)
    assert set(np.unique(ids)) == {-1, 0, 1, 2}
    assert ids[0, 0] == 0 and ids[0, -1] == 1 and ids[-1, 0] == 2 and ids[-1, -1] == -1
    assert m.cell_at(570000, 6285000, "EPSG:2154") == 1


def test_meteo_rasters_that_miss_days_are_refused(tmp_path):
    folder = write_meteo_rasters(tmp_path / "met", START, 30, np.full((2, 2), 9.0), 10.0)
    grid = Grid("EPSG:2154", 561000, 6289000, 100, 50, 50)
    with pytest.raises(InputError, match="lack 274 days"):
        read_meteo_rasters(folder, START, END, grid)
