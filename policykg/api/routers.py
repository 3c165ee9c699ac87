"""Routers other parts of policykg add to the API, as ``"module:attribute"`` strings.

To add yours, append one line here, e.g. ``"policykg.viz.api:router"``; :func:`create_app`
imports each and includes it after the API's own routes. A module that fails to import
stops the app from starting, so a broken line is noticed at once.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter

EXTRA_ROUTERS: list[str] = ["policykg.analytics.routes:router", "policykg.viz.routes:router"]


def load_router(spec: str) -> APIRouter:
    """The router a ``"module:attribute"`` string names.

    >>> load_router("policykg.api.routes.health:router").routes[0].path
    '/healthz'
    """
    module_name, _, attribute = spec.partition(":")
    router = getattr(importlib.import_module(module_name), attribute or "router")
    if not isinstance(router, APIRouter):
        raise TypeError(f"{spec} is not a FastAPI APIRouter.")
    return router
