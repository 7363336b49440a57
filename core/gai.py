"""Green area index (GAI) from Sentinel-2, per date, with an uncertainty.

As AgriCarbon-EO (and the Sentinel-2 toolbox's BVNET, Weiss & Baret 2016):
a small neural network trained on PROSAIL simulations (PROSPECT-D + 4SAIL,
core/prosail.py) maps the surface reflectances and the sun zenith of the
acquisition to the GAI. The weights, input scaling and the retrieval error
per GAI bin are in resources/data/gai_prosail_nn.npz, written by
tools/train_gai.py (priors, bands and noise are described there); this
module only evaluates the network, in numpy.

Two band sets: the 20 m red-edge set of the toolbox (B3 B4 B5 B6 B7 B8A B11
B12) when a product has every band, else the 10 m bands B3 B4 B8."""
from datetime import timezone
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parents[1] / "resources" / "data" / "gai_prosail_nn.npz"
BAND_SETS = {"red_edge": ("B3", "B4", "B5", "B6", "B7", "B8A", "B11", "B12"),
             "ten_m": ("B3", "B4", "B8")}
GAI_MAX = 8.0            # top of the training prior


@lru_cache(maxsize=1)
def _model():
    with np.load(MODEL_PATH) as z:
        return {k: z[k].astype("float64") for k in z.files}


def band_set(available):
    """Name of the richest band set whose bands are all in `available`, or None."""
    for name, bands in BAND_SETS.items():
        if set(bands) <= set(available):
            return name
    return None


def gai_from_reflectance(refl, sun_zenith, bands="red_edge"):
    """(GAI, sigma) in m2 m-2 from `refl` (band -> array of reflectance 0-1,
    NaN = no data) at sun zenith `sun_zenith` (deg); NaN where any band is NaN."""
    m = _model()
    x = np.stack([np.asarray(refl[b], "float64") for b in BAND_SETS[bands]]
                 + [np.broadcast_to(np.cos(np.radians(sun_zenith)),
                                    np.shape(refl[BAND_SETS[bands][0]]))], axis=-1)
    x = (x - m[f"{bands}_mean"]) / m[f"{bands}_std"]
    h = np.tanh(np.tanh(x @ m[f"{bands}_w0"] + m[f"{bands}_b0"]) @ m[f"{bands}_w1"]
                + m[f"{bands}_b1"])
    gai = np.clip((h @ m[f"{bands}_w2"] + m[f"{bands}_b2"])[..., 0], 0, GAI_MAX)
    edges = m["sigma_bins"]
    centres = (edges[:-1] + edges[1:]) / 2
    sigma = np.interp(gai, centres, m[f"{bands}_sigma"])
    return gai.astype("float32"), sigma.astype("float32")


def sun_zenith(when, lon, lat):
    """Solar zenith angle (deg) at UTC datetime `when` and lon/lat (deg): the
    NOAA low-precision solar position (declination and equation of time from
    the fractional year), for products whose metadata lack the sun angles."""
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    doy = when.timetuple().tm_yday
    hours = when.hour + when.minute / 60 + when.second / 3600
    g = 2 * np.pi / 365 * (doy - 1 + (hours - 12) / 24)
    eqtime = 229.18 * (0.000075 + 0.001868 * np.cos(g) - 0.032077 * np.sin(g)
                       - 0.014615 * np.cos(2 * g) - 0.040849 * np.sin(2 * g))
    decl = (0.006918 - 0.399912 * np.cos(g) + 0.070257 * np.sin(g) - 0.006758 * np.cos(2 * g)
            + 0.000907 * np.sin(2 * g) - 0.002697 * np.cos(3 * g) + 0.00148 * np.sin(3 * g))
    solar_minutes = hours * 60 + eqtime + 4 * lon
    hour_angle = np.radians(solar_minutes / 4 - 180)
    phi = np.radians(lat)
    cos_z = np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(hour_angle)
    return float(np.degrees(np.arccos(np.clip(cos_z, -1, 1))))
