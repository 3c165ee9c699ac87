"""Comparing an agency with its peers: the agencies of the same level (central, province, city, county, collective).

An agency's percentile among its peers is the share of peers (agencies of its level with at least one
measure, itself included) whose count is at most its own; levels and kinds come from
:mod:`policykg.levels`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from policykg.analytics.metrics import WorkloadRow, breadth_depth, workload
from policykg.analytics.table import AssignmentTable
from policykg.levels import peer_kind, peer_level, percentile_rank


@dataclass(frozen=True, slots=True)
class PeerStanding:
    agency: str
    level: str
    kind: str
    peers: int
    lead: int
    support: int
    breadth: int
    lead_percentile: float
    support_percentile: float
    breadth_percentile: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def peer_standings(table: AssignmentTable) -> dict[str, PeerStanding]:
    """Every agency with measures, with its percentile among the agencies of its level."""
    rows = workload(table, include_idle=False)
    breadth = {b.agency: b.breadth for b in breadth_depth(table)}
    levels = {r.agency: peer_level(r.agency, r.level) for r in rows}
    by_level: dict[str, list[WorkloadRow]] = {}
    for r in rows:
        by_level.setdefault(levels[r.agency], []).append(r)
    standings: dict[str, PeerStanding] = {}
    for level, peers in by_level.items():
        leads = [p.lead for p in peers]
        supports = [p.support for p in peers]
        breadths = [breadth.get(p.agency, 0) for p in peers]
        for r in peers:
            standings[r.agency] = PeerStanding(
                agency=r.agency,
                level=level,
                kind=peer_kind(r.agency, r.kind),
                peers=len(peers),
                lead=r.lead,
                support=r.support,
                breadth=breadth.get(r.agency, 0),
                lead_percentile=percentile_rank(r.lead, leads),
                support_percentile=percentile_rank(r.support, supports),
                breadth_percentile=percentile_rank(breadth.get(r.agency, 0), breadths),
            )
    return standings
