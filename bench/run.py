"""Every benchmark of policykg, each as a ratio against a baseline measured in the same run.

    .venv/bin/python bench/run.py --quick      # `make bench`: small sizes, 3-4 minutes (explorer: --with explorer)
    .venv/bin/python bench/run.py --full       # the sizes bench/RESULTS.md records (100k measures)

    .venv/bin/python bench/run.py --scale      # the scale curve: 10k, 100k, 1M measures (bench/scale.py)

* parse: MB/s per core, and against one regular-expression scan of the same text (bench/bench_parse.py);
* embedded ingest: the store's bulk path against one LadybugDB bulk COPY of the same rows (bench/bench_ingest.py);
* Neo4j ingest against a raw driver UNWIND at the same batch size and against one transaction per row;
* agency page: the catalogued ``agency_measures`` page of 100 for the busiest agency against the
  engine's bare unordered 1-hop lookup of the same rows, same store and session (bench/bench_queries.py);
* API: requests per second of ``/agencies/{name}/measures`` against a route returning a fixed JSON,
  same uvicorn, workers and client (bench/bench_rps.py, bench/hello_app.py);
* explorer: a 5,000-node view, time to interactive against pyvis defaults (bench/bench_explorer.py).

Absolute times on a shared machine are noise; the ratios are what to read. The results
(ratios, absolute figures and the machine) go to bench/results.json and a table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import BENCH_DIR, code_version, machine, progress, reference, synthetic_rows

from policykg.graph.store import DocumentRows, GraphRows
from policykg.queries import writes

ROOT = BENCH_DIR.parent
PY = sys.executable


@dataclass(frozen=True)
class Sizes:
    parse_megabytes: float
    parse_repeat: int
    ingest_documents: int
    neo4j_documents: int
    per_row_documents: int
    api_measures: int
    page_repeat: int
    page_budget_s: float
    rps_seconds: float
    rps_connections: int
    workers: int
    explorer_nodes: int
    explorer_cap_s: float


QUICK = Sizes(1, 5, 40, 20, 4, 20_000, 200, 15, 8, 8, os.cpu_count() or 1, 5_000, 15)
FULL = Sizes(3, 2, 60, 40, 6, 100_000, 400, 40, 20, 8, os.cpu_count() or 1, 5_000, 120)


# ---------------------------------------------------------------------------------- parse


def bench_parse(sizes: Sizes) -> dict[str, Any]:
    """Run bench/bench_parse.py and read its MB/s lines."""
    out = subprocess.run(
        [
            PY,
            str(BENCH_DIR / "bench_parse.py"),
            "--megabytes",
            str(sizes.parse_megabytes),
            "--repeat",
            str(sizes.parse_repeat),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout

    def figure(label: str) -> float:
        match = re.search(rf"{label}:\s+([\d.]+) MB/s", out)
        if match is None:
            raise RuntimeError(f"bench_parse.py printed no '{label}' line: {out}")
        return float(match.group(1))

    parse, big, scan = figure("documents one by one"), figure("one big document"), figure("one regex scan")
    first = figure("first reading") if "first reading" in out else None
    return {
        "parse_mb_s": parse,
        "parse_first_reading_mb_s": first,
        "parse_one_big_document_mb_s": big,
        "regex_scan_mb_s": scan,
        "parse_vs_regex": round(parse / scan, 4),
        "parse_compiled": "parser: compiled" in out,
        "output": out.strip().splitlines(),
    }


# ---------------------------------------------------------------------------------- API


def build_api_store(directory: Path, documents: list[DocumentRows]) -> None:
    """Reference data through the store, then the documents' rows by one bulk COPY per table.

    Writing 100k measures document by document takes the better part of an hour here; the
    bulk COPY gives the same nodes and relationships (bench_ingest checks the counts agree).
    """
    import ladybug
    from bench_ingest import CSV_OPTIONS, _owned_tables, _write_csv

    from policykg.graph.embedded import DB_FILE, EmbeddedStore
    from policykg.graph.schema import NODE_ORDER, NODES, REL_ORDER

    ref = reference()
    assert isinstance(ref, GraphRows)
    # Shared rows (agencies the registry does not hold, industries, cited documents) are merged by
    # the store first, once each, as its write path does; COPY then appends the owned rows.
    shared = GraphRows()
    for rows in documents:
        for label, node_rows in rows.shared.nodes.items():
            shared.nodes.setdefault(label, []).extend(node_rows)
        for rel_type, rel_rows in rows.shared.rels.items():
            shared.rels.setdefault(rel_type, []).extend(rel_rows)
    shared.nodes = {
        label: list({row[NODES[label].key]: row for row in node_rows}.values())
        for label, node_rows in shared.nodes.items()
    }
    with EmbeddedStore(directory) as store:
        writes.upsert_reference(store, ref)
        writes.upsert_reference(store, shared)
    merged: dict[str, list[list[Any]]] = {}
    for rows in documents:
        for table, records in _owned_tables(rows):
            merged.setdefault(table, []).extend(records)
    db = ladybug.Database(str(directory / DB_FILE))
    conn = ladybug.Connection(db)
    with tempfile.TemporaryDirectory(prefix="bench-api-copy-") as spool:
        for table in [t for t in NODE_ORDER if t in merged] + [t for t in REL_ORDER if t in merged]:
            path = Path(spool) / f"{table}.csv"
            _write_csv(path, merged[table])
            conn.execute(f"COPY {table} FROM '{path}' {CSV_OPTIONS}")
    conn.close()
    db.close()
    # Opened for writing once, the store files the copied assignments in its key index (as it
    # does for any store that lacks it), so pages are read the way a loaded store reads them.
    with EmbeddedStore(directory, buffer_pool_mb=2048):
        pass


def bench_api(sizes: Sizes, workdir: Path) -> dict[str, Any]:
    """The agency page against the bare lookup (one store, one session), then the route's requests/s against hello."""
    from bench_api import synthetic_documents
    from bench_queries import page_vs_bare
    from bench_rps import rps_vs_hello, serve_help

    from policykg.graph.embedded import EmbeddedStore

    progress(f"API: building a store of {sizes.api_measures:,} synthetic measures by bulk COPY")
    directory = workdir / "api-store"
    build_api_store(directory, synthetic_documents(sizes.api_measures))
    with EmbeddedStore(directory, read_only=True) as store:
        measures = store.counts()["Measure"]
        page = page_vs_bare(store, repeat=sizes.page_repeat, budget_s=sizes.page_budget_s)
    progress(
        f"API: agency page {page['page']['p50_ms']} ms vs bare lookup {page['bare_lookup']['p50_ms']} ms "
        f"(p50, {page['agency']}, {page['agency_lead_measures']} lead measures)"
    )
    # One worker per core where `policykg serve` has --workers; the hello app gets the same number.
    workers = sizes.workers if "--workers" in serve_help() else 1
    rps = rps_vs_hello(
        directory, page["agency"], seconds=sizes.rps_seconds, connections=sizes.rps_connections, workers=workers
    )
    return {"measures": measures, "page": page, "rps": rps}


# ------------------------------------------------------------------------------ explorer


def bench_explorer(sizes: Sizes, workdir: Path) -> dict[str, Any]:
    out = workdir / "explorer.json"
    completed = subprocess.run(
        [
            PY,
            str(BENCH_DIR / "bench_explorer.py"),
            "--nodes",
            str(sizes.explorer_nodes),
            "--cap",
            str(sizes.explorer_cap_s),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if completed.returncode != 0 or not out.exists():
        return {"skipped": (completed.stderr or completed.stdout).strip()[-300:]}
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


# ---------------------------------------------------------------------------------- neo4j


class Neo4jStarter:
    """Starts Neo4j (tools/neo4j/server.py) in a thread so it boots while other benchmarks run."""

    def __init__(self) -> None:
        self.running: Any = None
        self.error: str | None = None
        self.thread = threading.Thread(target=self._start, daemon=True)
        self.thread.start()

    def _start(self) -> None:
        sys.path.insert(0, str(ROOT / "tests"))
        try:
            from fixtures_neo4j import load_neo4j_server_module

            server = load_neo4j_server_module()
            self.running = server.start_neo4j()
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"

    def uri(self) -> str | None:
        self.thread.join()
        return self.running.uri if self.running is not None else None

    def stop(self) -> None:
        self.thread.join()
        if self.running is not None:
            self.running.stop()


# ---------------------------------------------------------------------------------- run


def summary(results: dict[str, Any]) -> dict[str, Any]:
    """One key per ratio the issue asks for (None where a part did not run)."""

    def get(*path: str) -> Any:
        value: Any = results
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value

    return {
        "agency_page_vs_bare_lookup": get("api", "page", "ratio_p50"),
        "api_rps_vs_hello": get("api", "rps", "ratio"),
        "api_rps_uncached_vs_hello": get("api", "rps", "uncached_ratio"),
        "embedded_bulk_ingest_vs_bulk_copy": get("ingest_embedded", "ratio_vs_raw_copy_bulk"),
        "neo4j_ingest_vs_raw_unwind": get("ingest_neo4j", "ratio_vs_raw_unwind"),
        "neo4j_ingest_speedup_vs_transaction_per_row": get("ingest_neo4j", "speedup_vs_transaction_per_row"),
        "parse_mb_s": get("parse", "parse_mb_s"),
        "parse_first_reading_mb_s": get("parse", "parse_first_reading_mb_s"),
        "parse_vs_regex_scan": get("parse", "parse_vs_regex"),
        "agency_page_p99_vs_bare_lookup": get("api", "page", "ratio_p99"),
        **({"explorer_speedup_vs_pyvis": get("explorer", "speedup")} if "explorer" in results else {}),
    }


# The aims (issue 13; the explorer's from issue 9): (direction, bound).
AIMS: dict[str, tuple[str, float]] = {
    "agency_page_vs_bare_lookup": ("<=", 2),
    "api_rps_vs_hello": (">=", 0.5),
    "embedded_bulk_ingest_vs_bulk_copy": (">=", 0.5),
    "neo4j_ingest_vs_raw_unwind": (">=", 0.9),
    "neo4j_ingest_speedup_vs_transaction_per_row": (">=", 20),
    "parse_mb_s": (">=", 5),
    "explorer_speedup_vs_pyvis": (">=", 50),
}


def verdicts(ratios: dict[str, Any]) -> dict[str, str]:
    """met / missed / not run, per aim."""
    out = {}
    for key, (direction, bound) in AIMS.items():
        if key not in ratios:
            continue
        value = ratios[key]
        if value is None:
            out[key] = "not run"
        else:
            out[key] = "met" if (value <= bound if direction == "<=" else value >= bound) else "missed"
    return out


def table(results: dict[str, Any], ratios: dict[str, Any]) -> str:
    """The ratios with their aims, met or missed, and the absolute figures behind them, as a Markdown table."""
    r = results
    p, e, n, a, x = (r.get(k) or {} for k in ("parse", "ingest_embedded", "ingest_neo4j", "api", "explorer"))
    figures: dict[str, str] = {}
    if p:
        build = "compiled parser" if p.get("parse_compiled") else "parser from source (not compiled)"
        figures["parse_mb_s"] = f"{p['parse_mb_s']} MB/s per core, {build} (regex scan {p['regex_scan_mb_s']} MB/s)"
    if e:
        figures["embedded_bulk_ingest_vs_bulk_copy"] = (
            f"{e['measures']:,} measures, {e['rows']:,} rows"
            + (f" and {e['key_index_rows']:,} of the key index" if e.get("key_index_rows") else "")
            + f": {e['store_s']} s ({e['store_path']}) vs one bulk COPY {e['raw_copy_bulk_s']} s"
            + (
                f" (best of {e['rounds']} rounds taking turns; medians {e['store_s_median']} vs "
                f"{e['raw_copy_bulk_s_median']} s)"
                if "rounds" in e
                else ""
            )
        )
    if n:
        medians = f"; medians {n['store_median_s']} vs {n['raw_unwind_median_s']} s" if "timing" in n else ""
        figures["neo4j_ingest_vs_raw_unwind"] = (
            f"{n['measures']:,} measures, {n['rows']:,} rows: {n['store_s']} s vs raw UNWIND {n['raw_unwind_s']} s"
            + (f" ({n['timing']}{medians})" if medians else "")
        )
        figures["neo4j_ingest_speedup_vs_transaction_per_row"] = (
            f"{n['per_row_sample_rows']:,} rows: {n['store_sample_s']} s vs {n['per_row_s']} s"
        )
    if a:
        pg, rps = a["page"], a["rps"]
        figures["agency_page_vs_bare_lookup"] = (
            f"{a['measures']:,} measures, {pg['agency']} ({pg['agency_lead_measures']:,} lead): "
            f"p50 {pg['page']['p50_ms']} ms vs {pg['bare_lookup']['p50_ms']} ms"
        )
        figures["agency_page_p99_vs_bare_lookup"] = f"p99 {pg['page']['p99_ms']} ms vs {pg['bare_lookup']['p99_ms']} ms"
        figures["api_rps_vs_hello"] = (
            f"{rps['route_requests_per_s']} vs {rps['hello_requests_per_s']} req/s, {rps['workers']} worker(s), "
            f"{rps['connections']} connections, {rps['route_errors']} errors"
        )
        if rps.get("uncached_ratio") is not None:
            figures["api_rps_uncached_vs_hello"] = (
                f"{rps['uncached_requests_per_s']} req/s with the answer cache off (every request queries the store)"
            )
    if x.get("speedup"):
        ge = "≥ " if x.get("speedup_is_lower_bound") else ""
        figures["explorer_speedup_vs_pyvis"] = (
            f"{x['nodes']:,} nodes: {ge}{x['speedup']}x sooner interactive ({x['explorer']['ready_ms'] / 1000:.2f} s)"
        )
    if p and p.get("parse_first_reading_mb_s"):
        figures["parse_first_reading_mb_s"] = "each corpus document once, before the parser has remembered anything"
    if p:
        figures["parse_vs_regex_scan"] = f"the parser takes {1 / p['parse_vs_regex']:.0f}x one regex scan's time"
    judged = verdicts(ratios)
    rows = [("Ratio", "Value", "Aim", "Verdict", "Absolute figures")]
    for key, value in ratios.items():
        aim = AIMS.get(key)
        rows.append(
            (
                key,
                "-" if value is None else str(value),
                f"{aim[0].replace('<=', '≤').replace('>=', '≥')} {aim[1]}" if aim else "-",
                judged.get(key, "-"),
                figures.get(key, ""),
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(5)]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--scale" in argv:
        from scale import main as scale_main

        return scale_main([a for a in argv if a != "--scale"])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="Small sizes (make bench), 3-4 minutes.")
    mode.add_argument("--full", action="store_true", help="The sizes of bench/RESULTS.md (100k measures).")
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "results.json")
    parser.add_argument("--skip", default="", help="Comma-separated parts to skip: parse,ingest,neo4j,api,explorer.")
    parser.add_argument(
        "--with", dest="include", default="", help="explorer: also the explorer against pyvis (always in --full)."
    )
    parser.add_argument("--neo4j", default=os.environ.get("NEO4J_URI"), help="Use this Neo4j instead of starting one.")
    mode.add_argument("--scale", action="store_true", help="The scale curve instead: see bench/scale.py --help.")
    args = parser.parse_args(argv)
    sizes = FULL if args.full else QUICK
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    include = {s.strip() for s in args.include.split(",") if s.strip()}
    started = time.monotonic()
    results: dict[str, Any] = {"mode": "full" if args.full else "quick", "machine": machine(), "code": code_version()}
    progress(
        f"policykg benchmarks ({results['mode']}) on {results['machine']['cores']} cores, "
        f"{results['machine']['cpu_model']}"
    )
    starter = Neo4jStarter() if "neo4j" not in skip and not args.neo4j else None
    if starter is not None:
        progress("Neo4j: starting in the background")
    try:
        with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
            workdir = Path(tmp)
            if "parse" not in skip:
                progress("parse: bench_parse.py")
                results["parse"] = bench_parse(sizes)
            if "ingest" not in skip:
                progress(f"ingest: parsing {sizes.ingest_documents} synthetic documents")
                from bench_ingest import bench_embedded, bench_neo4j

                # (Neo4j warms up on as many documents beyond those it times.)
                documents = synthetic_rows(max(sizes.ingest_documents, 2 * sizes.neo4j_documents), seed=3)
                progress("ingest: embedded store against raw COPY")
                results["ingest_embedded"] = bench_embedded(documents[: sizes.ingest_documents], workdir / "ingest")
            if "api" not in skip:
                results["api"] = bench_api(sizes, workdir)
            if "explorer" not in skip and (args.full or "explorer" in include):
                cap = sizes.explorer_cap_s
                progress(f"explorer: {sizes.explorer_nodes} nodes against pyvis defaults (cap {cap:.0f} s)")
                results["explorer"] = bench_explorer(sizes, workdir)
            if "neo4j" not in skip and "ingest" not in skip:
                uri = args.neo4j or (starter.uri() if starter is not None else None)
                if uri is None:
                    results["ingest_neo4j"] = {"skipped": starter.error if starter else "no Neo4j"}
                    progress(f"Neo4j: skipped ({results['ingest_neo4j']['skipped']})")
                else:
                    if starter is not None and starter.running is not None:
                        results["neo4j_ready_s"] = round(starter.running.ready_seconds, 1)
                    progress("ingest: Neo4j store against raw UNWIND and one transaction per row")
                    results["ingest_neo4j"] = bench_neo4j(
                        documents[: sizes.neo4j_documents],
                        uri,
                        per_row_documents=sizes.per_row_documents,
                        warmup=documents[sizes.neo4j_documents : 2 * sizes.neo4j_documents],
                    )
    finally:
        if starter is not None:
            starter.stop()
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    ratios = summary(results)
    aims = {key: f"{direction} {bound}" for key, (direction, bound) in AIMS.items() if key in ratios}
    output = {"ratios": ratios, "aims": aims, "verdicts": verdicts(ratios), **results}
    args.json.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results, ratios))
    print(f"\n{results['mode']} run took {results['elapsed_s']:.0f} s; results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
