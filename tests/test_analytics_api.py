"""The analytics through the API and the CLI, over the Zhejiang document, on both engines."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from policykg.api import create_app
from policykg.cli import app as cli_app
from policykg.graph.open import open_store_at
from policykg.graph.store import GraphStore
from policykg.ingest import load_files
from policykg.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "policykg" / "examples"
ZHEJIANG = EXAMPLES / "2017-zhejiang-chuantong-zhizao-fenjie.txt"


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    report = load_files([ZHEJIANG], store, progress=False)
    assert len(report.documents) == 1 and not report.failures
    with TestClient(create_app(Settings(), store=store), raise_server_exceptions=False) as test_client:
        yield test_client


def test_stats_workload_gives_the_zhejiang_counts(client: TestClient) -> None:
    response = client.get("/stats/workload", params={"all": True})
    assert response.status_code == 200
    rows = {r["agency"]: r for r in response.json()["rows"]}
    assert (rows["省经信委"]["lead"], rows["省经信委"]["support"], rows["省经信委"]["measures"]) == (22, 26, 48)
    assert rows["省经信委"]["role_class"] == "leading"
    # With all=true, 附件2 units with no task are listed with zero workload.
    idle = [r for r in rows.values() if r["measures"] == 0]
    assert idle and all(r["share_load"] == 0 for r in idle)
    # Every measure's load is split among its units, so the shares add up to the measures with units.
    assert sum(r["share_load"] for r in rows.values()) == pytest.approx(62, abs=1e-3)


def test_stats_network_and_merge_reforms(client: TestClient) -> None:
    body = client.get("/stats/network").json()
    assert 0 < body["summary"]["density"] <= 1
    assert body["nodes"][0]["weighted_degree"] >= body["nodes"][-1]["weighted_degree"]
    merged = {r["agency"]: r for r in client.get("/stats/workload", params={"merge_reforms": True}).json()["rows"]}
    assert "省经信委" not in merged and merged["省经信厅"]["lead"] == 22


def test_exports_and_chart(client: TestClient) -> None:
    graph = nx.read_graphml(io.BytesIO(client.get("/export/graphml").content))
    assert "省经信委" in graph and graph.number_of_edges() > 10
    assert client.get("/export/gexf").status_code == 200
    assert client.get("/export/pdf").status_code == 404
    png = client.get("/charts/workload.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_cli_stats_export_chart(tmp_path: Path) -> None:
    store = open_store_at("embedded", tmp_path / "store")
    try:
        load_files([ZHEJIANG], store, progress=False)
    finally:
        store.close()
    runner = CliRunner()
    store_arg = ["--store", str(tmp_path / "store")]
    result = runner.invoke(cli_app, ["stats", "--format", "csv", *store_arg])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("省经信委,"))
    assert ",22,26,0,48," in line
    by_year = runner.invoke(cli_app, ["stats", "--by", "year", "--format", "json", *store_arg])
    assert by_year.exit_code == 0 and '"year": "2017"' in by_year.output
    out = tmp_path / "net.gexf"
    assert runner.invoke(cli_app, ["export", "--format", "gexf", "--out", str(out), *store_arg]).exit_code == 0
    assert nx.read_gexf(out).number_of_nodes() > 10
    chart = tmp_path / "w.png"
    assert runner.invoke(cli_app, ["chart", "workload", "--out", str(chart), *store_arg]).exit_code == 0
    assert chart.read_bytes().startswith(b"\x89PNG")
    bad = runner.invoke(cli_app, ["chart", "pie", "--out", str(chart), *store_arg])
    assert bad.exit_code != 0 and "workload or matrix" in bad.output
