"""OGC API - Processes 1.0 documents: landing page, conformance, status
info, results, exceptions."""
from datetime import datetime
from urllib.parse import urlencode

from fastapi.responses import JSONResponse

from .errors import InvalidInput
from .store import as_utc, now

SPEC = "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/"
CONFORMANCE = [SPEC + c for c in ("core", "ogc-process-description", "json", "oas30",
                                  "job-list", "dismiss")]
REL = "http://www.opengis.net/def/rel/ogc/1.0/"
EXC = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/"
OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"
JSON = "application/json"
STATUSES = ("accepted", "running", "successful", "failed", "dismissed")


def landing(base):
    return {
        "title": "Chaînon compute centre",
        "description": ("France-wide Copernicus environmental products (the CESBIO methods) "
                        "computed tile by tile, served with OGC API - Processes 1.0."),
        "links": [
            {"href": f"{base}/", "rel": "self", "type": JSON, "title": "This document"},
            {"href": f"{base}/api", "rel": "service-desc", "type": OPENAPI_TYPE,
             "title": "The API definition (OpenAPI 3.0)"},
            {"href": f"{base}/conformance", "rel": "conformance", "type": JSON,
             "title": "Conformance classes"},
            {"href": f"{base}/conformance", "rel": REL + "conformance", "type": JSON},
            {"href": f"{base}/processes", "rel": REL + "processes", "type": JSON,
             "title": "The processes (one per product)"},
            {"href": f"{base}/jobs", "rel": REL + "job-list", "type": JSON,
             "title": "Your jobs"},
        ],
    }


def _time(value):
    value = as_utc(value)
    return value.isoformat().replace("+00:00", "Z") if value else None


def status_info(job, base, tiles=None):
    """statusInfo of a job; `tiles` (its TileState rows) adds which tiles
    failed and why (an extension member, ignored by standard clients)."""
    doc = {"jobID": job.id, "processID": job.process_id, "type": "process",
           "status": job.status, "message": job.message, "progress": job.progress,
           "created": _time(job.created), "started": _time(job.started),
           "finished": _time(job.finished), "updated": _time(job.updated),
           "links": [{"href": f"{base}/jobs/{job.id}", "rel": "self", "type": JSON,
                      "title": "Job status"},
                     {"href": f"{base}/jobs", "rel": "up", "type": JSON}]}
    if job.status == "successful":
        doc["links"].append({"href": f"{base}/jobs/{job.id}/results", "rel": REL + "results",
                             "type": JSON, "title": "Job results"})
    doc = {k: v for k, v in doc.items() if v is not None}
    doc["tiles"] = {"planned": job.tiles_planned, "done": job.tiles_done,
                    "failed": job.tiles_failed}
    if tiles is not None:
        doc["tiles"]["failures"] = [{"tile": t.tile, "error": t.error}
                                    for t in tiles if t.state == "failed"]
    return doc


def exception(status, kind, detail, headers=None):
    """An OGC exception document (RFC 7807 members)."""
    return JSONResponse({"type": EXC + kind if "/" not in kind else kind,
                         "title": kind.replace("-", " "), "status": status, "detail": detail},
                        status_code=status, headers=headers)


def page_links(url, query, offset, limit, total):
    """self, and next/prev when there are more items (OGC paging links)."""
    def link(rel, start):
        params = [(k, v) for k, v in query.multi_items() if k != "offset"]
        params.append(("offset", str(start)))
        return {"href": f"{url}?{urlencode(params)}", "rel": rel, "type": JSON}
    links = [{**link("self", offset)}]
    if offset + limit < total:
        links.append(link("next", offset + limit))
    if offset > 0:
        links.append(link("prev", max(0, offset - limit)))
    return links


def _instant(text):
    if text in ("", ".."):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"datetime must be RFC 3339 (e.g. 2026-01-31T00:00:00Z), "
                           f"not {text[:40]!r}.") from None
    return as_utc(value)


def parse_interval(text):
    """OGC `datetime`: an instant, or start/end with `..` for an open end."""
    if not text:
        return None, None
    if "/" not in text:
        instant = _instant(text)
        return instant, instant
    start, _, end = text.partition("/")
    return _instant(start), _instant(end)


def duration(job):
    """Seconds since the job started, to its end or now; None if not started."""
    started = as_utc(job.started)
    if started is None:
        return None
    return ((as_utc(job.finished) or now()) - started).total_seconds()
