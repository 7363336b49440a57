"""What runs on the Dask workers: one product on one tile, idempotent.

A tile is computed in a private folder, then published by renaming it to
<job>/tiles/<TILE>/ with a manifest (tile.json) written last; a tile whose
manifest lists complete COGs is never computed again. Cancellation is a
marker file (<results>/.cancel/<job>) that the core's Progress checks
between blocks: it works on any worker that sees the shared results root."""
import json
import os
import shutil
import socket
import time
import uuid
from datetime import date
from pathlib import Path

import rasterio

from chainon.core.blocks import Progress
from chainon.core.errors import Cancelled, InputError
from chainon.core.products import run_tile

MANIFEST = "tile.json"
# Tests and demos only: hold each tile this long (s) so that a job of tiny
# tiles can be cancelled, or the service restarted, while tiles are running.
PAUSE_ENV = "CHAINON_BACKEND_TILE_PAUSE"


def job_dir(results, job_id):
    return Path(results) / job_id


def tile_dir(results, job_id, tile):
    return job_dir(results, job_id) / "tiles" / tile


def cancel_marker(results, job_id):
    return Path(results) / ".cancel" / job_id


def runs_file(results, job_id, tile):
    """One line per actual computation of the tile (skips write nothing)."""
    return job_dir(results, job_id) / "tiles" / f"{tile}.runs"


def complete_outputs(folder):
    """{output key: file name} when the folder holds a published tile whose
    COGs are all there, of the recorded size and readable; else None."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text())
        for name, size in manifest["sizes"].items():
            path = Path(folder) / name
            if path.stat().st_size != size:
                return None
            with rasterio.open(path):
                pass
        return manifest["outputs"]
    except (OSError, ValueError, KeyError, rasterio.errors.RasterioIOError):
        return None


def run_tile_task(spec):
    """spec: job_id, product, lake, results, tile, start, end, params.
    Returns {"tile", "state": done|failed|cancelled, "outputs", "error",
    "skipped", "seconds", "cpu_seconds"}. Raises only on unexpected errors,
    which Dask retries; an input error fails the tile at once."""
    tile, results, job_id = spec["tile"], spec["results"], spec["job_id"]
    final = tile_dir(results, job_id, tile)
    result = {"tile": tile, "state": "done", "outputs": {}, "error": "", "skipped": False,
              "seconds": 0.0, "cpu_seconds": 0.0}
    done = complete_outputs(final)
    if done is not None:
        return {**result, "outputs": done, "skipped": True}
    marker = cancel_marker(results, job_id)
    if marker.exists():
        return {**result, "state": "cancelled"}
    _count_run(runs_file(results, job_id, tile))
    work = final.with_name(f"{partial_prefix(tile)}{uuid.uuid4().hex[:8]}")
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        canceled = _cancel_check(marker)
        _pause(canceled)
        outputs = run_tile(spec["product"], spec["lake"], tile, work,
                           date.fromisoformat(spec["start"]), date.fromisoformat(spec["end"]),
                           spec.get("params") or {}, Progress(is_canceled=canceled))
        names = _publish(work, final, outputs)
        remove_partials(final.parent, tile)    # of interrupted earlier runs
    except InputError as exc:
        return {**result, "state": "failed", "error": str(exc)}
    except Cancelled:
        return {**result, "state": "cancelled"}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {**result, "outputs": names, "seconds": time.perf_counter() - t0,
            "cpu_seconds": time.process_time() - c0}


def partial_prefix(tile):
    return f".{tile}.partial-"


def remove_partials(tiles_folder, tile="*"):
    """The private folders of interrupted runs (of `tile`, or of every tile)."""
    for folder in Path(tiles_folder).glob(partial_prefix(tile) + "*"):
        shutil.rmtree(folder, ignore_errors=True)


def under_umask(mask, fn, *args):
    """Runs fn on a worker with the service's umask (e.g. the mosaics)."""
    os.umask(mask)
    return fn(*args)


def _publish(work, final, outputs):
    """Manifest last, then one rename: a reader sees all of a tile or none."""
    names = {key: Path(path).name for key, path in outputs.items()}
    sizes = {name: (work / name).stat().st_size for name in names.values()}
    (work / MANIFEST).write_text(json.dumps({"outputs": names, "sizes": sizes}))
    if complete_outputs(final) is not None:    # another run of the tile won the race
        return complete_outputs(final)
    shutil.rmtree(final, ignore_errors=True)
    os.replace(work, final)
    return names


def _count_run(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"{time.time():.3f} {socket.gethostname()} {os.getpid()}\n")


def _cancel_check(marker, every=0.5):
    """is_canceled() for core.Progress, touching the file system at most
    every `every` seconds (blocks can be many and the FS shared)."""
    state = {"at": 0.0, "cancelled": False}

    def canceled():
        if not state["cancelled"] and time.monotonic() - state["at"] > every:
            state["at"], state["cancelled"] = time.monotonic(), marker.exists()
        return state["cancelled"]
    return canceled


def _pause(canceled):
    seconds = float(os.environ.get(PAUSE_ENV) or 0)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if canceled():
            raise Cancelled()
        time.sleep(0.05)
