"""The HTTP routes of OGC API - Processes 1.0, and the result files."""
import json
import re
from pathlib import PurePosixPath
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response

from chainon.core.catalog import PRODUCTS
from chainon.core.products import main_outputs

from . import ogc, openapi, processes, stac
from .auth import current_user
from .cache import MISSING
from .errors import InvalidInput
from .mosaic import mosaic_name
from .tasks import MANIFEST, job_dir

router = APIRouter()
CurrentUser = Annotated[object, Depends(current_user)]
MEDIA = {".tif": processes.COG_TYPE, ".qml": "text/xml", ".json": "application/json",
         ".png": "image/png"}


def base_url(request):
    public = request.app.state.settings.public_url
    return (public or str(request.base_url)).rstrip("/")


GET = ["GET", "HEAD"]
TILES_DOC = "tiles.json"        # the `tiles` output by reference (response=raw)
PAGE_LIMIT = (1, 10000, 100)        # limit: minimum, maximum, default
Limit = Annotated[int, Query(ge=PAGE_LIMIT[0], le=PAGE_LIMIT[1])]
Offset = Annotated[int, Query(ge=0, le=10**9)]


@router.api_route("/", methods=GET)
def landing(request: Request):
    return ogc.landing(base_url(request))


@router.api_route("/conformance", methods=GET)
def conformance():
    return {"conformsTo": ogc.CONFORMANCE}


@router.api_route("/api", methods=GET)
def api(request: Request):
    return JSONResponse(openapi.document(base_url(request)), media_type=ogc.OPENAPI_TYPE)


@router.api_route("/processes", methods=GET)
def process_list(request: Request, limit: Limit = PAGE_LIMIT[2], offset: Offset = 0):
    base = base_url(request)
    products = list(PRODUCTS.values())
    return {"processes": [processes.summary(p, base) for p in products[offset:offset + limit]],
            "links": ogc.page_links(f"{base}/processes", request.query_params, offset, limit,
                                    len(products))}


@router.api_route("/processes/{process_id}", methods=GET)
def process_description(process_id: str, request: Request):
    if process_id not in PRODUCTS:
        return _no_such_process(process_id)
    return processes.describe(PRODUCTS[process_id], base_url(request))


@router.post("/processes/{process_id}/execution")
async def execute(process_id: str, request: Request, user: CurrentUser):
    if process_id not in PRODUCTS:
        return _no_such_process(process_id)
    app = request.app
    settings = app.state.settings
    try:
        raw = await _body(request, settings.max_body_bytes)
    except TooLarge:
        return ogc.exception(413, "payload-too-large", f"The request body is larger than "
                             f"{settings.max_body_bytes} bytes.")
    try:
        inputs = await run_in_threadpool(_parse, process_id, raw, settings)
    except InvalidInput as exc:
        return ogc.exception(400, "invalid-parameter-value", str(exc))
    job = await run_in_threadpool(app.state.store.create_job_within, user.id, process_id,
                                  inputs, inputs["tiles"], settings.max_active_jobs_per_user)
    if job is None:
        return ogc.exception(429, "too-many-jobs", f"You have "
                             f"{settings.max_active_jobs_per_user} jobs accepted or running, "
                             "the most this service allows: wait for one to end, or dismiss "
                             "one.", headers={"Retry-After": "60"})
    app.state.runner.start(job.id)
    base = base_url(request)
    headers = {"Location": f"{base}/jobs/{job.id}"}
    if "respond-async" in request.headers.get("prefer", ""):
        headers["Preference-Applied"] = "respond-async"
    return JSONResponse(ogc.status_info(job, base), status_code=201, headers=headers)


class TooLarge(Exception):
    pass


async def _body(request, limit):
    """The request body, refused past `limit` bytes without reading it all."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise TooLarge()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(process_id, raw, settings):
    body = processes.parse_json(raw)
    return processes.parse_execute(process_id, body, settings.allow_internal_refs)


@router.api_route("/jobs", methods=GET)
def job_list(request: Request, user: CurrentUser, limit: Limit = PAGE_LIMIT[2],
             offset: Offset = 0, processID: Annotated[list[str] | None, Query()] = None,
             status: Annotated[list[str] | None, Query()] = None,
             type: Annotated[list[str] | None, Query()] = None,
             datetime: str | None = None,
             minDuration: Annotated[int | None, Query(ge=0)] = None,
             maxDuration: Annotated[int | None, Query(ge=0)] = None):
    """OGC job list: filters by process, status, type (process), creation
    time (an RFC 3339 instant or interval, `..` open) and duration (s)."""
    base = base_url(request)
    try:
        created = ogc.parse_interval(datetime)
        statuses = _split(status, ogc.STATUSES, "status")
    except InvalidInput as exc:
        return ogc.exception(400, "invalid-parameter-value", str(exc))
    jobs = [] if type and "process" not in _split(type, None, "type") else \
        request.app.state.store.jobs(user.id, _split(processID), statuses, created)
    if minDuration is not None or maxDuration is not None:
        jobs = [j for j in jobs if _duration_within(j, minDuration, maxDuration)]
    return {"jobs": [ogc.status_info(j, base) for j in jobs[offset:offset + limit]],
            "links": ogc.page_links(f"{base}/jobs", request.query_params, offset, limit,
                                    len(jobs))}


def _split(values, allowed=None, name=""):
    """Repeated or comma-separated query values."""
    items = [v.strip() for value in values or () for v in value.split(",") if v.strip()]
    wrong = [v for v in items if allowed is not None and v not in allowed]
    if wrong:
        raise InvalidInput(f"Unknown {name} {', '.join(wrong)}; one of {', '.join(allowed)}.")
    return items


def _duration_within(job, low, high):
    seconds = ogc.duration(job)
    return seconds is not None and (low is None or seconds >= low) and (
        high is None or seconds <= high)


@router.api_route("/jobs/{job_id}", methods=GET)
async def job_status(job_id: str, request: Request, user: CurrentUser):
    """Cheap: at most one read of the job (and of its failed tiles, if any)
    per second, whoever polls; the document is made in the event loop."""
    cache = request.app.state.status_cache
    found = cache.get(job_id)
    if found is MISSING:
        found = await run_in_threadpool(_job_and_failures, request.app.state.store, job_id)
        cache.put(job_id, found)
    if found is None or found[0].user_id != user.id:
        return _no_such_job(job_id)
    return JSONResponse(ogc.status_info(found[0], base_url(request), found[1]))


def _job_and_failures(store, job_id):
    job = store.job(job_id)
    return None if job is None else (job, store.failures(job_id) if job.tiles_failed else [])


@router.delete("/jobs/{job_id}")
def dismiss(job_id: str, request: Request, user: CurrentUser):
    """Cancels the running work, removes the results, answers `dismissed`."""
    store = request.app.state.store
    job = store.job(job_id, user.id)
    if job is None:
        return _no_such_job(job_id)
    store.dismiss(job_id)
    request.app.state.runner.dismiss(job_id)
    request.app.state.status_cache.drop(job_id)
    return ogc.status_info(store.job(job_id), base_url(request))


@router.api_route("/jobs/{job_id}/results", methods=GET)
def results(job_id: str, request: Request, user: CurrentUser):
    store = request.app.state.store
    job = store.job(job_id, user.id)
    if job is None:
        return _no_such_job(job_id)
    if job.status in ("accepted", "running"):
        return ogc.exception(404, "result-not-ready",
                             f"Job {job_id} is {job.status} ({job.progress} %).")
    if job.status == "dismissed":
        return _no_such_job(job_id)
    if job.status == "failed":      # as pygeoapi, the reference implementation: a 4xx
        return ogc.exception(400, "job-failed", job.message)
    doc = _results_document(job, store.tiles(job_id), base_url(request))
    if job.inputs.get("response") == "raw":
        # raw, by reference: no body, one Link header per output
        # (/req/core/job-results-async-raw-ref).
        doc["tiles"] = {"href": f"{base_url(request)}/jobs/{job_id}/files/{TILES_DOC}",
                        "type": ogc.JSON}
        links = [f'<{v["href"]}>; rel="{k}"; type="{v["type"]}"' for k, v in doc.items()]
        return Response(status_code=204, headers={"Link": ", ".join(links)})
    return doc


def _results_document(job, tiles, base):
    files = f"{base}/jobs/{job.id}/files"
    start, end = job.inputs["start"], job.inputs["end"]
    doc = {}
    for out in main_outputs(job.process_id):
        name = mosaic_name(job.process_id, out.key, start, end)
        doc[out.key] = {"href": f"{files}/mosaic/{name}",
                        "type": processes.COG_TYPE, "rel": "item",
                        "title": f"{out.title}: national mosaic, Lambert-93 (EPSG:2154)"}
    doc["stac"] = {"href": f"{files}/stac/collection.json", "type": ogc.JSON,
                   "rel": "item", "title": "STAC collection (one item per tile)"}
    doc["tiles"] = {"mediaType": ogc.JSON, "value": {  # a declared output (processes.py)
        t.tile: {key: f"{files}/tiles/{t.tile}/{name}" for key, name in t.outputs.items()}
        for t in tiles if t.state == "done"}}
    return doc


@router.api_route("/jobs/{job_id}/files/{path:path}", methods=GET)
def job_file(job_id: str, path: str, request: Request, user: CurrentUser):
    """A result file, with range requests (GDAL's /vsicurl/ reads COGs by
    ranges). STAC documents are served with absolute hrefs."""
    job = request.app.state.store.job(job_id, user.id)
    if job is None or job.status == "dismissed":
        return _no_such_job(job_id)
    if path == TILES_DOC and job.status == "successful":
        tiles = request.app.state.store.tiles(job_id)
        return _results_document(job, tiles, base_url(request))["tiles"]["value"]
    root = job_dir(request.app.state.settings.results, job_id).resolve()
    try:        # a name too long for the file system is no file either
        target = (root / path).resolve() if _servable(path) else root
        found = root in target.parents and target.is_file()
    except OSError:
        found = False
    if not found:
        return ogc.exception(404, "no-such-file", f"No file {path[:200]!r} in job {job_id}.")
    if target.suffix == ".json" and path.startswith("stac/"):
        url = f"{base_url(request)}/jobs/{job_id}/files/{path}"
        doc = stac.absolute_hrefs(json.loads(target.read_text()), url)
        return Response(json.dumps(doc), media_type="application/geo+json"
                        if doc.get("type") == "Feature" else ogc.JSON)
    if not _valid_range(request.headers.get("range")):
        return ogc.exception(400, "invalid-range", "The Range header must read "
                             "bytes=<first>-<last>[, ...] with first <= last, e.g. bytes=0-1023.")
    return FileResponse(target, media_type=MEDIA.get(target.suffix, "application/octet-stream"))


def _valid_range(header):
    """No Range header, or byte ranges Starlette serves (206) or finds beyond
    the file (416); it answers anything else in plain text, not as OGC."""
    if header is None:
        return True
    unit, _, ranges = header.partition("=")
    spans = [re.fullmatch(r"\s*([0-9]*)-([0-9]*)\s*", r) for r in ranges.split(",")]
    return unit.strip().lower() == "bytes" and all(
        m and (m[1] or m[2]) and not (m[1] and m[2] and int(m[1]) > int(m[2])) for m in spans)


def _servable(path):
    """Result files only: no bookkeeping (tile manifests, run counters), no
    hidden or unfinished folders, no NUL byte."""
    parts = PurePosixPath(path).parts
    return ("\x00" not in path and bool(parts) and parts[-1] != MANIFEST
            and not any(p.startswith(".") for p in parts)
            and PurePosixPath(path).suffix in MEDIA)


def _no_such_process(process_id):
    return ogc.exception(404, "no-such-process",
                         f"Unknown process {process_id!r}; the processes are: "
                         f"{', '.join(sorted(PRODUCTS))}.")


def _no_such_job(job_id):
    return ogc.exception(404, "no-such-job", f"No job {job_id} (of yours).")
