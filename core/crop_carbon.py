"""Crop biomass and CO2 fluxes after AgriCarbon-EO (Wijmer et al. 2024): the
SAFY(-CO2) crop model, the green area index (GAI) seen by Sentinel-2 and a
Bayesian assimilation by normalised importance sampling over a look-up table.

1. A prior ensemble of the free SAFY parameters (D0, ELUE, PlB, STT, RS;
   also SLA and, with rain, AWC) is drawn once (Latin hypercube over PRIOR,
   seeded) and SAFY is run once per meteorology cell: the LUT holds every
   member's GAI on the observation days and its season outputs (biomass at
   harvest, GPP, Reco, NEE).
2. For every pixel (or parcel), w_i ~ exp(-1/2 sum_t ((GAI_obs(t) - GAI_i(t)) /
   sigma_t)^2) with sigma_t^2 = sigma_obs(t)^2 + SIGMA_MODEL^2 over its clear
   dates, normalised to sum 1 (log-sum-exp); posterior mean (and std) of each
   output = weighted mean (std) over the members, the std widened by the
   model's structural error STRUCTURAL_CV.
3. Per parcel, where the prior sample leaves fewer than ESS_TARGET
   effective members, the posterior is refined by adaptive multiple
   importance sampling (refine): new members drawn near the parcel's
   posterior, weighted with the prior sample by the deterministic mixture,
   so that the estimate no longer rests on the ~10 members of one draw.
A clear date whose GAI dips DIP_SIGMAS retrieval SDs below both neighbouring
clear dates of its pixel is left out (dips): a shadow or cloud edge the mask
missed.
Block by block over the tile: memory is bounded by BLOCK x dates and by
CHUNK_ELEMENTS, whatever the tile size.

Simplified: the GAI of each date comes from a small network trained on
PROSAIL simulations (core/gai.py); SAFY-CO2's carbon terms are recalled,
not re-read (core/safy.py); per pixel, one prior sample per run and no
refinement (its cost is per row), so the draw moves a pixel's estimate
(~10 effective members); per parcel, the refinement brings ~300-1000.

Known limit: the light-use efficiency ELUE is read from the leaf growth, as
SAFY assumes (leaf area made = ELUE x APAR x PRT x SLA). On a WOFOST-like
wheat that reading errs 15-20 % per field even fed the true GAI, where a
fixed efficiency errs ~7 %; on SAFY crops whose ELUE varies, the fixed
efficiency errs ~18 % and the reading ~7 %. The remedies tried (model
averaging, likelihood tempering, a per-field GAI gain, wider priors, a
juvenile sink-limited leaf expansion, photothermal partitioning, a
literature RUE prior, winter dates left out, a free partition-to-leaf
coefficient PlA or a free extinction coefficient) and their figures are in
docs/results/crop_carbon.md; none is applied. tools/diagnose_crop_carbon.py
measures the reading's error."""
import csv
import json
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
from rasterio.warp import transform

from . import gai as gai_mod
from .blocks import Progress, run_blocks, windows
from .catalog import CROP_CARBON
from .cog import CogWriter, output_paths
from .crop_assimilation import (ESS_TARGET, MIN_CLEAR_DATES, PRIOR, SIGMA_MODEL, LutCache,
                                assimilate, sample_prior)
from .errors import InputError
from .inputs import mask_reader, processing_grid, select_products
from .meteo import (COLUMNS, RAIN_MAX, normalise_header, parse_date, read_meteo_csv,
                    read_meteo_rasters, season_days)
from .qml import write_sidecar
from .theia import clear_mask, read_reflectance

RES = 10.0                 # m, as AgriCarbon-EO
BLOCK = 256                # px: (dates x block) observation cubes stay small
NODATA = -9999.0
OUTPUT_KEYS = ("OUTPUT", "OUTPUT_UNCERTAINTY", "OUTPUT_GPP", "OUTPUT_RECO", "OUTPUT_NEE")
# A clear date whose GAI lies this many retrieval SDs below both neighbouring
# clear dates is an unmasked shadow or cloud edge: a canopy does not dip and
# regrow between two acquisitions (a harvest stays down).
DIP_SIGMAS = 3.0


# --- inputs ----------------------------------------------------------------------------
RAIN_COLUMNS = ("rain", "rainfall", "precipitation", "precip", "prcp", "rr", "pluie")


def read_rain_csv(path, start, end):
    """Daily rain (mm) of the season from the meteorology CSV's rain column,
    or None when the table has none (SAFY then runs without water stress)."""
    lines = [ln for ln in Path(path).read_text(encoding="utf-8-sig").splitlines()
             if ln.strip() and not ln.startswith("#")]
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(lines, delimiter=delimiter))
    header = [normalise_header(h) for h in rows[0]]
    col = next((header.index(n) for n in RAIN_COLUMNS if n in header), None)
    if col is None:
        return None
    date_col = next(header.index(n) for n in COLUMNS["date"] if n in header)
    rain = {}
    for line, row in enumerate(rows[1:], start=2):
        text = row[col].strip().replace(",", ".") if col < len(row) else ""
        try:
            rain[parse_date(row[date_col], path, line)] = float(text)
        except ValueError:
            continue
    days = season_days(start, end)
    missing = [d for d in days if not np.isfinite(rain.get(d, np.nan))]
    if missing:
        raise InputError("The rain column of the meteorology table {path} lacks {n} days of "
                         "the season (first missing: {day}): fill them (0 for dry days) or "
                         "remove the column.", path=path, n=len(missing), day=missing[0])
    values = np.array([rain[d] for d in days])
    if values.min() < 0 or values.max() > RAIN_MAX:
        raise InputError("The rain column of the meteorology table {path} holds values "
                         "outside 0-{max} mm per day: give daily rain in mm.", path=path,
                         max=RAIN_MAX)
    return values


def select_season(s2_folder, start, end):
    """THEIA products of one tile inside [start, end], enough of them for
    the assimilation."""
    products, start, end = select_products(s2_folder, start, end,
                                           gai_mod.BAND_SETS["ten_m"], margin=timedelta(0))
    if len(products) < MIN_CLEAR_DATES:
        raise InputError("Only {n} Sentinel-2 acquisitions between {start} and {end} in "
                         "{folder}: the assimilation needs at least {min} clear dates per "
                         "pixel over the crop season.", n=len(products), start=start, end=end,
                         folder=s2_folder, min=MIN_CLEAR_DATES)
    return products, start, end


@dataclass
class Acquisitions:
    """The season's products, the GAI band set they all hold and each one's
    sun zenith (metadata, else computed from the time and the tile centre)."""
    products: list
    bands: str
    sun_zenith: list

    @classmethod
    def of(cls, products, grid):
        common = set.intersection(*(p.bands() for p in products))
        (lon,), (lat,) = transform(grid.crs, "EPSG:4326", [grid.x0 + grid.width * grid.res / 2],
                                   [grid.y0 - grid.height * grid.res / 2])
        zenith = [(p.sun_angles() or (gai_mod.sun_zenith(p.acquired, lon, lat),))[0]
                  for p in products]
        return cls(products, gai_mod.band_set(common), zenith)


def read_observations(acq, sub):
    """(GAI, sigma) cubes (dates, rows, cols), NaN where not clear (clouds,
    shadows, saturation, no data)."""
    shape = (len(acq.products), sub.height, sub.width)
    gai, sigma = np.full(shape, np.nan, "float32"), np.full(shape, np.nan, "float32")
    for i, (p, zenith) in enumerate(zip(acq.products, acq.sun_zenith)):
        refl = {b: read_reflectance(p, b, sub) for b in gai_mod.BAND_SETS[acq.bands]}
        clear = np.all([np.isfinite(v) for v in refl.values()], axis=0) & clear_mask(p, sub)
        g, s = gai_mod.gai_from_reflectance(refl, zenith, acq.bands)
        gai[i], sigma[i] = np.where(clear, g, np.nan), np.where(clear, s, np.nan)
    dip = dips(gai, sigma)
    gai[dip], sigma[dip] = np.nan, np.nan
    return gai, sigma


def dips(gai, sigma, depth=DIP_SIGMAS):
    """True where a clear date's GAI is `depth` SDs below both the previous
    and the next clear date of its pixel (cubes (dates, ...), NaN = not clear)."""
    clear = np.isfinite(gai)
    t = np.arange(len(gai)).reshape((-1,) + (1,) * (gai.ndim - 1))
    last = np.maximum.accumulate(np.where(clear, t, -1), axis=0)
    first = np.minimum.accumulate(np.where(clear, t, len(gai))[::-1], axis=0)[::-1]
    prev = np.concatenate([np.full_like(last[:1], -1), last[:-1]])
    nxt = np.concatenate([first[1:], np.full_like(first[:1], len(gai))])
    padded = np.concatenate([gai, np.full_like(gai[:1], np.nan)])     # index len: NaN
    before = np.take_along_axis(padded, np.where(prev < 0, len(gai), prev), 0)
    after = np.take_along_axis(padded, nxt, 0)
    with np.errstate(invalid="ignore"):
        return clear & (gai + depth * sigma < np.fmin(before, after)) & \
            np.isfinite(before) & np.isfinite(after)


# --- the product -----------------------------------------------------------------------
def run_crop_carbon(s2_folder, out_folder, meteo_csv=None, meteo_folder=None, outputs=None,
                    start=None, end=None, bounds=None, bounds_crs=None, crop_mask=None,
                    crop_classes=(), parcels=None, parcels_output=None, ensemble_size=3000,
                    seed=0, progress=None, workers=None):
    """Runs the product on one tile; returns a dict of result paths and run facts.
    outputs: optional {key: path} of OUTPUT_KEYS, by default in out_folder;
    one given as None is not written (None in the result).
    parcels: optional (path, layer name or None): one estimate per parcel,
    burnt into the rasters and, with parcels_output, written to a GeoPackage.
    On any error or cancel, every file this run wrote is removed."""
    progress = progress or Progress()
    out_folder = Path(out_folder)
    written = []
    try:
        return _run(Path(s2_folder), out_folder, meteo_csv, meteo_folder, dict(outputs or {}),
                    start, end, bounds, bounds_crs, crop_mask, crop_classes, parcels,
                    parcels_output, int(ensemble_size), int(seed), progress, workers, written)
    except BaseException:
        for path in written:
            Path(path).unlink(missing_ok=True)
            Path(str(path)[:-4] + ".qml").unlink(missing_ok=True)
        raise


def _run(s2_folder, out_folder, meteo_csv, meteo_folder, outputs, start, end, bounds,
         bounds_crs, crop_mask, crop_classes, parcels, parcels_output, ensemble_size, seed,
         progress, workers, written):
    if bool(meteo_csv) == bool(meteo_folder):
        raise InputError("Give the daily meteorology either as a CSV table or as a folder "
                         "of daily rasters (one of the two).")
    if ensemble_size < 100:
        raise InputError("The ensemble needs at least 100 members (got {n}).", n=ensemble_size)
    products, start, end = select_season(s2_folder, start, end)
    grid = processing_grid(products[0], bounds, bounds_crs, RES)
    tile = "T" + products[0].tile
    meteo = (read_meteo_csv(meteo_csv, start, end) if meteo_csv
             else read_meteo_rasters(meteo_folder, start, end, grid))
    obs_days = np.array([(p.acquired.date() - start).days for p in products])
    rain = read_rain_csv(meteo_csv, start, end) if meteo_csv else None
    luts = LutCache(meteo, sample_prior(ensemble_size, seed, water=rain is not None), obs_days,
                    rain, seed)
    progress.info(f"{len(products)} acquisitions of {tile}, grid {grid.width} x {grid.height} "
                  f"px at {RES:g} m, season {start} to {end}, {ensemble_size} SAFY members, "
                  f"{meteo.n_cells} meteorology cell(s), "
                  + ("water balance on the CSV's rain" if rain is not None
                     else "no rain given: no water stress"))
    out_folder.mkdir(parents=True, exist_ok=True)
    span = f"{start:%Y%m%d}_{end:%Y%m%d}"
    paths = output_paths(outputs, OUTPUT_KEYS, lambda k: out_folder /
                         f"CROPCARBON-{CROP_CARBON.output(k).name}_{tile}_{span}.tif")
    tags = dict(product="crop_carbon", method="AgriCarbon-EO (Wijmer et al. 2024), simplified",
                ensemble_size=ensemble_size, seed=seed, prior=json.dumps(PRIOR),
                sigma_model=SIGMA_MODEL, period=f"{start}/{end}",
                meteorology=str(meteo_csv or meteo_folder),
                inputs=",".join(p.name for p in products))
    ctx = _Context(Acquisitions.of(products, grid), grid, meteo, luts,
                   mask_reader(crop_mask, crop_classes), workers)
    if parcels:
        from .parcels import Parcels   # GDAL's ogr: not in the compute centre's venv
        facts = _per_parcel(ctx, Parcels(*parcels, grid), paths, tags, parcels_output,
                            progress, written)
    else:
        facts = _per_pixel(ctx, paths, tags, progress, written)
    for k in paths:
        write_sidecar(paths[k], CROP_CARBON.output(k))
    return dict({k: str(paths[k]) if k in paths else None for k in OUTPUT_KEYS},
                OUTPUT_FOLDER=str(out_folder), tile=tile, grid=grid, start=start, end=end,
                dates=[str(p.acquired.date()) for p in products], **facts)


@dataclass
class _Context:
    acq: Acquisitions
    grid: object
    meteo: object
    luts: LutCache
    crop: object            # window grid -> bool mask
    workers: object


def _write_outputs(ctx, paths, tags, compute, progress, written):
    """Run compute(window) -> (5, h, w) float32 over the grid into the COGs
    of `paths` (those asked for)."""
    counted = [0]
    with ExitStack() as stack:
        writers = {k: stack.enter_context(CogWriter(
            paths[k], ctx.grid, "float32", NODATA, tags, resampling="average",
            description=CROP_CARBON.output(k).title)) for k in paths}
        written.extend(paths.values())

        def consume(w, res):
            counted[0] += int(np.count_nonzero(res[0] != NODATA))
            for i, k in enumerate(OUTPUT_KEYS):
                if k in writers:
                    writers[k].write(w, res[i])
        run_blocks(windows(ctx.grid.width, ctx.grid.height, BLOCK), compute, consume,
                   progress, ctx.workers)
        if counted[0] == 0:
            raise InputError("No pixel has {min} clear Sentinel-2 dates in the season (or "
                             "lies in the crop mask and a meteorology cell): nothing to "
                             "estimate.", min=MIN_CLEAR_DATES)
    return counted[0]


def _layers(post):
    """(n, 5) posterior columns -> output order (biomass, std, GPP, Reco, NEE)."""
    return np.stack([post[:, 0], post[:, 4], post[:, 1], post[:, 2], post[:, 3]])


def _per_pixel(ctx, paths, tags, progress, written):
    def compute(w):
        sub = ctx.grid.window_grid(w)
        out = np.full((len(OUTPUT_KEYS), sub.height, sub.width), NODATA, "float32")
        cells = ctx.meteo.cell_ids(sub)
        sel = ctx.crop(sub) & (cells >= 0)
        if not sel.any():
            return out
        obs, sigma = read_observations(ctx.acq, sub)
        post = assimilate(ctx.luts, cells[sel], obs[:, sel].T, sigma[:, sel].T)
        out[:, sel] = np.nan_to_num(_layers(post), nan=NODATA)
        return out
    n = _write_outputs(ctx, paths, tags, compute, progress, written)
    return dict(pixels=n)


def _per_parcel(ctx, parcels, paths, tags, parcels_output, progress, written):
    n_dates = len(ctx.acq.products)
    acc = np.zeros((3, len(parcels), n_dates))    # GAI sums, sigma sums, clear counts
    size = np.zeros(len(parcels))
    wins = windows(ctx.grid.width, ctx.grid.height, BLOCK)

    def gather(w):
        sub = ctx.grid.window_grid(w)
        ids = np.where(ctx.crop(sub), parcels.ids_on(sub), -1)
        if not (ids >= 0).any():
            return None
        obs, sigma = read_observations(ctx.acq, sub)
        sel = ids >= 0
        uniq, inv = np.unique(ids[sel], return_inverse=True)
        clear = np.isfinite(obs[:, sel])
        sums = np.stack([[np.bincount(inv, np.where(c, v, 0.0), len(uniq))
                          for c, v in zip(clear, arr[:, sel])] for arr in (obs, sigma)]
                        + [[np.bincount(inv, c, len(uniq)) for c in clear]])
        return uniq, sums.transpose(0, 2, 1), np.bincount(inv, minlength=len(uniq))

    def add(w, res):
        if res is not None:
            acc[:, res[0]] += res[1]
            size[res[0]] += res[2]
    run_blocks(wins, gather, add, progress.sub(0, 60), ctx.workers)
    # a date counts for a parcel when at least half of its pixels are clear
    ok = (acc[2] >= 0.5 * size[:, None]) & (acc[2] > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        obs = np.where(ok, acc[0] / acc[2], np.nan)
        sigma = np.where(ok, acc[1] / acc[2], np.nan)   # errors correlated within a field
    cells = np.array([ctx.meteo.cell_at(x, y, ctx.grid.crs) for x, y in parcels.centroids])
    ess = np.full((2, len(obs)), np.nan)
    post = assimilate(ctx.luts, cells, obs, sigma, refine=True, ess=ess)
    values = np.nan_to_num(_layers(post), nan=NODATA).astype("float32")
    if np.isfinite(ess[0]).any():
        progress.info(f"Effective ensemble members per parcel (median): "
                      f"{np.nanmedian(ess[0]):.0f} from the prior sample; "
                      f"{np.nanmedian(ess[1]):.0f} after refining the "
                      f"{int(np.sum(ess[0] < ESS_TARGET))} parcel(s) with fewer than "
                      f"{ESS_TARGET}")

    def burn(w):
        sub = ctx.grid.window_grid(w)
        ids = np.where(ctx.crop(sub), parcels.ids_on(sub), -1)
        out = np.full((len(OUTPUT_KEYS), sub.height, sub.width), NODATA, "float32")
        out[:, ids >= 0] = values[:, ids[ids >= 0]]
        return out
    n = _write_outputs(ctx, paths, tags, burn, progress.sub(60, 100), written)
    facts = dict(pixels=n, parcels=int(np.isfinite(post[:, 0]).sum()),
                 effective_members=(float(np.nanmedian(ess[0])), float(np.nanmedian(ess[1])))
                 if np.isfinite(ess[0]).any() else None)
    if parcels_output:
        written.append(parcels_output)
        facts["OUTPUT_PARCELS"] = parcels.write_results(
            parcels_output, values, size, ok.sum(axis=1), NODATA)
    return facts
