"""Deadlines (完成时限) read out of a measure's text or a table's 完成时限 cell; pure functions.

A deadline comes back twice: as written ("2017年底") and as an ISO date, or a partial
ISO date where the text gives no more ("2019年6月前" → "2019-06", "到2020年" → "2020").
Standing duties (长期坚持, 持续推进) have text but no date.

>>> extract_deadline("到2017年底，各市县都要设立政策性融资担保机构。")
('2017年底', '2017-12-31')
>>> read_deadline_cell(" 长期坚持 ")
('长期坚持', None)
"""

from __future__ import annotations

import bisect
import calendar
import re

from policykg.graph.model import Target
from policykg.loaders.scan import Scanner
from policykg.loaders.targets import chinese_number, extract_targets

_DIGITS = "0-9０-９"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_MONTH = rf"[{_DIGITS}]{{1,2}}|十[一二]?|[一二三四五六七八九]"
_DAY = rf"[{_DIGITS}]{{1,2}}"

# 2018年 / 2018年6月 / 2018年6月30日, then an optional period word and an optional "before" word.
_DATE = re.compile(
    rf"(?>(?P<year>[12１２][{_DIGITS}]{{3}})年"
    rf"(?:(?P<month>{_MONTH})月(?:(?P<day>{_DAY})[日号])?)?"
    r"(?P<period>底|末|年底|年末|中|年中|上半年|下半年|第?[一二三四1-4１-４]季度)?"
    r"(?P<before>前|之前|以前)?)"
    r"(?!起|开始|以来|至今)"  # 2018年起 starts something; it is no deadline
)
_LEAD_IN = re.compile(r"(?:到|至|截至|截止到?)$")
_RANGE_START = re.compile(rf"[12１２][{_DIGITS}]{{3}}年?\s*[—\-－~～至到]\s*$")
_LABELLED = re.compile(r"(?:完成时限|完成时间|时间要求|时限要求|时间节点)\s*[:：]\s*(?P<value>[^，,。；;）)\n]+)")
# (Searched in every measure: tried only where the characters it needs are, by substring tests.)
_LABELLED_NEEDS = Scanner(_LABELLED)
_ONGOING = re.compile(
    r"^(?:长期坚持|长期推进|长期|持续推进|持续实施|持续开展|持续|常态化推进|常态化|逐年推进|逐步推进|分步实施|按年度推进|每年)"
    r"(?:[^\d０-９]{0,6})$"
)
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def _number(text: str) -> int:
    """Arabic (also full-width) or simple Chinese numerals up to 31."""
    text = text.translate(_FULLWIDTH)
    if text.isdigit():
        return int(text)
    return chinese_number(text) or 0


def _iso(match: re.Match[str]) -> str | None:
    """The date a match names, as full or partial ISO; None when it does not read as a date."""
    year = int(match.group("year").translate(_FULLWIDTH))
    period = match.group("period") or ""
    if match.group("month"):
        month = _number(match.group("month"))
        if not 1 <= month <= 12:
            return None
        last_day = calendar.monthrange(year, month)[1]
        if match.group("day"):
            day = int(match.group("day").translate(_FULLWIDTH))
            return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= last_day else None
        if period in ("底", "末"):
            return f"{year:04d}-{month:02d}-{last_day:02d}"
        if period in ("中",):
            return f"{year:04d}-{month:02d}-15"
        return f"{year:04d}-{month:02d}"
    if period in ("底", "末", "年底", "年末", "下半年"):
        return f"{year:04d}-12-31"
    if period in ("中", "年中", "上半年"):
        return f"{year:04d}-06-30"
    if period.endswith("季度"):
        quarter = _number(period.removeprefix("第").removesuffix("季度"))
        month, day = _QUARTER_END[quarter]
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}"


def _sort_key(iso: str) -> tuple[int, int, int]:
    parts = [int(p) for p in iso.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else 31
    return year, month, day


# How far back the checks before a date look (到, 2017—, 比 …). Each pattern anchored at the
# date needs a few characters; whitespace aside, 2017 — 2019年 is the longest at about 8, so this
# window sees all of it, and it keeps each date's checks from reading the whole text before it.
_LOOKBEHIND_CHARS = 64


def _dated_phrases(text: str, *, require_marker: bool, targets: list[Target] | None = None) -> list[tuple[str, str]]:
    """(as written, ISO) for every date in ``text`` that reads as a deadline."""
    found: list[tuple[str, str]] = []
    if "年" not in text:
        return found  # every date is written with 年 (the quick answer for most measures)
    target_years = _TargetYears(text, targets)
    for match in _DATE.finditer(text):
        before = text[max(0, match.start() - _LOOKBEHIND_CHARS) : match.start()]
        has_lead_in = bool(_LEAD_IN.search(before))
        has_marker = bool(match.group("period") or match.group("before"))
        if _RANGE_START.search(before) and not has_marker:
            continue  # 2017—2019年: a period a policy runs, not a deadline
        if before.endswith(("比", "较", "同比", "相比", "与")):
            continue  # a base year: 比2015年下降15%
        if require_marker and not (has_lead_in or has_marker):
            continue
        if require_marker and target_years.is_target_year(match):
            continue
        iso = _iso(match)
        if iso is not None:
            found.append((match.group(0), iso))
    return found


_SENTENCE_END = re.compile(r"[。！？!?\n]")


class _TargetYears:
    """The years the numeric targets of each sentence of ``text`` are tied to, each sentence
    read once however many dates it holds (a run of dates in one sentence stays linear).
    ``targets``, when the caller has them, are ``extract_targets(text)``: each sentence's are then
    those whose span starts in it (extract_targets reads sentence by sentence, so they are the same)."""

    def __init__(self, text: str, targets: list[Target] | None = None) -> None:
        self._text = text
        self._targets = targets
        self._sentence_ends: list[int] | None = None
        self._years: dict[tuple[int, int], set[int]] = {}

    def _sentence_around(self, position: int) -> tuple[int, int]:
        if self._sentence_ends is None:
            self._sentence_ends = [m.start() for m in _SENTENCE_END.finditer(self._text)]
        ends = self._sentence_ends
        index = bisect.bisect_left(ends, position)
        start = ends[index - 1] + 1 if index > 0 else 0
        return start, (ends[index] if index < len(ends) else len(self._text))

    def is_target_year(self, match: re.Match[str]) -> bool:
        """力争到2020年，新增…20家: the year belongs to the targets of its sentence, not to a deadline."""
        bounds = self._sentence_around(match.start())
        if bounds not in self._years:
            if self._targets is not None:
                start, end = bounds
                found = [t for t in self._targets if t.span is not None and start <= t.span[0] < end]
            else:
                found = extract_targets(self._text[bounds[0] : bounds[1]])
            self._years[bounds] = {t.year for t in found if t.year is not None}
        return int(match.group("year").translate(_FULLWIDTH)) in self._years[bounds]


def _latest(found: list[tuple[str, str]]) -> tuple[str, str] | None:
    return max(found, key=lambda item: _sort_key(item[1])) if found else None


def read_deadline_cell(cell: str) -> tuple[str | None, str | None]:
    """Read a table's 完成时限 cell: the whole cell as written, and the latest date in it.

    A bare year counts here (the column says it is a deadline).

    >>> read_deadline_cell("2018年6月底前")
    ('2018年6月底前', '2018-06-30')
    >>> read_deadline_cell("2019年")
    ('2019年', '2019')
    >>> read_deadline_cell("持续推进")
    ('持续推进', None)
    >>> read_deadline_cell("")
    (None, None)
    """
    written = " ".join(cell.split())
    if not written:
        return None, None
    latest = _latest(_dated_phrases(written, require_marker=False))
    return written, (latest[1] if latest else None)


def extract_deadline(text: str, *, targets: list[Target] | None = None) -> tuple[str | None, str | None]:
    """The deadline a measure's text states, as written and as (partial) ISO date; ``targets`` are
    ``extract_targets(text)`` when the caller has read them already (they are not read twice).

    A year that a numeric target in the same sentence is tied to is that target's year, not a
    deadline. A date counts when introduced by 到/至/截至 or closed by 底/末/前/季度 …;
    where several are stated the latest wins (the measure is done by then). A text that is
    only a standing-duty phrase (长期坚持) gives that phrase with no date.

    >>> extract_deadline("2012年10月底前完成清理工作。")
    ('2012年10月底前', '2012-10-31')
    >>> extract_deadline("到2020年底前完成清理。")
    ('2020年底前', '2020-12-31')
    >>> extract_deadline("力争到2020年，新增工业机器人20000台。")  # the year of a target
    (None, None)
    >>> extract_deadline("持续推进")
    ('持续推进', None)
    >>> extract_deadline("国务院办公厅已于2017年印发通知。")
    (None, None)
    """
    labelled = _LABELLED.search(text) if _LABELLED_NEEDS.may_match_in(text) else None
    if labelled:
        return read_deadline_cell(labelled.group("value"))
    latest = _latest(_dated_phrases(text, require_marker=True, targets=targets))
    if latest:
        return latest
    stripped = text.strip().rstrip("。.；;")
    if _ONGOING.match(stripped):
        return stripped, None
    return None, None
