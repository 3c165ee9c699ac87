"""Open a store by kind and place, from plain arguments (only the CLI and the API read settings).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = open_store_at("embedded", tmp)
...     (store.dialect, store.counts()["Document"])
...     store.close()
('embedded', 0)
"""

from __future__ import annotations

from pathlib import Path

from policykg.graph.store import Dialect, GraphStore


def open_store_at(
    dialect: Dialect,
    location: str | Path,
    *,
    read_only: bool = False,
    user: str | None = None,
    password: str | None = None,
    database: str = "neo4j",
    slow_query_ms: float | None = None,
    buffer_pool_mb: int = 512,
) -> GraphStore:
    """Open a store by kind and place: a directory for ``embedded``, a bolt URI for ``neo4j``.

    ``read_only`` opens the embedded store for reading only, so several processes can read
    while one writes; Neo4j ignores it (reads run in read transactions anyway). Reads slower
    than ``slow_query_ms`` are logged. ``buffer_pool_mb`` is the embedded engine's page cache;
    whole-graph queries over a million measures need more than the default.
    """
    if dialect == "neo4j":
        from policykg.graph.neo4j_store import Neo4jStore

        return Neo4jStore(str(location), user=user, password=password, database=database, slow_query_ms=slow_query_ms)
    if dialect == "embedded":
        from policykg.graph.embedded import EmbeddedStore

        return EmbeddedStore(location, read_only=read_only, slow_query_ms=slow_query_ms, buffer_pool_mb=buffer_pool_mb)
    raise ValueError(f"{dialect!r} is not a store kind; use 'embedded' or 'neo4j'.")
