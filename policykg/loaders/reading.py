"""Reading a document file into text: size limit, binary check, encoding, HTML and .docx.

Text files are tried as UTF-8 (with or without BOM) strictly first, then GB18030 (a
superset of GBK and GB2312), then whatever charset-normalizer finds. Errors name the
file and, for undecodable bytes, the line.

>>> decode_bytes("责任单位".encode("gb18030"), source="a.txt")
'责任单位'
>>> decode_bytes(b"\\xef\\xbb\\xbf\\xe4\\xb8\\x80", source="a.txt")
'一'
"""

from __future__ import annotations

import os
from pathlib import Path

from charset_normalizer import from_bytes

from policykg.errors import InputError
from policykg.loaders.docx_text import BadDocx, docx_to_text
from policykg.loaders.html_text import html_to_text

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
DOCX_SUFFIXES = frozenset({".docx"})
UNSUPPORTED_SUFFIXES = frozenset({".doc", ".wps", ".pdf", ".ofd"})
_CHINESE_FALLBACKS = frozenset({"big5", "big5hkscs", "cp950", "hz", "gb2312", "gbk"})


def read_document(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a .txt, .html/.htm or .docx file, with ``\\n`` line ends.

    Refuses files larger than ``max_bytes`` before reading them.
    """
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
    if size > max_bytes:
        raise InputError(
            f"The file is {size / 1024 / 1024:.1f} MB, larger than the limit of {max_bytes / 1024 / 1024:.1f} MB; "
            "split it or raise the limit.",
            path=name,
        )
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"The file cannot be read ({error.strerror}).", path=name) from None
    return bytes_to_text(data, source=name, suffix=file.suffix.lower())


def bytes_to_text(data: bytes, *, source: str, suffix: str = "") -> str:
    """Dispatch on the file kind (suffix, then content) and return plain text."""
    if not data.strip():
        raise InputError("The file is empty.", path=source)
    if suffix in UNSUPPORTED_SUFFIXES or data[:5] == b"%PDF-" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        kind = "PDF" if data[:5] == b"%PDF-" or suffix == ".pdf" else "old Word/WPS (.doc/.wps)"
        raise InputError(
            f"The file is a {kind} document, which is not read; save it as .docx, .html or .txt first.",
            path=source,
        )
    if suffix in DOCX_SUFFIXES or data[:4] == b"PK\x03\x04":
        if data[:4] != b"PK\x03\x04":
            raise InputError("The file is named .docx but is not a Word document.", path=source)
        try:
            return docx_to_text(data)
        except BadDocx:
            raise InputError("The file is not a readable Word (.docx) document.", path=source) from None
        except Exception as error:  # a damaged package can fail anywhere inside python-docx/lxml
            raise InputError(
                f"The Word document is damaged and cannot be read ({type(error).__name__}).", path=source
            ) from None
    text = decode_bytes(data, source=source)
    head = text[:2048].lstrip().lower()
    if suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head:
        return html_to_text(text)
    return text


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
