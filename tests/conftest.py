"""Make the repository importable as the package `chainon`, whatever the
folder name of the clone, and share fixtures."""
import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG_PARENT = ROOT / ".pkgroot"
_link = PKG_PARENT / "chainon"
if not _link.exists():
    PKG_PARENT.mkdir(exist_ok=True)
    _link.symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(PKG_PARENT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the snow cover DEM cache of the tests: private (mkdtemp is 0700), never ~/.cache
if "CHAINON_CACHE_DIR" not in os.environ:
    os.environ["CHAINON_CACHE_DIR"] = tempfile.mkdtemp(prefix="chainon-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CHAINON_CACHE_DIR"], ignore_errors=True)

REAL_DATA = ROOT.parent / "shared" / "data" / "real"

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def provider(qgis_app, qgis_processing):
    """The plugin loaded as QGIS loads it, its provider registered."""
    from chainon import classFactory
    plugin = classFactory(None)
    plugin.initProcessing()
    yield plugin.provider
    plugin.unload()


@pytest.fixture(scope="session")
def snow_scene(tmp_path_factory):
    """A small synthetic snow scene (one hydrological year), made once."""
    from chainon.core.scenes.snow import make_snow_scene
    return make_snow_scene(tmp_path_factory.mktemp("snow_scene"), seed=3, size=144,
                           zipped_every=7)


@pytest.fixture(scope="session")
def crop_carbon_scene(tmp_path_factory):
    """A small synthetic wheat scene (October-July, ~30 fields), made once."""
    from chainon.core.scenes.crop_carbon import make_crop_carbon_scene
    return make_crop_carbon_scene(tmp_path_factory.mktemp("crop_carbon_scene"), seed=1,
                                  size=96)


@pytest.fixture(scope="session")
def land_cover_scene(tmp_path_factory):
    """A small synthetic land cover year (12 OSO classes, ~170 parcels), made once."""
    from chainon.core.scenes.land_cover import make_land_cover_scene
    return make_land_cover_scene(tmp_path_factory.mktemp("land_cover_scene"), seed=0,
                                 size=144)


@pytest.fixture(scope="session")
def crop_yield_scene(tmp_path_factory):
    """A synthetic wheat yield year (~270 wheat parcels, 6 units), made once."""
    from chainon.core.scenes.crop_yield import make_crop_yield_scene
    return make_crop_yield_scene(tmp_path_factory.mktemp("crop_yield_scene"), seed=0,
                                 size=192)


@pytest.fixture(scope="session")
def verdun():
    folder = REAL_DATA / "theia_s2_verdun" / "SENTINEL" / "ZoneTest"
    if not folder.is_dir():
        pytest.fail(f"real data missing: {folder}")
    return folder


def write_flat_dem(path, grid_like, elevation=300.0):
    """A flat DEM (float32) over a rasterio dataset's footprint, 10 m margin."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin
    with rasterio.open(grid_like) as ds:
        b, crs = ds.bounds, ds.crs
    w, h = int((b.right - b.left) / 10) + 2, int((b.top - b.bottom) / 10) + 2
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=1, dtype="float32",
                       crs=crs, transform=from_origin(b.left - 10, b.top + 10, 10, 10)) as out:
        out.write(np.full((1, h, w), elevation, "float32"))
    return path
