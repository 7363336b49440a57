"""SAFY, the GAI retrieval, the meteorology readers and the importance
sampling of chainon:crop_carbon, without QGIS."""
from datetime import date, datetime, timedelta

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from chainon.core import crop_assimilation as ca
from chainon.core import crop_carbon as cc
from chainon.core.errors import InputError
from chainon.core import gai
from chainon.core.simulate import write_theia_product
from chainon.core.theia import find_products
from chainon.core.grid import Grid
from chainon.core.meteo import read_meteo_csv, read_meteo_rasters
from chainon.core.safy import (SafyConstants, co2_share, run_safy, temperature_stress,
                               turc_et0)

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
    assert np.allclose(t["nee"], run.ra.sum(0) + run.rh.sum(0) - run.gpp.sum(0), rtol=1e-5)
    assert np.all(t["nee"] < 0) and t["nee"][1] < t["nee"][0]   # more growth, more uptake
    assert np.all(run.rh > 0) and run.rh.sum() > 100             # soil respires all season


# PROSAIL (PROSPECT-D + 4SAIL, core/prosail.py with the prosail package's tables)
# for a wheat-like canopy: ALA 60, Cab 45, Cm 0.005, Cw 0.012, N 1.5, soil
# brightness 1, half dry; view zenith 5, relative azimuth 120. (GAI, sun
# zenith, B3 B4 B5 B6 B7 B8 B8A B11 B12). The fixed NDVI relation read these
# winter canopies 2.4-3x too high (0.65, 1.46, 2.69, 4.57).
PROSAIL_CASES = [
    (0.3, 70.0, (0.1106, 0.1115, 0.1476, 0.2227, 0.2472, 0.2600, 0.2674, 0.2992, 0.2330)),
    (0.6, 70.0, (0.0882, 0.0716, 0.1201, 0.2404, 0.2752, 0.2859, 0.2920, 0.2751, 0.1853)),
    (1.0, 70.0, (0.0708, 0.0420, 0.0980, 0.2614, 0.3095, 0.3181, 0.3229, 0.2534, 0.1450)),
    (1.5, 70.0, (0.0598, 0.0245, 0.0837, 0.2834, 0.3471, 0.3537, 0.3572, 0.2369, 0.1169)),
    (0.5, 35.0, (0.1085, 0.1087, 0.1450, 0.2269, 0.2538, 0.2667, 0.2743, 0.2991, 0.2277)),
    (1.0, 35.0, (0.0853, 0.0687, 0.1158, 0.2486, 0.2897, 0.3004, 0.3065, 0.2714, 0.1751)),
    (2.0, 35.0, (0.0628, 0.0321, 0.0865, 0.2869, 0.3575, 0.3647, 0.3684, 0.2366, 0.1175)),
    (3.0, 35.0, (0.0551, 0.0196, 0.0761, 0.3159, 0.4152, 0.4199, 0.4220, 0.2210, 0.0946)),
]
CASE_BANDS = ("B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12")


@pytest.mark.parametrize("bands, tolerance", [("red_edge", 0.2), ("ten_m", 0.5)])
def test_winter_low_sun_gai_is_not_read_twice_too_high(bands, tolerance):
    true_gai = np.array([c[0] for c in PROSAIL_CASES])
    zenith = np.array([c[1] for c in PROSAIL_CASES])
    table = np.array([c[2] for c in PROSAIL_CASES])
    refl = {b: table[:, i] for i, b in enumerate(CASE_BANDS)}
    got, sigma = gai.gai_from_reflectance(refl, zenith, bands)
    assert np.all(np.abs(got - true_gai) <= 0.15 + tolerance * true_gai), got
    winter = zenith > 60
    assert np.all(got[winter] < 1.4 * true_gai[winter] + 0.15)
    assert np.all(sigma > 0) and sigma[3] > sigma[0]          # larger GAI, larger error
    refl["B4"] = np.where(true_gai == 1.0, np.nan, refl["B4"])
    g, _ = gai.gai_from_reflectance(refl, zenith, bands)
    assert np.isnan(g[true_gai == 1.0]).all() and np.isfinite(g[true_gai != 1.0]).all()


def test_band_set_falls_back_to_10_m_bands():
    assert gai.band_set(CASE_BANDS) == "red_edge"
    assert gai.band_set(("B2", "B3", "B4", "B8", "B11")) == "ten_m"
    assert gai.band_set(("B4", "B8")) is None


def test_sun_zenith_from_metadata_or_from_the_clock(tmp_path):
    # solar noon at Toulouse (1.44 E, 43.6 N) ~11:56 UTC: 43.6 -+ 23.44 deg
    assert gai.sun_zenith(datetime(2019, 6, 21, 11, 56), 1.44, 43.6) == pytest.approx(20.2, abs=0.4)
    assert gai.sun_zenith(datetime(2018, 12, 21, 11, 56), 1.44, 43.6) == pytest.approx(67.0, abs=0.4)
    grid = Grid("EPSG:32631", 300000, 4900020, 20, 4, 4)
    refl = {b: np.full((4, 4), 0.1, "float32") for b in ("B4", "B8")}
    clm = np.zeros((4, 4), "uint8")
    when = datetime(2019, 1, 5, 10, 45, 12)
    write_theia_product(tmp_path, "SENTINEL2A", when, "31TCJ", grid, refl, clm,
                        sun_angles=(68.25, 160.5))
    write_theia_product(tmp_path, "SENTINEL2B", when + timedelta(days=1), "31TCJ", grid, refl,
                        clm, zipped=True, sun_angles=(67.5, 161.0))
    write_theia_product(tmp_path, "SENTINEL2A", when + timedelta(days=2), "31TCJ", grid, refl,
                        clm)
    assert [p.sun_angles() for p in find_products(tmp_path)] == [(68.25, 160.5), (67.5, 161.0),
                                                                None]
    acq = cc.Acquisitions.of(find_products(tmp_path), grid)
    assert acq.bands is None or acq.bands == "ten_m"
    assert acq.sun_zenith[:2] == [68.25, 67.5] and 64 < acq.sun_zenith[2] < 70


def dry_spring(days=DAYS):
    """Rain (mm/d): a wet autumn and winter, then nothing from March."""
    rain = np.where(np.arange(days) % 4 == 0, 8.0, 0.0)
    rain[150:] = 0
    return rain


def test_water_balance_stresses_a_dry_spring_only():
    tmean, rad = climate()
    assert turc_et0([0.0, 20.0], [10.0, 25.0]) == pytest.approx(
        [0.0, 0.013 * 20 / 35 * (23.8856 * 25 + 50)])
    base = run_safy(members(), tmean, rad).totals()["biomass"][0]
    wet = run_safy(members(), tmean, rad, rain=np.full(DAYS, 6.0)).totals()["biomass"][0]
    shallow = run_safy(members(AWC=60.0), tmean, rad, rain=dry_spring()).totals()["biomass"][0]
    deep = run_safy(members(AWC=200.0), tmean, rad, rain=dry_spring()).totals()["biomass"][0]
    assert wet == pytest.approx(base, rel=1e-3)         # never short of water
    assert shallow < deep < base and shallow < 0.8 * base


def test_a_dry_spring_with_its_rain_is_not_overestimated():
    """SAFYE truth on a shallow soil in a dry spring: with the rain, the
    assimilation finds the stressed biomass within 15 % (without the water
    balance, members growing on through the dry spring put it 3.7 times too
    high)."""
    tmean, rad = climate()
    rain = dry_spring()
    truth = run_safy(members(AWC=70.0), tmean, rad, rain=rain)
    days = np.arange(5, DAYS, 10)
    obs = truth.gai[days, 0][None, :]
    lut = ca.build_lut(ca.sample_prior(3000, 0), tmean, rad, days, rain)
    post = ca.posterior(lut, obs, np.full_like(obs, 0.3), np.ones_like(obs, bool))
    biomass = truth.totals()["biomass"][0]
    assert abs(post[0, 0] - biomass) <= 0.15 * biomass, (post[0, 0], biomass)


def test_rain_column_of_the_meteorology_table(tmp_path):
    p = write_csv(tmp_path / "a.csv", days_csv(START, DAYS, "date;tmean;rg;Rain (mm)",
                                               "{d};10,5;12,0;1,5"))
    assert np.all(cc.read_rain_csv(p, START, END) == 1.5)
    assert cc.read_rain_csv(write_csv(tmp_path / "b.csv", days_csv(START, DAYS)), START,
                            END) is None
    gap = days_csv(START, DAYS, "date,tmean,radiation,rain", "{d},10.5,12.0,0").replace(
        "2019-01-02,10.5,12.0,0", "2019-01-02,10.5,12.0,")
    with pytest.raises(InputError, match="lacks 1 days"):
        cc.read_rain_csv(write_csv(tmp_path / "c.csv", gap), START, END)


def member_gai(lut, i):
    return lut.basis[:lut.basis.shape[0] // 2, i].astype("float64")


def test_posterior_finds_the_member_that_made_the_observations():
    n, days = 500, np.arange(40, 300, 10)
    params = ca.sample_prior(n, seed=3)
    lut = ca.build_lut(params, *climate(), days)
    biomass = lut.values[:, 0] + lut.centre[0]
    truth = 123
    obs = member_gai(lut, truth)[None, :]
    sigma = np.full_like(obs, 0.05)
    post = ca.posterior(lut, obs, sigma, np.ones_like(obs, bool))
    assert post[0, 0] == pytest.approx(biomass[truth], rel=0.05)
    wide = ca.posterior(lut, obs, sigma * 40, np.ones_like(obs, bool))
    assert wide[0, 4] > post[0, 4]           # vaguer observations, wider posterior
    # no clear date: the prior
    none = ca.posterior(lut, obs, sigma, np.zeros_like(obs, bool))
    assert none[0, 0] == pytest.approx(biomass.mean(), rel=1e-4)
    # prior sd: the spread of the members' means and each one's own along ELUE
    second = lut.values[:, -1].astype("float64").mean()
    spread = np.sqrt(second - lut.values[:, 0].mean() ** 2)
    assert none[0, 4] == pytest.approx(np.hypot(spread, ca.STRUCTURAL_CV * none[0, 0]), rel=1e-3)
    assert none[0, 4] > biomass.std()


def test_elue_moments_given_leaf_growth_match_a_monte_carlo():
    """ELUE and SLA drawn independently: among draws with the same product
    ELUE x SLA, the mean ELUE is what elue_given_leaf_growth says."""
    rng = np.random.default_rng(0)
    elue = rng.uniform(*ca.PRIOR["ELUE"], 2_000_000)
    sla = rng.uniform(*ca.PRIOR["SLA"], elue.size)
    member = {"ELUE": np.array([2.0, 3.0]), "SLA": np.array([0.020, 0.025])}
    r1, r2 = ca.elue_given_leaf_growth(member, np.array([10.0, 12.0]))
    for i in range(2):
        p = member["ELUE"][i] * member["SLA"][i]
        near = np.abs(elue * sla / p - 1) < 0.002
        assert r1[i] * member["ELUE"][i] == pytest.approx(elue[near].mean(), rel=0.01)
        assert r2[i] * member["ELUE"][i] ** 2 == pytest.approx((elue[near] ** 2).mean(),
                                                                rel=0.02)


def test_no_member_above_the_biomass_cap():
    tmean, rad = climate()
    lut = ca.build_lut(ca.sample_prior(3000, 0), tmean * 1.15, rad * 1.6,
                       np.arange(40, 300, 10))
    assert (lut.values[:, 0] + lut.centre[0]).max() <= ca.BIOMASS_MAX + 1e-3
    # the densest canopy all spring: the posterior stays physical
    obs = np.where(np.arange(40, 300, 10) > 150, 7.5, 1.0)[None, :]
    post = ca.posterior(lut, obs, np.full_like(obs, 0.3), np.ones_like(obs, bool))
    assert post[0, 0] <= ca.BIOMASS_MAX


@pytest.mark.parametrize("d0, elue", [(8, 2.6), (105, 2.2)])
def test_early_and_late_sowings_are_not_overestimated(d0, elue):
    """A field emerging 8 days after 1 October (sown on it) and a stressed one
    emerging in mid-January (sown in December): SAFY truth, GAI seen every 10
    days with its noise, within 15 %. The old prior (emergence 15-90 days,
    no SLA) put the early field 55 % too high (the late one -13 %)."""
    tmean, rad = climate()
    truth = run_safy(members(D0=float(d0), ELUE=elue), tmean, rad)
    days = np.arange(5, DAYS, 10)
    rng = np.random.default_rng(d0)
    obs = np.maximum(truth.gai[days, 0] + rng.normal(0, 0.15, days.size), 0)[None, :]
    lut = ca.build_lut(ca.sample_prior(3000, 0), tmean, rad, days)
    post = ca.posterior(lut, obs, np.full_like(obs, 0.3), np.ones_like(obs, bool))
    biomass = truth.totals()["biomass"][0]
    assert abs(post[0, 0] - biomass) <= 0.15 * biomass, (post[0, 0], biomass)


def test_assimilate_needs_enough_clear_dates():
    lut = ca.build_lut(ca.sample_prior(200, 0), *climate(), np.arange(50, 300, 25))
    obs = np.tile(member_gai(lut, 7), (2, 1))
    obs[1, ca.MIN_CLEAR_DATES - 1:] = np.nan
    post = ca.assimilate(lambda cell: lut, np.array([0, 0]), obs, np.full_like(obs, 0.3))
    assert np.isfinite(post[0]).all() and np.isnan(post[1]).all()


def test_sample_prior_is_seeded_and_inside_the_box():
    a, b = ca.sample_prior(300, 1), ca.sample_prior(300, 1)
    for k, (lo, hi) in ca.PRIOR.items():
        assert np.array_equal(a[k], b[k]) and lo <= a[k].min() and a[k].max() <= hi
    assert not np.array_equal(a["ELUE"], ca.sample_prior(300, 2)["ELUE"])
    assert "AWC" not in ca.sample_prior(300, 1, water=False)


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


def test_heterotrophic_respiration_of_residues_and_soil_carbon():
    """RothC pools under SAFY-CO2: the previous crop's residues respire most in
    the first months, the humified carbon all season, less in a dry soil."""
    tmean, rad = climate()
    run = run_safy(members(), tmean, rad)
    soil_only = run_safy(members(), tmean, rad, c=SafyConstants(residue_carbon=0.0))
    residues = run.rh[:, 0] - soil_only.rh[:, 0]
    c = SafyConstants()
    assert 0.5 * c.residue_carbon < residues.sum() < c.residue_carbon
    assert residues[:90].sum() > 0.6 * residues.sum()
    # croplands respire about their carbon inputs a year (2-4 t C/ha)
    assert 200 < run.rh.sum() < 400 and 50 < soil_only.rh.sum() < 150
    wet = run_safy(members(), tmean, rad, rain=np.full(DAYS, 6.0))
    dry = run_safy(members(), tmean, rad, rain=dry_spring())
    assert wet.rh.sum() == pytest.approx(run.rh.sum(), rel=1e-3)
    assert dry.rh[200:].sum() < 0.8 * wet.rh[200:].sum()


def test_rothc_decomposition_feeds_bio_and_hum_which_respire_in_turn():
    """RothC: what decomposes and is not CO2 becomes BIO and HUM, which
    decompose in turn, so residues decomposed completely respire more than
    the CO2 share of their carbon (it stopped there without the transfers)."""
    days = 5 * 365
    c = SafyConstants(soil_carbon=0.0)
    run = run_safy(members(), np.full(days, 20.0), np.full(days, 10.0), c=c)
    first = co2_share(c.clay) * c.residue_carbon
    assert first * 1.05 < run.rh.sum() < c.residue_carbon


def test_microbial_biomass_of_the_soil_turns_over_within_the_season():
    """RothC's BIO pool (k 0.66 yr-1, 2 % of the soil carbon) respires
    most of itself in a season, the humified carbon only a few per cent."""
    tmean, rad = climate()
    with_bio = run_safy(members(), tmean, rad, c=SafyConstants(residue_carbon=0.0))
    hum_only = run_safy(members(), tmean, rad,
                        c=SafyConstants(residue_carbon=0.0, bio_share=0.0))
    c = SafyConstants()
    assert with_bio.rh.sum() - hum_only.rh.sum() > 0.3 * c.bio_share * c.soil_carbon


def test_posterior_sd_holds_the_structural_error():
    """Perfect observations of a member still leave the model's own error."""
    lut = ca.build_lut(ca.sample_prior(500, seed=3), *climate(), np.arange(40, 300, 10))
    obs = member_gai(lut, 123)[None, :]
    post = ca.posterior(lut, obs, np.full_like(obs, 0.01), np.ones_like(obs, bool))
    assert post[0, 4] >= ca.STRUCTURAL_CV * post[0, 0]


def test_leaf_coupling_mixes_safy_and_a_light_use_efficiency_model():
    """Coupling 1 (the default) is SAFY's reading of ELUE from the leaf
    growth; coupling 0 gives every member the prior-mean ELUE times its own
    absorbed light, whatever its ELUE; in between, the mixture of the two."""
    params = ca.sample_prior(300, seed=5)
    days = np.arange(40, 300, 10)
    biomass = {c: (lambda lut: lut.values[:, 0] + lut.centre[0])(
        ca.build_lut(params, *climate(), days, coupling=c)) for c in (0.0, 0.5, 1.0)}
    default = ca.build_lut(params, *climate(), days)
    assert np.allclose(default.values[:, 0] + default.centre[0], biomass[1.0], rtol=1e-5)
    run = run_safy(params, *climate()).totals()["biomass"]
    keep = np.isfinite(ca.elue_given_leaf_growth(params, run)[0])
    start = SafyConstants().ms0 / 100.0
    efficiency = (run[keep] - start) / params["ELUE"][keep]       # biomass made per g/MJ
    prior_mean = sum(ca.PRIOR["ELUE"]) / 2
    uncapped = start + efficiency * ca.PRIOR["ELUE"][1] < ca.BIOMASS_MAX
    assert np.allclose(biomass[0.0][uncapped], start + efficiency[uncapped] * prior_mean,
                       rtol=1e-4)
    assert np.allclose(biomass[0.5], (biomass[0.0] + biomass[1.0]) / 2, rtol=1e-4)


def test_dips_below_both_clear_neighbours_are_dropped():
    """An unmasked shadow (a GAI far below the clear dates either side, across
    a cloudy gap) is dropped; a harvest, a noisy step within 3 SDs and the
    series' ends are kept."""
    from chainon.core.crop_carbon import dips
    nan = np.nan
    gai = np.array([[0.5, 1.0, nan, 0.3, 1.5, 2.0, 2.2, 0.2, 0.1, nan, 0.1],
                    [0.1, 1.0, 1.2, 0.95, 1.3, nan, nan, 1.4, 1.5, 1.6, 0.2]],
                   "float32").T
    found = dips(gai, np.full_like(gai, 0.1))
    assert found[:, 0].tolist() == [False] * 3 + [True] + [False] * 7
    assert not found[:, 1].any()
