"""Fill :class:`~policykg.viz.data.ExplorerData` from a store through catalogued queries only.

Per document: its outline (``document_outline``) and its measures with their agencies in
written order (``measures_search``). Across the corpus: agencies (``analytics_agencies``),
industries of every measure (``analytics_measure_industries``) and targets (``targets``).
Paged queries are read page by page until a short page.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from policykg import queries
from policykg.graph.model import ROLES
from policykg.graph.store import GraphStore
from policykg.levels import AgencyInfo
from policykg.viz.data import (
    DocumentInfo,
    ExplorerData,
    MeasureInfo,
    Responsibility,
    SectionInfo,
    Succession,
    TargetInfo,
)


def _year(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and value else None


def explorer_data_from_store(store: GraphStore) -> ExplorerData:
    """Everything the explorer draws, read from ``store``."""
    industries: dict[str, list[str]] = defaultdict(list)
    for row in queries.read(store, "analytics_measure_industries"):
        industries[row["measure_id"]].append(row["industry"])
    targets: dict[str, list[TargetInfo]] = defaultdict(list)
    for row in queries.read_all(store, "targets"):
        targets[row["measure_id"]].append(
            TargetInfo(id=row["id"], text=row["text"] or "", metric=row["metric"] or "", year=_year(row["year"]))
        )
    due_dates = {row["id"]: row["due_date"] for row in queries.read_all(store, "deadlines")}
    names = {row["agency"]: row for row in queries.read(store, "agency_names")}
    agencies = [
        AgencyInfo(
            name=row["agency"],
            level=row["level"],
            kind=row["kind"],
            resolved=row["resolved"] is not False,
            full_name=names.get(row["agency"], {}).get("full_name"),
            aliases=tuple(names.get(row["agency"], {}).get("aliases") or ()),
        )
        for row in queries.read(store, "analytics_agencies")
    ]
    successions = [
        Succession(row["predecessor"], row["successor"], row["date"])
        for row in queries.read(store, "analytics_successions")
    ]

    documents: list[DocumentInfo] = []
    measures: list[MeasureInfo] = []
    responsibilities: list[Responsibility] = []
    for doc in queries.read_all(store, "documents", {"referenced": False}):
        sections = tuple(
            SectionInfo(path=s["path"], heading=s["heading"] or "", level=int(s["level"] or 1))
            for s in queries.read(store, "document_outline", {"id": doc["id"]})
        )
        documents.append(
            DocumentInfo(
                id=doc["id"],
                title=doc["title"] or doc["id"],
                doc_number=doc["doc_number"],
                issuer=doc["issuer"],
                year=_year(doc["year"]),
                sections=sections,
                date=doc.get("date") or doc.get("date_issued"),
            )
        )
        for m in queries.read_all(store, "measures_search", {"doc_id": doc["id"]}):
            measures.append(
                MeasureInfo(
                    id=m["id"],
                    doc_id=doc["id"],
                    ref=m["ref"],
                    text=m["text"] or "",
                    section_path=m["section_path"] or "",
                    deadline=m["deadline"],
                    industries=tuple(industries.get(m["id"], ())),
                    targets=tuple(targets.get(m["id"], ())),
                    due_date=due_dates.get(m["id"]),
                )
            )
            for role in ROLES:
                responsibilities.extend(Responsibility(name, m["id"], role) for name in m[role] or ())
    named = {r.agency for r in responsibilities}
    # Registry entries no loaded document names would only add empty pages.
    agencies = [a for a in agencies if a.name in named]
    return ExplorerData.build(
        documents=documents,
        measures=measures,
        responsibilities=responsibilities,
        agencies=agencies,
        successions=successions,
    )
