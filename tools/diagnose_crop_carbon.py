"""Where the crop-carbon biomass error comes from, on both simulators of the
robustness table (validation/crop_carbon.py): the assimilation is fed the
TRUE green area index of every wheat field (no retrieval error), and
compared with a light-use-efficiency reference on the same GAI.

Per simulator, root mean square of the relative errors (and their mean)
of the harvest biomass over the wheat fields for:
- "assimilation": the product's importance sampling (core/crop_carbon) on
  the true GAI of the acquisition dates (sigma 0.3), likelihood tempered by
  each --shares value (1 = dates independent, as the product; s = the dates
  count as a share s of independent ones, all variances divided by s);
- "coupling c" (--couplings): the same with the leaf-growth coupling
  probability LEAF_COUPLING set to c (1 = the product; 0 = ELUE from its prior);
- "lue_prior": Ms0 + the prior-mean efficiency of the SAFY members (biomass
  made per MJ of PAR absorbed x FT) times the field's own absorbed PAR x FT
  (true GAI, k = 0.5): no information on the efficiency from leaf growth.
With --pipeline, the robustness runner itself (retrieved GAI, per parcel) for
each --couplings value, biomass relative RMSE per seed.
And, with --gai, the retrieved / true GAI ratio per true-GAI bin, month and
sun zenith over the wheat pixels of the independent scene (its truth has the
GAI of every date); --gai-model evaluates another network instead.
With --decompose (independent simulator), the robustness runner's own run
per parcel, its biomass relative RMSE (and bias per sowing group) with the
retrieved parcel GAI, with the true GAI on the same clear dates, with the
true GAI in winter (October-February), from March only, in February-March
or in June-July only, and on every date; the lag-1 correlation of the standardised residuals (retrieved GAI -
posterior-mean GAI) between successive clear dates and the RMSE with each
--ensemble-seeds prior sample; then the parcel-mean retrieved against true
GAI by month, sun zenith, GAI level, variety and nitrogen status.
Usage: python tools/diagnose_crop_carbon.py [--seeds 0 3] [--shares 1 0.1]
       [--couplings 0.5] [--simulators project independent] [--gai [--gai-model F]] [--pipeline]
       [--decompose [--ensemble-seeds 0 1 2 3]]"""
import argparse
import csv
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if not (ROOT / ".pkgroot" / "chainon").exists():
    (ROOT / ".pkgroot").mkdir(exist_ok=True)
    (ROOT / ".pkgroot" / "chainon").symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(ROOT / ".pkgroot"))

from chainon.core import crop_assimilation as ca  # noqa: E402
from chainon.core import crop_carbon as cc  # noqa: E402
from chainon.core.meteo import read_meteo_csv  # noqa: E402
from chainon.core.safy import FREE, SafyConstants, run_safy, temperature_stress  # noqa: E402
from chainon.validation import crop_carbon as runner  # noqa: E402
from chainon.validation.crop_carbon import make_scene  # noqa: E402

SIGMA_TRUE = 0.3       # GAI error given to the true series (m2 m-2)
C = SafyConstants()


def true_fields(scene, tmean, radiation):
    """[(biomass t/ha, daily true GAI over the season)] of the wheat fields."""
    if "biomass_harvest_t_ha" in scene.fields[0]:           # independent simulator
        series = defaultdict(list)
        for row in csv.DictReader(open(scene.truth_dir / "daily.csv")):
            series[int(row["field"])].append(float(row["gai"]))
        return [(f["biomass_harvest_t_ha"], np.array(series[f["id"]][:len(tmean)]))
                for f in scene.fields if f["kind"] == "wheat"]
    params = {k: np.array([f[k] for f in scene.fields]) for k in FREE}
    run = run_safy(params, tmean, radiation)
    return [(f["biomass"], run.gai[:, i]) for i, f in enumerate(scene.fields)]


def biomass_errors(scene, shares, couplings=()):
    meteo = read_meteo_csv(scene.meteo_path, scene.start, scene.end)
    tmean, radiation = meteo.tmean[0], meteo.radiation[0]
    rain = cc.read_rain_csv(scene.meteo_path, scene.start, scene.end)
    days = sorted({getattr(d, "date", lambda: d)() for d in scene.dates})
    obs_days = np.array([(d - scene.start).days for d in days])
    params = ca.sample_prior(10000, 0)
    lut = ca.build_lut(params, tmean, radiation, obs_days, rain)
    mixed = {c: ca.build_lut(params, tmean, radiation, obs_days, rain, coupling=c)
             for c in couplings}
    run = run_safy(params, tmean, radiation, rain=rain)
    ft = temperature_stress(tmean)
    absorbed = lambda gai: (C.r2p * radiation[:, None] * (1 - np.exp(-C.kex * gai))  # noqa
                            * ft[:, None]).sum(0) / 100.0
    r1, _ = ca.elue_given_leaf_growth(params, run.totals()["biomass"])
    keep = np.isfinite(r1)
    grown = (run.totals()["biomass"] - C.ms0 / 100.0) * r1
    efficiency = np.mean(grown[keep] / absorbed(run.gai)[keep])
    errors = defaultdict(list)
    for biomass, gai in true_fields(scene, tmean, radiation):
        obs = gai[obs_days][None, :]
        for share in shares:
            # a share s of independent dates = every variance divided by s
            sigma = np.sqrt((SIGMA_TRUE ** 2 + ca.SIGMA_MODEL ** 2) / share - ca.SIGMA_MODEL ** 2)
            post = ca.posterior(lut, obs, np.full_like(obs, sigma), np.ones_like(obs, bool))
            errors[f"assimilation share {share:g}"].append(post[0, 0] / biomass - 1)
        for c, table in mixed.items():
            post = ca.posterior(table, obs, np.full_like(obs, SIGMA_TRUE), np.ones_like(obs, bool))
            errors[f"coupling {c:g}"].append(post[0, 0] / biomass - 1)
        reference = C.ms0 / 100.0 + efficiency * absorbed(gai[:, None])[0]
        errors["lue_prior"].append(reference / biomass - 1)
    return errors


def gai_ratios(scene):
    """Retrieved / true GAI of the wheat pixels, by true GAI, month and sun zenith."""
    import rasterio
    from chainon.core.inputs import processing_grid
    products, _, _ = cc.select_season(scene.s2_folder, scene.start, scene.end)
    grid = processing_grid(products[0], None, None, 20.0)
    acq = cc.Acquisitions.of(products, grid)
    gai, _ = cc.read_observations(acq, grid)
    with rasterio.open(scene.truth_dir / "gai_dates.tif") as ds:
        truth = ds.read().astype(float)
    with rasterio.open(scene.crop_mask_path) as ds:
        ok = np.isfinite(gai) & (ds.read(1) == 1)[None]
    month = np.array([p.acquired.month for p in products])[:, None, None] + 0 * truth
    zenith = np.array(acq.sun_zenith)[:, None, None] + 0 * truth
    t, g, month, zenith = truth[ok], gai[ok], month[ok], zenith[ok]
    groups = ([(f"true GAI {lo}-{hi}", (t >= lo) & (t < hi)) for lo, hi in
               [(0, 0.25), (0.25, 0.5), (0.5, 1), (1, 2), (2, 3), (3, 4), (4, 6), (6, 9)]]
              + [(f"month {m}", month == m) for m in (10, 11, 12, 1, 2, 3, 4, 5, 6, 7)]
              + [(f"sun zenith {lo}-{hi}", (zenith >= lo) & (zenith < hi))
                 for lo, hi in [(20, 40), (40, 50), (50, 60), (60, 75)]])
    for label, m in groups:
        if m.any():
            print(f"  {label}: {m.sum()} px-dates, retrieved / true "
                  f"{g[m].mean() / max(t[m].mean(), 1e-6):.2f}")


def pipeline(simulator, seeds, couplings):
    """The robustness runner's biomass relative RMSE per seed and coupling."""
    for c in couplings:
        ca.LEAF_COUPLING = c
        scores = []
        for seed in seeds:
            with tempfile.TemporaryDirectory() as work:
                scores.append(runner.evaluate(simulator, seed, Path(work))
                              ["biomass_relative_rmse"])
        print(f"{simulator} pipeline coupling {c:g}: biomass relative RMSE per seed "
              + " ".join(f"{v:.3f}" for v in scores)
              + f", mean {np.mean(scores):.3f}, worst {max(scores):.3f}")


def captured_run(seed, work):
    """The robustness runner's product run on independent seed `seed`, with
    what its per-parcel assimilation saw: (scene, result, {luts, cells, obs,
    sigma})."""
    scene = make_scene("independent", seed, work)
    seen, assimilate = {}, cc.assimilate

    def spy(luts, cells, obs, sigma, refine=False, ess=None):
        if refine:      # the parcels' call (the pixels' are not refined)
            seen.update(luts=luts, cells=cells, obs=obs.copy(), sigma=sigma.copy())
        return assimilate(luts, cells, obs, sigma, refine=refine, ess=ess)
    cc.assimilate = spy
    try:
        result = cc.run_crop_carbon(scene.s2_folder, work / "out", meteo_csv=scene.meteo_path,
                                    start=scene.start, end=scene.end,
                                    crop_mask=scene.crop_mask_path,
                                    parcels=(scene.parcels_path, None),
                                    ensemble_size=runner.ENSEMBLE, seed=0)
    finally:
        cc.assimilate = assimilate
    return scene, result, seen


WINTER = (10, 11, 12, 1, 2)


def residual_lag1(luts, cells, obs, sigma):
    """Pooled lag-1 correlation, between successive clear dates of each
    parcel, of (obs - posterior-mean GAI) / sqrt(sigma^2 + SIGMA_MODEL^2):
    the likelihood treats the dates as independent (0). Also returns the
    median effective number of members, 1 / sum(w^2), per parcel."""
    valid = np.isfinite(obs) & np.isfinite(sigma)
    num = den = 0.0
    ess = []
    for cell in np.unique(cells[cells >= 0]):
        rows = (cells == cell) & (valid.sum(axis=1) >= ca.MIN_CLEAR_DATES)
        lut, o, s, v = luts(int(cell)), obs[rows], sigma[rows], valid[rows]
        w = np.where(v, 1.0 / (np.where(v, s, 1.0) ** 2 + ca.SIGMA_MODEL ** 2), 0.0)
        logw = np.concatenate([w * np.where(v, o, 0.0), -0.5 * w], axis=1) @ lut.basis
        p = np.exp(logw - logw.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        ess += list(1 / (p ** 2).sum(axis=1))
        fitted = p @ lut.basis[:o.shape[1]].T
        r = (o - fitted) / np.sqrt(s ** 2 + ca.SIGMA_MODEL ** 2)
        for row, ok in zip(r, v):
            x = row[ok]
            num, den = num + np.sum(x[1:] * x[:-1]), den + np.sum(x * x)
    return num / den, float(np.median(ess))


def decompose(seed, pairs, ensemble_seeds=()):
    """Prints the biomass error of the retrieved and of the true GAI on seed
    `seed`; appends (month, sun zenith, true, retrieved, variety, N) per
    wheat parcel and clear date to `pairs`."""
    import json
    with tempfile.TemporaryDirectory() as work:
        scene, result, seen = captured_run(seed, Path(work))
        products, _, _ = cc.select_season(scene.s2_folder, scene.start, scene.end)
        zenith = np.array([p.sun_angles()[0] for p in products])
        daily = defaultdict(dict)
        for row in csv.DictReader(open(scene.truth_dir / "daily.csv")):
            daily[int(row["field"])][row["date"]] = float(row["gai"])
        ids = [f["properties"]["id"] for f in json.load(open(scene.parcels_path))["features"]]
    fields = {f["id"]: f for f in scene.fields}
    true = np.array([[daily[i].get(d, np.nan) for d in result["dates"]] for i in ids])
    obs, sigma = seen["obs"], seen["sigma"]
    clear = np.isfinite(obs)
    months = np.array([int(d[5:7]) for d in result["dates"]])
    winter = np.isin(months, WINTER)[None]
    feb_mar, jun_jul = np.isin(months, (2, 3))[None], np.isin(months, (6, 7))[None]
    wheat = np.array([fields[i]["kind"] == "wheat" for i in ids])
    truth = np.array([fields[i]["biomass_harvest_t_ha"] for i in ids])[wheat]
    sowing = [fields[i]["sowing"] for i in np.array(ids)[wheat]]
    early = np.array([s.month == 10 and s.day <= 20 for s in sowing])
    december = np.array([s.month == 12 for s in sowing])
    typical = np.nanmedian(sigma)
    for name, gai in [("retrieved", obs), ("true, same clear dates", np.where(clear, true, np.nan)),
                      ("true Oct-Feb, retrieved after", np.where(clear & winter, true, obs)),
                      ("retrieved Oct-Feb, true after", np.where(clear & ~winter, true, obs)),
                      ("true Feb-Mar, retrieved else", np.where(clear & feb_mar, true, obs)),
                      ("true Jun-Jul, retrieved else", np.where(clear & jun_jul, true, obs)),
                      ("true, every date", true)]:
        sd = np.where(np.isfinite(gai), np.where(np.isfinite(sigma), sigma, typical), np.nan)
        est = ca.assimilate(seen["luts"], seen["cells"], gai, sd, refine=True)[wheat, 0]
        err = est / truth - 1
        print(f"independent seed {seed} GAI {name:30s}: biomass relative RMSE "
              f"{np.sqrt(np.mean((est - truth) ** 2)) / truth.mean():.3f}, bias {err.mean():+.3f}; "
              f"sown by 20 Oct {err[early].mean():+.3f} ({early.sum()}), December "
              f"{err[december].mean():+.3f} ({december.sum()}), others "
              f"{err[~early & ~december].mean():+.3f}", flush=True)
    luts = seen["luts"]
    rho, ess = residual_lag1(luts, seen["cells"], obs, sigma)
    print(f"independent seed {seed}: lag-1 correlation of the residuals {rho:.2f}, "
          f"median effective members {ess:.1f}")
    for es in ensemble_seeds:
        prior = ca.sample_prior(runner.ENSEMBLE, es, water=luts.rain is not None)
        table = ca.LutCache(luts.meteo, prior, luts.obs_days, luts.rain)
        est = ca.assimilate(table, seen["cells"], obs, sigma, refine=True)[wheat, 0]
        print(f"independent seed {seed} ensemble seed {es}: biomass relative RMSE "
              f"{np.sqrt(np.mean((est - truth) ** 2)) / truth.mean():.3f}", flush=True)
    for k, j in np.argwhere(clear & wheat[:, None]):
        f = fields[ids[k]]
        pairs.append((months[j], zenith[j], true[k, j], obs[k, j], f["variety"], f["n_status"]))


def print_gai_table(pairs):
    month, zenith, true, got = (np.array([p[i] for p in pairs], float) for i in range(4))
    variety, nitrogen = (np.array([p[i] for p in pairs]) for i in (4, 5))
    print("parcel-mean retrieved vs true GAI, wheat parcels, clear dates:")

    def line(label, sel):
        if sel.any():
            t, g = true[sel], got[sel]
            print(f"  {label:24s} n {sel.sum():5d}  true {t.mean():5.2f}  retrieved {g.mean():5.2f}"
                  f"  ratio {g.mean() / max(t.mean(), 1e-6):5.2f}  bias {np.mean(g - t):+.2f}"
                  f"  rmse {np.sqrt(np.mean((g - t) ** 2)):.2f}")
    for m in (10, 11, 12, 1, 2, 3, 4, 5, 6, 7):
        line(f"month {m}", month == m)
    for lo, hi in [(20, 40), (40, 50), (50, 60), (60, 75)]:
        line(f"sun zenith {lo}-{hi}", (zenith >= lo) & (zenith < hi))
    for lo, hi in [(0, 0.25), (0.25, 0.5), (0.5, 1), (1, 2), (2, 3), (3, 4), (4, 6), (6, 9)]:
        line(f"true GAI {lo}-{hi}", (true >= lo) & (true < hi))
    for v in ("planophile", "intermediate", "erectophile"):
        line(f"variety {v}", variety == v)
    for v in ("normal", "low"):
        line(f"nitrogen {v}", nitrogen == v)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 3])
    parser.add_argument("--shares", type=float, nargs="+", default=[1.0, 0.1])
    parser.add_argument("--simulators", nargs="+", default=["project", "independent"])
    parser.add_argument("--couplings", type=float, nargs="*", default=[])
    parser.add_argument("--gai", action="store_true")
    parser.add_argument("--gai-model", help="a GAI network (.npz of tools/train_gai.py) "
                        "to use instead of the shipped one")
    parser.add_argument("--pipeline", action="store_true")
    parser.add_argument("--decompose", action="store_true")
    parser.add_argument("--ensemble-seeds", type=int, nargs="*", default=[])
    args = parser.parse_args()
    if args.gai_model:
        from chainon.core import gai as gai_mod
        gai_mod.MODEL_PATH = Path(args.gai_model)
    if args.decompose:
        pairs = []
        for seed in args.seeds:
            decompose(seed, pairs, args.ensemble_seeds)
        print_gai_table(pairs)
        return
    for simulator in args.simulators:
        if args.pipeline:
            pipeline(simulator, args.seeds, args.couplings)
            continue
        errors = defaultdict(list)
        for seed in args.seeds:
            with tempfile.TemporaryDirectory() as work:
                scene = make_scene(simulator, seed, Path(work))
                for k, v in biomass_errors(scene, args.shares, args.couplings).items():
                    errors[k] += v
                if args.gai and simulator == "independent":
                    print(f"{simulator} seed {seed}:")
                    gai_ratios(scene)
        for k, v in errors.items():
            e = np.array(v)
            print(f"{simulator} seeds {args.seeds} {k}: rms relative error "
                  f"{np.sqrt(np.mean(e ** 2)):.3f}, bias {e.mean():+.3f} ({len(e)} fields)")


if __name__ == "__main__":
    main()
