"""Extracts every user-facing string into i18n/chainon_<lang>.ts.

Strings are those passed to tr(...) or N_(...), and the message templates of
InputError(...) (core errors are translated by the QGIS layer). Existing
translations are kept; new strings are marked unfinished; gone ones dropped.
Usage: python tools/update_ts.py [fr]"""
import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["algorithms", "core", "remote", "ui", "plugin.py"]
MARKERS = {"tr", "N_", "InputError"}
CONTEXT = "chainon"


def extract(root=ROOT):
    """Ordered unique strings found in the plugin's Python sources."""
    found = {}
    for src in SOURCES:
        path = root / src
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for f in files:
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and node.args and _name(node.func) in MARKERS:
                    arg = node.args[0]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, f"{f.relative_to(root)}:{node.lineno}")
    return found


def _name(func):
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def read_ts(path):
    """source -> translation (None when unfinished)."""
    if not path.exists():
        return {}
    out = {}
    for msg in ET.parse(path).getroot().iter("message"):
        t = msg.find("translation")
        done = t is not None and t.get("type") != "unfinished" and (t.text or "")
        out[msg.findtext("source")] = t.text if done else None
    return out


def write_ts(path, lang, strings, translations):
    ts = ET.Element("TS", version="2.1", language=lang)
    ctx = ET.SubElement(ts, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    for source, where in strings.items():
        msg = ET.SubElement(ctx, "message")
        file, line = where.split(":")
        ET.SubElement(msg, "location", filename="../" + file, line=line)
        ET.SubElement(msg, "source").text = source
        t = ET.SubElement(msg, "translation")
        if translations.get(source):
            t.text = translations[source]
        else:
            t.set("type", "unfinished")
    ET.indent(ts)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    + ET.tostring(ts, encoding="unicode") + "\n", encoding="utf-8")


def main(lang="fr"):
    path = ROOT / "i18n" / f"chainon_{lang}.ts"
    strings = extract()
    old = read_ts(path)
    write_ts(path, lang, strings, old)
    missing = [s for s in strings if not old.get(s)]
    print(f"{path.name}: {len(strings)} strings, {len(missing)} to translate")


if __name__ == "__main__":
    main(*sys.argv[1:])
