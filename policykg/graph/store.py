"""The one store protocol both backends implement, and the rows a write carries.

Ingest (``policykg.ingest``) is the only code that builds :class:`DocumentRows` and calls
the write methods; everything else reads through :meth:`GraphStore.read` with a
catalogued query name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from policykg.errors import StoreError, StoreUnavailable

__all__ = ["DocumentRows", "GraphRows", "GraphStore", "StoreError", "StoreUnavailable"]

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


@runtime_checkable
class GraphStore(Protocol):
    dialect: Dialect

    def read(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run the catalogued read query ``name`` with ``params`` bound as parameters."""
        ...

    def write_document(self, rows: DocumentRows) -> None:
        """Atomically replace the document ``rows.doc_id`` (or create it)."""
        ...

    def upsert_reference(self, rows: GraphRows) -> None:
        """Merge reference data (agency registry, industry dictionary) idempotently."""
        ...

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and everything it owns; False when there was none."""
        ...

    def counts(self) -> dict[str, int]:
        """Node count per label and relationship count per type."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship (tests, ``policykg reset``)."""
        ...

    def close(self) -> None: ...
