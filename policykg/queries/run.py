"""Run named queries on any store: lookup, parameter coercion, dialect variant and the
read-only check happen here, once, for both engines.

>>> import tempfile
>>> from policykg.graph.open import open_store_at
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = open_store_at("embedded", tmp)
...     (read(store, "documents"), len(read_all(store, "agency_workload", page=2)))
...     store.close()
([], 0)
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from policykg.errors import InputError, NotFound, StoreError
from policykg.graph.store import GraphStore, ReadFailed, Row
from policykg.queries.catalogue import BadParameter, Catalogue, NamedQuery, UnknownQuery

if TYPE_CHECKING:
    from policykg.queries.keyset import KeysetPage

log = logging.getLogger(__name__)

# The largest page the catalogue's paged queries accept.
PAGE = 10_000

_WRITE_CLAUSE = re.compile(r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|COPY|LOAD|INSTALL|ATTACH|ALTER)\b", re.I)
_COMMENT_OR_STRING = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"", re.S)


@cache
def default_catalogue() -> Catalogue:
    """The packaged catalogue, loaded once per process."""
    return Catalogue.load_default()


def named_read(name: str, catalogue: Catalogue | None = None) -> NamedQuery:
    """The catalogued READ query ``name``; :class:`NotFound` for an unknown name, :class:`StoreError` for a write.

    >>> named_read("sneaky")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    policykg.errors.NotFound: There is no query named 'sneaky'; the catalogue has ...
    """
    try:
        query = (catalogue if catalogue is not None else default_catalogue()).get(name)
    except UnknownQuery as error:
        raise NotFound(error.args[0]) from None
    if query.mode != "read":
        raise StoreError(f"The query {name} is not a read query.")
    return query


def read(
    store: GraphStore, name: str, params: Mapping[str, Any] | None = None, *, catalogue: Catalogue | None = None
) -> list[Row]:
    """Rows of the catalogued read query ``name`` on ``store``, ``params`` bound as parameters.

    An unknown name is :class:`NotFound`, a bad or missing parameter :class:`InputError`, a
    query whose text would write :class:`StoreError`; the same on both engines. A read slower
    than the store's ``slow_query_ms`` is logged at WARNING.
    """
    query = named_read(name, catalogue)
    text = query.text_for(store.dialect)
    check_read_only(name, text)
    try:
        bound = query.bind(dict(params or {}))
    except BadParameter as error:
        raise InputError(str(error)) from None
    started = time.perf_counter()
    try:
        rows = store.execute_read(text, bound)
    except ReadFailed as error:
        raise error.named(name) from None
    elapsed = (time.perf_counter() - started) * 1000
    threshold = store.slow_query_ms
    if threshold is not None and elapsed > threshold:
        log.warning("slow query %s took %.0f ms (over %g ms) with %s", name, elapsed, threshold, bound)
    return rows


def read_all(
    store: GraphStore,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    page: int = PAGE,
    catalogue: Catalogue | None = None,
) -> list[Row]:
    """Every row of ``name``: a paged query (one taking ``limit`` and ``offset``) is read page by
    page until a short page; any other query is read once."""
    query = named_read(name, catalogue)
    limit = next((p for p in query.params if p.name == "limit"), None)
    if limit is None or "offset" not in {p.name for p in query.params}:
        return read(store, name, params, catalogue=catalogue)
    page = min(page, limit.maximum) if limit.maximum is not None else page
    if query.cursor is not None:
        # A page reads one row more than it keeps, to see whether another follows.
        probe_room = page if limit.maximum is None or page < limit.maximum else page - 1
        return _read_all_by_key(store, query, dict(params or {}), probe_room, catalogue)
    rows: list[Row] = []
    offset = 0
    while True:
        got = read(store, name, {**(params or {}), "limit": page, "offset": offset}, catalogue=catalogue)
        rows.extend(got)
        if len(got) < page:
            return rows
        offset += page


def _read_all_by_key(
    store: GraphStore, query: NamedQuery, params: dict[str, Any], page: int, catalogue: Catalogue | None
) -> list[Row]:
    """Every row of a keyset-paged query, each page resuming after the last key (no rows skipped over)."""
    try:
        bound = query.bind({**params, "limit": page, "offset": 0})
    except BadParameter as error:
        raise InputError(str(error)) from None
    rows: list[Row] = []
    while True:
        got = keyset_page(store, query, bound, page, catalogue)
        rows.extend(got.rows)
        if not got.has_more or not got.rows:
            return rows
        bound[str(query.cursor)] = got.rows[-1]["sort_key"]


def keyset_page(
    store: GraphStore, query: NamedQuery, bound: dict[str, Any], limit: int, catalogue: Catalogue | None = None
) -> KeysetPage:
    """The page of the keyset-paged ``query`` after ``bound[query.cursor]``: through the store's
    index where the query names one the store keeps (:mod:`policykg.queries.indexed`), else by
    its window on this engine, else in one read (:func:`~policykg.queries.keyset.read_keyset_page`)."""
    from policykg.queries.indexed import index_catalogue, read_indexed_page
    from policykg.queries.keyset import read_keyset_page

    if query.index is not None and getattr(store, "keeps_key_index", False):
        index = index_catalogue()
        page = read_indexed_page(
            lambda name, values: read(store, name, values, catalogue=index), query, bound, limit, version=store.version
        )
        if page is not None:
            return page
    window_name = query.window_for(store.dialect)
    window = named_read(window_name, catalogue) if window_name else None
    return read_keyset_page(
        lambda name, values: read(store, name, values, catalogue=catalogue), query, bound, limit, window
    )


def check_read_only(name: str, text: str) -> None:
    """Refuse a catalogued query whose text would write; reads must never change the store.

    >>> check_read_only("q", "MATCH (d:Document) WHERE d.loaded RETURN d.id // no SET here")
    >>> check_read_only("q", "MATCH (n) DETACH DELETE n")
    Traceback (most recent call last):
    ...
    policykg.errors.StoreError: The query q would change the store (DETACH); catalogued queries may only read.
    """
    clause = _write_clause(text)
    if clause:
        raise StoreError(f"The query {name} would change the store ({clause}); catalogued queries may only read.")


@lru_cache(maxsize=1024)
def _write_clause(text: str) -> str | None:
    # Checked on every read, so remembered per text: a catalogue's texts are few and fixed.
    found = _WRITE_CLAUSE.search(_COMMENT_OR_STRING.sub(" ", text))
    return found.group(1).upper() if found else None
