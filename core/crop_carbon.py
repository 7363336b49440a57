"""Crop biomass and CO2 fluxes after AgriCarbon-EO (Wijmer et al. 2024): the
SAFY(-CO2) crop model, the green area index (GAI) seen by Sentinel-2 and a
Bayesian assimilation by normalised importance sampling over a look-up table.

1. A prior ensemble of the free SAFY parameters (D0, ELUE, PlB, STT, RS;
   also SLA and, with rain, AWC) is drawn once (Latin hypercube over PRIOR,
   seeded) and SAFY is run once per meteorology cell: the LUT holds every
   member's GAI on the observation days and its season outputs (biomass at
   harvest, GPP, Reco, NEE).
2. For every pixel (or parcel), w_i ~ exp(-1/2 sum_t ((GAI_obs(t) - GAI_i(t)) /
   sigma_t)^2) with sigma_t^2 = sigma_obs(t)^2 + SIGMA_MODEL^2 over its clear
   dates, normalised to sum 1 (log-sum-exp); posterior mean (and std) of each
   output = weighted mean (std) over the members, the std widened by the
   model's structural error STRUCTURAL_CV.
3. Per parcel, where the prior sample leaves fewer than ESS_TARGET
   effective members, the posterior is refined by adaptive multiple
   importance sampling (refine): new members drawn near the parcel's
   posterior, weighted with the prior sample by the deterministic mixture,
   so that the estimate no longer rests on the ~10 members of one draw.
Block by block over the tile: memory is bounded by BLOCK x dates and by
CHUNK_ELEMENTS, whatever the tile size.

Simplified: the GAI of each date comes from a small network trained on
PROSAIL simulations (core/gai.py); SAFY-CO2's carbon terms are recalled,
not re-read (core/safy.py); per pixel, one prior sample per run and no
refinement (its cost is per row), so the draw moves a pixel's estimate
(~10 effective members); per parcel, the refinement brings ~300-1000.

Known limit: the light-use efficiency ELUE is read from the leaf growth, as
SAFY assumes (leaf area made = ELUE x APAR x PRT x SLA). On a WOFOST-like
wheat that reading errs 15-20 % per field even fed the true GAI, where a
fixed efficiency errs ~7 %; on SAFY crops whose ELUE varies, the fixed
efficiency errs ~18 % and the reading ~7 %. The remedies tried (model
averaging, likelihood tempering, a per-field GAI gain, wider priors, a
juvenile sink-limited leaf expansion, photothermal partitioning, a
literature RUE prior, winter dates left out, a free partition-to-leaf
coefficient PlA or a free extinction coefficient) and their figures are in
docs/results/crop_carbon.md; none is applied. tools/diagnose_crop_carbon.py
measures the reading's error."""
import csv
import json
import threading
import zlib
from collections import OrderedDict
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
from rasterio.warp import transform
from scipy.special import logsumexp
from scipy.stats import qmc

from . import gai as gai_mod
from .blocks import Progress, run_blocks, windows
from .catalog import CROP_CARBON
from .cog import CogWriter, output_paths
from .errors import InputError
from .inputs import mask_reader, processing_grid, select_products
from .meteo import (COLUMNS, RAIN_MAX, normalise_header, parse_date, read_meteo_csv,
                    read_meteo_rasters, season_days)
from .qml import write_sidecar
from .safy import SafyConstants, run_safy
from .theia import clear_mask, read_reflectance, sun_angles

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
RES = 10.0                 # m, as AgriCarbon-EO
BLOCK = 256                # px: (dates x block) observation cubes stay small
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
NODATA = -9999.0
OUTPUT_KEYS = ("OUTPUT", "OUTPUT_UNCERTAINTY", "OUTPUT_GPP", "OUTPUT_RECO", "OUTPUT_NEE")
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


# --- inputs ----------------------------------------------------------------------------
RAIN_COLUMNS = ("rain", "rainfall", "precipitation", "precip", "prcp", "rr", "pluie")


def read_rain_csv(path, start, end):
    """Daily rain (mm) of the season from the meteorology CSV's rain column,
    or None when the table has none (SAFY then runs without water stress)."""
    lines = [ln for ln in Path(path).read_text(encoding="utf-8-sig").splitlines()
             if ln.strip() and not ln.startswith("#")]
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(lines, delimiter=delimiter))
    header = [normalise_header(h) for h in rows[0]]
    col = next((header.index(n) for n in RAIN_COLUMNS if n in header), None)
    if col is None:
        return None
    date_col = next(header.index(n) for n in COLUMNS["date"] if n in header)
    rain = {}
    for line, row in enumerate(rows[1:], start=2):
        text = row[col].strip().replace(",", ".") if col < len(row) else ""
        try:
            rain[parse_date(row[date_col], path, line)] = float(text)
        except ValueError:
            continue
    days = season_days(start, end)
    missing = [d for d in days if not np.isfinite(rain.get(d, np.nan))]
    if missing:
        raise InputError("The rain column of the meteorology table {path} lacks {n} days of "
                         "the season (first missing: {day}): fill them (0 for dry days) or "
                         "remove the column.", path=path, n=len(missing), day=missing[0])
    values = np.array([rain[d] for d in days])
    if values.min() < 0 or values.max() > RAIN_MAX:
        raise InputError("The rain column of the meteorology table {path} holds values "
                         "outside 0-{max} mm per day: give daily rain in mm.", path=path,
                         max=RAIN_MAX)
    return values


def select_season(s2_folder, start, end):
    """THEIA products of one tile inside [start, end], enough of them for
    the assimilation."""
    products, start, end = select_products(s2_folder, start, end,
                                           gai_mod.BAND_SETS["ten_m"], margin=timedelta(0))
    if len(products) < MIN_CLEAR_DATES:
        raise InputError("Only {n} Sentinel-2 acquisitions between {start} and {end} in "
                         "{folder}: the assimilation needs at least {min} clear dates per "
                         "pixel over the crop season.", n=len(products), start=start, end=end,
                         folder=s2_folder, min=MIN_CLEAR_DATES)
    return products, start, end


def _bands_of(product):
    return {rel.split("_FRE_")[1][:-4] for rel in product.files() if "_FRE_" in rel}


@dataclass
class Acquisitions:
    """The season's products, the GAI band set they all hold and each one's
    sun zenith (metadata, else computed from the time and the tile centre)."""
    products: list
    bands: str
    sun_zenith: list

    @classmethod
    def of(cls, products, grid):
        common = set.intersection(*(_bands_of(p) for p in products))
        (lon,), (lat,) = transform(grid.crs, "EPSG:4326", [grid.x0 + grid.width * grid.res / 2],
                                   [grid.y0 - grid.height * grid.res / 2])
        zenith = [(sun_angles(p) or (gai_mod.sun_zenith(p.acquired, lon, lat),))[0]
                  for p in products]
        return cls(products, gai_mod.band_set(common), zenith)


def read_observations(acq, sub):
    """(GAI, sigma) cubes (dates, rows, cols), NaN where not clear (clouds,
    shadows, saturation, no data)."""
    shape = (len(acq.products), sub.height, sub.width)
    gai, sigma = np.full(shape, np.nan, "float32"), np.full(shape, np.nan, "float32")
    for i, (p, zenith) in enumerate(zip(acq.products, acq.sun_zenith)):
        refl = {b: read_reflectance(p, b, sub) for b in gai_mod.BAND_SETS[acq.bands]}
        clear = np.all([np.isfinite(v) for v in refl.values()], axis=0) & clear_mask(p, sub)
        g, s = gai_mod.gai_from_reflectance(refl, zenith, acq.bands)
        gai[i], sigma[i] = np.where(clear, g, np.nan), np.where(clear, s, np.nan)
    return gai, sigma


# --- the product -----------------------------------------------------------------------
def run_crop_carbon(s2_folder, out_folder, meteo_csv=None, meteo_folder=None, outputs=None,
                    start=None, end=None, bounds=None, bounds_crs=None, crop_mask=None,
                    crop_classes=(), parcels=None, parcels_output=None, ensemble_size=3000,
                    seed=0, progress=None, workers=None):
    """Runs the product on one tile; returns a dict of result paths and run facts.
    outputs: optional {key: path} of OUTPUT_KEYS, by default in out_folder;
    one given as None is not written (None in the result).
    parcels: optional (path, layer name or None): one estimate per parcel,
    burnt into the rasters and, with parcels_output, written to a GeoPackage.
    On any error or cancel, every file this run wrote is removed."""
    progress = progress or Progress()
    out_folder = Path(out_folder)
    written = []
    try:
        return _run(Path(s2_folder), out_folder, meteo_csv, meteo_folder, dict(outputs or {}),
                    start, end, bounds, bounds_crs, crop_mask, crop_classes, parcels,
                    parcels_output, int(ensemble_size), int(seed), progress, workers, written)
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
            Path(str(path)[:-4] + ".qml").unlink(missing_ok=True)
        raise


def _run(s2_folder, out_folder, meteo_csv, meteo_folder, outputs, start, end, bounds,
         bounds_crs, crop_mask, crop_classes, parcels, parcels_output, ensemble_size, seed,
         progress, workers, written):
    if bool(meteo_csv) == bool(meteo_folder):
        raise InputError("Give the daily meteorology either as a CSV table or as a folder "
                         "of daily rasters (one of the two).")
    if ensemble_size < 100:
        raise InputError("The ensemble needs at least 100 members (got {n}).", n=ensemble_size)
    products, start, end = select_season(s2_folder, start, end)
    grid = processing_grid(products[0], bounds, bounds_crs, RES)
    tile = "T" + products[0].tile
    meteo = (read_meteo_csv(meteo_csv, start, end) if meteo_csv
             else read_meteo_rasters(meteo_folder, start, end, grid))
    obs_days = np.array([(p.acquired.date() - start).days for p in products])
    rain = read_rain_csv(meteo_csv, start, end) if meteo_csv else None
    luts = LutCache(meteo, sample_prior(ensemble_size, seed, water=rain is not None), obs_days,
                    rain, seed)
    progress.info(f"{len(products)} acquisitions of {tile}, grid {grid.width} x {grid.height} "
                  f"px at {RES:g} m, season {start} to {end}, {ensemble_size} SAFY members, "
                  f"{meteo.n_cells} meteorology cell(s), "
                  + ("water balance on the CSV's rain" if rain is not None
                     else "no rain given: no water stress"))
    out_folder.mkdir(parents=True, exist_ok=True)
    span = f"{start:%Y%m%d}_{end:%Y%m%d}"
    paths = output_paths(outputs, OUTPUT_KEYS, lambda k: out_folder /
                         f"CROPCARBON-{CROP_CARBON.output(k).name}_{tile}_{span}.tif")
    tags = dict(product="crop_carbon", method="AgriCarbon-EO (Wijmer et al. 2024), simplified",
                ensemble_size=ensemble_size, seed=seed, prior=json.dumps(PRIOR),
                sigma_model=SIGMA_MODEL, period=f"{start}/{end}",
                meteorology=str(meteo_csv or meteo_folder),
                inputs=",".join(p.name for p in products))
    ctx = _Context(Acquisitions.of(products, grid), grid, meteo, luts,
                   mask_reader(crop_mask, crop_classes), workers)
    if parcels:
        from .parcels import Parcels   # GDAL's ogr: not in the compute centre's venv
        facts = _per_parcel(ctx, Parcels(*parcels, grid), paths, tags, parcels_output,
                            progress, written)
    else:
        facts = _per_pixel(ctx, paths, tags, progress, written)
    for k in paths:
        write_sidecar(paths[k], CROP_CARBON.output(k))
    return dict({k: str(paths[k]) if k in paths else None for k in OUTPUT_KEYS},
                OUTPUT_FOLDER=str(out_folder), tile=tile, grid=grid, start=start, end=end,
                dates=[str(p.acquired.date()) for p in products], **facts)


@dataclass
class _Context:
    acq: Acquisitions
    grid: object
    meteo: object
    luts: LutCache
    crop: object            # window grid -> bool mask
    workers: object


def _write_outputs(ctx, paths, tags, compute, progress, written):
    """Run compute(window) -> (5, h, w) float32 over the grid into the COGs
    of `paths` (those asked for)."""
    counted = [0]
    with ExitStack() as stack:
        writers = {k: stack.enter_context(CogWriter(
            paths[k], ctx.grid, "float32", NODATA, tags, resampling="average",
            description=CROP_CARBON.output(k).title)) for k in paths}
        written.extend(paths.values())

        def consume(w, res):
            counted[0] += int(np.count_nonzero(res[0] != NODATA))
            for i, k in enumerate(OUTPUT_KEYS):
                if k in writers:
                    writers[k].write(w, res[i])
        run_blocks(windows(ctx.grid.width, ctx.grid.height, BLOCK), compute, consume,
                   progress, ctx.workers)
        if counted[0] == 0:
            raise InputError("No pixel has {min} clear Sentinel-2 dates in the season (or "
                             "lies in the crop mask and a meteorology cell): nothing to "
                             "estimate.", min=MIN_CLEAR_DATES)
    return counted[0]


def _layers(post):
    """(n, 5) posterior columns -> output order (biomass, std, GPP, Reco, NEE)."""
    return np.stack([post[:, 0], post[:, 4], post[:, 1], post[:, 2], post[:, 3]])


def _per_pixel(ctx, paths, tags, progress, written):
    def compute(w):
        sub = ctx.grid.window_grid(w)
        out = np.full((len(OUTPUT_KEYS), sub.height, sub.width), NODATA, "float32")
        cells = ctx.meteo.cell_ids(sub)
        sel = ctx.crop(sub) & (cells >= 0)
        if not sel.any():
            return out
        obs, sigma = read_observations(ctx.acq, sub)
        post = assimilate(ctx.luts, cells[sel], obs[:, sel].T, sigma[:, sel].T)
        out[:, sel] = np.nan_to_num(_layers(post), nan=NODATA)
        return out
    n = _write_outputs(ctx, paths, tags, compute, progress, written)
    return dict(pixels=n)


def _per_parcel(ctx, parcels, paths, tags, parcels_output, progress, written):
    n_dates = len(ctx.acq.products)
    acc = np.zeros((3, len(parcels), n_dates))    # GAI sums, sigma sums, clear counts
    size = np.zeros(len(parcels))
    wins = windows(ctx.grid.width, ctx.grid.height, BLOCK)

    def gather(w):
        sub = ctx.grid.window_grid(w)
        ids = np.where(ctx.crop(sub), parcels.ids_on(sub), -1)
        if not (ids >= 0).any():
            return None
        obs, sigma = read_observations(ctx.acq, sub)
        sel = ids >= 0
        uniq, inv = np.unique(ids[sel], return_inverse=True)
        clear = np.isfinite(obs[:, sel])
        sums = np.stack([[np.bincount(inv, np.where(c, v, 0.0), len(uniq))
                          for c, v in zip(clear, arr[:, sel])] for arr in (obs, sigma)]
                        + [[np.bincount(inv, c, len(uniq)) for c in clear]])
        return uniq, sums.transpose(0, 2, 1), np.bincount(inv, minlength=len(uniq))

    def add(w, res):
        if res is not None:
            acc[:, res[0]] += res[1]
            size[res[0]] += res[2]
    run_blocks(wins, gather, add, progress.sub(0, 60), ctx.workers)
    # a date counts for a parcel when at least half of its pixels are clear
    ok = (acc[2] >= 0.5 * size[:, None]) & (acc[2] > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        obs = np.where(ok, acc[0] / acc[2], np.nan)
        sigma = np.where(ok, acc[1] / acc[2], np.nan)   # errors correlated within a field
    cells = np.array([ctx.meteo.cell_at(x, y, ctx.grid.crs) for x, y in parcels.centroids])
    ess = np.full((2, len(obs)), np.nan)
    post = assimilate(ctx.luts, cells, obs, sigma, refine=True, ess=ess)
    values = np.nan_to_num(_layers(post), nan=NODATA).astype("float32")
    if np.isfinite(ess[0]).any():
        progress.info(f"Effective ensemble members per parcel (median): "
                      f"{np.nanmedian(ess[0]):.0f} from the prior sample; "
                      f"{np.nanmedian(ess[1]):.0f} after refining the "
                      f"{int(np.sum(ess[0] < ESS_TARGET))} parcel(s) with fewer than "
                      f"{ESS_TARGET}")

    def burn(w):
        sub = ctx.grid.window_grid(w)
        ids = np.where(ctx.crop(sub), parcels.ids_on(sub), -1)
        out = np.full((len(OUTPUT_KEYS), sub.height, sub.width), NODATA, "float32")
        out[:, ids >= 0] = values[:, ids[ids >= 0]]
        return out
    n = _write_outputs(ctx, paths, tags, burn, progress.sub(60, 100), written)
    facts = dict(pixels=n, parcels=int(np.isfinite(post[:, 0]).sum()),
                 effective_members=(float(np.nanmedian(ess[0])), float(np.nanmedian(ess[1])))
                 if np.isfinite(ess[0]).any() else None)
    if parcels_output:
        written.append(parcels_output)
        facts["OUTPUT_PARCELS"] = parcels.write_results(
            parcels_output, values, size, ok.sum(axis=1), NODATA)
    return facts
