"""The parser on small real-shaped snippets of each clause format (values written by hand)."""

from __future__ import annotations

import pytest

from policykg.graph.model import Measure, ParsedDocument
from policykg.loaders import parse_text


def roles(m: Measure) -> tuple[list[str], list[str], list[str]]:
    return (
        [a.as_written for a in m.lead],
        [a.as_written for a in m.support],
        [a.as_written for a in m.joint],
    )


def parse(text: str) -> ParsedDocument:
    # The snippets use Zhejiang's short names (省经信委, 省环保局); a bare snippet has no issuer to say so.
    return parse_text(text, source="snippet.txt", jurisdiction="浙江省")


# -- 1. inline unit list with a document-level lead rule ------------------------------------

ZHEJIANG_SHAPE = """三、主要任务
(一)大力推进企业技术创新。
1.加快建设一批产业创新服务综合体。(责任单位:省科技厅、省经信委,列第一位者为牵头单位,以下同)
2.强化知识产权保护。(责任单位:省科技厅)
(二)推动企业上市和并购重组。
1.加快企业股份制改造。(责任单位:各市、县(市、区)政府,省金融办、省经信委、省商务厅、浙江证监局)
2.开展分行业省级试点。(责任单位:省级试点所在市、县(市、区)政府)
"""


def test_inline_list_with_lead_rule_ascii_punctuation() -> None:
    doc = parse(ZHEJIANG_SHAPE)
    assert [m.ref for m in doc.measures] == ["三/(一)/1", "三/(一)/2", "三/(二)/1", "三/(二)/2"]
    assert roles(doc.measures[0]) == (["省科技厅"], ["省经信委"], [])
    # The rule stated once holds for every later clause, a single unit included.
    assert roles(doc.measures[1]) == (["省科技厅"], [], [])
    assert roles(doc.measures[2]) == (
        ["各市、县(市、区)政府"],
        ["省金融办", "省经信委", "省商务厅", "浙江证监局"],
        [],
    )
    assert roles(doc.measures[3]) == (["省级试点所在市、县(市、区)政府"], [], [])


def test_lead_rule_full_width_gov_cn_wording_and_later_clauses() -> None:
    doc = parse(
        "四、主要任务\n（一）统筹两个市场。\n"
        "1.拓展两个市场。积极稳妥推广试点。（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）\n"
        "2.提前适用政策。可按现行规定享受政策。（海关总署、财政部、税务总局负责）\n"
        "3.促进研发创新。（海关总署、商务部等有关部门负责）\n"
        "4.推进改革。（工业和信息化部、发展改革委等按职责分工负责）\n"
    )
    assert [m.ref for m in doc.measures] == ["四/(一)/1", "四/(一)/2", "四/(一)/3", "四/(一)/4"]
    assert roles(doc.measures[0]) == (["税务总局"], ["财政部", "海关总署"], [])
    assert roles(doc.measures[1]) == (["海关总署"], ["财政部", "税务总局"], [])
    assert roles(doc.measures[2]) == (["海关总署"], ["商务部", "有关部门"], [])
    assert roles(doc.measures[3]) == (["工业和信息化部"], ["发展改革委"], [])


def test_lead_rule_with_fuzeng_wording() -> None:
    doc = parse(
        "一、加快发展\n1.加快培育产业集群。（工业和信息化部、发展改革委等负责。列第一位者为牵头单位，下同）\n"
        "2.完善政策。（财政部、税务总局负责）\n"
    )
    assert roles(doc.measures[0]) == (["工业和信息化部"], ["发展改革委"], [])
    assert roles(doc.measures[1]) == (["财政部"], ["税务总局"], [])


def test_rule_applies_only_from_the_clause_that_states_it() -> None:
    doc = parse(
        "一、任务\n1.甲项。（商务部、财政部负责）\n"
        "2.乙项。（海关总署、商务部负责，排在第一位的部门为牵头部门，下同）\n3.丙项。（财政部、商务部负责）\n"
    )
    assert roles(doc.measures[0]) == ([], [], ["商务部", "财政部"])
    assert roles(doc.measures[1]) == (["海关总署"], ["商务部"], [])
    assert roles(doc.measures[2]) == (["财政部"], ["商务部"], [])


# -- 2. explicit lead words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("（发展改革委牵头，财政部、商务部配合）", (["发展改革委"], ["财政部", "商务部"], [])),
        ("(发展改革委牵头,财政部、商务部配合)", (["发展改革委"], ["财政部", "商务部"], [])),
        ("（商务部、海关总署牵头负责）", (["商务部", "海关总署"], [], [])),
        ("（商务部会同财政部负责）", (["商务部"], ["财政部"], [])),
        ("（商务部会同财政部、海关总署按职责分工负责）", (["商务部"], ["财政部", "海关总署"], [])),
        ("（科技部牵头，教育部参与）", (["科技部"], ["教育部"], [])),
    ],
)
def test_explicit_lead_words(clause: str, expected: tuple[list[str], list[str], list[str]]) -> None:
    doc = parse(f"一、任务\n1.推进一项改革。{clause}\n")
    assert len(doc.measures) == 1
    assert roles(doc.measures[0]) == expected


def test_explicit_words_override_the_document_rule() -> None:
    doc = parse(
        "一、任务\n1.甲。（商务部、财政部负责，排在第一位的部门为牵头部门，下同）\n2.乙。（财政部、海关总署牵头负责）\n"
    )
    assert roles(doc.measures[1]) == (["财政部", "海关总署"], [], [])


# -- 3. labelled fields ---------------------------------------------------------------------------


def test_labelled_lead_and_support() -> None:
    doc = parse("一、任务\n（一）建设平台。（牵头单位：省发展改革委，配合单位：省财政厅、省科技厅）\n")
    assert roles(doc.measures[0]) == (["省发展改革委"], ["省财政厅", "省科技厅"], [])


def test_labelled_line_after_the_item() -> None:
    doc = parse("一、任务\n1.建设平台，完善机制。\n牵头单位：省发展改革委；配合单位：省财政厅、省科技厅\n2.另一项。\n")
    assert [m.ref for m in doc.measures] == ["一/1"]
    assert roles(doc.measures[0]) == (["省发展改革委"], ["省财政厅", "省科技厅"], [])


def test_scope_label_is_not_a_unit_and_no_rule_means_joint() -> None:
    doc = parse(
        "一、营造优良投资环境\n（一）放宽人才中介机构限制。（负责部门：人力资源社会保障部、住房城乡建设部、商务部；"
        "适用范围：所有自贸试验区）\n（二）建设储备。（负责部门：发展改革委、粮食和储备局，适用范围：浙江自贸试验区）\n"
        "（三）下放权限。（负责部门：住房城乡建设部）\n"
    )
    assert roles(doc.measures[0]) == ([], [], ["人力资源社会保障部", "住房城乡建设部", "商务部"])
    assert roles(doc.measures[1]) == ([], [], ["发展改革委", "粮食和储备局"])
    assert roles(doc.measures[2]) == ([], [], ["住房城乡建设部"])


def test_labelled_deadline_in_clause() -> None:
    doc = parse("一、任务\n1.建立制度。（牵头单位：省经信委；完成时限：2018年底）\n")
    assert roles(doc.measures[0]) == (["省经信委"], [], [])
    assert doc.measures[0].deadline == "2018年底"


# -- 4. no lead named ------------------------------------------------------------------------------


def test_no_lead_named_every_unit_joint_with_generic_tail() -> None:
    doc = parse(
        "二、动员社会各界\n（一）推动机关带头参与消费扶贫。（扶贫办、中央和国家机关工委、全国总工会等和各省级人民政府负责）\n"
        "（二）推动协作。（扶贫办、发展改革委、商务部等和各有关省级人民政府负责）\n"
    )
    assert roles(doc.measures[0]) == ([], [], ["扶贫办", "中央和国家机关工委", "全国总工会", "各省级人民政府"])
    assert roles(doc.measures[1]) == ([], [], ["扶贫办", "发展改革委", "商务部", "各有关省级人民政府"])


def test_bare_category_after_deng_names_nobody() -> None:
    doc = parse("三、金融\n（四十五）推动人民币计价。（负责部门：人民银行等部门，适用范围：浙江自贸试验区）\n")
    assert roles(doc.measures[0]) == ([], [], ["人民银行"])


def test_parenthesis_that_is_not_a_clause_is_not_read_as_one() -> None:
    doc = parse(
        "一、任务\n（五）将外商投资设立建筑业（包括设计、施工、监理、检测等所有工程建设相关主体）资质许可下放。"
        "（负责部门：住房城乡建设部）\n"
    )
    assert len(doc.measures) == 1
    assert roles(doc.measures[0]) == ([], [], ["住房城乡建设部"])


# -- 5. tables -------------------------------------------------------------------------------------


def test_flattened_table_with_guidance_column_and_group_headings() -> None:
    doc = parse(
        "附件\n第二批支持创新相关改革举措推广清单\n序号 | 改革举措 | 主 要 内 容 | 指导部门 | 推广范围\n"
        "一、知识产权保护方面（共5项）\n"
        "1 | 三合一审判 | 整合审判资源。 | 最高人民法院、最高人民检察院、国家知识产权局 | 全国\n"
        "2 | 跨市审理 | 授权市级人民法院。 | 最高人民法院、国家知识产权局 | 全国\n"
        "二、军民深度融合方面（共6项）\n三、管理体制创新方面（共3项）\n"
        "21 | 自主评审 | 下放自主权。 | 教育部 | 8个改革试验区域\n"
    )
    assert [m.ref for m in doc.measures] == ["一/1", "一/2", "三/21"]
    assert roles(doc.measures[0]) == ([], [], ["最高人民法院", "最高人民检察院", "国家知识产权局"])
    assert roles(doc.measures[2]) == ([], [], ["教育部"])
    assert doc.measures[0].text.startswith("1 | 三合一审判")


def test_table_columns_found_by_header_words_not_position() -> None:
    doc = parse(
        "一、重点任务\n序号 | 完成时限 | 配合单位 | 牵头单位 | 工作任务\n"
        "1 | 2019年6月底前 | 省财政厅、省科技厅 | 省发展改革委 | 建设创新平台。\n"
        "2 | 长期坚持 |  | 省经信委 | 推进改造。\n"
    )
    first, second = doc.measures
    assert first.ref == "一/1"
    assert roles(first) == (["省发展改革委"], ["省财政厅", "省科技厅"], [])
    assert first.deadline == "2019年6月底前"
    assert roles(second) == (["省经信委"], [], [])


# -- 6. several clauses in one item ---------------------------------------------------------------


def test_several_clauses_in_one_item_give_one_record_each() -> None:
    doc = parse(
        "四、保障措施\n（一）加强组织领导。建立协调机制。（发展改革委负责）完善考核办法，开展督查。（财政部、审计署负责）\n"
    )
    assert [m.ref for m in doc.measures] == ["四/(一)#1", "四/(一)#2"]
    assert doc.measures[0].text == "（一）加强组织领导。建立协调机制。（发展改革委负责）"
    assert doc.measures[1].text == "完善考核办法，开展督查。（财政部、审计署负责）"
    assert roles(doc.measures[1]) == ([], [], ["财政部", "审计署"])
    for m in doc.measures:
        assert doc.text[m.span[0] : m.span[1]] == m.text


# -- records without units, non-records -----------------------------------------------------------


def test_numbered_target_item_without_unit_is_a_record_with_no_agencies() -> None:
    doc = parse(
        "一、总体要求\n（一）发展目标。到2020年，全省新增工业机器人20000台。\n"
        "二、主要任务\n1.推进改造。（省经信委负责）\n"
    )
    assert [m.ref for m in doc.measures] == ["一/(一)", "二/1"]
    assert doc.measures[0].assignments == []
    assert [t.value for t in doc.measures[0].targets] == ["20000"]


def test_principles_and_prose_without_clause_are_not_records() -> None:
    doc = parse(
        "二、基本原则\n（一）坚持深化改革，简政放权。进一步健全综合监管体系。\n"
        "五、有关要求\n海关总署要继续做好牵头工作，会同有关部门建立协调机制。\n"
    )
    assert doc.measures == []
    assert any("No responsibility clause" in w.message for w in doc.warnings)


def test_heading_marked_omitted_has_no_measures_but_is_a_section() -> None:
    doc = parse("一、总体要求(略)\n二、主要任务\n1.推进改造。（省经信委负责）\n")
    assert [m.ref for m in doc.measures] == ["二/1"]
    assert [(s.path, s.heading, s.level) for s in doc.sections] == [
        ("一", "总体要求(略)", 1),
        ("二", "主要任务", 1),
    ]


def test_deeper_numbering_levels_give_full_refs() -> None:
    doc = parse(
        "一、任务\n（一）创新。\n1.平台建设。\n（1）建设实验室。（科技部负责）\n"
        "①建设中试基地。（工业和信息化部负责）\n（2）建设中心。（发展改革委负责）\n"
    )
    assert [m.ref for m in doc.measures] == ["一/(一)/1/(1)", "一/(一)/1/(1)/①", "一/(一)/1/(2)"]
    assert doc.measures[1].section_path == ("一", "一/(一)", "一/(一)/1", "一/(一)/1/(1)")


def test_unresolved_agency_is_kept_and_reported() -> None:
    doc = parse("一、任务\n1.推进改造。（省经信委、某某虚构协调小组负责）\n")
    names = [(a.name, a.resolved) for a in doc.measures[0].assignments]
    assert names == [("省经信委", True), ("某某虚构协调小组", False)]
    assert doc.unresolved_agencies == ["某某虚构协调小组"]


def test_registry_canonical_name_kept_beside_the_written_one() -> None:
    doc = parse("一、任务\n1.整治企业。(责任单位:省经信委、省环保局,列第一位者为牵头单位,以下同)\n")
    written = [(a.as_written, a.name) for a in doc.measures[0].assignments]
    assert written == [("省经信委", "省经信委"), ("省环保局", "省环保厅")]


def test_spans_lines_and_positions() -> None:
    doc = parse("\n\n一、任务\n  1.推进改造。（商务部、财政部负责）\n")
    m = doc.measures[0]
    assert m.line == 4
    assert doc.text[m.span[0] : m.span[1]] == "1.推进改造。（商务部、财政部负责）" == m.text
    assert [a.position for a in m.assignments] == [0, 1]


# -- further real forms: role marks, bracketed labels, clause first, tables without 序号 ---------


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("（省发展改革委（牵头）、省财政厅、省科技厅）", (["省发展改革委"], ["省财政厅", "省科技厅"], [])),
        ("（责任单位：省经信委（牵头），省财政厅）", (["省经信委"], ["省财政厅"], [])),
        ("（负责单位：省发展改革委、省财政厅（牵头））", (["省财政厅"], ["省发展改革委"], [])),
        ("【牵头单位】省财政厅【配合单位】省科技厅、省经信委", (["省财政厅"], ["省科技厅", "省经信委"], [])),
        ("（国家发展改革委牵头，财政部、商务部按职责分工负责）", (["国家发展改革委"], ["财政部", "商务部"], [])),
        ("（商务部、海关总署分别牵头）", (["商务部", "海关总署"], [], [])),
        ("（省经信委负责，省财政厅配合）", (["省经信委"], ["省财政厅"], [])),
    ],
)
def test_role_marks_and_bracketed_labels(clause: str, expected: tuple[list[str], list[str], list[str]]) -> None:
    doc = parse(f"一、任务\n1.完善机制。{clause}\n")
    assert roles(doc.measures[0]) == expected


def test_short_labels_on_the_next_line() -> None:
    doc = parse("一、任务\n3.建设平台。\n牵头：省经信委；配合：省科技厅\n")
    assert roles(doc.measures[0]) == (["省经信委"], ["省科技厅"], [])
    assert doc.measures[0].text == "3.建设平台。\n牵头：省经信委；配合：省科技厅"


def test_clause_opening_the_item_keeps_the_task_words() -> None:
    doc = parse("一、任务\n1.【省发展改革委牵头】推进改造，建设一批公共服务平台。\n")
    assert doc.measures[0].text == "1.【省发展改革委牵头】推进改造，建设一批公共服务平台。"
    assert roles(doc.measures[0]) == (["省发展改革委"], [], [])


def test_lead_rule_stated_in_a_note_holds_for_the_whole_document() -> None:
    doc = parse("注：各项任务中列第一位的为牵头单位。\n一、任务\n1.推进改造。（省发展改革委、省财政厅负责）\n")
    assert roles(doc.measures[0]) == (["省发展改革委"], ["省财政厅"], [])


def test_table_without_number_column_numbers_rows_in_order() -> None:
    doc = parse("一、任务\n任务 | 牵头单位 | 配合单位\n建设平台 | 省发展改革委 | 省财政厅\n完善机制 | 省财政厅 |\n")
    assert [m.ref for m in doc.measures] == ["一/1", "一/2"]
    assert roles(doc.measures[1]) == (["省财政厅"], [], [])


def test_table_rows_sharing_a_number_are_clauses_of_one_item() -> None:
    doc = parse(
        "序号 | 任务 | 责任单位 | 完成时限\n1 | 建设平台 | 省发展改革委 | 2019年底\n"
        "1 | 完善配套 | 省财政厅 | 2020年底\n2 | 推进改造 | 省经信委 | 长期坚持\n"
    )
    assert [m.ref for m in doc.measures] == ["1#1", "1#2", "2"]
    assert roles(doc.measures[0]) == ([], [], ["省发展改革委"])
    assert [m.deadline for m in doc.measures] == ["2019年底", "2020年底", "长期坚持"]


def test_table_header_with_lead_rule() -> None:
    doc = parse(
        "序号 | 任务 | 责任单位（列第一位的为牵头单位） | 完成时限\n1 | 建设平台 | 省发展改革委、省财政厅 | 2019年底\n"
    )
    assert roles(doc.measures[0]) == (["省发展改革委"], ["省财政厅"], [])


def test_label_lines_one_after_another_are_one_clause() -> None:
    doc = parse(
        "一、任务\n1.建设平台。\n牵头单位：省发展改革委\n配合单位：省财政厅、省科技厅\n完成时限：2019年底\n"
        "2.完善机制。牵头单位：省财政厅\n配合单位：省经信委\n"
    )
    assert [m.ref for m in doc.measures] == ["一/1", "一/2"]
    assert roles(doc.measures[0]) == (["省发展改革委"], ["省财政厅", "省科技厅"], [])
    assert doc.measures[0].deadline == "2019年底"
    assert doc.measures[0].text.endswith("完成时限：2019年底")
    assert roles(doc.measures[1]) == (["省财政厅"], ["省经信委"], [])


def test_repeated_numbering_keeps_records_apart_and_warns() -> None:
    doc = parse("一、任务\n1.甲。（商务部负责）\n1.乙。（财政部负责）\n")
    assert [m.ref for m in doc.measures] == ["一/1", "一/1@2"]
    assert any(w.line == 3 and "more than once" in w.message for w in doc.warnings)


def test_part_and_chapter_headings_and_closing_bracket_numbers() -> None:
    doc = parse("第二部分 重点任务\n一、创新\n1）建设平台。（科技部负责）\n2）完善机制。（财政部负责）\n")
    assert [m.ref for m in doc.measures] == ["第二部分/一/1)", "第二部分/一/2)"]


def test_data_row_naming_departments_is_not_taken_for_a_header() -> None:
    doc = parse(
        "序号 | 重点任务 | 责任单位 | 完成时限\n1 | 建设平台 | 省发展改革委、各有关部门 | 2019年底\n"
        "2 | 完善机制 | 省财政厅 | 2020年底\n"
    )
    assert [m.ref for m in doc.measures] == ["1", "2"]
    assert roles(doc.measures[0]) == ([], [], ["省发展改革委", "各有关部门"])


def test_sections_of_a_table_attachment_not_of_the_notice_body() -> None:
    doc = parse(
        "一、推广的改革举措\n二、认真抓好组织实施\n附件\n序号 | 改革举措 | 指导部门\n"
        "一、知识产权保护方面（共2项） |  |\n1 | 三合一审判 | 最高人民法院\n二、管理体制创新方面 |  |\n"
        "2 | 自主评审 | 教育部\n"
    )
    assert [m.ref for m in doc.measures] == ["一/1", "二/2"]
    assert [(s.path, s.heading) for s in doc.sections] == [
        ("一", "知识产权保护方面（共2项）"),
        ("二", "管理体制创新方面"),
    ]
    assert doc.measures[1].section_path == ("二",)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("（各地区、各部门按职责分工落实）", ([], [], ["各地区", "各部门"])),
        ("（科技部指导）", ([], [], ["科技部"])),
        ("（教育部组织实施）", ([], [], ["教育部"])),
    ],
)
def test_other_closing_words(clause: str, expected: tuple[list[str], list[str], list[str]]) -> None:
    doc = parse(f"一、任务\n1.推进改造。{clause}\n")
    assert roles(doc.measures[0]) == expected


def test_prose_in_brackets_ending_like_a_clause_is_not_one() -> None:
    doc = parse("一、任务\n1.推进改造（具体办法由财政部另行制定并组织实施）。\n2.建设平台。（商务部负责）\n")
    assert [m.ref for m in doc.measures] == ["一/2"]


def test_clause_broken_over_lines_is_read_whole() -> None:
    doc = parse("一、任务\n1.推进改造。（责任单位：省发展改革委、\n省财政厅、省科技厅）\n2.完善机制。（财政部负责）\n")
    assert [m.ref for m in doc.measures] == ["一/1", "一/2"]
    assert roles(doc.measures[0]) == ([], [], ["省发展改革委", "省财政厅", "省科技厅"])
    assert doc.measures[0].text.endswith("省科技厅）")
    assert doc.warnings == []


def test_target_heading_with_children_is_a_record_too() -> None:
    doc = parse("一、总体要求\n（一）发展目标。到2020年，新增工业机器人20000台。\n1.推进改造。（省经信委负责）\n")
    assert [m.ref for m in doc.measures] == ["一/(一)", "一/(一)/1"]
    assert doc.measures[0].text == "（一）发展目标。到2020年，新增工业机器人20000台。"


def test_unbracketed_closing_role_sentence() -> None:
    doc = parse(
        "一、任务\n1.推进改造，建设平台。省发展改革委牵头，省财政厅参与。\n2.海关总署要继续做好牵头工作。\n"
        "3.完善机制。\n省财政厅负责，省科技厅配合\n4.深化改革。各地要抓好落实。\n"
    )
    assert [m.ref for m in doc.measures] == ["一/1", "一/3"]
    assert roles(doc.measures[0]) == (["省发展改革委"], ["省财政厅"], [])
    assert roles(doc.measures[1]) == (["省财政厅"], ["省科技厅"], [])


def test_note_inside_a_clause_names_no_unit() -> None:
    doc = parse("一、任务\n1.推进改造。（国家发展改革委牵头，以下各项工作均需各地区、各部门负责落实，不再列出）\n")
    assert roles(doc.measures[0]) == (["国家发展改革委"], [], [])
