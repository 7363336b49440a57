"""The shortest call of every algorithm, through qgis_process in a fresh
profile with the packaged plugin (issue 12): only the inputs a run needs and
the product's main output; the optional outputs are not written."""
from pathlib import Path

import pytest
import rasterio

from chainon.algorithms.sample_data import SCENES
from test_qgis_process import profile, run_json  # noqa: F401 - the packaged-plugin fixture

# algorithm: (sample_data scenario, size, {parameter: scene output or value})
MINIMAL = {
    "land_cover": ("land_cover", 72, {"S2_FOLDER": "S2_FOLDER", "REFERENCE": "REFERENCE"}),
    "mowing_date": ("mowing", 64, {"S2_FOLDER": "S2_FOLDER", "LAND_COVER": "LAND_COVER"}),
    "crop_yield": ("crop_yield", 96, {"S2_FOLDER": "S2_FOLDER", "PARCELS": "PARCELS",
                                      "CROP": "BTH"}),
    "crop_carbon": ("crop_carbon", 32, {"S2_FOLDER": "S2_FOLDER", "METEO": "METEO"}),
    "forest_cuts": ("forest_cuts", 64, {"S1_FOLDER": "S1_FOLDER", "FOREST_MASK": "FOREST_MASK"}),
    "forest_height": ("forest_height", 64, {"S2_FOLDER": "S2_FOLDER", "GEDI": "GEDI"}),
    "irrigation": ("irrigation", 64, {"S2_FOLDER": "S2_FOLDER", "S1_FOLDER": "S1_FOLDER",
                                      "PRECIPITATION": "METEO", "PARCELS": "PARCELS",
                                      "LABEL_FIELD": "irrigated"}),
}


def scene_outputs(scenario, size, folder):
    """The sample_data outputs of a scenario, made in-process (faster)."""
    make, _, outputs = SCENES[scenario]
    scene = make(folder, seed=0, size=size)
    return {key: str(getattr(scene, attr)) for key, attr in outputs.items()}


def test_readme_snow_cover_call(profile, tmp_path):  # noqa: F811
    """As the README writes it: sample data, then S2_FOLDER, DEM,
    OUTPUT_FOLDER and OUTPUT only."""
    scene = run_json(profile, "chainon:sample_data", SIZE=32, OUTPUT_FOLDER=tmp_path / "scene")
    result = run_json(profile, "chainon:snow_cover", S2_FOLDER=scene["S2_FOLDER"],
                      DEM=scene["DEM"], OUTPUT_FOLDER=tmp_path / "maps",
                      OUTPUT=tmp_path / "scd.tif")
    assert set(result) == {"OUTPUT", "OUTPUT_FOLDER"}
    assert list(Path(result["OUTPUT_FOLDER"]).glob("SNOW_*.tif"))
    with rasterio.open(result["OUTPUT"]) as ds:
        assert ds.read(1).max() > 0
    written = {p.name for p in tmp_path.iterdir()} | {
        p.name for p in (tmp_path / "maps").iterdir()}
    assert not [n for n in written if "SOD" in n or "SMOD" in n or "NOBS" in n], written


@pytest.mark.parametrize("alg", sorted(MINIMAL))
def test_minimal_call(profile, tmp_path, alg):  # noqa: F811
    scenario, size, inputs = MINIMAL[alg]
    scene = scene_outputs(scenario, size, tmp_path / "scene")
    out = tmp_path / "out"
    out.mkdir()
    main = out / ("main.gpkg" if alg == "crop_yield" else "main.tif")
    result = run_json(profile, f"chainon:{alg}",
                      **{k: scene.get(v, v) for k, v in inputs.items()}, OUTPUT=main)
    assert Path(result["OUTPUT"].split("|")[0]).exists()
    # no optional raster or vector written beside the main output, nor anywhere
    # else (QGIS's temporary folder) as a result; reports and models are wanted
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".tif", ".gpkg")) \
        == [main.name], list(out.iterdir())
    paths = {k: Path(v.split("|")[0]) for k, v in result.items()
             if k != "OUTPUT" and isinstance(v, str)}
    written = {k: p for k, p in paths.items() if p.suffix in (".tif", ".gpkg") and p.is_file()}
    assert not written, written
