"""Metric values checked against small graphs worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from policykg.analytics.metrics import (
    agency_industry_graph,
    agency_projection,
    breadth_depth,
    co_responsibility_graph,
    degree_centralisation,
    ei_index,
    lead_support_digraph,
    network_summary,
    node_metrics,
    workload,
    workload_by,
)
from policykg.analytics.table import AssignmentTable


def rows(spec: list[tuple[str, str, str, str]], year: int = 2017) -> list[dict[str, object]]:
    """(measure, doc, agency, role) tuples; position follows order within a measure."""
    positions: dict[str, int] = {}
    out = []
    for measure, doc, agency, role in spec:
        positions[measure] = positions.get(measure, -1) + 1
        out.append(
            {
                "measure_id": measure,
                "doc_id": doc,
                "year": year,
                "agency": agency,
                "role": role,
                "position": positions[measure],
                "targets": 0,
            }
        )
    return out


# m1: A leads, B and C support.  m2: A leads, B supports.  m3: C and D joint.  m4: A alone leads.
SPEC = [
    ("m1", "d1", "A", "lead"),
    ("m1", "d1", "B", "support"),
    ("m1", "d1", "C", "support"),
    ("m2", "d1", "A", "lead"),
    ("m2", "d1", "B", "support"),
    ("m3", "d2", "C", "joint"),
    ("m3", "d2", "D", "joint"),
    ("m4", "d2", "A", "lead"),
]


@pytest.fixture
def table() -> AssignmentTable:
    agencies = [
        {"agency": "A", "level": "province", "kind": "dept"},
        {"agency": "B", "level": "province", "kind": "dept"},
        {"agency": "C", "level": "city", "kind": "gov"},
        {"agency": "D", "level": "city", "kind": "gov"},
        {"agency": "E", "level": "province", "kind": "dept"},
    ]
    data = rows(SPEC)
    data[0]["targets"] = data[1]["targets"] = data[2]["targets"] = 3  # m1 sets 3 targets
    industries = [
        {"measure_id": "m1", "industry": "纺织"},
        {"measure_id": "m3", "industry": "纺织"},
        {"measure_id": "m3", "industry": "造纸"},
    ]
    return AssignmentTable.from_rows(data, agencies, industries)


def test_workload_counts_roles_share_targets_and_documents(table: AssignmentTable) -> None:
    w = {r.agency: r for r in workload(table)}
    assert (w["A"].lead, w["A"].support, w["A"].joint, w["A"].measures) == (3, 0, 0, 3)
    # A: m1 1/3 + m2 1/2 + m4 1 = 11/6
    assert w["A"].share_load == pytest.approx(11 / 6, abs=1e-6)
    assert w["A"].lead_targets == 3
    assert w["A"].documents == 2
    assert (w["C"].support, w["C"].joint) == (1, 1)
    assert w["C"].share_load == pytest.approx(1 / 3 + 1 / 2, abs=1e-6)
    # E has no task and still shows up with zeros.
    assert (w["E"].measures, w["E"].share_load) == (0, 0.0)
    assert next(r.agency for r in workload(table)) == "A"


def test_share_load_sums_to_the_number_of_measures(table: AssignmentTable) -> None:
    assert sum(r.share_load for r in workload(table)) == pytest.approx(4)


def test_co_responsibility_weights(table: AssignmentTable) -> None:
    g = co_responsibility_graph(table)
    assert dict(((a, b), w) for a, b, w in g.edges(data="weight")) == {
        ("A", "B"): 2,
        ("A", "C"): 1,
        ("B", "C"): 1,
        ("C", "D"): 1,
    }


def test_lead_support_digraph(table: AssignmentTable) -> None:
    d = lead_support_digraph(table)
    assert sorted(d.edges(data="weight")) == [("A", "B", 2), ("A", "C", 1)]


def test_breadth_depth_classes(table: AssignmentTable) -> None:
    # breadth: A2 B2 C3 D1 (mean 2); depth (shared measures): A2 B2 C2 D1 (mean 1.75)
    got = {b.agency: (b.breadth, b.depth, b.role_class) for b in breadth_depth(table)}
    assert got == {"A": (2, 2, "leading"), "B": (2, 2, "leading"), "C": (3, 2, "leading"), "D": (1, 1, "auxiliary")}


def test_breadth_depth_key_class() -> None:
    # A shares m1 with B, C, D (breadth 3, depth 1); B shares m1 and m2 with A/C... worked by hand:
    spec = [
        ("m1", "d", "A", "joint"),
        ("m1", "d", "B", "joint"),
        ("m1", "d", "C", "joint"),
        ("m1", "d", "D", "joint"),
        ("m2", "d", "B", "joint"),
        ("m2", "d", "E", "joint"),
        ("m3", "d", "B", "joint"),
        ("m3", "d", "E", "joint"),
    ]
    got = {b.agency: (b.breadth, b.depth, b.role_class) for b in breadth_depth(AssignmentTable.from_rows(rows(spec)))}
    # breadth A3 B4 C3 D3 E1 → mean 2.8; depth A1 B3 C1 D1 E2 → mean 1.6
    assert got["A"] == (3, 1, "key")
    assert got["B"] == (4, 3, "leading")
    assert got["E"] == (1, 2, "key")


def test_degree_centralisation_by_hand() -> None:
    # Path a-b-c-d: degrees 1,2,2,1; max 2; sum of gaps 2; (n-1)(n-2)=6 → 1/3.
    assert degree_centralisation(nx.path_graph(4)) == pytest.approx(1 / 3)


def test_ei_index_by_level(table: AssignmentTable) -> None:
    g = co_responsibility_graph(table)
    # internal: A-B (province), C-D (city); external: A-C, B-C → (2-2)/4 = 0
    assert ei_index(g, lambda n: g.nodes[n]["level"]) == 0.0
    # weighted: internal A-B 2 + C-D 1 = 3; external 2 → (2-3)/5
    assert ei_index(g, lambda n: g.nodes[n]["level"], weighted=True) == pytest.approx(-0.2)


def test_network_summary_and_node_metrics(table: AssignmentTable) -> None:
    s = network_summary(table)
    assert (s["agencies"], s["ties"]) == (4, 4)
    assert s["density"] == pytest.approx(4 / 6, abs=1e-6)
    # degrees A2 B2 C3 D1: gaps 1+1+0+2 = 4 over 6
    assert s["degree_centralisation"] == pytest.approx(4 / 6, abs=1e-6)
    metrics = {m.agency: m for m in node_metrics(co_responsibility_graph(table))}
    # C is the only bridge to D: on the A-D and B-D shortest paths → betweenness 2 / 3 pairs
    assert metrics["C"].betweenness == pytest.approx(2 / 3, abs=1e-6)
    assert metrics["D"].closeness == pytest.approx(3 / (1 + 2 + 2), abs=1e-6)
    assert metrics["A"].weighted_degree == 3


def test_two_mode_and_projection(table: AssignmentTable) -> None:
    two = agency_industry_graph(table)
    assert two["A"]["纺织"]["weight"] == 1 and two["C"]["纺织"]["weight"] == 2
    assert set(two["D"]) == {"纺织", "造纸"}
    proj = agency_projection(two)
    assert proj["C"]["D"]["weight"] == 2  # both on 纺织 and 造纸


def test_time_slices_and_reform_merge() -> None:
    data = rows([("m1", "d17", "省经信委", "lead"), ("m1", "d17", "省科技厅", "support")], year=2017)
    data += rows([("m2", "d19", "省经信厅", "lead"), ("m2", "d19", "省经信委", "support")], year=2019)
    t = AssignmentTable.from_rows(
        data, successions=[{"predecessor": "省经信委", "successor": "省经信厅", "date": "2018-10-01"}]
    )
    by_year = workload_by(t, "year")
    assert sorted(by_year) == ["2017", "2019"]
    merged = {r.agency: r for r in workload(t.reform_merged())}
    assert "省经信委" not in merged
    assert (merged["省经信厅"].lead, merged["省经信厅"].measures) == (2, 2)
    with pytest.raises(ValueError, match="slice"):
        workload_by(t, "month")
