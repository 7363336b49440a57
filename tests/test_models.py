"""Saved graphical models chaining products, as users run them."""
from pathlib import Path

import numpy as np
import processing
import rasterio
from qgis.core import QgsProcessingModelAlgorithm, QgsVectorLayer

from chainon.core.scenes.land_cover import make_land_cover_scene

MODELS = Path(__file__).resolve().parents[1] / "resources" / "models"


def load(name):
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(MODELS / name)), name
    return model


def test_land_cover_into_mowing_date(provider, tmp_path):
    model = load("mowing_date_from_land_cover.model3")
    lc, mow = "land_cover:land_cover", "mowing_date:mowing_date"
    result = processing.run(model, {"size": 96, "seed": 1, lc: str(tmp_path / "lc.tif"),
                                    mow: str(tmp_path / "mowing.tif")})
    with rasterio.open(result[lc]) as ds:
        classes = ds.read(1)
    with rasterio.open(result[mow]) as ds:
        doy = ds.read(1)
    grass = classes == 13
    assert grass.any()
    # dates only on the grasslands the land cover found, in the mowing season
    assert not ((doy > 0) & (doy != 65535) & ~grass).any()
    # the scene the model's sample data wrote (land cover scenario, deterministic
    # from the seed), for its first mowing day (0: grazed or not grassland)
    scene = make_land_cover_scene(tmp_path / "scene", seed=1, size=96)
    with rasterio.open(scene.truth_dir / "MOWING_DOY_TRUTH.tif") as ds:
        truth = ds.read(1)
    dated = grass & (doy > 0) & (doy != 65535)
    print(f"grassland {grass.sum()} px: {dated.sum()} dated, {(grass & (doy == 65535)).sum()} "
          f"undecided, {(grass & (doy == 0)).sum()} not mown; truly mown "
          f"{(grass & (truth > 0)).sum()}")
    assert dated.any() and 90 < np.median(doy[dated]) < 250
    mown = dated & (truth > 0)
    assert np.median(np.abs(doy[mown].astype(int) - truth[mown])) <= 10
    # the detection decides: meadows never mown stay undated (the dates' accuracy
    # is measured on the true grassland in test_mowing_*; here the land cover's
    # grassland holds other classes too)
    assert (dated & (truth == 0)).sum() <= 0.1 * max(1, (grass & (truth == 0)).sum())


def test_land_cover_into_crop_yield(provider, tmp_path):
    model = load("crop_yield_from_land_cover.model3")
    lc, parcels, pixels = "land_cover:land_cover", "crop_yield:crop_yield", \
        "crop_yield:yield_pixels"
    result = processing.run(model, {"size": 96, "seed": 1, lc: str(tmp_path / "lc.tif"),
                                    parcels: str(tmp_path / "parcels.gpkg"),
                                    pixels: str(tmp_path / "yield.tif")})
    with rasterio.open(result[lc]) as ds:
        classes = ds.read(1)
    with rasterio.open(result[pixels]) as ds:
        yields = ds.read(1)
    crops = np.isin(classes, (5, 6, 7, 8, 9, 10, 11, 12))
    mapped = yields != -9999
    # yields only where the land cover found a crop, in the wheat parcels
    assert mapped.sum() > 500 and not (mapped & ~crops).any()
    assert 4 < np.median(yields[mapped]) < 12
    layer = QgsVectorLayer(result[parcels], "parcels")
    estimated = [f["YIELD_EST"] for f in layer.getFeatures() if f["YIELD_EST"]]
    print(f"\nland cover -> crop yield model: land cover with {crops.sum()} crop and "
          f"{(~crops).sum()} other pixels; {mapped.sum()} wheat pixels mapped, {len(estimated)} "
          f"of {layer.featureCount()} wheat parcels estimated")
    assert {f["CODE_CULTU"] for f in layer.getFeatures()} == {"BTH"}
    assert len(estimated) > 0.8 * layer.featureCount()
