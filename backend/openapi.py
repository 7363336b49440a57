"""The OpenAPI 3.0 definition served at /api (conformance class oas30).
Written out rather than generated: FastAPI emits OpenAPI 3.1, and the
process inputs are JSON Schema from the catalog anyway."""
from chainon.core.catalog import PRODUCTS

from .ogc import OPENAPI_TYPE

J = "application/json"


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _response(description, schema=None, content_type=J):
    resp = {"description": description}
    if schema:
        resp["content"] = {content_type: {"schema": schema}}
    return resp


ERRORS = {"400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}}
JOB_ID = {"name": "jobId", "in": "path", "required": True, "schema": {"type": "string"}}
PROCESS_ID = {"name": "processId", "in": "path", "required": True,
              "schema": {"type": "string", "enum": sorted(PRODUCTS)}}
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


def _get(summary, schema, params=(), public=False):
    return {"get": {"summary": summary, "parameters": list(params),
                    "responses": {"200": _response(summary, schema), **ERRORS},
                    **({"security": PUBLIC} if public else {})}}


def _paths():
    get = _get
    paths = {
        "/": get("Landing page", _ref("landingPage"), public=True),
        "/conformance": get("Conformance classes", _ref("confClasses"), public=True),
        "/api": {"get": {"summary": "This API definition", "security": PUBLIC, "responses": {
            "200": _response("OpenAPI 3.0 document", {"type": "object"}, OPENAPI_TYPE)}}},
        "/processes": get("Process list", _ref("processList"), public=True),
        "/processes/{processId}": get("Process description", _ref("process"), [PROCESS_ID],
                                      public=True),
        "/jobs": get("The caller's jobs", _ref("jobList")),
        "/jobs/{jobId}": {**get("Job status", _ref("statusInfo"), [JOB_ID]), "delete": {
            "summary": "Cancel and dismiss a job", "parameters": [JOB_ID],
            "responses": {"200": _response("Dismissed", _ref("statusInfo")), **ERRORS}}},
        "/jobs/{jobId}/results": get("Job results (links)", _ref("results"), [JOB_ID]),
        "/jobs/{jobId}/files/{path}": {"get": {
            "summary": "A result file (HTTP range requests supported)",
            "parameters": [JOB_ID, {"name": "path", "in": "path", "required": True,
                                    "schema": {"type": "string"}}],
            "responses": {"200": _response("The file"), "206": _response("Part of the file"),
                          **ERRORS}}},
    }
    paths["/processes/{processId}/execution"] = {"post": {
        "summary": "Execute a process (asynchronous: 201, Location, status info)",
        "parameters": [PROCESS_ID, {"name": "Prefer", "in": "header", "required": False,
                                    "schema": {"type": "string", "example": "respond-async"}}],
        "requestBody": {"required": True, "content": {J: {"schema": _ref("execute")}}},
        "responses": {"201": {"description": "Job created", "headers": {"Location": {
            "schema": {"type": "string"}, "description": "The job's status URL"}},
            "content": {J: {"schema": _ref("statusInfo")}}}, **ERRORS}}}
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
        "status": {"type": "string", "enum": ["accepted", "running", "successful", "failed",
                                              "dismissed"]},
        "message": {"type": "string"}, "progress": {"type": "integer", "minimum": 0,
                                                    "maximum": 100},
        **{k: {"type": "string", "format": "date-time"}
           for k in ("created", "started", "finished", "updated")},
        "links": links, "tiles": obj}}
    exc_response = {"description": "Error", "content": {J: {"schema": _ref("exception")}}}
    return {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "link": link, "exception": exc, "statusInfo": status,
            "landingPage": {"type": "object", "properties": {"title": {"type": "string"},
                                                             "links": links}},
            "confClasses": {"type": "object", "properties": {"conformsTo": {
                "type": "array", "items": {"type": "string"}}}},
            "processList": {"type": "object", "properties": {
                "processes": {"type": "array", "items": obj}, "links": links}},
            "process": obj,
            "jobList": {"type": "object", "properties": {
                "jobs": {"type": "array", "items": _ref("statusInfo")}, "links": links}},
            "execute": {"type": "object", "required": ["inputs"], "properties": {
                "inputs": obj, "outputs": obj,
                "response": {"type": "string", "enum": ["raw", "document"]}}},
            "results": {"type": "object", "additionalProperties": obj},
        },
        "responses": {"BadRequest": exc_response, "Unauthorized": exc_response,
                      "NotFound": exc_response},
    }
