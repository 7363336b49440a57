"""Physics of the independent land cover scene (validation/sims/land_cover.py):
the classes' NDVI seasons are those of the literature, the training
polygons carry the stated label noise, the held-out polygons are clean and
apart, and the scene is deterministic by seed."""
import json
from collections import defaultdict

import numpy as np
import pytest
import rasterio

from chainon.validation.sims.land_cover import (HELD_OUT_SHARE, STRADDLE_SHARE, WRONG_SHARE,
                                                make_scene)

SIZE = 96


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return make_scene(3, tmp_path_factory.mktemp("lc_sim"), size=SIZE)


def read(path):
    with rasterio.open(path) as ds:
        return ds.read(1)


def clear_ndvi_by_month(scene):
    """{class: {month: median NDVI of clear pixels of that class}} from the products."""
    labels = read(scene.truth_dir / "patch_label.tif")
    truth = read(scene.truth_path)
    interior = (labels > 0) & (labels == np.roll(labels, 2, 0)) & (labels == np.roll(labels, -2, 1))
    values = defaultdict(lambda: defaultdict(list))
    for folder in sorted(p for p in scene.s2_folder.iterdir() if p.is_dir()):
        name = folder.name
        clm = read(folder / "MASKS" / f"{name}_CLM_R2.tif")
        b4, b8 = (read(folder / f"{name}_FRE_{b}.tif").astype(float) for b in ("B4", "B8"))
        b4, b8 = (b.reshape(SIZE, 2, SIZE, 2).mean((1, 3)) for b in (b4, b8))   # 10 m -> 20 m
        ndvi = (b8 - b4) / (b8 + b4)
        month = int(name.split("_")[1][4:6])
        ok = interior & (clm == 0)
        for c in np.unique(truth[ok]):
            values[int(c)][month].append(ndvi[ok & (truth == c)])
    return {c: {m: float(np.median(np.concatenate(v))) for m, v in months.items()}
            for c, months in values.items()}


def test_ndvi_seasons_follow_the_crop_calendars_and_forests(scene):
    ndvi = clear_ndvi_by_month(scene)
    peak = {c: max(p, key=p.get) for c, p in ndvi.items()}
    assert peak[6] in (4, 5) and peak[5] in (3, 4, 5)          # winter crops: April-May
    assert peak[10] in (7, 8) and peak[9] in (6, 7, 8)         # summer crops: July-August
    assert ndvi[10][4] < 0.4 and ndvi[10][7] > 0.75            # maize: bare at sowing (April)
    conifer = list(ndvi[17].values())
    assert min(conifer) > 0.7 and max(conifer) - min(conifer) < 0.15   # evergreen, stable
    assert ndvi[16][7] - ndvi[16][1] > 0.3                     # broad-leaved: leafless winter
    assert max(ndvi[23].values()) < 0.1 and max(ndvi[1].values()) < 0.45   # water, town
    assert 55 <= len(scene.dates) <= 70 and len(scene.classes) >= 12


def test_training_labels_are_noisy_at_the_stated_rates(scene):
    train = [r for r in scene.table if not r["held_out"]]
    wrong = [r for r in train if r["noise"] == "wrong"]
    assert len(wrong) == round(WRONG_SHARE * len(train)) > 0
    assert all(r["given"] != r["code"] for r in wrong)
    assert all(r["given"] == r["code"] for r in train if r["noise"] != "wrong")
    assert sum(r["noise"] == "straddle" for r in train) == round(STRADDLE_SHARE * len(train))
    given = [f["properties"]["code"] for f in
             json.loads(scene.reference_path.read_text())["features"]]
    assert sorted(given) == sorted(r["given"] for r in train)


def test_held_out_polygons_are_clean_and_apart(scene):
    held = [r for r in scene.table if r["held_out"]]
    labels, truth = read(scene.truth_dir / "patch_label.tif"), read(scene.truth_path)
    assert all(r["noise"] == "" for r in held)
    for r in held:
        assert set(np.unique(truth[labels == r["label"]])) == {r["code"]}
    share = len(held) / len(scene.table)
    assert HELD_OUT_SHARE - 0.05 <= share <= HELD_OUT_SHARE + 0.15
    assert {r["code"] for r in held} == set(scene.classes)     # every class is validated
    codes = [f["properties"]["code"] for f in
             json.loads(scene.held_out_path.read_text())["features"]]
    assert sorted(codes) == sorted(r["code"] for r in held)


def test_deterministic_by_seed(tmp_path):
    a = make_scene(1, tmp_path / "a", size=48)
    b = make_scene(1, tmp_path / "b", size=48)
    c = make_scene(2, tmp_path / "c", size=48)
    assert a.reference_path.read_text() == b.reference_path.read_text()
    assert a.dates == b.dates and a.table == b.table
    assert a.dates != c.dates or a.table != c.table
    name = sorted(p.name for p in a.s2_folder.iterdir())[3]
    band = f"{name}/{name}_FRE_B8A.tif"
    assert np.array_equal(read(a.s2_folder / band), read(b.s2_folder / band))
