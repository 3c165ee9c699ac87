"""The catalogue's five heavy-use queries on a loaded store, and the agency page against the bare lookup.

Used by ``bench/run.py`` (the ``agency_page_vs_bare_lookup`` ratio) and by the scale curve
(``bench/run.py --scale``). Every query is run as the API runs it for a route: one page through
``policykg.api.run.run_page`` (parameters bound and checked, a paged list read by its keys
where the query has a cursor, else with one probe row), on the store through
``policykg.queries``. The baseline goes straight to the engine through the same store object,
so the two share the connection, the buffer pool and the Python row conversion.

* agency page: ``agency_measures``, the busiest lead agency's first page of 100;
* workload: ``agency_workload``, the first page of 100 agencies (it aggregates every assignment);
* agency profile: ``agency_profile`` of the busiest agency;
* measure search: ``measures_search`` for a keyword, first page of 100;
* agency path: ``agency_path`` between the two busiest agencies.

>>> stats_ms([1.0, 2.0, 3.0])["p50_ms"]
2.0
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from common import percentile, progress, raw_read

PAGE = 100
# The engine's own answer to "the agency's lead measures": one hop from an indexed key, no
# ordering, no document join, the first PAGE rows it finds. Columns the page shows from the
# measure and the assignment, so both sides convert comparable rows.
BARE_LOOKUP = (
    "MATCH (a:Agency {id: $name})-[r:ASSIGNED]->(m:Measure) WHERE r.role = $role "
    "RETURN m.id AS id, m.ref AS ref, m.text AS text, r.role AS role, r.as_written AS as_written, "
    "r.position AS position, m.deadline AS deadline, m.section_path AS section_path, m.doc_id AS doc_id "
    "LIMIT $limit"
)
BUSIEST = (
    "MATCH (a:Agency)-[r:ASSIGNED]->(:Measure) WHERE r.role = 'lead' "
    "RETURN a.id AS id, count(r) AS n ORDER BY n DESC, id LIMIT 2"
)
SEARCH_WORD = "企业技术中心"  # one of bench/synth.py's ten objects: about a tenth of the measures


def api_page(store: Any, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows a route gets for ``name``: one page as ``policykg.api.run.run_page`` reads it."""
    from policykg.api.run import run_page
    from policykg.queries.catalogue import Catalogue

    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = Catalogue.load_default()
    rows: list[dict[str, Any]] = run_page(store, _CATALOGUE, name, dict(params)).rows
    return rows


_CATALOGUE: Any = None


def stats_ms(samples: list[float]) -> dict[str, float]:
    """p50 and p99 of samples in milliseconds, rounded for the JSON."""
    return {
        "p50_ms": round(percentile(samples, 50), 3),
        "p99_ms": round(percentile(samples, 99), 3),
        "samples": len(samples),
    }


def busiest_agencies(store: Any) -> list[tuple[str, int]]:
    """The two agencies leading most measures, with how many each leads."""
    rows = raw_read(store, BUSIEST)
    return [(_cell(row, 0, "id"), int(_cell(row, 1, "n"))) for row in rows]


def _cell(row: Any, index: int, key: str) -> Any:
    if isinstance(row, dict):
        return row[key]
    return row[index]


def catalogue_queries(first: str, second: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """The five measured queries: label -> (catalogue name, parameters)."""
    return {
        "agency_page": ("agency_measures", {"name": first, "role": "lead", "limit": PAGE}),
        "workload": ("agency_workload", {"limit": PAGE}),
        "agency_profile": ("agency_profile", {"name": first}),
        "measure_search": ("measures_search", {"q": SEARCH_WORD, "limit": PAGE}),
        "agency_path": ("agency_path", {"source": first, "target": second, "limit": 10}),
    }


def sample(
    job: Callable[[], object], *, repeat: int, budget_s: float, warmup: int = 2, first_ms: float = 0.0
) -> list[float]:
    """Milliseconds of ``repeat`` runs after ``warmup`` ones, stopping early once ``budget_s`` is spent.

    At least 5 runs, or 3 when one run (``first_ms``, the caller's first call) takes over 5 s:
    at a million measures an aggregate over every assignment takes tens of seconds.
    """
    slow = first_ms > 5000
    for _ in range(0 if slow else warmup):
        job()
    samples: list[float] = []
    least = 3 if slow else 5
    deadline = time.monotonic() + budget_s
    while len(samples) < repeat and (len(samples) < least or time.monotonic() < deadline):
        started = time.perf_counter()
        job()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def time_queries(
    store: Any, *, repeat: int = 50, budget_s: float = 20.0, only: list[str] | None = None
) -> dict[str, Any]:
    """p50/p99 of the five catalogue queries on ``store`` (at least 5 runs each, then within the budget)."""
    (first, led), (second, _) = busiest_agencies(store)[:2]
    out: dict[str, Any] = {"agency": first, "agency_lead_measures": led, "second_agency": second}
    for label, (name, params) in catalogue_queries(first, second).items():
        if only is not None and label not in only:
            continue
        started = time.perf_counter()
        try:
            rows = api_page(store, name, params)
        except Exception as error:  # e.g. the engine's buffer pool too small at this size: recorded, not fatal
            out[label] = {"query": name, "error": f"{type(error).__name__}: {error}"}
            progress(f"  {label}: failed: {error}")
            continue
        first_ms = (time.perf_counter() - started) * 1000

        def job(name: str = name, params: dict[str, Any] = params) -> object:
            return api_page(store, name, params)

        samples = sample(job, repeat=repeat, budget_s=budget_s, first_ms=first_ms)
        out[label] = {"query": name, "rows": len(rows), "first_ms": round(first_ms, 1), **stats_ms(samples)}
        progress(
            f"  {label}: p50 {out[label]['p50_ms']:.1f} ms, p99 {out[label]['p99_ms']:.1f} ms ({len(samples)} runs)"
        )
    return out


def page_vs_bare(store: Any, *, repeat: int = 200, budget_s: float = 20.0) -> dict[str, Any]:
    """The agency page against the bare unordered lookup of the same agency's lead rows, interleaved.

    Each round runs one of each, so drifts in the machine's load fall on both sides alike.
    """
    (agency, led), *_ = busiest_agencies(store)
    page_params = {"name": agency, "role": "lead", "limit": PAGE}
    bare_params = {"name": agency, "role": "lead", "limit": PAGE}
    page_rows = api_page(store, "agency_measures", page_params)
    bare_rows = raw_read(store, BARE_LOOKUP, bare_params)
    for _ in range(3):
        api_page(store, "agency_measures", page_params)
        raw_read(store, BARE_LOOKUP, bare_params)
    page_ms: list[float] = []
    bare_ms: list[float] = []
    deadline = time.monotonic() + budget_s
    while len(page_ms) < repeat and (len(page_ms) < 10 or time.monotonic() < deadline):
        started = time.perf_counter()
        api_page(store, "agency_measures", page_params)
        page_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        raw_read(store, BARE_LOOKUP, bare_params)
        bare_ms.append((time.perf_counter() - started) * 1000)
    page, bare = stats_ms(page_ms), stats_ms(bare_ms)
    return {
        "agency": agency,
        "agency_lead_measures": led,
        "page_rows": len(page_rows),
        "bare_rows": len(bare_rows),
        "page": page,
        "bare_lookup": bare,
        "ratio_p50": round(page["p50_ms"] / bare["p50_ms"], 3),
        "ratio_p99": round(page["p99_ms"] / bare["p99_ms"], 3),
    }
