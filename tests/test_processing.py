"""The plugin as QGIS users run it: provider, help, processing.run, the saved
model, styled results, dialogs, bad input."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import processing
import pytest
import rasterio
import rasterio.warp
from affine import Affine
from qgis.core import (QgsApplication, QgsProcessingException, QgsProcessingModelAlgorithm,
                       QgsProject, QgsRasterLayer)

from chainon.core.evaluation import snow_accuracy
from test_results import untiled  # layer names without their tile

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "resources" / "models" / "snow_cover_from_sample_data.model3"


@pytest.fixture(scope="module")
def small_scene(provider, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    return processing.run("chainon:sample_data", {"SIZE": 72, "SEED": 5, "OUTPUT_FOLDER": str(out)})


def snow_params(scene, out, **extra):
    return {"S2_FOLDER": scene["S2_FOLDER"], "DEM": scene["DEM"],
            "OUTPUT_FOLDER": str(out / "maps"), "OUTPUT": str(out / "scd.tif"),
            "OUTPUT_SOD": str(out / "sod.tif"), "OUTPUT_SMOD": str(out / "smod.tif"),
            "OUTPUT_NOBS": str(out / "nobs.tif"), **extra}


def test_provider_and_ids(provider):
    registry = QgsApplication.processingRegistry()
    assert registry.providerById("chainon") is provider
    snow = registry.algorithmById("chainon:snow_cover")
    assert snow.group() == "Snow and water" and snow.groupId() == "snow_water"
    assert registry.algorithmById("chainon:sample_data").groupId() == "tools"
    assert not provider.icon().isNull()


def test_every_parameter_and_output_has_help(provider):
    for alg in provider.algorithms():
        if isinstance(alg, QgsProcessingModelAlgorithm):
            continue                     # the shipped models: their own help
        text = alg.shortHelpString()
        for p in alg.parameterDefinitions():
            assert p.help(), f"{alg.id()} {p.name()} has no help"
            hidden = p.flags() & p.Flag.FlagHidden     # TARGET..., kept for old models
            assert (p.description() in text) != bool(hidden), f"{alg.id()} {p.name()}"
        for o in alg.outputDefinitions():
            assert o.description() in text, f"{alg.id()} output {o.name()} not in help"


def test_sample_data_then_snow_cover(small_scene, tmp_path):
    truth = Path(small_scene["TRUTH_FOLDER"])
    assert "SYNTHETIC" in (truth / "README.txt").read_text()
    result = processing.run("chainon:snow_cover", snow_params(small_scene, tmp_path, FSC=True))
    maps = sorted(Path(result["OUTPUT_FOLDER"]).glob("SNOW_*_????????.tif"))
    assert maps and all((m.with_suffix(".qml")).exists() for m in maps)
    # the sidecar styles a map however QGIS opens it (models, drag and drop)
    assert QgsRasterLayer(str(maps[0]), "map").renderer().type() == "paletted"
    assert sorted(Path(result["OUTPUT_FOLDER"]).glob("FSC_*.tif"))
    with rasterio.open(result["OUTPUT"]) as ds:
        assert ds.tags()["product"] == "snow_cover"
        assert ds.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        scd = ds.read(1)
    assert 0 < scd[scd != 65535].mean() < 366
    score = snow_accuracy(result["OUTPUT_FOLDER"], truth)
    assert score["accuracy"] >= 0.94, score


def test_saved_model_chains_sample_data_into_snow_cover(provider, tmp_path):
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(MODEL))
    key = "snow_cover:snow_cover_duration"
    result = processing.run(model, {"size": 48, "seed": 2, key: str(tmp_path / "scd.tif")})
    with rasterio.open(result[key]) as ds:
        assert ds.read(1).max() > 0


def test_results_load_styled_with_legends(small_scene, tmp_path, qgis_iface):
    QgsProject.instance().clear()
    params = snow_params(small_scene, tmp_path)
    processing.runAndLoadResults("chainon:snow_cover", params)
    layers = {untiled(lyr.name()): lyr for lyr in QgsProject.instance().mapLayers().values()}
    dated = [lyr for name, lyr in layers.items() if name.startswith("Snow 2")]
    assert dated, layers.keys()
    renderer = dated[0].renderer()
    assert renderer.type() == "paletted"
    labels = [label for label, _ in renderer.legendSymbologyItems()]
    assert labels == ["No snow", "Snow", "Cloud or cloud shadow"]
    scd = layers["Snow cover duration"]
    assert scd.renderer().type() == "singlebandpseudocolor"
    assert len(scd.renderer().legendSymbologyItems()) >= 3
    QgsProject.instance().clear()


def test_dialogs_toolbox_batch_modeler(provider):
    """The three dialogs open for every algorithm (separate offscreen GUI app:
    pytest-qgis' stub iface lacks what the dialogs use)."""
    script = Path(__file__).parent / "scripts" / "open_dialogs.py"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert len(lines) == 3 * len(provider.algorithms())
    assert any(line.startswith("chainon:snow_cover BatchAlgorithmDialog") for line in lines)


def _fails(params, *words):
    with pytest.raises(QgsProcessingException) as err:
        processing.run("chainon:snow_cover", params)
    for w in words:
        assert w in str(err.value), str(err.value)
    out = Path(params["OUTPUT_FOLDER"])
    left = list(out.glob("*.tif")) if out.exists() else []
    assert not left, f"partial outputs left behind: {left}"
    assert not Path(params["OUTPUT"]).exists()


def _copy_scene(scene, tmp_path):
    dst = tmp_path / "s2"
    shutil.copytree(scene["S2_FOLDER"], dst)
    return dict(scene, S2_FOLDER=str(dst))


def test_bad_inputs_give_clear_errors(small_scene, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    _fails(snow_params(dict(small_scene, S2_FOLDER=str(empty)), tmp_path / "a"), "No Sentinel-2 L2A product")
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "notes.txt").write_text("not a product")
    (junk / "S2A_MSIL2A_20180101.tif").write_bytes(b"x")
    _fails(snow_params(dict(small_scene, S2_FOLDER=str(junk)), tmp_path / "b"), "No Sentinel-2 L2A product")
    _fails(snow_params(small_scene, tmp_path / "c", START="2018-05-01", END="2018-01-01"),
           "2018-05-01", "after")
    _fails(snow_params(small_scene, tmp_path / "d", EXTENT="0,1,0,1 [EPSG:4326]"),
           "does not overlap")
    rome = ROOT.parent / "shared" / "data" / "real" / "dem_rome" / "Rome-30m-DEM.tif"
    _fails(snow_params(dict(small_scene, DEM=str(rome)), tmp_path / "e"), "does not cover")
    _fails(snow_params(small_scene, tmp_path / "f", WATER_MASK=str(rome)), "does not overlap")
    _fails(snow_params(small_scene, tmp_path / "g", WATER_MASK=small_scene["DEM"],
                       WATER_VALUES="lakes"), "Water values", "lakes")


def test_water_mask_makes_lakes_no_data_on_every_date(small_scene, tmp_path):
    """LIS 1.7's water mask: an OSO-like class map at 10 m whose class 23
    (water) covers the top-left corner; those pixels are no data (255) on every
    date and never observed in the syntheses, the others are mapped."""
    with rasterio.open(small_scene["DEM"]) as dem:
        crs, t, h, w = dem.crs, dem.transform, dem.height, dem.width
    classes = np.full((2 * h, 2 * w), 5, "uint8")
    classes[:h, :w] = 23
    mask = tmp_path / "oso.tif"
    with rasterio.open(mask, "w", driver="GTiff", width=2 * w, height=2 * h, count=1,
                       dtype="uint8", crs=crs, transform=t * Affine.scale(0.5)) as ds:
        ds.write(classes, 1)
    result = processing.run("chainon:snow_cover", snow_params(
        small_scene, tmp_path, WATER_MASK=str(mask), WATER_VALUES="23"))
    maps = sorted(Path(result["OUTPUT_FOLDER"]).glob("SNOW_*.tif"))
    assert maps
    for path in maps:
        with rasterio.open(path) as ds:
            codes = ds.read(1)
            assert ds.tags()["water_values"] == "23.0"
        water = _on_grid(codes.shape, t, ds.transform, h / 2, w / 2)
        assert (codes[water] == 255).all() and (codes[~water] != 255).any()
    with rasterio.open(result["OUTPUT_NOBS"]) as ds:
        nobs = ds.read(1)
    assert (nobs[water] == 0).all() and (nobs[~water] > 0).all()


def test_water_polygons_add_to_the_water_mask(small_scene, tmp_path):
    """Polygons of water (here in EPSG:4326 over the bottom-right quarter of
    the DEM) are no data like the water mask's pixels (0/1 mask over the
    top-left quarter); the rest is mapped."""
    with rasterio.open(small_scene["DEM"]) as dem:
        crs, t, h, w = dem.crs, dem.transform, dem.height, dem.width
    ones = np.zeros((h, w), "uint8")
    ones[:h // 2, :w // 2] = 1
    mask = tmp_path / "water.tif"
    with rasterio.open(mask, "w", driver="GTiff", width=w, height=h, count=1, dtype="uint8",
                       crs=crs, transform=t) as ds:
        ds.write(ones, 1)
    x0, y0 = t * (w // 2, h // 2)
    x1, y1 = t * (w, h)
    ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    lon, lat = rasterio.warp.transform(crs, "EPSG:4326", *zip(*ring))
    lakes = tmp_path / "lakes.geojson"
    lakes.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"nature": "Lac"},
        "geometry": {"type": "Polygon", "coordinates": [list(zip(lon, lat))]}}]}))
    result = processing.run("chainon:snow_cover", snow_params(
        small_scene, tmp_path, WATER_MASK=str(mask), WATER_POLYGONS=str(lakes)))
    with rasterio.open(result["OUTPUT_NOBS"]) as ds:
        nobs, grid_t = ds.read(1), ds.transform
        assert ds.tags()["water_polygons"] == "1"
    r, c = np.indices(nobs.shape)
    col, row = ~t * (grid_t * (c + 0.5, r + 0.5))
    corner = (row > h // 2 + 0.5) & (col > w // 2 + 0.5)     # clear of the edge
    first = _on_grid(nobs.shape, t, grid_t, h // 2, w // 2)
    assert corner.any() and (nobs[corner] == 0).all() and (nobs[first] == 0).all()
    assert (nobs[~corner & ~first & (row < h // 2 - 0.5)] > 0).all()


def _on_grid(shape, dem_transform, grid_transform, rows, cols):
    """Pixels of the product grid whose centre lies in the DEM's first rows x cols."""
    r, c = np.indices(shape)
    x, y = grid_transform * (c + 0.5, r + 0.5)
    col, row = ~dem_transform * (x, y)
    return (row < rows) & (col < cols)


def test_missing_band_and_corrupt_file(small_scene, tmp_path):
    scene = _copy_scene(small_scene, tmp_path)
    folders = sorted(p for p in Path(scene["S2_FOLDER"]).iterdir() if p.is_dir())
    next(folders[3].glob("*_FRE_B11.tif")).unlink()
    _fails(snow_params(scene, tmp_path / "a"), "B11", folders[3].name)

    scene = _copy_scene(small_scene, tmp_path / "x")
    folders = sorted(p for p in Path(scene["S2_FOLDER"]).iterdir() if p.is_dir())
    victim = next(folders[-5].glob("*_FRE_B3.tif"))
    victim.write_bytes(b"II*\x00" + bytes(200))      # a TIFF header and nothing else
    _fails(snow_params(scene, tmp_path / "b"), "B3.tif")
