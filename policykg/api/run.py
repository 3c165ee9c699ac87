"""Run a catalogued query for a route: validate first (a bad value is a 422 naming it), then time the store call.

A page asks the store for one row more than the client wants, so the answer knows whether
a next page exists without a second counting query. A query with a ``cursor`` header is
paged by key (:mod:`policykg.queries.keyset`): its ``next`` link carries an opaque cursor,
and a page costs the same however deep into the list it is; ``offset`` still works for
callers that page by count.
"""

from __future__ import annotations

import time
from typing import Any

from policykg import queries
from policykg.api.responses import Page
from policykg.graph.store import GraphStore, Row
from policykg.queries.catalogue import BadParameter, Catalogue
from policykg.queries.keyset import decode_cursor


def run_query(store: GraphStore, catalogue: Catalogue, name: str, params: dict[str, Any]) -> tuple[list[Row], float]:
    """Rows of ``name`` and the milliseconds the store took; bad parameters raise BadParameter."""
    bound = catalogue.get(name).bind(params)
    started = time.perf_counter()
    rows = queries.read(store, name, bound, catalogue=catalogue)
    return rows, (time.perf_counter() - started) * 1000


def run_page(
    store: GraphStore, catalogue: Catalogue, name: str, params: dict[str, Any], cursor: str | None = None
) -> Page:
    """One page of ``name``; ``params`` may carry ``limit`` and ``offset`` when the query takes them,
    and ``cursor`` resumes a keyset-paged query where its previous page's ``next`` left off."""
    query = catalogue.get(name)
    bound = query.bind(params)
    raw_limit = bound.get("limit")
    limit = raw_limit if isinstance(raw_limit, int) else None
    offset = bound.get("offset") or 0
    if cursor and (query.cursor is None or limit is None):
        raise BadParameter(f"{name} is not paged by cursor; page it with offset.", "cursor")
    if cursor and offset:
        raise BadParameter("cursor and offset cannot be combined; a cursor says where the page starts.", "cursor")
    if query.cursor is not None and limit is not None and not offset:
        if cursor:
            bound[query.cursor] = decode_cursor(cursor, name, bound)
        started = time.perf_counter()
        keyset = queries.keyset_page(store, query, bound, limit, catalogue)
        elapsed = (time.perf_counter() - started) * 1000
        return Page(name, _shown(bound), keyset.rows, limit, 0, keyset.has_more, elapsed, keyset.next_cursor)
    probe = dict(bound)
    limit_param = next((p for p in query.params if p.name == "limit"), None)
    maximum = limit_param.maximum if limit_param is not None else None
    can_probe = limit is not None and (maximum is None or limit < maximum)
    if limit is not None and can_probe:
        probe["limit"] = limit + 1
    started = time.perf_counter()
    rows = queries.read(store, name, probe, catalogue=catalogue)
    elapsed = (time.perf_counter() - started) * 1000
    if limit is None:
        has_more = False
    elif can_probe:
        has_more = len(rows) > limit
        rows = rows[:limit]
    else:
        # At the catalogue's own maximum the probe is impossible; a full page may have a next one.
        has_more = len(rows) == limit
    return Page(name, _shown(bound), rows, limit, offset, has_more, elapsed)


def _shown(bound: dict[str, Any]) -> dict[str, Any]:
    # The key bounds are the cursor's business; the answer echoes the parameters a client chose.
    return {k: v for k, v in bound.items() if k not in ("after", "upto")}
