"""Every product as a national job over real HTTP: a tiny simulated lake of
two tiles per product (its own scene generator, core.scenes.lake), one
service, the Lambert-93 mosaic checked for plausible values; and a tile
lacking an ancillary file failing with a message naming it."""
import subprocess
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
import rasterio

from chainon.core.catalog import PRODUCTS
from chainon.core.forest_cuts import EPOCH
from chainon.core.products import LAKE_FILES, main_outputs
from backend_testlib import PY, ROOT, Server, add_user
from ogc_client import OgcClient

# product: (tiles of one row of the grid, scene options, job parameters); the
# smallest scenes that still train, and light models to stay fast.
CASES = {
    "land_cover": (("31TCJ", "31TDJ"), dict(size=48, revisit_days=10), {"n_trees": 10}),
    "mowing_date": (("31UDQ", "31UEQ"), dict(size=48, revisit_days=10), {}),
    "crop_yield": (("31UDP", "31UEP"), dict(size=48, revisit_days=10, parcel_px=(20, 60)),
                   {"n_trees": 20, "crop": "BTH"}),
    "crop_carbon": (("31TCH", "31TDH"), dict(size=48, revisit_days=10),
                    {"ensemble_size": 500}),
    "forest_cuts": (("31TEJ", "31TFJ"), dict(size=48, years=1), {"db": False}),
    "forest_height": (("31TCK", "31TDK"), dict(size=64), {"n_trees": 20}),
    "irrigation": (("31TEK", "31TFK"), dict(size=48), {"n_trees": 20}),
}
NO_LAND_COVER = "31TGJ"        # a forest_cuts tile whose land cover is missing


def _make(product, root, tiles, options):
    """One product's tiles (in a worker process); returns the period."""
    from backend.tiles import grid
    from chainon.core.scenes.lake import make_lake
    scenes = make_lake(product, root, {t: grid()[t].origin for t in tiles}, seed=2, **options)
    scene = next(iter(scenes.values()))
    return scene.start, scene.end


@pytest.fixture(scope="module")
def periods(tmp_path_factory):
    """One lake holding every product, each on its own tiles."""
    root = tmp_path_factory.mktemp("products_lake")
    jobs = {p: (p, root, tiles, options) for p, (tiles, options, _) in CASES.items()}
    tiles, options, _ = CASES["forest_cuts"]
    jobs["missing"] = ("forest_cuts", root, (NO_LAND_COVER,), options)
    with ProcessPoolExecutor(2) as pool:
        futures = {k: pool.submit(_make, *args) for k, args in jobs.items()}
        found = {k: f.result() for k, f in futures.items()}
    (root / "tiles" / NO_LAND_COVER / LAKE_FILES["LAND_COVER"]).unlink()
    return root, found


@pytest.fixture(scope="module")
def submitted(periods, tmp_path_factory):
    """The service, and every job submitted at once: {case: job location}."""
    root, found = periods
    folder = tmp_path_factory.mktemp("products_api")
    server = Server(folder, root, f"sqlite:///{folder / 'jobs.sqlite'}", workers=2).start()
    client = OgcClient(server.url, add_user(server.store_url, "carol"))
    jobs = {}
    for product, (tiles, _, params) in CASES.items():
        start, end = found[product]
        jobs[product] = client.submit(product, {"area": list(tiles), "start": str(start),
                                                "end": str(end), **params})
    start, end = found["missing"]
    jobs["missing"] = client.submit("forest_cuts", {
        "area": [CASES["forest_cuts"][0][0], NO_LAND_COVER], "start": str(start),
        "end": str(end)})
    yield client, jobs, found
    server.stop()


def _plausible(product, start, end):
    """(output key, test of the mosaic's valid values)."""
    out = main_outputs(product)[0]
    if out.kind == "classes":
        codes = {c[0] for c in out.classes}
        return out.key, lambda v: set(np.unique(v)) <= codes
    days = {"mowing_date": (start.timetuple().tm_yday, end.timetuple().tm_yday),
            "forest_cuts": ((start - EPOCH).days, (end - EPOCH).days)}
    if product in days:                  # 0: not mown, or no cut
        lo, hi = days[product]
        return out.key, lambda v: (v[v > 0].size > 0 and lo <= v[v > 0].min()
                                   and v.max() <= hi)
    bounds = {"crop_yield": (1, 15), "crop_carbon": (0.5, 40), "forest_height": (1, 60)}
    lo, hi = bounds[product]
    return out.key, lambda v: lo <= v.min() and v.max() <= hi


@pytest.mark.parametrize("product", list(CASES))
def test_national_job(submitted, product, tmp_path):
    client, jobs, found = submitted
    status = client.wait(jobs[product], timeout=110)
    assert status["status"] == "successful", status
    assert status["tiles"]["done"] == 2 and status["tiles"]["failed"] == 0, status
    results = client.results(jobs[product]).json()
    assert set(results["tiles"]["value"]) == set(CASES[product][0])
    assert {o.key for o in main_outputs(product)} <= set(results)
    key, plausible = _plausible(product, *found[product])
    path = tmp_path / "mosaic.tif"
    path.write_bytes(client.get(results[key]["href"]).content)
    with rasterio.open(path) as mosaic:
        assert mosaic.crs.to_epsg() == 2154 and mosaic.overviews(1)
        data = mosaic.read(1)
        values = data[data != mosaic.nodata]
    # Both tiles' pixels are in the mosaic (each tile is 48-64 px of 10-20 m).
    assert values.size > 2 * 0.2 * 48 ** 2, values.size
    assert plausible(values), (product, values.min(), values.max())


def test_missing_ancillary_file_fails_that_tile(submitted):
    client, jobs, _ = submitted
    status = client.wait(jobs["missing"], timeout=110)
    assert status["status"] == "successful", status
    [failure] = status["tiles"]["failures"]
    assert failure["tile"] == NO_LAND_COVER
    assert failure["error"].startswith(f"The data lake has no LAND_COVER for tile "
                                       f"{NO_LAND_COVER}: ")
    assert failure["error"].endswith("LAND_COVER/land_cover.tif is missing.")
    assert status["tiles"]["done"] == 1


def test_product_parameters_are_the_dataclass_fields():
    """Numbers, strings, booleans and class lists reach the product's dataclass."""
    from backend.errors import InvalidInput
    from backend.processes import inputs_of, parse_execute
    from chainon.core.products import make_params
    assert {"n_trees", "max_depth", "step_days"} <= set(inputs_of(PRODUCTS["land_cover"]))
    base = {"area": ["31TCJ"], "start": "2020-01-01", "end": "2020-06-30"}
    job = parse_execute("forest_height", {"inputs": {**base, "n_trees": 7,
                                                     "conifer_classes": [17, 18]}})
    params = make_params("forest_height", job["params"])
    assert (params.n_trees, params.conifer_classes) == (7, (17.0, 18.0))
    land = make_params("land_cover", {"n_trees": 5, "seed": 3})
    assert (land.forest.n_trees, land.forest.max_depth, land.seed) == (5, 25, 3)
    for product, bad in (("crop_yield", {"crop": 6}), ("forest_cuts", {"db": "yes"}),
                         ("crop_carbon", {"ensemble_size": 10.5})):
        with pytest.raises(InvalidInput):
            parse_execute(product, {"inputs": {**base, **bad}})


def test_simulate_lake_command_for_a_product(tmp_path):
    cmd = [PY, "-m", "backend", "simulate-lake", str(tmp_path), "--product", "mowing_date",
           "--tiles", "T32TNN", "--size", "24", "--year", "2021"]
    done = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    assert "period 2021-03-01 2021-10-31" in done.stdout
    tile = tmp_path / "tiles" / "32TNN"
    assert (tile / LAKE_FILES["LAND_COVER"]).is_file()
    assert all("_L2A_T32TNN_" in p.name for p in (tile / "S2").iterdir())
    bad = subprocess.run(cmd[:-2] + ["--start", "2021-01-01"], cwd=ROOT, capture_output=True,
                         text=True)
    assert bad.returncode == 1 and "mowing_date scenes take no start" in bad.stderr
