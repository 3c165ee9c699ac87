"""Document metadata read from the parts around the measures (values written by hand)."""

from __future__ import annotations

from policykg.loaders import parse_text
from policykg.loaders.metadata import normalise_doc_number, read_metadata


def test_notice_with_number_signature_chinese_date_and_attachments() -> None:
    meta = read_metadata(
        [
            "浙江省人民政府办公厅关于印发浙江省某某行动方案",
            "重点任务分工的通知",
            "浙政办发[2020]5号",
            "各市、县（市、区）人民政府，省政府直属各单位：",
            "为深入贯彻落实《浙江省人民政府关于加快某某发展的若干意见》（浙政发〔2019〕8号），现印发如下。",
            "附件：1.某某行动方案 2.重点任务分工表",
            "浙江省人民政府办公厅",
            "二〇二〇年三月十二日",
        ],
        source="x.txt",
    )
    assert meta.title == "浙江省人民政府办公厅关于印发浙江省某某行动方案重点任务分工的通知"
    assert meta.doc_number == "浙政办发〔2020〕5号"
    assert meta.issuer == "浙江省人民政府办公厅"
    assert meta.date_written == "2020-03-12"
    assert meta.implements == ["浙政发〔2019〕8号"]
    assert meta.attachments == ["某某行动方案", "重点任务分工表"]


def test_implements_without_number_is_the_cited_title() -> None:
    meta = read_metadata(
        ["为贯彻落实《中共中央 国务院关于打赢脱贫攻坚战三年行动的指导意见》，现提出如下意见。"], source="x"
    )
    assert meta.implements == ["中共中央 国务院关于打赢脱贫攻坚战三年行动的指导意见"]


def test_rule_citations_are_not_implemented_documents() -> None:
    meta = read_metadata(["（七）不再执行《外商投资建筑业企业管理规定》中关于工程承包范围的限制性规定。"], source="x")
    assert meta.implements == []


def test_standalone_plan_title_and_no_issuer() -> None:
    meta = read_metadata(["某某省推进制造业高质量发展重点任务分工方案", "一、总体要求"], source="x")
    assert (meta.title, meta.issuer, meta.doc_number, meta.date_written) == (
        "某某省推进制造业高质量发展重点任务分工方案",
        None,
        None,
        None,
    )


def test_issuer_from_title_prefix_when_unsigned() -> None:
    meta = read_metadata(["国务院办公厅关于推广第二批支持创新相关改革举措的通知", "国办发〔2018〕126号"], source="x")
    assert meta.issuer == "国务院办公厅"


def test_printing_line_is_date_issued_not_the_issuer() -> None:
    doc = parse_text(
        "关于印发某某方案的通知\n浙江省工业转型升级领导小组办公室\n2017年7月3日\n"
        "浙江省经济和信息化委员会办公室        2017年7月10日印发\n",
        source="x.txt",
    )
    assert doc.document.issuer == "浙江省工业转型升级领导小组办公室"
    assert (doc.document.date_written, doc.document.date_issued) == ("2017-07-03", "2017-07-10")


def test_doc_number_brackets_are_normalised() -> None:
    assert normalise_doc_number("国发(2019)3号") == "国发〔2019〕3号"
    assert normalise_doc_number("国办发［2018］126号") == "国办发〔2018〕126号"
    assert normalise_doc_number("国发〔2019〕3号") == "国发〔2019〕3号"
