"""Snow scenario: a mountain area seen by Sentinel-2 through a hydrological
year, written as THEIA L2A products, with the snow cover known every day.

Truth model: a pixel is snow-covered on day d when its effective elevation
(DEM + a north-face bonus + a static drift term) is above the day's snowline.
The snowline follows the seasons plus weather (a smooth wiggle and a few
snowfalls that melt back), so some mid-slope pixels get several snow periods.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from scipy import ndimage
from scipy.special import expit

from ..grid import Grid
from ..simulate import write_raster, write_theia_product
from .common import (BANDS, PLATFORMS, RES, acquisition_times, draw_cloud_fraction, draw_clouds,
                    fbm, swath_coverage, swath_mask, tile_grid)

# Spectra in BANDS order: B2 B3 B4 B8 B5 B6 B7 B8A B11 B12.
FOREST = (0.025, 0.05, 0.035, 0.28, 0.07, 0.20, 0.25, 0.30, 0.14, 0.07)
GRASS = (0.04, 0.08, 0.06, 0.32, 0.11, 0.24, 0.30, 0.34, 0.23, 0.12)
ROCK = (0.08, 0.10, 0.13, 0.20, 0.16, 0.18, 0.19, 0.21, 0.27, 0.23)
SNOW_VNIR = (0.88, 0.85, 0.82, 0.72, 0.80, 0.77, 0.75, 0.70)  # fresh snow, B2..B8A
# Snowline (m) by day of the hydrological year (0 = 1 September).
SNOWLINE_KNOTS = ((0, 3000), (30, 2800), (61, 2000), (91, 1300), (122, 850), (153, 750),
                  (181, 900), (212, 1300), (242, 1800), (273, 2300), (303, 2700),
                  (334, 2950), (365, 3000))
MASSIF_SCALES = (24000, 12000, 6000)               # m, smooth relief
RIDGE_SCALES = (3000, 1500, 750, 375, 190, 95)     # m, crests and valleys
NORTH_BONUS = 300.0      # m: snow reaches this much lower on a vertical north face
SNOW_RAMP = 200.0        # m above the snowline over which the cover goes patchy -> full
SNOW, NO_SNOW, CLOUD, NODATA = 100, 0, 205, 255


@dataclass
class SnowScene:
    s2_folder: Path
    dem_path: Path
    truth_dir: Path
    dates: list
    grid: Grid
    start: date
    end: date
    snowline: np.ndarray  # daily snowline (m) over [start, end]


@dataclass
class _Terrain:
    dem: np.ndarray
    z_eff: np.ndarray    # truth: snow when z_eff > snowline
    slope: np.ndarray    # radians
    aspect: np.ndarray   # radians clockwise from north, direction the slope faces
    cover: tuple         # forest, grass, rock fractions
    texture: np.ndarray  # static brightness variation of the ground


def make_snow_scene(out_dir: Path, seed=0, size=240, start=date(2017, 9, 1),
                    end=date(2018, 8, 31), tile="31TGL", revisit_days=5,
                    zipped_every=0, origin=None, progress=None) -> SnowScene:
    """Write the DEM, the L2A products and the truth under `out_dir`.
    `origin`: the tile's upper-left UTM corner (x, y) when the tile's real
    position matters (a data lake of several tiles); 31TGL's by default."""
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    s2_folder, truth_dir = out_dir / "S2", out_dir / "truth"
    s2_folder.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    grid = tile_grid(tile, size, origin or (699960.0, 5100000.0))
    terrain = _terrain(rng, (size, size))
    dem_path = write_raster(out_dir / "dem_20m.tif", terrain.dem, grid)
    snowline = _snowline(rng, start, end)
    dates = acquisition_times(rng, start, end, revisit_days)
    coverage = swath_coverage(rng, len(dates))
    lat, lon = _lat_lon(grid, tile)
    for i, when in enumerate(dates):
        if progress:
            progress.check()
            progress.percent(100.0 * i / len(dates))
        sun = _sun_angles(when, lat, lon)
        line = snowline[(when.date() - start).days]
        refl, clm, mg2, truth = _acquisition(rng, terrain, line, sun, coverage[i])
        write_theia_product(s2_folder, PLATFORMS[i % 2], when, tile, grid, refl, clm,
                            mg2_20=mg2, sun_angles=sun,
                            zipped=zipped_every > 0 and (i + 1) % zipped_every == 0)
        write_raster(truth_dir / f"SNOW_TRUTH_{when:%Y%m%d}.tif", truth, grid, NODATA)
    for name, arr in zip(("SCD", "SOD", "SMOD"), _duration_maps(terrain.z_eff, snowline)):
        write_raster(truth_dir / f"{name}_TRUTH.tif", arr, grid)
    _write_readme(truth_dir, seed, size, tile, start, end, revisit_days, dates, coverage)
    return SnowScene(s2_folder, dem_path, truth_dir, dates, grid, start, end, snowline)


def _lat_lon(grid, tile):
    """Rough centre latitude/longitude, good enough for sun angles."""
    xmin, ymin, xmax, ymax = grid.bounds
    lat = (ymin + ymax) / 2 / 110950
    lon = 6 * int(tile[:2]) - 183 + ((xmin + xmax) / 2 - 500000) / (
        111320 * np.cos(np.radians(lat)))
    return lat, lon


def _sun_angles(when, lat, lon):
    """Mean sun (zenith, azimuth) in degrees, textbook approximation."""
    decl = np.radians(23.44) * np.sin(2 * np.pi * (284 + when.timetuple().tm_yday) / 365)
    hour = np.radians(15 * (when.hour + when.minute / 60 + lon / 15 - 12))
    phi = np.radians(lat)
    cos_z = np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(hour)
    azimuth = np.arctan2(np.sin(hour), np.cos(hour) * np.sin(phi) - np.tan(decl) * np.cos(phi))
    return float(np.degrees(np.arccos(cos_z))), float(np.degrees(azimuth) + 180) % 360


def _terrain(rng, shape):
    """Massif-scale relief + ridged noise + a main ridge, scaled to 600-3000 m."""
    h, w = shape
    # Ridged octaves need >= 3 features across, or their crease is a straight line.
    ridge_scales = [s for s in RIDGE_SCALES if s <= max(shape) * RES / 3]
    z = (fbm(rng, shape, MASSIF_SCALES)
         + 0.6 * fbm(rng, shape, ridge_scales, ridged=True, power=1.0))
    angle = rng.uniform(0, np.pi)
    dist = ((np.arange(w)[None, :] / w - 0.5) * np.sin(angle)
            - (np.arange(h)[:, None] / h - 0.5) * np.cos(angle))
    z += 1.5 * np.exp(-(dist / 0.25) ** 2)
    z = (z - z.min()) / (z.max() - z.min())
    dem = (600 + 2400 * z ** 1.3).astype(np.float32)
    d_row, d_col = np.gradient(dem, RES)
    slope = np.arctan(np.hypot(d_row, d_col))
    aspect = np.arctan2(-d_col, d_row)  # downslope (east, north); rows run south
    northness = np.cos(aspect) * np.sin(slope)
    z_eff = dem + NORTH_BONUS * northness + 80 * fbm(rng, shape, (600, 150))
    treeline = 1700 + 150 * fbm(rng, shape, (2000, 500, 150))
    steep = expit((np.degrees(slope) - 38) / 4)
    weights = (expit((treeline - dem) / 80) * (1 - steep), np.full(shape, 0.3),
               np.maximum(expit((dem - treeline - 750) / 80), steep))
    total = sum(weights)
    texture = 1 + 0.08 * fbm(rng, shape, (150, 40))
    return _Terrain(dem, z_eff.astype(np.float32), slope.astype(np.float32),
                    aspect.astype(np.float32),
                    tuple((wt / total).astype(np.float32) for wt in weights), texture)


def _snowline(rng, start, end):
    """Daily snowline (m): seasonal cycle + weather wiggle + snowfall events."""
    days = [start + timedelta(i) for i in range((end - start).days + 1)]
    t = np.array([(d - date(d.year - (d.month < 9), 9, 1)).days for d in days])
    line = np.interp(t, *zip(*SNOWLINE_KNOTS))
    wiggle = ndimage.gaussian_filter1d(rng.standard_normal(len(days)), 5)
    line += 120 * wiggle / max(wiggle.std(), 1e-9)
    for _ in range(3):  # snowfalls between mid-October and April, melting back
        since = (t - rng.uniform(45, 230)) % 365
        line -= np.where(since < 60, rng.uniform(300, 700) * np.exp(-since / rng.uniform(4, 12)), 0)
    return np.clip(line, 700, 3100).astype(np.float32)


def _acquisition(rng, terrain, snowline, sun, coverage):
    """Reflectances (band -> float, NaN = nodata), CLM, MG2 and truth of one date."""
    shape = terrain.dem.shape
    valid = swath_mask(rng, shape, coverage)
    clm, thick, darkening, high = draw_clouds(rng, shape, draw_cloud_fraction(rng))
    excess = terrain.z_eff - snowline
    snow = excess > 0
    forest, grass, rock = terrain.cover
    # Patchy cover just above the snowline (pass-2 snow), canopy hides some.
    visible = np.where(snow, 0.3 + 0.7 * np.clip(excess / SNOW_RAMP, 0, 1), 0) * (1 - 0.4 * forest)
    zen, azi = np.radians(sun)
    cos_i = (np.cos(zen) * np.cos(terrain.slope)
             + np.sin(zen) * np.sin(terrain.slope) * np.cos(azi - terrain.aspect))
    # FRE corrects lit slopes but not self-shadowed ones: those stay dark.
    shade = 0.3 + 0.7 * np.clip(cos_i / 0.15, 0, 1)
    alpha = np.where(high, np.minimum(0.1 + 1.8 * thick, 0.6), np.clip(0.1 + 1.8 * thick, 0, 1))
    alpha[clm & (2 | 16) == 0] = 0
    snow_bright, snow_swir = rng.uniform(0.75, 1.0), rng.uniform(0.04, 0.12)
    refl = {}
    for i, band in enumerate(BANDS):
        ground = (forest * FOREST[i] + grass * GRASS[i] + rock * ROCK[i]) * terrain.texture
        if band in ("B11", "B12"):
            snow_b, cloud_b = snow_swir, 0.22 + 0.28 * thick
            if band == "B12":
                snow_b, cloud_b = 0.6 * snow_b, 0.8 * cloud_b
        else:
            snow_b = snow_bright * SNOW_VNIR[i]
            cloud_b = (0.3 + 0.5 * thick) * (1.05 if band == "B2" else 1)
        x = (ground * (1 - visible) + snow_b * visible) * shade
        x = (x * (1 - alpha) + cloud_b * alpha) * darkening
        x += rng.standard_normal(shape, dtype=np.float32) * (0.003 + 0.01 * x)
        refl[band] = np.where(valid, np.maximum(x, 0), np.nan).astype(np.float32)
    clm[~valid] = 0
    mg2 = _mg2(refl, clm, cos_i, valid)
    truth = np.where(snow, SNOW, NO_SNOW).astype(np.uint8)
    truth[clm != 0] = CLOUD
    truth[~valid] = NODATA
    return refl, clm, mg2, truth


def _mg2(refl, clm, cos_i, valid):
    """MAJA-like MG2: cloud 2, snow 4 (mono-date test, not the truth), shadow 8,
    topographic shadow 16."""
    green, red, swir = refl["B3"], refl["B4"], refl["B11"]
    with np.errstate(invalid="ignore", divide="ignore"):
        maja_snow = (clm == 0) & ((green - swir) / (green + swir) > 0.4) & (red > 0.2)
    mg2 = (2 * (clm & (2 | 16) > 0) | 4 * maja_snow | 8 * (clm & (32 | 64) > 0)
           | 16 * (cos_i <= 0)).astype(np.uint8)
    mg2[~valid] = 0
    return mg2


def _run_summary(snowy):
    """(days, first day, last day) of the longest snow run, 1-based; 0s if none.
    Equal runs: the first one wins."""
    edges = np.diff(np.concatenate(([0], snowy.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if starts.size == 0:
        return 0, 0, 0
    longest = np.argmax(ends - starts)
    return snowy.sum(), starts[longest] + 1, ends[longest]


def _duration_maps(z_eff, snowline):
    """SCD, SOD and SMOD from the daily truth (snow when z_eff > snowline).

    A pixel's daily series depends only on how many daily snowlines lie below
    its z_eff, so the series are summarised once per count (n_days + 1 cases)
    and looked up, which is exact and cheap even for full tiles."""
    levels = np.sort(snowline)
    count = np.searchsorted(levels, z_eff)  # days whose snowline is below z_eff
    lut = np.array([_run_summary(snowline < z) for z in np.append(levels, np.inf)],
                   dtype=np.uint16)
    return tuple(lut[count, k] for k in range(3))


def _write_readme(truth_dir, seed, size, tile, start, end, revisit_days, dates, coverage):
    kinds = {k: [f"{d:%Y-%m-%d}" for d, c in zip(dates, coverage) if c == k]
             for k in ("out", "partial")}
    (truth_dir / "README.txt").write_text(f"""\
SYNTHETIC DATA - generated by the Chaînon scene simulator (core/scenes/snow.py).
Not real Sentinel-2 observations.

Parameters: seed={seed}, size={size} px at {RES:g} m, tile T{tile}, period {start} to {end},
revisit {revisit_days} days, {len(dates)} acquisitions.
Out of swath (all nodata): {', '.join(kinds['out']) or 'none'}
Partly out of swath: {', '.join(kinds['partial']) or 'none'}

Truth: snow on day d where DEM + {NORTH_BONUS:g} m x northness + drift noise > snowline(d);
the snowline follows a seasonal cycle (~750 m in Jan-Feb, ~3000 m in late summer)
plus weather and snowfall events.
SNOW_TRUTH_<YYYYMMDD>.tif: 100 snow, 0 no snow, 205 cloud or cloud shadow (CLM != 0),
255 nodata (out of swath).
SCD_TRUTH.tif: number of snow days in [start, end] from the daily truth.
SOD_TRUTH.tif / SMOD_TRUTH.tif: 1-based day index (from {start}) of the first / last
day of the longest continuous snow period, 0 if none.
""", encoding="utf-8")
