"""Human words for the registry's codes (levels, kinds, roles), read from ``data/words.toml``.

The explorer, the CLI tables and the API rankings show these instead of codes such as
``government_department``, and filter agencies by level and by coarse kind group.

>>> kind_label("government_department")
'government department'
>>> kind_group("province", "local_government"), kind_group("collective", "local_government_collective")
('government', 'collective')
>>> kind_group(None, None)
'other'
>>> level_label("collective")
'collective (several localities)'
>>> agency_matches("province", "government_department", level_filter="province", kind_filter="department")
True
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

KIND_GROUPS: tuple[str, ...] = ("department", "government", "collective", "other")
LEVEL_FILTERS: tuple[str, ...] = ("central", "province", "city", "county", "collective")


@cache
def _words() -> dict[str, Any]:
    text = (resources.files("policykg") / "data" / "words.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def level_label(level: str | None) -> str:
    """The word for a level code; an agency the registry does not know has level ``unknown``."""
    if not level:
        return "unknown"
    entry = _words()["levels"].get(level)
    return str(entry["label"]) if entry else level


def kind_label(kind: str | None) -> str:
    """The word for a kind code (``government_department`` → ``government department``)."""
    if not kind:
        return "unknown"
    entry = _words()["kinds"].get(kind)
    return str(entry["label"]) if entry else kind.replace("_", " ")


def kind_group(level: str | None, kind: str | None) -> str:
    """The coarse group rankings filter by: department, government, collective or other."""
    if level == "collective":
        return "collective"
    entry = _words()["kinds"].get(kind or "")
    return str(entry["group"]) if entry else "other"


def group_label(group: str) -> str:
    """The plural word a filter shows for a kind group."""
    return str(_words()["groups"].get(group, group))


def role_label(role: str) -> str:
    """``lead`` → ``lead (牵头)``."""
    entry = _words()["roles"].get(role)
    return str(entry["label"]) if entry else role


def agency_matches(level: str | None, kind: str | None, *, level_filter: str = "", kind_filter: str = "") -> bool:
    """True when an agency of ``level`` and ``kind`` passes the level and kind-group filters (empty: any)."""
    if level_filter and (level or "") != level_filter:
        return False
    return not kind_filter or kind_group(level, kind) == kind_filter
