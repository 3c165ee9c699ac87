"""What every reader produces: typed blocks (paragraphs; tables of cells with spans) with provenance.

A reader (.txt, .html, .docx, PDF, OCR, spreadsheets) turns a file into a :class:`ReadDocument`:
paragraphs and tables in reading order, each with where it came from (page, position, whether
it was read by OCR and how confidently). The parser consumes the rendering of these blocks as
text: a paragraph is a line; a table is one ``a | b | c`` line per row, where a cell spanning
rows is repeated in every row it covers (so a merged 牵头单位 reaches every task beside it) and
a cell spanning columns is written once and followed by empty cells (so the columns stay under
their headers). Every reader renders tables by this one rule, so a .docx merged cell and an
HTML ``colspan``/``rowspan`` read the same.

>>> table = Table([Cell(0, 0, "序号"), Cell(0, 1, "任务", colspan=2), Cell(0, 3, "牵头单位"),
...                Cell(1, 0, "1"), Cell(1, 1, "建设平台", colspan=2), Cell(1, 3, "省科技厅", rowspan=2),
...                Cell(2, 0, "2"), Cell(2, 1, "甲"), Cell(2, 2, "乙")])
>>> print(ReadDocument([Paragraph("一、主要任务"), table], source="a.docx").text)
一、主要任务
序号 | 任务 |  | 牵头单位
1 | 建设平台 |  | 省科技厅
2 | 甲 | 乙 | 省科技厅
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a block came from: 1-based page (PDF, scan) or sheet name, its order in the
    document, and for OCR the mean word confidence (0–1)."""

    page: int | None = None
    position: int = 0
    ocr: bool = False
    confidence: float | None = None
    sheet: str | None = None

    def describe(self) -> str:
        """A short place for a message.

        >>> Provenance(page=3, ocr=True, confidence=0.71).describe()
        'page 3 (OCR, confidence 0.71)'
        """
        where = f"page {self.page}" if self.page is not None else f"sheet {self.sheet}" if self.sheet else ""
        if self.ocr:
            conf = f", confidence {self.confidence:.2f}" if self.confidence is not None else ""
            where = f"{where} (OCR{conf})".strip()
        return where


@dataclass(slots=True)
class Paragraph:
    """One paragraph of running text; ``uncertain`` holds (start, end) offsets in ``text`` of
    words OCR read with low confidence."""

    text: str
    provenance: Provenance = field(default_factory=Provenance)
    uncertain: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell at grid (row, col), 0-based, covering ``rowspan`` × ``colspan`` grid cells."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class Table:
    """A table as cells on a grid; :meth:`grid` spreads the spans by the one rule above."""

    cells: list[Cell]
    provenance: Provenance = field(default_factory=Provenance)

    def grid(self) -> list[list[str]]:
        """Rows of cell texts, rowspans repeated down, colspans written once then empty."""
        if not self.cells:
            return []
        n_rows = max(c.row + c.rowspan for c in self.cells)
        n_cols = max(c.col + c.colspan for c in self.cells)
        rows: list[list[str]] = [[""] * n_cols for _ in range(n_rows)]
        for cell in self.cells:
            text = " ".join(cell.text.split()).replace("|", "｜")
            for r in range(cell.row, cell.row + cell.rowspan):
                rows[r][cell.col] = text
        return rows

    def lines(self) -> list[str]:
        """The ``a | b | c`` rows the parser reads (rows with no text left out)."""
        return [" | ".join(row).strip() for row in self.grid() if any(row)]


Block = Paragraph | Table


@dataclass(slots=True)
class ReadDocument:
    """A file read into blocks, with the reader's warnings (e.g. "page 3 was read by OCR")."""

    blocks: list[Block]
    source: str
    warnings: list[str] = field(default_factory=list)
    kind: str = "text"

    @property
    def text(self) -> str:
        """The blocks as the parser's text: a line per paragraph, a line per table row."""
        return "\n".join(line for line, _ in self.lines())

    def lines(self) -> list[tuple[str, Block]]:
        """Each text line with the block it came from (line n of :attr:`text` is item n-1)."""
        out: list[tuple[str, Block]] = []
        for block in self.blocks:
            if isinstance(block, Table):
                out.extend((line, block) for line in block.lines())
            else:
                out.extend((line, block) for line in block.text.split("\n"))
        return out


def paragraphs_of(text: str, provenance: Provenance | None = None) -> list[Block]:
    """Plain text as one paragraph per line (the text reader's blocks).

    >>> [b.text for b in paragraphs_of("一、总则\\n二、任务")]
    ['一、总则', '二、任务']
    """
    prov = provenance or Provenance()
    return [
        Paragraph(line, Provenance(prov.page, i, prov.ocr, prov.confidence)) for i, line in enumerate(text.split("\n"))
    ]
