"""Ingest: the only code that writes to a store.

Parsed documents become :class:`~policykg.graph.store.DocumentRows` (pure functions, no
store), and :func:`load_files` parses files and writes each one atomically.

>>> from policykg.graph.model import Assignment, DocumentMeta, Measure, ParsedDocument, Section
>>> doc = ParsedDocument(
...     DocumentMeta(title="分工方案", doc_number="浙经信〔2017〕1号", date_written="2017-07-03"),
...     sections=[Section("一", "主要任务", 1)],
...     measures=[Measure("一/1", "推进改造。", ("一",), [Assignment("省经信委", "省经信委", "lead", 0)])],
... )
>>> rows = document_rows(doc)
>>> rows.owned.nodes["Document"][0]["year"], len(rows.owned.rels["ASSIGNED"])
(2017, 1)
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from policykg.errors import InputError, NotFound, PolicykgError
from policykg.graph.model import (
    Agency,
    Assignment,
    Industry,
    Measure,
    ParsedDocument,
    Section,
    Target,
    document_id,
    measure_id,
    section_id,
    target_id,
)
from policykg.graph.store import DocumentRows, GraphRows, GraphStore, Row
from policykg.loaders.due_dates import due_date
from policykg.loaders.limits import ReadLimits
from policykg.loaders.parser import AgencyResolver, IndustryFinder
from policykg.queries.writes import upsert_reference, write_documents

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

log = logging.getLogger(__name__)

# Rows written per transaction when loading many files: large enough that the engines take them
# in bulk (the embedded store COPYs a plan above its bulk_rows), small enough for Neo4j's memory.
BATCH_ROWS = 50_000

_YEAR = re.compile(r"^(\d{4})")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_HEX = re.compile(r"^doc-([0-9a-f]{7})")
# Bits of a measure's sort key, highest first: the document's date, the document, the measure's
# ordinal. 61 bits in all, so an assignment's key (times four, plus its role) stays in an INT64.
_DATE_BITS, _DOC_BITS, _ORDINAL_BITS = 19, 26, 16
# Roles in the order a page lists one measure's several roles for the same agency (as ORDER BY role did).
ROLE_ORDER: tuple[str, ...] = ("joint", "lead", "support")


class AgencyLookup(AgencyResolver, Protocol):
    """What ingest needs of the agency registry (:class:`~policykg.loaders.registry.AgencyRegistry`)."""

    def agencies(self) -> list[Agency]: ...

    def link_id(self, agency: Agency, name: str) -> str | None: ...


class IndustryLookup(IndustryFinder, Protocol):
    """What ingest needs of the industry dictionary (:class:`~policykg.loaders.industries.IndustryDictionary`)."""

    def get(self, name: str) -> Industry: ...

    def industries(self) -> list[Industry]: ...


# ------------------------------------------------------------------------------ rows


def document_rows(
    parsed: ParsedDocument, registry: AgencyLookup | None = None, industries: IndustryLookup | None = None
) -> DocumentRows:
    """Every row one parsed document writes: its own nodes and links, and the shared rows they need.

    Agencies come from the registry where it knows the name (unknown names become
    unresolved agencies), industries from the dictionary where it has them; each document
    it implements becomes a stub Document (``loaded`` False) unless already loaded.
    """
    meta = parsed.document
    doc_id = meta.id
    owned = GraphRows(nodes={label: [] for label in ("Document", "Section", "Measure", "Target")})
    shared = GraphRows(nodes={"Agency": [], "Industry": [], "Document": []})
    rel = _RelCollector()
    owned.nodes["Document"].append(
        {
            "id": doc_id,
            "title": meta.title,
            "doc_number": meta.doc_number,
            "issuer": meta.issuer,
            "date_written": meta.date_written,
            "date_issued": meta.date_issued,
            "date_published": meta.date_published,
            "year": _year(meta.date_written, meta.date_issued, meta.date_published),
            "source": meta.source,
            "attachments": list(meta.attachments),
            "jurisdiction": meta.jurisdiction,
            "loaded": True,
        }
    )

    section_ids = _section_rows(doc_id, parsed.sections, owned, rel)
    document_date = meta.date_issued or meta.date_written or meta.date_published
    agencies: dict[str, Row] = {}
    industry_rows: dict[str, Row] = {}
    measure_ids: set[str] = set()
    for ordinal, measure in enumerate(parsed.measures):
        mid = _unique(measure_id(doc_id, measure.ref), measure_ids)
        row = _measure_row(doc_id, mid, measure, ordinal, document_date)
        row.update(
            sort_key=measure_sort_key(doc_id, meta.date_issued, ordinal),
            doc_title=meta.title,
            doc_issued=meta.date_issued,
            doc_year=owned.nodes["Document"][0]["year"],
        )
        owned.nodes["Measure"].append(row)
        rel.add("INCLUDES", doc_id, mid)
        home = _innermost(measure.section_path, section_ids)
        if home is not None:
            rel.add("HAS_MEASURE", section_ids[home], mid)
        seen_roles: set[tuple[str, str]] = set()
        sort_key = owned.nodes["Measure"][-1]["sort_key"]
        for assignment in measure.assignments:
            agency_key = assignment.agency_id
            if (agency_key, assignment.role) in seen_roles:
                continue  # the same unit named twice in one role counts once
            seen_roles.add((agency_key, assignment.role))
            agencies.setdefault(agency_key, _agency_row(assignment, meta.jurisdiction, registry))
            rel.add(
                "ASSIGNED",
                agency_key,
                mid,
                role=assignment.role,
                as_written=assignment.as_written,
                position=assignment.position,
                doc_id=doc_id,
                sort_key=assignment_sort_key(sort_key, assignment.role),
            )
        for index, target in enumerate(measure.targets):
            tid = target_id(mid, index)
            owned.nodes["Target"].append(_target_row(doc_id, tid, target))
            rel.add("SETS_TARGET", mid, tid)
            if not measure.assignments:
                # A goals paragraph names no agency: its goals are the document's own. They are not
                # spread over the agencies a notice asks collectively to reach them (no
                # responsibility is invented); the agencies' own records carry theirs.
                rel.add("SETS", doc_id, tid)
        for name in dict.fromkeys(measure.industries):
            industry_rows.setdefault(name, _industry_row(name, industries))
            rel.add("CONCERNS", mid, name, doc_id=doc_id, sort_key=sort_key)

    for number in dict.fromkeys(meta.implements):
        stub = document_id(number, number)
        if stub == doc_id:
            continue
        shared.nodes["Document"].append(_stub_row(stub, number))
        rel.add("IMPLEMENTS", doc_id, stub)

    shared.nodes["Agency"] = list(agencies.values())
    shared.nodes["Industry"] = list(industry_rows.values())
    owned.rels = rel.rows
    return DocumentRows(doc_id=doc_id, owned=owned, shared=shared)


def reference_rows(registry: AgencyLookup, industries: IndustryLookup) -> GraphRows:
    """Every registry agency of a jurisdiction (so a unit with no task exists with zero workload),
    its memberships and reform lineage, and every industry of the dictionary.

    Generic collectives (有关部门, no jurisdiction) have no place of their own: each document
    makes its jurisdiction's, so they are not written here."""
    rel = _RelCollector()
    agencies = [a for a in registry.agencies() if a.jurisdiction or a.level != "collective"]
    known = {a.id for a in agencies}
    for agency in agencies:
        for group in agency.member_of:
            group_id = registry.link_id(agency, group)
            if group_id is not None and group_id in known:
                rel.add("MEMBER_OF", agency.id, group_id)
        for successor, date in agency.succeeded_by:
            successor_id = registry.link_id(agency, successor)
            if successor_id is not None and successor_id in known:
                rel.add("SUCCEEDED_BY", agency.id, successor_id, date=date)
    return GraphRows(
        nodes={
            "Agency": [_registry_agency_row(a) for a in agencies],
            "Industry": [_dictionary_industry_row(i) for i in industries.industries()],
        },
        rels=rel.rows,
    )


def measure_sort_key(doc_id: str, issued: str | None, ordinal: int) -> int:
    """One integer in the catalogue's order: issue date (none first), document, ordinal.

    The same document and measure give the same key on every load, so a page cursor stays
    good across reloads. The document part is the leading bits of its id's hash, so documents
    of one date come in id order; two of one date sharing those 26 bits (rare) tie, and pages
    break ties by measure id.

    >>> first, second = (measure_sort_key("doc-3643f442774e", "2019-03-01", n) for n in (0, 1))
    >>> first < second < measure_sort_key("doc-0000000000aa", "2019-03-02", 0)
    True
    >>> measure_sort_key("doc-3643f442774e", None, 5) < measure_sort_key("doc-0000000000aa", "1950", 0)
    True
    """
    if not 0 <= ordinal < 1 << _ORDINAL_BITS:
        raise InputError(f"The document {doc_id} has more than {(1 << _ORDINAL_BITS) - 1:,} measures; split it.")
    return (_date_number(issued) << (_DOC_BITS + _ORDINAL_BITS)) | (_doc_number(doc_id) << _ORDINAL_BITS) | ordinal


def assignment_sort_key(measure_key: int, role: str) -> int:
    """An ASSIGNED row's key: its measure's, then its role, so one agency's rows have one order.

    >>> assignment_sort_key(7, "lead") - assignment_sort_key(7, "joint")
    1
    """
    return measure_key * 4 + (ROLE_ORDER.index(role) if role in ROLE_ORDER else 3)


def _date_number(date: str | None) -> int:
    """``YYYY[-MM[-DD]]`` as an integer that sorts as the text does (0: no date)."""
    match = _DATE.match(date or "")
    if match is None:
        return 0
    year = min(max(int(match.group(1)) - 1900, 1), (1 << (_DATE_BITS - 9)) - 1)
    return (year << 9) | (int(match.group(2) or 0) % 16 << 5) | (int(match.group(3) or 0) % 32)


def _doc_number(doc_id: str) -> int:
    match = _HEX.match(doc_id)
    digest = match.group(1) if match else hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:7]
    return int(digest, 16) >> (28 - _DOC_BITS)


class _RelCollector:
    def __init__(self) -> None:
        self.rows: dict[str, list[Row]] = {}

    def add(self, rel_type: str, source: str, target: str, **props: Any) -> None:
        self.rows.setdefault(rel_type, []).append({"from": source, "to": target, **props})


def _section_rows(doc_id: str, sections: list[Section], owned: GraphRows, rel: _RelCollector) -> dict[str, str]:
    """Section rows and their links; returns path → section id (first section of a repeated path wins)."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for ordinal, section in enumerate(sections):
        sid = _unique(section_id(doc_id, section.path), taken)
        ids.setdefault(section.path, sid)
        owned.nodes["Section"].append(
            {
                "id": sid,
                "doc_id": doc_id,
                "path": section.path,
                "heading": section.heading,
                "level": section.level,
                "ordinal": ordinal,
            }
        )
        rel.add("HAS_SECTION", doc_id, sid)
        parent = _innermost(_ancestors(section.path), ids)
        if parent is not None:
            rel.add("HAS_SUBSECTION", ids[parent], sid)
    return ids


def _ancestors(path: str) -> tuple[str, ...]:
    """``三/(一)/1`` → ``('三', '三/(一)')``: the paths above it, outermost first."""
    parts = path.split("/")
    return tuple("/".join(parts[:i]) for i in range(1, len(parts)))


def _innermost(paths: Sequence[str], known: dict[str, str]) -> str | None:
    for path in reversed(paths):
        if path in known:
            return path
    return None


def _unique(candidate: str, taken: set[str]) -> str:
    # A parser may give two clauses the same numbering; ids must stay unique within a document.
    unique, n = candidate, 2
    while unique in taken:
        unique, n = f"{candidate}~{n}", n + 1
    taken.add(unique)
    return unique


def _measure_row(doc_id: str, mid: str, measure: Measure, ordinal: int, document_date: str | None) -> Row:
    due, derived = due_date(measure.deadline, measure.deadline_date, document_date=document_date)
    return {
        "id": mid,
        "doc_id": doc_id,
        "ref": measure.ref,
        "text": measure.text,
        "section_path": measure.section_path[-1] if measure.section_path else None,
        "deadline": measure.deadline,
        "deadline_date": measure.deadline_date,
        "due_date": due,
        "due_date_derived": derived if due else None,
        "span_start": measure.span[0],
        "span_end": measure.span[1],
        "line": measure.line,
        "ordinal": ordinal,
    }


def _target_row(doc_id: str, tid: str, target: Target) -> Row:
    from policykg.loaders.targets import normalise

    minimum = maximum = None
    if target.is_range:
        minimum, _ = normalise(target.minimum or "", target.unit)
        maximum, _ = normalise(target.maximum or "", target.unit)
    return {
        "id": tid,
        "doc_id": doc_id,
        "metric": target.metric,
        "value": target.value,
        "value_number": None if target.is_range else target.numeric_value,
        "unit": target.unit,
        "qualifier": target.qualifier,
        "year": target.year,
        "per_year": target.per_year,
        "modality": target.modality,
        "text": target.text,
        "value_normalised": target.value_normalised,
        "base_unit": target.base_unit,
        "minimum": minimum,
        "maximum": maximum,
        "horizon": target.horizon,
        "derived_year": target.derived_year,
        "span_start": target.span[0] if target.span else None,
        "span_end": target.span[1] if target.span else None,
    }


def _agency_row(assignment: Assignment, jurisdiction: str | None, registry: AgencyLookup | None) -> Row:
    """The node of the agency an assignment names: the registry's unit, read in the document's
    jurisdiction as the parser read it, else the name as written in that jurisdiction."""
    agency: Agency | None = None
    if registry is not None and assignment.resolved:
        agency = registry.resolve_in(assignment.as_written, jurisdiction)
    if agency is not None and agency.id == assignment.agency_id:
        return _registry_agency_row(agency)
    return {
        "id": assignment.agency_id,
        "name": assignment.name,
        "aliases": [],
        "jurisdiction": assignment.jurisdiction,
        "resolved": False,
    }


def _registry_agency_row(agency: Agency) -> Row:
    return {
        "id": agency.id,
        "name": agency.name,
        "full_name": agency.full_name,
        "english_name": agency.english_name,
        "level": agency.level,
        "kind": agency.kind,
        "aliases": list(agency.aliases),
        "jurisdiction": agency.jurisdiction,
        "resolved": True,
    }


def _industry_row(name: str, industries: IndustryLookup | None) -> Row:
    if industries is not None:
        try:
            return _dictionary_industry_row(industries.get(name))
        except NotFound:
            pass
    return {"id": name, "name": name}


def _dictionary_industry_row(industry: Industry) -> Row:
    return {"id": industry.id, "name": industry.name, "code": industry.code, "category": industry.category}


def _stub_row(stub_id: str, number: str) -> Row:
    return {"id": stub_id, "title": number, "doc_number": number, "loaded": False}


def _year(*dates: str | None) -> int | None:
    for date in dates:
        match = _YEAR.match(date or "")
        if match:
            return int(match.group(1))
    return None


# ------------------------------------------------------------------------------ loading


@dataclass(slots=True)
class LoadedDocument:
    path: str
    doc_id: str
    title: str
    measures: int
    targets: int


@dataclass(slots=True)
class LoadReport:
    """What a load did: documents written, what they held, and the files that failed."""

    documents: list[LoadedDocument] = field(default_factory=list)
    measures: int = 0
    targets: int = 0
    agencies_resolved: list[str] = field(default_factory=list)
    agencies_unresolved: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when at least one document was loaded."""
        return bool(self.documents)

    def summary(self) -> str:
        """A few lines for a person.

        >>> print(LoadReport(failures=[("a.txt", "a.txt: The file is empty.")]).summary())
        Loaded 0 documents (0 measures, 0 targets); 0 agencies resolved, 0 unresolved.
        Failed: a.txt: The file is empty.
        """
        lines = [
            f"Loaded {len(self.documents)} document{'s' if len(self.documents) != 1 else ''} "
            f"({self.measures} measures, {self.targets} targets); "
            f"{len(self.agencies_resolved)} agencies resolved, {len(self.agencies_unresolved)} unresolved."
        ]
        lines += [f"  {d.doc_id}  {d.measures:>4} measures  {d.title}" for d in self.documents]
        if self.agencies_unresolved:
            shown = "、".join(self.agencies_unresolved[:10])
            more = f" and {len(self.agencies_unresolved) - 10} more" if len(self.agencies_unresolved) > 10 else ""
            lines.append(f"Unresolved agencies (kept as written): {shown}{more}.")
        if self.warnings:
            lines.append(f"{len(self.warnings)} parser warnings; the first: {self.warnings[0]}")
        # The message names the file already; saying it twice only adds noise.
        lines += [
            f"Failed: {message}" if message.startswith(path) else f"Failed: {path}: {message}"
            for path, message in self.failures
        ]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": [
                {"path": d.path, "doc_id": d.doc_id, "title": d.title, "measures": d.measures, "targets": d.targets}
                for d in self.documents
            ],
            "measures": self.measures,
            "targets": self.targets,
            "agencies_resolved": self.agencies_resolved,
            "agencies_unresolved": self.agencies_unresolved,
            "warnings": self.warnings,
            "failures": [{"path": path, "message": message} for path, message in self.failures],
        }


def load_files(
    paths: Iterable[str | Path],
    store: GraphStore,
    *,
    registry: AgencyLookup | None = None,
    industries: IndustryLookup | None = None,
    progress: bool = True,
    limits: ReadLimits | None = None,
    jurisdiction: str | None = None,
    jobs: int = 1,
    batch_rows: int = BATCH_ROWS,
) -> LoadReport:
    """Parse each file and write it as one atomic document; a failing file is reported and skipped.

    ``limits`` bounds reading each file (sizes, pages, OCR, time budget); defaults otherwise.
    A directory among ``paths`` stands for the document files under it (:func:`document_files`).

    The registry and dictionary (packaged defaults unless given) are upserted once first. A
    store that becomes unreachable stops the load with :class:`StoreUnavailable`.
    ``jurisdiction`` (全国, 山东省, 济南市 …) overrides the one read from each document; a
    name policykg does not know is an :class:`InputError` before anything is written.
    ``jobs`` > 1 parses in that many processes while this one writes (the only writer), in the
    order the files were given; the store ends the same as with ``jobs=1``.
    Documents are written about ``batch_rows`` rows to a transaction (:class:`_BatchWriter`):
    each is still all or nothing, and a bad one fails alone.
    """
    from policykg.loaders.industries import IndustryDictionary
    from policykg.loaders.registry import AgencyRegistry

    defaults = registry is None and industries is None
    registry = registry if registry is not None else AgencyRegistry.load_default()
    industries = industries if industries is not None else IndustryDictionary.load_default()
    if jurisdiction:
        jurisdiction = registry.places.require(jurisdiction).name
    files = document_files(paths)
    report = LoadReport()
    upsert_reference(store, reference_rows(registry, industries))
    reader = _Reader(None if defaults else registry, None if defaults else industries, limits, jurisdiction)
    jobs = max(1, min(jobs, len(files)))
    parsed_files = _parse_in_processes(files, reader, jobs) if jobs > 1 else map(reader, files)
    writer = _BatchWriter(store, report, batch_rows)
    for outcome in _progress(parsed_files, len(files), enabled=progress and len(files) > 1):
        if outcome.rows is None:
            message = outcome.failure or f"{outcome.path}: could not be loaded."
            # INFO: the load report already names the file to the person who asked (the CLI's
            # "Failed:" line, the API's 422); -v shows it in the log as well.
            log.info("skipped %s: %s", outcome.path, message)
            writer.fail(outcome, message)
        else:
            writer.add(outcome)
    writer.flush()
    report.failures = [failure for _, failure in sorted(writer.failures, key=lambda f: f[0])]
    report.agencies_resolved = list(writer.resolved)
    report.agencies_unresolved = list(writer.unresolved)
    return report


class _BatchWriter:
    """Writes parsed documents in the order they come, several to a transaction
    (:func:`~policykg.queries.writes.write_documents`: a batch that fails is written again one
    document per transaction, so only the bad one fails; an interrupted batch leaves each of its
    documents old or new). Documents are reported, and failures sorted, in the files' order."""

    def __init__(self, store: GraphStore, report: LoadReport, batch_rows: int) -> None:
        self.store = store
        self.report = report
        self.batch_rows = batch_rows
        self.batch: list[_Outcome] = []
        self.rows_in_batch = 0
        self.seen = 0  # outcomes so far: a failure's place in the file order
        self.failures: list[tuple[int, tuple[str, str]]] = []
        self.resolved: dict[str, None] = {}
        self.unresolved: dict[str, None] = {}

    def fail(self, outcome: _Outcome, message: str) -> None:
        self.failures.append((self.seen, (outcome.path, message)))
        self.seen += 1

    def add(self, outcome: _Outcome) -> None:
        assert outcome.rows is not None
        if any(o.rows is not None and o.rows.doc_id == outcome.rows.doc_id for o in self.batch):
            self.flush()  # the same document twice: the second replaces the first, as one by one
        outcome.order = self.seen
        self.seen += 1
        self.batch.append(outcome)
        self.rows_in_batch += outcome.rows.owned.count() + outcome.rows.shared.count()
        if self.rows_in_batch >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        batch, self.batch, self.rows_in_batch = self.batch, [], 0
        written = write_documents(self.store, [o.rows for o in batch if o.rows is not None])
        for outcome, error in zip(batch, written, strict=True):
            if error is None:
                self._done(outcome)
                continue
            if isinstance(error, PolicykgError):
                message = str(error)
                log.info("skipped %s: %s", outcome.path, message)  # the report names it, as above
            else:
                message = _could_not_load(outcome.path, error)
                log.warning("skipped %s: it could not be written", outcome.path, exc_info=error)
            self.failures.append((outcome.order, (outcome.path, message)))

    def _done(self, outcome: _Outcome) -> None:
        rows = outcome.rows
        assert rows is not None
        report = self.report
        measures = len(rows.owned.nodes.get("Measure", []))
        targets = len(rows.owned.nodes.get("Target", []))
        report.documents.append(LoadedDocument(outcome.path, rows.doc_id, outcome.title, measures, targets))
        report.measures += measures
        report.targets += targets
        for agency in rows.shared.nodes.get("Agency", []):
            (self.resolved if agency.get("resolved") else self.unresolved).setdefault(agency["id"], None)
        report.warnings += outcome.warnings


def document_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to load: each path as given, a directory as the document files under it (by the
    suffixes policykg reads, hidden names skipped, in name order).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("b.txt", "a.docx", "notes.md", ".hidden.txt", "sub/c.pdf"):
    ...         (Path(tmp) / name).parent.mkdir(exist_ok=True)
    ...         _ = (Path(tmp) / name).write_text("x")
    ...     [str(p.relative_to(tmp)) for p in document_files([tmp])]
    ['a.docx', 'b.txt', 'sub/c.pdf']
    """
    from policykg.loaders.reading import ACCEPTED_SUFFIXES

    files: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)  # a missing or unreadable file is reported by the reader, with its name
            continue
        found = (
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in ACCEPTED_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        files.extend(sorted(found))
    return files


@dataclass(slots=True)
class _Outcome:
    """One file read into rows (or why not): what the parsing process hands the writer."""

    path: str
    rows: DocumentRows | None = None
    title: str = ""
    warnings: list[str] = field(default_factory=list)
    failure: str | None = None
    order: int = 0  # its place among the files, for the report


@dataclass(slots=True)
class _Reader:
    """Parses one file into its rows; picklable, so each parsing process holds one. ``None`` for the
    registry and dictionary means the packaged ones (each process reads them once itself)."""

    registry: AgencyLookup | None
    industries: IndustryLookup | None
    limits: ReadLimits | None
    jurisdiction: str | None

    def __call__(self, path: Path) -> _Outcome:
        from policykg.loaders import parse_file
        from policykg.loaders.industries import IndustryDictionary
        from policykg.loaders.registry import AgencyRegistry

        registry = self.registry if self.registry is not None else AgencyRegistry.load_default()
        industries = self.industries if self.industries is not None else IndustryDictionary.load_default()
        try:
            parsed = parse_file(
                path, registry=registry, industries=industries, limits=self.limits, jurisdiction=self.jurisdiction
            )
            rows = document_rows(parsed, registry, industries)
        except PolicykgError as error:
            return _Outcome(str(path), failure=str(error))
        except Exception as error:  # a parser bug on one file must not stop the others
            # The exception's type and traceback are for the log; the report is read by a person.
            log.info("%s could not be loaded", path, exc_info=True)
            return _Outcome(str(path), failure=_could_not_load(path, error))
        warnings = [
            f"{path}, line {w.line}: {w.message}" if w.line is not None else f"{path}: {w.message}"
            for w in parsed.warnings
        ]
        return _Outcome(str(path), rows, parsed.document.title, warnings)


def _could_not_load(path: str | Path, error: Exception) -> str:
    return f"{path}: could not be loaded ({str(error) or 'the reader failed on it'})."


def _parse_in_processes(files: list[Path], reader: _Reader, jobs: int) -> Iterator[_Outcome]:
    """``reader`` over ``files`` in ``jobs`` processes, yielded in file order as they are ready.

    At most a few files per process are read ahead (memory stays bounded however many files).
    A file that kills its process (a reader crash, memory exhausted) is read again alone; when it
    kills that process too it is reported as failed and the others go on.
    """
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    # forkserver: the processes start from a clean one, not a copy of this one's store connections.
    context = get_context("forkserver")
    ahead = 2 * jobs
    pool = ProcessPoolExecutor(jobs, mp_context=context)
    try:
        pending: list[tuple[Path, Future[_Outcome]]] = []
        queue = iter(files)
        while True:
            while len(pending) < ahead and (path := next(queue, None)) is not None:
                pending.append((path, pool.submit(reader, path)))
            if not pending:
                return
            path, future = pending.pop(0)
            try:
                yield future.result()
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                # Every file in flight failed with the pool: read each alone to find the one to blame.
                for retry in [path, *(p for p, _ in pending)]:
                    yield _parse_alone(retry, reader, context)
                pending = []
                pool = ProcessPoolExecutor(jobs, mp_context=context)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _parse_alone(path: Path, reader: _Reader, context: BaseContext) -> _Outcome:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(1, mp_context=context) as single:
        try:
            return single.submit(reader, path).result()
        except BrokenProcessPool:
            return _Outcome(str(path), failure=f"{path}: could not be loaded (the reader's process stopped on it).")


def _progress(outcomes: Iterable[_Outcome], total: int, *, enabled: bool) -> Iterable[_Outcome]:
    if not enabled:
        return outcomes
    from tqdm import tqdm

    return tqdm(outcomes, total=total, desc="Loading", unit="file", file=sys.stderr, leave=False)
