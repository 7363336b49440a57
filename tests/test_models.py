"""Saved graphical models chaining products, as users run them."""
from pathlib import Path

import numpy as np
import processing
import rasterio
from qgis.core import QgsProcessingModelAlgorithm

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
    dated = doy[grass & (doy > 0) & (doy != 65535)]
    assert dated.size > 0.3 * grass.sum() and 90 < np.median(dated) < 250
