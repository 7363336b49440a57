"""Independent Sentinel-1 scene for forest clear-cut detection (issue 10).

Written from the literature, without reading the retrieval nor the project's
own scene. Two years of S1Tiling VV/VH files (linear sigma0, float32, nodata 0,
10 m tile grid), one ascending and one descending track, each every 6 days
(S1A and S1B alternating), over a forest massif with clear-cuts, thinnings and
crop fields around it.

Physics
- Forest backscatter (C band, gamma0 at the reference angle): broadleaf VV
  -6.8 dB / VH -12.3 dB, conifer -7.0 / -12.0 dB, a static per-pixel texture
  (0.4 dB) and per-stand offsets; sigma0 = gamma0 cos(theta). Typical
  temperate-forest Sentinel-1 levels (Dostalova et al. 2021, RSE 264:112590;
  "Sensitivity of Sentinel-1 backscatter to management-related disturbances in
  temperate forests", Remote Sens. 2024, 16(9):1553).
- Incidence: Sentinel-1 IW spans 29.1-46.0 deg (Lang & Praks 2022); each
  track sees the scene at its own angle drawn in 30-45 deg, varying across the
  scene along range. Look directions: ascending looks east-north-east
  (azimuth ~80 deg), descending west-north-west (~280 deg), right-looking SAR.
- Radar shadow (Bouvet et al. 2018, Remote Sens. 10(8):1250): when a patch
  is cleared, the standing forest wall on its NEAR-range border hides the
  ground behind it over a ground length h tan(theta) (h tree height, 8-32 m:
  ~7-30 m), where only the thermal noise floor remains (NESZ ~-24 dB VV,
  -26 dB VH after denoising). Shadow fractions are computed per 10 m pixel.
  The opposite, FAR-range wall faces the sensor: its return is laid over a
  ground strip of length h / tan(theta) in front of it (brightening, adds
  ~0.8 x the forest sigma0). The same geometry acts, permanently, on every
  forest/field edge.
- Cleared ground: felling residues first (VV -9.5, VH -15.5 dB, fading with a
  45-day time constant), then bare soil whose backscatter follows surface
  soil moisture (+0.22 dB per vol. %, VH +0.15 dB per vol. %; Baghdadi et al.
  2016 / Zribi et al. order of magnitude), then regrowth (+2.5 dB VH, +1 dB VV
  over 18 months).
- Progressive cuts: about a third of the cuts are felled over 14-28 days by
  a felling front moving across the patch; the others within 1-5 days.
- Thinnings (partial removal, 20-40 % of the trees, no opening of the canopy):
  a VH drop of 0.3-1.2 dB (VV half of it) recovering over a year, no shadow.
  They are NOT cuts (truth: thinnings.csv / thinning_ids.tif).
- Crop fields (water-cloud model, Attema & Ulaby 1978): sigma0 = A V cos(t)
  (1 - tau2) + tau2 sigma_soil, tau2 = exp(-2 B V / cos(t)), V a crop
  calendar (wheat, rapeseed, maize, sunflower, soybean, meadows mown twice),
  soil from moisture and tillage roughness (+2 dB after ploughing, smoothing
  over months): 5-10 dB of seasonal swing, as Sentinel-1 crop series show
  (Veloso et al. 2017, RSE 199:415).
- Resolution and speckle: the noise-free field is smoothed to the ~20 m IW
  GRD resolution (Gaussian, sigma 0.85 px), the noise floor added, then
  multiplied by speckle of ENL 4.4 (Sentinel-1 IW GRDH product definition):
  gamma(1.1) per 10 m pixel averaged over 2x2 pixels, so neighbours are
  correlated as in 10 m-posted 20 m-resolution data.

Confounders (scene-wide unless said)
- Wet snow on 3 (two years) single acquisitions in December-February: -2.5
  to -3.5 dB on forest, -3 to -4 dB on open land (Nagler & Rott 2000 use a
  -3 dB wet-snow threshold; Koskinen et al. 1997 for forests). Each event is
  seen by ONE acquisition (melted before the next).
- Frozen acquisitions (acquisition-time temperature < -1 C; morning passes
  are colder): -1 to -2 dB (frozen canopy and soil permittivity).
- Rain on the acquisition day (>= 1 mm): wet canopy, forest +0.5 to +0.7 dB
  (Cagnina et al. 2023, Remote Sens. 15(24):5723; Doblas et al. 2020, Remote
  Sens. 12(23):3922); open soil through its moisture (often +1 to +3 dB).
- Seasonal drift: broadleaf VH +-0.5 dB (1 dB peak to peak, leaf on/off),
  VV +-0.35 dB, conifers +-0.25 dB, plus a slow scene-wide drift of +-0.2 dB.
- About 2 % of acquisitions missing; 2 per track with part of the scene
  outside the swath (nodata 0).

Simplified: flat terrain (no topographic layover/shadow), one track per
direction, no interferometric coherence, no Sentinel-1B loss, speckle drawn
independently per date, the forest mask is the true pre-cut forest, weather
is uniform over the 2.4 km scene (apart from a +-0.3 dB texture of the snow
effect).

Truth (truth_dir): forest_mask.tif, land_cover.tif (OSO codes), cut_ids.tif
(int16, k = cut k, only pixels felled by the last acquisition), cut_day.tif
(int32 YYYYMMDD felling day per pixel, 0 none), thinning_ids.tif,
tree_height.tif, cuts.csv (id, date, end_date, area_ha, planned_area_ha,
progressive, over_0_4ha, acquisitions_after), thinnings.csv,
acquisitions.csv (per file date: weather and applied dB), README.txt.
"""
import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from rasterio import features
from rasterio.transform import Affine
from scipy import ndimage
from scipy.spatial import cKDTree

from ...core.grid import Grid
from ...core.scenes.common import fbm, tile_grid
from ...core.simulate import write_raster

RES = 10.0
ORIGINS = {"31TCJ": (300000.0, 4900020.0)}     # upper-left corners of MGRS tiles
DEFAULT_ORIGIN = (300000.0, 4900020.0)
REAL_CUTS = (Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
             / "clearcuts_france" / "gdf_sample_clear_cuts.geojson")

ENL = 4.4
PSF_SIGMA = 0.85                           # px: ~20 m IW GRD resolution at 10 m posting
NESZ = {"vv": 10 ** (-2.4), "vh": 10 ** (-2.6)}
FOREST_DB = {16: {"vv": -6.8, "vh": -12.3}, 17: {"vv": -7.0, "vh": -12.0}}
SEASON_DB = {16: {"vv": -0.35, "vh": 0.5}, 17: {"vv": 0.25, "vh": 0.25}}
SLASH_DB = {"vv": -9.5, "vh": -15.5}
BARE_DB = {"vv": -12.0, "vh": -19.0}       # at 20 vol. % soil moisture
SM_SENS = {"vv": 0.22, "vh": 0.15}         # dB per vol. %
REGROWTH_DB = {"vv": 1.0, "vh": 2.5}       # after 18 months
STATIC_DB = {2: (-4.0, -11.0), 4: (-9.0, -17.0), 19: (-9.0, -15.0), 23: (-20.0, -27.0)}
ORBITS = (("ASC", 30, 80.0, (17, 42)), ("DES", 8, 280.0, (6, 14)))  # dir, rel. orbit, look az, UTC
CROPS = (6, 5, 10, 9, 8, 13)     # OSO: wheat, rapeseed, maize, sunflower, soybean, meadow
CROP_SHARE = (0.35, 0.1, 0.2, 0.12, 0.08, 0.15)
# Water-cloud parameters per crop: (A_vv, B_vv, A_vh, B_vh)
WCM = {6: (0.05, 0.9, 0.02, 0.25), 5: (0.2, 0.3, 0.06, 0.15), 10: (0.25, 0.25, 0.06, 0.12),
       9: (0.22, 0.3, 0.05, 0.12), 8: (0.18, 0.3, 0.05, 0.12), 13: (0.12, 0.3, 0.03, 0.15)}
# Crop calendars, day of year: (start of growth, peak, harvest); winter crops
# start the autumn before.
CALENDAR = {6: (60, 140, 190), 5: (40, 110, 180), 10: (150, 215, 285),
            9: (130, 195, 250), 8: (150, 220, 275)}


@dataclass
class RadarCutScene:
    s1_folder: Path
    truth_dir: Path
    forest_mask: Path
    land_cover: Path
    cut_ids: Path
    cuts: list
    dates: list
    grid: Grid
    start: date
    end: date


def make_scene(out_dir, seed=0, size=240, start=date(2020, 1, 1), years=2, n_cuts=30,
               tile="31TCJ", n_thinnings=5, n_snow=None):
    """Write the scene under `out_dir` and return a RadarCutScene."""
    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    s1_folder, truth_dir = out / "s1", out / "truth"
    s1_folder.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    grid = tile_grid(tile, size, ORIGINS.get(tile, DEFAULT_ORIGIN), res=RES)
    n_days = (start.replace(year=start.year + years) - start).days
    acqs = _acquisitions(rng, start, n_days)
    weather = _weather(rng, start, n_days, acqs, n_snow if n_snow is not None else years + 1)
    land = _landscape(rng, (size, size))
    last_day = max(a["day"] for a in acqs)
    cuts, fell_day = _place_cuts(rng, land, n_cuts, start, last_day, acqs)
    thins, thin = _place_thinnings(rng, land, n_thinnings, fell_day, last_day)
    fields = _fields(rng, land, start, years)
    for a in acqs:
        a.update(weather[a["index"]])
        standing = land["forest"] & (fell_day > a["day"])
        geometry = _geometry(standing, land["height"], a["look"], _incidence(a, land))
        for pol in ("vv", "vh"):
            sigma = _acquire(rng, a, pol, land, fell_day, thin, fields, weather["sm"], start,
                             geometry)
            name = (f"{a['platform']}_{tile}_{pol}_{a['direction']}_{a['orbit']:03d}_"
                    f"{a['when']:%Y%m%dt%H%M%S}.tif")
            write_raster(s1_folder / name, sigma, grid, nodata=0, dtype="float32")
    end = start + timedelta(last_day)
    paths = _write_truth(truth_dir, grid, land, cuts, fell_day, thins, thin, acqs, start)
    return RadarCutScene(s1_folder, truth_dir, paths["forest_mask"], paths["land_cover"],
                         paths["cut_ids"], [_public(c) for c in cuts],
                         sorted(a["when"] for a in acqs), grid, start, end)


# --- acquisitions and weather ------------------------------------------------

def _acquisitions(rng, start, n_days):
    """Each track every 6 days, S1A and S1B alternating; ~2 % missing."""
    acqs = []
    for direction, orbit, look, (hour, minute) in ORBITS:
        first = int(rng.integers(6))
        incidence = rng.uniform(30.5, 44.5)
        second = int(rng.integers(60))
        for k, day in enumerate(range(first, n_days, 6)):
            if rng.random() < 0.02:
                continue
            d = start + timedelta(day)
            acqs.append(dict(day=day, direction=direction, orbit=orbit, look=look,
                             incidence=incidence, platform="s1a" if k % 2 == 0 else "s1b",
                             when=datetime(d.year, d.month, d.day, hour, minute, second),
                             partial=False))
        own = [a for a in acqs if a["direction"] == direction]
        for a in rng.choice(own, 2, replace=False):
            a["partial"] = True
    acqs.sort(key=lambda a: a["when"])
    for i, a in enumerate(acqs):
        a["index"] = i
    return acqs


def _weather(rng, start, n_days, acqs, n_snow):
    """Daily rain and temperature, surface soil moisture, and per acquisition
    the scene-wide effects: wet snow (one acquisition per event), frost, rain."""
    doy = np.array([(start + timedelta(d)).timetuple().tm_yday for d in range(n_days)])
    rain = np.zeros(n_days)
    wet = False
    for d in range(n_days):
        wet = rng.random() < (0.6 if wet else 0.25)
        rain[d] = rng.exponential(6.0) if wet else 0.0
    noise = np.zeros(n_days)
    for d in range(1, n_days):
        noise[d] = 0.7 * noise[d - 1] + rng.normal(0, 2.2)
    tmean = 12.5 - 8.0 * np.cos(2 * np.pi * (doy - 15) / 365) + noise
    winter = [a for a in acqs if (start + timedelta(a["day"])).month in (12, 1, 2)]
    snow_idx = set()
    for a in rng.permutation(winter):
        if len(snow_idx) >= n_snow:
            break
        if all(abs(a["day"] - acqs[i]["day"]) > 20 for i in snow_idx):
            snow_idx.add(a["index"])
            rain[a["day"]] = max(rain[a["day"]], 8.0)   # snowfall melting on the ground
            tmean[a["day"]] = 0.5
    # Surface (0-5 cm) moisture: 1 mm of rain wets 5 cm by 2 vol. %, drying
    # towards 8 % in 3 days in summer, 8 days in winter.
    tau = 5.5 - 2.5 * np.cos(2 * np.pi * (doy - 15) / 365)
    sm = np.zeros(n_days)
    level = 25.0
    for d in range(n_days):
        level = 8 + (level - 8) * np.exp(-1 / tau[d])
        level = min(42.0, level + 2.0 * rain[d])
        sm[d] = level
    per_acq = {"sm": sm}
    drift_phase = rng.uniform(0, 2 * np.pi)
    for a in acqs:
        d = a["day"]
        morning = a["direction"] == "DES"
        t_acq = tmean[d] - 4.0 if morning else tmean[d] + 1.0
        rain_mm = rain[d - 1] if morning and d > 0 else rain[d]
        snow = a["index"] in snow_idx
        frozen = (not snow) and t_acq < -1.0
        per_acq[a["index"]] = dict(
            wet_snow=snow, frozen=frozen, rain_mm=round(float(rain_mm), 1),
            temperature=round(float(t_acq), 1),
            snow_forest_db=-rng.uniform(2.5, 3.5) if snow else 0.0,
            snow_open_db=-rng.uniform(3.0, 4.0) if snow else 0.0,
            frozen_db=-min(2.0, 1.0 + (-1.0 - t_acq) / 4) if frozen else 0.0,
            rain_forest_db=rng.uniform(0.5, 0.7) if rain_mm >= 1.0 and not snow else 0.0,
            drift_db=0.2 * np.sin(2 * np.pi * d / 730 + drift_phase))
    return per_acq


# --- landscape ---------------------------------------------------------------

def _landscape(rng, shape):
    """Land cover (OSO codes), tree heights, static texture, per-pixel parcel ids."""
    h, w = shape
    forest = fbm(rng, shape, (2400, 1200, 600)) > -0.45            # ~67 % forest
    forest = ndimage.binary_opening(forest, iterations=2)
    conifer = fbm(rng, shape, (1200, 500)) > 0.3
    lc = np.where(forest, np.where(conifer, 17, 16), 0).astype(np.uint8)
    height = np.clip(22 + 5 * fbm(rng, shape, (800, 300)) + rng.normal(0, 1.5, shape),
                     8, 32).astype(np.float32)
    height[~forest] = 0
    # Crop parcels: Voronoi cells of ~3 ha outside the forest.
    n_seeds = max(4, int((~forest).sum() * RES * RES / 30000))
    seeds = rng.uniform(0, [h, w], (n_seeds, 2))
    rows, cols = np.mgrid[0:h, 0:w]
    parcel = cKDTree(seeds).query(np.c_[rows.ravel(), cols.ravel()])[1].reshape(shape) + 1
    parcel[forest] = 0
    kinds = rng.choice(len(CROPS), n_seeds, p=CROP_SHARE)
    lc[~forest] = np.array(CROPS, np.uint8)[kinds[parcel[~forest] - 1]]
    # A few other classes: a village, a road, a pond, shrubland.
    if n_seeds > 6:
        for code in (2, 19, 23):
            k = rng.integers(1, n_seeds + 1)
            lc[parcel == k] = code
            parcel[parcel == k] = 0
    road = np.abs(rows - (0.3 * h + 0.2 * cols)) < 1
    lc[road & ~forest] = 4
    parcel[road & ~forest] = 0
    texture = {p: rng.normal(0, 0.4, shape).astype(np.float32) for p in ("vv", "vh")}
    stand = fbm(rng, shape, (400,)) * 0.3
    return dict(lc=lc, forest=forest, height=height, parcel=parcel, texture=texture,
                stand=stand.astype(np.float32), kinds=kinds)


def _shapes():
    """Real clear-cut outlines (largest part, with its holes), centred and
    scaled to unit area; None when the real file is absent."""
    if not REAL_CUTS.exists():
        return None
    shapes = []
    for f in json.loads(REAL_CUTS.read_text())["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        rings = max(polys, key=lambda p: len(p[0]))
        rings = [np.asarray(r)[:, :2] for r in rings]
        centre = rings[0].mean(axis=0)
        scale = np.sqrt(f["properties"]["area_ha"] * 1e4)
        shapes.append([(r - centre) / scale for r in rings])
    return shapes


def _blob(rng):
    """A random star-shaped outline of unit area (fallback shape)."""
    a = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    r = 1 + 0.25 * np.sin(2 * a + rng.uniform(0, 6)) + 0.1 * np.sin(5 * a + rng.uniform(0, 6))
    ring = np.c_[r * np.cos(a), r * np.sin(a)]
    area = 0.5 * np.abs(np.dot(ring[:, 0], np.roll(ring[:, 1], 1))
                        - np.dot(ring[:, 1], np.roll(ring[:, 0], 1)))
    return [ring / np.sqrt(area)]


def _draw_patch(rng, shapes, area_ha, centre, shape):
    """Rasterise a real (or random) outline of `area_ha`, rotated, at `centre` (px)."""
    rings = shapes[rng.integers(len(shapes))] if shapes else _blob(rng)
    phi = rng.uniform(0, 2 * np.pi)
    rot = np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])
    stretch = np.diag([1, rng.choice([-1, 1])]) * np.sqrt(area_ha * 1e4) / RES
    geom = {"type": "Polygon",
            "coordinates": [[tuple(p) for p in (r @ stretch @ rot.T + centre[::-1])]
                            for r in rings]}
    patch = features.rasterize([(geom, 1)], out_shape=shape, transform=Affine.identity(),
                               dtype="uint8").astype(bool)
    # Outlines traced on 10 m pixels, scaled down: drop 1-px spurs and holes.
    return ndimage.binary_opening(ndimage.binary_closing(patch))


def _place(rng, shapes, area_ha, allowed):
    """A patch of about `area_ha` inside `allowed`, shrinking it if it does not fit."""
    inside = np.argwhere(allowed)
    for attempt in range(100):
        if not len(inside):
            return None
        centre = inside[rng.integers(len(inside))] + 0.5
        area = max(0.55, area_ha * 0.9 ** (attempt // 10))
        patch = _draw_patch(rng, shapes, area, centre, allowed.shape)
        got = patch.sum() * RES * RES / 1e4      # thin outlines lose area when rasterised
        if max(0.5, 0.7 * area) <= got <= 1.3 * area and np.all(allowed[patch]):
            return patch
    return None


def _cut_days(rng, n, first, last, start):
    """Start days: spread over the series, winter a bit more likely (broadleaf
    felling season), at least a tenth in the last two months."""
    n_late = max(1, round(0.13 * n))
    days = list(rng.integers(max(first, last - 60), last - 3, n_late))
    while len(days) < n:
        d = int(rng.integers(first, last - 60))
        month = (start + timedelta(d)).month
        if rng.random() < (1.0 if month in (1, 2, 3, 11, 12) else 0.7):
            days.append(d)
    return sorted(days)


def _place_cuts(rng, land, n_cuts, start, last_day, acqs):
    """Clear-cuts of 0.5-7 ha (log-uniform) inside the forest, 3 px apart."""
    shapes = _shapes()
    shape = land["forest"].shape
    fell_day = np.full(shape, np.iinfo(np.int32).max, np.int32)
    ids = np.zeros(shape, np.int16)
    allowed = ndimage.binary_erosion(land["forest"], iterations=1)
    cuts = []
    for k, day in enumerate(_cut_days(rng, n_cuts, 75, last_day, start), start=1):
        area = float(np.exp(rng.uniform(np.log(0.5), np.log(7.0))))
        patch = _place(rng, shapes, area, allowed)
        if patch is None:
            break
        allowed &= ~ndimage.binary_dilation(patch, iterations=3)
        progressive = rng.random() < 0.35
        duration = rng.uniform(14, 28) if progressive else rng.uniform(1, 5)
        rows, cols = np.nonzero(patch)
        phi = rng.uniform(0, 2 * np.pi)
        proj = np.cos(phi) * rows + np.sin(phi) * cols
        q = (proj - proj.min()) / max(np.ptp(proj), 1)
        days = day + np.round(duration * np.clip(q + rng.normal(0, 0.05, q.size), 0, 1))
        fell_day[rows, cols] = days.astype(np.int32)
        ids[rows, cols] = k
        felled = days <= last_day
        end_day = int(days[felled].max())
        cuts.append(dict(id=k, date=start + timedelta(int(days.min())),
                         end_date=start + timedelta(end_day),
                         area_ha=round(float(felled.sum()) * RES * RES / 1e4, 2),
                         planned_area_ha=round(patch.sum() * RES * RES / 1e4, 2),
                         progressive=progressive,
                         acquisitions_after=sum(a["day"] > end_day for a in acqs)))
    land["cut_ids"] = np.where(fell_day <= last_day, ids, 0).astype(np.int16)
    land["allowed"] = allowed
    return cuts, fell_day


def _place_thinnings(rng, land, n, fell_day, last_day):
    """Partial removals (not cuts): a small VH drop recovering over a year."""
    shape = fell_day.shape
    thin = dict(ids=np.zeros(shape, np.uint8), day=np.full(shape, 10 ** 6, np.int32),
                drop=rng.uniform(0.3, 1.2, shape).astype(np.float32))
    thins = []
    for k in range(1, n + 1):
        patch = _place(rng, None, rng.uniform(1.0, 5.0), land["allowed"])
        if patch is None:
            break
        land["allowed"] &= ~ndimage.binary_dilation(patch, iterations=3)
        day = int(rng.integers(60, last_day))
        thin["ids"][patch], thin["day"][patch] = k, day
        thins.append(dict(id=k, day=day, area_ha=round(patch.sum() * RES * RES / 1e4, 2),
                          removal_share=round(float(rng.uniform(0.2, 0.4)), 2)))
    return thins, thin


# --- crop fields ---------------------------------------------------------------

def _fields(rng, land, start, years):
    """Per parcel and year: crop code, plough day, roughness and moisture factors."""
    n = len(land["kinds"])
    # calendar years the period touches, and the next one's crops
    span = years if (start.month, start.day) == (1, 1) else years + 1
    crops = np.empty((span + 1, n), np.uint8)
    crops[0] = np.array(CROPS)[land["kinds"]]
    for y in range(1, span + 1):    # rotation: a winter crop after a summer crop, and back
        swap = rng.random(n) < 0.7
        crops[y] = np.where(swap, np.array(CROPS)[rng.choice(len(CROPS), n, p=CROP_SHARE)],
                            crops[y - 1])
    return dict(crops=crops, year0=start.year, rough=rng.normal(0, 1.5, n + 1),
                wetness=rng.normal(1, 0.12, n + 1), mow=rng.integers(-10, 10, n + 1))


def _vegetation(crop, doy, next_crop, mow_shift):
    """Vegetation amount V (0-1.5) of a parcel on a day of year."""
    if crop == 13:                                    # meadow, mown twice
        v = 0.55 + 0.35 * np.sin(np.pi * np.clip((doy - 60) / 240, 0, 1))
        for mow in (140 + mow_shift, 200 + mow_shift):
            if 0 <= doy - mow < 30:
                v = 0.2 + (v - 0.2) * (doy - mow) / 30
        return v
    grow, peak, harvest = CALENDAR[crop]
    winter = crop in (5, 6)
    v = 0.0
    if doy < harvest:
        base = 0.15 if winter else 0.0
        if doy < grow:
            v = base
        elif doy < peak:
            v = base + (1.2 - base) * (doy - grow) / (peak - grow)
        else:
            v = 1.2 - 0.8 * (doy - peak) / (harvest - peak)   # senescent, drier canopy
    if next_crop in (5, 6) and doy > 270:                 # next winter crop emerging
        v = max(v, 0.15 * (doy - 270) / 95)
    return v


def _field_sigma(a, pol, land, fields, sm, theta, start):
    """Water-cloud sigma0 of every crop parcel (linear), per pixel."""
    d = start + timedelta(a["day"])
    doy, y = d.timetuple().tm_yday, d.year - fields["year0"]
    parcel = land["parcel"]
    n = len(land["kinds"])
    ids = np.arange(1, n + 1)
    crops, nxt = fields["crops"][y], fields["crops"][y + 1]
    v = np.array([_vegetation(crops[i], doy, nxt[i], fields["mow"][i + 1]) for i in range(n)])
    # Tillage: rough (+2 dB) from 25 days after harvest, smoothed over ~90 days.
    harvest = np.array([CALENDAR.get(c, (0, 0, 400))[2] for c in crops])
    since = doy - harvest - 25
    plough = np.where(since >= 0, 2.0 * np.exp(-np.clip(since, 0, None) / 90), 0.0)
    moisture = sm[a["day"]] * fields["wetness"][ids]
    soil_db = BARE_DB[pol] + SM_SENS[pol] * (moisture - 20) + fields["rough"][ids] + plough
    cos_t = np.cos(np.radians(theta.mean()))   # 0.2 deg across the scene: one angle per parcel
    a_vv, b_vv, a_vh, b_vh = np.array([WCM[c] for c in crops]).T
    A, B = (a_vv, b_vv) if pol == "vv" else (a_vh, b_vh)
    lut = np.zeros(n + 1)
    tau2 = np.exp(-2 * B * v / cos_t)
    lut[1:] = A * v * cos_t * (1 - tau2) + tau2 * 10 ** (soil_db / 10) * cos_t
    return lut[parcel]


# --- one acquisition -----------------------------------------------------------

def _shift(a, dr, dc):
    """a shifted by (dr, dc) pixels, zero-filled (out = in[r - dr, c - dc])."""
    out = np.zeros_like(a)
    h, w = a.shape
    out[max(dr, 0):h + min(dr, 0), max(dc, 0):w + min(dc, 0)] = \
        a[max(-dr, 0):h + min(-dr, 0), max(-dc, 0):w + min(-dc, 0)]
    return out


def _geometry(standing, height, look, theta):
    """Shadow fraction and far-range-wall brightening fraction (0-1) of open pixels.

    `look` is the azimuth of the look direction (sensor to ground); the wall
    between the sensor and a pixel shadows it over h tan(theta); the wall
    beyond it (facing the sensor) lays over h / tan(theta) in front of it."""
    away = np.array([-np.cos(np.radians(look)), np.sin(np.radians(look))])   # (row, col)
    tan_t = np.tan(np.radians(theta))
    shadow_len = np.where(standing, height * tan_t / RES, 0.0)
    layover_len = np.where(standing, height / tan_t / RES, 0.0)
    shadow = np.zeros(standing.shape)
    bright = np.zeros(standing.shape)
    for k in range(1, 7):
        dr, dc = np.round(k * away).astype(int)
        # The wall on the sensor side sits k px before the pixel: shift the lengths forward.
        shadow = np.maximum(shadow, np.clip(_shift(shadow_len, dr, dc) - (k - 1), 0, 1))
        bright = np.maximum(bright, np.clip(_shift(layover_len, -dr, -dc) - (k - 1), 0, 1))
    return np.where(standing, 0, shadow), np.where(standing, 0, bright)


def _incidence(a, land):
    """Incidence (deg) per pixel: +0.068 deg/km along the look direction (IW swath)."""
    shape = land["lc"].shape
    km = np.arange(shape[1]) * RES / 1000.0
    sign = 1 if a["direction"] == "ASC" else -1
    return a["incidence"] + sign * 0.068 * (km - km.mean())[None, :] * np.ones(shape)


def _acquire(rng, a, pol, land, fell_day, thin, fields, sm, start, geometry):
    """Linear sigma0 (float32, 0 = nodata) of one acquisition and polarisation."""
    shape = land["lc"].shape
    doy = (start + timedelta(a["day"])).timetuple().tm_yday
    theta = _incidence(a, land)
    cos_t = np.cos(np.radians(theta))
    lc, forest = land["lc"], land["forest"]
    cleared = fell_day <= a["day"]
    standing = forest & ~cleared
    season = np.cos(2 * np.pi * (doy - 200) / 365)
    db = np.zeros(shape, np.float32)
    for code in (16, 17):
        m = lc == code
        db[m] = FOREST_DB[code][pol] + SEASON_DB[code][pol] * season
    db += land["stand"] + a["rain_forest_db"]
    thinned = thin["day"] <= a["day"]
    recovery = np.exp(-np.clip(a["day"] - thin["day"], 0, None) / 365)
    db -= np.where(thinned, thin["drop"] * recovery * (1 if pol == "vh" else 0.5), 0)
    # Cleared ground: residues, then bare soil and its moisture, then regrowth.
    since = np.clip(a["day"] - fell_day, 0, None).astype(np.float32)
    w = np.exp(-since / 45)
    bare = (BARE_DB[pol] + SM_SENS[pol] * (sm[a["day"]] - 20)
            + REGROWTH_DB[pol] * np.clip(since / 540, 0, 1))
    db = np.where(cleared, w * SLASH_DB[pol] + (1 - w) * bare, db)
    for code, levels in STATIC_DB.items():
        db[lc == code] = levels[0 if pol == "vv" else 1]
    db += land["texture"][pol] + a["drift_db"] + a["frozen_db"]
    if a["wet_snow"]:                # +-0.3 dB of spatial texture on a ~3 dB drop
        db += np.where(standing, a["snow_forest_db"], a["snow_open_db"]) * (
            1 + land["stand"] / 3)
    sigma = 10 ** (db / 10) * cos_t
    fields_m = land["parcel"] > 0
    weather = 10 ** ((a["drift_db"] + a["frozen_db"] + a["snow_open_db"]) / 10)
    sigma[fields_m] = (_field_sigma(a, pol, land, fields, sm, theta, start)
                       * weather)[fields_m]
    shadow, bright = geometry
    wall = 0.8 * 10 ** ((FOREST_DB[16][pol] + a["snow_forest_db"]) / 10) * cos_t
    sigma = sigma * (1 - shadow) + bright * wall
    sigma = ndimage.gaussian_filter(sigma, PSF_SIGMA) + NESZ[pol]
    sigma = np.maximum(sigma * speckle(rng, shape), 1e-6).astype(np.float32)
    if a["partial"]:                 # the swath edge crosses the scene, near-range side
        edge = int(0.3 * shape[1])
        sigma[:, slice(0, edge) if a["direction"] == "ASC" else slice(shape[1] - edge, None)] = 0
    return sigma


def speckle(rng, shape):
    """Multiplicative speckle of ENL 4.4 at 10 m posting of ~20 m resolution:
    gamma(1.1) per pixel averaged over 2x2 pixels (gamma(4.4) marginals,
    neighbours correlated)."""
    g = rng.gamma(ENL / 4, 4 / ENL, (shape[0] + 1, shape[1] + 1)).astype(np.float32)
    return (g[:-1, :-1] + g[1:, :-1] + g[:-1, 1:] + g[1:, 1:]) / 4


# --- truth ---------------------------------------------------------------------

def _public(cut):
    return dict(cut, over_0_4ha=cut["area_ha"] > 0.4)


def _write_csv(path, rows, fields):
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _write_truth(truth_dir, grid, land, cuts, fell_day, thins, thin, acqs, start):
    last_day = max(a["day"] for a in acqs)
    felled = fell_day <= last_day
    day_raster = np.zeros(fell_day.shape, np.int32)
    for d in np.unique(fell_day[felled]):
        when = start + timedelta(int(d))
        day_raster[fell_day == d] = when.year * 10000 + when.month * 100 + when.day
    paths = {
        "forest_mask": write_raster(truth_dir / "forest_mask.tif",
                                    land["forest"].astype(np.uint8), grid, dtype="uint8"),
        "land_cover": write_raster(truth_dir / "land_cover.tif", land["lc"], grid,
                                   nodata=0, dtype="uint8"),
        "cut_ids": write_raster(truth_dir / "cut_ids.tif", land["cut_ids"], grid,
                                dtype="int16"),
    }
    write_raster(truth_dir / "cut_day.tif", day_raster, grid, dtype="int32")
    write_raster(truth_dir / "thinning_ids.tif", thin["ids"], grid, dtype="uint8")
    write_raster(truth_dir / "tree_height.tif", land["height"], grid, dtype="float32")
    _write_csv(truth_dir / "cuts.csv", [_public(c) for c in cuts],
               ["id", "date", "end_date", "area_ha", "planned_area_ha", "progressive",
                "over_0_4ha", "acquisitions_after"])
    _write_csv(truth_dir / "thinnings.csv",
               [dict(t, date=start + timedelta(t["day"]), is_cut=False) for t in thins],
               ["id", "date", "area_ha", "removal_share", "is_cut"])
    rows = [dict(a, file_date=f"{a['when']:%Y%m%dt%H%M%S}") for a in acqs]
    _write_csv(truth_dir / "acquisitions.csv", rows,
               ["file_date", "platform", "direction", "orbit", "incidence", "partial",
                "wet_snow", "frozen", "temperature", "rain_mm", "snow_forest_db",
                "snow_open_db", "frozen_db", "rain_forest_db", "drift_db"])
    (truth_dir / "README.txt").write_text(
        "Independent radar clear-cut scene (validation/sims/radar_cuts.py).\n"
        "cut_ids.tif: k = pixels of cut k felled by the last acquisition, 0 none.\n"
        "cut_day.tif: felling day per pixel (YYYYMMDD), 0 none.\n"
        "cuts.csv: date = first felling day, end_date = last felling day within the data;\n"
        "  over_0_4ha = felled area > 0.4 ha (the scored size class);\n"
        "  acquisitions_after = acquisitions (both orbits) after end_date: cuts with few\n"
        "  cannot be confirmed yet.\n"
        "thinnings.csv / thinning_ids.tif: partial removals, NOT cuts (a detection there\n"
        "  is a false one).\n"
        "acquisitions.csv: per acquisition the scene-wide weather and the dB applied\n"
        "  (wet snow on a single acquisition, frost, rain on the canopy, drift).\n"
        "forest_mask.tif: 1 forest before any cut; land_cover.tif: OSO codes.\n")
    return paths
