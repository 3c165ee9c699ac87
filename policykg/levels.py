"""Levels and kinds of agencies for comparing like with like, shared by the analytics and the explorer.

Level and kind come from the registry; a name it does not know gets them from its grammar
(各… is a collective, 省… a provincial unit, 市… a city's, 县/区… a county's, …政府 a government).

>>> peer_level("各市、县(市、区)政府", None), peer_level("省经信委", None), peer_level("商务部", "central")
('collective', 'province', 'central')
>>> peer_kind("绍兴市政府", None)
'government'
>>> percentile_rank(3, [1, 2, 3, 4])
75.0
>>> counts = [PeerCounts("省经信委", "province", 22, 48, 30), PeerCounts("省财政厅", "province", 3, 40, 20)]
>>> standing = peer_percentiles(counts)
>>> standing["省经信委"].peers, standing["省经信委"].lead, standing["省财政厅"].lead
(2, 100.0, 50.0)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
class AgencyInfo:
    """An agency as the analytics and the explorer describe it.

    ``resolved`` is False for a name no registry entry matched; ``level`` and ``kind`` are the
    registry's (None when it has none: :func:`peer_level` and :func:`peer_kind` read the name).
    """

    name: str
    level: str | None = None
    kind: str | None = None
    resolved: bool = True
    full_name: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PeerCounts:
    """One agency's counts to compare: measures it leads and supports, partners it shares with."""

    agency: str
    level: str
    lead: int
    support: int
    breadth: int


@dataclass(frozen=True, slots=True)
class PeerPercentiles:
    """Where an agency stands among the agencies of its level (itself included)."""

    level: str
    peers: int
    lead: float
    support: float
    breadth: float


def peer_percentiles(counts: Iterable[PeerCounts]) -> dict[str, PeerPercentiles]:
    """Each agency's percentiles of lead, support and breadth among the agencies of its level.

    The one rule behind the explorer's peers card and the analytics' peer table.
    """
    by_level: dict[str, list[PeerCounts]] = {}
    for c in counts:
        by_level.setdefault(c.level, []).append(c)
    out: dict[str, PeerPercentiles] = {}
    for level, peers in by_level.items():
        leads = [p.lead for p in peers]
        supports = [p.support for p in peers]
        breadths = [p.breadth for p in peers]
        for p in peers:
            out[p.agency] = PeerPercentiles(
                level,
                len(peers),
                percentile_rank(p.lead, leads),
                percentile_rank(p.support, supports),
                percentile_rank(p.breadth, breadths),
            )
    return out
