"""The SAFY crop model (Duchemin et al. 2008) with the carbon terms of SAFY-CO2
(Pique et al. 2020), run for a whole ensemble of parameter sets at once.

Growth equations and defaults after the CESBIO SAFY code (science.md section 5):
emergence on day D0 with DAM = Ms0 and GAI = Ms0 SLA, then every day while
GAI >= Ms0 SLA:
    FT   = 1 - ((T - Topt) / (Tlim - Topt))^beta   (Tlim = Tmin below Topt, Tmax above;
           0 outside [Tmin, Tmax])
    SMT += max(T - Tmin, 0)
    dDAM = ELUE * eps_c * Rg * (1 - exp(-k GAI)) * FT
    PRT  = max(1 - PlA exp(PlB SMT), 0)
    GAI += dDAM PRT SLA - (GAI (SMT - STT) / RS if SMT > STT else 0)
The crop stops (harvest-ready) when GAI falls below Ms0 SLA again.

Carbon terms [RECALLED from SAFY-CO2, not re-read]: NPP = 0.45 dDAM (g C);
maintenance respiration Rm = m (0.45 DAM) Q10^((T - 20) / 10) while the crop
lives; growth respiration Rg = g / (1 - g) NPP (a share g of the assimilates
left after maintenance); GPP = NPP + Ra with Ra = Rm + Rg; NEE = Ra + Rh - GPP
(negative = uptake). Only the aerial dry matter is simulated: roots are not
counted in NPP.

Heterotrophic respiration Rh, as SAFY-CO2 with RothC's decomposition
(Coleman & Jenkinson 1996): first-order pools decomposing at k a(T) b(W);
of what decomposes, a share x / (1 + x) goes to CO2 (x from the clay
content), 0.46 / (1 + x) to BIO and 0.54 / (1 + x) to HUM, which decompose
in turn:
- the previous crop's residues (straw, stubble, roots) present at the
  season start, split as crop litter in RothC (DPM / RPM = 1.44), k = 10 and
  0.3 yr-1;
- the soil's microbial biomass BIO, k = 0.66 yr-1, at the season start a
  share bio_share of the soil carbon (microbial carbon is ~1-4 % of the
  organic carbon of arable soils, Anderson & Domsch 1989 [RECALLED]);
- the humified soil carbon HUM, k = 0.02 yr-1;
a(T) = 47.91 / (1 + exp(106.06 / (T + 18.27))), RothC's temperature factor;
b(W) = 1 until the bucket has lost 44.4 % of AWC, then down to 0.2 when
empty (RothC's topsoil-deficit factor, here on the root-zone bucket; 1
without rain). Simplified: no plant retainment factor, no inert IOM (the
soil carbon given is the active part), no rhizodeposition of the growing
crop."""
from dataclasses import dataclass

import numpy as np

FREE = ("D0", "ELUE", "PlB", "STT", "RS")   # calibrated per pixel (CESBIO SAFY)
OPTIONAL = ("SLA", "AWC")    # constants a caller may also give per member


@dataclass(frozen=True)
class SafyConstants:
    """Fixed parameters: SAFY published defaults, then the SAFY-CO2 carbon terms."""
    r2p: float = 0.47          # PAR / global radiation (eps_c)
    kex: float = 0.5           # light extinction coefficient k
    ms0: float = 4.5           # dry mass at emergence, g m-2
    sla: float = 0.022         # specific leaf area, m2 g-1
    pla: float = 0.1573        # partition-to-leaf coefficient A
    tmin: float = 0.0          # degC
    topt: float = 20.0
    tmax: float = 37.0
    beta: float = 2.0
    carbon_fraction: float = 0.45    # g C per g of dry matter
    maintenance: float = 0.01        # d-1, share of plant C respired at 20 degC
    q10: float = 2.0
    growth_share: float = 0.25       # of the assimilates left after maintenance
    soil_carbon: float = 5000.0      # g C m-2 BIO + HUM (about 50 t C/ha, 0-30 cm)
    bio_share: float = 0.02          # of soil_carbon in the microbial biomass at the start
    # previous crop's residues at the season start: a cereal's straw, stubble
    # and roots, ~6-7 t DM/ha x 0.45 g C/g [INFERRED]
    residue_carbon: float = 300.0    # g C m-2
    dpm_share: float = 1.44 / 2.44   # RothC DPM/RPM ratio of agricultural crops
    k_dpm: float = 10.0              # yr-1 (RothC)
    k_rpm: float = 0.3
    k_bio: float = 0.66
    k_hum: float = 0.02
    bio_of_formed: float = 0.46      # RothC: BIO share of the BIO + HUM formed (0.54 HUM)
    clay: float = 25.0               # %, sets RothC's CO2 / (BIO + HUM) ratio
    awc: float = 120.0               # mm of water the roots can use (SAFYE water balance)
    depletion: float = 0.55          # FAO-56 p for wheat: stress below (1 - p) AWC
    kcb: float = 1.10                # FAO-56 basal crop coefficient of wheat, mid-season
    ke: float = 0.3                  # soil evaporation coefficient of the bare share, wet soil


@dataclass
class SafyRun:
    gai: np.ndarray        # (days, members) green area index, m2 m-2
    dam: np.ndarray        # (days, members) dry aerial mass, g m-2
    gpp: np.ndarray        # (days, members) g C m-2 d-1
    ra: np.ndarray         # (days, members) autotrophic respiration, g C m-2 d-1
    rh: np.ndarray         # (days, members) heterotrophic respiration, g C m-2 d-1

    def totals(self):
        """Season totals per member: biomass at the end (t/ha) and the sums of
        GPP, ecosystem respiration and NEE (g C m-2)."""
        gpp = self.gpp.sum(axis=0)
        reco = self.ra.sum(axis=0) + self.rh.sum(axis=0)
        return dict(biomass=self.dam[-1] / 100.0, gpp=gpp, reco=reco, nee=reco - gpp)


def temperature_stress(t, c=SafyConstants()):
    """SAFY's FT(T), 0-1."""
    t = np.asarray(t, dtype="float64")
    lim = np.where(t <= c.topt, c.tmin, c.tmax)
    ft = 1.0 - ((t - c.topt) / (lim - c.topt)) ** c.beta
    return np.where((t < c.tmin) | (t > c.tmax), 0.0, ft)


def rothc_temperature(t):
    """RothC's rate modifier a(T) for the mean air temperature T (degC)."""
    t = np.asarray(t, dtype="float64")
    return np.where(t > -5.0, 47.91 / (1.0 + np.exp(106.06 / np.maximum(t + 18.27, 1e-6))), 0.0)


def co2_share(clay):
    """Share of decomposed carbon released as CO2 in RothC: x / (1 + x) with
    x = 1.67 (1.85 + 1.60 exp(-0.0786 clay))."""
    x = 1.67 * (1.85 + 1.60 * np.exp(-0.0786 * clay))
    return x / (1.0 + x)


def turc_et0(tmean, radiation):
    """Reference evapotranspiration (mm d-1) of Turc (1961) for humid climates
    from the mean temperature (degC) and global radiation (MJ m-2 d-1); 0 at
    or below 0 degC."""
    t = np.maximum(np.asarray(tmean, dtype="float64"), 0.0)
    return 0.013 * t / (t + 15.0) * (23.8856 * np.asarray(radiation, dtype="float64") + 50.0)


def run_safy(params, tmean, radiation, c=SafyConstants(), rain=None):
    """SAFY over the season for every member. `params`: dict of FREE (and
    optionally OPTIONAL) names -> arrays (members,); D0 is the emergence day
    counted from the first day of the series (0-based). `tmean` (degC),
    `radiation` (global, MJ m-2 d-1) and `rain` (mm, optional) are daily
    series of the season.

    With rain, the water balance of SAFYE (a bucket of AWC mm, full at the
    start, FAO-56 dual crop coefficient with Turc's ET0) gives the water
    stress Ks = min(1, water / ((1 - p) AWC)) that multiplies dDAM, as in
    FEST-EWB-SAFY; without rain, Ks = 1."""
    tmean = np.asarray(tmean, dtype="float64")
    radiation = np.asarray(radiation, dtype="float64")
    d0, elue, plb, stt, rs, sla, awc = np.broadcast_arrays(
        *(np.asarray(params[k], float) for k in FREE), np.asarray(params.get("SLA", c.sla)),
        np.asarray(params.get("AWC", c.awc), float))
    d0 = np.rint(d0).astype(np.int64)
    n, days = d0.size, tmean.size
    gai0 = c.ms0 * sla
    smt, gai, dam = np.zeros(n), np.zeros(n), np.zeros(n)
    alive = np.ones(n, bool)
    out = SafyRun(*(np.zeros((days, n), "float32") for _ in range(5)))
    ft = temperature_stress(tmean, c)
    rate = rothc_temperature(tmean) / 365.0
    pools = np.array([c.residue_carbon * c.dpm_share, c.residue_carbon * (1 - c.dpm_share),
                      c.soil_carbon * c.bio_share, c.soil_carbon * (1 - c.bio_share)]
                     )[:, None] * np.ones(n)                       # DPM, RPM, BIO, HUM
    k = np.array([c.k_dpm, c.k_rpm, c.k_bio, c.k_hum])[:, None]
    share = co2_share(c.clay)
    et0 = turc_et0(tmean, radiation)
    water = awc.astype("float64")
    for d in range(days):
        t, heat = tmean[d], max(tmean[d] - c.tmin, 0.0)
        emerged = d == d0
        growing = alive & (d > d0)
        cover = 1 - np.exp(-c.kex * gai)
        ks, moist = 1.0, 1.0
        if rain is not None:
            ks = np.minimum(water / ((1 - c.depletion) * awc), 1.0)
            moist = np.minimum(0.2 + 0.8 * water / ((1 - 0.444) * awc), 1.0)
            use = et0[d] * (c.kcb * cover * ks + c.ke * (1 - cover) * water / awc)
            water = np.clip(water + rain[d] - use, 0.0, awc)
        ddam = np.where(growing, elue * c.r2p * radiation[d] * cover * ft[d] * ks, 0.0)
        smt = np.where(emerged, heat, np.where(growing, smt + heat, smt))
        prt = np.maximum(1 - c.pla * np.exp(plb * smt), 0.0)
        loss = np.where(growing & (smt > stt), gai * (smt - stt) / rs, 0.0)
        gai = np.where(emerged, gai0, np.maximum(gai + ddam * prt * sla - loss, 0.0))
        dam = np.where(emerged, c.ms0, dam + ddam)
        alive &= ~(growing & (gai < gai0))
        living = alive & (d >= d0)
        out.gai[d] = np.where(living, gai, 0.0)
        out.dam[d] = dam
        npp = c.carbon_fraction * ddam
        rm = np.where(living, c.maintenance * c.carbon_fraction * dam
                      * c.q10 ** ((t - 20.0) / 10.0), 0.0)
        ra = rm + c.growth_share / (1 - c.growth_share) * npp
        out.gpp[d], out.ra[d] = npp + ra, ra
        decomposed = pools * -np.expm1(-k * rate[d] * moist)
        pools -= decomposed
        total = decomposed.sum(axis=0)
        out.rh[d] = share * total
        formed = (1 - share) * total
        pools[2] += c.bio_of_formed * formed
        pools[3] += (1 - c.bio_of_formed) * formed
    return out
