"""``/agencies``: the workload list, one agency's profile, its measures by role, partners and chains to another.

An agency's timeline and peers are the analytics' routes (:mod:`policykg.analytics.routes`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from policykg.api.deps import CatalogueDep, CursorParam, FormatParam, LimitParam, OffsetParam, StoreDep, app_state
from policykg.api.errors import ApiError
from policykg.api.responses import render_one, render_page
from policykg.api.run import run_page, run_query
from policykg.resolve import resolve_agency
from policykg.web import AgencyName

router = APIRouter(prefix="/agencies", tags=["agencies"])
# Names may hold "/" (市发改委/市能源局), so they are path parameters and the bare profile route
# would swallow every longer one: it sits on its own router, included after all the others.
profile_router = APIRouter(prefix="/agencies", tags=["agencies"])

RoleParam = Annotated[Literal["lead", "support", "joint", "any"], Query(description="Role the agency holds.")]
TextFilter = Annotated[str, Query(max_length=200)]
JurisdictionParam = Annotated[
    str,
    Query(
        max_length=100,
        description="The agency's jurisdiction (山东省, 济南市, 全国 …) where a bare name is ambiguous.",
    ),
]


@router.get("", summary="Every agency with its workload (measures by role, targets led, documents)")
def list_agencies(
    request: Request,
    store: StoreDep,
    catalogue: CatalogueDep,
    q: Annotated[str, Query(max_length=200, description="Text the name or full name contains.")] = "",
    doc_id: TextFilter = "",
    min_measures: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    jurisdiction: JurisdictionParam = "",
    limit: LimitParam = 100,
    offset: OffsetParam = 0,
    fmt: FormatParam = "json",
) -> Response:
    """Every agency with measures by role, targets it leads and documents naming it (query agency_workload)."""
    place = app_state(request).registry.places.get(jurisdiction) if jurisdiction else None
    params = {
        "q": q,
        "doc_id": doc_id,
        "min_measures": min_measures,
        "jurisdiction": place.name if place is not None else jurisdiction,
        "limit": limit,
        "offset": offset,
    }
    return render_page(request, run_page(store, catalogue, "agency_workload", params), fmt, title="Agencies")


@profile_router.get("/{name:path}", summary="One agency: registry attributes, workload, collectives and reform lineage")
def get_agency(
    request: Request,
    name: AgencyName,
    store: StoreDep,
    catalogue: CatalogueDep,
    jurisdiction: JurisdictionParam = "",
    fmt: FormatParam = "json",
) -> Response:
    """One agency by canonical name, alias or id (query agency_profile); an unknown name is a 404 with close names."""
    agency = resolve_agency(store, app_state(request).registry, name, jurisdiction)
    rows, ms = run_query(store, catalogue, "agency_profile", {"name": agency["id"]})
    if not rows:
        raise ApiError(404, f"The agency {agency['id']!r} disappeared while it was being read.")
    return render_one(request, "agency_profile", rows[0], fmt, ms, title=rows[0]["name"], extra={"requested": name})


@router.get("/{name:path}/measures", summary="The measures an agency leads, supports or shares jointly")
def agency_measures(
    request: Request,
    name: AgencyName,
    store: StoreDep,
    catalogue: CatalogueDep,
    role: RoleParam = "any",
    doc_id: TextFilter = "",
    jurisdiction: JurisdictionParam = "",
    limit: LimitParam = 100,
    offset: OffsetParam = 0,
    cursor: CursorParam = None,
    fmt: FormatParam = "json",
) -> Response:
    """The measures an agency leads, supports or shares jointly, in document order (query agency_measures)."""
    agency = resolve_agency(store, app_state(request).registry, name, jurisdiction)
    params = {"name": agency["id"], "role": role, "doc_id": doc_id, "limit": limit, "offset": offset}
    page = run_page(store, catalogue, "agency_measures", params, cursor)
    return render_page(request, page, fmt, title=f"{agency['name']} · measures ({role})")


@router.get("/{name:path}/partners", summary="Units sharing measures with an agency, split by who leads whom")
def agency_partners(
    request: Request,
    name: AgencyName,
    store: StoreDep,
    catalogue: CatalogueDep,
    role: RoleParam = "any",
    jurisdiction: JurisdictionParam = "",
    limit: LimitParam = 100,
    offset: OffsetParam = 0,
    fmt: FormatParam = "json",
) -> Response:
    """Units sharing measures with an agency, split by who leads whom (query agency_partners)."""
    agency = resolve_agency(store, app_state(request).registry, name, jurisdiction)
    params = {"name": agency["id"], "role": role, "limit": limit, "offset": offset}
    page = run_page(store, catalogue, "agency_partners", params)
    return render_page(request, page, fmt, title=f"{agency['name']} · partners")


@router.get("/{name:path}/path/{other:path}", summary="Shortest chains of shared measures between two agencies")
def agency_path(
    request: Request,
    name: AgencyName,
    other: AgencyName,
    store: StoreDep,
    catalogue: CatalogueDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    jurisdiction: JurisdictionParam = "",
    fmt: FormatParam = "json",
) -> Response:
    """Every shortest chain of shared measures between two agencies (query agency_path)."""
    registry = app_state(request).registry
    source = resolve_agency(store, registry, name, jurisdiction)
    target = resolve_agency(store, registry, other, jurisdiction)
    if source["id"] == target["id"]:
        raise ApiError(422, f"{name} and {other} are the same agency; a chain needs two.", param="other")
    params = {"source": source["id"], "target": target["id"], "limit": limit}
    page = run_page(store, catalogue, "agency_path", params)
    return render_page(request, page, fmt, title=f"{source['name']} → {target['name']}")
