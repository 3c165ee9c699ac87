"""Workload and coordination-network metrics over an :class:`AssignmentTable`.

Definitions (the ones the literature on Chinese inter-agency coordination uses):

- *lead / support / joint*: measures an agency holds in each role.
- *share-normalised load*: each measure split 1/k among its k units.
- *breadth*: distinct partner units; *depth*: measures shared with at least one other unit.
  Role classes of the breadth–depth matrix (after Cheng et al., Healthcare 2022): *leading*
  (both at or above the mean over agencies with tasks), *key* (one of them), *auxiliary* (neither).
- *co-responsibility network*: agencies linked when they share a measure, weight = shared measures.

>>> from policykg.analytics.table import AssignmentTable
>>> t = AssignmentTable.from_rows([
...     {"measure_id": "m1", "doc_id": "d", "year": 2017, "agency": "A", "role": "lead", "position": 0, "targets": 2},
...     {"measure_id": "m1", "doc_id": "d", "year": 2017, "agency": "B", "role": "support", "position": 1,
...      "targets": 2},
...     {"measure_id": "m2", "doc_id": "d", "year": 2017, "agency": "A", "role": "lead", "position": 0, "targets": 0},
... ])
>>> w = {r.agency: r for r in workload(t)}
>>> (w["A"].lead, w["A"].share_load, w["A"].lead_targets, w["B"].support)
(2, 1.5, 2, 1)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx
from networkx.algorithms import bipartite

from policykg.analytics.table import AssignmentTable


@dataclass(frozen=True, slots=True)
class WorkloadRow:
    agency: str
    level: str | None
    kind: str | None
    lead: int
    support: int
    joint: int
    measures: int
    share_load: float
    lead_targets: int
    documents: int
    # "targets as lead": normalised sums per base unit of the targets of measures it leads
    lead_target_sums: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def workload(table: AssignmentTable, *, include_idle: bool = True) -> list[WorkloadRow]:
    """Per-agency counts, heaviest first (ties by name); idle registry units last with zeros."""
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    measures: dict[str, set[str]] = defaultdict(set)
    docs: dict[str, set[str]] = defaultdict(set)
    share: dict[str, float] = defaultdict(float)
    lead_targets: dict[str, int] = defaultdict(int)
    lead_sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for measure_id, rows in table.by_measure().items():
        units = {r.agency for r in rows}
        for agency in units:
            share[agency] += 1 / len(units)
        for r in rows:
            roles[r.agency][r.role] += 1
            measures[r.agency].add(measure_id)
            docs[r.agency].add(r.doc_id)
            if r.role == "lead":
                lead_targets[r.agency] += r.targets
                for unit, total in table.target_sums.get(measure_id, {}).items():
                    lead_sums[r.agency][unit] += total
    names = set(measures) | (set(table.agencies) if include_idle else set())
    out = []
    for name in names:
        info = table.agencies.get(name)
        out.append(
            WorkloadRow(
                agency=name,
                level=info.level if info else None,
                kind=info.kind if info else None,
                lead=roles[name]["lead"],
                support=roles[name]["support"],
                joint=roles[name]["joint"],
                measures=len(measures[name]),
                share_load=round(share[name], 6),
                lead_targets=lead_targets[name],
                documents=len(docs[name]),
                lead_target_sums={u: round(v, 6) for u, v in sorted(lead_sums[name].items())},
            )
        )
    return sorted(out, key=lambda r: (-r.measures, -r.lead, r.agency))


def co_responsibility_graph(table: AssignmentTable) -> nx.Graph:
    """Undirected, weighted: an edge for every pair of units sharing a measure.

    >>> from policykg.analytics.table import AssignmentTable
    >>> t = AssignmentTable.from_rows([
    ...     {"measure_id": "m", "doc_id": "d", "year": None, "agency": x, "role": "joint", "position": i}
    ...     for i, x in enumerate("ABC")])
    >>> g = co_responsibility_graph(t)
    >>> sorted(g.edges(data="weight"))
    [('A', 'B', 1), ('A', 'C', 1), ('B', 'C', 1)]
    """
    graph = nx.Graph()
    for rows in table.by_measure().values():
        units = sorted({r.agency for r in rows})
        graph.add_nodes_from(units)
        for a, b in combinations(units, 2):
            weight = graph.get_edge_data(a, b, {"weight": 0})["weight"]
            graph.add_edge(a, b, weight=weight + 1)
    for name, node in graph.nodes(data=True):
        info = table.agencies.get(name)
        node["level"] = (info.level if info else None) or "unknown"
        node["kind"] = (info.kind if info else None) or "unknown"
    return graph


def lead_support_digraph(table: AssignmentTable) -> nx.DiGraph:
    """Directed: lead → support, weight = measures where the one leads and the other supports."""
    graph = nx.DiGraph()
    for rows in table.by_measure().values():
        leads = [r.agency for r in rows if r.role == "lead"]
        supports = [r.agency for r in rows if r.role == "support"]
        for a in leads:
            for b in supports:
                if a != b:
                    weight = graph.get_edge_data(a, b, {"weight": 0})["weight"]
                    graph.add_edge(a, b, weight=weight + 1)
    return graph


@dataclass(frozen=True, slots=True)
class BreadthDepth:
    agency: str
    breadth: int
    depth: int
    role_class: str


def breadth_depth(table: AssignmentTable) -> list[BreadthDepth]:
    """Breadth (distinct partners) against depth (shared measures) and the role class.

    >>> from policykg.analytics.table import AssignmentTable
    >>> rows = [("m1", "A"), ("m1", "B"), ("m2", "A"), ("m2", "C"), ("m3", "D")]
    >>> t = AssignmentTable.from_rows([
    ...     {"measure_id": m, "doc_id": "d", "year": None, "agency": a, "role": "joint", "position": 0}
    ...     for m, a in rows])
    >>> {b.agency: (b.breadth, b.depth, b.role_class) for b in breadth_depth(t)}["A"]
    (2, 2, 'leading')
    """
    graph = co_responsibility_graph(table)
    depth: Counter[str] = Counter()
    for rows in table.by_measure().values():
        units = {r.agency for r in rows}
        if len(units) > 1:
            depth.update(units)
    names = sorted(graph.nodes)
    if not names:
        return []
    breadth = {n: graph.degree(n) for n in names}
    mean_b = sum(breadth.values()) / len(names)
    mean_d = sum(depth[n] for n in names) / len(names)
    out = []
    for n in names:
        above = (breadth[n] >= mean_b) + (depth[n] >= mean_d)
        out.append(BreadthDepth(n, breadth[n], depth[n], ("auxiliary", "key", "leading")[above]))
    return out


def degree_centralisation(graph: nx.Graph) -> float:
    """Freeman's degree centralisation: 1 for a star, 0 when every degree is equal.

    >>> degree_centralisation(nx.star_graph(4)), degree_centralisation(nx.cycle_graph(5))
    (1.0, 0.0)
    """
    n = graph.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in graph.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def ei_index(graph: nx.Graph, group: Callable[[str], Any], *, weighted: bool = False) -> float | None:
    """Krackhardt's E-I index: (external − internal) / (external + internal) ties.

    >>> g = nx.Graph([("a1", "a2"), ("a1", "b1")])
    >>> ei_index(g, lambda n: n[0])
    0.0
    """
    external = internal = 0.0
    for a, b, data in graph.edges(data=True):
        w = data.get("weight", 1) if weighted else 1
        if group(a) == group(b):
            internal += w
        else:
            external += w
    total = external + internal
    return None if total == 0 else (external - internal) / total


@dataclass(frozen=True, slots=True)
class NodeMetrics:
    agency: str
    degree: int
    weighted_degree: int
    betweenness: float
    closeness: float


def node_metrics(graph: nx.Graph) -> list[NodeMetrics]:
    """Degree, weighted degree, betweenness and closeness (normalised, unweighted paths)."""
    between = nx.betweenness_centrality(graph, normalized=True)
    close = nx.closeness_centrality(graph)
    return [
        NodeMetrics(
            n,
            graph.degree(n),
            int(graph.degree(n, weight="weight")),
            round(between[n], 6),
            round(close[n], 6),
        )
        for n in sorted(graph.nodes, key=lambda n: (-graph.degree(n, weight="weight"), n))
    ]


def network_summary(table: AssignmentTable) -> dict[str, Any]:
    """Whole-network figures of the co-responsibility network and the lead→support network."""
    graph = co_responsibility_graph(table)
    directed = lead_support_digraph(table)
    return {
        "agencies": graph.number_of_nodes(),
        "ties": graph.number_of_edges(),
        "density": round(nx.density(graph), 6) if graph.number_of_nodes() > 1 else 0.0,
        "degree_centralisation": round(degree_centralisation(graph), 6),
        "components": nx.number_connected_components(graph) if graph.number_of_nodes() else 0,
        "ei_index_by_level": _round(ei_index(graph, lambda n: graph.nodes[n]["level"])),
        "ei_index_by_kind": _round(ei_index(graph, lambda n: graph.nodes[n]["kind"])),
        "lead_support_ties": directed.number_of_edges(),
        "lead_support_reciprocity": round(nx.reciprocity(directed), 6) if directed.number_of_edges() else 0.0,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def agency_industry_graph(table: AssignmentTable) -> nx.Graph:
    """Two-mode network: agency — industry, weight = the agency's measures concerning it."""
    graph = nx.Graph()
    for measure_id, rows in table.by_measure().items():
        for industry in table.industries.get(measure_id, []):
            graph.add_node(industry, bipartite=1, type="industry")
            for agency in {r.agency for r in rows}:
                graph.add_node(agency, bipartite=0, type="agency")
                weight = graph.get_edge_data(agency, industry, {"weight": 0})["weight"]
                graph.add_edge(agency, industry, weight=weight + 1)
    return graph


def agency_projection(two_mode: nx.Graph) -> nx.Graph:
    """Agencies linked by the industries they both work on (weight = shared industries)."""
    agencies = [n for n, d in two_mode.nodes(data=True) if d.get("bipartite") == 0]
    return bipartite.weighted_projected_graph(two_mode, agencies)


def workload_by(table: AssignmentTable, key: str) -> dict[str, list[WorkloadRow]]:
    """Workload sliced by ``document``, ``year`` or ``industry``."""
    if key == "document":
        slices = sorted({r.doc_id for r in table.rows})
        return {d: workload(table.filter(doc_id=d), include_idle=False) for d in slices}
    if key == "year":
        years = sorted({r.year for r in table.rows if r.year is not None})
        return {str(y): workload(table.filter(year=y), include_idle=False) for y in years}
    if key == "industry":
        out: dict[str, list[WorkloadRow]] = {}
        industries = sorted({i for names in table.industries.values() for i in names})
        for industry in industries:
            keep = {m for m, names in table.industries.items() if industry in names}
            sub = AssignmentTable(
                [r for r in table.rows if r.measure_id in keep], table.agencies, target_sums=table.target_sums
            )
            out[industry] = workload(sub, include_idle=False)
        return out
    raise ValueError(f"Cannot slice the workload by {key!r}; use document, year or industry.")
