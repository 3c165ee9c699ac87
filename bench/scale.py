"""The scale curve: load time, store size, peak memory and query latency at 10k, 100k and 1M measures.

    .venv/bin/python bench/run.py --scale                      # 10k, 100k, 1M; embedded and Neo4j
    .venv/bin/python bench/run.py --scale --sizes 10000,100000 # a shorter curve
    .venv/bin/python bench/run.py --scale --stores embedded    # one store only

For each size the synthetic corpus (bench/synth.py, 60 measures a document) is written as
.txt files once, then every store loads it in a fresh process of its own (``worker`` below),
so the peak resident memory (``getrusage``) is that of one load and its queries alone:

* load: ``policykg.ingest.load_files`` into an empty store — the path ``policykg load`` takes —
  timed from the first file to the last commit, with progress lines as it goes;
* store size: the bytes the store's directory takes on disk (for Neo4j, its data directory);
* peak RSS: of the loading and querying Python process, of its largest child process (parallel
  parsers, when the loader uses them), and for Neo4j of the JVM (VmHWM);
* latency: p50 and p99 of the five catalogue queries of bench/bench_queries.py, run through
  ``policykg.queries`` as the API runs them, after the load, in the same process.

Neo4j, where feasible, gets the same data by the fastest path for an empty database: the
embedded store of that size exported with ``policykg export --graph full --format csv`` and
imported with ``neo4j-admin database import full`` (bench/neo4j_import.py); the queries are
timed there. Up to ``--neo4j-bolt-max`` measures it is also loaded through Bolt
(``load_files`` on :class:`Neo4jStore`, the ``policykg load --neo4j`` path) for the load time.
Above ``--neo4j-max`` (100k by default) Neo4j is left out and scale.json says why: the export
builds the whole graph in networkx first, several GB at 1M measures on a shared machine, and
through Bolt the load runs at a few thousand rows a second (hours for ~6 million rows). The
results go to bench/scale.json and the chart to bench/scale.png.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import BENCH_DIR, code_version, directory_mb, machine, peak_rss_mb, progress, upsert_reference

ROOT = BENCH_DIR.parent
PY = sys.executable
MEASURES_PER_DOCUMENT = 60
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUERY_LABELS = ("agency_page", "workload", "agency_profile", "measure_search", "agency_path")


# ---------------------------------------------------------------------------------- worker


def write_corpus(directory: Path, measures: int, seed: int = 13) -> list[Path]:
    """The synthetic corpus of ``measures`` measures as .txt files (kept and reused when already complete)."""
    from synth import default_agency_names, generate_document

    documents = math.ceil(measures / MEASURES_PER_DOCUMENT)
    done = directory / ".complete"
    paths = [directory / f"synth-{index:06d}.txt" for index in range(documents)]
    if done.exists() and done.read_text() == str(documents):
        return paths
    directory.mkdir(parents=True, exist_ok=True)
    names = default_agency_names()
    started = time.monotonic()
    for index, path in enumerate(paths):
        size = min(MEASURES_PER_DOCUMENT, measures - index * MEASURES_PER_DOCUMENT)
        path.write_text(generate_document(index + 1, measures=size, seed=seed, agencies=names).text, encoding="utf-8")
        if (index + 1) % 2000 == 0:
            progress(f"  corpus: {index + 1:,}/{documents:,} documents written")
    done.write_text(str(documents))
    progress(f"  corpus: {documents:,} documents written in {time.monotonic() - started:.0f} s")
    return paths


def open_store(backend: str, store_dir: Path, uri: str | None) -> Any:
    if backend == "neo4j":
        from policykg.graph.neo4j_store import Neo4jStore

        assert uri is not None
        return Neo4jStore(uri)
    from policykg.graph.embedded import EmbeddedStore

    return EmbeddedStore(store_dir)


def load_corpus(store: Any, paths: list[Path]) -> dict[str, Any]:
    """``load_files`` over the corpus in chunks (a progress line after each); seconds, documents, failures."""
    import inspect

    from policykg.ingest import load_files

    # Parallel parsing where the library offers it (load_files(jobs=…), as `policykg load` uses).
    options: dict[str, Any] = {}
    if "jobs" in inspect.signature(load_files).parameters:
        options["jobs"] = os.cpu_count() or 1
    chunk = max(1000, len(paths) // 10)
    documents = failures = measures = 0
    started = time.monotonic()
    for first in range(0, len(paths), chunk):
        report = load_files(paths[first : first + chunk], store, progress=False, **options)
        documents += len(report.documents)
        failures += len(report.failures)
        measures += report.measures
        elapsed = time.monotonic() - started
        progress(
            f"  load: {first + len(paths[first : first + chunk]):,}/{len(paths):,} files, "
            f"{measures:,} measures, {elapsed:.0f} s ({measures / max(elapsed, 1e-9):,.0f} measures/s)"
        )
    return {
        "seconds": round(time.monotonic() - started, 1),
        "documents": documents,
        "failures": failures,
        "measures_reported": measures,
        "path": f"policykg.ingest.load_files (policykg load), {options.get('jobs', 1)} parsing process(es)",
    }


_READER: Any = None


def _init_reader() -> None:
    global _READER
    from policykg.loaders.industries import IndustryDictionary
    from policykg.loaders.registry import AgencyRegistry

    _READER = (AgencyRegistry.load_default(), IndustryDictionary.load_default())


def _read_rows(path: Path) -> Any:
    from policykg.ingest import document_rows
    from policykg.loaders import parse_file

    registry, industries = _READER
    return document_rows(parse_file(path, registry=registry, industries=industries), registry, industries)


def load_corpus_copy(store_dir: Path, paths: list[Path], jobs: int) -> dict[str, Any]:
    """The engine's floor: parse in ``jobs`` processes, stream the owned rows to one CSV per table, one COPY each.

    Shared rows (agencies outside the registry, industries) are merged through the store first.
    No per-document atomicity: this is what the library's own load is compared with, and the
    fastest way to a store of a million measures on this machine.
    """
    import multiprocessing

    import ladybug
    from bench_ingest import CSV_OPTIONS, _csv_field, _owned_tables

    from policykg.graph.embedded import DB_FILE, EmbeddedStore
    from policykg.graph.schema import NODE_ORDER, NODES, REL_ORDER
    from policykg.graph.store import GraphRows
    from policykg.ingest import reference_rows
    from policykg.loaders.industries import IndustryDictionary
    from policykg.loaders.registry import AgencyRegistry

    spool = store_dir.parent / f"{store_dir.name}-csv"
    shutil.rmtree(spool, ignore_errors=True)
    spool.mkdir(parents=True)
    files: dict[str, Any] = {}
    shared_nodes: dict[str, dict[str, Any]] = {}
    shared_rels: dict[str, dict[tuple[str, str], Any]] = {}
    owned_documents: set[str] = set()
    measures = 0
    started = time.monotonic()
    with multiprocessing.get_context("spawn").Pool(jobs, initializer=_init_reader) as pool:
        for index, rows in enumerate(pool.imap(_read_rows, paths, chunksize=16)):
            owned_documents.add(rows.doc_id)
            measures += len(rows.owned.nodes.get("Measure", []))
            for table, records in _owned_tables(rows):
                out = files.get(table) or files.setdefault(table, (spool / f"{table}.csv").open("w", encoding="utf-8"))
                out.writelines(",".join(map(_csv_field, record)) + "\n" for record in records)
            for label, node_rows in rows.shared.nodes.items():
                for row in node_rows:
                    shared_nodes.setdefault(label, {}).setdefault(row[NODES[label].key], row)
            for rel_type, rel_rows in rows.shared.rels.items():
                for row in rel_rows:
                    shared_rels.setdefault(rel_type, {}).setdefault((row["from"], row["to"]), row)
            if (index + 1) % max(1, len(paths) // 20) == 0:
                elapsed = time.monotonic() - started
                progress(
                    f"  parse: {index + 1:,}/{len(paths):,} files, {measures:,} measures, {elapsed:.0f} s "
                    f"({measures / max(elapsed, 1e-9):,.0f} measures/s)"
                )
    for out in files.values():
        out.close()
    parsed_s = time.monotonic() - started
    corpus_mb = sum(path.stat().st_size for path in paths) / 1024 / 1024
    if "Document" in shared_nodes:  # a cited document that is loaded too is written once, as loaded
        shared_nodes["Document"] = {k: v for k, v in shared_nodes["Document"].items() if k not in owned_documents}
    shared = GraphRows(
        nodes={label: list(rows.values()) for label, rows in shared_nodes.items() if rows},
        rels={rel_type: list(rows.values()) for rel_type, rows in shared_rels.items()},
    )
    with EmbeddedStore(store_dir) as store:
        upsert_reference(store, reference_rows(AgencyRegistry.load_default(), IndustryDictionary.load_default()))
        upsert_reference(store, GraphRows(nodes=shared.nodes))
    db = ladybug.Database(str(store_dir / DB_FILE), buffer_pool_size=1024 * 1024 * 1024)
    conn = ladybug.Connection(db)
    try:
        for table in [t for t in NODE_ORDER if t in files] + [t for t in REL_ORDER if t in files]:
            copy_started = time.monotonic()
            conn.execute(f"COPY {table} FROM '{spool / (table + '.csv')}' {CSV_OPTIONS}")
            progress(f"  COPY {table}: {time.monotonic() - copy_started:.1f} s")
    finally:
        conn.close()
        db.close()
    # Opened for writing, the store also files the copied assignments in its key index.
    with EmbeddedStore(store_dir, buffer_pool_mb=2048) as store:
        if shared.rels:
            upsert_reference(store, GraphRows(rels=shared.rels))
    shutil.rmtree(spool, ignore_errors=True)
    return {
        "seconds": round(time.monotonic() - started, 1),
        "parse_s": round(parsed_s, 1),
        "corpus_mb": round(corpus_mb, 1),
        "parse_mb_s_all_processes": round(corpus_mb / parsed_s, 2),
        "documents": len(owned_documents),
        "failures": 0,
        "measures_reported": measures,
        "path": f"bench bulk path: parse in {jobs} processes, one LadybugDB COPY per table (no per-document atomicity)",
    }


def worker(args: argparse.Namespace) -> int:
    """Load one size into one store and time the queries; writes a JSON file."""
    from bench_queries import time_queries

    store_dir = args.store_dir
    load: dict[str, Any] = {}
    if args.load:
        paths = write_corpus(args.corpus, args.measures)
        if args.backend == "embedded" and store_dir.exists():
            shutil.rmtree(store_dir)
    store = open_store(args.backend, store_dir, args.neo4j)
    try:
        if args.load:
            if args.backend == "neo4j":
                store.clear()
            progress(f"{args.backend} {args.measures:,}: loading {len(paths):,} documents ({args.loader})")
            if args.loader == "copy" and args.backend == "embedded":
                store.close()
                shutil.rmtree(store_dir)
                load = load_corpus_copy(store_dir, paths, os.cpu_count() or 1)
                store = open_store(args.backend, store_dir, args.neo4j)
            else:
                load = load_corpus(store, paths)
        counts = store.counts()
        rows = sum(counts.values())
        if load:
            load["measures_per_s"] = round(counts["Measure"] / load["seconds"])
            load["rows_per_s"] = round(rows / load["seconds"])
            progress(f"{args.backend} {args.measures:,}: loaded in {load['seconds']:.0f} s")
        if args.queries:
            progress(f"{args.backend} {args.measures:,}: timing the five queries (up to {args.budget:.0f} s each)")
            queries = time_queries(store, repeat=args.repeat, budget_s=args.budget)
            failed = [label for label in QUERY_LABELS if "error" in queries.get(label, {})]
            if failed and args.backend == "embedded":
                # Again with a buffer pool four times the store's default, to say what the query needs.
                store.close()
                from policykg.graph.embedded import EmbeddedStore

                store = EmbeddedStore(store_dir, read_only=True, buffer_pool_mb=4 * 512)
                progress(f"{args.backend} {args.measures:,}: {', '.join(failed)} again with a 2 GiB buffer pool")
                again = time_queries(store, repeat=args.repeat, budget_s=args.budget, only=failed)
                queries["with_2gib_buffer_pool"] = {label: again[label] for label in failed}
    finally:
        store.close()
    result = {
        "backend": args.backend,
        "measures": counts["Measure"],
        "nodes_and_relationships": rows,
        "counts": counts,
        "load": load or None,
        "store_mb": directory_mb(store_dir) if args.backend == "embedded" else None,
        "peak_rss_mb": peak_rss_mb(),
    }
    if args.queries:
        result["queries"] = queries
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


# ---------------------------------------------------------------------------------- driver


def run_worker(
    backend: str,
    measures: int,
    workdir: Path,
    *,
    neo4j_uri: str | None,
    repeat: int,
    budget: float,
    nice: int,
    flags: tuple[str, ...] = (),
) -> dict[str, Any]:
    out = workdir / f"{backend}-{measures}{''.join(flags).replace(' ', '')}.json"
    command = [
        PY,
        str(Path(__file__).resolve()),
        "worker",
        "--backend",
        backend,
        "--measures",
        str(measures),
        "--corpus",
        str(workdir / f"corpus-{measures}"),
        "--store-dir",
        str(workdir / f"{backend}-{measures}"),
        "--out",
        str(out),
        "--repeat",
        str(repeat),
        "--budget",
        str(budget),
    ]
    if neo4j_uri:
        command += ["--neo4j", neo4j_uri]
    command += list(flags)
    if nice:
        command = ["nice", "-n", str(nice), *command]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    started = time.monotonic()
    completed = subprocess.run(command, cwd=ROOT, env=env)
    if completed.returncode != 0 or not out.exists():
        return {"failed": f"the worker exited with status {completed.returncode}"}
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["worker_wall_s"] = round(time.monotonic() - started, 1)
    return result


def neo4j_run(measures: int, workdir: Path, *, repeat: int, budget: float, nice: int, bolt: bool) -> dict[str, Any]:
    """Neo4j for one size, both ways an empty database can be filled, each in a fresh Neo4j.

    * bulk import (the fastest path for an empty database): the embedded store of the same
      size exported to CSV and imported with ``neo4j-admin database import full``
      (bench/neo4j_import.py); the five queries are timed on this one;
    * when ``bolt``: ``load_files`` through :class:`Neo4jStore` (``policykg load --neo4j``),
      load time only.
    """
    from neo4j_import import import_store

    sys.path.insert(0, str(ROOT / "tests"))
    from fixtures_neo4j import load_neo4j_server_module

    server = load_neo4j_server_module()
    common: dict[str, Any] = {"repeat": repeat, "budget": budget, "nice": nice}
    result: dict[str, Any] = {}
    embedded_dir = workdir / f"embedded-{measures}"
    if embedded_dir.exists():
        home = workdir / f"neo4j-import-{measures}"
        shutil.rmtree(home, ignore_errors=True)
        progress(f"neo4j {measures:,}: export, neo4j-admin import, start, constraints and indexes")
        try:
            imported = import_store(embedded_dir, home, workdir)
        except Exception as error:
            result["import_failed"] = f"{type(error).__name__}: {error}"
        else:
            running = imported.pop("running")
            try:
                result = run_worker("neo4j", measures, workdir, neo4j_uri=running.uri, flags=("--no-load",), **common)
                result["jvm_peak_rss_mb"] = _vm_hwm_mb(running.process.pid)
            finally:
                running.stop()
            result["load"] = {**imported, "path": "policykg export (csv) + neo4j-admin database import full"}
            result["store_mb"] = directory_mb(home / "data")
        shutil.rmtree(home, ignore_errors=True)
    if bolt:
        home = workdir / f"neo4j-bolt-{measures}"
        shutil.rmtree(home, ignore_errors=True)
        try:
            running = server.start_neo4j(home)
        except Exception as error:
            result["bolt_load"] = {"failed": f"Neo4j did not start: {error}"}
        else:
            try:
                loaded = run_worker(
                    "neo4j", measures, workdir, neo4j_uri=running.uri, flags=("--no-queries",), **common
                )
                result["bolt_load"] = loaded.get("load") or loaded
                result["bolt_load_jvm_peak_rss_mb"] = _vm_hwm_mb(running.process.pid)
            finally:
                running.stop()
            result["bolt_store_mb"] = directory_mb(home / "data")
        shutil.rmtree(home, ignore_errors=True)
        if "load" in result and isinstance(result["bolt_load"], dict) and "seconds" in result["bolt_load"]:
            result["import_speedup_vs_bolt_load"] = round(result["bolt_load"]["seconds"] / result["load"]["seconds"], 2)
    return result


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def growth(points: list[dict[str, Any]]) -> dict[str, Any]:
    """For each store and query, p50 at the largest size over p50 at the one before (the done-when ratio)."""
    out: dict[str, Any] = {}
    for backend in ("embedded", "neo4j"):
        measured = [p for p in points if isinstance(p.get(backend), dict) and "queries" in p[backend]]
        if len(measured) < 2:
            continue
        before, last = measured[-2], measured[-1]
        out[backend] = {
            "from_measures": before["measures"],
            "to_measures": last["measures"],
            **{
                label: round(last[backend]["queries"][label]["p50_ms"] / before[backend]["queries"][label]["p50_ms"], 2)
                for label in QUERY_LABELS
                if "p50_ms" in last[backend]["queries"].get(label, {})
                and "p50_ms" in before[backend]["queries"].get(label, {})
            },
        }
    return out


def draw(scale: dict[str, Any], path: Path) -> None:
    """Query p50 against corpus size (log-log), and load time and store size beside it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = scale["points"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.2))
    styles = {"embedded": "-", "neo4j": "--"}
    for backend, style in styles.items():
        for label in QUERY_LABELS:
            xs, ys = [], []
            for point in points:
                data = point.get(backend)
                if isinstance(data, dict) and "p50_ms" in data.get("queries", {}).get(label, {}):
                    xs.append(point["measures"])
                    ys.append(data["queries"][label]["p50_ms"])
            if xs:
                left.plot(xs, ys, style, marker="o", label=f"{label} ({backend})")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("measures in the store")
    left.set_ylabel("p50 latency, ms")
    left.set_title("Catalogue queries: p50 by corpus size")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=7)
    for backend, style in styles.items():
        xs, load, size, rss = [], [], [], []
        for point in points:
            data = point.get(backend)
            if isinstance(data, dict) and isinstance(data.get("load"), dict) and "seconds" in data["load"]:
                xs.append(point["measures"])
                load.append(data["load"]["seconds"])
                size.append(data.get("store_mb") or float("nan"))
                rss.append(data.get("jvm_peak_rss_mb") or (data.get("peak_rss_mb") or {}).get("self") or float("nan"))
        if xs:
            right.plot(xs, load, style, marker="o", label=f"load time, s ({backend})")
            right.plot(xs, size, style, marker="s", label=f"store size, MiB ({backend})")
            who = "JVM" if backend == "neo4j" else "process"
            right.plot(xs, rss, style, marker="^", label=f"peak RSS of the {who}, MiB ({backend})")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("measures in the store")
    right.set_title("Load time, size on disk, peak memory")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=8)
    from matplotlib.ticker import FuncFormatter

    sizes = FuncFormatter(lambda value, _: f"{value / 1e6:g}M" if value >= 1e6 else f"{value / 1e3:g}k")
    for axis in (left, right):
        axis.xaxis.set_major_formatter(sizes)
        axis.xaxis.set_minor_formatter(FuncFormatter(lambda *_: ""))
    fig.suptitle(f"policykg scale curve ({scale['machine']['cores']} cores, {scale['machine']['cpu_model']})")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="Measures per point, comma-separated."
    )
    parser.add_argument("--stores", default="embedded,neo4j", help="embedded, neo4j or both.")
    parser.add_argument("--neo4j-max", type=int, default=100_000, help="Largest size imported into Neo4j.")
    parser.add_argument(
        "--neo4j-bolt-max", type=int, default=100_000, help="Largest size also loaded into Neo4j through Bolt."
    )
    parser.add_argument(
        "--loader",
        choices=("library", "copy"),
        default="library",
        help="Embedded load: library (load_files, as `policykg load`) or copy (bench's parse + one COPY per table).",
    )
    parser.add_argument(
        "--copy-above", type=int, default=10**9, help="Use the copy loader for sizes above this many measures."
    )
    parser.add_argument("--repeat", type=int, default=50, help="Runs per query (after two warm-up runs).")
    parser.add_argument("--budget", type=float, default=20.0, help="Seconds per query series (at least 5 runs).")
    parser.add_argument("--nice", type=int, default=10, help="Niceness of the workers (the machine is shared).")
    parser.add_argument(
        "--workdir", type=Path, default=None, help="Keep corpora and stores here (default: a temp dir)."
    )
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "scale.json")
    parser.add_argument(
        "--update", action="store_true", help="Replace only these sizes' points in an existing --json file."
    )
    parser.add_argument("--chart", type=Path, default=BENCH_DIR / "scale.png")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="policykg-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    scale: dict[str, Any] = {"machine": machine(), "measures_per_document": MEASURES_PER_DOCUMENT, "points": []}
    scale["code"] = code_version()
    earlier: dict[int, dict[str, Any]] = {}
    if args.update and args.json.exists():
        # Keep what this run does not measure (other sizes, other stores): a long point such as
        # 1M on one store can be measured on its own and the curve stays whole.
        earlier = {p["measures"]: p for p in json.loads(args.json.read_text())["points"]}
        scale["points"] = [p for m, p in earlier.items() if m not in sizes]
    try:
        for measures in sizes:
            kept = {k: v for k, v in earlier.get(measures, {}).items() if k not in stores}
            if "code" in kept:  # a point written before runs were recorded per store
                run = {"at": kept.pop("run_at", None), "code": kept.pop("code")}
                for backend in ("embedded", "neo4j"):
                    if backend in kept:
                        kept.setdefault(f"{backend}_run", run)
            point: dict[str, Any] = {"measures": measures, **kept}
            for backend in stores:
                point[f"{backend}_run"] = {
                    "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "code": scale["code"],
                }
            scale["points"].append(point)
            scale["points"].sort(key=lambda p: p["measures"])
            for backend in stores:
                progress(f"scale: {measures:,} measures on {backend}")
                if backend == "neo4j" and measures > args.neo4j_max:
                    point["neo4j"] = {
                        "skipped": (
                            f"not loaded: above --neo4j-max ({args.neo4j_max:,}). Through Bolt the load runs at "
                            "a few thousand rows a second on this machine, so the ~6 million rows of 1M measures "
                            "would take hours; the bulk import's input, `policykg export --graph full`, builds the "
                            "whole graph in networkx first (several GB at this size on a shared machine)."
                        )
                    }
                    continue
                common = {"repeat": args.repeat, "budget": args.budget, "nice": args.nice}
                if backend == "neo4j":
                    point[backend] = neo4j_run(measures, workdir, bolt=measures <= args.neo4j_bolt_max, **common)
                else:
                    loader = "copy" if args.loader == "copy" or measures > args.copy_above else "library"
                    point[backend] = run_worker(
                        backend, measures, workdir, neo4j_uri=None, flags=("--loader", loader), **common
                    )
                _save(scale, args, started)
            shutil.rmtree(workdir / f"embedded-{measures}", ignore_errors=True)
            shutil.rmtree(workdir / f"corpus-{measures}", ignore_errors=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    _save(scale, args, started)
    print(summary_table(scale))
    print(f"\nscale curve took {scale['elapsed_s']:.0f} s; {args.json}, {args.chart}")
    return 0


def _save(scale: dict[str, Any], args: argparse.Namespace, started: float) -> None:
    scale["growth_p50_last_two_sizes"] = growth(scale["points"])
    scale["elapsed_s"] = round(time.monotonic() - started, 1)
    args.json.write_text(json.dumps(scale, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    draw(scale, args.chart)


def summary_table(scale: dict[str, Any]) -> str:
    lines = [
        "| measures | store | load s | store MiB | peak RSS MiB | "
        + " | ".join(f"{q} p50/p99 ms" for q in QUERY_LABELS)
        + " |",
        "|" + "---|" * (5 + len(QUERY_LABELS)),
    ]
    for point in scale["points"]:
        for backend in ("embedded", "neo4j"):
            data = point.get(backend)
            if not isinstance(data, dict):
                continue
            if "queries" not in data:
                lines.append(f"| {point['measures']:,} | {backend} | {data.get('skipped') or data.get('failed')} |")
                continue
            rss = (data.get("peak_rss_mb") or {}).get("self")
            if data.get("jvm_peak_rss_mb"):
                rss = f"{rss} (+ JVM {data['jvm_peak_rss_mb']})"
            cells = [
                f"{data['queries'][q]['p50_ms']:.1f} / {data['queries'][q]['p99_ms']:.1f}"
                if "p50_ms" in data["queries"].get(q, {})
                else ("failed" if "error" in data["queries"].get(q, {}) else "not run")
                for q in QUERY_LABELS
            ]
            lines.append(
                f"| {point['measures']:,} | {backend} | {data['load']['seconds']} | {data['store_mb']} | {rss} | "
                + " | ".join(cells)
                + " |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        cli = argparse.ArgumentParser()
        cli.add_argument("worker")
        cli.add_argument("--backend", choices=("embedded", "neo4j"), required=True)
        cli.add_argument("--measures", type=int, required=True)
        cli.add_argument("--corpus", type=Path, required=True)
        cli.add_argument("--store-dir", type=Path, required=True)
        cli.add_argument("--out", type=Path, required=True)
        cli.add_argument("--neo4j", default=None)
        cli.add_argument("--repeat", type=int, default=50)
        cli.add_argument("--budget", type=float, default=20.0)
        cli.add_argument("--loader", choices=("library", "copy"), default="library")
        cli.add_argument("--no-load", dest="load", action="store_false", help="Query a store loaded already.")
        cli.add_argument("--no-queries", dest="queries", action="store_false", help="Load only.")
        sys.exit(worker(cli.parse_args()))
    sys.exit(main())
