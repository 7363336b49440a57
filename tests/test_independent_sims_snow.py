"""The independent snow scene's physics (validation/sims/snow.py): tests of
the SIMULATOR, not of the snow product."""
import numpy as np
import pytest
import rasterio

from chainon.core.theia import find_products
from chainon.validation.sims import snow as sim


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return sim.make_scene(1, tmp_path_factory.mktemp("indep_snow"), size=96)


def _read(path):
    with rasterio.open(path) as ds:
        return ds.read(1)


def _ndsi(r):
    return (r[..., 1] - r[..., 8]) / (r[..., 1] + r[..., 8])


def test_snow_lasts_longer_at_altitude(scene):
    scd = _read(scene.truth_dir / "SCD_TRUTH.tif").astype(float)
    low, high = np.quantile(scene.dem, [1 / 3, 2 / 3])
    assert scd[scene.dem > high].mean() > scd[scene.dem < low].mean() + 40
    assert scd[scene.dem > 2500].mean() > 150 if (scene.dem > 2500).any() else True


def test_snow_spectra_from_grain_size_and_impurities():
    fresh, old, wet = sim.snow_reflectance(np.array([0.1, 0.7, 1.2]), 0.02)
    assert fresh[1] > 0.9 and 0.15 < fresh[8] < 0.3          # fresh: bright, SWIR ~0.2
    assert fresh[8] > old[8] > wet[8] > 0.02                  # grains grow: SWIR falls
    assert fresh[1] - wet[1] < 0.05                           # the visible hardly moves
    dusty = sim.snow_reflectance(0.3, 0.3)
    clean = sim.snow_reflectance(0.3, 0.0)
    assert (clean - dusty)[1] > (clean - dusty)[2] > 0        # dust darkens green more than red
    ndsi = lambda r: (r[1] - r[8]) / (r[1] + r[8])
    assert min(ndsi(fresh), ndsi(wet)) > 0.6
    assert ndsi(sim.GRASS) < 0 and ndsi(sim.CONIFER) < 0 and ndsi(sim.BRIGHT_ROCK) < 0
    assert ndsi(sim.CLEAR_WATER) > 0.6 and sim.CLEAR_WATER[2] < 0.04   # water: high NDSI, dark


def test_forest_canopy_lowers_ndsi_of_snow_on_the_ground():
    shape = (2, 2)
    days = [0, 1]
    met = dict(doy=np.array([30.0, 31.0]), tmean=np.array([-5.0, -5.0]))
    sp = dict(fsc=np.ones((2,) + shape, np.float16), age=np.full((2,) + shape, 10, np.float16),
              wet=np.zeros((2,) + shape, bool), canopy_snow=np.zeros(2))
    land = np.array([[1, 1], [2, 2]])
    tree = np.array([[0.8, 0.4], [0.0, 0.0]], np.float32)
    refl, _, _ = sim.ground_reflectance(1, days, met, sp, land, tree, np.zeros(shape, bool),
                                        np.zeros(shape), np.zeros(shape, bool),
                                        np.zeros(shape, np.float32), np.zeros(2), 65.0)
    ndsi = _ndsi(refl)
    assert ndsi[0, 0] < ndsi[0, 1] < ndsi[1, 0]               # denser canopy, lower NDSI
    assert refl[0, 0, 2] < 0.5 * refl[1, 0, 2]                # and a darker red


def test_products_show_snow_ndsi_above_vegetation(scene):
    snow_ndsi, bare_ndsi = [], []
    for p in find_products(scene.s2_folder):
        day = p.acquired.strftime("%Y%m%d")
        truth = _read(scene.truth_dir / f"SNOW_TRUTH_{day}.tif")
        g, s = (_read(p.band_path(b)).astype(float) for b in ("B3", "B11"))
        g = g.reshape(truth.shape[0], 2, truth.shape[1], 2).mean((1, 3))
        ndsi = (g - s) / (g + s)
        grass = scene.land_cover == sim.LAND["grass"]
        snow_ndsi.append(ndsi[(truth == 100) & grass])
        bare_ndsi.append(ndsi[(truth == 0) & grass])
    assert np.median(np.concatenate(snow_ndsi)) > 0.5 > 0 > np.median(np.concatenate(bare_ndsi))


def test_cloud_mask_flags_simulated_clouds_with_realistic_errors(scene):
    cloudy = flagged = clear = overflagged = 0
    for day in scene.dates:
        truth, clm = scene.clm_truth_clear[day], scene.clm_clear[day]
        cloudy += (~truth).sum()
        flagged += (~truth & ~clm).sum()
        clear += truth.sum()
        overflagged += (truth & ~clm).sum()
    assert cloudy > 0.2 * (cloudy + clear)                    # a cloudy place
    assert flagged / cloudy > 0.75                            # most clouds are in the CLM...
    assert flagged < cloudy                                   # ...not all (shadows, cirrus)
    assert 0 < overflagged / clear < 0.2                      # dilation, snow taken for cloud


def test_same_seed_same_scene(scene, tmp_path):
    again = sim.make_scene(1, tmp_path / "again", size=96)
    assert again.dates == scene.dates
    for day in scene.dates[::4]:
        stamp = f"{day:%Y%m%d}"
        for kind in ("FSC_TRUTH", "SNOW_TRUTH", "CONTEXT"):
            assert np.array_equal(_read(scene.truth_dir / f"{kind}_{stamp}.tif"),
                                  _read(again.truth_dir / f"{kind}_{stamp}.tif"))
        assert np.array_equal(scene.clm_clear[day], again.clm_clear[day])
    other = sim.make_scene(2, tmp_path / "other", size=32)
    assert not np.array_equal(scene.dem[:32, :32], other.dem)
