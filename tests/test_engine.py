"""Block engine, COG writer, catalog styles: the shared machinery."""
import configparser
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import rasterio

from chainon.core import __version__
from chainon.core.blocks import (DEFAULT_BLOCK, Progress, block_for_layers, cache_rows, run_blocks,
                                 windows)
from chainon.core.catalog import PRODUCTS
from chainon.core.cog import CogWriter
from chainon.core.errors import Cancelled
from chainon.core.grid import Grid
from chainon.core.qml import qml_for

ROOT = Path(__file__).resolve().parents[1]
GRID = Grid("EPSG:32631", 600000.0, 5000000.0, 20.0, 1100, 1000)


def test_windows_cover_grid_once():
    wins = windows(1100, 1000, 480)
    covered = np.zeros((1000, 1100), int)
    for w in wins:
        covered[w.row_off:w.row_off + w.height, w.col_off:w.col_off + w.width] += 1
    assert (covered == 1).all()
    assert all(w.col_off % 12 == 0 and w.row_off % 12 == 0 for w in wins)


def test_blocks_shrink_as_the_time_series_grows():
    """A season's stack of a block stays near 48 MB whatever the number of dates."""
    sides = [block_for_layers(n) for n in (10, 60, 245, 365, 10 ** 6)]
    assert sides[0] == DEFAULT_BLOCK and sides[-1] == 64
    assert sides == sorted(sides, reverse=True) and all(s % 16 == 0 for s in sides)
    for n, side in zip((60, 245, 365), sides[1:4]):
        assert 30 < 4 * n * side ** 2 / 2 ** 20 <= 48


def test_cache_rows_cover_the_rows_once_in_chunks_of_about_the_size_asked():
    x = np.zeros((10000, 481), "float32")
    parts = cache_rows(x, mb=4)
    assert [p.start for p in parts] == list(range(0, 10000, 2179))
    assert np.concatenate([np.arange(10000)[p] for p in parts]).tolist() == list(range(10000))
    assert cache_rows(np.zeros((300, 10000), "float64"), mb=1)[0] == slice(0, 256)  # floor
    assert cache_rows(np.zeros((0, 5), "float32")) == []


def test_cog_written_block_by_block_with_overviews_and_tags(tmp_path):
    data = np.arange(1100 * 1000, dtype="uint32").reshape(1000, 1100) % 50000
    path = tmp_path / "out.tif"
    seen = []
    with CogWriter(path, GRID, "uint16", 65535, {"product": "test"}) as out:
        run_blocks(windows(1100, 1000), lambda w: data[w.toslices()],
                   out.write, Progress(seen.append))
    assert seen[-1] == 100.0
    with rasterio.open(path) as ds:
        assert ds.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        assert ds.overviews(1) and ds.nodata == 65535 and ds.block_shapes[0] == (512, 512)
        assert ds.tags()["product"] == "test" and __version__ in ds.tags()["software"]
        np.testing.assert_array_equal(ds.read(1), data)
    assert list(tmp_path.iterdir()) == [path]


def test_cancel_leaves_nothing(tmp_path):
    path = tmp_path / "out.tif"
    calls = []
    progress = Progress(is_canceled=lambda: len(calls) >= 3)
    with pytest.raises(Cancelled):
        with CogWriter(path, GRID, "uint8", 255) as out:
            def consume(w, a):
                calls.append(w)
                out.write(w, a)
            run_blocks(windows(1100, 1000, 100), lambda w: np.zeros((w.height, w.width)),
                       consume, progress)
    assert len(calls) < 110 and list(tmp_path.iterdir()) == []


def test_every_output_has_a_style():
    for product in PRODUCTS.values():
        for out in product.outputs:
            qml = qml_for(out)
            assert qml.startswith("<!DOCTYPE qgis")
            assert ("paletted" if out.kind == "classes" else "singlebandpseudocolor") in qml


def test_core_imports_without_qgis():
    """The compute centre runs core/ where QGIS is absent."""
    code = ("import sys; sys.modules['qgis'] = None; sys.path.insert(0, sys.argv[1]);"
            "import chainon.core.snow_cover, chainon.core.scenes.snow, chainon.core.evaluation")
    subprocess.run([sys.executable, "-c", code, str(ROOT / ".pkgroot")], check=True)


def test_metadata():
    meta = configparser.ConfigParser()
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    g = meta["general"]
    assert g["name"] == "Chaînon" and g["qgisMinimumVersion"] == "3.22"
    assert g["qgisMaximumVersion"] == "4.99" and g["supportsQt6"] == "True"
    assert g["hasProcessingProvider"] == "yes" and g["version"] == __version__
    assert (ROOT / g["icon"]).exists() and len(g["about"]) > 200
