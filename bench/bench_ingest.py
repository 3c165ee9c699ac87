"""Ingest throughput of both stores against the engine's own fastest way to take the same rows.

* embedded: ``writes.write_documents`` as ``policykg load`` writes, several documents per
  transaction (about ``ingest.BATCH_ROWS`` rows: delete the old versions, merge shared rows,
  COPY the owned ones) against one bulk COPY per table of the same records (the floor), the two
  taking turns over ``ROUNDS`` rounds and compared by their best times; one document per
  transaction is timed too, for comparison;
* Neo4j: the same batches against a raw driver ``UNWIND … CREATE`` of the same rows at the same
  batch size (one transaction per batch, one UNWIND per table), and a sample of several documents
  against one transaction per row; both contenders warmed alike (see :func:`bench_neo4j`).

The rows come from the synthetic corpus (bench/synth.py) through the real parser and
ingest; building them is not timed. Times are wall seconds (the engines work in their own
threads or process), so run on a quiet machine; the ratios compare runs made one after another.

    .venv/bin/python bench/bench_ingest.py [--documents 20] [--neo4j bolt://…]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from common import progress, reference, row_count, synthetic_rows

from policykg.graph import key_index
from policykg.graph.rows import node_records, rel_records
from policykg.graph.schema import DOCUMENT_OWNED, NODE_ORDER, NODES, REL_ORDER, RELS
from policykg.graph.store import DocumentRows, GraphRows
from policykg.ingest import BATCH_ROWS
from policykg.queries import writes

# Timed rounds of the embedded contest (store and bulk COPY take turns; best times compared). With
# four, three runs of `make bench` in a row on 7 Dec gave 0.49, 0.60 and 0.72: each side swings ±20%.
ROUNDS = 6
CSV_OPTIONS = "(HEADER=false, DELIM=',', QUOTE='\"', ESCAPE='\"', AUTO_DETECT=false, PARALLEL=false)"


def _csv_field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        value = "[" + ",".join(str(v) for v in value) + "]"
    return '"' + str(value).replace('"', '""') + '"'


def _write_csv(path: Path, records: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.writelines(",".join(map(_csv_field, record)) + "\n" for record in records)


def _owned_tables(rows: DocumentRows) -> list[tuple[str, list[list[Any]]]]:
    # The Document node too: the store merges it, raw COPY creates it like the other owned rows.
    tables = [
        (label, node_records(label, rows.owned.nodes[label]))
        for label in NODE_ORDER
        if (label in DOCUMENT_OWNED or label == "Document") and rows.owned.nodes.get(label)
    ]
    tables += [(t, rel_records(t, rows.owned.rels[t])) for t in REL_ORDER if rows.owned.rels.get(t)]
    return tables


def bench_embedded(documents: list[DocumentRows], workdir: Path) -> dict[str, Any]:
    """The store's write path against one bulk COPY per table of the same rows (the engine's floor)."""
    import ladybug

    from policykg.graph.embedded import DB_FILE, EmbeddedStore

    ref = reference()
    assert isinstance(ref, GraphRows)

    def prepared(name: str) -> Path:
        # Same schema and reference rows for every contender, made by the store itself.
        directory = workdir / name
        with EmbeddedStore(directory) as store:
            writes.upsert_reference(store, ref)
        return directory

    with EmbeddedStore(prepared("store-per-document")) as store:
        started = time.perf_counter()
        for rows in documents:
            writes.write_document(store, rows)
        per_document_s = time.perf_counter() - started
    progress(f"  embedded store, one document per transaction: {per_document_s:.2f} s")

    def raw_copy(name: str, batches: list[list[tuple[str, list[list[Any]]]]]) -> tuple[float, int]:
        directory = prepared(name)
        # The store's own engine settings (a 512 MB buffer pool), so only the work differs.
        db = ladybug.Database(str(directory / DB_FILE), buffer_pool_size=512 * 1024 * 1024)
        conn = ladybug.Connection(db)
        spool = Path(tempfile.mkdtemp(prefix="bench-copy-", dir=workdir))
        started = time.perf_counter()
        for number, tables in enumerate(batches):
            # One transaction per batch, as the store does per document (each COPY alone would
            # commit and checkpoint on its own, several times slower).
            conn.execute("BEGIN TRANSACTION")
            for table, records in tables:
                path = spool / f"{table}-{number}.csv"
                _write_csv(path, records)
                conn.execute(f"COPY {table} FROM '{path}' {CSV_OPTIONS}")
            conn.execute("COMMIT")
        seconds = time.perf_counter() - started
        result: Any = conn.execute("MATCH (m:Measure) RETURN count(m)")
        measures = result.get_all()[0][0]
        conn.close()
        db.close()
        return seconds, int(measures)

    per_doc = [_owned_tables(rows) for rows in documents]
    merged: dict[str, list[list[Any]]] = {}
    for tables in per_doc:
        for table, records in tables:
            merged.setdefault(table, []).extend(records)
    order = [label for label in NODE_ORDER if label in merged] + [t for t in REL_ORDER if t in merged]
    # The store also files every assignment in its key index (policykg.graph.key_index): one bulk
    # COPY of everything the store then holds copies those rows too.
    assigned = [row for rows in documents for row in rows.owned.rels.get("ASSIGNED", [])]
    index_tables = key_index.first_filing(assigned)
    bulk_batches = [
        [(table, merged[table]) for table in order if table in NODES]
        + index_tables[:1]
        + [(table, merged[table]) for table in order if table not in NODES]
        + index_tables[1:]
    ]

    def store_run(name: str) -> tuple[float, dict[str, int]]:
        with EmbeddedStore(prepared(name)) as store:
            # As `policykg load` writes: several documents per transaction (about BATCH_ROWS rows).
            started = time.perf_counter()
            for group in batches(documents):
                assert writes.write_documents(store, group) == [None] * len(group)
            seconds = time.perf_counter() - started
            return seconds, store.counts()

    # Half a second each on a shared machine: one run of each swung the ratio 0.41-0.69 between
    # runs of the same code. The two take turns (each goes first as often), each into a fresh
    # store, and their best times are compared (other processes only ever add time).
    store_times: list[float] = []
    bulk_times: list[float] = []
    store_counts: dict[str, int] = {}
    bulk_measures = 0
    for round_number in range(ROUNDS):
        contenders = ("store", "bulk") if round_number % 2 == 0 else ("bulk", "store")
        for contender in contenders:
            if contender == "store":
                seconds, store_counts = store_run(f"store-{round_number}")
                store_times.append(seconds)
            else:
                seconds, bulk_measures = raw_copy(f"raw-bulk-{round_number}", bulk_batches)
                bulk_times.append(seconds)
    store_s, bulk_s = min(store_times), min(bulk_times)
    progress(f"  embedded store, batches of about {BATCH_ROWS} rows: best {store_s:.2f} s of {ROUNDS}")
    progress(f"  raw bulk COPY: best {bulk_s:.2f} s of {ROUNDS}")
    assert bulk_measures == store_counts["Measure"], (bulk_measures, store_counts)
    rows_written = row_count(documents)
    return {
        "documents": len(documents),
        "measures": store_counts["Measure"],
        "rows": rows_written,
        "key_index_rows": sum(len(records) for _, records in index_tables),
        "store_s": round(store_s, 3),
        "store_path": f"write_documents, batches of about {BATCH_ROWS} rows",
        "store_per_document_s": round(per_document_s, 3),
        "raw_copy_bulk_s": round(bulk_s, 3),
        "rounds": ROUNDS,
        "store_s_median": round(statistics.median(store_times), 3),
        "raw_copy_bulk_s_median": round(statistics.median(bulk_times), 3),
        "store_rows_per_s": round(rows_written / store_s),
        "ratio_vs_raw_copy_bulk": round(bulk_s / store_s, 3),
    }


def batches(documents: list[DocumentRows], batch_rows: int = BATCH_ROWS) -> list[list[DocumentRows]]:
    """The documents in groups of about ``batch_rows`` rows, as ``policykg load`` writes them."""
    groups: list[list[DocumentRows]] = [[]]
    rows_in_group = 0
    for rows in documents:
        if rows_in_group >= batch_rows:
            groups.append([])
            rows_in_group = 0
        groups[-1].append(rows)
        rows_in_group += rows.owned.count() + rows.shared.count()
    return [group for group in groups if group]


def _merged(group: list[DocumentRows]) -> DocumentRows:
    """One document's worth of rows holding a whole group's (for the raw contenders)."""
    nodes = {label: [r for rows in group for r in rows.owned.nodes.get(label, [])] for label in NODE_ORDER}
    rels = {rel_type: [r for rows in group for r in rows.owned.rels.get(rel_type, [])] for rel_type in REL_ORDER}
    return DocumentRows(group[0].doc_id, GraphRows(nodes, rels), GraphRows())


def _unwind_statements(rows: DocumentRows) -> list[tuple[str, list[dict[str, Any]]]]:
    statements = []
    for label in NODE_ORDER:
        if (label in DOCUMENT_OWNED or label == "Document") and rows.owned.nodes.get(label):
            statements.append((f"UNWIND $rows AS r CREATE (n:{label}) SET n = r", rows.owned.nodes[label]))
    for rel_type in REL_ORDER:
        rel_rows = rows.owned.rels.get(rel_type)
        if not rel_rows:
            continue
        spec = RELS[rel_type]
        query = (
            f"UNWIND $rows AS r MATCH (a:{spec.source} {{{NODES[spec.source].key}: r.from}}) "
            f"MATCH (b:{spec.target} {{{NODES[spec.target].key}: r.to}}) "
            f"CREATE (a)-[x:{rel_type}]->(b) SET x = r.props"
        )
        params = [
            {"from": r["from"], "to": r["to"], "props": {k: v for k, v in r.items() if k not in ("from", "to")}}
            for r in rel_rows
        ]
        statements.append((query, params))
    return statements


def bench_neo4j(
    documents: list[DocumentRows],
    uri: str,
    per_row_documents: int = 4,
    *,
    warmup: list[DocumentRows] | None = None,
    warmup_rounds: int = 10,
    rounds: int = 6,
) -> dict[str, Any]:
    """The store's write path against raw UNWIND at the same batch size, and against one transaction per row.

    What makes the comparisons fair:

    * same rows, same database: every contender writes the owned rows of the same documents into
      a database holding the reference data and a base of ``warmup`` documents but the first two
      (others than the timed ones, written by raw first), after the documents the run before
      wrote are removed. Its size changes by about half at most between runs, below the
      statistics divergence at which Neo4j plans a statement again (a database emptied before
      every run had every statement planned again each ten seconds, and the contender with
      more statements paid more, unlike in a real load);
    * warmed alike, to the server's steady state: before any timing, store and raw take turns
      writing the first two ``warmup`` documents ``warmup_rounds`` times each, beside the base.
      A fresh JVM runs the first rounds several times slower (its JIT compiles, and Neo4j
      interprets a plan's expressions until it has run about ten times, then compiles them),
      and whoever ran then would pay for it. Every statement text a contender sends is planned
      and compiled there (Neo4j caches plans by text; a store whose texts changed with the data
      would pay for planning again, as it would in a real load);
    * store against raw UNWIND: the documents in the groups ``policykg load`` makes
      (about ``ingest.BATCH_ROWS`` rows), one transaction per group for both; raw sends each
      table's rows as maps in one ``UNWIND $rows … CREATE`` per batch of the store's
      ``neo4j_store.BATCH_ROWS`` rows. The store's time is all of ``write_documents``: the read
      that tells a first load, the deletions of previous versions, the merges of shared rows,
      the counts that refuse missing end nodes, the version token. Each is timed ``rounds``
      times, taking turns (store first in even rounds, raw first in odd ones, as often each, so
      neither always follows the other's garbage), and their best times are compared: on this shared machine
      other processes only ever add time, so each contender's least disturbed run is the
      closest to its own cost (as ``timeit`` advises); the medians are recorded beside them;
    * store against one transaction per row: the first ``per_row_documents`` documents (about
      360 rows each, enough that the store's time is throughput, not one statement's overhead),
      written by the store as one batch, as ``policykg load`` would (median of ``rounds``), against
      one managed transaction per row of the raw statements above, in one session, timed once
      (hundreds of transactions average the noise out). Its statements were planned in the warm-up.
    """
    from neo4j import GraphDatabase

    from policykg.graph.neo4j_store import BATCH_ROWS as STATEMENT_ROWS
    from policykg.graph.neo4j_store import Neo4jStore

    if warmup is None:
        # Without others, the timed documents themselves (their texts are then planned already).
        warmup = documents
    ref = reference()
    assert isinstance(ref, GraphRows)
    store = Neo4jStore(uri)
    driver = GraphDatabase.driver(uri, auth=None, notifications_min_severity="OFF")
    Statements = list[tuple[str, list[dict[str, Any]]]]

    def run_all(tx: Any, statements: Statements) -> None:
        for query, params in statements:
            for start in range(0, len(params), STATEMENT_ROWS):
                tx.run(query, rows=params[start : start + STATEMENT_ROWS]).consume()

    written: list[str] = []  # the documents of the last run, removed before the next one

    def remove_written() -> None:
        def remove(tx: Any) -> None:
            for label in DOCUMENT_OWNED:
                tx.run(f"MATCH (n:{label}) WHERE n.doc_id IN $ids DETACH DELETE n", ids=written).consume()
            tx.run("MATCH (d:Document) WHERE d.id IN $ids DETACH DELETE d", ids=written).consume()

        if written:
            with driver.session(database="neo4j") as session:
                session.execute_write(remove)
            written.clear()

    def timed_store(groups: list[list[DocumentRows]]) -> float:
        remove_written()
        started = time.perf_counter()
        for group in groups:
            assert writes.write_documents(store, group) == [None] * len(group)
        seconds = time.perf_counter() - started
        written.extend(rows.doc_id for group in groups for rows in group)
        return seconds

    def timed_raw(groups: list[list[DocumentRows]], statements: list[Statements] | None = None) -> float:
        remove_written()
        with driver.session(database="neo4j") as session:
            started = time.perf_counter()
            for batch in statements or [_unwind_statements(_merged(group)) for group in groups]:
                session.execute_write(run_all, batch)
            seconds = time.perf_counter() - started
        written.extend(rows.doc_id for group in groups for rows in group)
        return seconds

    try:
        groups = batches(documents)
        # The raw contender at the same batch size: one transaction per group, one UNWIND per table.
        raw_batches = [_unwind_statements(_merged(group)) for group in groups]
        started = time.perf_counter()
        store.clear()
        writes.upsert_reference(store, ref)
        # The base first (written by raw, it stays unless it is the timed documents themselves), so
        # that the plans the warm-up makes are made for a database of the size the runs see.
        base = warmup[2:] if len(warmup) > 2 else []
        timed_raw(batches(base))
        kept = base if {rows.doc_id for rows in base}.isdisjoint(rows.doc_id for rows in documents) else []
        if kept:
            written.clear()
        for _ in range(warmup_rounds):
            timed_store(batches(warmup[:2]))
            timed_raw(batches(warmup[:2]))
        progress(
            f"  warm-up: a base of {len(base)} other documents, then {warmup_rounds} rounds of store and raw "
            f"on 2 more: {time.perf_counter() - started:.1f} s"
        )

        store_times: list[float] = []
        unwind_times: list[float] = []
        counts: dict[str, dict[str, int]] = {}
        for number in range(rounds):
            for contender in ("store", "raw") if number % 2 == 0 else ("raw", "store"):
                if contender == "store":
                    store_times.append(timed_store(groups))
                else:
                    unwind_times.append(timed_raw(groups, raw_batches))
                counts[contender] = store.counts()
        store_counts, unwind_counts = counts["store"], counts["raw"]
        assert unwind_counts["Measure"] == store_counts["Measure"], (unwind_counts, store_counts)
        assert unwind_counts["ASSIGNED"] == store_counts["ASSIGNED"], (unwind_counts, store_counts)
        store_s, unwind_s = min(store_times), min(unwind_times)
        store_median_s, unwind_median_s = statistics.median(store_times), statistics.median(unwind_times)
        progress(
            f"  Neo4j store: {len(documents)} documents in {len(groups)} transactions, best of {rounds} "
            f"{store_s:.2f} s (median {store_median_s:.2f} s); raw UNWIND {unwind_s:.2f} s "
            f"(median {unwind_median_s:.2f} s)"
        )

        sample = documents[:per_row_documents]
        sample_times = [timed_store([sample]) for _ in range(rounds)]
        sample_store_s = statistics.median(sample_times)
        single_rows = [
            (query, [row]) for rows in sample for query, params in _unwind_statements(rows) for row in params
        ]
        remove_written()
        with driver.session(database="neo4j") as session:
            started = time.perf_counter()
            for query, params in single_rows:
                session.execute_write(run_all, [(query, params)])
            per_row_s = time.perf_counter() - started
        progress(
            f"  {len(sample)} documents, {len(single_rows)} rows: store {sample_store_s:.3f} s (one batch), "
            f"one transaction per row {per_row_s:.2f} s"
        )
    finally:
        driver.close()
        store.close()
    rows_written = row_count(documents)
    sample_rows = row_count(sample)
    return {
        "documents": len(documents),
        "measures": sum(len(rows.owned.nodes.get("Measure", [])) for rows in documents),
        "rows": rows_written,
        "database": f"reference data and {len(kept)} other documents beside the ones written",
        "store_s": round(store_s, 3),
        "store_runs_s": [round(t, 3) for t in store_times],
        "store_path": f"write_documents, batches of about {BATCH_ROWS} rows",
        "batches": len(groups),
        "raw_unwind_s": round(unwind_s, 3),
        "raw_unwind_runs_s": [round(t, 3) for t in unwind_times],
        "timing": f"best of {rounds} rounds taking turns, after {warmup_rounds + 1} warm-up rounds each",
        "store_median_s": round(store_median_s, 3),
        "raw_unwind_median_s": round(unwind_median_s, 3),
        "ratio_of_medians": round(unwind_median_s / store_median_s, 3),
        "store_rows_per_s": round(rows_written / store_s),
        "ratio_vs_raw_unwind": round(unwind_s / store_s, 3),
        "per_row_sample_documents": len(sample),
        "per_row_sample_rows": sample_rows,
        "per_row_s": round(per_row_s, 3),
        "store_sample_s": round(sample_store_s, 3),
        "speedup_vs_transaction_per_row": round(per_row_s / sample_store_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20, help="Synthetic documents of --measures each.")
    parser.add_argument("--per-row-documents", type=int, default=4, help="Neo4j: the per-row sample, in documents.")
    parser.add_argument("--measures", type=int, default=60)
    parser.add_argument("--neo4j", default=None, help="Bolt URI of a Neo4j to use (it is cleared!).")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    # As many again for Neo4j's warm-up: documents other than the timed ones.
    documents = synthetic_rows(2 * args.documents, args.measures)
    warmup, documents = documents[args.documents :], documents[: args.documents]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        results: dict[str, Any] = {"embedded": bench_embedded(documents, Path(tmp))}
    if args.neo4j:
        results["neo4j"] = bench_neo4j(documents, args.neo4j, args.per_row_documents, warmup=warmup)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
