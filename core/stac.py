"""Sentinel-2 L2A items of a STAC catalogue (Sen2Cor's bands and SCL as
separate assets, usually COGs), saved as JSON: one Item per file, or an
ItemCollection (a FeatureCollection, as `stac-client search --save` or
pystac-client write it). Assets are local files (paths relative to the JSON
file) or URLs, read through GDAL's /vsicurl/ and /vsis3/.

Asset names differ between catalogues: Microsoft's Planetary Computer uses the
band names (B04, SCL), Earth Search the common names (red, scl), the
Copernicus Data Space band and resolution (B04_10m, SCL_20m); an asset whose
`eo:bands` or `bands` name the band is taken too. The stored values become
reflectance x 10000 through the asset's `raster:bands` scale and offset when
it has them, else through the processing baseline (-1000 from 04.00), as
Sen2Cor's products do.
"""
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .sen2cor import BAND_FILES, NAME_RE, Sen2CorProduct, baseline_offset, parse_name

ASSET_KEYS = {
    "B2": ("blue",), "B3": ("green",), "B4": ("red",), "B5": ("rededge1",),
    "B6": ("rededge2",), "B7": ("rededge3",), "B8": ("nir",), "B8A": ("nir08",),
    "B11": ("swir16",), "B12": ("swir22",), "SCL": ("scl",)}
RESOLUTION = {"B2": 10, "B3": 10, "B4": 10, "B8": 10, "SCL": 20}     # others: 20 m


def find_items(path):
    """The Sentinel-2 L2A items of a JSON file, as StacProduct; [] when the
    file is not STAC."""
    try:
        text = Path(path).read_bytes()
        # a parcels GeoJSON beside the products is not parsed for nothing
        document = json.loads(text) if b'"stac_version"' in text else None
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    if not isinstance(document, dict):
        return []
    features = document.get("features") if document.get("type") == "FeatureCollection" \
        else [document]
    items = [f for f in features or [] if isinstance(f, dict) and "stac_version" in f
             and f.get("type") == "Feature" and isinstance(f.get("assets"), dict)]
    products = []
    for item in items:
        try:
            products.append(StacProduct.of(item, Path(path)))
        except (AttributeError, KeyError, TypeError, ValueError):
            continue          # malformed: not an item this reader can use
    return [p for p in products if p is not None]


@dataclass(frozen=True)
class StacProduct(Sen2CorProduct):
    """A STAC item read as a Sen2Cor product; `path` is its JSON file."""
    item: dict = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, item, json_path):
        red = _asset(item, "B4")      # with an SCL: L2A, not L1C
        fields = red and _asset(item, "SCL") and _fields(item, _raster_scaling(red)[0] is not None)
        return fields and cls(json_path, str(item["id"]), item=item, **fields)

    def _band_file(self, band):
        asset = _asset(self.item, band)
        return asset and _href(asset["href"], Path(self.path).parent)

    def _scl_file(self):
        return self._band_file("SCL")

    def _encoding(self, band):
        scale, offset = _raster_scaling(_asset(self.item, band))
        if scale is None:
            return 1, baseline_offset(self.baseline)
        return round(scale * 10000, 9), round((offset or 0.0) * 10000, 6)

    def sun_angles(self):
        props = self.item.get("properties", {})
        zenith = props.get("s2:mean_solar_zenith")
        if zenith is None and props.get("view:sun_elevation") is not None:
            zenith = 90.0 - float(props["view:sun_elevation"])
        azimuth = props.get("s2:mean_solar_azimuth", props.get("view:sun_azimuth"))
        if zenith is None or azimuth is None:
            return None
        return float(zenith), float(azimuth)


def _fields(item, scaled):
    """Platform, time, tile and baseline of a Sentinel-2 L2A item, or None;
    the baseline may be unknown (0) when the assets are `scaled`."""
    props = item.get("properties", {})
    product_id = next((v for v in (props.get("s2:product_uri"), props.get("sentinel:product_id"),
                                   props.get("s2:product_id"), item.get("id"))
                       if isinstance(v, str) and NAME_RE.match(v.removesuffix(".SAFE"))), None)
    named = product_id and parse_name(product_id.removesuffix(".SAFE"))
    tile = _tile(props) or (named and named["tile"])
    platform = str(props.get("platform", "")).upper().replace("SENTINEL-", "S")
    baseline = next((b for b in (_baseline(props), named and named["baseline"], scaled and 0)
                     if b is not None and b is not False), None)
    try:    # seconds and below: microseconds at most, whatever the digits given
        acquired = datetime.strptime(props["datetime"][:19], "%Y-%m-%dT%H:%M:%S")
    except (KeyError, TypeError, ValueError):
        return None
    if not tile or baseline is None or platform not in ("S2A", "S2B", "S2C", "S2D"):
        return None
    return dict(platform=platform, acquired=acquired, tile=tile, baseline=baseline)


def _tile(props):
    """'31UFQ' from the tile properties catalogues use."""
    if props.get("s2:mgrs_tile"):
        return str(props["s2:mgrs_tile"]).removeprefix("T")
    if str(props.get("grid:code", "")).startswith("MGRS-"):
        return props["grid:code"][5:].removeprefix("T")
    for prefix in ("mgrs:", "sentinel:"):
        parts = [props.get(prefix + k) for k in ("utm_zone", "latitude_band", "grid_square")]
        if all(p is not None for p in parts):
            return f"{int(parts[0]):02d}{parts[1]}{parts[2]}"
    return None


def _baseline(props):
    """509 from "05.09" (s2:processing_baseline or processing:version)."""
    value = props.get("s2:processing_baseline", props.get("processing:version"))
    try:
        major, minor = str(value).split(".")
        return int(major) * 100 + int(minor)
    except ValueError:
        return None


def _asset(item, band):
    """The asset holding `band` (a key of ASSET_KEYS), or None."""
    assets, code = item["assets"], BAND_FILES.get(band, band)
    keys = (code, f"{code}_{RESOLUTION.get(band, 20)}m") + ASSET_KEYS[band]
    for key in keys:
        if isinstance(assets.get(key), dict) and "href" in assets[key]:
            return assets[key]
    for asset in filter(lambda a: isinstance(a, dict), assets.values()):
        named = asset.get("eo:bands") or asset.get("bands") or []
        if len(named) == 1 and isinstance(named[0], dict) and named[0].get("name") == code \
                and "href" in asset:
            return asset
    return None


def _raster_scaling(asset):
    """(scale, offset) of the raster extension (STAC 1.0 raster:bands, or
    1.1's raster:scale on the asset or its bands), else (None, None)."""
    for holder in (asset.get("raster:bands") or [{}])[0], (asset.get("bands") or [{}])[0], asset:
        if not isinstance(holder, dict):
            continue
        scale = holder.get("scale", holder.get("raster:scale"))
        if scale is not None:
            return float(scale), float(holder.get("offset", holder.get("raster:offset", 0.0)))
    return None, None


def _href(href, base):
    """A path GDAL opens: local files relative to the JSON file, URLs through
    GDAL's virtual file systems."""
    if href.startswith(("http://", "https://")):
        return f"/vsicurl/{href}"
    if href.startswith("s3://"):
        return f"/vsis3/{href[5:]}"
    if href.startswith("/vsi"):          # a GDAL path already ("//" must stay)
        return href
    href = href.removeprefix("file://")
    return str(Path(href) if Path(href).is_absolute() else base / href)
