"""Validation reports as HTML for the Processing Results Viewer, written
beside the text report (itself beside the main output): figures of merit,
per-class table and confusion matrix as the text report gives them."""
from html import escape
from pathlib import Path

from qgis.core import QgsProcessingOutputHtml

from .i18n import tr

KEY = "OUTPUT_REPORT_HTML"


def html_output():
    return QgsProcessingOutputHtml(KEY, tr("Validation report"))


def html_help():
    return tr("The validation report as HTML, shown in the Results Viewer: written beside "
              "the text report, under its name ending in .html (in .report.html when the "
              "text report's name already ends in .html: it is never overwritten).")


def html_path(text_path):
    """The HTML twin's path: never the text report's own (help: html_help)."""
    p = Path(text_path)
    return p.with_suffix(".report.html" if p.suffix.lower() == ".html" else ".html")


def report_html(text):
    """The text report in HTML: its title as a heading, "name: value" lines
    as a table of figures, the other blocks (tables) kept aligned."""
    blocks = [b for b in text.strip().split("\n\n") if b.strip()]
    lines = blocks[0].splitlines() if blocks else [""]
    title = lines[0]
    body = ["<h2>{}</h2>".format(escape(title))]
    rest = [l for l in lines[1:] if set(l.strip()) != {"="}]
    for block in (["\n".join(rest)] if rest else []) + blocks[1:]:
        rows = [l for l in block.splitlines() if l.strip()]
        if rows and all(": " in r and len(r) < 100 for r in rows):
            body.append("<table>" + "".join(
                "<tr><th align='left'>{}</th><td>{}</td></tr>".format(
                    escape(r.split(": ", 1)[0]), escape(r.split(": ", 1)[1])) for r in rows)
                + "</table>")
        elif rows and rows[0].endswith(":") and len(rows) > 1:
            body.append("<h3>{}</h3><pre>{}</pre>".format(escape(rows[0][:-1]),
                                                           escape("\n".join(rows[1:]))))
        else:
            body.append("<pre>{}</pre>".format(escape("\n".join(rows))))
    return ("<html><head><meta charset='utf-8'><title>{}</title></head><body>{}</body></html>"
            .format(escape(title), "\n".join(body)))


def with_html_report(outputs):
    """Adds the HTML twin of outputs["OUTPUT_REPORT"] (a text file)."""
    text_path = (outputs or {}).get("OUTPUT_REPORT")
    if not text_path or not Path(text_path).is_file():
        return outputs
    twin = html_path(text_path)
    twin.write_text(report_html(Path(text_path).read_text(encoding="utf-8")), encoding="utf-8")
    return dict(outputs, **{KEY: str(twin)})
