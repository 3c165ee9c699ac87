"""``policykg query NAME -p key=value …`` runs a catalogued query; ``policykg serve`` runs the HTTP API.

Only catalogued queries run (``policykg query`` without a name lists them); values are
bound as parameters. An agency may be given by canonical name, alias or id.
"""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from policykg import queries
from policykg.cli import app
from policykg.cli.options import NEO4J_OPTION, STORE_OPTION, cli_settings
from policykg.graph.store import GraphStore, Row
from policykg.queries.catalogue import BadParameter, Catalogue, NamedQuery


class QueryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["name=省经信委", "role=lead"]`` → ``{"name": "省经信委", "role": "lead"}``.

    >>> parse_params(["name=省经信委", "q=a=b"])
    {'name': '省经信委', 'q': 'a=b'}
    """
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"{pair!r} is not key=value.", param_hint="-p")
        params[key.strip()] = value
    return params


def render_rows_table(rows: list[Row], columns: list[str]) -> str:
    """Rows as a table at most 100 columns wide (CJK counted double width), long cells cut with "…".

    >>> print(render_rows_table([{"name": "省经信委", "lead": 22}], ["name", "lead"]))
     name       lead
     ───────────────
     省经信委     22
    """
    from policykg.tables import table_text

    # A keyset-paged query's sort_key says where a page resumes; it is for programs, not for reading.
    return table_text(rows, [c for c in columns if c != "sort_key"])


def _shown(default: Any) -> str:
    return "''" if default == "" else str(default)


def _catalogue_listing(catalogue: Catalogue) -> str:
    lines = []
    for q in sorted(catalogue, key=lambda q: q.name):
        params = " ".join(f"{p.name}=…" if p.required else f"[{p.name}={_shown(p.default)}]" for p in q.params)
        lines.append(f"{q.name}  {params}\n    {q.title}")
    return "\n".join(lines)


def run_cli_query(store: GraphStore, query: NamedQuery, raw: dict[str, str]) -> list[Row]:
    """Validate, resolve agency names (alias → canonical) and run ``query`` on ``store``."""
    from policykg.loaders.registry import AgencyRegistry
    from policykg.resolve import resolve_agency_params, without_narrowing

    try:
        query.bind(without_narrowing(query.name, raw))
    except BadParameter as error:
        raise typer.BadParameter(str(error), param_hint=f"-p {error.param}" if error.param else "-p") from None
    params = resolve_agency_params(store, AgencyRegistry.load_default(), query.name, dict(raw))
    return queries.read(store, query.name, query.bind(params))


@app.command()
def query(
    name: str = typer.Argument(None, help="A catalogued query; leave out to list them all."),
    param: list[str] = typer.Option(
        [], "--param", "-p", help="key=value, repeatable (e.g. -p name=省经信委 -p role=lead)."
    ),
    output_format: QueryFormat = typer.Option(QueryFormat.table, "--format", "-f", help="table, json or csv."),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
) -> None:
    """Run a named query from the catalogue (no Cypher is accepted) and print its rows."""
    catalogue = Catalogue.load_default()
    if not name:
        typer.echo(_catalogue_listing(catalogue))
        return
    if name not in catalogue:
        raise typer.BadParameter(f"there is no query named {name!r}; `policykg query` lists the catalogue.")
    named = catalogue.get(name)
    raw = parse_params(param)
    # Read-only, so a query runs while `policykg serve` holds the embedded store for writing.
    store = cli_settings(store_dir, neo4j).open_store(read_only=True)
    try:
        started = time.perf_counter()
        rows = run_cli_query(store, named, raw)
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        store.close()
    columns = list(named.returns) or (list(rows[0]) if rows else [])
    if output_format is QueryFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif output_format is QueryFormat.csv:
        from policykg.csvout import csv_text

        typer.echo(csv_text(rows, columns), nl=False)
    else:
        typer.echo(render_rows_table(rows, columns))
    typer.echo(f"{len(rows)} rows in {elapsed:.1f} ms", err=True)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) over the configured store."""
    from policykg.api import create_app
    from policykg.cli.serving import bind_port, serve_on

    settings = cli_settings(store_dir, neo4j)
    sock = bind_port(host, port)  # a busy port is one sentence, before the announcement
    typer.echo(f"policykg API on http://{host}:{port}/docs ({settings.backend} store)", err=True)
    serve_on(sock, create_app(settings), log_level=log_level)
