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
from dataclasses import dataclass

from policykg.loaders.normalise import fold

SEPARATORS = frozenset("、,;")
_OPEN = "([〔《“‘<{"
_CLOSE = ")]〕》”’>}"
_MARKS = re.compile("[" + re.escape("".join(SEPARATORS) + _OPEN + _CLOSE) + "]")

# The first half of a collective: an administrative level after a collective prefix, or alone.
_FRAGMENT = re.compile(
    r"^(?:|.*(?:各|有关|相关|所在|所属|的|及其|全省|全市))(?:省|市|县|区|地|州|盟|旗|乡|镇|自治区|自治州|直辖市)$"
)
# A piece that starts a collective of its own, so the fragment before it is a unit ("各地、各部门").
_NEW_COLLECTIVE = re.compile(r"\s*(?:各|有关|相关|全)")
# 等 that ends a list (not 高等, 平等, 同等 …), optionally followed by a generic tail.
_ETC = re.compile(
    r"(?<![高平同中初对均相])等(?=$|和|及|以及|与|(?:省|市|县|区|省级|市级|县级|区级|国务院)?(?:有关|相关|各)"
    r"|其他|其它|部门|单位|机构|地方)"
)
# 和/及 between two units where the second is a collective: "国务院有关部门和各地区",
# "市级各有关部门及各县市区政府". Never inside a name ("文化和旅游部", "中央和国家机关工委").
_AND_COLLECTIVE = re.compile(
    r"(?:以及|和|及|与)(?=各|(?:省|市|县|区|省级|市级|县级|区级|国务院)?(?:有关|相关)|其他|其它)"
)
_AND = re.compile(r"以及|和|及|与")
# A name that is complete before 和: it ends like a ministry, commission or bureau and is more
# than a subject word ("生态环境部和…" splits; "文化和旅游部", "中央和国家机关工委" do not).
_UNIT_BEFORE_AND = re.compile(r"..(?:部|委|局|厅|署|办|总局|委员会|人民政府|政府|银行|中心)\s*$")
_TAIL_JOINER = re.compile(r"^(?:以及|和|及|与)")
_EMPTY_TAILS = frozenset({"", "部门", "单位", "机构", "部门和单位", "单位和部门", "部门单位", "单位部门"})
_STRIP = " \t\n“”\"'‘’「」·.。:："


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit name as written and its offsets in the text the list came from."""

    text: str
    start: int
    end: int


def split_units(text: str, offset: int = 0, folded: str | None = None) -> list[Unit]:
    """Split a list of unit names; offsets are ``offset`` plus the position in ``text``.

    ``folded`` is ``fold(text)`` when the caller has it already.
    """
    if folded is None:
        folded = fold(text)
    pieces = _split_top_level(folded)
    merged = _merge_collectives(folded, pieces)
    units: list[Unit] = []
    for start, end in merged:
        for s, e in _split_etc(folded, start, end):
            for s2, e2 in _split_and(folded, s, e):
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


def _merge_collectives(folded: str, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        start, end, sep = pieces[i]
        last = folded[start:end].strip()
        while (
            sep == "、"
            and _FRAGMENT.match(last)
            and i + 1 < len(pieces)
            and not _NEW_COLLECTIVE.match(folded, pieces[i + 1][0])
        ):
            i += 1
            next_start, end, sep = pieces[i]
            last = folded[next_start:end].strip()
        merged.append((start, end))
        i += 1
    return merged


def _split_etc(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    segment = folded[start:end]
    match = None
    for candidate in _ETC.finditer(segment):
        match = candidate
        break
    if match is None:
        return [(start, end)]
    head = (start, start + match.start())
    tail_start = start + match.end()
    tail = folded[tail_start:end]
    joiner = _TAIL_JOINER.match(tail)
    if joiner:
        tail_start += joiner.end()
        tail = tail[joiner.end() :]
    if tail.strip(_STRIP) in _EMPTY_TAILS:
        return [head]
    return [head, (tail_start, end)]


def _split_and(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split at 和/及 that joins a collective to the unit before it (see ``_AND_COLLECTIVE``), or
    that follows a complete ministry/bureau name ("生态环境部和国家林草局")."""
    parts: list[tuple[int, int]] = []
    cursor = start
    for match in _AND.finditer(folded, start, end):
        if match.start() <= cursor or _inside(folded, start, match.start()):
            continue
        collective = _AND_COLLECTIVE.match(folded, match.start())
        # A name after it, not a bare word ("各级党委和政府" is one collective).
        named = _UNIT_BEFORE_AND.search(folded, cursor, match.start()) and end - match.end() >= 3
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
