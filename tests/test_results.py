"""Results arrive readable: compute-centre files open without GDAL errors,
local and remote results load named, ordered, grouped and with legends that
speak."""
import functools
import http.server
import re
import threading
from datetime import date
from pathlib import Path

import numpy as np
import processing
import pytest
import rasterio
from osgeo import gdal
from qgis.core import (QgsLayerTree, QgsLayerTreeGroup, QgsLayerTreeModel,
                       QgsNumericFormatContext, QgsProject, QgsRasterLayer)
from qgis.PyQt.QtXml import QDomDocument
from rasterio.transform import from_origin

from chainon.core.catalog import PRODUCTS
from chainon.core.forest_cuts import date_ramp
from chainon.core.qml import qml_for
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
    assert panel_legend(layers["Snow cover duration 31TGL"]) == ("gradient", "0 days",
                                                                  "182 days")
    assert panel_legend(layers["Number of clear observations 31TGL"])[2].endswith(" dates")
    onset = panel_legend(layers["Snow onset date 31TGL"])
    assert onset[0] == "items" and onset[1][0] == "No snow", onset
    dates = onset[1][1:]
    assert dates == sorted(dates) and "2017-10-01" <= dates[0] and dates[-1] == "2018-03-31"


def test_land_cover_results_arrive_readable(provider, land_cover_scene, tmp_path, project):
    result = processing.runAndLoadResults("chainon:land_cover", {
        "S2_FOLDER": str(land_cover_scene.s2_folder),
        "REFERENCE": str(land_cover_scene.reference_path), "CLASS_FIELD": "code",
        "MAX_SAMPLES": 100, "N_TREES": 10, "OUTPUT": str(tmp_path / "z_lc.tif"),
        "OUTPUT_MODEL": "TEMPORARY_OUTPUT",           # the dialog's default
        "OUTPUT_CONFIDENCE": str(tmp_path / "a_conf.tif"),
        "OUTPUT_NOBS": str(tmp_path / "b_nobs.tif")})
    names = [n for n, _ in tree_names(project.layerTreeRoot())]
    tile = names[0].rsplit(" ", 1)[-1]
    assert names == [f"Land cover {tile}", f"Confidence {tile}",
                     f"Number of clear dates {tile}"], names
    assert provider.algorithm("land_cover").hasHtmlOutputs()   # shown in the Results Viewer
    report = Path(result["OUTPUT_REPORT_HTML"])
    assert report.parent == tmp_path and report.suffix == ".html"
    assert Path(result["OUTPUT_MODEL"]).parent == tmp_path     # not in a temporary folder
    html = report.read_text()
    assert "Overall accuracy" in html and "Confusion matrix" in html and "<table>" in html


def untiled(name):
    """A loaded layer's name without the tile the product names it after."""
    return re.sub(r" \d\d[A-Z]{3}$", "", name)


def panel_legend(layer):
    """What the Layers panel shows under a layer: ("gradient", min, max text)
    or ("items", [labels])."""
    root = QgsLayerTree()
    node = root.addLayer(layer)
    model = QgsLayerTreeModel(root)
    nodes = model.layerLegendNodes(node)
    settings = layer.renderer().shader().rasterShaderFunction().legendSettings()
    if settings.useContinuousLegend():
        fmt = settings.numericFormat()
        ends = [fmt.formatDouble(v, QgsNumericFormatContext()) + settings.suffix()
                for v in (layer.renderer().classificationMin(),
                          layer.renderer().classificationMax())]
        return ("gradient", *ends)
    return ("items", [n.data(0) for n in nodes][1:])      # after the band's name


def styled(tmp_path, output, ramp_max=None):
    """A small raster with the catalog style of `output`."""
    write_raster(tmp_path / "r.tif")
    layer = QgsRasterLayer(str(tmp_path / "r.tif"), "r")
    doc = QDomDocument()
    doc.setContent(qml_for(output, str, ramp_max))
    layer.importNamedStyle(doc)
    return layer


def test_legends_speak(qgis_app, tmp_path):
    """The Layers panel showed clear-cut dates as "1,459 ... 0"."""
    cuts = panel_legend(styled(tmp_path, date_ramp(date(2018, 1, 1), date(2021, 12, 31))))
    assert cuts[0] == "items" and cuts[1][0] == "Forest without clear-cut"
    assert cuts[1][-1] == "2021-12-31", cuts
    mowing = panel_legend(styled(tmp_path, PRODUCTS["mowing_date"].output("OUTPUT")))
    assert mowing[0] == "items" and "1 May" in mowing[1]
    scd = panel_legend(styled(tmp_path, PRODUCTS["snow_cover"].output("OUTPUT"), 1461))
    assert scd == ("gradient", "0 days", "1461 days")
