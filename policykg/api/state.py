"""What the app holds between requests: the store (opened on start, or on first use when the
store was unreachable then), the catalogue and the agency registry.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import Response

from policykg.api.render import RenderCache, RenderPool, Renders
from policykg.api.responses import Page, render_page
from policykg.errors import StoreUnavailable
from policykg.graph.store import GraphStore, Row
from policykg.queries.catalogue import Catalogue
from policykg.settings import Settings

if TYPE_CHECKING:
    from policykg.loaders.registry import AgencyRegistry

log = logging.getLogger("policykg.api")


def _open_from_settings(settings: Settings) -> GraphStore:
    return settings.open_store(read_only=settings.read_only)


@dataclass
class StoreHolder:
    """Opens the store lazily and keeps it; a store given by the caller is never closed here.

    >>> holder = StoreHolder(Settings(), opener=lambda s: (_ for _ in ()).throw(StoreUnavailable("down.")))
    >>> holder.get()
    Traceback (most recent call last):
    ...
    policykg.errors.StoreUnavailable: down.
    """

    settings: Settings
    store: GraphStore | None = None
    opener: Callable[[Settings], GraphStore] = _open_from_settings
    owned: bool = False
    # After a failed open, requests within this many seconds get the same answer at once
    # instead of each waiting on its own connection attempt.
    retry_seconds: float = 1.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _failure: tuple[float, StoreUnavailable] | None = field(default=None, repr=False)
    _opened_version: str | None = field(default=None, repr=False)
    _retired: GraphStore | None = field(default=None, repr=False)

    def get(self) -> GraphStore:
        if self.store is not None:
            if self.settings.read_only and self.owned:
                self._follow_writer()
            return self.store
        with self._lock:
            if self.store is None:
                if self._failure is not None and time.monotonic() - self._failure[0] < self.retry_seconds:
                    raise self._failure[1]
                try:
                    self.store = self.opener(self.settings)
                except StoreUnavailable as error:
                    self._failure = (time.monotonic(), error)
                    raise
                self._failure = None
                self.owned = True
                self._opened_version = self.store.version()
            return self.store

    def _follow_writer(self) -> None:
        """A read-only embedded store sees the data as it was when opened: reopen it once another
        process has written (its version moved on). The previous store is closed one swap later,
        so a request still reading it finishes first."""
        store = self.store
        if store is None or store.dialect != "embedded":
            return
        version = store.version()
        if version == self._opened_version:
            return
        with self._lock:
            if self.store is not store:
                return  # another request reopened it meanwhile
            fresh = self.opener(self.settings)
            if self._retired is not None:
                self._retired.close()
            self._retired, self.store, self._opened_version = store, fresh, version

    def quick_version(self) -> str | None:
        """The open embedded store's version when serving it needs no reopening, else None.

        It is a small file read, cheap enough for the event loop; a Neo4j version is a query,
        and a read-only store another process wrote to must first be reopened (in a thread).
        """
        store = self.store
        if store is None or store.dialect != "embedded":
            return None
        version = store.version()
        if self.settings.read_only and self.owned and version != self._opened_version:
            return None
        return version

    def try_open(self) -> None:
        """Open now if possible; an unreachable store is only logged (requests answer 503 until it is back)."""
        try:
            self.get()
        except StoreUnavailable as error:
            log.warning("the store is not available yet: %s", error)

    def close(self) -> None:
        with self._lock:
            if self._retired is not None:
                self._retired.close()
                self._retired = None
            if self.store is not None and self.owned:
                self.store.close()
                self.store = None
                self.owned = False


def _renders_for(settings: Settings) -> Renders:
    return Renders(
        RenderCache(ttl_seconds=settings.cache_seconds), RenderPool(settings.render_workers, settings.render_queue)
    )


@dataclass
class AppState:
    settings: Settings
    stores: StoreHolder
    catalogue: Catalogue = field(default_factory=Catalogue.load_default)
    renders: Renders = field(init=False)

    def __post_init__(self) -> None:
        self.renders = _renders_for(self.settings)
        self.renders.source = self.store_version
        self.renders.quick_source = self.stores.quick_version

    def store_version(self) -> str:
        """The store's version token (every committed write replaces it, in any process)."""
        return self.stores.get().version() or f"local-{self.renders._local}"

    def store_changed(self) -> None:
        """A write went through: cached renders and the served explorer are out of date."""
        self.renders.store_changed()

    def render_rows(
        self, request: Request, name: str, params: dict[str, Any], rows: list[Row], fmt: str, *, title: str,
        time_ms: float,
    ) -> Response:  # fmt: skip
        """Rows computed outside the catalogue (the analytics), answered like every list route."""
        return render_page(request, Page(name, params, rows, None, 0, False, time_ms), fmt, title=title)

    @cached_property
    def registry(self) -> AgencyRegistry:
        from policykg.loaders.registry import AgencyRegistry

        return AgencyRegistry.load_default()
