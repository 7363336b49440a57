"""The HTTP routes of OGC API - Processes 1.0, and the result files."""
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response

from chainon.core.catalog import PRODUCTS
from chainon.core.products import main_outputs

from . import ogc, openapi, processes, stac
from .auth import current_user
from .errors import InvalidInput
from .mosaic import mosaic_name
from .tasks import job_dir

router = APIRouter()
CurrentUser = Annotated[object, Depends(current_user)]
MEDIA = {".tif": processes.COG_TYPE, ".qml": "text/xml", ".json": "application/json",
         ".png": "image/png"}


def base_url(request):
    public = request.app.state.settings.public_url
    return (public or str(request.base_url)).rstrip("/")


@router.get("/")
def landing(request: Request):
    return ogc.landing(base_url(request))


@router.get("/conformance")
def conformance():
    return {"conformsTo": ogc.CONFORMANCE}


@router.get("/api")
def api(request: Request):
    return JSONResponse(openapi.document(base_url(request)), media_type=ogc.OPENAPI_TYPE)


@router.get("/processes")
def process_list(request: Request):
    base = base_url(request)
    return {"processes": [processes.summary(p, base) for p in PRODUCTS.values()],
            "links": [{"href": f"{base}/processes", "rel": "self", "type": ogc.JSON}]}


@router.get("/processes/{process_id}")
def process_description(process_id: str, request: Request):
    if process_id not in PRODUCTS:
        return _no_such_process(process_id)
    return processes.describe(PRODUCTS[process_id], base_url(request))


@router.post("/processes/{process_id}/execution")
async def execute(process_id: str, request: Request, user: CurrentUser):
    if process_id not in PRODUCTS:
        return _no_such_process(process_id)
    try:
        body = json.loads(await request.body() or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        return ogc.exception(400, "invalid-parameter-value", f"The body is not valid JSON: {exc}")
    try:
        inputs = await run_in_threadpool(processes.parse_execute, process_id, body)
    except InvalidInput as exc:
        return ogc.exception(400, "invalid-parameter-value", str(exc))
    app = request.app
    job = await run_in_threadpool(app.state.store.create_job, user.id, process_id, inputs,
                                  inputs["tiles"])
    app.state.runner.start(job.id)
    base = base_url(request)
    headers = {"Location": f"{base}/jobs/{job.id}"}
    if "respond-async" in request.headers.get("prefer", ""):
        headers["Preference-Applied"] = "respond-async"
    return JSONResponse(ogc.status_info(job, base), status_code=201, headers=headers)


@router.get("/jobs")
def job_list(request: Request, user: CurrentUser):
    base = base_url(request)
    return {"jobs": [ogc.status_info(j, base) for j in request.app.state.store.jobs(user.id)],
            "links": [{"href": f"{base}/jobs", "rel": "self", "type": ogc.JSON}]}


@router.get("/jobs/{job_id}")
def job_status(job_id: str, request: Request, user: CurrentUser):
    store = request.app.state.store
    job = store.job(job_id, user.id)
    if job is None:
        return _no_such_job(job_id)
    return ogc.status_info(job, base_url(request), store.tiles(job_id))


@router.delete("/jobs/{job_id}")
def dismiss(job_id: str, request: Request, user: CurrentUser):
    """Cancels the running work, removes the results, answers `dismissed`."""
    store = request.app.state.store
    job = store.job(job_id, user.id)
    if job is None:
        return _no_such_job(job_id)
    store.dismiss(job_id)
    request.app.state.runner.dismiss(job_id)
    return ogc.status_info(store.job(job_id), base_url(request))


@router.get("/jobs/{job_id}/results")
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
    if job.status == "failed":
        return ogc.exception(500, "job-failed", job.message)
    return _results_document(job, store.tiles(job_id), base_url(request))


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
    doc["tiles"] = {"mediaType": ogc.JSON, "value": {
        t.tile: {key: f"{files}/tiles/{t.tile}/{name}" for key, name in t.outputs.items()}
        for t in tiles if t.state == "done"}}
    return doc


@router.api_route("/jobs/{job_id}/files/{path:path}", methods=["GET", "HEAD"])
def job_file(job_id: str, path: str, request: Request, user: CurrentUser):
    """A result file, with range requests (GDAL's /vsicurl/ reads COGs by
    ranges). STAC documents are served with absolute hrefs."""
    job = request.app.state.store.job(job_id, user.id)
    if job is None or job.status == "dismissed":
        return _no_such_job(job_id)
    root = job_dir(request.app.state.settings.results, job_id).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file() or ".partial" in path:
        return ogc.exception(404, "no-such-file", f"No file {path} in job {job_id}.")
    if target.suffix == ".json" and path.startswith("stac/"):
        url = f"{base_url(request)}/jobs/{job_id}/files/{path}"
        doc = stac.absolute_hrefs(json.loads(target.read_text()), url)
        return Response(json.dumps(doc), media_type="application/geo+json"
                        if doc.get("type") == "Feature" else ogc.JSON)
    return FileResponse(target, media_type=MEDIA.get(target.suffix, "application/octet-stream"))


def _no_such_process(process_id):
    return ogc.exception(404, "no-such-process",
                         f"Unknown process {process_id!r}; the processes are: "
                         f"{', '.join(sorted(PRODUCTS))}.")


def _no_such_job(job_id):
    return ogc.exception(404, "no-such-job", f"No job {job_id} (of yours).")
