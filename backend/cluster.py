"""Where the tiles run: an in-process LocalCluster (the default), an
existing Dask scheduler by address, or PBS/Slurm batch jobs via dask-jobqueue.

Batch workers start `dask worker` on compute nodes; they must reach the
scheduler (this process) over TCP, see the data lake and the results root at
the same paths, and import `backend` (the prologue below puts the repository
on PYTHONPATH; add your module loads / venv activation in the config).
Each worker runs one tile at a time (cores=1) and books `job_cpu` CPUs for
the core's block threads inside a tile."""
import os

from distributed import Client, LocalCluster

from .pkgpath import ROOT

BOOKED_CPUS = 4                     # the block engine uses up to 4 threads per tile
JOBQUEUE_DEFAULTS = {
    "cores": 1,                     # Dask threads = tiles at once per job
    "processes": 1,
    "memory": "16GB",
    "walltime": "01:00:00",
    # Leave before the walltime kills the job, staggered so that workers do
    # not all go at once (dask-jobqueue's advice); tasks move elsewhere.
    "worker_extra_args": ["--lifetime", "55m", "--lifetime-stagger", "4m"],
    "job_script_prologue": [f"cd {ROOT}", f"export PYTHONPATH={ROOT}:$PYTHONPATH"],
    "job_name": "chainon-worker",
}
# How each batch system books the CPUs of the block engine.
BOOKING = {"pbs": {"resource_spec": f"select=1:ncpus={BOOKED_CPUS}:mem=16GB"},
           "slurm": {"job_cpu": BOOKED_CPUS}}


def default_workers():
    """Half the cores: each tile's block engine already uses a few threads."""
    return max(1, (os.cpu_count() or 2) // 2)


def jobqueue_cluster(kind, options=None):
    """A PBSCluster or SLURMCluster (no job submitted until scale/adapt).
    `options` (e.g. queue, account, memory, job_script_prologue) override
    JOBQUEUE_DEFAULTS; what neither sets comes from dask's jobqueue.yaml."""
    from dask_jobqueue import PBSCluster, SLURMCluster
    cls = {"pbs": PBSCluster, "slurm": SLURMCluster}[kind]
    return cls(**{**JOBQUEUE_DEFAULTS, **BOOKING[kind], **(options or {})})


def connect(scheduler="local", workers=0, threads_per_worker=1, jobqueue=None):
    """(Client, cluster or None). `scheduler`: local | pbs | slurm | an address."""
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers or default_workers(),
                               threads_per_worker=threads_per_worker, processes=True,
                               host="127.0.0.1", dashboard_address="127.0.0.1:0")
    elif scheduler in ("pbs", "slurm"):
        cluster = jobqueue_cluster(scheduler, jobqueue)
        cluster.adapt(minimum_jobs=0, maximum_jobs=workers or 10)
    else:
        return Client(scheduler), None
    return Client(cluster), cluster
