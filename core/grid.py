"""A north-up raster grid (CRS, origin, pixel size, shape) and its windows."""
from dataclasses import dataclass, replace

from rasterio.transform import Affine
from rasterio.windows import Window


@dataclass(frozen=True)
class Grid:
    crs: str          # e.g. "EPSG:32631"
    x0: float         # upper-left corner, CRS units
    y0: float
    res: float        # pixel size, CRS units (square pixels)
    width: int
    height: int

    @property
    def transform(self):
        return Affine(self.res, 0.0, self.x0, 0.0, -self.res, self.y0)

    @property
    def bounds(self):
        """(xmin, ymin, xmax, ymax)."""
        return (self.x0, self.y0 - self.height * self.res,
                self.x0 + self.width * self.res, self.y0)

    def at_resolution(self, res):
        """The same footprint at another pixel size (e.g. 10 m <-> 20 m)."""
        w = int(round(self.width * self.res / res))
        h = int(round(self.height * self.res / res))
        return replace(self, res=float(res), width=w, height=h)

    def window_grid(self, window: Window):
        """The sub-grid covered by a window of this grid."""
        return Grid(self.crs, self.x0 + window.col_off * self.res,
                    self.y0 - window.row_off * self.res, self.res,
                    int(window.width), int(window.height))

    def crop_to_bounds(self, xmin, ymin, xmax, ymax):
        """The smallest sub-grid, snapped to pixels, covering the given bounds
        intersected with this grid; None when they do not overlap."""
        gxmin, gymin, gxmax, gymax = self.bounds
        xmin, ymin = max(xmin, gxmin), max(ymin, gymin)
        xmax, ymax = min(xmax, gxmax), min(ymax, gymax)
        if xmin >= xmax or ymin >= ymax:
            return None
        c0 = int((xmin - self.x0) // self.res)
        c1 = int(-((self.x0 - xmax) // self.res))
        r0 = int((self.y0 - ymax) // self.res)
        r1 = int(-((ymin - self.y0) // self.res))
        return self.window_grid(Window(c0, r0, c1 - c0, r1 - r0))

    @classmethod
    def from_dataset(cls, ds):
        t = ds.transform
        return cls(ds.crs.to_string(), t.c, t.f, t.a, ds.width, ds.height)
