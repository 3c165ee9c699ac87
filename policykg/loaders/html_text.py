"""HTML → blocks: block elements become paragraphs, data tables become cells with their spans.

Web pages carry navigation, counters and footers around the document; they are kept as
ordinary lines (the parser skips what is not a measure and reads the rest for metadata).

>>> html_to_text("<p>一、总则</p><table><tr><td>1</td><td>任务</td></tr></table>")
'一、总则\\n1 | 任务'
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from policykg.errors import InputError
from policykg.loaders.blocks import Block, Cell, Paragraph, Provenance, ReadDocument, Table
from policykg.loaders.limits import ReadLimits

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
    return read_html(html, source="page.html").text


def read_html(html: str, *, source: str, limits: ReadLimits | None = None) -> ReadDocument:
    """An HTML page's blocks: one paragraph per non-empty block line, data tables as cells.

    The tree is walked with an explicit stack, so nesting depth costs memory, not recursion
    (100,000 nested ``<div>`` read like one).
    """
    limits = limits or ReadLimits()
    depth = nesting_depth(html)
    if depth > limits.max_html_depth:
        raise InputError(
            f"The HTML nests elements {depth:,} deep, more than the limit of {limits.max_html_depth:,} "
            "(no real page does; setting max_html_depth).",
            path=source,
        )
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    out: list[str | Table] = []
    if root is not None:
        _walk(root, out, limits, source)
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        # One paragraph per non-empty line; line numbers in warnings refer to this text.
        for line in "".join(pending).split("\n"):
            if line.strip():
                blocks.append(Paragraph(line.strip(), Provenance(position=len(blocks))))
        pending.clear()

    for piece in out:
        if isinstance(piece, Table):
            flush()
            piece.provenance = Provenance(position=len(blocks))
            if piece.lines():
                blocks.append(piece)
        else:
            pending.append(piece)
    flush()
    return ReadDocument(blocks, source, kind="html")


# Elements that never nest: void elements, and those whose end tag HTML lets a page leave out
# (an open <p> or <li> is closed by the next one, so it adds no depth however many there are).
_FLAT = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p",
        "li", "dt", "dd", "td", "th", "tr", "option", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rp",
        "rt", "rtc", "optgroup", "!doctype",
    }
)  # fmt: skip
_TAG = re.compile(r"<(/?)([A-Za-z!][A-Za-z0-9:-]*)[^>]*?(/?)>")


def nesting_depth(html: str) -> int:
    """How deep the page's elements nest, from its tags alone (before any tree is built: the
    HTML parser's own cost grows with the square of the depth).

    >>> nesting_depth("<div><div><p>a<p>b</div></div><br>")
    2
    """
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if name.lower() in _FLAT or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _inline(text: str) -> str:
    return _SPACES.sub(" ", _CJK_BREAK.sub("", text))


_CHECK_EVERY = 4096


def _walk(node: LexborNode, out: list[str | Table], limits: ReadLimits, source: str) -> None:
    """Depth-first over ``node``'s children, without recursion: the stack holds nodes still to
    visit and the line breaks to write once a block's children are done."""
    stack: list[LexborNode | str] = list(reversed(_all_children(node)))
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        visited += 1
        if visited % _CHECK_EVERY == 0:
            limits.check_time(source)
            limits.check_count("XML elements", visited, source=source)
        if item.is_text_node:
            out.append(_inline(item.text_content or ""))
            continue
        if not item.is_element_node:
            continue
        tag = (item.tag or "").lower()
        if tag in _SKIP:
            continue
        if tag == "br":
            out.append("\n")
        elif tag == "table" and _is_layout(item):
            # A table that lays out the page (the document sits in one of its cells) is read
            # cell by cell as blocks, not as one row of data.
            for row in reversed(_rows(item)):
                for cell in reversed(_children(row)):
                    stack.append("\n")
                    stack.append(cell)
                    stack.append("\n")
        elif tag == "table":
            out.append(_table(item, limits, source))
        elif tag in _BLOCK:
            out.append("\n")
            stack.append("\n")
            stack.extend(reversed(_all_children(item)))
        else:
            stack.extend(reversed(_all_children(item)))


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


def _cell_text(cell: LexborNode, limits: ReadLimits, source: str) -> str:
    parts: list[str | Table] = []
    _walk(cell, parts, limits, source)
    text = "".join(p if isinstance(p, str) else "\n".join(p.lines()) for p in parts)
    return " ".join(p.strip() for p in text.split("\n") if p.strip())


def _table(table: LexborNode, limits: ReadLimits, source: str) -> Table:
    """The cells of a data table on its grid (the HTML table model: a cell goes in the first
    grid column of its row not covered by a rowspan from above)."""
    cells: list[Cell] = []
    covered: set[tuple[int, int]] = set()
    rows = _rows(table)
    for r, row in enumerate(rows):
        column = 0
        for cell in (c for c in _children(row) if (c.tag or "").lower() in ("td", "th")):
            while (r, column) in covered:
                column += 1
            colspan = _span(cell, "colspan")
            rowspan = min(_span(cell, "rowspan"), len(rows) - r)  # a rowspan past the last row ends there
            cells.append(Cell(r, column, _cell_text(cell, limits, source), rowspan, colspan))
            limits.check_count("cells", len(cells), source=source)
            for dr in range(rowspan):
                for dc in range(colspan):
                    covered.add((r + dr, column + dc))
            column += colspan
    return Table(cells)


def _span(cell: LexborNode, name: str) -> int:
    value = (cell.attributes.get(name) or "1").strip()
    return max(1, min(int(value), 50)) if value.isdigit() else 1


def _all_children(node: LexborNode) -> list[LexborNode]:
    result = []
    child = node.first_child
    while child is not None:
        result.append(child)
        child = child.next
    return result


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
