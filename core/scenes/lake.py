"""A simulated data lake: one synthetic snow scene per Sentinel-2 tile, laid
out as the compute centre reads it (core.products.tile_inputs):

    <lake>/tiles/<TILE>/S2/          THEIA L2A products
    <lake>/tiles/<TILE>/DEM/dem.tif
    <lake>/tiles/<TILE>/truth/       the scene's ground truth

Each scene sits at its tile's real UTM position (centred in the tile), so the
tiles of a national mosaic land where they belong. The caller gives the
origins (core knows no tile grid: the backend ships it)."""
import shutil
from datetime import date
from pathlib import Path

from .snow import make_snow_scene


def make_snow_lake(lake, tiles, size=96, seed=0, start=date(2017, 12, 1),
                   end=date(2018, 2, 28), revisit_days=5):
    """tiles: {tile id: (ulx, uly)}, the upper-left UTM corner of each tile
    (e.g. {"31TCJ": (300000.0, 4900020.0)}). Tile ids with or without the
    leading T. Returns {tile id: SnowScene}."""
    lake = Path(lake)
    scenes = {}
    for i, (tile, origin) in enumerate(sorted(tiles.items())):
        tile = tile.upper().lstrip("T")
        root = lake / "tiles" / tile
        if root.exists():                     # a rebuilt tile starts clean
            shutil.rmtree(root)
        scene = make_snow_scene(root, seed=seed + i, size=size, start=start, end=end,
                                tile=tile, revisit_days=revisit_days, origin=tuple(origin))
        dem = root / "DEM" / "dem.tif"
        dem.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(scene.dem_path, dem)
        scene.dem_path = dem
        scenes[tile] = scene
    return scenes
