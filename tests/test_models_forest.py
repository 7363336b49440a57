"""The saved model chaining land cover into forest cuts and forest height
(forest mask from classes 16-17 of the land cover it makes)."""
from datetime import date, timedelta

import numpy as np
import processing
import rasterio

from chainon.core.scenes.forest_height import make_forest_chain_scene
from test_models import load

SIZE, SEED = 120, 0
EPOCH = date(2018, 1, 1)          # forest cuts' day 0


def read(path, shape=None):
    """Band 1 and nodata; onto `shape` (nearest) when given: forest height maps
    at 10 m, the land cover and the truth at 20 m."""
    with rasterio.open(path) as ds:
        return ds.read(1, out_shape=shape, resampling=rasterio.enums.Resampling.nearest), \
            ds.nodata


def test_land_cover_into_forest_cuts_and_height(provider, tmp_path):
    model = load("forest_cuts_and_height_from_land_cover.model3")
    keys = {"land_cover:land_cover": "lc.tif", "forest_cuts:forest_cuts": "cuts.tif",
            "forest_height:forest_height": "height.tif", "forest_height:biomass": "agb.tif"}
    result = processing.run(model, {"size": SIZE, "seed": SEED,
                                    **{k: str(tmp_path / v) for k, v in keys.items()}})
    # the scene the model's sample data wrote (deterministic from the seed), for its truth
    scene = make_forest_chain_scene(tmp_path / "scene", seed=SEED, size=SIZE)
    classes, _ = read(result["land_cover:land_cover"])
    forest = np.isin(classes, (16, 17))
    true_forest = read(scene.forest_mask)[0] == 1
    print(f"land cover: forest found on {forest.sum()} px, {(forest == true_forest).mean():.3f} "
          "agreement with the true forest")
    assert forest.any() and (forest == true_forest).mean() > 0.8

    height, nodata = read(result["forest_height:forest_height"], forest.shape)
    mapped = height != nodata
    truth, truth_nodata = read(scene.height_truth)
    lo, hi = truth[truth != truth_nodata].min(), truth[truth != truth_nodata].max()
    print(f"heights {height[mapped].min():.1f}-{height[mapped].max():.1f} m, truth "
          f"{lo:.1f}-{hi:.1f} m")
    assert not (mapped & ~forest).any() and mapped[forest].mean() > 0.95
    # the ridge trend may carry a few pixels past the trained heights (0-50 m clip)
    p1, p99 = np.percentile(height[mapped], [1, 99])
    assert lo <= p1 and p99 <= hi and 0 <= height[mapped].min() and height[mapped].max() <= 50
    agb, agb_nodata = read(result["forest_height:biomass"], forest.shape)
    assert ((agb != agb_nodata) == mapped).all() and (agb[mapped] > 0).all()

    days, _ = read(result["forest_cuts:forest_cuts"])
    detected = (days > 0) & (days != 65535)
    assert not ((days != 65535) & ~forest).any()          # only the forest the land cover found
    cut_ids = read(scene.truth_dir / "cut_ids.tif")[0]
    found = [c for c in scene.cuts if detected[cut_ids == c["id"]].mean() > 0.3]
    first = {c["id"]: EPOCH + timedelta(int(np.median(days[(cut_ids == c["id"]) & detected])))
             for c in found}
    print(f"{len(found)} of {len(scene.cuts)} cuts found; detected pixels in true cuts: "
          f"{(cut_ids[detected] > 0).mean():.3f}; delays (days): "
          f"{[(first[c['id']] - c['date']).days for c in found]}")
    assert scene.cuts and len(found) >= 0.75 * len(scene.cuts)
    assert (cut_ids[detected] > 0).mean() > 0.8
    assert all(0 <= (first[c["id"]] - c["date"]).days <= 90 for c in found)
