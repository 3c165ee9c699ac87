"""Comparing an agency with its peers: the same level (central, province, city, county, collective).

Level and kind come from the registry; a name it does not know gets them from its grammar
(各… is a collective, 省… a provincial unit, 市… a city's, 县/区… a county's, …政府 a government).
An agency's percentile among its peers is the share of peers (agencies of its level with at least one
measure, itself included) whose count is at most its own.

>>> peer_level("各市、县(市、区)政府", None), peer_level("省经信委", None), peer_level("商务部", "central")
('collective', 'province', 'central')
>>> peer_kind("绍兴市政府", None)
'government'
>>> percentile_rank(3, [1, 2, 3, 4])
75.0
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from policykg.analytics.metrics import WorkloadRow, breadth_depth, workload
from policykg.analytics.table import AssignmentTable

LEVELS: tuple[str, ...] = ("central", "province", "city", "county", "collective")
KINDS: tuple[str, ...] = ("department", "government", "party", "collective", "other")

_COLLECTIVE = re.compile(r"^(?:各|有关|相关|其他|\d+个)|有关部门|相关部门|各地")
_GOVERNMENT = re.compile(r"(?:人民)?政府$|管委会$")
_PARTY = re.compile(r"^(?:省委|市委|县委|区委|中央)|党委|纪委|组织部|宣传部|统战部|政法委")
_REGISTRY_KINDS = {
    "government_department": "department",
    "financial_regulator_branch": "department",
    "public_institution": "department",
    "court": "department",
    "procuratorate": "department",
    "leading_group": "department",
    "leading_group_office": "department",
    "local_government": "government",
    "local_government_collective": "collective",
    "party_department": "party",
}


def peer_level(name: str, level: str | None) -> str:
    """The level an agency is compared at: the registry's, else read from its name."""
    if level in LEVELS:
        return level
    if _COLLECTIVE.search(name):
        return "collective"
    if name.startswith("省") or re.match(r"^[\u4e00-\u9fff]{2,3}省", name):
        return "province"
    if name.startswith("市") or re.match(r"^[\u4e00-\u9fff]{2,4}市", name):
        return "city"
    if name.startswith(("县", "区")) or re.match(r"^[\u4e00-\u9fff]{2,4}[县区]", name):
        return "county"
    return "central"


def peer_kind(name: str, kind: str | None) -> str:
    """Department, government, party organ, collective or other: the registry's kind folded, else the name's."""
    if kind in _REGISTRY_KINDS:
        return _REGISTRY_KINDS[kind]
    if _COLLECTIVE.search(name):
        return "collective"
    if _PARTY.search(name):
        return "party"
    if _GOVERNMENT.search(name):
        return "government"
    return "department" if kind is None else "other"


def percentile_rank(value: float, population: Sequence[float]) -> float:
    """The share (in percent) of ``population`` at or below ``value``."""
    if not population:
        return 0.0
    return round(100.0 * sum(1 for v in population if v <= value) / len(population), 1)


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
