"""backend.benchmark's France-wide projection from tools/benchmark.py's table
(the benchmark itself takes minutes: `make benchmark`)."""
from backend.benchmark import project_from_table
from backend.tiles import grid


def test_france_wide_cpu_hours_are_tiles_times_the_tile_cpu(capsys):
    table = {"snow_cover": dict(cpu=1800.0, extrapolated=True, dates=73,
                                basis="5490² px at 20 m from 384² and 768² px",
                                period="2017-09-01 to 2018-08-31")}
    project_from_table(table, ["snow_cover", "irrigation"])
    out = capsys.readouterr().out
    hours = len(grid()) * 0.5
    assert "snow_cover: 0.50 CPU-h per tile (extrapolated" in out
    assert f"-> {hours:.0f} CPU-h for France" in out
    assert "irrigation: not in the table" in out
    assert f"all products: {hours:.0f} CPU-h" in out

