"""The backend imports the engine as `chainon.core`, whatever the folder name
of the clone: as tests/conftest.py does, a `.pkgroot/chainon` symlink to the
repository and `.pkgroot` on sys.path. Spawned Dask workers import `backend`
first, so they get the same path."""
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG_PARENT = ROOT / ".pkgroot"


def ensure_chainon():
    if importlib.util.find_spec("chainon") is not None:
        return
    link = PKG_PARENT / "chainon"
    if not link.exists():
        PKG_PARENT.mkdir(exist_ok=True)
        try:
            link.symlink_to(ROOT, target_is_directory=True)
        except FileExistsError:     # another process made it meanwhile
            pass
    sys.path.insert(0, str(PKG_PARENT))
