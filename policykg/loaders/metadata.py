"""Document metadata read from the non-measure parts: title, 文号, issuer, dates, cited documents.

>>> lines = ["国务院关于促进综合保税区", "高水平开放高质量发展的若干意见", "国发〔2019〕3号", "…",
...          "国务院", "2019年1月12日"]
>>> meta = read_metadata(lines, source="a.txt")
>>> meta.title, meta.doc_number, meta.issuer, meta.date_written
('国务院关于促进综合保税区高水平开放高质量发展的若干意见', '国发〔2019〕3号', '国务院', '2019-01-12')
>>> normalise_doc_number("国发[2019]3号")
'国发〔2019〕3号'
"""

from __future__ import annotations

import re
from pathlib import PurePath

from policykg.graph.model import DocumentMeta
from policykg.loaders.lexicon import default_lexicon
from policykg.loaders.normalise import fold
from policykg.loaders.numbering import numbering_of
from policykg.loaders.scan import Scanner, context_free

_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}  # fmt: skip
_YEAR = r"(?:\d{4}|[〇○零一二三四五六七八九]{4})"
_MD = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_DATE = rf"(?P<y>{_YEAR})\s*年\s*(?P<m>{_MD})\s*月\s*(?P<d>{_MD})\s*日"
_DATE_LINE = re.compile(rf"^\s*{_DATE}\s*$")
# The words (labels, title and issuer endings, chrome) are the lexicon's [metadata].
_LEX = default_lexicon()
_META = _LEX.data.metadata
_ISSUED_LINE = re.compile(rf"{_DATE}\s*{re.escape(_META.issued_word)}\s*$")
_PUBLISHED = re.compile(
    r"(?:" + "|".join(map(re.escape, _META.published_labels)) + r")\s*[:]\s*(?P<iso>\d{4}-\d{1,2}-\d{1,2})"
)
_DOC_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,12})\s*[〔\[(【［（](?P<y>\d{4})[〕\])】］）]\s*(?P<n>\d{1,4})\s*号"
)
_TITLE_END = _LEX.title_end
_ISSUER_END = _LEX.issuer_end
_IMPLEMENTS = re.compile(_META.implements)
_ATTACHMENTS = re.compile(r"^\s*附\s*件\s*[:]\s*(?P<rest>.*)$")
_ATTACHMENT_ITEM = re.compile(r"^\s*(?P<n>\d{1,2})\s*[.、]\s*(?P<title>.+?)\s*$")
_CHROME = _LEX.chrome


def normalise_doc_number(number: str) -> str:
    """A 文号 with its year in 〔〕, whatever brackets it was written with."""
    match = _DOC_NUMBER.search(fold(number))
    if not match:
        return number.strip()
    return f"{match.group('org')}〔{match.group('y')}〕{match.group('n')}号"


def iso_date(year: str, month: str, day: str) -> str | None:
    """``2017``/``二〇一七``, ``7``/``七``, ``3`` → ``2017-07-03`` (None when not a date)."""
    y = int("".join(_CN_DIGITS.get(ch, ch) for ch in year))
    m, d = _small_number(month), _small_number(day)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _small_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return int(_CN_DIGITS.get(tens, "1") if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0)
    return int(_CN_DIGITS.get(text, "0"))


def read_metadata(lines: list[str], *, source: str | None, folded_lines: list[str] | None = None) -> DocumentMeta:
    """Metadata from the document's lines (clean text, one paragraph per line).

    ``folded_lines`` are the same lines through :func:`fold`, when the caller has them.
    """
    folded = [line.strip() for line in (folded_lines if folded_lines is not None else map(fold, lines))]
    # The lines as one text: a word no line holds is missing from it too (one substring test, at
    # memory speed, instead of one per line).
    whole = "\n".join(folded)
    # A government web page's metadata table ("发文字号： | 国发〔2019〕3号") says it outright.
    labelled = _labelled_fields(folded)
    doc_number, number_line = _doc_number(folded)
    if "number" in labelled and _DOC_NUMBER.search(labelled["number"]):
        doc_number = normalise_doc_number(labelled["number"])
    title = (
        labelled.get("title")
        or _title(lines, folded, number_line)
        or (PurePath(source).stem if source else "untitled document")
    )
    meta = DocumentMeta(title=title, doc_number=doc_number, source=source)
    meta.date_written, signature_line = _date_written(folded)
    if meta.date_written is None and "written" in labelled:
        meta.date_written = _any_date(labelled["written"])
    meta.issuer = _issuer(folded, signature_line, title) if "issuer" not in labelled else labelled["issuer"]
    # Without a printing line ("…2017年7月10日印发") a document is issued on the date it is signed.
    meta.date_issued = (_date_issued(folded) if _META.issued_word in whole else None) or meta.date_written
    if "published" in labelled:
        meta.date_published = _any_date(labelled["published"])
    else:
        published = next((m for m in (_PUBLISHED.search(line) for line in folded if ":" in line) if m), None)
        if published:
            y, mo, d = published.group("iso").split("-")
            meta.date_published = iso_date(y, mo, d)
    meta.implements = _implements(folded, doc_number, whole)
    meta.attachments = _attachments(lines, folded) if "附" in whole else []
    return meta


_FIELD_LABELS = _META.field_labels
_FIELDS = {
    key: re.compile(rf"(?:^|\|)\s*(?:{words})\s*:\s*(?:\|\s*)?(?P<value>[^|]+?)\s*(?=\||$)")
    for key, words in _FIELD_LABELS.items()
}
# Every field pattern holds "label:", so a line without any label before a ":" is no field line.
# (A scan.Scanner: the engine finds no quick start in an alternation of groups and would try the
# whole pattern at every position of every line with a colon.)
_ANY_FIELD = Scanner(re.compile(r"(?:" + "|".join(f"(?:{words})" for words in _FIELD_LABELS.values()) + r")\s*:"))
_ANY_DATE = re.compile(rf"{_DATE}|(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})")


def _labelled_fields(folded: list[str]) -> dict[str, str]:
    """Fields of a metadata block or table near the top: "发文字号：…", "成文日期：…"."""
    found: dict[str, str] = {}
    for line in folded[:80]:
        if ":" not in line or not _ANY_FIELD.search(line):
            continue
        for key, pattern in _FIELDS.items():
            match = pattern.search(line)
            if match and key not in found and match.group("value").strip():
                found[key] = match.group("value").strip()
    return found


def _any_date(text: str) -> str | None:
    match = _ANY_DATE.search(text)
    if match is None:
        return None
    if match.group("iy"):
        return iso_date(match.group("iy"), match.group("im"), match.group("id"))
    return iso_date(match.group("y"), match.group("m"), match.group("d"))


def _doc_number(folded: list[str]) -> tuple[str | None, int | None]:
    """The 文号 standing on a line of its own near the top (a cited one is not this document's)."""
    for index, line in enumerate(folded[:60]):
        match = _DOC_NUMBER.search(line) if "号" in line else None  # (the pattern is slow to fail)
        if match and len(line) <= len(match.group(0)) + 4:
            return normalise_doc_number(match.group(0)), index
    return None, None


def _title(lines: list[str], folded: list[str], number_line: int | None) -> str | None:
    # A numbered line is a section heading ("三、推进措施") and "附件：1.…" lists attachments: neither
    # is the title of a plan printed without its notice.
    # (Tested only for the lines the searches below reach, each at most once.)
    known: dict[int, bool] = {}

    def candidate(i: int) -> bool:
        if i not in known:
            line = folded[i]
            known[i] = bool(
                line
                and not _CHROME.search(line)
                and numbering_of(line, folded=True) is None
                and not _ATTACHMENTS.match(line)
            )
        return known[i]

    head = range(min(80, len(folded)))
    if number_line is not None:
        # gov.cn layout: the title, broken over up to three lines, stands right above the 文号.
        near = [k for k in range(max(0, number_line - 3), number_line) if folded[k]]
        start = next((k for k in near if "关于" in folded[k]), None)
        if start is not None and not any(folded[k].endswith(("。", ":", ",")) for k in near):
            return "".join(lines[k].strip() for k in range(start, number_line) if folded[k])
    # A title is usually the "X关于…的通知" heading; it may be broken over two or three lines.
    for i in head:
        line = folded[i]
        if "关于" not in line or len(line) > 120 or line.endswith(("。", ",", ":")) or not candidate(i):
            continue
        joined, parts = line, [lines[i].strip()]
        j = i
        # A line ending in 分解/方案 inside an open 《 is not the end ("…《2023年省〈政府工作报告〉任务分解").
        while (not _TITLE_END.search(joined) or joined.count("《") > joined.count("》")) and (
            j + 1 < len(folded) and len(parts) < 3
        ):
            j += 1
            nxt = folded[j]
            if not nxt or _DOC_NUMBER.search(nxt) or nxt.endswith(("。", ":")):
                break
            joined += nxt
            parts.append(lines[j].strip())
        if _TITLE_END.search(joined) or (number_line is not None and j + 1 == number_line):
            return "".join(parts)
    if number_line is not None and number_line > 0:
        above = [lines[k].strip() for k in range(max(0, number_line - 3), number_line) if folded[k]]
        if above:
            return "".join(above)
    for i in head:
        if len(folded[i]) <= 80 and _TITLE_END.search(folded[i]) and candidate(i):
            return lines[i].strip()
    return None


def _date_written(folded: list[str]) -> tuple[str | None, int | None]:
    for index, line in enumerate(folded):
        match = _DATE_LINE.match(line) if "年" in line else None  # (every date is written with 年)
        if match:
            return iso_date(match.group("y"), match.group("m"), match.group("d")), index
    return None, None


def _issuer(folded: list[str], date_line: int | None, title: str) -> str | None:
    if date_line is not None:
        k = date_line - 1
        while k >= 0 and not folded[k]:
            k -= 1
        if k >= 0:
            line = folded[k]
            if len(line) <= 40 and not re.search(r"[。,;:!?]", line) and _ISSUER_END.search(line):
                return line.strip()
    prefix = fold(title).split("关于", 1)
    if len(prefix) == 2 and 2 <= len(prefix[0]) <= 30:
        return prefix[0].strip()
    return None


def _date_issued(folded: list[str]) -> str | None:
    for line in folded:
        match = _ISSUED_LINE.search(line) if _META.issued_word in line else None
        if match:
            return iso_date(match.group("y"), match.group("m"), match.group("d"))
    return None


# Whether a search of the whole text that finds nothing answers for each of its lines (scan.context_free).
_IMPLEMENTS_FREE = context_free(_IMPLEMENTS)


def _implements(folded: list[str], own_number: str | None, whole: str) -> list[str]:
    """``whole``: the lines joined by line breaks."""
    found: list[str] = []
    if _IMPLEMENTS_FREE and not _IMPLEMENTS.search(whole):
        return found  # no line cites one (most documents): one search, not one per line
    for line in folded:
        for match in _IMPLEMENTS.finditer(line):
            number = match.group("num")
            cited = match.group("title")
            item = normalise_doc_number(number) if number and _DOC_NUMBER.search(number) else cited
            if item and item != own_number and item not in found:
                found.append(item)
    return found


def _attachments(lines: list[str], folded: list[str]) -> list[str]:
    for index, line in enumerate(folded):
        match = _ATTACHMENTS.match(line) if "附" in line else None  # (the label opens with 附)
        if not match:
            continue
        titles: list[str] = []
        rest = match.group("rest").strip()
        parts = re.split(r"\s*(?=(?<![\d])\d{1,2}\s*[.、](?!\d))", rest) if rest else []
        for part in parts:
            item = _ATTACHMENT_ITEM.match(part)
            if item:
                titles.append(item.group("title"))
            elif part.strip():
                titles.append(part.strip())
        # Further items on the following lines, numbered on from the last one ("2.省级有关单位").
        k, blanks = index + 1, 0
        while k < len(folded) and blanks <= 2:
            item = _ATTACHMENT_ITEM.match(folded[k])
            if not folded[k]:
                blanks += 1
            elif item and int(item.group("n")) == len(titles) + 1:
                titles.append(item.group("title"))
                blanks = 0
            else:
                break
            k += 1
        return [_unfold_like(t, lines) for t in titles]
    return []


def _unfold_like(folded_title: str, lines: list[str]) -> str:
    """The title as written (the folded form was only for matching)."""
    for line in lines:
        position = fold(line).find(folded_title)
        if position >= 0:
            return line[position : position + len(folded_title)]
    return folded_title
