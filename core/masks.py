"""Masks of a whole grid held compactly and polygons rasterised by strips:
a whole 10 m tile as a bool array takes 120 MB, as int32 polygon ids 480 MB
(issue 13), so the products build and read them strip by strip."""
import numpy as np
from rasterio.features import rasterize
from rasterio.warp import transform_geom
from rasterio.windows import Window

from .blocks import gdal_cache
from .errors import InputError
from .geometries import Geometries
from .theia import open_raster, read_on_grid

ONES = np.array([bin(i).count("1") for i in range(256)], "uint8")   # set bits per byte


class PackedMask:
    """A boolean grid held at one bit per pixel (a whole 10 m tile: 15 MB, not
    the 120 MB of a bool array, or 0.5 GB of a float32 copy), built and read
    by windows: the products unpack only the block they work on."""

    def __init__(self, height, width):
        self.shape = (height, width)
        self.bits = np.zeros((height, (width + 7) // 8), "uint8")

    def set_rows(self, top, rows):
        """Rows top.. (whole width) from a bool array."""
        self.bits[top:top + rows.shape[0]] = np.packbits(rows, axis=1)

    def window(self, w):
        """The bool array of Window `w`."""
        b0, b1 = w.col_off // 8, -(-(w.col_off + w.width) // 8)
        rows = np.unpackbits(self.bits[w.row_off:w.row_off + w.height, b0:b1], axis=1)
        c = w.col_off - 8 * b0
        return rows[:, c:c + w.width].astype(bool)

    def at(self, rows, cols):
        """The values at pixels (rows, cols) (integer arrays). Raises
        IndexError outside the grid: a column past the width would otherwise
        read a padding bit and a negative index wrap around."""
        rows, cols = np.asarray(rows), np.asarray(cols)
        if rows.size and (rows.min() < 0 or cols.min() < 0 or rows.max() >= self.shape[0]
                          or cols.max() >= self.shape[1]):
            raise IndexError(f"pixel outside the {self.shape} mask")
        return ((self.bits[rows, cols >> 3] >> (7 - (cols & 7))) & 1).astype(bool)

    def any(self):
        return bool(self.bits.any())      # the padding bits are never set

    def count(self):
        return int(ONES[self.bits].sum(dtype="int64"))   # not unpacked: 8 times the bytes

    def __iand__(self, other):
        self.bits &= other.bits
        return self

    def __ior__(self, other):
        self.bits |= other.bits
        return self


def geometry_strips(geometries, grid, rows):
    """(row_off, strip) for strips of `rows` rows of `grid`: int32, 1 + index
    of the geometry (in the grid's CRS) covering each pixel centre, the last
    one where they overlap, 0 elsewhere. Each strip is rasterised from the
    geometries whose bounds reach it only."""
    geoms = Geometries.of(geometries)
    xmin, ymin, xmax, ymax = geoms.bounds().T
    xmin_g, _, xmax_g, _ = grid.bounds
    across = (xmax >= xmin_g) & (xmin <= xmax_g)
    for row in range(0, grid.height, rows):
        sub = grid.window_grid(Window(0, row, grid.width, min(rows, grid.height - row)))
        top, bottom = sub.y0, sub.y0 - sub.height * sub.res
        ids = np.flatnonzero(across & (ymax >= bottom) & (ymin <= top))
        strip = np.zeros((sub.height, sub.width), "int32")
        if ids.size:                           # rasterize refuses an empty list
            rasterize(((geoms[i], i + 1) for i in ids), out=strip,
                      transform=sub.transform)
        yield row, strip


def polygons_mask(geometries, grid, rows):
    """PackedMask of the pixels whose centre a geometry (grid CRS) covers."""
    out = PackedMask(grid.height, grid.width)
    for top, strip in geometry_strips(geometries, grid, rows):
        out.set_rows(top, strip != 0)
    return out


def polygons_on_grid(polygons, grid, rows=512):
    """PackedMask of the pixels whose centre one of `polygons` covers: (crs,
    [GeoJSON geometries]) in any CRS, reprojected to the grid's."""
    crs, geometries = polygons
    geometries = [transform_geom(crs, grid.crs, g) for g in geometries if g]
    if not geometries:
        return PackedMask(grid.height, grid.width)
    return polygons_mask(geometries, grid, rows)


def check_binary(found, path):
    """A 0/1 (or 0/255) mask holds one non-zero value: a class map given as
    a mask would make every one of its classes part of it."""
    found = np.asarray(found)
    nonzero = found[found != 0]
    if nonzero.size > 1:
        raise InputError("The mask {path} holds several non-zero values ({values}): it looks "
                         "like a class map, not a 0/1 mask. Give it as the land-cover input "
                         "with the classes wanted.", path=path,
                         values=", ".join(f"{v:g}" for v in nonzero[:6]))


def on_grid_by_strips(path, grid, test, rows=512):
    """(test(values) as a PackedMask on `grid`, the 30 smallest values seen):
    the raster is read (nearest) by strips of rows, as a float32 copy of a
    whole 10 m tile would take 0.5 GB; GDAL's cache is kept small, as it
    would otherwise hold the decoded blocks read once (up to 5 % of the RAM).
    Raises when the raster does not cover `grid`."""
    out = PackedMask(grid.height, grid.width)
    found = np.empty(0)
    with gdal_cache(), open_raster(path) as ds:
        for top in range(0, grid.height, rows):
            w = Window(0, top, grid.width, min(rows, grid.height - top))
            values = read_on_grid(ds, grid.window_grid(w), resampling="nearest")
            out.set_rows(top, test(values))
            found = np.union1d(found, np.unique(values[np.isfinite(values)])[:30])[:30]
    if found.size == 0:
        raise InputError("The raster {path} does not overlap the area to process: check that "
                         "it is the right file and that its coordinate system is set.", path=path)
    return out, found
