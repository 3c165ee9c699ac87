"""What the explorer draws: a small in-memory copy of the graph, independent of any store.

:func:`policykg.viz.from_store.explorer_data_from_store` fills it from a store; tests build
it by hand. Everything the pages show (workload, partners, ego networks) is derived here.

>>> data = ExplorerData.build(
...     documents=[DocumentInfo("d1", "实施方案")],
...     measures=[MeasureInfo("d1~1", "d1", "1", "推进改造。")],
...     responsibilities=[Responsibility("省经信委", "d1~1", "lead"), Responsibility("省财政厅", "d1~1", "support")],
... )
>>> [(w.agency, w.lead, w.support) for w in data.workload()]
[('省经信委', 1, 0), ('省财政厅', 0, 1)]
>>> data.partners("省经信委")
{'省财政厅': 1}
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from policykg.errors import NotFound
from policykg.graph.model import ROLES, Role
from policykg.levels import AgencyInfo, PeerCounts, peer_level, peer_percentiles


@dataclass(frozen=True, slots=True)
class Succession:
    """A reform step: ``predecessor`` was succeeded by ``successor`` (on ``date`` where recorded)."""

    predecessor: str
    successor: str
    date: str | None = None


@dataclass(frozen=True, slots=True)
class TargetInfo:
    """A quantitative goal of a measure, e.g. 新增工业机器人20000台."""

    id: str
    text: str
    metric: str = ""
    year: int | None = None


@dataclass(frozen=True, slots=True)
class MeasureInfo:
    """One responsibility record with its clause text; ``section_path`` is its innermost heading."""

    id: str
    doc_id: str
    ref: str
    text: str
    section_path: str = ""
    deadline: str | None = None
    industries: tuple[str, ...] = ()
    targets: tuple[TargetInfo, ...] = ()
    due_date: str | None = None  # the deadline as one ISO day, where it reads as one


@dataclass(frozen=True, slots=True)
class SectionInfo:
    """A heading of a document's numbering tree, e.g. path ``三/(一)``."""

    path: str
    heading: str
    level: int


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: str
    title: str
    doc_number: str | None = None
    issuer: str | None = None
    year: int | None = None
    sections: tuple[SectionInfo, ...] = ()
    date: str | None = None

    @property
    def display_name(self) -> str:
        """Title with its 文号 where it has one."""
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title


@dataclass(frozen=True, slots=True)
class Responsibility:
    """An agency named on a measure with the role the document gives it."""

    agency: str
    measure_id: str
    role: Role


@dataclass(frozen=True, slots=True)
class Workload:
    agency: str
    lead: int
    support: int
    joint: int

    @property
    def total(self) -> int:
        return self.lead + self.support + self.joint


@dataclass
class ExplorerData:
    """Agencies, measures and documents keyed by name/id, and the responsibilities between them."""

    agencies: dict[str, AgencyInfo] = field(default_factory=dict)
    measures: dict[str, MeasureInfo] = field(default_factory=dict)
    documents: dict[str, DocumentInfo] = field(default_factory=dict)
    responsibilities: list[Responsibility] = field(default_factory=list)
    successions: list[Succession] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        *,
        documents: Iterable[DocumentInfo] = (),
        measures: Iterable[MeasureInfo] = (),
        responsibilities: Iterable[Responsibility] = (),
        agencies: Iterable[AgencyInfo] = (),
        successions: Iterable[Succession] = (),
    ) -> ExplorerData:
        """Key the parts by id; an agency named only in a responsibility gets a bare entry.

        Responsibilities naming an unknown measure, or measures of an unknown document,
        are refused: the explorer would draw dangling links.
        """
        data = cls(
            agencies={a.name: a for a in agencies},
            measures={m.id: m for m in measures},
            documents={d.id: d for d in documents},
            successions=list(successions),
        )
        for m in data.measures.values():
            if m.doc_id not in data.documents:
                raise ValueError(f"Measure {m.id} belongs to document {m.doc_id}, which is not in the data.")
        seen: set[tuple[str, str, str]] = set()
        for r in responsibilities:
            if r.measure_id not in data.measures:
                raise ValueError(f"{r.agency} is assigned to measure {r.measure_id}, which is not in the data.")
            if r.role not in ROLES:
                raise ValueError(f"{r.agency} has the role {r.role!r} on {r.measure_id}; roles are {', '.join(ROLES)}.")
            key = (r.agency, r.measure_id, r.role)
            if key in seen:
                continue
            seen.add(key)
            data.agencies.setdefault(r.agency, AgencyInfo(r.agency))
            data.responsibilities.append(r)
        return data

    # Derived indexes are computed once; the data is not changed after build().
    @cached_property
    def _by_agency(self) -> dict[str, list[Responsibility]]:
        index: dict[str, list[Responsibility]] = defaultdict(list)
        for r in self.responsibilities:
            index[r.agency].append(r)
        return dict(index)

    @cached_property
    def _by_measure(self) -> dict[str, list[Responsibility]]:
        index: dict[str, list[Responsibility]] = defaultdict(list)
        for r in self.responsibilities:
            index[r.measure_id].append(r)
        return dict(index)

    @cached_property
    def _by_document(self) -> dict[str, list[MeasureInfo]]:
        index: dict[str, list[MeasureInfo]] = defaultdict(list)
        for m in self.measures.values():
            index[m.doc_id].append(m)
        return dict(index)

    def agency(self, name: str) -> AgencyInfo:
        try:
            return self.agencies[name]
        except KeyError:
            raise NotFound(f"There is no agency named {name!r} in the graph.") from None

    def document(self, doc_id: str) -> DocumentInfo:
        try:
            return self.documents[doc_id]
        except KeyError:
            raise NotFound(f"There is no document with id {doc_id!r} in the graph.") from None

    def responsibilities_of(self, agency: str) -> list[Responsibility]:
        """Every (measure, role) of one agency, in the order they were loaded."""
        return list(self._by_agency.get(agency, []))

    def responsible_for(self, measure_id: str) -> list[Responsibility]:
        """The agencies named on one measure with their roles."""
        return list(self._by_measure.get(measure_id, []))

    def measures_of_document(self, doc_id: str) -> list[MeasureInfo]:
        return list(self._by_document.get(doc_id, []))

    def workload(self) -> list[Workload]:
        """Measures per agency and role, busiest first (ties by name)."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for r in self.responsibilities:
            counts[r.agency][r.role] += 1
        rows = [Workload(a, c["lead"], c["support"], c["joint"]) for a, c in counts.items()]
        return sorted(rows, key=lambda w: (-w.total, -w.lead, w.agency))

    def timeline(self, agency: str) -> list[tuple[str, int, int, int]]:
        """(month, lead, support, joint): the agency's deadlines and target years falling due per month.

        >>> data = ExplorerData.build(
        ...     documents=[DocumentInfo("d1", "方案")],
        ...     measures=[MeasureInfo("d1~1", "d1", "1", "…", due_date="2018-12-31",
        ...                           targets=(TargetInfo("t", "新增20家", year=2020),))],
        ...     responsibilities=[Responsibility("省经信委", "d1~1", "lead")])
        >>> data.timeline("省经信委")
        [('2018-12', 1, 0, 0), ('2020-12', 1, 0, 0)]
        """
        months: dict[str, Counter[str]] = defaultdict(Counter)
        for r in self._by_agency.get(agency, []):
            measure = self.measures[r.measure_id]
            if measure.due_date:
                months[measure.due_date[:7]][r.role] += 1
            for target in measure.targets:
                if target.year:
                    months[f"{target.year:04d}-12"][r.role] += 1
        return [(month, c["lead"], c["support"], c["joint"]) for month, c in sorted(months.items())]

    def peer_standing(self, agency: str) -> dict[str, object]:
        """The agency's level, how many peers share it, and its percentiles of lead, support and breadth."""

        def level_of(name: str) -> str:
            info = self.agencies.get(name)
            return peer_level(name, info.level if info else None)

        level = level_of(agency)
        peers = [w for w in self.workload() if level_of(w.agency) == level]
        if all(w.agency != agency for w in peers):
            peers.append(Workload(agency, 0, 0, 0))
        counts = [PeerCounts(w.agency, level, w.lead, w.support, len(self.partners(w.agency))) for w in peers]
        own = peer_percentiles(counts)[agency]
        return {"level": level, "peers": len(peers), "lead": own.lead, "support": own.support, "breadth": own.breadth}

    def partners(self, agency: str) -> dict[str, int]:
        """Other agencies sharing at least one measure with ``agency``, with how many."""
        shared: Counter[str] = Counter()
        for r in self._by_agency.get(agency, []):
            others = {o.agency for o in self._by_measure[r.measure_id] if o.agency != agency}
            shared.update(others)
        return dict(sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])))

    def co_responsibility(self) -> dict[tuple[str, str], int]:
        """Pairs of agencies (in name order) named on the same measure, with how many measures."""
        pairs: Counter[tuple[str, str]] = Counter()
        for rows in self._by_measure.values():
            names = sorted({r.agency for r in rows})
            pairs.update(combinations(names, 2))
        return dict(pairs)

    def other_names(self, agency: str) -> list[tuple[str, str]]:
        """(name, how it relates) for every other name that should find ``agency`` in a search.

        >>> data = ExplorerData.build(agencies=[AgencyInfo("省环保厅", aliases=("省环保局",))],
        ...     successions=[Succession("省环保厅", "省生态环境厅", "2018-10-04")])
        >>> data.other_names("省环保厅")
        [('省环保局', 'also written'), ('省生态环境厅', 'succeeded by (2018-10-04)')]
        """
        info = self.agencies.get(agency)
        names: list[tuple[str, str]] = []
        if info is not None:
            if info.full_name and info.full_name != agency:
                names.append((info.full_name, "full name"))
            names += [(alias, "also written") for alias in info.aliases if alias != agency]
        for s in self.successions:
            when = f" ({s.date})" if s.date else ""
            if s.successor == agency:
                names.append((s.predecessor, f"before the reform{when}"))
            elif s.predecessor == agency:
                names.append((s.successor, f"succeeded by{when}"))
        return names

    def industries(self) -> list[str]:
        return sorted({i for m in self.measures.values() for i in m.industries})
