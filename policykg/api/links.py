"""Links the API writes into its answers (``next``, the JSON/CSV links of HTML pages).

They never copy the request's ``Host`` header, which the client chooses: a link is relative
to the server (``/agencies?offset=100&limit=100``), or starts with the configured
``POLICYKG_PUBLIC_BASE_URL`` when one is set.

>>> from starlette.requests import Request
>>> scope = {"type": "http", "method": "GET", "path": "/agencies/市发改委/市能源局/measures",
...          "query_string": b"role=lead", "headers": [(b"host", b"evil.example")]}
>>> relative_url(Request(scope), offset=100)
'/agencies/%E5%B8%82%E5%8F%91%E6%94%B9%E5%A7%94/%E5%B8%82%E8%83%BD%E6%BA%90%E5%B1%80/measures?role=lead&offset=100'
>>> public_url(Request(scope), "https://kg.example.org/", offset=100).startswith("https://kg.example.org/agencies/")
True
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request

# Characters a path segment may carry as they are (RFC 3986 pchar, plus "/" between segments).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def relative_url(request: Request, drop: tuple[str, ...] = (), **params: Any) -> str:
    """The request's own path and query (with ``params`` set, ``drop`` left out), relative to the server root."""
    # Collapsing leading slashes keeps "//host/…" from becoming a link to another host.
    path = "/" + quote(request.url.path, safe=_PATH_SAFE).lstrip("/")
    url = request.url.remove_query_params(drop) if drop else request.url
    query = url.include_query_params(**params).query if params else url.query
    return f"{path}?{query}" if query else path


def public_url(request: Request, base: str | None, drop: tuple[str, ...] = (), **params: Any) -> str:
    """:func:`relative_url` behind ``base`` (the configured public URL), or alone when there is none."""
    relative = relative_url(request, drop, **params)
    return base.rstrip("/") + relative if base else relative
