"""chainon:irrigation read per declared crop: features relative to the
parcels of the same crop, wetting events not explained by rain (Bazzi et
al. 2020), and the mapping model chosen by repeated cross-validation that
keeps all sources unless another model is clearly better."""
import numpy as np
import pytest

from chainon.core.errors import InputError
from chainon.core.irrigation import (JUMP_DB, MIN_GROUP, Table, crop_groups, pick,
                                     wetting_events, with_crops)


def test_crop_groups_fall_back_to_the_crop_over_the_area():
    crops = ["maize"] * (MIN_GROUP + 1) + ["wheat"] * 2 + ["maize"]
    region = np.array([0.0] * (MIN_GROUP + 3) + [1.0])
    group = crop_groups(crops, region)
    assert len(set(group[:MIN_GROUP + 1])) == 1          # enough maize in region 0
    assert group[-1] == "maize" and group[MIN_GROUP + 1] == "wheat"   # too few: the crop


def test_wetting_events_only_without_rain_and_above_the_crop():
    # 4 intervals x 6 parcels of one crop; parcel 0 jumps 3 dB on every interval
    jumps = np.zeros((4, 6))
    jumps[:, 0] = 3.0
    rain = np.zeros((4, 6))
    rain[2:, 0] = 20.0                                   # rain before the last two jumps
    share, excess = wetting_events(jumps, rain, np.array(["maize"] * 6))
    assert share[0] == 1.0 and excess[0] == pytest.approx(3.0)   # two dry intervals, two events
    assert (share[1:] == 0).all()
    # the whole crop wetting together (a rain the rasters missed) is no event
    share, _ = wetting_events(jumps + 2 * JUMP_DB, np.zeros((4, 6)), np.array(["maize"] * 6))
    assert share[1:].max() == 0
    # no dry interval, or no rain known: not enough data, never an event
    share, excess = wetting_events(jumps, np.full((4, 6), np.nan), np.array(["maize"] * 6))
    assert np.isnan(share).all() and np.isnan(excess).all()


def test_features_relative_to_the_crop_and_the_crop_itself():
    x = np.array([[1.0, 5.0], [3.0, 5.0], [10.0, 5.0], [20.0, 6.0]])
    table = Table(x, ["A", "B"], np.array(["S2", "S1"]))
    crops = ["maize", "maize", "maize", "wheat"]
    out = with_crops(table, crops, np.array(crops), (np.zeros(4), np.zeros(4)))
    rel = out.x[:, out.names.index("A_CROP")]
    assert rel.tolist() == [-2.0, 0.0, 7.0, 0.0]        # minus the crop's median
    assert out.source[out.names.index("A_CROP")] == "S2"
    assert out.x[:, out.names.index("CROP_wheat")].tolist() == [0, 0, 0, 1]
    assert set(out.source[[out.names.index(n) for n in ("WET_EVENTS", "WET_EXCESS")]]) == {"RAIN"}


def test_all_sources_map_unless_another_model_is_clearly_better():
    scores = {"S1 + S2 + rain": dict(cv_oa=0.86, cv_se=0.01),
              "S2 only": dict(cv_oa=0.865, cv_se=0.01), "S1 only": dict(cv_oa=0.80, cv_se=0.01)}
    assert pick(scores) == "S1 + S2 + rain"              # within one standard error
    scores["S2 only"]["cv_oa"] = 0.90
    assert pick(scores) == "S2 only"                     # clearly better
    scores["S1 + S2 + rain"]["cv_oa"] = float("nan")     # cannot be scored
    assert pick(scores) == "S2 only"


def test_crops_of_another_length_refused(tmp_path):
    from chainon.core.irrigation import run_irrigation
    from chainon.core.scenes.irrigation import make_irrigation_scene
    from chainon.core.training import read_geojson, reference_from_features
    scene = make_irrigation_scene(tmp_path / "scene", seed=0, size=40)
    features, crs = read_geojson(scene.parcels_path)
    labels = reference_from_features(features, "irrigated", crs, numeric=False)
    with pytest.raises(InputError, match="crops given for .* parcels"):
        run_irrigation(scene.s2_folder, scene.s1_folder, scene.rain_path, labels, tmp_path,
                       crops=["maize"])
