"""One declared parameter set per route: an unknown query parameter is a 422 naming it.

FastAPI ignores query parameters a route does not declare, so ``?rol=lead`` silently
answered every role and ``?fromat=csv`` JSON. :func:`refuse_unknown_query_params`, an
app-wide dependency, answers a key the matched route does not declare (directly or
through its dependencies) with 422 in the one error shape, naming the parameter, the
closest known one and every parameter the route takes.

>>> from fastapi import Depends, FastAPI
>>> from fastapi.testclient import TestClient
>>> from policykg.api.errors import install_error_handlers
>>> app = FastAPI(dependencies=[Depends(refuse_unknown_query_params)])
>>> install_error_handlers(app)
>>> @app.get("/items")
... def items(role: str = "any", limit: int = 10) -> dict[str, str]:
...     return {"role": role}
>>> client = TestClient(app)
>>> client.get("/items", params={"role": "lead"}).status_code
200
>>> answer = client.get("/items", params={"rol": "lead"})
>>> answer.status_code, answer.json()["error"]["param"], answer.json()["error"]["suggestions"]
(422, 'rol', ['role'])
"""

from __future__ import annotations

import difflib

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from policykg.api.errors import ApiError

# Routes left alone: /queries/{name} passes its query string to the named query, whose
# catalogue entry refuses unknown parameters itself; the explorer's static files ignore
# query strings, as any web server does.
CHECKED_ELSEWHERE = {"/queries/{name}", "/explorer/{relative:path}"}


def declared_query_params(dependant: Dependant) -> set[str]:
    """The query-string names a route reads: its own parameters' aliases and its dependencies'."""
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= declared_query_params(sub)
    return names


def refuse_unknown_query_params(request: Request) -> None:
    """An app-wide dependency: 422 for a query-string key the matched route does not declare."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.path in CHECKED_ELSEWHERE:
        return
    allowed = _allowed(route)
    unknown = [key for key in dict.fromkeys(request.query_params.keys()) if key not in allowed]
    if not unknown:
        return
    first = unknown[0]
    takes = ", ".join(sorted(allowed)) or "no query parameters"
    close = difflib.get_close_matches(first, sorted(allowed), n=3, cutoff=0.5)
    hint = f" (did you mean {close[0]}?)" if close else ""
    noun = "parameter" if len(unknown) == 1 else "parameters"
    detail = f"Unknown query {noun} {', '.join(unknown)}{hint}; {route.path} takes {takes}."
    raise ApiError(422, detail, param=first, suggestions=close, allowed=sorted(allowed))


_ALLOWED: dict[int, set[str]] = {}


def _allowed(route: APIRoute) -> set[str]:
    key = id(route)
    if key not in _ALLOWED:
        _ALLOWED[key] = declared_query_params(route.dependant)
    return _ALLOWED[key]
