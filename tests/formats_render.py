"""Real writers for the format tests: a text document rendered to HTML → PDF (Chromium), .docx
(python-docx) → PDF/.doc (LibreOffice), .xlsx (openpyxl) → .xls (LibreOffice), and scans
(pdftoppm from poppler-utils, images wrapped back into an image-only PDF by Pillow).

A text source's ``a | b | c`` lines are its table rows; a row whose only cell is a heading
("一、…方面") becomes a row with one cell spanning all columns, as such tables are drawn.
"""

from __future__ import annotations

import functools
import html
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from policykg.viz.chromium import CHROMIUM_ARGS, chromium_path

EXAMPLES = Path(__file__).resolve().parents[1] / "policykg" / "examples"

CSS = """
@page { size: A4; margin: 2.2cm 2cm; }
body { font-family: "WenQuanYi Zen Hei", sans-serif; font-size: 12pt; line-height: 1.6; }
p { margin: 0; text-indent: 2em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; }
td, th { border: 1px solid #000; padding: 2pt 4pt; font-size: 10.5pt; vertical-align: top; }
thead { display: table-header-group; }
"""


def blocks_of(text: str) -> list[str | list[list[str]]]:
    """Paragraph lines and tables (lists of rows) of a text document; blank lines dropped."""
    out: list[str | list[list[str]]] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if " | " in line:
            cells = [c.strip() for c in line.split("|")]
            if out and isinstance(out[-1], list):
                out[-1].append(cells)
            else:
                out.append([cells])
        elif out and isinstance(out[-1], list) and _group_heading(line):
            out[-1].append([line])  # a heading row inside a table, spanning all columns
        else:
            out.append(line)
    return out


def _group_heading(line: str) -> bool:
    return len(line) < 40 and line[:1] in "一二三四五六七八九十" and "、" in line[:4]


def to_html(text: str, title: str = "document") -> str:
    parts = [f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
             f"<style>{CSS}</style></head><body>"]  # fmt: skip
    for block in blocks_of(text):
        if isinstance(block, str):
            parts.append(f"<p>{html.escape(block)}</p>")
            continue
        width = max(len(r) for r in block)
        parts.append("<table>")
        for i, row in enumerate(block):
            tag = "th" if i == 0 else "td"
            if i == 0:
                parts.append("<thead>")
            if len(row) == 1:
                parts.append(f'<tr><{tag} colspan="{width}">{html.escape(row[0])}</{tag}></tr>')
            else:
                parts.append("<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row) + "</tr>")
            if i == 0:
                parts.append("</thead><tbody>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)


def html_to_pdf(page: str, out: Path, *, header_footer: bool = True) -> Path:
    """Chromium's print-to-PDF; with its running header (date, title) and footer (URL, page x/y)."""
    chromium = chromium_path()
    assert chromium, "Chromium is needed (make browser installs it)"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.html"
        source.write_text(page, encoding="utf-8")
        args = [chromium, *CHROMIUM_ARGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}"]
        if not header_footer:
            args.append("--no-pdf-header-footer")
        subprocess.run([*args, source.as_uri()], check=True, capture_output=True, timeout=120)
    assert out.exists() and out.stat().st_size > 0
    return out


def to_docx(text: str, out: Path) -> Path:
    """A Word document with one paragraph per line and real tables (group headings merged
    across the row), with a "- PAGE -" footer as Chinese official documents have."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "WenQuanYi Zen Hei"
    style.font.size = Pt(12)
    for block in blocks_of(text):
        if isinstance(block, str):
            document.add_paragraph(block).paragraph_format.first_line_indent = Pt(24)
            continue
        width = max(len(r) for r in block)
        table = document.add_table(rows=len(block), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(block):
            if len(row) == 1:
                cell = table.cell(r, 0).merge(table.cell(r, width - 1))
                cell.text = row[0]
            else:
                for c, value in enumerate(row[:width]):
                    table.cell(r, c).text = value
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = 1
    footer._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">- </w:t></w:r>'))
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> -</w:t></w:r>'))
    document.save(str(out))
    return out


def to_xlsx(rows: list[list[str]], out: Path, *, title: str = "") -> Path:
    """A 分工表 sheet: an optional title row merged across, the header, rows; single-cell rows
    (group headings) merged across the width."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    width = max(len(r) for r in rows)
    r = 1
    if title:
        sheet.cell(1, 1, title)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        r = 2
    for row in rows:
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c, value)
        if len(row) == 1:
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    book.save(str(out))
    return out


def libreoffice(source: Path, to: str, outdir: Path) -> Path:
    """LibreOffice headless conversion (``to``: pdf, doc, xls…)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed (make browser installs it)"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
             "--outdir", str(outdir), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    out = outdir / f"{source.stem}.{to.split(':')[0]}"
    assert out.exists(), f"LibreOffice wrote no {out.name}"
    return out


def scan(pdf: Path, out: Path, *, dpi: int = 150, first: int | None = None, last: int | None = None) -> Path:
    """An image-only PDF of the pages of ``pdf``: rasterised by pdftoppm, then put back together."""
    from PIL import Image

    assert shutil.which("pdftoppm"), "poppler-utils is needed"
    with tempfile.TemporaryDirectory() as tmp:
        args = ["pdftoppm", "-r", str(dpi), "-gray", "-png"]
        if first:
            args += ["-f", str(first)]
        if last:
            args += ["-l", str(last)]
        subprocess.run([*args, str(pdf), f"{tmp}/page"], check=True, capture_output=True, timeout=300)
        images = [Image.open(p).convert("L") for p in sorted(Path(tmp).glob("page*.png"))]
        images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return out


@functools.cache
def corpus_pdf(stem: str) -> Path:
    """A bundled document printed by Chromium, once per test session (the round-trip, exactness
    and OCR tests share it)."""
    source = EXAMPLES / f"{stem}.txt"
    out = Path(tempfile.mkdtemp(prefix="policykg-pdf-")) / f"{stem}.pdf"
    return html_to_pdf(to_html(source.read_text(encoding="utf-8"), stem), out)


def word_package(body: bytes | None = None, *, stream_bytes: int = 0) -> bytes:
    """A real .docx (python-docx's template) whose document.xml is replaced: by ``body``, or by
    a paragraph repeated until the part is ``stream_bytes`` long, written streamed."""
    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item))
        if body is not None:
            target.writestr("word/document.xml", body)
        else:
            head = b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            chunk = b"<w:p><w:r><w:t>A</w:t></w:r></w:p>" * 32768  # ~1 MiB
            with target.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(head)
                written = len(head)
                while written < stream_bytes:
                    part.write(chunk)
                    written += len(chunk)
                part.write(b"</w:body></w:document>")
    return out.getvalue()


CLAUSE = "1.建设平台。（责任单位：省科技厅）"


def empty_paragraphs_body(count: int, clause: str = CLAUSE) -> bytes:
    """A Word document.xml of ``count`` empty paragraphs and then one clause."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    last = f"<w:p><w:r><w:t>{clause}</w:t></w:r></w:p>"
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}"><w:body>'
    return f"{head}{'<w:p/>' * count}{last}</w:body></w:document>".encode()


def nested_html(text: str, depth: int) -> tuple[bytes, bytes]:
    """(``depth`` empty sibling divs then ``text``, ``text`` inside ``depth`` nested divs)."""
    deep = ("<div>" * depth + f"<p>{text}</p>" + "</div>" * depth).encode()
    flat = ("<div></div>" * depth + f"<p>{text}</p>").encode()
    return flat, deep
