"""The one store protocol both backends implement: a store only executes.

A store runs Cypher it is given (:meth:`GraphStore.execute_read`) and write plans
(:meth:`GraphStore.execute_write`): ordered statements run in one transaction through the
backend's own transaction runner. It knows nothing of query names, the catalogue or
settings; :mod:`policykg.queries` looks named queries up, binds their parameters and builds
the write plans (``policykg.queries.writes``).

>>> plan = WritePlan("The sample could not be written", (Statement("MATCH (n:Agency) DETACH DELETE n"),))
>>> plan.row_count(), WritePlan.from_json(plan.to_json()) == plan
(0, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Literal, Protocol, Self, runtime_checkable

from policykg.errors import StoreError, StoreUnavailable

__all__ = [
    "ClosingStore",
    "DocumentRows",
    "GraphRows",
    "GraphStore",
    "ReadFailed",
    "Statement",
    "StoreError",
    "StoreUnavailable",
    "WritePlan",
]

Dialect = Literal["embedded", "neo4j"]
Row = dict[str, Any]


@dataclass(slots=True)
class GraphRows:
    """Node rows per label and relationship rows per type.

    A node row holds every property of its label in :data:`policykg.graph.schema.NODES`
    (absent ones as None). A relationship row holds ``"from"`` and ``"to"`` (the key of
    each end node) and the type's properties.
    """

    nodes: dict[str, list[Row]] = field(default_factory=dict)
    rels: dict[str, list[Row]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(map(len, self.rels.values()))


@dataclass(slots=True)
class DocumentRows:
    """Everything one document writes.

    ``owned`` rows (its Document node, sections, measures, targets and every relationship
    from or to them) replace any earlier version of the document; ``shared`` rows
    (agencies, industries, documents it implements) are merged and never deleted with it.
    """

    doc_id: str
    owned: GraphRows
    shared: GraphRows


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a write plan.

    ``rows``, when given, is bound as ``$rows`` (an ``UNWIND $rows AS r …`` statement); a
    backend may send them in batches. ``unmatched`` makes the statement's single returned
    count a check: it must equal the rows sent, else the plan fails with that sentence
    (``{missing}`` is the shortfall). ``guard`` stops the plan, successfully and with
    nothing more run, when the statement's first value is false or zero.
    ``copy_table`` lets a backend bulk-load ``rows`` into that table (a node label or
    relationship type of the schema) instead of running the statement (LadybugDB's ``COPY``).
    ``list_cypher`` is the same statement over rows sent as lists of values in ``columns``
    order (``r[0]``, ``r[1]``, …): a backend may send :meth:`records` with it instead
    (Neo4j's driver packs a map's keys again in every row; lists halve what it packs).
    """

    cypher: str
    params: Mapping[str, Any] = field(default_factory=dict)
    rows: tuple[Row, ...] | None = None
    unmatched: str | None = None
    guard: bool = False
    copy_table: str | None = None
    columns: tuple[str, ...] | None = None
    list_cypher: str | None = None

    def bound(self, rows: list[Row] | tuple[Row, ...] | None = None) -> dict[str, Any]:
        """The parameters to send, with ``rows`` (or this statement's own) as ``$rows``."""
        params = dict(self.params)
        if self.rows is not None:
            params["rows"] = list(rows if rows is not None else self.rows)
        return params

    def records(self, rows: list[Row] | tuple[Row, ...] | None = None) -> list[list[Any]]:
        """``rows`` (or this statement's own) as lists of values in ``columns`` order, for ``list_cypher``.

        >>> Statement("…", rows=({"id": "a", "n": 1},), columns=("n", "id"), list_cypher="…").records()
        [[1, 'a']]
        """
        if self.columns is None:
            raise ValueError("This statement has no columns to send its rows as lists.")
        chosen = rows if rows is not None else self.rows or ()
        if len(self.columns) == 1:
            (column,) = self.columns
            return [[row[column]] for row in chosen]
        values = itemgetter(*self.columns)
        # (lists, not tuples: the driver packs a tuple through its slow fallback)
        return [list(values(row)) for row in chosen]

    def to_json(self) -> dict[str, Any]:
        return {
            "cypher": self.cypher,
            "params": dict(self.params),
            "rows": list(self.rows) if self.rows is not None else None,
            "unmatched": self.unmatched,
            "guard": self.guard,
            "copy_table": self.copy_table,
            "columns": list(self.columns) if self.columns is not None else None,
            "list_cypher": self.list_cypher,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Statement:
        rows = data.get("rows")
        return cls(
            cypher=data["cypher"],
            params=dict(data.get("params") or {}),
            rows=tuple(rows) if rows is not None else None,
            unmatched=data.get("unmatched"),
            guard=bool(data.get("guard")),
            copy_table=data.get("copy_table"),
            columns=tuple(columns) if (columns := data.get("columns")) is not None else None,
            list_cypher=data.get("list_cypher"),
        )


@dataclass(frozen=True, slots=True)
class WritePlan:
    """Statements a store runs in order in ONE transaction: all of them, or none.

    ``failure`` is the sentence a failed plan's error starts with ("The document X could
    not be written"). ``subject`` names what the plan writes, for logs. ``recovery`` is the
    plan a store runs instead when it reopens after a crash and cannot finish this one.
    """

    failure: str
    statements: tuple[Statement, ...]
    subject: str = ""
    recovery: WritePlan | None = None

    def row_count(self) -> int:
        """Rows the plan could bulk-load (what decides the embedded store's COPY path)."""
        return sum(len(s.rows or ()) for s in self.statements if s.copy_table)

    def to_json(self) -> dict[str, Any]:
        return {
            "failure": self.failure,
            "subject": self.subject,
            "statements": [s.to_json() for s in self.statements],
            "recovery": self.recovery.to_json() if self.recovery is not None else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WritePlan:
        recovery = data.get("recovery")
        return cls(
            failure=data["failure"],
            statements=tuple(Statement.from_json(s) for s in data["statements"]),
            subject=data.get("subject") or "",
            recovery=cls.from_json(recovery) if recovery else None,
        )


class ReadFailed(StoreError):
    """The engine refused a read; :meth:`named` puts the query's name into the sentence.

    >>> str(ReadFailed("failed on Neo4j. Neo4j said: boom").named("documents"))
    'The query documents failed on Neo4j. Neo4j said: boom'
    """

    def __init__(self, rest: str) -> None:
        super().__init__(f"The query {rest}")
        self.rest = rest

    def named(self, name: str) -> StoreError:
        return StoreError(f"The query {name} {self.rest}")


class ClosingStore:
    """A store as a context manager: ``with EmbeddedStore(path) as store: …`` closes it."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@runtime_checkable
class GraphStore(Protocol):
    dialect: Dialect
    # Reads slower than this many milliseconds are logged (by policykg.queries); None: never.
    slow_query_ms: float | None

    def execute_read(self, cypher: str, params: Mapping[str, Any]) -> list[Row]:
        """Run one read statement with ``params`` bound as parameters; rows of plain values."""
        ...

    def execute_write(self, plan: WritePlan) -> bool:
        """Run ``plan`` in one transaction; False when a guard stopped it, :class:`StoreError` when it failed
        (the store then unchanged)."""
        ...

    def counts(self) -> dict[str, int]:
        """Node count per label and relationship count per type."""
        ...

    def version(self) -> str:
        """A token every committed write replaces, seen by every process ("0" before any write)."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship (tests, ``policykg reset``)."""
        ...

    def close(self) -> None: ...
