"""``policykg demo``: the main job on the embedded default, from nothing to a browsable graph.

Loads the bundled corpus into the embedded store, builds the explorer, then serves the API
(which also serves the explorer) until interrupted.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import typer

from policykg.cli import app
from policykg.settings import Settings


def bundled_corpus() -> list[Path]:
    """The example documents shipped with the package.

    >>> [p.name for p in bundled_corpus()][0]
    '2017-zhejiang-chuantong-zhizao-fenjie.txt'
    """
    folder = Path(str(resources.files("policykg") / "examples"))
    return sorted(p for p in folder.iterdir() if p.suffix in {".txt", ".html", ".htm", ".docx"})


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1", "--host", help="Address the API listens on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port the API listens on."),
    serve: bool = typer.Option(True, help="Serve the API after loading (--no-serve to stop after building)."),
) -> None:
    """Load the bundled corpus, build the explorer and serve the API (embedded store)."""
    from policykg.cli.serving import bind_port, serve_on
    from policykg.ingest import load_files
    from policykg.viz.site import build_site

    # Take the port first: a busy port is reported before anything is loaded or announced.
    sock = bind_port(host, port) if serve else None
    settings = Settings(backend="embedded")
    store = settings.open_store()
    try:
        report = load_files(bundled_corpus(), store)
        typer.echo(report.summary())
        site = build_site(store, settings.explorer_dir)
        typer.echo(f"Explorer written to {site.index.resolve()} (open it in a browser, no server needed).")
    finally:
        store.close()
    if sock is not None:
        from policykg.api.app import create_app

        typer.echo(f"API on http://{host}:{port}/ (docs at /docs, explorer at /explorer/); Ctrl-C stops it.")
        serve_on(sock, create_app(settings))
