"""tools/robustness.py's --scene: scenes drawn with settings
the runners do not use (the figures are in the README)."""
import functools
from datetime import date

import pytest

from test_benchmark import load_tool


def _tool():
    return load_tool("robustness")


def test_scene_settings_reach_the_independent_simulator():
    tool = _tool()
    settings = tool.parse_scene(["revisit_days=10", "start=2021-04-01", "share=0.5"])
    assert settings == {"revisit_days": 10, "start": date(2021, 4, 1), "share": 0.5}
    from chainon.validation.sims import grassland
    original, seen = grassland.make_scene, {}
    grassland.make_scene = functools.wraps(original)(lambda *args, **kwargs: seen.update(kwargs))
    try:
        with tool.scene_settings("mowing_date", {"revisit_days": 10}):
            grassland.make_scene("scene", 0, size=160, revisit_days=5)
    finally:
        grassland.make_scene = original
    assert seen == {"size": 160, "revisit_days": 10}


def test_a_setting_the_simulator_does_not_take_is_refused():
    tool = _tool()
    from chainon.validation.sims import snow
    original = snow.make_scene
    with pytest.raises(SystemExit, match="takes no revisit_days"):
        with tool.scene_settings("snow_cover", {"revisit_days": 10}):
            pass
    assert snow.make_scene is original


def test_scene_settings_reach_the_project_simulator():
    tool = _tool()
    for name in tool.SCENE_FUNCTIONS:       # every product's scene functions
        for simulator in tool.PACKAGES:
            module, function = tool.scene_function(name, simulator)
            assert callable(getattr(module, function))
    from chainon.core.scenes import crop_carbon
    original, seen = crop_carbon.make_crop_carbon_scene, {}
    crop_carbon.make_crop_carbon_scene = functools.wraps(original)(
        lambda *args, **kwargs: seen.update(kwargs))
    try:
        with tool.scene_settings("crop_carbon", {"revisit_days": 3}, "project"):
            crop_carbon.make_crop_carbon_scene("scene", seed=0, size=96)
    finally:
        crop_carbon.make_crop_carbon_scene = original
    assert seen == {"seed": 0, "size": 96, "revisit_days": 3}


def test_sen2cor_replaces_every_theia_product_of_a_drawn_scene(tmp_path):
    """--sen2cor: the scene the runner gets holds Sen2Cor products only."""
    tool = _tool()
    from chainon.core.theia import TheiaProduct, find_products
    from chainon.core.scenes import snow
    with tool.scene_settings("snow_cover", {}, "project", sen2cor=True):
        scene = snow.make_snow_scene(tmp_path, size=40, start=date(2018, 1, 1),
                                     end=date(2018, 1, 11))
    products = find_products(scene.s2_folder)
    assert products and not any(isinstance(p, TheiaProduct) for p in products)
    assert all(p.path.suffix == ".SAFE" for p in products)
