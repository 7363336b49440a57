"""Schemathesis fuzzes the whole API from its /api definition, with a valid
token, over real HTTP on 127.0.0.1: no server error, no response outside
its documented schema. Bounded in time (CHAINON_FUZZ_SECONDS, 20 s)."""
import os
import subprocess
from pathlib import Path

from backend_testlib import PY, Server, add_user

SECONDS = int(os.environ.get("CHAINON_FUZZ_SECONDS", "20"))
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"


def test_schemathesis_finds_no_server_error_and_no_schema_violation(tmp_path):
    # An empty lake: the jobs the fuzzer creates fail at once, tile by tile;
    # at most 3 active jobs each (429 beyond, a documented answer too).
    (tmp_path / "lake").mkdir()
    server = Server(tmp_path, tmp_path / "lake", f"sqlite:///{tmp_path / 'jobs.sqlite'}",
                    workers=1, args=["--max-active-jobs-per-user", "3"]).start()
    try:
        token = add_user(server.store_url, "fuzzer")
        # one worker: hypothesis parsing lambdas in two threads trips a CPython
        # 3.11 bug ("AST constructor recursion depth mismatch"), an error of the
        # fuzzer, not of the API
        cmd = [str(Path(PY).parent / "st"), "run", f"{server.url}/api",
               "-H", f"Authorization: Bearer {token}", "--checks", CHECKS,
               "--max-time", str(SECONDS), "-n", "15", "--seed", "1", "--workers", "1",
               "--request-timeout", "20", "--report-dir", str(tmp_path / "report")]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS + 120,
                             cwd=tmp_path)
        summary = run.stdout[-3000:]
        assert run.returncode == 0, summary + run.stderr[-2000:]
        # the counts line ("951 generated, 951 passed"); the warnings above it
        # may say "Authentication failed" for the operations a user may not call
        counts = summary.split("Test cases:")[-1].strip().splitlines()[0]
        assert "generated" in counts and "passed" in counts, summary
        assert "failed" not in counts and "error" not in counts, summary
    finally:
        server.stop()
