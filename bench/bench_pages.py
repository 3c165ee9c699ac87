"""Page time against the engine's bare lookup, at several corpus sizes (standalone script, not a test).

For each ``--measures`` size, a synthetic corpus (bench/synth.py documents, parsed by the real
parser and turned into rows by ingest) is bulk-copied into an embedded store as bench/run.py
does. For the agency holding the most assignments, in the same process and interleaved so
machine load hits every series alike:

* ``bare``: the engine's unordered 1-hop lookup of 101 of its rows with the page's columns
  (``MATCH (a {id})-[r:ASSIGNED]->(m) RETURN … LIMIT 101``), no order, no paging;
* ``page``: the first page of 100 as the API reads it (``agency_measures`` by keyset: the
  ``agency_measures_keys`` window, then the page's own rows by ``agency_measures_rows``);
* ``deep_page``: the page after the middle of the agency's list, by cursor;
* ``offset_page``: the same middle page by ``offset`` (SKIP), as before keyset paging;
* ``before``: the query of policykg 0.2.0 (order by document fields through a join, SKIP).

It prints p50/p99 per series and the ratio ``page / bare`` (aim: ≤ 2 at every size), and
with ``--json`` writes them (bench/run.py folds these into results.json as
``agency_page_vs_bare_lookup``).

    .venv/bin/python bench/bench_pages.py --measures 20000 100000
    .venv/bin/python bench/bench_pages.py --measures 20000 --store-dir /tmp/pages  # keeps the stores
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import machine, percentile, progress, synthetic_rows

from policykg.queries.catalogue import Catalogue, NamedQuery, QueryParam

MEASURES_PER_DOCUMENT = 60
_COLUMNS = (
    "a.name AS agency, m.id AS id, m.ref AS ref, m.text AS text, r.role AS role, r.as_written AS as_written, "
    "r.position AS position, m.deadline AS deadline, m.section_path AS section_path, m.doc_id AS doc_id, "
    "m.doc_title AS document"
)
BARE = f"MATCH (a:Agency {{id: $name}})-[r:ASSIGNED]->(m:Measure) RETURN {_COLUMNS} LIMIT 101"
# agency_measures as policykg 0.2.0 had it: document fields through a join, six sort keys, SKIP.
BEFORE = """MATCH (a:Agency {id: $name})
MATCH (d:Document)-[:INCLUDES]->(m:Measure)<-[r:ASSIGNED]-(a)
WITH a.name AS agency, m.id AS id, m.ref AS ref, m.text AS text, r.role AS role, r.as_written AS as_written,
     r.position AS position, m.deadline AS deadline, m.section_path AS section_path, d.id AS doc_id,
     d.title AS document, coalesce(d.date_issued, '') AS issued, m.ordinal AS ordinal
ORDER BY issued, doc_id, ordinal, id, agency, role SKIP $offset
WITH agency, id, ref, text, role, as_written, position, deadline, section_path, doc_id, document, issued, ordinal
LIMIT $limit
RETURN agency, id, ref, text, role, as_written, position, deadline, section_path, doc_id, document
ORDER BY issued, doc_id, ordinal, id, agency, role"""


def _bench_query(name: str, text: str, params: tuple[str, ...]) -> NamedQuery:
    return NamedQuery(
        name, name, "", tuple(QueryParam(p, "int" if p != "name" else "str") for p in params), (), "read", text
    )


def build_store(directory: Path, measures: int) -> None:
    from run import build_api_store

    documents = max(1, measures // MEASURES_PER_DOCUMENT)
    progress(f"pages: parsing {documents} synthetic documents ({documents * MEASURES_PER_DOCUMENT} measures)")
    build_api_store(directory, synthetic_rows(documents, MEASURES_PER_DOCUMENT, seed=7))


def measure_size(directory: Path, repeat: int, buffer_pool_mb: int = 512) -> dict[str, Any]:
    from policykg import queries
    from policykg.graph.embedded import EmbeddedStore
    from policykg.queries.keyset import decode_cursor, read_keyset_page

    catalogue = Catalogue.load_default()
    catalogue.queries["bench_bare"] = _bench_query("bench_bare", BARE, ("name",))
    catalogue.queries["bench_before"] = _bench_query("bench_before", BEFORE, ("name", "offset", "limit"))
    page_query = catalogue.get("agency_measures")
    window = catalogue.get("agency_measures_keys")
    with EmbeddedStore(directory, read_only=True, buffer_pool_mb=buffer_pool_mb) as store:

        def read(name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
            return queries.read(store, name, params, catalogue=catalogue)

        counts = store.counts()
        workload = Counter(r["agency_id"] for r in read("analytics_assignments", {}))
        agency, assignments = workload.most_common(1)[0]

        def page(after: int = -1) -> list[dict[str, Any]]:
            bound = page_query.bind({"name": agency, "limit": 100, "after": after})
            return read_keyset_page(read, page_query, bound, 100, window).rows

        # The cursor of the page after the middle of the list: the key of row len/2.
        # (walked in pages of at most 10,000 rows, the query's bound on limit).
        middle = assignments // 2
        deep_after, walked = -1, 0
        while walked < middle:
            step = min(10_000, middle - walked)
            bound = page_query.bind({"name": agency, "limit": step, "after": deep_after})
            part = read_keyset_page(read, page_query, bound, step, window)
            assert part.next_cursor is not None
            deep_after = decode_cursor(part.next_cursor, "agency_measures", bound)
            walked += len(part.rows)
        middle = walked
        offset_params = page_query.bind({"name": agency, "limit": 100, "offset": middle})
        series: dict[str, Callable[[], object]] = {
            "bare": lambda: read("bench_bare", {"name": agency}),
            "page": lambda: page(),
            "deep_page": lambda: page(deep_after),
            "offset_page": lambda: read("agency_measures", offset_params),
            "before": lambda: read("bench_before", {"name": agency, "offset": 0, "limit": 100}),
        }
        assert len(page()) >= 100 and len(read("bench_bare", {"name": agency})) == 101
        assert [r["id"] for r in page(deep_after)] == [r["id"] for r in read("agency_measures", offset_params)]
        samples: dict[str, list[float]] = {name: [] for name in series}
        for job in series.values():  # warm the plan cache and the buffer pool
            for _ in range(3):
                job()
        for _ in range(repeat):
            for name, job in series.items():
                started = time.perf_counter()
                job()
                samples[name].append((time.perf_counter() - started) * 1000)
    out: dict[str, Any] = {
        "measures": counts["Measure"],
        "assignments": counts["ASSIGNED"],
        "agency": agency,
        "agency_assignments": assignments,
    }
    for name, values in samples.items():
        out[name] = {"p50_ms": round(percentile(values, 50), 3), "p99_ms": round(percentile(values, 99), 3)}
    bare = percentile(samples["bare"], 50)
    for name in ("page", "deep_page", "offset_page", "before"):
        out[f"{name}_vs_bare"] = round(percentile(samples[name], 50) / bare, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measures", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--repeat", type=int, default=60, help="timed rounds of every series")
    parser.add_argument("--store-dir", type=Path, help="build the stores here and keep them (reused when present)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--buffer-pool-mb", type=int, default=512, help="the engine's page cache (1M measures need 2048)"
    )
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"machine": machine(), "sizes": []}
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        for measures in args.measures:
            directory = (args.store_dir or Path(tmp)) / f"pages-{measures}"
            if not (directory / "graph.lbug").exists():
                build_store(directory, measures)
            progress(f"pages: timing {measures} measures")
            results["sizes"].append(measure_size(directory, args.repeat, args.buffer_pool_mb))
    print(
        f"{'measures':>9} {'agency rows':>11} {'bare':>7} {'page':>7} {'deep':>7} {'offset':>7} {'0.2.0':>7}  page/bare"
    )
    for size in results["sizes"]:
        print(
            f"{size['measures']:>9} {size['agency_assignments']:>11} {size['bare']['p50_ms']:>7} "
            f"{size['page']['p50_ms']:>7} {size['deep_page']['p50_ms']:>7} {size['offset_page']['p50_ms']:>7} "
            f"{size['before']['p50_ms']:>7}  {size['page_vs_bare']}"
        )
    print("(p50 in ms; aim: page/bare ≤ 2 at every size)")
    results["agency_page_vs_bare_lookup"] = max(size["page_vs_bare"] for size in results["sizes"])
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
