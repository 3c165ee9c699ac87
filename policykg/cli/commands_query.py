"""``policykg query NAME -p key=value …`` runs a catalogued query; ``policykg serve`` runs the HTTP API.

Only catalogued queries run (``policykg query`` without a name lists them); values are
bound as parameters. An agency may be given by canonical name, alias or id.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from policykg import queries
from policykg.cli import app
from policykg.cli.options import NEO4J_OPTION, STORE_OPTION, cli_settings
from policykg.graph.store import GraphStore, Row
from policykg.queries.catalogue import BadParameter, Catalogue, NamedQuery, QueryParam


class QueryGroup(TyperGroup):
    """``policykg query``: a sub-command per catalogued query; an unknown name gets the catalogue's sentence."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            raise typer.BadParameter(f"there is no query named {args[0]!r}; `policykg query` lists the catalogue.")
        return super().resolve_command(ctx, args)


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
        hint = f"--{error.param.replace('_', '-')}" if error.param else "-p"
        raise typer.BadParameter(str(error), param_hint=hint) from None
    params = resolve_agency_params(store, AgencyRegistry.load_default(), query.name, dict(raw))
    return queries.read(store, query.name, query.bind(params))


query_app = typer.Typer(
    name="query",
    cls=QueryGroup,
    invoke_without_command=True,
    help="Run a named query from the catalogue (no Cypher is accepted) and print its rows; "
    "without a name, list the catalogue. `policykg query NAME --help` shows the query's parameters.",
)
app.add_typer(query_app)


@query_app.callback()
def _list_queries(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        typer.echo(_catalogue_listing(queries.default_catalogue()))


def header_option(p: QueryParam) -> inspect.Parameter:
    """An option for the header parameter ``p``: its doc, its type with bounds or choices as the
    metavar, its default. The value is checked by the catalogue, as the API's are.

    >>> option = header_option(QueryParam("limit", "int", 100, False, "rows per page", (), 1, 10000)).default
    >>> option.param_decls, option.metavar, option.help
    (('--limit',), 'INT 1..10000', 'rows per page (default: 100)')
    """
    kind = "|".join(p.choices) if p.choices else p.type.upper()
    if p.minimum is not None or p.maximum is not None:
        kind += f" {'' if p.minimum is None else p.minimum}..{'' if p.maximum is None else p.maximum}"
    default = "required" if p.required else f"default: {_shown(p.default)}"
    option = typer.Option(
        None, f"--{p.name.replace('_', '-')}", metavar=kind, help=f"{p.description} ({default})", show_default=False
    )
    return inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, annotation=str | None, default=option)


def query_command(named: NamedQuery) -> Callable[..., None]:
    """The ``policykg query NAME`` command: one option per header parameter (``--doc-id``),
    ``--jurisdiction`` where it narrows the agency names, and ``-p key=value`` for any of them."""
    from policykg.resolve import narrowing_param, takes_narrowing

    params = [*named.params, *([narrowing_param()] if takes_narrowing(named.name) else [])]
    options = [header_option(p) for p in params]
    common = inspect.signature(_run_named, eval_str=True).parameters
    shared = [v.replace(kind=inspect.Parameter.KEYWORD_ONLY) for k, v in common.items() if k not in ("named", "given")]
    signature = inspect.Signature([*options, *shared])

    def command(**values: Any) -> None:
        given = {p.name: values.pop(p.name) for p in params}
        _run_named(named, **values, given={k: v for k, v in given.items() if v is not None})

    command.__signature__ = signature  # type: ignore[attr-defined]
    command.__annotations__ = {k: v.annotation for k, v in signature.parameters.items()}
    command.__name__ = named.name
    return command


def _run_named(
    named: NamedQuery,
    param: list[str] = typer.Option(
        [], "--param", "-p", help="key=value, repeatable (e.g. -p name=省经信委 -p role=lead)."
    ),
    output_format: QueryFormat = typer.Option(QueryFormat.table, "--format", "-f", help="table, json or csv."),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
    *,
    given: dict[str, str] | None = None,
) -> None:
    """Run ``named`` with ``-p`` pairs and the options given (an option wins over a pair) and print its rows."""
    raw = {**parse_params(param), **(given or {})}
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


for _named in queries.default_catalogue():
    query_app.command(name=_named.name, help=f"{_named.title}. {_named.description}".strip())(query_command(_named))


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="Server processes. Above 1 on the embedded store every worker only reads (uploads are refused: "
        "load with `policykg load`, which may run beside them); on Neo4j each worker has its own pool.",
    ),
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) over the configured store."""
    from policykg.api import create_app
    from policykg.cli.serving import bind_port, serve_on, serve_workers

    settings = cli_settings(store_dir, neo4j)
    if workers > 1 and settings.backend == "embedded":
        settings = settings.model_copy(update={"read_only": True})
    sock = bind_port(host, port)  # a busy port is one sentence, before the announcement
    shown = f", {workers} workers" + (", read-only" if settings.read_only else "") if workers > 1 else ""
    typer.echo(f"policykg API on http://{host}:{port}/docs ({settings.backend} store{shown})", err=True)
    if workers > 1:
        serve_workers(sock, settings, workers, log_level=log_level)
    else:
        serve_on(sock, create_app(settings), log_level=log_level)
