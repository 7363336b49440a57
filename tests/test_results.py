"""Results arrive readable: compute-centre files open without GDAL errors,
local and remote results load named, ordered, grouped and with legends that
speak."""
import functools
import http.server
import threading

import numpy as np
import pytest
import rasterio
from osgeo import gdal
from qgis.core import QgsRasterLayer
from rasterio.transform import from_origin

from chainon.remote.results import gdal_uri


@pytest.fixture
def http_folder(tmp_path):
    """tmp_path served over HTTP on 127.0.0.1 (as the compute centre serves COGs)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def write_raster(path, value=1, res=10):
    with rasterio.open(path, "w", driver="GTiff", width=8, height=8, count=1, dtype="uint8",
                       crs="EPSG:2154", transform=from_origin(500000, 6300000, res, res)) as ds:
        ds.write(np.full((1, 8, 8), value, "uint8"))


def test_remote_result_opens_without_gdal_errors(qgis_app, http_folder):
    """make demo printed "ERROR 5: Missing url parameter" twice per layer."""
    folder, url = http_folder
    write_raster(folder / "SCD.tif")
    errors = []
    gdal.PushErrorHandler(lambda cls, no, msg: errors.append(msg))
    try:
        layer = QgsRasterLayer(gdal_uri(f"{url}/SCD.tif", "a-token"), "SCD", "gdal")
    finally:
        gdal.PopErrorHandler()
    assert layer.isValid() and layer.width() == 8
    assert errors == []
