"""Runs any catalog product on one tile from a data-lake folder: the entry
point of the compute centre's workers (the QGIS algorithms call the product
modules directly, with the user's own inputs).

Data lake layout, per Sentinel-2 tile (tile id without the leading T):

    <lake>/tiles/<TILE>/S2/                      THEIA L2A products (folders or zips)
    <lake>/tiles/<TILE>/S1/                      S1Tiling backscatter GeoTIFFs (linear power)
    <lake>/tiles/<TILE>/DEM/dem.tif              elevation (m)
    <lake>/tiles/<TILE>/LAND_COVER/land_cover.tif   OSO land cover of the tile (OSO codes)
    <lake>/tiles/<TILE>/REFERENCE/land_cover.geojson  land-cover training polygons,
                                                 class code in REFERENCE_CLASS_FIELD
    <lake>/tiles/<TILE>/PARCELS/parcels.geojson  RPG-like parcels: crop (PARCEL_CROP_FIELD),
                                                 declared yield t/ha (PARCEL_YIELD_FIELD),
                                                 irrigated or rainfed (PARCEL_IRRIGATED_FIELD)
    <lake>/tiles/<TILE>/METEO/meteo.csv          daily meteorology: date, tmin, tmax (degC),
                                                 radiation (MJ m-2 d-1), rain_mm
    <lake>/tiles/<TILE>/GEDI/                    GEDI L2A HDF5 granules over the tile

What each product reads is in NEEDS (missing -> InputError naming the file),
optional inputs in OPTIONAL; the lake's class lists are the OSO conventions
below. Only the raster outputs of the catalog (main_outputs) are returned:
vector outputs, models and reports stay with the local mode."""
import dataclasses
from pathlib import Path
from typing import NamedTuple

from .catalog import PRODUCTS
from .crop_carbon import run_crop_carbon
from .crop_yield import OSO_CROPS, YieldParams, run_crop_yield, select_parcels
from .errors import InputError
from .forest_cuts import CutParams, ForestSource, run_forest_cuts
from .forest_height import HeightParams, run_forest_height
from .irrigation import IrrigationParams, run_irrigation
from .land_cover import LandCoverParams, run_land_cover
from .mowing import MowingParams
from .mowing_date import Grassland, run_mowing_date
from .snow import LisParams
from .snow_cover import run_snow_cover
from .training import GeoJSONFeatures, reference_from_features


@dataclasses.dataclass
class CropYieldParams(YieldParams):
    """YieldParams plus the crop to map (a PARCEL_CROP_FIELD value, e.g.
    "BTH"); empty: every parcel, trained on all declared yields."""
    crop: str = ""


@dataclasses.dataclass
class CarbonParams:
    """What run_crop_carbon takes besides inputs (the algorithm's defaults)."""
    ensemble_size: int = 3000   # SAFY parameter sets drawn from the prior
    seed: int = 0


# The parameters of each product, as the dataclass its run_* function takes:
# a national job's product inputs are their field names (a nested
# dataclass, LandCoverParams.forest, contributes its own fields).
PARAMS = {"snow_cover": LisParams, "land_cover": LandCoverParams,
          "mowing_date": MowingParams, "crop_yield": CropYieldParams,
          "crop_carbon": CarbonParams, "forest_cuts": CutParams,
          "forest_height": HeightParams, "irrigation": IrrigationParams}


class ParamField(NamedTuple):
    name: str
    type: type      # int, float, bool, str or tuple (of numbers)
    default: object


def param_fields(product_id):
    """The flat list of a product's parameters."""
    cls = PARAMS.get(product_id)
    return _flat_fields(cls) if cls else []


def _flat_fields(cls):
    out = []
    for f in dataclasses.fields(cls):
        if dataclasses.is_dataclass(f.type):
            out += _flat_fields(f.type)
        else:
            out.append(ParamField(f.name, f.type, f.default))
    return out


def make_params(product_id, values):
    """The product's parameter dataclass from flat {field name: value};
    fields not given keep their defaults."""
    return _build(PARAMS[product_id], values or {})


def _build(cls, values):
    kwargs = {}
    for f in dataclasses.fields(cls):
        if dataclasses.is_dataclass(f.type):
            kwargs[f.name] = _build(f.type, values)
        elif f.name in values:
            kwargs[f.name] = (tuple(float(v) for v in values[f.name]) if f.type is tuple
                              else f.type(values[f.name]))
    return cls(**kwargs)

# Lake conventions (see the module docstring).
REFERENCE_CLASS_FIELD = "code"          # OSO class code of each training polygon
PARCEL_CROP_FIELD = "CODE_CULTU"        # RPG crop code
PARCEL_YIELD_FIELD = "RDT_DECL"         # declared yield (t/ha), empty when unknown
PARCEL_IRRIGATED_FIELD = "irrigated"    # 1/0, irrigated/rainfed... (irrigation.label_value)
GRASSLAND_CLASSES = (13.0,)             # OSO grassland
FOREST_CLASSES = (16.0, 17.0)           # OSO broad-leaved and coniferous forests
WATER_CLASSES = (23.0,)                 # OSO water: snow cover's LIS 1.7 water mask
YIELD_CROP_CLASSES = tuple(float(c) for c in OSO_CROPS)   # winter and summer crops
CARBON_CROP_CLASSES = (6.0,)            # OSO straw cereals: SAFY is set up for wheat
LAKE_FILES = {"S2": "S2", "S1": "S1", "DEM": "DEM/dem.tif",
              "LAND_COVER": "LAND_COVER/land_cover.tif",
              "REFERENCE": "REFERENCE/land_cover.geojson",
              "PARCELS": "PARCELS/parcels.geojson", "METEO": "METEO/meteo.csv", "GEDI": "GEDI"}
FOLDERS = ("S2", "S1", "GEDI")
# The lake inputs each product needs, and those it uses when the tile has them.
NEEDS = {"snow_cover": ("S2", "DEM"), "land_cover": ("S2", "REFERENCE"),
         "mowing_date": ("S2", "LAND_COVER"), "crop_yield": ("S2", "PARCELS", "LAND_COVER"),
         "crop_carbon": ("S2", "METEO", "LAND_COVER"), "forest_cuts": ("S1", "LAND_COVER"),
         "forest_height": ("S2", "GEDI", "LAND_COVER"),
         "irrigation": ("S2", "S1", "METEO", "PARCELS")}
OPTIONAL = {"forest_height": ("S1", "DEM"), "snow_cover": ("LAND_COVER",)}


def tile_inputs(lake, tile):
    """The input paths of one tile in the data lake."""
    root = Path(lake) / "tiles" / tile.upper().lstrip("T")
    return {key: root / rel for key, rel in LAKE_FILES.items()}


def main_outputs(product_id):
    """Output keys a national job mosaics (per-date maps stay per tile)."""
    product = PRODUCTS[product_id]
    return [o for o in product.outputs if o.key.startswith("OUTPUT")]


def run_tile(product_id, lake, tile, out_dir, start, end, params=None, progress=None):
    """Runs the product on one tile; returns {output key: COG path}."""
    if product_id not in PRODUCTS:
        raise InputError("Unknown product {product}.", product=product_id)
    inputs = _available(product_id, tile_inputs(lake, tile), tile)
    run = RUNS[product_id]
    result = run(inputs, Path(out_dir), start, end, make_params(product_id, params), progress)
    return {o.key: result[o.key] for o in main_outputs(product_id)}


def _available(product_id, inputs, tile):
    """The product's inputs of the tile; raises when a needed one is missing."""
    def present(key):
        return inputs[key].is_dir() if key in FOLDERS else inputs[key].is_file()
    for key in NEEDS[product_id]:
        if not present(key):
            if key == "S2":
                raise InputError("No Sentinel-2 data for tile {tile} in the data lake.",
                                 tile=tile)
            raise InputError("The data lake has no {what} for tile {tile}: {path} is missing.",
                             what=key, tile=tile, path=inputs[key])
    return {k: str(inputs[k]) for k in NEEDS[product_id] + OPTIONAL.get(product_id, ())
            if present(k)}


def _snow_cover(inputs, out_dir, start, end, params, progress):
    return run_snow_cover(inputs["S2"], inputs["DEM"], out_dir, start=start, end=end,
                          params=params, progress=progress,
                          water_mask=inputs.get("LAND_COVER"), water_values=WATER_CLASSES)


def _land_cover(inputs, out_dir, start, end, params, progress):
    reference = _read_reference(inputs["REFERENCE"])
    return run_land_cover(inputs["S2"], out_dir, reference=reference, start=start, end=end,
                          params=params, progress=progress)


def _mowing_date(inputs, out_dir, start, end, params, progress):
    grassland = Grassland(land_cover=inputs["LAND_COVER"], classes=GRASSLAND_CLASSES)
    return run_mowing_date(inputs["S2"], out_dir, grassland, start=start, end=end,
                           params=params, progress=progress)


def _crop_yield(inputs, out_dir, start, end, params, progress):
    crop_field = PARCEL_CROP_FIELD if params.crop else None
    parcels = _read_parcels(inputs["PARCELS"], params.crop)
    return run_crop_yield(inputs["S2"], out_dir, parcels, outputs={}, pixels=True, start=start,
                          end=end, params=params, progress=progress,
                          crop_mask=inputs["LAND_COVER"], crop_classes=YIELD_CROP_CLASSES,
                          facts=dict(crop=params.crop or None, crop_field=crop_field,
                                     yield_field=PARCEL_YIELD_FIELD))


def _crop_carbon(inputs, out_dir, start, end, params, progress):
    return run_crop_carbon(inputs["S2"], out_dir, meteo_csv=inputs["METEO"], start=start,
                           end=end, crop_mask=inputs["LAND_COVER"],
                           crop_classes=CARBON_CROP_CLASSES,
                           ensemble_size=params.ensemble_size, seed=params.seed,
                           progress=progress)


def _forest_cuts(inputs, out_dir, start, end, params, progress):
    output = out_dir / f"FOREST-CUTS_{start:%Y%m%d}_{end:%Y%m%d}.tif"
    forest = ForestSource(land_cover=inputs["LAND_COVER"], classes=FOREST_CLASSES)
    return run_forest_cuts(inputs["S1"], forest, output, start, end, params=params,
                           progress=progress)


def _forest_height(inputs, out_dir, start, end, params, progress):
    forest = ForestSource(land_cover=inputs["LAND_COVER"], classes=FOREST_CLASSES)
    return run_forest_height(inputs["S2"], out_dir, gedi=inputs["GEDI"], forest=forest,
                             dem=inputs.get("DEM"), s1_folder=inputs.get("S1"), start=start,
                             end=end, params=params, progress=progress)


def _irrigation(inputs, out_dir, start, end, params, progress):
    labels, crops = _read_labels(inputs["PARCELS"])
    return run_irrigation(inputs["S2"], inputs["S1"], inputs["METEO"], labels, out_dir,
                          start=start, end=end, params=params, progress=progress,
                          crops=crops)


# The vector inputs are read feature by feature into compact geometries:
# json.loads of a tile's 470 000 parcels peaked at 1.1 GB (issue 13). Their
# "crs" member may follow the features, so it is set once they are read.

def _read_reference(path):
    features = GeoJSONFeatures(path)
    reference = reference_from_features(features, REFERENCE_CLASS_FIELD, None)
    return dataclasses.replace(reference, crs=features.crs)


def _read_parcels(path, crop):
    """Crop yield's parcels: those of `crop` ("": all of them)."""
    features = GeoJSONFeatures(path)
    parcels = select_parcels(features, None, PARCEL_CROP_FIELD if crop else None, crop or None,
                             PARCEL_YIELD_FIELD)
    return dataclasses.replace(parcels, crs=features.crs)


def _read_labels(path):
    """Irrigation's parcels with geometry, their labels (None: mapped, not
    trained on) and their declared crops (RPG: each parcel is read against
    the parcels of its crop; None if no parcel has one)."""
    features, crops = GeoJSONFeatures(path), []

    def located():
        for f in features:
            if f.get("geometry") is not None:
                crops.append(f["properties"].get(PARCEL_CROP_FIELD))
                yield f
    labels = reference_from_features(located(), PARCEL_IRRIGATED_FIELD, None, numeric=False,
                                     keep_empty=True)
    labels = dataclasses.replace(labels, crs=features.crs)
    return labels, crops if any(c is not None for c in crops) else None


RUNS = {"snow_cover": _snow_cover, "land_cover": _land_cover, "mowing_date": _mowing_date,
        "crop_yield": _crop_yield, "crop_carbon": _crop_carbon, "forest_cuts": _forest_cuts,
        "forest_height": _forest_height, "irrigation": _irrigation}
