"""``/measures``: search, and one measure in full."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from policykg.api.deps import CatalogueDep, CursorParam, FormatParam, LimitParam, OffsetParam, StoreDep, app_state
from policykg.api.errors import ApiError
from policykg.api.responses import render_one, render_page
from policykg.api.run import run_page, run_query
from policykg.resolve import resolve_agency_params

router = APIRouter(prefix="/measures", tags=["measures"])
TextFilter = Annotated[str, Query(max_length=200)]


@router.get("", summary="Search measures by keyword, document, section, industry, agency, year and target year")
def search_measures(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    q: Annotated[str, Query(max_length=200, description="Text the measure contains.")] = "",
    doc_id: TextFilter = "",
    section: Annotated[str, Query(max_length=200, description="Numbering path, e.g. 三/(二).")] = "",
    industry: TextFilter = "",
    agency: Annotated[str, Query(max_length=200, description="Agency named in any role.")] = "",
    year: Annotated[int, Query(ge=0, le=9999, description="Year of the document; 0 for any.")] = 0,
    target_year: Annotated[
        int, Query(ge=0, le=9999, description="A year one of the measure's targets is set for; 0 for any.")
    ] = 0,
    limit: LimitParam = 100,
    offset: OffsetParam = 0,
    cursor: CursorParam = None,
    fmt: FormatParam = "json",
) -> Response:
    """Measures by keyword, document, section, industry, agency, document and target year (query measures_search)."""
    params = {
        "q": q,
        "doc_id": doc_id,
        "section": section,
        "industry": industry,
        "agency": agency,
        "year": year,
        "target_year": target_year,
        "limit": limit,
        "offset": offset,
    }
    params = resolve_agency_params(store, app_state(request).registry, "", params)
    return render_page(request, run_page(store, catalogue, "measures_search", params, cursor), fmt, title="Measures")


@router.get("/{measure_id}", summary="One measure: source clause, headings, document, agencies, targets, industries")
def get_measure(
    request: Request,
    measure_id: Annotated[str, Path(min_length=1, max_length=300)],
    store: StoreDep,
    catalogue: CatalogueDep,
    fmt: FormatParam = "json",
) -> Response:
    """One measure with its clause, headings, agencies, targets and industries (query measure_detail)."""
    rows, ms = run_query(store, catalogue, "measure_detail", {"id": measure_id})
    if not rows:
        raise ApiError(404, f"No measure has the id {measure_id!r}; GET /measures lists them.")
    return render_one(request, "measure_detail", rows[0], fmt, ms, title=f"{rows[0]['ref']} · {rows[0]['document']}")
