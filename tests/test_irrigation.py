"""chainon:irrigation core: per-parcel decisions made with the model that
cross-validates best, their accuracy on the simulator's held-out parcels
against the truth (3 % of the labels are wrong), and bad inputs."""
from pathlib import Path

import numpy as np
import pytest
import rasterio

from chainon.core.errors import InputError
from chainon.core.irrigation import IrrigationParams, km_grid, read_rain_csv, run_irrigation
from chainon.core.irrigation_models import pick
from chainon.core.scenes.irrigation import make_irrigation_scene
from chainon.core.training import polygon_raster, read_geojson, reference_from_features
from chainon.validation.irrigation import parcel_majority


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return make_irrigation_scene(tmp_path_factory.mktemp("irrigation"), seed=0)


def _labels(path, field="irrigated"):
    features, crs = read_geojson(path)
    return reference_from_features(features, field, crs, numeric=False)


def test_parcel_decisions_with_the_best_cross_validated_model(scene, tmp_path):
    features, _ = read_geojson(scene.parcels_path)
    result = run_irrigation(scene.s2_folder, scene.s1_folder, scene.rain_folder,
                            _labels(scene.parcels_path), tmp_path, params=IrrigationParams(),
                            crops=[f["properties"]["crop"] for f in features])
    scores = result["scores"]
    for name, s in scores.items():
        print(f"{name:<16} CV OA {s['cv_oa']:.3f} +- {s['cv_se']:.3f}  OA {s['oa']:.3f}  "
              f"F1 {s['f1_irrigated']:.3f}")
    # the map is made with all sources unless another model cross-validates clearly better
    best = pick(scores)
    assert result["model"] == best
    assert "WET_EVENTS" in result["feature_names"] and "NDWI_202007_CROP" in result["feature_names"]
    report = Path(result["OUTPUT_REPORT"]).read_text(encoding="utf-8")
    assert f"made with the model {best}" in report and "S1 only" in report
    # one decision per parcel, that of the chosen model on the held-out parcels
    features, crs = read_geojson(scene.parcels_path)
    ids = polygon_raster(_labels(scene.parcels_path), scene.grid)
    with rasterio.open(result["OUTPUT"]) as ds:
        mask = ds.read(1)
        assert ds.nodata == 255 and set(np.unique(mask)) <= {0, 1}
    with rasterio.open(scene.truth_path) as ds:
        truth = ds.read(1)
    n = len(features)
    mapped, true = (parcel_majority(a.astype("int64"), ids, n) for a in (mask, truth))
    for a in (mask, truth):
        assert all(np.unique(a[ids == k + 1]).size == 1 for k in range(n))
    held = result["validation_parcels"]
    assert (mapped[held] == scores[best]["held_out"]).all()
    # and on every parcel the map shows the chosen model's parcel decision
    assert (mapped == (result["probability"] > 0.5)).all()
    oa = (mapped[held] == true[held]).mean()        # against the truth, not the labels
    print(f"map OA on {held.size} held-out parcels: {oa:.3f}")
    assert oa > 0.85
    # the 1 km grid against the true share of irrigated surface per km²
    with rasterio.open(result["OUTPUT_GRID"]) as ds:
        share = ds.read(1).astype(float)
        assert ds.res == (1000.0, 1000.0)
    coarse, k = km_grid(scene.grid)
    true_share = np.array([[100 * (truth[r * k:(r + 1) * k, c * k:(c + 1) * k] == 1).mean()
                            for c in range(coarse.width)] for r in range(coarse.height)])
    mae = np.abs(share - true_share).mean()
    print(f"1 km grid: mean absolute error {mae:.1f} points of irrigated share")
    assert mae < 10


def test_unlabelled_parcels_mapped_parcels_without_data_undecided(scene, tmp_path):
    """A parcel with an empty label is mapped, not trained on; a parcel with
    no clear image is not mapped either way."""
    labels = _labels(scene.parcels_path)
    far = {"type": "Polygon", "coordinates": [[[x + 200000, y] for x, y in
                                               labels.geometries[0]["coordinates"][0]]]}
    labels.geometries = [far] + [labels.geometries[k] for k in range(1, len(labels.values))]
    labels.values = list(labels.values)
    labels.values[1:11] = [None] * 10
    result = run_irrigation(scene.s2_folder, scene.s1_folder, scene.rain_path, labels, tmp_path,
                            params=IrrigationParams(n_trees=20))
    assert np.isnan(result["probability"][0]) and np.isfinite(result["probability"][1:]).all()
    assert not set(result["validation_parcels"]) & set(range(11))
    report = Path(result["OUTPUT_REPORT"]).read_text(encoding="utf-8")
    assert "Parcels mapped: 224 of 225" in report and "labelled and mapped: 214" in report


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
