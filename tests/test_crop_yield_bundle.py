"""Model bundles saved before the model family moved to core/yield_models.py
(they pickle classes under chainon.core.crop_yield) still load and predict
the same numbers. The fixture was saved by the code of that time."""
import json
from pathlib import Path

import numpy as np

from chainon.core.training import load_model

DATA = Path(__file__).parent / "data"


def test_bundle_saved_before_the_split_predicts_the_same():
    bundle = load_model(DATA / "crop_yield_bundle_v1.joblib", "crop_yield")
    expected = json.loads((DATA / "crop_yield_bundle_v1.json").read_text())
    x = np.array(expected["x"], "float32")
    for name, model in bundle["models"].items():
        np.testing.assert_array_equal(model.predict(x), expected["predicted"][name])
