"""GeoJSON geometries held compactly: a tile's hundreds of thousands of
reference parcels as nested Python lists take about 1.4 kB each, as numpy
coordinates and offsets about 100 bytes. They read back one at a time as
GeoJSON dicts (x, y only: rasterising and reprojecting need no z)."""
from array import array
from collections.abc import Sequence

import numpy as np
from rasterio.warp import transform, transform_geom

# every kind as parts of rings of points
KINDS = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
AS_PARTS = (lambda c: [[[c]]], lambda c: [[[p]] for p in c], lambda c: [[c]],
            lambda c: [[line] for line in c], lambda c: [c], lambda c: c)
FROM_PARTS = (lambda p: p[0][0][0], lambda p: [q[0][0] for q in p], lambda p: p[0][0],
              lambda p: [q[0] for q in p], lambda p: p[0], lambda p: p)


class Geometries(Sequence):
    """Coordinates in one (n, 2) array; cumulative ends of every geometry's
    parts, every part's rings and every ring's points. Geometries of other
    kinds (collections, empty ones) are kept as they are in `other`."""

    def __init__(self, geometries=()):
        self.kind = array("b")
        self.part_end, self.ring_end, self.point_end = array("q"), array("q"), array("q")
        self.xy = array("d")
        self.other = {}
        for g in geometries:
            self.append(g)

    @classmethod
    def of(cls, geometries):
        return geometries if isinstance(geometries, cls) else cls(geometries)

    def append(self, g):
        parts = (AS_PARTS[KINDS.index(g["type"])](g["coordinates"])
                 if g["type"] in KINDS else [])
        if not parts or not all(ring for part in parts for ring in part):
            self.other[len(self.kind)] = g
            parts = []
        self.kind.append(KINDS.index(g["type"]) if parts else -1)
        for part in parts:
            for ring in part:
                for p in ring:
                    self.xy.extend(p[:2])
                self.point_end.append(len(self.xy) // 2)
            self.ring_end.append(len(self.point_end))
        self.part_end.append(len(self.ring_end))

    def __len__(self):
        return len(self.kind)

    def __getitem__(self, i):
        if i < 0:
            i += len(self)
        if i in self.other:
            return self.other[i]
        kind = self.kind[i]
        p0, p1 = self.part_end[i - 1] if i else 0, self.part_end[i]
        xy = np.frombuffer(self.xy).reshape(-1, 2)
        parts = [[xy[self.point_end[r - 1] if r else 0:self.point_end[r]].tolist()
                  for r in range(self.ring_end[p - 1] if p else 0, self.ring_end[p])]
                 for p in range(p0, p1)]
        return {"type": KINDS[kind], "coordinates": FROM_PARTS[kind](parts)}

    def bounds(self):
        """(n, 4) xmin, ymin, xmax, ymax of every geometry (infinite for `other`)."""
        out = np.tile([-np.inf, -np.inf, np.inf, np.inf], (len(self), 1))
        stored = np.frombuffer(self.kind, "int8") >= 0
        if stored.any():
            xy = np.frombuffer(self.xy).reshape(-1, 2)
            ends = np.frombuffer(self.point_end, "int64")[
                np.frombuffer(self.ring_end, "int64")[
                    np.frombuffer(self.part_end, "int64")[stored] - 1] - 1]
            starts = np.concatenate([[0], ends[:-1]])   # stored geometries follow each other
            out[stored] = np.column_stack([np.minimum.reduceat(xy, starts),
                                           np.maximum.reduceat(xy, starts)])
        return out

    def transformed(self, src, dst):
        """A copy in CRS `dst`: the points projected all at once."""
        out = Geometries()
        out.kind, out.part_end = self.kind, self.part_end
        out.ring_end, out.point_end = self.ring_end, self.point_end
        xy = np.frombuffer(self.xy).reshape(-1, 2)
        if len(xy):
            xs, ys = transform(src, dst, xy[:, 0], xy[:, 1])
            out.xy = array("d")
            out.xy.frombytes(np.column_stack([xs, ys]).tobytes())
        out.other = {i: transform_geom(src, dst, g) for i, g in self.other.items()}
        return out
