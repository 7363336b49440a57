"""Shared pieces of the independent optical simulators: a daily weather
generator, the sun's position, a compact canopy reflectance model and the
sky (clouds, unmasked haze, shadows) over Sentinel-2 L2A reflectances.

Canopy reflectance (written for these simulators, deliberately NOT PROSAIL):
a turbid medium of leaves over a Lambertian soil.
- Leaf angles: Campbell's ellipsoidal distribution (Campbell 1986, Agric. For.
  Meteorol. 36:317; mean leaf angle ~ 9.65 (3 + x)^-1.65 rad, Campbell 1990),
  giving the projection function G(theta) and the extinction G/cos(theta) of
  the sun and view directions: erectophile canopies look sparser at noon and
  denser under the low winter sun than planophile ones.
- Leaves: single-scattering albedo per band from a one-parameter absorption
  law, k = a_b Cab^0.55 + k_w Cw + k_brown Cbrown + base (shape tuned to
  PROSPECT-like magnitudes: red 0.07-0.11, NIR 0.92, SWIR set by water).
- Dense canopy: Hapke's isotropic-scattering bidirectional reflectance with
  the H-function approximation (Hapke 1981, JGR 86:3039), with the path
  lengths scaled by G (Ross 1981); finite canopy: the soil seen through the
  direct sun and view gaps plus a forward-scattered (gamma = sqrt(1 - w))
  transmitted part, soil-canopy multiple reflection by a Kubelka-Munk term;
  the layer's single scattering weighted by 1 - gap fraction, its multiple
  scattering also by the finite layer's Kubelka-Munk diffuse reflectance
  relative to the semi-infinite one (see canopy_reflectance).
- Soil: a loamy spectrum times a brightness, darkened when wet (Lobell and
  Asner 2002, SSSAJ 66:722: wet soils darker, more so in the SWIR).
Simplified: no hotspot, no specular leaf reflection, isotropic phase
function, one view zenith per date (not stored in the product metadata).

Sky: clouds and their shadows from core/scenes/common.draw_clouds (CLM bits
as MAJA writes them); thin haze and cloud fringes that the mask misses are
added on top (unflagged): real L2A products have them.
"""
from datetime import date, datetime, timedelta

import numpy as np
from scipy import ndimage

from ...core.scenes.common import draw_clouds, fbm

BANDS = ("B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12")
# Leaf absorption per band: chlorophyll (a Cab^0.55), water (per cm EWT),
# brown pigments (per unit of senescence) and a dry-matter base.
K_CAB = np.array([0.44, 0.208, 0.416, 0.149, 0.024, 0.004, 0.0, 0.0, 0.0, 0.0], np.float32)
K_W = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 28.0, 70.0], np.float32)
K_BROWN = np.array([1.06, 0.6, 0.17, 0.31, 0.33, 0.29, 0.217, 0.21, 0.096, 0.235], np.float32)
K_BASE = np.array([0.05, 0.03, 0.03, 0.03, 0.03, 0.03, 0.034, 0.034, 0.03, 0.03], np.float32)
SOIL = np.array([0.07, 0.10, 0.13, 0.15, 0.165, 0.18, 0.19, 0.20, 0.29, 0.25], np.float32)
SOIL_WET = np.array([0.35, 0.35, 0.35, 0.36, 0.37, 0.38, 0.38, 0.38, 0.5, 0.5], np.float32)
CLOUD = np.array([0.46, 0.45, 0.46, 0.47, 0.47, 0.48, 0.48, 0.48, 0.36, 0.26], np.float32)
HAZE = np.array([0.035, 0.025, 0.018, 0.015, 0.013, 0.012, 0.011, 0.010, 0.005, 0.003], np.float32)
# rapeseed petals
FLOWER = np.array([0.06, 0.32, 0.30, 0.40, 0.45, 0.47, 0.48, 0.48, 0.32, 0.2], np.float32)
LAT, LON = 43.75, 1.18      # centre of 31TCJ (Toulouse)


# --- weather ---------------------------------------------------------------------------
def extraterrestrial(doy, lat=LAT):
    """Daily extraterrestrial radiation (MJ m-2 d-1), FAO-56 eq. 21."""
    phi = np.radians(lat)
    dr = 1 + 0.033 * np.cos(2 * np.pi * doy / 365)
    dec = 0.409 * np.sin(2 * np.pi * doy / 365 - 1.39)
    ws = np.arccos(np.clip(-np.tan(phi) * np.tan(dec), -1, 1))
    return 24 * 60 / np.pi * 0.082 * dr * (ws * np.sin(phi) * np.sin(dec)
                                          + np.cos(phi) * np.cos(dec) * np.sin(ws))


def make_weather(rng, first: date, last: date, spring_dryness=None, t_offset=0.0,
                 summer_wet=0.0):
    """Daily weather of a Toulouse-like climate (Richardson-type generator:
    Markov wet days, gamma rain amounts, AR(1) temperature anomalies,
    radiation from extraterrestrial radiation and cloudiness).
    `spring_dryness` scales the April-June wet-day probability (drought years);
    `t_offset` and `summer_wet` (added to the summer wet-day probability)
    give cooler and wetter climates (uplands)."""
    n = (last - first).days + 1
    days = [first + timedelta(i) for i in range(n)]
    doy = np.array([d.timetuple().tm_yday for d in days], float)
    dry = rng.uniform(0.8, 1.15) if spring_dryness is None else spring_dryness
    season = np.cos(2 * np.pi * (doy - 20) / 365)          # +1 mid-January
    p_wd = 0.22 + 0.07 * season + summer_wet * (1 - season) / 2
    p_ww = 0.55 + 0.08 * season
    spring = (doy > 90) & (doy < 182)
    p_wd = np.where(spring, p_wd * dry, p_wd)
    wet = np.zeros(n, bool)
    for i in range(1, n):
        wet[i] = rng.random() < (p_ww[i] if wet[i - 1] else p_wd[i])
    rain = np.where(wet, rng.gamma(0.75, 7.5, n), 0.0)
    anom = np.zeros(n)
    for i in range(1, n):
        anom[i] = 0.75 * anom[i - 1] + rng.normal(0, 2.8 * np.sqrt(1 - 0.75 ** 2))
    tmean = 13.5 + t_offset - 8.0 * season + anom + rng.normal(0, 0.7)
    dtr = (9.5 - 2.5 * season) * np.where(wet, 0.6, 1.0) * rng.uniform(0.8, 1.2, n)
    tmin, tmax = tmean - dtr / 2, tmean + dtr / 2
    cloudiness = np.where(wet, rng.uniform(0.55, 1.0, n), rng.beta(1.3, 3.0, n))
    radiation = 0.75 * extraterrestrial(doy) * (1 - 0.72 * cloudiness)
    return dict(days=days, doy=doy, tmin=tmin, tmax=tmax, tmean=tmean, rain=rain,
                radiation=radiation)


def write_meteo_csv(path, weather):
    """CSV with the columns core/meteo.py reads (date, tmin, tmax, radiation) and rain."""
    lines = ["date,tmin,tmax,radiation,rain"]
    for i, d in enumerate(weather["days"]):
        lines.append(f"{d:%Y-%m-%d},{weather['tmin'][i]:.2f},{weather['tmax'][i]:.2f},"
                     f"{weather['radiation'][i]:.2f},{weather['rain'][i]:.1f}")
    path.write_text("\n".join(lines) + "\n")
    return path


def surface_wetness(rain):
    """0-1 wetness of the soil surface: rain of the last days, e-folding 2.5 d."""
    out, m = np.zeros(len(rain)), 0.0
    for i, r in enumerate(rain):
        m = min(1.0, m * np.exp(-1 / 2.5) + r / 8.0)
        out[i] = m
    return out


# --- sun ---------------------------------------------------------------------------------
def sun_angles(when: datetime, lat=LAT, lon=LON):
    """Solar zenith and azimuth (deg, azimuth clockwise from north) at a UTC time
    (NOAA low-precision formulas, ~0.5 deg)."""
    doy = when.timetuple().tm_yday
    hour = when.hour + when.minute / 60 + when.second / 3600
    g = 2 * np.pi / 365 * (doy - 1 + (hour - 12) / 24)
    eqt = 229.18 * (0.000075 + 0.001868 * np.cos(g) - 0.032077 * np.sin(g)
                    - 0.014615 * np.cos(2 * g) - 0.040849 * np.sin(2 * g))
    dec = (0.006918 - 0.399912 * np.cos(g) + 0.070257 * np.sin(g) - 0.006758 * np.cos(2 * g)
           + 0.000907 * np.sin(2 * g) - 0.002697 * np.cos(3 * g) + 0.00148 * np.sin(3 * g))
    ha = np.radians((hour * 60 + eqt + 4 * lon) / 4 - 180)
    phi = np.radians(lat)
    cz = np.sin(phi) * np.sin(dec) + np.cos(phi) * np.cos(dec) * np.cos(ha)
    zen = np.arccos(np.clip(cz, -1, 1))
    az = np.degrees(np.arccos(np.clip((np.sin(phi) * cz - np.sin(dec))
                                      / (np.cos(phi) * np.sin(zen)), -1, 1)))
    az = (az + 180) % 360 if ha > 0 else (540 - az) % 360
    return float(np.degrees(zen)), float(az)


# --- leaf angles ---------------------------------------------------------------------------
def ellipsoid_x(mean_leaf_angle_deg):
    """Campbell's x of the ellipsoidal distribution with this mean leaf angle."""
    return (np.radians(mean_leaf_angle_deg) / 9.65) ** (-1 / 1.65) - 3


def extinction(x, zenith_deg):
    """Black-leaf extinction coefficient G/cos(theta) (Campbell 1986)."""
    t = np.tan(np.radians(np.minimum(zenith_deg, 89.0)))
    return np.sqrt(x * x + t * t) / (x + 1.774 * (x + 1.182) ** -0.733)


def diffuse_extinction(x, lai=2.0):
    """Extinction of isotropic diffuse light, by integrating the direct
    transmission over the sky at a reference LAI."""
    th = np.radians(np.linspace(0.5, 89.5, 90))
    tau = np.exp(-extinction(np.asarray(x)[..., None], np.degrees(th)) * lai)
    w = np.sin(th) * np.cos(th)
    return -np.log((tau * w).sum(-1) / w.sum()) / lai


# --- canopy reflectance ------------------------------------------------------------------
def leaf_albedo(cab, cw, brown):
    """Leaf single-scattering albedo (r + t) per band; inputs broadcast, band last."""
    cab, cw, brown = (np.asarray(v, np.float32)[..., None] for v in (cab, cw, brown))
    k = K_CAB * np.maximum(cab, 0.1) ** 0.55 + K_W * cw + K_BROWN * brown + K_BASE
    return (0.05 + 0.9 * np.exp(-k)).astype(np.float32)


def _h(mu, gamma):
    return (1 + 2 * mu) / (1 + 2 * gamma * mu)


def canopy_reflectance(gai, bai, x, cab, cw, soil, sun_zenith, view_zenith=5.0,
                       clumping=0.85, flower=0.0):
    """Bidirectional reflectance factor per band (band last) of a canopy with
    green area `gai` and brown (senescent) area `bai` over a soil of
    reflectance `soil` (..., band). x: ellipsoidal leaf-angle parameter."""
    gai, bai, x = (np.asarray(v, np.float32) for v in (gai, bai, x))
    pai = gai + bai
    share = np.where(pai > 0, gai / np.maximum(pai, 1e-6), 1.0)[..., None]
    w = share * leaf_albedo(cab, cw, 0.0) + (1 - share) * leaf_albedo(1.0, 0.002, 1.0)
    flower = np.asarray(flower, np.float32)[..., None]
    w = (1 - 0.6 * flower) * w + 0.6 * flower * FLOWER / 0.5   # petals: bright, yellow
    w = np.clip(w, 0.0, 0.97)
    ks = extinction(x, sun_zenith)[..., None]       # per unit of area along the sun path
    kv = extinction(x, view_zenith)[..., None]
    mu_s = 1 / (2 * ks)                             # isotropic-medium equivalent cosines
    mu_v = 1 / (2 * kv)
    ks, kv = ks.astype(np.float32), kv.astype(np.float32)
    mu_s = mu_s.astype(np.float32)
    mu_v = mu_v.astype(np.float32)
    gamma = np.sqrt(1 - w)
    single = w / 4 / (mu_s + mu_v)                  # Hapke's single-scattering term
    multiple = single * (_h(mu_s, gamma) * _h(mu_v, gamma) - 1)
    depth = (clumping * pai)[..., None]
    hit = 1 - np.exp(-(ks + kv) * depth)            # 1 - bidirectional gap fraction
    trans_s = np.exp(-gamma * ks * depth)           # direct + forward-scattered
    trans_v = np.exp(-gamma * kv * depth)
    r_inf = (1 - gamma) / (1 + gamma)
    # Kubelka-Munk reflectance of a finite layer over a black background
    e = np.exp(-2 * gamma * depth)
    r_dd = r_inf * (1 - e) / (1 - r_inf ** 2 * e)
    # Multiple scattering needs a second interaction: a finite layer gets the
    # semi-infinite multiple term times its own diffuse reflectance relative to
    # r_inf (~ depth^2 when thin). Weighting it by the gap fraction alone (as
    # before) gave thin canopies the NIR of a closed one: NIR rose ~2x too fast
    # below GAI 2 and saturated at GAI ~2, NDVI 0.43-0.55 at GAI 0.25; measured
    # wheat NIR keeps rising to LAI ~4-5 while red saturates at ~3 (Asrar et al.
    # 1984, Agron. J. 76:300; Baret & Guyot 1991, RSE 35:161), and PROSPECT+SAIL
    # over the same soil gives NDVI 0.30-0.45 at GAI 0.25 (prosail 2.0.5).
    return (single * hit + multiple * hit * r_dd / r_inf
            + soil * trans_s * trans_v / (1 - soil * r_dd)).astype(np.float32)


def soil_reflectance(brightness, wetness):
    """(..., band) soil reflectance: brightness x loam spectrum, darker when wet."""
    b = np.asarray(brightness, np.float32)[..., None]
    m = np.asarray(wetness, np.float32)[..., None]
    return (b * SOIL * (1 - SOIL_WET * m)).astype(np.float32)


# --- sky ----------------------------------------------------------------------------------
def cloudy_date_fractions(rng, dates, share=0.4):
    """Cloud fraction per date: about `share` of the dates cloudy (more in
    winter), a third of those overcast; the others clear or nearly so."""
    out = []
    for d in dates:
        winter = np.cos(2 * np.pi * (d.timetuple().tm_yday - 15) / 365)
        if rng.random() < share + 0.12 * winter:
            out.append(1.0 if rng.random() < 0.3 else rng.uniform(0.5, 0.97))
        else:
            out.append(0.0 if rng.random() < 0.6 else rng.uniform(0.01, 0.1))
    return out


def apply_sky(rng, refl, fraction, haze_prob=0.15):
    """Clouds, shadows and unflagged haze over `refl` (h, w, band).
    Returns (refl, clm, unflagged) where unflagged marks pixels altered by
    more than 0.01 in B4 without any CLM bit."""
    h, w, _ = refl.shape
    clean = refl[..., 2].copy()
    clm = np.zeros((h, w), np.uint8)
    if fraction > 0:
        clm, thick, dark, _ = draw_clouds(rng, (h, w), min(fraction, 0.999))
        cloud = clm & 2 > 0
        # fringes: thin edges the mask misses, fading over ~3 pixels
        fringe = ndimage.gaussian_filter(cloud.astype(np.float32), 2.0) * (~cloud) * 0.25
        c = np.clip(np.where(cloud, 0.35 + 0.65 * np.sqrt(thick), fringe), 0, 1)[..., None]
        refl = refl * dark[..., None]
        refl = (1 - c) * refl + c * CLOUD * rng.uniform(0.75, 1.1)
    if rng.random() < haze_prob:
        field = fbm(rng, (h, w), (3200, 1600, 800))
        strength = np.clip(rng.uniform(0.3, 1.2) + 0.5 * field, 0, 2)[..., None]
        refl = refl * (1 - 0.12 * strength) + HAZE * strength
    unflagged = (clm == 0) & (np.abs(refl[..., 2] - clean) > 0.01)
    return refl.astype(np.float32), clm, unflagged
