"""Round-trip invariance: each bundled document rendered by real writers reads like its text.

Every corpus document is rendered to .docx (python-docx) and to PDF (Chromium's print-to-PDF,
with its running header and page-numbered footer), the table document also to .xlsx (openpyxl)
and .xls (LibreOffice), and one document to Word 97 .doc (LibreOffice). Each rendering is parsed
and compared with the parse of the text original: the same measures (refs), roles, targets and
deadlines. The text original is the yardstick (it is itself checked against hand-written
expectations in tests/test_corpus_expected.py).
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from formats_render import corpus_pdf, html_to_pdf, libreoffice, to_docx, to_html, to_xlsx

from policykg.graph.model import ParsedDocument
from policykg.loaders import parse_file
from policykg.loaders.parser import parse_text
from policykg.viz.chromium import chromium_path

EXAMPLES = Path(__file__).resolve().parents[1] / "policykg" / "examples"
STEMS = sorted(p.stem for p in EXAMPLES.glob("*.txt"))
ZHEJIANG = "2017-zhejiang-chuantong-zhizao-fenjie"
TABLE = "2018-guobanfa-126-chuangxin-gaige-table"

pytestmark = pytest.mark.timeout(600)


def need(tool: str, found: object) -> None:
    """Skip without a tool, except under CI=true (the Makefile installs it there)."""
    if not found:
        message = f"{tool} is not installed (make browser installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI=true requires the format tests to run.")
        pytest.skip(message)


@cache
def original(stem: str) -> ParsedDocument:
    return parse_file(EXAMPLES / f"{stem}.txt")


def reading(doc: ParsedDocument) -> dict[str, tuple[object, ...]]:
    """What must not change with the format: per measure, roles, targets and deadline."""
    return {
        m.ref: (
            tuple((a.as_written, a.role) for a in m.assignments),
            Counter((t.value, t.unit, t.year, t.qualifier, t.per_year) for t in m.targets),
            m.deadline,
        )
        for m in doc.measures
    }


def assert_same(got: ParsedDocument, want: ParsedDocument) -> None:
    expected, actual = reading(want), reading(got)
    assert list(actual) == list(expected), "the measures differ"
    for ref, value in expected.items():
        assert actual[ref] == value, ref


@pytest.mark.parametrize("stem", STEMS)
def test_docx_rendering_reads_like_the_text(stem: str, tmp_path: Path) -> None:
    docx = to_docx((EXAMPLES / f"{stem}.txt").read_text(encoding="utf-8"), tmp_path / f"{stem}.docx")
    assert_same(parse_file(docx), original(stem))


@pytest.mark.parametrize("stem", STEMS)
def test_chromium_pdf_reads_like_the_text(stem: str) -> None:
    need("chromium", chromium_path())
    doc = parse_file(corpus_pdf(stem))
    assert_same(doc, original(stem))
    # Chromium's running header (date, title) and footer (file URL, "2/7") are gone.
    assert "file://" not in doc.text and stem not in doc.text


def test_zhejiang_printed_to_pdf_parses_exactly() -> None:
    need("chromium", chromium_path())
    doc = parse_file(corpus_pdf(ZHEJIANG))
    assert len(doc.measures) == 62
    assert sum(1 for m in doc.measures for a in m.lead if a.name == "省经信委") == 22


def table_source() -> str:
    """The 分工表 of the table document (its attachment) as a text document of its own."""
    text = (EXAMPLES / f"{TABLE}.txt").read_text(encoding="utf-8")
    return text[text.index("第二批支持创新相关改革举措推广清单\n序号") :]


def table_rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] if " | " in line else [line.strip()] for line in text.splitlines()[1:]]


def test_two_page_table_pdf_reads_the_same_rows(tmp_path: Path) -> None:
    """A ruled 分工表 running over pages (rows broken over the break, header repeated)."""
    need("chromium", chromium_path())
    import pypdfium2

    source = table_source()
    pdf = html_to_pdf(to_html(source, "清单"), tmp_path / "table.pdf")
    assert len(pypdfium2.PdfDocument(pdf)) >= 2
    want = parse_text(source, source="table.txt")
    assert len(want.measures) == 17
    assert_same(parse_file(pdf), want)


def test_xlsx_and_xls_table_read_the_same_rows(tmp_path: Path) -> None:
    source = table_source()
    want = parse_text(source, source="table.txt")
    xlsx = to_xlsx(table_rows(source), tmp_path / "table.xlsx", title=source.splitlines()[0])
    assert_same(parse_file(xlsx), want)
    need("LibreOffice", shutil.which("soffice"))
    xls = libreoffice(xlsx, "xls", tmp_path)
    assert xls.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert_same(parse_file(xls), want)


def test_xlsx_merged_lead_cell_is_carried_down(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["重点任务分工表"], ["序号", "任务", "牵头单位", "配合单位"], ["1", "建设平台", "省科技厅", "省财政厅"],
                ["2", "培育企业", None, "省商务厅"]):  # fmt: skip
        sheet.append(row)
    sheet.merge_cells("C3:C4")
    book.save(tmp_path / "t.xlsx")
    doc = parse_file(tmp_path / "t.xlsx")
    assert [[(a.as_written, a.role) for a in m.assignments] for m in doc.measures] == [
        [("省科技厅", "lead"), ("省财政厅", "support")],
        [("省科技厅", "lead"), ("省商务厅", "support")],
    ]


def test_word97_doc_through_libreoffice_reads_like_the_text(tmp_path: Path) -> None:
    need("LibreOffice", shutil.which("soffice"))
    docx = to_docx((EXAMPLES / f"{ZHEJIANG}.txt").read_text(encoding="utf-8"), tmp_path / "zj.docx")
    doc = libreoffice(docx, "doc", tmp_path)
    renamed = doc.rename(tmp_path / "zj.wps")  # WPS Writer files are read by content the same way
    assert_same(parse_file(renamed), original(ZHEJIANG))


def test_docx_task_cell_spanning_two_columns_keeps_the_lead(tmp_path: Path) -> None:
    """Issue 10: a .docx whose task cell spans two columns read like the same HTML table."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=5)
    for c, word in enumerate(["序号", "任务", "", "牵头单位", "配合单位"]):
        table.cell(0, c).text = word
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(1, 0).text = "1"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "建设平台"
    table.cell(1, 3).text, table.cell(1, 4).text = "省科技厅", "省财政厅"
    document.save(str(tmp_path / "t.docx"))
    html = (
        "<table><tr><td>序号</td><td colspan=2>任务</td><td>牵头单位</td><td>配合单位</td></tr>"
        "<tr><td>1</td><td colspan=2>建设平台</td><td>省科技厅</td><td>省财政厅</td></tr></table>"
    )
    (tmp_path / "t.html").write_text(html, encoding="utf-8")
    from_docx, from_html = parse_file(tmp_path / "t.docx"), parse_file(tmp_path / "t.html")
    assert [(a.as_written, a.role) for a in from_docx.measures[0].assignments] == [
        ("省科技厅", "lead"),
        ("省财政厅", "support"),
    ]
    assert reading(from_docx) == reading(from_html)


def test_formats_are_found_by_content_not_by_name(tmp_path: Path) -> None:
    docx = to_docx((EXAMPLES / f"{ZHEJIANG}.txt").read_text(encoding="utf-8"), tmp_path / "zj.docx")
    misnamed = docx.rename(tmp_path / "zj.pdf")
    assert_same(parse_file(misnamed), original(ZHEJIANG))
