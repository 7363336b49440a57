"""chainon:irrigation core: accuracy on the simulator (Pageot et al. 2020:
multi-source OA about 0.70, above every single source) and bad inputs."""
from pathlib import Path

import numpy as np
import pytest
import rasterio

from chainon.core.errors import InputError
from chainon.core.irrigation import IrrigationParams, km_grid, read_rain_csv, run_irrigation
from chainon.core.scenes.irrigation import make_irrigation_scene
from chainon.core.training import read_geojson, reference_from_features


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return make_irrigation_scene(tmp_path_factory.mktemp("irrigation"), seed=0)


def _labels(path, field="irrigated"):
    features, crs = read_geojson(path)
    return reference_from_features(features, field, crs, numeric=False)


def test_multi_source_beats_every_single_source(scene, tmp_path):
    result = run_irrigation(scene.s2_folder, scene.s1_folder, scene.rain_path,
                            _labels(scene.parcels_path), tmp_path, params=IrrigationParams())
    scores = result["scores"]
    for name, s in scores.items():
        print(f"{name:<16} OA {s['oa']:.3f}  F1 irrigated {s['f1_irrigated']:.3f}")
    full = scores["S1 + S2 + rain"]
    best_single = max(scores["S2 only"]["oa"], scores["S1 only"]["oa"])
    assert full["oa"] > 0.70
    assert full["oa"] > best_single
    # the 1 km grid against the true share of irrigated surface per km²
    with rasterio.open(result["OUTPUT_GRID"]) as ds:
        share = ds.read(1).astype(float)
        assert ds.res == (1000.0, 1000.0)
    with rasterio.open(scene.truth_path) as ds:
        truth = ds.read(1)
    coarse, n = km_grid(scene.grid)
    true_share = np.array([[100 * (truth[r * n:(r + 1) * n, c * n:(c + 1) * n] == 1).mean()
                            for c in range(coarse.width)] for r in range(coarse.height)])
    mae = np.abs(share - true_share).mean()
    print(f"1 km grid: mean absolute error {mae:.1f} points of irrigated share")
    assert mae < 10
    with rasterio.open(result["OUTPUT"]) as ds:
        assert set(np.unique(ds.read(1))) <= {0, 1, 255} and ds.nodata == 255
    report = Path(result["OUTPUT_REPORT"]).read_text(encoding="utf-8")
    assert "S1 only" in report and "S2 only" in report and "F1" in report


def test_rain_table_not_covering_the_period(scene, tmp_path):
    short = tmp_path / "rain.csv"
    short.write_text("".join(scene.rain_path.read_text().splitlines(True)[:100]))
    with pytest.raises(InputError, match="lacks .* days of the period"):
        read_rain_csv(short, scene.start, scene.end)
    with pytest.raises(InputError, match="precipitation table"):
        run_irrigation(scene.s2_folder, scene.s1_folder, short, _labels(scene.parcels_path),
                       tmp_path)


def test_labels_outside_the_tile(scene, tmp_path):
    labels = _labels(scene.parcels_path)
    moved = [{"type": "Polygon", "coordinates": [[[x + 200000, y] for x, y in g["coordinates"][0]]]}
             for g in labels.geometries]
    labels.geometries = moved
    with pytest.raises(InputError, match="None of the .* labelled parcels covers a pixel"):
        run_irrigation(scene.s2_folder, scene.s1_folder, scene.rain_path, labels, tmp_path)


def test_no_sentinel1_file(scene, tmp_path):
    with pytest.raises(InputError, match="No Sentinel-1 file was found"):
        run_irrigation(scene.s2_folder, tmp_path, scene.rain_path, _labels(scene.parcels_path),
                       tmp_path)
    with pytest.raises(InputError, match="needs Sentinel-1"):
        run_irrigation(scene.s2_folder, None, scene.rain_path, _labels(scene.parcels_path),
                       tmp_path)


def test_one_polarisation_missing(scene, tmp_path):
    for f in scene.s1_folder.iterdir():
        if "_vh_" not in f.name:
            (tmp_path / f.name).symlink_to(f)
    with pytest.raises(InputError, match="no VH file"):
        run_irrigation(scene.s2_folder, tmp_path, scene.rain_path, _labels(scene.parcels_path),
                       tmp_path / "out")
