"""tools/diagnose_crop_carbon.py reads what the product assimilated."""
import numpy as np

from test_benchmark import load_tool


def test_the_decomposition_sees_the_parcels_the_product_assimilated(tmp_path):
    """--decompose feeds the assimilation other GAI series on the parcels the
    product saw; it saw none (a KeyError) once the product called its own
    import of `assimilate` with the refinement's arguments."""
    tool = load_tool("diagnose_crop_carbon")
    scene, result, seen = tool.captured_run(0, tmp_path)
    obs = seen["obs"]
    assert obs.shape == seen["sigma"].shape == (len(seen["cells"]), len(result["dates"]))
    seen_enough = np.isfinite(obs).sum(axis=1) >= tool.ca.MIN_CLEAR_DATES
    assert seen_enough.sum() >= 10      # the scene's ~30 parcels, most of them wheat
    # the same call again gives every parcel seen enough an estimate
    again = tool.ca.assimilate(seen["luts"], seen["cells"], obs, seen["sigma"], refine=True)
    assert np.isfinite(again[seen_enough, 0]).all()
