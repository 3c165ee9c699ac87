"""Graph exports for Gephi, Cytoscape, R and friends: the co-responsibility network or any graph.

GraphML and GEXF carry only scalar attributes (networkx's GEXF writer mishandles lists, and
neither format has a null), so lists are joined with "; " and None becomes "". CSV is a node table
and an edge table (UTF-8, no BOM, a header row), JSON is networkx's node-link form with values
kept as they are.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Literal

import networkx as nx

from policykg.analytics.metrics import co_responsibility_graph, lead_support_digraph, workload
from policykg.analytics.table import AssignmentTable
from policykg.csvout import csv_records

ExportFormat = Literal["graphml", "gexf", "csv", "json"]
FORMATS: tuple[str, ...] = ("graphml", "gexf", "csv", "json")
MEDIA_TYPES = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "csv": "application/zip",
    "json": "application/json",
}


def export_graph(table: AssignmentTable) -> nx.Graph:
    """The co-responsibility network with workload attributes and lead→support counts on edges."""
    graph = co_responsibility_graph(table)
    for row in workload(table, include_idle=False):
        if row.agency in graph:
            graph.nodes[row.agency].update(
                lead=row.lead, support=row.support, joint=row.joint, measures=row.measures, share_load=row.share_load
            )
    directed = lead_support_digraph(table)
    for a, b, data in graph.edges(data=True):
        data["a_leads_b"] = directed.get_edge_data(a, b, {"weight": 0})["weight"]
        data["b_leads_a"] = directed.get_edge_data(b, a, {"weight": 0})["weight"]
    return graph


def _scalar_only(graph: nx.Graph) -> nx.Graph:
    """Attributes as GraphML and GEXF can hold them: None left out, lists joined, one type per key."""
    records = [*(d for _, d in graph.nodes(data=True)), *(d for *_, d in graph.edges(data=True))]
    types: dict[str, set[type]] = {}
    for data in records:
        for key, value in list(data.items()):
            if value is None:
                del data[key]
                continue
            if isinstance(value, list | tuple | set | dict):
                value = data[key] = "; ".join(map(str, value))
            types.setdefault(key, set()).add(type(value))
    # A key holding ints on one label and strings on another (Section.level, Agency.level) is text.
    mixed = {key for key, seen in types.items() if len(seen) > 1}
    for data in records:
        for key in mixed & data.keys():
            data[key] = str(data[key])
    return graph


def export_bytes(table: AssignmentTable, fmt: str) -> bytes:
    """The network in one format, as bytes (CSV: a zip with nodes.csv and edges.csv).

    >>> from policykg.analytics.table import AssignmentTable
    >>> t = AssignmentTable.from_rows([
    ...     {"measure_id": "m", "doc_id": "d", "year": None, "agency": x, "role": "joint", "position": i}
    ...     for i, x in enumerate("AB")])
    >>> b"<graphml" in export_bytes(t, "graphml")
    True
    """
    return graph_bytes(export_graph(table), fmt)


def graph_bytes(graph: nx.Graph, fmt: str) -> bytes:
    """Any graph in one export format (CSV: a zip with nodes.csv and edges.csv)."""
    if fmt in ("graphml", "gexf"):
        graph = _scalar_only(graph.copy())
    if fmt == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(graph, buffer, encoding="utf-8")
        return buffer.getvalue()
    if fmt == "gexf":
        buffer = io.BytesIO()
        nx.write_gexf(graph, buffer, encoding="utf-8")
        return buffer.getvalue()
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "csv":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("nodes.csv", _nodes_csv(graph))
            archive.writestr("edges.csv", _edges_csv(graph))
        return buffer.getvalue()
    raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return "; ".join(map(str, value))
    return value


def _nodes_csv(graph: nx.Graph) -> str:
    columns = sorted({k for _, d in graph.nodes(data=True) for k in d})
    nodes = sorted(graph.nodes(data=True), key=lambda item: str(item[0]))
    records = ([node, *(_cell(data.get(c)) for c in columns)] for node, data in nodes)
    return csv_records(["id", *columns], records, lineterminator="\n")


def _edges_csv(graph: nx.Graph) -> str:
    columns = sorted({k for _, _, d in graph.edges(data=True) for k in d})
    edges = sorted(graph.edges(data=True), key=lambda item: (str(item[0]), str(item[1])))
    records = ([a, b, *(_cell(data.get(c)) for c in columns)] for a, b, data in edges)
    return csv_records(["source", "target", *columns], records, lineterminator="\n")


def write_export(table: AssignmentTable, fmt: str, path: Path) -> Path:
    """Write the co-responsibility network; for CSV, ``path`` is a directory receiving nodes.csv and edges.csv."""
    return write_graph(export_graph(table), fmt, path)


def write_graph(graph: nx.Graph, fmt: str, path: Path) -> Path:
    """Write any graph in one format; for CSV, ``path`` is a directory receiving nodes.csv and edges.csv."""
    if fmt == "csv":
        path.mkdir(parents=True, exist_ok=True)
        (path / "nodes.csv").write_text(_nodes_csv(graph), encoding="utf-8")
        (path / "edges.csv").write_text(_edges_csv(graph), encoding="utf-8")
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(graph_bytes(graph, fmt))
    return path
