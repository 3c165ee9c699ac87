"""``/industries``: the dictionary with measure counts, and the measures of one industry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from policykg.api.deps import CatalogueDep, CursorParam, FormatParam, LimitParam, OffsetParam, StoreDep
from policykg.api.responses import render_page
from policykg.api.run import run_page
from policykg.resolve import resolve_industry

router = APIRouter(prefix="/industries", tags=["industries"])


@router.get("", summary="Industries with how many measures and documents concern each")
def list_industries(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    min_measures: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: LimitParam = 100,
    offset: OffsetParam = 0,
    fmt: FormatParam = "json",
) -> Response:
    """Industries with their measure and document counts (query industries)."""
    params = {"min_measures": min_measures, "limit": limit, "offset": offset}
    return render_page(request, run_page(store, catalogue, "industries", params), fmt, title="Industries")


@router.get("/{name}/measures", summary="Measures concerning one industry (by name or GB/T 4754 code)")
def industry_measures(
    request: Request,
    name: Annotated[str, Path(min_length=1, max_length=200)],
    store: StoreDep,
    catalogue: CatalogueDep,
    limit: LimitParam = 100,
    offset: OffsetParam = 0,
    cursor: CursorParam = None,
    fmt: FormatParam = "json",
) -> Response:
    """Measures concerning one industry, by name or code (query industry_measures)."""
    industry = resolve_industry(store, name)
    params = {"name": industry["id"], "limit": limit, "offset": offset}
    page = run_page(store, catalogue, "industry_measures", params, cursor)
    return render_page(request, page, fmt, title=f"{industry['name']} · measures")
