"""The validation report's HTML twin, for the Processing Results Viewer."""
from pathlib import Path

from chainon.algorithms.reports import KEY, with_html_report

TEXT = "Validation\n==========\nRMSE: 1.0 t/ha\n"


def test_html_twin_never_overwrites_the_report(tmp_path):
    """A report already named .html was overwritten by its own twin."""
    for name, twin in (("a_validation.txt", "a_validation.html"),
                       ("b.html", "b.report.html"), ("c.HTML", "c.report.html")):
        report = tmp_path / name
        report.write_text(TEXT, encoding="utf-8")
        outputs = with_html_report({"OUTPUT_REPORT": str(report)})
        assert report.read_text(encoding="utf-8") == TEXT
        assert Path(outputs[KEY]) == tmp_path / twin
        assert "<table>" in (tmp_path / twin).read_text(encoding="utf-8")


def test_html_twin_named_in_the_help(provider):
    for alg in ("land_cover", "mowing_date", "crop_yield", "irrigation", "forest_height"):
        assert ".report.html" in provider.algorithm(alg).shortHelpString(), alg
