"""The graph schema: the one allow-list of node labels, relationship types and their properties.

Both stores build their DDL (LadybugDB node/rel tables, Neo4j constraints) from these
tables, and no label or relationship type reaches Cypher unless it is listed here.

>>> NODES["Measure"].key
'id'
>>> RELS["ASSIGNED"].source, RELS["ASSIGNED"].target
('Agency', 'Measure')
>>> check_label("Measure"); check_rel_type("ASSIGNED")
>>> check_label("Measure) DETACH DELETE (x")
Traceback (most recent call last):
...
ValueError: 'Measure) DETACH DELETE (x' is not a node label of the policykg schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PropType = Literal["STRING", "INT64", "DOUBLE", "BOOL", "STRING[]"]


@dataclass(frozen=True, slots=True)
class NodeSpec:
    label: str
    properties: dict[str, PropType]
    key: str = "id"
    description: str = ""


@dataclass(frozen=True, slots=True)
class RelSpec:
    type: str
    source: str
    target: str
    properties: dict[str, PropType]
    description: str = ""


_NODES = [
    NodeSpec(
        "Document",
        {
            "id": "STRING",
            "title": "STRING",
            "doc_number": "STRING",
            "issuer": "STRING",
            "date_written": "STRING",
            "date_issued": "STRING",
            "date_published": "STRING",
            "year": "INT64",
            "source": "STRING",
            "attachments": "STRING[]",
            # 全国, a province (山东省), a city (济南市) or a county; read from the issuer, 文号 or title.
            "jurisdiction": "STRING",
            # False for a document known only because another one implements it.
            "loaded": "BOOL",
        },
        description="A published policy document (分工方案, 意见, 通知 …).",
    ),
    NodeSpec(
        "Section",
        {
            "id": "STRING",
            "doc_id": "STRING",
            "path": "STRING",
            "heading": "STRING",
            "level": "INT64",
            "ordinal": "INT64",
        },
        description="A heading of the document's numbering tree, e.g. 三/(一).",
    ),
    NodeSpec(
        "Measure",
        {
            "id": "STRING",
            "doc_id": "STRING",
            "ref": "STRING",
            "text": "STRING",
            "section_path": "STRING",
            "deadline": "STRING",
            "deadline_date": "STRING",
            # The deadline as one ISO day (end of the period written; relative ones from the document's date).
            "due_date": "STRING",
            "due_date_derived": "BOOL",
            "span_start": "INT64",
            "span_end": "INT64",
            "line": "INT64",
            "ordinal": "INT64",
            # Catalogue order as one integer (document date, document, ordinal; see
            # policykg.ingest.measure_sort_key): pages sort and resume on it alone.
            "sort_key": "INT64",
            # Copied from the measure's Document (written with it, so never out of step): list
            # pages show and filter on them without a join per row.
            "doc_title": "STRING",
            "doc_issued": "STRING",
            "doc_year": "INT64",
        },
        description="One responsibility record with its exact source clause.",
    ),
    NodeSpec(
        "Agency",
        {
            "id": "STRING",
            "name": "STRING",
            "full_name": "STRING",
            "english_name": "STRING",
            "level": "STRING",
            "kind": "STRING",
            "aliases": "STRING[]",
            # The place it acts for; the id is jurisdiction:name (bare name for national units).
            "jurisdiction": "STRING",
            "resolved": "BOOL",
        },
        description=(
            "A government unit, collective or leading group of one jurisdiction; unresolved names are kept "
            "as written in the document's jurisdiction."
        ),
    ),
    NodeSpec(
        "Target",
        {
            "id": "STRING",
            "doc_id": "STRING",
            "metric": "STRING",
            "value": "STRING",
            "value_number": "DOUBLE",
            "unit": "STRING",
            "qualifier": "STRING",
            "year": "INT64",
            "per_year": "BOOL",
            "modality": "STRING",
            "text": "STRING",
            # The value in its base unit (10万家 → 100000 家); percentages stay percentages.
            "value_normalised": "DOUBLE",
            "base_unit": "STRING",
            # A range's bounds (3—5家), in the base unit like value_normalised.
            "minimum": "DOUBLE",
            "maximum": "DOUBLE",
            # A relative period as written (5年内, 今年) and the year it ends, derived from the
            # document's year; ``year`` is only ever a year written for the target.
            "horizon": "STRING",
            "derived_year": "INT64",
            # Offsets of ``text`` in the measure's text (in a table row, in its task cell).
            "span_start": "INT64",
            "span_end": "INT64",
        },
        description="A quantitative goal of a measure.",
    ),
    NodeSpec(
        "Industry",
        {"id": "STRING", "name": "STRING", "code": "STRING", "category": "STRING"},
        description="An industry from the dictionary, with its GB/T 4754 code where one fits.",
    ),
]

_RELS = [
    RelSpec("HAS_SECTION", "Document", "Section", {}, "Every section of a document."),
    RelSpec("HAS_SUBSECTION", "Section", "Section", {}, "Numbering tree: parent to child heading."),
    RelSpec("HAS_MEASURE", "Section", "Measure", {}, "The innermost heading a measure stands under."),
    RelSpec("INCLUDES", "Document", "Measure", {}, "Every measure of a document."),
    RelSpec(
        "ASSIGNED",
        "Agency",
        "Measure",
        # sort_key: the measure's, times four plus the role's place (lead, support, joint), so one
        # agency's assignments have one unique order and a page of them needs no measure read.
        {"role": "STRING", "as_written": "STRING", "position": "INT64", "doc_id": "STRING", "sort_key": "INT64"},
        "An agency responsible for a measure; role is lead, support or joint.",
    ),
    RelSpec("SETS_TARGET", "Measure", "Target", {}, "A measure's quantitative goals."),
    RelSpec(
        "SETS",
        "Document",
        "Target",
        {},
        "A goal the document sets itself: a target of a goals paragraph (发展目标 …) that names no agency.",
    ),
    # sort_key: the measure's, so one industry's page orders and resumes on the relationship alone.
    RelSpec(
        "CONCERNS", "Measure", "Industry", {"doc_id": "STRING", "sort_key": "INT64"}, "Industries a measure mentions."
    ),
    RelSpec("MEMBER_OF", "Agency", "Agency", {}, "Membership of a collective or leading group."),
    RelSpec("SUCCEEDED_BY", "Agency", "Agency", {"date": "STRING"}, "Institutional reform lineage."),
    RelSpec("IMPLEMENTS", "Document", "Document", {}, "A document carries out another (e.g. 浙政发〔2017〕23号)."),
]

NODES: dict[str, NodeSpec] = {n.label: n for n in _NODES}
RELS: dict[str, RelSpec] = {r.type: r for r in _RELS}

# Order in which a document's rows are written (nodes before the relationships between them)
# and deleted (reverse).
NODE_ORDER: tuple[str, ...] = tuple(NODES)
REL_ORDER: tuple[str, ...] = tuple(RELS)

# Node labels whose rows belong to exactly one document (carry doc_id) and are replaced
# with it; Agency, Industry and Document itself are shared and merged.
DOCUMENT_OWNED: tuple[str, ...] = ("Section", "Measure", "Target")


def check_label(label: str) -> None:
    if label not in NODES:
        raise ValueError(f"{label!r} is not a node label of the policykg schema.")


def check_rel_type(rel_type: str) -> None:
    if rel_type not in RELS:
        raise ValueError(f"{rel_type!r} is not a relationship type of the policykg schema.")


def check_table(name: str) -> None:
    """A node label or relationship type of the schema (what a bulk load may name)."""
    if name not in NODES and name not in RELS:
        raise ValueError(f"{name!r} is neither a node label nor a relationship type of the policykg schema.")
