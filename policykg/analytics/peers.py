"""Comparing an agency with its peers: the agencies of the same level (central, province, city, county, collective).

An agency's percentile among its peers is the share of peers (agencies of its level with at least one
measure, itself included) whose count is at most its own; levels and kinds come from
:mod:`policykg.levels`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from policykg.analytics.metrics import breadth_depth, workload
from policykg.analytics.table import AssignmentTable
from policykg.levels import PeerCounts, peer_kind, peer_level, peer_percentiles


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
    counts = [
        PeerCounts(r.agency, peer_level(r.agency, r.level), r.lead, r.support, breadth.get(r.agency, 0)) for r in rows
    ]
    standing = peer_percentiles(counts)
    return {
        c.agency: PeerStanding(
            agency=c.agency,
            level=c.level,
            kind=peer_kind(c.agency, r.kind),
            peers=standing[c.agency].peers,
            lead=c.lead,
            support=c.support,
            breadth=c.breadth,
            lead_percentile=standing[c.agency].lead,
            support_percentile=standing[c.agency].support,
            breadth_percentile=standing[c.agency].breadth,
        )
        for c, r in zip(counts, rows, strict=True)
    }
