"""Crop carbon scenario: winter-wheat fields of south-west France seen by
Sentinel-2 from October to July, with their daily meteorology, a crop mask,
the parcels, and the biomass and CO2 fluxes known per field.

Truth model: every wheat field has its own SAFY parameters (D0, ELUE, PlB,
STT, RS) drawn in TRUE_RANGES (inside the product's prior) and kept when the
crop looks like wheat (GAI peak 2.5-7.5 in late March-May, harvest-ready in
June-July); SAFY-CO2 on the scene's weather gives the field's daily GAI,
biomass and fluxes. Reflectances come from the GAI through band-wise Beer
laws mixing a field's soil and a green canopy - not the NDVI relation the
product inverts - plus noise and clouds. Grasslands, woods and hedges around
the fields are not crops (outside the crop mask)."""
import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from ..grid import Grid
from ..safy import FREE, run_safy
from ..simulate import R1_BANDS, R2_BANDS, write_raster, write_theia_product
from .common import acquisition_times, draw_cloud_fraction, draw_clouds, tile_grid

RES = 20.0
PLATFORMS = ("SENTINEL2A", "SENTINEL2B")
BANDS = R1_BANDS + R2_BANDS
# In BANDS order (B2 B3 B4 B8 B5 B6 B7 B8A B11 B12): bare soil, dense green
# canopy, and the extinction coefficient of each band's Beer law.
SOIL = (0.09, 0.11, 0.14, 0.19, 0.16, 0.17, 0.18, 0.20, 0.28, 0.24)
CANOPY = (0.02, 0.05, 0.015, 0.36, 0.06, 0.22, 0.32, 0.37, 0.17, 0.08)
EXTINCTION = (0.58, 0.58, 0.58, 0.48, 0.58, 0.50, 0.48, 0.48, 0.50, 0.50)
TRUE_RANGES = {"D0": (25, 80), "ELUE": (2.0, 3.5), "PlB": (0.0012, 0.0020),
               "STT": (1100, 1900), "RS": (3000, 9000)}
KINDS = ("wheat", "grass", "wood")
KIND_SHARES = (0.7, 0.15, 0.15)
FIELD_PX = (10, 20)            # field sides, 20 m pixels
LATITUDE = 43.6                # Toulouse
TRUTH_NODATA = -9999.0
METEO_MARGIN = 30              # days of weather written before and after the season


@dataclass
class CropCarbonScene:
    s2_folder: Path
    meteo_path: Path
    crop_mask_path: Path
    parcels_path: Path
    truth_dir: Path
    dates: list
    grid: Grid
    start: date
    end: date
    fields: list              # dicts: id, kind, SAFY parameters and truth of wheat fields


def make_crop_carbon_scene(out_dir: Path, seed=0, size=96, start=date(2018, 10, 1),
                           end=date(2019, 7, 31), tile="31TCJ", revisit_days=5, origin=None,
                           progress=None, parcels=True) -> CropCarbonScene:
    """Write the L2A products, meteorology, crop mask, parcels and truth under
    `out_dir`; `size` in 20 m pixels. 31TCJ's real origin by default.
    parcels=False: no GeoPackage (GDAL's ogr, absent from the compute
    centre's venv), parcels_path None."""
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    s2_folder, truth_dir = out_dir / "S2", out_dir / "truth"
    s2_folder.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    grid = tile_grid(tile, size, origin or (300000.0, 4900020.0))
    meteo_days, tmin, tmax, rad = weather(rng, start - timedelta(METEO_MARGIN),
                                          end + timedelta(METEO_MARGIN))
    meteo_path = _write_meteo(out_dir / "meteo.csv", meteo_days, tmin, tmax, rad)
    season = slice(METEO_MARGIN, len(meteo_days) - METEO_MARGIN)
    tmean = ((tmin + tmax) / 2)[season]
    ids, kinds, rects = _layout(rng, size)
    fields = _wheat_truth(rng, kinds, tmean, rad[season])
    gai_of = _gai_by_field(fields, kinds, len(tmean), start)
    soil = 1 + 0.1 * (2 * rng.random(len(kinds)) - 1)          # field soil brightness
    dates = acquisition_times(rng, start, end, revisit_days)
    for i, when in enumerate(dates):
        if progress:
            progress.check()
            progress.percent(100.0 * i / len(dates))
        gai = gai_of[:, (when.date() - start).days][ids]
        refl, clm = _acquisition(rng, gai, soil[ids])
        write_theia_product(s2_folder, PLATFORMS[i % 2], when, tile, grid, refl, clm)
    wheat = np.isin(ids, [f["id"] for f in fields])
    crop_mask_path = write_raster(out_dir / "crop_mask.tif", wheat.astype("uint8"), grid, 0)
    parcels_path = _write_parcels(out_dir / "parcels.gpkg", grid, rects, fields) if parcels \
        else None
    _write_truth(truth_dir, grid, ids, kinds, fields)
    _write_readme(truth_dir, seed, size, tile, start, end, revisit_days, dates, fields)
    return CropCarbonScene(s2_folder, meteo_path, crop_mask_path, parcels_path, truth_dir,
                           dates, grid, start, end, fields)


# --- weather -----------------------------------------------------------------------------
def weather(rng, first, last, lat=LATITUDE):
    """Daily (days, tmin, tmax, global radiation MJ m-2 d-1) of a south-west
    France climate: mean 13.8 degC, seasonal amplitude 8.3 degC (coldest late
    January), persistent weather anomalies; radiation = FAO-56 extraterrestrial
    radiation x a random daily clearness, lower in winter."""
    days = [first + timedelta(i) for i in range((last - first).days + 1)]
    doy = np.array([d.timetuple().tm_yday for d in days])
    anomaly = np.zeros(len(days))
    shocks = rng.standard_normal(len(days))
    for i in range(1, len(days)):
        anomaly[i] = 0.8 * anomaly[i - 1] + 0.6 * shocks[i]
    tmean = 13.8 - 8.3 * np.cos(2 * np.pi * (doy - 20) / 365) + 2.5 * anomaly / anomaly.std()
    clearness = np.clip(0.52 + 0.08 * np.cos(2 * np.pi * (doy - 200) / 365)
                        + 0.18 * rng.standard_normal(len(days)), 0.15, 0.76)
    rad = extraterrestrial_radiation(doy, lat) * clearness
    amplitude = 5 + 10 * clearness              # clear days have wider daily ranges
    tmin, tmax = np.round(tmean - amplitude / 2, 1), np.round(tmean + amplitude / 2, 1)
    return days, tmin, tmax, np.round(rad, 2)


def extraterrestrial_radiation(doy, lat):
    """FAO-56 equation 21, MJ m-2 d-1."""
    phi = np.radians(lat)
    dr = 1 + 0.033 * np.cos(2 * np.pi * doy / 365)
    dec = 0.409 * np.sin(2 * np.pi * doy / 365 - 1.39)
    ws = np.arccos(-np.tan(phi) * np.tan(dec))
    return 24 * 60 / np.pi * 0.082 * dr * (ws * np.sin(phi) * np.sin(dec)
                                           + np.cos(phi) * np.cos(dec) * np.sin(ws))


def _write_meteo(path, days, tmin, tmax, rad):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["date", "tmin", "tmax", "radiation"])
        out.writerows([d.isoformat(), f"{a:.1f}", f"{b:.1f}", f"{r:.2f}"]
                      for d, a, b, r in zip(days, tmin, tmax, rad))
    return path


# --- fields ------------------------------------------------------------------------------
def _layout(rng, size):
    """Field id raster (0 = hedge or track between fields), kind of every id
    (index 0 unused) and each field's pixel rectangle (r0, r1, c0, c1)."""
    def cuts():                 # (first, last) pixel of each strip, the last one a hedge
        edges, pos, low = [], 0, FIELD_PX[0]
        while size - pos >= 2 * low:
            n = min(int(rng.integers(*FIELD_PX)), size - pos - low)
            edges.append((pos, pos + n - 1))
            pos += n
        return edges + [(pos, size - 1)]
    ids = np.zeros((size, size), "int32")
    rects = {}
    for r0, r1 in cuts():
        for c0, c1 in cuts():
            fid = len(rects) + 1
            ids[r0:r1, c0:c1] = fid              # last row / column: hedge
            rects[fid] = (r0, r1, c0, c1)
    kinds = ["hedge"] + list(rng.choice(KINDS, size=len(rects), p=KIND_SHARES))
    return ids, kinds, rects


def _wheat_truth(rng, kinds, tmean, rad):
    """SAFY parameters and outputs of every wheat field, drawn until they look like wheat."""
    wanted = [i for i, k in enumerate(kinds) if k == "wheat"]
    fields = []
    while len(fields) < len(wanted):
        n = 4 * (len(wanted) - len(fields))
        params = {k: rng.uniform(*TRUE_RANGES[k], n) for k in FREE}
        params["D0"] = np.rint(params["D0"])
        run = run_safy(params, tmean, rad)
        totals = run.totals()
        for j in np.flatnonzero(_looks_like_wheat(run.gai, totals["biomass"])):
            if len(fields) < len(wanted):
                fields.append(dict(id=wanted[len(fields)],
                                   **{k: float(params[k][j]) for k in FREE},
                                   **{q: float(v[j]) for q, v in totals.items()},
                                   gai=run.gai[:, j].copy()))
    return fields


def _looks_like_wheat(gai, biomass):
    """Peak GAI 2.5-7.5 between late March and May (days from 1 October),
    no green leaves left by the end of July, 8-22 t/ha."""
    peak, peak_day = gai.max(axis=0), gai.argmax(axis=0)
    return ((peak > 2.5) & (peak < 7.5) & (peak_day > 170) & (peak_day < 232)
            & (gai[-1] == 0) & (biomass > 8) & (biomass < 22))


def _gai_by_field(fields, kinds, n_days, start):
    """(ids, days) daily GAI of every field id: SAFY for wheat, seasonal
    curves for grass, woods and hedges."""
    days = np.arange(n_days)
    doy = np.array([(start + timedelta(int(d))).timetuple().tm_yday for d in days])
    spring = np.exp(-0.5 * ((doy - 130) / 40.0) ** 2)
    leaf_on = 1 / (1 + np.exp(-(doy - 110) / 8.0)) - 1 / (1 + np.exp(-(doy - 300) / 10.0))
    curves = {"grass": 1.0 + 2.0 * spring, "hedge": 1.0 + 1.5 * spring,
              "wood": 0.8 + 3.7 * leaf_on}
    out = np.array([curves.get(k, np.zeros(n_days)) for k in kinds], "float32")
    for f in fields:
        out[f["id"]] = f["gai"]
    return out


# --- one acquisition ---------------------------------------------------------------------
def _acquisition(rng, gai, soil):
    """Reflectances (band -> float 0-1) and CLM of one date."""
    shape = gai.shape
    clm, thick, darkening, _ = draw_clouds(rng, shape, draw_cloud_fraction(rng))
    alpha = np.clip(0.1 + 1.8 * thick, 0, 1)
    alpha[clm & (2 | 16) == 0] = 0
    refl = {}
    for i, band in enumerate(BANDS):
        cover = 1 - np.exp(-EXTINCTION[i] * gai)
        x = SOIL[i] * soil * (1 - cover) + CANOPY[i] * cover
        cloud = 0.22 + 0.28 * thick if band in ("B11", "B12") else 0.3 + 0.5 * thick
        x = (x * (1 - alpha) + cloud * alpha) * darkening
        x += rng.standard_normal(shape, dtype=np.float32) * (0.003 + 0.01 * x)
        refl[band] = np.maximum(x, 0).astype(np.float32)
    return refl, clm


# --- outputs -----------------------------------------------------------------------------
def _write_parcels(path, grid, rects, fields):
    """The wheat fields as a GeoPackage of polygons with their field_id."""
    from osgeo import ogr, osr
    srs = osr.SpatialReference()
    srs.SetFromUserInput(grid.crs)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("field_id", ogr.OFTInteger))
    for f in fields:
        r0, r1, c0, c1 = rects[f["id"]]
        x0, y0 = grid.x0 + c0 * grid.res, grid.y0 - r0 * grid.res
        x1, y1 = grid.x0 + c1 * grid.res, grid.y0 - r1 * grid.res
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)):
            ring.AddPoint_2D(x, y)
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("field_id", f["id"])
        feature.SetGeometry(poly)
        layer.CreateFeature(feature)
    ds = None
    return path


def _write_truth(truth_dir, grid, ids, kinds, fields):
    """Truth rasters on the product's 10 m grid, and fields.csv."""
    grid10 = grid.at_resolution(10)
    ids10 = np.repeat(np.repeat(ids, 2, 0), 2, 1)
    write_raster(truth_dir / "FIELDS_TRUTH.tif", ids10, grid10, 0)
    for q in ("biomass", "gpp", "reco", "nee"):
        lut = np.full(len(kinds), TRUTH_NODATA, "float32")
        for f in fields:
            lut[f["id"]] = f[q]
        write_raster(truth_dir / f"{q.upper()}_TRUTH.tif", lut[ids10], grid10, TRUTH_NODATA)
    with open(truth_dir / "fields.csv", "w", newline="", encoding="utf-8") as out:
        keys = ("id",) + FREE + ("biomass", "gpp", "reco", "nee")
        w = csv.writer(out)
        w.writerow(keys + ("peak_gai",))
        w.writerows([f[k] for k in keys] + [float(f["gai"].max())] for f in fields)


def _write_readme(truth_dir, seed, size, tile, start, end, revisit_days, dates, fields):
    (truth_dir / "README.txt").write_text(f"""\
SYNTHETIC DATA - generated by the Chaînon scene simulator (core/scenes/crop_carbon.py).
Not real Sentinel-2 observations, not real weather.

Parameters: seed={seed}, size={size} px at {RES:g} m, tile T{tile}, season {start} to {end},
revisit {revisit_days} days, {len(dates)} acquisitions, {len(fields)} winter-wheat fields.
Inputs beside this folder: S2/ (THEIA L2A), meteo.csv (daily tmin, tmax in degC and
global radiation in MJ m-2 d-1, south-west France-like climate), crop_mask.tif (1 = wheat),
parcels.gpkg (wheat fields, field_id).

Truth: SAFY with the SAFY-CO2 carbon terms (core/safy.py) run per wheat field with its
own parameters (fields.csv: D0 in days from {start}, ELUE g/MJ, PlB, STT and RS in degC.d).
On the 10 m grid: FIELDS_TRUTH.tif (field id, 0 = hedge), BIOMASS_TRUTH.tif (dry
above-ground biomass at harvest, t/ha), GPP_TRUTH.tif, RECO_TRUTH.tif, NEE_TRUTH.tif
(season totals, g C/m2, NEE = Reco - GPP, negative = uptake); -9999 outside wheat.
Reflectances: band-wise Beer-law mixtures of the field's soil (brightness +-10 %) and a
green canopy driven by the true GAI, noise, clouds flagged in CLM.
""", encoding="utf-8")
