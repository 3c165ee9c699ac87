"""Layout independence: the paragraphs of a document, whatever its line breaks.

Crawled copies run paragraphs together on one line; PDF and fixed-width copies break every
paragraph at a width. The parser reads paragraphs, so before it runs :func:`paragraph_view`
gives a view of the text with one paragraph per line: lines cut at a fixed width are joined
again, and numbered paragraphs run together are split where the numbering goes on (the next
number of an open level, or the first of a new level after a sentence or a heading). The view
keeps, for every character, its offset in the text, so spans still point into the document.

A document already laid out one paragraph per line is its own view (nothing is changed).

>>> source = "一、主要任务（一）推进创新。（省科技厅负责）（二）推进改革。（省发展改革委负责）"
>>> view = paragraph_view(source)
>>> view.text.split("\\n")
['一、主要任务', '（一）推进创新。（省科技厅负责）', '（二）推进改革。（省发展改革委负责）']
>>> view.source_offset(view.text.index("（二）")) == source.index("（二）")
True
>>> paragraph_view("一、任务\\n1.统一、规范标准。").changed
False
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from policykg.loaders.lexicon import Lexicon, default_lexicon
from policykg.loaders.normalise import fold
from policykg.loaders.numbering import Numbering, numbering_of
from policykg.loaders.scan import may_match_in

MIN_WRAPPED_LINES = 4
WRAPPED_SHARE = 0.1
MIN_WIDTH = 6
MAX_HEADING = 40
NUMBERING_WINDOW = 24  # a paragraph number and the characters that tell it from a quantity

# Where a numbered paragraph may start inside a line: the numeral forms of numbering.py, i.e.
#   \(\s*[一…〇\d]{1,4}\s*\)  |  (?<![一…〇])[一…百]{1,4}\s*、  |  (?<![\d.])\d{1,3}\s*[.、](?!\d+[.、%])
#   |  [①-⑳㉑-㉟]  |  第[一…十]{1,3}部分
# written so that the pattern opens with one character set: the engine then skips, at C speed, to
# the characters a match can start with (a look-behind opening a branch would make it try the whole
# pattern at every position). Each branch checks its first character again and moves its
# look-behind one character on; the matches are the same. The opening set is a superset of the
# first characters: all but ranges of ASCII, punctuation and ideographs that hold no decimal digit
# (\d, tested by tests/test_layout_independence.py) and no first character — testing \d itself
# for every character of the text costs three times as much.
_NO_START_NOR_DIGIT = (
    (0x00, 0x27), (0x29, 0x2F), (0x3A, 0x7F),  # ASCII but "(" and the digits
    (0x2000, 0x206F), (0x3000, 0x303F), (0x3400, 0x4DBF),  # general and CJK punctuation, CJK extension A
    (0xFF00, 0xFF0F), (0xFF1A, 0xFFEF),  # full-width forms but the digits
)  # fmt: skip
_IDEOGRAPH_STARTS = "一七三九二五八六十四百第"  # in code-point order


def _ideographs_but_starts() -> list[tuple[int, int]]:
    ranges, low = [], 0x4E00
    for ch in _IDEOGRAPH_STARTS:
        ranges.append((low, ord(ch) - 1))
        low = ord(ch) + 1
    ranges.append((low, 0x9FFF))
    return [(a, b) for a, b in ranges if a <= b]


_NOT_A_START = _NO_START_NOR_DIGIT + tuple(_ideographs_but_starts())
_CANDIDATE = re.compile(
    "[^" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _NOT_A_START) + "]"
    r"(?:(?<=\()\s*[一二三四五六七八九十百零〇\d]{1,4}\s*\)"
    r"|(?<=[一二三四五六七八九十百])(?<![一二三四五六七八九十百零〇].)[一二三四五六七八九十百]{0,3}\s*、"
    r"|(?<=\d)(?<![\d.].)\d{0,2}\s*[.、](?!\d+[.、%])"
    r"|(?<=[\u2460-\u2473\u3251-\u325f])"
    r"|(?<=第)[一二三四五六七八九十]{1,3}部分)"
)
# A sentence or a clause ends here, so a paragraph may start after it.
_BOUNDARY = frozenset("。!?！？)]】〕")
# A heading has no stop: "三、主要任务", "一、坚持系统集成，推动审批全链条优化", not "2.推进城市更新："
# before an inline ① nor "统一、规范" in a sentence.
_PUNCTUATION = re.compile(r"[。;!?！？:、]")
_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(slots=True)
class ParagraphView:
    """The text with one paragraph per line, and each character's offset in the source."""

    text: str
    source: str
    origin: list[int] | None = None  # None: the view is the source
    folded: str | None = None  # fold(text), when the view had it at hand (None: not computed)
    # What the layout read of each line of an unchanged view, for the parser to read it once:
    # (the line is a part break, the numbering opening it or UNREAD). None: nothing was kept.
    line_facts: list[tuple[bool, Numbering | object | None]] | None = None

    @property
    def changed(self) -> bool:
        return self.origin is not None

    def source_offset(self, offset: int) -> int:
        """The source offset of the view's character at ``offset`` (or of the end)."""
        if self.origin is None:
            return offset
        if offset >= len(self.origin):
            return len(self.source)
        return self.origin[offset]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of the view's ``start:end``."""
        if self.origin is None or end <= start:
            return self.source_offset(start), self.source_offset(start)
        return self.origin[start], self.origin[end - 1] + 1


def paragraph_view(text: str, lexicon: Lexicon | None = None) -> ParagraphView:
    """One paragraph per line: wrapped lines joined, run-together numbered paragraphs split."""
    joined, origin = _join_wrapped(text)
    folded = fold(joined)
    facts: list[tuple[bool, Numbering | object | None]] = []
    split, origin2 = _split_run_on(joined, lexicon or default_lexicon(), folded, facts)
    if origin is None and origin2 is None:
        return ParagraphView(text, text, folded=folded, line_facts=facts)
    composed = _compose(origin, origin2, len(split))
    return ParagraphView(split, text, composed, folded=folded if origin2 is None else None)


def _compose(first: list[int] | None, second: list[int] | None, length: int) -> list[int]:
    if second is None:
        assert first is not None
        return first
    if first is None:
        return second
    return [first[i] for i in second[:length]]


# -- lines cut at a width ----------------------------------------------------------------------


def _wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped text was cut at: most lines have it and none is longer."""
    lengths = [len(line) for line in lines if line.strip() and "|" not in line]
    if len(lengths) < MIN_WRAPPED_LINES:
        return None
    # Lines cut at a width all have that width, the longest; a paragraph's last line is shorter.
    width = max(lengths)
    count = Counter(lengths)[width]
    if width < MIN_WIDTH or count < max(MIN_WRAPPED_LINES - 1, WRAPPED_SHARE * len(lengths)):
        return None
    return width


# A line cannot open a paragraph with these: it goes on the line before ("…各管委会\n、区属各重点国企").
_CONTINUATION = frozenset("、，,。；;：:）)》」』”")


def _continues(line: str) -> bool:
    """Whether the line opens with a character of _CONTINUATION (asked of every line: a set test)."""
    return line[:1] in _CONTINUATION


def _join_wrapped(text: str) -> tuple[str, list[int] | None]:
    lines = text.split("\n")
    width = _wrap_width(lines)
    if width is None and not any(map(_continues, lines[1:])):
        return text, None
    parts: list[str] = []
    origin: list[int] = []
    position = 0
    for index, line in enumerate(lines):
        parts.append(line)
        origin.extend(range(position, position + len(line)))
        position += len(line)
        if index + 1 < len(lines):
            nxt = lines[index + 1]
            # (a cut may fall on a space, so the width counts the line as it is)
            soft = "|" not in line and "|" not in nxt and bool(nxt.strip())
            soft = soft and ((width is not None and len(line) >= width) or _continues(nxt))
            if not soft:
                parts.append("\n")
                origin.append(position)
            position += 1
    return "".join(parts), origin


# -- numbered paragraphs run together ------------------------------------------------------------


def _value(numbering: Numbering) -> int | None:
    return _token_value(numbering.token)


@functools.lru_cache(maxsize=4096)
def _token_value(token: str) -> int | None:
    """The number a paragraph token stands for; every document repeats the same few tokens."""
    token = token.strip("()")
    if token.isascii() and token.isdigit():
        return int(token)
    if len(token) == 1 and 0x2460 <= ord(token) <= 0x2473:
        return ord(token) - 0x2460 + 1
    if len(token) == 1 and 0x3251 <= ord(token) <= 0x325F:
        return ord(token) - 0x3251 + 21
    token = token.removeprefix("第").removesuffix("部分")
    return _cn_number(token)


def _cn_number(token: str) -> int | None:
    if not token or any(ch not in _CN_VALUES and ch not in "十百" for ch in token):
        return None
    if "百" in token:
        hundreds, _, rest = token.partition("百")
        rest_value = _cn_number(rest.lstrip("零〇")) if rest else 0
        return (_CN_VALUES.get(hundreds, 1) if hundreds else 1) * 100 + (rest_value or 0)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return (_CN_VALUES.get(tens, 0) if tens else 1) * 10 + (_CN_VALUES.get(ones, 0) if ones else 0)
    if len(token) == 1:
        return _CN_VALUES[token]
    return None


@dataclass(slots=True)
class _Levels:
    """The open numbering levels: (style, value) top level first."""

    stack: list[tuple[str, int]] = field(default_factory=list)
    # The last number of every style seen: numbering may run on across sections ("二、…（三）").
    last: dict[str, int] = field(default_factory=dict)

    def value_of(self, style: str) -> int | None:
        return next((v for s, v in self.stack if s == style), None)

    def plausible(self, style: str, value: int) -> bool:
        """The next number of a level, the first of a new one, or a level starting again."""
        current = self.last.get(style)
        return value == 1 or (current is not None and value == current + 1)

    def reset(self) -> None:
        self.stack.clear()
        self.last.clear()

    def enter(self, style: str, value: int) -> None:
        styles = [s for s, _ in self.stack]
        if style in styles:
            del self.stack[styles.index(style) :]
        self.stack.append((style, value))
        self.last[style] = value


# A line fact not read (a table row, or a line holding an attachment mark).
UNREAD = object()
_UNREAD_FACT = (False, UNREAD)


def _split_run_on(
    text: str, lexicon: Lexicon, folded: str, facts: list[tuple[bool, Numbering | object | None]]
) -> tuple[str, list[int] | None]:
    """``folded`` is ``fold(text)``; ``facts`` gets what was read of each line (see ParagraphView)."""
    levels = _Levels()
    cuts: list[int] = []
    position = 0
    for line in folded.split("\n"):
        if "|" not in line:
            found = _cuts_in_line(line, levels, lexicon, facts=facts)
            if found:
                cuts.extend(position + cut for cut in found)
        else:
            facts.append(_UNREAD_FACT)
        position += len(line) + 1
    if not cuts:
        return text, None
    parts: list[str] = []
    origin: list[int] = []
    previous = 0
    for cut in cuts:
        end = cut
        while end > previous and text[end - 1] == " ":
            end -= 1  # the spaces before a paragraph's number are not part of the one before
        parts.append(text[previous:end])
        origin.extend(range(previous, end))
        parts.append("\n")
        origin.append(cut)
        previous = cut
    parts.append(text[previous:])
    origin.extend(range(previous, len(text)))
    return "".join(parts), origin


def _cuts_in_line(
    line: str,
    levels: _Levels,
    lexicon: Lexicon,
    *,
    part_start: bool = False,
    facts: list[tuple[bool, Numbering | object | None]] | None = None,
) -> list[int]:
    """Offsets in ``line`` where a run-together numbered paragraph starts (updating ``levels``);
    ``part_start``: the line follows a part mark, so its first words may be the part's title.
    ``facts`` (a whole line's reading only) gets whether the line is a part break and its numbering."""
    stripped = line.strip()
    # The part-break and attachment patterns are tried only on a line holding every character one of
    # their ways of matching needs (most lines hold neither): substring tests, no engine call.
    if may_match_in(lexicon.part_break_needs, line) and lexicon.part_break.match(stripped):
        levels.reset()  # an attachment numbers from 一 again
        if facts is not None:
            facts.append((True, UNREAD))
        return []
    marks = (
        [m for m in lexicon.attachment_mark.finditer(line) if m.start() > 0 or m.end() < len(line)]
        if lexicon.attachment_mark.may_match_in(line)
        else []
    )
    if not marks and not stripped:
        if facts is not None:
            facts.append((False, None))  # (a blank line opens with no numbering)
        return []  # a blank line: no numbering opens it and no paragraph number stands in it
    if marks:
        if facts is not None:
            facts.append(_UNREAD_FACT)
        # "…办公室2017年7月3日附件1浙江省…方案一、总体要求": the attachment mark is a line of its own.
        cuts: list[int] = []
        start = 0
        for mark in marks:
            cuts.extend(
                start + c for c in _cuts_in_line(line[start : mark.start()], levels, lexicon, part_start=start > 0)
            )
            levels.reset()
            cuts.extend(c for c in (mark.start(), mark.end()) if 0 < c < len(line))
            start = mark.end()
        cuts.extend(start + c for c in _cuts_in_line(line[start:], levels, lexicon, part_start=True))
        return sorted(set(cuts))
    cuts = []
    head = numbering_of(line, folded=True)
    if facts is not None:
        facts.append((False, head))
    segment_numbered = False
    marker_end = 0
    if head is not None:
        value = _value(head)
        if value is not None:
            levels.enter(head.style, value)
        segment_numbered, marker_end = True, head.end
    elif part_start:
        segment_numbered = True  # "附件1" then "浙江省…方案1.…": the part's title heads its first paragraph
    for match in _CANDIDATE.finditer(line, 1):
        p = match.start()
        if p <= marker_end:
            continue
        numbering = numbering_of(line[p : p + NUMBERING_WINDOW], folded=True)
        if numbering is None or numbering.style in ("ordinal_word",):
            continue
        value = _value(numbering)
        if value is None or not levels.plausible(numbering.style, value):
            continue
        back = p - 1
        while back >= 0 and line[back].isspace():
            back -= 1  # (a scan, not a slice: lines run together can be long)
        if back < 0:
            continue
        previous = line[back]
        if previous.isdigit() or previous == "第" or (previous == ":" and numbering.style != "cn"):
            continue  # "第2", "附件：1.…", "包括：（1）…" are no paragraphs of their own
        after = p + numbering.end
        if numbering.style == "arabic" and line[after : after + 1].isdigit() and previous not in _BOUNDARY:
            continue  # "达到2.5万吨" is a quantity; "。1.2024年底前…" is a paragraph
        heading = segment_numbered and 0 < back + 1 - marker_end <= MAX_HEADING
        heading = heading and bool(line[marker_end:p].strip()) and not _PUNCTUATION.search(line, marker_end, p)
        restart = value == 1 and levels.value_of(numbering.style) is not None
        if restart:
            # A level numbered from 1 again (the next part, or a list inside a sentence: "统一、")
            # only after a sentence or a clause has ended.
            if previous not in _BOUNDARY:
                continue
        elif not (
            previous in _BOUNDARY
            or (previous == ":" and numbering.style == "cn")  # "现提出以下意见：一、指导思想…"
            or heading
            or (value >= 2 and numbering.style not in ("cn", "ordinal"))
            or _heads_a_section(line, p + numbering.end)
        ):
            continue
        cuts.append(p)
        levels.enter(numbering.style, value)
        segment_numbered, marker_end = True, p + numbering.end
    return cuts


def _heads_a_section(line: str, start: int, sibling: int = 2) -> bool:
    """Whether a heading starts at ``start``: a few words with no stop, then the first paragraph of
    a new level or the next heading ("一、总体要求（一）指导思想…", "一、总体要求(略)二、…" after a
    title written without a stop)."""
    for match in _CANDIDATE.finditer(line, start, start + MAX_HEADING + 1):
        p = match.start()
        if p == start or _PUNCTUATION.search(line, start, p):
            return False
        numbering = numbering_of(line[p : p + NUMBERING_WINDOW], folded=True)
        if numbering is not None and _value(numbering) in (1, sibling):
            return True
    # A few words ending the line are a heading too.
    return len(line) - start <= MAX_HEADING and not _PUNCTUATION.search(line, start) and bool(line[start:].strip())
