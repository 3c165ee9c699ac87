"""``policykg stats``, ``policykg export`` and ``policykg chart``: the analytics from the command line.

Each opens the store read-only, so it runs while ``policykg demo`` or ``serve`` is serving.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from policykg import queries
from policykg.cli import app, fail
from policykg.cli.options import NEO4J_OPTION, STORE_OPTION, open_cli_store
from policykg.words import KIND_GROUPS, LEVEL_FILTERS, agency_matches, kind_group, level_label


class SliceBy(StrEnum):
    agency = "agency"
    document = "document"
    year = "year"
    industry = "industry"


class StatsFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@dataclass
class _Read:
    """The assignment table and, for naming documents, each document's title, 文号 and date."""

    table: Any
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


def _read(store_dir: Path | None, neo4j: str | None, merge_reforms: bool) -> _Read:
    from policykg.analytics.table import read_table

    store = open_cli_store(store_dir, neo4j, read_only=True)
    try:
        table = read_table(store)
        documents = {row["id"]: row for row in queries.read_all(store, "documents", {"referenced": True})}
    finally:
        store.close()
    return _Read(table.reform_merged() if merge_reforms else table, documents)


MERGE_OPTION = typer.Option(
    False, "--merge-reforms", help="Count predecessors with their successors (省经信委 with 省经信厅)."
)
LEVEL_OPTION = typer.Option("", "--level", metavar="|".join(LEVEL_FILTERS), help="Only agencies of this level.")
KIND_OPTION = typer.Option(
    "", "--kind", metavar="|".join(KIND_GROUPS), help="Only departments, governments, collectives or other units."
)
# The table shows fewer columns than csv/json so that it fits a 100-column terminal.
TABLE_COLUMNS = ["agency", "level", "kind", "lead", "support", "joint", "measures", "share_load"]
TABLE_HEADERS = {"share_load": "share", "measures": "total"}


def _check_choice(value: str, choices: tuple[str, ...], hint: str) -> None:
    if value and value not in choices:
        raise typer.BadParameter(f"use one of {', '.join(choices)}, not {value!r}.", param_hint=hint)


@app.command()
def stats(
    by: SliceBy = typer.Option(SliceBy.agency, "--by", help="Rows per agency, or per agency within each slice."),
    fmt: StatsFormat = typer.Option(StatsFormat.table, "--format", help="table, csv or json."),
    include_all: bool = typer.Option(False, "--all", help="Also list registry agencies with no measures."),
    level: str = LEVEL_OPTION,
    kind: str = KIND_OPTION,
    store_dir: Path | None = STORE_OPTION,
    neo4j: str | None = NEO4J_OPTION,
    merge_reforms: bool = MERGE_OPTION,
) -> None:
    """Agency workload (lead, support, joint, share-normalised load, targets, documents, role class)."""
    from policykg.analytics.metrics import breadth_depth, network_summary, workload, workload_by

    _check_choice(level, LEVEL_FILTERS, "--level")
    _check_choice(kind, KIND_GROUPS, "--kind")
    read = _read(store_dir, neo4j, merge_reforms)
    table = read.table

    def keep(row: Any) -> bool:
        return agency_matches(row.level, row.kind, level_filter=level, kind_filter=kind)

    if by is SliceBy.agency:
        classes = {b.agency: b for b in breadth_depth(table)}
        rows = []
        for r in workload(table, include_idle=include_all):
            if not keep(r):
                continue
            row = r.as_dict()
            b = classes.get(r.agency)
            row.update(breadth=b.breadth if b else 0, depth=b.depth if b else 0, role_class=b.role_class if b else "")
            rows.append(row)
        if fmt is StatsFormat.json:
            typer.echo(json.dumps({"network": network_summary(table), "agencies": rows}, ensure_ascii=False, indent=1))
            return
        _print_rows(rows, fmt, [*TABLE_COLUMNS, "role_class"], _nothing(table, level, kind))
        return
    slices = workload_by(table, by.value)
    groups: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for key, part in slices.items():
        head: dict[str, Any] = {by.value: key}
        if by is SliceBy.document:
            doc = read.documents.get(key, {})
            head = {
                "document": doc.get("title") or key,
                "doc_number": doc.get("doc_number"),
                "date": doc.get("date"),
                "doc_id": key,
            }
        groups.append((head, [r.as_dict() for r in part if keep(r)]))
    if fmt is StatsFormat.json:
        typer.echo(json.dumps([{**head, **row} for head, rows in groups for row in rows], ensure_ascii=False, indent=1))
    elif fmt is StatsFormat.csv:
        _print_rows([{**head, **row} for head, rows in groups for row in rows], fmt, [], _nothing(table, level, kind))
    else:
        from policykg.tables import table_text

        if not any(rows for _, rows in groups):
            typer.echo(_nothing(table, level, kind))
        for head, rows in groups:
            if rows:
                title = " · ".join(str(v) for k, v in head.items() if v and k != "doc_id")
                typer.echo(table_text(_readable(rows), TABLE_COLUMNS, title=title, headers=TABLE_HEADERS) + "\n")


def _readable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with words for codes (province, department) and the share rounded for reading."""
    return [
        {
            **r,
            "level": level_label(r.get("level")) if r.get("level") != "collective" else "collective",
            "kind": kind_group(r.get("level"), r.get("kind")),
            "share_load": round(float(r["share_load"]), 1),
        }
        for r in rows
    ]


def _nothing(table: Any, level: str, kind: str) -> str:
    if not table.rows:
        return "No rows: load a document first (policykg load FILE)."
    return f"No agency with measures matches --level {level or 'any'} --kind {kind or 'any'}."


def _sums_text(sums: dict[str, float]) -> str:
    """家 115925; 元 8e+10: normalised target sums as one table or CSV cell."""
    return "; ".join(f"{unit} {total:g}" for unit, total in sums.items())


def _print_rows(rows: list[dict[str, Any]], fmt: StatsFormat, table_columns: list[str], empty: str) -> None:
    if not rows:
        typer.echo(empty)
        return
    rows = [{k: _sums_text(v) if isinstance(v, dict) else v for k, v in r.items()} for r in rows]
    if fmt is StatsFormat.csv:
        from policykg.csvout import csv_text

        typer.echo(csv_text(rows, list(rows[0])), nl=False)
        return
    from policykg.tables import table_text

    headers = {**TABLE_HEADERS, "role_class": "class"}
    typer.echo(table_text(_readable(rows), table_columns, headers=headers))


@app.command()
def export(
    fmt: str = typer.Option(..., "--format", metavar="graphml|gexf|csv|json", help="The file format."),
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
    if fmt == "csv" and out.exists() and not out.is_dir():
        fail(f"{out} is a file; --format csv writes nodes.csv and edges.csv into a directory given as --out.")
    if fmt != "csv" and out.is_dir():
        fail(f"{out} is a directory; give --out a file name.")
    if graph == "agencies":
        path = write_export(_read(store_dir, neo4j, merge_reforms).table, fmt, out)
    else:
        store = open_cli_store(store_dir, neo4j, read_only=True)
        try:
            full = read_full_graph(store)
        finally:
            store.close()
        path = write_graph(full if graph == "full" else bipartite_graph(full, bipartite_with), fmt, out)
    typer.echo(f"Wrote {path}")


@app.command()
def chart(
    kind: str = typer.Argument(..., metavar="workload|matrix|timeline", help="What to draw."),
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
    if out.is_dir():
        fail(f"{out} is a directory; give --out a file name.")
    if kind == "timeline":
        path = _timeline_chart(out, agency, role, store_dir, neo4j)
        typer.echo(f"Wrote {path}")
        return
    if kind not in {"workload", "matrix"}:
        raise typer.BadParameter(
            f"unknown chart {kind!r}; use workload or matrix, or timeline for deadlines.", param_hint="KIND"
        )
    path = write_chart(_read(store_dir, neo4j, merge_reforms).table, kind, out)
    typer.echo(f"Wrote {path}")


def _timeline_chart(out: Path, agency: str | None, role: str, store_dir: Path | None, neo4j: str | None) -> Path:
    from policykg.analytics.timeline import read_timeline, timeline_chart
    from policykg.loaders.registry import AgencyRegistry
    from policykg.resolve import resolve_agency

    if role not in ("lead", "support", "joint", "any"):
        raise typer.BadParameter("use lead, support, joint or any.", param_hint="--role")
    store = open_cli_store(store_dir, neo4j, read_only=True)
    try:
        found = resolve_agency(store, AgencyRegistry.load_default(), agency) if agency else None
        entries = read_timeline(store, found["id"] if found else "", role)
    finally:
        store.close()
    title = f"{found['name'] if found else 'All agencies'}: what falls due per month ({role})"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(timeline_chart(entries, title=title, fmt=out.suffix.lower().lstrip(".")))
    return out
