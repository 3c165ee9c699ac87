"""``/queries``: the catalogue with its parameters, and any catalogued query by name.

Only catalogued queries run; values arrive as query-string parameters and reach Cypher as
parameters. No route accepts Cypher text.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from policykg.api.deps import CatalogueDep, FormatParam, StoreDep, app_state
from policykg.api.responses import Page, render_page
from policykg.api.run import run_page
from policykg.queries.catalogue import NamedQuery
from policykg.resolve import resolve_agency_params, without_narrowing

router = APIRouter(prefix="/queries", tags=["queries"])

# Query-string keys the routes themselves use, never passed to a query.
_RESERVED = {"format"}


def describe(query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "default": p.default,
                "choices": list(p.choices) or None,
                "minimum": p.minimum,
                "maximum": p.maximum,
                "description": p.description,
            }
            for p in query.params
        ],
        "returns": list(query.returns),
        "url": f"/queries/{query.name}",
    }


@router.get("", summary="The catalogue of named queries with their parameters")
def list_queries(request: Request, catalogue: CatalogueDep, fmt: FormatParam = "json") -> Response:
    """The catalogue: every named query with its parameters, defaults, bounds and columns."""
    rows = [describe(q) for q in sorted(catalogue, key=lambda q: q.name)]
    page = Page("catalogue", {}, rows, None, 0, False, 0.0)
    return render_page(request, page, fmt, title="Named queries")


@router.get(
    "/{name}",
    summary="Run a catalogued query; its parameters go in the query string (see GET /queries)",
)
def run_named_query(
    request: Request,
    name: Annotated[str, Path(min_length=1, max_length=100, pattern=r"^\w+$")],
    store: StoreDep,
    catalogue: CatalogueDep,
    fmt: FormatParam = "json",
) -> Response:
    """Run a catalogued query with query-string parameters; only catalogued queries exist."""
    query = catalogue.get(name)
    params: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        if key in _RESERVED:
            continue
        params[key] = value
    query.bind(without_narrowing(query.name, params))  # a bad value is a 422 before any agency is looked up
    params = resolve_agency_params(store, app_state(request).registry, query.name, params)
    page = run_page(store, catalogue, query.name, params)
    return render_page(request, page, fmt, title=query.title)
