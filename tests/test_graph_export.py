"""Whole-graph exports: every node and typed edge of the Zhejiang example, in files Gephi, Cytoscape and networkx open.

The counts below were taken from the document, not from the exporter: 62 measures (the
document's numbered items with a responsibility clause), 22 of them led by 省经信委.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from policykg.analytics.export import graph_bytes
from policykg.analytics.graph_export import bipartite_graph, node_key, read_full_graph
from policykg.cli import app
from policykg.graph.open import open_store_at
from policykg.graph.store import GraphStore


@pytest.fixture(scope="module")
def store_dir(zhejiang_store_dir: Path) -> Path:
    return zhejiang_store_dir


@pytest.fixture(scope="module")
def full(store_dir: Path) -> Iterator[nx.MultiDiGraph]:
    store: GraphStore = open_store_at("embedded", store_dir, read_only=True)
    try:
        yield read_full_graph(store)
    finally:
        store.close()


def _of_type(graph: nx.Graph, node_type: str) -> list[str]:
    return [n for n, d in graph.nodes(data=True) if d["node_type"] == node_type]


def test_full_graph_holds_every_kind_of_node_and_typed_edge(full: nx.MultiDiGraph) -> None:
    assert len(_of_type(full, "Measure")) == 62
    assert len(_of_type(full, "Document")) >= 1
    assert _of_type(full, "Target") and _of_type(full, "Industry") and _of_type(full, "Section")
    agency = node_key("Agency", "浙江省:省经信委")
    leads = [m for _, m, d in full.out_edges(agency, data=True) if d["rel_type"] == "ASSIGNED" and d["role"] == "lead"]
    assert len(leads) == 22
    edge = next(d for _, _, d in full.out_edges(agency, data=True) if d["rel_type"] == "ASSIGNED")
    assert {"role", "position", "as_written", "doc_id"} <= set(edge)
    measure = full.nodes[leads[0]]
    assert measure["node_type"] == "Measure" and measure["text"] and measure["span_end"] > measure["span_start"]
    types = Counter(d["rel_type"] for *_, d in full.edges(data=True))
    assert {"INCLUDES", "ASSIGNED", "SETS_TARGET", "CONCERNS", "HAS_SECTION"} <= set(types)
    assert types["INCLUDES"] == 62


def test_gexf_is_valid_against_its_schema_and_opens_in_networkx(full: nx.MultiDiGraph) -> None:
    from gexfpy.gexf import Gexf
    from xsdata.formats.dataclass.parsers import XmlParser
    from xsdata.formats.dataclass.parsers.config import ParserConfig

    data = graph_bytes(full, "gexf")
    strict = XmlParser(config=ParserConfig(fail_on_unknown_properties=True, fail_on_converter_warnings=True))
    document = strict.from_bytes(data, Gexf)  # bindings generated from the GEXF 1.2 XSD
    assert document.graph is not None
    broken = data.replace(b"<edge ", b'<edge type="ASSIGNED" ', 1)  # the checker does reject what the XSD forbids
    with pytest.raises(Exception, match="ASSIGNED"):
        strict.from_bytes(broken, Gexf)
    reread = nx.read_gexf(io.BytesIO(data))
    assert reread.number_of_nodes() == full.number_of_nodes()
    assert reread.number_of_edges() == full.number_of_edges()
    labels = {d["label"] for _, d in reread.nodes(data=True)}
    assert "省经信委" in labels  # Gephi shows names, not keys


def test_graphml_json_and_csv_round_trip(full: nx.MultiDiGraph) -> None:
    graphml = nx.read_graphml(io.BytesIO(graph_bytes(full, "graphml")))
    assert graphml.number_of_edges() == full.number_of_edges()
    assert graphml.nodes[node_key("Agency", "浙江省:省经信委")]["node_type"] == "Agency"
    linked = nx.node_link_graph(json.loads(graph_bytes(full, "json")), edges="edges")
    assert linked.number_of_nodes() == full.number_of_nodes()
    with zipfile.ZipFile(io.BytesIO(graph_bytes(full, "csv"))) as archive:
        raw = archive.read("nodes.csv")
        edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode("utf-8"))))
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM: R's read.csv and readr read the header as written"
    assert len(edges) == full.number_of_edges()
    assert {"source", "target", "rel_type", "role"} <= set(edges[0])


def test_bipartite_views(full: nx.MultiDiGraph) -> None:
    by_measure = bipartite_graph(full, "measure")
    assert nx.is_bipartite(by_measure)
    lead_edges = [
        d for a, _, d in by_measure.edges(node_key("Agency", "浙江省:省经信委"), data=True) if d["role"] == "lead"
    ]
    assert len(lead_edges) == 22
    by_industry = bipartite_graph(full, "industry")
    assert nx.is_bipartite(by_industry) and by_industry.number_of_edges() > 0
    assert {d["bipartite"] for _, d in by_industry.nodes(data=True)} == {0, 1}
    with pytest.raises(ValueError, match="bipartite partner"):
        bipartite_graph(full, "people")


def test_cli_exports_the_full_graph(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "kg.gexf"
    result = CliRunner().invoke(app, ["export", "--graph", "full", "--format", "gexf", "--out", str(out),
                                      "--store", str(store_dir)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(_of_type(nx.read_gexf(out), "Measure")) == 62
    bad = CliRunner().invoke(app, ["export", "--graph", "everything", "--format", "gexf", "--out", str(out),
                                   "--store", str(store_dir)])  # fmt: skip
    assert bad.exit_code != 0 and "full, agencies, bipartite" in bad.output


def test_api_serves_the_same_exports(store_dir: Path) -> None:
    from policykg.api.app import create_app
    from policykg.settings import Settings

    api = create_app(Settings(store_dir=store_dir))
    with TestClient(api) as client:
        response = client.get("/export/graphml", params={"graph": "full"})
        assert response.status_code == 200, response.text
        assert 'filename="policykg-full.graphml"' in response.headers["content-disposition"]
        assert len(_of_type(nx.read_graphml(io.BytesIO(response.content)), "Measure")) == 62
        two_mode = client.get("/export/json", params={"graph": "bipartite", "with": "industry"})
        assert two_mode.status_code == 200
        assert client.get("/export/json", params={"graph": "nope"}).status_code == 422
