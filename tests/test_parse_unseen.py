"""The parser on real documents of the task-decomposition family that it was not built on.

``tests/data/unseen/*.txt`` are excerpts of published 分工方案 / 责任分解 documents (sources in
``tests/data/unseen/SOURCES.md``; three files named ``composed-*`` are written in the published
style where no full real text was at hand). Each ``*.expected.json`` beside them was written by
reading the excerpt, following ``tests/data/CONVENTIONS.md``, before the parser was run on it.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from policykg.graph.model import Measure, ParsedDocument
from policykg.loaders import parse_file, parse_text

UNSEEN = Path(__file__).resolve().parent / "data" / "unseen"
STEMS = sorted(p.name.removesuffix(".expected.json") for p in UNSEEN.glob("*.expected.json"))


def expected(stem: str) -> dict[str, Any]:
    with (UNSEEN / f"{stem}.expected.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def written(measure: Measure, role: str) -> list[str]:
    return [a.as_written for a in measure.assignments if a.role == role]


def target_keys(targets: list[Any]) -> Counter[tuple[Any, ...]]:
    keys: Counter[tuple[Any, ...]] = Counter()
    for t in targets:
        if isinstance(t, dict):
            keys[(t["value"], t["unit"], t["year"], t["qualifier"], t["per_year"])] += 1
        else:
            keys[(t.value, t.unit, t.year, t.qualifier, t.per_year)] += 1
    return keys


def check_against_expected(doc: ParsedDocument, exp: dict[str, Any]) -> None:
    got = [m.ref for m in doc.measures]
    assert got == [m["ref"] for m in exp["measures"]]
    for want, measure in zip(exp["measures"], doc.measures, strict=True):
        ref = want["ref"]
        for role in ("lead", "support", "joint"):
            assert written(measure, role) == want[role], f"{ref} {role}"
        assert target_keys(measure.targets) == target_keys(want["targets"]), f"{ref} targets"
        assert measure.deadline == want["deadline"], f"{ref} deadline"


def test_every_excerpt_has_a_source_note() -> None:
    sources = (UNSEEN / "SOURCES.md").read_text(encoding="utf-8")
    assert len(STEMS) >= 8
    for stem in STEMS:
        assert f"{stem}.txt" in sources


@pytest.mark.parametrize("stem", STEMS)
def test_measures_match_the_hand_written_reading(stem: str) -> None:
    check_against_expected(parse_file(UNSEEN / f"{stem}.txt"), expected(stem))


@pytest.mark.parametrize("stem", STEMS)
def test_document_metadata(stem: str) -> None:
    doc = parse_file(UNSEEN / f"{stem}.txt").document
    for key, value in expected(stem)["document"].items():
        assert getattr(doc, key) == value, key


# --- the same excerpts as a web page, a Word file and a GBK text file -----------------------


def test_html_copy_of_an_excerpt_reads_like_the_text(tmp_path: Path) -> None:
    """A gov.cn-style page: site chrome, full-width indentation, one <p> per paragraph."""
    lines = (UNSEEN / "guangzhou-2006-zhongdian-gongzuo.txt").read_text(encoding="utf-8").splitlines()
    body = "\n".join(f"<p>&emsp;&emsp;{html.escape(line)}</p>" for line in lines)
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>广州市人民政府门户网站</title></head><body>'
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>'
        f'<div class="article">{body}</div><div class="footer">主办：广州市人民政府办公厅</div></body></html>'
    )
    path = tmp_path / "guangzhou.html"
    path.write_text(page, encoding="utf-8")
    check_against_expected(parse_file(path), expected("guangzhou-2006-zhongdian-gongzuo"))


def test_gbk_copy_of_an_excerpt_reads_like_the_text(tmp_path: Path) -> None:
    text = (UNSEEN / "composed-guobanfa-fengong.txt").read_text(encoding="utf-8")
    path = tmp_path / "guobanfa-gbk.txt"
    path.write_bytes(text.encode("gbk"))
    check_against_expected(parse_file(path), expected("composed-guobanfa-fengong"))


def _word_file(path: Path) -> None:
    """The provincial 责任分解表 as Word writes it: notice paragraphs, then a table with a header
    row, a merged group-heading row and 牵头单位 / 配合单位 / 完成时限 columns."""
    import docx

    document = docx.Document()
    for line in ("某省人民政府办公厅关于印发某省推进新型基础设施建设重点任务责任分解方案的通知",
                 "各市人民政府，省政府各部门、各直属机构：",
                 "现将《某省推进新型基础设施建设重点任务责任分解方案》印发给你们，请认真抓好落实。",
                 "某省人民政府办公厅", "2023年4月10日", "附件", "重点任务责任分解表"):  # fmt: skip
        document.add_paragraph(line)
    rows = [
        ("序号", "重点任务", "牵头单位", "配合单位", "完成时限"),
        ("一、信息基础设施",) * 5,
        ("1", "新建5G基站2万个以上。", "省通信管理局", "省工业和信息化厅、省发展改革委", "2023年12月底前"),
        ("2", "推进千兆光网城市建设，新增千兆宽带用户50万户。", "省工信厅", "各市人民政府", "2024年6月底前"),
        ("二、融合基础设施",) * 5,
        ("3", "建设工业互联网标识解析二级节点。", "省工业和信息化厅", "省科技厅、省大数据局", "持续推进"),
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        if len(set(values)) == 1:
            merged = cells[0].merge(cells[4])
            merged.text = values[0]
            continue
        for c, value in enumerate(values):
            cells[c].text = value
    document.save(str(path))


def test_word_table_with_lead_support_and_deadline_columns(tmp_path: Path) -> None:
    path = tmp_path / "fenjie.docx"
    _word_file(path)
    check_against_expected(parse_file(path), expected("composed-province-table"))


# --- names the registry does not know ---------------------------------------------------------


def test_unknown_units_of_other_provinces_and_cities_are_kept_as_written_unresolved() -> None:
    table = {m.ref: m for m in parse_file(UNSEEN / "composed-province-table.txt").measures}
    lead = [a for a in table["一/2"].assignments if a.role == "lead"]
    assert [(a.name, a.as_written, a.resolved) for a in lead] == [("省工信厅", "省工信厅", False)]
    city = {m.ref: m for m in parse_file(UNSEEN / "composed-city-fengong.txt").measures}
    first = city["第一部分/一/1"].assignments
    assert [(a.as_written, a.role, a.resolved) for a in first] == [
        ("市发改委", "lead", False),
        ("各县（市、区）人民政府", "support", False),
        ("市直有关部门", "support", False),
    ]
    district = parse_file(UNSEEN / "lishan-2023-fengong.txt").measures[0].assignments
    # 区发改局 is the district's own 发展改革局 (county templates); the others stay as written, the district's
    assert [(a.as_written, a.agency_id, a.resolved) for a in district] == [
        ("区发改局", "立山区:区发展改革局", True),
        ("立山经济开发区", "立山区:立山经济开发区", False),
        ("全区经济运行各专班", "立山区:全区经济运行各专班", False),
    ]


def test_known_central_units_and_collectives_resolve_to_the_registry_name() -> None:
    doc = parse_file(UNSEEN / "composed-guobanfa-fengong.txt")
    first = doc.measures[0].assignments
    assert [(a.name, a.resolved) for a in first] == [("发展改革委", True), ("市场监管总局", True), ("财政部", True)]
    tail = {m.ref: m for m in doc.measures}["二/(三)/6"].assignments
    assert [a.name for a in tail] == ["市场监管总局", "国务院有关部门", "各地区"]
    assert all(a.resolved for a in tail)


# --- forms of the family, one at a time ---------------------------------------------------------


def _roles(text: str) -> list[tuple[str, list[str], list[str], list[str], str | None]]:
    doc = parse_text(text, source="form.txt")
    return [(m.ref, written(m, "lead"), written(m, "support"), written(m, "joint"), m.deadline) for m in doc.measures]


def test_and_between_two_named_ministries_separates_them_but_not_inside_a_name() -> None:
    got = _roles(
        "一、任务\n（一）保护生态。（自然资源部、生态环境部和国家林草局负责）\n（二）发展文旅。（文化和旅游部负责）\n"
    )
    assert got == [
        ("一/(一)", [], [], ["自然资源部", "生态环境部", "国家林草局"], None),
        ("一/(二)", [], [], ["文化和旅游部"], None),
    ]


def test_completion_time_closing_a_clause_is_the_deadline() -> None:
    got = _roles(
        "一、任务\n（一）推进改革。（省发展改革委、省财政厅按职责分工负责，2023年底前完成）\n"
        "（二）建设队伍。（市发改委牵头，市各有关部门配合；完成时限：2023年12月）\n"
    )
    assert got == [
        ("一/(一)", [], [], ["省发展改革委", "省财政厅"], "2023年底前完成"),
        ("一/(二)", ["市发改委"], ["市各有关部门"], [], "2023年12月"),
    ]


def test_lead_with_generic_tail_by_duties() -> None:
    got = _roles(
        "一、任务\n（三）强化保障。一是加大投入；二是完善机制。（国家发展改革委牵头，各有关部门按职责分工负责）\n"
    )
    assert got == [("一/(三)", ["国家发展改革委"], ["各有关部门"], [], None)]


def test_ordinal_word_paragraphs_are_items() -> None:
    got = _roles("第一，强化组织领导。（省发展改革委负责）\n第二，加强督查。（省政府督查室负责）\n")
    assert got == [("第一", [], [], ["省发展改革委"], None), ("第二", [], [], ["省政府督查室"], None)]


def test_lead_rule_written_by_the_last_unit_in_its_own_brackets() -> None:
    got = _roles(
        "一、任务\n1.推进改革。\n责任单位：发改局、财政局（列第一位的责任单位为牵头单位或汇总单位，下同）\n"
        "2.加强监管。\n责任单位：市场监管局、商务局\n"
    )
    assert got == [("一/1", ["发改局"], ["财政局"], [], None), ("一/2", ["市场监管局"], ["商务局"], [], None)]


def test_leader_columns_and_lines_name_people_not_units() -> None:
    table = _roles(
        "序号 | 工作任务 | 牵头市领导 | 牵头单位 | 责任单位 | 完成时限\n"
        "1 | 实施重点项目200个以上。 | 张三 | 市发展改革委 | 各区县政府 | 2023年12月底前\n"
    )
    assert table == [("1", ["市发展改革委"], ["各区县政府"], [], "2023年12月底前")]
    lines = _roles("一、稳增长\n1.新增市场主体5万户。\n牵头市领导：张三\n牵头单位：市市场监管局\n责任单位：市商务局\n")
    assert lines == [("一/1", ["市市场监管局"], ["市商务局"], [], None)]


def test_goal_introduced_by_shi_shi_is_a_target() -> None:
    doc = parse_text("一、稳增长\n1.实施重点项目200个以上。（市发展改革委负责）\n", source="t.txt")
    assert target_keys(doc.measures[0].targets) == Counter({("200", "个", None, "at_least", False): 1})


def test_lead_rule_stated_in_a_table_cell() -> None:
    got = _roles(
        "序号 | 工作任务 | 责任单位 | 完成时限\n"
        "1 | 推广应用。 | 省经信厅、省科技厅（列第一位的为牵头单位，下同） | 长期坚持\n"
        "2 | 建设平台。 | 省科技厅、省财政厅 | 2024年\n"
    )
    assert got == [
        ("1", ["省经信厅"], ["省科技厅"], [], "长期坚持"),
        ("2", ["省科技厅"], ["省财政厅"], [], "2024年"),
    ]


def test_square_brackets_and_time_after_a_semicolon() -> None:
    got = _roles(
        "一、任务\n1.推进改革。【牵头单位：省发展改革委；配合单位：省财政厅、省商务厅】\n"
        "2.优化服务。（省发改委牵头，省有关单位配合；2023年12月底前完成）\n"
        "3.强化保障。（省财政厅、省税务局等按职责分工负责，2021年持续推进）\n"
    )
    assert got == [
        ("一/1", ["省发展改革委"], ["省财政厅", "省商务厅"], [], None),
        ("一/2", ["省发改委"], ["省有关单位"], [], "2023年12月底前完成"),
        ("一/3", [], [], ["省财政厅", "省税务局"], "2021年持续推进"),
    ]


def test_notice_sentences_that_set_the_roles_of_the_whole_list() -> None:
    """杭州: "列第一位的责任单位为牵头单位或汇总单位"; 武汉: "无牵头单位的，责任单位即为牵头单位"."""
    first_leads = _roles(
        "二、责任分解中，列第一位的责任单位为牵头单位或汇总单位。\n"
        "序号 | 工作任务 | 责任单位\n1 | 推进改革。 | 市发改委、市财政局\n"
    )
    assert first_leads == [("二/1", ["市发改委"], ["市财政局"], [], None)]
    all_lead = _roles(
        "一、牵头单位（无牵头单位的，责任单位即为牵头单位，下同）要统筹相关责任单位制订办理方案。\n"
        "序号 | 工作任务 | 牵头单位 | 责任单位\n1 | 推进改革。 | 市发改委 | 市财政局\n"
        "2 | 优化服务。 |  | 市政务办、市大数据局\n"
    )
    assert all_lead == [
        ("一/1", ["市发改委"], ["市财政局"], [], None),
        ("一/2", ["市政务办", "市大数据局"], [], [], None),
    ]


def test_reduction_goals_of_streamlining_lists_are_targets() -> None:
    doc = parse_text(
        "一、简政放权\n（一）压减事项。\n1.再取消或下放50项以上行政许可事项。（国务院审改办牵头，国务院各有关部门按职责分工负责）\n"
        "2.将审批时间压减至120个工作日以内。（住房城乡建设部负责）\n",
        source="t.txt",
    )
    first, second = doc.measures
    assert target_keys(first.targets) == Counter({("50", "项", None, "at_least", False): 1})
    assert written(first, "lead") == ["国务院审改办"] and written(first, "support") == ["国务院各有关部门"]
    assert second.targets == []  # a procedure time limit is a duration, not a target (CONVENTIONS §6)


def test_layout_left_by_word_and_pdf_copies() -> None:
    """Letter-spaced labels of justified Word text, units on the line after their label, and a
    unit name broken by a hard line wrap."""
    got = _roles(
        "一、任务\n1.推进改革。\n牵 头 单 位：省发展改革委\n配 合 单 位：省财政厅\n"
        "2.推进试点。\n责任单位：\n省科技厅、省财政厅\n"
        "3.完善配套政策体系（国家发展改革委、财政\n部、商务部负责）。\n"
    )
    assert got == [
        ("一/1", ["省发展改革委"], ["省财政厅"], [], None),
        ("一/2", [], [], ["省科技厅", "省财政厅"], None),
        ("一/3", [], [], ["国家发展改革委", "财政部", "商务部"], None),
    ]


def test_closing_role_sentence_of_a_city_document_with_units_the_registry_does_not_know() -> None:
    got = _roles(
        "一、任务\n1.推进老旧小区改造。市住建局牵头，市财政局、各区政府配合。\n"
        "2.加强监管。由市市场监管局负责。\n3.深化改革。各地要积极配合。\n"
    )
    assert got == [
        ("一/1", ["市住建局"], ["市财政局", "各区政府"], [], None),
        ("一/2", [], [], ["市市场监管局"], None),
    ]


def test_table_pasted_with_tabs() -> None:
    """A 责任分解表 copied out of Word or Excel into a text file: cells separated by tabs, an
    empty 配合单位 cell keeping its column."""
    got = _roles(
        "重点任务分解表\n序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t新建5G基站2万个。\t市通信办\t市发改委、市住建局\t2023年底前\n"
        "2\t推进数据共享。\t市大数据局\t\t持续推进\n"
    )
    assert got == [
        ("1", ["市通信办"], ["市发改委", "市住建局"], [], "2023年底前"),
        ("2", ["市大数据局"], [], [], "持续推进"),
    ]


def test_provincial_unit_of_another_province_is_not_linked_to_the_registry_entry() -> None:
    """The registry's entry 省发展改革委 is Zhejiang's: a Liaoning document's 省发展改革委 is Liaoning's own
    unit (from the province templates), a different agency."""
    liaoning = parse_file(UNSEEN / "liaoning-2023-zhengfu-gongzuo-baogao.txt")
    assert liaoning.document.jurisdiction == "辽宁省"
    assert [(a.as_written, a.role, a.agency_id) for a in liaoning.measures[0].assignments[:2]] == [
        ("省发展改革委", "lead", "辽宁省:省发展改革委"),
        ("省工业和信息化厅", "support", "辽宁省:省工业和信息化厅"),
    ]
    zhejiang = parse_text(
        "浙江省人民政府办公厅关于印发某方案的通知\n一、任务\n1.推进改革。（省发展改革委负责）\n", source="zj.txt"
    )
    assert [(a.agency_id, a.resolved) for a in zhejiang.measures[0].assignments] == [("浙江省:省发展改革委", True)]


def test_bare_list_with_a_unit_marked_as_lead() -> None:
    got = _roles("一、任务\n1.加快建设。（市发展改革委（牵头）、市财政局、市住房城乡建设局）\n")
    assert got == [("一/1", ["市发展改革委"], ["市财政局", "市住房城乡建设局"], [], None)]


def test_a_city_of_the_home_province_resolves() -> None:
    """A Zhejiang document naming 绍兴市政府 links it to the registry's unit (its place is a city, not the province)."""
    from policykg.loaders import parse_file

    path = Path(__file__).resolve().parents[1] / "policykg" / "examples" / "2017-zhejiang-chuantong-zhizao-fenjie.txt"
    found = [a for m in parse_file(path).measures for a in m.assignments if a.as_written == "绍兴市政府"]
    assert found and all(a.resolved and a.name == "绍兴市政府" for a in found)
