"""Agricultural parcels from a vector layer (any OGR format): rasterised
window by window onto a processing grid, and written back with per-parcel
results."""
import json
from pathlib import Path

import numpy as np
from osgeo import ogr, osr
from rasterio.features import rasterize

from .errors import InputError

RESULT_FIELDS = (("biomass", "t/ha"), ("biomass_sd", "t/ha"), ("gpp", "g C/m2"),
                 ("reco", "g C/m2"), ("nee", "g C/m2"))


def _srs(text_or_ref):
    srs = osr.SpatialReference()
    if isinstance(text_or_ref, str):
        srs.SetFromUserInput(text_or_ref)
    else:
        srs = text_or_ref.Clone()
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _open(path, layer_name):
    ds = ogr.Open(str(path))
    if ds is None:
        raise InputError("Cannot read the parcel layer {path} ({error}).", path=path,
                         error="unknown format")
    layer = ds.GetLayerByName(layer_name) if layer_name else ds.GetLayer(0)
    if layer is None:
        raise InputError("The parcel file {path} has no layer {layer}.", path=path,
                         layer=layer_name)
    return ds, layer


class Parcels:
    """Polygons of a layer in the grid's CRS; parcel index = reading order of
    the polygon features that overlap the grid."""

    def __init__(self, path, layer_name, grid):
        self.path, self.layer_name = Path(path), layer_name
        ds, layer = _open(path, layer_name)   # the layer lives as long as ds
        src = layer.GetSpatialRef()
        if src is None:
            raise InputError("The parcel layer {path} has no coordinate reference system.",
                             path=path)
        to_grid = osr.CoordinateTransformation(_srs(src), _srs(grid.crs))
        gxmin, gymin, gxmax, gymax = grid.bounds
        self.fids, self.shapes, self.boxes, self.centroids = [], [], [], []
        n_polygons = 0
        for feature in layer:
            geom = feature.GetGeometryRef()
            if geom is None or "POLYGON" not in geom.GetGeometryName():
                continue
            n_polygons += 1
            geom = geom.Clone()
            geom.Transform(to_grid)
            xmin, xmax, ymin, ymax = geom.GetEnvelope()
            if xmax <= gxmin or xmin >= gxmax or ymax <= gymin or ymin >= gymax:
                continue
            centre = geom.Centroid()
            self.fids.append(feature.GetFID())
            self.shapes.append(json.loads(geom.ExportToJson()))
            self.boxes.append((xmin, ymin, xmax, ymax))
            self.centroids.append((centre.GetX(), centre.GetY()))
        if not n_polygons:
            raise InputError("The parcel layer {path} holds no polygon: parcels are polygons.",
                             path=path)
        if not self.fids:
            raise InputError("None of the {n} parcels of {path} overlaps the area.",
                             n=n_polygons, path=path)
        self.boxes = np.array(self.boxes)

    def __len__(self):
        return len(self.fids)

    def ids_on(self, sub):
        """Parcel index of every pixel of the grid `sub` (int32, -1 = none)."""
        xmin, ymin, xmax, ymax = sub.bounds
        b = self.boxes
        near = np.flatnonzero((b[:, 2] > xmin) & (b[:, 0] < xmax) & (b[:, 3] > ymin)
                              & (b[:, 1] < ymax))
        if near.size == 0:
            return np.full((sub.height, sub.width), -1, "int32")
        burnt = rasterize(((self.shapes[i], i + 1) for i in near),
                          out_shape=(sub.height, sub.width), transform=sub.transform, fill=0,
                          dtype="int32")
        return burnt - 1

    def write_results(self, out_path, values, pixels, clear_dates, nodata):
        """A copy of the parcel layer with the results per parcel (NULL where
        none): values (5, parcels) in RESULT_FIELDS order."""
        out_path = Path(out_path)
        driver = ogr.GetDriverByName("ESRI Shapefile" if out_path.suffix.lower() == ".shp"
                                     else "GPKG")
        if out_path.exists():
            driver.DeleteDataSource(str(out_path))
        src_ds, src = _open(self.path, self.layer_name)
        out_ds = driver.CreateDataSource(str(out_path))
        out = out_ds.CreateLayer(out_path.stem, src.GetSpatialRef(), src.GetGeomType())
        defn = src.GetLayerDefn()
        for i in range(defn.GetFieldCount()):
            out.CreateField(defn.GetFieldDefn(i))
        for name, _ in RESULT_FIELDS:
            out.CreateField(ogr.FieldDefn(name, ogr.OFTReal))
        for name in ("pixels", "clear_dates"):
            out.CreateField(ogr.FieldDefn(name, ogr.OFTInteger))
        index = {fid: i for i, fid in enumerate(self.fids)}
        out_ds.StartTransaction()
        for feature in src:
            new = ogr.Feature(out.GetLayerDefn())
            new.SetFrom(feature)
            i = index.get(feature.GetFID())
            if i is not None:
                for k, (name, _) in enumerate(RESULT_FIELDS):
                    if values[k, i] != nodata:
                        new.SetField(name, float(values[k, i]))
                new.SetField("pixels", int(pixels[i]))
                new.SetField("clear_dates", int(clear_dates[i]))
            out.CreateFeature(new)
        out_ds.CommitTransaction()
        del out_ds, src_ds                    # closes (flushes) the GeoPackage
        return str(out_path)
