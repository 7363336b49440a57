"""chainon:irrigation with gridded daily rain: every parcel takes the rain of
its cell, the rain enters the features as a water balance (which
acquisitions are dry), never as a value that says where the parcel lies, and
rasters that miss days of the period or part of the tile are refused."""
from copy import deepcopy
from datetime import date, timedelta

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from chainon.core.errors import InputError
from chainon.core.grid import Grid
from chainon.core.blocks import Progress
from chainon.core.inputs import select_products
from chainon.core.irrigation import BANDS, ParcelSeries, parcel_cells, read_rain, s1_images
from chainon.core.irrigation_features import parcel_features
from chainon.core.scenes.irrigation import make_irrigation_scene
from chainon.core.training import read_geojson, reference_from_features

START, END = date(2020, 6, 1), date(2020, 7, 31)
GRID = Grid("EPSG:32631", 561000, 4900000, 100, 60, 60)     # 6 km square


def write_rain(folder, days, crs="EPSG:2154", origin=(560000, 6290000), cell=3000.0, scale=1):
    """Daily rasters of 4 x 4 cells whose rain (mm) is the cell's column
    number on odd days and 0 on even days; Lambert-93 like SAFRAN/COMEPHORE."""
    folder.mkdir()
    wet = np.tile(np.arange(4, dtype="float32"), (4, 1))
    for i in range(days):
        with rasterio.open(folder / f"rain_{START + timedelta(i):%Y-%m-%d}.tif", "w",
                           driver="GTiff", width=4, height=4, count=1, dtype="float32",
                           crs=crs, transform=from_origin(*origin, cell, cell),
                           nodata=-999) as ds:
            ds.write(wet * (i % 2) * scale, 1)
    return folder


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A 48 px scene (6 x 6 parcels, rain cells of 2 x 2 parcels), its
    parcels' series and rain."""
    scene = make_irrigation_scene(tmp_path_factory.mktemp("rain"), seed=3, size=48)
    features, crs = read_geojson(scene.parcels_path)
    labels = reference_from_features(features, "irrigated", crs, numeric=False)
    products, start, end = select_products(scene.s2_folder, scene.start, scene.end, BANDS)
    series = ParcelSeries(labels, products, s1_images(scene.s1_folder, products[0].tile,
                                                      start, end), scene.grid)
    series.accumulate(Progress(), 2)
    rain, cells = read_rain(scene.rain_folder, start, end, scene.grid)
    return scene, series, rain, parcel_cells(cells, scene.grid, series)


def test_parcels_take_the_rain_of_their_cell(small):
    scene, series, rain, cell = small
    rows, cols = np.divmod(np.arange(36), 6)
    side = 48 // 16 + 2                        # cells of 2 x 2 parcels, one of margin
    assert (cell == (rows // 2 + 1) * side + cols // 2 + 1).all()
    features = parcel_features(deepcopy(series), rain, cell, scene.start, scene.end, 10)
    assert np.isfinite(features.x).all() and len(features.names) == features.x.shape[1]


def test_rain_features_carry_water_balance_not_place(small):
    """Raw rain per cell let the forest learn where a parcel lies: no feature
    may be a function of the rain cell alone, and rain that only says where
    (a random value per cell, the same every day) must give the features that
    no rain gives."""
    scene, series, rain, cell = small
    def features(rain):          # the series' sums become the means: one copy a table
        return parcel_features(deepcopy(series), rain, cell, scene.start, scene.end, 10)
    real = features(rain)
    shared = np.bincount(cell) > 1
    for j, name in enumerate(real.names):
        varies = [np.ptp(real.x[cell == c, j]) > 0 for c in np.flatnonzero(shared)]
        assert any(varies), f"{name} is the same for all the parcels of every rain cell"
    place = np.random.default_rng(0).uniform(0, 20, (rain.shape[0], 1)) * np.ones_like(rain)
    np.testing.assert_allclose(features(place).x, features(np.zeros_like(rain)).x)
    # the rain features do read the real rain
    rain_cols = real.source == "RAIN"
    assert rain_cols.any()
    assert not np.allclose(real.x[:, rain_cols], features(np.zeros_like(rain)).x[:, rain_cols])


def test_rain_rasters_that_miss_days_or_part_of_the_tile_or_are_not_mm(tmp_path):
    short = write_rain(tmp_path / "short", 30)
    with pytest.raises(InputError, match="lack 31 days"):
        read_rain(short, START, END, GRID)
    small = write_rain(tmp_path / "small", 61, crs=GRID.crs, origin=(564000, 4898000))
    with pytest.raises(InputError, match="cover only part of the area"):
        read_rain(small, START, END, GRID)
    with pytest.raises(InputError, match="do not cover the area"):
        read_rain(write_rain(tmp_path / "far", 61), START, END, GRID)
    tenths = write_rain(tmp_path / "tenths", 61, crs=GRID.crs, origin=(560000, 4901000),
                        scale=200)
    with pytest.raises(InputError, match="hold values from 0.0 to 600.0"):
        read_rain(tenths, START, END, GRID)


def test_scene_rain_rasters_and_table(tmp_path):
    scene = make_irrigation_scene(tmp_path, seed=3, size=48)
    rain, cells = read_rain(scene.rain_folder, scene.start, scene.end, scene.grid)
    table, none = read_rain(scene.rain_path, scene.start, scene.end, scene.grid)
    assert none is None and table.shape == (1, rain.shape[1])
    inside = rain[cells.ids_on(scene.grid)[::8, ::8].ravel()]     # one pixel per parcel
    # storms: summer rain differs from cell to cell; the table is the scene mean
    summer = inside[:, (date(2020, 6, 10) - scene.start).days:
                    (date(2020, 9, 1) - scene.start).days]
    print(f"summer rain of the parcels: {summer.sum(axis=1).min():.0f} to "
          f"{summer.sum(axis=1).max():.0f} mm")
    assert np.ptp(summer.sum(axis=1)) > 0.2 * summer.sum(axis=1).mean()
    assert abs(table.sum() - inside.sum(axis=1).mean()) < 0.01 * table.sum()
    (scene.rain_folder / f"rain_{scene.end:%Y%m%d}.tif").unlink()
    with pytest.raises(InputError, match="lack 1 days"):
        read_rain(scene.rain_folder, scene.start, scene.end, scene.grid)
