"""Targets in the graph: normalised values, goals paragraphs linked to their document, and the
target filters of the queries, the API and the workload table, on each engine.

The document below is assembled from real goal sentences (tests/data/targets/SOURCES.md); the
expected rows were worked out by reading it:

=======  ============================  ===================================================  ==========
record   agencies                      targets (value unit → normalised; year)              year kind
=======  ============================  ===================================================  ==========
一       none (a goals paragraph)      1000 人 (2025); 3000 人 (2025); 2 万个 → 20000 个       written,
                                       (今年 → derived 2023)                                 derived
二/1     市教育局 lead, 市人力社保局 sup  8800 人 (2025); 600 人 以上 (2025)                    written
二/2     市经信局 joint                 10 万家 → 100000 家 (2020)                             written
二/3     市科技局 lead                  100 个 左右, 每年                                       none
=======  ============================  ===================================================  ==========
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from policykg import queries
from policykg.analytics.metrics import workload
from policykg.analytics.table import read_table
from policykg.api import create_app
from policykg.graph.store import GraphStore
from policykg.ingest import load_files
from policykg.settings import Settings

GOALS_DOCUMENT = """某市人民政府关于印发某市人才发展实施方案的通知
一、发展目标
到2025年，高素质职业农民达到1000人，家庭农场经营者达到3000人。今年新增就业岗位2万个。
二、主要任务
1.到2025年，教育人才队伍达到8800人，其中培养各级骨干教师600人以上。（市教育局牵头，市人力社保局配合）
2.力争到2020年，重点传统制造业上云企业达到10万家。（市经信局负责）
3.每年遴选100个左右重点科技攻关项目给予支持。（市科技局牵头）
某市人民政府
2023年3月1日
"""


@pytest.fixture
def goals_store(store: GraphStore, tmp_path: Path) -> GraphStore:
    source = tmp_path / "goals.txt"
    source.write_text(GOALS_DOCUMENT, encoding="utf-8")
    report = load_files([source], store, progress=False)
    assert not report.failures and report.targets == 7
    return store


def metrics(rows: list[dict[str, Any]]) -> list[str]:
    return [r["metric"] for r in rows]


def test_goals_are_set_by_the_document(goals_store: GraphStore) -> None:
    rows = queries.read(goals_store, "targets", {})
    assert [r["document_goal"] for r in rows] == [True, True, True, False, False, False, False]
    assert all(r["lead"] == [] and r["joint"] == [] for r in rows[:3])
    assert goals_store.counts()["SETS"] == 3


def test_normalised_values_and_units(goals_store: GraphStore) -> None:
    [cloud] = queries.read(goals_store, "targets", {"unit": "家"})  # the base unit finds 万家
    assert (cloud["value"], cloud["unit"], cloud["value_normalised"], cloud["base_unit"]) == (
        "10",
        "万家",
        100000.0,
        "家",
    )
    assert queries.read(goals_store, "targets", {"unit": "万家"}) == [cloud]
    assert metrics(queries.read(goals_store, "targets", {"unit": "个"})) == ["新增就业岗位", "重点科技攻关项目"]
    [jobs] = queries.read(goals_store, "targets", {"metric": "就业岗位"})
    assert (jobs["value_normalised"], jobs["year"], jobs["derived_year"], jobs["horizon"]) == (
        20000.0,
        None,
        2023,
        "今年",
    )


def test_target_year_written_or_derived(goals_store: GraphStore) -> None:
    assert metrics(queries.read(goals_store, "targets", {"year": 2025})) == [
        "高素质职业农民",
        "家庭农场经营者",
        "教育人才队伍",
        "各级骨干教师",
    ]
    assert metrics(queries.read(goals_store, "targets", {"year": 2023})) == ["新增就业岗位"]
    assert queries.read(goals_store, "targets", {"year": 2023, "derived": False}) == []


def test_targets_by_lead_agency(goals_store: GraphStore) -> None:
    assert metrics(queries.read(goals_store, "targets", {"lead": "市教育局"})) == ["教育人才队伍", "各级骨干教师"]
    assert queries.read(goals_store, "targets", {"lead": "市人力社保局"}) == []  # it supports, it does not lead
    assert queries.read(goals_store, "targets", {"lead": "市经信局"}) == []  # joint, no lead
    assert metrics(queries.read(goals_store, "targets", {"lead": "市教育局", "metric": "骨干"})) == ["各级骨干教师"]


def test_measures_by_target_year_apart_from_document_year(goals_store: GraphStore) -> None:
    def refs(**params: Any) -> list[str]:
        return [r["ref"] for r in queries.read(goals_store, "measures_search", params)]

    assert refs(target_year=2025) == ["一", "二/1"]
    assert refs(target_year=2020) == ["二/2"]
    assert refs(target_year=2023) == ["一"]  # derived from 今年 in a 2023 document
    assert refs(year=2023) == ["一", "二/1", "二/2", "二/3"]  # the document's year
    assert refs(year=2025) == []


def test_workload_targets_as_lead_with_sums_per_base_unit(goals_store: GraphStore) -> None:
    rows = {r["name"]: r for r in queries.read(goals_store, "agency_workload", {})}
    assert (rows["市教育局"]["targets_led"], rows["市教育局"]["targets_led_sums"]) == (
        2,
        [{"base_unit": "人", "total": 9400.0, "targets": 2}],
    )
    assert rows["市科技局"]["targets_led_sums"] == [{"base_unit": "个", "total": 100.0, "targets": 1}]
    assert (rows["市经信局"]["targets_led"], rows["市经信局"]["targets_led_sums"]) == (0, [])
    table = {r.agency: r for r in workload(read_table(goals_store))}
    assert table["市教育局"].lead_target_sums == {"人": 9400.0}
    assert table["市经信局"].lead_target_sums == {}


@pytest.fixture
def client(goals_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), store=goals_store), raise_server_exceptions=False) as test_client:
        yield test_client


def test_api_targets_and_measures_filters(client: TestClient) -> None:
    def rows(url: str, **params: Any) -> list[dict[str, Any]]:
        response = client.get(url, params=params)
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()["rows"]
        return found

    assert metrics(rows("/targets", year=2025, lead="市教育局")) == ["教育人才队伍", "各级骨干教师"]
    assert metrics(rows("/targets", unit="家")) == ["上云企业"]
    assert rows("/targets", unit="家")[0]["value_normalised"] == 100000.0
    assert metrics(rows("/targets", year=2023, derived="false")) == []
    assert rows("/targets", lead="no-such-unit") == []
    assert [r["ref"] for r in rows("/measures", target_year=2025)] == ["一", "二/1"]
    assert rows("/measures", year=2025) == []
    assert client.get("/measures", params={"target_year": 10000}).status_code == 422
    [education] = [r for r in client.get("/stats/workload").json()["rows"] if r["agency"] == "市教育局"]
    assert education["lead_target_sums"] == {"人": 9400.0}
