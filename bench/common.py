"""Shared pieces of the benchmarks: the machine, progress lines, the synthetic corpus as rows.

>>> sorted(machine())[:3]
['cores', 'cpu_model', 'memory_gb']
>>> percentile([1.0, 2.0, 3.0, 4.0], 50)
2.5
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from policykg.graph.store import DocumentRows, GraphRows, GraphStore

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

_START = time.monotonic()


def progress(message: str) -> None:
    """One progress line on stderr, with the seconds since the run began."""
    print(f"[{time.monotonic() - _START:6.1f} s] {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, object]:
    """Cores, memory, Python and CPU model of this machine (Linux /proc where available)."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def code_version() -> str:
    """The commit the measured code is at (with ``+changes`` when the worktree differs from it)."""
    import subprocess

    root = BENCH_DIR.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "--", "policykg"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+changes" if dirty else "")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile with linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def synthetic_rows(documents: int, measures: int = 60, seed: int = 0) -> list[DocumentRows]:
    """The synthetic corpus parsed by the real parser and turned into store rows by ingest."""
    from synth import generate_corpus

    from policykg.ingest import document_rows
    from policykg.loaders import parse_text
    from policykg.loaders.industries import IndustryDictionary
    from policykg.loaders.registry import AgencyRegistry

    registry, industries = AgencyRegistry.load_default(), IndustryDictionary.load_default()
    out = []
    for index, planned in enumerate(generate_corpus(documents, measures=measures, seed=seed)):
        parsed = parse_text(planned.text, source=f"synth-{index}.txt", registry=registry, industries=industries)
        out.append(document_rows(parsed, registry, industries))
        if (index + 1) % 200 == 0:
            progress(f"  parsed {index + 1}/{documents} synthetic documents")
    return out


def reference() -> object:
    """The registry and dictionary rows every load starts with."""
    from policykg.ingest import reference_rows
    from policykg.loaders.industries import IndustryDictionary
    from policykg.loaders.registry import AgencyRegistry

    return reference_rows(AgencyRegistry.load_default(), IndustryDictionary.load_default())


def row_count(rows: list[DocumentRows]) -> int:
    """Owned nodes and relationships written, over all documents."""
    return sum(r.owned.count() for r in rows)


def read_query(store: GraphStore, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """A catalogued query as the library runs it (``policykg.queries.read``)."""
    from policykg import queries

    return queries.read(store, name, params or {})


def upsert_reference(store: GraphStore, rows: GraphRows) -> None:
    """Merge reference rows as the library does (``policykg.queries.writes``)."""
    from policykg.queries import writes

    writes.upsert_reference(store, rows)


def raw_read(store: GraphStore, cypher: str, params: dict[str, Any] | None = None) -> list[Any]:
    """Uncatalogued Cypher straight to the engine, for baselines (``GraphStore.execute_read``)."""
    return store.execute_read(cypher, params or {})


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child, in MiB (Linux: KiB units)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": round(own, 1), "largest_child": round(children, 1)}


def directory_mb(path: Path) -> float:
    """Bytes on disk under ``path`` (allocated blocks, as du counts them), in MiB."""
    total = 0
    for item in path.rglob("*"):
        try:
            if item.is_file() and not item.is_symlink():
                total += item.stat().st_blocks * 512
        except OSError:
            continue
    return round(total / 1024 / 1024, 1)
