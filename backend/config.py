"""Service settings: command-line options, then CHAINON_* environment
variables, then defaults under backend/var/ (ignored by git)."""
import os
from dataclasses import dataclass, field
from pathlib import Path

VAR = Path(__file__).resolve().parent / "var"


def default_store_url():
    return os.environ.get("CHAINON_STORE") or f"sqlite:///{VAR / 'jobs.sqlite'}"


@dataclass
class Settings:
    lake: Path = field(default_factory=lambda: Path(os.environ.get("CHAINON_LAKE", VAR / "lake")))
    results: Path = field(default_factory=lambda: Path(
        os.environ.get("CHAINON_RESULTS", VAR / "results")))
    store_url: str = field(default_factory=default_store_url)
    scheduler: str = "local"        # local | tcp://host:port | pbs | slurm
    workers: int = 0                # local workers or batch jobs; 0 = automatic
    threads_per_worker: int = 1     # tiles at once per worker (core threads inside a tile)
    jobqueue: dict = field(default_factory=dict)   # PBSCluster/SLURMCluster options
    retries: int = 2                # Dask retries of a tile that raised
    public_url: str = ""            # base URL in links, when behind a proxy
