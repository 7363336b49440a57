"""THEIA products rewritten as Sen2Cor would deliver them (SAFE layout), so
that a simulated scene can be run through the Sen2Cor reader and its results
compared with those of the THEIA original."""
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import rasterio
from scipy.ndimage import binary_erosion

from .sen2cor import BAND_FILES, BAND_IDS, baseline_offset
from .theia import NODATA, R1_BANDS, open_raster

NS = "https://psd-14.sentinel2.eo.esa.int/PSD/"
SCL_CLEAR, SCL_SHADOW, SCL_CLOUD, SCL_CIRRUS = 4, 3, 9, 10
SHADOW_BITS = 32 | 64           # CLM's cloud shadows, in and out of the image


def write_sen2cor_copy(product, parent, baseline=510, weak_mask=False):
    """The THEIA `product` as a Sen2Cor .SAFE folder under `parent`: uint16
    JPEG 2000 bands (0 = no data, BOA_ADD_OFFSET -1000 from baseline 04.00;
    lower reflectances are stored as the lowest valid value), an SCL drawn
    from CLM, EDG and SAT, MTD_MSIL2A.xml and the granule's MTD_TL.xml.
    `weak_mask`: a stress test, not a model of Sen2Cor fitted to anything:
    the clouds lose their outer pixel (MAJA dilates its cloud mask, Sen2Cor's
    omissions lie mostly on cloud edges and thin clouds: Baetens et al. 2019
    [RECALLED]) and the cloud shadows are left unmasked.
    Returns the folder."""
    when, tile = product.acquired, product.tile
    stamp = f"{when:%Y%m%dT%H%M%S}"
    name = f"S2{product.platform[-1]}_MSIL2A_{stamp}_N{baseline:04d}_R051_T{tile}_{stamp}"
    granule = Path(parent) / f"{name}.SAFE" / "GRANULE" / f"L2A_T{tile}_A000001_{stamp}"
    offset = baseline_offset(baseline)
    for band in sorted(product.bands()):
        res = "10m" if band in R1_BANDS else "20m"
        with open_raster(product.band_path(band)) as ds:
            data, profile = ds.read(1), ds.profile
        stored = np.clip(data.astype(np.int32) - offset, 1, np.iinfo(np.uint16).max)
        path = granule / "IMG_DATA" / f"R{res}" / f"T{tile}_{stamp}_{BAND_FILES[band]}_{res}.jp2"
        _write_jp2(path, np.where(data == NODATA, 0, stored).astype(np.uint16), profile)
    _write_jp2(granule / "IMG_DATA" / "R20m" / f"T{tile}_{stamp}_SCL_20m.jp2",
               *_scl(product, weak_mask))
    _metadata(offset).write(granule.parent.parent / "MTD_MSIL2A.xml", xml_declaration=True)
    _tile_metadata(product.sun_angles()).write(granule / "MTD_TL.xml", xml_declaration=True)
    return granule.parent.parent


def _scl(product, weak_mask=False):
    """SCL at 20 m: no data (EDG) first, then cirrus, shadow, cloud, saturated."""
    masks = {}
    for kind in ("CLM", "EDG", "SAT"):
        path = product.mask_path(kind, "R2")
        if path:
            with open_raster(path) as ds:
                masks[kind], profile = ds.read(1), ds.profile
    clm = masks["CLM"]
    if weak_mask:       # CLM value 1 marks clouds and shadows alike
        shadow_only = ((clm & SHADOW_BITS) > 0) & ((clm & ~(1 | SHADOW_BITS)) == 0)
        cloud = binary_erosion((clm > 0) & ~shadow_only, np.ones((3, 3), bool))
        clm = np.where(cloud, clm & ~SHADOW_BITS, 0).astype(clm.dtype)
    scl = np.full(clm.shape, SCL_CLEAR, np.uint8)
    scl[masks.get("SAT", clm * 0) > 0] = 1
    scl[clm > 0] = SCL_CLOUD
    scl[(clm & SHADOW_BITS) > 0] = SCL_SHADOW
    scl[(clm & 128) > 0] = SCL_CIRRUS
    scl[masks.get("EDG", clm * 0) > 0] = 0
    return scl, profile


def _write_jp2(path, array, profile):
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", driver="JP2OpenJPEG", width=array.shape[1],
                       height=array.shape[0], count=1, dtype=array.dtype.name,
                       crs=profile["crs"], transform=profile["transform"],
                       QUALITY=100, REVERSIBLE="YES") as ds:
        ds.write(array, 1)


def _metadata(offset):
    root = ET.Element("n1:Level-2A_User_Product", {"xmlns:n1": NS + "User_Product_Level-2A.xsd"})
    chars = ET.SubElement(ET.SubElement(root, "n1:General_Info"), "Product_Image_Characteristics")
    ET.SubElement(ET.SubElement(chars, "QUANTIFICATION_VALUES_LIST"), "BOA_QUANTIFICATION_VALUE",
                  unit="none").text = "10000"
    if offset:
        offsets = ET.SubElement(chars, "BOA_ADD_OFFSET_VALUES_LIST")
        for i, _ in enumerate(BAND_IDS):
            ET.SubElement(offsets, "BOA_ADD_OFFSET", band_id=str(i)).text = str(offset)
    ET.indent(root)
    return ET.ElementTree(root)


def _tile_metadata(sun):
    root = ET.Element("n1:Level-2A_Tile_ID", {"xmlns:n1": NS + "S2_PDI_Level-2A_Tile_Metadata.xsd"})
    if sun is not None:
        angles = ET.SubElement(ET.SubElement(ET.SubElement(root, "n1:Geometric_Info"),
                                             "Tile_Angles"), "Mean_Sun_Angle")
        ET.SubElement(angles, "ZENITH_ANGLE", unit="deg").text = f"{sun[0]:.3f}"
        ET.SubElement(angles, "AZIMUTH_ANGLE", unit="deg").text = f"{sun[1]:.3f}"
    ET.indent(root)
    return ET.ElementTree(root)
