"""The agency registry: resolution, coverage of the corpus, lineage, collectives and load errors."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from policykg.errors import InputError
from policykg.loaders.registry import AgencyRegistry

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = Path("/work/shared/corpus")
CORPUS = SHARED_CORPUS if SHARED_CORPUS.is_dir() else REPO / "policykg" / "examples"
ZHEJIANG = CORPUS / "2017-zhejiang-chuantong-zhizao-fenjie.txt"

# 附件2 (省级有关单位) of the Zhejiang notice, copied by hand from the document.
ANNEX2 = [
    "省人才办", "省发展改革委", "省经信委", "省教育厅", "省科技厅", "省财政厅", "省人力社保厅",
    "省国土资源厅", "省环保厅", "省建设厅", "省商务厅", "省地税局", "省工商局", "省质监局",
    "省安监局", "省统计局", "省物价局", "省法院", "省总工会", "省科协", "省国税局",
    "人行杭州中心支行", "浙江银监局", "浙江证监局", "省金融办",
]  # fmt: skip


@pytest.fixture(scope="module")
def registry() -> AgencyRegistry:
    return AgencyRegistry.load_default()


# ---------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("发展改革委", "发展改革委"),
        ("国家发展改革委", "发展改革委"),
        ("国家发展和改革委员会", "发展改革委"),
        ("省环保局", "省环保厅"),
        ("浙江省环境保护厅", "省环保厅"),
        ("国务院国资委", "国资委"),
        ("中国银保监会", "银保监会"),
        ("中国人民银行", "人民银行"),
        ("国家知识产权局", "知识产权局"),
        ("中国证监会", "证监会"),
        ("工业和信息化部", "工业和信息化部"),
        ("人力资源和社会保障部", "人力资源社会保障部"),
        ("中国银行业监督管理委员会浙江监管局", "浙江银监局"),
        ("浙江省经济和信息化委员会", "省经信委"),
        ("中华全国总工会", "全国总工会"),
    ],
)
def test_short_full_and_alias_names_resolve_to_one_canonical_agency(
    registry: AgencyRegistry, written: str, canonical: str
) -> None:
    agency = registry.resolve(written)
    assert agency is not None, written
    assert agency.name == canonical


def test_normalisation_ignores_parenthesis_width_spaces_and_a_trailing_deng(registry: AgencyRegistry) -> None:
    ascii_form = registry.resolve("各市、县(市、区)政府")
    full_width = registry.resolve("各市、县（市、区）政府")
    assert ascii_form is not None and ascii_form == full_width
    assert registry.resolve(" 省 经信委 ") == registry.resolve("省经信委")
    found = registry.resolve("全国总工会等")
    assert found is not None and found.name == "全国总工会"


def test_resolution_is_exact_not_fuzzy(registry: AgencyRegistry) -> None:
    assert registry.resolve("省经信局") is None
    assert registry.resolve("发展改革") is None
    assert registry.resolve("") is None


def test_unknown_name_gives_none_and_a_sensible_suggestion(registry: AgencyRegistry) -> None:
    assert registry.resolve("国家发展改革委员会") is None
    assert "发展改革委" in registry.suggest("国家发展改革委员会")
    assert registry.suggest("省经信局")[0] == "省经信委"
    assert len(registry.suggest("省经信局", limit=2)) <= 2
    assert registry.suggest("完全无关的名字XYZ") == []


def test_contains_and_len(registry: AgencyRegistry) -> None:
    assert "海关总署" in registry
    assert "国家税务总局" in registry
    assert "不存在的局" not in registry
    assert len(registry) == len(registry.agencies()) > 100


def test_info_carries_jurisdiction_and_note(registry: AgencyRegistry) -> None:
    info = registry.info("省环保局")
    assert info is not None
    assert info.agency.name == "省环保厅"
    assert info.jurisdiction == "浙江省"
    assert info.note and "省环保局" in info.note


# ---------------------------------------------------------------------------- coverage


def test_every_annex2_unit_is_present_and_a_member_of_the_collective(registry: AgencyRegistry) -> None:
    text = unicodedata.normalize("NFKC", ZHEJIANG.read_text(encoding="utf-8"))
    annex_line = text.split("\n附件2", 1)[1].split("省级有关单位", 1)[1].strip().splitlines()[0]
    from_document = [n for n in re.split(r"[、。]", annex_line) if n.strip()]
    assert from_document == ANNEX2
    for name in ANNEX2:
        agency = registry.resolve(name)
        assert agency is not None, name
        assert agency.name == name
        assert agency.level == "province"
        assert "省级有关单位" in agency.member_of
    assert sorted(registry.members_of("省级有关单位")) == sorted(ANNEX2)


def test_central_ministries_of_the_2018_structure_are_present(registry: AgencyRegistry) -> None:
    ministries = [
        "外交部", "国防部", "发展改革委", "教育部", "科技部", "工业和信息化部", "民委", "公安部", "安全部",
        "民政部", "司法部", "财政部", "人力资源社会保障部", "自然资源部", "生态环境部", "住房城乡建设部",
        "交通运输部", "水利部", "农业农村部", "商务部", "文化和旅游部", "卫生健康委", "退役军人部",
        "应急部", "人民银行", "审计署",
    ]  # fmt: skip
    for name in ministries:
        agency = registry.resolve(name)
        assert agency is not None and agency.level == "central" and agency.kind == "government_department", name
    assert len(registry.by_level("central")) >= 60


def _clause_names(text: str) -> list[str]:
    """Crudely split every responsibility clause and table agency cell into unit names.

    Deliberately independent of the real parser: only enough rules to cut the corpus's clauses.
    """
    text = unicodedata.normalize("NFKC", text)
    clause = re.compile(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
    found: list[str] = []
    for line in text.splitlines():
        cells = line.split(" | ")
        if len(cells) == 5 and cells[0].strip().isdigit():
            found += re.split(r"[、,;]", cells[3])
            continue
        for match in clause.finditer(line):
            body = match.group(1)
            labelled = body.startswith(("责任单位:", "负责部门:"))
            if not (labelled or body.endswith("负责")):
                continue
            body = re.sub(r"^(责任单位|负责部门):", "", body)
            body = re.sub(r"[,;]?适用范围:.*$", "", body)
            body = re.sub(r"[,;]?(列第一位者为牵头单位|排在第一位的部门为牵头部门)[,;]?(以下同|下同)?", "", body)
            body = re.sub(r"负责$", "", body)
            body = body.replace("等和", "、").replace("等有关部门", "、有关部门").replace("等部门", "")
            # 、 inside parentheses and in the "…市、县(…)" collective pattern is not a separator
            body = re.sub(r"\(([^()]*)\)", lambda g: "(" + g.group(1).replace("、", "\0") + ")", body)
            body = body.replace("市、县(", "市\0县(")
            found += [part.replace("\0", "、") for part in re.split(r"[、,;]", body)]
    return [name.strip() for name in found if name.strip()]


def test_every_unit_named_in_a_corpus_clause_resolves(registry: AgencyRegistry) -> None:
    files = sorted(CORPUS.glob("*.txt"))
    assert len(files) == 5
    names = {name: f.name for f in files for name in _clause_names(f.read_text(encoding="utf-8"))}
    # the scan itself must be working: spot-check names from each document family
    for expected in [
        "省环保局",
        "各市、县(市、区)政府",
        "税务总局",
        "最高人民检察院",
        "中国铁路总公司",
        "各有关省级人民政府",
    ]:
        assert expected in names
    assert len(names) > 80
    unresolved = {name: source for name, source in names.items() if registry.resolve(name) is None}
    assert unresolved == {}


# ---------------------------------------------------------------------------- lineage


def test_2018_central_reform_lineage(registry: AgencyRegistry) -> None:
    assert registry.successors("国家工商行政管理总局") == ["市场监管总局"]
    assert set(registry.predecessors("市场监管总局")) >= {"工商总局", "质检总局", "食品药品监管总局"}
    assert registry.successors("国土资源部") == ["自然资源部"]
    assert registry.successors("环境保护部") == ["生态环境部"]
    assert registry.successors("农业部") == ["农业农村部"]
    assert set(registry.predecessors("文化和旅游部")) == {"文化部", "旅游局"}
    assert registry.successors("国家卫生计生委") == ["卫生健康委"]
    银监会 = registry.resolve("银监会")
    assert 银监会 is not None and 银监会.succeeded_by == (("银保监会", "2018-03-17"),)


def test_lineage_is_transitive(registry: AgencyRegistry) -> None:
    assert registry.successors("保监会") == ["银保监会", "金融监管总局"]
    assert set(registry.predecessors("金融监管总局")) == {"银保监会", "银监会", "保监会"}
    assert registry.successors("扶贫办") == ["乡村振兴局", "农业农村部"]
    assert registry.successors("发展改革委") == []
    assert registry.successors("不存在的局") == []


def test_2018_zhejiang_reform_lineage(registry: AgencyRegistry) -> None:
    expected = {
        "省经信委": ["省经信厅"],
        "省环保局": ["省生态环境厅"],
        "省国土资源厅": ["省自然资源厅"],
        "省质监局": ["省市场监管局"],
        "省工商局": ["省市场监管局"],
        "省安监局": ["省应急管理厅"],
        "浙江银监局": ["浙江银保监局"],
        "省国税局": ["浙江省税务局"],
        "省地税局": ["浙江省税务局"],
    }
    for old, new in expected.items():
        assert registry.successors(old) == new, old
        for successor in new:
            assert registry.resolve(successor) is not None
    经信委 = registry.resolve("省经信委")
    assert 经信委 is not None and 经信委.succeeded_by == (("省经信厅", "2018-10-04"),)


def test_every_lineage_edge_points_to_an_agency_with_an_iso_date(registry: AgencyRegistry) -> None:
    edges = registry.lineage_edges()
    assert len(edges) >= 30
    for old, new, date in edges:
        assert old in registry and new in registry
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)


# ---------------------------------------------------------------------------- collectives


@pytest.mark.parametrize(
    "written",
    [
        "各市、县(市、区)政府",
        "省级试点所在市、县(市、区)政府",
        "18个实施振兴实体经济(传统产业改造)财政专项激励的县(市、区)政府",
        "各设区市人民政府",
        "各省级人民政府",
        "各有关省级人民政府",
        "各省(区、市)人民政府",
        "各省、自治区、直辖市人民政府",
    ],
)
def test_local_government_collectives_are_whole_units(registry: AgencyRegistry, written: str) -> None:
    agency = registry.resolve(written)
    assert agency is not None, written
    assert agency.level == "collective"
    assert agency.kind == "local_government_collective"


def test_generic_tails_and_leading_groups(registry: AgencyRegistry) -> None:
    for tail in ["有关部门", "各有关部门", "有关部门和单位", "有关地方人民政府", "有关单位"]:
        agency = registry.resolve(tail)
        assert agency is not None and agency.level == "collective", tail
    assert registry.resolve("等有关部门") == registry.resolve("有关部门")
    group = registry.resolve("浙江省工业转型升级领导小组")
    office = registry.resolve("省工业转型升级领导小组办公室")
    assert group is not None and group.kind == "leading_group"
    assert office is not None and office.kind == "leading_group_office"
    assert registry.resolve("省工业转型升级领导小组成员单位") is not None
    assert registry.members_of("不存在的小组") == []


def test_by_level_partitions_the_registry(registry: AgencyRegistry) -> None:
    levels = ["central", "province", "city", "county", "collective"]
    assert sum(len(registry.by_level(level)) for level in levels) == len(registry)
    assert "绍兴市政府" in [a.name for a in registry.by_level("city")]


# ---------------------------------------------------------------------------- load errors

GOOD_ENTRY = """
[[agency]]
name = "甲局"
level = "central"
kind = "government_department"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agencies.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_small_valid_file_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_ENTRY + '\n[[agency]]\nname = "乙局"\nlevel = "central"\nkind = "other"\n'
                  'aliases = ["老乙局"]\nsucceeded_by = [{ name = "甲局", date = "2018-03-17" }]\n')  # fmt: skip
    registry = AgencyRegistry.load(path)
    assert len(registry) == 2
    assert registry.successors("老乙局") == ["甲局"]
    assert registry.predecessors("甲局") == ["乙局"]


def test_malformed_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[agency]]\nname = "甲局\n')
    with pytest.raises(InputError) as error:
        AgencyRegistry.load(path)
    assert str(path) in str(error.value)
    assert "not valid TOML" in str(error.value)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read") as error:
        AgencyRegistry.load(tmp_path / "nope.toml")
    assert "nope.toml" in str(error.value)


@pytest.mark.parametrize(
    ("second_entry", "message"),
    [
        ('name = "乙局"\nkind = "other"\n', r"agency entry 2 \(乙局\) has no 'level'"),
        ('name = "乙局"\nlevel = "planet"\nkind = "other"\n', r"level 'planet'"),
        ('name = "乙局"\nlevel = "central"\nkind = "other"\ncolour = "red"\n', r"unknown fields: colour"),
        ('name = "乙局"\nlevel = "central"\nkind = "other"\naliases = "甲"\n', r"'aliases' that is not a list"),
        ('name = "甲局"\nlevel = "central"\nkind = "other"\n', r"'甲局' is used by entries 1 and 2"),
        ('name = "乙局"\nlevel = "central"\nkind = "other"\naliases = ["甲局"]\n', r"already a name of '甲局'"),
        ('name = "乙局"\nlevel = "central"\nkind = "other"\nmember_of = ["丙组"]\n', r"member_of '丙组'"),
        (
            'name = "乙局"\nlevel = "central"\nkind = "other"\n'
            'succeeded_by = [{ name = "丁局", date = "2018-03-17" }]\n',
            r"succeeded_by '丁局'",
        ),
        (
            'name = "乙局"\nlevel = "central"\nkind = "other"\nsucceeded_by = [{ name = "甲局", date = "2018" }]\n',
            r"'succeeded_by' item",
        ),
    ],
)
def test_bad_entries_give_errors_naming_file_line_and_entry(tmp_path: Path, second_entry: str, message: str) -> None:
    path = _write(tmp_path, GOOD_ENTRY + "\n[[agency]]\n" + second_entry)
    with pytest.raises(InputError, match=message) as error:
        AgencyRegistry.load(path)
    assert error.value.path == str(path)
    assert error.value.line == 7  # the second [[agency]] header
    assert str(error.value).startswith(f"{path}, line 7: ")


def test_a_file_without_agency_tables_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no \[\[agency\]\] tables"):
        AgencyRegistry.load(_write(tmp_path, 'title = "x"\n'))


def test_zhejiang_prefecture_level_city_governments_make_up_their_collective(registry: AgencyRegistry) -> None:
    cities = ["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"]
    assert sorted(registry.members_of("各设区市人民政府")) == sorted(f"{c}市政府" for c in cities)
    shaoxing = registry.resolve("绍兴市人民政府")
    assert shaoxing is not None and shaoxing.level == "city" and shaoxing.kind == "local_government"


def test_a_reform_can_split_one_unit_between_successors(registry: AgencyRegistry) -> None:
    assert registry.successors("国家质检总局") == ["市场监管总局", "海关总署"]
    assert registry.successors("省海洋与渔业局") == ["省农业农村厅", "省自然资源厅"]
    assert sorted(registry.predecessors("省农业农村厅")) == ["省农业厅", "省海洋与渔业局"]
