"""A simulated data lake: one synthetic scene per Sentinel-2 tile, made by the
product's own scene generator and laid out as the compute centre reads it
(core.products, LAKE_FILES):

    <lake>/tiles/<TILE>/S2/, S1/, GEDI/     satellite data, as each scene writes it
    <lake>/tiles/<TILE>/DEM/dem.tif, LAND_COVER/land_cover.tif,
        REFERENCE/land_cover.geojson, PARCELS/parcels.geojson, METEO/meteo.csv
    <lake>/tiles/<TILE>/truth/              the scene's ground truth

Each scene sits at its tile's real UTM position (centred in the tile), so the
tiles of a national mosaic land where they belong. The caller gives the
origins (core knows no tile grid: the backend ships it). A tile holds only
what its product's scene simulates (a crop carbon tile has no rain column,
an irrigation tile no temperature): enough for that product."""
import inspect
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import rasterio

from ..products import LAKE_FILES
from .crop_carbon import make_crop_carbon_scene
from .crop_yield import make_crop_yield_scene
from .forest_cuts import make_forest_cut_scene
from .forest_height import make_forest_height_scene
from .irrigation import make_irrigation_scene
from .land_cover import make_land_cover_scene
from .mowing import make_mowing_scene
from .snow import make_snow_scene

CARBON_LAND_COVER = (6, 13)   # OSO straw cereals (the scene's wheat), grassland elsewhere


@dataclass
class LakeScene:
    make: object         # the product's scene generator
    files: dict          # lake input key -> the scene's attribute holding that file
    defaults: dict       # generator arguments of a lake tile (as the demo's)


def _carbon_land_cover(scene, root):
    """An OSO-coded map from the scene's wheat mask."""
    with rasterio.open(scene.crop_mask_path) as src:
        profile = src.profile
        wheat = src.read(1) == 1
    dest = root / LAKE_FILES["LAND_COVER"]
    dest.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(dest, "w", **profile) as out:
        out.write(np.where(wheat, *CARBON_LAND_COVER).astype(profile["dtype"]), 1)


SCENES = {
    "snow_cover": LakeScene(make_snow_scene, {"DEM": "dem_path"},
                            dict(size=96, start=date(2017, 12, 1), end=date(2018, 2, 28))),
    "land_cover": LakeScene(make_land_cover_scene,
                            {"REFERENCE": "reference_path", "DEM": "dem_path"}, {}),
    "mowing_date": LakeScene(make_mowing_scene, {"LAND_COVER": "land_cover"}, {}),
    "crop_yield": LakeScene(make_crop_yield_scene,
                            {"PARCELS": "parcels_path", "LAND_COVER": "land_cover_path",
                             "REFERENCE": "reference_path", "DEM": "dem_path"}, {}),
    "crop_carbon": LakeScene(make_crop_carbon_scene,
                             {"METEO": "meteo_path", "LAND_COVER": _carbon_land_cover},
                             dict(parcels=False)),
    "forest_cuts": LakeScene(make_forest_cut_scene, {"LAND_COVER": "land_cover"}, {}),
    "forest_height": LakeScene(make_forest_height_scene, {"LAND_COVER": "land_cover"}, {}),
    "irrigation": LakeScene(make_irrigation_scene,
                            {"METEO": "rain_path", "PARCELS": "parcels_path"}, {}),
}


def scene_options(product_id):
    """The generator arguments make_lake accepts for the product."""
    names = inspect.signature(SCENES[product_id].make).parameters
    return [n for n in names if n not in ("out_dir", "tile", "origin", "progress")]


def make_lake(product_id, lake, tiles, seed=0, **options):
    """A lake of `product_id` scenes. tiles: {tile id: (ulx, uly)}, the
    upper-left UTM corner of each tile (e.g. {"31TCJ": (300000.0, 4900020.0)});
    tile ids with or without the leading T. options: the scene generator's
    own (size, start, end, year... see scene_options). Tile k gets seed + k.
    Returns {tile id: scene}; each scene's start and end are its period."""
    spec = SCENES[product_id]
    unknown = sorted(set(options) - set(scene_options(product_id)))
    if unknown:
        raise ValueError(f"{product_id} scenes take no {', '.join(unknown)} (they take "
                         f"{', '.join(scene_options(product_id))}).")
    options = {**spec.defaults, **options}
    scenes = {}
    for i, (tile, origin) in enumerate(sorted(tiles.items())):
        tile = tile.upper().lstrip("T")
        root = Path(lake) / "tiles" / tile
        if root.exists():                     # a rebuilt tile starts clean
            shutil.rmtree(root)
        scene = spec.make(root, seed=seed + i, tile=tile, origin=tuple(origin), **options)
        for key, source in spec.files.items():
            _lay(scene, root, key, source)
        scenes[tile] = scene
    return scenes


def _lay(scene, root, key, source):
    if callable(source):
        source(scene, root)
        return
    dest, path = root / LAKE_FILES[key], Path(getattr(scene, source))
    dest.parent.mkdir(parents=True, exist_ok=True)
    if "truth" in path.relative_to(root).parts:    # the truth keeps its copy
        shutil.copy(path, dest)
    else:
        shutil.move(path, dest)
        setattr(scene, source, dest)


def make_snow_lake(lake, tiles, size=96, seed=0, start=date(2017, 12, 1),
                   end=date(2018, 2, 28), revisit_days=5):
    """The snow cover lake of the demo (see make_lake). Returns {tile id: SnowScene}."""
    return make_lake("snow_cover", lake, tiles, seed=seed, size=size, start=start, end=end,
                     revisit_days=revisit_days)
