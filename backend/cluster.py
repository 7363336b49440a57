"""Where the tiles run: an in-process LocalCluster (the default), an
existing Dask scheduler by address, or PBS/Slurm batch jobs via dask-jobqueue.

Dask runs whatever a connected client sends it, so every connection is TLS
with mutual certificates (distributed's Security): temporary ones, in
memory, for the local cluster; the operator's PEM files (--tls-ca-file,
--tls-cert, --tls-key) for a scheduler address (tls://host:port) and, when
given, for PBS/Slurm (else temporary ones, written owner-only under the
results root for the workers). A client without them is refused.

Batch workers start `dask worker` on compute nodes; they must reach the
scheduler (this process) over TCP, see the data lake and the results root at
the same paths, and import `backend` (the prologue below puts the repository
on PYTHONPATH; add your module loads / venv activation in the config).
Each worker runs one tile at a time (cores=1) and books `job_cpu` CPUs for
the core's block threads inside a tile."""
import atexit
import os
import shutil
import tempfile

import dask
from distributed import Client, LocalCluster
from distributed.security import Security

from .errors import ConfigError
from .pkgpath import ROOT
from .private import private_dir

BOOKED_CPUS = 4                     # the block engine uses up to 4 threads per tile
JOBQUEUE_DEFAULTS = {
    "cores": 1,                     # Dask threads = tiles at once per job
    "processes": 1,
    "memory": "16GB",
    "walltime": "01:00:00",
    # Leave before the walltime kills the job, staggered so that workers do
    # not all go at once (dask-jobqueue's advice); tasks move elsewhere.
    "worker_extra_args": ["--lifetime", "55m", "--lifetime-stagger", "4m"],
    # the warped-DEM cache on the node's own disk (core/dem.py refuses it unless
    # it is the user's, 0700): not on the shared results, where one node's
    # eviction would pull a file from under another node's reader
    "job_script_prologue": [f"cd {ROOT}", f"export PYTHONPATH={ROOT}:$PYTHONPATH",
                            "umask 077",
                            'export CHAINON_CACHE_DIR="${TMPDIR:-/tmp}/chainon-cache-$USER"',
                            # the workers' nanny reads its config from here (see below)
                            "export DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON="
                            "\"{'MALLOC_TRIM_THRESHOLD_': None}\""],
    "job_name": "chainon-worker",
}
# How each batch system books the CPUs of the block engine.
BOOKING = {"pbs": {"resource_spec": f"select=1:ncpus={BOOKED_CPUS}:mem=16GB"},
           "slurm": {"job_cpu": BOOKED_CPUS}}
# The scheduler hands a queued tile to a worker only when a thread is free,
# so that the order the runner submits in (fair between users) is kept.
dask.config.set({"distributed.scheduler.worker-saturation": 1.0})
# The scheduler's HTTP server (on 127.0.0.1) tells nothing but that it is up:
# no task names, no worker addresses.
dask.config.set({"distributed.scheduler.http.routes": ["distributed.http.health"],
                 "distributed.worker.http.routes": ["distributed.http.health"]})
# The nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also fixes
# glibc's mmap threshold at 128 kB: every freed block over it goes back to the
# system and the next comes back zeroed by the kernel, 1.1-1.6x the CPU of five
# of the seven products it touches (tools/benchmark_malloc.py; snow sets its own).
# The products hand freed memory back between their stages themselves.
dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})


def default_workers():
    """Half the cores: each tile's block engine already uses a few threads."""
    return max(1, (os.cpu_count() or 2) // 2)


def security_from_files(ca_file, cert, key):
    """Mutual TLS for every role from the operator's PEM files."""
    missing = [name for name, value in (("--tls-ca-file", ca_file), ("--tls-cert", cert),
                                        ("--tls-key", key)) if not value]
    if missing:
        raise ConfigError(f"Dask TLS needs {', '.join(missing)} (PEM files).")
    for path in (ca_file, cert, key):
        if not os.path.isfile(path):
            raise ConfigError(f"Dask TLS file {path} does not exist.")
    return Security(tls_ca_file=ca_file, require_encryption=True,
                    **{f"tls_{role}_{part}": path for role in ("client", "scheduler", "worker")
                       for part, path in (("cert", cert), ("key", key))})


def jobqueue_cluster(kind, options=None, security=None, shared_dir=None):
    """A PBSCluster or SLURMCluster (no job submitted until scale/adapt).
    `options` (e.g. queue, account, memory) override JOBQUEUE_DEFAULTS, but
    their job_script_prologue runs after ours (umask, cache, nanny config);
    what neither sets comes from dask's jobqueue.yaml.
    `security`: a Security (TLS between scheduler and workers); temporary
    certificates are written to `shared_dir` for the workers to read."""
    from dask_jobqueue import PBSCluster, SLURMCluster
    cls = {"pbs": PBSCluster, "slurm": SLURMCluster}[kind]
    extra = {}
    if security is not None:
        extra = {"security": security, "protocol": "tls://"}
        if shared_dir:
            extra["shared_temp_directory"] = str(private_dir(shared_dir))
    options = dict(options or {})
    prologue = JOBQUEUE_DEFAULTS["job_script_prologue"] + options.pop("job_script_prologue", [])
    return cls(**{**JOBQUEUE_DEFAULTS, **BOOKING[kind], **extra, **options,
                  "job_script_prologue": prologue})


def connect(scheduler="local", workers=0, threads_per_worker=1, jobqueue=None, tls=None,
            shared_dir=None):
    """(Client, cluster or None). `scheduler`: local | pbs | slurm | tls://host:port.
    `tls`: (ca_file, cert, key) paths, needed for an address."""
    tls = tls if tls and any(tls) else None
    if scheduler == "local":
        scratch = private_scratch()
        dask.config.set({"temporary-directory": scratch})     # the scheduler's files
        cluster = LocalCluster(n_workers=workers or default_workers(),
                               threads_per_worker=threads_per_worker, processes=True,
                               host="127.0.0.1", dashboard_address="127.0.0.1:0",
                               security=Security.temporary(), protocol="tls://",
                               local_directory=scratch)
    elif scheduler in ("pbs", "slurm"):
        security = security_from_files(*tls) if tls else Security.temporary()
        cluster = jobqueue_cluster(scheduler, jobqueue, security, shared_dir)
        cluster.adapt(minimum_jobs=0, maximum_jobs=workers or 10)
    else:
        if not scheduler.startswith("tls://"):
            raise ConfigError(f"The Dask scheduler {scheduler} must be a tls:// address: "
                              "plain TCP lets anyone who reaches it run code as this "
                              "service.")
        return Client(scheduler, security=security_from_files(*(tls or ("", "", "")))), None
    return Client(cluster, security=cluster.security), cluster


def private_scratch():
    """A new folder of this account's, mode 0700, for the local workers'
    spilled data and the scheduler's files, removed at exit. Dask's default,
    <tmp>/dask-scratch-space, is one name for every account: a folder of that
    name made first by someone else would be used."""
    path = tempfile.mkdtemp(prefix="chainon-dask-")
    atexit.register(shutil.rmtree, path, True)
    return path


def tile_slots(client, settings):
    """How many tiles may be handed to Dask at once: the configured number,
    else the threads the cluster has (or may have, for batch jobs)."""
    if settings.tile_slots:
        return lambda: settings.tile_slots
    if settings.scheduler in ("pbs", "slurm"):     # what adapt() may start, not what runs
        cores = (settings.jobqueue or {}).get("cores") or JOBQUEUE_DEFAULTS["cores"]
        total = (settings.workers or 10) * int(cores)
        return lambda: total

    def threads():
        return max(1, sum(client.nthreads().values()))
    return threads
