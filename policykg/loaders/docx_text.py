""".docx → blocks: paragraphs (with Word's automatic list numbers) and tables with their spans.

The package is checked before python-docx unpacks it (entry count, declared sizes, element
count: see :mod:`policykg.loaders.limits`), and the numbering of each paragraph is found in
constant time (a style's numbering is looked up once per style, not once per paragraph), so
reading is linear in the document.

A merged cell (``w:gridSpan`` across columns, ``w:vMerge`` down rows) becomes one
:class:`~policykg.loaders.blocks.Cell` with its spans, exactly as an HTML ``colspan`` /
``rowspan`` does, so a task cell spanning two columns keeps the 牵头单位 under its header.

>>> import io, docx
>>> d = docx.Document(); _ = d.add_paragraph("一、总则"); t = d.add_table(rows=2, cols=3)
>>> t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = "序号", "任务", "牵头单位"
>>> merged = t.cell(1, 0).merge(t.cell(1, 1)); merged.text = "建设平台"; t.cell(1, 2).text = "省科技厅"
>>> buf = io.BytesIO(); d.save(buf)
>>> print(docx_to_text(buf.getvalue()))
一、总则
序号 | 任务 | 牵头单位
建设平台 |  | 省科技厅
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from policykg.loaders.blocks import Block, Cell, Paragraph, Provenance, ReadDocument, Table
from policykg.loaders.limits import ReadLimits, count_elements

_CHECK_EVERY = 2048  # paragraphs between time-budget checks
_P, _R, _T, _TAB, _BR, _CR = (qn(f"w:{t}") for t in ("p", "r", "t", "tab", "br", "cr"))
_TEXT_BOX = qn("w:txbxContent")
_PPR, _NUMPR, _PSTYLE, _NUMID, _ILVL, _VAL = (qn(f"w:{t}") for t in ("pPr", "numPr", "pStyle", "numId", "ilvl", "val"))


def paragraph_text(p: Any, document: DocxDocument) -> str:
    """A paragraph's text as python-docx gives it (runs' text, tabs, line breaks), in one pass
    over its elements: python-docx compiles an XPath per paragraph, which made a file of many
    small paragraphs slow."""
    if len(p) == 0:
        return ""
    if p.find(f".//{_TEXT_BOX}") is not None:  # a text box inside: python-docx knows which text is whose
        return str(DocxParagraph(p, document).text)
    parts: list[str] = []
    for node in p.iter(_T, _TAB, _BR, _CR):
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.getparent().tag == _R:  # a w:tab in w:tabs is a tab stop, not a character
            parts.append("\t" if node.tag == _TAB else "\n")
    return "".join(parts)


def docx_to_text(data: bytes) -> str:
    """Paragraph texts and table rows of a Word document, in document order."""
    return read_docx(data, source="document.docx").text


def read_docx(data: bytes, *, source: str, limits: ReadLimits | None = None) -> ReadDocument:
    """A Word document's blocks, refusing packages over ``limits`` before unpacking them.

    Raises :class:`InputError` naming ``source`` for a limit, or one of :data:`BadDocx` when the
    bytes are not a Word document.
    """
    limits = limits or ReadLimits()
    archive = zipfile.ZipFile(io.BytesIO(data))
    limits.check_zip(archive, source=source, kind="Word")
    body = archive.read("word/document.xml")
    limits.check_count("XML elements", count_elements(body), source=source)
    del body
    document: DocxDocument = docx.Document(io.BytesIO(data))
    numbers = _AutoNumbers(document)
    blocks: list[Block] = []
    for index, element in enumerate(document.element.body.iterchildren()):
        if index % _CHECK_EVERY == 0:
            limits.check_time(source)
        if element.tag == _P and not len(element) and not numbers.style_numbering.get(None):
            blocks.append(Paragraph("", Provenance(position=index)))  # an empty paragraph: a blank line
        elif element.tag == _P:
            text = (numbers.label(element) + paragraph_text(element, document)).strip()
            blocks.append(Paragraph(text, Provenance(position=index)))
        elif element.tag == qn("w:tbl"):
            blocks.append(Table(_cells(element, document), Provenance(position=index)))
    return ReadDocument(blocks, source, kind="docx")


class _AutoNumbers:
    """Word's automatic list numbers ("一、", "（一）", "1.") are not in the paragraph text:
    render them from the numbering definitions so the outline can be read."""

    def __init__(self, document: DocxDocument) -> None:
        self.formats: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId → level → (start, numFmt, lvlText)
        self.counters: dict[str, dict[int, int]] = {}
        # Style id → its numPr (or None), read once: looking a style up per paragraph scans every
        # style, which made a file of many empty paragraphs quadratic.
        self.style_numbering: dict[str | None, Any] = {}
        for style in document.styles.element.findall(qn("w:style")):
            p_pr = style.find(qn("w:pPr"))
            num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
            style_id = style.get(qn("w:styleId"))
            self.style_numbering[style_id] = num_pr
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true"):
                self.style_numbering[None] = num_pr
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in numbering.findall(qn("w:abstractNum")):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in node.findall(qn("w:lvl")):
                start = _val(lvl.find(qn("w:start"))) or "1"
                levels[int(_digits(lvl.get(qn("w:ilvl"), "0")))] = (
                    int(start) if start.isdigit() else 1,
                    _val(lvl.find(qn("w:numFmt"))) or "decimal",
                    _val(lvl.find(qn("w:lvlText"))) or "",
                )
            abstract[node.get(qn("w:abstractNumId"), "")] = levels
        for num in numbering.findall(qn("w:num")):
            ref = _val(num.find(qn("w:abstractNumId")))
            if ref in abstract:
                self.formats[num.get(qn("w:numId"), "")] = abstract[ref]

    def label(self, p: Any) -> str:
        if not self.formats:
            return ""
        num_id, level = self._num_pr(p)
        if num_id is None or num_id not in self.formats or level not in self.formats[num_id]:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = self.formats[num_id][level][0]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        _, _, text = self.formats[num_id][level]
        for k in range(level + 1):
            if f"%{k + 1}" in text:
                fmt = self.formats[num_id].get(k, (1, "decimal", ""))
                text = text.replace(f"%{k + 1}", _format_number(counters.get(k, fmt[0]), fmt[1]))
        return text

    def _num_pr(self, p: Any) -> tuple[str | None, int]:
        # Direct numbering on the paragraph, else the numbering of its style ("List Number").
        p_pr = p.find(_PPR) if len(p) else None
        num_pr = p_pr.find(_NUMPR) if p_pr is not None else None
        if num_pr is None:
            style = p_pr.find(_PSTYLE) if p_pr is not None else None
            num_pr = self.style_numbering.get(_val(style))
        num_id = _val(num_pr.find(_NUMID)) if num_pr is not None else None
        if num_pr is None or num_id is None:
            return None, 0
        level = _val(num_pr.find(_ILVL)) or "0"
        return num_id, int(level) if level.isdigit() else 0


def _val(node: Any) -> str | None:
    return node.get(_VAL) if node is not None else None


def _digits(value: str) -> str:
    return value if value.isdigit() else "0"


_CN_DIGITS = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (up to 99, all a document's list needs)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified"):
        return _chinese(n) if n < 100 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26:
        return chr((ord("a") if fmt == "lowerLetter" else ord("A")) + n - 1)
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


_MAX_SPAN = 64


def _cells(tbl: Any, document: DocxDocument) -> list[Cell]:
    """The table's cells on its grid: ``gridSpan`` is a colspan; a ``vMerge`` continuation
    extends the rowspan of the cell above it in the same grid column."""
    cells: list[Cell] = []
    open_above: dict[int, int] = {}  # grid column → index in cells of the cell a vMerge continues
    for r, tr in enumerate(tbl.findall(qn("w:tr"))):
        col = 0
        tr_pr = tr.find(qn("w:trPr"))
        before = tr_pr.find(qn("w:gridBefore")) if tr_pr is not None else None
        if before is not None:
            col = int(_digits(_val(before) or "0"))
        for tc in tr.findall(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span_node = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
            span = max(1, min(int(_digits(_val(span_node) or "1")), _MAX_SPAN))
            merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            if merge is not None and _val(merge) != "restart" and col in open_above:
                above = cells[open_above[col]]
                cells[open_above[col]] = Cell(above.row, above.col, above.text, above.rowspan + 1, above.colspan)
            else:
                text = " ".join(
                    line
                    for p in tc.iter(_P)
                    for line in (x.strip() for x in paragraph_text(p, document).splitlines())
                    if line
                )
                cells.append(Cell(r, col, text, 1, span))
                for c in range(col, col + span):
                    open_above.pop(c, None)
                if merge is not None:  # a vMerge="restart" cell can be continued below
                    open_above[col] = len(cells) - 1
            col += span
    return cells


BadDocx = (ValueError, KeyError, zipfile.BadZipFile)
