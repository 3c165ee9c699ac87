"""Checks and conversions both stores share: rows going in, values coming out.

Every label, relationship type and property name of a write is checked against the
schema allow-list before any of it reaches Cypher text, so a store only ever interpolates
names it found in :mod:`policykg.graph.schema`.

>>> rows = GraphRows(nodes={"Industry": [{"id": "x", "name": "x"}]})
>>> check_graph_rows(rows, what="reference")
>>> plain_value(Decimal("3"))
3
>>> check_graph_rows(GraphRows(nodes={"Industry": [{"id": "x", "nmae": "x"}]}), what="reference")
Traceback (most recent call last):
...
policykg.errors.StoreError: A reference Industry row has the property 'nmae', which the schema does not list.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from policykg.errors import StoreError
from policykg.graph.schema import DOCUMENT_OWNED, NODES, RELS, PropType, check_label, check_rel_type
from policykg.graph.store import DocumentRows, GraphRows, Row


@cache
def node_columns(label: str) -> tuple[str, ...]:
    """Property names of a label in schema order (the key first)."""
    check_label(label)
    spec = NODES[label]
    return (spec.key, *(p for p in spec.properties if p != spec.key))


@cache
def rel_columns(rel_type: str) -> tuple[str, ...]:
    """Property names of a relationship type in schema order (without ``from``/``to``)."""
    check_rel_type(rel_type)
    return tuple(RELS[rel_type].properties)


def check_graph_rows(rows: GraphRows, *, what: str) -> None:
    """Refuse labels, types or properties outside the schema, and rows without keys."""
    for label, node_rows in rows.nodes.items():
        _check_name(label, NODES, "node label", what)
        key = NODES[label].key
        for row in node_rows:
            _check_props(row, NODES[label].properties, f"{what} {label} row")
            if row.get(key) is None:
                raise StoreError(f"A {what} {label} row has no {key}.")
    for rel_type, rel_rows in rows.rels.items():
        _check_name(rel_type, RELS, "relationship type", what)
        props: dict[str, PropType] = {"from": "STRING", "to": "STRING", **RELS[rel_type].properties}
        for row in rel_rows:
            _check_props(row, props, f"{what} {rel_type} row")
            if row.get("from") is None or row.get("to") is None:
                raise StoreError(f"A {what} {rel_type} row lacks its from or to key.")


def check_document_rows(rows: DocumentRows) -> None:
    """Check a document write: schema names, and every owned node carrying this document's id."""
    if not rows.doc_id:
        raise StoreError("A document write has no document id.")
    check_graph_rows(rows.owned, what="owned")
    check_graph_rows(rows.shared, what="shared")
    for label in DOCUMENT_OWNED:
        for row in rows.owned.nodes.get(label, []):
            if row.get("doc_id") != rows.doc_id:
                raise StoreError(
                    f"The {label} row {row.get('id')!r} belongs to document {row.get('doc_id')!r}, "
                    f"not to {rows.doc_id!r}, which is being written."
                )
    for row in rows.owned.nodes.get("Document", []):
        if row.get("id") != rows.doc_id:
            raise StoreError(f"The owned Document row {row.get('id')!r} is not the document {rows.doc_id!r}.")
    for label in rows.owned.nodes:
        if label != "Document" and label not in DOCUMENT_OWNED:
            raise StoreError(f"{label} rows are shared between documents and cannot be owned by {rows.doc_id!r}.")
    for label in rows.shared.nodes:
        if label in DOCUMENT_OWNED:
            raise StoreError(f"{label} rows belong to one document and cannot be shared.")


def full_node_row(label: str, row: Row) -> Row:
    """The row with every schema property of ``label`` present (absent ones as None)."""
    return dict(zip(node_columns(label), node_records(label, [row])[0], strict=True))


def full_rel_row(rel_type: str, row: Row) -> Row:
    """The row with ``from``, ``to`` and every schema property of ``rel_type``."""
    return dict(zip(("from", "to", *rel_columns(rel_type)), rel_records(rel_type, [row])[0], strict=True))


def node_records(label: str, rows: list[Row]) -> list[list[Any]]:
    """Rows as value lists in :func:`node_columns` order (for bulk loading)."""
    columns = node_columns(label)
    doubles = _doubles(tuple(NODES[label].properties.get(c) for c in columns))
    return [_record(row, columns, doubles) for row in rows]


def rel_records(rel_type: str, rows: list[Row]) -> list[list[Any]]:
    """Rows as value lists: ``from``, ``to``, then :func:`rel_columns` order."""
    columns = ("from", "to", *rel_columns(rel_type))
    doubles = _doubles(tuple(RELS[rel_type].properties.get(c) for c in columns))
    return [_record(row, columns, doubles) for row in rows]


def _record(row: Row, columns: tuple[str, ...], doubles: tuple[int, ...]) -> list[Any]:
    # (_plain_in only where it can change something: bulk loads pass every value through here)
    record: list[Any] = [v if v.__class__ not in _CHANGED_IN else _plain_in(v) for v in map(row.get, columns)]
    for i in doubles:
        if record[i] is not None:
            # An int given for a DOUBLE property would come back as an int from Neo4j.
            record[i] = float(record[i])
    return record


@cache
def _doubles(types: tuple[str | None, ...]) -> tuple[int, ...]:
    return tuple(i for i, kind in enumerate(types) if kind == "DOUBLE")


def plain_value(value: Any) -> Any:
    """A driver value as a plain Python value; graph objects are refused.

    >>> plain_value([Decimal("2.5"), {"a": (1, 2)}])
    [2.5, {'a': [1, 2]}]
    """
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        if "_LABEL" in value or "_ID" in value or "_label" in value or "_id" in value:
            raise StoreError("A catalogued query returned a node or relationship; queries must return properties.")
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    raise StoreError(
        f"A catalogued query returned a {type(value).__name__}; queries must return properties, not graph objects."
    )


_CHANGED_IN = frozenset({float, tuple})  # the classes _plain_in may change


def _plain_in(value: Any) -> Any:
    # NaN and infinities cannot round-trip through CSV or compare equal across stores;
    # tuples become lists so both drivers see the same parameter type.
    if value.__class__ is float and not math.isfinite(value):
        return None
    if value.__class__ is tuple:
        return list(value)
    return value


def _check_name(name: str, allowed: Iterable[str], kind: str, what: str) -> None:
    if name not in allowed:
        raise StoreError(f"The {what} rows name {name!r}, which is not a {kind} of the policykg schema.")


def _check_props(row: Row, props: dict[str, PropType], where: str) -> None:
    for prop, value in row.items():
        kind = props.get(prop)
        if kind is None:
            raise StoreError(f"A {where} has the property {prop!r}, which the schema does not list.")
        if value is None or (value.__class__ is str and kind == "STRING"):
            continue  # (most values: no call needed)
        if not _has_type(value, kind):
            raise StoreError(f"A {where} has {prop}={value!r}, which is not of the schema type {kind}.")


def _has_type(value: Any, prop_type: PropType) -> bool:
    if prop_type == "STRING":
        return isinstance(value, str)
    if prop_type == "BOOL":
        return isinstance(value, bool)
    if prop_type == "INT64":
        return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63
    if prop_type == "DOUBLE":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
