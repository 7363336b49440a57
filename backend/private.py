"""Owner-only files: the service's store, results and every file its
workers write are readable by the service account alone (0700 folders,
0600 files), or also by the operator's group (0750/0640, folders setgid so
that what is made inside keeps the group). Done with the process umask,
which the local workers inherit and the tasks set on remote workers."""
import grp
import os
import stat
from pathlib import Path

from chainon.core.dem import CACHE_ENV


def umask_for(group):
    return 0o027 if group else 0o077


def apply_umask(group=None):
    os.umask(umask_for(group))


def private_dir(path, group=None):
    """Makes `path` (and missing parents) and gives it the private mode."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    mode = 0o700
    if group:
        os.chown(path, -1, grp.getgrnam(group).gr_gid)
        mode = 0o750 | stat.S_ISGID
    os.chmod(path, mode)
    return path


def private_file(path, group=None):
    """An existing file (made before the umask was set) gets the private mode."""
    path = Path(path)
    if path.exists():
        if group:
            os.chown(path, -1, grp.getgrnam(group).gr_gid)
        os.chmod(path, 0o640 if group else 0o600)


def secure_store(url, group=None):
    """An SQLite store's folder and files are private (PostgreSQL keeps its own)."""
    if not url.startswith("sqlite") or url.endswith(":memory:"):
        return
    path = Path(url.split("///", 1)[-1])
    if not path.parent.exists():      # an existing folder may be shared: left as it is
        private_dir(path.parent, group)
    for suffix in ("", "-wal", "-shm", "-journal"):
        private_file(path.with_name(path.name + suffix), group)


def private_cache(results):
    """core's cache of warped DEMs (core/dem.py, CHAINON_CACHE_DIR) in the
    service's own results folder, owner-only (0700 even with a group: the
    operator has nothing to read there), not in the service account's
    ~/.cache; where the operator set CHAINON_CACHE_DIR, that is kept. Set
    before the local workers start: they inherit it."""
    if not os.environ.get(CACHE_ENV):
        os.environ[CACHE_ENV] = str(private_dir(Path(results) / ".cache"))
    return Path(os.environ[CACHE_ENV])
