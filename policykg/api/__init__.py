"""The HTTP API (FastAPI): named queries as resources, one JSON error shape, bearer-guarded writes.

``create_app(settings, store=None)`` builds the app; ``policykg serve`` runs it with uvicorn.
FastAPI is imported only when the app is built, so the CLI's other commands stay quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from policykg.graph.store import GraphStore
    from policykg.settings import Settings

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, store: GraphStore | None = None, **kwargs: Any) -> FastAPI:
    """See :func:`policykg.api.app.create_app`."""
    from policykg.api.app import create_app as build

    return build(settings, store, **kwargs)
