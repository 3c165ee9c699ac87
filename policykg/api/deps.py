"""FastAPI dependencies: routes receive the store, the catalogue and the registry through these.

The store and the format parameter are the library's (:mod:`policykg.web`), shared with the
analytics and explorer routers the API includes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from policykg.api.state import AppState
from policykg.queries.catalogue import Catalogue
from policykg.web import Format, FormatParam, StoreDep, get_store

__all__ = [
    "CatalogueDep",
    "CursorParam",
    "Format",
    "FormatParam",
    "StoreDep",
    "app_state",
    "get_catalogue",
    "get_store",
]


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.policykg
    return state


def get_catalogue(request: Request) -> Catalogue:
    return app_state(request).catalogue


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
CursorParam = Annotated[
    str | None,
    Query(
        max_length=64,
        description="Where the page starts: the opaque cursor of the previous page's next link (instead of offset).",
    ),
]
