"""PNG quicklooks of results, coloured like the QGIS styles (catalog)."""
import warnings

import numpy as np
import rasterio
from rasterio.errors import NotGeoreferencedWarning


def _rgb(hex_color):
    return [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]


def colorize(data, output, ramp_max=None, nodata=None):
    """RGBA uint8 image (4, H, W) of a result array."""
    rgba = np.zeros((4,) + data.shape, "uint8")
    if output.kind == "classes":
        for code, _, color in output.classes:
            hit = data == code
            rgba[:3, hit] = np.array(_rgb(color), "uint8")[:, None]
            rgba[3, hit] = 255
    else:
        stops = [(v, _rgb(c)) for v, c in output.ramp]
        if ramp_max and output.kind == "ramp":
            stops = [(v * ramp_max / stops[-1][0], c) for v, c in stops]
        xs = [v for v, _ in stops]
        valid = data != (output.nodata if nodata is None else nodata)
        for band in range(3):
            channel = np.interp(data.astype("float64"), xs, [c[band] for _, c in stops])
            rgba[band] = channel.round().astype("uint8")
        rgba[3] = np.where(valid, 255, 0)
    return rgba


def write_quicklook(tif, png, output, ramp_max=None, max_size=1024):
    """Reads a result (decimated to max_size) and writes a coloured PNG."""
    with rasterio.open(tif) as ds:
        scale = max(1, int(np.ceil(max(ds.width, ds.height) / max_size)))
        data = ds.read(1, out_shape=(ds.height // scale, ds.width // scale))
        nodata = ds.nodata
    rgba = colorize(data, output, ramp_max, nodata)
    with warnings.catch_warnings():   # a PNG quicklook has no georeferencing, on purpose
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        _write_png(png, rgba)
    return png


def _write_png(png, rgba):
    with rasterio.open(png, "w", driver="PNG", width=rgba.shape[2], height=rgba.shape[1],
                       count=4, dtype="uint8") as out:
        out.write(rgba)
