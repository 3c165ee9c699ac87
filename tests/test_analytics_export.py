"""Exports open in the tools researchers use; charts are real images."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import networkx as nx

from policykg.analytics.charts import matrix_chart, workload_chart, write_chart
from policykg.analytics.export import export_bytes, write_export
from policykg.analytics.table import AssignmentTable

ROWS = [
    {"measure_id": "m1", "doc_id": "d", "year": 2017, "agency": "省经信委", "role": "lead", "position": 0},
    {"measure_id": "m1", "doc_id": "d", "year": 2017, "agency": "省科技厅", "role": "support", "position": 1},
    {"measure_id": "m2", "doc_id": "d", "year": 2017, "agency": "省科技厅", "role": "lead", "position": 0},
    {"measure_id": "m2", "doc_id": "d", "year": 2017, "agency": "省经信委", "role": "support", "position": 1},
    {"measure_id": "m3", "doc_id": "d", "year": 2017, "agency": "省经信委", "role": "lead", "position": 0},
    {"measure_id": "m3", "doc_id": "d", "year": 2017, "agency": "省科技厅", "role": "support", "position": 1},
]
TABLE = AssignmentTable.from_rows(ROWS, [{"agency": "省经信委", "level": "province", "kind": None}])


def test_graphml_round_trips_with_scalar_attributes() -> None:
    g = nx.read_graphml(io.BytesIO(export_bytes(TABLE, "graphml")))
    assert set(g.nodes) == {"省经信委", "省科技厅"}
    edge = g.get_edge_data("省经信委", "省科技厅")
    assert int(edge["weight"]) == 3
    assert {int(edge["a_leads_b"]), int(edge["b_leads_a"])} == {2, 1}
    assert int(g.nodes["省经信委"]["lead"]) == 2
    assert g.nodes["省科技厅"]["kind"] == "unknown"


def test_gexf_is_readable() -> None:
    g = nx.read_gexf(io.BytesIO(export_bytes(TABLE, "gexf")))
    assert g.number_of_edges() == 1


def test_json_and_csv(tmp_path: Path) -> None:
    data = json.loads(export_bytes(TABLE, "json"))
    assert {n["id"] for n in data["nodes"]} == {"省经信委", "省科技厅"}
    with zipfile.ZipFile(io.BytesIO(export_bytes(TABLE, "csv"))) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        assert archive.read("edges.csv").decode().splitlines()[1].startswith("省")
    out = write_export(TABLE, "csv", tmp_path / "net")
    assert (out / "nodes.csv").read_text(encoding="utf-8").startswith("id,")


def test_charts_are_png_and_svg(tmp_path: Path) -> None:
    assert workload_chart(TABLE).startswith(b"\x89PNG")
    assert matrix_chart(TABLE).startswith(b"\x89PNG")
    svg = write_chart(TABLE, "workload", tmp_path / "w.svg").read_text(encoding="utf-8")
    assert "<svg" in svg
