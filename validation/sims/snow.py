"""Independent mountain snow scene for the snow cover product: a Pyrenean
valley (500-3000 m) through one hydrological year (1 September - 31 August),
seen by Sentinel-2 (THEIA L2A, FRE bands, CLM and MG2 masks) about every
13 days, with the confounders real scenes have.

Physics (written from the literature, not from the retrieval):
- relief: fractal (fBm) ridges and valleys rescaled to 500-3000 m; slope,
  aspect, curvature; land cover from elevation and slope: beech (leaf-off
  November-April) below ~1500 m, fir/pine up to a treeline at 2000-2300 m,
  pastures, bare rock above ~2500 m and on slopes > 40 deg, bright
  (limestone/granite) or dark (schist) rock, tarns in hollows, some turbid;
- weather: daily temperature at 1500 m (mean 7 degC, amplitude 8 degC,
  AR(1) synoptic anomalies), lapse rate 6 K/km (Rolland 2003, J. Climate
  16:1032: 5.4-6.5 K/km in the Alps [RECALLED]); Markov wet days, gamma
  amounts, precipitation +5 %/100 m [RECALLED]; rain/snow split linear
  between 0 and 2 degC [RECALLED, e.g. Jennings et al. 2018];
- snowpack: degree-day melt M = DDF (1 + 0.6 (I/I_flat - 1)) max(T, 0),
  DDF 3.5 mm/degC/d (Hock 2003, J. Hydrol. 282:104: 2.5-11 for snow), the
  radiation factor from the noon sun on the slope (enhanced temperature
  index, Hock 1999, J. Glaciol. 45:101): south slopes melt first, north
  slopes keep snow; forest intercepts ~30 % of snowfall and shades the
  pack (melt x 0.6 under closed canopy) (Hedstrom & Pomeroy 1998 [RECALLED]);
  wind: ridges scoured, hollows filled (curvature), slopes > 45 deg shed
  snow (Winstral et al. 2002 concept [RECALLED]);
- sub-pixel snow: accumulation times a lognormal factor (CV 0.15-0.45 by
  terrain roughness at 20 m; Liston 2004, J. Climate 17:1381 gives 0.06-0.85
  for km cells, Deems et al. 2006 a scale break at 15-40 m), the
  melt depth uniform: covered fraction FSC = P(A X > M) (patchy melt,
  snow depletion curve), fresh snow covering the whole pixel until it melts;
  the truth is the ON-GROUND fraction, binary snow = FSC >= 0.5;
- snow reflectance from the asymptotic radiative transfer of Kokhanovsky &
  Zege 2004 (Appl. Opt. 43:1589): R = A exp(-3.6 sqrt(alpha d)),
  alpha = 4 pi kappa / lambda with ice absorption kappa per band
  (Warren & Brandt 2008 [RECALLED magnitudes]); optical grain diameter
  0.1 mm fresh to 0.7 mm old dry, 1.2 mm wet (grain growth, Flanner & Zender
  2006 [RECALLED]) plus 0.03 of surface reflection: B11 ~0.2 fresh, 0.05 old,
  0.035 wet; impurities darken the
  visible (old snow -10-30 %, Hall et al. 1992; wet snow -9 % at 555 nm,
  Hannula & Pulliainen 2019, J. Glaciol.), Saharan dust events on a third
  of the years (blue/green more than red);
- forest canopy masks the snow on the ground (Klein et al. 1998, Hydrol.
  Process. 12:1723: lower NDSI, higher NDVI): the view is crowns x tree cover
  + floor x gaps, the floor partly in tree shadows (shadows lengthen with
  tan of the sun zenith, Li & Strahler 1985 concept), crowns holding snow a
  day or two after snowfall;
- illumination: sun position at 10:45 UTC, cos i on the slope, cast shadows
  (horizon ray tracing), diffuse sky share per band (more in the blue),
  sky view factor; the FRE is the true reflectance times E_true / E_model,
  MAJA's E_model from a smoothed DEM without cast shadows: shaded slopes
  are too dark in the FRE and flagged in MG2 (topographic shadow bit 16,
  sun tangent bit 128) [MG2 bits: science.md (a)];
- hoar frost on grass at low elevation (valley cold-air pools on clear
  nights) still there at 11:45 local time in shade: bright, NDSI up to ~0.4
  (frost is not snow cover) [design, RECALLED];
- water: clear tarns (NDSI ~0.8, red < 0.04) and turbid ones (red ~0.09),
  ice- and snow-covered in winter (then true snow).
Sky and the MAJA cloud mask (Baetens et al. 2019, Remote Sens. 11:433:
MAJA's misses are thin clouds, cloud edges and shadows; its over-detections
are on snow; RECALLED details): 40-60 % of dates cloudy (more in winter),
water clouds (SWIR bright) and ice clouds (SWIR darker, NDSI ~0.4);
unflagged thin cirrus on ~25 % of dates (flag threshold varying by date),
the cloud mask dilated by 2-5 px, fresh snow taken for cloud by the
multi-temporal test after snowfalls, part of the cloud shadows unflagged,
residual haze; partial swaths; sensor noise.
Simplified: no glacier, no avalanche deposits, Lambertian surfaces (no
forward scattering of snow), one weather series, a single sub-pixel law.

make_scene(seed, work) returns a SnowScene; truth/ holds per acquisition
SNOW_TRUTH_<YYYYMMDD>.tif (0 no snow, 100 snow (FSC >= 0.5), 205 not clear:
cloud, cirrus thick enough to hide the ground, or cloud shadow; 255 out of
swath), FSC_TRUTH_<day>.tif (on-ground FSC %, every pixel, 255 out of swath),
CONTEXT_<day>.tif (confounder bits, CONTEXT below), and SCD_TRUTH.tif (days
with FSC >= 0.5 in the period), land_cover.tif (LAND codes), tree_cover.tif.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from scipy import ndimage
from scipy.special import ndtr

from ...core.grid import Grid
from ...core.scenes.common import draw_clouds, fbm, swath_mask, tile_grid
from ...core.simulate import write_raster, write_theia_product
from .canopy import BANDS, sun_angles

TILE, ORIGIN = "31TCH", (300000.0, 4800000.0)
LAT, LON = 42.8, 1.1
RES = 20.0
REVISIT = 13
LAND = {"forest": 1, "grass": 2, "rock": 3, "water": 4}
CONTEXT = {"forest": 1, "water": 2, "bright_rock": 4, "frost": 8, "cirrus_haze": 16,
           "topo_shadow": 32, "patchy": 64, "wet_dirty": 128}
LAPSE = 6.0e-3          # K/m
Z_REF = 1500.0
DDF = 3.5               # mm/degC/d
WL = np.array([0.49, 0.56, 0.665, 0.705, 0.74, 0.783, 0.842, 0.865, 1.61, 2.19])
# imaginary index of ice per band (Warren & Brandt 2008 magnitudes) [RECALLED]
KAPPA = np.array([1.0e-9, 2.5e-9, 1.7e-8, 3.0e-8, 5.5e-8, 1.1e-7, 2.4e-7, 2.9e-7,
                  2.6e-4, 2.2e-4])
DUST = np.array([0.45, 0.32, 0.16, 0.12, 0.10, 0.08, 0.06, 0.06, 0.03, 0.02])   # rel. darkening
DIFFUSE = np.array([0.30, 0.25, 0.20, 0.18, 0.16, 0.15, 0.13, 0.12, 0.07, 0.05])
# end members, BANDS order B2 B3 B4 B5 B6 B7 B8 B8A B11 B12 [RECALLED, USGS-like]
GRASS = np.array([0.03, 0.07, 0.04, 0.10, 0.28, 0.36, 0.40, 0.41, 0.22, 0.11])
DRY_GRASS = np.array([0.06, 0.09, 0.12, 0.15, 0.20, 0.23, 0.26, 0.28, 0.34, 0.24])
SOIL = np.array([0.05, 0.07, 0.09, 0.11, 0.13, 0.15, 0.16, 0.17, 0.22, 0.18])
BRIGHT_ROCK = np.array([0.22, 0.26, 0.29, 0.31, 0.32, 0.33, 0.34, 0.35, 0.40, 0.34])
DARK_ROCK = np.array([0.07, 0.08, 0.09, 0.10, 0.11, 0.12, 0.12, 0.13, 0.15, 0.13])
CONIFER = np.array([0.02, 0.04, 0.025, 0.07, 0.17, 0.21, 0.23, 0.24, 0.11, 0.05])
BEECH = np.array([0.03, 0.06, 0.04, 0.09, 0.25, 0.32, 0.36, 0.37, 0.19, 0.09])
BARE_BRANCHES = np.array([0.05, 0.07, 0.08, 0.10, 0.13, 0.15, 0.17, 0.18, 0.25, 0.18])
CLEAR_WATER = np.array([0.05, 0.045, 0.025, 0.018, 0.012, 0.010, 0.008, 0.007, 0.004, 0.003])
TURBID_WATER = np.array([0.08, 0.11, 0.10, 0.09, 0.06, 0.05, 0.045, 0.04, 0.012, 0.008])
WATER_CLOUD = np.array([0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.42, 0.30])
ICE_CLOUD = np.array([0.50, 0.50, 0.50, 0.50, 0.50, 0.50, 0.49, 0.49, 0.20, 0.10])
HAZE = np.array([0.035, 0.025, 0.018, 0.015, 0.013, 0.012, 0.011, 0.010, 0.005, 0.003])


@dataclass
class SnowScene:
    s2_folder: Path
    dem_path: Path
    truth_dir: Path
    dates: list
    grid: Grid
    start: date
    end: date
    land_cover: np.ndarray
    tree_cover: np.ndarray
    dem: np.ndarray
    clm_truth_clear: dict        # date -> bool array, what the mask should leave clear
    clm_clear: dict              # date -> bool array, what the simulated CLM leaves clear


# --- terrain and land cover --------------------------------------------------------------
def terrain(rng, shape):
    """DEM (m) 500-3000, slope and aspect (rad, aspect clockwise from north,
    the direction the slope faces), curvature (z-score, > 0 = hollow)."""
    relief = fbm(rng, shape, (6400, 3200, 1600, 800, 400, 200), ridged=True, power=1.0)
    phi = rng.uniform(0, 2 * np.pi)                   # valley floor to main ridge
    rows, cols = np.indices(shape) / max(shape)
    trend = np.cos(phi) * cols + np.sin(phi) * rows
    z = 2.0 * (trend - trend.mean()) / trend.std() + 0.9 * relief
    z = 500 + 2500 * (z - z.min()) / (z.max() - z.min())
    z = ndimage.gaussian_filter(z, 1.0)
    gy, gx = np.gradient(z, RES)
    slope = np.arctan(np.hypot(gx, gy))
    aspect = np.arctan2(-gx, gy) % (2 * np.pi)     # rows go south: gy > 0 = faces north
    curv = ndimage.gaussian_filter(z, 4) - ndimage.gaussian_filter(z, 1)
    return z.astype(np.float32), slope, aspect, (curv - curv.mean()) / curv.std()


def land_cover(rng, z, slope, curv):
    """(land codes, tree cover 0-1, deciduous, bright-rock share 0-1, turbid water)."""
    shape = z.shape
    noise = fbm(rng, shape, (1600, 400, 100))
    treeline = rng.uniform(2000, 2300) + 120 * noise
    forest_field = fbm(rng, shape, (1600, 800, 200)) + 0.8 * (1 - z / treeline)
    forest = (z < treeline) & (forest_field > np.quantile(forest_field, 0.45)) \
        & (slope < np.radians(40))
    rock = (z > 2500 + 150 * noise) | (slope > np.radians(40))
    land = np.where(forest, LAND["forest"], np.where(rock, LAND["rock"], LAND["grass"]))
    tree = np.where(forest, np.clip(0.55 + 0.3 * fbm(rng, shape, (400, 100)), 0.2, 0.95), 0)
    deciduous = forest & (z < 1500 + 150 * noise)
    bright = np.clip(0.5 + 0.5 * fbm(rng, shape, (3200, 800)), 0, 1)
    # tarns in hollows and a valley lake; a third of them turbid (glacial flour)
    water = np.zeros(shape, bool)
    turbid = np.zeros(shape, bool)
    rows, cols = np.indices(shape)
    hollow = np.argwhere((curv > 1.0) & (slope < np.radians(25)))
    for k in range(int(rng.integers(3, 6))):
        if not len(hollow):
            break
        r, c = hollow[rng.integers(len(hollow))]
        rad = rng.uniform(3, 8)
        blob = np.hypot(rows - r, cols - c) < rad * (1 + 0.2 * noise)
        water |= blob
        turbid |= blob & (rng.random() < 0.35)
    land[water] = LAND["water"]
    tree[water] = 0
    return land, tree.astype(np.float32), deciduous & ~water, bright, turbid


# --- weather and snowpack -----------------------------------------------------------------
def weather(rng, days):
    """Daily tmean and tmin at Z_REF (degC), precipitation at Z_REF (mm),
    clear-sky flag (no rain, low cloudiness)."""
    n = len(days)
    doy = np.array([d.timetuple().tm_yday for d in days], float)
    anom = np.zeros(n)
    for i in range(1, n):
        anom[i] = 0.8 * anom[i - 1] + rng.normal(0, 3.0 * np.sqrt(1 - 0.64))
    tmean = 7.0 + rng.normal(0, 0.8) - 8.0 * np.cos(2 * np.pi * (doy - 20) / 365) + anom
    season = np.cos(2 * np.pi * (doy - 20) / 365)
    wet = np.zeros(n, bool)
    for i in range(1, n):
        wet[i] = rng.random() < ((0.62 if wet[i - 1] else 0.28) + 0.04 * season[i])
    rain = np.where(wet, rng.gamma(0.8, 13.0, n), 0.0)
    dtr = np.where(wet, 5.0, 11.0) * rng.uniform(0.8, 1.2, n)
    return dict(doy=doy, tmean=tmean, tmin=tmean - dtr / 2, precip=rain, clear=~wet)


def noon_illumination(doy, slope, aspect):
    """Relative direct illumination at noon, I / I_flat (0 on slopes facing away)."""
    dec = 0.409 * np.sin(2 * np.pi * doy / 365 - 1.39)
    zen = abs(np.radians(LAT) - dec)
    cos_i = np.cos(slope) * np.cos(zen) + np.sin(slope) * np.sin(zen) * np.cos(np.pi - aspect)
    return np.clip(cos_i / np.cos(zen), 0, 2.5)


def snowpack(rng, days, met, z, slope, aspect, curv, tree, land):
    """Daily on-ground FSC (days, h, w) float16, plus per-day arrays of snow age
    (days), wet flag, fresh snow and canopy snow for the reflectance."""
    shape = z.shape
    dz = z - Z_REF
    wind = np.clip(1 + 0.25 * curv, 0.4, 1.6) * np.where(slope > np.radians(45), 0.3, 1.0)
    catch = (1 + 0.05 * dz / 100) * wind * (1 - 0.3 * tree)
    # CV at 20 m: below the 15-40 m scale break of snow depth (Deems et al. 2006,
    # J. Hydrometeorol. 7:285) and after Helbig et al. 2015 (TC 9:1655), smaller
    # than Liston's km-cell 0.06-0.85 [RECALLED]
    cv = np.clip(0.15 + 0.15 * np.abs(curv) + 0.3 * np.sin(slope), 0.15, 0.45)
    sigma = np.sqrt(np.log(1 + cv ** 2))
    shade = 1 - 0.4 * tree
    water = land == LAND["water"]
    acc = np.zeros(shape)
    melt = np.zeros(shape)
    fresh = np.zeros(shape)
    age = np.full(shape, 99.0)
    ice_days = np.zeros(shape)
    out = dict(fsc=np.zeros((len(days),) + shape, np.float16),
               age=np.zeros((len(days),) + shape, np.float16),
               wet=np.zeros((len(days),) + shape, bool),
               canopy_snow=np.zeros(len(days)), melt_rate=np.zeros(len(days)))
    for t in range(len(days)):
        temp = met["tmean"][t] - LAPSE * dz
        snow_share = np.clip((2.0 - temp) / 2.0, 0, 1)
        fall = met["precip"][t] * catch * snow_share
        ice_days = np.where(temp < -1, ice_days + 1, np.maximum(ice_days - 2, 0))
        fall = np.where(water & (ice_days < 10), 0.0, fall)   # open water: snow melts in
        acc += fall
        fresh += fall
        age = np.where(fall > 3, 0.0, age + 1)
        m = DDF * (1 + 0.6 * (noon_illumination(met["doy"][t], slope, aspect) - 1)) \
            * np.maximum(temp, 0) * shade
        m += np.where(snow_share < 1, met["precip"][t] * (1 - snow_share) * 0.0125
                      * np.maximum(temp, 0), 0)           # rain-on-snow heat
        fresh = np.maximum(fresh - m, 0) * 0.9            # settles into the pack
        melt += m
        ratio = np.where(acc > 0, melt / np.maximum(acc, 1e-6), 1e9)
        ratio = np.maximum(ratio, 1e-9)
        frac = 1 - ndtr((np.log(ratio) + sigma ** 2 / 2) / sigma)
        frac = np.where(acc > 0, frac, 0)
        frac = np.where(fresh > 3, 1.0, frac)
        gone = (frac < 0.01) & (fresh <= 0)
        acc[gone], melt[gone] = 0, 0
        frac[gone] = 0
        frac = np.where(water & (ice_days < 10), 0, frac)
        out["fsc"][t] = frac
        out["age"][t] = np.minimum(age, 200)
        out["wet"][t] = (m > 1.0) | ((temp > 0) & (met["precip"][t] > 2))
        out["canopy_snow"][t] = float(fall.max() > 5 and met["tmean"][t] < 0) \
            or (t > 0 and out["canopy_snow"][t - 1] > 0.5 and met["tmean"][t] < -2)
    return out


# --- reflectance ---------------------------------------------------------------------------
def snow_reflectance(diameter_mm, impurity):
    """(..., band) reflectance of a semi-infinite snowpack (Kokhanovsky & Zege)."""
    d = np.asarray(diameter_mm, np.float32)[..., None] * 1e-3
    alpha = 4 * np.pi * KAPPA / (WL * 1e-6)
    # + surface (Fresnel-like) reflection: old wet snow keeps ~0.03 at 1.6 um
    r = 0.95 * np.exp(-3.6 * np.sqrt(alpha * d)) + 0.03
    return (r * (1 - np.asarray(impurity, np.float32)[..., None] * DUST / DUST[1])).astype(
        np.float32)


def cast_shadow(z, sun_zenith, sun_azimuth):
    """True where the sun is hidden by the relief (horizon ray tracing)."""
    h, w = z.shape
    tan_elev = np.tan(np.radians(90 - sun_zenith))
    dy, dx = -np.cos(np.radians(sun_azimuth)), np.sin(np.radians(sun_azimuth))
    rows, cols = np.indices(z.shape)
    shadow = np.zeros(z.shape, bool)
    zmax = float(z.max())
    for k in range(1, max(h, w)):
        r = np.rint(rows + k * dy).astype(int)
        c = np.rint(cols + k * dx).astype(int)
        inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
        if not inside.any() or (zmax - z.min()) / (k * RES) < tan_elev:
            break
        zk = np.where(inside, z[np.clip(r, 0, h - 1), np.clip(c, 0, w - 1)], -1e9)
        shadow |= (zk - z) / (k * RES) > tan_elev
    return shadow


def illumination(z, slope, aspect, zen, az):
    """(E_true / E_model per band, cos i, cast shadow): FRE = R E_true / E_model."""
    sz, saz = np.radians(zen), np.radians(az)
    cos_i = np.cos(slope) * np.cos(sz) + np.sin(slope) * np.sin(sz) * np.cos(saz - aspect)
    cast = cast_shadow(z, zen, az)
    view = (1 + np.cos(slope)) / 2
    direct = np.where(cast, 0, np.maximum(cos_i, 0)) / np.cos(sz)
    e_true = (1 - DIFFUSE) * direct[..., None] + DIFFUSE * view[..., None] \
        + 0.25 * (1 - view)[..., None]
    zs = ndimage.gaussian_filter(z, 2.5)               # MAJA's coarser DEM
    gy, gx = np.gradient(zs, RES)
    s2 = np.arctan(np.hypot(gx, gy))
    a2 = np.arctan2(-gx, gy) % (2 * np.pi)
    cos_m = np.cos(s2) * np.cos(sz) + np.sin(s2) * np.sin(sz) * np.cos(saz - a2)
    e_model = (1 - DIFFUSE) * np.maximum(cos_m, 0.0)[..., None] / np.cos(sz) \
        + DIFFUSE * ((1 + np.cos(s2)) / 2)[..., None]
    return e_true / np.maximum(e_model, 0.25), cos_i, cast, cos_m


def ground_reflectance(t, days, met, sp, land, tree, deciduous, bright, turbid, frost_share,
                       dust, zen):
    """(h, w, band) true surface reflectance on day index t, and flags."""
    fsc = sp["fsc"][t].astype(np.float32)
    age = sp["age"][t].astype(np.float32)
    wet = sp["wet"][t]
    diam = np.where(wet, 1.2, 0.1 + 0.6 * (1 - np.exp(-age / 15)))
    imp = np.clip(0.02 + 0.004 * np.minimum(age, 60) + 0.08 * wet + dust[t], 0, 0.7)
    snow = snow_reflectance(diam, imp)
    doy = met["doy"][t]
    green = np.clip((np.convolve(met["tmean"], np.ones(15) / 15, "same")[t] - 3) / 8, 0.05, 1)
    veg = green * GRASS + (1 - green) * DRY_GRASS
    grass = 0.8 * veg + 0.2 * SOIL
    rock = bright[..., None] * BRIGHT_ROCK + (1 - bright[..., None]) * DARK_ROCK
    water = np.where(turbid[..., None], TURBID_WATER, CLEAR_WATER)
    floor = np.where((land == LAND["rock"])[..., None], rock,
                     np.where((land == LAND["water"])[..., None], water, grass))
    # hoar frost over snow-free grass: a thin layer of fine ice crystals
    frost = frost_share * (1 - fsc)
    floor = floor * (1 - 0.6 * frost[..., None]) + 0.6 * frost[..., None] \
        * snow_reflectance(0.15, 0.05)
    floor = (1 - fsc[..., None]) * floor + fsc[..., None] * snow
    # forest: crowns over the floor, the floor partly in tree shadow
    leaf_off = (doy > 305) | (doy < 120)
    crowns = np.where(deciduous[..., None], BARE_BRANCHES if leaf_off else BEECH, CONIFER)
    opacity = np.where(deciduous & leaf_off, 0.5, 1.0) * tree
    if sp["canopy_snow"][t] > 0.5:
        crowns = 0.6 * crowns + 0.4 * snow_reflectance(0.2, 0.02)
    tree_shade = np.clip(0.5 * tree * np.tan(np.radians(zen)), 0, 0.9)[..., None]
    floor_lit = floor * (1 - tree_shade + tree_shade * DIFFUSE)
    refl = opacity[..., None] * crowns + (1 - opacity[..., None]) * floor_lit
    return refl.astype(np.float32), frost > 0.05, wet | (imp > 0.2)


def frost_share(rng, met, t, z, cast, cos_i, land, fsc):
    """Hoar frost cover 0-0.6 on grass: clear cold nights, cold-air pools in
    the low valley, kept in the shade late in the morning."""
    if not met["clear"][t]:
        return np.zeros(z.shape, np.float32)
    pool = np.clip((1200 - z) / 500, 0, 1) * 4.0           # inversion up to 4 K
    tmin = met["tmin"][t] - LAPSE * (z - Z_REF) - pool
    share = np.clip((-tmin - 1) / 6, 0, 0.6)
    share *= np.where(cast | (cos_i < 0.3), 1.0, 0.35)
    return np.where((land == LAND["grass"]) & (fsc < 0.05), share, 0).astype(np.float32)


# --- sky and MAJA masks ------------------------------------------------------------------
def cloud_fraction(rng, day):
    """40-60 % of dates cloudy (more in winter), a third of them overcast."""
    winter = np.cos(2 * np.pi * (day.timetuple().tm_yday - 15) / 365)
    if rng.random() < 0.5 + 0.1 * winter:
        return 1.0 if rng.random() < 0.3 else float(rng.uniform(0.25, 0.95))
    return 0.0 if rng.random() < 0.6 else float(rng.uniform(0.01, 0.1))


def sky(rng, refl, fraction, fresh_snow):
    """Clouds, cirrus, shadows and haze over refl (h, w, band), and the CLM
    MAJA would write. Returns refl, clm, truth_clear, perturbed (clear in the
    truth but altered > 0.02 in B3 by unflagged haze, cirrus or fringes)."""
    h, w, _ = refl.shape
    clean = refl[..., 1].copy()
    clm = np.zeros((h, w), np.uint8)
    truth_clear = np.ones((h, w), bool)
    if fraction > 0:
        clm, thick, dark, high = draw_clouds(rng, (h, w), min(fraction, 0.999))
        cloud = clm & (2 | 16) > 0
        shadow = clm & (32 | 64) > 0
        truth_clear = ~(cloud & (thick >= 0.03)) & ~shadow
        fringe = ndimage.gaussian_filter(cloud.astype(np.float32), 2.0) * (~cloud) * 0.2
        c = np.clip(np.where(cloud, 0.3 + 0.7 * np.sqrt(thick), fringe), 0, 1)[..., None]
        kind = np.where(high[..., None], ICE_CLOUD, WATER_CLOUD) * rng.uniform(0.8, 1.15)
        refl = (1 - c) * refl * dark[..., None] + c * kind
        # MAJA: dilated mask; a part of the shadows missed
        clm = _dilate_clm(clm, int(rng.integers(2, 6)))
        if rng.random() < 0.5:
            miss = fbm(rng, (h, w), (1600, 400)) > 0
            clm[shadow & miss] = 0
    if rng.random() < (0.25 if fraction < 1 else 0):
        cir = np.clip(0.25 * (fbm(rng, (h, w), (6400, 1600, 400)) + rng.uniform(-0.5, 1)), 0, 0.5)
        refl = (1 - cir[..., None]) * refl + cir[..., None] * ICE_CLOUD
        flagged = cir > rng.uniform(0.1, 0.3)          # the 1.38 um test's reach varies
        clm[flagged] |= 1 | 2 | 128
        truth_clear &= cir < 0.15
    if rng.random() < 0.2:
        haze = np.clip(rng.uniform(0.3, 1.2) + 0.5 * fbm(rng, (h, w), (3200, 800)), 0, 2)
        refl = refl * (1 - 0.1 * haze[..., None]) + HAZE * haze[..., None]
    if fresh_snow is not None and rng.random() < 0.5:
        # multi-temporal test: a sudden brightening after a snowfall looks like a cloud
        patch = fbm(rng, (h, w), (3200, 800)) > rng.uniform(-0.5, 0.8)
        clm[fresh_snow & patch & (clm == 0)] = 1 | 2 | 8
    perturbed = truth_clear & (clm == 0) & (np.abs(refl[..., 1] - clean) > 0.02)
    return refl.astype(np.float32), clm, truth_clear, perturbed


def _dilate_clm(clm, px):
    cloud = clm & 2 > 0
    ring = ndimage.binary_dilation(cloud, iterations=px) & (clm == 0)
    clm = clm.copy()
    clm[ring] = 1 | 2 | 4
    return clm


def mg2(clm, land, fsc_seen, cast, cos_m):
    """MG2 bits: water 1, cloud 2, snow 4, cloud shadow 8, topographic shadow 16,
    sun tangent 128."""
    out = np.zeros(clm.shape, np.uint8)
    out[land == LAND["water"]] |= 1
    out[clm & 2 > 0] |= 2
    out[fsc_seen & (clm == 0)] |= 4
    out[clm & (32 | 64) > 0] |= 8
    out[cast] |= 16
    out[cos_m < 0.05] |= 128
    return out


# --- the scene -----------------------------------------------------------------------------
def make_scene(seed, work, size=200, year=2018):
    """See the module docstring; `work` is the output folder."""
    work = Path(work)
    s2, truth = work / "s2", work / "truth"
    s2.mkdir(parents=True, exist_ok=True)
    truth.mkdir(exist_ok=True)
    rng = np.random.default_rng(70_000 + seed)
    grid = tile_grid(TILE, size, ORIGIN)
    shape = (size, size)
    start, end = date(year - 1, 9, 1), date(year, 8, 31)
    days = [start + timedelta(i) for i in range((end - start).days + 1)]
    z, slope, aspect, curv = terrain(rng, shape)
    land, tree, deciduous, bright, turbid = land_cover(rng, z, slope, curv)
    met = weather(rng, days)
    sp = snowpack(rng, days, met, z, slope, aspect, curv, tree, land)
    dust = np.zeros(len(days))
    if rng.random() < 1 / 3:                                 # a Saharan dust event
        t0 = int(rng.integers(150, 230))
        dust[t0:] = rng.uniform(0.15, 0.35) * np.exp(-np.arange(len(days) - t0) / 40)
    dem_path = write_raster(work / "dem.tif", z, grid, dtype="float32")
    write_raster(truth / "land_cover.tif", land.astype(np.uint8), grid)
    write_raster(truth / "tree_cover.tif", (100 * tree).astype(np.uint8), grid)
    daily_snow = sp["fsc"].astype(np.float32) >= 0.5
    write_raster(truth / "SCD_TRUTH.tif", daily_snow.sum(0).astype(np.uint16), grid,
                 nodata=65535)
    dates, truth_clear, clm_clear = [], {}, {}
    previous_seen = np.zeros(shape, bool)
    for k, t in enumerate(range(int(rng.integers(0, REVISIT)), len(days), REVISIT)):
        day = days[t]
        when = datetime(day.year, day.month, day.day, 10, 40 + int(rng.integers(10)),
                        int(rng.integers(60)), 1000 * int(rng.integers(1000)))
        kind = "partial" if rng.random() < 0.1 else "full"
        valid = swath_mask(rng, shape, kind)
        zen, az = sun_angles(when, LAT, LON)
        factor, cos_i, cast, cos_m = illumination(z, slope, aspect, zen, az)
        fsc = sp["fsc"][t].astype(np.float32)
        frost = frost_share(rng, met, t, z, cast, cos_i, land, fsc)
        refl, frosty, wet_dirty = ground_reflectance(t, days, met, sp, land, tree, deciduous,
                                                     bright, turbid, frost, dust, zen)
        seen = refl * factor
        fresh = (fsc >= 0.5) & ~previous_seen
        seen, clm, clear, perturbed = sky(rng, seen, cloud_fraction(rng, day), fresh)
        seen = seen * (1 + rng.normal(0, 0.01, seen.shape)) + rng.normal(0, 0.003, seen.shape)
        seen = np.where(valid[..., None], np.clip(seen, 0.0001, 1.5), np.nan)
        bands = {b: seen[..., i].astype(np.float32) for i, b in enumerate(BANDS)}
        write_theia_product(s2, ("SENTINEL2A", "SENTINEL2B")[k % 2], when, TILE, grid, bands,
                            clm, edg20=~valid, mg2_20=mg2(clm, land, fsc >= 0.5, cast, cos_m),
                            zipped=k % 6 == 5, sun_angles=(zen, az))
        stamp = f"{day:%Y%m%d}"
        code = np.where(fsc >= 0.5, 100, 0)
        code = np.where(clear, code, 205)
        write_raster(truth / f"SNOW_TRUTH_{stamp}.tif",
                     np.where(valid, code, 255).astype(np.uint8), grid, nodata=255)
        write_raster(truth / f"FSC_TRUTH_{stamp}.tif",
                     np.where(valid, np.rint(100 * fsc), 255).astype(np.uint8), grid,
                     nodata=255)
        context = ((land == LAND["forest"]) * CONTEXT["forest"]
                   | (land == LAND["water"]) * CONTEXT["water"]
                   | ((land == LAND["rock"]) & (bright > 0.6)) * CONTEXT["bright_rock"]
                   | frosty * CONTEXT["frost"] | perturbed * CONTEXT["cirrus_haze"]
                   | (cast | (cos_i < 0.2)) * CONTEXT["topo_shadow"]
                   | ((fsc > 0.15) & (fsc < 0.85)) * CONTEXT["patchy"]
                   | (wet_dirty & (fsc > 0.15)) * CONTEXT["wet_dirty"])
        write_raster(truth / f"CONTEXT_{stamp}.tif", context.astype(np.uint8), grid)
        truth_clear[day] = clear & valid
        clm_clear[day] = (clm == 0) & valid
        previous_seen = np.where(clear & valid, fsc >= 0.5, previous_seen)
        dates.append(day)
    return SnowScene(s2, dem_path, truth, dates, grid, start, end, land, tree, z,
                     truth_clear, clm_clear)
