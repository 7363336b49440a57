"""Independent forest height and biomass scene (issue 10, "Forest height").

Written from the literature, without reading the retrieval nor the project's
own scene. A year of Sentinel-2 THEIA L2A (5-day revisit, ~40 % cloudy
dates, unflagged haze), a year of S1Tiling VV/VH (12-day, one ascending and
one descending orbit, linear sigma0, float32, nodata 0, 10 m) and GEDI L2A
granules of 2019-2021 (HDF5 in the real layout) over a hilly landscape of
forest stands, meadows, cereals, moorland and villages.

Forest (truth at 10 m)
- Stands: irregular Voronoi cells of 1-15 ha, each with a species (oak,
  beech, chestnut coppice, Douglas fir, pine, spruce/fir), an age and a site
  index. Dominant height from a Chapman-Richards curve
  H = Hmax (1 - exp(-k age))^p per species (orders of magnitude of French
  yield tables); the site index falls on steep upper slopes and ridges, so
  height correlates with terrain as it does in real hill forests.
- Within a stand: +-8 % fine texture, canopy gaps (8-20 m radius, ~4 % of
  mature stands) holding 0.5-4 m regeneration, crown overlap blurring the
  borders between stands, lower edge trees along fields. Young regrowth:
  ~10 % of the stands were clear-cut 1-7 years before 2020 (0.5-7 m).
- Heights grow between the GEDI dates and mid-2020 at the slope of the
  growth curve; a stand felled after a GEDI pass shows its pre-cut height to
  GEDI and regrowth in the truth (temporal mismatch, as with real 2019-2022
  GEDI against a 2020 map).
- AGB (t/ha) from an allometry per species group, AGB = a H^b (broadleaf
  a = 1.2, b = 1.6; conifer a = 0.9, b = 1.6: 90-280 t/ha at 15-30 m, close
  to French NFI stand figures), times a stand stocking factor (lognormal,
  sigma 0.2) and a per-pixel factor (sigma 0.1): height explains AGB only in
  part, as in the field.
- Land cover: OSO codes (16 broadleaf, 17 conifer, 13 meadow, 6 straw
  cereals, 19 woody moorland, 2 diffuse urban); 8 % of the stands carry the
  wrong forest class (OSO broadleaf/conifer confusion). forest_mask = OSO
  forest; regrowth stands are forest.

Sentinel-2 (FRE, MAJA flat reflectance)
- Crowns: the turbid-medium canopy of validation/sims/canopy.py (leaf
  angles, chlorophyll, water, brown leaves) with a species leaf area, leaf
  angle and clumping (conifers darker in the NIR); broadleaf phenology
  (leaf-out DOY ~110 later with altitude, brown leaves in October-November).
- Height enters weakly and saturates: crown shadows of a geometric-optical
  scene (Li & Strahler 1992) grow as 1 - exp(-H / 12 m) and with the sun
  zenith, darkening all bands (older, taller stands darker: Terekhin 2022;
  Grabska & Socha 2021, PLOS ONE 16:e0248459, who also find elevation and
  aspect drive beech reflectance); regrowth shows its understory through an
  open cover 1 - exp(-H / 3.5 m). Stand-to-stand noise in chlorophyll, leaf
  area and understory is of the same size as the height signal.
- Topography: MAJA's FRE corrects slopes as a Lambertian surface; forests
  behave closer to Minnaert (k = 0.7-0.85), so a residual
  (cos i / cos sz)^(k - 1) is left: sunlit slopes darker, shaded slopes too
  bright, most in winter.
- True 10 m detail in B2, B3, B4, B8 (the R1 files are rewritten from the
  10 m field), R2 bands are the 2x2 mean. Clouds, shadows, CLM bits and
  unflagged haze/cloud fringes from canopy.apply_sky.

Sentinel-1
- Water-cloud model (Attema & Ulaby 1978) over the forest with a vegetation
  descriptor V = 1 - exp(-AGB / 70 t/ha): C band saturates early (Morin et al.
  2019 use it for structure only with optical). Per-stand offsets (0.6 dB),
  conifers +0.5 dB VH, broadleaf VH -0.8 dB leaf-off.
- Terrain: sigma0 in map geometry = gamma0 cos(local incidence) x
  sin(incidence) / sin(local incidence) (foreshortening and area), look
  azimuth 80 deg (ascending) / 280 deg (descending); rain +0.5 dB, frost -1.5
  dB on given dates. Speckle of ENL 4.4.

GEDI L2A (8 beams 600 m apart, shots every 60 m; tracks at the ISS
inclination heading ~59 deg (ascending) or ~121 deg (descending))
- rh98 = canopy top within the 25 m footprint (max and mean of 9 samples
  inside 9 m of the TRUE position, 0.75 max + 0.25 mean) plus:
  - geolocation error: the file holds the nominal position; the true one is
    off by a granule-wide offset plus per-shot noise, ~10 m radial for V002
    (7 m per axis; GEDI requirement, Roy et al. 2021), ~20 m for V001
    (Schleich et al. 2023 GeoGEDI on Landes/Vosges; V002 improved
    geolocation); degraded shots 30-60 m;
  - slope: lowest mode from the footprint's ground spread, bias
    + r_eff tan(slope), r_eff 8-12.5 m (footprint radius weighted by the beam
    energy; Adam et al. 2020, Remote Sens. 12:3948 find the errors grow with
    slope);
  - noise 1-2.6 m (coverage beams and daytime shots noisier, solar
    background: Fayad et al. 2021, Remote Sens. 13:3144), 3 % heavy-tailed
    outliers (+-8 m);
  - dense canopy: the ground return is missed with a probability rising as
    canopy cover exceeds the beam sensitivity (coverage beams, leaf-on
    broadleaf): rh98 then reads 25-70 % of the height (Pourrahmati et al.
    2023, Remote Sens. 15:1522: broadleaf worse than conifer);
  - tall dense canopies read 0-5 % low (attenuated top); leaf-off broadleaf
    5-10 % low.
- Flags: sensitivity per beam type and day/night; quality_flag 0 under
  clouds (per-granule cloud share 0-70 %, along-track runs), when
  sensitivity < 0.9 or the ground is far from the DEM; 1 % of cloud shots pass
  with absurd rh98 (60-300 m); degrade_flag 3 on a run of shots in some
  granules (geolocation off by 30-60 m). V002 granules have
  land_cover_data/leaf_off_flag (leaf-off from DOY ~300 to ~110, dates
  drawn per beam as from the 1 km phenology grid, so transition-season shots
  pass half-leafless); the V001 granule (summer 2019) has none. A GEDI02_B
  file of one orbit sits in the folder (downloaders put it there).
- Resulting figures (seed 0, forest shots passing quality, degrade,
  sensitivity >= 0.95 / 0.98 coverage and leaf-on): rh98 - footprint top
  bias +1.4 m, RMSE 4.5 m; rh98 - 10 m truth at the reported position bias
  +2.0 m, RMSE 5.4 m; ~5 % missed-ground shots; ~1/4 of the shots read pass
  the usual filters. Real V001/V002 studies in temperate Europe report
  RMSE 4-8 m (Adam et al. 2020; Pourrahmati et al. 2023).

Simplified: no waveform simulation (rh profile shape parametric), 10 m
canopy model (no individual crowns), no understory in the GEDI signal, no
BRDF across the swath, no S2 adjacency, a single year of S2/S1, Sentinel-1
without layover/shadow masks. `dem` (dem/dem.tif) is a user-side DEM
(smoothed, noisy) a product may use to correct slope effects; the true DEM is
in truth_dir.

Truth (truth_dir): height_truth.tif, agb_truth.tif (float32, 10 m, -9999
outside the forest), land_cover.tif, forest_mask.tif, dem.tif, slope.tif
(deg), stand_ids.tif (int32), stands.csv, gedi_shots.csv (every shot: nominal
and true position, true top, error terms, flags), README.txt.
"""
import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import rasterio
from scipy import ndimage
from scipy.spatial import cKDTree

from ...core.grid import Grid
from ...core.scenes.common import acquisition_times, fbm, tile_grid
from ...core.simulate import R1_BANDS, write_raster, write_theia_product
from . import canopy
from .gedi_shots import _write_gedi

ORIGINS = {"31TCJ": (300000.0, 4900020.0)}     # upper-left corners of MGRS tiles
BANDS = canopy.BANDS
R1_INDEX = [BANDS.index(b) for b in R1_BANDS]
NODATA = -9999.0
# species: OSO class, Hmax range (m), k, p, age range (y), LAI, leaf-angle x, clumping,
# Cab range
SPECIES = {
    "oak": (16, (25, 32), 0.020, 1.3, (20, 160), 5.0, 1.6, 0.85, (35, 50)),
    "beech": (16, (30, 38), 0.022, 1.4, (20, 140), 5.5, 2.0, 0.9, (38, 55)),
    "chestnut": (16, (18, 24), 0.070, 1.2, (3, 40), 4.5, 1.5, 0.85, (35, 50)),
    "douglas": (17, (42, 50), 0.030, 1.5, (5, 60), 7.0, 1.0, 0.6, (40, 60)),
    "pine": (17, (20, 28), 0.040, 1.3, (5, 80), 3.5, 1.0, 0.65, (30, 45)),
    "spruce": (17, (32, 40), 0.030, 1.5, (10, 90), 6.5, 0.9, 0.6, (40, 60)),
}
ALLOMETRY = {16: (1.2, 1.6), 17: (0.9, 1.6)}   # AGB = a H^b, t/ha
OTHER = (13, 6, 19, 2)                          # meadow, straw cereals, moorland, village
OTHER_SHARE = (0.55, 0.22, 0.15, 0.08)
S1_ORBITS = (("ASC", 30, 80.0, 39.0, (17, 18)), ("DES", 8, 280.0, 36.0, (5, 6)))  # UTC hour
S1_FOREST = {"vv": (-11.0, 4.5), "vh": (-18.0, 6.8)}   # dB: bare level, rise at saturation
S1_OTHER = {13: (-10.5, -17.0), 6: (-11.0, -17.5), 19: (-9.0, -15.0), 2: (-4.0, -11.0)}
ENL = 4.4


@dataclass
class ForestHeightScene:
    s2_folder: Path
    s1_folder: Path
    gedi_folder: Path
    land_cover: Path
    forest_mask: Path
    height_truth: Path
    agb_truth: Path
    truth_dir: Path
    dates: list
    grid: Grid          # 20 m
    grid10: Grid
    start: date
    end: date
    n_shots: int        # GEDI shots written over the scene
    dem: Path           # an input DEM as a user has one (30 m-like, 1 m noise), 10 m grid


def make_scene(out_dir, seed=0, size=240, year=2020, tile="31TCJ", revisit_days=5,
               n_granules=12):
    """Write the scene under `out_dir` and return a ForestHeightScene."""
    with rasterio.Env():        # one GDAL environment for the ~1500 files
        return _make_scene(Path(out_dir), seed, size, year, tile, revisit_days, n_granules)


def _make_scene(out, seed, size, year, tile, revisit_days, n_granules):
    rng = np.random.default_rng(seed)
    truth_dir = out / "truth"
    for d in ("s2", "s1", "gedi", "truth"):
        (out / d).mkdir(parents=True, exist_ok=True)
    grid = tile_grid(tile, size, ORIGINS.get(tile, ORIGINS["31TCJ"]))
    grid10 = grid.at_resolution(10)
    land = _landscape(rng, grid10.height)
    _write_truth(truth_dir, grid10, land)
    dem = _write_dem(rng, out / "dem", grid10, land["dem"])
    start, end = date(year, 1, 1), date(year, 12, 31)
    dates = _write_s2(rng, out / "s2", tile, grid, land, start, end, revisit_days)
    _write_s1(rng, out / "s1", tile, grid10, land, start, end)
    n_shots = _write_gedi(rng, out / "gedi", grid10, land, year, n_granules)
    (truth_dir / "README.txt").write_text(__doc__)
    return ForestHeightScene(out / "s2", out / "s1", out / "gedi",
                             truth_dir / "land_cover.tif", truth_dir / "forest_mask.tif",
                             truth_dir / "height_truth.tif", truth_dir / "agb_truth.tif",
                             truth_dir, dates, grid, grid10, start, end, n_shots, dem)


# --- landscape -----------------------------------------------------------------------------
def _fbm10(rng, shape, scales):
    """fbm on the 10 m grid with feature sizes in metres (fbm assumes 20 m pixels)."""
    return fbm(rng, shape, tuple(s / 2 for s in scales))


def _voronoi(rng, shape, n, wobble):
    """Irregular cells: nearest of n random seeds in coordinates displaced by
    smooth noise of `wobble` pixels."""
    h, w = shape
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float32)
    rows += wobble * _fbm10(rng, shape, (800, 400, 200))
    cols += wobble * _fbm10(rng, shape, (800, 400, 200))
    seeds = rng.uniform(0, [h, w], (n, 2))
    _, idx = cKDTree(seeds).query(np.column_stack([rows.ravel(), cols.ravel()]))
    return idx.reshape(shape)


def _terrain(rng, n):
    """DEM (m) at 10 m, slope (deg) and aspect (rad, clockwise from north)."""
    relief = rng.uniform(40, 85)
    dem = 350 + relief * _fbm10(rng, (n, n), (6400, 3200, 1600, 800, 400))
    dem += 0.3 * relief * _fbm10(rng, (n, n), (1600, 800))
    gy, gx = np.gradient(dem, 10.0)            # rows run south: gy = -dz/dnorth
    slope = np.degrees(np.arctan(np.hypot(gx, gy)))
    aspect = np.arctan2(-gx, gy) % (2 * np.pi)  # downslope direction
    return dem.astype(np.float32), slope.astype(np.float32), aspect.astype(np.float32)


def _landscape(rng, n):
    """Every static field of the scene at 10 m (n x n) as a dict."""
    shape = (n, n)
    dem, slope, aspect = _terrain(rng, n)
    # Forest keeps the steep and high ground, fields the valleys.
    lean = _fbm10(rng, shape, (3200, 1600, 800, 400))
    lean += 0.8 * (slope - slope.mean()) / slope.std() + 0.4 * (dem - dem.mean()) / dem.std()
    forest = lean > np.quantile(lean, 1 - rng.uniform(0.5, 0.65))
    forest = ndimage.binary_opening(ndimage.binary_closing(forest, iterations=2), iterations=2)
    n_stands = max(8, int(forest.sum() * 0.01 / rng.uniform(4, 7)))
    cells = _voronoi(rng, shape, int(n_stands / max(forest.mean(), 0.1)), 6.0)
    ids = np.unique(cells[forest])
    stands = _draw_stands(rng, ids, cells, forest, dem, slope)
    chm, agb, lc, extra = _forest_fields(rng, shape, cells, forest, stands)
    others = _voronoi(rng, shape, max(6, int(n * n * 0.01 / 4)), 4.0)
    other_class = rng.choice(OTHER, size=others.max() + 1, p=OTHER_SHARE)
    lc = np.where(forest, lc, other_class[others]).astype(np.uint8)
    low = {13: (0.3, 0.2), 6: (0.4, 0.3), 19: (2.0, 0.8), 2: (4.0, 3.0)}
    for code, (m, s) in low.items():
        k = ~forest & (lc == code)
        chm[k] = np.clip(m + s * rng.standard_normal(k.sum()), 0.05, None)
    # Hedgerows and lone trees in the fields: GEDI sees them, the map does not.
    hedge = ~forest & (np.abs(_fbm10(rng, shape, (400, 200))) < 0.03) & (lc != 2)
    chm[hedge] = rng.uniform(6, 18, hedge.sum())
    return dict(dem=dem, slope=slope, aspect=aspect, forest=forest, cells=cells,
                stands=stands, chm=chm.astype(np.float32), agb=agb.astype(np.float32),
                lc=lc, **extra)


def _draw_stands(rng, ids, cells, forest, dem, slope):
    """One record per forest stand: species, age, site, heights (2020 and pre-cut)."""
    names = list(SPECIES)
    # Conifers in clusters (plantation blocks): species odds follow a smooth field.
    mean_row = ndimage.mean(np.arange(cells.size).reshape(cells.shape) // cells.shape[1],
                            cells, ids)
    conifer_lean = np.sin(mean_row / cells.shape[0] * np.pi * rng.uniform(1, 3)
                          + rng.uniform(0, 6))
    stands = {}
    mean_slope = ndimage.mean(slope, cells, ids)
    mean_dem = ndimage.mean(dem, cells, ids)
    for j, i in enumerate(ids):
        p_con = 0.45 + 0.3 * conifer_lean[j]
        group = 17 if rng.random() < p_con else 16
        pool = [s for s in names if SPECIES[s][0] == group]
        sp = pool[rng.integers(len(pool))]
        code, hmax, k, p, ages, *_ = SPECIES[sp]
        site = 1 - 0.012 * max(mean_slope[j] - 8, 0) - 0.0004 * (mean_dem[j] - dem.mean())
        site = float(np.clip(site * rng.normal(1, 0.07), 0.6, 1.15))
        h_max = rng.uniform(*hmax) * site
        regrowth = rng.random() < 0.10
        age = rng.uniform(1, 7) if regrowth else rng.uniform(*ages)
        height = h_max * (1 - np.exp(-k * age)) ** p
        growth = h_max * p * k * np.exp(-k * age) * (1 - np.exp(-k * age)) ** (p - 1)
        if regrowth:      # a fast start for planted or coppice regrowth
            height, growth = rng.uniform(0.5, 1.0) * age, rng.uniform(0.5, 1.0)
        precut = rng.uniform(18, 32) if regrowth else None
        stands[int(i)] = dict(id=int(i), species=sp, group=code, oso=code, age=age,
                              site=site, height=min(height, 42.0), growth=growth,
                              cut_year=2020.5 - age if regrowth else None, precut=precut,
                              stocking=float(np.exp(rng.normal(0, 0.2))),
                              cab=rng.uniform(*SPECIES[sp][8]),
                              lai=SPECIES[sp][5] * rng.uniform(0.8, 1.15),
                              understory=rng.uniform(0.2, 1.0),
                              leaf_out=110 + 0.03 * (mean_dem[j] - 350) + rng.normal(0, 3),
                              s1_offset=rng.normal(0, 0.6))
        if rng.random() < 0.08:          # OSO confuses broadleaf and conifer stands
            stands[int(i)]["oso"] = 33 - code
    return stands


def _forest_fields(rng, shape, cells, forest, stands):
    """Canopy height (m), AGB (t/ha), OSO class and per-pixel stand parameters."""
    lut = np.zeros(cells.max() + 1, np.float32)
    table = {key: lut.copy() for key in ("height", "group", "oso", "stocking", "mature")}
    for i, s in stands.items():
        table["height"][i], table["group"][i], table["oso"][i] = s["height"], s["group"], s["oso"]
        table["stocking"][i], table["mature"][i] = s["stocking"], s["precut"] is None
    h = table["height"][cells] * (1 + 0.08 * _fbm10(rng, shape, (200, 80, 40)))
    # Crowns overlap across stand borders: a short blur of the stand heights.
    h = np.where(forest, ndimage.gaussian_filter(np.where(forest, h, 0), 0.7)
                 / np.maximum(ndimage.gaussian_filter(forest.astype(np.float32), 0.7), 1e-3), 0)
    # Canopy gaps with regeneration in mature stands (windthrow, thinning).
    gaps = np.zeros(shape, bool)
    rows, cols = np.ogrid[0:shape[0], 0:shape[1]]
    for _ in range(int(forest.sum() * 0.04 / 6)):
        r, c, rad = rng.integers(shape[0]), rng.integers(shape[1]), rng.uniform(0.8, 2.0)
        r0, r1, c0, c1 = max(r - 3, 0), r + 4, max(c - 3, 0), c + 4
        gaps[r0:r1, c0:c1] |= ((rows[r0:r1] - r) ** 2 + (cols[:, c0:c1] - c) ** 2) <= rad ** 2
    gaps &= forest & (table["mature"][cells] > 0) & (h > 10)
    h[gaps] = rng.uniform(0.5, 4.0, gaps.sum())
    # Edge trees along fields are lower and sparser.
    edge = forest & ~ndimage.binary_erosion(forest)
    h[edge] *= rng.uniform(0.75, 0.95, edge.sum())
    h = np.where(forest, np.clip(h, 0.3, 45.0), 0.0)
    group = table["group"][cells]
    a = np.where(group == 16, ALLOMETRY[16][0], ALLOMETRY[17][0])
    b = np.where(group == 16, ALLOMETRY[16][1], ALLOMETRY[17][1])
    agb = a * h ** b * table["stocking"][cells] * np.exp(0.1 * rng.standard_normal(shape))
    agb = np.where(forest, agb, 0.0)
    lc = np.where(forest, table["oso"][cells], 0).astype(np.uint8)
    return h, agb, lc, dict(group=np.where(forest, group, 0).astype(np.uint8))


def _write_dem(rng, folder, grid10, dem):
    """The DEM a user would give (Copernicus GLO-30-like: smoother than the
    truth, 1 m noise), resampled on the 10 m grid."""
    folder.mkdir(exist_ok=True)
    smooth = ndimage.gaussian_filter(dem, 1.5) + rng.normal(0, 1.0, dem.shape)
    return write_raster(folder / "dem.tif", smooth.astype(np.float32), grid10, None, "float32")


def _write_truth(truth_dir, grid10, land):
    f = land["forest"]
    write_raster(truth_dir / "height_truth.tif", np.where(f, land["chm"], NODATA), grid10,
                 NODATA, "float32")
    write_raster(truth_dir / "agb_truth.tif", np.where(f, land["agb"], NODATA), grid10,
                 NODATA, "float32")
    write_raster(truth_dir / "land_cover.tif", land["lc"], grid10, 0, "uint8")
    write_raster(truth_dir / "forest_mask.tif", f.astype(np.uint8), grid10, None, "uint8")
    write_raster(truth_dir / "dem.tif", land["dem"], grid10, None, "float32")
    write_raster(truth_dir / "slope.tif", land["slope"], grid10, None, "float32")
    write_raster(truth_dir / "stand_ids.tif", np.where(f, land["cells"], -1), grid10, -1,
                 "int32")
    keys = ("id", "species", "group", "oso", "age", "site", "height", "growth", "cut_year",
            "precut", "stocking")
    with open(truth_dir / "stands.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(keys)
        for s in land["stands"].values():
            w.writerow([_fmt(s[k]) for k in keys])


def _fmt(v):
    return f"{v:.3f}" if isinstance(v, float) else "" if v is None else v


# --- Sentinel-2 ------------------------------------------------------------------------------
def _stand_param(land, key, default):
    lut = np.full(land["cells"].max() + 1, default, np.float32)
    for i, s in land["stands"].items():
        lut[i] = s[key]
    return np.where(land["forest"], lut[land["cells"]], default)


def _s2_statics(rng, land):
    """Parameters of the reflectance model that do not change with the date:
    per stand (indexed by the cell id) and per pixel (cover, texture)."""
    n = land["cells"].max() + 1

    def lut(key, default):
        out = np.full(n, default, np.float32)
        for i, s in land["stands"].items():
            out[i] = s[key]
        return out
    group = lut("group", 0)
    cover = 1 - np.exp(-land["chm"] / 3.5)
    return dict(group=group, x=np.where(group == 17, 1.0, 1.7).astype(np.float32),
                clump=np.where(group == 17, 0.6, 0.87).astype(np.float32),
                cab=lut("cab", 40.0), lai=lut("lai", 0.0), under=lut("understory", 0.5),
                leaf_out=lut("leaf_out", 110.0),
                cover=np.where(land["forest"], cover, 0).astype(np.float32)[..., None],
                texture=(1 + 0.03 * _fbm10(rng, land["chm"].shape, (400, 100, 40)))[..., None])


def _broadleaf_leaf_state(doy, leaf_out):
    """Green share of the summer leaf area and brown share, deciduous canopy."""
    rise = 1 / (1 + np.exp(-(doy - leaf_out) / 6))
    fall = 1 / (1 + np.exp((doy - 300) / 8))
    green = rise * fall
    brown = np.clip(rise * (1 - fall) * np.exp(-np.maximum(doy - 300, 0) / 25), 0, 1)
    return green, brown


def _other_gai(code, doy):
    """Green area of the non-forest covers on a day of the year."""
    if code == 13:      # meadow, cut late May and mid-July
        g = 1.0 + 2.5 * np.exp(-((doy - 130) / 45) ** 2)
        return 0.8 if 145 < doy < 175 else 1.4 if doy > 200 else g
    if code == 6:       # winter cereal: peak in April, harvest early July
        return 0.3 + 4.0 * np.exp(-((doy - 120) / 35) ** 2) if doy < 185 else 0.05
    return 1.6 if code == 19 else 0.3


def _reflectance10(land, st, when, sun):
    """Clear-sky FRE reflectance (h, w, band) at 10 m on one date. The leaf
    canopy is computed per stand, then shadows, cover and slopes per pixel."""
    doy = when.timetuple().tm_yday
    sz, saz = sun
    f, cells, chm = land["forest"], land["cells"], land["chm"]
    green, brown = _broadleaf_leaf_state(doy, st["leaf_out"])
    decid = st["group"] == 16
    gai = np.where(decid, st["lai"] * green,
                   st["lai"] * (0.85 + 0.15 * np.cos(2 * np.pi * (doy - 200) / 365)))
    bai = np.where(decid, st["lai"] * 0.6 * brown + 0.4, 0.3)
    wet = 0.3
    litter = canopy.soil_reflectance(0.8, wet)
    under_gai = st["under"] * (1.5 if 120 < doy < 290 else 0.6)
    floor_s = canopy.canopy_reflectance(under_gai, 0.5, 1.0, 35.0, 0.012, litter, sz)
    crown_s = canopy.canopy_reflectance(gai, bai, st["x"], st["cab"], 0.013, floor_s, sz,
                                        clumping=st["clump"])
    # Crown shadows: more with taller, rougher canopies and a lower sun (saturating).
    tan_sz = np.tan(np.radians(min(sz, 75)))
    shadow = (np.where(land["group"] == 17, 0.45, 0.3) * (1 - np.exp(-chm / 12.0))
              * np.clip(0.45 + 0.55 * tan_sz, 0, 1.6))
    shadow = np.clip(shadow, 0, 0.7)[..., None]
    crown = crown_s[cells] * (1 - 0.8 * shadow)
    cover = st["cover"]
    forest_refl = cover * crown + (1 - cover) * floor_s[cells]
    # Non-forest covers.
    lc = land["lc"]
    other = np.zeros_like(forest_refl)
    soil = canopy.soil_reflectance(1.0, wet)
    for code in OTHER:
        k = ~f & (lc == code)
        if not k.any():
            continue
        g = _other_gai(code, doy)
        if code == 2:
            other[k] = np.array([0.09, 0.1, 0.11, 0.13, 0.15, 0.16, 0.17, 0.18, 0.22, 0.2])
        else:
            other[k] = canopy.canopy_reflectance(g, 0.3, 1.2, 40.0, 0.012, soil, sz)
    hedge = ~f & (chm > 5)
    other[hedge] = 0.5 * other[hedge] + 0.5 * crown_s.mean(axis=0)
    refl = np.where(f[..., None], forest_refl, other) * st["texture"]
    # Residual of MAJA's Lambertian slope correction on Minnaert-like canopies.
    cos_i = (np.cos(np.radians(sz)) * np.cos(np.radians(land["slope"]))
             + np.sin(np.radians(sz)) * np.sin(np.radians(land["slope"]))
             * np.cos(np.radians(saz) - land["aspect"]))
    ratio = np.clip(np.maximum(cos_i, 0.05) / np.cos(np.radians(sz)), 0.1, 3.0)
    k_minnaert = np.where(np.arange(len(BANDS)) >= 3, 0.85, 0.7).astype(np.float32)
    residual = np.clip(ratio[..., None] ** (k_minnaert - 1), 0.6, 1.7)
    return (refl * residual).astype(np.float32)


def _down2(a):
    h, w = a.shape[:2]
    return a.reshape(h // 2, 2, w // 2, 2, *a.shape[2:]).mean(axis=(1, 3))


def _encode(refl):
    scaled = np.clip(np.round(refl * 10000), -9999, 32767)
    return np.where(np.isnan(refl), -10000, scaled).astype(np.int16)


def _write_s2(rng, folder, tile, grid, land, start, end, revisit_days):
    """One THEIA product per acquisition; returns the acquisition times."""
    st = _s2_statics(rng, land)
    times = acquisition_times(rng, start, end, revisit_days)
    fractions = canopy.cloudy_date_fractions(rng, times, share=0.4)
    grid10 = grid.at_resolution(10)
    for k, (when, frac) in enumerate(zip(times, fractions)):
        sun = canopy.sun_angles(when)
        clean10 = _reflectance10(land, st, when, sun)
        clean20 = _down2(clean10)
        sky20, clm, _ = canopy.apply_sky(rng, clean20.copy(), frac)
        refl = {b: sky20[..., i] for i, b in enumerate(BANDS) if b not in R1_BANDS}
        platform = "SENTINEL2A" if k % 2 == 0 else "SENTINEL2B"
        path = write_theia_product(folder, platform, when, tile, grid, refl, clm,
                                   edg20=np.zeros(clm.shape, bool), sun_angles=sun)
        # R1 bands at true 10 m: the 10 m detail modulated by the sky of the 20 m pixel.
        gain = np.repeat(np.repeat(sky20 / np.maximum(clean20, 1e-3), 2, 0), 2, 1)
        base = np.repeat(np.repeat(sky20, 2, 0), 2, 1)
        up_clean = np.repeat(np.repeat(clean20, 2, 0), 2, 1)
        r1 = base + np.clip(gain, 0, 3) * (clean10 - up_clean)
        for i in R1_INDEX:
            arr = r1[..., i] + rng.normal(0, 0.002, r1.shape[:2]).astype(np.float32)
            write_raster(path / f"{path.name}_FRE_{BANDS[i]}.tif", _encode(arr), grid10,
                         -10000)
    return times


# --- Sentinel-1 ------------------------------------------------------------------------------
def _write_s1(rng, folder, tile, grid10, land, start, end):
    """Two orbits every 12 days, VV and VH, linear sigma0 float32 (nodata 0)."""
    f, chm = land["forest"], land["chm"]
    v = 1 - np.exp(-land["agb"] / 70.0)
    offset = _stand_param(land, "s1_offset", 0.0)
    slope, aspect = np.radians(land["slope"]), land["aspect"]
    decid = f & (land["group"] == 16)
    for direction, orbit, look_az, theta, hours in S1_ORBITS:
        # Local incidence: the terrain tilts towards or away from the sensor.
        facing = np.cos(aspect - np.radians(look_az + 180))
        th = np.radians(theta)
        cos_loc = np.cos(th) * np.cos(slope) + np.sin(th) * np.sin(slope) * facing
        loc = np.arccos(np.clip(cos_loc, np.cos(np.radians(85)), 1))
        terrain = np.cos(loc) * np.sin(th) / np.maximum(np.sin(loc), 0.1) / np.cos(th)
        day = start + timedelta(int(rng.integers(12)))
        while day <= end:
            doy = day.timetuple().tm_yday
            weather = rng.choice([0.0, 0.5, -1.5], p=[0.8, 0.15, 0.05] if doy < 60 or doy > 330
                                 else [0.82, 0.18, 0.0])
            when = datetime(day.year, day.month, day.day, int(rng.integers(*hours)),
                            int(rng.integers(60)), int(rng.integers(60)))
            leaf_off = not (120 < doy < 300)
            for pol in ("vv", "vh"):
                bare, rise = S1_FOREST[pol]
                db = bare + rise * v + np.where(land["group"] == 17, 0.5 if pol == "vh" else 0, 0)
                db = db + offset + np.where(decid & leaf_off, -0.8 if pol == "vh" else -0.3, 0)
                lc_db = np.zeros_like(db)
                for code, levels in S1_OTHER.items():
                    lc_db[land["lc"] == code] = levels[0 if pol == "vv" else 1]
                db = np.where(f, db, lc_db + np.where(chm > 5, 3.0, 0)) + weather
                sigma = 10 ** (db / 10) * np.cos(th) * terrain
                sigma *= rng.gamma(ENL, 1 / ENL, sigma.shape)
                name = f"s1a_{tile}_{pol}_{direction}_{orbit:03d}_{when:%Y%m%dt%H%M%S}.tif"
                write_raster(folder / name, sigma.astype(np.float32), grid10, 0, "float32")
            day += timedelta(12)
