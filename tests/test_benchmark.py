"""tools/benchmark.py, the table of `make benchmark`, on tiny scenes so that
it cannot rot (the real run takes over an hour: `make benchmark`)."""
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_tool(name):
    """tools/<name>.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_table_on_tiny_scenes(tmp_path, capsys):
    bench = load_tool("benchmark")
    rc = bench.main(["--products", "mowing_date", "--size", "32", "--no-details",
                     "--work", str(tmp_path), "--json", str(tmp_path / "table.json")])
    out = capsys.readouterr().out
    assert rc == 0, out
    row = next(line for line in out.splitlines() if line.startswith("| mowing_date |"))
    assert "5490² px at 20 m" in row and "failed" not in row
    figures = json.loads((tmp_path / "table.json").read_text())["mowing_date"]
    assert figures["cpu"] > 0 and figures["read_cpu"] > 0 and 0 < figures["peak"]
    assert figures["dates"] > 10


def test_extrapolation_is_linear_in_area_and_never_below_the_measure():
    bench = load_tool("benchmark")
    small = {"px": 100, "run": {"cpu": 2.0}}
    big = {"px": 400, "run": {"cpu": 5.0}}
    assert bench.extrapolate(small, big, "run", "cpu", 1000) == 11.0   # 1 + 0.01 per px
    big["run"]["cpu"] = 1.5                                            # noise: smaller
    assert bench.extrapolate(small, big, "run", "cpu", 1000) == 1.5
