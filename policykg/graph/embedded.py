"""The embedded store: LadybugDB in one directory, the default backend.

A write plan (:class:`~policykg.graph.store.WritePlan`, built by ``policykg.queries.writes``)
runs in one explicit transaction; any error rolls the whole transaction back, so a document
is either fully replaced or left as it was.

Two ways to run a plan's bulk-loadable statements (a document's owned rows), chosen by size
(measured on this machine):

* up to ``bulk_rows`` rows (every real document so far): ``UNWIND $rows … CREATE`` with
  parameters. The transaction goes to the write-ahead log and commits in milliseconds
  (a 62-measure document: about 70 ms in all).
* larger documents: ``COPY … FROM`` a temporary CSV file, about six times faster per row
  but its COMMIT checkpoints the whole database (some 0.7 s, whatever the size). A kill -9
  during that COMMIT can keep the deletions and lose the copied rows (LadybugDB 0.22; a
  rewritten document came back without sections or measures), so these writes first leave
  their plan in a journal file (``pending/``, fsynced before the transaction starts,
  removed once it ends) and opening the store for writing finishes any plan a journal is
  left for, or runs the plan's ``recovery`` (the document is removed) when it cannot; each
  outcome is logged at WARNING and kept in ``recovery_notes``. After a crash the document
  is the old version or the new one, never a mix.

One process may hold a store for writing; a second one gets :class:`StoreUnavailable`.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(tmp) as store:
...     (store.counts()["Measure"], store.execute_read("RETURN $x AS x", {"x": 1}))
(0, [{'x': 1}])
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import ladybug

from policykg.errors import StoreError, StoreUnavailable
from policykg.graph import key_index
from policykg.graph.rows import plain_value
from policykg.graph.schema import NODES, RELS, check_table
from policykg.graph.store import ClosingStore, Dialect, ReadFailed, Row, Statement, WritePlan

log = logging.getLogger(__name__)

DB_FILE = "graph.lbug"
# A token the writer replaces after every committed write: readers in other processes (the
# workers of ``policykg serve --workers N``) see the store changed and reopen it, and cached
# answers are keyed by it.
VERSION_FILE = "version"
JOURNAL_DIR = "pending"
# Above this many owned rows a document is bulk-loaded with COPY (see the module docstring).
BULK_ROWS = 2000
_SAFE_PATH = re.compile(r"^[\w./-]+$")
# Options that make COPY read our CSV exactly as written: no dialect sniffing, one thread
# (a quoted value may span lines), an unquoted empty field is NULL and "" is ''.
_CSV_OPTIONS = "(HEADER=false, DELIM=',', QUOTE='\"', ESCAPE='\"', AUTO_DETECT=false, PARALLEL=false)"


class EmbeddedStore(ClosingStore):
    """A :class:`~policykg.graph.store.GraphStore` on LadybugDB in ``directory``."""

    dialect: Dialect = "embedded"

    def __init__(
        self,
        directory: str | Path,
        *,
        read_only: bool = False,
        buffer_pool_mb: int = 512,
        bulk_rows: int = BULK_ROWS,
        slow_query_ms: float | None = None,
        key_bucket_rows: int = key_index.TARGET_ROWS,
    ) -> None:
        self.directory = Path(directory)
        self.key_bucket_rows = key_bucket_rows
        # Whether pages may be read through the key index (policykg.graph.key_index): it files
        # every assignment. A store opened read-only that predates it pages by scanning instead.
        self.keeps_key_index = False
        self.bulk_rows = bulk_rows
        self.read_only = read_only
        self.buffer_pool_mb = buffer_pool_mb
        self.slow_query_ms = slow_query_ms
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
            self._complete_key_index()
        if not self._schema_problem:
            self.keeps_key_index = self._key_index_complete()

    # -- protocol -------------------------------------------------------------------------

    def execute_read(self, cypher: str, params: Mapping[str, Any]) -> list[Row]:
        """Run one read statement; values are bound as parameters, never spliced."""
        with self._lock:
            self._usable()
            try:
                result = self._conn.execute(cypher, dict(params))
            except RuntimeError as error:
                raise ReadFailed(f"failed on the embedded store: {self._engine_said(error)}") from None
            if isinstance(result, list):
                raise ReadFailed("holds several statements; a catalogued query is one.")
            columns = result.get_column_names()
            return [dict(zip(columns, (plain_value(v) for v in row), strict=True)) for row in result.get_all()]

    def execute_write(self, plan: WritePlan) -> bool:
        """Run ``plan`` in one transaction (see the module docstring for the bulk path and its journal)."""
        with self._lock:
            self._usable(writing=True)
            try:
                if plan.row_count() <= self.bulk_rows:
                    return self._write(plan, bulk=False)
                journal = self._journal(plan)
                try:
                    return self._write(plan, bulk=True)
                finally:
                    journal.unlink(missing_ok=True)
            finally:
                self._new_version()

    def version(self) -> str:
        """A token that changes with every write, also one made by another process ("0" before any).

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(tmp) as store:
        ...     before = store.version()
        ...     store.clear()
        ...     before == "0", store.version() != before
        (True, True)
        """
        try:
            return (self.directory / VERSION_FILE).read_text(encoding="ascii").strip() or "0"
        except (OSError, UnicodeDecodeError):
            return "0"

    def _new_version(self) -> None:
        # Written even when a write failed and rolled back: a spare new version only costs a
        # cache refill, a missed one would serve stale answers.
        scratch = self.directory / (VERSION_FILE + ".tmp")
        scratch.write_text(uuid.uuid4().hex, encoding="ascii")
        os.replace(scratch, self.directory / VERSION_FILE)

    def _write(self, plan: WritePlan, *, bulk: bool) -> bool:
        with self._transaction(plan.failure) as spool:
            for statement in plan.statements:
                if bulk and statement.copy_table and statement.rows:
                    self._copy(statement, spool)
                    continue
                result = self._all(statement.cypher, statement.bound())
                found = result[0][0] if result and result[0] else None
                if statement.guard and not found:
                    return False
                if statement.unmatched is not None and found != len(statement.rows or ()):
                    missing = len(statement.rows or ()) - int(found or 0)
                    raise StoreError(statement.unmatched.format(missing=missing))
            index = _IndexIO(self, spool, bulk=bulk)
            assigned = [row for s in plan.statements if s.copy_table == "ASSIGNED" for row in s.rows or ()]
            if assigned:
                key_index.file_assignments(index, assigned, target=self.key_bucket_rows)
            if any("DELETE" in s.cypher for s in plan.statements):
                key_index.drop_empty_buckets(index)
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
                for rel_type in [*key_index.REL_TABLES, *RELS]:
                    self._run(f"DROP TABLE IF EXISTS {rel_type}")
                for label in [*key_index.NODE_TABLES, *NODES]:
                    self._run(f"DROP TABLE IF EXISTS {label}")
                self._create_schema()
                self._schema_problem = self._find_schema_problem()
                self.keeps_key_index = not self._schema_problem
                self._new_version()
                return
            try:
                with self._transaction("The store could not be cleared"):
                    for label in [*key_index.NODE_TABLES, *NODES]:
                        self._run(f"MATCH (n:{label}) DETACH DELETE n")
            finally:
                self._new_version()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._conn.close()
            self._db.close()

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
                raise StoreError(
                    f"{failure}; the store is unchanged. The engine said: {self._engine_said(error)}"
                ) from None
            if isinstance(error, StoreError):
                raise StoreError(f"{failure}; the store is unchanged. {error}") from None
            raise
        finally:
            shutil.rmtree(spool, ignore_errors=True)

    def _engine_said(self, error: RuntimeError) -> str:
        """The engine's message, with what to do when it is one a setting cures."""
        message = str(error)
        if "buffer pool is full" in message:
            # Aggregates over every assignment (the workload list at a million measures) need
            # more page cache than the default; only the operator can grant it.
            return (
                f"{message} The engine's page cache ({self.buffer_pool_mb} MiB) is too small for this; "
                f"set POLICYKG_BUFFER_POOL_MB to a larger value, e.g. {self.buffer_pool_mb * 4}, and start again."
            )
        return message

    def _rollback(self) -> None:
        # After an engine error the engine has already rolled the transaction back itself.
        with suppress(RuntimeError):
            self._conn.execute("ROLLBACK")

    def _copy(self, statement: Statement, spool: Path) -> None:
        """Bulk-load a statement's rows from a CSV file, columns in the order :meth:`_create_schema` made them."""
        table = statement.copy_table or ""
        check_table(table)
        columns = _table_columns(table)
        self._copy_records(table, [[row.get(c) for c in columns] for row in statement.rows or ()], spool)

    def _copy_records(self, table: str, records: list[list[Any]], spool: Path) -> None:
        """COPY value lists (in the table's column order) into ``table`` from a scratch CSV file."""
        path = spool / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            out.writelines(",".join(map(_csv_field, record)) + "\n" for record in records)
        if not _SAFE_PATH.match(str(path)):
            raise StoreError(
                f"The scratch file path {path} has characters COPY cannot take; set TMPDIR to a plain path."
            )
        self._run(f"COPY {table} FROM '{path}' {_CSV_OPTIONS}")

    # -- crash journal --------------------------------------------------------------------

    def _journal(self, plan: WritePlan) -> Path:
        """The plan on disk (fsynced) before the transaction that runs it starts."""
        folder = self.directory / JOURNAL_DIR
        folder.mkdir(exist_ok=True)
        path = folder / (hashlib.sha1(plan.failure.encode("utf-8")).hexdigest() + ".json")
        scratch = path.with_suffix(".tmp")
        text = json.dumps(plan.to_json(), ensure_ascii=False)  # dumps, not dump: the C encoder, 10x faster here
        with scratch.open("w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(scratch, path)
        _fsync_directory(folder)
        return path

    def _finish_interrupted_writes(self) -> None:
        """Redo every plan a killed process left a journal for (idempotent: a finished one stays).

        A plan that cannot be finished runs its ``recovery`` plan instead (a document is
        removed). Each outcome is logged at WARNING and kept in ``recovery_notes``."""
        folder = self.directory / JOURNAL_DIR
        if not folder.is_dir():
            return
        for scratch in folder.glob("*.tmp"):
            scratch.unlink(missing_ok=True)  # killed while journalling: its transaction never began
        for path in sorted(folder.glob("*.json")):
            try:
                plan = WritePlan.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                self._note(f"The journal {path.name} could not be read; it was dropped.")
                path.unlink(missing_ok=True)
                continue
            subject = plan.subject or plan.failure
            try:
                self._write(plan, bulk=True)
                self._note(f"Finished writing {subject}, interrupted when a process stopped.")
            except StoreError as error:
                removed = plan.recovery is not None and self._recover(plan.recovery)
                outcome = "it was removed" if removed else "it was left as it was"
                self._note(f"Could not finish writing {subject} ({error}); {outcome}.")
            path.unlink(missing_ok=True)

    def _recover(self, plan: WritePlan) -> bool:
        try:
            return self._write(plan, bulk=False)
        except StoreError:
            return False

    def _note(self, note: str) -> None:
        log.warning("%s: %s", self.directory, note)
        self.recovery_notes.append(note)

    # -- schema ---------------------------------------------------------------------------

    def _create_schema(self) -> None:
        nodes: dict[str, tuple[dict[str, str], str]] = {n: (dict(s.properties), s.key) for n, s in NODES.items()}
        nodes.update({label: (props, "id") for label, props in key_index.NODE_TABLES.items()})
        rels = {t: (r.source, r.target, dict(r.properties)) for t, r in RELS.items()} | key_index.REL_TABLES
        for label, (node_props, key) in nodes.items():
            columns = ", ".join(f"{name} {kind}" for name, kind in node_props.items())
            self._run(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY({key}))")
        for rel_type, (source, target, rel_props) in rels.items():
            props = "".join(f", {name} {kind}" for name, kind in rel_props.items())
            self._run(f"CREATE REL TABLE IF NOT EXISTS {rel_type}(FROM {source} TO {target}{props})")

    # -- key index ------------------------------------------------------------------------

    def _key_index_complete(self) -> bool:
        try:
            filed = self._scalar("MATCH ()-[f:FILED]->() RETURN count(f)")
        except RuntimeError:  # no such table: a store written before the index, opened read-only
            return False
        return bool(filed == self._scalar("MATCH ()-[r:ASSIGNED]->() RETURN count(r)"))

    def _complete_key_index(self) -> None:
        """File every assignment again when the key index misses some (a store written before it,
        or bulk-loaded around the store); logged, since at a million measures it takes a minute.

        A group of agencies per transaction, so memory stays bounded; an index left half built
        (a failure, a kill) is incomplete by its count and built again on the next writable open,
        and meanwhile pages are read by scanning. A failure is logged, not raised: the store
        still opens."""
        if self._key_index_complete():
            return
        log.warning("%s: building the key index of agency pages (once)", self.directory)
        try:
            with self._transaction("The key index could not be emptied") as spool:
                io = _IndexIO(self, spool, bulk=True)
                key_index.drop_all(io)
                groups = key_index.rebuild_groups(io)
            for group in groups:
                with self._transaction("The key index could not be built") as spool:
                    key_index.file_agencies(_IndexIO(self, spool, bulk=True), group, target=self.key_bucket_rows)
        except StoreError as error:
            self._note(f"{error} Agency pages are read by scanning until it is built on a later opening.")

    def _find_schema_problem(self) -> str | None:
        """A sentence when the tables on disk differ from the schema (an older policykg built them)."""
        tables = {row[1]: row[2] for row in self._all("CALL show_tables() RETURN *")}
        expected: dict[str, dict[str, str]] = {label: dict(spec.properties) for label, spec in NODES.items()}
        expected.update({t: dict(spec.properties) for t, spec in RELS.items()})
        if not self.read_only or "FILED" in tables:
            # (a store written before the key index still reads, by scanning: see _key_index_complete)
            expected.update(key_index.NODE_TABLES)
            expected.update({t: dict(props) for t, (_, _, props) in key_index.REL_TABLES.items()})
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


class _IndexIO:
    """The key index's view of an open write transaction: statements, and FILED rows by COPY
    (bulk writes) or by one UNWIND."""

    def __init__(self, store: EmbeddedStore, spool: Path, *, bulk: bool) -> None:
        self.store, self.spool, self.bulk = store, spool, bulk

    def rows(self, cypher: str, params: dict[str, Any]) -> list[list[Any]]:
        return self.store._all(cypher, params)

    def file(self, records: list[list[Any]]) -> None:
        if self.bulk:
            self.store._copy_records("FILED", records, self.spool)
            return
        rows = [dict(zip(key_index.FILED_COLUMNS, record, strict=True)) for record in records]
        # A column None in every row reaches LadybugDB typed STRING; a NULL literal is typeless.
        value = {c: f"r.{c}" if any(row[c] is not None for row in rows) else "NULL" for c in ("as_written", "position")}
        found = self.store._all(
            "UNWIND $rows AS r MATCH (b:KeyBucket {id: r.from}) MATCH (m:Measure {id: r.to}) "
            f"CREATE (b)-[:FILED {{role: r.role, as_written: {value['as_written']}, position: {value['position']}, "
            "sort_key: r.sort_key}]->(m) RETURN count(*)",
            {"rows": rows},
        )
        if found[0][0] != len(rows):
            raise StoreError(f"The key index filed {found[0][0]} of {len(rows)} assignments.")


def _table_columns(table: str) -> tuple[str, ...]:
    if table in NODES:
        return tuple(NODES[table].properties)
    return ("from", "to", *RELS[table].properties)


def _csv_field(value: Any) -> str:
    if value.__class__ is str:  # most fields: one class test (bulk loads write every field here)
        return '"' + (value.replace('"', '""') if '"' in value else value) + '"'
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
