"""The day a measure falls due: its deadline normalised to one ISO date, where that is sound.

The parser keeps each deadline as written and as a full or partial ISO date ("2019-06" for
2019年6月前, "2020" for 到2020年). A timeline needs one day, so a partial date becomes the last
day of its period. Deadlines written relative to the document resolve against its date:
年底前 is the end of the document's year, 本意见印发之日起30日内 is the issue date plus 30 days,
N个月内 likewise. Standing duties (持续推进) and anything else have no due date; the deadline as
written is always kept beside it.

>>> due_date("2019年6月底前", "2019-06-30")
('2019-06-30', False)
>>> due_date("到2020年", "2020")
('2020-12-31', False)
>>> due_date("年底前", None, document_date="2018-12-23")
('2018-12-31', True)
>>> due_date("本意见印发之日起30日内", None, document_date="2019-01-12")
('2019-02-11', True)
>>> due_date("持续推进", None, document_date="2019-01-12")
(None, False)
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from policykg.loaders.targets import chinese_number

_ISO = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
# Relative periods counted from the document's date: 印发之日起30日内, 3个月内, 半年内.
_WITHIN = re.compile(
    r"(?:(?:印发|发布|出台|实施)之日起)?\s*(?P<n>\d+|[一二两三四五六七八九十]+|半)\s*"
    r"(?P<unit>个?工作日|日|天|周|个?月|年)(?:内|之内|以内)"
)
_END_OF_YEAR = re.compile(r"^(?:今年|当年|本年度?)?\s*(?:年底|年末)(?:前|之前)?$")
_END_OF_HALF = re.compile(r"^(?:今年|当年)?\s*(?P<half>上半年|年中|下半年)(?:前|之前|底前|末前)?$")
_MONTH_ONLY = re.compile(
    r"^(?:今年|当年)?\s*(?P<month>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月(?:底|末)?(?:前|之前)?(?:完成)?$"
)


def due_date(
    deadline: str | None, deadline_date: str | None, *, document_date: str | None = None
) -> tuple[str | None, bool]:
    """(ISO due date or None, whether it was derived from the document's date)."""
    if deadline_date:
        full = end_of_period(deadline_date)
        if full is not None:
            return full, False
    if not deadline or not document_date:
        return None, False
    issued = _parse_iso(document_date)
    if issued is None:
        return None, False
    text = "".join(deadline.split())
    if _END_OF_YEAR.match(text):
        return date(issued.year, 12, 31).isoformat(), True
    half = _END_OF_HALF.match(text)
    if half:
        return (date(issued.year, 6, 30) if half["half"] != "下半年" else date(issued.year, 12, 31)).isoformat(), True
    month = _MONTH_ONLY.match(text)
    if month:
        number = _number(month["month"])
        if 1 <= number <= 12:
            year = issued.year if number >= issued.month else issued.year + 1
            return date(year, number, calendar.monthrange(year, number)[1]).isoformat(), True
    within = _WITHIN.search(text)
    if within:
        return _add(issued, within["n"], within["unit"]).isoformat(), True
    return None, False


def end_of_period(iso: str) -> str | None:
    """A full or partial ISO date as the last day of the period it names.

    >>> end_of_period("2019"), end_of_period("2019-02"), end_of_period("2019-02-10")
    ('2019-12-31', '2019-02-28', '2019-02-10')
    """
    match = _ISO.match(iso.strip())
    if not match:
        return None
    year = int(match["year"])
    if match["day"]:
        return _valid(year, int(match["month"]), int(match["day"]))
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            return None
        return date(year, month, calendar.monthrange(year, month)[1]).isoformat()
    return date(year, 12, 31).isoformat()


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _parse_iso(text: str) -> date | None:
    full = end_of_period(text) if len(text) < 10 else text
    try:
        return date.fromisoformat(full) if full else None
    except ValueError:
        return None


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    return chinese_number(text) or 0


def _add(start: date, amount: str, unit: str) -> date:
    if amount == "半":  # 半年内, 半个月内
        return start + (timedelta(days=182) if unit == "年" else timedelta(days=15))
    n = _number(amount)
    if unit.endswith("工作日"):
        day = start
        while n > 0:
            day += timedelta(days=1)
            n -= day.weekday() < 5
        return day
    if unit in ("日", "天"):
        return start + timedelta(days=n)
    if unit == "周":
        return start + timedelta(weeks=n)
    months = n * 12 if unit == "年" else n
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
