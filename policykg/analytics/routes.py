"""API routes of the analytics: ``/stats/workload``, ``/stats/network``, ``/export/{format}``, ``/charts/*``,
and one agency's ``/timeline`` and ``/peers``.

The API includes :data:`router` (before its catch-all ``/agencies/{name}`` profile route); what
the routes need from the app comes through :mod:`policykg.web`, never from the API package.
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from policykg.analytics.charts import matrix_chart, workload_chart
from policykg.analytics.export import FORMATS, MEDIA_TYPES, export_bytes, graph_bytes
from policykg.analytics.graph_export import bipartite_graph, read_full_graph
from policykg.analytics.metrics import breadth_depth, co_responsibility_graph, network_summary, node_metrics, workload
from policykg.analytics.peers import peer_standings
from policykg.analytics.table import AssignmentTable, read_table
from policykg.analytics.timeline import by_month, read_timeline
from policykg.errors import NotFound
from policykg.resolve import resolve_agency
from policykg.web import AgencyName, FormatParam, StoreDep, served
from policykg.words import agency_matches

router = APIRouter(tags=["analytics"])


def _table(
    store: StoreDep,
    merge_reforms: Annotated[bool, Query(description="Count predecessors with their successors.")] = False,
) -> AssignmentTable:
    table = read_table(store)
    return table.reform_merged() if merge_reforms else table


Table = Annotated[AssignmentTable, Depends(_table)]


LevelFilter = Literal["", "central", "province", "city", "county", "collective"]
KindFilter = Literal["", "department", "government", "collective", "other"]


@router.get("/stats/workload")
def stats_workload(
    request: Request,
    table: Table,
    include_all: Annotated[bool, Query(alias="all", description="Also list agencies with no measures.")] = False,
    level: Annotated[LevelFilter, Query(description="Only agencies of this level.")] = "",
    kind: Annotated[KindFilter, Query(description="Only departments, governments, collectives or other.")] = "",
    fmt: FormatParam = "json",
) -> Response:
    """Per agency: lead, support, joint, share-normalised load, targets as lead, documents; and role classes.

    Agencies with measures only, unless ``all=true``; ``level`` and ``kind`` narrow the ranking.
    """
    started = time.perf_counter()
    classes = {b.agency: b for b in breadth_depth(table)}
    rows = []
    for r in workload(table, include_idle=include_all):
        if not agency_matches(r.level, r.kind, level_filter=level, kind_filter=kind):
            continue
        row = r.as_dict()
        b = classes.get(r.agency)
        row.update(breadth=b.breadth if b else 0, depth=b.depth if b else 0, role_class=b.role_class if b else None)
        rows.append(row)
    if fmt == "json":
        return JSONResponse({"rows": rows, "count": len(rows)})
    params = {"all": include_all, "level": level, "kind": kind}
    elapsed = (time.perf_counter() - started) * 1000
    return served(request).render_rows(request, "stats_workload", params, rows, fmt, title="Agency workload",
                                       time_ms=elapsed)  # fmt: skip


@router.get("/stats/network")
def stats_network(table: Table) -> dict[str, Any]:
    """Density, centralisation, E-I indices of the co-responsibility network, and node centralities."""
    graph = co_responsibility_graph(table)
    return {
        "summary": network_summary(table),
        "nodes": [n.__dict__ if hasattr(n, "__dict__") else _as_dict(n) for n in node_metrics(graph)],
    }


def _as_dict(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


@router.get("/export/{fmt}")
def export(
    fmt: str,
    store: StoreDep,
    graph: Annotated[
        Literal["full", "agencies", "bipartite"],
        Query(description="full: the whole knowledge graph; agencies: co-responsibility; bipartite: two-mode."),
    ] = "agencies",
    with_: Annotated[
        Literal["measure", "industry"], Query(alias="with", description="The other mode of a bipartite export.")
    ] = "measure",
    merge_reforms: Annotated[bool, Query(description="Count predecessors with their successors.")] = False,
) -> Response:
    """The graph as graphml, gexf, json, or csv (a zip of nodes.csv and edges.csv)."""
    if fmt not in FORMATS:
        raise HTTPException(
            status_code=404, detail=f"There is no export format {fmt!r}; use one of {', '.join(FORMATS)}."
        )
    if graph == "agencies":
        table = read_table(store)
        body = export_bytes(table.reform_merged() if merge_reforms else table, fmt)
    else:
        full = read_full_graph(store)
        body = graph_bytes(full if graph == "full" else bipartite_graph(full, with_), fmt)
    suffix = "zip" if fmt == "csv" else fmt
    name = "network" if graph == "agencies" else graph
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="policykg-{name}.{suffix}"'},
    )


@router.get("/charts/workload.png")
def chart_workload(table: Table, top: Annotated[int, Query(ge=1, le=200)] = 30) -> Response:
    return Response(workload_chart(table, top=top), media_type="image/png")


@router.get("/charts/matrix.png")
def chart_matrix(table: Table, top: Annotated[int, Query(ge=1, le=100)] = 20) -> Response:
    return Response(matrix_chart(table, top=top), media_type="image/png")


RoleParam = Annotated[Literal["lead", "support", "joint", "any"], Query(description="Role the agency holds.")]


@router.get(
    "/agencies/{name:path}/timeline",
    tags=["agencies"],
    summary="What falls due when: an agency's deadlines and target years by month",
)
def agency_timeline(request: Request, name: AgencyName, store: StoreDep, role: RoleParam = "any") -> dict[str, Any]:
    """Deadlines (as one ISO day) and target years of the measures an agency holds, by month and role."""
    agency = resolve_agency(store, served(request).registry, name)
    entries = read_timeline(store, agency["id"], role)
    return {
        "agency": agency["name"],
        "role": role,
        "months": by_month(entries),
        "entries": [e.as_dict() for e in entries],
        "count": len(entries),
    }


@router.get(
    "/agencies/{name:path}/peers",
    tags=["agencies"],
    summary="An agency against its peers at the same level: percentiles of lead, support, breadth",
)
def agency_peers(request: Request, name: AgencyName, store: StoreDep) -> dict[str, Any]:
    """The agency's percentile among agencies of its level (central, province, city, county, collective)."""
    agency = resolve_agency(store, served(request).registry, name)
    standings = peer_standings(read_table(store))
    standing = standings.get(agency["name"])
    if standing is None:
        raise NotFound(f"{agency['name']} holds no measure, so it has no peers to be compared with.")
    peers = sorted((s for s in standings.values() if s.level == standing.level), key=lambda s: (-s.lead, s.agency))
    return {"agency": standing.as_dict(), "peers": [s.as_dict() for s in peers]}
