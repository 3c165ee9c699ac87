"""Reading document files: encodings, HTML and .docx extraction, and bad input as InputError."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from policykg.errors import InputError
from policykg.loaders.html_text import html_to_text
from policykg.loaders.reading import read_document

SENTENCE = "1.加快推进改造。(责任单位:省经信委、省科技厅)\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoded",
    [
        SENTENCE.encode("utf-8"),
        b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"),
        SENTENCE.encode("gb18030"),
        SENTENCE.encode("gbk"),
        SENTENCE.encode("utf-16"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom"],
)
def test_text_encodings_decode_to_the_same_text(tmp_path: Path, encoded: bytes) -> None:
    assert read_document(write(tmp_path, "doc.txt", encoded)) == SENTENCE


def test_crlf_line_ends_become_newlines(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "doc.txt", "一、任务\r\n二、保障\r\n".encode())) == "一、任务\n二、保障\n"


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"doc\.txt: The file is empty"):
        read_document(write(tmp_path, "doc.txt", b""))


def test_whitespace_only_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        read_document(write(tmp_path, "doc.txt", b"  \n\n  "))


def test_binary_file_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_document(write(tmp_path, "doc.txt", "第一行\n第二行\x00\x01\x02".encode()))
    assert caught.value.line == 2
    assert "binary" in str(caught.value) and "doc.txt" in str(caught.value)


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    data = "一、任务\n".encode() + b"\x81\x20\xff\xfe\x80\n"
    with pytest.raises(InputError) as caught:
        read_document(write(tmp_path, "doc.txt", data))
    assert caught.value.line == 2
    assert "encoding" in caught.value.message


def test_file_over_the_size_limit_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:  # a sparse 200 MB file: nothing is written, nothing read
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(InputError, match=r"200\.0 MB, larger than the limit of 20\.0 MB"):
        read_document(path)


def test_size_limit_is_a_parameter(tmp_path: Path) -> None:
    path = write(tmp_path, "doc.txt", SENTENCE.encode() * 100)
    with pytest.raises(InputError, match="larger than the limit"):
        read_document(path, max_bytes=1000)
    assert read_document(path, max_bytes=10_000).startswith("1.")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_document(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)


def test_docx_named_file_that_is_not_a_word_document(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a Word document"):
        read_document(write(tmp_path, "doc.docx", SENTENCE.encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not word")
    with pytest.raises(InputError, match="not a readable Word"):
        read_document(write(tmp_path, "zip.docx", buffer.getvalue()))


def test_html_blocks_tables_and_scripts() -> None:
    html = """<html><head><title>页面</title><script>var x = "（责任单位：假）";</script></head><body>
    <div class="nav">首页 &gt; 通知公告</div>
    <p>一、主要
    任务</p><p>1.推进改造。(责任单位:省经信委)<br>2.第二项。</p>
    <table><tbody><tr><th>序号</th><th>牵头单位</th></tr><tr><td>1</td><td>省发展改革委</td></tr></tbody></table>
    <div class="footer">版权所有&nbsp;|&nbsp;技术支持</div></body></html>"""
    lines = html_to_text(html).split("\n")
    assert "一、主要任务" in lines
    assert "1.推进改造。(责任单位:省经信委)" in lines and "2.第二项。" in lines
    assert "序号 | 牵头单位" in lines and "1 | 省发展改革委" in lines
    assert not any("假" in line for line in lines)


def test_html_rowspan_repeats_the_merged_cell_and_colspan_stays_one_heading() -> None:
    html = """<table><tr><td>序号</td><td>任务</td><td>牵头单位</td></tr>
    <tr><td colspan="3">一、创新</td></tr>
    <tr><td>1</td><td>甲</td><td rowspan="2">省发展改革委</td></tr><tr><td>2</td><td>乙</td></tr></table>"""
    assert html_to_text(html).split("\n") == [
        "序号 | 任务 | 牵头单位",
        "一、创新 |  |",
        "1 | 甲 | 省发展改革委",
        "2 | 乙 | 省发展改革委",
    ]


def test_gb18030_html_page_is_decoded(tmp_path: Path) -> None:
    html = '<html><head><meta charset="gb2312"></head><body><p>一、任务</p><p>' + SENTENCE + "</p></body></html>"
    text = read_document(write(tmp_path, "page.htm", html.encode("gb18030")))
    assert "1.加快推进改造。(责任单位:省经信委、省科技厅)" in text.split("\n")


def test_docx_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("一、主要任务")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "牵头单位"
    table.cell(1, 0).text, table.cell(1, 1).text = "1", "省发展改革委"
    document.add_paragraph("二、保障措施")
    path = tmp_path / "doc.docx"
    document.save(str(path))
    assert read_document(path).split("\n") == ["一、主要任务", "序号 | 牵头单位", "1 | 省发展改革委", "二、保障措施"]


def test_damaged_pdf_and_old_word_files_are_refused_with_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"a\.pdf: The file is not a readable PDF"):
        read_document(write(tmp_path, "a.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"))
    with pytest.raises(
        InputError, match=r"a\.doc: (LibreOffice could not read|Reading a \.doc file needs LibreOffice)"
    ):
        read_document(write(tmp_path, "a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64))
