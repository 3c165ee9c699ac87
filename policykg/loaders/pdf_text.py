"""PDF → blocks, through pdfplumber (on pdfminer.six): text lines, ruled tables as cells, OCR for scans.

Why pdfplumber: it is MIT-licensed like policykg (PyMuPDF is AGPL, which would bind every user
of the package), installs from PyPI as pure Python plus pypdfium2 wheels, and gives each
character with its position and the ruling lines of a page, which is what reading ruled
分工表 tables as cells needs. pypdfium2 (which pdfplumber already depends on) renders pages
for OCR.

How a page is read:

- Ruled tables are found from their lines; each cell, with its row and column spans, takes the
  characters inside it. A cell's text that wraps is joined without a break; a line that ends
  well before the cell's right edge is a hard break (units written one per line), kept as a space.
- The other characters become lines (in reading order, top to bottom), and lines become
  paragraphs: a line that is indented, or follows a line ending short, starts a paragraph.
- Running headers and footers (a line near the top or bottom edge recurring on many pages, with
  its numbers ignored) and page numbers ("- 3 -", "第3页", "3/12") are removed.
- Across a page break a paragraph whose last line is full and whose next line is not indented is
  joined, and a table going on (same columns) is joined: a repeated header row is dropped, and a
  row broken over the break (its first cell empty on the new page) is rejoined.
- A page with no text layer is read by OCR (:mod:`policykg.loaders.ocr`) with a warning, unless
  OCR is off.
"""

from __future__ import annotations

import difflib
import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from policykg.errors import InputError
from policykg.loaders.blocks import Block, Cell, Paragraph, Provenance, ReadDocument, Table
from policykg.loaders.limits import ReadLimits

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–_·•]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?(?:\s*of\s*\d+)?[\s\-—–_·•]*$"
    r"|^[\s\-—–]*(?:Page|page)\s*\d+.*$|.*\s\d{1,4}\s*/\s*\d{1,4}\s*$"
)
_BAND = 0.08  # top and bottom fraction of a page where running headers and footers sit


@dataclass(slots=True)
class Line:
    """A line of text on a page, in page units (points, or pixels for OCR)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    uncertain: list[tuple[int, int]] = field(default_factory=list)
    confidence: float | None = None


@dataclass(slots=True)
class PageTable:
    table: Table
    top: float
    bottom: float
    columns: list[float]  # the x of each column border


@dataclass(slots=True)
class Page:
    number: int
    width: float
    height: float
    items: list[Line | PageTable]
    ocr: bool = False
    confidence: float | None = None


def read_pdf(data: bytes, *, source: str, limits: ReadLimits | None = None) -> ReadDocument:
    """A PDF's blocks; pages with no text layer are read by OCR (when ``limits.ocr``)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    limits = limits or ReadLimits()
    warnings: list[str] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        count = len(pdf.pages)
    except (PDFSyntaxError, PDFPasswordIncorrect, PdfminerException, ValueError, KeyError, TypeError):
        raise InputError("The file is not a readable PDF (it is damaged or password-protected).", path=source) from None
    limits.check_count("pages", count, source=source)
    pages: list[Page | None] = []
    scans: list[int] = []
    scan_dpi: dict[int, float] = {}
    with pdf:
        for index, pdf_page in enumerate(pdf.pages):
            limits.check_time(source)
            try:
                has_text = any(c.get("text", "").strip() for c in pdf_page.chars)
                pages.append(_read_page(pdf_page, index + 1) if has_text else None)
            except (PdfminerException, ValueError, KeyError, TypeError):
                raise InputError(f"Page {index + 1} of the PDF is damaged and cannot be read.", path=source) from None
            if not has_text:
                scans.append(index)
                widths = [i["srcsize"][0] / max(float(i["x1"]) - float(i["x0"]), 1) * 72 for i in pdf_page.images]
                if widths:
                    scan_dpi[index] = max(widths)
            pdf_page.close()
    if scans:
        if not limits.ocr:
            if len(scans) == count:
                raise InputError(
                    "The PDF has no text layer (it is a scan) and OCR is switched off (setting ocr); "
                    "switch OCR on to read it.",
                    path=source,
                )
            warnings.append(
                f"Pages {_ranges(scans)} have no text layer and OCR is off (setting ocr): they were skipped."
            )
        else:
            from policykg.loaders.ocr import ocr_pdf_pages

            warnings.append(
                f"Pages {_ranges(scans)} have no text layer (a scan): they were read by OCR, "
                "so check names and numbers."
            )
            for index, page in zip(
                scans, ocr_pdf_pages(data, scans, source=source, limits=limits, dpi=scan_dpi), strict=True
            ):
                pages[index] = page
    read = [p for p in pages if p is not None]
    _drop_running_lines(read)
    return ReadDocument(assemble(read), source, warnings, kind="pdf")


def _ranges(indexes: list[int]) -> str:
    """0-based page indexes as 1-based ranges.

    >>> _ranges([0, 1, 2, 5])
    '1-3, 6'
    """
    parts: list[str] = []
    start = prev = indexes[0]
    for i in [*indexes[1:], -2]:
        if i != prev + 1:
            parts.append(f"{start + 1}-{prev + 1}" if prev > start else f"{start + 1}")
            start = i
        prev = i
    return ", ".join(parts)


def _read_page(pdf_page: Any, number: int) -> Page:
    # A table row broken over a page has no rule where the page cuts it: close every cell at the
    # ends of the vertical rules, so the fragment is still read as cells.
    ends = sorted({round(y, 1) for e in pdf_page.edges if e["orientation"] == "v" for y in (e["top"], e["bottom"])})
    settings = {"explicit_horizontal_lines": ends[:200]} if ends else {}
    tables = pdf_page.find_tables(table_settings=settings)
    items: list[Line | PageTable] = []
    outside = pdf_page
    chars = [c for c in pdf_page.chars if c.get("text", "").strip()]
    for found in tables:
        table = _table(found, chars)
        if table is not None:
            items.append(table)
            outside = outside.outside_bbox(found.bbox)
    for line in outside.extract_text_lines(return_chars=True, strip=True):
        text = line["text"].strip()
        if not text:
            continue
        sizes = [c["size"] for c in line["chars"] if c.get("text", "").strip()] or [10.0]
        items.append(Line(text, line["x0"], line["x1"], line["top"], line["bottom"], statistics.median(sizes)))
    items.sort(key=lambda item: (item.top, item.x0 if isinstance(item, Line) else 0.0))
    return Page(number, float(pdf_page.width), float(pdf_page.height), items)


def _edges(values: list[float], tolerance: float = 2.0) -> list[float]:
    """Sorted distinct positions, positions closer than ``tolerance`` taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _nearest(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _table(found: Any, chars: list[dict[str, Any]]) -> PageTable | None:
    boxes = [c for c in found.cells if c is not None]
    if len(boxes) < 2:
        return None
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    placed: list[tuple[int, int, int, int, tuple[float, float, float, float]]] = []
    for x0, top, x1, bottom in boxes:
        r0, r1 = _nearest(ys, top), _nearest(ys, bottom)
        c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
        if r1 > r0 and c1 > c0:
            placed.append((r0, c0, r1 - r0, c1 - c0, (x0, top, x1, bottom)))
    inside: dict[int, list[dict[str, Any]]] = {i: [] for i in range(len(placed))}
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for i, (*_, (x0, top, x1, bottom)) in enumerate(placed):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside[i].append(ch)
                break
    cells = [
        Cell(r, c, _cell_text(inside[i], box[2]), rowspan, colspan)
        for i, (r, c, rowspan, colspan, box) in enumerate(placed)
    ]
    return PageTable(Table(cells), ys[0], ys[-1], xs)


def _cell_text(chars: list[dict[str, Any]], right: float) -> str:
    """A cell's characters as text: wrapped lines joined, short lines (hard breaks) kept apart."""
    if not chars:
        return ""
    size = statistics.median(c["size"] for c in chars)
    lines: list[list[dict[str, Any]]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(ch["top"] - lines[-1][0]["top"]) <= size * 0.5:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    text = ""
    previous_end = right
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        words = ""
        for i, ch in enumerate(line):
            if (
                i
                and ch["x0"] - line[i - 1]["x1"] > size * 0.5
                and not (_CJK.match(ch["text"]) and _CJK.match(words[-1]))
            ):
                words += " "
            words += ch["text"]
        hard_break = previous_end < right - 2.5 * size
        text = _join(text, words, hard_break)
        previous_end = line[-1]["x1"]
    return text


def _join(left: str, right: str, hard_break: bool) -> str:
    """Two pieces of one paragraph: CJK on both sides of a wrap join without a space."""
    if not left:
        return right
    if hard_break:
        return f"{left} {right}"
    if _CJK.match(left[-1]) or _CJK.match(right[0]):
        return left + right
    return f"{left} {right}"


def _drop_running_lines(pages: list[Page]) -> None:
    """Remove page numbers and headers/footers that recur near the page edges."""

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))

    def in_band(page: Page, line: Line) -> bool:
        return line.bottom < page.height * _BAND or line.top > page.height * (1 - _BAND)

    # A line recurs when a line like it (OCR may misread a few characters) sits in the band of
    # at least half the other pages.
    bands = [[key(item) for item in page.items if isinstance(item, Line) and in_band(page, item)] for page in pages]
    needed = max(1, (len(pages) - 1) / 2)

    def recurs(index: int, text: str) -> bool:
        others = sum(any(_similar(text, other) for other in band) for j, band in enumerate(bands) if j != index)
        return len(pages) > 1 and others >= needed

    for index, page in enumerate(pages):
        page.items = [
            item
            for item in page.items
            if not (
                isinstance(item, Line)
                and in_band(page, item)
                and (_PAGE_NUMBER.match(item.text) or recurs(index, key(item)))
            )
        ]


def _similar(a: str, b: str) -> bool:
    """Two running lines alike but for a few characters OCR misread.

    >>> _similar("file://tmp/a.html#/#", "file://tmpA/a.htm1#/#")
    True
    """
    if a == b:
        return True
    if abs(len(a) - len(b)) > max(len(a), len(b)) * 0.3:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def _geometry(page: Page, fallback: tuple[float, float, float]) -> tuple[float, float, float]:
    """(left margin, right margin, character size) of a page's body text."""
    lines = [item for item in page.items if isinstance(item, Line)]
    if len(lines) < 4:
        return fallback
    size = statistics.median(line.size for line in lines)
    left = Counter(round(line.x0 / (size / 4)) for line in lines).most_common(1)[0][0] * (size / 4)
    left = min((line.x0 for line in lines if abs(line.x0 - left) <= size / 2), default=left)
    rights = sorted(line.x1 for line in lines)
    right = rights[int(len(rights) * 0.9)]
    return left, right, size


def assemble(pages: list[Page]) -> list[Block]:
    """Pages' lines and tables as blocks: lines joined into paragraphs, tables continued across
    page breaks joined."""
    blocks: list[Block] = []
    open_lines: list[tuple[Line, Page]] = []
    previous_table: PageTable | None = None
    fallback = (0.0, 0.0, 10.0)
    sized = [p for p in pages if sum(isinstance(i, Line) for i in p.items) >= 4]
    if sized:
        geometry = [_geometry(p, fallback) for p in sized]
        fallback = tuple(statistics.median(g[k] for g in geometry) for k in range(3))  # type: ignore[assignment]

    def flush() -> None:
        if not open_lines:
            return
        text = ""
        uncertain: list[tuple[int, int]] = []
        confidences: list[float] = []
        for line, _ in open_lines:
            text = _join(text, line.text, hard_break=False)
            shift = len(text) - len(line.text)
            uncertain.extend((s + shift, e + shift) for s, e in line.uncertain)
            if line.confidence is not None:
                confidences.append(line.confidence)
        page = open_lines[0][1]
        conf = round(statistics.mean(confidences), 3) if confidences else None
        blocks.append(Paragraph(text, Provenance(page.number, len(blocks), page.ocr, conf), tuple(uncertain)))
        open_lines.clear()

    last_line: tuple[Line, Page, tuple[float, float, float]] | None = None
    for page in pages:
        geom = _geometry(page, fallback)
        for item_index, item in enumerate(page.items):
            if isinstance(item, PageTable):
                flush()
                last_line = None
                continues = (
                    previous_table is not None
                    and item_index == 0
                    and blocks
                    and blocks[-1] is previous_table.table
                    and _same_columns(previous_table, item)
                )
                if continues and previous_table is not None:
                    _continue_table(previous_table, item)
                else:
                    item.table.provenance = Provenance(page.number, len(blocks))
                    blocks.append(item.table)
                    previous_table = item
                continue
            if last_line is None or _starts_paragraph(item, page, geom, last_line):
                flush()
            open_lines.append((item, page))
            last_line = (item, page, geom)
            previous_table = None
    flush()
    return blocks


def _starts_paragraph(
    line: Line, page: Page, geom: tuple[float, float, float], previous: tuple[Line, Page, tuple[float, float, float]]
) -> bool:
    """A line starts a paragraph when it is indented (or centred), when the line before it ended
    short of the right margin, or after a gap wider than a line on the same page."""
    left, _, size = geom
    prev, prev_page, (_, prev_right, prev_size) = previous
    if line.x0 > left + 0.8 * size or prev.x1 < prev_right - 1.5 * prev_size:
        return True
    return prev_page is page and line.top - prev.bottom > 1.2 * (line.bottom - line.top)


def _same_columns(before: PageTable, after: PageTable) -> bool:
    if len(before.columns) != len(after.columns):
        return False
    return all(abs(a - b) <= 3.0 for a, b in zip(before.columns, after.columns, strict=True))


def _continue_table(before: PageTable, after: PageTable) -> None:
    """Append ``after``'s rows to ``before``: drop a repeated header row; rejoin a row broken
    over the page break (its first cell empty on the new page)."""
    head = before.table.grid()
    rows = after.table.grid()
    cells = list(after.table.cells)
    drop_rows = 0
    if rows and head and rows[0] == head[0]:
        drop_rows = 1
    broken = len(rows) > drop_rows and not rows[drop_rows][0] and any(rows[drop_rows]) and head and head[-1][0]
    offset = max(c.row + c.rowspan for c in before.table.cells)
    kept: list[Cell] = []
    if broken:
        last = offset - 1
        tails = {c.col: c for c in cells if c.row == drop_rows}
        merged: list[Cell] = []
        for cell in before.table.cells:
            tail = tails.get(cell.col)
            if cell.row + cell.rowspan - 1 == last and tail is not None and tail.text:
                cell = Cell(
                    cell.row, cell.col, _join(cell.text, tail.text, hard_break=False), cell.rowspan, cell.colspan
                )
            merged.append(cell)
        before.table.cells = merged
        drop_rows += 1
    for cell in cells:
        if cell.row >= drop_rows:
            kept.append(Cell(cell.row - drop_rows + offset, cell.col, cell.text, cell.rowspan, cell.colspan))
    before.table.cells.extend(kept)
    before.bottom = after.bottom
