"""Open the configured store: the one place that turns settings into a backend.

>>> import tempfile
>>> from policykg.queries.catalogue import Catalogue
>>> with tempfile.TemporaryDirectory() as tmp:
...     store = open_store_at("embedded", tmp, catalogue=Catalogue())
...     (store.dialect, store.counts()["Document"])
...     store.close()
('embedded', 0)
"""

from __future__ import annotations

from pathlib import Path

from policykg.graph.store import Dialect, GraphStore
from policykg.queries.catalogue import Catalogue
from policykg.settings import Settings


def open_store(settings: Settings, *, catalogue: Catalogue | None = None, read_only: bool = False) -> GraphStore:
    """The store ``settings.backend`` names: the embedded directory or the Neo4j server.

    ``read_only`` opens the embedded store for reading only, so several processes can read
    while one writes; Neo4j ignores it (reads run in read transactions anyway).
    """
    if settings.backend == "neo4j":
        return open_store_at(
            "neo4j",
            settings.neo4j_uri,
            catalogue=catalogue,
            user=settings.neo4j_user,
            password=settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
        )
    return open_store_at("embedded", settings.store_dir, catalogue=catalogue, read_only=read_only)


def open_store_at(
    dialect: Dialect,
    location: str | Path,
    *,
    catalogue: Catalogue | None = None,
    read_only: bool = False,
    user: str | None = None,
    password: str | None = None,
    database: str = "neo4j",
) -> GraphStore:
    """Open a store by kind and place: a directory for ``embedded``, a bolt URI for ``neo4j``."""
    if dialect == "neo4j":
        from policykg.graph.neo4j_store import Neo4jStore

        return Neo4jStore(str(location), user=user, password=password, database=database, catalogue=catalogue)
    if dialect == "embedded":
        from policykg.graph.embedded import EmbeddedStore

        return EmbeddedStore(location, catalogue=catalogue, read_only=read_only)
    raise ValueError(f"{dialect!r} is not a store kind; use 'embedded' or 'neo4j'.")
