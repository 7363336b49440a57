"""What the dialogs ask a local user for (issue 12): required inputs and
outputs, checks before any work, obvious fields pre-selected, method
constants under Advanced, help pages, icons, the shipped models."""
import time
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import numpy as np
import processing
import pytest
import rasterio
from rasterio.transform import from_origin
from qgis.core import QgsApplication, QgsProcessingException
from qgis.core import QgsProcessingParameterDefinition as Definition

from chainon.algorithms.provider import PRODUCTS

FLAGS = Definition.Flag
OUTLINES = Path(__file__).resolve().parents[1] / "resources" / "data" / "clearcut_outlines.geojson"
IDS = [cls.product.id for cls in PRODUCTS]


def alg(name):
    return QgsApplication.processingRegistry().algorithmById(f"chainon:{name}")


def required(algorithm):
    return [d.name() for d in algorithm.parameterDefinitions()
            if not d.flags() & (FLAGS.FlagOptional | FLAGS.FlagHidden)]


def advanced(algorithm):
    return {d.name() for d in algorithm.parameterDefinitions()
            if d.flags() & FLAGS.FlagAdvanced and not d.flags() & FLAGS.FlagHidden}


@pytest.mark.parametrize("product", IDS)
def test_only_the_main_output_is_required(provider, product):
    a = alg(product)
    outputs = [d for d in a.destinationParameterDefinitions()
               if not d.flags() & FLAGS.FlagOptional]
    expected = {"OUTPUT", "OUTPUT_FOLDER"} if product == "snow_cover" else {"OUTPUT"}
    assert {d.name() for d in outputs} == expected


# the inputs a run on this computer cannot do without
LOCAL_INPUTS = {
    "snow_cover": {"S2_FOLDER", "DEM"}, "land_cover": {"S2_FOLDER"},
    "mowing_date": {"S2_FOLDER"}, "crop_yield": {"S2_FOLDER", "PARCELS"},
    "crop_carbon": {"S2_FOLDER"}, "forest_cuts": {"S1_FOLDER"},
    "forest_height": {"S2_FOLDER"},
    "irrigation": {"S2_FOLDER", "S1_FOLDER", "PARCELS", "LABEL_FIELD"}}


@pytest.mark.parametrize("product, inputs", sorted(LOCAL_INPUTS.items()))
def test_local_inputs_are_required_and_come_first(provider, product, inputs):
    a = alg(product)
    needed = required(a)
    assert inputs <= set(needed)
    # the form reads inputs, area and period, options, outputs
    names = [d.name() for d in a.parameterDefinitions() if not d.flags() & FLAGS.FlagHidden]
    first_output = min(names.index(d.name()) for d in a.destinationParameterDefinitions())
    assert max(names.index(n) for n in inputs) < names.index("EXTENT") \
        < names.index("START") < names.index("END") < first_output
    assert all(names.index(n) < first_output for n in advanced(a))


def test_method_constants_are_advanced(provider):
    assert {"AGB_A", "AGB_B", "AGB_A_CONIFER", "AGB_B_CONIFER", "N_TREES"} \
        <= advanced(alg("forest_height"))
    for product in IDS:
        a = alg(product)
        for name in ("SEED", "N_TREES", "VALIDATION_SHARE"):
            if a.parameterDefinition(name) is not None:
                assert name in advanced(a), (product, name)


@pytest.mark.parametrize("product, field, default", [
    ("land_cover", "CLASS_FIELD", "code"), ("land_cover", "REGION_FIELD", "region"),
    ("crop_yield", "CROP_FIELD", "CODE_CULTU"), ("crop_yield", "YIELD_FIELD", "RDT_DECL"),
    ("crop_yield", "UNIT_FIELD", "code"), ("mowing_date", "DATE_FIELD", "mowing_date"),
    ("irrigation", "LABEL_FIELD", "irrigated"), ("forest_height", "HEIGHT_FIELD", "height")])
def test_fields_preselect_the_usual_name(provider, product, field, default):
    assert alg(product).parameterDefinition(field).defaultValue() == default


def test_a_missing_required_output_fails_before_any_work(provider, crop_yield_scene, tmp_path):
    """crop_yield without OUTPUT trained for 23 s, then failed."""
    params = {"S2_FOLDER": str(crop_yield_scene.s2_folder),
              "PARCELS": str(crop_yield_scene.parcels_path), "CROP": "BTH"}
    began = time.monotonic()
    with pytest.raises(QgsProcessingException, match="OUTPUT"):
        processing.run("chainon:crop_yield", params)
    (tmp_path / "a_file").write_text("")
    with pytest.raises(QgsProcessingException, match="OUTPUT_PIXELS.*a_file"):
        processing.run("chainon:crop_yield", dict(
            params, OUTPUT=str(tmp_path / "parcels.gpkg"),
            OUTPUT_PIXELS=str(tmp_path / "a_file" / "yield.tif")))
    assert time.monotonic() - began < 5


def tiny_raster(path):
    with rasterio.open(path, "w", driver="GTiff", width=2, height=2, count=1, dtype="uint8",
                       crs="EPSG:2154", transform=from_origin(600000, 6800000, 10, 10)) as ds:
        ds.write(np.zeros((1, 2, 2), "uint8"))
    return path


@pytest.mark.parametrize("product, folder", [
    ("snow_cover", "S2_FOLDER"), ("land_cover", "S2_FOLDER"), ("mowing_date", "S2_FOLDER"),
    ("crop_yield", "S2_FOLDER"), ("crop_carbon", "S2_FOLDER"), ("forest_cuts", "S1_FOLDER"),
    ("forest_height", "S2_FOLDER"), ("irrigation", "S1_FOLDER")])
def test_an_empty_folder_is_an_error_naming_it(provider, tmp_path, product, folder):
    """QGIS reads an empty folder as "." (its working directory): snow cover
    then processed whatever tiles it found there."""
    a = alg(product)
    params = {d.name(): str(tmp_path) for d in a.parameterDefinitions()
              if d.name() in ("S2_FOLDER", "S1_FOLDER")}
    params.update(DEM=str(tiny_raster(tmp_path / "dem.tif")), PARCELS=str(OUTLINES),
                  LABEL_FIELD="id",
                  OUTPUT=str(tmp_path / "out.tif"), OUTPUT_FOLDER=str(tmp_path / "maps"))
    with pytest.raises(QgsProcessingException, match=f"\\({folder}\\).*empty"):
        processing.run(a, dict(params, **{folder: "."}))
    assert not (tmp_path / "out.tif").exists()


@pytest.mark.parametrize("name", IDS + [f"{p}_remote" for p in IDS] + ["sample_data"])
def test_help_button_opens_a_shipped_page(provider, name):
    url = alg(name).helpUrl()
    assert url.startswith("file://")
    page = Path(url2pathname(urlparse(url).path))
    text = page.read_text(encoding="utf-8")
    assert "sample_data" in text
    if name != "sample_data":
        assert "chainon:sample_data" in text and "<h2" in text


def test_real_inputs_say_where_to_download(provider):
    pages = {p: Path(url2pathname(urlparse(alg(p).helpUrl()).path)).read_text("utf-8")
             for p in IDS}
    assert all("theia.cnes.fr" in pages[p] for p in IDS if p != "forest_cuts")
    for p in ("forest_cuts", "forest_height", "irrigation"):
        assert "S1Tiling" in pages[p]
    assert "GEDI02_A" in pages["forest_height"] and "Earthdata" in pages["forest_height"]


def test_each_product_has_its_own_icon(provider):
    icons = {cls.icon_name for cls in PRODUCTS}
    assert len(icons) == len(PRODUCTS) and "chainon.svg" not in icons
    for cls in PRODUCTS:
        assert (Path(alg(cls.product.id).svgIconPath())).is_file(), cls.icon_name
        assert not alg(cls.product.id).icon().isNull()


def test_shipped_models_are_in_the_toolbox(provider):
    models = Path(__file__).resolve().parents[1] / "resources" / "models"
    listed = {a.id(): a for a in provider.algorithms()}
    for path in models.glob("*.model3"):
        model = listed.get(f"chainon:{path.stem}")
        assert model is not None, path.stem
        assert model.group() and model.parameterDefinitions()
        run = model.create()
        assert all(child.algorithm() is not None for child in run.childAlgorithms().values())
