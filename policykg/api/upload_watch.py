"""Reading an upload stops when the client that sent it goes away.

The readers check their :class:`~policykg.loaders.limits.ReadLimits` as they go (the time
budget); :class:`ClientBoundLimits` adds one more reason to stop there, a flag the API sets
when the connection closes, so a hostile or abandoned upload does not keep a CPU busy for
the rest of its time budget. Nothing is written: the load fails before its one write.

>>> limits = ClientBoundLimits.of(ReadLimits())
>>> limits.check_time("a.html")
>>> limits.gone.set()
>>> limits.restarted().check_time("a.html")
Traceback (most recent call last):
...
policykg.errors.InputError: a.html: Reading stopped: the client that sent the document went away.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TypeVar

import anyio
from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request

from policykg.errors import InputError
from policykg.loaders.limits import ReadLimits

T = TypeVar("T")
log = logging.getLogger("policykg.api")
POLL_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class ClientBoundLimits(ReadLimits):
    """:class:`ReadLimits` that also stop reading once ``gone`` is set."""

    gone: threading.Event = field(default_factory=threading.Event, compare=False)

    @classmethod
    def of(cls, limits: ReadLimits) -> ClientBoundLimits:
        return cls(**{f.name: getattr(limits, f.name) for f in fields(limits)})

    def check_time(self, source: str, doing: str = "Reading the document") -> None:
        if self.gone.is_set():
            raise InputError("Reading stopped: the client that sent the document went away.", path=source)
        ReadLimits.check_time(self, source, doing)


async def run_while_client_waits(request: Request, gone: threading.Event, func: Callable[..., T], *args: object) -> T:
    """``func(*args)`` in a worker thread; ``gone`` is set if the client disconnects meanwhile."""

    async def watch() -> None:
        while not await request.is_disconnected():
            await anyio.sleep(POLL_SECONDS)
        gone.set()
        log.warning("the client of %s %s went away; its upload is being stopped", request.method, request.url.path)

    failure: Exception | None = None
    async with anyio.create_task_group() as group:
        group.start_soon(watch)
        try:
            result = await run_in_threadpool(func, *args)
        except Exception as error:
            # Raised out of the task group it would arrive wrapped in an ExceptionGroup, which
            # the API's handlers (ApiError → 422, …) would not recognise.
            failure = error
        finally:
            group.cancel_scope.cancel()
    if failure is not None:
        raise failure
    return result
