"""The Neo4j store: the same graph on a Neo4j 5 server, through the official driver.

A document is written in one managed transaction (``session.execute_write``): the old
version's owned nodes are detached and deleted, shared rows merged, owned rows created in
``UNWIND $rows`` batches. Uniqueness constraints on every label's key make a duplicate
fail the transaction, and relationship rows whose end nodes are missing are counted and
refused, so a failed write leaves the previous version as it was.

The driver keeps a connection pool and reconnects by itself once the server is back; while
it is down every call raises :class:`StoreUnavailable` with a plain sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction, RoutingControl
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from neo4j.graph import Node, Path, Relationship

from policykg.errors import PolicykgError, StoreError, StoreUnavailable
from policykg.graph.rows import (
    check_document_rows,
    check_graph_rows,
    node_columns,
    node_records,
    plain_value,
    prepare_read,
    rel_columns,
    rel_records,
)
from policykg.graph.schema import DOCUMENT_OWNED, NODE_ORDER, NODES, REL_ORDER, RELS, check_label, check_rel_type
from policykg.graph.store import Dialect, DocumentRows, GraphRows, Row
from policykg.queries.catalogue import Catalogue

BATCH_ROWS = 5000
# Secondary indexes beside the key constraints: what ingest and the catalogue look up by.
INDEXES: tuple[tuple[str, str], ...] = (
    *((label, "doc_id") for label in DOCUMENT_OWNED),
    ("Agency", "name"),
    ("Industry", "name"),
    ("Document", "doc_number"),
    ("Document", "loaded"),
)


class Neo4jStore:
    """A :class:`~policykg.graph.store.GraphStore` on a Neo4j 5 server."""

    dialect: Dialect = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str = "neo4j",
        catalogue: Catalogue | None = None,
        connection_timeout: float = 5.0,
    ) -> None:
        self.uri = uri
        self.database = database
        self.catalogue = catalogue if catalogue is not None else Catalogue.load_default()
        auth = (user or "neo4j", password) if password else None
        try:
            self._driver: Driver = GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=connection_timeout * 2,
                max_transaction_retry_time=connection_timeout * 2,
                # Warnings such as "relationship type does not exist" on an empty graph are noise here.
                notifications_min_severity="OFF",
            )
        except (DriverError, ValueError) as error:
            raise StoreUnavailable(f"The Neo4j address {uri!r} is not usable: {error}") from None
        self._closed = False
        try:
            with self._errors("Neo4j could not be prepared"):
                self._driver.verify_connectivity()
                self._create_schema()
        except PolicykgError:
            self._driver.close()
            raise

    # -- protocol -------------------------------------------------------------------------

    def read(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run the catalogued query ``name`` in a read transaction; values are parameters."""
        text, bound = prepare_read(self.catalogue, name, params, self.dialect)
        with self._errors(f"The query {name} failed on Neo4j"):
            records, _, keys = self._driver.execute_query(
                text, bound, database_=self.database, routing_=RoutingControl.READ
            )
        return [{key: _plain(record[key]) for key in keys} for record in records]

    def write_document(self, rows: DocumentRows) -> None:
        """Replace the document ``rows.doc_id`` in one transaction (see the module docstring)."""
        check_document_rows(rows)

        def work(tx: ManagedTransaction) -> None:
            old_targets = _implemented_by(tx, rows.doc_id)
            _delete_owned(tx, rows.doc_id)
            _merge_nodes(tx, rows.shared, overwrite=False)
            _merge_nodes(tx, GraphRows(nodes={"Document": rows.owned.nodes.get("Document", [])}), overwrite=True)
            for label in NODE_ORDER:
                if label in DOCUMENT_OWNED and rows.owned.nodes.get(label):
                    _create_nodes(tx, label, rows.owned.nodes[label])
            for rel_type in REL_ORDER:
                if rows.owned.rels.get(rel_type):
                    _link(tx, rel_type, rows.owned.rels[rel_type], merge=False)
            for rel_type in REL_ORDER:
                if rows.shared.rels.get(rel_type):
                    _link(tx, rel_type, rows.shared.rels[rel_type], merge=True)
            _drop_orphan_stubs(tx, old_targets)

        self._write(work, f"The document {rows.doc_id} could not be written")

    def upsert_reference(self, rows: GraphRows) -> None:
        """Merge registry and dictionary rows; their properties overwrite what is stored."""
        check_graph_rows(rows, what="reference")

        def work(tx: ManagedTransaction) -> None:
            _merge_nodes(tx, rows, overwrite=True)
            for rel_type in REL_ORDER:
                if rows.rels.get(rel_type):
                    _link(tx, rel_type, rows.rels[rel_type], merge=True)

        self._write(work, "The reference data could not be written")

    def delete_document(self, doc_id: str) -> bool:
        """Remove a loaded document and all it owns; a document others implement stays as a stub."""

        def work(tx: ManagedTransaction) -> bool:
            found = tx.run("MATCH (d:Document {id: $id}) RETURN d.loaded AS loaded", id=doc_id).single()
            if found is None or not found["loaded"]:
                return False
            old_targets = _implemented_by(tx, doc_id)
            _delete_owned(tx, doc_id)
            cited = tx.run(
                "MATCH (:Document)-[r:IMPLEMENTS]->(d:Document {id: $id}) RETURN count(r) AS n", id=doc_id
            ).single()
            if cited is not None and cited["n"]:
                tx.run(_STUB_RESET, id=doc_id).consume()
            else:
                tx.run("MATCH (d:Document {id: $id}) DETACH DELETE d", id=doc_id).consume()
            _drop_orphan_stubs(tx, old_targets)
            return True

        return bool(self._write(work, f"The document {doc_id} could not be deleted"))

    def counts(self) -> dict[str, int]:
        """Node count per label and relationship count per type, zeros included."""
        parts = [f"CALL () {{ MATCH (n:{label}) RETURN count(n) AS `{label}` }}" for label in NODES]
        parts += [f"CALL () {{ MATCH ()-[r:{t}]->() RETURN count(r) AS `{t}` }}" for t in RELS]
        query = "\n".join(parts) + "\nRETURN " + ", ".join(f"`{name}`" for name in (*NODES, *RELS))
        with self._errors("Neo4j could not count the graph"):
            records, _, _ = self._driver.execute_query(query, database_=self.database, routing_=RoutingControl.READ)
        return {name: int(value) for name, value in records[0].items()}

    def clear(self) -> None:
        """Delete every node and relationship, in batches that fit the server's memory."""
        with self._errors("Neo4j could not be cleared"), self._driver.session(database=self.database) as session:
            while True:
                record = session.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n").single()
                if record is None or record["n"] == 0:
                    return

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    # -- plumbing -------------------------------------------------------------------------

    def _write(self, work: Any, failure: str) -> Any:
        with self._errors(failure, unchanged=True), self._driver.session(database=self.database) as session:
            return session.execute_write(work)

    @contextmanager
    def _errors(self, failure: str, *, unchanged: bool = False) -> Iterator[None]:
        """Turn driver errors into sentences; a lost server becomes StoreUnavailable."""
        if self._closed:
            raise StoreError(f"The Neo4j store at {self.uri} is closed.")
        suffix = "; the store is unchanged" if unchanged else ""
        try:
            yield
        except (ServiceUnavailable, SessionExpired) as error:
            raise StoreUnavailable(
                f"Neo4j at {self.uri} cannot be reached ({_reason(error)}); start it or check the address."
            ) from None
        except AuthError as error:
            raise StoreUnavailable(
                f"Neo4j at {self.uri} refused the user name or password ({_first_line(error)})."
            ) from None
        except Neo4jError as error:
            raise StoreError(f"{failure}{suffix}. Neo4j said: {error.message or _first_line(error)}") from None
        except StoreError as error:
            raise StoreError(f"{failure}{suffix}. {error}") from None
        except DriverError as error:
            raise StoreError(f"{failure}{suffix}: {_first_line(error)}") from None

    def _create_schema(self) -> None:
        with self._driver.session(database=self.database) as session:
            for label, spec in NODES.items():
                check_label(label)
                session.run(
                    f"CREATE CONSTRAINT {label.lower()}_{spec.key}_unique IF NOT EXISTS "
                    f"FOR (n:{label}) REQUIRE n.{spec.key} IS UNIQUE"
                ).consume()
            for label, prop in INDEXES:
                check_label(label)
                if prop not in NODES[label].properties:
                    raise ValueError(f"{label} has no property {prop} to index.")
                session.run(
                    f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
                ).consume()


_STUB_RESET = (
    "MATCH (d:Document {id: $id}) SET d.title = coalesce(d.doc_number, d.title), d.issuer = NULL, "
    "d.date_written = NULL, d.date_issued = NULL, d.date_published = NULL, d.year = NULL, d.source = NULL, "
    "d.attachments = NULL, d.loaded = false"
)
_ORPHAN_STUBS = (
    "MATCH (t:Document) WHERE t.id IN $ids AND t.loaded = false "
    "AND NOT EXISTS { MATCH (:Document)-[:IMPLEMENTS]->(t) } DETACH DELETE t"
)


def _implemented_by(tx: ManagedTransaction, doc_id: str) -> list[str]:
    result = tx.run("MATCH (:Document {id: $id})-[:IMPLEMENTS]->(t:Document) RETURN t.id AS id", id=doc_id)
    return [record["id"] for record in result]


def _delete_owned(tx: ManagedTransaction, doc_id: str) -> None:
    for label in DOCUMENT_OWNED:
        check_label(label)
        tx.run(f"MATCH (n:{label} {{doc_id: $doc_id}}) DETACH DELETE n", doc_id=doc_id).consume()
    tx.run("MATCH (:Document {id: $doc_id})-[r]->() DELETE r", doc_id=doc_id).consume()


def _drop_orphan_stubs(tx: ManagedTransaction, candidates: list[str]) -> None:
    if candidates:
        tx.run(_ORPHAN_STUBS, ids=candidates).consume()


def _merge_nodes(tx: ManagedTransaction, rows: GraphRows, *, overwrite: bool) -> None:
    for label in NODE_ORDER:
        node_rows = rows.nodes.get(label)
        if not node_rows:
            continue
        check_label(label)
        key = NODES[label].key
        assigns = ", ".join(f"n.{c} = r.{c}" for c in node_columns(label) if c != key)
        action = "SET" if overwrite else "ON CREATE SET"
        query = f"UNWIND $rows AS r MERGE (n:{label} {{{key}: r.{key}}}) {action} {assigns}"
        for batch in _batches(_as_dicts(node_columns(label), node_records(label, node_rows))):
            tx.run(query, rows=batch).consume()


def _create_nodes(tx: ManagedTransaction, label: str, node_rows: list[Row]) -> None:
    check_label(label)
    columns = node_columns(label)
    # A property map, not CREATE … SET: half the time when the old version was deleted in the same transaction.
    query = f"UNWIND $rows AS r CREATE (n:{label} {{" + ", ".join(f"{c}: r.{c}" for c in columns) + "})"
    for batch in _batches(_as_dicts(columns, node_records(label, node_rows))):
        tx.run(query, rows=batch).consume()


def _link(tx: ManagedTransaction, rel_type: str, rel_rows: list[Row], *, merge: bool) -> None:
    """Create (owned) or merge (shared) relationships; rows naming a missing node fail the write."""
    check_rel_type(rel_type)
    spec = RELS[rel_type]
    props = rel_columns(rel_type)
    if merge:
        assigns = (" SET " + ", ".join(f"x.{p} = r.{p}" for p in props)) if props else ""
        pattern = f"MERGE (a)-[x:{rel_type}]->(b){assigns}"
    else:
        values = (" {" + ", ".join(f"{p}: r.{p}" for p in props) + "}") if props else ""
        pattern = f"CREATE (a)-[x:{rel_type}{values}]->(b)"
    query = (
        f"UNWIND $rows AS r MATCH (a:{spec.source} {{{NODES[spec.source].key}: r.from}}) "
        f"MATCH (b:{spec.target} {{{NODES[spec.target].key}: r.to}}) {pattern} RETURN count(*) AS n"
    )
    for batch in _batches(_as_dicts(("from", "to", *props), rel_records(rel_type, rel_rows))):
        record = tx.run(query, rows=batch).single()
        linked = record["n"] if record else 0
        if linked != len(batch):
            raise StoreError(f"{len(batch) - linked} {rel_type} rows name a node that does not exist.")


def _as_dicts(columns: tuple[str, ...], records: list[list[Any]]) -> list[Row]:
    return [dict(zip(columns, record, strict=True)) for record in records]


def _batches(rows: list[Row]) -> Iterator[list[Row]]:
    for start in range(0, len(rows), BATCH_ROWS):
        yield rows[start : start + BATCH_ROWS]


def _plain(value: Any) -> Any:
    """Driver values as plain Python values; graph objects are refused, temporals become ISO text."""
    if isinstance(value, Node | Relationship | Path):
        raise StoreError("A catalogued query returned a node or relationship; queries must return properties.")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    iso_format = getattr(value, "iso_format", None)
    if callable(iso_format):
        return iso_format()
    return plain_value(value)


def _reason(error: BaseException) -> str:
    """The socket-level reason of a connection failure ("Connection refused"), else the first line."""
    found = re.search(r"reason \[Errno \d+\] ([^)]+)\)", str(error))
    return found.group(1) if found else _first_line(error).rstrip(":")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
