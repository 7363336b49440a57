"""chainon:irrigation read per declared crop: features relative to the
parcels of the same crop, wetting events not explained by rain (Bazzi et
al. 2020), the late fusion of the sources (never below its best source,
above it where the sources are complementary), and the mapping model chosen
by repeated cross-validation that keeps the fusion unless another model is
clearly better."""
from datetime import date, timedelta

import numpy as np
import pytest

from chainon.core.errors import InputError
from chainon.core.irrigation import IrrigationParams
from chainon.core.irrigation_features import (JUMP_DB, MIN_GROUP, Table, _assembled, _crop_parts,
                                              antecedent_index, crop_groups, joint_features,
                                              wetting_events)
from chainon.core.irrigation_models import FUSED, fit_models, pick


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


def test_wetting_events_where_the_radar_sees_the_soil_and_when_it_always_rains():
    jumps = np.zeros((4, 6))
    jumps[:, :2] = 3.0                                   # parcels 0 and 1 wetted every time
    soil_seen = np.ones((4, 6), bool)
    soil_seen[:, 1] = False                              # parcel 1 under a closed canopy
    share, _ = wetting_events(jumps, np.zeros((4, 6)), np.array(["maize"] * 6), soil_seen)
    assert share[0] == 1.0 and np.isnan(share[1])        # not counted: no evidence
    # rain known but never dry (or rain that only says where): every interval
    share, _ = wetting_events(jumps, np.full((4, 6), 20.0), np.array(["maize"] * 6))
    assert share[0] == 1.0 and (share[2:] == 0).all()


def test_joint_features_read_sentinel2_against_dry_spells():
    """NDWI above the crop's on dry dates, and its rises between clear dates
    with no rain between, count; the same rise just after a storm does not."""
    dates = [date(2020, 6, 1) + timedelta(10 * i) for i in range(4)]
    rain = np.zeros((1, 31))
    rain[0, 15] = 30.0                                   # a storm between dates 1 and 2
    api = antecedent_index(rain)
    total = np.concatenate([np.zeros((1, 1)), np.cumsum(rain, axis=1)], axis=1)
    means = np.full((3, 4, 6), 0.5)
    means[2, 1, 0] = 0.7                                 # parcel 0 wetted in a dry spell
    means[2, 2, 1] = 0.7                                 # parcel 1 wet after the storm
    x, names = joint_features(means, np.ones((4, 6), bool), dates, api, total,
                              lambda ds: np.array([(d - dates[0]).days for d in ds]),
                              np.zeros(6, "int64"), np.zeros(6), (np.zeros(6), np.zeros(6)))
    dry, rise = x[:, names.index("NDWI_DRY")], x[:, names.index("NDWI_RISE_DRY")]
    assert dry[0] > 0 and rise[0] > 0
    assert dry[1] == 0 and rise[1] == 0 and (x[2:] == 0).all()
    assert np.isfinite(x).all()


def test_features_relative_to_the_crop_and_the_crop_itself():
    x = np.array([[1.0, 5.0], [3.0, 5.0], [10.0, 5.0], [20.0, 6.0]])
    table = Table(x, ["A", "B"], np.array(["S2", "S1"]))
    crops = ["maize", "maize", "maize", "wheat"]
    parts = _crop_parts(table, crops, np.array(crops), (np.zeros(4), np.zeros(4)))
    out = _assembled(parts, "float64")
    rel = out.x[:, out.names.index("A_CROP")]
    assert rel.tolist() == [-2.0, 0.0, 7.0, 0.0]        # minus the crop's median
    assert out.source[out.names.index("A_CROP")] == "S2"
    assert out.x[:, out.names.index("CROP_wheat")].tolist() == [0, 0, 0, 1]
    assert set(out.source[[out.names.index(n) for n in ("WET_EVENTS", "WET_EXCESS")]]) == {"RAIN"}


def test_assembled_columns_must_match_the_announced_count():
    """A column announced but never written would hold uninitialised numbers."""
    part = (np.ones((2, 1)), ["A"], np.array(["S2"]))
    assert _assembled(iter([part]), "float32", 1).x.tolist() == [[1.0], [1.0]]
    with pytest.raises(ValueError):
        _assembled(iter([part]), "float32", 2)


def test_the_fusion_maps_unless_another_model_is_clearly_better():
    scores = {FUSED: dict(cv_oa=0.86, cv_se=0.01),
              "S2 only": dict(cv_oa=0.865, cv_se=0.01), "S1 only": dict(cv_oa=0.80, cv_se=0.01)}
    assert pick(scores) == FUSED                         # within one standard error
    scores["S2 only"]["cv_oa"] = 0.90
    assert pick(scores) == "S2 only"                     # clearly better
    scores[FUSED]["cv_oa"] = float("nan")                # cannot be scored
    assert pick(scores) == "S2 only"


def _sources(rng, n, informative_s2, informative_s1, noise_features=8, strength=1.5):
    """A table of n parcels: 4 S2, 4 S1 and 2 RAIN features; a source carries
    the class (plus noise) on the parcels where `informative_*` is True and
    only noise elsewhere."""
    y = rng.integers(0, 2, n)
    signal = np.where(y == 1, 1.0, -1.0)[:, None]

    def block(k, informative):
        return rng.normal(0, 1, (n, k)) + np.where(informative[:, None], strength * signal, 0)
    x = np.hstack([block(4, informative_s2), block(noise_features, informative_s1),
                   rng.normal(0, 1, (n, 2))])
    source = np.array(["S2"] * 4 + ["S1"] * noise_features + ["RAIN"] * 2)
    return Table(x, [f"f{k}" for k in range(x.shape[1])], source), y


def _held_out_oa(table, y, n_fit):
    models = fit_models(table, table.x[:n_fit], y[:n_fit], IrrigationParams(n_trees=60), 1)
    return {name: np.mean((m.proba(table.x[n_fit:]) > 0.5) == y[n_fit:])
            for name, m in models.items()}


def test_fusion_adds_where_the_sources_are_complementary():
    # Sentinel-2 tells the class on half of the parcels (cloud-free ones),
    # Sentinel-1 on the other half: each source alone is right on ~3/4
    rng = np.random.default_rng(0)
    half = np.arange(400) % 2 == 0
    table, y = _sources(rng, 400, half, ~half, noise_features=4)
    oa = _held_out_oa(table, y, 250)
    assert oa[FUSED] >= max(oa["S2 only"], oa["S1 only"]) + 0.05, oa


def test_fusion_not_below_its_best_source_when_the_others_are_noise():
    # one weak informative source among 120 noise features: one forest on all
    # the features dilutes it (0.80 against 0.82 here), the fusion does not
    rng = np.random.default_rng(1)
    table, y = _sources(rng, 400, np.ones(400, bool), np.zeros(400, bool), noise_features=120,
                        strength=0.6)
    oa = _held_out_oa(table, y, 160)
    assert oa[FUSED] >= oa["S2 only"] - 0.01, oa


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


def test_products_pass_the_declared_crops_and_map_unlabelled_parcels(tmp_path, monkeypatch):
    """The backend run reads the RPG crop (CODE_CULTU) of every parcel, in the
    order of the labels, and keeps the parcels without a label (mapped, not
    trained on)."""
    from chainon.core import products
    from chainon.core.training import write_geojson
    square = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 0]]]}
    features = [{"type": "Feature", "geometry": square, "properties": p} for p in (
        {"irrigated": 1, "CODE_CULTU": "MIS"}, {"irrigated": None, "CODE_CULTU": "TRN"},
        {"irrigated": 0, "CODE_CULTU": "BTH"})]
    features.insert(1, {"type": "Feature", "geometry": None,
                        "properties": {"irrigated": 1, "CODE_CULTU": "SOJ"}})
    path = tmp_path / "parcels.geojson"
    write_geojson(path, features, "EPSG:2154")
    got = {}
    monkeypatch.setattr(products, "run_irrigation",
                        lambda *a, **k: got.update(labels=a[3], crops=k.get("crops")))
    products._irrigation(dict(PARCELS=path, S2=None, S1=None, METEO=None), tmp_path, None,
                         None, None, None)
    assert got["crops"] == ["MIS", "TRN", "BTH"]
    assert got["labels"].values == [1, None, 0]
    features = [dict(f, properties={"irrigated": 1}) for f in features]
    write_geojson(path, features, "EPSG:2154")
    products._irrigation(dict(PARCELS=path, S2=None, S1=None, METEO=None), tmp_path, None,
                         None, None, None)
    assert got["crops"] is None                          # no crop field: not read per crop


def test_margin_cross_validated_over_every_labelled_parcel_against_the_truth():
    """The robustness margin scores every labelled parcel REPEATS times out of
    fold, against the truth (not the labels it learnt), and never parcels
    without a label or without data."""
    from chainon.validation import irrigation as runner
    rng = np.random.default_rng(2)
    table, y = _sources(rng, 120, np.ones(120, bool), np.zeros(120, bool), noise_features=4)
    truth = y.copy()
    labels = y.copy()
    labels[:6] = 1 - labels[:6]                          # wrong labels: learnt, never scored
    usable = np.ones(120, bool)
    usable[-10:] = False                                 # unlabelled parcels: not scored
    oa = runner.cross_validated_oa(table, labels, usable, truth, IrrigationParams(n_trees=30))
    assert set(oa) >= {FUSED, "S1 only", "S2 only"}
    n = runner.REPEATS * usable.sum()
    assert all(abs(v * n - round(v * n)) < 1e-9 for v in oa.values())   # whole decisions
    assert oa["S2 only"] > 0.85 and oa["S1 only"] < 0.7  # S2 carries the class, S1 noise
