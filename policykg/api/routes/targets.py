"""``/targets``: quantitative goals by year, unit, document and agency (query targets)."""

from __future__ import annotations

from fastapi import APIRouter

from policykg.api.from_catalogue import add_catalogue_route

router = APIRouter(prefix="/targets", tags=["targets"])

add_catalogue_route(
    router, "", "targets", summary="Quantitative targets, normalised, with the measure that sets them", title="Targets"
)
