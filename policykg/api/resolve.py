"""Which agency (or industry) a name means: id, canonical name or alias; else close names to suggest.

The graph answers first (it holds every agency a document named, resolved or not); the
registry then maps other recorded spellings (e.g. 浙江省经济和信息化委员会) onto a canonical
name the graph knows. The API turns a miss into a 404, the CLI into an error sentence.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from policykg.errors import NotFound
from policykg.graph.store import GraphStore, Row

if TYPE_CHECKING:
    from policykg.loaders.registry import AgencyRegistry

# Parameters of catalogued queries that name an agency, by query; "agency" names one everywhere.
AGENCY_PARAMS: dict[str, tuple[str, ...]] = {
    "agency_lookup": (),
    "agency_measures": ("name",),
    "agency_profile": ("name",),
    "agency_partners": ("name",),
    "agency_path": ("source", "target"),
}


# Parameters that filter by an agency (any query): resolved when known, else left to match nothing.
FILTER_PARAMS = ("agency", "lead")


class UnknownAgency(NotFound):
    """No agency of that name is in the graph; ``suggestions`` are the closest known names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f" Did you mean {'、'.join(suggestions)}?" if suggestions else ""
        super().__init__(f"No agency called {name!r} is in the graph.{hint}")
        self.name = name
        self.suggestions = suggestions


class UnknownIndustry(NotFound):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f" Did you mean {'、'.join(suggestions)}?" if suggestions else ""
        super().__init__(f"No industry called {name!r} is in the graph.{hint}")
        self.name = name
        self.suggestions = suggestions


def find_agency(store: GraphStore, registry: AgencyRegistry | None, name: str) -> Row | None:
    """The ``agency_lookup`` row of the agency ``name`` means, or None."""
    rows = store.read("agency_lookup", {"name": name})
    if rows:
        return rows[0]
    canonical = registry.resolve(name) if registry is not None else None
    if canonical is not None and canonical.name != name:
        rows = store.read("agency_lookup", {"name": canonical.name})
        if rows:
            return rows[0]
    return None


def resolve_agency(store: GraphStore, registry: AgencyRegistry | None, name: str) -> Row:
    """Like :func:`find_agency`, but a miss raises :class:`UnknownAgency` with close names."""
    found = find_agency(store, registry, name)
    if found is None:
        raise UnknownAgency(name, agency_suggestions(store, registry, name))
    return found


def agency_suggestions(store: GraphStore, registry: AgencyRegistry | None, name: str, limit: int = 5) -> list[str]:
    """Names in the graph close to ``name``: similar spellings, registry suggestions, containing names."""
    known = [row["name"] for row in store.read("agency_workload", {"limit": 10000})]
    close = difflib.get_close_matches(name, known, n=limit, cutoff=0.5)
    from_registry = [s for s in (registry.suggest(name, limit=limit) if registry else []) if s in known]
    containing = [k for k in known if name and (name in k or k in name)]
    merged: list[str] = []
    for candidate in [*close, *from_registry, *containing]:
        if candidate not in merged:
            merged.append(candidate)
    return merged[:limit]


def resolve_agency_params(
    store: GraphStore, registry: AgencyRegistry | None, query_name: str, params: dict[str, Any]
) -> dict[str, Any]:
    """``params`` with agency names replaced by the agency's id.

    The agency a query is about (``name`` of agency_measures, ``source``/``target`` of
    agency_path …) must exist, else :class:`UnknownAgency`; an ``agency`` or ``lead`` filter that
    names no known agency is left as written and simply matches nothing.
    """
    out = dict(params)
    for key in AGENCY_PARAMS.get(query_name, ()):
        value = out.get(key)
        if isinstance(value, str) and value:
            out[key] = resolve_agency(store, registry, value)["id"]
    for key in FILTER_PARAMS:
        value = out.get(key)
        if isinstance(value, str) and value:
            found = find_agency(store, registry, value)
            if found is not None:
                out[key] = found["id"]
    return out


def resolve_industry(store: GraphStore, name: str) -> Row:
    """The ``industries`` row of the industry named (name, id or code), or :class:`UnknownIndustry`."""
    rows = store.read("industries", {"limit": 10000})
    for row in rows:
        if name in (row["id"], row["name"], row["code"]):
            return row
    names = [row["name"] for row in rows]
    suggestions = difflib.get_close_matches(name, names, n=5, cutoff=0.3) or [n for n in names if name in n][:5]
    raise UnknownIndustry(name, suggestions)
