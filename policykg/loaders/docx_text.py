""".docx → plain text lines: paragraphs and tables in document order, rows as ``" | "`` cells.

>>> import io, docx
>>> d = docx.Document(); _ = d.add_paragraph("一、总则"); t = d.add_table(rows=1, cols=2)
>>> t.cell(0, 0).text, t.cell(0, 1).text = "序号", "任务"
>>> buf = io.BytesIO(); d.save(buf)
>>> docx_to_text(buf.getvalue())
'一、总则\\n序号 | 任务'
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def docx_to_text(data: bytes) -> str:
    """Paragraph texts and table rows of a Word document, in document order.

    Raises ValueError (or zipfile.BadZipFile / KeyError) when the bytes are not a Word document.
    """
    document: DocxDocument = docx.Document(io.BytesIO(data))
    numbers = _AutoNumbers(document)
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            lines.append(numbers.label(paragraph) + paragraph.text)
        elif element.tag == qn("w:tbl"):
            lines.extend(_table_rows(Table(element, document)))
    return "\n".join(line.strip() for line in lines)


class _AutoNumbers:
    """Word's automatic list numbers ("一、", "（一）", "1.") are not in the paragraph text:
    render them from the numbering definitions so the outline can be read."""

    def __init__(self, document: DocxDocument) -> None:
        self.formats: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId → level → (start, numFmt, lvlText)
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = document.styles
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in numbering.findall(qn("w:abstractNum")):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in node.findall(qn("w:lvl")):
                start = _val(lvl.find(qn("w:start"))) or "1"
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    int(start) if start.isdigit() else 1,
                    _val(lvl.find(qn("w:numFmt"))) or "decimal",
                    _val(lvl.find(qn("w:lvlText"))) or "",
                )
            abstract[node.get(qn("w:abstractNumId"), "")] = levels
        for num in numbering.findall(qn("w:num")):
            ref = _val(num.find(qn("w:abstractNumId")))
            if ref in abstract:
                self.formats[num.get(qn("w:numId"), "")] = abstract[ref]

    def label(self, paragraph: Paragraph) -> str:
        num_id, level = self._num_pr(paragraph)
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

    def _num_pr(self, paragraph: Paragraph) -> tuple[str | None, int]:
        # Direct numbering on the paragraph, else the numbering of its style ("List Number").
        p_pr = paragraph._p.pPr
        num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
        if num_pr is None and paragraph.style is not None:
            style_p_pr = paragraph.style.element.pPr
            num_pr = style_p_pr.find(qn("w:numPr")) if style_p_pr is not None else None
        num_id = _val(num_pr.find(qn("w:numId"))) if num_pr is not None else None
        if num_pr is None or num_id is None:
            return None, 0
        level = _val(num_pr.find(qn("w:ilvl"))) or "0"
        return num_id, int(level) if level.isdigit() else 0


def _val(node: object) -> str | None:
    return node.get(qn("w:val")) if node is not None else None  # type: ignore[attr-defined]


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


def _table_rows(table: Table) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A horizontally merged cell is returned once per grid column: keep it once.
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(p.strip() for p in cell.text.splitlines() if p.strip()).replace("|", "｜"))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


BadDocx = (ValueError, KeyError, zipfile.BadZipFile)
