"""Responsibility clauses: finding them in a paragraph and reading who does what.

A clause is a bracketed unit list closing a sentence — "(责任单位:A、B)", "（A、B负责）",
"（A牵头，B配合）", "（负责部门：A；适用范围：…）" — or a label line such as
"牵头单位：X，配合单位：A、B". Reading gives role groups: ``lead`` and ``support`` where the
words say so, ``responsible`` where the clause only says who is responsible (the parser
turns those into lead/support under a lead rule, or joint without one).

>>> c = read_clause("责任单位:省科技厅、省经信委,列第一位者为牵头单位,以下同")
>>> [(g.kind, [u.text for u in g.units]) for g in c.groups], c.lead_rule
([('responsible', ['省科技厅', '省经信委'])], 'following')
>>> c = read_clause("商务部牵头，财政部、海关总署配合")
>>> [(g.kind, [u.text for u in g.units]) for g in c.groups]
[('lead', ['商务部']), ('support', ['财政部', '海关总署'])]
>>> c = read_clause("商务部会同财政部负责")
>>> [(g.kind, [u.text for u in g.units]) for g in c.groups]
[('lead', ['商务部']), ('support', ['财政部'])]
>>> read_clause("包括设计、施工、监理等所有工程建设相关主体") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from policykg.loaders.normalise import fold
from policykg.loaders.split import Unit, split_units

GroupKind = Literal["lead", "support", "responsible"]
RuleScope = Literal["clause", "following"]

# "列第一位者为牵头单位,以下同", "排在第一位的部门为牵头部门，下同", "第一个单位为牵头单位".
# The pattern starts at its fixed core (首位/第一…) so a scan over a whole document is fast;
# the words before the core (",列在") are found by RULE_PREFIX on the text before it.
LEAD_RULE = re.compile(
    r"(?:首位|首个|第一(?:位|个|名|家)?)(?:的|者)?(?:责任|牵头)?(?:单位|部门)?"
    r"(?:为|是)(?:牵头|主责|主办)(?:单位|部门)?(?:(?:或|和|/)(?:汇总|牵头|主责|主办)(?:单位|部门)?)?"
    r"(?P<following>\s*[,;]?\s*(?:以下同|下同|后同|以下各项同|全文同)[.。]?)?"
)
# A note inside a clause that names no unit for this item: "以下各项工作均需各地区落实，不再列出".
_NOTE = re.compile(r"[,;]?\s*(?:(?:以下|下列|上述|各项)[^()]*?)?(?:不再(?:一一)?(?:列出|重复)|不一一列出)")
RULE_PREFIX = re.compile(r"[,;]?\s*(?:(?:排列|列在|排在|列|排)\s*)?(?:在)?\s*$")

_LABELS: dict[str, GroupKind | None] = {
    "牵头单位": "lead", "牵头部门": "lead", "主办单位": "lead", "主责单位": "lead", "主责部门": "lead",
    "牵头": "lead", "配合": "support", "协办": "support", "责任": "responsible",
    "配合单位": "support", "配合部门": "support", "协办单位": "support", "参与单位": "support",
    "参与部门": "support", "协同单位": "support", "协同部门": "support", "协作单位": "support",
    "协助单位": "support",
    "责任单位": "responsible", "责任部门": "responsible", "负责单位": "responsible", "负责部门": "responsible",
    "实施单位": "responsible", "承办单位": "responsible", "落实单位": "responsible", "指导部门": "responsible",
    "指导单位": "responsible", "责任主体": "responsible", "部门分工": "responsible", "责任分工": "responsible",
    # Labels that end the unit list: scope and time are not units.
    "适用范围": None, "推广范围": None, "完成时限": None, "完成时间": None, "时间节点": None, "时限要求": None,
    "时间要求": None, "进度安排": None, "备注": None,
}  # fmt: skip
# "责任单位：", also "【牵头单位】" (folded to "[牵头单位]") with or without a colon after it.
# Letter-spaced labels ("牵 头 单 位：", from justified Word text) are labels too.
_LABEL = re.compile(
    r"\[?\s*(?P<label>"
    + "|".join(r"\s*".join(label) for label in sorted(_LABELS, key=len, reverse=True))
    + r")(?:\s*\]\s*:?|\s*:)\s*"
)
_DEADLINE_LABELS = frozenset({"完成时限", "完成时间", "时间节点", "时限要求", "时间要求", "进度安排"})

# Role words that close a phrase of units, longest first.
_VERBS: dict[str, GroupKind] = {
    "牵头负责": "lead", "牵头抓总": "lead", "分别牵头": "lead", "共同牵头": "lead", "联合牵头": "lead",
    "牵头": "lead", "主办": "lead", "主责": "lead",
    "配合": "support", "参与": "support", "协助": "support", "协同": "support", "协办": "support",
    "按职责分工负责": "responsible", "按职能分工负责": "responsible", "按职责负责": "responsible",
    "分工负责": "responsible", "共同负责": "responsible", "分别负责": "responsible", "负责落实": "responsible",
    "具体负责": "responsible", "负责": "responsible", "按职责分工落实": "responsible", "分工落实": "responsible",
    "负责实施": "responsible", "组织实施": "responsible", "抓好落实": "responsible", "落实": "responsible",
    "指导": "responsible",
}  # fmt: skip
_VERB = re.compile(r"(?:" + "|".join(sorted(_VERBS, key=len, reverse=True)) + r")(?=\s*(?:$|[,;。.]))")
_WITH = re.compile(r"会同")
_FILLER = re.compile(r"^\s*(?:由|请|是)\s*")
MAX_CLAUSE_CHARS = 400
MAX_UNIT_CHARS = 45


@dataclass(slots=True)
class RoleGroup:
    """Units the clause gives one role, in the order written."""

    kind: GroupKind
    units: list[Unit]


@dataclass(slots=True)
class ClauseReading:
    """What a clause says: role groups, a lead rule it states, a completion time it names."""

    groups: list[RoleGroup] = field(default_factory=list)
    lead_rule: RuleScope | None = None
    deadline_text: str | None = None
    explicit: bool = False  # True when the words (not only a list) made it a clause
    labelled: bool = False  # True when a label ("责任单位：") introduced the units

    @property
    def units(self) -> list[Unit]:
        return [u for g in self.groups for u in g.units]


def read_clause(
    content: str, offset: int = 0, *, default: GroupKind | None = None, folded: str | None = None
) -> ClauseReading | None:
    """Read a clause's content (without its brackets); None when it is not a responsibility clause.

    Offsets of the units are ``offset`` plus their position in ``content``. With ``default``
    a plain unit list with no role word is accepted and given that role (a table cell under
    a 牵头单位 column, or a bare list the caller will check against the registry).
    ``folded`` is ``fold(content)`` when the caller has it already.
    """
    if not content.strip() or len(content) > MAX_CLAUSE_CHARS:
        return None
    if folded is None:
        folded = fold(content)
    reading = ClauseReading()
    rule = LEAD_RULE.search(folded)
    if rule:
        reading.lead_rule = "following" if rule.group("following") else "clause"
        prefix = RULE_PREFIX.search(folded, 0, rule.start())
        start, end = (prefix.start() if prefix else rule.start()), rule.end()
        if start > 0 and folded[start - 1] == "(" and folded[end : end + 1] == ")":
            start, end = start - 1, end + 1  # "工商联(列第一位者为牵头单位，下同)": the note's own brackets
        folded = folded[:start] + " " * (end - start) + folded[end:]
    for note in _NOTE.finditer(folded):
        folded = folded[: note.start()] + " " * (note.end() - note.start()) + folded[note.end() :]
    time_tail = _time_tail(folded)
    if time_tail is not None:
        # "（国务院各部门分别负责，年内持续推进）": the completion time closing the clause.
        reading.deadline_text = content[time_tail[0] : time_tail[1]].strip(" ,;，；。")
        folded = folded[: time_tail[0] - 1] + " " * (len(folded) - time_tail[0] + 1)
    labels = list(_LABEL.finditer(folded))
    if labels and not folded[: labels[0].start()].strip(" ,;["):
        for i, label in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(folded)
            name = _label_name(label)
            kind = _LABELS[name]
            if kind is None:
                if name in _DEADLINE_LABELS and reading.deadline_text is None:
                    reading.deadline_text = content[label.end() : end].strip(" ,;，；。")
                continue
            groups = _read_phrases(content, folded, label.end(), end, offset, default=kind)
            if groups is None:
                return None
            reading.groups.extend(groups)
        reading.explicit = True
        reading.labelled = True
    else:
        cut = labels[0].start() if labels else len(folded)  # scope/time labels after a plain list
        for label in labels:
            if _label_name(label) in _DEADLINE_LABELS and reading.deadline_text is None:
                after = _LABEL.search(folded, label.end())
                stop = after.start() if after else len(folded)
                reading.deadline_text = content[label.end() : stop].strip(" ,;，；。") or None
        groups = _read_phrases(content, folded, 0, cut, offset, default=default)
        if groups is None:
            return None
        reading.groups = groups
        reading.explicit = any(g.kind != "responsible" for g in groups) or bool(_VERB.search(folded[:cut]))
    reading.groups = _marked_roles(reading.groups)
    if not reading.units or not all(_looks_like_unit(u.text) for u in reading.units):
        return None
    return reading


# The last phrase of a clause when it says when, not who: "2020年6月底前", "年内持续推进", "长期坚持".
_TIME_WORDS = re.compile(
    r"\d{4}\s*年|年内|年底|年末|月底|月末|半年|季度|持续推进|长期坚持|长期推进|持续实施|逐步推进|分年度推进|分步实施"
)
MAX_TIME_TAIL = 30


def _time_tail(folded: str) -> tuple[int, int] | None:
    """(start, end) of a completion time after the clause's last top-level comma, if there is one."""
    end = len(folded.rstrip(" 。."))
    cut = max(folded.rfind(",", 0, end), folded.rfind(";", 0, end))
    if cut <= 0 or _inside_brackets(folded, 0, cut):
        return None
    tail = folded[cut + 1 : end].strip()
    if not tail or ":" in tail or len(tail) > MAX_TIME_TAIL or not _TIME_WORDS.search(tail):
        return None
    if _VERB.search(tail) or looks_like_unit_name(tail) or not folded[:cut].strip(" ,;"):
        return None
    return cut + 1, end


# "省发展改革委（牵头）": a role written right after one unit of a list.
_MARKED = re.compile(r"^(?P<name>.+?)\s*[(（]\s*(?P<mark>牵头(?:单位|部门)?|主办|主责|配合|协办|参与)\s*[)）]$")


def _label_name(label: re.Match[str]) -> str:
    return "".join(label.group("label").split())


def _marked_roles(groups: list[RoleGroup]) -> list[RoleGroup]:
    """Split groups where a unit carries its own role mark, in order; the mark is not part of the name."""
    if not any(_MARKED.match(u.text) for g in groups for u in g.units):
        return groups
    result: list[RoleGroup] = []
    for group in groups:
        for unit in group.units:
            marked = _MARKED.match(unit.text)
            kind = group.kind
            if marked:
                kind = "lead" if marked.group("mark").startswith(("牵头", "主")) else "support"
                unit = Unit(marked.group("name"), unit.start, unit.start + len(marked.group("name")))
            if result and result[-1].kind == kind:
                result[-1].units.append(unit)
            else:
                result.append(RoleGroup(kind, [unit]))
    return result


def _read_phrases(
    content: str, folded: str, start: int, end: int, offset: int, *, default: GroupKind | None
) -> list[RoleGroup] | None:
    """Phrases "units + role word" in order; trailing units without a word take ``default``."""
    groups: list[RoleGroup] = []
    cursor = start
    for verb in _VERB.finditer(folded, start, end):
        if _inside_brackets(folded, start, verb.start()):
            continue
        groups.extend(_phrase(content, folded, cursor, verb.start(), offset, _VERBS[verb.group()]))
        cursor = verb.end()
    rest = folded[cursor:end].strip(" ,;。.")
    if rest:
        if default is None:
            return None
        groups.extend(_phrase(content, folded, cursor, end, offset, default))
    return [g for g in groups if g.units]


def _phrase(content: str, folded: str, start: int, end: int, offset: int, kind: GroupKind) -> list[RoleGroup]:
    text = folded[start:end]
    filler = _FILLER.match(text)
    if filler:
        start += filler.end()
        text = folded[start:end]
    stripped = text.rstrip(" ,;。.")
    end = start + len(stripped)
    together = next(
        (m for m in _WITH.finditer(folded, start, end) if not _inside_brackets(folded, start, m.start())), None
    )
    if together is not None:
        # "A会同B负责": A leads, B supports (whatever the closing word).
        first = split_units(content[start : together.start()], offset + start, folded[start : together.start()])
        second = split_units(content[together.end() : end], offset + together.end(), folded[together.end() : end])
        lead_kind: GroupKind = "lead" if kind != "support" else "support"
        return [RoleGroup(lead_kind, first), RoleGroup("support", second)]
    return [RoleGroup(kind, split_units(content[start:end], offset + start, folded[start:end]))]


_BRACKET = re.compile(r"[(\[〔《)\]〕》]")


def _inside_brackets(folded: str, start: int, position: int) -> bool:
    depth = 0
    for match in _BRACKET.finditer(folded, start, position):
        if match.group() in "([〔《":
            depth += 1
        else:
            depth = max(0, depth - 1)
    return depth > 0


# How the name of a unit ends: a ministry, bureau, office, government, collective …
_UNIT_ENDING = re.compile(
    r"(?:部|委|局|厅|署|办|院|会|行|府|单位|部门|中心|社|组|室|所|司|处|站|队|团|联|校|馆|区|市|县|省|州|盟|旗|乡|镇|"
    r"机构|企业|公司|集团|工委|党委|地区|各地|机关|平台|系统|口岸|监狱|大学|学院|医院|总会|银行|办公室|协会|协|中央)$"
)


def looks_like_unit_name(name: str) -> bool:
    """Whether a name ends like a unit does (省经信委, 各有关省级人民政府), not like a phrase.

    >>> looks_like_unit_name("各市、县(市、区)政府"), looks_like_unit_name("具体办法由财政部另行制定并")
    (True, False)
    """
    return bool(_UNIT_ENDING.search(name))


_NOT_A_UNIT = re.compile(r"[。!?？！]|^[\d.%]+$")


def _looks_like_unit(name: str) -> bool:
    return 2 <= len(name) <= MAX_UNIT_CHARS and not _NOT_A_UNIT.search(name)
