"""Text normal forms: the document text the parser keeps, and a folded view for matching.

:func:`clean_text` gives the text that :attr:`ParsedDocument.text` holds and all spans point
into: line ends made ``\\n``, BOM and zero-width characters removed, odd spaces made plain,
every character that names something kept as written (an agency written with full-width
parentheses keeps them). Line breaks are never added or removed, so line numbers stay those
of the input.

:func:`fold` maps full-width punctuation and digits to ASCII one character for one
character, so a pattern written once matches both forms and every offset found in the
folded text is an offset in the clean text.

>>> fold("（责任单位：省经信委，省科技厅）")
'(责任单位:省经信委,省科技厅)'
>>> len(fold("１２（三）")) == len("１２（三）")
True
>>> clean_text("\\ufeff一、\\u3000总则\\r\\n")
'一、 总则\\n'
"""

from __future__ import annotations

import re

_INVISIBLE_CHARACTERS = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")

_FOLD_PAIRS = {
    "（": "(",
    "）": ")",
    "，": ",",
    "；": ";",
    "：": ":",
    "．": ".",
    "【": "[",
    "】": "]",
    "［": "[",
    "］": "]",
    "﹙": "(",
    "﹚": ")",
    "－": "-",
    "～": "~",
}
_FOLD_PAIRS.update({chr(0xFF10 + i): str(i) for i in range(10)})
_LONG = 200  # text longer than this is folded by substring tests (see fold)
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLD_PAIRS)) + "]")
_ODD_SPACE_PAIRS = {"\u3000": " ", "\xa0": " ", "\t": " ", "\u2002": " ", "\u2003": " ", "\u2009": " "}


def clean_text(raw: str) -> str:
    """The text the parser keeps: ``\\n`` line ends, no invisible characters, plain spaces."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    # (A substring test per invisible character runs at memory speed; most texts hold none.)
    if any(ch in text for ch in _INVISIBLE_CHARACTERS):
        text = _INVISIBLE.sub("", text)
    return _replace_each(text, _ODD_SPACE_PAIRS)


def fold(text: str) -> str:
    """Full-width punctuation and digits as ASCII, one character for one (offsets unchanged)."""
    # One set search finds the characters to fold (most short texts have none or one or two):
    # a str.replace each, instead of a test for every pair. A folded character is ASCII, never one
    # to fold, so the order of the replacements does not matter.
    if len(text) > _LONG:
        # A whole document: a substring test per character to fold runs at memory speed, where the
        # set search costs a few dozen instructions per character of the text.
        for old, new in _FOLD_PAIRS.items():
            if old in text:
                text = text.replace(old, new)
        return text
    present = _FOLDABLE.findall(text)
    if not present:
        return text
    for old in set(present):
        text = text.replace(old, _FOLD_PAIRS[old])
    return text


def _replace_each(text: str, pairs: dict[str, str]) -> str:
    # A few str.replace passes run at memory speed; str.translate with a dict is ~40x slower here.
    for old, new in pairs.items():
        if old in text:
            text = text.replace(old, new)
    return text
