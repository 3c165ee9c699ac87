"""Reading a document file into blocks: the kind is found from the content, then its reader runs.

Kinds and readers (see README "Formats"):

- text (.txt): UTF-8 (with or without BOM) strictly first, then GB18030 (a superset of GBK and
  GB2312), then whatever charset-normalizer finds;
- HTML (:mod:`~policykg.loaders.html_text`), Word .docx (:mod:`~policykg.loaders.docx_text`);
- PDF with a text layer, and scanned PDF or page images through OCR (:mod:`~policykg.loaders.pdf_text`,
  :mod:`~policykg.loaders.ocr`);
- spreadsheets .xlsx/.xls/.ods/.et (:mod:`~policykg.loaders.sheets`);
- Word 97 .doc, WPS .wps, OpenDocument .odt through LibreOffice (:mod:`~policykg.loaders.office`);
- OFD is recognised and refused with advice (see README: no OFD reader on PyPI was found dependable).

The extension only breaks ties (text or HTML); a file named ``.pdf`` that is a Word document is
read as a Word document. Errors name the file and, for undecodable bytes, the line.

>>> decode_bytes("责任单位".encode("gb18030"), source="a.txt")
'责任单位'
>>> decode_bytes(b"\\xef\\xbb\\xbf\\xe4\\xb8\\x80", source="a.txt")
'一'
>>> sniff(b"%PDF-1.7 ...", ".txt"), sniff("<p>一</p>".encode(), ".htm"), sniff(b"\\x89PNG\\r\\n\\x1a\\n", "")
('pdf', 'html', 'image')
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from charset_normalizer import from_bytes

from policykg.errors import InputError
from policykg.loaders.blocks import ReadDocument, paragraphs_of
from policykg.loaders.limits import DEFAULT_MAX_BYTES, ReadLimits

if TYPE_CHECKING:
    from policykg.graph.model import ParsedDocument

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
DOCX_SUFFIXES = frozenset({".docx"})
# Suffixes of binary kinds: a file named so whose bytes are not of any binary kind is refused.
BINARY_SUFFIXES = frozenset(
    {
        ".docx",
        ".pdf",
        ".doc",
        ".wps",
        ".xls",
        ".xlsx",
        ".et",
        ".ods",
        ".odt",
        ".ofd",
        ".png",
        ".jpg",
        ".jpeg",
        ".tif",
        ".tiff",
    }
)
ACCEPTED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf", ".doc", ".wps", ".odt", ".xlsx", ".xls", ".et", ".ods",
                     ".png", ".jpg", ".jpeg", ".tif", ".tiff")  # fmt: skip
_CHINESE_FALLBACKS = frozenset({"big5", "big5hkscs", "cp950", "hz", "gb2312", "gbk"})
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")


def read_document(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES, limits: ReadLimits | None = None
) -> str:
    """The text of a document file (any kind :func:`read_path` reads), with ``\\n`` line ends.

    Refuses files larger than ``max_bytes`` before reading them.
    """
    return read_path(path, limits=limits or ReadLimits(max_bytes=max_bytes)).text


def read_path(path: str | os.PathLike[str], *, limits: ReadLimits | None = None) -> ReadDocument:
    """A document file's blocks; its time budget starts now."""
    limits = (limits or ReadLimits()).restarted()
    file = Path(path)
    name = str(path)
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise InputError("The file does not exist.", path=name) from None
    except OSError as error:
        raise InputError(f"The file cannot be read ({error.strerror}).", path=name) from None
    if file.is_dir():
        raise InputError("This is a directory, not a document file.", path=name)
    if size > limits.max_bytes:
        raise InputError(
            f"The file is {size / 1024 / 1024:.1f} MB, larger than the limit of "
            f"{limits.max_bytes / 1024 / 1024:.1f} MB; split it or raise the limit.",
            path=name,
        )
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"The file cannot be read ({error.strerror}).", path=name) from None
    return read_bytes(data, source=name, suffix=file.suffix.lower(), limits=limits)


def bytes_to_text(data: bytes, *, source: str, suffix: str = "") -> str:
    """Dispatch on the file kind (content, then suffix) and return plain text."""
    return read_bytes(data, source=source, suffix=suffix).text


def sniff(data: bytes, suffix: str) -> str:
    """The kind of a file from its first bytes (and, for zips, its entry names); the suffix
    only decides between text and HTML."""
    head = data[:8]
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head == _OLE:
        return "ole"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if head[:4] == b"PK\x03\x04":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist()[:10_000])
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names or "ofd.xml" in names:
            return "ofd"
        if "content.xml" in names:
            return "ods" if b"opendocument.spreadsheet" in data[:200] else "odt"
        return "zip"
    return "html" if suffix in HTML_SUFFIXES else "text"


def read_bytes(data: bytes, *, source: str, suffix: str = "", limits: ReadLimits | None = None) -> ReadDocument:
    """A document's blocks from its bytes; the kind comes from the content."""
    limits = limits or ReadLimits()
    if not data.strip():
        raise InputError("The file is empty.", path=source)
    kind = sniff(data, suffix)
    if kind == "pdf":
        from policykg.loaders.pdf_text import read_pdf

        return read_pdf(data, source=source, limits=limits)
    if kind == "image":
        from policykg.loaders.ocr import read_image

        return read_image(data, source=source, limits=limits)
    if kind == "docx":
        return _read_docx(data, source, limits)
    if kind in ("xlsx", "ods"):
        from policykg.loaders.sheets import read_sheets

        return read_sheets(data, source=source, limits=limits, kind=kind)
    if kind in ("ole", "odt"):
        from policykg.loaders.office import read_office

        return read_office(data, source=source, suffix=suffix, limits=limits, kind=kind)
    if kind == "ofd":
        raise InputError(
            "The file is an OFD document, which policykg does not read yet. Open it in an OFD reader "
            "(e.g. 数科OFD阅读器) and save or print it as PDF, then load the PDF.",
            path=source,
        )
    if kind == "zip" and suffix in DOCX_SUFFIXES:
        raise InputError("The file is not a readable Word (.docx) document.", path=source)
    if kind == "zip":
        raise InputError(
            "The file is a zip archive but not a Word, Excel or OpenDocument document; unpack it first.", path=source
        )
    if suffix in BINARY_SUFFIXES:
        expected = {".docx": "a Word document", ".pdf": "a PDF"}.get(suffix, f"a {suffix} file")
        raise InputError(f"The file is named {suffix} but is not {expected}.", path=source)
    text = decode_bytes(data, source=source)
    head = text[:2048].lstrip().lower()
    if kind == "html" or head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head:
        from policykg.loaders.html_text import read_html

        return read_html(text, source=source, limits=limits)
    return ReadDocument(paragraphs_of(text), source, kind="text")


def _read_docx(data: bytes, source: str, limits: ReadLimits) -> ReadDocument:
    from policykg.loaders.docx_text import BadDocx, read_docx

    try:
        return read_docx(data, source=source, limits=limits)
    except InputError:
        raise
    except BadDocx:
        raise InputError("The file is not a readable Word (.docx) document.", path=source) from None
    except Exception:  # a damaged package can fail anywhere inside python-docx/lxml
        raise InputError("The Word document is damaged and cannot be read.", path=source) from None


def decode_bytes(data: bytes, *, source: str) -> str:
    """Decode a text file: UTF-8 (strict, BOM optional), UTF-16 with BOM, GB18030, then a guess."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return _clean(data.decode("utf-16"), source)
        except UnicodeDecodeError as error:
            raise InputError(
                "The file is not valid UTF-16 text.", path=source, line=_line_of(data, error.start)
            ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            "The file is binary (it contains NUL bytes), not a text, HTML or .docx document.",
            path=source,
            line=_text_line_of(data, nul),
        )
    try:
        return _clean(data.decode("utf-8-sig"), source)
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    try:
        return _clean(data.decode("gb18030"), source)
    except UnicodeDecodeError:
        pass
    # Last resort: a detector's guess, but only a Chinese encoding (a Latin-1 guess would
    # "decode" any bytes into nonsense that looks like text).
    best = from_bytes(data).best()
    if best is not None and best.encoding in _CHINESE_FALLBACKS:
        return _clean(str(best), source)
    raise InputError(
        "The file is neither UTF-8 nor GB18030/GBK text and its encoding could not be detected.",
        path=source,
        line=_text_line_of(data, first_bad),
    )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _text_line_of(data: bytes, offset: int) -> int | None:
    r"""The line of a bad byte in a file that is text up to it; None for data that is not text at all.

    Random bytes happen to hold newlines, so "line 3" of them would send a person looking
    for a line that means nothing.

    >>> text = "第一行\n第二行\n".encode()
    >>> _text_line_of(text + b"\xff", len(text))
    3
    >>> _text_line_of(b"\x8f\n\xff", 2) is None
    True
    """
    head = data[:offset]
    if b"\n" not in head:
        return None
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t\r") > len(text) // 20:
        return None
    return _line_of(data, offset)


def _clean(text: str, source: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\t\f\v")
    if controls > 8 and controls > len(text[:4096]) // 20:
        raise InputError("The file looks binary (many control characters), not a text document.", path=source)
    return text


def with_reader_notes(read: ReadDocument, parsed: ParsedDocument) -> ParsedDocument:
    """The parse of ``read.text`` with what only the reader knows added: its warnings (pages
    read by OCR…), and agencies whose names OCR read with low confidence, which are kept as
    written and unresolved (reported, never silently linked to a registry entry)."""
    from dataclasses import replace

    from policykg.graph.model import ParseWarning
    from policykg.loaders.blocks import Paragraph
    from policykg.loaders.normalise import fold

    parsed.warnings.extend(ParseWarning(message) for message in read.warnings)
    if not any(isinstance(block, Paragraph) and block.uncertain for block in read.blocks):
        return parsed
    lines = read.lines()
    for measure in parsed.measures:
        first = max(measure.line, 1)
        last = first + parsed.text[measure.span[0] : measure.span[1]].count("\n")
        spans: list[tuple[str, Paragraph]] = [
            (text, block) for text, block in lines[first - 1 : last] if isinstance(block, Paragraph) and block.uncertain
        ]
        for i, assignment in enumerate(measure.assignments):
            if not assignment.resolved:
                continue
            name = fold(assignment.as_written)
            for text, block in spans:
                folded = fold(text)
                at = folded.find(name)
                hit = False
                while at >= 0 and not hit:
                    hit = any(s < at + len(name) and at < e for s, e in block.uncertain)
                    at = folded.find(name, at + 1)
                if hit:
                    measure.assignments[i] = replace(assignment, name=assignment.as_written, resolved=False)
                    where = block.provenance.describe()
                    parsed.warnings.append(
                        ParseWarning(
                            f"{where}: OCR read the agency name “{assignment.as_written}” with low confidence, so it "
                            "is kept as written and not linked to the registry; check it against the scan.",
                            line=measure.line or None,
                        )
                    )
                    break
    return parsed
