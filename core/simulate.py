"""Writers of synthetic THEIA/MUSCATE Sentinel-2 L2A products and rasters.

The layout, names and encodings follow the MUSCATE format (science.md (a)) so
that the real readers are exercised: FRE bands as int16 reflectance x 10000
with nodata -10000, R1 = 10 m (B2 B3 B4 B8), R2 = 20 m, masks in MASKS/.
"""
import tempfile
import xml.etree.ElementTree as ET
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

import numpy as np
import rasterio
from rasterio.windows import Window

from .grid import Grid

R1_BANDS = ("B2", "B3", "B4", "B8")
R2_BANDS = ("B5", "B6", "B7", "B8A", "B11", "B12")
NODATA = -10000
QUANTIFICATION = 10000
R1_NOISE = 0.002   # extra noise of the 10 m bands, so R1 is not an exact copy of R2
_ROWS = 256        # 20 m rows upsampled per chunk: bounds memory on full 5490 px tiles


def product_name(platform: str, when: datetime, tile: str, version="V2-2") -> str:
    """E.g. SENTINEL2A_20180826-104155-257_L2A_T31UFQ_C_V2-2 (tile without its T)."""
    return (f"{platform}_{when:%Y%m%d-%H%M%S}-{when.microsecond // 1000:03d}"
            f"_L2A_T{tile}_C_{version}")


def _profile(grid: Grid, dtype, nodata):
    return dict(driver="GTiff", width=grid.width, height=grid.height, count=1,
                dtype=dtype, nodata=nodata, crs=grid.crs, transform=grid.transform,
                tiled=True, blockxsize=256, blockysize=256, compress="deflate",
                zlevel=1,  # noisy bands: level 1 is about as small, and faster
                # a thread pool per file costs more than it saves on small rasters
                **({"num_threads": "ALL_CPUS"} if grid.width > 1024 else {}))


def write_raster(path, array, grid: Grid, nodata=None, dtype=None):
    """Write one band as a tiled DEFLATE GeoTIFF on `grid`."""
    if array.shape != (grid.height, grid.width):
        raise ValueError(f"array shape {array.shape} does not match the grid")
    dtype = np.dtype(dtype or array.dtype)
    with rasterio.open(path, "w", **_profile(grid, dtype.name, nodata)) as ds:
        ds.write(array.astype(dtype, copy=False), 1)
    return Path(path)


def _encode(refl):
    """Float reflectance (NaN = nodata) -> MUSCATE int16."""
    scaled = np.clip(np.round(refl * QUANTIFICATION), NODATA + 1, np.iinfo(np.int16).max)
    return np.where(np.isnan(refl), NODATA, scaled).astype(np.int16)


def _write_r1(path, grid10: Grid, arr20, nodata, rng=None):
    """Write a 20 m array at 10 m by pixel replication, chunk by chunk; with
    `rng`, `arr20` is reflectance and gets independent noise per 10 m pixel."""
    dtype = "int16" if rng is not None else arr20.dtype.name
    with rasterio.open(path, "w", **_profile(grid10, dtype, nodata)) as ds:
        for r0 in range(0, arr20.shape[0], _ROWS):
            block = np.repeat(np.repeat(arr20[r0:r0 + _ROWS], 2, 0), 2, 1)
            if rng is not None:
                # Uniform noise of the same spread: cheaper than Gaussian at 10980 px.
                noise = rng.random(block.shape, dtype=np.float32) - 0.5
                block = _encode(block + R1_NOISE * np.sqrt(12) * noise)
            ds.write(block, 1, window=Window(0, 2 * r0, block.shape[1], block.shape[0]))


def _metadata(name, platform, when, tile, cloud_percent, sun_angles):
    root = ET.Element("Muscate_Metadata_Document")
    ET.SubElement(ET.SubElement(root, "Metadata_Identification"),
                  "METADATA_FORMAT").text = "METADATA_MUSCATE"
    ident = ET.SubElement(root, "Dataset_Identification")
    ET.SubElement(ident, "IDENTIFIER").text = name
    ET.SubElement(ident, "AUTHORITY").text = "THEIA"
    ET.SubElement(ident, "PRODUCER").text = "MUSCATE"
    ET.SubElement(ident, "GEOGRAPHICAL_ZONE", type="Tile").text = f"T{tile}"
    chars = ET.SubElement(root, "Product_Characteristics")
    # Milliseconds as in real products; still parses with "%Y-%m-%dT%H:%M:%S.%fZ".
    ET.SubElement(chars, "ACQUISITION_DATE").text = (
        f"{when:%Y-%m-%dT%H:%M:%S}.{when.microsecond // 1000:03d}Z")
    ET.SubElement(chars, "PLATFORM").text = platform
    ET.SubElement(chars, "PRODUCT_LEVEL").text = "L2A"
    radio = ET.SubElement(root, "Radiometric_Informations")
    ET.SubElement(radio, "REFLECTANCE_QUANTIFICATION_VALUE").text = str(QUANTIFICATION)
    ET.SubElement(ET.SubElement(radio, "Special_Values_List"), "SPECIAL_VALUE",
                  name="nodata").text = str(NODATA)
    if sun_angles is not None:
        sun = ET.SubElement(ET.SubElement(ET.SubElement(root, "Geometric_Informations"),
                                          "Mean_Value_List"), "Sun_Angles")
        ET.SubElement(sun, "ZENITH_ANGLE", unit="deg").text = f"{sun_angles[0]:.3f}"
        ET.SubElement(sun, "AZIMUTH_ANGLE", unit="deg").text = f"{sun_angles[1]:.3f}"
    quality = ET.SubElement(ET.SubElement(root, "Quality_Informations"), "Global_Index_List")
    ET.SubElement(quality, "QUALITY_INDEX", name="CloudPercent").text = str(cloud_percent)
    ET.indent(root)
    return ET.ElementTree(root)


def write_theia_product(parent: Path, platform, when, tile, grid20: Grid, refl: dict,
                        clm20: np.ndarray, edg20=None, sat20=None, mg2_20=None,
                        zipped=False, version="V2-2", sun_angles=None) -> Path:
    """Write one L2A product under `parent` and return its folder (or .zip).

    `refl`: band -> float reflectance at 20 m (NaN = nodata); R1 bands are
    written at 10 m, R2 bands at 20 m. Masks: `clm20`, `sat20` and `mg2_20`
    are uint8 bit arrays at 20 m (SAT and MG2 zero when None); EDG defaults to
    "every band is nodata". `sun_angles`: optional mean (zenith, azimuth), deg.
    """
    name = product_name(platform, when, tile, version)
    if not zipped:
        _write_tree(Path(parent) / name, name, platform, when, tile, grid20, refl,
                    clm20, edg20, sat20, mg2_20, sun_angles)
        return Path(parent) / name
    zip_path = Path(parent) / f"{name}.zip"
    with tempfile.TemporaryDirectory(dir=parent, prefix=".tmp-") as tmp:
        _write_tree(Path(tmp) / name, name, platform, when, tile, grid20, refl,
                    clm20, edg20, sat20, mg2_20, sun_angles)
        # Stored, not deflated: the GeoTIFFs are compressed already and
        # /vsizip/ reads stored members without inflating the whole file.
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_STORED) as zf:
            for f in sorted((Path(tmp) / name).rglob("*")):
                zf.write(f, f.relative_to(tmp).as_posix())
    return zip_path


def _write_tree(folder: Path, name, platform, when, tile, grid20, refl, clm20,
                edg20, sat20, mg2_20, sun_angles):
    masks = folder / "MASKS"
    masks.mkdir(parents=True)
    grid10 = grid20.at_resolution(10)
    if edg20 is None:
        edg20 = np.all([np.isnan(a) for a in refl.values()], axis=0)
    edg20 = edg20.astype(np.uint8)
    zeros = np.zeros(clm20.shape, np.uint8)
    for band in R1_BANDS + R2_BANDS:
        if band not in refl:
            continue
        path = folder / f"{name}_FRE_{band}.tif"
        if band in R1_BANDS:
            # Seeded from the file name: the noise is reproducible per product.
            rng = np.random.default_rng(zlib.crc32(path.name.encode()))
            _write_r1(path, grid10, refl[band].astype(np.float32, copy=False), NODATA, rng)
        else:
            write_raster(path, _encode(refl[band]), grid20, NODATA)
    for kind, arr in (("CLM", clm20), ("EDG", edg20), ("SAT", sat20), ("MG2", mg2_20)):
        arr = zeros if arr is None else arr.astype(np.uint8, copy=False)
        write_raster(masks / f"{name}_{kind}_R2.tif", arr, grid20)
        _write_r1(masks / f"{name}_{kind}_R1.tif", grid10, arr, None)
    valid = edg20 == 0
    cloud_percent = int(round(100 * np.count_nonzero(clm20[valid]) / max(valid.sum(), 1)))
    _metadata(name, platform, when, tile, cloud_percent, sun_angles).write(
        folder / f"{name}_MTD_ALL.xml", encoding="UTF-8", xml_declaration=True)
