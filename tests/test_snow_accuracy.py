"""Snow cover against the simulator's ground truth, with the paper's metric
(share of clear pixels correctly classified snow / no snow, >= 94 %), and the
syntheses' errors in days. Zipped and unzipped products are mixed."""
import numpy as np
import rasterio

from chainon.core.evaluation import raster_error, snow_accuracy
from chainon.core.snow_cover import run_snow_cover


def test_accuracy_and_scd_error(snow_scene, tmp_path):
    zipped = list(snow_scene.s2_folder.glob("*.zip"))
    assert zipped
    result = run_snow_cover(snow_scene.s2_folder, snow_scene.dem_path, tmp_path,
                            start=snow_scene.start, end=snow_scene.end)
    n_clear = len(snow_scene.dates) - len(result["skipped"])
    assert len(result["dates"]) == n_clear
    read_zips = {z.stem for z in zipped} - set(result["skipped"])
    assert read_zips and read_zips <= set(result["snowlines"])   # zips were read
    score = snow_accuracy(tmp_path, snow_scene.truth_dir)
    scd = raster_error(result["OUTPUT"], snow_scene.truth_dir / "SCD_TRUTH.tif")
    print(f"\nsnow accuracy {score['accuracy']:.2%} over {score['pixels']} clear pixels; "
          f"SCD MAE {scd['mae']:.1f} days (bias {scd['bias']:+.1f})")
    assert score["accuracy"] >= 0.94
    assert scd["mae"] <= 10
    # snowline follows the season: lower in winter than in early autumn
    lines = {name[11:19]: zs for name, zs in result["snowlines"].items() if zs > 0}
    winter = [zs for day, zs in lines.items() if day[4:6] in ("01", "02")]
    autumn = [zs for day, zs in lines.items() if day[4:6] == "09"]
    assert np.mean(winter) < np.mean(autumn) - 500


def test_extent_in_another_crs_crops_the_grid(snow_scene, tmp_path):
    xmin, ymin, xmax, ymax = snow_scene.grid.bounds
    from rasterio.warp import transform_bounds
    bounds = transform_bounds(snow_scene.grid.crs, "EPSG:4326",
                              xmin + 500, ymin + 500, xmin + 1500, ymin + 1300)
    result = run_snow_cover(snow_scene.s2_folder, snow_scene.dem_path, tmp_path,
                            start=snow_scene.start, end=snow_scene.start.replace(month=12),
                            bounds=bounds, bounds_crs="EPSG:4326")
    with rasterio.open(result["OUTPUT"]) as ds:
        assert 45 <= ds.width <= 60 and 35 <= ds.height <= 50
        assert ds.bounds.left >= xmin + 400
