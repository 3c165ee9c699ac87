"""Writes, defined once: the plans both stores run in one transaction each.

A plan is made of the ``mode: write`` files in ``cypher/write/`` (document_exists,
drop_orphan_stubs, delete_document_links, stub_reset, delete_uncited_document) and of
per-label and per-type statements generated here from :mod:`policykg.graph.schema`
(labels and types cannot be parameters, so only names the schema lists reach the text).
The stores run a plan through their own transaction runner; the embedded one may
bulk-load a plan's owned rows with COPY, which is its business, not the plan's.

Replacing a document: drop the stubs only its old version implemented, delete its owned
nodes and links, merge the shared rows, overwrite its Document node, create the owned
nodes, link them, merge the shared links. Deleting one: the same deletions, then its
Document node goes, or stays as a stub when another document implements it.

>>> plan = delete_plan("doc-1")
>>> [s.cypher.split()[1] for s in plan.statements][:2], plan.statements[0].guard
(['(d:Document', '(:Document'], True)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from policykg.errors import StoreUnavailable
from policykg.graph.rows import (
    check_document_rows,
    check_graph_rows,
    node_columns,
    node_records,
    rel_columns,
    rel_records,
)
from policykg.graph.schema import DOCUMENT_OWNED, NODE_ORDER, NODES, REL_ORDER, RELS, check_label, check_rel_type
from policykg.graph.store import DocumentRows, GraphRows, GraphStore, Row, Statement, WritePlan
from policykg.queries.catalogue import QUERY_DIR, Catalogue

WRITE_DIR = QUERY_DIR / "write"
log = logging.getLogger(__name__)


@cache
def write_catalogue() -> Catalogue:
    """The ``mode: write`` files; they are never in the read catalogue the API and CLI run."""
    return Catalogue.load_of_mode(WRITE_DIR, "write", "the write statements")


# -- the orchestration ---------------------------------------------------------------------------


def write_document(store: GraphStore, rows: DocumentRows) -> None:
    """Atomically replace the document ``rows.doc_id`` (or create it)."""
    store.execute_write(document_plan(rows))


def delete_document(store: GraphStore, doc_id: str) -> bool:
    """Remove a loaded document and all it owns; a document others implement stays as a stub.
    False when no such document is loaded."""
    return store.execute_write(delete_plan(doc_id))


def write_documents(store: GraphStore, batch: Sequence[DocumentRows]) -> list[Exception | None]:
    """Replace several documents in one transaction (:func:`documents_plan`); when that fails,
    each in a transaction of its own, so that only a bad one fails. Per document: None when it
    was written, else the error that kept it out (the store then holds its old version, if any).
    A store that stops answering raises :class:`StoreUnavailable` at once.
    """
    if not batch:
        return []
    try:
        ids = [rows.doc_id for rows in batch]
        # Documents with no links of their own yet (a first load) need none of the stub steps.
        linked = store.execute_read(_LINKED, {"doc_ids": ids}) if len(batch) > 1 else []
        store.execute_write(documents_plan(batch, new=not linked))
        return [None] * len(batch)
    except StoreUnavailable:
        raise
    except Exception:
        if len(batch) == 1:
            return [_write_alone(store, batch[0])]
        log.info("a batch of %d documents could not be written at once; writing them one by one", len(batch))
        return [_write_alone(store, rows) for rows in batch]


def _write_alone(store: GraphStore, rows: DocumentRows) -> Exception | None:
    try:
        write_document(store, rows)
    except StoreUnavailable:
        raise
    except Exception as error:  # a bug on one document must not stop the others: the caller reports it
        return error
    return None


def upsert_reference(store: GraphStore, rows: GraphRows) -> None:
    """Merge reference data (agency registry, industry dictionary); its properties overwrite what is stored."""
    store.execute_write(reference_plan(rows))


def document_plan(rows: DocumentRows) -> WritePlan:
    """The plan that replaces the document ``rows.doc_id``; rows outside the schema are refused first."""
    check_document_rows(rows)
    doc_id = rows.doc_id
    statements = [
        *_document_steps(rows),
        *(
            _create_nodes(label, rows.owned.nodes[label])
            for label in NODE_ORDER
            if label in DOCUMENT_OWNED and rows.owned.nodes.get(label)
        ),
        *(_link(t, rows.owned.rels[t], merge=False) for t in REL_ORDER if rows.owned.rels.get(t)),
        *(_link(t, rows.shared.rels[t], merge=True) for t in REL_ORDER if rows.shared.rels.get(t)),
    ]
    return WritePlan(
        f"The document {doc_id} could not be written",
        tuple(statements),
        subject=f"the document {doc_id}",
        recovery=delete_plan(doc_id),
    )


def _document_steps(rows: DocumentRows) -> list[Statement]:
    """A document's own first steps: drop the stubs only its old version implemented, delete that
    version, merge its shared rows, overwrite its Document node."""
    doc_id = rows.doc_id
    return [
        _named("drop_orphan_stubs", doc_id=doc_id, keep=_kept_stubs(rows)),
        *_delete_owned(doc_id),
        *_merge_nodes(rows.shared, overwrite=False),
        *_merge_nodes(GraphRows(nodes={"Document": rows.owned.nodes.get("Document", [])}), overwrite=True),
    ]


def _kept_stubs(rows: DocumentRows) -> list[str]:
    """The documents the new version implements (their stubs stay)."""
    implements = (r for part in (rows.owned, rows.shared) for r in part.rels.get("IMPLEMENTS", []))
    return sorted({r["to"] for r in implements if r["from"] == rows.doc_id})


# Which of the documents $doc_ids have links of their own (an earlier version is loaded).
_LINKED = "MATCH (d:Document)-[]->() WHERE d.id IN $doc_ids RETURN DISTINCT d.id AS id"


def documents_plan(batch: Sequence[DocumentRows], *, new: bool = False) -> WritePlan:
    """One plan (one transaction) that replaces several documents and ends as :func:`document_plan`
    of each in turn would, with most tables' rows in one statement for all of them.

    In order: the old sections, measures and targets of all of them are deleted (each belongs to
    one document, whose id it carries, and nothing else reads or writes it); then each
    document's steps that involve other documents, one document after another as one by one:
    dropping the stubs only its old version implemented, deleting its Document node's links,
    merging the stubs it implements, overwriting its Document node, linking it to the stubs;
    then the shared agencies and industries of all of them (a row merged again changes nothing
    that one by one would not: only a new node takes a row's properties, and the first row is
    the one one by one would have used); then the new sections, measures, targets and their
    links, one statement per table, which the embedded store may COPY. The ids must differ.

    ``new``: none of the documents has links of its own in the store (a first load, as
    :func:`write_documents` reads before writing). Then no stub can be left by an old version
    and each document's steps need no order: every table is written in one statement.

    >>> def doc(i):
    ...     nodes = {"Document": [{"id": i, "title": i, "loaded": True}], "Measure": [{"id": f"{i}~1", "doc_id": i}]}
    ...     return DocumentRows(i, GraphRows(nodes, {"INCLUDES": [{"from": i, "to": f"{i}~1"}]}), GraphRows())
    >>> plan = documents_plan([doc("a"), doc("b")])
    >>> [(s.copy_table, len(s.rows or ())) for s in plan.statements if s.copy_table]
    [('Measure', 2), ('INCLUDES', 2)]
    >>> plan.failure
    'The documents a, b could not be written'
    """
    if len(batch) == 1:
        return document_plan(batch[0])
    ids = [rows.doc_id for rows in batch]
    if len(set(ids)) != len(ids):
        raise ValueError("One plan cannot write the same document twice.")
    for rows in batch:
        check_document_rows(rows)
    statements: list[Statement] = []
    if new:
        # Deleting links that are not there changes nothing; it makes the plan safe to run again
        # (the embedded store redoes an interrupted bulk write from its journal).
        statements.append(Statement("MATCH (d:Document)-[r]->() WHERE d.id IN $doc_ids DELETE r", {"doc_ids": ids}))
    for label in DOCUMENT_OWNED:
        check_label(label)
        statements.append(Statement(f"MATCH (n:{label}) WHERE n.doc_id IN $doc_ids DETACH DELETE n", {"doc_ids": ids}))
    for rows in batch if not new else ():
        doc_id = rows.doc_id
        implements = rows.owned.rels.get("IMPLEMENTS", [])
        statements += [
            _named("drop_orphan_stubs", doc_id=doc_id, keep=_kept_stubs(rows)),
            _named("delete_document_links", doc_id=doc_id),
            *_merge_nodes(GraphRows(nodes={"Document": rows.shared.nodes.get("Document", [])}), overwrite=False),
            *_merge_nodes(GraphRows(nodes={"Document": rows.owned.nodes.get("Document", [])}), overwrite=True),
        ]
        if implements:
            statements.append(replace(_link("IMPLEMENTS", implements, merge=False), copy_table=None))
    shared: dict[str, dict[str, Row]] = {}
    for rows in batch:
        for label, node_rows in rows.shared.nodes.items():
            if label != "Document" or new:
                for row in node_rows:
                    shared.setdefault(label, {}).setdefault(row[NODES[label].key], row)
    statements += _merge_nodes(GraphRows(nodes={k: list(v.values()) for k, v in shared.items()}), overwrite=False)
    if new:
        documents = [row for rows in batch for row in rows.owned.nodes.get("Document", [])]
        statements += _merge_nodes(GraphRows(nodes={"Document": documents}), overwrite=True)
    for label in NODE_ORDER:
        node_rows = [row for rows in batch for row in rows.owned.nodes.get(label, [])]
        if label in DOCUMENT_OWNED and node_rows:
            statements.append(_create_nodes(label, node_rows))
    for rel_type in REL_ORDER:
        rel_rows = [row for rows in batch for row in rows.owned.rels.get(rel_type, [])]
        if (rel_type != "IMPLEMENTS" or new) and rel_rows:
            statements.append(_link(rel_type, rel_rows, merge=False))
    for rows in batch:
        statements += [_link(t, rows.shared.rels[t], merge=True) for t in REL_ORDER if rows.shared.rels.get(t)]
    names = ", ".join(ids)
    recovery = [s for doc_id in ids for s in delete_plan(doc_id).statements if not s.guard]
    return WritePlan(
        f"The documents {names} could not be written",
        tuple(statements),
        subject=f"the documents {names}",
        recovery=WritePlan(
            f"The documents {names} could not be removed", tuple(recovery), subject=f"the documents {names}"
        ),
    )


def delete_plan(doc_id: str) -> WritePlan:
    """The plan that deletes the document ``doc_id``; it stops at once when no such document is loaded."""
    statements = [
        _named("document_exists", guard=True, doc_id=doc_id),
        _named("drop_orphan_stubs", doc_id=doc_id, keep=[]),
        *_delete_owned(doc_id),
        _named("stub_reset", doc_id=doc_id),
        _named("delete_uncited_document", doc_id=doc_id),
    ]
    return WritePlan(f"The document {doc_id} could not be deleted", tuple(statements), subject=f"the document {doc_id}")


def reference_plan(rows: GraphRows) -> WritePlan:
    """The plan that merges registry and dictionary rows, overwriting their properties."""
    check_graph_rows(rows, what="reference")
    statements = [
        *_merge_nodes(rows, overwrite=True),
        *(_link(t, rows.rels[t], merge=True) for t in REL_ORDER if rows.rels.get(t)),
    ]
    return WritePlan("The reference data could not be written", tuple(statements), subject="the reference data")


# -- statements ----------------------------------------------------------------------------------


def _named(name: str, *, guard: bool = False, **params: Any) -> Statement:
    query = write_catalogue().get(name)
    return Statement(query.text, query.bind(params), guard=guard)


def _delete_owned(doc_id: str) -> list[Statement]:
    """The document's owned nodes per label, then the links of its Document node."""
    statements = []
    for label in DOCUMENT_OWNED:
        check_label(label)
        statements.append(Statement(f"MATCH (n:{label}) WHERE n.doc_id = $doc_id DETACH DELETE n", {"doc_id": doc_id}))
    return [*statements, _named("delete_document_links", doc_id=doc_id)]


def _merge_nodes(rows: GraphRows, *, overwrite: bool) -> list[Statement]:
    """MERGE by key per label; ``overwrite`` sets every property, otherwise only a new node's."""
    return [_merge_label(label, rows.nodes[label], overwrite) for label in NODE_ORDER if rows.nodes.get(label)]


def _merge_label(label: str, node_rows: list[Row], overwrite: bool) -> Statement:
    check_label(label)
    key = NODES[label].key
    columns = node_columns(label)
    full = _as_dicts(columns, node_records(label, node_rows))
    action = "SET" if overwrite else "ON CREATE SET"

    def text(value: Callable[[str], str]) -> str:
        assigns = ", ".join(f"n.{c} = {value(c)}" for c in columns if c != key)
        return f"UNWIND $rows AS r MERGE (n:{label} {{{key}: {value(key)}}}) {action} {assigns}"

    return _with_rows(text, columns, full)


def _create_nodes(label: str, node_rows: list[Row]) -> Statement:
    check_label(label)
    columns = node_columns(label)
    full = _as_dicts(columns, node_records(label, node_rows))

    def text(value: Callable[[str], str]) -> str:
        # A property map, not CREATE … SET: half the time on Neo4j when the old version was deleted in the same
        # transaction.
        return f"UNWIND $rows AS r CREATE (n:{label} {{{', '.join(f'{c}: {value(c)}' for c in columns)}}})"

    return replace(_with_rows(text, columns, full), copy_table=label)


def _link(rel_type: str, rel_rows: list[Row], *, merge: bool) -> Statement:
    """CREATE (owned) or MERGE (shared) relationships by end-node keys; a row naming a missing node fails the plan."""
    check_rel_type(rel_type)
    spec = RELS[rel_type]
    props = rel_columns(rel_type)
    columns = ("from", "to", *props)
    full = _as_dicts(columns, rel_records(rel_type, rel_rows))

    def text(value: Callable[[str], str]) -> str:
        if merge:
            assigns = (" SET " + ", ".join(f"x.{p} = {value(p)}" for p in props)) if props else ""
            pattern = f"MERGE (a)-[x:{rel_type}]->(b){assigns}"
        else:
            values = (" {" + ", ".join(f"{p}: {value(p)}" for p in props) + "}") if props else ""
            pattern = f"CREATE (a)-[x:{rel_type}{values}]->(b)"
        return (
            f"UNWIND $rows AS r MATCH (a:{spec.source} {{{NODES[spec.source].key}: {value('from')}}}) "
            f"MATCH (b:{spec.target} {{{NODES[spec.target].key}: {value('to')}}}) {pattern} RETURN count(*) AS n"
        )

    return replace(
        _with_rows(text, columns, full),
        unmatched=f"{{missing}} {rel_type} rows name a node that does not exist.",
        copy_table=None if merge else rel_type,
    )


def _with_rows(text: Callable[[Callable[[str], str]], str], columns: tuple[str, ...], rows: list[Row]) -> Statement:
    """An ``UNWIND $rows`` statement over ``rows`` in both forms: ``r.column`` over maps (``cypher``)
    and ``r[i]`` over value lists in ``columns`` order (``list_cypher``, what Neo4j is sent).

    The list text never depends on the rows (a NULL literal is for LadybugDB's parameter
    types only, see :func:`_value`), so Neo4j plans each statement once per process.
    """
    index = {column: i for i, column in enumerate(columns)}
    return Statement(
        text(lambda column: _value(column, rows)),
        rows=tuple(rows),
        columns=columns,
        list_cypher=text(lambda column: f"r[{index[column]}]"),
    )


def _value(column: str, rows: Iterable[Row]) -> str:
    # A parameter column that is None in every row reaches LadybugDB typed STRING, which an
    # INT64 or BOOL property refuses; a NULL literal means the same on both engines.
    return f"r.{column}" if any(row.get(column) is not None for row in rows) else "NULL"


def _as_dicts(columns: tuple[str, ...], records: list[list[Any]]) -> list[Row]:
    return [dict(zip(columns, record, strict=True)) for record in records]
