"""Independent wheat scenes for crop biomass / CO2 and crop yield: a
WOFOST-like crop model (validation/sims/wofost.py, NOT SAFY) drives a canopy
reflectance model of our own (validation/sims/canopy.py, NOT PROSAIL) and
writes THEIA L2A products with the real sun angles in their metadata.

Physics (see the two modules for equations and sources):
- WOFOST 7 phenology (thermal time, daylength, vernalisation), leaf-level
  asymptotic light response integrated over the canopy with the variety's
  leaf-angle distribution, maintenance + growth respiration, partitioning,
  leaf ageing and death, stem reserves, soil-water bucket with water stress;
  GPP, Ra, Rh (soil + residues), NEE = Ra + Rh - GPP (negative = uptake).
- Canopy reflectance from green and senescent areas, leaf angle, sun zenith,
  chlorophyll (nitrogen), leaf water, soil brightness and wetness.
Confounders the retrievals must survive:
- sowing dates 1 October to 20 December (a fifth early, 1-15 Oct; a fifth
  late, 25 Nov - 20 Dec): late sowings emerge in winter, develop late;
- three varieties: planophile (mean leaf angle 42 deg), spherical-like
  (57 deg) and erectophile (68 deg), plus a +/-6 % precocity;
- low-nitrogen fields (a quarter): AMAX x 0.75-0.85, thinner canopies,
  lower chlorophyll (paler in the visible);
- soil water capacity 120-230 mm varying between and within fields, and a
  spring dryness that varies with the seed (drought years);
- low winter sun (zenith up to ~70 deg at 10:45 UTC) over erectophile and
  planophile canopies; wet soils after rain; straw after harvest;
  volunteers before sowing on some fields; frost leaf kill;
- ~40 % cloudy dates (more in winter), shadows, unmasked cloud fringes and
  haze on ~15 % of dates; R1 bands with their own noise (core writer);
- within-field variability: 5 vigour classes per field (water capacity,
  nitrogen), plus pixel noise;
- the yield scene: declared yields with 4 % noise and 3 % gross errors
  (x10 unit slips, swapped values, zeros), elevation lowering temperature
  and thinning soils on the hills, several crops beside wheat.
Simplified: one weather series per scene (the CSV) with a lapse rate per
unit in the yield scene; no N balance; no view-angle variation across the
swath (one random view zenith per date); no out-of-swath dates.

Units: biomass = total above-ground dry matter at maturity incl. dead leaves
and stems (WOFOST TAGP), t ha-1; yield = grain at 15 % moisture (9 % for
rapeseed and sunflower), t ha-1; fluxes g C m-2 (cumulated from `start` to
`end` for the fields' truths), NEE = Reco - GPP (negative = uptake).

Files of make_carbon_scene (out_dir/): s2/ (THEIA products), meteo.csv
(date,tmin,tmax,radiation,rain, 60 days before start to 30 after end),
crop_mask.tif (1 wheat), parcels.geojson (EPSG:4326; id, kind) and truth/:
fields.csv (one row per field, the `fields` dicts), daily.csv (field, date,
dvs, lai, gai, bai, biomass_t_ha, grain_t_ha, gpp, ra, rh, reco, nee per
day, g C m-2 d-1), field_id.tif, biomass_harvest.tif, yield.tif, gpp.tif,
nee.tif (per pixel), gai_dates.tif (true GAI on every acquisition date, one
band per date, band description = date).
Files of make_yield_scene: s2/, meteo.csv, dem.tif, parcels.geojson
(EPSG:2154 as the RPG; ID_PARCEL, CODE_CULTU, RDT_DECL), units.geojson
(code, name), statistics.csv (code,yield: area-weighted true mean wheat
yield per unit), reference.geojson (ID_PARCEL, code = OSO class),
land_cover.tif (OSO-like map with 5 % of parcels and 2 % of pixels wrong,
forest 16, village 2) and truth/: parcels.csv (parcel, crop, yield,
declared, area_ha, unit, error, sowing, variety, n_status, awc_mm,
elevation), parcel_label.tif, gai_dates.tif.
"""
import csv
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import rasterio
from rasterio.features import shapes
from rasterio.warp import transform_geom
from scipy import ndimage
from scipy.spatial import cKDTree

from ...core.grid import Grid
from ...core.scenes.common import acquisition_times, fbm, tile_grid
from ...core.simulate import write_raster, write_theia_product
from . import canopy
from .wofost import Units, simulate

ORIGIN = {"31TCJ": (300000.0, 4900020.0)}
VARIETIES = {"planophile": 42.0, "intermediate": 57.0, "erectophile": 68.0}
CHL = {"normal": 48.0, "low": 30.0}       # leaf chlorophyll, ug cm-2
N_CLASSES = 5                             # vigour classes per field
MARGIN_BEFORE, MARGIN_AFTER = 60, 30      # weather days around the season
SERIES = ("lai", "gai", "bai", "dvs", "biomass", "wso", "gpp", "ra", "rh", "stress", "flower")
EVENTS = ("emergence", "anthesis", "maturity", "harvest", "biomass_harvest", "yield_")


@dataclass
class CarbonScene:
    s2_folder: Path
    meteo_path: Path
    crop_mask_path: Path
    parcels_path: Path
    truth_dir: Path
    dates: list
    grid: Grid
    start: date
    end: date
    fields: list = field(default_factory=list)


@dataclass
class YieldScene:
    s2_folder: Path
    parcels_path: Path
    units_path: Path
    statistics_path: Path
    truth_path: Path
    truth_dir: Path
    dem_path: Path
    meteo_path: Path
    dates: list
    grid: Grid
    start: date
    end: date
    true_yield: dict
    reference_path: Path
    land_cover_path: Path
    parcels: list = field(default_factory=list)


# --- layout ----------------------------------------------------------------------------
def voronoi_labels(rng, shape, n):
    """Labels 1..n of jittered-grid Voronoi cells with 1-pixel lanes (0)
    between them: straight-edged fields separated by tracks and hedges."""
    h, w = shape
    k = int(np.ceil(np.sqrt(n)))
    cy, cx = np.meshgrid((np.arange(k) + 0.5) * h / k, (np.arange(k) + 0.5) * w / k,
                         indexing="ij")
    pts = np.column_stack([cy.ravel(), cx.ravel()])
    pts += rng.uniform(-0.35, 0.35, pts.shape) * np.array([h / k, w / k])
    pts = pts[rng.permutation(len(pts))[:n]]
    yy, xx = np.mgrid[0:h, 0:w]
    _, idx = cKDTree(pts).query(np.column_stack([yy.ravel(), xx.ravel()]))
    labels = idx.reshape(shape).astype(np.int32) + 1
    edge = np.zeros(shape, bool)
    edge[:, :-1] |= labels[:, :-1] != labels[:, 1:]
    edge[:-1, :] |= labels[:-1, :] != labels[1:, :]
    labels[edge] = 0
    return labels


def vigour_classes(rng, labels, n_classes=N_CLASSES):
    """Per pixel a vigour class 0..n-1 (quantiles of smooth noise inside its field)
    and the class mean of that noise (zero-mean, unit-variance scale)."""
    noise = fbm(rng, labels.shape, (600, 300, 120))
    cls = np.zeros(labels.shape, np.int32)
    for lab in np.unique(labels[labels > 0]):
        m = labels == lab
        q = np.quantile(noise[m], np.linspace(0, 1, n_classes + 1)[1:-1])
        cls[m] = np.searchsorted(q, noise[m])
    level = np.linspace(-1.2, 1.2, n_classes)
    return cls, level


def polygons(labels, grid, crs_out="EPSG:4326"):
    """label -> GeoJSON geometry (Polygon or MultiPolygon) in `crs_out`."""
    parts = {}
    for geom, value in shapes(labels, mask=labels > 0, transform=grid.transform):
        parts.setdefault(int(value), []).append(geom["coordinates"])
    out = {}
    for lab, rings in parts.items():
        geom = ({"type": "Polygon", "coordinates": rings[0]} if len(rings) == 1
                else {"type": "MultiPolygon", "coordinates": rings})
        out[lab] = transform_geom(grid.crs, crs_out, geom) if crs_out != grid.crs else geom
    return out


def write_geojson(path, features, crs=None):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geom} for geom, props in features]}
    if crs and crs != "EPSG:4326":
        doc["crs"] = {"type": "name",
                      "properties": {"name": f"urn:ogc:def:crs:EPSG::{crs.split(':')[1]}"}}
    Path(path).write_text(json.dumps(doc))
    return Path(path)


# --- crop runs -------------------------------------------------------------------------
def draw_sowing(rng, kind, season_year):
    """Sowing date of a crop harvested in `season_year`."""
    y0 = season_year - 1
    if kind == "wheat":
        u = rng.random()
        if u < 0.2:
            return date(y0, 10, 1) + timedelta(int(rng.integers(0, 15)))
        if u < 0.8:
            return date(y0, 10, 16) + timedelta(int(rng.integers(0, 40)))
        return date(y0, 11, 25) + timedelta(int(rng.integers(0, 26)))
    start = {"barley": date(y0, 10, 5), "rapeseed": date(y0, 8, 25),
             "sunflower": date(season_year, 4, 5), "maize": date(season_year, 4, 20),
             "grassland": date(season_year, 5, 15)}[kind]    # meadows: the hay cut
    return start + timedelta(int(rng.integers(0, 30)))


def draw_field(rng, kind, season_year, fid):
    """Management and variety of one field."""
    variety = rng.choice(list(VARIETIES)) if kind == "wheat" else "intermediate"
    n_status = "low" if rng.random() < 0.25 else "normal"
    return dict(id=fid, kind=kind, sowing=draw_sowing(rng, kind, season_year),
                variety=str(variety), n_status=n_status,
                n_factor=float(rng.uniform(0.75, 0.85) if n_status == "low"
                               else rng.uniform(0.95, 1.05)),
                precocity=float(rng.uniform(0.94, 1.06)), awc=float(rng.uniform(120, 230)),
                r10=float(rng.uniform(0.6, 1.0)), soil=float(rng.uniform(0.75, 1.3)),
                clumping=float(rng.uniform(0.78, 0.92)), straw=float(rng.choice([0.0, 1.0])),
                harvest_lag=int(rng.integers(3, 14)), till_lag=int(rng.integers(10, 45)),
                volunteers=float(rng.uniform(0.1, 0.4)) if rng.random() < 0.3 else 0.0)


def run_fields(fields, weather, day0, unit_level, unit_dt=None):
    """Simulate every (field, vigour class) unit, crop by crop. Returns the
    daily series (days, units) and events per unit; unit = field_index *
    N_CLASSES + class."""
    nu = len(fields) * N_CLASSES
    nd = len(weather["days"])
    series = {k: np.zeros((nd, nu), np.float32) for k in SERIES}
    events = {k: np.full(nu, -1.0) for k in EVENTS}
    for kind in sorted({f["kind"] for f in fields}):
        idx = [i for i, f in enumerate(fields) if f["kind"] == kind]
        units = np.array([i * N_CLASSES + c for i in idx for c in range(N_CLASSES)])
        if kind == "grassland":
            out, ev = grass_series(fields, idx, weather), {}
        else:
            rep = lambda key: np.repeat([fields[i][key] for i in idx], N_CLASSES).astype(float)
            lev = np.tile(unit_level, len(idx))
            u = Units(sow=np.repeat([(fields[i]["sowing"] - day0).days for i in idx], N_CLASSES),
                      x_leaf=canopy.ellipsoid_x(np.repeat(
                          [VARIETIES[fields[i]["variety"]] for i in idx], N_CLASSES)),
                      tsum_factor=rep("precocity"),
                      n_factor=np.clip(rep("n_factor") * (1 + 0.04 * lev), 0.6, 1.1),
                      awc=rep("awc") * (1 + 0.15 * lev), r10=rep("r10"),
                      dt=np.zeros(len(units)) if unit_dt is None else unit_dt[units],
                      straw_left=rep("straw"), harvest_lag=rep("harvest_lag"))
            out, ev = simulate(weather, u, crop=kind)
        for k in SERIES:
            series[k][:, units] = out[k]
        for k in ev:
            events[k][units] = ev[k]
    _surface_states(fields, series, events, weather)
    return series, events


def grass_series(fields, idx, weather):
    """Meadows (RPG PPH) beside the crops: thermal-time spring growth, one
    hay cut between mid-May and late June, regrowth, summer browning."""
    nd, n = len(weather["days"]), len(idx) * N_CLASSES
    gai, bai = np.zeros((nd, n), np.float32), np.zeros((nd, n), np.float32)
    for j, i in enumerate(idx):
        cut = fields[i]["sowing"]               # the cut date is drawn as the "sowing"
        g, sl = 0.8, slice(j * N_CLASSES, (j + 1) * N_CLASSES)
        for t in range(nd):
            temp = weather["tmean"][t]
            growth = 0.012 * max(temp - 5, 0) * g * (1 - g / 5.5)
            senesce = 0.02 * g * (weather["doy"][t] > 190) * (weather["rain"][t] < 1)
            g = max(g + growth - senesce, 0.3)
            if weather["days"][t] == cut:
                g = 0.5
            gai[t, sl] = g * (1 + 0.05 * np.linspace(-1, 1, N_CLASSES))
            bai[t, sl] = 0.3 + 0.5 * (weather["doy"][t] > 190)
    zeros = np.zeros((nd, n), np.float32)
    return dict(lai=gai, gai=gai, bai=bai, dvs=zeros, biomass=zeros, wso=zeros, gpp=zeros,
                ra=zeros, rh=zeros, stress=zeros, flower=zeros)


def _surface_states(fields, series, events, weather):
    """Straw/stubble after harvest until tillage; volunteers before sowing;
    the next winter crop emerging in the autumn."""
    nd = len(weather["days"])
    t = np.arange(nd)[:, None]
    for i, f in enumerate(fields):
        sl = slice(i * N_CLASSES, (i + 1) * N_CLASSES)
        if f.get("next_sowing"):
            nxt = (f["next_sowing"] - weather["days"][0]).days + 12
            series["gai"][:, sl] = np.where(t > nxt, np.minimum(0.012 * (t - nxt), 0.7),
                                            series["gai"][:, sl])
        h = events["harvest"][sl][None, :]
        after = (h >= 0) & (t >= h) & (t < h + f["till_lag"])
        stubble = (0.6 + 0.6 * f["straw"]) * np.exp(-(t - h) / 60.0)
        series["bai"][:, sl] = np.where(after, stubble, series["bai"][:, sl])
        if f["volunteers"] > 0:
            sow = (f["sowing"] - weather["days"][0]).days
            before = (t < sow) & (t >= max(sow - 50, 0))
            series["gai"][:, sl] = np.where(before, f["volunteers"] * np.minimum(
                (t - sow + 50) / 30, 1), series["gai"][:, sl])


# --- reflectance ---------------------------------------------------------------------------
def scene_reflectance(rng, when, day, series, pix_unit, pix, weather, wetness):
    """(h, w, band) surface reflectance on one date. `pix`: per-pixel static
    properties (x, cab, soil, clumping, gain noise) with pix_unit = -1 for
    non-crop pixels, which take `pix['other_*']`."""
    zen, az = canopy.sun_angles(when)
    view = float(rng.uniform(1, 10))
    u = np.maximum(pix_unit, 0)
    crop = pix_unit >= 0
    other = pix["other_kind"]
    gai = np.where(crop, series["gai"][day][u] * pix["gain"],
                   pix["other_gai"][other, day] * pix["other_gain"])
    bai = np.where(crop, series["bai"][day][u], pix["other_bai"][other, day])
    flower = np.where(crop, series["flower"][day][u], 0)
    # chlorophyll falls with ripening (DVS > 1.2) and under water stress
    dvs = np.where(crop, series["dvs"][day][u], 0)
    cab = pix["cab"] * np.clip(1 - (dvs - 1.2) / 0.8, 0.25, 1) * (
        1 - 0.3 * np.where(crop, series["stress"][day][u], 0))
    cw = 0.015 * np.clip(1 - (dvs - 1.4) / 0.6, 0.2, 1)
    soil = canopy.soil_reflectance(pix["soil"], np.clip(wetness[day] * pix["wet_gain"], 0, 1))
    refl = canopy.canopy_reflectance(gai, bai, pix["x"], cab, cw, soil, zen, view,
                                     pix["clumping"], flower)
    return refl, (zen, az)


def write_products(rng, s2_folder, tile, grid, times, day_index, series, pix_unit, pix,
                   weather, fractions=None):
    """Write one THEIA product per time; returns the acquisition dates.
    `fractions`: cloud fraction per date (default: ~40 % cloudy dates)."""
    wetness = canopy.surface_wetness(weather["rain"])
    if fractions is None:
        fractions = canopy.cloudy_date_fractions(rng, [w.date() for w in times])
    dates = []
    for k, when in enumerate(times):
        day = day_index(when.date())
        refl, sun = scene_reflectance(rng, when, day, series, pix_unit, pix, weather, wetness)
        refl = refl + rng.normal(0, 0.003, refl.shape).astype(np.float32)
        refl, clm, _ = canopy.apply_sky(rng, refl, fractions[k])
        bands = {b: np.clip(refl[..., i], 0.0001, 1.2) for i, b in enumerate(canopy.BANDS)}
        write_theia_product(s2_folder, ("SENTINEL2A", "SENTINEL2B")[k % 2], when, tile, grid,
                            bands, clm, sun_angles=sun)
        dates.append(when.date())
    return dates


OTHER_SOIL = (0.9, 0.6, 1.5)     # lanes, forest floor, village roofs and roads


def pixel_properties(rng, labels, fields, field_of_label, cls, grid_shape, weather,
                     other_kind=None):
    """Static per-pixel properties and the series of the pixels outside the
    fields: other_kind 0 lanes and hedges, 1 broad-leaved forest, 2 village."""
    h, w = grid_shape
    nd = len(weather["days"])
    noise = fbm(rng, (h, w), (400, 100))
    fi = np.array([field_of_label.get(int(v), -1) for v in labels.ravel()]).reshape(h, w)
    crop = fi >= 0
    get = lambda key, default: np.where(crop, np.array(
        [f[key] for f in fields] + [default])[fi], default)
    x = canopy.ellipsoid_x(np.where(crop, np.array(
        [VARIETIES[f["variety"]] for f in fields] + [57.0])[fi], 57.0))
    cab = np.where(crop, np.array([CHL[f["n_status"]] for f in fields] + [45.0])[fi], 45.0)
    doy = weather["doy"]
    leaf_on = 1 / (1 + np.exp(-(doy - 110) / 6)) / (1 + np.exp((doy - 300) / 8))
    season = np.stack([1.4 + 0.9 * np.sin(2 * np.pi * (doy - 80) / 365),
                       0.2 + 4.0 * leaf_on, 0.3 + 0.2 * leaf_on]).astype(np.float32)
    brown = np.stack([np.full(nd, 0.4), 1.0 - 0.6 * leaf_on, np.full(nd, 0.1)])
    other_kind = np.zeros((h, w), np.int32) if other_kind is None else other_kind
    soil_other = np.array(OTHER_SOIL)[other_kind]
    pix_unit = np.where(crop, fi * N_CLASSES + cls, -1)
    pix = dict(x=x.astype(np.float32), cab=(cab * (1 + 0.05 * noise)).astype(np.float32),
               soil=(np.where(crop, get("soil", 0.9), soil_other)
                     * (1 + 0.04 * noise)).astype(np.float32),
               clumping=get("clumping", 0.9).astype(np.float32),
               gain=(1 + 0.04 * rng.standard_normal((h, w))).astype(np.float32),
               wet_gain=(1 + 0.2 * noise).astype(np.float32),
               other_kind=other_kind, other_gai=season,
               other_gain=np.maximum(1 + 0.3 * noise, 0.2).astype(np.float32),
               other_bai=brown.astype(np.float32))
    return pix_unit, pix


# --- the carbon scene -----------------------------------------------------------------------
def make_carbon_scene(out_dir, seed=0, size=96, start=date(2018, 10, 1), end=date(2019, 7, 31),
                      tile="31TCJ", n_fields=None, revisit_days=5):
    """A wheat area for crop biomass and CO2: ~30 fields at 96 px (20 m),
    most wheat, a few barley / rapeseed / sunflower / maize."""
    out_dir = Path(out_dir)
    s2, truth = out_dir / "s2", out_dir / "truth"
    s2.mkdir(parents=True, exist_ok=True)
    truth.mkdir(exist_ok=True)
    rng = np.random.default_rng(10_000 + seed)
    grid = tile_grid(tile, size, ORIGIN.get(tile, ORIGIN["31TCJ"]))
    day0 = start - timedelta(MARGIN_BEFORE)
    weather = canopy.make_weather(rng, day0, end + timedelta(MARGIN_AFTER))
    meteo_path = canopy.write_meteo_csv(out_dir / "meteo.csv", weather)
    n = n_fields or max(6, round(30 * (size / 96) ** 2))
    labels = voronoi_labels(rng, (size, size), n)
    others = ["barley", "rapeseed", "sunflower", "maize"]
    kinds = ["wheat"] * n
    for j, i in enumerate(rng.permutation(n)[:max(2, n // 6)]):
        kinds[i] = others[j % len(others)]
    fields = [draw_field(rng, kinds[i], end.year, i + 1) for i in range(n)]
    cls, level = vigour_classes(rng, labels)
    series, events = run_fields(fields, weather, day0, level)
    field_of_label = {i + 1: i for i in range(n)}
    pix_unit, pix = pixel_properties(rng, labels, fields, field_of_label, cls, labels.shape,
                                     weather)
    times = acquisition_times(rng, start, end, revisit_days)
    dates = write_products(rng, s2, tile, grid, times, lambda d: (d - day0).days, series,
                           pix_unit, pix, weather)
    # truth
    counts = np.bincount(pix_unit[pix_unit >= 0], minlength=n * N_CLASSES).astype(float)
    i0, i1 = (start - day0).days, (end - day0).days + 1
    table = _field_truth(fields, series, events, counts, weather, i0, i1)
    _write_carbon_truth(truth, table, fields, series, counts, weather, i0, i1, grid, labels,
                        pix_unit, events, dates, day0)
    mask = np.isin(labels, [f["id"] for f in fields if f["kind"] == "wheat"]).astype(np.uint8)
    crop_mask_path = write_raster(out_dir / "crop_mask.tif", mask, grid)
    geoms = polygons(labels, grid)
    parcels_path = write_geojson(out_dir / "parcels.geojson", [
        (geoms[f["id"]], {"id": f["id"], "kind": f["kind"]}) for f in fields if f["id"] in geoms])
    return CarbonScene(s2, meteo_path, crop_mask_path, parcels_path, truth, dates, grid, start,
                       end, table)


PUBLIC_KEYS = ("id", "kind", "sowing", "variety", "n_status")


def _field_truth(fields, series, events, counts, weather, i0, i1):
    """One dict per field: management and pixel-weighted truths."""
    table = []
    for i, f in enumerate(fields):
        sl = slice(i * N_CLASSES, (i + 1) * N_CLASSES)
        w = counts[sl] / max(counts[sl].sum(), 1)
        cum = lambda k: float((series[k][i0:i1, sl].sum(0) * w).sum())
        gpp, ra, rh = cum("gpp"), cum("ra"), cum("rh")
        ev = lambda k: (weather["days"][int(events[k][sl][0])]
                        if events[k][sl][0] >= 0 else None)
        table.append(dict(
            {k: f[k] for k in PUBLIC_KEYS}, pixels=int(counts[sl].sum()),
            awc_mm=round(f["awc"], 1), n_factor=round(f["n_factor"], 3),
            biomass_harvest_t_ha=float((events["biomass_harvest"][sl] * w).sum()),
            yield_t_ha=float((events["yield_"][sl] * w).sum()),
            gpp_gc_m2=gpp, ra_gc_m2=ra, rh_gc_m2=rh, reco_gc_m2=ra + rh,
            nee_gc_m2=ra + rh - gpp, emergence=ev("emergence"), anthesis=ev("anthesis"),
            maturity=ev("maturity"), harvest=ev("harvest")))
    return table


def _write_carbon_truth(truth, table, fields, series, counts, weather, i0, i1, grid, labels,
                        pix_unit, events, dates, day0):
    keys = ("dvs", "lai", "gai", "bai", "biomass", "wso", "gpp", "ra", "rh")
    with open(truth / "daily.csv", "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["field", "date", "dvs", "lai", "gai", "bai", "biomass_t_ha", "grain_t_ha",
                     "gpp", "ra", "rh", "reco", "nee"])
        for i, f in enumerate(fields):
            sl = slice(i * N_CLASSES, (i + 1) * N_CLASSES)
            w = counts[sl] / max(counts[sl].sum(), 1)
            m = {k: series[k][:, sl] @ w for k in keys}
            for t in range(i0, i1):
                reco = m["ra"][t] + m["rh"][t]
                wr.writerow([f["id"], weather["days"][t].isoformat()]
                            + [f"{m[k][t]:.4f}" for k in keys]
                            + [f"{reco:.4f}", f"{reco - m['gpp'][t]:.4f}"])
    with open(truth / "fields.csv", "w", newline="") as fh:
        wr = csv.DictWriter(fh, fieldnames=list(table[0]))
        wr.writeheader()
        wr.writerows(table)
    write_raster(truth / "field_id.tif", labels.astype(np.int32), grid, nodata=0)
    u = np.maximum(pix_unit, 0)
    crop = pix_unit >= 0
    per_pixel = {
        "biomass_harvest.tif": events["biomass_harvest"],
        "yield.tif": events["yield_"],
        "gpp.tif": series["gpp"][i0:i1].sum(0),
        "nee.tif": (series["ra"][i0:i1] + series["rh"][i0:i1] - series["gpp"][i0:i1]).sum(0)}
    for name, values in per_pixel.items():
        write_raster(truth / name, np.where(crop, values[u], np.nan).astype(np.float32), grid,
                     nodata=np.nan)
    _write_gai_stack(truth / "gai_dates.tif", series["gai"], [(d - day0).days for d in dates],
                     u, crop, grid, dates)


def _write_gai_stack(path, gai, days, u, crop, grid, dates):
    """True GAI of every crop pixel on every acquisition date (one band per date)."""
    profile = dict(driver="GTiff", width=grid.width, height=grid.height, count=len(days),
                   dtype="float32", crs=grid.crs, transform=grid.transform, nodata=np.nan,
                   compress="deflate")
    with rasterio.open(path, "w", **profile) as ds:
        for k, (day, d) in enumerate(zip(days, dates)):
            ds.write(np.where(crop, gai[day][u], np.nan).astype(np.float32), k + 1)
            ds.set_band_description(k + 1, d.isoformat())


# --- the yield scene -------------------------------------------------------------------------
RPG = {"wheat": "BTH", "barley": "ORH", "rapeseed": "CZH", "maize": "MIS", "sunflower": "TRN",
       "grassland": "PPH"}
OSO = {"wheat": 6, "barley": 6, "rapeseed": 5, "maize": 10, "sunflower": 9, "grassland": 13}
CROP_SHARES = {"wheat": 0.66, "barley": 0.07, "rapeseed": 0.08, "maize": 0.07,
               "sunflower": 0.05, "grassland": 0.07}
DECLARED_SHARE = 0.9       # wheat parcels with a declared yield
NOISE, GROSS = 0.04, 0.03  # relative noise and share of gross errors of the declarations
N_UNITS = 6


def make_yield_scene(out_dir, seed=0, size=192, year=2018, tile="31TCJ", revisit_days=5):
    """Wheat yield over a calendar year: ~310 parcels of 50-150 px (20 m) at
    192 px, ~200 of them soft wheat (~180 declared), in 6 administrative
    units, with forest, a village and a DEM."""
    out_dir = Path(out_dir)
    s2, truth = out_dir / "s2", out_dir / "truth"
    s2.mkdir(parents=True, exist_ok=True)
    truth.mkdir(exist_ok=True)
    rng = np.random.default_rng(20_000 + seed)
    grid = tile_grid(tile, size, ORIGIN.get(tile, ORIGIN["31TCJ"]))
    start, end = date(year, 1, 1), date(year, 12, 31)
    day0 = date(year - 1, 8, 1)
    weather = canopy.make_weather(rng, day0, end + timedelta(MARGIN_AFTER))
    meteo_path = canopy.write_meteo_csv(out_dir / "meteo.csv", weather)
    shape = (size, size)
    dem = (200 + 45 * fbm(rng, shape, (3200, 1600, 800, 400))).astype(np.float32)
    dem_path = write_raster(out_dir / "dem.tif", dem, grid)
    units_lab = voronoi_labels(rng, shape, N_UNITS)
    units_lab = _fill_lanes(units_lab)
    other_kind = _forest_and_village(rng, shape)
    labels = _parcels_in_units(rng, shape, units_lab, other_kind, round(400 * (size / 192) ** 2))
    n = int(labels.max())
    kinds = list(rng.choice(list(CROP_SHARES), n, p=list(CROP_SHARES.values())))
    fields = [draw_field(rng, k, year, i + 1) for i, k in enumerate(kinds)]
    for f in fields:
        f["next_sowing"] = (date(year, 10, 5) + timedelta(int(rng.integers(0, 56)))
                            if rng.random() < 0.6 else None)
    cls, level = vigour_classes(rng, labels)
    # hills: cooler (lapse rate) and shallower soils
    unit_dt = np.zeros(n * N_CLASSES)
    for i, f in enumerate(fields):
        m = labels == i + 1
        z = float(dem[m].mean())
        f["elevation"] = z
        f["awc"] *= float(np.clip(1 - 0.004 * (z - 200), 0.7, 1.2))
        unit_dt[i * N_CLASSES:(i + 1) * N_CLASSES] = -0.0065 * (z - 200)
    series, events = run_fields(fields, weather, day0, level, unit_dt)
    pix_unit, pix = pixel_properties(rng, labels, fields, {i + 1: i for i in range(n)}, cls,
                                     shape, weather, other_kind)
    times = acquisition_times(rng, start, end, revisit_days)
    dates = write_products(rng, s2, tile, grid, times, lambda d: (d - day0).days, series,
                           pix_unit, pix, weather)
    counts = np.bincount(pix_unit[pix_unit >= 0], minlength=n * N_CLASSES).astype(float)
    table = _parcel_table(rng, fields, events, counts, labels, units_lab, grid)
    return _write_yield_files(out_dir, truth, grid, table, labels, units_lab, other_kind,
                              fields, dates, series, pix_unit, day0, s2, dem_path, meteo_path,
                              start, end, rng)


def _fill_lanes(labels):
    """Voronoi labels without lanes (each lane pixel takes its nearest label)."""
    idx = ndimage.distance_transform_edt(labels == 0, return_distances=False,
                                         return_indices=True)
    return labels[tuple(idx)]


def _forest_and_village(rng, shape):
    """0 farmland, 1 broad-leaved forest (~10 %), 2 a village."""
    h, w = shape
    kind = np.zeros(shape, np.int32)
    woods = fbm(rng, shape, (1600, 800, 400))
    kind[woods > np.quantile(woods, 0.9)] = 1
    cy, cx = rng.uniform(0.2, 0.8, 2) * np.array([h, w])
    yy, xx = np.mgrid[0:h, 0:w]
    kind[np.hypot(yy - cy, xx - cx) < 0.06 * min(h, w)] = 2
    return kind


def _parcels_in_units(rng, shape, units_lab, other_kind, n_seeds):
    """Parcel labels 1..n: Voronoi cells cut by the unit boundaries, outside
    forest and village; pieces under 50 px become lanes (0)."""
    cells = voronoi_labels(rng, shape, n_seeds)
    combo = np.where((cells > 0) & (other_kind == 0), cells * (N_UNITS + 1) + units_lab, 0)
    out = np.zeros(shape, np.int32)
    k = 0
    for value in np.unique(combo[combo > 0]):
        pieces, m = ndimage.label(combo == value)
        for j in range(1, m + 1):
            piece = pieces == j
            if piece.sum() >= 50:
                k += 1
                out[piece] = k
    return out


def _parcel_table(rng, fields, events, counts, labels, units_lab, grid):
    """Truth and declarations per parcel (declared yields with noise and gross errors)."""
    px_ha = grid.res ** 2 / 1e4
    table = []
    for i, f in enumerate(fields):
        sl = slice(i * N_CLASSES, (i + 1) * N_CLASSES)
        w = counts[sl] / max(counts[sl].sum(), 1)
        m = labels == i + 1
        unit = int(np.bincount(units_lab[m]).argmax())
        y = float((events["yield_"][sl] * w).sum()) if f["kind"] != "grassland" else None
        table.append(dict(parcel=str(100000 + f["id"]), crop=RPG[f["kind"]], kind=f["kind"],
                          unit=unit, yield_=y, area_ha=float(m.sum() * px_ha),
                          sowing=f["sowing"], variety=f["variety"], n_status=f["n_status"],
                          awc_mm=f["awc"], elevation=f["elevation"], declared=None,
                          error="", label=i + 1))
    wheat = [r for r in table if r["kind"] == "wheat"]
    declared = [wheat[j] for j in sorted(rng.permutation(len(wheat))[:round(
        DECLARED_SHARE * len(wheat))])]
    for r in declared:
        r["declared"] = round(r["yield_"] * (1 + NOISE * rng.standard_normal()), 1)
    n_gross = max(1, round(GROSS * len(declared)))
    for j, r in enumerate(rng.permutation(len(declared))[:n_gross]):
        r = declared[r]
        kind = ("x10", "swap", "zero")[j % 3]
        if kind == "x10":
            r["declared"] = round(r["declared"] * 10, 1)
        elif kind == "zero":
            r["declared"] = 0.0
        else:
            other = declared[int(rng.integers(len(declared)))]
            r["declared"], other["declared"] = other["declared"], r["declared"]
            other["error"] = "swap" if other is not r else other["error"]
        r["error"] = kind
    return table


def _write_yield_files(out_dir, truth, grid, table, labels, units_lab, other_kind, fields,
                       dates, series, pix_unit, day0, s2, dem_path, meteo_path, start, end, rng):
    geoms = polygons(labels, grid, "EPSG:2154")
    parcels_path = write_geojson(out_dir / "parcels.geojson", [
        (geoms[r["label"]], {"ID_PARCEL": r["parcel"], "CODE_CULTU": r["crop"],
                             "RDT_DECL": r["declared"]}) for r in table], "EPSG:2154")
    reference_path = write_geojson(out_dir / "reference.geojson", [
        (geoms[r["label"]], {"ID_PARCEL": r["parcel"], "code": OSO[r["kind"]]})
        for r in table], "EPSG:2154")
    codes = {u: f"31{100 + 37 * u:03d}" for u in range(1, N_UNITS + 1)}
    ugeoms = polygons(units_lab, grid, "EPSG:2154")
    units_path = write_geojson(out_dir / "units.geojson", [
        (ugeoms[u], {"code": codes[u], "name": f"Commune {chr(64 + u)}"}) for u in ugeoms],
        "EPSG:2154")
    stats = {}
    for u in codes:
        rows = [r for r in table if r["kind"] == "wheat" and r["unit"] == u]
        if rows:
            a = np.array([r["area_ha"] for r in rows])
            stats[codes[u]] = float(np.dot(a, [r["yield_"] for r in rows]) / a.sum())
    statistics_path = out_dir / "statistics.csv"
    statistics_path.write_text("code,yield\n" + "".join(
        f"{c},{y:.3f}\n" for c, y in stats.items()))
    truth_path = truth / "parcels.csv"
    with open(truth_path, "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["parcel", "crop", "yield", "declared", "area_ha", "unit", "error",
                     "sowing", "variety", "n_status", "awc_mm", "elevation"])
        for r in table:
            wr.writerow([r["parcel"], r["crop"], "" if r["yield_"] is None else
                         f"{r['yield_']:.3f}", "" if r["declared"] is None else r["declared"],
                         f"{r['area_ha']:.2f}", codes[r["unit"]], r["error"], r["sowing"],
                         r["variety"], r["n_status"], f"{r['awc_mm']:.0f}",
                         f"{r['elevation']:.0f}"])
    land = _land_cover(rng, labels, table, other_kind)
    land_cover_path = write_raster(out_dir / "land_cover.tif", land, grid, nodata=0)
    write_raster(truth / "parcel_label.tif", labels, grid, nodata=0)
    u = np.maximum(pix_unit, 0)
    _write_gai_stack(truth / "gai_dates.tif", series["gai"], [(d - day0).days for d in dates],
                     u, pix_unit >= 0, grid, dates)
    true_yield = {r["parcel"]: r["yield_"] for r in table if r["kind"] == "wheat"}
    return YieldScene(s2, parcels_path, units_path, statistics_path, truth_path, truth,
                      dem_path, meteo_path, dates, grid, start, end, true_yield,
                      reference_path, land_cover_path, table)


def _land_cover(rng, labels, table, other_kind):
    """An OSO-like map: the parcels' classes with 5 % of parcels in a wrong
    class and 2 % of pixels flipped, forest 16, village 2, lanes like their
    nearest parcel."""
    lut = np.zeros(labels.max() + 1, np.uint8)
    for r in table:
        c = OSO[r["kind"]]
        if rng.random() < 0.05:
            c = int(rng.choice([5, 6, 9, 10, 13]))
        lut[r["label"]] = c
    land = lut[_fill_lanes(labels)] if labels.max() else np.zeros(labels.shape, np.uint8)
    flip = rng.random(labels.shape) < 0.02
    land[flip] = rng.choice(np.array([5, 6, 9, 10, 13], np.uint8), int(flip.sum()))
    land[other_kind == 1] = 16
    land[other_kind == 2] = 2
    return land
