"""Drives jobs: one thread per active job submits one Dask task per tile,
records each tile's end in the store as it comes, then has the mosaics and
the STAC collection made. Tiles reach Dask through a FairGate: no more than
the cluster runs at once, the next one from the user with the fewest running.
The store, not Dask, holds the truth: a restarted service calls resume()
and the tiles already done are not submitted again (and the tasks
themselves skip published tiles). What a job leaves behind (private folders
of interrupted tiles, its cancel marker, a dismissed job's files) goes when
it ends."""
import logging
import shutil
import threading
import uuid
from pathlib import Path

from distributed import as_completed

from chainon.core.products import main_outputs

from . import mosaic, stac
from .errors import public_message
from .fair import FairGate
from .private import umask_for
from .store import TILE_DONE, TILE_FAILED, TILE_PLANNED
from .tasks import (cancel_marker, complete_outputs, job_dir, remove_partials, run_tile_task,
                    tile_dir, under_umask)

log = logging.getLogger("chainon.backend")


class JobRunner:
    def __init__(self, store, client, settings, slots=None):
        """slots(): tiles the cluster runs at once (cluster.tile_slots)."""
        self.store, self.client, self.settings = store, client, settings
        self.results = Path(settings.results)
        self.umask = umask_for(settings.group)
        self.gate = FairGate(slots or (lambda: 1_000_000), settings.max_running_tiles_per_user)
        self._threads = {}
        self._lock = threading.Lock()

    def start(self, job_id):
        with self._lock:
            if job_id in self._threads and self._threads[job_id].is_alive():
                return
            thread = threading.Thread(target=self._run, args=(job_id,), daemon=True,
                                      name=f"job-{job_id[:8]}")
            self._threads[job_id] = thread
        thread.start()

    def resume(self):
        """At start-up: go on with the jobs a stopped service left running,
        and finish removing the results of dismissed ones."""
        for job in self.store.dismissed_jobs():
            self._remove(job.id)
        for job in self.store.active_jobs():
            log.info("resuming job %s", job.id)
            self.start(job.id)

    def dismiss(self, job_id):
        """Stops a job's work: running tiles see the marker between blocks,
        queued ones return at once; the runner thread then removes results."""
        marker = cancel_marker(self.results, job_id)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        if not self._alive(job_id):
            self._remove(job_id)

    def _remove(self, job_id):
        """A dismissed job's files, then its marker (no task of it is left)."""
        shutil.rmtree(job_dir(self.results, job_id), ignore_errors=True)
        cancel_marker(self.results, job_id).unlink(missing_ok=True)

    def wait(self, job_id, timeout=None):
        thread = self._threads.get(job_id)
        if thread:
            thread.join(timeout)

    def _alive(self, job_id):
        thread = self._threads.get(job_id)
        return thread is not None and thread.is_alive()

    def _cancelled(self, job_id):
        return cancel_marker(self.results, job_id).exists()

    def _run(self, job_id):
        try:
            self._drive(job_id)
        except Exception as exc:       # the job fails, the service goes on
            log.exception("job %s failed", job_id)
            self.store.finish(job_id, "failed", self._public(f"{type(exc).__name__}: {exc}"))
        if self._cancelled(job_id):
            self._remove(job_id)
        else:
            remove_partials(job_dir(self.results, job_id) / "tiles")

    def _public(self, message):
        return public_message(message, (self.settings.lake, self.results))

    def _drive(self, job_id):
        job = self.store.job(job_id)
        if self._cancelled(job_id) or job.status not in ("accepted", "running"):
            return
        self.store.set_running(job_id)
        futures, ended = {}, as_completed()

        def record_ended():
            while ended.has_ready():
                future = next(ended)
                self._record(job_id, futures[future], future)
            return self._cancelled(job_id)

        for tile in self._tiles_to_run(job_id):
            if not self.gate.acquire(job.user_id, record_ended):
                break
            future = self.client.submit(
                under_umask, self.umask, run_tile_task, self._spec(job, tile),
                key=f"tile-{tile}-{job_id}-{uuid.uuid4().hex[:6]}",
                retries=self.settings.retries, pure=False)
            future.add_done_callback(lambda _, user=job.user_id: self.gate.release(user))
            futures[future] = tile
            ended.add(future)
        for future in ended:
            self._record(job_id, futures[future], future)
        if self._cancelled(job_id):
            return
        self._finish(job)

    def _tiles_to_run(self, job_id):
        """Tiles not ended yet, and done ones whose outputs are gone."""
        todo = []
        for row in self.store.tiles(job_id):
            if row.state == TILE_DONE and complete_outputs(
                    tile_dir(self.results, job_id, row.tile)) is None:
                self.store.reset_tile(job_id, row.tile)
                row.state = TILE_PLANNED
            if row.state == TILE_PLANNED:
                todo.append(row.tile)
        return todo

    def _spec(self, job, tile):
        inputs = job.inputs
        return {"job_id": job.id, "product": job.process_id, "lake": str(self.settings.lake),
                "results": str(self.results), "tile": tile, "start": inputs["start"],
                "end": inputs["end"], "params": inputs.get("params") or {}}

    def _record(self, job_id, tile, future):
        try:
            result = future.result()
        except Exception as exc:       # retries exhausted, or the workers kept dying
            log.warning("tile %s of job %s failed: %s", tile, job_id, exc)
            self.store.mark_tile(job_id, tile, TILE_FAILED,
                                 self._public(f"{type(exc).__name__}: {exc}"))
            return
        if result["state"] == "cancelled":
            return
        self.store.mark_tile(job_id, tile, result["state"], self._public(result["error"]),
                             result["outputs"], result["seconds"], result["cpu_seconds"])

    def _finish(self, job):
        # every tile has ended: interrupted runs' folders go before the job is
        # said finished, so that a client seeing its end finds none
        remove_partials(job_dir(self.results, job.id) / "tiles")
        rows = self.store.tiles(job.id)
        done = {r.tile: r.outputs for r in rows if r.state == TILE_DONE}
        failed = [r for r in rows if r.state == TILE_FAILED]
        if not done:
            self.store.finish(job.id, "failed", f"All {len(rows)} tiles failed: "
                              + failure_summary(failed))
            return
        self.store.set_message(job.id, "Writing the national mosaics and the STAC collection")
        mosaics = self._mosaics(job, done)
        if self._cancelled(job.id):
            return
        folder = job_dir(self.results, job.id)
        stac.write_collection(folder, job.id, job.process_id, job.inputs["start"],
                              job.inputs["end"], self._tile_paths(job.id, done), mosaics)
        message = f"{len(done)} of {len(rows)} tiles done"
        if failed:
            message += f"; {len(failed)} failed: " + failure_summary(failed)
        self.store.finish(job.id, "successful", message)

    def _tile_paths(self, job_id, done):
        return {tile: {key: str(tile_dir(self.results, job_id, tile) / name)
                       for key, name in outputs.items()} for tile, outputs in done.items()}

    def _mosaics(self, job, done):
        """One Dask task per main output; {key: mosaic path}."""
        start, end = job.inputs["start"], job.inputs["end"]
        paths = self._tile_paths(job.id, done)
        folder = job_dir(self.results, job.id) / "mosaic"
        futures = {}
        for out in main_outputs(job.process_id):
            cogs = [p[out.key] for p in paths.values() if out.key in p]
            target = folder / mosaic.mosaic_name(job.process_id, out.key, start, end)
            futures[out.key] = self.client.submit(
                under_umask, self.umask, mosaic.build_mosaic, cogs, str(target),
                job.process_id, out.key, start, end, retries=self.settings.retries, pure=False)
        return {key: f.result() for key, f in futures.items()}


def failure_summary(rows, shown=5):
    """Failed tiles grouped by reason: 99 times the same reason reads once."""
    by_reason = {}
    for row in rows:
        by_reason.setdefault(row.error, []).append(row.tile)
    parts = []
    for reason, tiles in by_reason.items():
        names = ", ".join(tiles[:shown]) + (f" and {len(tiles) - shown} more"
                                            if len(tiles) > shown else "")
        parts.append(f"{names}: {reason}")
    return "; ".join(parts)
