"""parse_file end to end on the file kinds met in practice, and on bad input."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from policykg.errors import InputError
from policykg.loaders import parse_file, parse_text

EXAMPLES = Path(__file__).resolve().parents[1] / "policykg" / "examples"

ZHEJIANG_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title>
<script>document.write("点击");</script></head><body>
<div class="top">今天是: <span id="date"></span></div>
<div class="nav">当前位置:<a href="/">首页</a>&gt;&gt;通知公告</div>
<div class="content">
<h2>关于印发《浙江省某某行动计划相关任务责任分解方案》的通知</h2>
<div class="info">点击:848时间:2017-07-13 08:15:38 来源: 省经信委</div>
<p>各设区市人民政府,省级有关单位:</p>
<p>为认真贯彻落实《浙江省人民政府关于印发某某行动计划的通知》(浙政发〔2017〕23号),现将方案印发给你们。</p>
<p>附件:1.某某行动计划相关任务责任分解方案</p><p>2.省级有关单位</p>
<p>浙江省工业转型升级领导小组办公室</p><p>2017年7月3日</p>
<p>附件1</p>
<p>一、总体要求(略)</p><p>三、主要任务</p><p>(一)大力推进企业技术创新。</p>
<p>1.加快建设产业创新服务综合体。力争到2020年,建设省级产业创新服务综合体20家。(责任单位:省科技厅、省经信委,列第一位者为牵头单位,以下同)</p>
<p>2.强化知识产权保护。(责任单位:各市、县(市、区)政府,省科技厅)</p>
</div>
<div class="footer">绍兴市机器换人服务中心 版权所有 | 技术支持:某网络科技有限公司</div>
</body></html>"""


def test_html_web_page_with_site_chrome(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(ZHEJIANG_PAGE, encoding="utf-8")
    doc = parse_file(path)
    meta = doc.document
    assert meta.title == "关于印发《浙江省某某行动计划相关任务责任分解方案》的通知"
    assert meta.issuer == "浙江省工业转型升级领导小组办公室"
    assert meta.date_written == "2017-07-03"
    assert meta.date_published == "2017-07-13"
    assert meta.implements == ["浙政发〔2017〕23号"]
    assert meta.attachments == ["某某行动计划相关任务责任分解方案", "省级有关单位"]
    assert [m.ref for m in doc.measures] == ["三/(一)/1", "三/(一)/2"]
    assert [a.as_written for a in doc.measures[1].lead] == ["各市、县(市、区)政府"]
    assert [a.as_written for a in doc.measures[1].support] == ["省科技厅"]
    assert [t.value for t in doc.measures[0].targets] == ["20"]


def test_docx_with_lead_support_deadline_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("某某省推进制造业高质量发展重点任务分工方案")
    document.add_paragraph("一、创新能力提升")
    table = document.add_table(rows=4, cols=5)
    rows = [
        ("序号", "重点任务", "牵头单位", "配合单位", "完成时限"),
        ("1", "建设省级制造业创新中心10家。", "省经信委", "省科技厅、省财政厅", "2019年12月底前"),
        ("2", "完善首台（套）保险补偿政策。", "省财政厅", "省经信委", "长期坚持"),
        ("3", "开展试点示范。", "各市、县（市、区）政府", "", "2020年6月"),
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.add_paragraph("二、保障措施")
    path = tmp_path / "fengong.docx"
    document.save(str(path))

    doc = parse_file(path)
    assert [m.ref for m in doc.measures] == ["一/1", "一/2", "一/3"]
    first, second, third = doc.measures
    assert [a.as_written for a in first.lead] == ["省经信委"]
    assert [a.as_written for a in first.support] == ["省科技厅", "省财政厅"]
    assert first.deadline == "2019年12月底前"
    assert [a.as_written for a in second.lead] == ["省财政厅"]
    assert second.deadline == "长期坚持"
    assert [a.as_written for a in third.lead] == ["各市、县（市、区）政府"]
    assert third.support == []
    assert doc.document.title == "某某省推进制造业高质量发展重点任务分工方案"


def test_gb18030_file_gives_the_same_measures_as_utf8(tmp_path: Path) -> None:
    source = EXAMPLES / "2019-guofa-3-zonghe-baoshuiqu.txt"
    encoded = tmp_path / "gb.txt"
    encoded.write_bytes(source.read_text(encoding="utf-8").encode("gb18030"))
    utf8, gb = parse_file(source), parse_file(encoded)
    assert len(gb.measures) == 21
    assert [m.ref for m in gb.measures] == [m.ref for m in utf8.measures]
    assert [[a.as_written for a in m.assignments] for m in gb.measures] == [
        [a.as_written for a in m.assignments] for m in utf8.measures
    ]


def test_document_without_any_clause_warns_and_gives_no_measures() -> None:
    doc = parse_text("关于做好某项工作的通知\n各部门要高度重视，认真落实。\n", source="n.txt")
    assert doc.measures == []
    assert any("No responsibility clause" in w.message for w in doc.warnings)
    assert doc.document.title == "关于做好某项工作的通知"


def test_text_without_chinese_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"e\.txt: The document contains no Chinese text"):
        parse_text("hello world\n1. do things (owner: nobody)\n", source="e.txt")


def test_unbalanced_parenthesis_warns_with_its_line_and_keeps_going() -> None:
    doc = parse_text("一、任务\n1.推进（试点工作。（商务部负责）\n2.完善机制。（财政部负责）\n", source="u.txt")
    assert any(w.line == 2 and "Unbalanced" in w.message for w in doc.warnings)
    assert [m.ref for m in doc.measures][-1] == "一/2"
    assert [a.as_written for a in doc.measures[-1].joint] == ["财政部"]


def test_truncated_clause_is_read_to_line_end_with_a_warning() -> None:
    doc = parse_text("一、任务\n1.推进改造。（商务部、财政部负责\n", source="t.txt")
    assert [a.as_written for a in doc.measures[0].joint] == ["商务部", "财政部"]
    assert any(w.line == 2 and "not closed" in w.message for w in doc.warnings)


def test_binary_file_through_parse_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02\x03" * 100)
    with pytest.raises(InputError, match="binary"):
        parse_file(path)


def test_parse_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(InputError, match="larger than the limit"):
        parse_file(path)


def test_docx_automatic_list_numbers_build_the_outline(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    document = docx.Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {w} w:abstractNumId="90">{lvl_xml}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )

    numbered("主要任务", 0)
    numbered("推进创新。", 1)
    numbered("建设平台。（省发展改革委、省财政厅负责，排在第一位的部门为牵头部门，下同）", 2)
    numbered("完善机制。（省财政厅负责）", 2)
    numbered("保障措施", 0)
    numbered("强化考核。（省统计局负责）", 1)
    path = tmp_path / "auto.docx"
    document.save(str(path))

    doc = parse_file(path)
    assert [m.ref for m in doc.measures] == ["一/(一)/1", "一/(一)/2", "二/(一)"]
    assert [a.as_written for a in doc.measures[0].lead] == ["省发展改革委"]
    assert doc.measures[1].text == "2.完善机制。（省财政厅负责）"


GOV_CN_PAGE = """<html><head><title>国务院关于促进综合保税区高水平开放高质量发展的若干意见_专栏</title></head><body>
<div class="header">首页 | 简 | 繁 | EN | 登录</div>
<table class="bd1">
<tr><td><b>索 引 号：</b></td><td>000014349/2019-00008</td><td><b>主题分类：</b></td><td>商贸、海关</td></tr>
<tr><td><b>发文机关：</b></td><td>国务院</td><td><b>成文日期：</b></td><td>2019年01月12日</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">国务院关于促进综合保税区高水平开放高质量发展的若干意见</td></tr>
<tr><td><b>发文字号：</b></td><td>国发〔2019〕3号</td><td><b>发布日期：</b></td><td>2019年01月25日</td></tr>
</table>
<div class="content"><p align="center">国务院关于促进综合保税区<br>高水平开放高质量发展的若干意见</p>
<p align="center">国发〔2019〕3号</p><p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<p>四、主要任务</p><p>（一）统筹两个市场，打造加工制造中心。</p>
<p>1.拓展两个市场。推广增值税一般纳税人资格试点。（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）</p>
<p>2.提前适用政策。（海关总署、财政部、税务总局负责）</p>
<p align="right">国务院</p><p align="right">2019年1月12日</p><p>（此件公开发布）</p></div>
<div class="footer">主办单位：国务院办公厅　运行维护单位：中国政府网运行中心</div>
</body></html>"""


def test_gov_cn_page_metadata_table_and_footer(tmp_path: Path) -> None:
    path = tmp_path / "content_5361158.htm"
    path.write_text(GOV_CN_PAGE, encoding="utf-8")
    doc = parse_file(path)
    meta = doc.document
    assert meta.title == "国务院关于促进综合保税区高水平开放高质量发展的若干意见"
    assert (meta.doc_number, meta.issuer) == ("国发〔2019〕3号", "国务院")
    assert (meta.date_written, meta.date_published) == ("2019-01-12", "2019-01-25")
    assert [m.ref for m in doc.measures] == ["四/(一)/1", "四/(一)/2"]
    # The site footer's "主办单位：" after the signature is not a clause of the last item.
    assert [a.as_written for a in doc.measures[1].assignments] == ["海关总署", "财政部", "税务总局"]


def test_layout_table_page_is_read_as_paragraphs(tmp_path: Path) -> None:
    cells = "".join(f"<p>{n}.推进第{n}项改造。（商务部、财政部负责）</p>" for n in range(1, 5))
    page = (
        "<html><body><table><tr><td>网站首页 | 政务公开</td></tr>"
        f"<tr><td><p>关于做好某某工作的通知</p><p>一、主要任务</p>{cells}</td></tr>"
        "<tr><td>网站地图 | 联系我们</td></tr></table></body></html>"
    )
    path = tmp_path / "layout.html"
    path.write_text(page, encoding="utf-8")
    doc = parse_file(path)
    assert [m.ref for m in doc.measures] == ["一/1", "一/2", "一/3", "一/4"]
    assert doc.document.title == "关于做好某某工作的通知"


def test_units_one_per_line_in_a_table_cell(tmp_path: Path) -> None:
    page = (
        "<table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th></tr>"
        "<tr><td>1</td><td><p>建设创新平台，</p><p>完善服务体系。</p></td><td>省发展改革委</td>"
        "<td><p>省财政厅</p><p>省科技厅</p></td></tr></table>"
    )
    path = tmp_path / "cells.html"
    path.write_text(f"<html><body><p>一、重点任务</p>{page}</body></html>", encoding="utf-8")
    doc = parse_file(path)
    assert [m.ref for m in doc.measures] == ["一/1"]
    assert [a.as_written for a in doc.measures[0].support] == ["省财政厅", "省科技厅"]
