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

from policykg.loaders.lexicon import Lexicon, default_lexicon
from policykg.loaders.normalise import fold
from policykg.loaders.split import Unit, split_units

GroupKind = Literal["lead", "support", "responsible"]
RuleScope = Literal["clause", "following"]

# Every word read here (labels, role verbs, the lead-rule phrasings) is in the lexicon.
LEAD_RULE = default_lexicon().lead_rule
MAX_CLAUSE_CHARS = 400
MAX_UNIT_CHARS = 45


@dataclass(slots=True)
class RoleGroup:
    """Units the clause gives one role, in the order written."""

    kind: GroupKind
    units: list[Unit]

    # Written out, not generated: the compiled build (policykg/_compiled.py) runs a dataclass's
    # generated __init__ as Python, and readings are made for every clause.
    def __init__(self, kind: GroupKind, units: list[Unit]) -> None:
        self.kind = kind
        self.units = units

    def __reduce__(self) -> tuple[type[RoleGroup], tuple[GroupKind, list[Unit]]]:
        return RoleGroup, (self.kind, self.units)  # (see IndustryDictionary.__reduce__)


@dataclass(slots=True)
class ClauseReading:
    """What a clause says: role groups, a lead rule it states, a completion time it names."""

    groups: list[RoleGroup] = field(default_factory=list)
    lead_rule: RuleScope | None = None
    deadline_text: str | None = None
    scope_text: str | None = None  # "适用范围：…": where it applies, not who does it
    explicit: bool = False  # True when the words (not only a list) made it a clause
    labelled: bool = False  # True when a label ("责任单位：") introduced the units

    def __init__(  # (written out: see RoleGroup)
        self,
        groups: list[RoleGroup] | None = None,
        lead_rule: RuleScope | None = None,
        deadline_text: str | None = None,
        scope_text: str | None = None,
        explicit: bool = False,
        labelled: bool = False,
    ) -> None:
        self.groups = [] if groups is None else groups
        self.lead_rule = lead_rule
        self.deadline_text = deadline_text
        self.scope_text = scope_text
        self.explicit = explicit
        self.labelled = labelled

    @property
    def units(self) -> list[Unit]:
        return [u for g in self.groups for u in g.units]


def read_clause(
    content: str,
    offset: int = 0,
    *,
    default: GroupKind | None = None,
    folded: str | None = None,
    lexicon: Lexicon | None = None,
) -> ClauseReading | None:
    """Read a clause's content (without its brackets); None when it is not a responsibility clause.

    Offsets of the units are ``offset`` plus their position in ``content``. With ``default``
    a plain unit list with no role word is accepted and given that role (a table cell under
    a 牵头单位 column, or a bare list the caller will check against the registry).
    ``folded`` is ``fold(content)`` when the caller has it already.
    """
    lex = lexicon or default_lexicon()
    if not content.strip() or len(content) > MAX_CLAUSE_CHARS:
        return None
    if folded is None:
        folded = fold(content)
    # The reading depends on the words only, its offsets on ``offset``: a clause written again
    # (the same units, in this document or another) is read once per lexicon and process.
    memo = lex.memo
    key = ("read_clause", content, folded, default)
    if key in memo:
        template = memo[key]
    else:
        template = _template(_read_clause(content, folded, default, lex))
        if len(memo) > MAX_REMEMBERED:
            memo.clear()
        memo[key] = template
    return _from_template(template, offset)


MAX_REMEMBERED = 20_000  # clause readings kept per lexicon
_Template = tuple[
    tuple[tuple[GroupKind, tuple[tuple[str, int, int], ...]], ...], RuleScope | None, str | None, str | None, bool, bool
]


def _template(reading: ClauseReading | None) -> _Template | None:
    if reading is None:
        return None
    groups = tuple((g.kind, tuple((u.text, u.start, u.end) for u in g.units)) for g in reading.groups)
    return groups, reading.lead_rule, reading.deadline_text, reading.scope_text, reading.explicit, reading.labelled


_new_unit = tuple.__new__  # Unit(…) without the named tuple's Python-level constructor (made per unit)


def _from_template(template: _Template | None, offset: int) -> ClauseReading | None:
    """A fresh reading (callers extend and amend it) with its units at ``offset``."""
    if template is None:
        return None
    groups, lead_rule, deadline_text, scope_text, explicit, labelled = template
    return ClauseReading(
        [
            RoleGroup(kind, [_new_unit(Unit, (text, start + offset, end + offset)) for text, start, end in units])
            for kind, units in groups
        ],
        lead_rule,
        deadline_text,
        scope_text,
        explicit,
        labelled,
    )


def _read_clause(content: str, folded: str, default: GroupKind | None, lex: Lexicon) -> ClauseReading | None:
    offset = 0
    reading = ClauseReading()
    rule = lex.lead_rule.search(folded)
    if rule:
        reading.lead_rule = "following" if rule.group("following") else "clause"
        prefix = lex.rule_prefix.search(folded, 0, rule.start())
        start, end = (prefix.start() if prefix else rule.start()), rule.end()
        enclosing = _enclosing_brackets(folded, rule.start(), rule.end())
        if enclosing is not None:
            # "工商联(列第一位者为牵头单位，下同)", "市卫健委（除标注“分别牵头”外，列第一位为牵头或汇总单位，
            # 下同）": the rule's own brackets, and all in them, go with it.
            start, end = enclosing
        folded = folded[:start] + " " * (end - start) + folded[end:]
    for note in lex.note.finditer(folded):
        folded = folded[: note.start()] + " " * (note.end() - note.start()) + folded[note.end() :]
    time_tail = _time_tail(folded, lex)
    if time_tail is not None:
        # "（国务院各部门分别负责，年内持续推进）": the completion time closing the clause.
        reading.deadline_text = content[time_tail[0] : time_tail[1]].strip(" ,;，；。")
        folded = folded[: time_tail[0] - 1] + " " * (len(folded) - time_tail[0] + 1)
    labels = list(lex.label.finditer(folded))
    if labels and not folded[: labels[0].start()].strip(" ,;["):
        for i, label in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(folded)
            name = _label_name(label)
            kind = lex.labels[name]
            if kind == "none":
                value = content[label.end() : end].strip(" ,;，；。") or None
                if name in lex.deadline_labels and reading.deadline_text is None:
                    reading.deadline_text = value
                elif name in lex.scope_labels and reading.scope_text is None:
                    reading.scope_text = value
                continue
            groups = _read_phrases(content, folded, label.end(), end, offset, default=kind, lex=lex)
            if groups is None:
                return None
            reading.groups.extend(groups)
        reading.explicit = True
        reading.labelled = True
    else:
        cut = labels[0].start() if labels else len(folded)  # scope/time labels after a plain list
        for label in labels:
            after = lex.label.search(folded, label.end())
            stop = after.start() if after else len(folded)
            value = content[label.end() : stop].strip(" ,;，；。") or None
            if _label_name(label) in lex.deadline_labels and reading.deadline_text is None:
                reading.deadline_text = value
            elif _label_name(label) in lex.scope_labels and reading.scope_text is None:
                reading.scope_text = value
        groups = _read_phrases(content, folded, 0, cut, offset, default=default, lex=lex)
        if groups is None:
            return None
        reading.groups = groups
        reading.explicit = any(g.kind != "responsible" for g in groups) or bool(lex.verb.search(folded[:cut]))
    reading.groups = _marked_roles(reading.groups, lex)
    # A leader's post among the units ("分管副省长、协管副秘书长负责，省国资委牵头") names a person.
    for group in reading.groups:
        group.units = [u for u in group.units if not lex.post.search(u.text)]
    reading.groups = [g for g in reading.groups if g.units]
    if not reading.units or not all(_looks_like_unit(u.text) for u in reading.units):
        return None
    return reading


MAX_TIME_TAIL = 30


def _time_tail(folded: str, lex: Lexicon) -> tuple[int, int] | None:
    """(start, end) of a completion time after the clause's last top-level comma, if there is one."""
    end = len(folded.rstrip(" 。."))
    cut = max(folded.rfind(",", 0, end), folded.rfind(";", 0, end))
    if cut <= 0 or _inside_brackets(folded, 0, cut):
        return None
    tail = folded[cut + 1 : end].strip()
    if not tail or ":" in tail or len(tail) > MAX_TIME_TAIL or not lex.time_words.search(tail):
        return None
    if lex.verb.search(tail) or lex.looks_like_unit(tail) or not folded[:cut].strip(" ,;"):
        return None
    return cut + 1, end


def _enclosing_brackets(folded: str, start: int, end: int) -> tuple[int, int] | None:
    """(open, close + 1) of the bracket pair around ``start:end`` inside the clause, if there is one."""
    depth = 0
    opening = -1
    for position in range(start - 1, -1, -1):
        ch = folded[position]
        if ch in ")]〕":
            depth += 1
        elif ch in "([〔":
            if depth == 0:
                opening = position
                break
            depth -= 1
    if opening < 0:
        return None
    depth = 0
    for position in range(end, len(folded)):
        ch = folded[position]
        if ch in "([〔":
            depth += 1
        elif ch in ")]〕":
            if depth == 0:
                return opening, position + 1
            depth -= 1
    return None


def _label_name(label: re.Match[str]) -> str:
    return "".join(label.group("label").split())


def _marked_roles(groups: list[RoleGroup], lex: Lexicon) -> list[RoleGroup]:
    """Split groups where a unit carries its own role mark ("省发展改革委（牵头）"), in order; the
    mark is not part of the name."""
    if not any(lex.marked.match(u.text) for g in groups for u in g.units):
        return groups
    result: list[RoleGroup] = []
    for group in groups:
        for unit in group.units:
            marked = lex.marked.match(unit.text)
            kind = group.kind
            if marked:
                kind = lex.mark_role(marked.group("mark"))
                unit = Unit(marked.group("name"), unit.start, unit.start + len(marked.group("name")))
            if result and result[-1].kind == kind:
                result[-1].units.append(unit)
            else:
                result.append(RoleGroup(kind, [unit]))
    return result


def _read_phrases(
    content: str, folded: str, start: int, end: int, offset: int, *, default: GroupKind | None, lex: Lexicon
) -> list[RoleGroup] | None:
    """Phrases "units + role word" in order; trailing units without a word take ``default``."""
    groups: list[RoleGroup] = []
    cursor = start
    for verb in lex.verb.finditer(folded, start, end):
        if _inside_brackets(folded, start, verb.start()):
            continue
        groups.extend(_phrase(content, folded, cursor, verb.start(), offset, lex.verbs[verb.group()], lex))
        cursor = verb.end()
    rest = folded[cursor:end].strip(" ,;。.")
    if rest:
        if default is None:
            return None
        groups.extend(_phrase(content, folded, cursor, end, offset, default, lex))
    return [g for g in groups if g.units]


def _phrase(
    content: str, folded: str, start: int, end: int, offset: int, kind: GroupKind, lex: Lexicon
) -> list[RoleGroup]:
    text = folded[start:end]
    filler = lex.filler.match(text)
    if filler:
        start += filler.end()
        text = folded[start:end]
    stripped = text.rstrip(" ,;。.")
    end = start + len(stripped)
    together = next(
        (m for m in lex.with_word.finditer(folded, start, end) if not _inside_brackets(folded, start, m.start())), None
    )
    if together is not None:
        # "A会同B负责": A leads, B supports (whatever the closing word).
        first = split_units(
            content[start : together.start()], offset + start, folded[start : together.start()], lexicon=lex
        )
        second = split_units(
            content[together.end() : end], offset + together.end(), folded[together.end() : end], lexicon=lex
        )
        lead_kind: GroupKind = "lead" if kind != "support" else "support"
        return [RoleGroup(lead_kind, first), RoleGroup("support", second)]
    return [RoleGroup(kind, split_units(content[start:end], offset + start, folded[start:end], lexicon=lex))]


_BRACKET = re.compile(r"[(\[〔《)\]〕》]")


def _inside_brackets(folded: str, start: int, position: int) -> bool:
    depth = 0
    for match in _BRACKET.finditer(folded, start, position):
        if match.group() in "([〔《":
            depth += 1
        else:
            depth = max(0, depth - 1)
    return depth > 0


def looks_like_unit_name(name: str) -> bool:
    """Whether a name ends like a unit does (省经信委, 各有关省级人民政府), not like a phrase.

    >>> looks_like_unit_name("各市、县(市、区)政府"), looks_like_unit_name("具体办法由财政部另行制定并")
    (True, False)
    """
    return default_lexicon().looks_like_unit(name)


_NOT_A_UNIT = re.compile(r"[。!?？！:：]|^[\d.%]+$")


def _looks_like_unit(name: str) -> bool:
    return 2 <= len(name) <= MAX_UNIT_CHARS and not _NOT_A_UNIT.search(name)
