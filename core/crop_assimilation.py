"""The assimilation of chainon:crop_carbon (the method is in
core/crop_carbon.py's docstring): the prior ensemble of SAFY parameters, the
look-up table of SAFY runs per meteorology cell, the normalised importance
sampling of a pixel's or parcel's GAI series over it, and the per-parcel
refinement by adaptive multiple importance sampling. No I/O."""
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp
from scipy.stats import qmc

from .safy import SafyConstants, run_safy

# Prior of the free parameters, uniform, for winter cereals with the season
# starting on the earliest sowing date (1 October in south-west France)
# [INFERRED: ranges giving wheat-like GAI peaks (1.5-8) and harvest biomass
# (4-25 t/ha)]. Emergence spans sowings from 1 October (emergence ~1-2
# weeks later) to late December; ELUE goes down to stressed (water, nitrogen)
# fields; SLA is free so that varieties' leafiness is not read as light-use
# efficiency.
PRIOR = {"D0": (5.0, 120.0),         # emergence, days after the season start
         "ELUE": (1.2, 3.6),         # effective light-use efficiency, g MJ-1
         "PlB": (0.0011, 0.0022),    # partition-to-leaf coefficient B
         "STT": (1000.0, 2000.0),    # degree-days from emergence to senescence
         "RS": (2500.0, 10000.0),    # senescence rate, degree-days
         "SLA": (0.016, 0.028),      # specific leaf area, m2 g-1
         "AWC": (50.0, 200.0)}       # soil water the roots can use, mm (with rain only)
# Members above this harvest biomass are dropped from the LUT: about the
# highest above-ground dry matter measured for irrigated winter wheat in
# Europe (grain record ~17 t/ha at harvest index ~0.45 -> ~25 t/ha DM,
# field-scale means far lower) [INFERRED].
BIOMASS_MAX = 25.0         # t/ha
SIGMA_MODEL = 0.2          # GAI error of SAFY itself, m2 m-2 [INFERRED]
# Relative error of the model's biomass given a perfect GAI series (the leaf
# growth does not pin the light-use efficiency down), added in quadrature to
# the posterior sd so that the interval covers it: the 10 % per-field accuracy
# published for AgriCarbon-EO (Wijmer et al. 2024) [INFERRED as structural].
STRUCTURAL_CV = 0.10
# Prior probability that a field's leaf growth follows SAFY's partitioning of
# its assimilation (and so tells its ELUE): 1 = SAFY as published. Lower
# values mix in a light-use-efficiency model with ELUE from its prior; the
# GAI cannot tell the two apart (tools/diagnose_crop_carbon.py --couplings
# prints the trade-off on both simulators: no value met 10 % on both).
LEAF_COUPLING = 1.0
MIN_CLEAR_DATES = 5        # fewer clear GAI observations: no estimate
CHUNK_ELEMENTS = 4_000_000  # pixels x members per weight matrix (32 MB)
# Refinement per parcel (adaptive importance sampling, see refine), for the
# parcels whose prior sample leaves fewer than ESS_TARGET effective members:
# REFINE_ROUNDS rounds of REFINE_MEMBERS members each, from at most KERNELS
# kernels shaped by KERNEL_ESS effective members [the multi-seed table in
# docs/results/crop_carbon.md]; REFINE_ROWS parcels (~0.5 MB each) and
# SAFY_BATCH members per SAFY run (5 x days x batch floats) at a time.
ESS_TARGET = 100
REFINE_ROUNDS = 2
REFINE_MEMBERS = 2000
KERNELS = 200
KERNEL_ESS = 20
REFINE_ROWS = 64
SAFY_BATCH = 10000
LUT_CACHE = 64             # meteorology cells whose LUT is kept
QUANTITIES = ("biomass", "gpp", "reco", "nee")   # LUT value columns


# --- the assimilation ------------------------------------------------------------------
def sample_prior(n, seed, water=True):
    """dict PRIOR name -> (n,) Latin-hypercube sample of PRIOR; without
    `water` (no rain given) AWC has no effect and is left out of the
    hypercube, which then fills the other dimensions better."""
    box = {k: v for k, v in PRIOR.items() if water or k != "AWC"}
    u = qmc.LatinHypercube(d=len(box), seed=seed).random(n)
    return {k: lo + (hi - lo) * u[:, i] for i, (k, (lo, hi)) in enumerate(box.items())}


@dataclass
class Lut:
    """The look-up table of one meteorology cell, laid out for the weights:
    basis (2 x days, members) = [GAI; GAI^2] on the observation days; values
    (members, QUANTITIES + biomass^2) centred on `centre` (float32 sums stay exact
    enough for the posterior variance)."""
    basis: np.ndarray
    values: np.ndarray
    centre: np.ndarray
    unit: np.ndarray = None    # (members, dims) kept members' place in PRIOR's box, 0-1
    kept: np.ndarray = None    # indices of the kept members among those run


def elue_given_leaf_growth(params, biomass, ms0=SafyConstants().ms0):
    """Moments of ELUE given the member's GAI trajectory, as ratios to its own
    ELUE: (E[ELUE] / ELUE_i, E[ELUE^2] / ELUE_i^2), NaN where no ELUE fits.

    Leaf growth in SAFY is ELUE x APAR x PRT x SLA: the GAI seen by Sentinel-2
    fixes the product P = ELUE x SLA (up to the emergence GAI Ms0 SLA), not
    ELUE itself. With independent uniform priors, ELUE given P has a density
    ~ 1/ELUE on [max(ELUE_min, P / SLA_max), min(ELUE_max, P / SLA_min)], also
    capped where the harvest biomass would pass BIOMASS_MAX; the biomass and
    the crop's fluxes are proportional to ELUE along the same trajectory, so
    each member stands for that whole conditional (Rao-Blackwellisation: the
    ensemble is not spent sampling a direction the data cannot see)."""
    elue, product = params["ELUE"], params["ELUE"] * params["SLA"]
    grown = np.maximum(biomass - ms0 / 100.0, 1e-9)          # t/ha made by ELUE
    cap = elue * (BIOMASS_MAX - ms0 / 100.0) / grown
    lo = np.maximum(PRIOR["ELUE"][0], product / PRIOR["SLA"][1])
    hi = np.minimum.reduce([np.full_like(elue, PRIOR["ELUE"][1]), product / PRIOR["SLA"][0], cap])
    with np.errstate(invalid="ignore", divide="ignore"):
        log = np.log(hi / lo)
        m1 = np.where(hi > lo, (hi - lo) / log, np.nan)
        m2 = np.where(hi > lo, (hi ** 2 - lo ** 2) / (2 * log), np.nan)
    return m1 / elue, m2 / elue ** 2


def elue_from_prior(params, biomass, ms0=SafyConstants().ms0):
    """Moments of ELUE from its uniform prior alone, capped where the
    member's harvest biomass would pass BIOMASS_MAX, as ratios to the
    member's own ELUE (same form as elue_given_leaf_growth): the
    efficiency of a light-use-efficiency model whose leaf area is a forcing,
    on which the leaf growth says nothing."""
    elue = params["ELUE"]
    grown = np.maximum(biomass - ms0 / 100.0, 1e-9)
    lo = np.full_like(elue, PRIOR["ELUE"][0])
    hi = np.maximum(np.minimum(PRIOR["ELUE"][1], elue * (BIOMASS_MAX - ms0 / 100.0) / grown), lo)
    return (lo + hi) / 2 / elue, (lo ** 2 + lo * hi + hi ** 2) / 3 / elue ** 2


def build_lut(params, tmean, radiation, obs_days, rain=None, coupling=None):
    """`coupling` (default LEAF_COUPLING): prior probability that the field's
    leaf growth follows SAFY's partitioning of its assimilation, so that it
    tells ELUE; otherwise ELUE keeps its prior (leaf area as a forcing). Both
    structures predict the same GAI, so the observations leave this
    probability where it is: the member's ELUE moments are the mixture."""
    coupling = LEAF_COUPLING if coupling is None else coupling
    run = run_safy(params, tmean, radiation, rain=rain)
    totals = run.totals()
    r1, r2 = elue_given_leaf_growth(params, totals["biomass"])
    keep = np.isfinite(r1)
    p1, p2 = elue_from_prior(params, totals["biomass"])
    r1, r2 = coupling * r1 + (1 - coupling) * p1, coupling * r2 + (1 - coupling) * p2
    start_mass = SafyConstants().ms0 / 100.0
    grown = totals["biomass"] - start_mass
    rh = run.rh.sum(axis=0)
    crop_ra = totals["reco"] - rh
    biomass = start_mass + grown * r1
    gpp, reco = totals["gpp"] * r1, rh + crop_ra * r1
    values = np.stack([biomass, gpp, reco, reco - gpp], axis=1)[keep]
    centre = values.mean(axis=0)
    values -= centre
    # E[(biomass - centre)^2] per member: its own spread along ELUE plus its offset
    spread = grown[keep] ** 2 * np.maximum(r2[keep] - r1[keep] ** 2, 0)
    values = np.concatenate([values, values[:, :1] ** 2 + spread[:, None]], axis=1)
    gai = run.gai[obs_days][:, keep].astype("float64")
    return Lut(np.concatenate([gai, gai ** 2]).astype("float32"), values.astype("float32"),
               centre, to_unit(params)[keep], np.flatnonzero(keep))


def _design(obs, sigma, valid):
    """(rows, 2 x dates) float32 such that design @ Lut.basis = -1/2 chi2 per member
    (up to a term that does not depend on the member)."""
    w = np.where(valid, 1.0 / (np.where(valid, sigma, 1.0) ** 2 + SIGMA_MODEL ** 2), 0.0)
    # -1/2 chi2 = sum_t w (obs GAI - GAI^2 / 2) + a term that does not depend on the member;
    # float32: twice as fast, log-weight errors ~1e-2 at most
    return np.concatenate([w * np.where(valid, obs, 0.0), -0.5 * w], axis=1).astype("float32")


def _finish(mean, var, out):
    """out[:, :4] = posterior means of QUANTITIES, out[:, 4] = the biomass sd
    (from its posterior variance `var`) widened by STRUCTURAL_CV."""
    out[:, :-1] = mean
    out[:, -1] = np.hypot(np.sqrt(np.maximum(var, 0.0)), STRUCTURAL_CV * mean[:, 0])


def posterior(lut, obs, sigma, valid, ess=None):
    """Normalised importance sampling. obs, sigma, valid: (pixels, dates).
    Returns (pixels, 5): posterior means of QUANTITIES and the biomass std,
    the latter widened by the model's structural error STRUCTURAL_CV.
    `ess`, an optional (pixels,) array, receives the effective number of members."""
    design = _design(obs, sigma, valid)
    out = np.empty((len(obs), len(QUANTITIES) + 1))
    step = max(1, CHUNK_ELEMENTS // lut.basis.shape[1])
    for a in range(0, len(obs), step):
        logw = design[a:a + step] @ lut.basis
        logw -= logw.max(axis=1, keepdims=True)
        np.exp(logw, out=logw)
        total = logw.sum(axis=1, dtype="float64")
        if ess is not None:
            ess[a:a + step] = total ** 2 / np.einsum("ij,ij->i", logw, logw, dtype="float64")
        moments = (logw @ lut.values) / total[:, None]
        mean = moments[:, :-1]
        _finish(mean + lut.centre, moments[:, -1] - mean[:, 0] ** 2, out[a:a + step])
    return out


# --- refinement: adaptive importance sampling per parcel ---------------------------------
def to_unit(params):
    """(members, dims) place of each member in PRIOR's box (0-1), dims in params' order."""
    return np.stack([(np.asarray(params[k], float) - PRIOR[k][0]) / (PRIOR[k][1] - PRIOR[k][0])
                     for k in params], axis=1)


def from_unit(unit, names):
    return {k: PRIOR[k][0] + (PRIOR[k][1] - PRIOR[k][0]) * unit[:, i]
            for i, k in enumerate(names)}


@dataclass
class Kernels:
    """A Gaussian mixture in the unit box: equal-covariance kernels at `centres`
    (k, dims) with probabilities `share`; `whiten` = inverse Cholesky factor of
    the covariance (dims, dims)."""
    centres: np.ndarray
    share: np.ndarray
    whiten: np.ndarray

    @classmethod
    def fit(cls, unit, w):
        """Kernels at the members holding the weights `w` (normalised), whose
        covariance is that of the weights tempered (w^beta, beta <= 1) until
        KERNEL_ESS members hold them, scaled by Silverman's factor for that
        many: a posterior resting on a few members gives its shape, not a
        point (adaptive tempering, as sequential Monte Carlo does)."""
        d = unit.shape[1]
        order = np.argsort(w)[::-1]
        top = order[:np.searchsorted(np.cumsum(w[order]), 0.999) + 1][:KERNELS]
        t = _tempered(w, KERNEL_ESS)
        mean = t @ unit
        cov = (unit - mean).T @ ((unit - mean) * t[:, None])
        h2 = (4.0 / ((d + 2) * KERNEL_ESS)) ** (2.0 / (d + 4))
        cov = h2 * cov + np.eye(d) * 1e-8
        return cls(unit[top], w[top] / w[top].sum(), np.linalg.inv(np.linalg.cholesky(cov)))

    def draw(self, n, rng):
        comp = rng.choice(len(self.share), size=n, p=self.share)
        noise = rng.standard_normal((n, len(self.whiten)))
        return self.centres[comp] + noise @ np.linalg.inv(self.whiten).T

    def log_density(self, x):
        z, c = x @ self.whiten.T, self.centres @ self.whiten.T
        d2 = (z ** 2).sum(1)[:, None] + (c ** 2).sum(1)[None, :] - 2.0 * z @ c.T
        dims = len(self.whiten)
        log_norm = np.log(abs(np.linalg.det(self.whiten))) - 0.5 * dims * np.log(2 * np.pi)
        return log_norm + logsumexp(np.log(self.share) - 0.5 * np.maximum(d2, 0.0), axis=1)


def _tempered(w, ess):
    """w^beta normalised, beta in (0, 1] the largest that leaves at least
    `ess` effective members (bisection)."""
    logw = np.log(np.maximum(w, 1e-300))
    logw -= logw.max()

    def at(beta):
        t = np.exp(beta * logw)
        return t / t.sum()
    lo, hi = 0.0, 1.0
    if 1.0 / np.sum(at(hi) ** 2) >= ess:
        return at(hi)
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if 1.0 / np.sum(at(mid) ** 2) >= ess else (lo, mid)
    return at(lo)


def refine(lut, build, names, obs, sigma, valid, n_prior, rngs):
    """Posterior rows (rows, 5) as `posterior`, and their effective members, by
    adaptive multiple importance sampling (AMIS, Cornuet et al. 2012): per row
    and round, REFINE_MEMBERS members drawn from kernels fitted to its current
    weighted sample, run by `build(params) -> Lut` (params: `names`, the
    dimensions of lut.unit); every member (the prior sample's and all drawn)
    weighted by likelihood / (n_prior p + m sum_t q_t), the deterministic
    mixture of all the samplings (p = 1, the uniform prior on the box). The
    prior sample stays in (a defensive mixture): the estimate is consistent
    whatever the kernels, only less noisy. Row i draws from rngs[i] alone, so
    its result does not depend on the other rows."""
    design = _design(obs, sigma, valid)
    prior_vals = _raw(lut)
    # per row, lists of arrays: the prior sample's (shared) then each round's members
    pools = [dict(unit=[lut.unit], ll=[(d @ lut.basis).astype("float64")], vals=[prior_vals],
                  kernels=[]) for d in design]
    for _ in range(REFINE_ROUNDS):
        drawn = []
        for pool, rng in zip(pools, rngs):
            k = Kernels.fit(np.concatenate(pool["unit"]), _weights(pool, n_prior))
            pool["kernels"].append(k)
            u = k.draw(REFINE_MEMBERS, rng)
            drawn.append(u[np.all((u >= 0) & (u <= 1), axis=1)])   # outside the box: prior 0
        owner = np.repeat(np.arange(len(drawn)), [len(u) for u in drawn])
        drawn = np.concatenate(drawn)
        for a in range(0, len(owner), SAFY_BATCH):
            new = build(from_unit(drawn[a:a + SAFY_BATCH], names))
            who, vals = owner[a:a + SAFY_BATCH][new.kept], _raw(new)
            for i in np.unique(who):
                cols = who == i
                pools[i]["unit"].append(new.unit[cols])
                pools[i]["ll"].append((design[i] @ new.basis[:, cols]).astype("float64"))
                pools[i]["vals"].append(vals[cols])
    out = np.empty((len(obs), len(QUANTITIES) + 1))
    ess = np.empty(len(obs))
    for i, pool in enumerate(pools):
        w = _weights(pool, n_prior)
        ess[i] = 1.0 / np.sum(w ** 2)
        moments = w @ np.concatenate(pool["vals"])
        _finish(moments[None, :-1], moments[-1:] - moments[0] ** 2, out[i:i + 1])
    return out, ess


def _weights(pool, n_prior):
    """Normalised AMIS weights of a row's pool of members."""
    unit, ll = np.concatenate(pool["unit"]), np.concatenate(pool["ll"])
    log_mix = np.full(len(ll), np.log(n_prior))
    for k in pool["kernels"]:
        log_mix = np.logaddexp(log_mix, np.log(REFINE_MEMBERS) + k.log_density(unit))
    logw = ll - log_mix
    w = np.exp(logw - logw.max())
    return w / w.sum()


def _raw(lut):
    """(members, QUANTITIES + E[biomass^2]) of a Lut, about 0 (float64)."""
    v = lut.values.astype("float64")
    c = lut.centre
    return np.concatenate([v[:, :-1] + c, v[:, -1:] + 2 * c[0] * v[:, :1] + c[0] ** 2], axis=1)


class LutCache:
    """SAFY runs once per meteorology cell, on demand, shared by the threads."""

    def __init__(self, meteo, params, obs_days, rain=None, seed=0):
        self.meteo, self.params, self.obs_days, self.rain = meteo, params, obs_days, rain
        self.seed = seed
        self._luts, self._lock = OrderedDict(), threading.Lock()

    def builder(self, cell):
        """params -> Lut of new members on the meteorology of `cell`."""
        return lambda params: build_lut(params, self.meteo.tmean[cell],
                                        self.meteo.radiation[cell], self.obs_days, self.rain)

    def refine(self, cell, obs, sigma, valid):
        """`refine` on the LUT of `cell`, REFINE_ROWS rows at a time (memory).
        Each row's draws are seeded by the run's seed, the cell and the row's
        own observations, so a parcel's estimate does not depend on which
        other parcels the layer holds, or in which order."""
        n_prior = len(self.params["ELUE"])
        rngs = [np.random.default_rng([self.seed, cell, zlib.crc32(
            np.ascontiguousarray(o, "<f8").tobytes() + np.ascontiguousarray(v).tobytes())])
            for o, v in zip(obs, valid)]
        rows = [slice(a, a + REFINE_ROWS) for a in range(0, len(obs), REFINE_ROWS)]
        parts = [refine(self(cell), self.builder(cell), list(self.params), obs[r], sigma[r],
                        valid[r], n_prior, rngs[r]) for r in rows]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def __call__(self, cell):
        with self._lock:
            if cell in self._luts:
                self._luts.move_to_end(cell)
                return self._luts[cell]
            lut = build_lut(self.params, self.meteo.tmean[cell], self.meteo.radiation[cell],
                            self.obs_days, self.rain)
            self._luts[cell] = lut
            if len(self._luts) > LUT_CACHE:
                self._luts.popitem(last=False)
            return lut


def assimilate(luts, cells, obs, sigma, refine=False, ess=None):
    """Posterior (n, 5) for n pixels or parcels; NaN rows where fewer than
    MIN_CLEAR_DATES clear dates or no meteorology cell. With `refine` (luts a
    LutCache), rows left with fewer than ESS_TARGET effective members are
    refined (LutCache.refine). `ess`, an optional (2, n) array, receives the
    effective members before and after the refinement."""
    valid = np.isfinite(obs) & np.isfinite(sigma)
    out = np.full((len(obs), len(QUANTITIES) + 1), np.nan)
    ess = np.full((2, len(obs)), np.nan) if ess is None else ess
    usable = (valid.sum(axis=1) >= MIN_CLEAR_DATES) & (cells >= 0)
    for cell in np.unique(cells[usable]):
        rows = np.flatnonzero(usable & (cells == cell))
        before = np.empty(len(rows))
        out[rows] = posterior(luts(int(cell)), obs[rows], sigma[rows], valid[rows], before)
        ess[:, rows] = before
        low = rows[before < ESS_TARGET] if refine else rows[:0]
        if len(low):
            out[low], ess[1, low] = luts.refine(int(cell), obs[low], sigma[low], valid[low])
    return out
