"""Secondary rasters given as None in `outputs` are not written (issue 12:
optional destinations not asked for are simply not written): each product's
core writes its main output only, and says None for the others; the
algorithms ask it so, not writing them to QGIS's temporary folder."""
from pathlib import Path

import pytest

from chainon.core.crop_carbon import run_crop_carbon
from chainon.core.forest_height import run_forest_height
from chainon.core.irrigation import run_irrigation
from chainon.core.land_cover import LandCoverParams, run_land_cover
from chainon.core.mowing_date import Grassland, run_mowing_date
from chainon.core.scenes.crop_carbon import make_crop_carbon_scene
from chainon.core.scenes.forest_height import make_forest_height_scene
from chainon.core.scenes.irrigation import make_irrigation_scene
from chainon.core.scenes.land_cover import make_land_cover_scene
from chainon.core.scenes.mowing import make_mowing_scene
from chainon.core.scenes.snow import make_snow_scene
from chainon.core.snow_cover import run_snow_cover
from chainon.core.training import read_geojson, reference_from_features


def _reference(path, field):
    features, crs = read_geojson(path)
    return reference_from_features(features, field, crs, numeric=False)


def snow(scene_dir, out, outputs):
    scene = make_snow_scene(scene_dir, seed=0, size=32)
    return run_snow_cover(scene.s2_folder, scene.dem_path, out / "maps", outputs)


def land_cover(scene_dir, out, outputs):
    scene = make_land_cover_scene(scene_dir, seed=0, size=72)
    return run_land_cover(scene.s2_folder, out, reference=_reference(scene.reference_path,
                                                                     "code"),
                          outputs=outputs, params=LandCoverParams(max_samples=200))


def crop_carbon(scene_dir, out, outputs):
    scene = make_crop_carbon_scene(scene_dir, seed=0, size=32)
    return run_crop_carbon(scene.s2_folder, out, meteo_csv=scene.meteo_path, outputs=outputs,
                           ensemble_size=100)


def irrigation(scene_dir, out, outputs):
    scene = make_irrigation_scene(scene_dir, seed=0, size=64)
    return run_irrigation(scene.s2_folder, scene.s1_folder, scene.rain_path,
                          _reference(scene.parcels_path, "irrigated"), out, outputs)


def mowing_date(scene_dir, out, outputs):
    scene = make_mowing_scene(scene_dir, seed=0, size=48)
    return run_mowing_date(scene.s2_folder, out, Grassland(land_cover=str(scene.land_cover)),
                           outputs=outputs)


def forest_height(scene_dir, out, outputs):
    scene = make_forest_height_scene(scene_dir, seed=0, size=96)
    return run_forest_height(scene.s2_folder, out, gedi=scene.gedi_folder, outputs=outputs)


RUNS = {  # product: (run, its secondary rasters)
    "snow_cover": (snow, ("OUTPUT_SOD", "OUTPUT_SMOD", "OUTPUT_NOBS")),
    "land_cover": (land_cover, ("OUTPUT_CONFIDENCE", "OUTPUT_NOBS")),
    "crop_carbon": (crop_carbon, ("OUTPUT_UNCERTAINTY", "OUTPUT_GPP", "OUTPUT_RECO",
                                  "OUTPUT_NEE")),
    "irrigation": (irrigation, ("OUTPUT_PROBABILITY", "OUTPUT_GRID")),
    "mowing_date": (mowing_date, ("OUTPUT_UNCERTAINTY",)),
    "forest_height": (forest_height, ("OUTPUT_UNCERTAINTY", "OUTPUT_AGB",
                                      "OUTPUT_AGB_UNCERTAINTY")),
}


@pytest.mark.parametrize("product", sorted(RUNS))
def test_secondary_rasters_given_as_none_are_not_written(product, tmp_path):
    run, secondary = RUNS[product]
    out = tmp_path / "out"
    out.mkdir()
    main = out / "main.tif"
    result = run(tmp_path / "scene", out, {"OUTPUT": str(main), **dict.fromkeys(secondary)})
    assert result["OUTPUT"] == str(main) and main.exists()
    assert all(result[k] is None for k in secondary), result
    rasters = sorted(p.name for p in out.rglob("*.tif") if not p.name.startswith("SNOW_"))
    assert rasters == ["main.tif"], rasters


def test_snow_cover_algorithm_writes_no_temporary_syntheses(provider, tmp_path, qgis_iface):
    """Only OUTPUT asked for: the other syntheses are not written to QGIS's
    temporary folder, and the results still load styled."""
    import processing
    from qgis.core import QgsProcessingUtils, QgsProject
    scene = make_snow_scene(tmp_path / "scene", seed=0, size=32)
    QgsProject.instance().clear()
    try:
        processing.runAndLoadResults("chainon:snow_cover", {
            "S2_FOLDER": str(scene.s2_folder), "DEM": str(scene.dem_path),
            "OUTPUT_FOLDER": str(tmp_path / "maps"), "OUTPUT": str(tmp_path / "scd.tif")})
        names = [lyr.name() for lyr in QgsProject.instance().mapLayers().values()]
    finally:
        QgsProject.instance().clear()
    assert "Snow cover duration 31TGL" in names, names
    temporary = Path(QgsProcessingUtils.tempFolder())
    assert not [p for k in ("SOD", "SMOD", "NOBS") for p in temporary.rglob(f"OUTPUT_{k}*")]
