"""What every simulated Sentinel-2 scene shares: the tile grid, smooth
noise, acquisition times, swath coverage and clouds with their shadows and
CLM bits."""
from datetime import datetime, timedelta

import numpy as np
from scipy import ndimage

from ..grid import Grid
from ..simulate import R1_BANDS, R2_BANDS

RES = 20.0
TILE_METRES = 109800.0
PLATFORMS = ("SENTINEL2A", "SENTINEL2B")
BANDS = R1_BANDS + R2_BANDS
CLOUD_SIZES = (25600, 12800, 6400, 3200, 1600, 800)  # m; those wider than the scene are dropped
THIN_CLOUD = 0.06        # cloud thickness (0-1) below which only CLM bit 16 is set
SHADOW_SHIFT = (45, 20)  # px: shadows fall 900 m north and 400 m west of their cloud
OUT_OF_SWATH = 0.15      # share of dates entirely out of swath, and of partial ones


def tile_grid(tile, size, origin, res=RES):
    """The scene centred in the tile whose upper-left corner is `origin`, in
    the UTM zone of the tile."""
    margin = max(0.0, (TILE_METRES - size * res) / 2)
    return Grid(f"EPSG:326{int(tile[:2]):02d}", origin[0] + margin, origin[1] - margin,
                res, size, size)


def resize(a, shape):
    return ndimage.zoom(a, (shape[0] / a.shape[0], shape[1] / a.shape[1]), order=3,
                        mode="reflect", grid_mode=True)


def fbm(rng, shape, scales, ridged=False, power=0.8):
    """Smooth zero-mean unit-variance noise: octaves of features of the given
    sizes (m), amplitude ~ size^power. Octaves are summed on a grid of at most
    4 px per finest feature and resampled once, so full tiles stay cheap."""
    extent = max(shape) * RES
    zoom = min(1.0, 4 * extent / min(scales) / max(shape))
    work = tuple(max(2, round(n * zoom)) for n in shape)
    total = np.zeros(work, np.float32)
    for scale in scales:
        coarse = tuple(max(2, round(n * RES / scale)) for n in shape)
        layer = resize(ndimage.gaussian_filter(rng.standard_normal(coarse), 0.7), work)
        layer = (layer - layer.mean()) / layer.std()
        total += (scale / extent) ** power * (1 - np.abs(layer) if ridged else layer)
    out = total if work == tuple(shape) else resize(total, shape)
    return ((out - out.mean()) / out.std()).astype(np.float32)


def acquisition_times(rng, start, end, revisit_days):
    """One acquisition every `revisit_days`, 10:40-10:49 UTC, random milliseconds."""
    times = []
    for i in range(0, (end - start).days + 1, revisit_days):
        d = start + timedelta(i)
        times.append(datetime(d.year, d.month, d.day, 10, 40 + int(rng.integers(10)),
                              int(rng.integers(60)), 1000 * int(rng.integers(1000))))
    return times


def swath_coverage(rng, n):
    """Per date: 'full', 'out' (entirely out of swath) or 'partial'."""
    kinds = np.full(n, "full", dtype=object)
    order, m = rng.permutation(n), round(OUT_OF_SWATH * n)
    kinds[order[:m]], kinds[order[m:2 * m]] = "out", "partial"
    return list(kinds)


def swath_mask(rng, shape, kind):
    """Valid-data mask: all, nothing, or one side of a slanted swath edge."""
    if kind != "partial":
        return np.full(shape, kind == "full")
    phi = rng.uniform(-0.8, 0.8) + np.pi * rng.integers(2)
    proj = (np.cos(phi) * np.arange(shape[1])[None, :]
            + np.sin(phi) * np.arange(shape[0])[:, None])
    step = max(1, shape[0] // 500)
    return proj < np.quantile(proj[::step, ::step], rng.uniform(0.3, 0.8))


def draw_cloud_fraction(rng):
    """A quarter of the dates clear, a fifth nearly overcast, the rest partly cloudy."""
    u = rng.random()
    return 0.0 if u < 0.25 else rng.uniform(0.55, 0.7) if u < 0.45 else rng.uniform(0.03, 0.55)


def draw_clouds(rng, shape, fraction):
    """CLM_R2 bits, cloud thickness (0-1) and shadow darkening factor (1 = none).

    The cloud field extends past the south-east edges so that shadows near the
    north-west edges can come from clouds outside the image (CLM bit 64)."""
    h, w = shape
    dy, dx = SHADOW_SHIFT
    sizes = [s for s in CLOUD_SIZES if s <= max(h, w) * RES] or CLOUD_SIZES[-1:]
    field = fbm(rng, (h + dy, w + dx), sizes)
    detect = fbm(rng, shape, (1600, 400))  # splits mono-/multi-temporal and high clouds
    step = max(1, h // 500)
    thr = np.quantile(field[:h:step, :w:step], 1 - fraction) if fraction > 0 else np.inf
    thick_pad = np.clip((field - thr) / 0.8, 0, 1)
    opaque_pad = thick_pad >= THIN_CLOUD
    cloud, thick, opaque = field[:h, :w] > thr, thick_pad[:h, :w], opaque_pad[:h, :w]
    high = opaque & (detect > 0.8) & (rng.random() < 0.3)
    clm = np.where(cloud, 16, 0).astype(np.uint8)
    clm[opaque] = 1 | 2
    clm[opaque] |= np.where(high, 128, np.where(detect > 0, 4, 8))[opaque].astype(np.uint8)
    shadow = opaque_pad[dy:, dx:] & ~cloud
    inside = np.zeros(shape, bool)
    inside[:h - dy, :w - dx] = True
    clm[shadow] = np.where(inside, 1 | 32, 1 | 64)[shadow]
    darkening = np.where(shadow, 0.5 - 0.2 * thick_pad[dy:, dx:], 1).astype(np.float32)
    return clm, thick.astype(np.float32), darkening, high
