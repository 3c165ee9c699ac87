"""The Neo4j store: the same graph on a Neo4j 5 server, through the official driver.

A write plan (:class:`~policykg.graph.store.WritePlan`, built by ``policykg.queries.writes``)
runs in one managed transaction (``session.execute_write``), its rows sent in ``UNWIND $rows``
batches, as lists of values where the statement has a list form (``Statement.list_cypher``).
Uniqueness constraints on every label's key make a duplicate fail the transaction, and
relationship rows whose end nodes are missing are counted and refused, so a failed write
leaves the previous version as it was.

The driver keeps a connection pool and reconnects by itself once the server is back; while
it is down every call raises :class:`StoreUnavailable` with a plain sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction, RoutingControl
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from neo4j.graph import Node, Path, Relationship

from policykg.errors import PolicykgError, StoreError, StoreUnavailable
from policykg.graph.rows import plain_value
from policykg.graph.schema import DOCUMENT_OWNED, NODES, RELS, check_label
from policykg.graph.store import ClosingStore, Dialect, ReadFailed, Row, Statement, WritePlan

BATCH_ROWS = 5000
# Secondary indexes beside the key constraints: what ingest and the catalogue look up by.
INDEXES: tuple[tuple[str, str], ...] = (
    *((label, "doc_id") for label in DOCUMENT_OWNED),
    ("Agency", "name"),
    ("Industry", "name"),
    ("Document", "doc_number"),
    ("Document", "loaded"),
)


class Neo4jStore(ClosingStore):
    """A :class:`~policykg.graph.store.GraphStore` on a Neo4j 5 server."""

    dialect: Dialect = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str = "neo4j",
        connection_timeout: float = 5.0,
        slow_query_ms: float | None = None,
    ) -> None:
        self.uri = uri
        self.database = database
        self.slow_query_ms = slow_query_ms
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

    def execute_read(self, cypher: str, params: Mapping[str, Any]) -> list[Row]:
        """Run one read statement in a read transaction; values are parameters."""
        with self._errors("failed on Neo4j", refusal=ReadFailed):
            records, _, keys = self._driver.execute_query(
                cypher, dict(params), database_=self.database, routing_=RoutingControl.READ
            )
        return [{key: _plain(record[key]) for key in keys} for record in records]

    def execute_write(self, plan: WritePlan) -> bool:
        """Run ``plan`` in one managed transaction; rows go in batches of :data:`BATCH_ROWS`."""

        def work(tx: ManagedTransaction) -> bool:
            for statement in plan.statements:
                for batch in _batches(statement):
                    record = tx.run(*_sent(statement, batch)).single()
                    found = record[0] if record is not None and len(record) else None
                    if statement.guard and not found:
                        return False
                    sent = len(batch) if batch is not None else 0
                    if statement.unmatched is not None and found != sent:
                        raise StoreError(statement.unmatched.format(missing=sent - int(found or 0)))
            tx.run(_NEW_VERSION)
            return True

        with self._errors(plan.failure, unchanged=True), self._driver.session(database=self.database) as session:
            return bool(session.execute_write(work))

    def version(self) -> str:
        """A token every committed write replaces, in the graph itself, so every process sees it."""
        with self._errors("Neo4j could not say which version of the graph it holds"):
            records, _, _ = self._driver.execute_query(_VERSION, database_=self.database, routing_=RoutingControl.READ)
        return str(records[0][0]) if records and records[0][0] is not None else "0"

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
                    session.run(_NEW_VERSION).consume()
                    return

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._driver.close()

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    # -- plumbing -------------------------------------------------------------------------

    @contextmanager
    def _errors(
        self, failure: str, *, unchanged: bool = False, refusal: Callable[[str], StoreError] = StoreError
    ) -> Iterator[None]:
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
            raise refusal(f"{failure}{suffix}. Neo4j said: {error.message or _first_line(error)}") from None
        except StoreError as error:
            raise refusal(f"{failure}{suffix}. {error}") from None
        except DriverError as error:
            raise refusal(f"{failure}{suffix}: {_first_line(error)}") from None

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


def _sent(statement: Statement, batch: list[Row] | None) -> tuple[str, dict[str, Any]]:
    """The text and parameters to send: rows as value lists where the statement has a list form
    (the driver packs every map's keys again, row after row: about half of what it packs)."""
    if batch is None or statement.list_cypher is None:
        return statement.cypher, statement.bound(batch)
    return statement.list_cypher, {**statement.params, "rows": statement.records(batch)}


def _batches(statement: Statement) -> Iterator[list[Row] | None]:
    if statement.rows is None:
        yield None
        return
    for start in range(0, len(statement.rows), BATCH_ROWS):
        yield list(statement.rows[start : start + BATCH_ROWS])


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


# The store's version: one node outside the schema (no query of the catalogue reads it, counts
# leave it out), its token replaced in the transaction of every write.
_NEW_VERSION = "MERGE (v:PolicykgVersion {id: 'store'}) SET v.token = randomUUID()"
_VERSION = "OPTIONAL MATCH (v:PolicykgVersion {id: 'store'}) RETURN v.token"
