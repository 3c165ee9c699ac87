"""``/industries``: the dictionary with measure counts, and the measures of one industry."""

from __future__ import annotations

from fastapi import APIRouter

from policykg.api.from_catalogue import add_catalogue_route

router = APIRouter(prefix="/industries", tags=["industries"])

add_catalogue_route(
    router, "", "industries", summary="Industries with how many measures and documents concern each", title="Industries"
)
add_catalogue_route(
    router,
    "/{name}/measures",
    "industry_measures",
    summary="Measures concerning one industry (by name or GB/T 4754 code)",
    path_params={"name": "name"},
    resolve="industry",
    title=lambda rows, params: f"{rows['name']['name']} · measures",
)
