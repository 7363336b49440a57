"""Make the repository importable as the package `chainon`, whatever the
folder name of the clone, and share fixtures."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG_PARENT = ROOT / ".pkgroot"
_link = PKG_PARENT / "chainon"
if not _link.exists():
    PKG_PARENT.mkdir(exist_ok=True)
    _link.symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(PKG_PARENT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REAL_DATA = ROOT.parent / "shared" / "data" / "real"
