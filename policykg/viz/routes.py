"""The explorer over HTTP: the built site under ``/explorer/`` and one agency's page, drawn on request.

* ``GET /explorer/`` and ``/explorer/{path}`` serve the static site in ``settings.explorer_dir``
  (built by ``policykg explore`` or ``policykg demo``; built on first request when missing).
* ``GET /agencies/{name}/graph.html`` draws that agency's page from the live store, with
  every script and style inlined, its links pointing into ``/explorer/``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from policykg.api.deps import StoreDep, app_state
from policykg.errors import NotFound
from policykg.graph.store import GraphStore
from policykg.viz.from_store import explorer_data_from_store
from policykg.viz.pages import render_agency
from policykg.viz.site import build_site

router = APIRouter(tags=["explorer"])
_build_lock = threading.Lock()
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css"}


def _site_file(site_dir: Path, relative: str) -> Path:
    """The file ``relative`` names inside ``site_dir``; NotFound for anything outside it or missing."""
    root = site_dir.resolve()
    target = (root / (relative or "index.html")).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(root) or not target.is_file():
        raise NotFound(f"The explorer has no page {relative!r}.")
    return target


def _ensure_built(request: Request, site_dir: Path) -> None:
    """Build the site from the store the first time it is asked for; a built site needs no store."""
    if (site_dir / "index.html").is_file():
        return
    with _build_lock:
        if not (site_dir / "index.html").is_file():
            build_site(app_state(request).stores.get(), site_dir)


@router.get("/explorer", include_in_schema=False)
async def explorer_root() -> RedirectResponse:
    # Pages link relative to their own folder, so the site's root needs its trailing slash.
    return RedirectResponse("/explorer/", status_code=308)


@router.get("/explorer/{relative:path}", summary="The static explorer site (index, agency and document pages)")
async def explorer_file(relative: str, request: Request) -> FileResponse:
    site_dir = Path(app_state(request).settings.explorer_dir)
    await run_in_threadpool(_ensure_built, request, site_dir)
    path = _site_file(site_dir, relative)
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix))


def _agency_page(store: GraphStore, request: Request, name: str) -> str:
    from policykg.api.resolve import resolve_agency

    canonical = resolve_agency(store, app_state(request).registry, name)["name"]
    data = explorer_data_from_store(store)
    return render_agency(data, canonical, root="/explorer/", inline=True).html


@router.get(
    "/agencies/{name}/graph.html",
    summary="One agency's ego network and measures as a self-contained HTML page",
    response_class=HTMLResponse,
)
async def agency_graph(name: str, request: Request, store: StoreDep) -> HTMLResponse:
    html = await run_in_threadpool(_agency_page, store, request, name)
    return HTMLResponse(html)
