"""Routes made from the catalogue: a route names its query and what is truly its own (path
parameters and how they resolve, the page title, a 404 sentence); its query-string parameters,
their types, bounds, choices, defaults and docs come from the ``.cypher`` header. One bound per
parameter, in one place, so ``/agencies/{name}/measures`` and ``/queries/agency_measures`` accept
the same values. Every route takes ``format`` (json, csv, html); a query paged by key (``//
cursor:`` in its header) takes the opaque ``cursor`` of its ``next`` links instead of its key bounds.

Datasette's canned queries are the model: the header is the contract, the route a name for it.

>>> from fastapi import APIRouter
>>> router = APIRouter()
>>> add_catalogue_route(router, "/industries", "industries", title="Industries")
>>> route = router.routes[0]
>>> [(p.alias, p.field_info.metadata) for p in route.dependant.query_params][:1]
[('min_measures', [Ge(ge=0)])]
>>> sorted(p.alias for p in route.dependant.query_params)
['format', 'limit', 'min_measures', 'offset']
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from policykg.api.deps import CatalogueDep, CursorParam, FormatParam, app_state
from policykg.api.errors import ApiError
from policykg.api.responses import render_one, render_page
from policykg.api.run import run_page, run_query
from policykg.graph.store import GraphStore, Row
from policykg.queries import default_catalogue
from policykg.queries.catalogue import MAX_TEXT_LENGTH, Catalogue, QueryParam
from policykg.queries.keyset import PAGING_PARAMS
from policykg.resolve import narrowing_param, resolve_agency, resolve_filters, resolve_industry, takes_narrowing
from policykg.web import AgencyName, StoreDep

Resolver = Literal["agency", "industry"]
# A page title (for ?format=html), or how to make one from the rows at hand by name (each
# resolved path parameter's row under its URL name; a single-resource answer's row as "row")
# and the bound parameters.
Title = str | Callable[[dict[str, Row], dict[str, Any]], str]
_JURISDICTION = "jurisdiction"


def query_parameter(param: QueryParam) -> inspect.Parameter:
    """A FastAPI query parameter declaring what the header declares of ``param``.

    >>> from policykg.queries.catalogue import QueryParam
    >>> p = query_parameter(QueryParam("role", "str", "any", False, "the role", ("lead", "any")))
    >>> p.default, p.annotation.__metadata__[0].description
    ('any', 'the role')
    """
    kind: Any = Literal[param.choices] if param.choices else param.python_type
    bounds: dict[str, Any] = {}
    if param.type == "str" and not param.choices:
        bounds["max_length"] = MAX_TEXT_LENGTH
    if param.minimum is not None:
        bounds["ge"] = param.minimum
    if param.maximum is not None:
        bounds["le"] = param.maximum
    info = Query(description=param.description or None, **bounds)
    default = inspect.Parameter.empty if param.required else param.default
    return inspect.Parameter(
        param.name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[kind, info], default=default
    )


def _path_parameter(name: str, resolver: Resolver | None, param: QueryParam) -> inspect.Parameter:
    annotation: Any = AgencyName
    if resolver != "agency":
        description = param.description or None
        annotation = Annotated[str, Path(min_length=1, max_length=MAX_TEXT_LENGTH, description=description)]
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)


def _fixed(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


def add_catalogue_route(
    router: APIRouter,
    path: str,
    query_name: str,
    *,
    title: Title,
    summary: str | None = None,
    path_params: dict[str, str] | None = None,
    resolve: Resolver | None = None,
    missing: str | None = None,
    also: Sequence[str] = (),
    catalogue: Catalogue | None = None,
) -> None:
    """Add ``GET path`` answering ``query_name`` to ``router``.

    ``path_params`` maps each ``{name}`` of the path onto the query parameter it fills; with
    ``resolve`` those values are names resolved first (an agency by name, alias or id, in the
    ``jurisdiction`` the route then also takes; an industry by name or code). A route given
    ``missing`` answers one row (a 404 with that sentence, formatted with the path values, when
    there is none) and adds the rows of the ``also`` queries, run with the same parameters.
    """
    query = (catalogue or default_catalogue()).get(query_name)
    mapping = dict(path_params or {})
    filled = set(mapping.values())
    by_name = {p.name: p for p in query.params}
    # A query paged by key (``// cursor:`` in its header) takes the API's opaque ``cursor``
    # instead of its key bounds, which stay the cursor's business.
    hidden = PAGING_PARAMS - {"limit", "offset"} if query.cursor else set()
    open_params = [p for p in query.params if p.name not in filled and p.name not in hidden]
    takes_jurisdiction = takes_narrowing(query_name)
    parameters = [
        _fixed("request", Request),
        *(_path_parameter(url_name, resolve, by_name[param]) for url_name, param in mapping.items()),
        _fixed("store", StoreDep),
        _fixed("catalogue", CatalogueDep),
        *(query_parameter(p) for p in open_params),
    ]
    if takes_jurisdiction:
        parameters.append(query_parameter(narrowing_param()))
    if query.cursor:
        parameters.append(_fixed("cursor", CursorParam, None))
    parameters.append(_fixed("fmt", FormatParam, "json"))

    def endpoint(**values: Any) -> Response:
        request: Request = values["request"]
        store: GraphStore = values["store"]
        registry = app_state(request).registry
        place = values.get(_JURISDICTION) or None
        params = {p.name: values[p.name] for p in open_params}
        resolved: dict[str, Row] = {}
        for url_name, param in mapping.items():
            value = values[url_name]
            if resolve == "agency":
                resolved[url_name] = resolve_agency(store, registry, value, place)
            elif resolve == "industry":
                resolved[url_name] = resolve_industry(store, value)
            params[param] = resolved[url_name]["id"] if resolve else value
        if resolve == "agency" and len(resolved) > 1 and len({row["id"] for row in resolved.values()}) == 1:
            names = " and ".join(str(values[n]) for n in mapping)
            raise ApiError(422, f"{names} are the same agency; a chain needs two.", param=list(mapping)[-1])
        params = resolve_filters(store, registry, query_name, params, place)
        if missing is not None:
            return _one(request, values, query_name, params, missing, also, title, resolved)
        made = title if isinstance(title, str) else title(resolved, params)
        page = run_page(store, values["catalogue"], query_name, params, values.get("cursor"))
        return render_page(request, page, values["fmt"], title=made)

    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = query_name
    endpoint.__doc__ = f"{query.description} (query {query_name})".strip()
    router.add_api_route(
        path,
        endpoint,
        methods=["GET"],
        summary=summary or query.title,
        response_class=Response,
        openapi_extra={"x-query": query_name},  # the catalogue entry (GET /queries) the route answers
    )


def _one(
    request: Request,
    values: dict[str, Any],
    query_name: str,
    params: dict[str, Any],
    missing: str,
    also: Sequence[str],
    title: Title,
    resolved: dict[str, Row],
) -> Response:
    """A single-resource answer: the one row of ``query_name`` and the rows of the ``also`` queries
    (``document_outline`` as ``outline``); a resolved name also answers the name as ``requested``."""
    store, catalogue = values["store"], values["catalogue"]
    rows, ms = run_query(store, catalogue, query_name, params)
    if not rows:
        raise ApiError(404, missing.format(**{k: v for k, v in values.items() if isinstance(v, str)}))
    extra: dict[str, Any] = {"requested": values[next(iter(resolved))]} if resolved else {}
    for other in also:
        extra_rows, extra_ms = run_query(store, catalogue, other, params)
        extra[other.split("_", 1)[-1]] = extra_rows
        ms += extra_ms
    made = title if isinstance(title, str) else title({**resolved, "row": rows[0]}, params)
    return render_one(request, query_name, rows[0], values["fmt"], ms, title=made, extra=extra or None)
