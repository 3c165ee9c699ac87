"""Which agency (or industry) a name means: id, canonical name or alias; else close names to suggest.

The graph answers first (it holds every agency a document named, resolved or not); the
registry then maps other recorded spellings (e.g. 浙江省经济和信息化委员会) onto a canonical
name the graph knows. The API turns a miss into a 404, the CLI into an error sentence.

Agencies are jurisdictional: a bare 省发展改革委 may name Zhejiang's and Shandong's. An exact
id (``山东省:省发展改革委``) always decides; a ``jurisdiction`` (山东省, or 山东) narrows a name
to that place; otherwise, of several units with the name, those that some loaded measure names
are kept, and if more than one remains the name is ambiguous: :class:`AmbiguousAgency` lists
the ids to choose from (the API answers 422 with ``choices``).
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import TYPE_CHECKING, Any

from policykg import queries
from policykg.errors import InputError, NotFound
from policykg.graph.store import GraphStore, Row
from policykg.queries.catalogue import QueryParam, UnknownQuery

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


class UnknownName(NotFound):
    """No agency (or industry) of that name is in the graph; ``suggestions`` are the closest known names.

    >>> str(UnknownAgency("省经信", ["省经信委"]))
    "No agency called '省经信' is in the graph. Did you mean 省经信委?"
    """

    what = "thing"

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f" Did you mean {'、'.join(suggestions)}?" if suggestions else ""
        super().__init__(f"No {self.what} called {name!r} is in the graph.{hint}")
        self.name = name
        self.suggestions = suggestions


class UnknownAgency(UnknownName):
    what = "agency"


class UnknownIndustry(UnknownName):
    what = "industry"


class AmbiguousAgency(InputError):
    """A name means units of several loaded jurisdictions; ``choices`` are their ids."""

    def __init__(self, name: str, choices: list[Row]) -> None:
        listed = "; ".join(f"{row['id']} ({row.get('jurisdiction') or 'no jurisdiction'})" for row in choices)
        super().__init__(
            f"{name!r} names agencies of several jurisdictions: {listed}. "
            "Give a jurisdiction (e.g. jurisdiction=山东省) or one of these ids."
        )
        self.name = name
        self.choices = [row["id"] for row in choices]


def find_agency(
    store: GraphStore, registry: AgencyRegistry | None, name: str, jurisdiction: str | None = None
) -> Row | None:
    """The ``agency_lookup`` row of the agency ``name`` means (in ``jurisdiction`` when given), or
    None; :class:`AmbiguousAgency` when it means units of several loaded jurisdictions."""
    place = _place_name(registry, jurisdiction)
    rows = queries.read(store, "agency_lookup", {"name": name, "jurisdiction": place})
    if rows and rows[0]["matched_by"] == "id":
        return rows[0]
    if not rows and registry is not None:
        canonical = registry.resolve_in(name, place) if place else registry.resolve(name)
        if canonical is not None and canonical.id != name:
            rows = queries.read(store, "agency_lookup", {"name": canonical.id, "jurisdiction": place})
    return _one(name, rows)


def _one(name: str, rows: list[Row]) -> Row | None:
    """The one agency among lookup rows: unique, else the only one with measures, else ambiguous."""
    distinct = list({row["id"]: row for row in rows}.values())
    if len(distinct) <= 1:
        return distinct[0] if distinct else None
    named = [row for row in distinct if row.get("measures")]
    if len(named) == 1:
        return named[0]
    raise AmbiguousAgency(name, named or distinct)


def _place_name(registry: AgencyRegistry | None, jurisdiction: str | None) -> str:
    """The official name of a jurisdiction as written (山东 → 山东省); '' for none."""
    if not jurisdiction:
        return ""
    if registry is not None:
        place = registry.places.get(jurisdiction)
        if place is not None:
            return place.name
    return jurisdiction


def resolve_agency(
    store: GraphStore, registry: AgencyRegistry | None, name: str, jurisdiction: str | None = None
) -> Row:
    """Like :func:`find_agency`, but a miss raises :class:`UnknownAgency` with close names."""
    found = find_agency(store, registry, name, jurisdiction)
    if found is None:
        raise UnknownAgency(name, agency_suggestions(store, registry, name))
    return found


def agency_suggestions(store: GraphStore, registry: AgencyRegistry | None, name: str, limit: int = 5) -> list[str]:
    """Names in the graph close to ``name``: similar spellings, registry suggestions, containing names."""
    known = list(dict.fromkeys(row["name"] for row in queries.read(store, "agency_workload", {"limit": 10000})))
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
    names no known agency is left as written and simply matches nothing. A ``jurisdiction``
    parameter of a query that does not declare one (agency_measures …) narrows the names
    and is then dropped.
    """
    out = without_narrowing(query_name, params)
    raw = params.get("jurisdiction") if narrows(query_name, params) else None
    place = raw if isinstance(raw, str) and raw else None
    for key in AGENCY_PARAMS.get(query_name, ()):
        value = out.get(key)
        if isinstance(value, str) and value:
            out[key] = resolve_agency(store, registry, value, place)["id"]
    return resolve_filters(store, registry, query_name, out, place)


def resolve_filters(
    store: GraphStore,
    registry: AgencyRegistry | None,
    query_name: str,
    params: dict[str, Any],
    place: str | None = None,
) -> dict[str, Any]:
    """``params`` with each agency filter (``agency``, ``lead``) replaced by the agency's id when
    one is known (else left to match nothing) and a ``jurisdiction`` the query declares written
    as its official name (山东 → 山东省)."""
    out = dict(params)
    jurisdiction = out.get("jurisdiction")
    if isinstance(jurisdiction, str) and jurisdiction and declares(query_name, "jurisdiction"):
        out["jurisdiction"] = _place_name(registry, jurisdiction)
    for key in FILTER_PARAMS:
        value = out.get(key)
        if isinstance(value, str) and value:
            found = find_agency(store, registry, value, place)
            if found is not None:
                out[key] = found["id"]
    return out


def declares(query_name: str, param: str) -> bool:
    """Whether the catalogued query's header declares ``param``.

    >>> declares("agency_workload", "jurisdiction"), declares("agency_measures", "jurisdiction")
    (True, False)
    """
    return param in _declared(query_name)


@cache
def _declared(query_name: str) -> frozenset[str]:
    try:
        return frozenset(p.name for p in queries.default_catalogue().get(query_name).params)
    except UnknownQuery:
        return frozenset()


def narrowing_param() -> QueryParam:
    """The ``jurisdiction`` that narrows agency names: agency_lookup's, as its header declares it.

    >>> narrowing_param().name, narrowing_param().default
    ('jurisdiction', '')
    """
    return next(p for p in queries.default_catalogue().get("agency_lookup").params if p.name == "jurisdiction")


def takes_narrowing(query_name: str) -> bool:
    """Whether a ``jurisdiction`` may narrow the agency names ``query_name`` takes: it names an
    agency (the one it is about, or a filter) and has no jurisdiction parameter of its own. The
    API's routes and ``policykg query`` offer one then.

    >>> takes_narrowing("agency_measures"), takes_narrowing("targets"), takes_narrowing("agency_workload")
    (True, True, False)
    """
    names_agency = bool(AGENCY_PARAMS.get(query_name)) or any(declares(query_name, key) for key in FILTER_PARAMS)
    return names_agency and not declares(query_name, "jurisdiction")


def narrows(query_name: str, params: dict[str, Any]) -> bool:
    """Whether ``jurisdiction`` in ``params`` only narrows the agency names given (the query has
    no such parameter of its own)."""
    names_agency = bool(AGENCY_PARAMS.get(query_name)) or any(key in params for key in FILTER_PARAMS)
    return "jurisdiction" in params and names_agency and not declares(query_name, "jurisdiction")


def without_narrowing(query_name: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` without a ``jurisdiction`` that only narrows agency names, ready to bind.

    >>> without_narrowing("agency_measures", {"name": "省发展改革委", "jurisdiction": "山东省"})
    {'name': '省发展改革委'}
    >>> without_narrowing("agency_workload", {"jurisdiction": "山东省"})
    {'jurisdiction': '山东省'}
    """
    out = dict(params)
    if narrows(query_name, params):
        out.pop("jurisdiction")
    return out


def resolve_industry(store: GraphStore, name: str) -> Row:
    """The ``industries`` row of the industry named (name, id or code), or :class:`UnknownIndustry`."""
    rows = queries.read(store, "industries", {"limit": 10000})
    for row in rows:
        if name in (row["id"], row["name"], row["code"]):
            return row
    names = [row["name"] for row in rows]
    suggestions = difflib.get_close_matches(name, names, n=5, cutoff=0.3) or [n for n in names if name in n][:5]
    raise UnknownIndustry(name, suggestions)
