"""Unauthenticated reads kept cheap: every GET answer cached by store version, costly ones rendered apart.

* **Cached by store version.** Each answer is kept under (store version, path, query) with an
  ``ETag``; a client sending it back in ``If-None-Match`` gets a 304 without a query. The
  version is the store's own token (:meth:`EmbeddedStore.version`, a node of the Neo4j graph),
  which every committed write replaces, also a write by another process (``policykg load``, a
  second server): each request reads it, so no worker serves an answer older than the store.
  Entries also expire after ``POLICYKG_CACHE_SECONDS``.
* **Costly renders on a bounded pool.** Charts, graph pages, analytics and exports: at most
  ``POLICYKG_RENDER_WORKERS`` run at once and at most ``POLICYKG_RENDER_QUEUE`` wait (more get
  a 503 with ``Retry-After``); light routes never wait behind them for a thread.

>>> cache = RenderCache(max_bytes=1000, ttl_seconds=60)
>>> cache.reset("v1")
>>> cache.put(("/charts/x.png", ""), "v1", CachedAnswer(200, [], b"png", '"v1-ab"'))
>>> cache.get(("/charts/x.png", ""), "v1").body
b'png'
>>> cache.reset("v2")
>>> cache.get(("/charts/x.png", ""), "v1") is None
True
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode

import anyio
import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policykg.api.errors import error_response

T = TypeVar("T")
Key = tuple[str, str]

# Path starts (and endings under /agencies/) of the routes that render or read the whole graph.
COSTLY_PREFIXES = ("/charts/", "/stats/", "/export/")
# Answers never cached: liveness must be live, and the explorer's files are served as files.
UNCACHED_PREFIXES = ("/healthz", "/explorer")
COSTLY_SUFFIXES = ("/graph.html", "/peers")


def is_costly(path: str) -> bool:
    """True for the routes that render a chart, a graph page or analytics.

    >>> is_costly("/charts/workload.png"), is_costly("/agencies/省经信委/graph.html"), is_costly("/agencies")
    (True, True, False)
    """
    return path.startswith(COSTLY_PREFIXES) or (path.startswith("/agencies/") and path.endswith(COSTLY_SUFFIXES))


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str
    created: float = field(default_factory=time.monotonic)


@dataclass
class RenderCache:
    """Answers by (version, key), least recently used dropped first past ``max_bytes``."""

    max_bytes: int = 64 * 1024 * 1024
    ttl_seconds: float = 300.0
    version: str = ""
    _entries: OrderedDict[tuple[str, Key], CachedAnswer] = field(default_factory=OrderedDict, repr=False)
    _size: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reset(self, version: str) -> None:
        """The store is now at ``version``: nothing cached for another one is kept."""
        with self._lock:
            if version != self.version:
                self.version = version
                self._entries.clear()
                self._size = 0

    def invalidate(self) -> None:
        """Drop everything (a write went through this process)."""
        with self._lock:
            self.version = ""
            self._entries.clear()
            self._size = 0

    def get(self, key: Key, version: str) -> CachedAnswer | None:
        with self._lock:
            entry = self._entries.get((version, key))
            if entry is None:
                return None
            if time.monotonic() - entry.created > self.ttl_seconds:
                self._drop((version, key))
                return None
            self._entries.move_to_end((version, key))
            return entry

    def put(self, key: Key, version: str, answer: CachedAnswer) -> None:
        if len(answer.body) > self.max_bytes // 4:
            return  # one huge answer must not push out everything else
        with self._lock:
            if version != self.version:
                return  # rendered from a store that has changed since
            self._drop((version, key))
            self._entries[(version, key)] = answer
            self._size += len(answer.body)
            while self._size > self.max_bytes and self._entries:
                self._drop(next(iter(self._entries)))

    def _drop(self, full_key: tuple[str, Key]) -> None:
        old = self._entries.pop(full_key, None)
        if old is not None:
            self._size -= len(old.body)


class RenderPool:
    """At most ``workers`` renders at once, at most ``queue`` waiting."""

    def __init__(self, workers: int, queue: int) -> None:
        self.limiter = anyio.CapacityLimiter(max(1, workers))
        self.queue = max(0, queue)
        self.waiting = 0

    def full(self) -> bool:
        return self.waiting >= self.queue and self.limiter.available_tokens == 0

    async def run(self, func: Callable[..., T], *args: object) -> T:
        """Run ``func(*args)`` in a thread of this pool (not the light routes' pool)."""
        return await anyio.to_thread.run_sync(func, *args, limiter=self.limiter)


@dataclass
class Renders:
    """What the app keeps for reads: the cache, the pool, and where the store version comes from."""

    cache: RenderCache
    pool: RenderPool
    # The store's version token; None: a counter of this process's own writes (no store yet).
    source: Callable[[], str] | None = None
    # The version when the store can tell it without blocking the event loop for long (the
    # embedded store: a small file read), else None; a cached answer then needs no thread hop.
    quick_source: Callable[[], str | None] | None = None
    _local: int = 0

    @property
    def version(self) -> str:
        """The store's version now; the cache is emptied when it moved."""
        try:
            current = self.source() if self.source is not None else f"local-{self._local}"
        except Exception:  # an unreachable store: nothing cached is trusted, the route answers 503
            current = f"unknown-{time.monotonic()}"
        self.cache.reset(current)
        return current

    def quick_version(self) -> str | None:
        """The store's version if ``quick_source`` knows it at once, else None (ask :attr:`version` in a thread).

        >>> renders = Renders(RenderCache(), RenderPool(1, 1), quick_source=lambda: "v7")
        >>> renders.quick_version(), renders.cache.version
        ('v7', 'v7')
        >>> Renders(RenderCache(), RenderPool(1, 1)).quick_version() is None
        True
        """
        if self.quick_source is None:
            return None
        try:
            current = self.quick_source()
        except Exception:  # whatever went wrong, the thread path finds it and answers for it
            return None
        if current is not None:
            self.cache.reset(current)
        return current

    def store_changed(self) -> None:
        self._local += 1
        self.cache.invalidate()


def cache_key(scope: Scope) -> Key:
    """Path and query, the query's parameters in a stable order.

    >>> cache_key({"path": "/charts/w.png", "query_string": b"top=5&a=1"})
    ('/charts/w.png', 'a=1&top=5')
    """
    query = bytes(scope.get("query_string", b"")).decode("latin-1")
    return scope["path"], urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


def etag_matches(scope: Scope, etag: str) -> bool:
    """True when the request's ``If-None-Match`` names ``etag`` (or ``*``)."""
    for name, value in scope.get("headers", []):
        if name == b"if-none-match":
            tags = [t.strip().removeprefix("W/") for t in value.decode("latin-1").split(",")]
            return "*" in tags or etag in tags
    return False


class RenderCacheMiddleware:
    """Answer GETs from the cache (or 304); render costly ones on the bounded pool; keep what was answered."""

    def __init__(self, app: ASGIApp, renders: Renders) -> None:
        self.app = app
        self.renders = renders

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope["type"] != "http" or scope["method"] != "GET" or path.startswith(UNCACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        key = cache_key(scope)
        version = self.renders.quick_version()
        if version is None:
            version = await anyio.to_thread.run_sync(lambda: self.renders.version)
        if etag_matches(scope, answer_etag(version, key)):
            # The client holds this very answer (same store version, same request): no query at all.
            await _not_modified(answer_etag(version, key), [], send)
            return
        cached = self.renders.cache.get(key, version)
        if cached is not None:
            await _answer(cached, scope, send)
            return
        if not is_costly(path):
            cached = await self._render(scope, receive, send, key, version)
            if cached is not None:
                await _answer(cached, scope, send)
            return
        pool = self.renders.pool
        if pool.full():
            busy = error_response(
                503, "The server is busy rendering charts and graphs; try again shortly.", headers={"Retry-After": "2"}
            )
            await busy(scope, receive, send)
            return
        pool.waiting += 1
        try:
            await pool.limiter.acquire()
        finally:
            pool.waiting -= 1  # also when the client left while waiting
        try:
            # Another request may have rendered the same answer while this one waited.
            cached = self.renders.cache.get(key, version)
            if cached is None:
                cached = await self._render(scope, receive, send, key, version)
        finally:
            pool.limiter.release()
        if cached is not None:
            await _answer(cached, scope, send)

    async def _render(self, scope: Scope, receive: Receive, send: Send, key: Key, version: str) -> CachedAnswer | None:
        """Run the route, keeping its whole answer; a non-200 or streamed answer is passed on as it is (None)."""
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, keep)
        body = b"".join(chunks)
        if start.get("status") != 200:
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return None
        etag = answer_etag(version, key)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"etag", b"cache-control")]
        answer = CachedAnswer(200, headers, body, etag)
        self.renders.cache.put(key, version, answer)
        return answer


def answer_etag(version: str, key: Key) -> str:
    """The ETag of the answer to ``key`` at store ``version``: the same in every worker, and new
    with every write (the body itself varies only in its timing fields).

    >>> answer_etag("v1", ("/measures", "")) == answer_etag("v1", ("/measures", ""))
    True
    >>> answer_etag("v1", ("/measures", "")) == answer_etag("v2", ("/measures", ""))
    False
    """
    digest = hashlib.sha256("\n".join((version, *key)).encode("utf-8")).hexdigest()
    return f'"{digest[:24]}"'


async def _not_modified(etag: str, headers: list[tuple[bytes, bytes]], send: Send) -> None:
    kept = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"content-type")]
    extra = [(b"etag", etag.encode()), (b"cache-control", b"no-cache")]
    await send({"type": "http.response.start", "status": 304, "headers": kept + extra})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _answer(cached: CachedAnswer, scope: Scope, send: Send) -> None:
    # no-cache: clients may keep the answer but must ask (cheaply, with If-None-Match) before reusing it.
    extra = [(b"etag", cached.etag.encode()), (b"cache-control", b"no-cache")]
    if etag_matches(scope, cached.etag):
        await _not_modified(cached.etag, cached.headers, send)
        return
    await send({"type": "http.response.start", "status": cached.status, "headers": cached.headers + extra})
    await send({"type": "http.response.body", "body": cached.body, "more_body": False})
