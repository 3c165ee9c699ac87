"""What a router needs from the app that serves it, so that routers never import the API package.

The API (:mod:`policykg.api`) builds the app and keeps an object of the :class:`Served` shape on
``app.state.policykg``; the analytics and explorer routers reach the store, the settings, the
registry, the render pool and the list renderer through the dependencies here. The API includes
their routers explicitly, so the dependency runs one way: ``api`` → ``analytics``/``viz`` → this
module, and ``tests/test_import_rules.py`` keeps it so.

>>> from fastapi import FastAPI
>>> from fastapi.testclient import TestClient
>>> class Holder:
...     def get(self) -> str:
...         return "the store"
>>> class State:
...     stores = Holder()
>>> app = FastAPI()
>>> app.state.policykg = State()
>>> @app.get("/which")
... def which(store: StoreDep) -> str:
...     return store
>>> TestClient(app).get("/which").json()
'the store'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol, TypeVar

from fastapi import Depends, Path, Query, Request
from fastapi.responses import Response

from policykg.graph.store import GraphStore, Row
from policykg.queries.catalogue import MAX_TEXT_LENGTH
from policykg.settings import Settings

if TYPE_CHECKING:
    from policykg.loaders.registry import AgencyRegistry

T = TypeVar("T")
Format = Literal["json", "csv", "html"]
FORMATS: tuple[str, ...] = ("json", "csv", "html")


class StoreSource(Protocol):
    """Hands out the app's store, opening it on first use (``StoreUnavailable`` while it cannot)."""

    def get(self) -> GraphStore: ...


class RenderPool(Protocol):
    """Runs costly renders (the explorer site, charts) off the event loop, a bounded number at once."""

    async def run(self, func: Callable[..., T], *args: Any) -> T: ...


class Renders(Protocol):
    """The store version (moved on by every write) and the pool costly renders run in."""

    @property
    def version(self) -> str: ...

    @property
    def pool(self) -> RenderPool: ...


class Served(Protocol):
    """What a router may ask of the app it is included in (``app.state.policykg``)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def stores(self) -> StoreSource: ...

    @property
    def registry(self) -> AgencyRegistry: ...

    @property
    def renders(self) -> Renders: ...

    def render_rows(
        self, request: Request, name: str, params: dict[str, Any], rows: list[Row], fmt: str, *, title: str,
        time_ms: float,
    ) -> Response:  # fmt: skip
        """Rows computed outside the catalogue answered as JSON, CSV or HTML like every list route."""
        ...


def served(request: Request) -> Served:
    """The serving app's state, as routers see it."""
    state: Served = request.app.state.policykg
    return state


def get_store(request: Request) -> GraphStore:
    return served(request).stores.get()


StoreDep = Annotated[GraphStore, Depends(get_store)]
FormatParam = Annotated[
    Format, Query(alias="format", description="json (default), csv, or html for reading in a browser.")
]
AgencyName = Annotated[
    str,
    Path(
        min_length=1,
        max_length=MAX_TEXT_LENGTH,
        description="Canonical name, alias or id, e.g. 省经信委 or 省环保局 (URL-encoded; may hold /).",
    ),
]
