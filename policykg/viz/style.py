"""Colour, shape and size by node type and role: the one place the explorer's look is decided.

>>> NODE_STYLES["agency"].shape, ROLE_COLOURS["lead"]
('dot', '#d9480f')
>>> agency_size(0) < agency_size(10) < agency_size(100)
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

NodeKind = Literal["agency", "measure", "target", "document", "section", "industry"]


@dataclass(frozen=True, slots=True)
class NodeStyle:
    label: str
    shape: str
    colour: str
    size: int


NODE_STYLES: dict[str, NodeStyle] = {
    "agency": NodeStyle("Agency", "dot", "#1c7ed6", 16),
    "measure": NodeStyle("Measure", "square", "#868e96", 9),
    "target": NodeStyle("Target", "diamond", "#f59f00", 8),
    "document": NodeStyle("Document", "star", "#5f3dc4", 26),
    "section": NodeStyle("Section", "triangle", "#20c997", 11),
    "industry": NodeStyle("Industry", "hexagon", "#e64980", 10),
}

# A measure is coloured by the role the page's agency (or its lead) has on it.
ROLE_COLOURS: dict[str, str] = {"lead": "#d9480f", "support": "#2f9e44", "joint": "#7048e8"}
ROLE_LABELS: dict[str, str] = {"lead": "leads (牵头)", "support": "supports (配合)", "joint": "shares (共同负责)"}
UNRESOLVED_AGENCY_COLOUR = "#adb5bd"
# On the overview agencies are coloured by level, so the central ministries, a province's
# departments and the collectives (各市、县政府) read as groups at a glance.
LEVEL_COLOURS: dict[str, str] = {
    "central": "#1c7ed6",
    "province": "#0b7285",
    "city": "#e8590c",
    "county": "#9c36b5",
    "collective": "#495057",
}
LEVEL_LEGEND: dict[str, str] = {
    "central": "Central agency (国务院部门)",
    "province": "Provincial agency",
    "city": "City agency",
    "county": "County agency",
    "collective": "Collective (各市、县政府…)",
}
EDGE_COLOURS: dict[str, str] = {**ROLE_COLOURS, "partner": "#74c0fc", "target": "#fab005", "contains": "#ced4da"}


def agency_size(workload: int) -> float:
    """Node size grows with the square root of an agency's measure count, capped so a hub never hides its measures.

    >>> agency_size(10_000)
    64.0
    """
    return round(min(12 + 4 * math.sqrt(max(workload, 0)), 64.0), 1)


def legend(kinds: list[str], measure_colours: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str, str]]:
    """(label, colour, shape) entries for the kinds a view contains, then what measure colours mean.

    >>> legend(["agency"])
    [('Agency', '#1c7ed6', 'dot')]
    """
    # Measures get their own colour entries when their colour means something.
    shown = [k for k in NODE_STYLES if k in kinds and not (k == "measure" and measure_colours)]
    entries = [(NODE_STYLES[k].label, NODE_STYLES[k].colour, NODE_STYLES[k].shape) for k in shown]
    return entries + [(label, colour, "square") for label, colour in measure_colours]


def level_colour(level: str | None, resolved: bool = True) -> str:
    """An agency's colour on the overview: by level; grey when the registry does not know it.

    >>> level_colour("central"), level_colour(None, resolved=False)
    ('#1c7ed6', '#adb5bd')
    """
    if not resolved:
        return UNRESOLVED_AGENCY_COLOUR
    return LEVEL_COLOURS.get(level or "", NODE_STYLES["agency"].colour)


def overview_legend(levels: Sequence[str], unresolved: bool) -> list[tuple[str, str, str]]:
    """Legend of the overview: one entry per level present, unresolved names, and what lines mean."""
    entries = [(LEVEL_LEGEND[lv], LEVEL_COLOURS[lv], "dot") for lv in LEVEL_COLOURS if lv in levels]
    if unresolved:
        entries.append(("Not in the agency registry (kept as written)", UNRESOLVED_AGENCY_COLOUR, "dot"))
    entries.append(("Line: named on the same measures (wider: more of them)", EDGE_COLOURS["partner"], "line"))
    return entries


def agency_role_legend() -> list[tuple[str, str]]:
    """Measure colours on an agency's page: the role that agency has."""
    return [(f"Measure it {ROLE_LABELS[r]}", c) for r, c in ROLE_COLOURS.items()]


def document_role_legend() -> list[tuple[str, str]]:
    """Measure colours on a document's page: whether a lead or only jointly responsible units are named."""
    return [
        ("Measure with a lead agency", ROLE_COLOURS["lead"]),
        ("Measure with jointly responsible agencies", ROLE_COLOURS["joint"]),
        ("Measure with no agency named", NODE_STYLES["measure"].colour),
    ]
