"""Bad inputs of chainon:land_cover and chainon:crop_yield refused with a
sentence the user can act on: layers without a coordinate system, points
where polygons are expected, too few reference samples to train or to
validate, declared or official yields not in t/ha."""
import json
import re
from pathlib import Path

import processing
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException

from chainon.core.errors import InputError
from chainon.core.land_cover import LandCoverParams, run_land_cover
from chainon.core.scenes.crop_yield import make_crop_yield_scene
from chainon.core.scenes.land_cover import make_land_cover_scene
from chainon.core.training import ForestParams, read_geojson, reference_from_features

gdal.UseExceptions()


@pytest.fixture(scope="module")
def lc_scene(tmp_path_factory):
    """A small land cover year (48 px, 16 parcels of 12 classes)."""
    return make_land_cover_scene(tmp_path_factory.mktemp("lc_small"), seed=0, size=48)


@pytest.fixture(scope="module")
def cy_scene(tmp_path_factory):
    """A small wheat yield year (64 px, 28 wheat parcels, 21 declared)."""
    return make_crop_yield_scene(tmp_path_factory.mktemp("cy_small"), seed=0, size=64)


def without_prj(geojson, folder):
    """The layer as a shapefile whose .prj is gone: no coordinate system."""
    shp = Path(folder) / (Path(geojson).stem + "_nocrs.shp")
    gdal.VectorTranslate(str(shp), str(geojson), format="ESRI Shapefile")
    shp.with_suffix(".prj").unlink()
    return str(shp)


def centre(polygon):
    """A point at the mean of a rectangle's corners."""
    ring = polygon["coordinates"][0][:-1]
    return {"type": "Point", "coordinates": [sum(p[i] for p in ring) / len(ring)
                                             for i in (0, 1)]}


def as_points(geojson, folder):
    """The layer with every polygon replaced by a point at its centre."""
    data = json.loads(Path(geojson).read_text())
    for f in data["features"]:
        f["geometry"] = centre(f["geometry"])
    path = Path(folder) / (Path(geojson).stem + "_points.geojson")
    path.write_text(json.dumps(data))
    return str(path)


def scaled(path, column, factor, folder):
    """A copy of a GeoJSON layer (or a CSV table) with `column` x factor."""
    out = Path(folder) / f"x{factor:g}_{Path(path).name}"
    if Path(path).suffix == ".csv":
        head, *rows = Path(path).read_text().splitlines()
        out.write_text("\n".join([head] + [f"{r.split(',')[0]},{float(r.split(',')[1]) * factor}"
                                           for r in rows]) + "\n")
        return str(out)
    data = json.loads(Path(path).read_text())
    for f in data["features"]:
        if f["properties"][column] is not None:
            f["properties"][column] *= factor
    out.write_text(json.dumps(data))
    return str(out)


def lc_params(scene, out, **extra):
    return {"S2_FOLDER": str(scene.s2_folder), "REFERENCE": str(scene.reference_path),
            "CLASS_FIELD": "code", "MAX_SAMPLES": 100, "N_TREES": 10,
            "OUTPUT": str(out / "lc.tif"), "OUTPUT_MODEL": str(out / "lc.joblib"), **extra}


def cy_params(scene, out, **extra):
    return {"S2_FOLDER": str(scene.s2_folder), "PARCELS": str(scene.parcels_path),
            "CROP_FIELD": "CODE_CULTU", "CROP": "BTH", "YIELD_FIELD": "RDT_DECL",
            "N_TREES": 10, "OUTPUT": str(out / "parcels.gpkg"),
            "OUTPUT_MODEL": str(out / "m.joblib"), **extra}


def refused(algorithm, params, *words):
    """The run fails with a message holding `words`, no traceback, nothing written."""
    with pytest.raises(QgsProcessingException) as err:
        processing.run(algorithm, params)
    message = str(err.value)
    assert "Traceback" not in message and all(w in message for w in words), message
    out = Path(params["OUTPUT"]).parent
    assert not [p for p in out.iterdir() if p.suffix in (".tif", ".gpkg", ".joblib")]
    return message


@pytest.mark.parametrize("key", ["REFERENCE", "REGIONS"])
def test_land_cover_layer_without_crs(provider, lc_scene, tmp_path, key):
    path = {"REFERENCE": lc_scene.reference_path, "REGIONS": lc_scene.regions_path}[key]
    extra = {key: without_prj(path, tmp_path)}
    if key == "REGIONS":
        extra["REGION_FIELD"] = "region"
    refused("chainon:land_cover", lc_params(lc_scene, tmp_path, **extra),
            "has no coordinate reference system: set one")


@pytest.mark.parametrize("key", ["PARCELS", "UNITS"])
def test_crop_yield_layer_without_crs(provider, cy_scene, tmp_path, key):
    path = {"PARCELS": cy_scene.parcels_path, "UNITS": cy_scene.units_path}[key]
    extra = {key: without_prj(path, tmp_path)}
    if key == "UNITS":
        extra.update(UNIT_FIELD="code", OUTPUT_UNITS=str(tmp_path / "u.gpkg"))
    refused("chainon:crop_yield", cy_params(cy_scene, tmp_path, **extra),
            "has no coordinate reference system: set one")


POINTS = "holds point geometries where polygons are needed"


@pytest.mark.parametrize("key", ["REFERENCE", "REGIONS"])
def test_land_cover_refuses_points_for_polygons(provider, lc_scene, tmp_path, key):
    path = {"REFERENCE": lc_scene.reference_path, "REGIONS": lc_scene.regions_path}[key]
    extra = {key: as_points(path, tmp_path), "REGION_FIELD": "region"}
    refused("chainon:land_cover", lc_params(lc_scene, tmp_path, **extra), POINTS)


@pytest.mark.parametrize("key", ["PARCELS", "UNITS"])
def test_crop_yield_refuses_points_for_polygons(provider, cy_scene, tmp_path, key):
    path = {"PARCELS": cy_scene.parcels_path, "UNITS": cy_scene.units_path}[key]
    refused("chainon:crop_yield", cy_params(
        cy_scene, tmp_path, **{key: as_points(path, tmp_path)}, UNIT_FIELD="code",
        OUTPUT_UNITS=str(tmp_path / "u.gpkg")), POINTS)


def reference(scene, keep=lambda features: features, points=False):
    features, crs = read_geojson(scene.reference_path)
    features = keep(features)
    for f in features if points else ():
        f["geometry"] = centre(f["geometry"])
    return reference_from_features(features, "code", crs)


FAST = LandCoverParams(forest=ForestParams(n_trees=10), max_samples=100)


def test_land_cover_refuses_too_few_training_pixels(lc_scene, tmp_path):
    """Points read as a reference (as the compute centre reads a GeoJSON):
    a pixel or two per class, too few for the forest's bootstrap draws."""
    with pytest.raises(InputError, match=r"too few training pixels \(1\); the forest needs 5"):
        run_land_cover(lc_scene.s2_folder, tmp_path, reference=reference(lc_scene, points=True),
                       params=FAST)
    assert not list(tmp_path.iterdir())


def test_land_cover_refuses_a_reference_without_validation_pixels(lc_scene, tmp_path):
    """One polygon per class: none can be held out (the split is by polygon)."""
    def one_per_class(features):
        return list({f["properties"]["code"]: f for f in features}.values())
    with pytest.raises(InputError, match="Only 0 of the 12 classes have validation pixels"):
        run_land_cover(lc_scene.s2_folder, tmp_path, params=FAST,
                       reference=reference(lc_scene, one_per_class))
    assert not list(tmp_path.iterdir())


def test_land_cover_without_validation_says_so(provider, lc_scene, tmp_path):
    """A validation share of 0 trains on every polygon; the report and the
    outputs say there is no validation instead of giving NaN."""
    result = processing.run("chainon:land_cover", lc_params(lc_scene, tmp_path,
                                                            VALIDATION_SHARE=0))
    assert result["OVERALL_ACCURACY"] is None and result["KAPPA"] is None
    text = Path(result["OUTPUT_REPORT"]).read_text()
    assert "No validation: the share of validation polygons is 0" in text
    assert not re.search(r"\bnan\b", text, re.I) and Path(result["OUTPUT"]).exists()


UNIT = "look like another unit (q/ha and kg/ha are 10 and 1000 times t/ha). Give them in t/ha."


@pytest.mark.parametrize("factor, median", [(10, "71"), (1000, "7100"), (0.01, "0.071")])
def test_crop_yield_refuses_declared_yields_not_in_t_ha(provider, cy_scene, tmp_path, factor,
                                                        median):
    parcels = scaled(cy_scene.parcels_path, "RDT_DECL", factor, tmp_path)
    refused("chainon:crop_yield", cy_params(cy_scene, tmp_path, PARCELS=parcels),
            f"The declared yields (field RDT_DECL) have a median of {median}", UNIT)


def test_crop_yield_refuses_statistics_not_in_t_ha(provider, cy_scene, tmp_path):
    statistics = scaled(cy_scene.statistics_path, "yield", 10, tmp_path)
    refused("chainon:crop_yield", cy_params(
        cy_scene, tmp_path, UNITS=str(cy_scene.units_path), UNIT_FIELD="code",
        STATISTICS=statistics, OUTPUT_UNITS=str(tmp_path / "u.gpkg")),
        f"The official yields of {statistics} have a median of 72.83", UNIT)


def test_land_cover_refuses_to_write_a_map_of_no_data(provider, lc_scene, tmp_path):
    """A model applied where no pixel is seen clear on enough dates used to
    return a map of no data as if it were a result."""
    model = processing.run("chainon:land_cover", lc_params(lc_scene, tmp_path / "train"))[
        "OUTPUT_MODEL"]
    apply = {"S2_FOLDER": str(lc_scene.s2_folder), "MODEL": model, "MIN_CLEAR_DATES": 1000,
             "OUTPUT": str(tmp_path / "apply" / "lc.tif")}
    (tmp_path / "apply").mkdir()
    refused("chainon:land_cover", apply, "No pixel of the area is seen clear on 1000 dates",
            "minimum number of clear dates")
