"""The explorer over HTTP: the built site under ``/explorer/`` and one agency's page, drawn on request.

* ``GET /explorer/`` and ``/explorer/{path}`` serve the static site at ``settings.explorer_dir``,
  built by the server from the live store on the first request and again on the first request
  after each write (see :class:`ServedSite`): new uploads appear, deleted documents' pages go.
* ``GET /agencies/{name}/graph.html`` draws that agency's page from the live store, with
  every script and style inlined, its links pointing into ``/explorer/``.

The API includes :data:`router`; what the routes need from the app comes through
:mod:`policykg.web`, never from the API package.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from policykg.errors import NotFound
from policykg.graph.store import GraphStore
from policykg.resolve import resolve_agency
from policykg.viz.data import ExplorerData
from policykg.viz.from_store import explorer_data_from_store
from policykg.viz.pages import render_agency
from policykg.viz.site import build_site
from policykg.web import StoreDep, served

router = APIRouter(tags=["explorer"])
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css"}


def _site_file(site_dir: Path, relative: str) -> Path:
    """The file ``relative`` names inside ``site_dir``; NotFound for anything outside it or missing."""
    if "\x00" in relative:
        raise NotFound("The explorer has no page with a NUL character in its name.")
    root = site_dir.resolve()
    target = (root / (relative or "index.html")).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(root) or not target.is_file():
        raise NotFound(f"The explorer has no page {relative!r}.")
    return target


@dataclass
class ServedSite:
    """The explorer this server answers with, rebuilt whenever the store version moves on.

    ``settings.explorer_dir`` becomes a symbolic link to the build for the current version (a
    sibling folder), swapped in one atomic rename, so a reader sees one whole build and the
    pages of a deleted document are gone from the next answer on. The build before it is kept
    until the next swap for answers still being sent from it.
    """

    link: Path
    version: str | None = None
    current: Path | None = None
    previous: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ensure(self, store_for: Callable[[], GraphStore], version: str) -> None:
        with self.lock:
            if self.version == version and self.current is not None:
                return
            build = self.link.with_name(f"{self.link.name}.v{version[:12]}-{uuid.uuid4().hex[:8]}")
            try:
                build_site(store_for(), build)
            except BaseException:
                shutil.rmtree(build, ignore_errors=True)  # the next request builds again
                raise
            if self.link.exists() and not self.link.is_symlink():
                # A site written by `policykg explore`/`demo`: replaced by this server's own builds.
                shutil.rmtree(self.link)
            swap = self.link.with_name(f".{self.link.name}.swap-{uuid.uuid4().hex[:8]}")
            swap.symlink_to(build.name)
            os.replace(swap, self.link)
            first = self.current is None
            stale, self.previous, self.current, self.version = self.previous, self.current, build, version
            if stale is not None:
                shutil.rmtree(stale, ignore_errors=True)
            if first:  # builds an earlier server process left behind
                for old in self.link.parent.glob(f"{self.link.name}.v*"):
                    if old != build:
                        shutil.rmtree(old, ignore_errors=True)


def _served_site(request: Request) -> ServedSite:
    app_ = request.app
    site: ServedSite | None = getattr(app_.state, "explorer_site", None)
    if site is None:
        site = ServedSite(Path(served(request).settings.explorer_dir).absolute())
        app_.state.explorer_site = site
    return site


@router.get("/explorer", include_in_schema=False)
async def explorer_root() -> RedirectResponse:
    # Pages link relative to their own folder, so the site's root needs its trailing slash.
    return RedirectResponse("/explorer/", status_code=308)


@router.get("/explorer/{relative:path}", summary="The static explorer site (index, agency and document pages)")
async def explorer_file(relative: str, request: Request) -> FileResponse:
    state = served(request)
    site = _served_site(request)
    if site.version != state.renders.version or site.current is None:
        await state.renders.pool.run(site.ensure, state.stores.get, state.renders.version)
    path = _site_file(site.link, relative)
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix))


@dataclass
class GraphSnapshot:
    """The whole graph as the explorer draws it, read once per store version for every agency page."""

    version: str | None = None
    data: ExplorerData | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, store: GraphStore, version: str) -> ExplorerData:
        with self.lock:
            if self.data is None or self.version != version:
                self.data, self.version = explorer_data_from_store(store), version
            return self.data


def _agency_page(store: GraphStore, request: Request, name: str) -> str:
    state = served(request)
    canonical = resolve_agency(store, state.registry, name)["name"]
    snapshot: GraphSnapshot | None = getattr(request.app.state, "explorer_snapshot", None)
    if snapshot is None:
        snapshot = request.app.state.explorer_snapshot = GraphSnapshot()
    data = snapshot.get(store, state.renders.version)
    return render_agency(data, canonical, root="/explorer/", inline=True).html


@router.get(
    "/agencies/{name:path}/graph.html",
    summary="One agency's ego network and measures as a self-contained HTML page",
    response_class=HTMLResponse,
)
async def agency_graph(name: str, request: Request, store: StoreDep) -> HTMLResponse:
    # The render cache in front of this route bounds how many run at once (policykg.api.render).
    html = await run_in_threadpool(_agency_page, store, request, name)
    return HTMLResponse(html)
