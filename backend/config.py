"""Service settings: command-line options, then CHAINON_* environment
variables, then defaults under backend/var/ (ignored by git)."""
import os
from dataclasses import dataclass, field
from pathlib import Path

VAR = Path(__file__).resolve().parent / "var"


def default_store_url():
    return os.environ.get("CHAINON_STORE") or f"sqlite:///{VAR / 'jobs.sqlite'}"


def _env(name, default=""):
    return os.environ.get(f"CHAINON_{name}", default)


def _env_int(name, default):
    return int(_env(name) or default)


@dataclass
class Settings:
    lake: Path = field(default_factory=lambda: Path(_env("LAKE") or VAR / "lake"))
    results: Path = field(default_factory=lambda: Path(_env("RESULTS") or VAR / "results"))
    store_url: str = field(default_factory=default_store_url)
    scheduler: str = "local"        # local | tls://host:port | pbs | slurm
    workers: int = 0                # local workers or batch jobs; 0 = automatic
    threads_per_worker: int = 1     # tiles at once per worker (core threads inside a tile)
    jobqueue: dict = field(default_factory=dict)   # PBSCluster/SLURMCluster options
    retries: int = 2                # Dask retries of a tile that raised
    public_url: str = ""            # base URL in links, when behind a proxy
    # Dask TLS (a scheduler address, and PBS/Slurm if given; the local
    # cluster makes temporary certificates): PEM files.
    tls_ca_file: str = field(default_factory=lambda: _env("TLS_CA_FILE"))
    tls_cert: str = field(default_factory=lambda: _env("TLS_CERT"))
    tls_key: str = field(default_factory=lambda: _env("TLS_KEY"))
    # Files are owner-only; a group named here may read them too.
    group: str = field(default_factory=lambda: _env("GROUP"))
    # Request bounds.
    max_body_bytes: int = field(default_factory=lambda: _env_int("MAX_BODY_BYTES", 1 << 20))
    # Fair sharing: tiles handed to Dask at once (0: the cluster's threads),
    # running tiles per user (0: no cap but the fair share), active
    # (accepted or running) jobs per user before 429.
    tile_slots: int = field(default_factory=lambda: _env_int("TILE_SLOTS", 0))
    max_running_tiles_per_user: int = field(
        default_factory=lambda: _env_int("MAX_RUNNING_TILES_PER_USER", 0))
    max_active_jobs_per_user: int = field(
        default_factory=lambda: _env_int("MAX_ACTIVE_JOBS_PER_USER", 20))
    # Inputs by reference ({"href": ...}): addresses on private networks
    # (including this host) are refused unless allowed.
    allow_internal_refs: bool = field(default_factory=lambda: _env("ALLOW_INTERNAL_REFS") == "1")
