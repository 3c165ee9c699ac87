"""The FastAPI application: one store per app, opened on start and closed on shutdown.

>>> from policykg.settings import Settings
>>> app = create_app(Settings(), store=None)
>>> sorted(path for path in app.openapi()["paths"] if path.startswith("/agencies"))[:2]
['/agencies', '/agencies/{name}']
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi_offline import FastAPIOffline
from starlette.types import Scope

from policykg.analytics import routes as analytics_routes
from policykg.api.errors import CatchAllMiddleware, install_error_handlers
from policykg.api.guards import HeadAsGetMiddleware, NulGuardMiddleware, RateLimit, RateLimitMiddleware
from policykg.api.limits import MULTIPART_OVERHEAD_BYTES, SMALL_BODY_BYTES, BodyLimitMiddleware
from policykg.api.render import RenderCacheMiddleware
from policykg.api.routes import agencies, documents, health, industries, measures, queries, targets
from policykg.api.state import AppState, StoreHolder
from policykg.api.strict import refuse_unknown_query_params
from policykg.graph.store import GraphStore
from policykg.settings import Settings
from policykg.viz import routes as explorer_routes
from policykg.web import Served

DESCRIPTION = """
Government policy measures from Chinese task-decomposition documents (分工方案), as a graph:
every measure with its lead (牵头), supporting (配合) or jointly responsible agencies, its
targets, deadlines, industries and the clause it came from.

Agencies may be named by canonical name, alias or id (URL-encoded Chinese works).
Lists page with `limit`/`offset` and give a `next` link; `?format=csv` answers CSV and
`?format=html` a readable table. Errors share one shape: `{"error": {"status", "title", "detail", …}}`.
Writes need `Authorization: Bearer <token>` (POLICYKG_API_TOKEN).
"""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The API over ``store``, or over the store ``settings`` configure (opened at start-up)."""
    settings = settings or Settings()
    holder = StoreHolder(settings, store=store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(holder.try_open)
        try:
            yield
        finally:
            await run_in_threadpool(holder.close)

    # fastapi-offline serves Swagger UI (/docs) and ReDoc (/redoc) from assets in its own
    # package, so both work with no network; FastAPI's own pages load them from a CDN.
    app = FastAPIOffline(
        title="policykg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url="/redoc",
        dependencies=[Depends(refuse_unknown_query_params)],
    )
    state = AppState(settings, holder)
    served: Served = state  # the shape the analytics and explorer routers rely on (checked by mypy)
    app.state.policykg = served
    install_error_handlers(app)
    # Added innermost first. The body limit sits inside the catch-all, so its own signal never
    # becomes a 500; HEAD becomes GET before the render cache, which keys GETs only.
    app.add_middleware(
        BodyLimitMiddleware, limit_for=_body_limit(settings), stated_for=_body_limit(settings, stated=True)
    )
    app.add_middleware(RenderCacheMiddleware, renders=state.renders)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(NulGuardMiddleware)
    if settings.rate_limit:
        app.add_middleware(RateLimitMiddleware, limit=RateLimit(settings.rate_limit))
    app.add_middleware(CatchAllMiddleware)
    for router in (
        health.router,
        agencies.router,
        measures.router,
        targets.router,
        industries.router,
        documents.router,
        queries.router,
        analytics_routes.router,
        explorer_routes.router,
        agencies.profile_router,  # last: /agencies/{name:path} matches any longer path
    ):
        app.include_router(router)
    _add_bearer_scheme(app)
    return app


def _body_limit(settings: Settings, *, stated: bool = False) -> Callable[[Scope], int]:
    """The body limit per request; ``stated``: the one to name in a 413 (an upload's file-size limit)."""
    upload_limit = settings.max_upload_bytes + (0 if stated else MULTIPART_OVERHEAD_BYTES)

    def limit_for(scope: Scope) -> int:
        if scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == "/documents":
            return upload_limit
        return SMALL_BODY_BYTES

    return limit_for


def _add_bearer_scheme(app: FastAPI) -> None:
    """Declare the bearer scheme the write routes' ``security`` entries refer to."""
    original = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {})["bearer"] = {"type": "http", "scheme": "bearer"}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
