"""Clause forms found in the wild (issue 10), each with its reading written by hand from LABELING.md,
and the lexicon that holds the words they are read by.

Every expected reading below was written from the sentence, never from parser output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.errors import InputError
from policykg.graph.model import ParsedDocument
from policykg.loaders import parse_text
from policykg.loaders.lexicon import default_lexicon, lexicon_from_text, load_lexicon

Reading = list[tuple[str, list[str], list[str], list[str]]]


def reading(doc: ParsedDocument) -> Reading:
    """(ref, lead, support, joint) per record, names as written."""
    return [
        (
            m.ref,
            [a.as_written for a in m.assignments if a.role == "lead"],
            [a.as_written for a in m.assignments if a.role == "support"],
            [a.as_written for a in m.assignments if a.role == "joint"],
        )
        for m in doc.measures
    ]


def test_a_coordinating_label_line_after_the_lead_gives_support() -> None:
    doc = parse_text(
        "一、主要任务\n1.建设一体化平台。\n牵头单位：省发展改革委\n协同单位：省财政厅、省科技厅\n"
        "2.推进改革。\n牵头单位：省财政厅\n参与单位：省人力社保厅\n",
        source="x.txt",
    )
    assert reading(doc) == [
        ("一/1", ["省发展改革委"], ["省财政厅", "省科技厅"], []),
        ("一/2", ["省财政厅"], ["省人力社保厅"], []),
    ]


def test_a_unit_that_carries_it_out_is_support_beside_the_lead() -> None:
    text = "一、主要任务\n（一）建设数字政府。推进政务服务一网通办。（省大数据局牵头，省有关部门具体实施）\n"
    doc = parse_text(text, source="x.txt")
    assert reading(doc) == [("一/(一)", ["省大数据局"], ["省有关部门"], [])]


def test_a_ranking_rule_is_no_unit_and_holds_to_the_end() -> None:
    doc = parse_text(
        "一、主要任务\n1.推进项目建设。（责任单位：市发改委、市经信局，排名第一的为牵头单位）\n"
        "2.加快改革。（责任单位：市财政局、市发改委）\n",
        source="x.txt",
    )
    assert reading(doc) == [
        ("一/1", ["市发改委"], ["市经信局"], []),
        ("一/2", ["市财政局"], ["市发改委"], []),
    ]


@pytest.mark.parametrize(
    "variant",
    ["排在第一位的为牵头单位", "列第一位的为牵头单位", "第一个为牵头单位", "列第一位者为牵头单位，下同"],
)
def test_lead_rule_variants(variant: str) -> None:
    doc = parse_text(f"一、任务\n1.推进建设。（责任单位：市住建局、市财政局，{variant}）\n", source="x.txt")
    assert reading(doc) == [("一/1", ["市住建局"], ["市财政局"], [])]


ITEM_WITH_TWO_CLAUSES = {
    "brackets": "1.建设平台（省发展改革委牵头，省财政厅配合），推进改革（省财政厅牵头，省发展改革委配合）。",
    "square brackets": "1.建设平台。【省发展改革委牵头，省财政厅配合】推进改革。【省财政厅牵头，省发展改革委配合】",
    "labels in brackets": "1.建设平台。（牵头单位：省发展改革委；配合单位：省财政厅）推进改革。"
    "（牵头单位：省财政厅；配合单位：省发展改革委）",
    "labels in the text": "1.建设平台。牵头单位：省发展改革委；配合单位：省财政厅。推进改革。"
    "牵头单位：省财政厅；配合单位：省发展改革委。",
    "label lines": "1.建设平台。\n牵头单位：省发展改革委\n配合单位：省财政厅\n推进改革。\n"
    "牵头单位：省财政厅\n配合单位：省发展改革委",
    "role sentences": "1.建设平台。省发展改革委牵头，省财政厅配合。推进改革。省财政厅牵头，省发展改革委配合。",
}


@pytest.mark.parametrize("form", sorted(ITEM_WITH_TWO_CLAUSES))
def test_two_clauses_in_one_item_are_two_records_in_every_form(form: str) -> None:
    text = "一、主要任务\n" + ITEM_WITH_TWO_CLAUSES[form] + "\n2.其他工作。（省科技厅负责）\n"
    doc = parse_text(text, source="x.txt")
    assert reading(doc) == [
        ("一/1#1", ["省发展改革委"], ["省财政厅"], []),
        ("一/1#2", ["省财政厅"], ["省发展改革委"], []),
        ("一/2", [], [], ["省科技厅"]),
    ]
    first, second = doc.measures[0], doc.measures[1]
    # Clause k's text runs from just after clause k-1 up to and including its own clause.
    assert first.text.startswith("1.建设平台") and "推进改革" not in first.text
    assert second.text.startswith("推进改革") and "建设平台" not in second.text


def test_a_bare_list_of_units_the_registry_does_not_know_is_read_by_grammar() -> None:
    text = "一、主要任务\n1.推进项目建设。（市发改委、市经信局）\n2.加快改革。（含国家级开发区）\n"
    doc = parse_text(text, source="x.txt")
    assert reading(doc) == [("一/1", [], [], ["市发改委", "市经信局"])]


def test_a_bare_list_of_places_is_no_clause() -> None:
    doc = parse_text("一、主要任务\n1.开展试点工作（杭州市、宁波市）。\n", source="x.txt")
    assert doc.measures == []


def test_scope_is_not_a_unit_and_is_kept_apart() -> None:
    text = "一、任务\n1.推广经验。（负责部门：商务部、海关总署；适用范围：自贸试验区）\n2.复制推广。（海关总署负责）\n"
    doc = parse_text(text, source="x.txt")
    assert reading(doc) == [("一/1", [], [], ["商务部", "海关总署"]), ("一/2", [], [], ["海关总署"])]
    assert [m.scope for m in doc.measures] == ["自贸试验区", None]


# --- metadata ------------------------------------------------------------------------------


def test_a_plan_without_its_notice_takes_no_section_heading_for_its_title() -> None:
    doc = parse_text(
        "三、推进措施\n（一）加快改革。（省财政厅负责）\n（二）保障措施。（省科技厅负责）\n", source="d/plan.txt"
    )
    assert doc.document.title == "plan"
    titled = parse_text("某市数字经济发展行动方案\n三、推进措施\n（一）加快改革。（市财政局负责）\n", source="x.txt")
    assert titled.document.title == "某市数字经济发展行动方案"


def test_a_central_document_is_issued_on_the_date_it_is_signed() -> None:
    text = (
        "国务院关于促进某项工作的意见\n国发〔2019〕9号\n各省、自治区、直辖市人民政府：\n"
        "一、任务\n（一）推进改革。（发展改革委负责）\n国务院\n2019年1月12日\n（此件公开发布）\n"
    )
    meta = parse_text(text, source="x.txt").document
    assert (meta.issuer, meta.date_written, meta.date_issued) == ("国务院", "2019-01-12", "2019-01-12")


# --- the lexicon ---------------------------------------------------------------------------


def test_the_packaged_lexicon_holds_the_words_of_the_issue() -> None:
    lex = default_lexicon()
    for label in ("协同单位", "参与单位", "配合单位"):
        assert lex.labels[label] == "support"
    assert lex.labels["牵头单位"] == "lead"
    assert lex.labels["责任单位"] == "responsible" and lex.labels["适用范围"] == "none"
    for verb in ("分工负责", "按职责分工负责", "具体实施", "落实", "分头落实", "负责"):
        assert lex.verbs[verb] == "responsible"
    assert lex.verbs["牵头"] == "lead" and lex.verbs["配合"] == "support"
    for phrase in ("列第一位者为牵头单位", "排名第一的为牵头单位", "排在第一位的为牵头部门", "第一个为牵头单位"):
        assert lex.lead_rule.search(phrase), phrase
    assert lex.responsible_lead.search("无牵头单位的,责任单位即为牵头单位")


def test_a_new_wording_is_a_data_change(tmp_path: Path) -> None:
    """A label the packaged lexicon lacks is read once the lexicon file names it."""
    text = "一、任务\n1.建设平台。（主抓单位：市发改委；帮办单位：市财政局）\n"
    assert parse_text(text, source="x.txt").measures == []
    packaged = (Path(__file__).resolve().parent.parent / "policykg" / "data" / "lexicon.toml").read_text("utf-8")
    extended = packaged.replace("[labels]\n", '[labels]\n"主抓单位" = "lead"\n"帮办单位" = "support"\n', 1)
    path = tmp_path / "lexicon.toml"
    path.write_text(extended, encoding="utf-8")
    doc = parse_text(text, source="x.txt", lexicon=load_lexicon(path))
    assert reading(doc) == [("一/1", ["市发改委"], ["市财政局"], [])]


def test_a_bad_lexicon_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text('[labels]\n"牵头单位" = "boss"\n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_lexicon(path)
    assert str(path) in str(error.value) and "labels.牵头单位" in str(error.value)
    with pytest.raises(InputError, match="not valid TOML"):
        lexicon_from_text("[labels\n", "y.toml")


# --- wordings from provincial and city documents (each a lexicon entry plus this fixture) ---------


def test_leaders_posts_and_notes_in_a_clause_name_no_unit() -> None:
    text = (
        "一、改革\n（一）深化国资改革。完善监管体制（分管副省长、协管副秘书长负责，省国资委牵头。明确牵头部门的，"
        "有关部门配合，不逐一列出，下同）。推进混合所有制（分管副省长负责，省经信委、省发改委负责。"
        "责任单位两个以上的，列第一者为牵头单位，下同）。\n"
    )
    assert reading(parse_text(text, source="x.txt")) == [
        ("一/(一)#1", ["省国资委"], [], []),
        ("一/(一)#2", ["省经信委"], ["省发改委"], []),
    ]


def test_hexagonal_brackets_and_a_note_sentence_inside_them() -> None:
    text = (
        "一、任务\n（一）建设市场体系。推进要素市场建设。〔责任单位：省发展改革委、商务厅按职责分工负责。"
        "具体任务均涉及相关市（州）人民政府，不再做分工，下同。〕\n（二）优化准入。〔责任单位：省市场监管局〕\n"
    )
    assert reading(parse_text(text, source="x.txt")) == [
        ("一/(一)", [], [], ["省发展改革委", "商务厅"]),
        ("一/(二)", [], [], ["省市场监管局"]),
    ]


def test_a_rule_in_brackets_after_the_last_unit_is_no_part_of_its_name() -> None:
    text = (
        "一、任务\n1.推进建设。\n责任单位：市发改委、市财政局（列第一位者为工作牵头或汇总单位，下同）\n"
        "2.扩大投资。\n责任单位：市投资促进中心、市发改委\n"
        "3.统筹推进。（市经信局、市卫生健康委（除标注“分别牵头”外，列第一位为牵头或汇总单位，下同））\n"
    )
    assert reading(parse_text(text, source="x.txt")) == [
        ("一/1", ["市发改委"], ["市财政局"], []),
        ("一/2", ["市投资促进中心"], ["市发改委"], []),
        ("一/3", ["市经信局"], ["市卫生健康委"], []),
    ]


def test_lead_and_coordinating_responsible_labels_and_a_leader_line() -> None:
    text = (
        "一、目标\n1. 地区生产总值增长8%以上。\n牵头负责领导：张三。\n牵头责任单位：市发展改革委。\n"
        "协同责任单位：市经信局、市商务局等，各县、市、区政府。\n"
    )
    assert reading(parse_text(text, source="x.txt")) == [
        ("一/1", ["市发展改革委"], ["市经信局", "市商务局", "各县、市、区政府"], []),
    ]


def test_generic_members_of_a_collective_stay_with_it() -> None:
    text = (
        "一、任务\n1.推进改革。（责任单位：市行政审批服务局，市直有关部门、单位，各区市政府、开发区管委）\n"
        "2.做好公开。（省直有关部门，各州、市人民政府按照职责分工负责）\n"
        "3.建设平台。（责任单位：省大数据局，各市〔州〕、贵安新区数据管理部门）\n"
    )
    assert reading(parse_text(text, source="x.txt")) == [
        ("一/1", [], [], ["市行政审批服务局", "市直有关部门、单位", "各区市政府、开发区管委"]),
        ("一/2", [], [], ["省直有关部门", "各州、市人民政府"]),
        ("一/3", [], [], ["省大数据局", "各市〔州〕、贵安新区数据管理部门"]),
    ]


@pytest.mark.parametrize("form", sorted(ITEM_WITH_TWO_CLAUSES))
def test_two_clauses_run_together_on_one_line_read_the_same(form: str) -> None:
    """A crawled copy with every line run together, label lines included."""
    text = "一、主要任务\n" + ITEM_WITH_TWO_CLAUSES[form] + "\n2.其他工作。（省科技厅负责）\n"
    one_line = "".join(line.strip() for line in text.split("\n"))
    assert reading(parse_text(one_line, source="x.txt")) == [
        ("一/1#1", ["省发展改革委"], ["省财政厅"], []),
        ("一/1#2", ["省财政厅"], ["省发展改革委"], []),
        ("一/2", [], [], ["省科技厅"]),
    ]
