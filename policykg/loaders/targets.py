"""Quantitative goals (目标) read out of one measure's text; a pure function, no store.

A target is a number with a counting unit that a sentence sets as a goal
(力争到2020年，新增工业机器人20000台). Numbers that describe a rule rather than a
goal (subsidy rates, thresholds such as 总投资10亿元以上, ages, durations, document
numbers, programme names such as “151”) are left out: a false target is worse than a
missed one.

>>> [(t.metric, t.value, t.unit, t.year, t.modality) for t in extract_targets(
...     "力争到2020年，重点传统制造业上云企业达到10万家。")]
[('上云企业', '10', '万家', 2020, '力争')]
>>> extract_targets("对符合条件的项目给予最高500万元补助。")
[]
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from policykg.errors import InputError
from policykg.graph.model import Qualifier, Target
from policykg.loaders.datafile import read_text
from policykg.loaders.scan import Scanner

_DIGIT = "0-9０-９"
_NUMBER = rf"[{_DIGIT}](?:[{_DIGIT},]*[{_DIGIT}])?(?:[.．][{_DIGIT}]+)?"
_CHINESE_NUMBER = "[一二两三四五六七八九十百千]+"
# (found through the package, not this file: a compiled module's __file__ is not set while its top level runs)
_DATA_FILE = Path(str(resources.files("policykg").joinpath("data", "targets.toml")))


@dataclass(frozen=True, slots=True)
class _Horizon:
    pattern: Scanner  # (tried in every sentence with a target: passed over where it cannot match)
    years: str | None  # "N" (the captured number), a fixed offset such as "0", or None
    year: int | None  # a fixed end year (十四五 → 2025)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The target vocabulary of ``policykg/data/targets.toml``."""

    before: dict[str, Qualifier]
    after: dict[str, Qualifier]
    magnitudes: dict[str, float]
    units: tuple[str, ...]
    unscaled: frozenset[str]
    goal_verbs: tuple[str, ...]
    neutral_verbs: frozenset[str]
    strip_verbs: tuple[str, ...]
    closing_verbs: tuple[str, ...]
    noun_stop: tuple[str, ...]
    horizons: tuple[_Horizon, ...]
    policy_words: tuple[str, ...]


_QUALIFIER_NAMES = ("at_least", "at_most", "about")


def load_vocabulary(path: str | Path = _DATA_FILE) -> Vocabulary:
    """Read a target vocabulary file; a malformed one is an InputError naming the file.

    >>> v = load_vocabulary()
    >>> v.before["突破"], v.after["以内"], v.magnitudes["万亿"]
    ('at_least', 'at_most', 1000000000000.0)
    """
    source = str(path)
    try:
        data = tomllib.loads(read_text(path, "The target vocabulary"))
        qualifiers = data["qualifiers"]
        for table in ("before", "after"):
            bad = [w for w, q in qualifiers[table].items() if q not in _QUALIFIER_NAMES]
            if bad:
                raise InputError(f"The target vocabulary gives {bad[0]!r} an unknown qualifier.", path=source)
        verbs, units = data["verbs"], data["units"]
        horizons = tuple(
            _Horizon(Scanner(re.compile(h["pattern"])), h.get("years"), h.get("year"))
            for h in data["horizons"]["patterns"]
        )
        return Vocabulary(
            before=dict(qualifiers["before"]),
            after=dict(qualifiers["after"]),
            magnitudes={str(k): float(v) for k, v in data["magnitudes"].items()},
            units=tuple(units["base"]),
            unscaled=frozenset(units["unscaled"]),
            goal_verbs=tuple(verbs["goal"]),
            neutral_verbs=frozenset(verbs["neutral"]),
            strip_verbs=tuple(verbs["strip"]),
            closing_verbs=tuple(verbs["closing"]),
            noun_stop=tuple(verbs["noun_stop"]),
            horizons=horizons,
            policy_words=tuple(data["policy"]["words"]),
        )
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"The target vocabulary is not valid TOML: {exc}.", path=source) from exc
    except (KeyError, TypeError, re.error) as exc:
        raise InputError(f"The target vocabulary lacks or misstates an entry ({exc}).", path=source) from exc


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_VOCABULARY = load_vocabulary()
_PRE_QUALIFIERS = _VOCABULARY.before
_POST_QUALIFIERS = _VOCABULARY.after
_MAGNITUDE = f"(?:{_alternation(_VOCABULARY.magnitudes)})"
_UNIT = rf"(?:{_MAGNITUDE}?(?:{'|'.join(re.escape(u) for u in _VOCABULARY.units)}))"
_PRE_QUALIFIER = _alternation(_PRE_QUALIFIERS)
_POST_QUALIFIER = _alternation(_POST_QUALIFIERS)

# What may stand before a number's first digit (a digit, a decimal point, a letter …: then it is
# no number of its own).
_NOT_BEFORE_NUMBER = rf"{_DIGIT}.．A-Za-z\-—－~～/第前"
# A number with its unit, a qualifier either side, or a range (3—5家, 6.5%-7%, 1到2个).
_QUANTITY = Scanner(
    re.compile(
        rf"(?:(?<![节制签公条预合赶])(?P<pre>{_PRE_QUALIFIER}))?"
        rf"(?<![{_NOT_BEFORE_NUMBER}])(?P<num>{_NUMBER})"
        rf"(?:(?P<unit1>{_UNIT})?(?P<dash>[—\-－~～至到])(?P<num2>{_NUMBER}))?"
        rf"(?P<more>多|余)?[ \u3000]?(?P<unit>{_UNIT})"
        rf"(?P<post>{_POST_QUALIFIER})?"
    ),
    # A match starts at a qualifier's first character or at a number's first digit: not at each
    # digit of a number (2018年 is tried once, not four times).
    starts=re.compile(
        "[" + "".join(sorted({re.escape(word[0]) for word in _PRE_QUALIFIERS})) + _DIGIT + "]"
        rf"(?<![{_NOT_BEFORE_NUMBER}][{_DIGIT}])"
    ),
)

_GOAL_VERBS = tuple(sorted(_VOCABULARY.goal_verbs, key=len, reverse=True))
_GOAL_VERB_SET = frozenset(_GOAL_VERBS)
_GOAL_VERB_LENGTHS = tuple(sorted({len(v) for v in _GOAL_VERBS}, reverse=True))


def _goal_verb_ending(text: str) -> str | None:
    """The longest goal verb ``text`` ends with (the first of _GOAL_VERBS it ends with: two verbs of
    one length cannot both end it), by a set look-up per verb length."""
    for length in _GOAL_VERB_LENGTHS:
        if length == 0:
            return ""
        if len(text) >= length and text[-length:] in _GOAL_VERB_SET:
            return text[-length:]
    return None


_NOUN_STOP = re.compile(_alternation(_VOCABULARY.noun_stop))
# A share such as 三分之一 has no unit; it is a goal only when a qualifier or 达到 introduces it
# in a sentence that commits to it (确保每年用地指标不少于三分之一用于制造业项目).
_FRACTION = re.compile(
    rf"(?P<pre>{_PRE_QUALIFIER}|达到)"
    rf"(?P<num>[{_DIGIT}]+分之[{_DIGIT}]+|[一二三四五六七八九十百]+分之[一二三四五六七八九十]+)"
)
_COMMITMENT = re.compile(r"确保|力争|争取|努力|力求")
_CHINESE_QUANTITY_AFTER = "新增|累计|建成|建设|培育|创建|打造|培养|引进|新建|达到|突破"
_CHINESE_QUANTITY = re.compile(
    rf"(?<={_CHINESE_QUANTITY_AFTER})"
    rf"(?P<pre>{_PRE_QUALIFIER})?(?P<num>{_CHINESE_NUMBER})(?P<more>多|余)?(?P<unit>{_UNIT})"
    rf"(?P<post>{_POST_QUALIFIER})?"
)
# What every quantity above needs somewhere in its sentence: a digit (_QUANTITY, _FRACTION), 分之
# (_FRACTION) or a word a Chinese numeral follows (_CHINESE_QUANTITY). A sentence without one is
# passed over before the costlier patterns run on it.
_DIGIT_CHARACTER = re.compile(rf"[{_DIGIT}]")
_SENTENCE_END_CHARACTERS = frozenset("。！？!?\n")  # (_SENTENCE_END's)
_CHINESE_QUANTITY_HINT = re.compile(rf"(?:{_CHINESE_QUANTITY_AFTER})(?:{_PRE_QUALIFIER})?{_CHINESE_NUMBER}")
_QUANTITY_HINT = re.compile(rf"[{_DIGIT}]|分之|(?:{_CHINESE_QUANTITY_AFTER})(?:{_PRE_QUALIFIER})?{_CHINESE_NUMBER}")


# No hint holds a sentence end (the words are the vocabulary's): a text's hint is in one of its sentences.
_HINTS_HOLD_NO_END = not _SENTENCE_END_CHARACTERS.intersection(_CHINESE_QUANTITY_AFTER + "".join(_PRE_QUALIFIERS))


def _has_quantity_hint(text: str) -> bool:
    """``_QUANTITY_HINT.search(text)`` as three searches the engine runs fast: a one-set search, a
    substring test and a pattern opening with literal words (the joint pattern opens with neither,
    so the engine would try it in full at every position)."""
    return bool(_DIGIT_CHARACTER.search(text) or "分之" in text or _CHINESE_QUANTITY_HINT.search(text))


# A sentence must say it sets a goal before any number in it can be a target: a commitment, a
# goal verb, a direction of change, a target year, or a qualifier after a number (5%左右).
_TRIGGER = re.compile(
    r"力争|确保|争取|努力|力求|增长|提高|提升|下降|降低|减少|覆盖|控制在|[到至][12]\d{3}年|目标"
    rf"|{_alternation(_GOAL_VERBS)}|{_PRE_QUALIFIER}|[{_DIGIT}]\S{{0,6}}?(?:{_POST_QUALIFIER})"
)
# _TRIGGER.search(s) as two searches that each open with literal characters, which the engine skips
# to at C speed (_TRIGGER mixes words and sets, so the engine tries it at every position).
_TRIGGER_WORDS = re.compile(
    r"力争|确保|争取|努力|力求|增长|提高|提升|下降|降低|减少|覆盖|控制在|到[12]\d{3}年|至[12]\d{3}年|目标"
    rf"|{_alternation(_GOAL_VERBS)}|{_PRE_QUALIFIER}"
)
_TRIGGER_QUALIFIED = re.compile(rf"[{_DIGIT}]\S{{0,6}}?(?:{_POST_QUALIFIER})")


def _has_trigger(sentence: str) -> bool:
    """Whether the sentence says it sets a goal: ``_TRIGGER.search(sentence)``."""
    return bool(_TRIGGER_WORDS.search(sentence) or _TRIGGER_QUALIFIED.search(sentence))


_POLICY_WORDS = re.compile(_alternation(_VOCABULARY.policy_words))
# A metric that is only a direction (年均增长10%) continues the previous target's metric.
_DIRECTION_ONLY = {"增长", "下降", "提高", "降低", "增加", "减少"}
_MODALITY = re.compile(r"力争|确保|争取|努力|力求|预计")
# A year the goal is set for; not a start year (从2012年起, 2012年以来) nor a comparison (比2020年).
_YEAR = re.compile(rf"(?<![比较与同从自])(?<!相比)(?P<year>[12][{_DIGIT}]{{3}})年(?!代|起|以来|开始)")
_PER_YEAR = re.compile(r"每年|平均每年|每一年")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_SEPARATORS = "，,；;：:"
_BOUNDARY_AFTER = set("，,、；;。！？!?）)（(\n") | {""}

# Leading words of a metric region that say when/how, not what is counted.
_LEADING_NOISE = re.compile(
    rf"^(?:[，,、；;：:\s]|和|及|以及|并|同时|其中|今年|全年|年内|力争|确保|争取|努力|力求|预计|每年|年均|年平均|平均每年|"
    rf"[{_DIGIT}一二两三四五六七八九十]+个?(?:年|月)内|"
    rf"(?:[到至在于]|截至)?[12][{_DIGIT}]{{3}}年(?:[—\-－~～至到][12][{_DIGIT}]{{3}}年)?(?:底|末|前|以前|之前|内)?|"
    r"[到至使让]|要|将|可)"
)
# Leading words left out of a target's quoted text: punctuation, modality and the goal year.
_TEXT_LEADING_NOISE = re.compile(
    rf"^(?:[，,、；;：:\s]|和|及|以及|并|同时|其中|力争|确保|争取|努力|力求|预计|"
    rf"(?:[到至在于]|截至)?[12][{_DIGIT}]{{3}}年(?:[—\-－~～至到][12][{_DIGIT}]{{3}}年)?(?:底|末|前|以前|之前|内)?|"
    r"[到至使让]|要|将|可)"
)
# A scope such as 重点传统制造业 that names whose goal it is, not what is counted. 产业 is left out:
# it starts too many counted nouns (产业园, 产业创新服务综合体).
_SCOPE = re.compile(
    r"^(?:全省|全市|全区|全国|我省|我市|各地|各市县?|(?:重点|传统|先进)[\u4e00-\u9fff]{0,6}?(?:制造业|行业))"
    r"(?=[^\s，,、；;：:。])"
)
_NEUTRAL_PREFIX_VERBS = _VOCABULARY.neutral_verbs
_NEUTRAL_VERBS = re.compile(rf"^(?:{_alternation(_VOCABULARY.strip_verbs)})")
_LINKING_TAIL = re.compile(
    rf"(?:达到|达|突破|超过|不少于|不低于|至少|增至|提高到|提升到|提高至|提升至|增加到|为|控制在|约|大约|"
    rf"{_PRE_QUALIFIER}|{_alternation(_VOCABULARY.closing_verbs)})+$"
)
_DISTRIBUTIVE = re.compile(
    r"(?P<word>分别|(?<![年平亩人户])均|都)(?:达到|为|超过|突破|增长|提高到|提升到|提高|下降|降低|控制在|不低于|不少于)?$"
)


def _has_distributive_word(text: str) -> bool:
    """Whether ``text`` holds a word every _DISTRIBUTIVE match holds (分别, 均, 都)."""
    return "分别" in text or "均" in text or "都" in text


_CONJUNCTION = re.compile(r"^(?:和|与|及|、|，|,)$")
_METRIC_SPLIT = re.compile(r"、|和|及|与")
_YEAR_NAME = re.compile(rf"^(?P<before>.*?)(?P<year>[12][{_DIGIT}]{{3}})年$")
_RATE_UNITS = frozenset({"%", "％", "‰", "个百分点"})
_FUND = re.compile(r"规模")
_PROJECT_NOUN = re.compile(r"(?:项目|工程)(?:建设)?$")
# Units that count things (how many are built, trained, selected), as opposed to sizes (万吨, 千瓦).
_COUNTING_UNITS = frozenset("个项家所座条名人户件套台处支床间部辆艘架张种片")
_PEOPLE_UNITS = frozenset("名人户")
# Nouns counted in people or households (…人才, 专家, 农户): there 名/人/户 count the noun itself.
_PEOPLE_NOUN = re.compile(r"(?:人才|人员|专家|学者|人|者|工|师|生|民|户|家庭|干部|医生|队伍)$")
# Last characters of a whole metric name (…占比, …产值率, …总额): such a name shares nothing.
_METRIC_HEADS = frozenset("率比重额量值数度入出")
_MAX_METRIC_CHARS = 60


class _Quantity:
    """A number read in a sentence (a plain class: see parser._Line on dataclasses when compiled)."""

    __slots__ = ("end", "maximum", "minimum", "qualifier", "start", "unit", "value")

    def __init__(
        self,
        start: int,
        end: int,
        value: str,
        unit: str | None,
        qualifier: Qualifier | None,
        minimum: str | None = None,
        maximum: str | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.value = value
        self.unit = unit
        self.qualifier = qualifier
        self.minimum = minimum  # a range's bounds as written (3—5家: "3", "5")
        self.maximum = maximum

    def with_qualifier(self, qualifier: Qualifier) -> _Quantity:
        return _Quantity(self.start, self.end, self.value, self.unit, qualifier, self.minimum, self.maximum)


def _quantity(match: re.Match[str], offset: int = 0) -> _Quantity:
    qualifier: Qualifier | None = None
    if match.group("pre"):
        qualifier = _PRE_QUALIFIERS[match.group("pre")]
    if match.group("more"):
        qualifier = "at_least"
    if match.group("post"):
        qualifier = _POST_QUALIFIERS[match.group("post")]
    second = match.groupdict().get("num2")
    if second:
        value = match.string[match.start("num") : match.end("num2")]
        return _Quantity(
            match.start() + offset, match.end() + offset, value, match.group("unit"), qualifier,
            match.group("num"), second,
        )  # fmt: skip
    return _Quantity(match.start() + offset, match.end() + offset, match.group("num"), match.group("unit"), qualifier)


@functools.lru_cache(maxsize=256)
def _masked_spans(sentence: str) -> tuple[tuple[int, int], ...]:
    """Spans inside quotes or book-title marks, where numbers name things (“151”人才工程).
    Reading a sentence asks for them once per number in it: remembered (a pure function)."""
    if not any(opening in sentence for opening in _OPENINGS):
        return ()
    return tuple((m.start(), m.end()) for pattern in _QUOTED for m in pattern.finditer(sentence))


_QUOTES = (("“", "”"), ("《", "》"), ('"', '"'), ("「", "」"))
_OPENINGS = tuple(opening for opening, _ in _QUOTES)
_QUOTED = tuple(
    re.compile(re.escape(opening) + r"[^" + re.escape(closing) + r"]*" + re.escape(closing))
    for opening, closing in _QUOTES
)


def _quantities(sentence: str) -> list[_Quantity]:
    masked = _masked_spans(sentence)
    found = [_quantity(m) for m in _QUANTITY.finditer(sentence)] if _DIGIT_CHARACTER.search(sentence) else []
    if _CHINESE_QUANTITY_HINT.search(sentence):
        found += [_quantity(m) for m in _CHINESE_QUANTITY.finditer(sentence) if m.group("num") != "一"]
    if _COMMITMENT.search(sentence):
        for m in _FRACTION.finditer(sentence):
            qualifier = _PRE_QUALIFIERS.get(m.group("pre"))
            found.append(_Quantity(m.start(), m.end(), m.group("num"), None, qualifier))
    found = [q for q in found if not any(a <= q.start < b for a, b in masked)]
    return sorted(found, key=lambda q: q.start)


def _number_start(sentence: str, q: _Quantity) -> int:
    """Where the digits begin (after any leading qualifier word)."""
    return q.start + sentence[q.start : q.end].index(q.value)


def _strip_leading_noise(text: str, start: int, noise: re.Pattern[str] = _LEADING_NOISE) -> int:
    while True:
        m = noise.match(text[start:])
        if not m or not m.group(0):
            return start
        start += m.end()


def _after_last_de(sentence: str, start: int, end: int) -> int:
    """具有博士、硕士学位的企业紧缺人才 → 企业紧缺人才: what is counted follows the last 的 of a
    modifier (outside quotes and brackets), when at least two characters follow it."""
    if sentence.find("的", start, end) < 0:
        return start  # no 的 at all (most metrics): nothing to cut
    masked = _masked_spans(sentence)
    depth = 0
    cut = start
    for i in range(start, end):
        ch = sentence[i]
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif ch == "的" and depth == 0 and end - i - 1 >= 2 and not any(a <= i < b for a, b in masked):
            cut = i + 1
    return cut


def _metric_bounds(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Narrow sentence[start:end] to the words naming what is counted."""
    commitments = list(_COMMITMENT.finditer(sentence, start, end))
    if commitments:
        start = commitments[-1].end()  # 各县市要确保每年用地指标…: what is counted follows the commitment
    start = _strip_leading_noise(sentence, start)
    scope = _SCOPE.match(sentence[start:end])
    if scope and end - start - scope.end() >= 2:
        start += scope.end()
    verb = _NEUTRAL_VERBS.match(sentence[start:end])
    if verb and end - start - verb.end() >= 2:
        start += verb.end()
    tail = _LINKING_TAIL.search(sentence[start:end])
    if tail:
        end = start + tail.start()
    while end > start and sentence[end - 1] in "，,、 \u3000的":
        end -= 1
    start = _after_last_de(sentence, start, end)
    if end - start < 2 or end - start > _MAX_METRIC_CHARS:
        return None
    return start, end


def _context(sentence: str, before: int) -> tuple[int | None, str | None]:
    """The goal year and the modality word stated in the sentence before ``before``."""
    prefix = sentence[:before]
    # The prefix's quoted spans are the sentence's that close within it: a quote still open at
    # ``before`` holds no closing mark up to there, so no span of the prefix starts inside it.
    masked = [(a, b) for a, b in _masked_spans(sentence) if b <= before]
    years = [m for m in _YEAR.finditer(prefix) if not any(a <= m.start() < b for a, b in masked)]
    year = int(years[-1].group("year").translate(_FULLWIDTH_DIGITS)) if years else None
    modalities = _MODALITY.findall(prefix)
    return year, (modalities[-1] if modalities else None)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """A small Chinese numeral as an int (三 → 3, 十五 → 15, 三百 → 300); None if it is not one.

    >>> chinese_number("十五"), chinese_number("三百二十"), chinese_number("x")
    (15, 320, None)
    """
    total, digit = 0, 0
    for ch in text:
        if ch in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[ch]
        elif ch in _CHINESE_UNITS:
            total += (digit or 1) * _CHINESE_UNITS[ch]
            digit = 0
        else:
            return None
    return total + digit if text else None


def _number(text: str) -> float | None:
    """A written number as a float: 2.2, 10,000, 三分之一, 十五."""
    text = text.translate(_FULLWIDTH_DIGITS).replace(",", "").replace("．", ".")
    try:
        return float(text)
    except ValueError:
        pass
    if "分之" in text:
        below, above = text.split("分之", 1)
        b, a = _number(below), _number(above)
        return a / b if a is not None and b else None
    whole = chinese_number(text)
    return float(whole) if whole is not None else None


def normalise(value: str, unit: str | None) -> tuple[float | None, str | None]:
    """The value in its base unit: the magnitude prefix of the unit is multiplied out.

    >>> normalise("10", "万家"), normalise("2.2", "万亿元"), normalise("45", "%")
    ((100000.0, '家'), (2200000000000.0, '元'), (45.0, '%'))
    >>> normalise("三分之一", None)
    (0.3333333333333333, None)
    """
    number = _number(value)
    if unit is None:
        return number, unit
    factor, base = _unit_scale(unit)
    if factor is None:
        return number, unit
    return (None if number is None else _round(number * factor)), base


_MAGNITUDES_LONGEST_FIRST = tuple(sorted(_VOCABULARY.magnitudes, key=len, reverse=True))
_BASE_UNITS = frozenset(_VOCABULARY.units)


@functools.lru_cache(maxsize=1024)
def _unit_scale(unit: str) -> tuple[float | None, str]:
    """(factor, base unit) of a unit written with a magnitude prefix (万家 → 1e4, 家); (None, the
    unit) when it has none or is never scaled. A pure look-up in the vocabulary: remembered."""
    if unit in _VOCABULARY.unscaled:
        return None, unit
    for prefix in _MAGNITUDES_LONGEST_FIRST:
        base = unit[len(prefix) :]
        if unit.startswith(prefix) and base in _BASE_UNITS:
            return _VOCABULARY.magnitudes[prefix], base
    return None, unit


def _base_unit(unit: str | None) -> str | None:
    """The unit without its magnitude prefix (万吨 → 吨)."""
    return normalise("1", unit)[1]


def _round(x: float) -> float:
    # 2.2 × 1e12 is 2200000000000.0002 in binary floating point; what was written had no such tail.
    return float(f"{x:.12g}")


_HorizonMatch = tuple[int, int, str, "int | None"]  # (end, -start, text, derived year)


def _horizon_matches(sentence: str, reference_year: int | None) -> list[_HorizonMatch]:
    """Every relative period written in ``sentence``, ordered by where it ends (then longest first)."""
    found: list[_HorizonMatch] = []
    for h in _VOCABULARY.horizons:
        for m in h.pattern.finditer(sentence):
            derived: int | None = h.year
            if derived is None and h.years is not None and reference_year is not None:
                if h.years == "N":
                    n = m.groupdict().get("n")
                    count = _number(n) if n else None
                    derived = None if count is None else reference_year + int(count)
                else:
                    derived = reference_year + int(h.years)
            found.append((m.end(), -m.start(), m.group(), derived))
    return sorted(found, key=lambda f: (f[0], f[1]))


def _latest_horizon(matches: list[_HorizonMatch], before: int) -> tuple[str | None, int | None]:
    """The period ending last at or before ``before``; of two ending together (三年内, 年内) the longer."""
    index = bisect.bisect_right(matches, (before, 1)) - 1  # -start is never above 0
    if index < 0:
        return None, None
    return matches[index][2], matches[index][3]


def _horizon(sentence: str, before: int, reference_year: int | None) -> tuple[str | None, int | None]:
    """The last relative period written before ``before`` and the year it ends, where known."""
    return _latest_horizon(_horizon_matches(sentence[:before], reference_year), before)


def derive_years(targets: list[Target], reference_year: int | None) -> list[Target]:
    """The targets with ``derived_year`` filled from their horizon and the document's year
    (targets with a written year, or no horizon, are returned unchanged).

    >>> [t] = extract_targets("5年内培养高技能人才2000名。")
    >>> derive_years([t], 2021)[0].derived_year
    2026
    """
    if reference_year is None:
        return targets
    result = []
    for t in targets:
        if t.horizon is not None and t.year is None and t.derived_year is None:
            _, derived = _horizon(t.horizon, len(t.horizon), reference_year)
            t = replace(t, derived_year=derived)
        result.append(t)
    return result


@functools.lru_cache(maxsize=4096)
def _clause_bounds(sentence: str, position: int) -> tuple[int, int]:
    """(start, end) of the clause around ``position``: between the clause separators either side.
    Reading a quantity asks it several times for the same place (remembered; a pure function)."""
    start = max(sentence.rfind(sep, 0, position) for sep in _CLAUSE_SEPARATORS) + 1
    ends = [i for i in (sentence.find(sep, position) for sep in _CLAUSE_SEPARATORS) if i >= 0]
    return start, (min(ends) if ends else len(sentence))


def _is_policy_parameter(sentence: str, position: int) -> bool:
    clause_start, clause_end = _clause_bounds(sentence, position)
    return bool(_POLICY_WORDS.search(sentence[clause_start:clause_end]))


class _Reading:
    """One sentence being read: its text, where it sits in the whole text, the document's year."""

    __slots__ = ("_horizons", "offset", "reference_year", "sentence")

    def __init__(self, sentence: str, offset: int = 0, reference_year: int | None = None) -> None:
        self.sentence = sentence
        self.offset = offset
        self.reference_year = reference_year
        self._horizons: list[_HorizonMatch] | None = None

    def horizon(self, before: int) -> tuple[str | None, int | None]:
        """The relative period the words before ``before`` set (read once per sentence)."""
        if self._horizons is None:
            self._horizons = _horizon_matches(self.sentence, self.reference_year)
        return _latest_horizon(self._horizons, before)


def _make(
    reading: _Reading, metric: tuple[int, int], q: _Quantity, text_span: tuple[int, int], year: int | None = None
) -> Target:
    sentence = reading.sentence
    found_year, modality = _context(sentence, q.start)
    year = year if year is not None else found_year
    clause_start, clause_end = _clause_bounds(sentence, q.start)
    per_year = bool(_PER_YEAR.search(sentence[clause_start:clause_end]))
    horizon, derived = reading.horizon(q.start)
    if year is not None:
        derived = None  # a written year wins; a horizon is kept only as written context
    if q.minimum is not None and q.maximum is not None:
        _, base_unit = normalise(q.maximum, q.unit)
        value_normalised = None  # a range has no one value; its bounds are kept as written
    else:
        value_normalised, base_unit = normalise(q.value, q.unit)
    return Target(
        metric=sentence[metric[0] : metric[1]],
        value=q.value,
        unit=q.unit,
        qualifier=q.qualifier,
        year=year,
        per_year=per_year,
        modality=modality,
        text=sentence[text_span[0] : text_span[1]],
        value_normalised=value_normalised,
        base_unit=base_unit,
        minimum=q.minimum,
        maximum=q.maximum,
        horizon=horizon,
        derived_year=derived,
        span=(reading.offset + text_span[0], reading.offset + text_span[1]),
    )


def _coordinated_metrics(names: list[str]) -> list[str]:
    """Each coordinated subject with the words it shares rebuilt around it.

    >>> _coordinated_metrics(["马铃薯种植", "收获机械化率"])
    ['马铃薯种植机械化率', '马铃薯收获机械化率']
    >>> _coordinated_metrics(["生猪", "蛋鸡", "肉鸡规模化养殖机械化率"])
    ['生猪规模化养殖机械化率', '蛋鸡规模化养殖机械化率', '肉鸡规模化养殖机械化率']
    >>> _coordinated_metrics(["国家级", "省级开发区税收"])
    ['国家级开发区税收', '省级开发区税收']
    """
    last = names[-1]
    if names[0][-1:] in _METRIC_HEADS or names[0][-1:] == last[-1:]:
        return list(names)  # 研发投入占比、新产品产值率: every name is whole already
    if len(names) >= 3:
        width = len(names[-2])  # the middle subjects are written bare: their width is the subject's
    else:
        aligned = last.find(names[0][-1], 0, 5)
        width = aligned + 1 if aligned >= 0 and len(names[0]) <= 4 else min(2, len(names[0]))
    if width >= len(last) or width > 4:
        return list(names)
    suffix = last[width:]
    first = names[0]
    # 马铃薯种植、收获…: the first name may carry a shared subject before its own part
    prefix = first[: len(first) - width] if len(first) - width >= 2 and len(names) == 2 else ""
    rebuilt = [first + suffix]
    rebuilt += [prefix + n + suffix for n in names[1:-1]]
    rebuilt.append(prefix + last)
    return rebuilt


def _split_top_level(text: str) -> list[str]:
    """Split on 、 outside quotes and brackets."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "(（“《":
            depth += 1
        elif ch in ")）”》":
            depth = max(0, depth - 1)
        if ch == "、" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def _split_rate(target: Target) -> list[Target]:
    """生猪、蛋鸡、肉鸡规模化养殖机械化率达到70%以上: a rate of coordinated subjects is a rate of each."""
    if target.unit not in _RATE_UNITS or not target.metric.endswith("率"):
        return [target]
    names = _split_top_level(target.metric)
    if len(names) < 2 or any(len(n) < 1 for n in names):
        return [target]
    return [replace(target, metric=m) for m in _coordinated_metrics(names)]


def _sentence_targets(reading: _Reading, hinted: bool = False) -> list[Target]:
    """``hinted``: the caller knows the sentence holds a quantity hint (_has_quantity_hint)."""
    sentence = reading.sentence
    if not (hinted or _has_quantity_hint(sentence)) or not _has_trigger(sentence):
        return []
    quantities = _quantities(sentence)
    targets: list[Target] = []
    previous_end = 0
    previous_was_prefix = False  # the last target read "verb + N unit + noun"
    index = 0
    while index < len(quantities):
        q = quantities[index]
        index += 1
        if q.start < previous_end:
            continue
        number_start = _number_start(sentence, q)
        region_start = max(previous_end, _clause_bounds(sentence, q.start)[0])
        region = sentence[region_start : q.start]
        following = sentence[q.end : q.end + 1]
        if _is_policy_parameter(sentence, q.start):
            continue

        # (_DISTRIBUTIVE opens with a look-behind, so the engine tries it everywhere: its words first)
        distributive = _DISTRIBUTIVE.search(region.rstrip()) if _has_distributive_word(region) else None
        if distributive:
            group = [q]
            cursor = q.end
            while index < len(quantities) and _CONJUNCTION.match(sentence[cursor : quantities[index].start].strip()):
                group.append(quantities[index])
                cursor = quantities[index].end
                index += 1
            subject_start = _strip_leading_noise(sentence, region_start)
            subject_end = region_start + distributive.start()
            names = [n for n in _METRIC_SPLIT.split(sentence[subject_start:subject_end]) if n]
            if distributive.group("word") != "分别" and len(group) == 1:
                group = group * len(names)
            if sentence[cursor : cursor + 1] not in _BOUNDARY_AFTER:
                continue
            if len(group) >= 2 and len(names) != len(group) and distributive.group("word") == "分别":
                # 城乡居民人均可支配收入分别增长7.5%和8%: the subjects are not written apart, so each
                # value keeps the whole phrase
                names = [sentence[subject_start:subject_end]] * len(group)
            if len(names) < 2 or len(names) != len(group):
                continue
            qualified = [g.qualifier for g in group if g.qualifier is not None]
            if len(group) > 1 and len(qualified) == 1 and (group[0].qualifier or group[-1].qualifier):
                # 分别突破1.5万亿元、1.8万亿元 / 分别达到80%、50%、50%以上: one qualifier opening or
                # closing the list holds for every value of it
                group = [g.with_qualifier(qualified[0]) for g in group]
            # 软件业务收入2024年、2025年分别突破…: one target per year, the words before the first year
            # naming what is counted
            dated = [_YEAR_NAME.match(n) for n in names]
            if all(dated) and dated[0] is not None and dated[0].group("before"):
                metric_start = subject_start
                metric_end = metric_start + len(dated[0].group("before"))
                for match, quantity in zip(dated, group, strict=True):
                    assert match is not None
                    year = int(match.group("year").translate(_FULLWIDTH_DIGITS))
                    targets.append(_make(reading, (metric_start, metric_end), quantity, (subject_start, cursor), year))
            else:
                search_from = subject_start
                rebuilt = _coordinated_metrics(names) if len(set(names)) == len(names) else names
                for name, whole, quantity in zip(names, rebuilt, group, strict=True):
                    name_start = sentence.index(name, search_from if len(set(names)) == len(names) else subject_start)
                    search_from = name_start + len(name)
                    target = _make(reading, (name_start, name_start + len(name)), quantity, (subject_start, cursor))
                    targets.append(replace(target, metric=whole))
            previous_end = cursor
            previous_was_prefix = False
            continue

        if q.unit is None:  # a share (三分之一): what it is a share of precedes it, its use may follow
            metric = _metric_bounds(sentence, region_start, q.start)
            if metric is None:
                continue
            use_end = q.end
            while use_end < len(sentence) and sentence[use_end] not in _BOUNDARY_AFTER:
                use_end += 1
            text_start = _strip_leading_noise(sentence, metric[0], _TEXT_LEADING_NOISE)
            targets.append(_make(reading, metric, q, (min(text_start, metric[0]), use_end)))
            previous_end = use_end
            previous_was_prefix = False
            continue

        if following in _BOUNDARY_AFTER:
            metric = _metric_bounds(sentence, region_start, q.start)
            if metric is None:
                continue
            text_start = _strip_leading_noise(sentence, region_start, _TEXT_LEADING_NOISE)
            target = _make(reading, metric, q, (text_start, q.end))
            if target.metric in _DIRECTION_ONLY and targets:
                target = replace(target, metric=targets[-1].metric + target.metric)
            targets.extend(_split_rate(target))
            previous_end = q.end
            previous_was_prefix = False
            continue

        before = sentence[region_start:number_start].rstrip()  # "抓好 132 个…": spaced numbers
        clause_end = _clause_bounds(sentence, q.start)[1]
        if following == "的":
            rest = sentence[q.end + 1 : clause_end]
            if q.unit in _RATE_UNITS and re.search(r"达到|实现|完成|通过", rest):
                # 90%的县政务服务大厅达到三星级以上: a share of units reaching a level; the 以上 belongs
                # to the level, so the share has no qualifier of its own.
                target = _make(reading, (q.end + 1, clause_end), q, (region_start, clause_end))
                targets.append(target)
                previous_end = clause_end
                previous_was_prefix = False
                continue
            if _FUND.search(before) and rest.endswith("基金"):
                # 设立总规模50亿元的天使投资引导基金: a fund's size
                target = _make(reading, (q.end + 1, clause_end), q, (region_start, clause_end))
                targets.append(target)
                previous_end = clause_end
                previous_was_prefix = False
                continue

        # "verb + N unit + noun": 培育10家龙头企业. A number before a noun without such a verb is a
        # threshold describing the noun (总投资10亿元以上技术改造项目), not a goal.
        verb = _goal_verb_ending(before)
        chained = previous_was_prefix and (
            (region_start == previous_end and _CONJUNCTION.match(before)) or before.strip("，,、和及与 ") == ""
        )
        if verb is None and not chained:
            continue
        if verb is not None and before[: -len(verb)].endswith("各"):
            continue  # 各选择1-2个…县: what each unit does is the design of a pilot, not a goal
        quantity_starts = {other.start for other in quantities[index:]}
        noun_end = q.end
        # A noun phrase longer than _MAX_METRIC_CHARS is dropped below, so looking further is wasted
        # (the 2 spare characters let a two-character _NOUN_STOP word at the limit still be found).
        noun_limit = min(len(sentence), q.end + _MAX_METRIC_CHARS + 2)
        while noun_end < noun_limit and sentence[noun_end] not in "，,；;。！？!?\n":
            if sentence[noun_end] in "和及与、" and noun_end + 1 in quantity_starts:
                break  # 2个千亿级产业集群和10个百亿级产业集群: the next goal of the same verb
            noun_end += 1
        noun_stop = _NOUN_STOP.search(sentence, q.end + 1, noun_end)
        if noun_stop:
            noun_end = noun_stop.start()
        if noun_end - q.end < 2 or noun_end - q.end > _MAX_METRIC_CHARS:
            continue
        if any(other.start < noun_end for other in quantities[index:]):
            continue  # another number inside the noun phrase: too ambiguous to read safely
        base = _base_unit(q.unit)
        if _PROJECT_NOUN.search(sentence, q.end, noun_end) and base not in _COUNTING_UNITS:
            continue  # 抓好80万吨乙烯改扩建项目: the number is the project's size, not how many are built
        if following == "的" and not (
            (base in _COUNTING_UNITS and base not in _PEOPLE_UNITS) or _PEOPLE_NOUN.search(sentence, q.end, noun_end)
        ):
            continue  # 20户以上的自然村, 500亩以上的园区: a threshold describing the noun, not how many
        text_start = sentence.rfind(verb, region_start, q.start) if verb else q.start
        metric_start = _after_last_de(sentence, q.end, noun_end)
        target = _make(reading, (metric_start, noun_end), q, (text_start, noun_end))
        if verb and verb not in _NEUTRAL_PREFIX_VERBS:  # 节约10万吨标准煤 counts 节约标准煤, as 节约标准煤10万吨 would
            target = replace(target, metric=verb + target.metric)
        targets.append(target)
        previous_end = noun_end
        previous_was_prefix = True
    return targets


def extract_targets(text: str, *, reference_year: int | None = None) -> list[Target]:
    """Every quantitative goal stated in ``text``, in reading order.

    ``reference_year`` (the document's year) turns a relative period into a derived year
    (``derived_year``); ``year`` is only ever a year written for the target.

    >>> ts = extract_targets("力争到2020年，重点传统制造业新增省级重点企业研究院25家、省级及以上企业技术中心80家。")
    >>> [(t.metric, t.value, t.unit, t.qualifier) for t in ts]
    [('新增省级重点企业研究院', '25', '家', None), ('省级及以上企业技术中心', '80', '家', None)]
    >>> t = extract_targets("力争到2020年，每年淘汰落后产能涉及企业1000家以上。")[0]
    >>> (t.metric, t.qualifier, t.per_year, t.text)
    ('淘汰落后产能涉及企业', 'at_least', True, '每年淘汰落后产能涉及企业1000家以上')
    >>> t = extract_targets("三年内新增上云企业10万家。", reference_year=2021)[0]
    >>> (t.value_normalised, t.base_unit, t.year, t.horizon, t.derived_year)
    (100000.0, '家', None, '三年内', 2024)
    """
    targets: list[Target] = []
    if not _has_quantity_hint(text):
        return targets  # no sentence of it holds a quantity (most measures: the quick answer)
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    if _HINTS_HOLD_NO_END and len(text) <= _MAX_SENTENCE_CHARS and (not ends or ends == [len(text) - 1]):
        # One sentence (most measures): it holds the hint the whole text does (no hint holds a
        # sentence end), so it is not looked for again.
        end = ends[0] if ends else len(text)
        return _sentence_targets(_Reading(text[:end], 0, reference_year), hinted=True)
    start = 0
    for end in [*ends, len(text)]:
        for offset, window in _bounded_windows(text, start, end):
            targets.extend(_sentence_targets(_Reading(window, offset, reference_year)))
        start = end + 1
    return targets


# Reading one sentence costs more than linear time in its length (each number looks back over
# the sentence for its year and modality), so a sentence longer than this is read in windows cut
# at clause separators. Real sentences are far shorter (the longest in the corpus is under 600
# characters); only a run-on line such as a pasted table or crafted input is cut.
_MAX_SENTENCE_CHARS = 2000


def _bounded_windows(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """text[start:end] as one piece, or, when longer than ``_MAX_SENTENCE_CHARS``, as pieces
    no longer than that, cut after the last clause separator of each (hard cut where none);
    each with its offset in ``text``.

    >>> [(o, len(w)) for o, w in _bounded_windows("甲" * 1500 + "，" + "乙" * 1500, 0, 3001)]
    [(0, 1500), (1501, 1500)]
    >>> [len(w) for _, w in _bounded_windows("甲" * 4500, 0, 4500)]
    [2000, 2000, 500]
    """
    windows: list[tuple[int, str]] = []
    position = start
    while end - position > _MAX_SENTENCE_CHARS:
        limit = position + _MAX_SENTENCE_CHARS
        cut = max(text.rfind(sep, position + 1, limit) for sep in _CLAUSE_SEPARATORS)
        if cut < 0:
            windows.append((position, text[position:limit]))
            position = limit
        else:
            windows.append((position, text[position:cut]))
            position = cut + 1
    if end > position:
        windows.append((position, text[position:end]))
    return windows
