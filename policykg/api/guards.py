"""ASGI guards in front of the routes: HEAD answered like GET, NUL characters refused, and an
optional per-client rate limit.

* ``HEAD`` is routed as ``GET`` and answered with the same status and headers and no body,
  so every GET route answers HEAD (FastAPI routes declare GET only).
* A NUL character (``%00``) in the path or query string is a 422 naming it: no name, id or
  text policykg holds contains one, and file-system calls refuse it.
* ``POLICYKG_RATE_LIMIT`` (e.g. ``120/minute``) limits each client address to that many
  requests per window with the ``limits`` library (moving window, in memory); over it, a 429
  with ``Retry-After``. ``/healthz`` is not counted, so monitoring never trips it.

>>> RateLimit("5/second").item.amount
5
"""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policykg.api.errors import error_response


class HeadAsGetMiddleware:
    """Answer ``HEAD`` by running the ``GET`` route and sending its headers without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def headers_only(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.body":
                if finished:
                    return
                finished = not message.get("more_body", False)
                if finished:
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class NulGuardMiddleware:
    """Refuse a NUL character anywhere in the path or query string with a 422."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            answer = error_response(
                422, "The request holds a NUL character (%00); no name, id or text in policykg contains one."
            )
            await answer(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _has_nul(scope: Scope) -> bool:
    query = bytes(scope.get("query_string", b"")).lower()
    return "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query


class RateLimit:
    """Requests per client address per window, e.g. ``RateLimit("120/minute")``."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        try:
            self.item = parse(spec)
        except ValueError:
            raise ValueError(f"POLICYKG_RATE_LIMIT={spec!r} is not a rate such as 120/minute or 10/second.") from None
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def retry_after(self, client: str) -> int | None:
        """None while ``client`` is within the limit (the request is counted), else seconds to wait."""
        if self.limiter.hit(self.item, client):
            return None
        reset = self.limiter.get_window_stats(self.item, client).reset_time
        return max(1, math.ceil(reset - time.time()))


class RateLimitMiddleware:
    """Answer 429 to a client past its rate (see :class:`RateLimit`)."""

    EXEMPT = ("/healthz",)

    def __init__(self, app: ASGIApp, limit: RateLimit) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.EXEMPT:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.limit.retry_after(client[0] if client else "unknown")
        if wait is None:
            await self.app(scope, receive, send)
            return
        answer = error_response(
            429,
            f"Too many requests from this address (the limit is {self.limit.spec}); try again in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
        await answer(scope, receive, send)
