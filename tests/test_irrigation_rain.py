"""chainon:irrigation with gridded daily rain: the rasters are read per
cell, resampled to the tile grid per month, and refused when they miss days
of the period or part of the tile."""
from datetime import date, timedelta

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from chainon.core.errors import InputError
from chainon.core.grid import Grid
from chainon.core.irrigation import Features, months, read_rain
from chainon.core.scenes.irrigation import make_irrigation_scene

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


def test_gridded_rain_varies_over_the_tile(tmp_path):
    folder = write_rain(tmp_path / "rain", 61, crs=GRID.crs, origin=(560000, 4901000))
    rain, cells = read_rain(folder, START, END, GRID)
    assert rain.shape == (16, 61) and cells.valid.all()
    features = Features([], {}, rain, GRID, START, END, 10, cells)
    monthly = features.rain_of(GRID)
    assert monthly.shape == (len(months(START, END)), 60, 60)
    # column c of the rain grid: c mm every other day (15 days in June, 16 in July)
    assert monthly[0, 30, 5] == 0 and monthly[0, 30, 25] == 15 and monthly[1, 30, 55] == 30


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
