"""Bounded request bodies: a declared or streamed body over the limit is refused with 413.

Uploads (``POST /documents``) may carry up to ``settings.max_upload_bytes`` plus room for
the multipart framing; every other request at most :data:`SMALL_BODY_BYTES`.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policykg.api.errors import AnswerTracker, error_response

SMALL_BODY_BYTES = 64 * 1024
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuse bodies longer than ``limit_for(scope)`` bytes, checked before and while reading."""

    def __init__(
        self, app: ASGIApp, limit_for: Callable[[Scope], int], stated_for: Callable[[Scope], int] | None = None
    ) -> None:
        self.app = app
        self.limit_for = limit_for
        # The limit the answer names: an upload's limit is the file size a person set
        # (POLICYKG_MAX_UPLOAD_BYTES), not that plus the multipart framing allowed on top.
        self.stated_for = stated_for or limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(self.stated_for(scope))(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        answer = AnswerTracker(send)
        try:
            await self.app(scope, counting_receive, answer.send)
        except BodyTooLarge:
            if answer.started:
                raise
            await _too_large(self.stated_for(scope))(scope, receive, send)


def _too_large(limit: int) -> ASGIApp:
    return error_response(413, f"The request body is larger than the limit of {limit} bytes.", limit=limit)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
