"""API latency against the bare store, and requests per second over loopback (standalone script, not a test).

At ``--measures`` synthetic measures (100,000 by default) on the embedded store:

1. the bare store call ``queries.read(store, "agency_measures", …)`` with the parameters the route
   uses, for the busiest agency's lead measures (a 100-row page);
2. ``GET /agencies/{name}/measures?role=lead`` in-process (ASGI, no network): the route's own
   cost — validation, agency resolution (one more small query), JSON — over the bare call;
3. the same request over loopback to uvicorn in a subprocess, sequentially (latency), then a
   bounded client loop from this process (requests per second).

Median and p99 of each, and their ratios to the bare call, are printed (aim: in-process ≤ 2×).
The synthetic documents are built as ParsedDocuments and turned into rows by ingest (no
parsing), and bulk-copied into the store as bench/run.py does.

    .venv/bin/python bench/bench_api.py                     # 100k measures
    .venv/bin/python bench/bench_api.py --measures 20000 --requests 200 --seconds 5
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from common import BENCH_DIR, machine, percentile, progress

from policykg import queries
from policykg.graph.model import Assignment, DocumentMeta, Measure, ParsedDocument, Section, Target
from policykg.graph.store import DocumentRows

ROOT = BENCH_DIR.parent
MEASURES_PER_DOCUMENT = 1000


def synthetic_documents(measures: int, seed: int = 11) -> list[DocumentRows]:
    """Documents of 1,000 measures each: a skewed lead distribution, supports, joint items, targets, industries."""
    from policykg.ingest import document_rows
    from policykg.loaders.industries import IndustryDictionary
    from policykg.loaders.registry import AgencyRegistry

    registry, industries = AgencyRegistry.load_default(), IndustryDictionary.load_default()
    agencies = [a.name for a in registry.agencies() if a.level == "province"][:60]
    industry_names = [i.name for i in industries.industries()][:40]
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(agencies))]  # a few agencies lead most measures
    out = []
    documents = max(1, measures // MEASURES_PER_DOCUMENT)
    for d in range(documents):
        sections = [Section("一", "主要任务", 1)] + [Section(f"一/({n})", f"任务{n}", 2) for n in "一二三四五"]
        items = []
        for i in range(min(MEASURES_PER_DOCUMENT, measures - d * MEASURES_PER_DOCUMENT)):
            sub = "一二三四五"[i % 5]
            if rng.random() < 0.1:
                named = rng.sample(agencies, 2)
                assignments = [Assignment(a, a, "joint", p) for p, a in enumerate(named)]
            else:
                lead = rng.choices(agencies, weights)[0]
                supports = [a for a in rng.sample(agencies, rng.randint(0, 3)) if a != lead]
                assignments = [Assignment(lead, lead, "lead", 0)]
                assignments += [Assignment(a, a, "support", p + 1) for p, a in enumerate(supports)]
            targets = []
            if rng.random() < 0.2:
                value = str(rng.randint(5, 5000))
                targets.append(Target("新增企业", value, "家", "at_least", 2020, False, "力争", f"新增企业{value}家"))
            items.append(
                Measure(
                    f"一/({sub})/{i + 1}",
                    f"第{d}号文件第{i + 1}项：加快推进传统制造业智能化改造，培育一批示范企业。",
                    ("一", f"一/({sub})"),
                    assignments,
                    targets=targets,
                    industries=rng.sample(industry_names, 1) if rng.random() < 0.3 else [],
                    line=i + 10,
                )
            )
        meta = DocumentMeta(
            title=f"合成任务分解方案 {d}", doc_number=f"合成〔2020〕{d + 1}号", date_written="2020-01-01"
        )
        out.append(document_rows(ParsedDocument(meta, sections=sections, measures=items), registry, industries))
    return out


def timed(job: Any, repeat: int) -> list[float]:
    for _ in range(5):  # warm caches and the plan cache
        job()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        job()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def stats(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(samples, 50), 3), "p99_ms": round(percentile(samples, 99), 3)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the API server did not answer {url} within {seconds:.0f} s")
        time.sleep(0.2)


def load_loop(url: str, seconds: float, threads: int, max_requests: int) -> dict[str, Any]:
    """Keep ``threads`` clients busy for ``seconds`` (or ``max_requests`` in all); count answers."""
    import httpx

    lock = threading.Lock()
    counts = {"ok": 0, "errors": 0}
    stop = time.monotonic() + seconds

    def client_loop() -> None:
        with httpx.Client(timeout=30) as client:
            while time.monotonic() < stop:
                with lock:
                    if counts["ok"] + counts["errors"] >= max_requests:
                        return
                status = client.get(url).status_code
                with lock:
                    counts["ok" if status == 200 else "errors"] += 1

    workers = [threading.Thread(target=client_loop) for _ in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    return {**counts, "seconds": round(elapsed, 2), "requests_per_s": round(counts["ok"] / elapsed, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measures", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="timed requests per latency series")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the load loop")
    parser.add_argument("--threads", type=int, default=4, help="client threads of the load loop")
    parser.add_argument("--max-load-requests", type=int, default=50_000, help="bound on the load loop")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--store-dir", type=Path, help="build the store here and keep it (reused when present)")
    parser.add_argument(
        "--agency-rank", type=int, default=1, help="query the agency with this rank by lead measures (1: the busiest)"
    )
    args = parser.parse_args(argv)

    import httpx
    from fastapi.testclient import TestClient
    from run import build_api_store

    from policykg.api import create_app
    from policykg.graph.embedded import EmbeddedStore
    from policykg.queries.catalogue import Catalogue
    from policykg.settings import Settings

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        directory = args.store_dir or Path(tmp) / "store"
        progress(f"building {args.measures} synthetic measures")
        documents = synthetic_documents(args.measures)
        if not (directory / "graph.lbug").exists():
            build_api_store(directory, documents)
        leads: Counter[str] = Counter(
            r["from"] for rows in documents for r in rows.owned.rels.get("ASSIGNED", []) if r["role"] == "lead"
        )
        agency, led = leads.most_common()[min(args.agency_rank, len(leads)) - 1]
        progress(f"store ready; {agency} leads {led} measures")

        # The parameters the route passes: the agency's id, one row more than the page to see a next one.
        bound = Catalogue.load_default().get("agency_measures").bind({"name": agency, "role": "lead", "limit": 101})
        with EmbeddedStore(directory) as store:
            measures = store.counts()["Measure"]
            assert len(queries.read(store, "agency_measures", bound)) == 101
            bare = timed(lambda: queries.read(store, "agency_measures", bound), args.requests)
            path = f"/agencies/{quote(agency)}/measures?role=lead"
            with TestClient(create_app(Settings(store_dir=directory), store=store)) as client:
                assert client.get(path).json()["count"] == 100
                in_process = timed(lambda: client.get(path), args.requests)
        progress("bare and in-process series done; starting uvicorn")

        port = free_port()
        code = (
            "import sys, uvicorn; from policykg.api import create_app; from policykg.settings import Settings; "
            "uvicorn.run(create_app(Settings(store_dir=sys.argv[1])), host='127.0.0.1', port=int(sys.argv[2]), "
            "log_level='warning')"
        )
        server = subprocess.Popen([sys.executable, "-c", code, str(directory), str(port)], cwd=ROOT)
        url = f"http://127.0.0.1:{port}{path}"
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz", server)
            with httpx.Client(timeout=30) as http:
                assert http.get(url).json()["count"] == 100
                loopback = timed(lambda: http.get(url), args.requests)
            progress(f"loopback latency done; load loop for {args.seconds:.0f} s with {args.threads} threads")
            load = load_loop(url, args.seconds, args.threads, args.max_load_requests)
        finally:
            server.terminate()
            server.wait(timeout=30)

    results: dict[str, Any] = {
        "machine": machine(),
        "measures": measures,
        "agency": agency,
        "agency_lead_measures": led,
        "page_rows": 100,
        "bare_store": stats(bare),
        "api_in_process": stats(in_process),
        "api_loopback": stats(loopback),
        "ratio_in_process_p50": round(percentile(in_process, 50) / percentile(bare, 50), 2),
        "ratio_in_process_p99": round(percentile(in_process, 99) / percentile(bare, 99), 2),
        "ratio_loopback_p50": round(percentile(loopback, 50) / percentile(bare, 50), 2),
        "ratio_loopback_p99": round(percentile(loopback, 99) / percentile(bare, 99), 2),
        "load": {**load, "threads": args.threads},
    }
    print(
        f"{measures} measures; GET /agencies/{agency}/measures?role=lead (100 of {led} rows), {args.requests} requests"
    )
    print(f"{'':24}{'p50 ms':>10}{'p99 ms':>10}{'p50 ×':>8}{'p99 ×':>8}")
    for label, key, ratio in (
        ("bare store.read", "bare_store", None),
        ("API in-process (ASGI)", "api_in_process", "in_process"),
        ("API over loopback", "api_loopback", "loopback"),
    ):
        row = results[key]
        ratios = (
            f"{results[f'ratio_{ratio}_p50']:>8}{results[f'ratio_{ratio}_p99']:>8}" if ratio else f"{'1':>8}{'1':>8}"
        )
        print(f"{label:24}{row['p50_ms']:>10}{row['p99_ms']:>10}{ratios}")
    print(
        f"load: {load['requests_per_s']} requests/s over loopback ({load['ok']} ok, {load['errors']} errors, "
        f"{args.threads} client threads, {load['seconds']} s)"
    )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
