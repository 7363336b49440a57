"""Crop yield without QGIS, against the simulator's true yields: parcel
error within 10 % (relative RMSE: RMSE over the mean yield) and unit error
within 5 % (relative error of the area-weighted mean), the published
figures; then bad inputs."""
import numpy as np
import pytest
import rasterio

from chainon.core.crop_yield import OSO_CROPS, read_statistics, run_crop_yield, select_parcels
from chainon.core.errors import InputError
from chainon.core.training import read_geojson, reference_from_features


def inputs(scene):
    features, crs = read_geojson(scene.parcels_path)
    units, ucrs = read_geojson(scene.units_path)
    return (features, select_parcels(features, crs, "CODE_CULTU", "BTH", "RDT_DECL"),
            reference_from_features(units, "code", ucrs, numeric=False),
            read_statistics(scene.statistics_path, "code"))


@pytest.fixture(scope="module")
def run(crop_yield_scene, tmp_path_factory):
    features, parcels, units, stats = inputs(crop_yield_scene)
    result = run_crop_yield(crop_yield_scene.s2_folder, tmp_path_factory.mktemp("yield"),
                            parcels, units=units, statistics=stats, pixels=True,
                            facts=dict(crop="BTH"))
    return result, features


def test_parcel_and_unit_errors_within_the_published_figures(crop_yield_scene, run):
    result, features = run
    ids = [features[p["index"]]["properties"]["ID_PARCEL"] for p in result["parcels"]]
    truth = np.array([crop_yield_scene.true_yield[i] for i in ids])
    pred = np.array([p["predicted"] for p in result["parcels"]], float)
    undeclared = np.array([p["split"] == "" for p in result["parcels"]])
    rel_rmse_truth = np.sqrt(np.mean((pred - truth)[undeclared] ** 2)) / truth[undeclared].mean()
    val = result["scores"]
    units = [abs(u["relative_error"]) for u in result["units"]]
    print(f"\ncrop yield, {val['n']} validation parcels: relative RMSE "
          f"{val['relative_rmse']:.1%}, relative MAE {val['relative_mae']:.1%}; "
          f"{undeclared.sum()} undeclared parcels vs truth: relative RMSE {rel_rmse_truth:.1%}; "
          f"{len(units)} units: relative error mean {np.mean(units):.2%} max {max(units):.2%}")
    assert val["relative_rmse"] <= 0.10 and rel_rmse_truth <= 0.10
    assert len(units) == 6 and max(units) <= 0.05
    assert {p["split"] for p in result["parcels"]} == {"training", "validation", ""}
    text = open(result["OUTPUT_REPORT"], encoding="utf-8").read()
    assert "Residuals:" in text and "Administrative units" in text


def test_the_cross_validation_best_model_is_kept_and_all_are_reported(run):
    """Kept: the simplest model (candidates listed simplest first) within one
    standard error of the lowest cross-validated RMSE."""
    result, _ = run
    cv = result["cross_validation"]
    lowest = min(s["rmse"] for s in cv.values())
    bar = lowest + next(s["rmse_se"] for s in cv.values() if s["rmse"] == lowest)
    assert len(cv) == 5 and result["model_name"] == next(k for k in cv if cv[k]["rmse"] <= bar)
    text = open(result["OUTPUT_REPORT"], encoding="utf-8").read()
    for name, s in cv.items():
        assert f"{name:<30} {s['rmse']:>9.3f} {s['rmse_se']:>6.3f} " \
               f"{100 * s['relative_rmse']:>7.2f} %" in text
    assert f"{result['model_name']:<30}" in text.split("<- kept")[0].splitlines()[-1]
    assert "Declared yields set aside: 0 " in text and result["set_aside"] == 0


def test_pixel_map_matches_the_parcels(run):
    result, _ = run
    with rasterio.open(result["OUTPUT_PIXELS"]) as ds:
        yields = ds.read(1)
        assert ds.nodata == -9999 and ds.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
    inside = yields[yields != -9999]
    parcel_mean = np.mean([p["predicted"] for p in result["parcels"]])
    assert inside.size > 1000 and abs(inside.mean() - parcel_mean) / parcel_mean < 0.05


def test_model_reuse_and_bad_inputs(crop_yield_scene, run, tmp_path):
    result, features = run
    _, parcels, units, stats = inputs(crop_yield_scene)
    again = run_crop_yield(crop_yield_scene.s2_folder, tmp_path, parcels,
                           model=result["OUTPUT_MODEL"], units=units, statistics=stats)
    assert [p["predicted"] for p in again["parcels"]] == \
        pytest.approx([p["predicted"] for p in result["parcels"]])
    crs = parcels.crs
    with pytest.raises(InputError, match="field RDT does not exist"):
        select_parcels(features, crs, "CODE_CULTU", "BTH", "RDT")
    with pytest.raises(InputError, match="No parcel has the crop XYZ.*BTH, CZH"):
        select_parcels(features, crs, "CODE_CULTU", "XYZ", "RDT_DECL")
    with pytest.raises(InputError, match="field that holds the crop BTH"):
        select_parcels(features, crs, None, "BTH", "RDT_DECL")   # not every parcel as BTH
    with pytest.raises(InputError, match="holds no feature"):
        select_parcels(iter(()), crs)
    with pytest.raises(InputError, match="No feature of the parcel layer has a geometry"):
        select_parcels([dict(f, geometry=None) for f in features[:3]], crs)
    few = select_parcels(features[:12], crs, "CODE_CULTU", "BTH", "RDT_DECL")
    with pytest.raises(InputError, match="needs at least 10"):
        run_crop_yield(crop_yield_scene.s2_folder, tmp_path / "few", few)
    assert not (tmp_path / "few").exists() or not list((tmp_path / "few").iterdir())
    (tmp_path / "bad.csv").write_text("code;yield\n31;seven\n")
    with pytest.raises(InputError, match="unreadable row: 31;seven"):
        read_statistics(tmp_path / "bad.csv")


def test_crop_mask_keeps_only_its_pixels(crop_yield_scene, run, tmp_path):
    """A land cover where the western half is grassland (13): only the
    eastern pixels of the wheat parcels are averaged and mapped; a 0/1 mask
    does the same with empty classes; a mask missing the parcels is refused."""
    result, _ = run
    _, parcels, _, _ = inputs(crop_yield_scene)
    with rasterio.open(crop_yield_scene.land_cover_path) as ds:
        land_cover, profile = ds.read(1), ds.profile
    west = np.arange(land_cover.shape[1]) < land_cover.shape[1] // 2
    land_cover[:, west] = 13
    masks = {"lc": land_cover, "01": (land_cover != 13).astype("uint8"),
             "none": np.zeros_like(land_cover)}
    for name, array in masks.items():
        with rasterio.open(tmp_path / f"{name}.tif", "w", **profile) as ds:
            ds.write(array, 1)
    model = result["OUTPUT_MODEL"]
    masked = run_crop_yield(crop_yield_scene.s2_folder, tmp_path / "lc", parcels, model=model,
                            pixels=True, crop_mask=tmp_path / "lc.tif",
                            crop_classes=OSO_CROPS)
    with rasterio.open(masked["OUTPUT_PIXELS"]) as ds:
        yields = ds.read(1)
    with rasterio.open(result["OUTPUT_PIXELS"]) as ds:
        unmasked = ds.read(1)
    assert (yields[:, west] == -9999).all() and (unmasked[:, west] != -9999).sum() > 1000
    assert (yields[:, ~west] != -9999).sum() == (unmasked[:, ~west] != -9999).sum()
    before = np.array([p["n_pixels"] for p in result["parcels"]])
    after = np.array([p["n_pixels"] for p in masked["parcels"]])
    print(f"\ncrop mask: {before.sum()} parcel pixels averaged without it, {after.sum()} "
          f"with the eastern half; {(after == 0).sum()} of {len(after)} parcels left "
          f"without a pixel")
    assert (after <= before).all() and 0 < after.sum() < 0.7 * before.sum()
    assert all(p["predicted"] is None for p in masked["parcels"] if not p["n_pixels"])
    zero_one = run_crop_yield(crop_yield_scene.s2_folder, tmp_path / "01", parcels,
                              model=model, crop_mask=tmp_path / "01.tif")
    assert [p["n_pixels"] for p in zero_one["parcels"]] == after.tolist()
    with pytest.raises(InputError, match="No pixel of the crop's parcels is in the crop mask"):
        run_crop_yield(crop_yield_scene.s2_folder, tmp_path / "none", parcels, model=model,
                       crop_mask=tmp_path / "none.tif")
