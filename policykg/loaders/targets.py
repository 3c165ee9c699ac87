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

import re
from dataclasses import dataclass, replace

from policykg.graph.model import Qualifier, Target

_DIGIT = "0-9０-９"
_NUMBER = rf"[{_DIGIT}](?:[{_DIGIT},]*[{_DIGIT}])?(?:[.．][{_DIGIT}]+)?"
_CHINESE_NUMBER = "[一二两三四五六七八九十百千]+"

# Counting units a goal is stated in; magnitude prefixes (万家, 亿千瓦) are kept with the unit.
# Time units (年, 月, 日, 天, 小时, 岁) are deliberately absent: they are durations, dates or ages.
_BASE_UNITS = (
    "个百分点",
    "平方公里",
    "平方米",
    "千瓦时",
    "千瓦",
    "公顷",
    "公里",
    "千米",
    "美元",
    "人次",
    "%",
    "％",
    "‰",
    "家",
    "台",
    "套",
    "个",
    "项",
    "条",
    "座",
    "所",
    "名",
    "人",
    "户",
    "件",
    "亩",
    "吨",
    "元",
    "倍",
    "张",
    "部",
    "辆",
    "艘",
    "架",
    "处",
    "种",
    "支",
    "片",
    "间",
    "床",
    "次",
    "盏",
    "米",
)
_MAGNITUDE = "(?:万亿|千亿|百亿|亿|千万|百万|十万|万|千|百)"
_UNIT = rf"(?:{_MAGNITUDE}?(?:{'|'.join(re.escape(u) for u in _BASE_UNITS)}))"

_PRE_QUALIFIERS: dict[str, Qualifier] = {
    "超过": "at_least",
    "不少于": "at_least",
    "不低于": "at_least",
    "至少": "at_least",
    "超": "at_least",
    "不超过": "at_most",
    "不高于": "at_most",
    "控制在": "at_most",
    "低于": "at_most",
    "约": "about",
    "大约": "about",
}
_POST_QUALIFIERS: dict[str, Qualifier] = {
    "以上": "at_least",
    "以下": "at_most",
    "以内": "at_most",
    "之内": "at_most",
    "左右": "about",
}
_PRE_QUALIFIER = "|".join(sorted(_PRE_QUALIFIERS, key=len, reverse=True))
_POST_QUALIFIER = "|".join(_POST_QUALIFIERS)

_QUANTITY = re.compile(
    rf"(?:(?<![节制签公条预合赶])(?P<pre>{_PRE_QUALIFIER}))?"
    rf"(?<![{_DIGIT}.．A-Za-z\-—－~～/第前])(?P<num>{_NUMBER})(?P<more>多|余)?(?P<unit>{_UNIT})"
    rf"(?P<post>{_POST_QUALIFIER})?"
)

# Verbs that, written right before a number, make "verb + N unit + noun" a goal (培育10家龙头企业).
_GOAL_VERBS = (
    "新增",
    "累计",
    "建成",
    "建设",
    "培育",
    "创建",
    "打造",
    "培养",
    "引进",
    "新建",
    "扶持",
    "认定",
    "达到",
    "突破",
    "增加",
    "实现",
    "完成",
    "淘汰",
    "组建",
    "形成",
    "发展",
    "实施",
    "带动",
    "吸引",
    "新改扩建",
    "安排",
    "节约",
    "启动",
    "开工",
    "改造",
    "取消",
    "下放",
    "压减",
)
# Where the noun phrase after "verb + N unit" ends: the next verb starts what the thing is for.
_NOUN_STOP = re.compile(r"用于|实施|支持|开展|推动|推进|加大|加快|促进|投向|投入|带动|参与|帮助")
# A share such as 三分之一 has no unit; it is a goal only when a qualifier or 达到 introduces it
# in a sentence that commits to it (确保每年用地指标不少于三分之一用于制造业项目).
_FRACTION = re.compile(
    rf"(?P<pre>{_PRE_QUALIFIER}|达到)"
    rf"(?P<num>[{_DIGIT}]+分之[{_DIGIT}]+|[一二三四五六七八九十百]+分之[一二三四五六七八九十]+)"
)
_COMMITMENT = re.compile(r"确保|力争|争取|努力|力求")
_CHINESE_QUANTITY = re.compile(
    rf"(?<=新增|累计|建成|建设|培育|创建|打造|培养|引进|新建|达到|突破)"
    rf"(?P<pre>{_PRE_QUALIFIER})?(?P<num>{_CHINESE_NUMBER})(?P<more>多|余)?(?P<unit>{_UNIT})"
    rf"(?P<post>{_POST_QUALIFIER})?"
)

# A sentence must say it sets a goal before any number in it can be a target.
_TRIGGER = re.compile(
    r"力争|确保|争取|努力|力求|达到|新增|累计|建成|建设|培育|创建|完成|实现|突破|增长|提高|提升|下降|降低|减少"
    r"|淘汰|培养|打造|引进|新建|扩建|形成|扶持|认定|覆盖|控制在|安排|启动|开工|改造|实施|取消|下放|压减|[到至][12]\d{3}年"
)
# Words marking a number as a policy parameter (rates, ceilings, ages, terms) or as a present
# state (现有, 已建成), never a goal.
_POLICY_WORDS = re.compile(
    r"补助|补贴|奖励|贴息|利率|费率|退税|返还|给予|最高|上限|年满|周岁|岁|期限|工作日|担保费|保费|税率|罚款"
    r"|首付|额度|门槛|不得|须|标准为|现有|已有|共有|目前|现已|已经|已建成|已达|截至目前|截止目前|排名|位居"
)
# A metric that is only a direction (年均增长10%) continues the previous target's metric.
_DIRECTION_ONLY = {"增长", "下降", "提高", "降低", "增加", "减少"}
_MODALITY = re.compile(r"力争|确保|争取|努力|力求|预计")
_YEAR = re.compile(rf"(?<![比较与同])(?<!相比)(?P<year>[12][{_DIGIT}]{{3}})年(?!代)")
_PER_YEAR = re.compile(r"每年|年均|年平均|平均每年|每一年")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_SEPARATORS = "，,；;：:"
_BOUNDARY_AFTER = set("，,、；;。！？!?）)（(\n") | {""}

# Leading words of a metric region that say when/how, not what is counted.
_LEADING_NOISE = re.compile(
    rf"^(?:[，,、；;：:\s]|和|及|以及|并|同时|其中|力争|确保|争取|努力|力求|预计|全年|每年|年均|年平均|平均每年|"
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
_NEUTRAL_PREFIX_VERBS = {
    "建设",
    "建成",
    "培育",
    "创建",
    "打造",
    "培养",
    "扶持",
    "组建",
    "形成",
    "发展",
    "实现",
    "达到",
    "突破",
}
_NEUTRAL_VERBS = re.compile(r"^(?:建设|建成|培育|创建|打造|培养|扶持|组建)")
_LINKING_TAIL = re.compile(
    rf"(?:达到|达|突破|超过|不少于|不低于|至少|增至|提高到|提升到|提高至|提升至|增加到|为|控制在|约|大约|{_PRE_QUALIFIER})+$"
)
_DISTRIBUTIVE = re.compile(
    r"(?P<word>分别|(?<![年平亩人户])均|都)(?:达到|为|超过|增长|提高到|提升到|提高|下降|降低|控制在|不低于|不少于)?$"
)
_CONJUNCTION = re.compile(r"^(?:和|与|及|、|，|,)$")
_METRIC_SPLIT = re.compile(r"、|和|及|与")
_MAX_METRIC_CHARS = 60


@dataclass(frozen=True, slots=True)
class _Quantity:
    start: int
    end: int
    value: str
    unit: str | None
    qualifier: Qualifier | None


def _quantity(match: re.Match[str], offset: int = 0) -> _Quantity:
    qualifier: Qualifier | None = None
    if match.group("pre"):
        qualifier = _PRE_QUALIFIERS[match.group("pre")]
    if match.group("more"):
        qualifier = "at_least"
    if match.group("post"):
        qualifier = _POST_QUALIFIERS[match.group("post")]
    return _Quantity(match.start() + offset, match.end() + offset, match.group("num"), match.group("unit"), qualifier)


def _masked_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans inside quotes or book-title marks, where numbers name things (“151”人才工程)."""
    return [(m.start(), m.end()) for pattern in _QUOTED for m in pattern.finditer(sentence)]


_QUOTED = tuple(
    re.compile(re.escape(opening) + r"[^" + re.escape(closing) + r"]*" + re.escape(closing))
    for opening, closing in (("“", "”"), ("《", "》"), ('"', '"'), ("「", "」"))
)


def _quantities(sentence: str) -> list[_Quantity]:
    masked = _masked_spans(sentence)
    found = [_quantity(m) for m in _QUANTITY.finditer(sentence)]
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
    while end > start and sentence[end - 1] in "，,、 的":
        end -= 1
    if end - start < 2 or end - start > _MAX_METRIC_CHARS:
        return None
    return start, end


def _context(sentence: str, before: int) -> tuple[int | None, str | None]:
    """The goal year and the modality word stated in the sentence before ``before``."""
    prefix = sentence[:before]
    masked = _masked_spans(prefix)
    years = [m for m in _YEAR.finditer(prefix) if not any(a <= m.start() < b for a, b in masked)]
    year = int(years[-1].group("year").translate(_FULLWIDTH_DIGITS)) if years else None
    modalities = _MODALITY.findall(prefix)
    return year, (modalities[-1] if modalities else None)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _clause_bounds(sentence: str, position: int) -> tuple[int, int]:
    start = max(sentence.rfind(sep, 0, position) for sep in _CLAUSE_SEPARATORS) + 1
    ends = [i for i in (sentence.find(sep, position) for sep in _CLAUSE_SEPARATORS) if i >= 0]
    return start, (min(ends) if ends else len(sentence))


def _is_policy_parameter(sentence: str, position: int) -> bool:
    clause_start, clause_end = _clause_bounds(sentence, position)
    return bool(_POLICY_WORDS.search(sentence[clause_start:clause_end]))


def _make(sentence: str, metric: tuple[int, int], q: _Quantity, text_span: tuple[int, int]) -> Target:
    year, modality = _context(sentence, q.start)
    clause_start, clause_end = _clause_bounds(sentence, q.start)
    per_year = bool(_PER_YEAR.search(sentence[clause_start:clause_end]))
    return Target(
        metric=sentence[metric[0] : metric[1]],
        value=q.value,
        unit=q.unit,
        qualifier=q.qualifier,
        year=year,
        per_year=per_year,
        modality=modality,
        text=sentence[text_span[0] : text_span[1]],
    )


def _shared_head(name: str, last: str) -> str | None:
    """国家级 + 省级开发区税收 → 国家级开发区税收: a short modifier shares the last name's head."""
    if name == last or len(name) > 4:
        return None
    position = last.find(name[-1], 0, 5)
    if position < 0 or position + 1 >= len(last):
        return None
    return name + last[position + 1 :]


def _sentence_targets(sentence: str) -> list[Target]:
    if not _TRIGGER.search(sentence):
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

        distributive = _DISTRIBUTIVE.search(region)
        if distributive:
            group = [q]
            cursor = q.end
            while index < len(quantities) and _CONJUNCTION.match(sentence[cursor : quantities[index].start]):
                group.append(quantities[index])
                cursor = quantities[index].end
                index += 1
            subject_start = _strip_leading_noise(sentence, region_start)
            subject_end = region_start + distributive.start()
            names = [n for n in _METRIC_SPLIT.split(sentence[subject_start:subject_end]) if n]
            if distributive.group("word") != "分别" and len(group) == 1:
                group = group * len(names)
            if len(names) < 2 or len(names) != len(group) or sentence[cursor : cursor + 1] not in _BOUNDARY_AFTER:
                continue
            search_from = subject_start
            for name, quantity in zip(names, group, strict=True):
                name_start = sentence.index(name, search_from)
                search_from = name_start + len(name)
                target = _make(sentence, (name_start, name_start + len(name)), quantity, (subject_start, cursor))
                shared = _shared_head(name, names[-1])
                targets.append(replace(target, metric=shared) if shared else target)
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
            targets.append(_make(sentence, metric, q, (min(text_start, metric[0]), use_end)))
            previous_end = use_end
            previous_was_prefix = False
            continue

        if following in _BOUNDARY_AFTER:
            metric = _metric_bounds(sentence, region_start, q.start)
            if metric is None:
                continue
            text_start = _strip_leading_noise(sentence, region_start, _TEXT_LEADING_NOISE)
            target = _make(sentence, metric, q, (text_start, q.end))
            if target.metric in _DIRECTION_ONLY and targets:
                target = replace(target, metric=targets[-1].metric + target.metric)
            targets.append(target)
            previous_end = q.end
            previous_was_prefix = False
            continue

        # "verb + N unit + noun": 培育10家龙头企业. A number before a noun without such a verb is a
        # threshold describing the noun (总投资10亿元以上技术改造项目), not a goal.
        before = sentence[region_start:number_start]
        verb = next((v for v in _GOAL_VERBS if before.endswith(v)), None)
        chained = previous_was_prefix and region_start == previous_end and _CONJUNCTION.match(before)
        if verb is None and not chained:
            continue
        quantity_starts = {other.start for other in quantities[index:]}
        noun_end = q.end
        # A noun phrase longer than _MAX_METRIC_CHARS is dropped below, so looking further is wasted
        # (the 2 spare characters let a two-character _NOUN_STOP word at the limit still be found).
        noun_limit = min(len(sentence), q.end + _MAX_METRIC_CHARS + 2)
        while noun_end < noun_limit and sentence[noun_end] not in _BOUNDARY_AFTER:
            if sentence[noun_end] in "和及与" and noun_end + 1 in quantity_starts:
                break  # 2个千亿级产业集群和10个百亿级产业集群: the next goal of the same verb
            noun_end += 1
        noun_stop = _NOUN_STOP.search(sentence, q.end + 1, noun_end)
        if noun_stop:
            noun_end = noun_stop.start()
        if noun_end - q.end < 2 or noun_end - q.end > _MAX_METRIC_CHARS:
            continue
        if any(other.start < noun_end for other in quantities[index:]):
            continue  # another number inside the noun phrase: too ambiguous to read safely
        text_start = sentence.rfind(verb, region_start, q.start) if verb else q.start
        target = _make(sentence, (q.end, noun_end), q, (text_start, noun_end))
        if verb and verb not in _NEUTRAL_PREFIX_VERBS:  # 节约10万吨标准煤 counts 节约标准煤, as 节约标准煤10万吨 would
            target = replace(target, metric=verb + target.metric)
        targets.append(target)
        previous_end = noun_end
        previous_was_prefix = True
    return targets


def extract_targets(text: str) -> list[Target]:
    """Every quantitative goal stated in ``text``, in reading order.

    >>> ts = extract_targets("力争到2020年，重点传统制造业新增省级重点企业研究院25家、省级及以上企业技术中心80家。")
    >>> [(t.metric, t.value, t.unit, t.qualifier) for t in ts]
    [('新增省级重点企业研究院', '25', '家', None), ('省级及以上企业技术中心', '80', '家', None)]
    >>> t = extract_targets("力争到2020年，每年淘汰落后产能涉及企业1000家以上。")[0]
    >>> (t.metric, t.qualifier, t.per_year, t.text)
    ('淘汰落后产能涉及企业', 'at_least', True, '每年淘汰落后产能涉及企业1000家以上')
    """
    targets: list[Target] = []
    start = 0
    for end_match in [*_SENTENCE_END.finditer(text), None]:
        end = end_match.start() if end_match else len(text)
        for window in _bounded_windows(text, start, end):
            targets.extend(_sentence_targets(window))
        start = end + 1
    return targets


# Reading one sentence costs more than linear time in its length (each number looks back over
# the sentence for its year and modality), so a sentence longer than this is read in windows cut
# at clause separators. Real sentences are far shorter (the longest in the corpus is under 600
# characters); only a run-on line such as a pasted table or crafted input is cut.
_MAX_SENTENCE_CHARS = 2000


def _bounded_windows(text: str, start: int, end: int) -> list[str]:
    """text[start:end] as one piece, or, when longer than ``_MAX_SENTENCE_CHARS``, as pieces
    no longer than that, cut after the last clause separator of each (hard cut where none).

    >>> [len(w) for w in _bounded_windows("甲" * 1500 + "，" + "乙" * 1500, 0, 3001)]
    [1500, 1500]
    >>> [len(w) for w in _bounded_windows("甲" * 4500, 0, 4500)]
    [2000, 2000, 500]
    """
    windows: list[str] = []
    position = start
    while end - position > _MAX_SENTENCE_CHARS:
        limit = position + _MAX_SENTENCE_CHARS
        cut = max(text.rfind(sep, position + 1, limit) for sep in _CLAUSE_SEPARATORS)
        if cut < 0:
            windows.append(text[position:limit])
            position = limit
        else:
            windows.append(text[position:cut])
            position = cut + 1
    if end > position:
        windows.append(text[position:end])
    return windows
