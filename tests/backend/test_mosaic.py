"""National mosaics keep the product's native resolution and carry their style."""
import numpy as np
import rasterio
from rasterio.transform import from_origin

from backend.mosaic import build_mosaic


def test_mosaic_keeps_the_tiles_resolution(tmp_path):
    """Forest cuts (10 m) came back from the compute centre at 20 m."""
    tiles = []
    for i, x in enumerate((300000, 300400)):
        path = tmp_path / f"tile{i}.tif"
        with rasterio.open(path, "w", driver="GTiff", width=40, height=40, count=1,
                           dtype="uint16", nodata=65535, crs="EPSG:32631",
                           transform=from_origin(x, 4800000, 10, 10)) as ds:
            ds.write(np.full((1, 40, 40), 800, "uint16"))
        tiles.append(str(path))
    out = build_mosaic(tiles, tmp_path / "mosaic.tif", "forest_cuts", "OUTPUT",
                       "2020-01-01", "2021-12-31")
    with rasterio.open(out) as ds:
        assert ds.res == (10.0, 10.0) and ds.crs.to_epsg() == 2154
        assert (ds.read(1) == 800).sum() > 0.8 * 2 * 40 * 40
    assert (tmp_path / "mosaic.qml").exists()
