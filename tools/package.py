"""Builds build/chainon.zip: the plugin folder as QGIS installs it, from the
working tree (tracked and new files, less .gitignore and export-ignore)."""
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def plugin_files():
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True).stdout.split(b"\0")
    files = [f.decode() for f in listed if f and (ROOT / f.decode()).is_file()]
    attrs = subprocess.run(["git", "check-attr", "export-ignore", "--"] + files, cwd=ROOT,
                           check=True, capture_output=True, text=True).stdout.splitlines()
    ignored = {line.split(": export-ignore: ")[0] for line in attrs if line.endswith(": set")}
    files = [f for f in files if f not in ignored]
    return files + [str(p.relative_to(ROOT)) for p in (ROOT / "i18n").glob("*.qm")]


def main(dst=ROOT / "build" / "chainon.zip"):
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(set(plugin_files())):
            z.write(ROOT / f, f"chainon/{f}")
    print(f"Plugin zip: {dst}")


if __name__ == "__main__":
    main(*sys.argv[1:])
