"""Land cover scenario: a farmed landscape of parcels seen by Sentinel-2
through a calendar year, written as THEIA L2A products, with the class of
every pixel known and reference polygons to train on.

Twelve OSO classes with distinct phenologies: winter crops (rapeseed with its
yellow flowering, straw cereals), summer crops (sunflower, maize), mown
grassland (three cuts), orchards and vineyards (trees or vines over grass or
soil), broad-leaved forest (leaf-off in winter), conifers, dense and sparse
built-up, water. Each parcel's reflectance is a mixture of endmember spectra
whose fractions follow its class calendar, shifted per parcel (sowing dates,
vigour, soil brightness) and per eco-climatic region (the eastern "hills"
region is 18 days late). The sensor blurs parcel edges slightly; clouds,
shadows and out-of-swath dates are drawn as in the snow scenario.
"""
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from scipy import ndimage

from ..simulate import write_raster, write_theia_product
from ..training import write_geojson
from .common import (BANDS, PLATFORMS, RES, acquisition_times, draw_cloud_fraction, draw_clouds,
                    fbm, swath_coverage, swath_mask, tile_grid)

# Endmember spectra in BANDS order: B2 B3 B4 B8 B5 B6 B7 B8A B11 B12.
SPECTRA = {
    "crop": (0.030, 0.070, 0.035, 0.420, 0.090, 0.270, 0.350, 0.440, 0.200, 0.090),
    "grass": (0.035, 0.075, 0.045, 0.360, 0.100, 0.240, 0.310, 0.380, 0.230, 0.110),
    "leaves": (0.025, 0.055, 0.030, 0.400, 0.070, 0.250, 0.330, 0.420, 0.170, 0.070),
    "conifer": (0.020, 0.040, 0.025, 0.220, 0.050, 0.140, 0.190, 0.230, 0.100, 0.040),
    "wood": (0.050, 0.070, 0.080, 0.180, 0.100, 0.140, 0.160, 0.190, 0.220, 0.160),
    "soil": (0.080, 0.110, 0.140, 0.220, 0.170, 0.190, 0.210, 0.230, 0.300, 0.250),
    "dry": (0.070, 0.100, 0.130, 0.260, 0.170, 0.220, 0.240, 0.270, 0.360, 0.280),
    "flower": (0.040, 0.150, 0.110, 0.380, 0.170, 0.280, 0.340, 0.400, 0.220, 0.110),
    "urban": (0.100, 0.120, 0.140, 0.180, 0.150, 0.170, 0.180, 0.190, 0.220, 0.200),
    "water": (0.050, 0.060, 0.040, 0.020, 0.030, 0.020, 0.020, 0.020, 0.010, 0.005),
}
ENDMEMBERS = tuple(SPECTRA)
# Crop calendars: (day of year, fraction) knots per endmember; soil fills the rest.
CALENDARS = {
    5: {"crop": ((0, .5), (50, .55), (80, .85), (98, .9), (110, .5), (135, .6), (160, .5),
                 (175, .15), (190, 0), (245, 0), (265, .2), (300, .45), (365, .5)),
        "flower": ((95, 0), (108, .45), (122, .4), (137, 0)),
        "dry": ((150, 0), (170, .6), (186, .7), (192, 0))},
    6: {"crop": ((0, .25), (60, .3), (90, .6), (120, .92), (145, .9), (165, .4), (180, .05),
                 (185, 0), (290, 0), (300, .02), (330, .12), (365, .22)),
        "dry": ((140, 0), (165, .5), (185, .85), (195, .5), (240, .3), (270, 0))},
    9: {"crop": ((0, .05), (60, .05), (75, 0), (110, .02), (140, .3), (170, .8), (195, .85),
                 (215, .4), (235, .05), (245, 0)),
        "dry": ((200, 0), (225, .5), (250, .6), (260, .1), (300, 0))},
    10: {"crop": ((0, 0), (130, 0), (160, .25), (190, .8), (215, .95), (240, .8), (265, .3),
                  (280, .05), (290, 0)),
         "dry": ((0, .15), (90, .1), (110, 0), (240, 0), (265, .5), (285, .7), (290, .4),
                 (330, .2), (365, .15))},
}
CLASS_NAMES = {1: "Dense built-up", 2: "Sparse built-up", 5: "Rapeseed", 6: "Straw cereals",
               9: "Sunflower", 10: "Maize", 13: "Grasslands", 14: "Orchards", 15: "Vineyards",
               16: "Broad-leaved forest", 17: "Coniferous forest", 23: "Water"}
HILLS_DELAY = 18.0       # days: phenology of the eastern region is late
HILLS_FROM = 0.55        # the hills start at this share of the width
BLUR_SIGMA = 0.5         # px: point spread of the sensor, mixes parcel edges


@dataclass
class LandCoverScene:
    s2_folder: Path
    reference_path: Path     # GeoJSON polygons, fields code, name, parcel
    regions_path: Path       # GeoJSON eco-climatic regions, fields region, name
    truth_path: Path         # uint8 class of every pixel
    truth_dir: Path
    dem_path: Path
    dates: list
    grid: object
    start: date
    end: date


@dataclass
class Parcel:
    id: int
    code: int
    rows: slice
    cols: slice
    shift: float        # days, sowing / leaf-out offset (variety, practice, region)
    vigour: float       # scales the green fractions
    soil: float         # soil and dry-matter brightness
    cuts: tuple         # mowing days (grassland; none when grazed)
    mix: float          # 0-1: class-specific share (urban greenery, cover crop, canopy...)


def make_land_cover_scene(out_dir, seed=0, size=192, year=2018, tile="31TCJ",
                          revisit_days=5, origin=None, parcel_px=(80, 320)) -> LandCoverScene:
    """Write the L2A products of `year`, the truth and the reference under
    `out_dir`; deterministic from `seed`."""
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    s2_folder, truth_dir = out_dir / "S2", out_dir / "truth"
    s2_folder.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    grid = tile_grid(tile, size, origin or (300000.0, 4900020.0))
    start, end = date(year, 1, 1), date(year, 12, 31)
    shape = (size, size)
    ids, parcels = layout(rng, shape, parcel_px, list(CLASS_NAMES))
    truth = np.array([0] + [p.code for p in parcels], np.uint8)[ids]
    truth_path = write_raster(truth_dir / "LAND_COVER_TRUTH.tif", truth, grid, 0)
    first_cut = [0] + [round(p.cuts[0]) if p.code == 13 and len(p.cuts) else 0 for p in parcels]
    write_raster(truth_dir / "MOWING_DOY_TRUTH.tif", np.array(first_cut, np.uint16)[ids], grid)
    dem_path = write_raster(out_dir / "dem_20m.tif",
                            (200 + 150 * fbm(rng, shape, (4000, 1000))).astype(np.float32),
                            grid)
    dates = acquisition_times(rng, start, end, revisit_days)
    write_series(rng, s2_folder, tile, grid, ids, parcels, dates, year)
    reference_path = write_geojson(out_dir / "reference.geojson",
                                   [reference_feature(p, grid) for p in parcels], grid.crs)
    regions_path = write_geojson(out_dir / "regions.geojson", _regions(grid), grid.crs)
    _write_readme(truth_dir, seed, size, tile, year, revisit_days, len(dates), parcels)
    return LandCoverScene(s2_folder, reference_path, regions_path, truth_path, truth_dir,
                          dem_path, dates, grid, start, end)


def layout(rng, shape, parcel_px, codes):
    """Rectangular parcels by recursive splitting, classes dealt evenly.
    Returns (parcel id raster, 1-based; list of Parcel)."""
    rects, todo = [], [(0, shape[0], 0, shape[1])]
    while todo:
        r0, r1, c0, c1 = todo.pop()
        area, target = (r1 - r0) * (c1 - c0), rng.uniform(*parcel_px)
        if area <= target or min(r1 - r0, c1 - c0) < 8:
            rects.append((r0, r1, c0, c1))
            continue
        if (r1 - r0) > (c1 - c0):
            cut = r0 + int(round((r1 - r0) * rng.uniform(0.3, 0.7)))
            todo += [(r0, cut, c0, c1), (cut, r1, c0, c1)]
        else:
            cut = c0 + int(round((c1 - c0) * rng.uniform(0.3, 0.7)))
            todo += [(r0, r1, c0, cut), (r0, r1, cut, c1)]
    dealt = np.resize(rng.permutation(codes), len(rects))
    rng.shuffle(dealt)
    ids = np.zeros(shape, np.int32)
    parcels = []
    for i, ((r0, r1, c0, c1), code) in enumerate(zip(rects, dealt), start=1):
        ids[r0:r1, c0:c1] = i
        delay = HILLS_DELAY * ((c0 + c1) / 2 >= HILLS_FROM * shape[1])
        parcels.append(Parcel(i, int(code), slice(r0, r1), slice(c0, c1),
                              shift=_shift(rng, code) + delay,
                              vigour=rng.uniform(0.7, 1.05), soil=rng.uniform(0.6, 1.4),
                              cuts=_cuts(rng) + delay, mix=rng.uniform()))
    return ids, parcels


def _shift(rng, code):
    """Per-parcel calendar offset: winter barley is ~2 weeks ahead of wheat,
    summer crops are sown over a month."""
    if code == 6 and rng.random() < 0.35:
        return rng.normal(-14, 5)
    return rng.normal(0, 12 if code in (9, 10) else 8)


def _cuts(rng):
    """Mowing days: grazed (none) to three cuts."""
    n = rng.choice(4, p=(0.15, 0.25, 0.35, 0.25))
    return np.sort(rng.normal((140, 195, 255)[:n], 12))


def _knots(knots, t):
    days, values = zip(*knots)
    return np.interp(t, days, values)


def _leaf(t, on=105.0, off=295.0):
    """Leaf-on share of deciduous trees or vines (double logistic)."""
    return 1 / (1 + np.exp(-(t - on) / 6)) / (1 + np.exp((t - off) / 8))


def fractions(p, t):
    """Endmember fractions of parcel p on days-of-year t (array): dict of
    arrays summing to 1."""
    t = np.asarray(t, "float64")
    ts = t - p.shift
    f = {m: np.zeros(t.shape) for m in ENDMEMBERS}
    if p.code in CALENDARS:
        for member, knots in CALENDARS[p.code].items():
            f[member] = _knots(knots, ts)
        f["crop"] = f["crop"] * p.vigour
    elif p.code == 13:
        green = _knots(((0, .55), (60, .6), (100, .9), (210, .75), (240, .7), (300, .8),
                        (365, .6)), ts) * p.vigour
        dry = np.zeros(t.shape)
        for cut in p.cuts:       # cut to 30 % of the cover, regrown in four weeks
            since = t - cut
            mown = (since >= 0) & (since < 28)
            green = np.where(mown, green * (0.3 + 0.7 * since / 28), green)
            dry = dry + np.where(mown, 0.35 * (1 - since / 28), 0)
        f["grass"], f["dry"] = green, np.minimum(dry, 0.9 - green)
    elif p.code in (14, 15, 16):
        leaf = _leaf(ts, on=130 if p.code == 15 else 105, off=285 if p.code == 15 else 295)
        trees = {14: 0.3 + 0.3 * p.mix, 15: 0.25 + 0.2 * p.mix, 16: 0.75 + 0.2 * p.mix}[p.code]
        f["leaves"], f["wood"] = trees * leaf * p.vigour, trees * (1 - leaf * p.vigour)
        # orchards and vineyards: grassed or bare inter-rows
        under = {14: 0.6 * (1 - p.mix), 15: 0.45 * (1 - p.mix), 16: 0.1}[p.code]
        f["grass"] = under * (0.6 + 0.4 * _leaf(ts, 80, 250))
    elif p.code == 17:
        f["conifer"] = np.full(t.shape, 0.7 + 0.25 * p.mix)
        f["grass"] = (0.95 - f["conifer"]) * (0.6 + 0.4 * _leaf(ts, 90, 280))
    elif p.code in (1, 2):
        urban = 0.95 - 0.25 * p.mix if p.code == 1 else 0.7 - 0.3 * p.mix
        green = (0.95 - urban) * (0.6 + 0.4 * _leaf(ts))
        f["urban"], f["leaves"], f["grass"] = np.full(t.shape, urban), green / 2, green / 2
    elif p.code == 23:
        f["water"] = np.full(t.shape, 0.97 - 0.15 * p.mix ** 2)   # reeds in some ponds
        f["crop"] = (0.98 - f["water"]) * _leaf(t, 130, 270)
    f["soil"] = np.maximum(0.0, 1.0 - sum(f.values()))
    return f


GREEN = ("crop", "grass", "leaves", "flower", "conifer")


def parcel_spectra(parcels, days):
    """Reflectance of every parcel on every day, and its change per unit of
    extra vigour (green replacing soil): two (n_days, n_parcels + 1, 10)
    tables, row 0 unused."""
    spectra = np.array([SPECTRA[m] for m in ENDMEMBERS])
    is_green = np.array([m in GREEN for m in ENDMEMBERS])
    out, green = np.zeros((2, len(days), len(parcels) + 1, len(BANDS)))
    for p in parcels:
        f = fractions(p, days)
        frac = np.stack([f[m] for m in ENDMEMBERS], axis=1)      # (days, members)
        bright = np.array([p.soil if m in ("soil", "dry", "urban") else 1.0
                           for m in ENDMEMBERS])
        out[:, p.id] = (frac * bright) @ spectra
        green_f = frac * is_green * room(f)[:, None]
        green[:, p.id] = green_f @ spectra - np.outer(green_f.sum(axis=1) * p.soil,
                                                      SPECTRA["soil"])
    return out, green


def room(f):
    """Green cover added per unit of extra vigour, relative to the green
    fractions: the extra green can only replace visible soil."""
    total = sum(f[m] for m in GREEN)
    return np.minimum(1.0, f["soil"] / np.maximum(total, 1e-9))


def vigour_texture(rng, shape):
    """Within-parcel growth differences: relative change of the green cover."""
    return 0.15 * fbm(rng, shape, (300, 80))


def write_series(rng, s2_folder, tile, grid, ids, parcels, dates, year, vigour=None):
    """One THEIA product per date: parcel spectra, pixel texture and vigour,
    sensor blur, noise, clouds and shadows."""
    shape = ids.shape
    texture = 1 + 0.04 * fbm(rng, shape, (400, 100))
    vigour = vigour_texture(rng, shape) if vigour is None else vigour
    days = [when.timetuple().tm_yday + 365 * (when.year - year) for when in dates]
    tables, greens = parcel_spectra(parcels, days)
    for i, (when, coverage) in enumerate(zip(dates, swath_coverage(rng, len(dates)))):
        table, green = tables[i], greens[i]
        valid = swath_mask(rng, shape, coverage)
        clm, thick, darkening, high = draw_clouds(rng, shape, draw_cloud_fraction(rng))
        haze = _missed_haze(rng, shape)
        refl = {}
        for b, band in enumerate(BANDS):
            x = (table[ids, b] + vigour * green[ids, b]) * texture
            x = ndimage.gaussian_filter(x, BLUR_SIGMA, mode="nearest")
            x = _cloudy(x, band, clm, thick, darkening, high)
            x = x * (1 - haze) + 0.3 * haze
            x += rng.standard_normal(shape, dtype=np.float32) * (0.003 + 0.01 * x)
            refl[band] = np.where(valid, np.maximum(x, 0), np.nan).astype(np.float32)
        clm[~valid] = 0
        write_theia_product(s2_folder, PLATFORMS[i % 2], when, tile, grid, refl, clm)


def _missed_haze(rng, shape):
    """Thin haze the cloud mask misses (MAJA's omissions): on a third of the
    dates, veils of up to 12 % over about a tenth of the scene, CLM = 0."""
    if rng.random() > 1 / 3:
        return np.zeros(shape, np.float32)
    field = fbm(rng, shape, (3200, 800))
    return (0.12 * np.clip((field - 1.3) / 0.7, 0, 1)).astype(np.float32)


def _cloudy(x, band, clm, thick, darkening, high):
    """Clouds over the ground as in the snow scenario: opaque or thin, high
    clouds half transparent, shadows darken."""
    alpha = np.where(high, np.minimum(0.1 + 1.8 * thick, 0.6), np.clip(0.1 + 1.8 * thick, 0, 1))
    alpha[clm & (2 | 16) == 0] = 0
    if band in ("B11", "B12"):
        cloud = (0.22 + 0.28 * thick) * (0.8 if band == "B12" else 1)
    else:
        cloud = (0.3 + 0.5 * thick) * (1.05 if band == "B2" else 1)
    return (x * (1 - alpha) + cloud * alpha) * darkening


def rectangle(grid, rows, cols):
    """GeoJSON polygon of a block of pixels (row and column slices) of `grid`."""
    x0, y0 = grid.x0 + cols.start * RES, grid.y0 - rows.start * RES
    x1, y1 = grid.x0 + cols.stop * RES, grid.y0 - rows.stop * RES
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1],
                                                [x0, y0]]]}


def reference_feature(p, grid):
    return {"type": "Feature", "geometry": rectangle(grid, p.rows, p.cols),
            "properties": {"code": p.code, "name": CLASS_NAMES[p.code], "parcel": p.id}}


def _regions(grid):
    split = int(round(HILLS_FROM * grid.width))
    halves = ((1, "plain", slice(0, split)), (2, "hills", slice(split, grid.width)))
    return [{"type": "Feature", "geometry": rectangle(grid, slice(0, grid.height), cols),
             "properties": {"region": code, "name": name}} for code, name, cols in halves]


def _write_readme(truth_dir, seed, size, tile, year, revisit_days, n_dates, parcels):
    counts = {c: sum(p.code == c for p in parcels) for c in CLASS_NAMES}
    listing = "\n".join(f"  {c:>2} {CLASS_NAMES[c]}: {n} parcels" for c, n in counts.items())
    (truth_dir / "README.txt").write_text(f"""\
SYNTHETIC DATA - generated by the Chaînon scene simulator (core/scenes/land_cover.py).
Not real Sentinel-2 observations.

Parameters: seed={seed}, size={size} px at {RES:g} m, tile T{tile}, year {year},
revisit {revisit_days} days, {n_dates} acquisitions, {len(parcels)} parcels.
Classes (OSO codes):
{listing}

LAND_COVER_TRUTH.tif: OSO class code of every pixel (uint8).
MOWING_DOY_TRUTH.tif: day of year of the first cut of mown grassland (uint16; 0 elsewhere).
../reference.geojson: one polygon per parcel, fields code (OSO), name, parcel.
../regions.geojson: two eco-climatic regions (field region: 1 plain, 2 hills); the
hills' phenology is {HILLS_DELAY:g} days late.
""", encoding="utf-8")
