"""FastAPI dependencies: routes receive the store, the catalogue and the registry through these."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import Depends, Query, Request

from policykg.api.state import AppState
from policykg.graph.store import GraphStore
from policykg.queries.catalogue import Catalogue

if TYPE_CHECKING:
    from policykg.loaders.registry import AgencyRegistry

Format = Literal["json", "csv", "html"]


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.policykg
    return state


def get_store(request: Request) -> GraphStore:
    return app_state(request).stores.get()


def get_catalogue(request: Request) -> Catalogue:
    return app_state(request).catalogue


def get_registry(request: Request) -> AgencyRegistry:
    return app_state(request).registry


StoreDep = Annotated[GraphStore, Depends(get_store)]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
FormatParam = Annotated[
    Format, Query(alias="format", description="json (default), csv, or html for reading in a browser.")
]
LimitParam = Annotated[int, Query(ge=1, le=1000, description="Rows per page.")]
OffsetParam = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]
