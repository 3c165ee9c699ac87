"""The lexicon: every word the parser reads roles, rules, columns and unit names by, as data.

``policykg/data/lexicon.toml`` holds field labels and role verbs with the role each implies,
the lead-rule phrasings, table column words, deadline labels, unit-name endings and collective
forms, and the labels that name people. It is read and checked once per process
(:func:`default_lexicon`) and compiled into the patterns the loaders use
(:class:`Lexicon`); a parser can be handed another one.

>>> lex = default_lexicon()
>>> lex.labels["协同单位"], lex.verbs["具体实施"]
('support', 'responsible')
>>> bool(lex.lead_rule.search("排名第一的为牵头单位"))
True
>>> lex.looks_like_unit("市经信局"), lex.looks_like_unit("具体办法由财政部另行制定并")
(True, False)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from policykg.errors import InputError
from policykg.loaders.datafile import read_text
from policykg.loaders.scan import Scanner, needed_characters

LabelRole = Literal["lead", "support", "responsible", "none"]
VerbRole = Literal["lead", "support", "responsible"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Words(_Strict):
    words: list[str]


class _LineLabels(_Strict):
    words: list[str]
    short: list[str]


class _People(_Strict):
    patterns: list[str]
    posts: str


class _JointVerbs(_Strict):
    with_: list[str] = Field(alias="with")
    fillers: list[str]


class _Marks(_Strict):
    lead: list[str]
    support: list[str]


class _LeadRules(_Strict):
    first_listed: str
    prefix: str
    following: list[str]
    responsible_lead: str
    note: str


class _TimeTail(_Strict):
    pattern: str


class _Columns(_Strict):
    number: str
    person: str
    lead: str
    support: str
    responsible: str
    deadline: str
    scope: str
    text: str


class _Units(_Strict):
    endings: list[str]
    endings_before_and: list[str]
    office_endings: list[str]
    remark_starts: list[str]
    collective_prefixes: list[str]
    generic: list[str]
    etc_tails: list[str]
    others: list[str]
    generic_members: list[str]
    fragment_prefixes: list[str]
    levels: list[str]
    tail_levels: list[str]
    empty_tails: list[str]
    etc_word_heads: str
    joiners: list[str]


class _Parts(_Strict):
    break_: str = Field(alias="break")
    attachment_mark: str


class _Metadata(_Strict):
    title_endings: list[str]
    issuer_endings: list[str]
    field_labels: dict[str, str]
    published_labels: list[str]
    implements: str
    issued_word: str
    chrome: list[str]


class LexiconData(_Strict):
    """The lexicon file as written (checked on load: unknown keys and roles are errors)."""

    labels: dict[str, LabelRole]
    line_labels: _LineLabels
    scope_labels: _Words
    deadline_labels: _Words
    people_labels: _People
    verbs: dict[str, VerbRole]
    joint_verbs: _JointVerbs
    marks: _Marks
    lead_rules: _LeadRules
    time_tail: _TimeTail
    columns: _Columns
    units: _Units
    parts: _Parts
    metadata: _Metadata

    @field_validator("labels", "verbs")
    @classmethod
    def _not_empty(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("must not be empty")
        return value


def _alternation(words: list[str], *, spaced: bool = False) -> str:
    """``a|b|c`` longest first (so 牵头负责 wins over 牵头); ``spaced`` lets spaces stand between
    the characters (Word's justified labels come out as "牵 头 单 位")."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join((r"\s*".join(map(re.escape, w)) if spaced else re.escape(w)) for w in ordered)


@dataclass(frozen=True)
class Lexicon:
    """The lexicon compiled into the patterns the loaders match with."""

    data: LexiconData
    source: str

    @functools.cached_property
    def memo(self) -> dict[tuple[str | None, ...], Any]:
        """Answers of the loaders' pure readings of short texts with these words (a clause's units),
        kept for the life of the lexicon: documents repeat them."""
        return {}

    @property
    def labels(self) -> dict[str, LabelRole]:
        return self.data.labels

    @property
    def verbs(self) -> dict[str, VerbRole]:
        return self.data.verbs

    @functools.cached_property
    def label(self) -> re.Pattern[str]:
        """A field label: "责任单位：", "【牵头单位】", letter-spaced "牵 头 单 位："."""
        return re.compile(
            r"(?:\[\s*)?(?P<label>" + _alternation(list(self.labels), spaced=True) + r")(?:\s*\]\s*:?|\s*:)\s*"
        )

    @functools.cached_property
    def deadline_labels(self) -> frozenset[str]:
        return frozenset(self.data.deadline_labels.words)

    @functools.cached_property
    def scope_labels(self) -> frozenset[str]:
        return frozenset(self.data.scope_labels.words)

    @functools.cached_property
    def line_label(self) -> Scanner:
        """A label opening a line or a sentence: the clause needs no brackets."""
        words = _alternation(self.data.line_labels.words, spaced=True)
        short = _alternation(self.data.line_labels.short)
        # The full labels may follow another label's value ("分管省领导：林克庆部门分工：…" in a copy whose
        # lines were run together); the short ones only open a line or a sentence.
        # No "\s*" before a word unless a "[" opens it: a run of spaces is not scanned again at every
        # position (long lines stay linear).
        return Scanner(re.compile(rf"(?:(?:\[\s*)?(?:{words})(?:\s*\]\s*:?|\s*:)|(?:^|(?<=[。;]))\s*(?:{short})\s*:)"))

    @functools.cached_property
    def deadline_line(self) -> re.Pattern[str]:
        return re.compile(r"\s*(?:" + _alternation(self.data.deadline_labels.words) + r")\s*:\s*")

    @functools.cached_property
    def people_label(self) -> re.Pattern[str]:
        return re.compile("|".join(self.data.people_labels.patterns))

    @functools.cached_property
    def post(self) -> re.Pattern[str]:
        """A leader's post written where units stand (分管副省长): a person, not a unit."""
        return re.compile(self.data.people_labels.posts)

    @functools.cached_property
    def verb(self) -> re.Pattern[str]:
        """A role word closing a phrase of units (before a comma, a full stop or the end)."""
        return re.compile(r"(?:" + _alternation(list(self.verbs)) + r")(?=\s*(?:$|[,;。.]))")

    @functools.cached_property
    def verb_word(self) -> re.Pattern[str]:
        """Any role word, wherever it stands: text without one holds no role sentence (a quick test)."""
        return re.compile(_alternation(list(self.verbs)))

    @functools.cached_property
    def with_word(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.data.joint_verbs.with_))

    @functools.cached_property
    def filler(self) -> re.Pattern[str]:
        return re.compile(r"^\s*(?:" + _alternation(self.data.joint_verbs.fillers) + r")\s*")

    @functools.cached_property
    def marked(self) -> re.Pattern[str]:
        marks = _alternation(self.data.marks.lead + self.data.marks.support)
        return re.compile(rf"^(?P<name>.+?)\s*[(（]\s*(?P<mark>{marks})\s*[)）]$")

    def mark_role(self, mark: str) -> VerbRole:
        return "lead" if mark in self.data.marks.lead else "support"

    @functools.cached_property
    def lead_rule(self) -> re.Pattern[str]:
        following = _alternation(self.data.lead_rules.following)
        return re.compile(rf"{self.data.lead_rules.first_listed}(?P<following>\s*[,;]?\s*(?:{following})[.。]?)?")

    @functools.cached_property
    def rule_prefix(self) -> re.Pattern[str]:
        return re.compile(self.data.lead_rules.prefix)

    @functools.cached_property
    def responsible_lead(self) -> re.Pattern[str]:
        return re.compile(self.data.lead_rules.responsible_lead)

    @functools.cached_property
    def note(self) -> re.Pattern[str]:
        return re.compile(self.data.lead_rules.note)

    @functools.cached_property
    def time_words(self) -> re.Pattern[str]:
        return re.compile(self.data.time_tail.pattern)

    @functools.cached_property
    def columns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """(column kind, header words) in the order they are tried; "text" is matched apart."""
        c = self.data.columns
        kinds = ("number", "person", "lead", "support", "responsible", "deadline", "scope")
        return tuple((kind, re.compile(getattr(c, kind))) for kind in kinds)

    @functools.cached_property
    def text_header(self) -> re.Pattern[str]:
        return re.compile(self.data.columns.text)

    @functools.cached_property
    def unit_ending(self) -> re.Pattern[str]:
        return re.compile(r"(?:" + _alternation(self.data.units.endings) + r")$")

    def looks_like_unit(self, name: str) -> bool:
        """Whether a name ends like a unit does (市经信局, 各有关省级人民政府), not like a phrase."""
        return bool(self.unit_ending.search(name))

    @functools.cached_property
    def office_ending(self) -> re.Pattern[str]:
        return re.compile(r"(?:" + _alternation(self.data.units.office_endings) + r")$")

    @functools.cached_property
    def remark_start(self) -> re.Pattern[str]:
        return re.compile(r"^\s*(?:" + _alternation(self.data.units.remark_starts) + ")")

    def unit_list_by_grammar(self, names: list[str]) -> bool:
        """Whether a bare list reads as units by their form alone: every name ends like a unit,
        none opens like a remark, and one ends like an office (a list of places is no clause).

        >>> default_lexicon().unit_list_by_grammar(["市发改委", "市经信局"])
        True
        >>> lex = default_lexicon()
        >>> lex.unit_list_by_grammar(["含国家级开发区"]), lex.unit_list_by_grammar(["杭州市"])
        (False, False)
        """
        if not names or not all(self.looks_like_unit(n) and not self.remark_start.match(n) for n in names):
            return False
        return any(self.office_ending.search(n) for n in names)

    @functools.cached_property
    def unit_before_and(self) -> re.Pattern[str]:
        return re.compile(r"..(?:" + _alternation(self.data.units.endings_before_and) + r")\s*$")

    @functools.cached_property
    def collective_start(self) -> re.Pattern[str]:
        return re.compile(r"\s*(?:" + _alternation(self.data.units.collective_prefixes) + ")")

    @functools.cached_property
    def fragment(self) -> re.Pattern[str]:
        """The first half of a collective: a level after a collective prefix, or alone ("各市")."""
        u = self.data.units
        return re.compile(
            rf"^(?:|.*(?:{_alternation(u.fragment_prefixes)}))(?:{_alternation(u.levels)})(?:[(〔][^()〔〕]{{1,6}}[)〕])?$"
        )

    @functools.cached_property
    def etc(self) -> re.Pattern[str]:
        """等 that ends a list (not 高等, 平等 …), optionally followed by a generic tail."""
        u = self.data.units
        joiners = _alternation(u.joiners)
        levels = _alternation(u.tail_levels)
        generic = _alternation(u.generic)
        tails = _alternation(u.etc_tails)
        return re.compile(rf"(?<![{re.escape(u.etc_word_heads)}])等(?=$|{joiners}|(?:{levels})?(?:{generic})|{tails})")

    @functools.cached_property
    def and_collective(self) -> re.Pattern[str]:
        """和/及 before a collective ("国务院有关部门和各地区")."""
        u = self.data.units
        levels, generic, others = _alternation(u.tail_levels), _alternation(u.generic), _alternation(u.others)
        return re.compile(rf"(?:{_alternation(u.joiners)})(?=(?:{levels})?(?:{generic})|{others})")

    @functools.cached_property
    def joiner(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.data.units.joiners))

    @functools.cached_property
    def tail_joiner(self) -> re.Pattern[str]:
        return re.compile(r"^(?:" + _alternation(self.data.units.joiners) + ")")

    def is_collective(self, name: str) -> bool:
        """Whether a name is a collective: it opens with 各/有关/相关/全 or names 有关/相关 units.

        >>> default_lexicon().is_collective("市直有关部门"), default_lexicon().is_collective("市发改委")
        (True, False)
        """
        if self.collective_start.match(name):
            return True
        return any(word in name for word in self.data.units.generic if len(word) > 1)

    @functools.cached_property
    def generic_members(self) -> frozenset[str]:
        return frozenset(self.data.units.generic_members)

    @functools.cached_property
    def empty_tails(self) -> frozenset[str]:
        return frozenset(self.data.units.empty_tails)

    @functools.cached_property
    def part_break(self) -> re.Pattern[str]:
        return re.compile(self.data.parts.break_)

    @functools.cached_property
    def lead_rule_needs(self) -> tuple[tuple[str, ...], ...]:
        """The characters each way of matching ``lead_rule`` needs (scan.needed_characters)."""
        return needed_characters(self.lead_rule)

    @functools.cached_property
    def responsible_lead_needs(self) -> tuple[tuple[str, ...], ...]:
        """The characters each way of matching ``responsible_lead`` needs (scan.needed_characters)."""
        return needed_characters(self.responsible_lead)

    @functools.cached_property
    def part_break_needs(self) -> tuple[tuple[str, ...], ...]:
        """The characters each way of matching ``part_break`` needs (scan.needed_characters): a line
        without them all for any way is no part break, whatever the pattern."""
        return needed_characters(self.part_break)

    @functools.cached_property
    def attachment_mark(self) -> Scanner:
        """An attachment mark inside a line. Searched in every line, where the engine would try it
        at every position: lines without the characters it needs (scan.Scanner) are passed over."""
        return Scanner(re.compile(self.data.parts.attachment_mark), skip_to_starts=False)

    @functools.cached_property
    def title_end(self) -> re.Pattern[str]:
        return re.compile(r"(?:" + _alternation(self.data.metadata.title_endings) + r")$")

    @functools.cached_property
    def issuer_end(self) -> re.Pattern[str]:
        return re.compile(r"(?:" + _alternation(self.data.metadata.issuer_endings) + r")$")

    @functools.cached_property
    def chrome(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.data.metadata.chrome))


def load_lexicon(path: str | Path) -> Lexicon:
    """Read and check a lexicon file; a bad one is an InputError naming the file."""
    text = read_text(path, "The lexicon")
    return lexicon_from_text(text, str(path))


def lexicon_from_text(text: str, source: str) -> Lexicon:
    """A lexicon from TOML text; ``source`` names it in errors.

    >>> lexicon_from_text("labels = 1", "x.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    policykg.errors.InputError: x.toml: The lexicon does not match its schema: labels: ...
    """
    import tomllib

    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"The lexicon is not valid TOML: {exc}.", path=source) from exc
    try:
        data = LexiconData.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where = ".".join(str(part) for part in first["loc"])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(f"The lexicon does not match its schema: {where}: {first['msg']}{more}.", path=source) from exc
    lexicon = Lexicon(data, source)
    patterns = (
        "lead_rule",
        "rule_prefix",
        "responsible_lead",
        "note",
        "time_words",
        "columns",
        "part_break",
        "post",
        "attachment_mark",
    )
    for name in patterns:
        try:
            getattr(lexicon, name)
        except re.error as exc:
            raise InputError(f"The lexicon's pattern for {name} is not a valid pattern: {exc}.", path=source) from exc
    return lexicon


@functools.cache
def default_lexicon() -> Lexicon:
    """The packaged lexicon, read once per process."""
    resource = resources.files("policykg") / "data" / "lexicon.toml"
    return lexicon_from_text(resource.read_text(encoding="utf-8"), str(resource))
