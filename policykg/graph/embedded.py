"""The embedded store: LadybugDB in one directory, the default backend.

A document is written in one explicit transaction: the old version's owned nodes are
detached and deleted, shared rows (agencies, industries, documents it implements) are
merged, and the owned rows created. Any error rolls the whole transaction back, so a
document is either fully replaced or left as it was.

Two ways to create the owned rows, chosen by size (measured on this machine):

* up to ``bulk_rows`` rows (every real document so far): ``UNWIND $rows … CREATE`` with
  parameters. The transaction goes to the write-ahead log and commits in milliseconds
  (a 62-measure document: about 70 ms in all).
* larger documents: ``COPY … FROM`` a temporary CSV file, about six times faster per row
  but its COMMIT checkpoints the whole database (some 0.7 s, whatever the size). A kill -9
  during that COMMIT can keep the deletions and lose the copied rows (LadybugDB 0.22; a
  rewritten document came back without sections or measures), so these writes first leave
  their rows in a journal file (``pending/``, fsynced before the transaction starts,
  removed once it ends) and opening the store for writing finishes any write a journal is
  left for. After a crash the document is the old version or the new one, never a mix.

One process may hold a store for writing; a second one gets :class:`StoreUnavailable`.

>>> import tempfile
>>> from policykg.queries.catalogue import Catalogue
>>> with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(tmp, catalogue=Catalogue()) as store:
...     store.counts()["Measure"]
0
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import ladybug

from policykg.errors import StoreError, StoreUnavailable
from policykg.graph.rows import (
    check_document_rows,
    check_graph_rows,
    full_node_row,
    full_rel_row,
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

DB_FILE = "graph.lbug"
JOURNAL_DIR = "pending"
# Above this many owned rows a document is bulk-loaded with COPY (see the module docstring).
BULK_ROWS = 2000
_SAFE_PATH = re.compile(r"^[\w./-]+$")
# Options that make COPY read our CSV exactly as written: no dialect sniffing, one thread
# (a quoted value may span lines), an unquoted empty field is NULL and "" is ''.
_CSV_OPTIONS = "(HEADER=false, DELIM=',', QUOTE='\"', ESCAPE='\"', AUTO_DETECT=false, PARALLEL=false)"


class EmbeddedStore:
    """A :class:`~policykg.graph.store.GraphStore` on LadybugDB in ``directory``."""

    dialect: Dialect = "embedded"

    def __init__(
        self,
        directory: str | Path,
        *,
        catalogue: Catalogue | None = None,
        read_only: bool = False,
        buffer_pool_mb: int = 512,
        bulk_rows: int = BULK_ROWS,
    ) -> None:
        self.directory = Path(directory)
        self.bulk_rows = bulk_rows
        self.read_only = read_only
        self.catalogue = catalogue if catalogue is not None else Catalogue.load_default()
        self._lock = threading.RLock()
        self._schema_problem: str | None = None
        db_path = self.directory / DB_FILE
        if read_only and not db_path.exists():
            raise StoreUnavailable(f"There is no store at {self.directory} yet; load documents into it first.")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(
                f"The store directory {self.directory} cannot be created: {error.strerror}."
            ) from None
        try:
            self._db = ladybug.Database(
                str(db_path),
                read_only=read_only,
                buffer_pool_size=buffer_pool_mb * 1024 * 1024,
                # A kill -9 mid-commit leaves a torn last WAL record; replay up to it (dropping
                # that unfinished transaction) instead of refusing to open the store.
                throw_on_wal_replay_failure=False,
            )
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as error:
            raise _open_error(self.directory, error) from None
        self._closed = False
        self.recovery_notes: list[str] = []
        if not read_only:
            self._create_schema()
        self._schema_problem = self._find_schema_problem()
        if not read_only and not self._schema_problem:
            self._finish_interrupted_writes()

    # -- protocol -------------------------------------------------------------------------

    def read(self, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run the catalogued query ``name``; values are bound as parameters, never spliced."""
        text, bound = prepare_read(self.catalogue, name, params, self.dialect)
        with self._lock:
            self._usable()
            try:
                result = self._conn.execute(text, bound)
            except RuntimeError as error:
                raise StoreError(f"The query {name} failed on the embedded store: {error}") from None
            if isinstance(result, list):
                raise StoreError(f"The query {name} holds several statements; a catalogued query is one.")
            columns = result.get_column_names()
            return [dict(zip(columns, (plain_value(v) for v in row), strict=True)) for row in result.get_all()]

    def write_document(self, rows: DocumentRows) -> None:
        """Replace the document ``rows.doc_id`` in one transaction (see the module docstring)."""
        check_document_rows(rows)
        with self._lock:
            self._usable(writing=True)
            if _owned_rows(rows) <= self.bulk_rows:
                self._write(rows, bulk=False)
                return
            journal = self._journal(rows)
            try:
                self._write(rows, bulk=True)
            finally:
                journal.unlink(missing_ok=True)

    def _write(self, rows: DocumentRows, *, bulk: bool) -> None:
        create_nodes = self._copy_nodes if bulk else self._create_nodes
        create_rels = self._copy_rels if bulk else self._create_rels
        with self._transaction(f"The document {rows.doc_id} could not be written") as spool:
            old_targets = self._implemented_by(rows.doc_id)
            self._delete_owned(rows.doc_id)
            self._merge_nodes(rows.shared, overwrite=False)
            self._merge_nodes(GraphRows(nodes={"Document": rows.owned.nodes.get("Document", [])}), overwrite=True)
            for label in NODE_ORDER:
                if label in DOCUMENT_OWNED and rows.owned.nodes.get(label):
                    create_nodes(label, rows.owned.nodes[label], spool)
            for rel_type in REL_ORDER:
                if rows.owned.rels.get(rel_type):
                    create_rels(rel_type, rows.owned.rels[rel_type], spool)
            self._merge_rels(rows.shared)
            self._drop_orphan_stubs(old_targets)

    def upsert_reference(self, rows: GraphRows) -> None:
        """Merge registry and dictionary rows; their properties overwrite what is stored."""
        check_graph_rows(rows, what="reference")
        with self._lock, self._transaction("The reference data could not be written"):
            self._merge_nodes(rows, overwrite=True)
            self._merge_rels(rows)

    def delete_document(self, doc_id: str) -> bool:
        """Remove a loaded document and all it owns; a document others implement stays as a stub."""
        with self._lock:
            self._usable()
            found = self._scalar("MATCH (d:Document {id: $id}) RETURN d.loaded", {"id": doc_id})
            if not found:
                return False
            with self._transaction(f"The document {doc_id} could not be deleted"):
                old_targets = self._implemented_by(doc_id)
                self._delete_owned(doc_id)
                cited = self._scalar(
                    "MATCH (:Document)-[r:IMPLEMENTS]->(d:Document {id: $id}) RETURN count(r)", {"id": doc_id}
                )
                if cited:
                    self._run(_STUB_RESET, {"id": doc_id})
                else:
                    self._run("MATCH (d:Document {id: $id}) DETACH DELETE d", {"id": doc_id})
                self._drop_orphan_stubs(old_targets)
            return True

    def counts(self) -> dict[str, int]:
        """Node count per label and relationship count per type, zeros included."""
        with self._lock:
            self._usable()
            out = {label: int(self._scalar(f"MATCH (n:{label}) RETURN count(n)") or 0) for label in NODES}
            for rel_type in RELS:
                out[rel_type] = int(self._scalar(f"MATCH ()-[r:{rel_type}]->() RETURN count(r)") or 0)
            return out

    def clear(self) -> None:
        """Delete everything; a store built with another schema is rebuilt with this one."""
        with self._lock:
            self._check_open()
            if self._schema_problem:
                for rel_type in RELS:
                    self._run(f"DROP TABLE IF EXISTS {rel_type}")
                for label in NODES:
                    self._run(f"DROP TABLE IF EXISTS {label}")
                self._create_schema()
                self._schema_problem = self._find_schema_problem()
                return
            with self._transaction("The store could not be cleared"):
                for label in NODES:
                    self._run(f"MATCH (n:{label}) DETACH DELETE n")

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._conn.close()
            self._db.close()

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.directory)!r})"

    # -- writing --------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, failure: str) -> Iterator[Path]:
        """One explicit transaction with a scratch directory for COPY files; any error rolls back."""
        self._usable(writing=True)
        spool = Path(tempfile.mkdtemp(prefix="policykg-copy-"))
        self._run("BEGIN TRANSACTION")
        try:
            yield spool
            self._run("COMMIT")
        except BaseException as error:
            self._rollback()
            if isinstance(error, RuntimeError):
                raise StoreError(f"{failure}; the store is unchanged. The engine said: {error}") from None
            if isinstance(error, StoreError):
                raise StoreError(f"{failure}; the store is unchanged. {error}") from None
            raise
        finally:
            shutil.rmtree(spool, ignore_errors=True)

    def _rollback(self) -> None:
        # After an engine error the engine has already rolled the transaction back itself.
        with suppress(RuntimeError):
            self._conn.execute("ROLLBACK")

    def _delete_owned(self, doc_id: str) -> None:
        for label in DOCUMENT_OWNED:
            self._run(f"MATCH (n:{label}) WHERE n.doc_id = $doc_id DETACH DELETE n", {"doc_id": doc_id})
        self._run("MATCH (d:Document {id: $doc_id})-[r]->() DELETE r", {"doc_id": doc_id})

    def _implemented_by(self, doc_id: str) -> list[str]:
        rows = self._all("MATCH (:Document {id: $id})-[:IMPLEMENTS]->(t:Document) RETURN t.id", {"id": doc_id})
        return [row[0] for row in rows]

    def _drop_orphan_stubs(self, candidates: list[str]) -> None:
        if candidates:
            self._run(_ORPHAN_STUBS, {"ids": candidates})

    def _merge_nodes(self, rows: GraphRows, *, overwrite: bool) -> None:
        for label in NODE_ORDER:
            node_rows = rows.nodes.get(label)
            if not node_rows:
                continue
            check_label(label)
            key = NODES[label].key
            assigns = ", ".join(
                f"n.{col} = {_cast('r.' + col, NODES[label].properties[col])}"
                for col in node_columns(label)
                if col != key
            )
            action = "SET" if overwrite else "ON CREATE SET"
            query = f"UNWIND $rows AS r MERGE (n:{label} {{{key}: r.{key}}}) {action} {assigns}"
            self._run(query, {"rows": [full_node_row(label, row) for row in node_rows]})

    def _merge_rels(self, rows: GraphRows) -> None:
        for rel_type in REL_ORDER:
            if rows.rels.get(rel_type):
                self._link(rel_type, rows.rels[rel_type], "MERGE")

    def _create_rels(self, rel_type: str, rel_rows: list[Row], spool: Path) -> None:
        self._link(rel_type, rel_rows, "CREATE")

    def _link(self, rel_type: str, rel_rows: list[Row], verb: str) -> None:
        """MERGE or CREATE relationships by end-node keys; a row naming a missing node fails the write."""
        check_rel_type(rel_type)
        spec = RELS[rel_type]
        props = rel_columns(rel_type)
        assigns = " SET " + ", ".join(f"x.{p} = {_cast('r.' + p, spec.properties[p])}" for p in props) if props else ""
        query = (
            f"UNWIND $rows AS r MATCH (a:{spec.source} {{{NODES[spec.source].key}: r.from}}) "
            f"MATCH (b:{spec.target} {{{NODES[spec.target].key}: r.to}}) "
            f"{verb} (a)-[x:{rel_type}]->(b){assigns} RETURN count(*)"
        )
        linked = self._scalar(query, {"rows": [full_rel_row(rel_type, row) for row in rel_rows]})
        if linked != len(rel_rows):
            raise StoreError(f"{len(rel_rows) - int(linked or 0)} {rel_type} rows name a node that does not exist.")

    def _create_nodes(self, label: str, node_rows: list[Row], spool: Path) -> None:
        check_label(label)
        spec = NODES[label]
        values = ", ".join(f"{c}: {_cast('r.' + c, spec.properties[c])}" for c in node_columns(label))
        self._run(
            f"UNWIND $rows AS r CREATE (n:{label} {{{values}}})", {"rows": [full_node_row(label, r) for r in node_rows]}
        )

    def _copy_nodes(self, label: str, node_rows: list[Row], spool: Path) -> None:
        check_label(label)
        self._copy(label, node_records(label, node_rows), spool)

    def _copy_rels(self, rel_type: str, rel_rows: list[Row], spool: Path) -> None:
        check_rel_type(rel_type)
        self._copy(rel_type, rel_records(rel_type, rel_rows), spool)

    def _copy(self, table: str, records: list[list[Any]], spool: Path) -> None:
        path = spool / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            out.writelines(",".join(map(_csv_field, record)) + "\n" for record in records)
        if not _SAFE_PATH.match(str(path)):
            raise StoreError(
                f"The scratch file path {path} has characters COPY cannot take; set TMPDIR to a plain path."
            )
        self._run(f"COPY {table} FROM '{path}' {_CSV_OPTIONS}")

    # -- crash journal --------------------------------------------------------------------

    def _journal(self, rows: DocumentRows) -> Path:
        """The rows on disk (fsynced) before the transaction that writes them starts."""
        folder = self.directory / JOURNAL_DIR
        folder.mkdir(exist_ok=True)
        path = folder / (hashlib.sha1(rows.doc_id.encode("utf-8")).hexdigest() + ".json")
        scratch = path.with_suffix(".tmp")
        data = {
            "doc_id": rows.doc_id,
            "owned": {"nodes": rows.owned.nodes, "rels": rows.owned.rels},
            "shared": {"nodes": rows.shared.nodes, "rels": rows.shared.rels},
        }
        text = json.dumps(data, ensure_ascii=False)  # dumps, not dump: the C encoder, 10x faster here
        with scratch.open("w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(scratch, path)
        _fsync_directory(folder)
        return path

    def _finish_interrupted_writes(self) -> None:
        """Redo every write a killed process left a journal for (idempotent: a finished one stays)."""
        folder = self.directory / JOURNAL_DIR
        if not folder.is_dir():
            return
        for scratch in folder.glob("*.tmp"):
            scratch.unlink(missing_ok=True)  # killed while journalling: its transaction never began
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                rows = DocumentRows(data["doc_id"], GraphRows(**data["owned"]), GraphRows(**data["shared"]))
            except (OSError, ValueError, KeyError, TypeError):
                path.unlink(missing_ok=True)
                continue
            try:
                self._write(rows, bulk=True)
                self.recovery_notes.append(f"Finished writing {rows.doc_id}, interrupted when a process stopped.")
            except StoreError as error:
                self.recovery_notes.append(f"Could not finish writing {rows.doc_id} ({error}); it was removed.")
                with suppress(StoreError):
                    self.delete_document(rows.doc_id)
            path.unlink(missing_ok=True)

    # -- schema ---------------------------------------------------------------------------

    def _create_schema(self) -> None:
        for label, spec in NODES.items():
            columns = ", ".join(f"{name} {kind}" for name, kind in spec.properties.items())
            self._run(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY({spec.key}))")
        for rel_type, rel in RELS.items():
            props = "".join(f", {name} {kind}" for name, kind in rel.properties.items())
            self._run(f"CREATE REL TABLE IF NOT EXISTS {rel_type}(FROM {rel.source} TO {rel.target}{props})")

    def _find_schema_problem(self) -> str | None:
        """A sentence when the tables on disk differ from the schema (an older policykg built them)."""
        tables = {row[1]: row[2] for row in self._all("CALL show_tables() RETURN *")}
        expected: dict[str, dict[str, str]] = {label: dict(spec.properties) for label, spec in NODES.items()}
        expected.update({t: dict(spec.properties) for t, spec in RELS.items()})
        for table, props in expected.items():
            if table not in tables:
                return f"The store at {self.directory} has no table {table}"
            found = {row[1]: row[2] for row in self._all(f"CALL table_info('{table}') RETURN *")}
            if found != props:
                return f"The store at {self.directory} has another layout of {table} than this version of policykg"
        return None

    # -- plumbing -------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"The store at {self.directory} is closed.")

    def _usable(self, *, writing: bool = False) -> None:
        self._check_open()
        if self._schema_problem:
            raise StoreError(
                f"{self._schema_problem}; empty it with `policykg reset --yes` and load the documents again."
            )
        if writing and self.read_only:
            raise StoreError(f"The store at {self.directory} is open read-only.")

    def _run(self, query: str, params: dict[str, Any] | None = None) -> Any:
        return self._conn.execute(query, params or {})

    def _all(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        result = self._run(query, params)
        return list(result.get_all())

    def _scalar(self, query: str, params: dict[str, Any] | None = None) -> Any:
        rows = self._all(query, params)
        return rows[0][0] if rows else None


_STUB_RESET = (
    "MATCH (d:Document {id: $id}) SET d.title = coalesce(d.doc_number, d.title), d.issuer = NULL, "
    "d.date_written = NULL, d.date_issued = NULL, d.date_published = NULL, d.year = NULL, d.source = NULL, "
    "d.attachments = NULL, d.loaded = false"
)
_ORPHAN_STUBS = (
    "MATCH (t:Document) WHERE t.id IN $ids AND t.loaded = false "
    "AND NOT EXISTS { MATCH (:Document)-[:IMPLEMENTS]->(t) } DETACH DELETE t"
)


def _owned_rows(rows: DocumentRows) -> int:
    return rows.owned.count()


def _cast(expr: str, kind: str) -> str:
    # Parameter lists whose values are all None reach the engine typed as STRING.
    return f"CAST({expr} AS {kind})"


def _csv_field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace('"', '""') + '"'


def _fsync_directory(folder: Path) -> None:
    # The rename that publishes a journal is durable only once its directory is synced.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _open_error(directory: Path, error: RuntimeError) -> StoreError:
    message = str(error)
    if "lock" in message.lower():
        pid = re.search(r"PID (\d+)", message)
        holder = f"process {pid.group(1)}" if pid else "another process"
        return StoreUnavailable(
            f"The store at {directory} is in use by another process ({holder} holds it for writing); "
            "wait for it to finish or stop it."
        )
    return StoreError(f"The store at {directory} cannot be opened: {message.splitlines()[0]}")
