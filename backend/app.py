"""The ASGI application: routes, OGC error documents for every error
(unmatched routes and methods included, with the Allow header listing every
method of the path), start-up resume."""
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from . import ogc
from .auth import Unauthorized, user_cache
from .cache import TTLCache
from .routes import router

log = logging.getLogger("chainon.backend")
KINDS = {404: "not-found", 405: "method-not-allowed"}
STATUS_TTL = 1.0        # a job's status is at most this old (polls every few seconds)


def create_app(settings, store, runner):
    @asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(runner.resume)
        yield

    # FastAPI's own OpenAPI (3.1) and docs pages are off: /api serves 3.0.
    app = FastAPI(title="Chaînon compute centre", openapi_url=None, docs_url=None,
                  redoc_url=None, lifespan=lifespan)
    app.state.settings, app.state.store, app.state.runner = settings, store, runner
    app.state.user_cache, app.state.status_cache = user_cache(), TTLCache(STATUS_TTL)
    app.include_router(router)

    @app.exception_handler(Unauthorized)
    async def unauthorized(request, exc):
        return ogc.exception(401, "unauthorized", "A valid bearer token is required "
                             "(Authorization: Bearer <token>).",
                             headers={"WWW-Authenticate": 'Bearer realm="chainon"'})

    @app.exception_handler(HTTPException)
    async def http_error(request, exc):
        headers = dict(exc.headers or {})
        detail = str(exc.detail)
        if exc.status_code == 404:
            detail = f"No resource at {request.url.path}."
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(router, request.url.path))
            detail = f"{request.method} is not allowed on {request.url.path}; " \
                     f"allowed: {headers['Allow']}."
        return ogc.exception(exc.status_code, KINDS.get(exc.status_code, "error"), detail,
                             headers=headers)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request, exc):
        problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}"
                             for e in exc.errors())
        return ogc.exception(400, "invalid-parameter-value", f"Invalid parameter: {problems}.")

    @app.exception_handler(Exception)
    async def server_error(request, exc):
        log.exception("error on %s %s", request.method, request.url.path)
        return ogc.exception(500, "server-error", "The service failed on this request; "
                             "it was logged.")

    return app


def allowed_methods(routes, path):
    """Every method some route answers on this path (FastAPI's 405 names
    only those of the first route that matched it)."""
    methods = set()
    for route in routes.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)
