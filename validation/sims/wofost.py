"""A WOFOST-like crop growth model (NOT SAFY), vectorised over simulation
units (a field, or a vigour class within a field).

Physics, after WOFOST 7 (van Diepen et al. 1989; Supit et al. 1994; de Wit
et al. 2019, Agric. Syst. 168:154) and Goudriaan & van Laar (1994):
- phenology: development stage DVS 0 (emergence) -> 1 (anthesis) -> 2
  (maturity) by thermal time (TSUM1, TSUM2, base 0 degC), pre-anthesis rate
  slowed by daylength (DLC 8 h, DLO 14 h) and by incomplete vernalisation
  (VERNRTB -4/3/10/17 degC, VERNBASE 14 d, VERNSAT 70 d, off after DVS 0.3);
  sowing -> emergence by TSUMEM;
- gross assimilation: leaf light response Fg = AMAX (1 - exp(-EFF I / AMAX))
  (asymptotic exponential), integrated over 3 Gaussian hours x 3 Gaussian
  canopy depths with sunlit / shaded leaves (Spitters 1986 diffuse split,
  Goudriaan 1977 scattering sigma = 0.2). The direct-beam extinction is the
  variety's ellipsoidal leaf-angle G-function at the actual sun elevation
  (planophile vs erectophile varieties), not a fixed k;
- AMAX(DVS) table x temperature (TMPFTB) x nitrogen status; low minimum
  temperature reduces assimilation (TMNFTB); frost (Tmin < -5 degC) kills
  part of the leaves;
- maintenance respiration per organ (RML 0.03, RMS 0.015, RMO 0.01, RMR
  0.015 d-1 at 25 degC, Q10 = 2) and growth respiration via conversion
  efficiencies (CVL 0.685, CVS 0.662, CVO 0.709, CVR 0.694); 30 % of the
  stem weight at anthesis is a reserve remobilised to the grains (3 % d-1
  after DVS 1.1, up to 8 % d-1 under water stress);
- partitioning tables FRTB / FLTB / FSTB / FOTB (WOFOST winter wheat);
- leaf area: juvenile exponential growth (RGRLAI) then SLA x leaf weight;
  leaf cohorts age in physiological time and die after SPAN; extra death
  from self-shading above LAICR (lower under low nitrogen), water stress
  (PERDL) and frost;
- soil water: a root-zone bucket (AWC per field), Hargreaves ET0,
  transpiration reduced by the FAO-56 depletion rule (p ~ 0.55), soil
  evaporation under the canopy gaps;
- carbon: GPP = gross CH2O x 12/30; Ra = maintenance + growth respiration;
  Rh = R10 Q10^((Ts-10)/10) f(water) + decomposition of a litter pool fed by
  dead leaves, roots and the straw left after harvest; NEE = Ra + Rh - GPP
  (negative = uptake), all in g C m-2 d-1.
Simplified: one soil layer, no N balance (N status is a fixed multiplier of
AMAX, SLA and LAICR), no lodging, diseases or weeds, one weather series per
scene (plus an elevation lapse rate per unit).
"""
from dataclasses import dataclass

import numpy as np

from .canopy import extraterrestrial

XG = np.array([0.1127017, 0.5, 0.8872983])   # Gaussian points and weights
WG = np.array([0.2777778, 0.4444444, 0.2777778])
SCV = 0.2                                    # leaf scattering coefficient (PAR)

WHEAT = dict(
    tsumem=120.0, tsum1=760.0, tsum2=850.0, idsl=2, dlc=8.0, dlo=14.0, tbase_dev=0.0,
    amaxtb=[(0.0, 35.8), (1.0, 35.8), (1.3, 35.8), (2.0, 4.5)], eff=0.45,
    tmpftb=[(0.0, 0.01), (10.0, 0.6), (15.0, 1.0), (25.0, 1.0), (35.0, 0.0)],
    frtb=[(0, .5), (.1, .5), (.2, .4), (.35, .22), (.4, .17), (.5, .13), (.7, .07), (.9, .03),
          (1.2, 0), (2, 0)],
    fltb=[(0, .65), (.1, .65), (.25, .7), (.5, .5), (.646, .3), (.95, 0), (2, 0)],
    fotb=[(0, 0), (.95, 0), (1, 1), (2, 1)],
    sla=0.00212, span=31.3, tbase_age=0.0, rgrlai=0.0082, tdwi=50.0, laicr=4.2,
    rml=0.03, rms=0.015, rmo=0.01, rmr=0.015, cvl=0.685, cvs=0.662, cvo=0.709, cvr=0.694,
    rdrst_dvs=1.5, ssa=0.8e-4, grain_water=0.15, c4=False, perennial=False)
BARLEY = {**WHEAT, "tsum1": 850.0, "tsum2": 800.0, "sla": 0.0024}
RAPESEED = {**WHEAT, "tsum1": 1050.0, "tsum2": 750.0, "sla": 0.0028, "idsl": 1,
            "fotb": [(0, 0), (1.0, 0), (1.15, 0.6), (2, 1)], "grain_water": 0.09}
MAIZE = {**WHEAT, "tsumem": 90.0, "tsum1": 850.0, "tsum2": 850.0, "idsl": 0,
         "tbase_dev": 8.0, "tbase_age": 10.0, "span": 33.0, "sla": 0.0018,
         "amaxtb": [(0.0, 70.0), (1.25, 70.0), (1.5, 63.0), (1.75, 49.0), (2.0, 21.0)],
         "tmpftb": [(0, 0.01), (9, 0.05), (16, 0.8), (18, 0.94), (20, 1), (30, 1), (36, 0.95),
                    (42, 0.56)],
         "fltb": [(0, .62), (.33, .62), (.88, .15), (.95, .15), (1.1, .1), (1.2, 0), (2, 0)],
         "fotb": [(0, 0), (1.0, 0), (1.2, 1), (2, 1)], "rgrlai": 0.0294, "c4": True,
         "grain_water": 0.15, "laicr": 6.0}
SUNFLOWER = {**MAIZE, "tbase_dev": 6.0, "tsum1": 900.0, "tsum2": 750.0, "sla": 0.0018,
             "amaxtb": [(0, 45.0), (1.3, 45.0), (2, 10.0)], "c4": False, "grain_water": 0.09}
CROPS = dict(wheat=WHEAT, barley=BARLEY, rapeseed=RAPESEED, maize=MAIZE, sunflower=SUNFLOWER)
VERNRTB = [(-8.0, 0.0), (-4.0, 0.0), (3.0, 1.0), (10.0, 1.0), (17.0, 0.0), (20.0, 0.0)]


def afgen(table, x):
    xs, ys = zip(*table)
    return np.interp(x, xs, ys)


@dataclass
class Units:
    """Per-unit inputs (1-D arrays of equal length)."""
    sow: np.ndarray          # day index of sowing in the weather series
    x_leaf: np.ndarray       # ellipsoidal leaf-angle parameter of the variety
    tsum_factor: np.ndarray  # variety precocity (multiplies TSUM1, TSUM2)
    n_factor: np.ndarray     # nitrogen: 1 = well fed, ~0.65 = poor
    awc: np.ndarray          # available water capacity of the root zone, mm
    r10: np.ndarray          # heterotrophic soil respiration at 10 degC, g C m-2 d-1
    dt: np.ndarray           # temperature offset (elevation), degC
    straw_left: np.ndarray   # share of straw left on the field at harvest
    harvest_lag: np.ndarray  # days from maturity to harvest


def _astro(doy, lat):
    """Daylength (h), sin(lat)sin(dec), cos(lat)cos(dec), integral of sinB
    weighted for atmospheric path (DSINBE, s) and solar constant (Goudriaan)."""
    dec = -np.arcsin(np.sin(np.radians(23.45)) * np.cos(2 * np.pi * (doy + 10) / 365))
    sinld = np.sin(np.radians(lat)) * np.sin(dec)
    cosld = np.cos(np.radians(lat)) * np.cos(dec)
    aob = sinld / cosld
    dayl = 12 * (1 + 2 * np.arcsin(aob) / np.pi)
    dsinbe = 3600 * (dayl * (sinld + 0.4 * (sinld ** 2 + 0.5 * cosld ** 2))
                     + 12 * cosld * (2 + 3 * 0.4 * sinld) * np.sqrt(1 - aob ** 2) / np.pi)
    dsinb = 3600 * (dayl * sinld + 24 * cosld * np.sqrt(1 - aob ** 2) / np.pi)
    sc = 1370 * (1 + 0.033 * np.cos(2 * np.pi * doy / 365))
    return dayl, sinld, cosld, dsinb, dsinbe, sc


def _extinction(x, sinb):
    """Black-leaf direct extinction G/sin(beta) of the ellipsoidal distribution."""
    t2 = (1 - sinb ** 2) / np.maximum(sinb, 1e-3) ** 2
    return np.sqrt(x * x + t2) / (x + 1.774 * (x + 1.182) ** -0.733)


def _kdif(x):
    th = np.radians(np.linspace(0.5, 89.5, 60))
    sinb = np.cos(th)
    tau = np.exp(-_extinction(x[:, None], sinb[None, :]) * 2.0)
    w = np.sin(th) * np.cos(th)
    return -np.log((tau * w).sum(1) / w.sum()) / 2.0


def daily_assimilation(doy, rad_mj, lat, amax, eff, lai, x, kdif_bl):
    """Gross CO2 assimilation of the canopy, kg CO2 ha-1 d-1 (WOFOST TOTASS /
    ASSIM, with the variety's leaf-angle extinction)."""
    dayl, sinld, cosld, dsinb, dsinbe, sc = _astro(doy, lat)
    avrad = rad_mj * 1e6
    atmtr = avrad / (sc * dsinb)
    frdif = np.where(atmtr > 0.75, 0.23, np.where(atmtr > 0.35, 1.33 - 1.46 * atmtr,
                     np.where(atmtr > 0.07, 1 - 2.3 * (atmtr - 0.07) ** 2, 1.0)))
    difpp = frdif * atmtr * 0.5 * sc
    sq = np.sqrt(1 - SCV)
    kdif = kdif_bl * sq
    total = np.zeros_like(lai)
    amax = np.maximum(amax, 1e-3)
    for xh, wh in zip(XG, WG):
        hour = 12 + 0.5 * dayl * xh
        sinb = max(0.0, sinld + cosld * np.cos(2 * np.pi * (hour + 12) / 24))
        if sinb <= 0:
            continue
        par = 0.5 * avrad * sinb * (1 + 0.4 * sinb) / dsinbe
        pardif = min(par, sinb * difpp)
        pardir = par - pardif
        kbl = _extinction(x, sinb)
        kdirt = kbl * sq
        refh = (1 - sq) / (1 + sq)
        refs = refh * 2 / (1 + 1.6 * sinb)
        vispp = (1 - SCV) * pardir * 2 * kbl    # leaf-normal direct light, mean = kbl x
        fg = np.zeros_like(lai)
        for xd, wd in zip(XG, WG):
            laic = lai * xd
            visdf = (1 - refs) * pardif * kdif * np.exp(-kdif * laic)
            vist = (1 - refs) * pardir * kdirt * np.exp(-kdirt * laic)
            visd = (1 - SCV) * pardir * kbl * np.exp(-kbl * laic)
            visshd = np.maximum(visdf + vist - visd, 0)
            fgrsh = amax * (1 - np.exp(-visshd * eff / amax))
            fgrsun = np.where(vispp > 0, amax * (1 - (amax - fgrsh) * (
                1 - np.exp(-vispp * eff / amax)) / (eff * np.maximum(vispp, 1e-9))), fgrsh)
            fslla = np.exp(-kbl * laic)
            fg += (fslla * fgrsun + (1 - fslla) * fgrsh) * wd
        total += fg * lai * wh
    return total * dayl


def _et0(tmin, tmax, doy, lat):
    ra = extraterrestrial(doy, lat)
    return 0.0023 * 0.408 * ra * ((tmin + tmax) / 2 + 17.8) * np.sqrt(np.maximum(tmax - tmin, 0))


def simulate(weather, units: Units, crop="wheat", lat=43.75, record_from=0):
    """Run the crop over the whole weather series; returns daily arrays
    (days, units) and per-unit events. Biomass in t ha-1 (dry), yield in
    t ha-1 at the crop's standard grain moisture, fluxes in g C m-2 d-1."""
    p = CROPS[crop]
    nd, nu = len(weather["days"]), len(units.sow)
    ncoh = nd // 7 + 2
    lv_w, lv_a = np.zeros((ncoh, nu)), np.zeros((ncoh, nu))
    lv_age0 = np.zeros((ncoh, nu))
    x = units.x_leaf.astype(float)
    kdif_bl = _kdif(x)
    stage = np.zeros(nu, int)          # 0 bare, 1 sown, 2 growing, 3 mature, 4 harvested
    tsum_em = np.zeros(nu); dvs = np.zeros(nu); vern = np.zeros(nu); fys = np.zeros(nu)
    wst = np.zeros(nu); wso = np.zeros(nu); wrt = np.zeros(nu); wlvd = np.zeros(nu)
    wstd = np.zeros(nu); wrtd = np.zeros(nu); lai_exp = np.zeros(nu); reserve = np.zeros(nu)
    water = units.awc.astype(float) * 0.6
    litter = np.full(nu, 150.0)           # g C m-2 of fresh residues
    t_soil = float(weather["tmean"][0])
    mature_day = np.full(nu, -1); harvest_day = np.full(nu, -1); anthesis_day = np.full(nu, -1)
    emerge_day = np.full(nu, -1)
    biomass_mature = np.zeros(nu); yield_mature = np.zeros(nu)
    out = {k: np.zeros((nd, nu), np.float32) for k in
           ("lai", "gai", "bai", "dvs", "biomass", "wso", "gpp", "ra", "rh", "stress",
            "flower")}
    awc = units.awc.astype(float)
    tsum1 = p["tsum1"] * units.tsum_factor
    tsum2 = p["tsum2"] * units.tsum_factor
    laicr = p["laicr"] * (0.55 + 0.45 * units.n_factor)
    sla = p["sla"] * (0.8 + 0.2 * units.n_factor)
    for t in range(nd):
        tmin = weather["tmin"][t] + units.dt
        tmax = weather["tmax"][t] + units.dt
        tmean = (tmin + tmax) / 2
        doy = weather["doy"][t]
        rain = weather["rain"][t]
        t_soil += (float(np.mean(tmean)) - t_soil) / 8
        dayl = _astro(doy, lat)[0]
        # --- sowing and emergence
        sown_today = units.sow == t
        stage[sown_today & (stage == 0)] = 1
        emerging = stage == 1
        tsum_em[emerging] += np.clip(tmean - p["tbase_dev"], 0, 30)[emerging]
        emerged = emerging & (tsum_em >= p["tsumem"])
        if emerged.any():
            stage[emerged] = 2
            emerge_day[emerged] = t
            w0 = p["tdwi"]
            lv_w[t // 7, emerged] += 0.65 * w0 * 0.5
            lv_a[t // 7, emerged] += 0.65 * w0 * 0.5 * sla[emerged]
            lv_age0[t // 7, emerged] = fys[emerged]
            wst[emerged] += 0.35 * w0 * 0.5
            wrt[emerged] += 0.5 * w0
            lai_exp[emerged] = 0.65 * w0 * 0.5 * sla[emerged]
        grow = stage == 2
        wlv = lv_w.sum(0)
        lai = lv_a.sum(0)
        # --- phenology
        dtsum = np.clip(tmean - p["tbase_dev"], 0, 30)
        pre = grow & (dvs < 1)
        red = np.ones(nu)
        if p["idsl"] >= 1:
            red = np.full(nu, np.clip((dayl - p["dlc"]) / (p["dlo"] - p["dlc"]), 0, 1))
        if p["idsl"] >= 2:
            vern += np.where(grow & (dvs < 0.3), afgen(VERNRTB, tmean), 0)
            vfac = np.clip((vern - 14.0) / (70.0 - 14.0), 0, 1)
            red = red * np.where(dvs < 0.3, vfac, 1.0)
        ddvs = np.where(pre, dtsum * red / tsum1, np.where(grow, dtsum / tsum2, 0))
        anthesis = pre & (dvs + ddvs >= 1)
        anthesis_day[anthesis] = t
        reserve[anthesis] = 0.3 * wst[anthesis]    # stem reserves, remobilised to grains
        dvs = np.where(grow, np.minimum(dvs + ddvs, 2.0), dvs)
        # --- water balance
        et0 = _et0(tmin, tmax, doy, lat)
        cover = 1 - np.exp(-0.75 * kdif_bl * np.sqrt(1 - SCV) * lai)
        tramx = np.where(grow, et0 * cover * 1.05, 0)
        p_dep = np.clip(0.55 + 0.04 * (5 - tramx), 0.3, 0.8)
        ks = np.clip(water / ((1 - p_dep) * awc), 0, 1)
        tra = tramx * ks
        evs = et0 * (1 - cover) * np.clip(water / awc, 0, 1) ** 2 * 0.8
        water = water + rain - tra - evs
        water = np.clip(water, 0, awc)
        # --- assimilation
        tday = tmax - 0.25 * (tmax - tmin)
        amax = afgen(p["amaxtb"], dvs) * afgen(p["tmpftb"], tday) * units.n_factor
        dtga = np.where(grow & (lai > 0),
                        daily_assimilation(doy, weather["radiation"][t], lat, amax, p["eff"],
                                           lai, x, kdif_bl), 0)
        tmnf = np.clip(tmin / 3.0, 0, 1)
        pgass = dtga * 30 / 44 * tmnf * ks
        # --- respiration and growth
        rmres = (p["rml"] * wlv + p["rms"] * wst + p["rmo"] * wso + p["rmr"] * wrt) \
            * 2.0 ** ((tmean - 25) / 10)
        mres = np.minimum(pgass, rmres * grow)
        gass = pgass - mres
        fr, fl, fo = afgen(p["frtb"], dvs), afgen(p["fltb"], dvs), afgen(p["fotb"], dvs)
        fs = np.clip(1 - fl - fo, 0, 1)
        cvf = 1 / ((fl / p["cvl"] + fs / p["cvs"] + fo / p["cvo"]) * (1 - fr) + fr / p["cvr"])
        dmi = np.where(grow & (dvs < 2), cvf * gass, 0)
        admi = (1 - fr) * dmi
        grlv, grst, grso, grrt = fl * admi, fs * admi, fo * admi, fr * dmi
        # --- leaf area: juvenile exponential phase, then source limited
        dteff = np.maximum(tmean - p["tbase_age"], 0)
        glasol = grlv * sla
        glaiex = lai_exp * p["rgrlai"] * dteff
        juvenile = (dvs < 0.6) & (lai_exp < 6)
        gla = np.where(juvenile, np.minimum(glaiex, glasol), glasol)
        lai_exp = np.where(juvenile, lai_exp + glaiex, lai_exp)
        c = t // 7
        lv_age0[c] = np.where(lv_w[c] == 0, fys, lv_age0[c])
        lv_w[c] += np.where(grow, grlv, 0)
        lv_a[c] += np.where(grow, gla, 0)
        fys += np.where(grow, np.maximum(tmean - p["tbase_age"], 0) / (35 - p["tbase_age"]), 0)
        # --- leaf death: age, self shading, water stress, frost
        old = (fys - lv_age0 > p["span"]) & (lv_w > 0)
        wlvd += (lv_w * old).sum(0)
        lv_w[old] = 0
        lv_a[old] = 0
        lai = lv_a.sum(0)
        wlv = lv_w.sum(0)
        shade = 0.03 * np.clip((lai - laicr) / laicr, 0, 1)
        drought = (1 - ks) * 0.03 * grow
        frost = np.where((tmin < -5) & (dvs < 1), np.clip(0.05 * (-5 - tmin), 0, 0.4), 0)
        ripen = np.where(dvs > 1.5, 0.02 * (dvs - 1.5) / 0.5, 0)
        frac = np.clip(np.maximum(np.maximum(shade, drought), ripen) + frost, 0, 1)
        lv_w, lv_a, dead = _kill_oldest(lv_w, lv_a, frac * wlv)
        wlvd += dead
        # --- stems and roots die late in the season
        dst = np.where(dvs > p["rdrst_dvs"], 0.02 * wst, 0)
        drt = np.where(dvs > p["rdrst_dvs"], 0.02 * wrt, 0)
        wst += np.where(grow, grst, 0) - dst
        wstd += dst
        wrt += np.where(grow, grrt, 0) - drt
        wrtd += drt
        # drought speeds up the remobilisation (Blum 1998, Euphytica 100:77)
        trans = np.where(grow & (dvs > 1.1), (0.03 + 0.05 * (1 - ks)) * reserve, 0)
        reserve -= trans
        wso += np.where(grow, grso, 0) + trans
        wst -= trans
        lai = lv_a.sum(0)
        wlv = lv_w.sum(0)
        # --- maturity and harvest
        mat = grow & (dvs >= 2)
        if mat.any():
            stage[mat] = 3
            mature_day[mat] = t
            biomass_mature[mat] = (wlv + wlvd + wst + wstd + wso)[mat] / 1000
            yield_mature[mat] = wso[mat] / 1000 / (1 - p["grain_water"])
        harv = (stage == 3) & (t >= mature_day + units.harvest_lag)
        if harv.any():
            stage[harv] = 4
            harvest_day[harv] = t
            straw = (wlv + wlvd * 0.5 + wst + wstd)[harv] * units.straw_left[harv]
            litter[harv] += (straw + wrt[harv] + wrtd[harv]) * 0.45 * 0.1
            for arr in (wst, wso, wrt, wlvd, wstd, wrtd):
                arr[harv] = 0
            lv_w[:, harv] = 0
            lv_a[:, harv] = 0
            lai = lv_a.sum(0)
        # --- carbon
        gpp = pgass * 0.4 * 0.1                       # kg CH2O/ha -> g C/m2
        ra = (mres + (gass - dmi) * (dmi > 0)) * 0.4 * 0.1
        f_w = np.clip(0.3 + 0.7 * water / (0.6 * awc), 0.3, 1.0)
        q = 2.0 ** ((t_soil - 10) / 10)
        litter += ((drt + 0.3 * dead) * 0.45 * 0.1) * (stage == 2)
        decomp = 0.01 * q * f_w * litter
        litter -= decomp
        rh = units.r10 * q * f_w + decomp
        # --- record
        sea = p["ssa"] * (wst + wso)                  # stem + ear area
        green_s = np.clip((1.8 - dvs) / 0.5, 0, 1)
        attached = wlvd * sla * 0.5 * (stage >= 2) * (stage < 4)
        out["lai"][t] = lai
        out["gai"][t] = lai + green_s * np.minimum(sea, 1.5)
        out["bai"][t] = np.minimum(attached, 2.5) + (1 - green_s) * np.minimum(sea, 1.5) \
            + np.minimum(wstd * p["ssa"], 1.0)
        out["dvs"][t] = np.where(stage >= 2, dvs, 0)
        out["biomass"][t] = (wlv + wlvd + wst + wstd + wso) / 1000
        out["wso"][t] = wso / 1000
        out["gpp"][t], out["ra"][t], out["rh"][t] = gpp, ra, rh
        out["stress"][t] = np.where(grow, 1 - ks, 0)
        if crop == "rapeseed":
            out["flower"][t] = np.clip(1 - np.abs(dvs - 1.02) / 0.12, 0, 1) * grow
    events = dict(emergence=emerge_day, anthesis=anthesis_day, maturity=mature_day,
                  harvest=harvest_day, biomass_harvest=biomass_mature, yield_=yield_mature)
    return out, events


def _kill_oldest(lv_w, lv_a, amount):
    """Remove `amount` (kg/ha per unit) of leaf weight from the oldest cohorts."""
    before = np.cumsum(lv_w, axis=0) - lv_w
    take = np.clip(amount[None, :] - before, 0, lv_w)
    share = np.where(lv_w > 0, take / np.maximum(lv_w, 1e-12), 0)
    return lv_w - take, lv_a * (1 - share), take.sum(0)
