"""Every read route of the HTTP API, on each engine, over the hand-built graph of tests/querygraph.py.

Expected values come from that file's table (worked out by hand), not from the queries.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from querygraph import GF, ZJ, load_querygraph, measure_id

from policykg.api import create_app
from policykg.graph.store import GraphStore
from policykg.queries.catalogue import Catalogue
from policykg.settings import Settings


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    load_querygraph(store)
    with TestClient(create_app(Settings(), store=store), raise_server_exceptions=False) as test_client:
        yield test_client


def rows(client: TestClient, url: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["rows"]
    return found


def assert_error(response: Any, status: int, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert error["status"] == status and error["title"] and error["detail"]
    assert "Traceback" not in response.text
    for word in words:
        assert word in error["detail"], error["detail"]
    return error


def test_agency_measures_by_role(client: TestClient) -> None:
    lead = rows(client, "/agencies/省经信委/measures", role="lead")
    assert [r["ref"] for r in lead] == ["三/(二)/1", "三/(二)/2", "三/(二)/3"]
    assert len(rows(client, "/agencies/省经信委/measures", role="any")) == 6
    assert len(rows(client, "/agencies/省经信委/measures")) == 6
    assert [r["ref"] for r in rows(client, "/agencies/省经信委/measures", role="joint")] == ["四/1"]
    assert rows(client, "/agencies/省经信委/measures", role="lead", doc_id=GF) == []


def test_agency_by_alias_id_and_url_encoded_chinese(client: TestClient) -> None:
    response = client.get("/agencies/" + quote("省环保局"))
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["name"] == "省环保厅" and body["requested"] == "省环保局"
    assert body["data"]["succeeded_by"] == ["省生态环境厅"]
    assert isinstance(body["time_ms"], float) and float(response.headers["X-Query-Time-Ms"]) >= 0
    assert len(rows(client, "/agencies/浙江省经信委/measures", role="lead")) == 3


def test_unknown_agency_is_404_with_suggestions(client: TestClient) -> None:
    error = assert_error(client.get("/agencies/省经信/measures"), 404, "省经信")
    assert "省经信委" in error["suggestions"]
    assert_error(client.get("/agencies/no-such-unit"), 404)
    assert_error(client.get("/agencies/no-such-unit/partners"), 404)


def test_bad_parameters_are_422_naming_them(client: TestClient) -> None:
    error = assert_error(client.get("/agencies/省经信委/measures", params={"role": "boss"}), 422, "role")
    assert error["param"] == "role"
    assert assert_error(client.get("/agencies", params={"limit": 0}), 422)["param"] == "limit"
    assert assert_error(client.get("/measures", params={"offset": -1}), 422)["param"] == "offset"
    assert assert_error(client.get("/measures", params={"year": "twenty"}), 422)["param"] == "year"
    assert assert_error(client.get("/measures", params={"format": "xml"}), 422)["param"] == "format"


def test_agency_list_pages_with_next_link(client: TestClient) -> None:
    first = client.get("/agencies", params={"limit": 4}).json()
    assert first["count"] == 4 and first["offset"] == 0
    assert [r["name"] for r in first["rows"]][:2] == ["省经信委", "省科技厅"]
    collected = list(first["rows"])
    url = first["next"]
    while url:
        page = client.get(url).json()
        collected += page["rows"]
        url = page["next"]
    assert len(collected) == 10 and len({r["id"] for r in collected}) == 10
    assert client.get("/agencies", params={"limit": 10}).json()["next"] is None
    assert [r["name"] for r in rows(client, "/agencies", q="环保")] == ["省环保厅"]


def follow(client: TestClient, url: str, **params: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """Every row of a list, page by page along its next links, and the links followed."""
    page = client.get(url, params=params).json()
    collected, links = list(page["rows"]), []
    while page["next"]:
        links.append(page["next"])
        page = client.get(page["next"]).json()
        collected += page["rows"]
    return collected, links


def test_measure_lists_page_by_cursor_each_row_once_in_document_order(client: TestClient) -> None:
    # 省经信委 (querygraph table): doc-zj 三/(一)/1 support, 三/(一)/2 support, 三/(二)/1-3 lead, 四/1 joint.
    collected, links = follow(client, "/agencies/省经信委/measures", limit=2)
    assert [r["ref"] for r in collected] == ["三/(一)/1", "三/(一)/2", "三/(二)/1", "三/(二)/2", "三/(二)/3", "四/1"]
    assert len(links) == 2 and all("cursor=" in link and "offset=" not in link for link in links)
    lead, _ = follow(client, "/agencies/省经信委/measures", role="lead", limit=1)
    assert [r["ref"] for r in lead] == ["三/(二)/1", "三/(二)/2", "三/(二)/3"]
    # doc-zj (2017-07-10) comes before doc-gf (2019-01-25); each in reading order.
    everything, _ = follow(client, "/measures", limit=3)
    assert [(r["doc_id"], r["ref"]) for r in everything] == [
        (ZJ, "三/(一)/1"), (ZJ, "三/(一)/2"), (ZJ, "三/(二)/1"), (ZJ, "三/(二)/2"), (ZJ, "三/(二)/3"), (ZJ, "四/1"),
        (GF, "三/(一)/1"), (GF, "三/(二)/1"), (GF, "四/1"),
    ]  # fmt: skip
    assert {r["document"] for r in everything} == {
        "浙江省传统制造业责任分解方案",
        "国务院关于促进综合保税区高水平开放高质量发展的若干意见",
    }
    machinery, _ = follow(client, "/industries/机械/measures", limit=1)
    assert [r["ref"] for r in machinery] == ["三/(二)/1", "三/(二)/2"]
    # offset still pages by count for callers that use it
    assert [r["ref"] for r in rows(client, "/agencies/省经信委/measures", offset=4, limit=10)] == ["三/(二)/3", "四/1"]


def test_a_tampered_or_misplaced_cursor_is_a_422_sentence(client: TestClient) -> None:
    link = client.get("/agencies/省经信委/measures", params={"limit": 2}).json()["next"]
    cursor = link.split("cursor=")[1].split("&")[0]
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    for bad in (tampered, "not-a-cursor", cursor[:5]):
        error = assert_error(client.get("/agencies/省经信委/measures", params={"cursor": bad}), 422, "cursor")
        assert error["param"] == "cursor"
    other = client.get("/agencies/省经信委/measures", params={"cursor": cursor, "role": "lead"})
    assert "another list" in assert_error(other, 422)["detail"]
    both = client.get("/agencies/省经信委/measures", params={"cursor": cursor, "offset": 2})
    assert assert_error(both, 422, "offset")["param"] == "cursor"


def test_partners_and_path(client: TestClient) -> None:
    partners = {r["partner"]: r for r in rows(client, "/agencies/省经信委/partners")}
    assert partners["省科技厅"]["partner_leads"] == 2 and partners["省发展改革委"]["agency_leads"] == 1
    chains = rows(client, "/agencies/省科技厅/path/商务部")
    assert [c["hops"] for c in chains] == [3, 3]
    assert chains[0]["agencies"] == ["省科技厅", "省经信委", "省发展改革委", "商务部"]
    assert_error(client.get("/agencies/省环保局/path/省环保厅"), 422, "same agency")


def test_agency_profile(client: TestClient) -> None:
    data = client.get("/agencies/省经信委").json()["data"]
    assert (data["measures"], data["lead"], data["support"], data["joint"]) == (6, 3, 2, 1)
    assert data["member_of"] == ["领导小组"]


def test_measures_search_and_detail(client: TestClient) -> None:
    under = rows(client, "/measures", section="三/(二)", doc_id=ZJ)
    assert [r["ref"] for r in under] == ["三/(二)/1", "三/(二)/2", "三/(二)/3"]
    assert [r["ref"] for r in rows(client, "/measures", industry="机械")] == ["三/(二)/1", "三/(二)/2"]
    assert [r["doc_id"] for r in rows(client, "/measures", agency="省发改委")] == [ZJ, GF]  # alias resolved
    assert rows(client, "/measures", agency="no-such-unit") == []
    detail = client.get("/measures/" + quote(measure_id(ZJ, "三/(二)/3"))).json()["data"]
    assert [a["name"] for a in detail["agencies"]] == ["省经信委", "省发展改革委", "省环保厅"]
    assert [s["heading"] for s in detail["sections"]] == ["主要任务", "实施机器人+行动计划"]
    assert_error(client.get("/measures/doc-zj~nope"), 404, "doc-zj~nope")


def test_targets(client: TestClient) -> None:
    assert [r["metric"] for r in rows(client, "/targets", year=2020, unit="家")] == ["综合体", "服务公司"]
    assert [r["metric"] for r in rows(client, "/targets", agency="省经信委", role="lead")] == [
        "技改项目",
        "机器人",
        "服务公司",
    ]


def test_industries(client: TestClient) -> None:
    assert [(r["name"], r["measures"]) for r in rows(client, "/industries")] == [
        ("化工", 2),
        ("机械", 2),
        ("纺织", 2),
        ("钢铁", 0),
    ]
    assert [r["ref"] for r in rows(client, "/industries/纺织/measures")] == ["三/(一)/1", "三/(二)/2"]
    assert [r["doc_id"] for r in rows(client, "/industries/26/measures")] == [ZJ, GF]
    error = assert_error(client.get("/industries/纺织业/measures"), 404, "纺织业")
    assert "纺织" in error["suggestions"]


def test_documents(client: TestClient) -> None:
    assert [(r["id"], r["measures"]) for r in rows(client, "/documents")] == [(ZJ, 6), (GF, 3)]
    body = client.get(f"/documents/{ZJ}").json()
    assert body["data"]["measures"] == 6 and body["data"]["implements"][0]["doc_number"] == "浙政发〔2017〕23号"
    assert [(s["path"], s["measures_total"]) for s in body["outline"]] == [
        ("三", 5),
        ("三/(一)", 2),
        ("三/(二)", 3),
        ("四", 1),
    ]
    assert_error(client.get("/documents/doc-missing"), 404, "doc-missing")


def test_query_catalogue_and_named_queries(client: TestClient) -> None:
    catalogue = {q["name"]: q for q in rows(client, "/queries")}
    role = next(p for p in catalogue["agency_measures"]["params"] if p["name"] == "role")
    assert role["choices"] == ["lead", "support", "joint", "any"] and role["default"] == "any"
    assert [r["ref"] for r in rows(client, "/queries/agency_measures", name="省经信委", role="lead")] == [
        "三/(二)/1",
        "三/(二)/2",
        "三/(二)/3",
    ]
    assert rows(client, "/queries/agency_profile", name="省环保局")[0]["name"] == "省环保厅"
    assert rows(client, "/queries/lead_support_matrix", min_measures=2) == [
        {"lead": "省科技厅", "support": "省经信委", "measures": 2}
    ]
    assert_error(client.get("/queries/no_such_query"), 404, "no_such_query")
    error = assert_error(
        client.get("/queries/agency_measures", params={"name": "x", "cypher": "MATCH (n) RETURN n"}), 422
    )
    assert error["param"] == "cypher"
    assert assert_error(client.get("/queries/agency_measures"), 422, "name")["param"] == "name"
    assert (
        assert_error(client.get("/queries/agency_measures", params={"name": "x", "limit": "0"}), 422)["param"]
        == "limit"
    )
    assert_error(client.get("/queries/agency_measures", params={"name": "省经"}), 404, "省经")


def test_csv_and_html(client: TestClient) -> None:
    response = client.get("/agencies/省经信委/measures", params={"role": "lead", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["ref"] for r in table] == ["三/(二)/1", "三/(二)/2", "三/(二)/3"]
    assert list(table[0]) == list(Catalogue.load_default().get("agency_measures").returns)
    listed = list(csv.DictReader(io.StringIO(client.get("/measures", params={"format": "csv", "q": "三/(二)/3"}).text)))
    assert listed[0]["support"] == "省发展改革委; 省环保厅"
    page = client.get("/agencies/省经信委", params={"format": "html"})
    assert page.headers["content-type"].startswith("text/html") and "浙江省经济和信息化委员会" in page.text
    assert "<script" not in client.get("/measures", params={"format": "html", "q": "<script>"}).text


def test_healthz_and_docs(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["counts"]["Measure"] == 9
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/agencies/{name}/measures", "/measures/{measure_id}", "/queries/{name}", "/documents/{doc_id}"):
        assert path in paths
    assert_error(client.get("/no/such/route"), 404, "/no/such/route")
    assert_error(client.put("/agencies"), 405, "PUT")
