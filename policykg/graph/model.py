"""Domain types shared by the loaders, ingest, the stores and everything that reads them.

Loaders produce a :class:`ParsedDocument`; ingest turns it into graph rows; nothing
here touches a store.

>>> a = Assignment(name="省经信委", as_written="省经信委", role="lead", position=0)
>>> m = Measure(ref="三/(一)/1", text="…", section_path=("三", "三/(一)"), assignments=[a])
>>> [x.name for x in m.lead]
['省经信委']
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["lead", "support", "joint"]
ROLES: tuple[Role, ...] = ("lead", "support", "joint")

Qualifier = Literal["at_least", "at_most", "about"]


@dataclass(frozen=True, slots=True)
class Assignment:
    """One agency named in a responsibility clause, with the role the document gives it.

    ``name`` is the registry's canonical name, or the name as written when the
    registry does not know it (then ``resolved`` is False).
    """

    name: str
    as_written: str
    role: Role
    position: int
    resolved: bool = True
    jurisdiction: str | None = None  # 全国 for national units; the document's for its own and unknown ones

    @property
    def agency_id(self) -> str:
        """The id of the agency node: jurisdiction plus name (see :func:`agency_id`)."""
        return agency_id(self.jurisdiction, self.name)


@dataclass(frozen=True, slots=True)
class Target:
    """A quantitative goal, e.g. 新增工业机器人20000台 by 2020."""

    metric: str
    value: str
    unit: str | None
    qualifier: Qualifier | None
    year: int | None
    per_year: bool
    modality: str | None
    text: str
    # The value in its base unit (10万家 → 100000.0 家; 2.2万亿元 → 2.2e12 元); a percentage stays one.
    value_normalised: float | None = None
    base_unit: str | None = None
    # A range (3—5家, 6.5%-7%): its bounds as written, in ``unit``; value keeps the range as written.
    minimum: str | None = None
    maximum: str | None = None
    # A relative period as written (5年内, 今年, 到本届政府任期末), and the year it ends when the
    # document's own year gives it (derived, never written: ``year`` stays None then).
    horizon: str | None = None
    derived_year: int | None = None
    # Where ``text`` sits in the text it was read from: the measure's text (a table row's task cell).
    span: tuple[int, int] | None = None

    @property
    def is_range(self) -> bool:
        return self.minimum is not None and self.maximum is not None

    @property
    def numeric_value(self) -> float | None:
        """The value as a float where it reads as one (``'20000'`` → ``20000.0``)."""
        try:
            return float(self.value.replace(",", ""))
        except ValueError:
            return None


@dataclass(slots=True)
class Measure:
    """One responsibility record: a numbered item, or one clause of an item with several."""

    ref: str
    text: str
    section_path: tuple[str, ...] = ()
    assignments: list[Assignment] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    deadline: str | None = None
    deadline_date: str | None = None
    industries: list[str] = field(default_factory=list)
    span: tuple[int, int] = (0, 0)
    line: int = 0
    # Where the measure applies, when the clause says so ("适用范围：自贸试验区"): never a unit.
    scope: str | None = None

    def by_role(self, role: Role) -> list[Assignment]:
        return [a for a in self.assignments if a.role == role]

    @property
    def lead(self) -> list[Assignment]:
        return self.by_role("lead")

    @property
    def support(self) -> list[Assignment]:
        return self.by_role("support")

    @property
    def joint(self) -> list[Assignment]:
        return self.by_role("joint")


@dataclass(frozen=True, slots=True)
class Section:
    """A heading in the document's numbering tree, e.g. path ``三/(一)``, heading 大力推进企业技术创新。"""

    path: str
    heading: str
    level: int


@dataclass(slots=True)
class DocumentMeta:
    title: str
    doc_number: str | None = None
    issuer: str | None = None
    date_written: str | None = None
    date_issued: str | None = None
    date_published: str | None = None
    source: str | None = None
    implements: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    jurisdiction: str | None = None  # 全国, 浙江省, 济南市 …; None when nothing in the document says

    @property
    def id(self) -> str:
        return document_id(self.doc_number, self.title)


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the parser could not read cleanly; never fatal on its own."""

    message: str
    line: int | None = None


@dataclass(slots=True)
class ParsedDocument:
    document: DocumentMeta
    sections: list[Section] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    text: str = ""

    @property
    def unresolved_agencies(self) -> list[str]:
        """Names no registry entry matched, as written, in order of first appearance."""
        seen: dict[str, None] = {}
        for m in self.measures:
            for a in m.assignments:
                if not a.resolved:
                    seen.setdefault(a.name, None)
        return list(seen)

    def to_json(self) -> dict[str, Any]:
        """The shape ``policykg parse FILE --format json`` prints."""
        doc = asdict(self.document)
        doc["id"] = self.document.id
        unresolved: dict[str, dict[str, Any]] = {}
        for m in self.measures:
            for x in m.assignments:
                if not x.resolved:
                    unresolved.setdefault(
                        x.agency_id, {"id": x.agency_id, "name": x.name, "jurisdiction": x.jurisdiction}
                    )
        return {
            "document": doc,
            "measures": [measure_json(m) for m in self.measures],
            "warnings": [asdict(w) for w in self.warnings],
            # Units no registry entry or template matched, kept as written in the document's jurisdiction.
            "unresolved_agencies": list(unresolved.values()),
        }


def measure_json(m: Measure) -> dict[str, Any]:
    def people(role: Role) -> list[dict[str, Any]]:
        return [
            {"id": a.agency_id, "name": a.name, "as_written": a.as_written, "jurisdiction": a.jurisdiction}
            for a in m.by_role(role)
        ]

    return {
        "ref": m.ref,
        "text": m.text,
        "lead": people("lead"),
        "support": people("support"),
        "joint": people("joint"),
        "targets": [
            {
                "metric": t.metric,
                "value": None if t.is_range else t.value,  # a range has bounds, not a value
                "unit": t.unit,
                "qualifier": t.qualifier,
                "year": t.year,
                "per_year": t.per_year,
                "modality": t.modality,
                "text": t.text,
                "value_normalised": t.value_normalised,
                "base_unit": t.base_unit,
                "min": t.minimum,
                "max": t.maximum,
                "horizon": t.horizon,
                "derived_year": t.derived_year,
                "span": list(t.span) if t.span is not None else None,
            }
            for t in m.targets
        ],
        "deadline": m.deadline,
        "scope": m.scope,
        "industries": list(m.industries),
        "span": list(m.span),
    }


@dataclass(frozen=True, slots=True)
class Agency:
    """A registry entry (or an unresolved name, with only ``name`` set)."""

    name: str
    full_name: str | None = None
    english_name: str | None = None
    level: str | None = None
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    succeeded_by: tuple[tuple[str, str], ...] = ()  # (successor canonical name, ISO date)
    resolved: bool = True
    jurisdiction: str | None = None  # 全国, 浙江省, 杭州市 …; None for a unit of no known place

    @property
    def id(self) -> str:
        return agency_id(self.jurisdiction, self.name)


@dataclass(frozen=True, slots=True)
class Industry:
    name: str
    code: str | None = None
    category: str | None = None
    keywords: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.name


NATIONAL = "全国"


def agency_id(jurisdiction: str | None, name: str) -> str:
    """An agency's identity: its jurisdiction plus its canonical name.

    National units (and units of no known place) keep their bare name; every other unit is
    ``jurisdiction:name``, so Shandong's 省发展改革委 and Zhejiang's are different nodes.

    >>> agency_id("全国", "财政部"), agency_id("山东省", "省发展改革委"), agency_id(None, "某某局")
    ('财政部', '山东省:省发展改革委', '某某局')
    """
    if not jurisdiction or jurisdiction == NATIONAL:
        return name
    return f"{jurisdiction}:{name}"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def document_id(doc_number: str | None, title: str) -> str:
    """Deterministic id: the same 文号 (or, without one, the same title) gives the same id.

    >>> document_id("国发〔2019〕3号", "x") == document_id("国发〔2019〕3号", "y")
    True
    """
    key = (doc_number or "").strip() or title.strip()
    return "doc-" + _digest(key)


def ref_slug(ref: str) -> str:
    """A URL-safe form of a numbering path: ``三/(一)/1#2`` → ``三.一.1-2``.

    >>> ref_slug("三/(一)/1#2")
    '三.一.1-2'
    """
    return ref.replace("(", "").replace(")", "").replace("/", ".").replace("#", "-")


def measure_id(doc_id: str, ref: str) -> str:
    return f"{doc_id}~{ref_slug(ref)}"


def section_id(doc_id: str, path: str) -> str:
    return f"{doc_id}~s~{ref_slug(path)}"


def target_id(measure_id_: str, index: int) -> str:
    return f"{measure_id_}~t{index}"
