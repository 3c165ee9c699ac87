"""``policykg explore --out DIR``: write the offline explorer site for the graph in a store.

The site is static HTML with every script and style beside it: open ``DIR/index.html``
from the file system, no server and no network needed.
"""

from __future__ import annotations

from pathlib import Path

import typer

from policykg.cli import app
from policykg.cli.options import NEO4J_OPTION, STORE_OPTION, cli_settings


@app.command()
def explore(
    out: Path = typer.Option(..., "--out", "-o", help="Directory to write the site into (created if missing)."),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
) -> None:
    """Build the interactive explorer (index, one page per agency and per document) for the loaded graph."""
    from policykg.viz.site import build_site

    if out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{out} is a file; give a directory for the site.", param_hint="--out")
    # Read-only, so the site can be rebuilt while the API holds the embedded store for writing.
    store = cli_settings(store_dir, neo4j).open_store(read_only=True)
    try:
        report = build_site(store, out)
    finally:
        store.close()
    if report.document_pages == 0:
        typer.secho("The store holds no documents yet: the site is empty. Load some with policykg load.", err=True)
    typer.echo(report.summary())
