"""Exports of the co-responsibility network for Gephi and friends.

GraphML and GEXF carry only scalar attributes (networkx's GEXF writer mishandles lists),
CSV is a node table and an edge table, JSON is networkx's node-link form.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Literal

import networkx as nx

from policykg.analytics.metrics import co_responsibility_graph, lead_support_digraph, workload
from policykg.analytics.table import AssignmentTable

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
    return _scalar_only(graph)


def _scalar_only(graph: nx.Graph) -> nx.Graph:
    for _, data in graph.nodes(data=True):
        for key, value in list(data.items()):
            if value is None:
                data[key] = ""
            elif isinstance(value, list | tuple | set | dict):
                data[key] = "; ".join(map(str, value))
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
    graph = export_graph(table)
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


def _nodes_csv(graph: nx.Graph) -> str:
    columns = sorted({k for _, d in graph.nodes(data=True) for k in d})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", *columns])
    for node, data in sorted(graph.nodes(data=True)):
        writer.writerow([node, *(data.get(c, "") for c in columns)])
    return out.getvalue()


def _edges_csv(graph: nx.Graph) -> str:
    columns = sorted({k for _, _, d in graph.edges(data=True) for k in d})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["source", "target", *columns])
    for a, b, data in sorted(graph.edges(data=True)):
        writer.writerow([a, b, *(data.get(c, "") for c in columns)])
    return out.getvalue()


def write_export(table: AssignmentTable, fmt: str, path: Path) -> Path:
    """Write the export; for CSV, ``path`` is a directory receiving nodes.csv and edges.csv."""
    if fmt == "csv":
        path.mkdir(parents=True, exist_ok=True)
        graph = export_graph(table)
        (path / "nodes.csv").write_text(_nodes_csv(graph), encoding="utf-8")
        (path / "edges.csv").write_text(_edges_csv(graph), encoding="utf-8")
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(export_bytes(table, fmt))
    return path
