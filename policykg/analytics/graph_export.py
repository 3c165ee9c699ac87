"""The knowledge graph itself as a networkx graph: every node and typed edge, for Gephi, Cytoscape and notebooks.

Three views:

- ``full``: documents, sections, measures, agencies, targets and industries, with every property
  of the schema (role, position and as-written name on ASSIGNED edges, spans on measures);
- ``agencies``: the co-responsibility network (:func:`policykg.analytics.export.export_graph`);
- ``bipartite``: agency × measure (edges carry the role) or agency × industry (edges count the
  measures an agency is named on that concern the industry).

Node keys are ``Label:id`` so that an agency and an industry of the same name stay two nodes. A
node's attributes are its schema properties, with ``id`` as ``policykg_id``, plus ``node_type``
(the schema label) and ``label`` (what Gephi shows: a title, ref, name or metric); an edge's are its
properties plus ``rel_type``. GraphML and GEXF give ``id``, ``label`` and ``type`` meanings of
their own, hence the renaming.

>>> g = full_graph(
...     {"Agency": [{"id": "商务部", "name": "商务部"}], "Measure": [{"id": "m1", "ref": "1", "text": "建设平台"}]},
...     {"ASSIGNED": [{"source": "商务部", "target": "m1", "role": "lead", "position": 0, "as_written": "商务部"}]})
>>> sorted(g.nodes)
['Agency:商务部', 'Measure:m1']
>>> g.edges["Agency:商务部", "Measure:m1", 0]["role"]
'lead'
>>> bipartite_graph(g, "measure").nodes["Measure:m1"]["bipartite"]
1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import networkx as nx

from policykg import queries
from policykg.graph.schema import NODES, RELS
from policykg.graph.store import GraphStore

GraphView = Literal["full", "agencies", "bipartite"]
GRAPH_VIEWS: tuple[str, ...] = ("full", "agencies", "bipartite")
BipartiteWith = Literal["measure", "industry"]
BIPARTITE_WITH: tuple[str, ...] = ("measure", "industry")

# What a person reads as a node's label in Gephi's "Label" column, per node label.
_DISPLAY = {"Document": "title", "Section": "path", "Measure": "ref", "Agency": "name", "Target": "metric",
            "Industry": "name"}  # fmt: skip


def node_key(label: str, node_id: str) -> str:
    """The key of a node in the exported graph.

    >>> node_key("Agency", "省经信委")
    'Agency:省经信委'
    """
    return f"{label}:{node_id}"


def read_full_graph(store: GraphStore) -> nx.MultiDiGraph:
    """The whole graph of a store, read through the schema's ``graph_nodes_*`` / ``graph_rels_*`` queries."""
    nodes = {label: queries.read(store, f"graph_nodes_{label.lower()}") for label in NODES}
    rels = {rel_type: queries.read(store, f"graph_rels_{rel_type.lower()}") for rel_type in RELS}
    return full_graph(nodes, rels)


def full_graph(
    nodes: Mapping[str, Iterable[Mapping[str, Any]]], relationships: Mapping[str, Iterable[Mapping[str, Any]]]
) -> nx.MultiDiGraph:
    """Build the typed multigraph from node rows per label and relationship rows per type."""
    graph = nx.MultiDiGraph()
    for label, rows in nodes.items():
        spec = NODES[label]
        for row in rows:
            props = {key: row.get(key) for key in spec.properties}
            node_id = str(props.pop(spec.key))
            display = props.get(_DISPLAY.get(label, "")) or node_id
            graph.add_node(node_key(label, node_id), node_type=label, label=display, policykg_id=node_id, **props)
    for rel_type, rows in relationships.items():
        rel = RELS[rel_type]
        for row in rows:
            props = {key: row.get(key) for key in rel.properties}
            source, target = node_key(rel.source, str(row["source"])), node_key(rel.target, str(row["target"]))
            graph.add_edge(source, target, rel_type=rel_type, **props)
    return graph


def agency_measure_graph(full: nx.MultiDiGraph) -> nx.Graph:
    """Agency × measure: an edge per assignment, with its role, position and as-written name."""
    graph = nx.Graph()
    for source, target, data in full.edges(data=True):
        if data.get("rel_type") != "ASSIGNED":
            continue
        for key, side in ((source, 0), (target, 1)):
            graph.add_node(key, bipartite=side, **full.nodes[key])
        graph.add_edge(source, target, role=data.get("role"), position=data.get("position"),
                       as_written=data.get("as_written"))  # fmt: skip
    return graph


def agency_industry_graph(full: nx.MultiDiGraph) -> nx.Graph:
    """Agency × industry: edge weight = measures naming the agency that concern the industry."""
    industries_of: dict[str, list[str]] = {}
    for source, target, data in full.edges(data=True):
        if data.get("rel_type") == "CONCERNS":
            industries_of.setdefault(source, []).append(target)
    graph = nx.Graph()
    for source, target, data in full.edges(data=True):
        if data.get("rel_type") != "ASSIGNED":
            continue
        for industry in industries_of.get(target, []):
            graph.add_node(source, bipartite=0, **full.nodes[source])
            graph.add_node(industry, bipartite=1, **full.nodes[industry])
            weight = graph.get_edge_data(source, industry, {"weight": 0})["weight"]
            graph.add_edge(source, industry, weight=weight + 1)
    return graph


def bipartite_graph(full: nx.MultiDiGraph, with_: str = "measure") -> nx.Graph:
    """The agency × measure or agency × industry two-mode network (``bipartite`` 0 = agency)."""
    if with_ == "measure":
        return agency_measure_graph(full)
    if with_ == "industry":
        return agency_industry_graph(full)
    raise ValueError(f"Unknown bipartite partner {with_!r}; use one of {', '.join(BIPARTITE_WITH)}.")
