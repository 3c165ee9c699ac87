"""The one module that talks to pyvis 0.3.2, and works around its faults.

* pyvis's own page template loads Bootstrap and vis-network from CDNs (pyvis #228, #229):
  we render through our own fragment template (``assets/network_fragment.html``) and ship
  the vis-network files pyvis carries in its package next to the pages.
* HTML titles show as raw text since vis-network 9 (#144): titles are plain text with
  newlines, and a detail panel (``assets/explorer.js``) shows the rest.
* Physics on a large graph takes minutes to settle (#204): positions are precomputed
  (:mod:`policykg.viz.layout`) and physics is off.
* ``show()`` needs a notebook (#216): only ``generate_html()`` is used.
* ``add_edge`` on an undirected network scans every edge (quadratic): the network is
  directed and arrows are set per edge. ``add_node``/``add_edge`` also look ids up in a
  list; :class:`_IdList` answers those look-ups from a set (5,000 nodes: 3 s → 0.1 s).

>>> from policykg.viz.views import GraphView, ViewNode
>>> view = GraphView("v")
>>> _ = view.add_node(ViewNode("a", "</script><b>", "agency", "t", 10, "#000"))
>>> drawn = render_network(view.place())
>>> drawn.drawn_nodes, drawn.total_nodes, "</script><b>" in drawn.html
(1, 1, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyvis
from pyvis.network import Network

from policykg.viz.views import GraphView

ASSET_DIR = Path(__file__).parent / "assets"
FRAGMENT_TEMPLATE = "network_fragment.html"
# Beyond this many nodes a page draws a reduced view and says so, instead of freezing the tab.
NODE_LIMIT = 6000
# Views this small settle for a few iterations from their precomputed positions; larger ones never run physics.
SETTLE_LIMIT = 400
SETTLE_ITERATIONS = 150
# Above this many nodes labels and edges are hidden while dragging or zooming, to keep panning smooth.
LARGE_VIEW = 800


@dataclass(frozen=True, slots=True)
class DrawnNetwork:
    """The HTML of one network (a ``<div>`` and its ``<script>``) and how much of the view it draws."""

    html: str
    drawn_nodes: int
    total_nodes: int

    @property
    def reduced(self) -> bool:
        return self.drawn_nodes < self.total_nodes


def vis_network_files() -> dict[str, Path]:
    """vis-network's script and style sheet as pyvis ships them (vis-network 9.1.2, Apache-2.0/MIT)."""
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    files = {"vis-network.min.js": lib / "vis-network.min.js", "vis-network.css": lib / "vis-network.css"}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"pyvis does not ship {', '.join(missing)}; reinstall pyvis==0.3.2.")
    return files


def vis_options(node_count: int) -> dict[str, Any]:
    """vis-network options: plain edges, hover tooltips, and physics only to polish a small view.

    Positions are always precomputed. A view of up to :data:`SETTLE_LIMIT` nodes gets a short
    stabilisation from those positions (it spreads crowded clusters in a fraction of a second),
    after which explorer.js switches physics off; a larger view is drawn as placed.
    """
    large = node_count > LARGE_VIEW
    physics: dict[str, Any] = {"enabled": False}
    if 0 < node_count <= SETTLE_LIMIT:  # an empty network never reports stabilising
        physics = {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "springLength": 110, "avoidOverlap": 0.6},
            "stabilization": {"enabled": True, "iterations": SETTLE_ITERATIONS, "updateInterval": 50, "fit": True},
        }
    return {
        "autoResize": True,
        "physics": physics,
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            "multiselect": False,
        },
        "edges": {"smooth": False, "color": {"inherit": False}, "selectionWidth": 2},
        # A white halo keeps a label readable where it crosses lines and other nodes; a large
        # view skips it, as drawing every label twice slows panning.
        "nodes": {
            "font": {"size": 12, "face": "sans-serif", "strokeWidth": 0 if large else 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
    }


class _IdList(list[Any]):
    """pyvis's list of node ids, with membership answered by a set (pyvis only appends to it)."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def build_network(view: GraphView) -> Network:
    """A pyvis Network of ``view`` with fixed positions; extra node fields ride along for explorer.js."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.node_ids = _IdList()
    net.set_template_dir(str(ASSET_DIR) + "/", FRAGMENT_TEMPLATE)
    net.options = vis_options(len(view.nodes))  # pyvis accepts a plain dict in place of its Options
    # Rank 0 is the heaviest node (most measures, then largest): explorer.js labels the top
    # ranks at every zoom and the rest once they are drawn large enough to read.
    order = sorted(view.nodes, key=lambda n: (-n.weight, -n.size, n.id))
    ranks = {n.id: i for i, n in enumerate(order)}
    for node in view.nodes:
        x, y = view.positions.get(node.id, (0.0, 0.0))
        net.add_node(
            node.id,
            label=node.label,
            shape=node.shape,
            color=node.colour,
            size=node.size,
            title=node.title,
            x=round(x, 1),
            y=round(y, 1),
            kind=node.kind,
            href=node.href,
            detail=[list(pair) for pair in node.detail],
            facets=node.facets,
            follows=node.follows,
            rank=ranks[node.id],
        )
    for edge in view.edges:
        net.add_edge(
            edge.source,
            edge.target,
            color=edge.colour,
            width=edge.width,
            title=edge.title or None,
            kind=edge.kind,
            arrows="",
        )
    return net


def render_network(view: GraphView, *, limit: int = NODE_LIMIT) -> DrawnNetwork:
    """The network's HTML fragment; a view over ``limit`` nodes is reduced to its ``limit`` heaviest nodes."""
    total = len(view.nodes)
    drawn = view if total <= limit else view.reduced(limit)
    html = build_network(drawn).generate_html(name="network.html")
    return DrawnNetwork(html=html, drawn_nodes=len(drawn.nodes), total_nodes=total)
