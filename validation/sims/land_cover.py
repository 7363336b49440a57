"""Independent land cover scene for chainon:land_cover (OSO / iota2, Inglada
et al. 2017, Remote Sens. 9:95): a year of THEIA L2A Sentinel-2 over a
landscape of the Toulouse plain and its hillsides, with reference polygons
taken from "databases" (noisy) and held-out polygons with clean labels.

Written from the literature, without reading the retrieval nor the project's
own scene. Fifteen OSO classes (codes of the 23-class nomenclature):
- crops by the WOFOST-like model of validation/sims/wofost.py (crop_wofost
  run_fields: thermal time, vernalisation, water stress, varieties, nitrogen,
  vigour classes within fields, straw and volunteers after harvest): straw
  cereals 6 (soft wheat sown 1 Oct - 20 Dec, barley), rapeseed 5 (sown late
  August - September, yellow flowering in April), sunflower 9 and maize 10
  (sown April - May), after the French crop calendars (Agreste / Arvalis
  [RECALLED]); peaks: winter crops April-May, summer crops July-August;
- winter catch crops (CIPAN, compulsory before spring crops in the nitrate
  vulnerable zones, Directive 91/676/EEC [RECALLED]) on 40 % of the summer
  crop fields: green from October to their destruction in January-March;
  the next winter crop emerges in the autumn on 60 % of the fields;
- grasslands 13: the meadows of validation/sims/grassland.py (mown once or
  twice, grazed or never mown; heading and summer browning);
- orchards 14: deciduous fruit trees, bud burst late March - mid-April, leaf
  fall in November, crown cover 35-55 % over grassed inter-rows;
- vineyards 15: vines with a double-logistic canopy (bud burst early-mid
  April, trimmed plateau in July, harvest in September, leaf fall in
  November; Sentinel-2 LAI of vines: Oeno One 2023 "Characterisation of
  grapevine canopy leaf area and inter-row management using Sentinel-2 time
  series"), row cover 25-40 %, inter-rows grassed, partly grassed or tilled;
- broad-leaved forest 16: budburst day 95-120 (oak and beech in France,
  Delpierre et al. 2009, Agric. For. Meteorol. 149:938 [RECALLED]), leaf
  colouring and fall in late October - November, LAI 4-6, branches and
  litter in winter; coniferous forest 17: evergreen, LAI 3-5 with a +-12 %
  needle flush cycle, clumped shoots (clumping 0.55-0.7, Chen & Black 1992
  [RECALLED]); woody moorland 19: heath, gorse and broom on shallow bright
  soils, 55-90 % cover, browning in summer droughts;
- dense (1) and diffuse (2) urban, industrial and commercial (3), mineral
  surfaces (20, gravel pits and quarries): mixtures of terracotta tile roofs,
  asphalt, concrete, metal roofs and gravel (spectra after urban spectral
  libraries, Herold et al. 2004, RSE 91:304, and the ASTER/JHU library,
  Baldridge et al. 2009 [RECALLED magnitudes]) with street trees and lawns;
  street-canyon shadows grow with the sun zenith (winter), by the canyon's
  height-to-width ratio (0.6-1 dense, 0.2-0.4 diffuse);
- water 23 (gravel-pit lakes and a river): clear water with turbidity (winter
  floods) and summer algal blooms, sun glint on some dates.
Within-class variability: sowing dates, varieties, vigour, soil brightness
(0.7-1.35) and wetness after rain, management (mowing, grazing, catch crops,
inter-row grass), tree cover and material mixes of each patch.
Sensor and sky: one acquisition every 5 days for the calendar year; MAJA
issues no product over (nearly) overcast dates (cloud fraction >= 0.9),
the other dates have ~45 % cloudy scenes with shadows, unmasked cloud
fringes and haze (canopy.apply_sky); a Gaussian point spread function whose
MTF at Nyquist is 0.2-0.3 (ESA Sentinel-2 image quality requirement
[RECALLED]: sigma ~0.5 px) mixes parcel edges, and a multi-temporal
co-registration error of up to 0.3 px (20 m) per date [RECALLED] shifts them;
radiometric noise 0.003 plus the core writer's R1 noise.
Reference (the product's training input): 70 % of the polygons of each
class, as a database gives them: ~8 % carry an outdated or wrong class
(grassland ploughed into a crop, last year's crop of the rotation, a felled
forest now moorland, a flooded gravel pit still mineral, a quarry grown over
scrub, urban generalisation; Pelletier et al. 2017, Remote
Sens. 9:173, on the label noise of the OSO reference sources) and ~5 %
straddle their neighbours (polygon grown by 40-80 m: generalised or
misregistered database polygons). The other 30 % (at least two per class)
are held out with exact geometry and clean labels: the truth.
Simplified: one weather series; patches are Voronoi cells (straight edges);
no roads, rice, soy, snow or relief shadows; no BRDF across the swath (one
view zenith per date); lanes between fields are grass verges with hedges,
mapped in the truth to the nearest patch's class.

make_scene(seed, work) -> LandCoverScene (see the dataclass); files under
work/: s2/ (THEIA products), reference.geojson (EPSG:2154, field `code`:
noisy training polygons), held_out.geojson (same fields, clean), truth/
land_cover_truth.tif (uint8 class of every pixel), truth/patch_label.tif,
truth/polygons.csv (label, class, label given, noise kind, held out).
"""
import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from scipy import ndimage

from ...core.grid import Grid
from ...core.scenes.common import acquisition_times, fbm, tile_grid
from ...core.simulate import write_raster, write_theia_product
from . import canopy
from .crop_wofost import (N_CLASSES, ORIGIN, VARIETIES, draw_field, polygons, run_fields,
                          vigour_classes, voronoi_labels, write_geojson)
from .grassland import draw_managements, draw_meadow, meadow_series, relabel

CROPS = {"wheat": 6, "barley": 6, "rapeseed": 5, "sunflower": 9, "maize": 10}
# Patches per class at 144 px (20 m, ~830 ha): farmland dominates, as in the plain.
PATCHES = {"wheat": 26, "barley": 8, "rapeseed": 12, "sunflower": 16, "maize": 16,
           "meadow": 24, 14: 7, 15: 9, 16: 14, 17: 8, 19: 8, 1: 6, 2: 10, 3: 7, 23: 7, 20: 6}
NAMES = {1: "Dense built-up", 2: "Sparse built-up", 3: "Industrial and commercial",
         5: "Rapeseed", 6: "Straw cereals", 9: "Sunflower", 10: "Maize", 13: "Grasslands",
         14: "Orchards", 15: "Vineyards", 16: "Broad-leaved forest", 17: "Coniferous forest",
         19: "Woody moorlands", 20: "Mineral surfaces", 23: "Water"}
# Outdated or wrong labels a database gives a patch of this true class.
OUTDATED = {6: (9, 10, 5, 13), 5: (6, 13), 9: (6, 13), 10: (6, 13), 13: (6, 10),
            14: (13, 15), 15: (13, 14), 16: (19, 17), 17: (16, 19), 19: (16, 13),
            1: (2,), 2: (1, 3), 3: (2, 1), 23: (20, 13), 20: (19, 16)}
WRONG_SHARE, STRADDLE_SHARE, HELD_OUT_SHARE = 0.08, 0.05, 0.30
CLOUDY_SHARE = 0.45          # share of cloudy dates (more in winter)
OVERCAST = 0.9               # MAJA issues no product above this cloud fraction

# Materials (B2, B3, B4, B5, B6, B7, B8, B8A, B11, B12)
TILE = np.array([.07, .09, .16, .20, .23, .25, .27, .28, .36, .32], np.float32)
ASPHALT = np.array([.06, .07, .08, .085, .09, .095, .10, .105, .12, .11], np.float32)
CONCRETE = np.array([.20, .23, .25, .26, .27, .28, .28, .29, .31, .28], np.float32)
METAL = np.array([.28, .30, .30, .30, .30, .30, .30, .30, .25, .21], np.float32)
GRAVEL = np.array([.16, .20, .24, .26, .28, .29, .30, .31, .38, .35], np.float32)
MATERIALS = np.stack([TILE, ASPHALT, CONCRETE, METAL, GRAVEL])
# Dirichlet weights of the materials per class
MIXES = {1: (6, 3, 2, 0.5, 0.1), 2: (6, 2, 1, 0.3, 0.1), 3: (0.5, 3, 3, 4, 0.5),
         20: (0.1, 0.3, 0.5, 0.1, 8)}
WATER = np.array([.045, .045, .028, .016, .009, .007, .006, .005, .001, .001], np.float32)
SEDIMENT = np.array([.02, .04, .045, .04, .025, .018, .014, .012, .002, .001], np.float32)
ALGAE = np.array([-.01, .02, -.005, .02, .015, .02, .02, .018, .0, .0], np.float32)


@dataclass
class LandCoverScene:
    s2_folder: Path
    reference_path: Path     # noisy training polygons (EPSG:2154), field `code`
    held_out_path: Path      # clean held-out polygons, same fields
    truth_path: Path         # uint8 true class of every pixel
    truth_dir: Path
    grid: Grid
    dates: list
    classes: list
    start: date
    end: date
    table: list = field(default_factory=list)   # dicts: label, code, given, noise, held_out


# --- seasonal vegetation of the non-crop classes ------------------------------------------
def _logistic(doy, mid, width):
    return 1 / (1 + np.exp(-(doy - mid) / width))


def tree_series(doy, burst, fall, gmax, winter_bai=0.8):
    """Deciduous canopy: green area from bud burst to leaf fall (about three
    weeks to full leaf), brown leaves during colouring, branches in winter."""
    on = _logistic(doy, burst + 10, 5) * (1 - _logistic(doy, fall, 6))
    colour = np.exp(-((doy - fall + 8) / 12) ** 2)
    return 0.15 + gmax * on, winter_bai + 0.35 * gmax * colour


def vine_series(doy, burst, gmax, trim=190):
    """Vines: growth from bud burst to a trimmed plateau, yellowing after
    harvest (September) and leaf fall in November."""
    grow = _logistic(doy, burst + 35, 9) * (1 - 0.15 * _logistic(doy, trim, 3))
    fall = 1 - _logistic(doy, 300, 8)
    return gmax * grow * fall, 0.4 + 0.6 * gmax * grow * _logistic(doy, 275, 8) * fall


def grass_series(doy, gmax, dry, weather_dry):
    """Grass of verges, inter-rows and lawns: spring flush, summer browning
    (unless irrigated: dry = 0), autumn regreening."""
    spring = np.exp(-((doy - 125) / 45) ** 2)
    summer = np.exp(-((doy - 215) / 30) ** 2) * dry * weather_dry
    g = np.clip(0.6 + gmax * spring + 0.4 * gmax * _logistic(doy, 270, 10) - summer * gmax, 0.2,
                None)
    return g, 0.3 + 1.2 * summer


def class_units(rng, code, doy, level, summer_dryness):
    """(gai, bai) (days, N_CLASSES) of the main vegetation of one non-crop patch."""
    lev = 1 + 0.08 * level[None, :]
    d = doy[:, None]
    if code == 17:
        g0 = rng.uniform(3.0, 5.0)
        gai = g0 * (1 + 0.12 * np.sin(2 * np.pi * (d - 120) / 365)) * lev
        return gai, np.full_like(gai, 0.7)
    if code == 19:
        g0 = rng.uniform(1.0, 2.2)
        flush = np.exp(-((d - 140) / 40) ** 2)
        brown = np.exp(-((d - 220) / 35) ** 2) * summer_dryness
        return g0 * (1 + 0.3 * flush - 0.35 * brown) * lev, 1.0 + 0.6 * brown + 0 * lev
    if code == 15:
        gai, bai = vine_series(d, rng.uniform(90, 110), rng.uniform(1.5, 2.5))
        return gai * lev, bai + 0 * lev
    if code == 14:
        burst, fall, gmax = rng.uniform(80, 105), rng.uniform(300, 318), rng.uniform(2.5, 4.0)
    else:   # broad-leaved forest, street trees, riparian trees
        burst, fall, gmax = rng.uniform(95, 120), rng.uniform(288, 305), rng.uniform(4.0, 6.0)
    gai, bai = tree_series(d, burst, fall, gmax)
    return gai * lev, bai + 0 * lev


# --- layout ---------------------------------------------------------------------------------
def assign_classes(rng, labels, n):
    """Kind of every patch: natural classes on the hillside (a smooth
    'naturalness' field), urban around a town centre, water in the valley
    bottom, farmland elsewhere."""
    h, w = labels.shape
    com = np.array(ndimage.center_of_mass(np.ones_like(labels), labels, range(1, n + 1)))
    nature = fbm(rng, (h, w), (2400, 1200, 600))
    nat = nature[com[:, 0].astype(int), com[:, 1].astype(int)]
    centre = rng.uniform(0.25, 0.75, 2) * np.array([h, w])
    dist = np.hypot(*(com - centre).T)
    scale = n / sum(PATCHES.values())
    want = {k: max(4, round(v * scale)) for k, v in PATCHES.items()}
    kinds = [None] * n
    free = set(range(n))

    def take(order, k, count):
        for i in [i for i in order if i in free][:count]:
            kinds[i] = k
            free.discard(i)
    take(np.argsort(dist), 1, want[1])                  # town centre, then its outskirts
    ring = [i for i in np.argsort(dist) if i in free]
    take(ring[:want[2] + want[3]][::2], 3, want[3])
    take(ring, 2, want[2])
    take(np.argsort(nat), 23, want[23])                 # valley bottom: gravel pits, river
    take(np.argsort(nat)[want[23]:], 20, want[20])
    for k in (16, 17, 19):                              # hillside: woods and moors
        take(rng.permutation(np.argsort(-nat)[:want[16] + want[17] + want[19] + 6]), k, want[k])
    rest = rng.permutation(sorted(free))
    j = 0
    for k in ("wheat", "barley", "rapeseed", "sunflower", "maize", "meadow", 14, 15):
        for i in rest[j:j + want[k]]:
            kinds[i] = k
        j += want[k]
    for i in rest[j:]:
        kinds[i] = "wheat"
    return kinds


def class_code(kind):
    return CROPS.get(kind, 13 if kind == "meadow" else kind)


# --- the year's vegetation -------------------------------------------------------------------
def vegetation(rng, kinds, weather, day0, year, level):
    """Daily (gai, bai, flower, dvs) of every unit (patch x vigour class)
    and the generic grass (gai, bai) of every patch."""
    nd, n = len(weather["days"]), len(kinds)
    series = {k: np.zeros((nd, n * N_CLASSES), np.float32)
              for k in ("gai", "bai", "flower", "dvs", "stress")}
    units = lambda idx: np.array([i * N_CLASSES + c for i in idx for c in range(N_CLASSES)],
                                 int)
    crop_idx = [i for i, k in enumerate(kinds) if k in CROPS]
    fields = [draw_field(rng, kinds[i], year, i + 1) for i in crop_idx]
    for f in fields:
        f["next_sowing"] = (date(year, 10, 5) + timedelta(int(rng.integers(0, 56)))
                            if rng.random() < 0.6 else None)
    out, _ = run_fields(fields, weather, day0, level)
    for k in series:
        series[k][:, units(crop_idx)] = out[k]
    _catch_crops(rng, series, crop_idx, kinds, weather, year)
    meadow_idx = [i for i, k in enumerate(kinds) if k == "meadow"]
    if meadow_idx:
        manage = draw_managements(rng, len(meadow_idx))
        meadows = [draw_meadow(rng, year, i + 1, str(m)) for i, m in zip(meadow_idx, manage)]
        out = meadow_series(meadows, weather, level)
        for k in ("gai", "bai", "stress"):
            series[k][:, units(meadow_idx)] = out[k]
    doy = np.array([(d - date(year, 1, 1)).days + 1 for d in weather["days"]], float)
    rain = np.convolve(weather["rain"], np.ones(60) / 60, "same")
    dryness = np.clip(1.5 - rain / 1.2, 0, 1)          # summers with < ~1.8 mm/d brown
    for i, k in enumerate(kinds):
        if k not in CROPS and k != "meadow":
            gai, bai = class_units(rng, k, doy, level, dryness[:, None])
            series["gai"][:, i * N_CLASSES:(i + 1) * N_CLASSES] = gai
            series["bai"][:, i * N_CLASSES:(i + 1) * N_CLASSES] = bai
    grass = np.zeros((2, nd, n), np.float32)
    for i, k in enumerate(kinds):
        irrigated = k in (1, 2) and rng.random() < 0.5            # watered lawns
        g, b = grass_series(doy, rng.uniform(0.8, 2.0), 0.0 if irrigated else 1.0, dryness)
        grass[0, :, i], grass[1, :, i] = g, b
    return series, grass, fields


def _catch_crops(rng, series, crop_idx, kinds, weather, year):
    """Catch crops on 40 % of the summer crop fields: sown after the previous
    harvest (late August - September), green over the winter, destroyed
    15 January - 15 March before the spring sowing."""
    t = np.arange(len(weather["days"]))[:, None]
    day = lambda d: (d - weather["days"][0]).days
    for i in crop_idx:
        if kinds[i] not in ("maize", "sunflower") or rng.random() >= 0.4:
            continue
        sow = day(date(year - 1, 8, 25)) + int(rng.integers(0, 35))
        kill = day(date(year, 1, 15)) + int(rng.integers(0, 60))
        gmax = rng.uniform(1.0, 2.5)
        cover = np.where((t > sow + 10) & (t < kill), gmax * (1 - np.exp(-(t - sow - 10) / 35)),
                         0.0)
        sl = slice(i * N_CLASSES, (i + 1) * N_CLASSES)
        series["gai"][:, sl] = np.maximum(series["gai"][:, sl], cover)
        dead = (t >= kill) & (t < kill + 40)
        series["bai"][:, sl] = np.where(dead, np.maximum(series["bai"][:, sl], 0.8 * gmax),
                                        series["bai"][:, sl])


# --- static pixel properties ---------------------------------------------------------------
def pixel_properties(rng, labels, lanes_kind, kinds, fields, cls):
    """Per pixel: unit, fractions (main canopy, grass, materials, water),
    leaf angle, chlorophyll, soil brightness, clumping, material spectrum,
    canyon height/width, patch (for the grass and water series)."""
    h, w = labels.shape
    n = len(kinds)
    patch = np.where(labels > 0, labels, lanes_kind) - 1
    kind_code = np.array([class_code(k) for k in kinds])
    code = kind_code[patch]
    fine = fbm(rng, (h, w), (200, 80))
    f_main, f_grass = np.ones((h, w), np.float32), np.zeros((h, w), np.float32)
    f_mat, f_water = np.zeros((h, w), np.float32), np.zeros((h, w), np.float32)
    per = lambda lo, hi: rng.uniform(lo, hi, n)[patch]
    lo_hi = {1: (0.8, 0.95), 2: (0.35, 0.6), 3: (0.75, 0.95), 20: (0.7, 0.95)}
    for c, (lo, hi) in lo_hi.items():
        m = code == c
        f_mat[m] = np.clip(per(lo, hi)[m] + 0.08 * fine[m], 0, 1)
    trees = {1: 0.7, 2: 0.45, 3: 0.1, 20: 0.2}
    for c, share in trees.items():
        m = code == c
        f_main[m] = (1 - f_mat[m]) * share
        f_grass[m] = (1 - f_mat[m]) * (1 - share)
    m = code == 23
    f_water[m] = np.clip(per(0.93, 1.0)[m], 0, 1)
    f_main[m], f_grass[m] = 0.0, 1 - f_water[m]
    for c, (lo, hi) in {14: (0.35, 0.55), 15: (0.25, 0.4)}.items():
        m = code == c
        f_main[m] = np.clip(per(lo, hi)[m] + 0.05 * fine[m], 0.1, 0.7)
        f_grass[m] = 1 - f_main[m]
    lane = labels == 0                                  # verges with hedges
    f_main[lane], f_grass[lane] = 0.3, 0.7
    f_mat[lane] = f_water[lane] = 0.0
    # inter-row grass: 0 tilled .. 1 grassed (vineyards); thin grass under urban
    grass_cover = np.where(np.isin(code, (15,)), rng.choice([0.0, 0.5, 1.0], n)[patch], 1.0)
    # canopy parameters
    crop_of = {i: f for i, f in zip([j for j, k in enumerate(kinds) if k in CROPS], fields)}
    angle = np.array([VARIETIES[crop_of[i]["variety"]] if i in crop_of else
                      {17: 57.0, 19: 50.0, 15: 55.0}.get(class_code(k), 50.0)
                      for i, k in enumerate(kinds)])
    x = canopy.ellipsoid_x(angle[patch]).astype(np.float32)
    cab = np.array([30.0 if i in crop_of and crop_of[i]["n_status"] == "low" else
                    {17: 40.0, 19: 35.0}.get(class_code(k), 45.0) for i, k in enumerate(kinds)])
    soil = np.array([crop_of[i]["soil"] if i in crop_of else
                     {16: 0.55, 17: 0.45, 19: 1.3, 15: 1.2}.get(class_code(k), 0.9)
                     * rng.uniform(0.85, 1.15) for i, k in enumerate(kinds)])
    clump = np.array([crop_of[i]["clumping"] if i in crop_of else
                      {17: rng.uniform(0.55, 0.7), 19: 0.7}.get(class_code(k), 0.85)
                      for i, k in enumerate(kinds)])
    unit = np.where(lane, -1, patch * N_CLASSES + cls)
    mix = np.zeros((h, w, len(MATERIALS)), np.float32)
    for c, alpha in MIXES.items():
        m = code == c
        if m.any():
            mix[m] = rng.dirichlet(alpha, int(m.sum()))
    canyon = {1: (0.6, 1.0), 2: (0.2, 0.4), 3: (0.1, 0.2)}
    hw = np.zeros((h, w), np.float32)
    for c, (lo, hi) in canyon.items():
        m = code == c
        hw[m] = per(lo, hi)[m]
    return dict(patch=patch, code=code, unit=unit, f_main=f_main, f_grass=f_grass * grass_cover,
                f_soil=f_grass * (1 - grass_cover), f_mat=f_mat, f_water=f_water, x=x,
                cab=(cab[patch] * (1 + 0.05 * fine)).astype(np.float32),
                soil=(soil[patch] * (1 + 0.04 * fine)).astype(np.float32),
                clumping=clump[patch].astype(np.float32), material=mix @ MATERIALS,
                canyon=hw, gain=(1 + 0.04 * rng.standard_normal((h, w))).astype(np.float32),
                turbidity=rng.uniform(0.0, 1.2, n), bloom=rng.uniform(0.0, 1.0, n))


# --- reflectance ---------------------------------------------------------------------------
def reflectance(rng, when, t, doy, series, grass, pix, hedge, wetness):
    """(h, w, band) surface reflectance of the landscape on one date."""
    zen, az = canopy.sun_angles(when)
    view = float(rng.uniform(1, 10))
    unit = pix["unit"]
    lane = unit < 0
    u = np.maximum(unit, 0)
    gai = np.where(lane, hedge[0][t], series["gai"][t][u]) * pix["gain"]
    bai = np.where(lane, hedge[1][t], series["bai"][t][u])
    dvs = np.where(lane, 0.0, series["dvs"][t][u])
    cab = pix["cab"] * np.clip(1 - (dvs - 1.2) / 0.8, 0.25, 1)
    cw = 0.015 * np.clip(1 - (dvs - 1.4) / 0.6, 0.2, 1)
    soil = canopy.soil_reflectance(pix["soil"], min(1.0, wetness[t]))
    main = canopy.canopy_reflectance(gai, bai, pix["x"], cab, cw, soil, zen, view,
                                     pix["clumping"], np.where(lane, 0, series["flower"][t][u]))
    g = grass[0, t][pix["patch"]]
    herb = canopy.canopy_reflectance(g, grass[1, t][pix["patch"]], canopy.ellipsoid_x(60.0),
                                     40.0, 0.012, soil, zen, view, 0.9)
    shade = 1 - 0.5 * np.clip(pix["canyon"] * np.tan(np.radians(min(zen, 80))) * 0.5, 0, 0.8)
    season = np.cos(2 * np.pi * (doy - 30) / 365)          # winter floods, summer blooms
    water = (WATER + SEDIMENT * (pix["turbidity"][pix["patch"]] * (1 + 0.6 * season))[..., None]
             + ALGAE * (pix["bloom"][pix["patch"]] * max(0.0, -season))[..., None])
    water = water + (rng.uniform(0, 0.02) if rng.random() < 0.15 else 0.0)   # sun glint
    return (pix["f_main"][..., None] * main + pix["f_grass"][..., None] * herb
            + pix["f_soil"][..., None] * soil
            + pix["f_mat"][..., None] * pix["material"] * shade[..., None]
            + pix["f_water"][..., None] * water).astype(np.float32), (zen, az)


def sensor(rng, refl):
    """Point spread (MTF at Nyquist 0.2-0.3) and co-registration error (<= 0.3 px)."""
    mtf = rng.uniform(0.2, 0.3)
    sigma = np.sqrt(-2 * np.log(mtf)) / np.pi      # Gaussian MTF exp(-2 pi^2 s^2 f^2), f = 0.5
    shift = rng.uniform(-0.3, 0.3, 2)
    out = np.empty_like(refl)
    for b in range(refl.shape[-1]):
        out[..., b] = ndimage.shift(ndimage.gaussian_filter(refl[..., b], sigma, mode="nearest"),
                                    shift, order=1, mode="nearest")
    return out


# --- reference polygons --------------------------------------------------------------------
def reference_polygons(rng, labels, codes, wrong_share=WRONG_SHARE,
                       straddle_share=STRADDLE_SHARE):
    """Held-out (clean) and training (noisy) polygons: per patch (label 1..n)
    the label given, the noise kind and the side."""
    n = len(codes)
    held = np.zeros(n, bool)
    for c in sorted(set(codes)):
        idx = np.flatnonzero(np.asarray(codes) == c)
        k = max(2, round(HELD_OUT_SHARE * idx.size))
        held[rng.permutation(idx)[:k]] = True
    table = [dict(label=i + 1, code=int(c), given=int(c), noise="", held_out=bool(held[i]))
             for i, c in enumerate(codes)]
    train = rng.permutation(np.flatnonzero(~held))
    n_wrong = round(wrong_share * train.size)
    n_straddle = round(straddle_share * train.size)
    for i in train[:n_wrong]:
        table[i]["given"] = int(rng.choice(OUTDATED[table[i]["code"]]))
        table[i]["noise"] = "wrong"
    for i in train[n_wrong:n_wrong + n_straddle]:
        table[i]["noise"] = "straddle"
        table[i]["grow"] = int(rng.integers(2, 5))      # 40-80 m into the neighbours
    return table


def straddling_masks(labels, table):
    """Raster of each straddling training polygon: its patch grown into the
    neighbours, clipped off the held-out patches."""
    held = np.isin(labels, [r["label"] for r in table if r["held_out"]])
    return {r["label"]: ndimage.binary_dilation(labels == r["label"], iterations=r["grow"]) & ~held
            for r in table if r["noise"] == "straddle"}


def reference_features(table, geoms, masks, grid):
    """(geometry, properties) of every polygon as the reference gives it."""
    feats = []
    for r in table:
        g = (polygons(masks[r["label"]].astype(np.int32), grid, "EPSG:2154")[1]
             if r["label"] in masks else geoms[r["label"]])
        feats.append((g, {"code": r["given"], "name": NAMES[r["given"]], "patch": r["label"]}))
    return feats


# --- the scene -------------------------------------------------------------------------------
def make_scene(seed, work, size=144, year=2018, tile="31TCJ", revisit_days=5,
               wrong_share=WRONG_SHARE, straddle_share=STRADDLE_SHARE):
    """The landscape, its year of L2A products, reference and truth; see the
    module docstring. The shares of wrong and straddling training polygons
    change nothing else (diagnosis: 0 and 0 give clean training labels)."""
    work = Path(work)
    s2, truth_dir = work / "s2", work / "truth"
    s2.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(exist_ok=True)
    rng = np.random.default_rng(40_000 + seed)
    grid = tile_grid(tile, size, ORIGIN.get(tile, ORIGIN["31TCJ"]))
    start, end = date(year, 1, 1), date(year, 12, 31)
    day0 = date(year - 1, 8, 1)
    weather = canopy.make_weather(rng, day0, end + timedelta(30))
    n_cells = round(sum(PATCHES.values()) * (size / 144) ** 2)
    cells = voronoi_labels(rng, (size, size), n_cells)
    labels = relabel(cells, min_px=30)   # cells under 1.2 ha become lanes
    n = int(labels.max())
    kinds = assign_classes(rng, labels, n)
    codes = [class_code(k) for k in kinds]
    filled = _nearest(labels)
    # lanes inside woods, towns and lakes belong to them; farm lanes are verges
    farm = np.isin(np.array([0] + codes)[filled], (5, 6, 9, 10, 13, 14, 15))
    labels = np.where((labels == 0) & ~farm, filled, labels)
    cls, level = vigour_classes(rng, labels)
    series, grass, fields = vegetation(rng, kinds, weather, day0, year, level)
    doy_w = np.array([(d - start).days + 1 for d in weather["days"]], float)
    hedge = tree_series(doy_w, 105.0, 300.0, 3.0)
    pix = pixel_properties(rng, labels, filled, kinds, fields, cls)
    wetness = canopy.surface_wetness(weather["rain"])
    times = acquisition_times(rng, start, end, revisit_days)
    fractions = canopy.cloudy_date_fractions(rng, [w.date() for w in times], CLOUDY_SHARE)
    dates = []
    for k, when in enumerate(times):
        if fractions[k] >= OVERCAST:
            continue
        t = (when.date() - day0).days
        refl, sun = reflectance(rng, when, t, doy_w[t], series, grass, pix, hedge, wetness)
        refl = sensor(rng, refl) + rng.normal(0, 0.003, refl.shape).astype(np.float32)
        refl, clm, _ = canopy.apply_sky(rng, refl, fractions[k])
        bands = {b: np.clip(refl[..., i], 0.0001, 1.2) for i, b in enumerate(canopy.BANDS)}
        write_theia_product(s2, ("SENTINEL2A", "SENTINEL2B")[k % 2], when, tile, grid, bands,
                            clm, sun_angles=sun)
        dates.append(when.date())
    truth = np.array([0] + codes, np.uint8)[filled]
    truth_path = write_raster(truth_dir / "land_cover_truth.tif", truth, grid, nodata=0)
    write_raster(truth_dir / "patch_label.tif", labels, grid, nodata=0)
    table = reference_polygons(rng, labels, codes, wrong_share, straddle_share)
    masks = straddling_masks(labels, table)
    geoms = polygons(labels, grid, "EPSG:2154")
    feats = reference_features(table, geoms, masks, grid)
    reference_path = write_geojson(work / "reference.geojson",
                                   [f for f, r in zip(feats, table) if not r["held_out"]],
                                   "EPSG:2154")
    held_out_path = write_geojson(work / "held_out.geojson",
                                  [f for f, r in zip(feats, table) if r["held_out"]],
                                  "EPSG:2154")
    with open(truth_dir / "polygons.csv", "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["label", "code", "given", "noise", "held_out", "kind", "pixels"])
        for r, kind in zip(table, kinds):
            wr.writerow([r["label"], r["code"], r["given"], r["noise"], int(r["held_out"]),
                         kind, int((labels == r["label"]).sum())])
    return LandCoverScene(s2, reference_path, held_out_path, truth_path, truth_dir, grid, dates,
                          sorted(set(codes)), start, end, table)


def _nearest(labels):
    """Every pixel takes its nearest patch's label (lanes included)."""
    idx = ndimage.distance_transform_edt(labels == 0, return_distances=False,
                                         return_indices=True)
    return labels[tuple(idx)]
