"""Options every store-using command shares, and the one place the CLI opens a store.

``--store DIR`` picks the embedded store at DIR, ``--neo4j URI`` a Neo4j server; without
either, the settings (``POLICYKG_BACKEND``, ``POLICYKG_STORE_DIR``, ``POLICYKG_NEO4J_*``) decide.
"""

from __future__ import annotations

from pathlib import Path

import typer

from policykg.graph.store import GraphStore
from policykg.settings import Settings

STORE_OPTION = typer.Option(None, "--store", help="Embedded store directory (default: POLICYKG_STORE_DIR).")
NEO4J_OPTION = typer.Option(None, "--neo4j", help="Neo4j bolt URI (default: POLICYKG_NEO4J_URI).")


def cli_settings(store_dir: Path | None = None, neo4j: str | None = None) -> Settings:
    """Settings from the environment with the command-line choice of store on top.

    >>> cli_settings(store_dir=Path("x")).backend
    'embedded'
    >>> cli_settings(neo4j="bolt://127.0.0.1:7687").backend
    'neo4j'
    """
    settings = Settings()
    if store_dir is not None and neo4j is not None:
        raise typer.BadParameter("give --store or --neo4j, not both.")
    if store_dir is not None:
        return settings.model_copy(update={"backend": "embedded", "store_dir": store_dir})
    if neo4j is not None:
        return settings.model_copy(update={"backend": "neo4j", "neo4j_uri": neo4j})
    return settings


def open_cli_store(store_dir: Path | None = None, neo4j: str | None = None, *, read_only: bool = False) -> GraphStore:
    """The chosen store; ``read_only`` lets a reading command run while a server holds the embedded store."""
    return cli_settings(store_dir, neo4j).open_store(read_only=read_only)
