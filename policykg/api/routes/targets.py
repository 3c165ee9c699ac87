"""``/targets``: quantitative goals by year, unit, document and agency."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from policykg.api.deps import CatalogueDep, FormatParam, LimitParam, OffsetParam, StoreDep, app_state
from policykg.api.responses import render_page
from policykg.api.run import run_page
from policykg.resolve import resolve_agency_params

router = APIRouter(prefix="/targets", tags=["targets"])
TextFilter = Annotated[str, Query(max_length=200)]


@router.get("", summary="Quantitative targets, normalised, with the measure that sets them")
def list_targets(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    year: Annotated[int, Query(ge=0, le=9999, description="Target year (not the document's year); 0 for any.")] = 0,
    derived: Annotated[
        bool, Query(description="Let a year derived from the document's date (今年, 3年内) match year too.")
    ] = True,
    unit: Annotated[str, Query(max_length=200, description="Unit as written (万家) or base unit (家).")] = "",
    metric: Annotated[str, Query(max_length=200, description="Text the metric contains.")] = "",
    q: Annotated[str, Query(max_length=200, description="Text the metric or target contains.")] = "",
    doc_id: TextFilter = "",
    lead: Annotated[str, Query(max_length=200, description="Agency leading the measure that sets the target.")] = "",
    agency: TextFilter = "",
    role: Annotated[Literal["lead", "support", "joint", "any"], Query()] = "any",
    limit: LimitParam = 100,
    offset: OffsetParam = 0,
    fmt: FormatParam = "json",
) -> Response:
    """Quantitative targets with value_normalised in base_unit and the measure that sets them (query targets)."""
    params = {
        "year": year,
        "derived": derived,
        "unit": unit,
        "metric": metric,
        "q": q,
        "doc_id": doc_id,
        "lead": lead,
        "agency": agency,
        "role": role,
        "limit": limit,
        "offset": offset,
    }
    params = resolve_agency_params(store, app_state(request).registry, "targets", params)
    return render_page(request, run_page(store, catalogue, "targets", params), fmt, title="Targets")
