"""The OpenAPI 3.0 definition served at /api (conformance class oas30).
Written out rather than generated: FastAPI emits OpenAPI 3.1, and the
process inputs are JSON Schema from the catalog anyway. Each process has
its own execute path, whose request body schema names its inputs, their
ranges and which are required."""
from chainon.core.catalog import PRODUCTS

from . import processes
from .ogc import OPENAPI_TYPE, STATUSES

J = "application/json"


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _response(description, schema=None, content_type=J):
    resp = {"description": description}
    if schema:
        resp["content"] = {content_type: {"schema": schema}}
    return resp


def _errors(*codes):
    return {str(c): {"$ref": f"#/components/responses/E{c}"} for c in codes}


JOB_ID = {"name": "jobId", "in": "path", "required": True, "schema": {"type": "string"}}
PROCESS_ID = {"name": "processId", "in": "path", "required": True,
              "schema": {"type": "string", "enum": sorted(PRODUCTS)}}
LIMIT = {"name": "limit", "in": "query", "required": False, "schema": {
    "type": "integer", "minimum": 1, "maximum": 10000, "default": 100}}
OFFSET = {"name": "offset", "in": "query", "required": False, "description":
          "Paging: items skipped (follow the next/prev links)",
          "schema": {"type": "integer", "minimum": 0, "maximum": 10**9, "default": 0}}


def _array_query(name, items, description):
    return {"name": name, "in": "query", "required": False, "style": "form", "explode": False,
            "description": description, "schema": {"type": "array", "items": items}}


JOB_FILTERS = [
    _array_query("processID", {"type": "string"}, "Jobs of these processes"),
    _array_query("status", {"type": "string", "enum": list(STATUSES)}, "Jobs in these states"),
    _array_query("type", {"type": "string", "enum": ["process"]}, "Job type"),
    {"name": "datetime", "in": "query", "required": False, "description":
     "Creation time: an RFC 3339 instant or interval (start/end, `..` open)",
     "schema": {"type": "string"}},
    {"name": "minDuration", "in": "query", "required": False, "description": "seconds",
     "schema": {"type": "integer", "minimum": 0}},
    {"name": "maxDuration", "in": "query", "required": False, "description": "seconds",
     "schema": {"type": "integer", "minimum": 0}},
    LIMIT, OFFSET]
PUBLIC = []      # security override: no token needed


def document(base):
    return {
        "openapi": "3.0.3",
        "info": {"title": "Chaînon compute centre", "version": "1.0.0",
                 "description": "OGC API - Processes 1.0: core, OGC process description, "
                                "JSON, OpenAPI 3.0, job list, dismiss."},
        "servers": [{"url": base or "/"}],
        "security": [{"bearer": []}],
        "paths": _paths(),
        "components": _components(),
    }


def _get(summary, schema, params=(), public=False, errors=(400, 401, 404)):
    if public:
        errors = tuple(c for c in errors if c != 401)
    return {"get": {"summary": summary, "parameters": list(params),
                    "responses": {"200": _response(summary, schema), **_errors(*errors)},
                    **({"security": PUBLIC} if public else {})}}


def _paths():
    get = _get
    paths = {
        "/": get("Landing page", _ref("landingPage"), public=True, errors=()),
        "/conformance": get("Conformance classes", _ref("confClasses"), public=True,
                            errors=()),
        "/api": {"get": {"summary": "This API definition", "security": PUBLIC, "responses": {
            "200": _response("OpenAPI 3.0 document", {"type": "object"}, OPENAPI_TYPE)}}},
        "/processes": get("Process list", _ref("processList"), [LIMIT, OFFSET], public=True,
                          errors=(400,)),
        "/processes/{processId}": get("Process description", _ref("process"), [PROCESS_ID],
                                      public=True, errors=(404,)),
        "/jobs": get("The caller's jobs", _ref("jobList"), JOB_FILTERS, errors=(400, 401)),
        "/jobs/{jobId}": {**get("Job status", _ref("statusInfo"), [JOB_ID], errors=(401, 404)),
                          "delete": {
            "summary": "Cancel and dismiss a job", "parameters": [JOB_ID],
            "responses": {"200": _response("Dismissed", _ref("statusInfo")),
                          **_errors(401, 404)}}},
        "/jobs/{jobId}/results": {"get": {
            "summary": "Job results", "parameters": [JOB_ID], "responses": {
                "200": _response("The results document: a link per output", _ref("results")),
                "204": {"description": "The job was executed with response=raw: no body, "
                                       "one Link header per output",
                        "headers": {"Link": {"schema": {"type": "string"}}}},
                "404": {"description": "No such job (of yours), dismissed, or results not "
                                       "ready yet (type .../result-not-ready)",
                        "content": {J: {"schema": _ref("exception")}}},
                "400": {"description": "The job failed: the exception says why "
                                       "(type .../job-failed)",
                        "content": {J: {"schema": _ref("exception")}}},
                **_errors(401)}}},
        "/jobs/{jobId}/files/{path}": {"get": {
            "summary": "A result file (HTTP range requests supported)",
            "parameters": [JOB_ID, {"name": "path", "in": "path", "required": True,
                                    "schema": {"type": "string"}}],
            "responses": {"200": _response("The file", {"type": "string", "format": "binary"},
                                           "*/*"),
                          "206": _response("Part of the file"), **_errors(401, 404)}}},
    }
    for pid, product in PRODUCTS.items():
        paths[f"/processes/{pid}/execution"] = {"post": {
            "summary": f"Execute {pid} (asynchronous: 201, Location, status info)",
            "parameters": [{"name": "Prefer", "in": "header", "required": False,
                            "schema": {"type": "string", "example": "respond-async"}}],
            "requestBody": {"required": True, "content": {J: {
                "schema": processes.execute_schema(product)}}},
            "responses": {"201": {"description": "Job created", "headers": {"Location": {
                "schema": {"type": "string"}, "description": "The job's status URL"}},
                "content": {J: {"schema": _ref("statusInfo")}}},
                **_errors(400, 401, 413, 429)}}}
    return paths


def _components():
    link = {"type": "object", "required": ["href"], "properties": {
        k: {"type": "string"} for k in ("href", "rel", "type", "title")}}
    links = {"type": "array", "items": _ref("link")}
    obj = {"type": "object"}
    exc = {"type": "object", "required": ["type"], "properties": {
        "type": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"}}}
    status = {"type": "object", "required": ["jobID", "status", "type"], "properties": {
        "jobID": {"type": "string"}, "processID": {"type": "string"},
        "type": {"type": "string", "enum": ["process"]},
        "status": {"type": "string", "enum": list(STATUSES)},
        "message": {"type": "string"}, "progress": {"type": "integer", "minimum": 0,
                                                    "maximum": 100},
        **{k: {"type": "string", "format": "date-time"}
           for k in ("created", "started", "finished", "updated")},
        "links": links, "tiles": obj}}
    messages = {400: "Invalid request", 401: "No valid bearer token", 404: "Not found",
                413: "Request body too large", 429: "Too many active jobs (Retry-After)"}
    return {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "link": link, "exception": exc, "statusInfo": status,
            "landingPage": {"type": "object", "required": ["links"], "properties": {
                "title": {"type": "string"}, "links": links}},
            "confClasses": {"type": "object", "required": ["conformsTo"], "properties": {
                "conformsTo": {"type": "array", "items": {"type": "string"}}}},
            "processList": {"type": "object", "required": ["processes", "links"],
                            "properties": {"processes": {"type": "array", "items": obj},
                                           "links": links}},
            "process": {"type": "object", "required": ["id", "version", "inputs", "outputs"]},
            "jobList": {"type": "object", "required": ["jobs", "links"], "properties": {
                "jobs": {"type": "array", "items": _ref("statusInfo")}, "links": links}},
            "results": {"type": "object", "additionalProperties": obj},
        },
        "responses": {f"E{code}": {"description": text, "content": {J: {
            "schema": _ref("exception")}}} for code, text in messages.items()},
    }
