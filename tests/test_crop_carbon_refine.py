"""The per-parcel refinement of chainon:crop_carbon's importance sampling
(adaptive multiple importance sampling) and the robustness runner's report
of what the prior sample's draw moves, without QGIS."""
import numpy as np
import pytest

from chainon.core import crop_assimilation as ca
from chainon.core.safy import run_safy
from chainon.validation import crop_carbon as runner

from test_crop_carbon_science import DAYS, climate, members

OBS_DAYS = np.arange(20, DAYS, 7)


def observed(**member):
    """GAI of a SAFY field every 7 days with noise 0.15, sigma 0.3 (as a parcel)."""
    truth = run_safy(members(**member), *climate())
    rng = np.random.default_rng(1)
    obs = np.maximum(truth.gai[OBS_DAYS, 0] + rng.normal(0, 0.15, OBS_DAYS.size), 0)[None]
    return obs, np.full_like(obs, 0.3), np.ones_like(obs, bool)


def draws(obs, sigma, valid, n, refine):
    """Posterior biomass and effective members over 5 prior samples of n members."""
    est, ess = [], []
    for seed in range(5):
        luts = ca.LutCache(type("M", (), dict(tmean=[climate()[0]], radiation=[climate()[1]])),
                           ca.sample_prior(n, seed, water=False), OBS_DAYS, seed=seed)
        e = np.full((2, 1), np.nan)
        est.append(ca.assimilate(luts, np.zeros(1, int), obs, sigma, refine=refine, ess=e)[0, 0])
        ess.append(e[:, 0])
    return np.array(est), np.array(ess)


@pytest.mark.parametrize("d0, elue", [(20, 2.4), (90, 3.0)])
def test_refinement_steadies_the_posterior_across_prior_draws(d0, elue):
    """Five prior samples of 1 000 members: the plain importance sampling's
    biomass moves with the draw (few effective members); refined, the spread
    is at most half and the estimate agrees with 5 samples of 10 000."""
    obs, sigma, valid = observed(D0=float(d0), ELUE=elue)
    plain, plain_ess = draws(obs, sigma, valid, 1000, refine=False)
    refined, ess = draws(obs, sigma, valid, 1000, refine=True)
    assert np.ptp(refined) <= 0.5 * np.ptp(plain), (plain, refined)
    assert np.all(ess[:, 1] > 3 * ess[:, 0]) and np.all(plain_ess[:, 1] == plain_ess[:, 0])
    reference = draws(obs, sigma, valid, 10000, refine=False)[0].mean()
    assert np.mean(refined) == pytest.approx(reference, rel=0.03)


def test_kernels_density_integrates_to_one_and_matches_their_draws():
    rng = np.random.default_rng(0)
    unit = rng.uniform(size=(50, 3))
    w = rng.uniform(size=50) ** 8
    k = ca.Kernels.fit(unit, w / w.sum())
    x = k.draw(20000, rng)
    # importance check: E_q[1 / q] over a box containing ~all mass = its volume
    lo, hi = x.min(0), x.max(0)
    grid = rng.uniform(lo, hi, size=(40000, 3))
    volume = np.prod(hi - lo)
    assert np.mean(np.exp(k.log_density(grid))) * volume == pytest.approx(1.0, abs=0.05)
    assert np.allclose(x.mean(axis=0), k.share @ k.centres, atol=0.01)


def test_runner_reports_the_spread_over_prior_draws(monkeypatch, tmp_path):
    """evaluate runs the product once per ENSEMBLE_SEEDS and reports the
    range of the biomass error over them, the table's figure from seed 0."""
    truth = [(1, 10.0, 1000.0, -300.0), (2, 12.0, 1100.0, -350.0)]
    scene = type("S", (), dict(fields=[dict(id=i, biomass=b, gpp=g, nee=n)
                                       for i, b, g, n in truth],
                               s2_folder=None, meteo_path=None, start=None, end=None,
                               crop_mask_path=None, parcels_path=None))
    bias = {0: 1.0, 1: 1.5, 2: 0.5}
    seen = []

    def product(*args, seed, **kw):
        seen.append(seed)
        return dict(OUTPUT_PARCELS=seed, effective_members=(10.0, 100.0 + seed))

    def parcels(seed):
        return {i: dict(biomass=b + bias[seed], biomass_sd=1.0, gpp=g, nee=n)
                for i, b, g, n in truth}
    monkeypatch.setattr(runner, "make_scene", lambda *a: scene)
    monkeypatch.setattr(runner, "run_crop_carbon", product)
    monkeypatch.setattr(runner, "read_parcels", parcels)
    got = runner.evaluate("project", 0, tmp_path)
    assert seen == list(runner.ENSEMBLE_SEEDS) == [0, 1, 2]
    rmse = {d: bias[d] / 11.0 for d in bias}
    assert got["biomass_relative_rmse"] == pytest.approx(rmse[0])
    assert got["biomass_rmse_draw_spread"] == pytest.approx(rmse[1] - rmse[2])
    assert got["effective_members"] == 100.0
    assert {"biomass_rmse_draw_spread", "effective_members"} <= set(runner.REPORTED)


def test_a_parcels_refined_estimate_does_not_depend_on_the_other_parcels():
    """The refinement draws per parcel: parcel A gives the same biomass alone
    and after another parcel (the draws were shared by the cell's parcels in
    input order: 9.931 alone, 9.807 after another, review)."""
    a = observed(D0=20.0, ELUE=2.4)
    b = observed(D0=90.0, ELUE=3.0)

    def estimate(*fields):
        obs, sigma, valid = (np.concatenate([f[k] for f in fields]) for k in range(3))
        luts = ca.LutCache(type("M", (), dict(tmean=[climate()[0]], radiation=[climate()[1]])),
                           ca.sample_prior(1000, 0, water=False), OBS_DAYS, seed=0)
        return ca.assimilate(luts, np.zeros(len(obs), int), obs, sigma, refine=True)[:, 0]
    alone = estimate(a)[0]
    assert estimate(b, a)[1] == pytest.approx(alone, rel=1e-5)
