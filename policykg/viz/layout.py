"""Node positions computed before the page is written, so the browser never runs physics.

Small graphs get networkx's spring layout. Large ones (thousands of measures around a few
hundred agencies) get a hub layout: the best-connected nodes are laid out with the spring
layout on the graph of hubs sharing neighbours, and every other node sits on a sunflower
spiral around its best-connected hub. That takes well under a second for 5,000 nodes,
where a force simulation in the page takes minutes (pyvis issue #204).

>>> import networkx as nx
>>> pos = positions(nx.path_graph(3))
>>> sorted(pos) == [0, 1, 2] and all(len(p) == 2 for p in pos.values())
True
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable
from itertools import combinations

import networkx as nx

Point = tuple[float, float]

MANY_COMPONENTS = 200
SPRING_LIMIT = 400  # networkx's dense spring layout stays fast up to a few hundred nodes
NODE_SPACING = 38.0  # vis-network canvas units between neighbouring satellites
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def positions(graph: nx.Graph, *, seed: int = 7) -> dict[Hashable, Point]:
    """Canvas coordinates for every node of ``graph``, deterministic for a given seed.

    Each connected component is laid out on its own and the components are packed in rows,
    largest first: laid out together, a few stray components push the main one into a dot.
    """
    if graph.number_of_nodes() == 0:
        return {}
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c))))
    if len(components) == 1:
        return _component_layout(graph, seed)
    # Thousands of tiny components would spend seconds in the spring layout's per-call overhead.
    many = len(components) > MANY_COMPONENTS
    return _pack([_component_layout(graph.subgraph(c), seed, circle_below=30 if many else 3) for c in components])


def _component_layout(graph: nx.Graph, seed: int, circle_below: int = 3) -> dict[Hashable, Point]:
    n = graph.number_of_nodes()
    if n < circle_below:
        return _circle(sorted(graph.nodes, key=str))
    if n <= SPRING_LIMIT:
        return _spring(graph, seed, scale=NODE_SPACING * 1.4 * math.sqrt(graph.number_of_nodes()))
    return _hub_layout(graph, seed)


def _circle(nodes: list[Hashable]) -> dict[Hashable, Point]:
    """Nodes evenly on a circle just wide enough to keep them apart (one node sits at the origin)."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    radius = NODE_SPACING * len(nodes) / (2 * math.pi) + NODE_SPACING / 2
    step = 2 * math.pi / len(nodes)
    return {n: (radius * math.cos(i * step), radius * math.sin(i * step)) for i, n in enumerate(nodes)}


def _pack(layouts: list[dict[Hashable, Point]]) -> dict[Hashable, Point]:
    """Shelf-pack laid-out components (largest first) into rows about as wide as they are tall."""
    boxes = []
    for layout in layouts:
        xs = [x for x, _ in layout.values()]
        ys = [y for _, y in layout.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + NODE_SPACING * 2, max(ys) - min(ys) + NODE_SPACING * 2))
    row_width = max(math.sqrt(sum(w * h for _, _, w, h in boxes)) * 1.2, max(w for _, _, w, _ in boxes))
    result: dict[Hashable, Point] = {}
    x = y = row_height = 0.0
    for layout, (left, top, width, height) in zip(layouts, boxes, strict=True):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (nx_, ny) in layout.items():
            result[node] = (x + (nx_ - left) + NODE_SPACING, y + (ny - top) + NODE_SPACING)
        x += width
        row_height = max(row_height, height)
    return result


def _spring(graph: nx.Graph, seed: int, scale: float) -> dict[Hashable, Point]:
    if graph.number_of_nodes() == 1:
        return {next(iter(graph.nodes)): (0.0, 0.0)}
    raw = nx.spring_layout(graph, seed=seed, iterations=80, weight="weight")
    return {n: (float(x) * scale, float(y) * scale) for n, (x, y) in raw.items()}


def spiral(count: int, spacing: float = NODE_SPACING, start: int = 1) -> list[Point]:
    """``count`` evenly spread points on a sunflower spiral around the origin.

    >>> len(spiral(5)), spiral(0)
    (5, [])
    """
    points = []
    for i in range(start, start + count):
        radius = spacing * math.sqrt(i) * 0.9
        angle = i * _GOLDEN_ANGLE
        points.append((radius * math.cos(angle), radius * math.sin(angle)))
    return points


def _hub_layout(graph: nx.Graph, seed: int) -> dict[Hashable, Point]:
    degree = dict(graph.degree())
    ranked = sorted(graph.nodes, key=lambda n: (-degree[n], str(n)))
    hubs = set(ranked[: SPRING_LIMIT // 2])
    # Every connected component needs a hub, or its nodes would have nowhere to go
    # (positions() passes one component at a time, but the hub layout stands on its own).
    for component in nx.connected_components(graph):
        if not component & hubs:
            hubs.add(max(component, key=lambda n: (degree[n], str(n))))

    parent: dict[Hashable, Hashable] = {}
    for node in ranked:
        if node in hubs:
            continue
        hub_neighbours = [n for n in graph.neighbors(node) if n in hubs]
        if hub_neighbours:
            parent[node] = max(hub_neighbours, key=lambda n: (degree[n], str(n)))
    # Nodes two or more steps from any hub follow the hub their nearest placed neighbour follows.
    for node in nx.multi_source_dijkstra_path_length(graph, hubs):
        if node not in hubs and node not in parent:
            placed = [n for n in graph.neighbors(node) if n in parent or n in hubs]
            if placed:
                parent[node] = placed[0] if placed[0] in hubs else parent[placed[0]]

    satellites: dict[Hashable, list[Hashable]] = defaultdict(list)
    for node, hub in parent.items():
        satellites[hub].append(node)

    hub_graph = nx.Graph()
    hub_graph.add_nodes_from(hubs)
    for u, v in graph.edges:
        if u in hubs and v in hubs:
            _add_weight(hub_graph, u, v, 2.0)
    for node in graph.nodes:
        if node in hubs:
            continue
        near = sorted((n for n in graph.neighbors(node) if n in hubs), key=str)
        for u, v in combinations(near, 2):
            _add_weight(hub_graph, u, v, 1.0)

    widest = max((len(s) for s in satellites.values()), default=0)
    cluster_radius = NODE_SPACING * math.sqrt(widest + 1)
    hub_count = len(hubs)
    scale = max(cluster_radius * 2.2 * math.sqrt(hub_count), NODE_SPACING * 3)
    if hub_count <= SPRING_LIMIT:
        centres = _spring(hub_graph, seed, scale)
    else:  # many small components: lay their hubs out on a spiral, largest clusters first
        order = sorted(hubs, key=lambda n: (-len(satellites.get(n, ())), str(n)))
        centres = dict(zip(order, spiral(hub_count, spacing=cluster_radius * 2, start=0), strict=True))

    result: dict[Hashable, Point] = dict(centres)
    for hub, members in satellites.items():
        cx, cy = centres[hub]
        for member, (dx, dy) in zip(sorted(members, key=str), spiral(len(members)), strict=True):
            result[member] = (cx + dx, cy + dy)
    return result


def _add_weight(graph: nx.Graph, u: Hashable, v: Hashable, weight: float) -> None:
    if graph.has_edge(u, v):
        graph[u][v]["weight"] += weight
    else:
        graph.add_edge(u, v, weight=weight)
