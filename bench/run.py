"""Every benchmark of policykg, each as a ratio against a baseline measured in the same run.

    .venv/bin/python bench/run.py --quick      # `make bench`: small sizes, about 3 minutes
    .venv/bin/python bench/run.py --full       # the sizes bench/RESULTS.md records (100k measures)

* parse: MB/s against one regular-expression scan of the same text (bench/bench_parse.py);
* embedded ingest against LadybugDB's raw COPY of the same rows (bench/bench_ingest.py);
* Neo4j ingest against a raw driver UNWIND and against one transaction per row (bench_ingest);
* API: ``/agencies/{name}/measures`` p50/p99 against the bare store call, and requests per
  second from a second process over loopback (uvicorn in a subprocess, embedded store);
* explorer: a 5,000-node view, time to interactive against pyvis defaults (bench/bench_explorer.py).

Absolute times on a shared machine are noise; the ratios are what to read. The results
(ratios, absolute figures and the machine) go to bench/results.json and a table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import BENCH_DIR, machine, percentile, progress, reference, synthetic_rows

from policykg.graph.store import DocumentRows, GraphRows

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
    api_requests: int
    load_seconds: float
    load_threads: int
    explorer_nodes: int
    explorer_cap_s: float


QUICK = Sizes(0.3, 1, 4, 4, 1, 6_000, 60, 5, 8, 5_000, 15)
FULL = Sizes(3, 2, 60, 40, 2, 100_000, 200, 20, 16, 5_000, 120)


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
    return {
        "parse_mb_s": parse,
        "parse_one_big_document_mb_s": big,
        "regex_scan_mb_s": scan,
        "parse_vs_regex": round(parse / scan, 4),
        "output": out.strip().splitlines(),
    }


# ---------------------------------------------------------------------------------- API


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_api_store(directory: Path, documents: list[DocumentRows]) -> None:
    """Reference data through the store, then the documents' rows by one bulk COPY per table.

    Writing 100k measures document by document takes the better part of an hour here; the
    bulk COPY gives the same nodes and relationships (bench_ingest checks the counts agree).
    """
    import ladybug
    from bench_ingest import CSV_OPTIONS, _owned_tables, _write_csv

    from policykg.graph.embedded import DB_FILE, EmbeddedStore
    from policykg.graph.schema import NODE_ORDER, REL_ORDER

    ref = reference()
    assert isinstance(ref, GraphRows)
    with EmbeddedStore(directory) as store:
        store.upsert_reference(ref)
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


LOAD_CLIENT = r"""
import sys, threading, time
import httpx
url, seconds, threads = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
done = [0] * threads
errors = [0] * threads
stop = time.monotonic() + seconds
def worker(i):
    with httpx.Client(timeout=30) as client:
        while time.monotonic() < stop:
            response = client.get(url)
            if response.status_code == 200:
                done[i] += 1
            else:
                errors[i] += 1
workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
started = time.monotonic()
for w in workers: w.start()
for w in workers: w.join()
print(sum(done), sum(errors), time.monotonic() - started)
"""


def bench_api(sizes: Sizes, workdir: Path) -> dict[str, Any]:
    """p50/p99 of the route against the bare store call, then requests/s from a second process."""
    import httpx

    from policykg.graph.embedded import EmbeddedStore
    from policykg.queries.catalogue import Catalogue

    documents_needed = max(1, sizes.api_measures // 60)
    progress(f"API: parsing {documents_needed} synthetic documents ({documents_needed * 60} measures)")
    documents = synthetic_rows(documents_needed, seed=7)
    directory = workdir / "api-store"
    build_api_store(directory, documents)
    workload: Counter[str] = Counter(r["from"] for rows in documents for r in rows.owned.rels.get("ASSIGNED", []))
    agency, assignments = workload.most_common(1)[0]
    progress(f"API: store built; the busiest agency {agency} holds {assignments} assignments")

    catalogue = Catalogue.load_default()
    params = catalogue.get("agency_measures").bind(
        {"name": agency, "role": "any", "doc_id": "", "limit": 101, "offset": 0}
    )
    store_ms: list[float] = []

    def time_store_calls(count: int) -> int:
        # Half before the server runs and half after it stops, so drift in machine load hits both sides.
        with EmbeddedStore(directory, read_only=True) as store:
            for _ in range(3):
                store.read("agency_measures", params)
            for _ in range(count):
                started = time.perf_counter()
                store.read("agency_measures", params)
                store_ms.append((time.perf_counter() - started) * 1000)
            return store.counts()["Measure"]

    measures = time_store_calls(sizes.api_requests // 2)

    port = _free_port()
    server_code = (
        "import sys, uvicorn; from policykg.api import create_app; from policykg.settings import Settings; "
        "uvicorn.run(create_app(Settings(store_dir=sys.argv[1])), host='127.0.0.1', port=int(sys.argv[2]), "
        "log_level='warning')"
    )
    server = subprocess.Popen([PY, "-c", server_code, str(directory), str(port)], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/agencies/{agency}/measures"
    try:
        with httpx.Client(timeout=30) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the API server did not come up within 60 s")
                time.sleep(0.2)
            for _ in range(5):
                assert client.get(url).status_code == 200
            api_ms = []
            for _ in range(sizes.api_requests):
                started = time.perf_counter()
                response = client.get(url)
                api_ms.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {url} answered {response.status_code}: {response.text[:200]}")
            assert len(response.json()["rows"]) == 100
        progress(f"API: latency measured; loading it for {sizes.load_seconds:.0f} s with {sizes.load_threads} threads")
        load = subprocess.run(
            [PY, "-c", LOAD_CLIENT, url, str(sizes.load_seconds), str(sizes.load_threads)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    finally:
        server.terminate()
        server.wait(timeout=30)
    time_store_calls(sizes.api_requests - sizes.api_requests // 2)
    ok, errors, seconds = int(load[0]), int(load[1]), float(load[2])
    store_p50, store_p99 = percentile(store_ms, 50), percentile(store_ms, 99)
    api_p50, api_p99 = percentile(api_ms, 50), percentile(api_ms, 99)
    return {
        "measures": measures,
        "agency": agency,
        "agency_assignments": assignments,
        "requests": sizes.api_requests,
        "store_p50_ms": round(store_p50, 2),
        "store_p99_ms": round(store_p99, 2),
        "api_p50_ms": round(api_p50, 2),
        "api_p99_ms": round(api_p99, 2),
        "api_p50_vs_store": round(api_p50 / store_p50, 3),
        "api_p99_vs_store": round(api_p99 / store_p99, 3),
        "load_threads": sizes.load_threads,
        "load_seconds": round(seconds, 1),
        "load_requests_ok": ok,
        "load_errors": errors,
        "requests_per_s": round(ok / seconds, 1),
    }


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
        "parse_vs_regex_scan": get("parse", "parse_vs_regex"),
        "embedded_ingest_vs_raw_copy": get("ingest_embedded", "ratio_vs_raw_copy_per_document"),
        "embedded_ingest_vs_raw_bulk_copy": get("ingest_embedded", "ratio_vs_raw_copy_bulk"),
        "neo4j_ingest_vs_raw_unwind": get("ingest_neo4j", "ratio_vs_raw_unwind"),
        "neo4j_ingest_speedup_vs_transaction_per_row": get("ingest_neo4j", "speedup_vs_transaction_per_row"),
        "api_p50_vs_store": get("api", "api_p50_vs_store"),
        "api_p99_vs_store": get("api", "api_p99_vs_store"),
        "api_requests_per_s": get("api", "requests_per_s"),
        "explorer_speedup_vs_pyvis": get("explorer", "speedup"),
        "explorer_speedup_is_lower_bound": get("explorer", "speedup_is_lower_bound"),
    }


AIMS = {
    "embedded_ingest_vs_raw_copy": "≥ 0.5",
    "neo4j_ingest_vs_raw_unwind": "≥ 0.8",
    "neo4j_ingest_speedup_vs_transaction_per_row": "≥ 50",
    "api_p50_vs_store": "≤ 2",
    "api_p99_vs_store": "≤ 2",
    "explorer_speedup_vs_pyvis": "≥ 50",
}


def table(results: dict[str, Any]) -> str:
    """The ratios with their absolute figures, as a Markdown table."""
    r = results
    p, e, n, a, x = (r.get(k) or {} for k in ("parse", "ingest_embedded", "ingest_neo4j", "api", "explorer"))
    rows = [("Benchmark", "Ratio", "Aim", "Absolute figures")]
    if p:
        rows.append(
            (
                "parse vs one regex scan (speed)",
                f"{p['parse_vs_regex']:.3f}x",
                "-",
                f"{p['parse_mb_s']} MB/s parse, {p['regex_scan_mb_s']} MB/s regex",
            )
        )
    if e:
        rows.append(
            (
                "embedded ingest vs raw COPY per document",
                f"{e['ratio_vs_raw_copy_per_document']:.2f}x",
                "≥ 0.5",
                f"{e['measures']} measures, {e['rows']} rows: {e['store_s']} s vs {e['raw_copy_per_document_s']} s",
            )
        )
        rows.append(
            (
                "embedded ingest vs one bulk COPY",
                f"{e['ratio_vs_raw_copy_bulk']:.2f}x",
                "-",
                f"{e['store_s']} s vs {e['raw_copy_bulk_s']} s",
            )
        )
    if n:
        rows.append(
            (
                "Neo4j ingest vs raw UNWIND",
                f"{n['ratio_vs_raw_unwind']:.2f}x",
                "≥ 0.8",
                f"{n['measures']} measures, {n['rows']} rows: {n['store_s']} s vs {n['raw_unwind_s']} s",
            )
        )
        rows.append(
            (
                "Neo4j ingest vs one transaction per row",
                f"{n['speedup_vs_transaction_per_row']}x faster",
                "≥ 50",
                f"{n['per_row_sample_rows']} rows: {n['store_sample_s']} s vs {n['per_row_s']} s",
            )
        )
    if a:
        rows.append(
            (
                "API /agencies/{name}/measures p50 vs store",
                f"{a['api_p50_vs_store']:.2f}x",
                "≤ 2",
                f"{a['measures']} measures: {a['api_p50_ms']} ms vs {a['store_p50_ms']} ms",
            )
        )
        rows.append(
            (
                "API p99 vs store",
                f"{a['api_p99_vs_store']:.2f}x",
                "≤ 2",
                f"{a['api_p99_ms']} ms vs {a['store_p99_ms']} ms",
            )
        )
        rows.append(
            (
                "API requests/s, loopback, second process",
                f"{a['requests_per_s']}/s",
                "-",
                f"{a['load_threads']} threads, {a['load_seconds']} s, {a['load_errors']} errors",
            )
        )
    if x.get("speedup"):
        ge = "≥ " if x.get("speedup_is_lower_bound") else ""
        pyvis = x["pyvis_default"]
        pyvis_ms = pyvis["ready_ms"] if pyvis.get("ready_ms") is not None else pyvis["capped_at_ms"]
        rows.append(
            (
                f"explorer {x['nodes']:,} nodes: interactive vs pyvis defaults",
                f"{ge}{x['speedup']}x sooner",
                "≥ 50",
                f"{x['explorer']['ready_ms'] / 1000:.2f} s vs {ge}{pyvis_ms / 1000:.0f} s",
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="Small sizes (make bench), about 3 minutes.")
    mode.add_argument("--full", action="store_true", help="The sizes of bench/RESULTS.md (100k measures).")
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "results.json")
    parser.add_argument("--skip", default="", help="Comma-separated parts to skip: parse,ingest,neo4j,api,explorer.")
    parser.add_argument("--neo4j", default=os.environ.get("NEO4J_URI"), help="Use this Neo4j instead of starting one.")
    args = parser.parse_args(argv)
    sizes = FULL if args.full else QUICK
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    started = time.monotonic()
    results: dict[str, Any] = {"mode": "full" if args.full else "quick", "machine": machine()}
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

                documents = synthetic_rows(max(sizes.ingest_documents, sizes.neo4j_documents), seed=3)
                progress("ingest: embedded store against raw COPY")
                results["ingest_embedded"] = bench_embedded(documents[: sizes.ingest_documents], workdir / "ingest")
            if "api" not in skip:
                results["api"] = bench_api(sizes, workdir)
            if "explorer" not in skip:
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
                        documents[: sizes.neo4j_documents], uri, per_row_documents=sizes.per_row_documents
                    )
    finally:
        if starter is not None:
            starter.stop()
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    output = {"ratios": summary(results), "aims": AIMS, **results}
    args.json.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\n{results['mode']} run took {results['elapsed_s']:.0f} s; results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
