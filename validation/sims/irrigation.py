"""Independent scene for irrigated / rainfed crop mapping (issue 10).

Written from the literature, without reading the retrieval nor the project's
own scene. One season of a plain of ~150-200 crop parcels in south-western
France: THEIA L2A Sentinel-2 products (5-day revisit), S1Tiling VV/VH on an
ascending and a descending track (6-day), a daily rain table (scene mean) and
SAFRAN-like daily rain rasters (8 km Lambert-93 cells), labelled parcels.

Physics
- Rain: a wet/dry Markov chain with seasonal probabilities; wet days are
  stratiform (one amount, smooth large-scale modulation) or, mostly in summer,
  convective: 1-3 storm cells (Gaussian, sigma 1.5-3 km, 40-100 mm/h at the
  core, 8-40 mm where a core passes) moving along a track (mostly south-west
  to north-east, 15-35 km/h, 2-4 h), so rain
  varies within the scene. The "true" rain is a 500 m field; the rasters
  average it over 8 km cells with a multiplicative error (lognormal, 30 %), as
  the SAFRAN reanalysis at 8 km does (Quintana-Segui et al. 2008, J. Appl.
  Meteor. Climatol. 47:92; Vidal et al. 2010, Int. J. Climatol. 30:1627).
- Root-zone water balance per parcel, daily (FAO-56, Allen et al. 1998):
  Dr = Dr - P - I + Ks Kc ET0, TAW = 1000 (thetaFC - thetaWP) Zr with
  thetaFC - thetaWP per parcel (irrigated 0.08-0.17, rainfed 0.11-0.21:
  irrigation equipment concentrates on soils of low reserve, shallow
  terraces and sands, while rainfed summer crops are sown on deep soils -
  an assumption of this scene), RAW = p TAW, Ks = (TAW - Dr) /
  ((1 - p) TAW) beyond RAW; Kc curves and stage lengths of FAO-56 tables 11-12
  (maize 0.3/1.2/0.5, soybean 0.4/1.15/0.5, sunflower 0.35/1.1/0.35, winter
  wheat 0.4/1.15/0.3, grass 0.9-1.0 mown three times); roots growing to Zr.
  ET0 a seasonal curve (1 mm/d in January, 5.6 mm/d in July), lower on rainy
  days.
- Sprinkler irrigation (hose reels) on irrigated parcels only: a "tour
  d'eau" of 6-10 days and a dose of 25-35 mm per farm; a turn is made when
  the depletion passes 60-90 % of RAW, not on a day with > 10 mm of rain, in
  the crop's irrigation window (maize June-early September, soybean, a couple
  of turns for sunflower around flowering and for wheat in spring, grass in
  summer). The reel waters a parcel strip by strip over 1-3 days.
- Crops: maize, soybean, sunflower, winter wheat, temporary grassland;
  irrigated maize, soybean, some sunflower, wheat and grass, and rainfed
  maize too. LAI grows along a potential curve (its maximum varies by
  +-20 % between farms: variety, nitrogen) scaled by Ks; water stress in
  the late stages advances senescence (yellowing). Rainfed crops in dry spells
  get a lower LAI and an earlier senescence.
- Surface (0-10 cm) moisture: the FAO-56 evaporation layer (TEW 22 mm, REW
  8 mm), wetted by rain and by irrigation on the day its strip is watered,
  drying by Kr (1.1 (1 - fc) ET0 + a quarter of the transpiration); theta
  from 6 to 42 vol. %.
- Sentinel-2: a canopy over soil (Beer-Lambert gap fraction per band,
  extinction 0.4-0.7): rho = rho_canopy + (rho_soil - rho_canopy)
  exp(-k LAI); the canopy spectrum mixes green and senescent leaves, water
  stress raises SWIR (canopy water), wet soil is darker (Lobell & Asner 2002,
  Soil Sci. Soc. Am. J. 66:722). Pixel texture 8 %.
- Sentinel-1: the water-cloud model (Attema & Ulaby 1978) with LAI as the
  vegetation descriptor: sigma0 = A LAI cos(t) (1 - tau2) + tau2 sigma_soil,
  tau2 = exp(-2 B LAI / cos(t)); bare soil VV = -21 + 0.3 theta(%) dB plus
  per-parcel roughness (Baghdadi et al. 2016 give ~0.2-0.3 dB per vol. % at
  C band), VH = VV - 7 dB; so a wetting from 15 to 35 vol. % adds 6 dB on
  bare soil, 2-3.5 dB at LAI 2-3 and ~1 dB under a closed maize canopy
  (LAI 5: VV -11 dB, VH -15 dB) (Bazzi et al. 2019, 2020 use this plot-scale jump to detect
  irrigation). The descending (06 UTC) pass sees the previous evening's soil.
  Speckle ENL 4.4 (as in radar_cuts.py).

Confounders: ~40 % of the S2 dates cloudy (MAJA-like CLM with shadows), a
fifth of the dates with an unmasked haze (+0.02-0.1 in blue, CLM 0);
convective rain falls on some parcels and not their neighbours (the rain
table and the 8 km rasters cannot tell); rainfed maize; irrigated sunflower
and wheat with few turns; 3 % of the declared labels are wrong; soils of
different water holding capacity (rainfed crops on deep soils stay green).

Simplified: rectangular parcels (binary space partition, 10 m margins), one
year, no topography, no crop rotation effect, ET0 not from a weather model,
atmosphere only through clouds/haze (no BRDF), S2 R1 bands are written from
20 m reflectance (the writer adds 10 m noise), SAFRAN error as a simple
multiplicative noise.

Truth (truth_dir): irrigated.tif (20 m, = truth_path: 1 irrigated, 0 rainfed,
255 outside parcels, from the TRUE labels), irrigated_10m.tif, parcel_ids.tif
(10 m, parcel_id, 0 none), parcels.csv (parcel_id, crop, irrigated (true),
declared (in the GeoJSON), wrong_label, area_ha, n_irrigations,
irrigation_mm, rain_mm (true, season), min_ks), irrigations.csv (parcel_id,
date, dose_mm, strips), README.txt.
"""
import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from rasterio import features
from rasterio.transform import Affine
from rasterio.warp import transform as warp_transform
from scipy import ndimage

from ...core.grid import Grid
from ...core.scenes.common import acquisition_times, draw_clouds, fbm, tile_grid
from ...core.simulate import write_raster, write_theia_product
from .radar_cuts import DEFAULT_ORIGIN, ORIGINS, speckle

BANDS = ("B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12")
GREEN = np.array([0.025, 0.06, 0.03, 0.10, 0.33, 0.43, 0.47, 0.49, 0.22, 0.10])
BROWN = np.array([0.06, 0.09, 0.12, 0.16, 0.22, 0.26, 0.28, 0.30, 0.38, 0.28])
SOIL = np.array([0.08, 0.11, 0.15, 0.18, 0.20, 0.22, 0.24, 0.25, 0.32, 0.28])
EXTINCTION = np.array([0.7, 0.7, 0.7, 0.6, 0.45, 0.4, 0.4, 0.4, 0.5, 0.5])
WET_DARKENING = np.array([0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.45, 0.45])
HAZE = np.array([0.20, 0.16, 0.13, 0.11, 0.10, 0.09, 0.08, 0.08, 0.04, 0.02])
CLOUD = np.array([0.45, 0.45, 0.46, 0.46, 0.47, 0.47, 0.47, 0.47, 0.38, 0.30])
STRESS_SWIR = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0.06, 0.05])

# name: share, P(irrigated), plant doy, FAO-56 stages (ini, dev, mid, late),
# Kc (ini, mid, end), LAI max, Zr max (m), p, irrigation window, max turns,
# water-cloud (A_vv, B_vv, A_vh, B_vh)
CROPS = {
    "maize": (0.32, 0.65, 120, (30, 40, 50, 30), (0.3, 1.2, 0.5), 5.0, 1.2, 0.55,
              (150, 245), 12, (0.03, 0.08, 0.016, 0.05)),
    "soybean": (0.12, 0.6, 135, (20, 30, 60, 25), (0.4, 1.15, 0.5), 4.0, 0.9, 0.5,
                (165, 250), 9, (0.03, 0.09, 0.014, 0.06)),
    "sunflower": (0.16, 0.15, 105, (25, 35, 45, 25), (0.35, 1.1, 0.35), 3.5, 1.2, 0.45,
                  (175, 215), 2, (0.03, 0.09, 0.014, 0.06)),
    "wheat": (0.30, 0.1, -40, (30, 120, 45, 30), (0.4, 1.15, 0.3), 5.0, 1.0, 0.55,
              (95, 150), 2, (0.02, 0.2, 0.008, 0.08)),
    "grassland": (0.10, 0.1, -200, (0, 0, 600, 1), (0.95, 0.95, 0.95), 3.5, 0.6, 0.6,
                  (150, 240), 6, (0.03, 0.1, 0.01, 0.06)),
}
MOWING = (135, 185, 235)
TEW, REW = 22.0, 8.0
THETA_R, THETA_SAT = 6.0, 42.0
SAFRAN_CELL = 8000.0
RAIN_RES = 500.0
RAIN_DOMAIN = 48000.0
L93 = "EPSG:2154"
ORBITS = (("ASC", 30, (17, 42)), ("DES", 8, (6, 14)))
WRONG_LABELS = 0.03


@dataclass
class IrrigationScene:
    s2_folder: Path
    s1_folder: Path
    rain_path: Path
    rain_folder: Path
    parcels_path: Path
    truth_path: Path
    truth_dir: Path
    dates: list
    grid: Grid
    start: date
    end: date


def make_scene(out_dir, seed=0, size=120, year=2020, tile="31TCJ"):
    """Write the scene under `out_dir` (S2 at 20 m on a `size` px grid, S1 and
    truth at 10 m too) and return an IrrigationScene."""
    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    folders = {k: out / k for k in ("s2", "s1", "rain", "truth")}
    for f in folders.values():
        f.mkdir(parents=True, exist_ok=True)
    grid = tile_grid(tile, size, ORIGINS.get(tile, DEFAULT_ORIGIN), res=20.0)
    grid10 = grid.at_resolution(10)
    start, end = date(year, 3, 1), date(year, 10, 31)
    year_days = [date(year, 1, 1) + timedelta(i)
                 for i in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]
    land = _parcels(rng, grid10)
    rain = _rain(rng, grid10, year_days)
    every = np.arange(0, grid10.width, 12)
    rain["scene_rows"], rain["scene_cols"] = (a.ravel() for a in np.meshgrid(every, every))
    crops = _assign_crops(rng, land)
    state = _water_balance(land, crops, rain, year_days)
    rain_path = _write_rain_table(out / "rain.csv", rain, year_days)
    _write_rain_rasters(folders["rain"], rain, year_days)
    parcels_path = _write_parcels(out / "parcels.geojson", land, crops, grid10)
    s2_dates = _write_s2(rng, folders["s2"], tile, grid, land, crops, state, start, end)
    _write_s1(rng, folders["s1"], tile, grid10, land, crops, state, start, end)
    truth_path = _write_truth(folders["truth"], grid, grid10, land, crops, state, rain,
                              year_days, start, end)
    return IrrigationScene(folders["s2"], folders["s1"], rain_path, folders["rain"],
                           parcels_path, truth_path, folders["truth"], s2_dates, grid,
                           start, end)


# --- parcels ---------------------------------------------------------------------

def _split(rng, box, leaves):
    """Binary space partition of a (r0, c0, r1, c1) box (10 m px) into fields of
    1.5-6 ha, cut across their longer side."""
    r0, c0, r1, c1 = box
    area_ha = (r1 - r0) * (c1 - c0) * 0.01
    if area_ha < rng.uniform(1.5, 6.0):
        leaves.append(box)
        return
    f = rng.uniform(0.35, 0.65)
    if r1 - r0 > c1 - c0:
        m = int(round(r0 + f * (r1 - r0)))
        _split(rng, (r0, c0, m, c1), leaves)
        _split(rng, (m, c0, r1, c1), leaves)
    else:
        m = int(round(c0 + f * (c1 - c0)))
        _split(rng, (r0, c0, r1, m), leaves)
        _split(rng, (r0, m, r1, c1), leaves)


def _parcels(rng, grid10):
    """Rectangular fields between two roads, 10 m margins, a village and a wood;
    per-pixel parcel index (0 none), strip index, texture."""
    n = grid10.width
    road_r, road_c = (int(rng.uniform(0.3, 0.7) * n) for _ in range(2))
    leaves = []
    for box in ((0, 0, road_r, road_c), (0, road_c + 1, road_r, n),
                (road_r + 1, 0, n, road_c), (road_r + 1, road_c + 1, n, n)):
        if box[2] - box[0] > 4 and box[3] - box[1] > 4:
            _split(rng, box, leaves)
    order = rng.permutation(len(leaves))
    village, wood = (leaves[i] for i in order[:2])
    fields = [leaves[i] for i in sorted(order[2:])]
    ids = np.zeros((n, n), np.int32)
    strip = np.zeros((n, n), np.int8)
    kind = np.zeros((n, n), np.uint8)            # 0 margin/road, 1 field, 2 village, 3 wood
    polygons, n_strips = [], []
    for k, (r0, c0, r1, c1) in enumerate(fields, start=1):
        ring = [(c0 + 0.5, r0 + 0.5), (c1 - 0.5, r0 + 0.5), (c1 - 0.5, r1 - 0.5),
                (c0 + 0.5, r1 - 0.5), (c0 + 0.5, r0 + 0.5)]
        polygons.append([(grid10.x0 + c * 10, grid10.y0 - r * 10) for c, r in ring])
        mask = _burn(ring, (n, n))
        ids[mask] = k
        kind[mask] = 1
        s = int(rng.integers(1, 4))                # reel passes across the long side
        rows, cols = np.nonzero(mask)
        along = cols - c0 if c1 - c0 > r1 - r0 else rows - r0
        strip[rows, cols] = np.minimum(s - 1, along * s // max(1, max(c1 - c0, r1 - r0)))
        n_strips.append(s)
    for code, (r0, c0, r1, c1) in ((2, village), (3, wood)):
        kind[r0:r1, c0:c1] = code
    texture = 1 + 0.08 * fbm(rng, (n, n), (400, 100))
    return dict(ids=ids, strip=strip, kind=kind, polygons=polygons,
                n_strips=np.array(n_strips), texture=texture.astype(np.float32),
                n=len(fields), centres=[((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in fields],
                area_ha=np.bincount(ids.ravel(), minlength=len(fields) + 1)[1:] * 0.01)


def _burn(ring_px, shape):
    geom = {"type": "Polygon", "coordinates": [ring_px]}
    return features.rasterize([(geom, 1)], out_shape=shape, transform=Affine.identity(),
                              dtype="uint8").astype(bool)


def _assign_crops(rng, land):
    """Crop, true and declared label, soil and farm practice of each parcel."""
    names = list(CROPS)
    share = np.array([CROPS[c][0] for c in names])
    n = land["n"]
    crop = rng.choice(names, n, p=share / share.sum())
    irrigated = np.array([rng.random() < CROPS[c][1] for c in crop])
    declared = irrigated.copy()
    wrong = rng.choice(n, max(1, round(WRONG_LABELS * n)), replace=False)
    declared[wrong] = ~declared[wrong]
    return dict(crop=crop, irrigated=irrigated, declared=declared,
                wrong=np.isin(np.arange(n), wrong),
                awc=np.where(irrigated, rng.uniform(0.08, 0.17, n),   # thetaFC - thetaWP
                             rng.uniform(0.11, 0.21, n)),
                lai_factor=rng.uniform(0.8, 1.2, n),
                plant=np.array([CROPS[c][2] for c in crop]) + rng.integers(-10, 11, n),
                rotation=rng.integers(6, 11, n), dose=rng.uniform(25, 35, n),
                trigger=rng.uniform(0.6, 0.9, n), brightness=rng.uniform(0.8, 1.2, n),
                rough=rng.normal(0, 1.5, n), theta_fc=rng.uniform(26, 34, n))


# --- rain ------------------------------------------------------------------------

def _rain(rng, grid10, days):
    """Daily rain (mm) on a 500 m grid of 48 km around the scene (UTM), the
    8 km Lambert-93 cells, and the rain at each parcel strip and pixel."""
    cx = grid10.x0 + grid10.width * 5.0
    cy = grid10.y0 - grid10.height * 5.0
    m = int(RAIN_DOMAIN / RAIN_RES)
    xs = cx - RAIN_DOMAIN / 2 + RAIN_RES * (np.arange(m) + 0.5)
    ys = cy + RAIN_DOMAIN / 2 - RAIN_RES * (np.arange(m) + 0.5)
    X, Y = np.meshgrid(xs, ys)
    fields = np.zeros((len(days), m, m), np.float32)
    wet = False
    for d, day in enumerate(days):
        doy = day.timetuple().tm_yday
        summer = np.exp(-((doy - 200) / 50.0) ** 2)      # 1 in July, ~0 in winter
        wet = rng.random() < ((0.6 - 0.2 * summer) if wet else (0.3 - 0.18 * summer))
        if not wet:
            continue
        if rng.random() < 0.95 - 0.55 * summer:          # stratiform
            amount = rng.gamma(0.8, 6.0)
            # fbm counts 20 m pixels: (1600, 800) are 40 and 20 km features at 500 m.
            fields[d] = amount * np.clip(1 + 0.3 * fbm(rng, (m, m), (1600, 800)), 0.2, None)
        else:                                            # storms along tracks
            fields[d] = rng.uniform(0, 1.5)
            for _ in range(int(rng.integers(1, 4))):
                fields[d] += _storm(rng, X, Y, cx, cy)
    # SAFRAN-like: 4 x 4 cells of 8 km in Lambert-93, the corner of the four
    # central cells within 600 m of the scene centre (the scene spans them).
    lx, ly = warp_transform(grid10.crs, L93, [cx], [cy])
    x0 = lx[0] - 2 * SAFRAN_CELL + rng.uniform(-600, 600)
    y0 = ly[0] + 2 * SAFRAN_CELL + rng.uniform(-600, 600)
    px, py = warp_transform(grid10.crs, L93, X.ravel(), Y.ravel())
    col = np.floor((np.array(px) - x0) / SAFRAN_CELL).astype(int)
    row = np.floor((y0 - np.array(py)) / SAFRAN_CELL).astype(int)
    inside = (col >= 0) & (col < 4) & (row >= 0) & (row < 4)
    cell = np.where(inside, row * 4 + col, 16)
    counts = np.bincount(cell, minlength=17)[:16]
    flat = fields.reshape(len(days), -1)
    sums = np.stack([np.bincount(cell, weights=f, minlength=17)[:16] for f in flat])
    error = rng.lognormal(-0.045, 0.3, sums.shape)
    safran = (sums / np.maximum(counts, 1) * error).reshape(len(days), 4, 4)
    return dict(fields=fields, xs=xs, ys=ys, safran=safran.astype(np.float32),
                safran_origin=(x0, y0), grid10=grid10)


def _storm(rng, X, Y, cx, cy):
    """Rain (mm) left by one convective cell crossing the domain along a track."""
    heading = np.radians(rng.normal(45, 30))            # towards the north-east
    speed = rng.uniform(15, 35) / 3.6                     # m/s
    duration = rng.uniform(2, 4) * 3600
    sigma = rng.uniform(1500, 3000)
    rate = rng.uniform(40, 100) / 3600                   # mm/s at the core
    # The track passes within ~4 km of the scene centre more than half of the time.
    offset = rng.normal(0, 4000) if rng.random() < 0.6 else rng.uniform(-24000, 24000)
    ux, uy = np.sin(heading), np.cos(heading)
    x_mid, y_mid = cx - uy * offset, cy + ux * offset
    total = np.zeros(X.shape, np.float32)
    step = 300.0
    for t in np.arange(-duration / 2, duration / 2, step):
        px, py = x_mid + ux * speed * t, y_mid + uy * speed * t
        total += rate * step * np.exp(-((X - px) ** 2 + (Y - py) ** 2) / (2 * sigma ** 2))
    return total


def _sample(rain, grid10, rows, cols):
    """True daily rain (days, points) at 10 m pixel positions (bilinear)."""
    x = grid10.x0 + (np.asarray(cols) + 0.5) * 10
    y = grid10.y0 - (np.asarray(rows) + 0.5) * 10
    fx = (x - rain["xs"][0]) / RAIN_RES
    fy = (rain["ys"][0] - y) / RAIN_RES
    i0, j0 = np.floor(fy).astype(int), np.floor(fx).astype(int)
    wy, wx = fy - i0, fx - j0
    f = rain["fields"]
    return ((1 - wy) * (1 - wx) * f[:, i0, j0] + (1 - wy) * wx * f[:, i0, j0 + 1]
            + wy * (1 - wx) * f[:, i0 + 1, j0] + wy * wx * f[:, i0 + 1, j0 + 1])


# --- water balance -------------------------------------------------------------------

def _potential(crops, days):
    """Per day and parcel: FAO-56 stage (0 bare before, 1-4 ini/dev/mid/late,
    5 harvested), Kc, potential LAI and the day of year."""
    n = len(crops["crop"])
    doy = np.array([d.timetuple().tm_yday for d in days])
    stage = np.zeros((len(days), n), np.int8)
    kc = np.full((len(days), n), 0.25)
    lai = np.zeros((len(days), n))
    for i, c in enumerate(crops["crop"]):
        _, _, _, lengths, (k_ini, k_mid, k_end), lai_max, *_ = CROPS[c]
        lai_max = lai_max * crops["lai_factor"][i]
        edges = crops["plant"][i] + np.cumsum([0, *lengths])
        for s in range(4):
            inside = (doy >= edges[s]) & (doy < edges[s + 1])
            stage[inside, i] = s + 1
            f = (doy[inside] - edges[s]) / max(1, edges[s + 1] - edges[s])
            kc[inside, i] = (k_ini, k_ini + (k_mid - k_ini) * f, k_mid,
                             k_mid + (k_end - k_mid) * f)[s] if s != 0 else k_ini
            lai[inside, i] = (0.3 * f, 0.3 + (lai_max - 0.3) * (3 * f ** 2 - 2 * f ** 3),
                              lai_max, lai_max)[s]
        stage[doy >= edges[4], i] = 5
        if c == "grassland":          # mown three times, 25 days to grow back
            since = np.min([np.where(doy >= m, doy - m, 999) for m in MOWING], axis=0)
            regrow = np.clip(since / 25, 0, 1)
            winter = 0.5 + 0.5 * np.exp(-((doy - 150) / 90.0) ** 2)
            lai[:, i] = lai_max * winter * np.where(since < 999, 0.25 + 0.75 * regrow, 1)
    return stage, kc, lai, doy


def _water_balance(land, crops, rain, days):
    """Daily FAO-56 root-zone and surface-layer balance of every parcel, with
    the irrigation turns; returns the daily states the sensors see."""
    n = land["n"]
    rows = [int(r) for r, _ in land["centres"]]
    cols = [int(c) for _, c in land["centres"]]
    grid_rain = rain["parcel_rain"] = _sample(rain, rain["grid10"], rows, cols)   # (days, n)
    stage, kc_pot, lai_pot, doy = _potential(crops, days)
    et0_season = 1.0 + 4.6 * np.exp(-((doy - 190) / 65.0) ** 2)
    p = np.array([CROPS[c][7] for c in crops["crop"]])
    zr_max = np.array([CROPS[c][6] for c in crops["crop"]])
    window = np.array([CROPS[c][8] for c in crops["crop"]])
    max_turns = np.array([CROPS[c][9] for c in crops["crop"]])
    late_len = np.array([CROPS[c][3][3] for c in crops["crop"]])
    shape = (len(days), n)
    out = dict(lai=np.zeros(shape), sen=np.zeros(shape), ks=np.ones(shape),
               theta=np.zeros((len(days), n, 3)), events=[])
    dr = np.zeros(n)
    de = np.full((n, 3), REW)
    lai = np.zeros(n)
    sen = np.zeros(n)
    ks10 = np.ones(n)
    last = np.full(n, -99)
    turns = np.zeros(n, int)
    queue = {}                            # day -> (parcel, strip, gross dose) watered
    for d in range(len(days)):
        rain_d = grid_rain[d]
        et0 = et0_season[d] * np.where(rain_d > 2, 0.6, 1.0)
        # Roots grow with the crop (FAO-56 eq. 8 simplified): 0.2 m to Zr max.
        grown = np.clip(lai_pot[d] / np.maximum(lai_pot.max(axis=0), 0.1), 0, 1)
        zr = np.where(stage[d] >= 1, 0.2 + (zr_max - 0.2) * np.maximum(grown, stage[d] >= 3),
                      0.3)
        taw = 1000 * crops["awc"] * zr
        raw = p * taw
        # Irrigation turn: depletion past the farmer's trigger, rotation respected.
        want = (crops["irrigated"] & (doy[d] >= window[:, 0]) & (doy[d] <= window[:, 1])
                & (turns < max_turns) & (d - last >= crops["rotation"])
                & (dr >= crops["trigger"] * raw) & (rain_d <= 10)
                & (stage[d] >= 2) & (stage[d] <= 4) & ((lai >= 1.0) | (stage[d] >= 3)))
        irr = np.where(want, crops["dose"], 0.0)
        for i in np.flatnonzero(want):
            turns[i] += 1
            last[i] = d
            n_strips = land["n_strips"][i]
            out["events"].append((i, days[d], float(crops["dose"][i]), int(n_strips)))
            for s in range(n_strips):
                queue.setdefault(d + s, []).append((i, s, crops["dose"][i]))
        ks = np.where(dr <= raw, 1.0, np.clip((taw - dr) / np.maximum((1 - p) * taw, 1e-6), 0, 1))
        green = lai * (1 - sen)
        cover = np.clip(green / np.maximum(lai_pot[d], 0.1), 0, 1)
        kc = np.where(stage[d] >= 1, 0.25 + (kc_pot[d] - 0.25) * np.sqrt(cover), 0.25)
        eta = ks * kc * et0
        dr = np.clip(dr - rain_d - 0.85 * irr + eta, 0, taw)   # sprinkler efficiency 0.85
        # Canopy: potential growth scaled by Ks; stress advances senescence.
        growth = np.maximum(lai_pot[d] - (lai_pot[d - 1] if d else 0), 0)
        lai = np.where(stage[d] <= 2, lai + growth * ks, lai)
        lai = np.where(stage[d] == 0, 0.0, lai)
        lai = np.where(crops["crop"] == "grassland", lai_pot[d] * (0.4 + 0.6 * ks10), lai)
        sen = np.where(stage[d] == 4, sen + (1 + 1.5 * (1 - ks)) / late_len, sen)
        sen = np.where((stage[d] == 3) & (ks < 0.5), sen + 0.01 * (1 - ks), sen)
        sen = np.clip(np.where(stage[d] <= 2, 0.0, sen), 0, 1)
        sen = np.where(crops["crop"] == "grassland", 0.6 * (1 - ks10), sen)   # drought browning
        harvested = stage[d] == 5
        ks10 = 0.9 * ks10 + 0.1 * ks
        # Surface layer (FAO-56 evaporation layer) per strip.
        water = np.repeat(rain_d[:, None], 3, axis=1)
        for i, s, dose in queue.pop(d, []):
            water[i, s] += dose
        excess = np.maximum(water - de, 0)
        de = np.maximum(de - water, 0)
        kr = np.where(de <= REW, 1.0, (TEW - de) / (TEW - REW))
        fc = 1 - np.exp(-0.5 * np.where(harvested, 0.3, lai))
        # Soil evaporation, plus the roots' uptake from the top layer (~a quarter).
        de = np.minimum(TEW, de + kr * (1.1 * (1 - fc) * et0 + 0.25 * eta)[:, None])
        theta_fc = crops["theta_fc"][:, None]
        out["theta"][d] = (THETA_R + (theta_fc - THETA_R) * (1 - de / TEW)
                           + (THETA_SAT - theta_fc) * np.minimum(1, excess / 15))
        out["lai"][d] = np.where(harvested, 0.0, lai)
        out["sen"][d] = np.where(harvested, 1.0, sen)
        out["ks"][d] = ks10
    return out


# --- writers -------------------------------------------------------------------------

def _write_rain_table(path, rain, days):
    """Scene-mean true rain, `date,rain_mm`."""
    series = _sample(rain, rain["grid10"], rain["scene_rows"], rain["scene_cols"]).mean(axis=1)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date", "rain_mm"])
        for d, v in zip(days, series):
            w.writerow([d.isoformat(), f"{v:.1f}"])
    return Path(path)


def _write_rain_rasters(folder, rain, days):
    """One 4 x 4 cell GeoTIFF per day, 8 km Lambert-93 cells, band 1 rain (mm)."""
    x0, y0 = rain["safran_origin"]
    grid = Grid(L93, x0, y0, SAFRAN_CELL, 4, 4)
    for d, day in enumerate(days):
        write_raster(folder / f"rain_{day:%Y%m%d}.tif", rain["safran"][d], grid,
                     dtype="float32")


def _write_parcels(path, land, crops, grid10):
    feats = [{"type": "Feature",
              "properties": {"parcel_id": i + 1, "crop": str(crops["crop"][i]),
                             "irrigated": int(crops["declared"][i])},
              "geometry": {"type": "Polygon", "coordinates": [land["polygons"][i]]}}
             for i in range(land["n"])]
    epsg = grid10.crs.split(":")[1]
    Path(path).write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}},
        "features": feats}))
    return Path(path)


def _pixel_state(land, crops, state, d):
    """Per 10 m pixel: green LAI, brown LAI, stress (1 - Ks 10 days), surface
    moisture (vol. %), with margins, village and wood."""
    ids, strip, kind = land["ids"], land["strip"], land["kind"]
    def lut(values, fill):
        return np.concatenate([[fill], values])[ids]

    lai, sen = state["lai"][d], state["sen"][d]
    green = lut(lai * (1 - sen), 1.5) * land["texture"]
    brown = lut(lai * sen * 0.7, 0.0) * land["texture"]
    stress = lut(1 - state["ks"][d], 0.0)
    theta_units = state["theta"][d]
    rainfed = ~crops["irrigated"]
    margin_theta = np.median(theta_units[rainfed, 0]) if rainfed.any() else 20.0
    theta = np.where(ids > 0, theta_units[np.maximum(ids - 1, 0), strip], margin_theta)
    doy = d + 1
    wood_lai = 1.0 + 3.5 * np.clip((doy - 100) / 40, 0, 1) * np.clip((320 - doy) / 30, 0, 1)
    green = np.where(kind == 3, wood_lai, green)
    return green, brown, stress, theta


def _reflectance(green, brown, stress, theta, brightness, kind):
    """(10, h, w) top-of-canopy reflectance of the semi-empirical canopy model."""
    total = green + brown
    gf = np.where(total > 0, green / np.maximum(total, 1e-6), 1.0)
    canopy = (gf[None] * (GREEN[:, None, None] + STRESS_SWIR[:, None, None] * stress[None])
              + (1 - gf[None]) * BROWN[:, None, None])
    wet = np.clip((theta - THETA_R) / (THETA_SAT - THETA_R), 0, 1)
    soil = SOIL[:, None, None] * brightness[None] * (1 - WET_DARKENING[:, None, None] * wet[None])
    gap = np.exp(-EXTINCTION[:, None, None] * total[None])
    refl = canopy + (soil - canopy) * gap
    village = np.array([0.12, 0.13, 0.14, 0.16, 0.18, 0.19, 0.20, 0.21, 0.24, 0.22])
    return np.where((kind == 2)[None], village[:, None, None], refl)


def _sun_angles(when, lat=43.5, lon=1.4):
    """Solar zenith and azimuth (deg) at `when` (UTC), simple astronomy."""
    doy = when.timetuple().tm_yday
    decl = np.radians(23.44) * np.sin(2 * np.pi * (284 + doy) / 365)
    hour = when.hour + when.minute / 60 + lon / 15 - 12
    h, phi = np.radians(15 * hour), np.radians(lat)
    cos_z = np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(h)
    zen = np.degrees(np.arccos(cos_z))
    az = np.degrees(np.arctan2(np.sin(h), np.cos(h) * np.sin(phi) - np.tan(decl) * np.cos(phi)))
    return float(zen), float((az + 180) % 360)


def _write_s2(rng, folder, tile, grid, land, crops, state, start, end):
    """THEIA L2A products every 5 days: ~40 % cloudy dates, a fifth hazy."""
    times = acquisition_times(rng, start, end, 5)
    brightness = np.concatenate([[1.0], crops["brightness"]])[land["ids"]]
    h, w = grid.height, grid.width
    for k, when in enumerate(times):
        d = (when.date() - date(start.year, 1, 1)).days
        refl10 = _reflectance(*_pixel_state(land, crops, state, d), brightness, land["kind"])
        refl = refl10.reshape(10, h, 2, w, 2).mean(axis=(2, 4))
        refl = refl * (1 + rng.normal(0, 0.01, refl.shape))
        cloudy = rng.random() < 0.4
        fraction = (rng.uniform(0.35, 1.0) if cloudy
                    else rng.uniform(0, 0.05) if rng.random() < 0.5 else 0.0)
        clm, thick, darkening, _ = draw_clouds(rng, (h, w), fraction)
        refl = refl * (1 - thick[None]) + thick[None] * CLOUD[:, None, None]
        refl = refl * darkening[None]
        if not cloudy and rng.random() < 0.25:     # unmasked haze (CLM stays 0)
            t = rng.uniform(0.02, 0.1) * (0.6 + 0.4 * np.tanh(fbm(rng, (h, w), (3200, 800))))
            refl = refl * (1 - t[None]) + t[None] * HAZE[:, None, None] * 2
        bands = {b: refl[i].astype(np.float32) for i, b in enumerate(BANDS)}
        write_theia_product(folder, ("SENTINEL2A", "SENTINEL2B")[k % 2], when, tile, grid,
                            bands, clm, edg20=np.zeros((h, w), np.uint8),
                            sun_angles=_sun_angles(when))
    return times


def _water_cloud(lai, theta, rough, coeffs, cos_t, pol):
    a_vv, b_vv, a_vh, b_vh = coeffs
    a, b = (a_vv, b_vv) if pol == "vv" else (a_vh, b_vh)
    soil_db = -21 + 0.3 * theta + rough - (7 if pol == "vh" else 0)
    tau2 = np.exp(-2 * b * lai / cos_t)
    return a * lai * cos_t * (1 - tau2) + tau2 * 10 ** (soil_db / 10) * cos_t


def _write_s1(rng, folder, tile, grid10, land, crops, state, start, end):
    """S1Tiling VV/VH, ascending and descending, each every 6 days."""
    ids, kind = land["ids"], land["kind"]
    coeffs = np.array([CROPS[c][10] for c in crops["crop"]] + [CROPS["grassland"][10]])
    coeff_px = coeffs[np.where(ids > 0, ids - 1, len(crops["crop"]))].transpose(2, 0, 1)
    rough = np.concatenate([[0.0], crops["rough"]])[ids]
    year0 = date(start.year, 1, 1)
    for direction, orbit, (hour, minute) in ORBITS:
        incidence = rng.uniform(31, 44)
        cos_t = np.cos(np.radians(incidence))
        first = int(rng.integers(6))
        for k, day in enumerate(range(first, (end - start).days + 1, 6)):
            when = datetime.combine(start + timedelta(day), datetime.min.time()).replace(
                hour=hour, minute=minute, second=int(rng.integers(60)))
            d = (when.date() - year0).days - (1 if direction == "DES" else 0)
            green, brown, _, theta = _pixel_state(land, crops, state, d)
            veg = green + 0.4 * brown                    # drying leaves hold less water
            for pol in ("vv", "vh"):
                sigma = _water_cloud(veg, theta, rough, coeff_px, cos_t, pol)
                sigma = np.where(kind == 2, 10 ** ((-5.0 if pol == "vv" else -12.0) / 10), sigma)
                sigma = np.where(kind == 3, 10 ** ((-7.5 if pol == "vv" else -12.5) / 10), sigma)
                sigma = ndimage.gaussian_filter(sigma, 0.85) + (10 ** -2.4 if pol == "vv"
                                                                 else 10 ** -2.6)
                sigma = np.maximum(sigma * speckle(rng, sigma.shape), 1e-6).astype(np.float32)
                name = (f"{'s1a' if k % 2 == 0 else 's1b'}_{tile}_{pol}_{direction}_"
                        f"{orbit:03d}_{when:%Y%m%dt%H%M%S}.tif")
                write_raster(folder / name, sigma, grid10, nodata=0, dtype="float32")


def _write_truth(folder, grid, grid10, land, crops, state, rain, days, start, end):
    n = land["n"]
    shapes = [({"type": "Polygon", "coordinates": [land["polygons"][i]]}, i + 1)
              for i in range(n)]
    ids20 = features.rasterize(shapes, out_shape=(grid.height, grid.width),
                               transform=grid.transform, fill=0, dtype="int32")
    label = np.concatenate([[255], crops["irrigated"].astype(np.uint8)])
    truth = write_raster(folder / "irrigated.tif", label[ids20], grid, nodata=255,
                         dtype="uint8")
    write_raster(folder / "irrigated_10m.tif", label[land["ids"]], grid10, nodata=255,
                 dtype="uint8")
    write_raster(folder / "parcel_ids.tif", land["ids"], grid10, dtype="int32")
    season = [i for i, d in enumerate(days) if start <= d <= end]
    per_parcel = {i: [] for i in range(n)}
    for i, day, dose, strips in state["events"]:
        per_parcel[i].append((day, dose, strips))
    with open(folder / "parcels.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["parcel_id", "crop", "irrigated", "declared", "wrong_label", "area_ha",
                    "n_irrigations", "irrigation_mm", "rain_mm", "min_ks"])
        for i in range(n):
            ev = per_parcel[i]
            w.writerow([i + 1, crops["crop"][i], int(crops["irrigated"][i]),
                        int(crops["declared"][i]), int(crops["wrong"][i]),
                        round(float(land["area_ha"][i]), 2), len(ev),
                        round(sum(e[1] for e in ev), 1),
                        round(float(rain["parcel_rain"][season, i].sum()), 1),
                        round(float(state["ks"][season, i].min()), 2)])
    with open(folder / "irrigations.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["parcel_id", "date", "dose_mm", "strips"])
        for i, day, dose, strips in state["events"]:
            w.writerow([i + 1, day.isoformat(), round(dose, 1), strips])
    (folder / "README.txt").write_text(
        "Independent irrigation scene (validation/sims/irrigation.py).\n"
        "irrigated.tif (20 m grid of the scene), irrigated_10m.tif: 1 irrigated, 0 rainfed,\n"
        "  255 outside parcels, from the TRUE labels.\n"
        "parcels.csv: irrigated = truth, declared = label written in parcels.geojson\n"
        "  (3 % wrong: wrong_label = 1); n_irrigations/irrigation_mm = gross turns applied;\n"
        "  rain_mm = true rain on the parcel over the data period; min_ks = lowest 10-day\n"
        "  FAO-56 water-stress coefficient (1 = no stress).\n"
        "irrigations.csv: each turn (first day; the reel waters `strips` strips on\n"
        "  successive days).\n"
        "parcel_ids.tif: parcel_id per 10 m pixel, 0 margins/roads/village/wood.\n")
    return truth
