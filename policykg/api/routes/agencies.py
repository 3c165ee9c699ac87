"""``/agencies``: the workload list, one agency's profile, its measures by role, partners and chains to another.

Each route is its catalogued query (parameters from the ``.cypher`` header, see
:mod:`policykg.api.from_catalogue`) plus the agency named in its path, resolved by name, alias
or id. An agency's timeline and peers are the analytics' routes (:mod:`policykg.analytics.routes`).
"""

from __future__ import annotations

from fastapi import APIRouter

from policykg.api.from_catalogue import add_catalogue_route

router = APIRouter(prefix="/agencies", tags=["agencies"])
# Names may hold "/" (市发改委/市能源局), so they are path parameters and the bare profile route
# would swallow every longer one: it sits on its own router, included after all the others.
profile_router = APIRouter(prefix="/agencies", tags=["agencies"])

add_catalogue_route(
    router,
    "",
    "agency_workload",
    summary="Every agency with its workload (measures by role, targets led, documents)",
    title="Agencies",
)
add_catalogue_route(
    profile_router,
    "/{name:path}",
    "agency_profile",
    summary="One agency: registry attributes, workload, collectives and reform lineage",
    path_params={"name": "name"},
    resolve="agency",
    missing="The agency {name!r} disappeared while it was being read.",
    title=lambda rows, params: str(rows["row"]["name"]),
)
add_catalogue_route(
    router,
    "/{name:path}/measures",
    "agency_measures",
    summary="The measures an agency leads, supports or shares jointly",
    path_params={"name": "name"},
    resolve="agency",
    title=lambda rows, params: f"{rows['name']['name']} · measures ({params['role']})",
)
add_catalogue_route(
    router,
    "/{name:path}/partners",
    "agency_partners",
    summary="Units sharing measures with an agency, split by who leads whom",
    path_params={"name": "name"},
    resolve="agency",
    title=lambda rows, params: f"{rows['name']['name']} · partners",
)
add_catalogue_route(
    router,
    "/{name:path}/path/{other:path}",
    "agency_path",
    summary="Shortest chains of shared measures between two agencies",
    path_params={"name": "source", "other": "target"},
    resolve="agency",
    title=lambda rows, params: f"{rows['name']['name']} → {rows['other']['name']}",
)
