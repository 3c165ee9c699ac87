"""Deadlines over time, peers at the same level, and the notebook API, on the Zhejiang example.

Expected figures come from reading the document: one dated deadline (四/(四)/3, 到2017年底, led by
各市、县(市、区)政府 with 省经信委 supporting) and target years 2019/2020.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

import policykg
from policykg.cli import app
from policykg.kg import KnowledgeGraph
from policykg.queries.catalogue import UnknownQuery


@pytest.fixture(scope="module")
def kg(zhejiang_store_dir: Path) -> Iterator[KnowledgeGraph]:
    with policykg.connect(zhejiang_store_dir, read_only=True) as graph:
        yield graph


def test_everything_the_provincial_commission_leads_is_a_22_row_dataframe(kg: KnowledgeGraph) -> None:
    frame = kg.measures(agency="省经信委", role="lead").to_pandas()
    assert len(frame) == 22
    assert list(frame.columns[:3]) == ["agency", "id", "ref"]
    assert set(frame["role"]) == {"lead"}
    assert len(kg.measures(agency="省环保局")) == len(kg.measures(agency="省环保厅")) > 0  # alias → canonical


def test_queries_by_name_and_graphs(kg: KnowledgeGraph) -> None:
    assert "agency_measures" in kg.queries()
    page = kg.query("agency_measures", name="省经信委", role="any", limit=5)
    assert len(page) == 5 and page[0].agency == "省经信委"
    assert len(kg.query_all("agency_measures", name="省经信委")) == 48
    network = kg.to_networkx("agencies")
    assert network.has_edge("省经信委", "省科技厅")
    assert isinstance(kg.to_networkx("full"), nx.MultiDiGraph)
    with pytest.raises(UnknownQuery):
        kg.query("no_such_query")


def test_timeline_puts_deadlines_and_target_years_in_months(kg: KnowledgeGraph) -> None:
    rows = kg.timeline("省经信委")
    deadlines = [r for r in rows if r.kind == "deadline"]
    assert [(r.due_date, r.role, r.ref) for r in deadlines] == [("2017-12-31", "support", "四/(四)/3")]
    months = {r.month for r in rows}
    assert {"2017-12", "2020-12"} <= months
    led_targets = [r for r in rows if r.kind == "target" and r.role == "lead"]
    assert led_targets and all(r.due_date.endswith("-12-31") for r in led_targets)


def test_overdue_is_a_catalogued_query(kg: KnowledgeGraph) -> None:
    overdue = kg.query("overdue_measures", as_of="2018-01-01")
    assert [(r.ref, r.lead) for r in overdue] == [("四/(四)/3", ["各市、县（市、区）政府"])]
    assert kg.query("overdue_measures", as_of="2017-12-31") == []


def test_peers_compare_like_with_like(kg: KnowledgeGraph) -> None:
    peers = {r.agency: r for r in kg.peers()}
    assert peers["省经信委"].level == "province" and peers["省经信委"].lead_percentile == 100.0
    collective = peers["各市、县（市、区）政府"]
    assert collective.level == "collective" and collective.kind == "collective"
    assert all(0 < r.lead_percentile <= 100 for r in peers.values())
    assert {r.level for r in kg.peers("province")} == {"province"}


def test_timeline_over_the_api_and_as_a_chart(zhejiang_store_dir: Path, tmp_path: Path) -> None:
    from policykg.api.app import create_app
    from policykg.settings import Settings

    with TestClient(create_app(Settings(store_dir=zhejiang_store_dir))) as client:
        body = client.get("/agencies/省经信委/timeline").json()
        assert body["agency"] == "省经信委"
        assert {m["month"] for m in body["months"]} >= {"2017-12", "2020-12"}
        assert client.get("/agencies/省经信委/timeline", params={"role": "boss"}).status_code == 422
        peers = client.get("/agencies/省经信委/peers").json()
        assert peers["agency"]["level"] == "province" and peers["agency"]["peers"] == len(peers["peers"])
    out = tmp_path / "timeline.png"
    result = CliRunner().invoke(
        app, ["chart", "timeline", "--agency", "省经信委", "--out", str(out), "--store", str(zhejiang_store_dir)]
    )
    assert result.exit_code == 0, result.output
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert image.format == "PNG" and image.width > 300


def test_the_agency_page_shows_its_timeline_and_peers(zhejiang_store_dir: Path) -> None:
    from policykg.graph.open import open_store_at
    from policykg.viz.from_store import explorer_data_from_store
    from policykg.viz.pages import render_agency

    store = open_store_at("embedded", zhejiang_store_dir, read_only=True)
    try:
        data = explorer_data_from_store(store)
    finally:
        store.close()
    months = dict((m, (lead, support, joint)) for m, lead, support, joint in data.timeline("省经信委"))
    assert months["2017-12"] == (0, 1, 0)  # 四/(四)/3, 到2017年底, as support
    html = render_agency(data, "省经信委").html
    assert 'id="timeline"' in html and "<td>2017-12</td>" in html
    assert "province-level agencies with tasks" in html and "leads <b>100</b>" in html
