"""Results arrive readable: compute-centre files open without GDAL errors,
local and remote results load named, ordered, grouped and with legends that
speak."""
import functools
import re
import http.server
import threading
from pathlib import Path

import numpy as np
import processing
import pytest
import rasterio
from osgeo import gdal
from qgis.core import QgsLayerTreeGroup, QgsProject, QgsRasterLayer
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


def tree_names(group):
    """[(name, kind)] of a layer-tree group's children, top first."""
    return [(c.name(), "group" if isinstance(c, QgsLayerTreeGroup) else "layer")
            for c in group.children()]


def legend(layer):
    return [label for label, _ in layer.renderer().legendSymbologyItems()]


@pytest.fixture
def project(qgis_iface):
    QgsProject.instance().clear()
    yield QgsProject.instance()
    QgsProject.instance().clear()


def test_snow_results_arrive_readable(provider, snow_scene, tmp_path, project):
    processing.runAndLoadResults("chainon:snow_cover", {
        "S2_FOLDER": str(snow_scene.s2_folder), "DEM": str(snow_scene.dem_path),
        "START": "2017-10-01", "END": "2018-03-31", "OUTPUT_FOLDER": str(tmp_path / "maps"),
        "OUTPUT": str(tmp_path / "a_scd.tif"), "OUTPUT_SOD": str(tmp_path / "b_sod.tif"),
        "OUTPUT_SMOD": str(tmp_path / "c_smod.tif"), "OUTPUT_NOBS": str(tmp_path / "0_nobs.tif")})
    root = project.layerTreeRoot()
    names = tree_names(root)
    maps = sorted(p.stem.split("_")[-1] for p in (tmp_path / "maps").glob("SNOW_*.tif"))
    assert names == [("Snow cover duration 31TGL", "layer"), ("Snow onset date 31TGL", "layer"),
                     ("Snow melt-out date 31TGL", "layer"),
                     ("Number of clear observations 31TGL", "layer"),
                     (f"Maps per date 31TGL ({len(maps)} dates)", "group")], names
    group = root.children()[-1]
    assert not group.isExpanded() and not group.itemVisibilityChecked()
    assert [c.name() for c in group.children()] == [f"Snow {d}" for d in maps]
    layers = {lyr.name(): lyr for lyr in project.mapLayers().values()}
    scd = legend(layers["Snow cover duration 31TGL"])
    assert scd[0] == "0 days" and scd[-1] == "182 days", scd
    assert legend(layers["Number of clear observations 31TGL"])[-1].endswith("dates")


def test_land_cover_results_arrive_readable(provider, land_cover_scene, tmp_path, project):
    result = processing.runAndLoadResults("chainon:land_cover", {
        "S2_FOLDER": str(land_cover_scene.s2_folder),
        "REFERENCE": str(land_cover_scene.reference_path), "CLASS_FIELD": "code",
        "MAX_SAMPLES": 100, "N_TREES": 10, "OUTPUT": str(tmp_path / "z_lc.tif"),
        "OUTPUT_CONFIDENCE": str(tmp_path / "a_conf.tif"),
        "OUTPUT_NOBS": str(tmp_path / "b_nobs.tif")})
    names = [n for n, _ in tree_names(project.layerTreeRoot())]
    tile = names[0].rsplit(" ", 1)[-1]
    assert names == [f"Land cover {tile}", f"Confidence {tile}",
                     f"Number of clear dates {tile}"], names
    report = Path(result["OUTPUT_REPORT_HTML"])
    assert report.parent == tmp_path and report.suffix == ".html"
    html = report.read_text()
    assert "Overall accuracy" in html and "Confusion matrix" in html and "<table>" in html


def untiled(name):
    """A loaded layer's name without the tile the product names it after."""
    return re.sub(r" \d\d[A-Z]{3}$", "", name)
