"""GEDI reader: shots held in memory are bounded whatever the number of
granules (issue 13), by a uniform reservoir sample."""
from datetime import datetime

import numpy as np
from rasterio.warp import transform

from chainon.core import gedi
from chainon.core.gedi import GEDI_EPOCH, Reference, read_gedi, write_granule
from chainon.core.grid import Grid

GRID = Grid("EPSG:32631", 300000.0, 4900020.0, 20.0, 100, 100)


def _granules(folder, n_granules, n_shots):
    """Granules of good shots inside GRID; shot k of granule g is g * 1000 + k m
    tall (an id; the tests widen the 50 m height filter)."""
    rng = np.random.default_rng(0)
    for g in range(n_granules):
        x = rng.uniform(300100, 301900, n_shots)
        y = rng.uniform(4898100, 4899900, n_shots)
        lon, lat = transform(GRID.crs, "EPSG:4326", x, y)
        rh = np.zeros((n_shots, 101))
        rh[:, 98] = g * 1000 + np.arange(n_shots)
        write_granule(folder / f"GEDI02_A_2020{183 + g}000000_O0{g}_02_T0_02_003_01_V002.h5",
                      {"BEAM0101": dict(
                          lon=lon, lat=lat, rh=rh, quality_flag=np.ones(n_shots),
                          degrade_flag=np.zeros(n_shots), sensitivity=np.full(n_shots, 0.99),
                          delta_time=np.full(n_shots, (datetime(2020, 7, 1)
                                                       - GEDI_EPOCH).total_seconds()),
                          leaf_off_flag=np.zeros(n_shots))})
    return folder


def test_shots_held_are_capped_and_sampled_from_every_granule(tmp_path, monkeypatch):
    folder = _granules(tmp_path, 4, 60)
    filters = gedi.GediFilters(max_height=1e6)
    whole = read_gedi(folder, GRID, filters)
    assert whole.height.size == 240
    monkeypatch.setattr(gedi, "MAX_SHOTS", 50)
    messages = []
    ref = read_gedi(folder, GRID, filters, warn=messages.append)
    assert ref.height.size == 50 and np.unique(ref.height).size == 50
    assert set(ref.height) <= set(whole.height)
    assert set(ref.height // 1000) == {0, 1, 2, 3}           # every granule sampled
    assert ref.ground.size == ref.geo_err.size == ref.x.size == 50
    assert any("240 GEDI shots" in m for m in messages)
    again = read_gedi(folder, GRID, filters)
    assert np.array_equal(ref.height, again.height)           # seeded


def test_reservoir_is_uniform_and_holds_at_most_its_size_between_granules():
    def part(first, n):
        v = np.arange(first, first + n, dtype="float64")
        return Reference(v, v, v, "GEDI", v, v)
    counts = np.zeros(100)
    for seed in range(400):
        sample = gedi._Reservoir(20, seed)
        for first in range(0, 100, 25):       # four granules of 25 shots
            sample.add(part(first, 25))
            held = sum(p.height.size for p in sample.parts)
            assert held == sample.keys.size == min(sample.seen, 20)
        ref = sample.reference()
        assert ref.height.size == 20 and np.array_equal(ref.x, ref.height)
        counts[ref.height.astype(int)] += 1
    share = counts / 400                       # 0.2 for every shot if uniform
    assert abs(share[:50].mean() - share[50:].mean()) < 0.03 and share.min() > 0.1
