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
