"""``/measures``: search, and one measure in full (queries measures_search and measure_detail)."""

from __future__ import annotations

from fastapi import APIRouter

from policykg.api.from_catalogue import add_catalogue_route

router = APIRouter(prefix="/measures", tags=["measures"])

add_catalogue_route(
    router,
    "",
    "measures_search",
    summary="Search measures by keyword, document, section, industry, agency, year and target year",
    title="Measures",
)
add_catalogue_route(
    router,
    "/{measure_id}",
    "measure_detail",
    summary="One measure: source clause, headings, document, agencies, targets, industries",
    path_params={"measure_id": "id"},
    missing="No measure has the id {measure_id!r}; GET /measures lists them.",
    title=lambda rows, params: f"{rows['row']['ref']} · {rows['row']['document']}",
)
