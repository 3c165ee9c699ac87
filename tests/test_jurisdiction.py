"""Jurisdiction-aware agency identity (issue 10, item 1).

An agency is its jurisdiction plus its canonical name: Shandong's 省发展改革委 and Zhejiang's
are two nodes. The expected figures come from reading the documents: the Zhejiang seed's
hand-labelled expected file, and the Shandong-style test plan written for these tests
(tests/data/jurisdiction/shandong-lenglian-fengong.txt, counted by hand below).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from policykg import queries
from policykg.analytics.metrics import workload as workload_table
from policykg.analytics.table import read_table
from policykg.api import create_app
from policykg.cli import app
from policykg.errors import InputError
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.store import GraphStore
from policykg.ingest import load_files
from policykg.loaders import parse_file, parse_text
from policykg.loaders.jurisdictions import JurisdictionIndex
from policykg.loaders.registry import AgencyRegistry, templates_from_text
from policykg.resolve import AmbiguousAgency, resolve_agency
from policykg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ZHEJIANG = ROOT / "policykg" / "examples" / "2017-zhejiang-chuantong-zhizao-fenjie.txt"
ZHEJIANG_GOLD = Path(__file__).resolve().parent / "data" / "2017-zhejiang-chuantong-zhizao-fenjie.expected.json"
SHANDONG = Path(__file__).resolve().parent / "data" / "jurisdiction" / "shandong-lenglian-fengong.txt"
runner = CliRunner()

# Shandong's 省发展改革委 in the test plan, by reading it: lead on item 1; support on 2, 5 (written
# 省发改委) and 7; jointly responsible on 3 (the bare list "（省发展改革委、省财政厅）").
SHANDONG_NDRC = {"lead": 1, "support": 3, "joint": 1}
SD_NDRC = "山东省:省发展改革委"
ZJ_NDRC = "浙江省:省发展改革委"


def _gold_roles(name: str) -> dict[str, int]:
    gold = json.loads(ZHEJIANG_GOLD.read_text(encoding="utf-8"))
    return {role: sum(name in m[role] for m in gold["measures"]) for role in ("lead", "support", "joint")}


# ------------------------------------------------------------------------------ detection


@pytest.mark.parametrize(
    ("issuer", "number", "title", "expected"),
    [
        ("山东省人民政府办公厅", None, "", "山东省"),
        (None, "鲁政办字〔2019〕20号", "", "山东省"),
        (None, "浙政发〔2017〕23号", "", "浙江省"),
        (None, "浙经信〔2017〕1号", "", "浙江省"),  # a department's 文号 opens with the province too
        (None, "穗府办〔2006〕19号", "", "广州市"),
        (None, "国发〔2019〕3号", "", "全国"),
        (None, "国办发〔2018〕129号", "", "全国"),
        ("国家发展和改革委员会", None, "", "全国"),
        ("济南市人民政府", "鲁政发〔2020〕1号", "", "济南市"),  # the issuer decides before the 文号
        (None, None, "广西壮族自治区人民政府关于印发某方案的通知", "广西壮族自治区"),
        (None, None, "关于印发《宝鸡市2022年工作要点》的通知", "宝鸡市"),
        ("立山区人民政府", None, "", "立山区"),
        ("湘西自治州人民政府", None, "", "湘西土家族苗族自治州"),  # an autonomous prefecture's short form
        (None, "平政办〔2013〕11号", "", "平顶山市"),  # a district not in the list: made up, county level
        (None, "青政发〔2020〕1号", "", None),  # 青海 or 青岛: the 文号 alone cannot say
        (None, None, "某市2023年政府工作报告重点工作任务分工方案", None),
    ],
)
def test_a_document_jurisdiction_is_read_from_issuer_number_and_title(
    issuer: str | None, number: str | None, title: str, expected: str | None
) -> None:
    found = JurisdictionIndex.load_default().detect(issuer=issuer, doc_number=number, title=title)
    assert (found.name if found else None) == expected


def test_every_province_level_unit_and_its_cities_are_listed() -> None:
    places = list(JurisdictionIndex.load_default())
    provinces = [p for p in places if p.level == "province"]
    assert len(provinces) == 31
    assert len({p.short for p in provinces}) == 31
    cities = [p for p in places if p.level == "city"]
    assert len(cities) >= 330  # 333 prefecture-level units (2024), 济源 counted under Henan
    assert {c.parent for c in cities} <= {p.name for p in provinces}


# ------------------------------------------------------------------------------ registry


def test_templates_make_each_jurisdiction_its_own_units() -> None:
    reg = AgencyRegistry.load_default()
    shandong = reg.resolve_in("省发展改革委", "山东省")
    assert shandong is not None
    assert (shandong.id, shandong.full_name, shandong.level, shandong.jurisdiction) == (
        SD_NDRC,
        "山东省发展和改革委员会",
        "province",
        "山东省",
    )
    assert reg.resolve_in("省发改委", "山东省") == shandong
    assert reg.resolve_in("山东省发展和改革委员会", None) == shandong  # the place written in the name
    zhejiang = reg.resolve_in("省发展改革委", "浙江省")
    assert zhejiang is not None and zhejiang.id == ZJ_NDRC and zhejiang != shandong
    beijing = reg.resolve_in("市发改委", "北京市")  # a municipality's units are 市…, at province level
    assert beijing is not None and (beijing.id, beijing.level) == ("北京市:市发展改革委", "province")
    guangxi = reg.resolve_in("自治区财政厅", "广西")
    assert guangxi is not None and guangxi.full_name == "广西壮族自治区财政厅"


def test_a_city_document_names_its_own_units_and_its_province() -> None:
    reg = AgencyRegistry.load_default()
    jinan = reg.resolve_in("市发改委", "济南市")
    assert jinan is not None and (jinan.id, jinan.full_name, jinan.level) == (
        "济南市:市发展改革委",
        "济南市发展和改革委员会",
        "city",
    )
    province = reg.resolve_in("省财政厅", "济南市")
    assert province is not None and province.id == "山东省:省财政厅"
    ministry = reg.resolve_in("财政部", "济南市")
    assert ministry is not None and ministry.id == "财政部" and ministry.jurisdiction == "全国"
    other_city = reg.resolve_in("杭州市发改委", "济南市")  # another city, written with its name
    assert other_city is not None and other_city.id == "杭州市:市发展改革委"


def test_zhejiang_entries_override_the_templates_and_keep_their_lineage() -> None:
    reg = AgencyRegistry.load_default()
    # The template's spelling of Zhejiang's 人力社保厅 is Zhejiang's entry, not a second unit.
    hr = reg.resolve_in("省人力资源和社会保障厅", "浙江省")
    assert hr is not None and hr.id == "浙江省:省人力社保厅"
    env = reg.resolve_in("省环保局", "浙江省")
    assert env is not None and env.id == "浙江省:省环保厅"
    assert reg.successors("省经信委") == ["省经信厅"]
    assert dict(env.succeeded_by) == {"省生态环境厅": "2018-10-04"}
    # Another province's old unit follows the template lineage with no date recorded for it.
    shandong_env = reg.resolve_in("省环保厅", "山东省")
    assert shandong_env is not None and shandong_env.succeeded_by == (("省生态环境厅", ""),)


def test_a_bare_local_name_of_a_document_of_unknown_place_is_nobodys() -> None:
    reg = AgencyRegistry.load_default()
    assert reg.resolve_in("省经信委", None) is None
    assert reg.resolve_in("省发展改革委", None) is None
    central = reg.resolve_in("海关总署", None)
    assert central is not None and central.id == "海关总署"


def test_template_data_errors_name_the_file_and_line() -> None:
    bad = '[[template]]\nset = "province"\nname = "{p}财政厅"\nkind = "government_department"\n\n'
    bad += '[[template]]\nset = "province"\nname = "{p}教育厅"\nkind = "ministry"\n'
    with pytest.raises(InputError) as error:
        templates_from_text(bad, "t.toml")
    assert str(error.value).startswith("t.toml, line 6:") and "kind 'ministry'" in str(error.value)


# ------------------------------------------------------------------------------ parsing


def test_parse_reads_the_shandong_plan_in_shandong() -> None:
    doc = parse_file(SHANDONG)
    assert doc.document.jurisdiction == "山东省"
    data = doc.to_json()
    assert data["document"]["jurisdiction"] == "山东省"
    fifth = data["measures"][4]
    assert fifth["support"][1] == {
        "id": SD_NDRC,
        "name": "省发展改革委",
        "as_written": "省发改委",
        "jurisdiction": "山东省",
    }
    # The unknown unit is kept as written, in Shandong, and reported.
    assert data["unresolved_agencies"] == [
        {"id": "山东省:省冷链物流发展中心", "name": "省冷链物流发展中心", "jurisdiction": "山东省"}
    ]
    roles: dict[str, int] = {"lead": 0, "support": 0, "joint": 0}
    for m in doc.measures:
        for a in m.assignments:
            if a.agency_id == SD_NDRC:
                roles[a.role] += 1
    assert roles == SHANDONG_NDRC


def test_a_city_bare_list_of_units_is_a_clause() -> None:
    text = "济南市人民政府办公厅关于印发某方案的通知\n一、任务\n1.推进项目建设。（市发改委、市经信局）\n"
    doc = parse_text(text, source="jinan.txt")
    assert doc.document.jurisdiction == "济南市"
    assert [(a.agency_id, a.role) for a in doc.measures[0].assignments] == [
        ("济南市:市发展改革委", "joint"),
        ("济南市:市经信局", "joint"),
    ]


def test_the_jurisdiction_can_be_given() -> None:
    text = "某方案\n一、任务\n1.推进改革。（省发展改革委牵头，省财政厅配合）\n"
    unknown = parse_text(text, source="x.txt")
    assert unknown.document.jurisdiction is None
    assert [(a.agency_id, a.resolved) for a in unknown.measures[0].assignments] == [
        ("省发展改革委", False),
        ("省财政厅", False),
    ]
    assert any("--jurisdiction" in w.message for w in unknown.warnings)
    given = parse_text(text, source="x.txt", jurisdiction="河北")
    assert given.document.jurisdiction == "河北省"
    assert [a.agency_id for a in given.measures[0].assignments] == ["河北省:省发展改革委", "河北省:省财政厅"]
    with pytest.raises(InputError, match="not a jurisdiction"):
        parse_text(text, source="x.txt", jurisdiction="火星")


def test_parse_cli_shows_and_takes_the_jurisdiction(tmp_path: Path) -> None:
    table = runner.invoke(app, ["parse", str(SHANDONG), "--format", "table"])
    assert table.exit_code == 0, table.output
    assert "jurisdiction: 山东省" in table.stdout.splitlines()[0]
    assert "unresolved agencies (kept as written): 省冷链物流发展中心" in table.stdout
    given = runner.invoke(app, ["parse", str(SHANDONG), "--jurisdiction", "江苏省"])
    assert given.exit_code == 0, given.output
    data = json.loads(given.stdout)
    assert data["document"]["jurisdiction"] == "江苏省"
    assert data["measures"][0]["lead"][0]["id"] == "江苏省:省发展改革委"


# ------------------------------------------------------------------------------ stores, queries, API


def _both(store: GraphStore) -> GraphStore:
    report = load_files([ZHEJIANG, SHANDONG], store, progress=False)
    assert not report.failures, report.failures
    assert "山东省:省冷链物流发展中心" in report.agencies_unresolved
    return store


def _roles(store: GraphStore, agency_id: str) -> dict[str, int]:
    rows = queries.read(store, "agency_measures", {"name": agency_id, "limit": 10000})
    return {role: sum(r["role"] == role for r in rows) for role in ("lead", "support", "joint")}


def test_two_provinces_loaded_together_keep_their_agencies_apart(store: GraphStore) -> None:
    both = _both(store)
    ndrc = {r["id"]: r for r in queries.read(both, "agency_lookup", {"name": "省发展改革委"})}
    assert set(ndrc) == {SD_NDRC, ZJ_NDRC}
    assert (ndrc[SD_NDRC]["full_name"], ndrc[ZJ_NDRC]["full_name"]) == (
        "山东省发展和改革委员会",
        "浙江省发展和改革委员会",
    )
    assert _roles(both, SD_NDRC) == SHANDONG_NDRC
    assert _roles(both, ZJ_NDRC) == _gold_roles("省发展改革委")
    workload = {r["id"]: r for r in queries.read(both, "agency_workload", {"jurisdiction": "山东省", "limit": 10000})}
    assert workload[SD_NDRC]["measures"] == sum(SHANDONG_NDRC.values())
    assert all(r["jurisdiction"] == "山东省" for r in workload.values())
    docs = {d["title"][:6]: d for d in queries.read(both, "documents", {})}
    assert len(docs) == 2
    # the researcher's workload table keeps them apart too, under their ids where the name is shared
    figures = {w.agency: w for w in workload_table(read_table(both), include_idle=False)}
    assert "省发展改革委" not in figures
    assert (figures[SD_NDRC].lead, figures[SD_NDRC].support, figures[SD_NDRC].joint) == (
        SHANDONG_NDRC["lead"],
        SHANDONG_NDRC["support"],
        SHANDONG_NDRC["joint"],
    )
    assert figures[ZJ_NDRC].measures == sum(_gold_roles("省发展改革委").values())
    assert figures["省经信委"].lead == 22  # a name only one jurisdiction uses stays a name


def test_the_seed_figures_hold_beside_another_province(store: GraphStore) -> None:
    both = _both(store)
    registry = AgencyRegistry.load_default()
    [zj] = [d for d in queries.read(both, "documents", {}) if d["title"].startswith("关于印发《浙江省")]
    assert len(queries.read(both, "measures_search", {"doc_id": zj["id"], "limit": 10000})) == 62
    jxw = resolve_agency(both, registry, "省经信委")
    assert jxw["id"] == "浙江省:省经信委"
    assert _roles(both, jxw["id"])["lead"] == 22
    assert len(queries.read(both, "agency_measures", {"name": jxw["id"], "limit": 10000})) == 48
    collective = resolve_agency(both, registry, "各市、县(市、区)政府")
    assert _roles(both, collective["id"])["lead"] == 12
    env = resolve_agency(both, registry, "省环保局")
    assert (env["id"], env["name"]) == ("浙江省:省环保厅", "省环保厅")


def test_a_bare_name_of_two_loaded_provinces_asks_which(store: GraphStore) -> None:
    both = _both(store)
    registry = AgencyRegistry.load_default()
    with pytest.raises(AmbiguousAgency) as error:
        resolve_agency(both, registry, "省发展改革委")
    assert set(error.value.choices) == {SD_NDRC, ZJ_NDRC}
    assert SD_NDRC in str(error.value) and "jurisdiction" in str(error.value)
    assert resolve_agency(both, registry, "省发展改革委", "山东")["id"] == SD_NDRC
    assert resolve_agency(both, registry, "省发改委", "浙江省")["id"] == ZJ_NDRC
    assert resolve_agency(both, registry, SD_NDRC)["id"] == SD_NDRC


def test_with_only_zhejiang_loaded_a_bare_name_is_zhejiangs(embedded_store: GraphStore) -> None:
    load_files([ZHEJIANG], embedded_store, progress=False)
    registry = AgencyRegistry.load_default()
    assert resolve_agency(embedded_store, registry, "省发展改革委")["id"] == ZJ_NDRC
    assert resolve_agency(embedded_store, registry, "省经信委")["id"] == "浙江省:省经信委"


@pytest.fixture
def client(embedded_store: GraphStore) -> Iterator[TestClient]:
    _both(embedded_store)
    with TestClient(create_app(Settings(), store=embedded_store), raise_server_exceptions=False) as test_client:
        yield test_client


def test_api_agency_lookup_by_name_jurisdiction_or_id(client: TestClient) -> None:
    ambiguous = client.get("/agencies/省发展改革委")
    assert ambiguous.status_code == 422
    body: dict[str, Any] = ambiguous.json()
    assert set(body["error"]["choices"]) == {SD_NDRC, ZJ_NDRC}
    shandong = client.get("/agencies/省发展改革委", params={"jurisdiction": "山东省"})
    assert shandong.status_code == 200, shandong.text
    assert (shandong.json()["data"]["id"], shandong.json()["data"]["jurisdiction"]) == (SD_NDRC, "山东省")
    by_id = client.get(f"/agencies/{SD_NDRC}/measures", params={"limit": 100})
    assert by_id.status_code == 200
    assert len(by_id.json()["rows"]) == sum(SHANDONG_NDRC.values())
    jxw = client.get("/agencies/省经信委/measures", params={"role": "lead", "limit": 100})
    assert jxw.status_code == 200 and len(jxw.json()["rows"]) == 22
    query = client.get("/queries/agency_measures", params={"name": "省发展改革委", "jurisdiction": "山东省"})
    assert query.status_code == 200, query.text
    assert len(query.json()["rows"]) == sum(SHANDONG_NDRC.values())


def test_cli_load_and_query_with_a_jurisdiction(tmp_path: Path) -> None:
    where = ["--store", str(tmp_path / "store")]
    loaded = runner.invoke(app, ["load", str(ZHEJIANG), str(SHANDONG), *where])
    assert loaded.exit_code == 0, loaded.output

    def query(*params: str) -> Any:
        args = [x for p in params for x in ("-p", p)]
        return runner.invoke(app, ["query", "agency_measures", *args, "--format", "json", *where])

    ambiguous = query("name=省发展改革委")
    assert ambiguous.exit_code == 1 and SD_NDRC in ambiguous.output and ZJ_NDRC in ambiguous.output
    for params in (("name=省发展改革委", "jurisdiction=山东省"), (f"name={SD_NDRC}",)):
        result = query(*params, "limit=1000")
        assert result.exit_code == 0, result.output
        assert len(json.loads(result.stdout)) == sum(SHANDONG_NDRC.values())
    lead = query("name=省经信委", "role=lead", "limit=1000")
    assert lead.exit_code == 0 and len(json.loads(lead.stdout)) == 22


def test_cli_load_with_a_jurisdiction_overrides_and_refuses_unknown_places(tmp_path: Path) -> None:
    where = ["--store", str(tmp_path / "store")]
    refused = runner.invoke(app, ["load", str(SHANDONG), "--jurisdiction", "火星", *where])
    assert refused.exit_code == 1 and "not a jurisdiction" in refused.output
    loaded = runner.invoke(app, ["load", str(SHANDONG), "--jurisdiction", "江苏", *where])
    assert loaded.exit_code == 0, loaded.output
    with EmbeddedStore(tmp_path / "store", read_only=True) as store:
        [doc] = queries.read(store, "documents", {})
        detail = queries.read(store, "document_detail", {"id": doc["id"]})[0]
        assert queries.read(store, "agency_lookup", {"name": "江苏省:省发展改革委"})[0]["measures"] == 5
        assert queries.read(store, "agency_lookup", {"name": SD_NDRC}) == []
    assert detail["jurisdiction"] == "江苏省"
