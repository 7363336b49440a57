"""Sentinel-2 L2A products from Sen2Cor (ESA's SAFE layout: folder or .zip).

Every band and mask is handed to the readers as a THEIA product stores it,
through a small GDAL VRT held in memory, so each product reads both layouts
with the same code: BOA reflectance as int16 x 10000 with -10000 for no data
(uint16 on disk, 0 = no data, plus the BOA_ADD_OFFSET of processing baseline
04.00 and later), and the scene classification (SCL) as THEIA's CLM, EDG and
SAT masks. Sen2Cor's BOA stands for MAJA's FRE (both terrain-corrected when
Sen2Cor ran with a DEM, its default). MAJA dilates its cloud mask, Sen2Cor does
not (its omissions lie mostly on cloud edges: Baetens et al. 2019), so the
SCL's clouds and cloud shadows are grown by CLOUD_BUFFER_M metres, as Fmask
grows its own; that CLM is computed once per product and held in memory as a
compressed GeoTIFF. What a product makes in memory lives as long as the
product object: a long-lived process (QGIS, a compute-centre worker) does not
keep the masks of every product it has read.
"""
import re
import threading
import weakref
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

import numpy as np
from rasterio.io import MemoryFile
from scipy.ndimage import maximum_filter

from .errors import InputError
from .theia import CLM_BITS, NODATA, QUANTIFICATION, READ_ERRORS, open_raster, zip_members

NAME_RE = re.compile(
    r"^(?P<platform>S2[A-D])_MSIL2A_(?P<date>\d{8})T(?P<time>\d{6})_N(?P<baseline>\d{4})_"
    r"R\d{3}_T(?P<tile>\d{2}[A-Z]{3})_\d{8}T\d{6}$")
BAND_FILES = {"B2": "B02", "B3": "B03", "B4": "B04", "B5": "B05", "B6": "B06", "B7": "B07",
              "B8": "B08", "B8A": "B8A", "B11": "B11", "B12": "B12"}
BAND_IDS = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B10", "B11", "B12")
RESOLUTIONS = ("10m", "20m", "60m")          # finest first
JP2_DRIVERS = {"JP2OpenJPEG", "JPEG2000", "JP2KAK", "JP2ECW", "JP2MrSID"}
OFFSET_BASELINE = 400        # from baseline 04.00 (25 January 2022) BOA = DN - 1000
DEFAULT_OFFSET = -1000

# SCL classes: 0 no data, 1 saturated or defective, 2 dark area or cast
# shadow, 3 cloud shadow, 4 vegetation, 5 not vegetated, 6 water,
# 7 unclassified, 8 and 9 cloud of medium and high probability, 10 thin
# cirrus, 11 snow or ice. As THEIA masks: clouds and their shadows in CLM's
# bits (any bit set is a cloud for every product, the shadow and high-cloud
# bits as MAJA sets them), no data as EDG, saturation as SAT. Dark areas and
# unclassified pixels stay clear, as MAJA's terrain shadows do.
_BITS = CLM_BITS["V2"]
SCL_AS_MASK = {
    "CLM": {3: _BITS["all_and_shadows"] | _BITS["shadow"],
            8: _BITS["all_and_shadows"] | _BITS["all_clouds"],
            9: _BITS["all_and_shadows"] | _BITS["all_clouds"],
            10: _BITS["all_and_shadows"] | _BITS["all_clouds"] | _BITS["high"]},
    "EDG": {0: 1},
    "SAT": {1: 1}}
SCL_CLASSES = 12
SCL_CLOUDS, SCL_SHADOWS = (8, 9, 10), (3,)
# Metres each side by which SCL clouds and shadows grow: Fmask's default
# dilation of clouds and shadows, 3 pixels (Zhu et al. 2015, Qiu et al. 2019
# [RECALLED]), at the SCL's 20 m; not fitted to any scene.
CLOUD_BUFFER_M = 60

_lock = threading.RLock()     # one product's VRTs and CLM are made once


def parse_name(name):
    """The fields of a Sen2Cor product name (without .SAFE or .zip), or None."""
    m = NAME_RE.match(name)
    if not m:
        return None
    return dict(platform=m["platform"], tile=m["tile"], baseline=int(m["baseline"]),
                acquired=datetime.strptime(m["date"] + m["time"], "%Y%m%d%H%M%S"))


def product_stem(name):
    """`name` without its .zip and .SAFE suffixes."""
    for suffix in (".zip", ".SAFE"):
        if name.upper().endswith(suffix.upper()):
            name = name[:-len(suffix)]
    return name


@dataclass(frozen=True)
class Sen2CorProduct:
    path: Path            # the .SAFE folder or the .zip
    name: str             # without .SAFE
    platform: str
    acquired: datetime
    tile: str
    baseline: int         # processing baseline, e.g. 510 for N0510
    _files: dict = field(default_factory=dict, compare=False, repr=False)
    _meta: dict = field(default_factory=dict, compare=False, repr=False)
    _memory: dict = field(default_factory=dict, compare=False, repr=False)  # MemoryFiles

    def __post_init__(self):
        weakref.finalize(self, _close_all, self._memory)

    def __getstate__(self):
        """A copy sent to another process makes its own in-memory files there."""
        return {**self.__dict__, "_memory": {}}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__post_init__()

    @property
    def version(self):
        return f"N{self.baseline:04d}"

    @property
    def clm_bits(self):
        return _BITS

    def files(self):
        """Relative path -> openable path of the product's rasters and metadata."""
        if not self._files:
            self._files.update(_list_files(self.path))
        return self._files

    def bands(self, kind="FRE"):
        """The reflectance bands the product holds."""
        return {b for b in BAND_FILES if self._band_file(b)}

    def _band_file(self, band):
        code = BAND_FILES.get(band)
        for res in RESOLUTIONS:
            for rel, full in self.files().items():
                if rel.endswith(f"_{code}_{res}.jp2") and "/IMG_DATA/" in f"/{rel}":
                    return full
        return None

    def band_path(self, band, kind="FRE"):
        """An openable path of `band` as THEIA stores it (any `kind`: BOA)."""
        path = _made(self, band, lambda: self._band_vrt(band))
        if path is None:
            raise InputError("Band {band} ({kind}) is missing from the Sentinel-2 product "
                             "{product}; this product needs it.",
                             band=band, kind=kind, product=self.path)
        return path

    def _band_vrt(self, band):
        source = self._band_file(band)
        return source and _memory_vrt(source, "reflectance", self._encoding(band))

    def jp2_tiling(self, band):
        """(tile side in metres, x and y of the file's corner) of `band` when
        stored as JPEG 2000, whose tiles are decoded whole by any read that
        touches them; None otherwise (e.g. a STAC item's COG)."""
        if ("tiling", band) not in self._meta:
            source, tiling = self._band_file(band), None
            if source:
                with open_raster(source) as ds:
                    rows, cols = ds.block_shapes[0]
                    if ds.driver in JP2_DRIVERS and rows == cols:
                        t = ds.transform
                        tiling = cols * abs(t.a), t.c, t.f
            self._meta[("tiling", band)] = tiling
        return self._meta[("tiling", band)]

    def mask_path(self, kind, res_group):
        """THEIA's CLM, EDG or SAT mask drawn from the SCL; None otherwise (the
        SCL is at 20 m: R2)."""
        if kind not in SCL_AS_MASK or res_group != "R2":
            return None
        if kind == "CLM" and CLOUD_BUFFER_M:
            return _made(self, (kind, CLOUD_BUFFER_M), self._buffered_clm)
        return _made(self, kind, lambda: self._mask_vrt(kind))

    def _mask_vrt(self, kind):
        return _memory_vrt(self._scl_file(), kind, None) if self._scl_file() else None

    def _buffered_clm(self):
        return _memory_clm(self._scl_file(), CLOUD_BUFFER_M) if self._scl_file() else None

    def _scl_file(self):
        return next((full for rel, full in self.files().items() if rel.endswith("_SCL_20m.jp2")),
                    None)

    def _metadata(self, suffix):
        found = sorted(rel for rel in self.files() if rel.endswith(suffix))
        if not found:
            return None
        try:
            if Path(self.path).suffix.lower() == ".zip":
                with zipfile.ZipFile(self.path) as z:
                    return ET.fromstring(z.read(found[0]))
            return ET.parse(Path(self.path) / found[0]).getroot()
        except (OSError, ET.ParseError, KeyError, zipfile.BadZipFile):
            return None

    def _encoding(self, band):
        """(scale, offset) from the stored value to reflectance x 10000:
        BOA_ADD_OFFSET of `band` from MTD_MSIL2A.xml; without it, the
        baseline's (-1000 from 04.00, else 0)."""
        value = self._offsets().get(str(BAND_IDS.index(band)))
        return 1, baseline_offset(self.baseline) if value is None else int(float(value))

    def _offsets(self):
        """{band_id: BOA_ADD_OFFSET} of MTD_MSIL2A.xml, parsed once per product."""
        if "offsets" not in self._meta:
            root = self._metadata("MTD_MSIL2A.xml")
            quantification = _text(root, "BOA_QUANTIFICATION_VALUE")
            if quantification is not None and float(quantification) != QUANTIFICATION:
                raise InputError("The Sentinel-2 product {product} stores reflectance x "
                                 "{value}; only x 10000 is read.", product=self.path,
                                 value=quantification)
            self._meta["offsets"] = {} if root is None else {
                e.get("band_id"): e.text for e in root.iter() if _tag(e) == "BOA_ADD_OFFSET"}
        return self._meta["offsets"]

    def sun_angles(self):
        """Mean sun (zenith, azimuth) in degrees from the granule's MTD_TL.xml, or None."""
        root = self._metadata("MTD_TL.xml")
        sun = None if root is None else next(
            (e for e in root.iter() if _tag(e) == "Mean_Sun_Angle"), None)
        try:
            return float(_text(sun, "ZENITH_ANGLE")), float(_text(sun, "AZIMUTH_ANGLE"))
        except (TypeError, ValueError):
            return None


def _tag(element):
    return element.tag.rsplit("}", 1)[-1]


def _text(root, tag):
    if root is None:
        return None
    return next((e.text for e in root.iter() if _tag(e) == tag), None)


def _list_files(path):
    path = Path(path)
    keep = (".jp2", ".xml")
    if path.suffix.lower() == ".zip":
        return {n: f"/vsizip/{path}/{n}" for n in zip_members(path) if n.lower().endswith(keep)}
    return {p.relative_to(path).as_posix(): str(p) for p in path.rglob("*")
            if p.suffix.lower() in keep}


def _made(product, item, make):
    """The /vsimem/ path of the MemoryFile `make()` returns (or None), made
    once per product object and item, closed when the product is collected."""
    with _lock:
        if item not in product._memory:
            product._memory[item] = make()
        memory = product._memory[item]
        return memory and memory.name


def _close_all(made):
    """Frees a collected product's in-memory files (GDAL keeps a file open
    elsewhere readable until it is closed there)."""
    for memory in made.values():
        if memory is not None:
            memory.close()


def baseline_offset(baseline):
    """The offset a processing baseline (e.g. 509) adds to the stored values."""
    return DEFAULT_OFFSET if baseline >= OFFSET_BASELINE else 0


def _memory_vrt(source, kind, encoding):
    """A MemoryFile VRT of `source` as THEIA stores `kind` ("reflectance",
    its (scale, offset) to reflectance x 10000 in `encoding`; or a mask of
    SCL_AS_MASK), named after its source."""
    with open_raster(source) as ds:
        xml = _vrt_xml(ds, source, kind, encoding)
    return MemoryFile(xml.encode(), filename=f"{Path(source).stem}_{kind}.vrt")


def _memory_clm(source, metres):
    """A MemoryFile GeoTIFF of THEIA's CLM from the SCL `source`, its clouds
    and then its shadows grown by `metres` over clear ground (a square, as
    Fmask's)."""
    with open_raster(source) as ds:
        try:
            scl, crs, transform = ds.read(1), ds.crs, ds.transform
        except READ_ERRORS as e:
            raise InputError("Cannot read the raster {path}: it is missing or corrupt "
                             "({error}).", path=source, error=e)
    clm = buffered_clm(scl, round(metres / abs(transform.a)))
    return _geotiff(clm, crs, transform, f"{Path(source).stem}_CLM.tif")


def buffered_clm(scl, buffer):
    """CLM bits of an SCL array, clouds and shadows grown by `buffer` px."""
    lut = np.zeros(256, np.uint8)
    for c, bits in SCL_AS_MASK["CLM"].items():
        lut[c] = bits
    clm = lut[scl]
    for classes in (SCL_CLOUDS, SCL_SHADOWS):
        seeds = np.zeros(256, bool)
        seeds[list(classes)] = True
        grown = maximum_filter(seeds[scl], size=2 * buffer + 1) & (clm == 0)
        clm[grown] = SCL_AS_MASK["CLM"][classes[0]]
    return clm


def _geotiff(array, crs, transform, name):
    memory = MemoryFile(filename=name)
    with memory.open(driver="GTiff", width=array.shape[1], height=array.shape[0], count=1,
                     dtype=array.dtype.name, crs=crs, transform=transform, tiled=True,
                     blockxsize=256, blockysize=256, compress="deflate") as out:
        out.write(array, 1)
    return memory


def _vrt_xml(ds, source, kind, encoding):
    t = ds.transform
    head = (f'<VRTDataset rasterXSize="{ds.width}" rasterYSize="{ds.height}">'
            f"<SRS>{escape(ds.crs.to_wkt())}</SRS>"
            f"<GeoTransform>{t.c!r},{t.a!r},{t.b!r},{t.f!r},{t.d!r},{t.e!r}</GeoTransform>")
    src = (f'<SourceFilename relativeToVRT="0">{escape(source)}</SourceFilename>'
           "<SourceBand>1</SourceBand>")
    if kind == "reflectance":
        scale, offset = encoding
        band = (f'<VRTRasterBand dataType="Int16" band="1"><NoDataValue>{NODATA}</NoDataValue>'
                f"<ComplexSource>{src}<NODATA>0</NODATA><ScaleOffset>{offset!r}</ScaleOffset>"
                f"<ScaleRatio>{scale!r}</ScaleRatio></ComplexSource></VRTRasterBand>")
    else:
        # Every class listed, so the LUT's linear interpolation never mixes two.
        lut = ",".join(f"{c}:{SCL_AS_MASK[kind].get(c, 0)}" for c in range(SCL_CLASSES))
        band = (f'<VRTRasterBand dataType="Byte" band="1"><ComplexSource>{src}'
                f"<LUT>{lut}</LUT></ComplexSource></VRTRasterBand>")
    return f"{head}{band}</VRTDataset>"

