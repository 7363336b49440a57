"""Bad input to chainon:irrigation and chainon:forest_height: the label field
left to its default, inputs with no usable observation over the parcels or
the reference heights (named, never read as "all rainfed" or "too few
GEDI granules"), and reference height layers that are not points."""
import shutil
from pathlib import Path

import numpy as np
import processing
import pytest
import rasterio
from affine import Affine
from rasterio.features import rasterize
from qgis.core import QgsApplication, QgsProcessingException

from chainon.core.errors import InputError
from chainon.core.forest_height import HeightParams, run_forest_height
from chainon.core.gedi import reference_points
from chainon.core.irrigation import IrrigationParams, run_irrigation
from chainon.core.scenes.forest_height import make_forest_height_scene
from chainon.core.scenes.irrigation import make_irrigation_scene
from chainon.core.simulate import write_raster
from chainon.core.training import read_geojson, reference_from_features, write_geojson

SIZE = 64           # px: 64 parcels, ~300 GEDI shots, each run under 2 s


# --- spoiled inputs -------------------------------------------------------------------
def _rewrite(folder, pattern, values):
    """Every raster of `folder` matching `pattern`, band 1 replaced by
    values(dataset)."""
    for path in Path(folder).rglob(pattern):
        with rasterio.open(path, "r+") as ds:
            ds.write(values(ds).astype(ds.dtypes[0]), 1)


def s2_cloudy(folder):
    _rewrite(folder, "*_CLM_R*.tif", lambda ds: np.ones(ds.shape))


def s2_nodata(folder):
    _rewrite(folder, "*_FRE_B*.tif", lambda ds: np.full(ds.shape, -10000))


def s1_nodata(folder):
    _rewrite(folder, "*.tif", lambda ds: np.zeros(ds.shape))   # S1Tiling's nodata


def s1_elsewhere(folder):
    """The same tile name, 50 km east: it covers none of the area."""
    for path in Path(folder).glob("*.tif"):
        with rasterio.open(path, "r+") as ds:
            t = ds.transform
            ds.transform = Affine(t.a, t.b, t.c + 50000, t.d, t.e, t.f)


SPOILED = {  # case: (folder spoiled, spoiler, the error naming the input)
    "s2_cloudy": ("S2", s2_cloudy, "Sentinel-2 .* cloudy or nodata"),
    "s2_nodata": ("S2", s2_nodata, "Sentinel-2 .* cloudy or nodata"),
    "s1_nodata": ("S1", s1_nodata, "Sentinel-1 .* no valid backscatter .* another place"),
    "s1_elsewhere": ("S1", s1_elsewhere, "Sentinel-1 .* no valid backscatter .* another place"),
}


def spoiled(scene_dir, tmp_path, case):
    """(S2 folder, S1 folder) of the scene, one of them a spoiled copy."""
    name, spoil, _ = SPOILED[case]
    folders = {k: scene_dir / k for k in ("S2", "S1")}
    folders[name] = Path(shutil.copytree(scene_dir / name, tmp_path / name))
    spoil(folders[name])
    return folders["S2"], folders["S1"]


# --- irrigation -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def irrigation(tmp_path_factory):
    return make_irrigation_scene(tmp_path_factory.mktemp("irrigation_checks"), seed=2,
                                 size=SIZE)


def _labels(scene, keep=lambda feature: True):
    features, crs = read_geojson(scene.parcels_path)
    for f in features:
        if not keep(f):
            f["properties"]["irrigated"] = None
    return reference_from_features(features, "irrigated", crs, numeric=False, keep_empty=True)


def _irrigate(scene, tmp_path, s2=None, s1=None, labels=None, **kw):
    return run_irrigation(s2 or scene.s2_folder, s1 or scene.s1_folder, scene.rain_path,
                          labels or _labels(scene), tmp_path / "out",
                          params=IrrigationParams(n_trees=10), workers=1, **kw)


@pytest.mark.parametrize("case", sorted(SPOILED))
def test_irrigation_names_the_input_without_observations(irrigation, tmp_path, case):
    """Was "The labelled parcels over the area are all rainfed"."""
    s2, s1 = spoiled(irrigation.s2_folder.parent, tmp_path, case)
    with pytest.raises(InputError, match=SPOILED[case][2]) as e:
        _irrigate(irrigation, tmp_path, s2, s1)
    assert "rainfed" not in str(e.value) and "labelled parcels" in str(e.value)


def test_irrigation_a_class_all_cloudy_is_not_absent(irrigation, tmp_path):
    """Clouds over every irrigated parcel on every date: not "all rainfed"."""
    features, _ = read_geojson(irrigation.parcels_path)
    wet = [f["geometry"] for f in features if f["properties"]["irrigated"] == 1]
    s2 = Path(shutil.copytree(irrigation.s2_folder, tmp_path / "S2"))
    _rewrite(s2, "*_CLM_R*.tif", lambda ds: rasterize(
        wet, ds.shape, transform=ds.transform, all_touched=True, dtype="uint8"))
    with pytest.raises(InputError, match="Only rainfed labelled parcels have usable "
                                         "observations: Sentinel-2 has none over the "
                                         f"{len(wet)} irrigated ones"):
        _irrigate(irrigation, tmp_path, s2=s2)


def test_irrigation_labels_only_outside_the_area(irrigation, tmp_path):
    """Unlabelled parcels over the area, the labelled ones beside it: not
    "all rainfed"."""
    g = irrigation.grid
    middle = g.x0 + g.width * g.res / 2
    labels = _labels(irrigation, lambda f: f["geometry"]["coordinates"][0][1][0] <= middle)
    bounds = (middle + 2 * g.res, g.y0 - g.height * g.res, g.x0 + g.width * g.res, g.y0)
    with pytest.raises(InputError, match="None of the 32 labelled parcels lies over the "
                                         "processing area"):
        _irrigate(irrigation, tmp_path, labels=labels, bounds=bounds, bounds_crs=g.crs)


def test_irrigation_one_class_seen_is_still_said_so(irrigation, tmp_path):
    labels = _labels(irrigation, lambda f: f["properties"]["irrigated"] == 0)
    with pytest.raises(InputError, match="are all rainfed: irrigated parcels are needed too"):
        _irrigate(irrigation, tmp_path, labels=labels)


# --- irrigation as QGIS runs it -------------------------------------------------------
def _irrigation_params(scene, tmp_path, **extra):
    return {"S2_FOLDER": str(scene.s2_folder), "S1_FOLDER": str(scene.s1_folder),
            "PRECIPITATION": str(scene.rain_path), "PARCELS": str(scene.parcels_path),
            "N_TREES": 10, "OUTPUT": str(tmp_path / "irrigated.tif"), **extra}


def test_label_field_left_out_takes_its_default(provider, irrigation, tmp_path):
    """Was "Incorrect parameter value for LABEL_FIELD" (processing.run) and
    "mandatory parameters were not specified" (qgis_process, which checks
    the definition alone)."""
    alg = QgsApplication.processingRegistry().algorithmById("chainon:irrigation")
    assert alg.parameterDefinition("LABEL_FIELD").checkValueIsAcceptable(None)
    result = processing.run("chainon:irrigation", _irrigation_params(irrigation, tmp_path))
    with rasterio.open(result["OUTPUT"]) as ds:
        assert set(np.unique(ds.read(1))) <= {0, 1, 255}
    assert 0 < result["OVERALL_ACCURACY"] <= 1


def test_label_field_left_out_and_not_in_the_layer(provider, irrigation, tmp_path):
    features, crs = read_geojson(irrigation.parcels_path)
    for f in features:
        f["properties"]["label"] = f["properties"].pop("irrigated")
    parcels = write_geojson(tmp_path / "parcels.geojson", features, crs)
    with pytest.raises(QgsProcessingException, match="The parcels have no field irrigated: "
                                                     "choose the label field"):
        processing.run("chainon:irrigation", _irrigation_params(
            irrigation, tmp_path, PARCELS=str(parcels)))


def test_irrigation_cloudy_sentinel2_in_qgis(provider, irrigation, tmp_path):
    s2, _ = spoiled(irrigation.s2_folder.parent, tmp_path, "s2_cloudy")
    with pytest.raises(QgsProcessingException, match="Sentinel-2 .* cloudy or nodata over all "
                                                     "64 labelled parcels"):
        processing.run("chainon:irrigation", _irrigation_params(
            irrigation, tmp_path, S2_FOLDER=str(s2)))


# --- forest height --------------------------------------------------------------------
@pytest.fixture(scope="module")
def forest(tmp_path_factory):
    return make_forest_height_scene(tmp_path_factory.mktemp("height_checks"), seed=3,
                                    size=SIZE)


def _height(scene, tmp_path, s2=None, s1=None, **kw):
    return run_forest_height(s2 or scene.s2_folder, tmp_path / "out", s1_folder=s1,
                             params=HeightParams(n_trees=10), workers=1, **kw)


@pytest.mark.parametrize("case", sorted(SPOILED))
def test_forest_height_names_the_empty_predictors(forest, tmp_path, case):
    """Was "Too few reference heights... Give more GEDI granules"."""
    s2, s1 = spoiled(forest.s2_folder.parent, tmp_path, case)
    with pytest.raises(InputError, match=SPOILED[case][2]) as e:
        _height(forest, tmp_path, s2, s1, gedi=forest.gedi_folder)
    assert "GEDI" not in str(e.value) and "reference heights" in str(e.value)


def test_forest_height_dem_nodata_at_the_references(forest, tmp_path):
    """A DEM with elevations on its first rows only (nodata elsewhere)."""
    g = forest.grid
    z = np.full((g.height, g.width), -32768, "float32")
    z[:2] = 300
    dem = write_raster(tmp_path / "dem.tif", z, g, -32768.0)
    with pytest.raises(InputError, match="The DEM has no value at .* give a DEM covering"):
        _height(forest, tmp_path, gedi=forest.gedi_folder, dem=str(dem))


def test_forest_height_too_few_references_still_said_so(forest, tmp_path):
    g = forest.grid
    x = g.x0 + g.res * np.arange(5, 15)
    points = (x, np.full(x.size, g.y0 - 200), np.full(x.size, 20.0), g.crs, "plots")
    with pytest.raises(InputError, match="Too few reference heights .* Give more GEDI"):
        _height(forest, tmp_path, points=points)


def test_forest_height_s1_elsewhere_in_qgis(provider, forest, tmp_path):
    _, s1 = spoiled(forest.s2_folder.parent, tmp_path, "s1_elsewhere")
    with pytest.raises(QgsProcessingException, match="Sentinel-1 holds no valid backscatter"):
        processing.run("chainon:forest_height", {
            "S2_FOLDER": str(forest.s2_folder), "GEDI": str(forest.gedi_folder),
            "S1_FOLDER": str(s1), "N_TREES": 10, "OUTPUT": str(tmp_path / "height.tif")})


# --- reference heights that are not points --------------------------------------------
def _layer(forest, path, geometry):
    x, y = forest.grid.x0 + 100, forest.grid.y0 - 100
    shapes = {"Polygon": [[[x, y], [x + 20, y], [x + 20, y - 20], [x, y]]],
              "LineString": [[x, y], [x + 20, y - 20]]}
    if geometry is None:               # a table: no geometry at all
        path.write_text("id,height\n" + "".join(f"{i},12\n" for i in range(30)))
        return path
    return write_geojson(path, [{"type": "Feature", "properties": {"height": 12.0},
                                 "geometry": {"type": geometry, "coordinates": shapes[geometry]}}
                                for _ in range(30)], forest.grid.crs)


@pytest.mark.parametrize("geometry, kind", [("Polygon", "polygon"), ("LineString", "line"),
                                            (None, "no geometry")])
def test_reference_points_not_points(provider, forest, tmp_path, geometry, kind):
    """Were "ValueError: not enough values to unpack" (polygons) and
    "TypeError: only size-1 arrays..." (lines)."""
    layer = _layer(forest, tmp_path / ("table.csv" if geometry is None else "ref.geojson"),
                   geometry)
    with pytest.raises(QgsProcessingException, match=f"holds {kind} geometries where points "
                                                     "are needed"):
        processing.run("chainon:forest_height", {
            "S2_FOLDER": str(forest.s2_folder), "REFERENCE_POINTS": str(layer),
            "OUTPUT": str(tmp_path / "height.tif")})


def test_reference_points_empty(provider, forest, tmp_path):
    """Was "The height field (none) does not exist" (an empty file has no field)."""
    layer = tmp_path / "empty.geojson"
    layer.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(QgsProcessingException, match="holds no feature"):
        processing.run("chainon:forest_height", {
            "S2_FOLDER": str(forest.s2_folder), "REFERENCE_POINTS": str(layer),
            "OUTPUT": str(tmp_path / "height.tif")})


@pytest.mark.parametrize("xy", [
    ([[0.0, 1.0], [2.0, 3.0]], [[0.0, 1.0], [2.0, 3.0]]),     # the vertices of lines
    ([[0.0, 1.0, 2.0], [3.0]], [[0.0, 1.0, 2.0], [3.0]])])     # rings of polygons (ragged)
def test_core_reference_points_refuse_vertices(forest, xy):
    with pytest.raises(InputError, match="reference heights of plots are not points"):
        reference_points(*xy, [10.0, 12.0], forest.grid.crs, forest.grid, "plots")
