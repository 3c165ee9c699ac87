"""``policykg stats``, ``policykg export`` and ``policykg chart``: the analytics from the command line."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import typer

from policykg.cli import app
from policykg.cli.options import NEO4J_OPTION, STORE_OPTION, open_cli_store


def _table(store_dir: Path | None, neo4j: str | None, merge_reforms: bool) -> Any:
    from policykg.analytics.table import read_table

    store = open_cli_store(store_dir, neo4j)
    try:
        table = read_table(store)
    finally:
        store.close()
    return table.reform_merged() if merge_reforms else table


MERGE_OPTION = typer.Option(
    False, "--merge-reforms", help="Count predecessors with their successors (省经信委 with 省经信厅)."
)


@app.command()
def stats(
    by: str = typer.Option("agency", help="agency, document, year or industry."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
    merge_reforms: bool = MERGE_OPTION,
) -> None:
    """Agency workload (lead, support, joint, share-normalised load, targets, documents, role class)."""
    from policykg.analytics.metrics import breadth_depth, network_summary, workload, workload_by

    table = _table(store_dir, neo4j, merge_reforms)
    if by == "agency":
        classes = {b.agency: b for b in breadth_depth(table)}
        rows = []
        for r in workload(table):
            row = r.as_dict()
            b = classes.get(r.agency)
            row.update(breadth=b.breadth if b else 0, depth=b.depth if b else 0, role_class=b.role_class if b else "")
            rows.append(row)
        if fmt == "json":
            typer.echo(json.dumps({"network": network_summary(table), "agencies": rows}, ensure_ascii=False, indent=1))
            return
    else:
        try:
            slices = workload_by(table, by)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--by") from None
        rows = [{by: key, **r.as_dict()} for key, part in slices.items() for r in part]
        if fmt == "json":
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
            return
    _print_rows(rows, fmt)


def _sums_text(sums: dict[str, float]) -> str:
    """家 115925; 元 8e+10: normalised target sums as one table or CSV cell."""
    return "; ".join(f"{unit} {total:g}" for unit, total in sums.items())


def _print_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    if not rows:
        typer.echo("No rows: load a document first (policykg load FILE).")
        return
    rows = [{k: _sums_text(v) if isinstance(v, dict) else v for k, v in r.items()} for r in rows]
    columns = list(rows[0])
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        return
    if fmt != "table":
        raise typer.BadParameter("use table, csv or json.", param_hint="--format")
    widths = {c: max(_width(c), *(_width(str(r[c])) for r in rows)) for c in columns}
    typer.echo("  ".join(_pad(c, widths[c]) for c in columns))
    for r in rows:
        typer.echo("  ".join(_pad(str(r[c]), widths[c]) for c in columns))


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


@app.command()
def export(
    fmt: str = typer.Option(..., "--format", help="graphml, gexf, csv or json."),
    out: Path = typer.Option(..., "--out", help="Output file (a directory for csv)."),
    graph: str = typer.Option(
        "agencies", "--graph", help="full (the whole knowledge graph), agencies (co-responsibility) or bipartite."
    ),
    bipartite_with: str = typer.Option(
        "measure", "--with", help="For --graph bipartite: agency × measure or agency × industry."
    ),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
    merge_reforms: bool = MERGE_OPTION,
) -> None:
    """Export the graph: the whole knowledge graph, the co-responsibility network or a two-mode network.

    GraphML and GEXF open in Gephi and Cytoscape; csv writes nodes.csv and edges.csv (UTF-8, no BOM).
    """
    from policykg.analytics.export import FORMATS, write_export, write_graph
    from policykg.analytics.graph_export import BIPARTITE_WITH, GRAPH_VIEWS, bipartite_graph, read_full_graph

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}.", param_hint="--format")
    if graph not in GRAPH_VIEWS:
        raise typer.BadParameter(f"use one of {', '.join(GRAPH_VIEWS)}.", param_hint="--graph")
    if bipartite_with not in BIPARTITE_WITH:
        raise typer.BadParameter(f"use one of {', '.join(BIPARTITE_WITH)}.", param_hint="--with")
    if graph == "agencies":
        path = write_export(_table(store_dir, neo4j, merge_reforms), fmt, out)
    else:
        store = open_cli_store(store_dir, neo4j)
        try:
            full = read_full_graph(store)
        finally:
            store.close()
        path = write_graph(full if graph == "full" else bipartite_graph(full, bipartite_with), fmt, out)
    typer.echo(f"Wrote {path}")


@app.command()
def chart(
    kind: str = typer.Argument(..., help="workload, matrix or timeline."),
    out: Path = typer.Option(..., "--out", help="FILE.png or FILE.svg"),
    agency: str | None = typer.Option(None, "--agency", help="timeline: only this agency (name or alias)."),
    role: str = typer.Option("any", "--role", help="timeline: lead, support, joint or any."),
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
    merge_reforms: bool = MERGE_OPTION,
) -> None:
    """Draw the workload bars, the lead × support heatmap, or what falls due per month (timeline)."""
    from policykg.analytics.charts import write_chart

    if out.suffix.lower() not in {".png", ".svg"}:
        raise typer.BadParameter("the chart is written as .png or .svg.", param_hint="--out")
    if kind == "timeline":
        path = _timeline_chart(out, agency, role, store_dir, neo4j)
        typer.echo(f"Wrote {path}")
        return
    try:
        path = write_chart(_table(store_dir, neo4j, merge_reforms), kind, out)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="KIND") from None
    typer.echo(f"Wrote {path}")


def _timeline_chart(out: Path, agency: str | None, role: str, store_dir: Path | None, neo4j: str | None) -> Path:
    from policykg.analytics.timeline import read_timeline, timeline_chart
    from policykg.api.resolve import resolve_agency
    from policykg.loaders.registry import AgencyRegistry

    if role not in ("lead", "support", "joint", "any"):
        raise typer.BadParameter("use lead, support, joint or any.", param_hint="--role")
    store = open_cli_store(store_dir, neo4j)
    try:
        found = resolve_agency(store, AgencyRegistry.load_default(), agency) if agency else None
        entries = read_timeline(store, found["id"] if found else "", role)
    finally:
        store.close()
    title = f"{found['name'] if found else 'All agencies'}: what falls due per month ({role})"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(timeline_chart(entries, title=title, fmt=out.suffix.lower().lstrip(".")))
    return out
