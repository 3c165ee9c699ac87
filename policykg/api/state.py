"""What the app holds between requests: the store (opened on start, or on first use when the
store was unreachable then), the catalogue and the agency registry.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from policykg.errors import StoreUnavailable
from policykg.graph.store import GraphStore
from policykg.queries.catalogue import Catalogue
from policykg.settings import Settings

if TYPE_CHECKING:
    from policykg.loaders.registry import AgencyRegistry

log = logging.getLogger("policykg.api")


def _open_from_settings(settings: Settings) -> GraphStore:
    from policykg.graph.open import open_store

    return open_store(settings)


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
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def get(self) -> GraphStore:
        if self.store is not None:
            return self.store
        with self._lock:
            if self.store is None:
                self.store = self.opener(self.settings)
                self.owned = True
            return self.store

    def try_open(self) -> None:
        """Open now if possible; an unreachable store is only logged (requests answer 503 until it is back)."""
        try:
            self.get()
        except StoreUnavailable as error:
            log.warning("the store is not available yet: %s", error)

    def close(self) -> None:
        with self._lock:
            if self.store is not None and self.owned:
                self.store.close()
                self.store = None
                self.owned = False


@dataclass
class AppState:
    settings: Settings
    stores: StoreHolder
    catalogue: Catalogue = field(default_factory=Catalogue.load_default)

    @cached_property
    def registry(self) -> AgencyRegistry:
        from policykg.loaders.registry import AgencyRegistry

        return AgencyRegistry.load_default()
