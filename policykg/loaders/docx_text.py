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
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(Paragraph(element, document).text)
        elif element.tag == qn("w:tbl"):
            lines.extend(_table_rows(Table(element, document)))
    return "\n".join(line.strip() for line in lines)


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
