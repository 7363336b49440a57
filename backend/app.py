"""The ASGI application: routes, OGC error documents, start-up resume."""
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException
from fastapi.concurrency import run_in_threadpool

from . import ogc
from .auth import Unauthorized
from .routes import router


def create_app(settings, store, runner):
    @asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(runner.resume)
        yield

    # FastAPI's own OpenAPI (3.1) and docs pages are off: /api serves 3.0.
    app = FastAPI(title="Chaînon compute centre", openapi_url=None, docs_url=None,
                  redoc_url=None, lifespan=lifespan)
    app.state.settings, app.state.store, app.state.runner = settings, store, runner
    app.include_router(router)

    @app.exception_handler(Unauthorized)
    async def unauthorized(request, exc):
        return ogc.exception(401, "unauthorized", "A valid bearer token is required "
                             "(Authorization: Bearer <token>).",
                             headers={"WWW-Authenticate": 'Bearer realm="chainon"'})

    @app.exception_handler(HTTPException)
    async def http_error(request, exc):
        kind = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "error")
        return ogc.exception(exc.status_code, kind, str(exc.detail))

    return app
