"""Splitting a written list of units ("A、B等和各有关省级人民政府") into unit names.

Separators are 、，,；; — never inside brackets of any kind. A name that is only an
administrative level with a collective prefix ("各市", "所在市", "县") is the first half of
a collective such as "各市、县(市、区)政府" and is joined to what follows its 、. A trailing
等 is dropped; "等和…"/"等有关部门" start a generic tail that is a unit of its own, while a
bare "等部门" names nobody.

>>> [u.text for u in split_units("各市、县(市、区)政府,省金融办、省经信委")]
['各市、县(市、区)政府', '省金融办', '省经信委']
>>> [u.text for u in split_units("扶贫办、全国总工会等和各省级人民政府")]
['扶贫办', '全国总工会', '各省级人民政府']
>>> [u.text for u in split_units("海关总署、商务部等有关部门")]
['海关总署', '商务部', '有关部门']
>>> [u.text for u in split_units("自然资源部、生态环境部和国家林草局")]
['自然资源部', '生态环境部', '国家林草局']
>>> [u.text for u in split_units("各地、各部门")]
['各地', '各部门']
>>> [u.text for u in split_units("人民银行等部门")]
['人民银行']
>>> [u.text for u in split_units("能源局等省有关部门和各地级以上市人民政府")]
['能源局', '省有关部门', '各地级以上市人民政府']
>>> [u.text for u in split_units("文化和旅游部、市级各有关部门及各县市区政府")]
['文化和旅游部', '市级各有关部门', '各县市区政府']
"""

from __future__ import annotations

import re
from typing import NamedTuple

from policykg.loaders.lexicon import Lexicon, default_lexicon
from policykg.loaders.normalise import fold

SEPARATORS = frozenset("、,;")
_OPEN = "([〔《“‘<{"
_CLOSE = ")]〕》”’>}"
_MARKS = re.compile("[" + re.escape("".join(SEPARATORS) + _OPEN + _CLOSE) + "]")

_STRIP = " \t\n“”\"'‘’「」·.。:："


class Unit(NamedTuple):
    """One unit name as written and its offsets in the text the list came from (a named tuple:
    immutable, and made several times faster than a frozen dataclass; readings make many)."""

    text: str
    start: int
    end: int


def split_units(text: str, offset: int = 0, folded: str | None = None, *, lexicon: Lexicon | None = None) -> list[Unit]:
    """Split a list of unit names; offsets are ``offset`` plus the position in ``text``.

    ``folded`` is ``fold(text)`` when the caller has it already; the words (collective forms,
    generic tails, joiners) are the lexicon's.
    """
    lex = lexicon or default_lexicon()
    if folded is None:
        folded = fold(text)
    pieces = _split_top_level(folded)
    merged = _merge_collectives(folded, pieces, lex)
    units: list[Unit] = []
    for start, end in merged:
        for s, e in _split_etc(folded, start, end, lex):
            for s2, e2 in _split_and(folded, s, e, lex):
                unit = _trim(text, s2, e2, offset)
                if unit is not None:
                    units.append(unit)
    return units


def _split_top_level(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, separator that ended it) for each piece outside brackets."""
    pieces: list[tuple[int, int, str]] = []
    depth = 0
    start = 0
    for match in _MARKS.finditer(folded):
        ch, i = match.group(), match.start()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            pieces.append((start, i, ch))
            start = i + 1
    pieces.append((start, len(folded), ""))
    return pieces


def _merge_collectives(folded: str, pieces: list[tuple[int, int, str]], lex: Lexicon) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        start, end, sep = pieces[i]
        last = folded[start:end].strip()
        while (
            sep == "、"
            and lex.fragment.match(last)
            and i + 1 < len(pieces)
            and not lex.collective_start.match(folded, pieces[i + 1][0])
        ):
            i += 1
            next_start, end, sep = pieces[i]
            last = folded[next_start:end].strip()
        # "市直有关部门、单位", "各县区政府、开发区管委会": a generic member after a collective is part of it.
        while (
            sep == "、"
            and i + 1 < len(pieces)
            and lex.is_collective(folded[start:end])
            and folded[pieces[i + 1][0] : pieces[i + 1][1]].strip() in lex.generic_members
        ):
            i += 1
            _, end, sep = pieces[i]
        merged.append((start, end))
        i += 1
    return merged


def _split_etc(folded: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    segment = folded[start:end]
    match = None
    for candidate in lex.etc.finditer(segment):
        match = candidate
        break
    if match is None:
        return [(start, end)]
    head = (start, start + match.start())
    tail_start = start + match.end()
    tail = folded[tail_start:end]
    joiner = lex.tail_joiner.match(tail)
    if joiner:
        tail_start += joiner.end()
        tail = tail[joiner.end() :]
    if tail.strip(_STRIP) in lex.empty_tails:
        return [head]
    return [head, (tail_start, end)]


def _split_and(folded: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Split at 和/及 that joins a collective to the unit before it (see ``Lexicon.and_collective``), or
    that follows a complete ministry/bureau name ("生态环境部和国家林草局")."""
    parts: list[tuple[int, int]] = []
    cursor = start
    for match in lex.joiner.finditer(folded, start, end):
        if match.start() <= cursor or _inside(folded, start, match.start()):
            continue
        collective = lex.and_collective.match(folded, match.start())
        # A name after it, not a bare word ("各级党委和政府" is one collective).
        named = lex.unit_before_and.search(folded, cursor, match.start()) and end - match.end() >= 3
        if collective or named:
            parts.append((cursor, match.start()))
            cursor = match.end()
    parts.append((cursor, end))
    return parts


def _inside(folded: str, start: int, position: int) -> bool:
    depth = 0
    for ch in folded[start:position]:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
    return depth > 0


def _trim(text: str, start: int, end: int, offset: int) -> Unit | None:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip(_STRIP))
    stripped = piece.strip(_STRIP)
    if not stripped:
        return None
    s = start + left
    end = s + len(stripped)
    if "\n" in stripped:
        # A name broken by a hard line wrap ("财政\n部") is one name.
        stripped = _WRAP.sub("", stripped)
    return Unit(stripped, offset + s, offset + end)


_WRAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]*\n\s*(?=[\u4e00-\u9fff(（])")
