"""Rows to a response: JSON by default, CSV with ``?format=csv``, a plain HTML table with ``?format=html``.

JSON list answers carry paging (``limit``, ``offset``, ``next``) and the query time in
milliseconds; every answer also carries the time in the ``X-Query-Time-Ms`` header.

>>> csv_cell(["省经信委", "省科技厅"])
'省经信委; 省科技厅'
>>> csv_cell([{"name": "省经信委", "role": "lead"}])
'[{"name": "省经信委", "role": "lead"}]'
>>> csv_text([{"a": 1, "b": None}])
'a,b\\r\\n1,\\r\\n'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from policykg.api.html import html_page
from policykg.api.links import public_url
from policykg.csvout import csv_cell, csv_text
from policykg.graph.store import Row

TIME_HEADER = "X-Query-Time-Ms"
__all__ = ["TIME_HEADER", "Page", "csv_cell", "csv_text", "next_link", "render_one", "render_page"]


@dataclass(slots=True)
class Page:
    """One page of rows of a catalogued query."""

    query: str
    params: dict[str, Any]
    rows: list[Row]
    limit: int | None
    offset: int
    has_more: bool
    time_ms: float
    # The next page's cursor when the query is paged by key (then ``next`` carries it, not an offset).
    next_cursor: str | None = None


def _timing(time_ms: float) -> dict[str, str]:
    return {TIME_HEADER: f"{time_ms:.3f}"}


def next_link(request: Request, page: Page) -> str | None:
    """The URL of the next page (relative, or under the configured public base URL), or None on the last one."""
    if not page.has_more or page.limit is None:
        return None
    settings = getattr(getattr(request.app.state, "policykg", None), "settings", None)
    base = getattr(settings, "public_base_url", None)
    base_url = str(base) if base else None
    if page.next_cursor is not None:
        return public_url(request, base_url, drop=("offset",), cursor=page.next_cursor, limit=page.limit)
    return public_url(request, base_url, offset=page.offset + page.limit, limit=page.limit)


def render_page(
    request: Request, page: Page, fmt: str, *, columns: list[str] | None = None, title: str = ""
) -> Response:
    """A list answer in the requested format."""
    headers = _timing(page.time_ms)
    link = next_link(request, page)
    if link:
        headers["Link"] = f'<{link}>; rel="next"'
    if fmt == "csv":
        return Response(csv_text(page.rows, columns), media_type="text/csv; charset=utf-8", headers=headers)
    if fmt == "html":
        return HTMLResponse(html_page(title or page.query, request, page.rows, columns, next_url=link), headers=headers)
    body = {
        "query": page.query,
        "params": page.params,
        "count": len(page.rows),
        "limit": page.limit,
        "offset": page.offset,
        "next": link,
        "time_ms": round(page.time_ms, 3),
        "rows": page.rows,
    }
    return JSONResponse(body, headers=headers)


def render_one(
    request: Request,
    query: str,
    data: Row,
    fmt: str,
    time_ms: float,
    *,
    title: str = "",
    extra: dict[str, Any] | None = None,
) -> Response:
    """A single-resource answer in the requested format (CSV and HTML show it as one row)."""
    headers = _timing(time_ms)
    if fmt == "csv":
        return Response(csv_text([data]), media_type="text/csv; charset=utf-8", headers=headers)
    if fmt == "html":
        sections = {key: value for key, value in (extra or {}).items() if isinstance(value, list)}
        return HTMLResponse(
            html_page(title or query, request, [data], None, record=True, sections=sections), headers=headers
        )
    body: dict[str, Any] = {"query": query, "time_ms": round(time_ms, 3), "data": data}
    if extra:
        body.update(extra)
    return JSONResponse(body, headers=headers)
