"""The one JSON error shape of the API, and the handlers that produce it.

Every failure answers ``{"error": {"status": …, "title": …, "detail": …, …}}``: a
sentence a person can act on, extra fields where they help (``param`` for a bad
parameter, ``suggestions`` for an unknown agency), never a traceback.

>>> error_body(404, "No agency is called 省经信.", suggestions=["省经信委"])
{'error': {'status': 404, 'title': 'Not Found', 'detail': 'No agency is called 省经信.', 'suggestions': ['省经信委']}}
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policykg.errors import InputError, NotFound, PolicykgError, StoreError, StoreUnavailable
from policykg.queries.catalogue import BadParameter, UnknownQuery

log = logging.getLogger("policykg.api")

UNEXPECTED = "The server met an unexpected problem and could not answer; the error has been logged."


class ApiError(Exception):
    """An answer other than success, raised anywhere under a route."""

    def __init__(self, status: int, detail: str, *, headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers
        self.extra = extra


def error_body(status: int, detail: str, **extra: Any) -> dict[str, Any]:
    """The JSON body of an error answer."""
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return {"error": {"status": status, "title": title, "detail": detail, **extra}}


def error_response(status: int, detail: str, *, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(error_body(status, detail, **extra), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map every exception the routes may raise onto the one error shape."""

    async def on_api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.detail, headers=exc.headers, **exc.extra)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = [_describe(problem) for problem in exc.errors()]
        first = problems[0] if problems else {"param": None, "reason": "The request is not valid."}
        detail = "; ".join(f"{p['param']}: {p['reason']}" if p["param"] else p["reason"] for p in problems)
        return error_response(422, detail or str(first["reason"]), param=first["param"], problems=problems)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"There is no resource at {request.url.path}; GET /docs lists every route."
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}."
        return error_response(exc.status_code, detail, headers=getattr(exc, "headers", None))

    async def on_policykg(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, PolicykgError)
        return policykg_error_response(exc)

    async def on_bad_parameter(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, BadParameter)
        return error_response(422, str(exc), param=exc.param)

    async def on_unknown_query(request: Request, exc: Exception) -> JSONResponse:
        return error_response(404, str(exc.args[0]) if exc.args else "There is no such query.")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(PolicykgError, on_policykg)
    app.add_exception_handler(BadParameter, on_bad_parameter)
    app.add_exception_handler(UnknownQuery, on_unknown_query)


UNAVAILABLE = (
    "The graph store is unavailable just now: it is in use by another process or cannot be reached; try again shortly."
)
STORE_FAILED = "The graph store could not answer this request; the error has been logged."


def policykg_error_response(exc: PolicykgError) -> JSONResponse:
    """The answer for an error policykg raised on purpose.

    Store errors name server paths, process ids and engine internals: those go to the log
    and the client gets a sentence without them.
    """
    if isinstance(exc, StoreUnavailable):
        log.warning("store unavailable: %s", exc)
        return error_response(503, UNAVAILABLE, headers={"Retry-After": "5"})
    if isinstance(exc, NotFound):
        suggestions = getattr(exc, "suggestions", None)
        if suggestions is not None:
            return error_response(404, str(exc), suggestions=suggestions)
        return error_response(404, str(exc))
    if isinstance(exc, InputError):
        choices = getattr(exc, "choices", None)  # an ambiguous agency name: the ids to choose from
        if choices is not None:
            return error_response(422, str(exc), choices=choices)
        return error_response(422, str(exc))
    if isinstance(exc, StoreError):
        log.error("store error: %s", exc)
        return error_response(500, STORE_FAILED)
    log.error("policykg error: %s", exc)
    return error_response(500, UNEXPECTED)


def _describe(problem: dict[str, Any]) -> dict[str, Any]:
    location = [str(part) for part in problem.get("loc", ()) if part not in ("query", "path", "body", "header")]
    reason = str(problem.get("msg", "is not valid")).removeprefix("Value error, ")
    return {
        "param": ".".join(location) or None,
        "reason": reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else "."),
    }


class AnswerTracker:
    """Wraps ``send`` to know whether a response has begun: once it has, an error cannot
    become another response and must be raised instead."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


class CatchAllMiddleware:
    """The last line: an exception no handler knew becomes a plain 500, logged with its traceback.

    Sits inside Starlette's own error middleware so the traceback never reaches the client
    and the server keeps serving.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answer = AnswerTracker(send)
        try:
            await self.app(scope, receive, answer.send)
        except Exception:
            log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            if answer.started:
                raise
            await error_response(500, UNEXPECTED)(scope, receive, send)
