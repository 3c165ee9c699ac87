"""Paragraph numbering: 一、 / （一） / 1. / （1） / ① and the section tree they build.

Levels are not fixed by style: the first style seen is the top, a style not yet open nests
under the current one, and a style already open closes everything below it. That reads
documents that skip a level or start at （一） alike.

>>> numbering_of("（十七）研究支持对…")
Numbering(style='paren_cn', token='(十七)', end=4)
>>> numbering_of("2.2017—2018年，省政府给予…").token
'2'
>>> numbering_of("2017年7月3日") is None
True
>>> numbering_of("第二部分　重点任务").token
'第二部分'
>>> numbering_of("第二，加强督查。").token
'第二'
>>> numbering_of("第一批试点城市") is None
True
>>> numbering_of("3）加快建设").token
'3)'

"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from policykg.loaders.normalise import fold

_CN = "一二三四五六七八九十百零〇"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(rf"^\s*(?P<n>[{_CN}]{{1,4}})\s*[、.]")),
    ("paren_cn", re.compile(rf"^\s*\(\s*(?P<n>[{_CN}]{{1,4}})\s*\)\s*[、.]?")),
    ("paren_ar", re.compile(r"^\s*\(\s*(?P<n>\d{1,3})\s*\)\s*[、.]?")),
    ("arabic", re.compile(r"^\s*(?P<n>\d{1,3})\s*(?:[.、](?!\d+[.、%])|\s(?=\D))")),
    ("ar_close", re.compile(r"^\s*(?P<n>\d{1,3})\s*\)")),
    ("circled", re.compile(r"^\s*(?P<n>[\u2460-\u2473\u3251-\u325f])")),
    ("ordinal", re.compile(rf"^\s*(?P<n>第[{_CN}]{{1,3}}(?:部分|条|章|节|篇))\s*[、,.:]?")),
    # "第一，强化组织领导": an ordinal word as the paragraph's number (never "第一批", "第一次").
    ("ordinal_word", re.compile(rf"^\s*(?P<n>第[{_CN}]{{1,3}})\s*[、,.:]")),
)
_FIRST_CHARACTERS = frozenset(
    _CN
    + "(0123456789第"
    + "".join(chr(c) for c in range(0x2460, 0x2474))
    + "".join(chr(c) for c in range(0x3251, 0x3260))
)
_TOKEN_FORMAT = {"paren_cn": "({})", "paren_ar": "({})", "ar_close": "{})"}
# The styles that can open with each first character, in the order they are tried.
_STYLE_STARTS = {
    "cn": _CN,
    "paren_cn": "(",
    "paren_ar": "(",
    "arabic": "0123456789",
    "ar_close": "0123456789",
    "circled": "".join(chr(c) for c in range(0x2460, 0x2474)) + "".join(chr(c) for c in range(0x3251, 0x3260)),
    "ordinal": "第",
    "ordinal_word": "第",
}
_BY_FIRST: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    ch: tuple((style, pattern) for style, pattern in _PATTERNS if ch in _STYLE_STARTS[style])
    for ch in _FIRST_CHARACTERS
}
_ALONE = re.compile(r"\s*\d{1,3}\s*[.、]?\s*$")


def _combined(patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The patterns of one first character as one pattern, tried in the same order: each is
    "^\\s*" then a part opening with a character other than a space, so the spaces are the same for
    all and the first alternative that matches is the first pattern that matches. Its number is
    group k + 1 for the k-th pattern."""
    parts = []
    for _, pattern in patterns:
        body = pattern.pattern
        assert body.startswith(r"^\s*"), body
        parts.append(body[len(r"^\s*") :].replace("(?P<n>", "(", 1))
    return re.compile(r"^\s*(?:" + "|".join(f"(?:{part})" for part in parts) + ")"), tuple(s for s, _ in patterns)


# One match per line instead of one per style (numbering_of is asked of every line, several times).
_COMBINED_BY_FIRST = {ch: _combined(patterns) for ch, patterns in _BY_FIRST.items()}


class Numbering(NamedTuple):
    """A paragraph's number: its style, its ref token as written (ASCII brackets), where the text
    starts (a named tuple: immutable, and cheaper to make than a frozen dataclass; every numbered
    line makes one)."""

    style: str
    token: str
    end: int


def numbering_of(line: str, *, folded: bool = False) -> Numbering | None:
    """The numbering that opens ``line``, if any (``folded``: the line is folded already)."""
    folded_line = line if folded else fold(line)
    first = folded_line[:1]
    if first.isspace():
        first = folded_line.lstrip()[:1]
    combined = _COMBINED_BY_FIRST.get(first)
    if combined is None:
        return None  # most lines: no pattern needs trying
    pattern, styles = combined
    match = pattern.match(folded_line)
    if match is None:
        return None
    number = match.lastindex or 0  # the one group of the alternative that matched
    style = styles[number - 1]
    if style == "arabic" and _ALONE.match(folded_line):
        return None  # a number alone is not an item
    token = _TOKEN_FORMAT.get(style, "{}").format(match.group(number))
    return Numbering(style, token, match.end())


def _match_numbering(folded: str, patterns: tuple[tuple[str, re.Pattern[str]], ...] = _PATTERNS) -> Numbering | None:
    for style, pattern in patterns:
        match = pattern.match(folded)
        if match:
            if style == "arabic" and _ALONE.match(folded):
                return None  # a number alone is not an item
            token = _TOKEN_FORMAT.get(style, "{}").format(match.group("n"))
            return Numbering(style, token, match.end())
    return None


@dataclass(slots=True)
class Outline:
    """The open numbering path while reading a document top to bottom."""

    stack: list[tuple[str, str]] = field(default_factory=list)  # (style, token)

    def enter(self, numbering: Numbering) -> list[str]:
        """Place a numbered paragraph; returns its path components, top level first."""
        stack, style = self.stack, numbering.style
        for index, (open_style, _) in enumerate(stack):
            if open_style == style:
                del stack[index:]
                break
        stack.append((style, numbering.token))
        return [token for _, token in stack]

    def reset(self) -> None:
        self.stack.clear()

    @property
    def path(self) -> list[str]:
        return [token for _, token in self.stack]

    @property
    def depth(self) -> int:
        return len(self.stack)
