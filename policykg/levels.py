"""Levels and kinds of agencies for comparing like with like, shared by the analytics and the explorer.

Level and kind come from the registry; a name it does not know gets them from its grammar
(各… is a collective, 省… a provincial unit, 市… a city's, 县/区… a county's, …政府 a government).

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
