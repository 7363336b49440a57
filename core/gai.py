"""Green area index (GAI) from Sentinel-2, per date, with an uncertainty.

AgriCarbon-EO inverts the PROSAIL radiative transfer model per date (a LUT
of canopy simulations weighted by the reflectance likelihood). A PROSAIL LUT
is too heavy to ship, so this module uses instead the semi-empirical NDVI
relation of Baret & Guyot (1991), the form used with SAFY by Duchemin et al.
[RECALLED]:

    NDVI = NDVIinf - (NDVIinf - NDVIsoil) exp(-K GAI)
    GAI  = -ln((NDVIinf - NDVI) / (NDVIinf - NDVIsoil)) / K

with constants of the published order (bare soil 0.15, dense canopy 0.92,
K 0.6) [RECALLED, not fitted to a PROSAIL run]. The uncertainty combines an
NDVI error propagated through the relation (which grows without bound as the
NDVI saturates, so near-saturated dates weigh little in the assimilation) and
a relative error of the relation itself."""
import numpy as np

NDVI_SOIL = 0.15
NDVI_INF = 0.92
K_NDVI = 0.6
SIGMA_NDVI = 0.02        # L2A surface reflectance error seen through the NDVI [INFERRED]
RELATIVE_ERROR = 0.15    # error of the NDVI-GAI relation itself (soil, leaf angles) [INFERRED]
SATURATION_MARGIN = 0.01 # NDVI is capped this far below NDVIinf


def ndvi(red, nir):
    """(NIR - red) / (NIR + red); NaN where either is NaN or the sum is not positive."""
    total = nir + red
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (nir - red) / total, np.nan).astype("float32")


def gai_from_ndvi(values):
    """(GAI, sigma) in m2 m-2 from NDVI; NaN stays NaN."""
    v = np.clip(np.asarray(values, "float64"), NDVI_SOIL, NDVI_INF - SATURATION_MARGIN)
    gap = NDVI_INF - v
    gai = -np.log(gap / (NDVI_INF - NDVI_SOIL)) / K_NDVI
    slope = 1.0 / (K_NDVI * gap)                 # dGAI / dNDVI
    sigma = np.hypot(SIGMA_NDVI * slope, RELATIVE_ERROR * gai)
    return gai.astype("float32"), sigma.astype("float32")


def gai_from_reflectance(red, nir):
    """(GAI, sigma) from red (B4) and near-infrared (B8) reflectances 0-1."""
    return gai_from_ndvi(ndvi(red, nir))
