"""The assignment table every metric is computed from, read from either store.

>>> t = AssignmentTable.from_rows([
...     {"measure_id": "m1", "doc_id": "d", "year": 2017, "agency": "A", "role": "lead", "position": 0, "targets": 1},
...     {"measure_id": "m1", "doc_id": "d", "year": 2017, "agency": "B", "role": "support", "position": 1,
...      "targets": 1},
... ])
>>> sorted(t.measures())
['m1']
>>> t.units_of("m1")
['A', 'B']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from policykg import queries
from policykg.graph.store import GraphStore
from policykg.levels import AgencyInfo


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    measure_id: str
    doc_id: str
    year: int | None
    agency: str
    role: str
    position: int
    targets: int


@dataclass
class AssignmentTable:
    rows: list[AssignmentRow]
    agencies: dict[str, AgencyInfo] = field(default_factory=dict)
    industries: dict[str, list[str]] = field(default_factory=dict)  # measure id → industries
    successions: list[tuple[str, str, str | None]] = field(default_factory=list)
    # measure id → base unit → sum of the measure's normalised target values (rates left out)
    target_sums: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        agencies: Iterable[Mapping[str, Any]] = (),
        industries: Iterable[Mapping[str, Any]] = (),
        successions: Iterable[Mapping[str, Any]] = (),
        target_sums: Iterable[Mapping[str, Any]] = (),
    ) -> AssignmentTable:
        """Key agencies by name; where one name stands for units of several jurisdictions (two
        省发展改革委), by their ids (浙江省:省发展改革委), so the figures of each stay apart."""
        rows, agencies, successions = list(rows), list(agencies), list(successions)
        label = agency_labels(
            [(r.get("agency_id"), r["agency"]) for r in rows]
            + [(a.get("agency_id"), a["agency"]) for a in agencies]
            + [(s.get(f"{end}_id"), s[end]) for s in successions for end in ("predecessor", "successor")]
        )
        table_rows = [
            AssignmentRow(
                measure_id=str(r["measure_id"]),
                doc_id=str(r["doc_id"]),
                year=None if r.get("year") is None else int(r["year"]),
                agency=label(r.get("agency_id"), r["agency"]),
                role=str(r["role"]),
                position=int(r.get("position") or 0),
                targets=int(r.get("targets") or 0),
            )
            for r in rows
        ]
        info = {
            (name := label(a.get("agency_id"), a["agency"])): AgencyInfo(
                name, a.get("level"), a.get("kind"), bool(a.get("resolved", True))
            )
            for a in agencies
        }
        for row in table_rows:
            info.setdefault(row.agency, AgencyInfo(row.agency))
        by_measure: dict[str, list[str]] = defaultdict(list)
        for r in industries:
            by_measure[str(r["measure_id"])].append(str(r["industry"]))
        lineage = [
            (
                label(s.get("predecessor_id"), s["predecessor"]),
                label(s.get("successor_id"), s["successor"]),
                s.get("date"),
            )
            for s in successions
        ]
        sums: dict[str, dict[str, float]] = defaultdict(dict)
        for r in target_sums:
            sums[str(r["measure_id"])][str(r["base_unit"])] = float(r["total"])
        return cls(table_rows, info, dict(by_measure), lineage, dict(sums))

    def measures(self) -> set[str]:
        return {r.measure_id for r in self.rows}

    def units_of(self, measure_id: str) -> list[str]:
        """Distinct agencies of one measure, in list order."""
        seen: dict[str, None] = {}
        for r in sorted((r for r in self.rows if r.measure_id == measure_id), key=lambda r: r.position):
            seen.setdefault(r.agency, None)
        return list(seen)

    def by_measure(self) -> dict[str, list[AssignmentRow]]:
        grouped: dict[str, list[AssignmentRow]] = defaultdict(list)
        for r in self.rows:
            grouped[r.measure_id].append(r)
        return dict(grouped)

    def filter(self, *, year: int | None = None, doc_id: str | None = None) -> AssignmentTable:
        """A time or document slice of the table (agency attributes kept whole)."""
        rows = [r for r in self.rows if (year is None or r.year == year) and (doc_id is None or r.doc_id == doc_id)]
        return AssignmentTable(
            rows, dict(self.agencies), dict(self.industries), list(self.successions), dict(self.target_sums)
        )

    def reform_merged(self) -> AssignmentTable:
        """Count predecessors under their latest successor (省经信委 with 省经信厅).

        A unit split into several successors is left as it is, since its tasks cannot be
        divided among them from the text alone.

        >>> t = AssignmentTable.from_rows(
        ...     [{"measure_id": "m", "doc_id": "d", "year": 2017, "agency": "省经信委", "role": "lead", "position": 0}],
        ...     successions=[{"predecessor": "省经信委", "successor": "省经信厅", "date": "2018-10-01"}])
        >>> [r.agency for r in t.reform_merged().rows]
        ['省经信厅']
        """
        successors: dict[str, list[str]] = defaultdict(list)
        for before, after, _ in self.successions:
            successors[before].append(after)

        def final(name: str) -> str:
            seen = {name}
            while len(successors.get(name, [])) == 1 and successors[name][0] not in seen:
                name = successors[name][0]
                seen.add(name)
            return name

        rows = [replace(r, agency=final(r.agency)) for r in self.rows]
        # The same merged unit may now appear twice on one measure; keep its first role.
        kept: dict[tuple[str, str], AssignmentRow] = {}
        for r in sorted(rows, key=lambda r: (r.measure_id, r.position)):
            kept.setdefault((r.measure_id, r.agency), r)
        merged_agencies = {n: a for n, a in self.agencies.items() if final(n) == n}
        for r in kept.values():
            merged_agencies.setdefault(r.agency, AgencyInfo(r.agency))
        return AssignmentTable(
            list(kept.values()), merged_agencies, dict(self.industries), list(self.successions), dict(self.target_sums)
        )


def agency_labels(pairs: Iterable[tuple[Any, Any]]) -> Callable[[Any, Any], str]:
    """A labeller: an agency's name, or its id where the name is shared by units of several jurisdictions.

    >>> label = agency_labels([("浙江省:省发展改革委", "省发展改革委"), ("山东省:省发展改革委", "省发展改革委"),
    ...                        ("浙江省:省经信委", "省经信委")])
    >>> label("山东省:省发展改革委", "省发展改革委"), label("浙江省:省经信委", "省经信委")
    ('山东省:省发展改革委', '省经信委')
    """
    ids_of: dict[str, set[str]] = defaultdict(set)
    for agency_id, name in pairs:
        ids_of[str(name)].add(str(agency_id if agency_id is not None else name))

    def label(agency_id: Any, name: Any) -> str:
        name = str(name)
        if agency_id is None or len(ids_of.get(name, ())) <= 1:
            return name
        return str(agency_id)

    return label


def read_table(store: GraphStore) -> AssignmentTable:
    """Read the assignment table from a store through the catalogued analytics queries."""
    return AssignmentTable.from_rows(
        queries.read(store, "analytics_assignments"),
        queries.read(store, "analytics_agencies"),
        queries.read(store, "analytics_measure_industries"),
        queries.read(store, "analytics_successions"),
        queries.read(store, "analytics_target_sums"),
    )
