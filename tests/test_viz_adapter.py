"""The pyvis adapter: what reaches vis-network, and the large-view guard."""

from __future__ import annotations

import json

from policykg.viz.pyvis_adapter import build_network, render_network
from policykg.viz.synthetic import BUSY_AGENCY, busy_agency_data
from policykg.viz.views import GraphView, ViewEdge, ViewNode, agency_view


def _view(count: int) -> GraphView:
    view = GraphView("line")
    for i in range(count):
        view.add_node(ViewNode(f"n{i}", f"节点{i}", "agency", f"title {i}", 10, "#000", weight=float(i)))
    for i in range(1, count):
        view.add_edge(ViewEdge(f"n{i - 1}", f"n{i}", "partner"))
    return view.place()


def test_every_node_and_edge_reaches_pyvis_with_its_position() -> None:
    view = _view(30)
    net = build_network(view)
    assert net.num_nodes() == 30 and net.num_edges() == 29
    first = net.get_node("n0")
    assert (first["x"], first["y"]) == tuple(round(c, 1) for c in view.positions["n0"])
    assert first["kind"] == "agency" and first["title"] == "title 0"


def test_a_node_added_twice_is_kept_once() -> None:
    view = _view(3)
    view.nodes.append(view.nodes[0])  # bypasses GraphView's own guard
    assert build_network(view).num_nodes() == 3


def test_a_view_over_the_limit_is_drawn_reduced() -> None:
    drawn = render_network(_view(50), limit=10)
    assert (drawn.drawn_nodes, drawn.total_nodes, drawn.reduced) == (10, 50, True)
    nodes = json.loads(drawn.html.split('id="network-nodes">', 1)[1].split("</script>", 1)[0])
    assert sorted(n["id"] for n in nodes) == sorted(f"n{i}" for i in range(40, 50))  # the heaviest


def test_five_thousand_node_ego_network_is_drawn_in_full() -> None:
    view = agency_view(busy_agency_data(measures=2500, supporters=2499), BUSY_AGENCY)
    drawn = render_network(view)
    assert (drawn.drawn_nodes, drawn.reduced) == (5000, False)
    assert len(set(view.positions.values())) == 5000  # no two nodes on the same spot
