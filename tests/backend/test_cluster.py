"""PBS and Slurm workers through dask-jobqueue: the job scripts, unsubmitted."""
import pytest

from backend.cluster import jobqueue_cluster
from backend.pkgpath import ROOT


@pytest.mark.parametrize("kind, directives", [
    ("pbs", ["#PBS -q sequentiel", "#PBS -l select=1:ncpus=4:mem=16GB",
             "#PBS -l walltime=01:00:00", "#PBS -N chainon-worker"]),
    ("slurm", ["#SBATCH -p sequentiel", "#SBATCH --cpus-per-task=4", "#SBATCH -t 01:00:00",
               "#SBATCH -A chainon"]),
])
def test_job_script(kind, directives):
    options = {"queue": "sequentiel", "account": "chainon",
               "scheduler_options": {"host": "127.0.0.1"},
               "job_script_prologue": [f"cd {ROOT}", f"export PYTHONPATH={ROOT}",
                                       "source /opt/chainon/.venv-backend/bin/activate"]}
    if kind == "pbs":
        options.pop("account")
    cluster = jobqueue_cluster(kind, options)
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    for line in directives:
        assert line in script
    assert "source /opt/chainon/.venv-backend/bin/activate" in script
    worker = script.strip().splitlines()[-1]
    assert "distributed.cli.dask_worker tcp://127.0.0.1:" in worker
    assert "--nthreads 1" in worker and "--lifetime 55m" in worker


def test_workers_join_over_tls(tmp_path):
    """With the operator's certificates, the worker command carries them and
    the scheduler listens on tls:// only."""
    from backend.cluster import security_from_files
    from backend_testlib import tls_files
    ca, cert, key = tls_files(tmp_path)
    cluster = jobqueue_cluster("slurm", {"scheduler_options": {"host": "127.0.0.1"}},
                               security_from_files(ca, cert, key))
    try:
        script = cluster.job_script()
        assert cluster.scheduler_address.startswith("tls://127.0.0.1:")
    finally:
        cluster.close()
    worker = script.strip().splitlines()[-1]
    assert "distributed.cli.dask_worker tls://127.0.0.1:" in worker
    assert f"--tls-ca-file {ca}" in worker and f"--tls-cert {cert}" in worker
    assert f"--tls-key {key}" in worker
    assert "umask 077" in script
    # the DEM cache on the node's disk, not on the shared results
    assert 'export CHAINON_CACHE_DIR="${TMPDIR:-/tmp}/chainon-cache-$USER"' in script


def test_operator_prologue_runs_after_ours():
    """An operator's prologue (module loads, a venv) must not drop the umask,
    the node-local cache nor the nanny's config (glibc's adaptive thresholds)."""
    cluster = jobqueue_cluster("slurm", {"scheduler_options": {"host": "127.0.0.1"},
                                         "job_script_prologue": ["module load gdal"]})
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    lines = script.splitlines()
    assert lines.index("umask 077") < lines.index("module load gdal")
    assert "export DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON=\"{'MALLOC_TRIM_THRESHOLD_': " \
           "None}\"" in lines


def test_local_workers_keep_glibcs_adaptive_thresholds():
    """distributed's nanny would start workers with MALLOC_TRIM_THRESHOLD_
    set, which fixes glibc's mmap threshold (1.1-1.6x the CPU of five
    products, tools/benchmark_malloc.py); the job script's export gives the
    batch workers' nanny the same config."""
    import ast
    import os
    import subprocess
    import sys

    from backend.cluster import JOBQUEUE_DEFAULTS, connect
    client, cluster = connect("local", workers=1)
    try:
        env = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    finally:
        client.close()
        cluster.close()
    assert list(env.values()) == [None]
    export = [line for line in JOBQUEUE_DEFAULTS["job_script_prologue"]
              if "PRE_SPAWN_ENVIRON" in line][0]
    name, value = export.removeprefix("export ").split("=", 1)
    code = ("import dask, distributed.nanny as n; "
            "print(n._get_env_variables('distributed.nanny.pre-spawn-environ'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, name: value.strip('"')}, check=True).stdout
    assert "MALLOC_TRIM_THRESHOLD_" not in ast.literal_eval(out.strip())
