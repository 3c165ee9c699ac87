"""Node positions computed before the page is written, so the browser never runs physics.

Small graphs get networkx's spring layout. Large ones (thousands of measures around a few
hundred agencies) get a hub layout: the best-connected nodes are laid out with the spring
layout on the graph of hubs sharing neighbours, and every other node sits on a spiral
around the hub it is reached from, next to the node it hangs off. That takes well under a second for 5,000 nodes,
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
ASPECT = 1.6  # width / height of the explorer's drawing area


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
    # Rows as wide as the pages' drawing area is wider than tall, so a fit fills it.
    row_width = max(math.sqrt(sum(w * h for _, _, w, h in boxes) * ASPECT) * 1.3, max(w for _, _, w, _ in boxes))
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


def spiral(count: int, spacing: float = NODE_SPACING) -> list[Point]:
    """``count`` points along an Archimedean spiral around the origin, ``spacing`` apart.

    Consecutive points are neighbours on the page, so a node listed right after another
    (a supporting agency after its measure) lands next to it.

    >>> points = spiral(50)
    >>> len(points), spiral(0)
    (50, [])
    >>> all(math.dist(a, b) < NODE_SPACING * 1.5 for a, b in zip(points, points[1:]))
    True
    """
    points = []
    ring_gap = spacing / (2 * math.pi)  # radius grows by one spacing per turn
    theta = 2 * math.pi  # start one ring out, clear of the hub itself
    for _ in range(count):
        radius = ring_gap * theta
        points.append((radius * math.cos(theta), radius * math.sin(theta)))
        theta += spacing / radius
    return points


def _hub_layout(graph: nx.Graph, seed: int) -> dict[Hashable, Point]:
    """Spring layout of the best-connected nodes; everything else on spirals around them."""
    degree = dict(graph.degree())
    ranked = sorted(graph.nodes, key=lambda n: (-degree[n], str(n)))
    # A hub fans out (degree 3 or more); a chain node (measure between two agencies) is not one.
    hubs = {n for n in ranked[: SPRING_LIMIT // 2] if degree[n] >= 3} or {ranked[0]}

    # Breadth-first from the hubs: each node follows the node it was reached from, so
    # satellites list in an order that keeps a node's own followers right after it.
    parent: dict[Hashable, Hashable] = {}
    frontier = sorted(hubs, key=lambda n: (-degree[n], str(n)))
    seen = set(hubs)
    while frontier:
        following = []
        for node in frontier:
            for nb in sorted(graph.neighbors(node), key=lambda n: (-degree[n], str(n))):
                if nb not in seen:
                    seen.add(nb)
                    parent[nb] = node
                    following.append(nb)
        frontier = following
    for node in ranked:  # unreachable from any hub (positions() passes one component, but stand alone)
        if node not in seen:
            hubs.add(node)

    children: dict[Hashable, list[Hashable]] = defaultdict(list)
    for node, up in parent.items():
        children[up].append(node)

    def ordered(node: Hashable) -> list[Hashable]:
        result: list[Hashable] = []
        stack = list(reversed(children.get(node, [])))
        while stack:
            current = stack.pop()
            result.append(current)
            stack.extend(reversed(children.get(current, [])))
        return result

    satellites = {hub: ordered(hub) for hub in hubs}

    hub_graph = nx.Graph()
    hub_graph.add_nodes_from(hubs)
    for u, v in graph.edges:
        if u in hubs and v in hubs:
            _add_weight(hub_graph, u, v, 2.0)
    for node in graph.nodes:
        if node not in hubs:
            near = sorted((n for n in graph.neighbors(node) if n in hubs), key=str)
            for u, v in combinations(near, 2):
                _add_weight(hub_graph, u, v, 1.0)

    # Scale the hubs' layout so the spirals' total area fits with room to spare.
    area = sum((len(members) + 1) * NODE_SPACING**2 for members in satellites.values())
    scale = max(math.sqrt(area) * 1.2, NODE_SPACING * 3)
    if len(hubs) == 1:
        centres = {next(iter(hubs)): (0.0, 0.0)}
    elif len(hubs) <= SPRING_LIMIT:
        centres = _spring(hub_graph, seed, scale)
    else:  # many separate clusters: their hubs on a spiral, largest clusters first
        order = sorted(hubs, key=lambda n: (-len(satellites[n]), str(n)))
        gap = NODE_SPACING * 2 * math.sqrt(max(len(m) for m in satellites.values()) + 1)
        centres = dict(zip(order, spiral(len(order), spacing=gap), strict=True))

    result: dict[Hashable, Point] = dict(centres)
    for hub, members in satellites.items():
        cx, cy = centres[hub]
        for member, (dx, dy) in zip(members, spiral(len(members)), strict=True):
            result[member] = (cx + dx, cy + dy)
    return result


def _add_weight(graph: nx.Graph, u: Hashable, v: Hashable, weight: float) -> None:
    if graph.has_edge(u, v):
        graph[u][v]["weight"] += weight
    else:
        graph.add_edge(u, v, weight=weight)
