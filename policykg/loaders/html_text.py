"""HTML → plain text lines: block elements become lines, table rows become ``" | "``-joined cells.

Web pages carry navigation, counters and footers around the document; they are kept as
ordinary lines (the parser skips what is not a measure and reads the rest for metadata).

>>> html_to_text("<p>一、总则</p><table><tr><td>1</td><td>任务</td></tr></table>")
'一、总则\\n1 | 任务'
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "svg", "button", "select"})
_BLOCK = frozenset(
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section",
        "article", "header", "footer", "nav", "aside", "blockquote", "pre", "form", "center", "main",
        "address", "figure", "figcaption", "hr", "caption", "body", "html",
    }
)  # fmt: skip
_CJK = r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"
# A line break in HTML source between two CJK characters is not a space in the rendered text.
_CJK_BREAK = re.compile(rf"(?<={_CJK})[ \t\r]*\n\s*(?={_CJK})")
_SPACES = re.compile(r"[ \t\r\n\f]+")


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, one block per line, tables as ``a | b | c`` rows."""
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    out: list[str] = []
    if root is not None:
        _walk(root, out)
    # One line per non-empty block; line numbers in warnings refer to this text.
    return "\n".join(line.strip() for line in "".join(out).split("\n") if line.strip())


def _inline(text: str) -> str:
    return _SPACES.sub(" ", _CJK_BREAK.sub("", text))


def _walk(node: LexborNode, out: list[str]) -> None:
    child = node.first_child
    while child is not None:
        if child.is_text_node:
            out.append(_inline(child.text_content or ""))
        elif child.is_element_node:
            tag = (child.tag or "").lower()
            if tag in _SKIP:
                pass
            elif tag == "br":
                out.append("\n")
            elif tag == "table" and _is_layout(child):
                # A table that lays out the page (the document sits in one of its cells) is read
                # cell by cell as blocks, not as one row of data.
                for row in _rows(child):
                    for cell in _children(row):
                        out.append("\n")
                        _walk(cell, out)
                        out.append("\n")
            elif tag == "table":
                out.append("\n")
                _table(child, out)
                out.append("\n")
            elif tag in _BLOCK:
                out.append("\n")
                _walk(child, out)
                out.append("\n")
            else:
                _walk(child, out)
        child = child.next


_LAYOUT_BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table"})
MAX_DATA_CELL_CHARS = 1000


def _is_layout(table: LexborNode) -> bool:
    """A layout table holds a nested table, or a cell of many paragraphs or of a whole text."""
    for row in _rows(table):
        for cell in _children(row):
            if cell.css_first("table") is not None:
                return True
            blocks = sum(1 for node in cell.css("p, div, br, li") if node is not None)
            if blocks >= 4 or len(cell.text(deep=True)) > MAX_DATA_CELL_CHARS:
                return True
    return False


def _cell_text(cell: LexborNode) -> str:
    parts: list[str] = []
    _walk(cell, parts)
    return " ".join(p.strip() for p in "".join(parts).split("\n") if p.strip())


def _table(table: LexborNode, out: list[str]) -> None:
    """Rows as ``a | b`` lines; a cell spanning rows is repeated in each row it covers (so a
    merged 牵头单位 cell reaches every task beside it), a cell spanning columns is written once
    and followed by empty cells (so a merged group-heading row stays one heading)."""
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still covered)
    for row in _rows(table):
        cells: list[str] = []
        column = 0
        for cell in (c for c in _children(row) if (c.tag or "").lower() in ("td", "th")):
            column = _fill_pending(pending, cells, column)
            text = _cell_text(cell).replace("|", "｜")
            colspan = _span(cell, "colspan")
            rowspan = _span(cell, "rowspan")
            cells.append(text)
            if rowspan > 1:
                pending[column] = (text, rowspan - 1)
            cells.extend([""] * (colspan - 1))
            column += colspan
        _fill_pending(pending, cells, column, to_end=True)
        if any(cells):
            out.append(" | ".join(cells) + "\n")


def _fill_pending(pending: dict[int, tuple[str, int]], cells: list[str], column: int, *, to_end: bool = False) -> int:
    while column in pending or (to_end and any(c >= column for c in pending)):
        if column in pending:
            text, left = pending[column]
            cells.append(text)
            if left <= 1:
                del pending[column]
            else:
                pending[column] = (text, left - 1)
        else:
            cells.append("")
        column += 1
    return column


def _span(cell: LexborNode, name: str) -> int:
    value = (cell.attributes.get(name) or "1").strip()
    return max(1, min(int(value), 50)) if value.isdigit() else 1


def _children(node: LexborNode) -> list[LexborNode]:
    result = []
    child = node.first_child
    while child is not None:
        if child.is_element_node:
            result.append(child)
        child = child.next
    return result


def _rows(table: LexborNode) -> list[LexborNode]:
    """The rows of this table in order, not descending into nested tables."""
    rows: list[LexborNode] = []
    for child in _children(table):
        tag = (child.tag or "").lower()
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in _children(child) if (c.tag or "").lower() == "tr")
    return rows
