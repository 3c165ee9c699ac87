"""Quantitative targets out of measure text: real sentences of the corpus, read by hand.

Expected values below were written from reading the documents in /work/shared/corpus
(the Zhejiang 2017 分解方案 and the four gov.cn notices), never from the extractor's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.graph.model import Target
from policykg.loaders.targets import extract_targets

CORPUS = Path(__file__).resolve().parent.parent / "policykg" / "examples"


def fields(t: Target) -> tuple[str, str | None, str | None, int | None, bool, str | None]:
    return (t.value, t.unit, t.qualifier, t.year, t.per_year, t.modality)


# (sentence as written in the Zhejiang document, [(metric, value, unit, qualifier, year, per_year, modality)])
ZHEJIANG_GOALS = [
    (
        "力争到2020年,重点传统制造业建设省级产业创新服务综合体20家。",
        [("省级产业创新服务综合体", "20", "家", None, 2020, False, "力争")],
    ),
    (
        "力争到2020年,重点传统制造业新增省级重点企业研究院25家、省级及以上企业技术中心80家。",
        [
            ("新增省级重点企业研究院", "25", "家", None, 2020, False, "力争"),
            # 及以上 belongs to the metric's name, it does not qualify 80家
            ("省级及以上企业技术中心", "80", "家", None, 2020, False, "力争"),
        ],
    ),
    (
        "力争到2020年,重点传统制造业实施总投资10亿元以上技术改造项目100个。",
        [("实施总投资10亿元以上技术改造项目", "100", "个", None, 2020, False, "力争")],
    ),
    (
        "力争到2020年,重点传统制造业新增工业机器人20000台、省级“机器换人”工程技术服务公司25家。",
        [
            ("新增工业机器人", "20000", "台", None, 2020, False, "力争"),
            ("省级“机器换人”工程技术服务公司", "25", "家", None, 2020, False, "力争"),
        ],
    ),
    (
        "力争到2020年,重点传统制造业上云企业达到10万家。",
        [("上云企业", "10", "万家", None, 2020, False, "力争")],
    ),
    (
        "力争到2020年,重点传统制造业培育服务型制造示范试点企业200家、个性化定制示范试点企业200家。",
        [
            ("服务型制造示范试点企业", "200", "家", None, 2020, False, "力争"),
            ("个性化定制示范试点企业", "200", "家", None, 2020, False, "力争"),
        ],
    ),
    (
        "力争到2020年,重点传统制造业培育“浙江制造”品牌企业800家,“浙江制造”认证企业200家,新增“浙江制造精品”150个。",
        [
            ("“浙江制造”品牌企业", "800", "家", None, 2020, False, "力争"),
            ("“浙江制造”认证企业", "200", "家", None, 2020, False, "力争"),
            ("新增“浙江制造精品”", "150", "个", None, 2020, False, "力争"),
        ],
    ),
    (
        "力争到2020年,重点传统制造业培育省市县“三名”试点企业600家以上。",
        [("省市县“三名”试点企业", "600", "家", "at_least", 2020, False, "力争")],
    ),
    (
        "力争到2020年,重点传统制造业企业完成股份制改造800家以上,新增上市公司80家,"
        "新增新三板和浙江股权交易中心挂牌企业500家。",
        [
            ("企业完成股份制改造", "800", "家", "at_least", 2020, False, "力争"),
            ("新增上市公司", "80", "家", None, 2020, False, "力争"),
            ("新增新三板和浙江股权交易中心挂牌企业", "500", "家", None, 2020, False, "力争"),
        ],
    ),
    (
        "力争到2020年,重点传统制造业上市公司并购重组交易金额达到800亿元以上。",
        [("上市公司并购重组交易金额", "800", "亿元", "at_least", 2020, False, "力争")],
    ),
    (
        "力争到2020年,省级特色工业设计基地设计服务收入年均增长10%以上。",
        # 年均增长 is a rate, not a per-year quantity (docs/labeling.md: per_year only for 每年)
        [("省级特色工业设计基地设计服务收入年均增长", "10", "%", "at_least", 2020, False, "力争")],
    ),
    (
        "力争到2020年,新增小微企业园区和“双创”基地400家,新改扩建标准厂房4000万平方米。",
        [
            ("新增小微企业园区和“双创”基地", "400", "家", None, 2020, False, "力争"),
            ("新改扩建标准厂房", "4000", "万平方米", None, 2020, False, "力争"),
        ],
    ),
    (
        "力争到2020年,每年淘汰整治“低小散”“脏乱差”企业(作坊)10000家以上。",
        [("淘汰整治“低小散”“脏乱差”企业(作坊)", "10000", "家", "at_least", 2020, True, "力争")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), ZHEJIANG_GOALS, ids=[e[0][10:24] for e in ZHEJIANG_GOALS])
def test_zhejiang_goal_sentences(sentence: str, expected: list[tuple[object, ...]]) -> None:
    found = extract_targets(sentence)
    assert [(t.metric, *fields(t)) for t in found] == expected
    for t in found:
        assert t.text in sentence
        assert t.value in t.text


def test_whole_item_with_context_sentence_and_clause() -> None:
    # 三/(二)/1 as the parser hands it over: lead-in sentence, goal sentence, responsibility clause.
    item = (
        "积极谋划实施一批突破性、带动性、示范性强的重点技术改造项目,推动关键领域技术装备达到国际国内先进水平。"
        "力争到2020年,重点传统制造业实施总投资10亿元以上技术改造项目100个。(责任单位:省经信委)"
    )
    [target] = extract_targets(item)
    assert (target.value, target.unit) == ("100", "个")
    assert "10亿元以上" in target.metric  # the threshold stays a description of what is counted


def test_target_text_is_the_source_substring() -> None:
    sentence = "力争到2020年,重点传统制造业新增工业机器人20000台、省级“机器换人”工程技术服务公司25家。"
    first, second = extract_targets(sentence)
    assert first.text.endswith("新增工业机器人20000台")
    assert second.text == "省级“机器换人”工程技术服务公司25家"


def test_funding_commitment_over_a_stated_period() -> None:
    # Zhejiang 四/(三)/2: the 5% reward rate is a policy parameter; the 18亿元 a year is committed.
    sentence = (
        "2017—2018年,省政府给予市、县(市)地方部分增值税当年增收额5%的财政奖励;2017—2019年省政府整合工业与"
        "信息化发展专项资金和新增财力,每年安排18亿元资金实施振兴实体经济(传统产业改造)财政专项激励政策。"
    )
    [target] = extract_targets(sentence)
    assert fields(target) == ("18", "亿元", None, 2019, True, None)


def test_committed_shares_without_unit() -> None:
    # Zhejiang 四/(三)/7
    sentence = (
        "18个振兴实体经济(传统产业改造)财政专项激励县市要确保每年用地指标不少于三分之一用于制造业项目,"
        "每年财政专项激励资金不少于三分之一用于传统制造业改造提升。"
    )
    found = extract_targets(sentence)
    assert [fields(t) for t in found] == [("三分之一", None, "at_least", None, True, "确保")] * 2
    assert [t.metric for t in found] == ["用地指标", "财政专项激励资金"]


@pytest.mark.parametrize(
    "sentence",
    [
        # programme names with numerals
        "实施“万企升级”工程,推广一批应用面广、示范性强的高新技术成果,加快推进传统企业转型为科技型企业。",
        "推进省特级专家、“151”及重点领域高层次人才培育工程。",
        "深入推进“小升规”十大专项行动,加快中小微企业“专精特新”发展。",
        "深化企业“两化”融合登高计划。",
        "实施“浙江制造”品牌培育工程、“中国质造·浙江好产品”和消费品工业“三品”专项行动。",
        "实施培育本土民营跨国公司三年行动计划,加大对企业参与国际并购的金融支持。",
        # pilot design and scope counts
        "在10个重点传统制造业各选择1-2个产业发展基础较好、转型思路清晰、保障措施有力的县(市、区),开展分行业省级试点。",
        "优先将10个重点传统制造业的技术改造项目列入全省重点技术改造项目计划,加大土地、资金等要素保障力度。",
        "京津冀、上海、广东（珠三角）、安徽（合芜蚌）、四川（成德绵）、湖北武汉、陕西西安、辽宁沈阳等8个区域和有关省市、部门，"
        "在知识产权保护、科技成果转化激励等方面先行先试、大胆创新，取得了一批改革突破和可复制推广经验。",
        # counts of measures, list markers, document numbers
        "一、推广的改革举措（共23项）",
        "（一）知识产权保护方面5项：知识产权民事、刑事、行政案件“三合一”审判。",
        "为认真贯彻落实《浙江省人民政府关于印发浙江省全面改造提升传统制造业行动计划(2017—2020年)的通知》(浙政发〔2017〕23号)。",
        "21 | 允许地方高校自主开展人才引进和职称评审 | 将职称评审和人才引进自主权下放给地方高校 | 教育部 | "
        "8个改革试验区域",
        # rules: ages, shares allowed, caps on procedure, rates
        "新设立有限责任制专利代理机构的，允许不超过五分之一不具有专利代理人资格、年满18周岁、能够在专利代理机构专职工作的中国公民担任股东。",
        "省级文化部门核发的批准文件在有效期内可一证多批使用，但最多不超过六批。",
        "针对地方股权基金中的种子基金、风险投资基金设置不同比例的容错率。",
        "点击:848时间:2017-07-13 08:15:38 来源: 省经信委",
        "支持绍兴市开展传统产业改造提升综合试点,力争传统产业质量效益、创新能力、智能制造和节能减排水平达到国内先进水平。",
    ],
)
def test_sentences_without_targets(sentence: str) -> None:
    assert extract_targets(sentence) == []


@pytest.mark.parametrize(
    "path", sorted(p for p in CORPUS.glob("*.txt") if not p.name.startswith("2017-zhejiang")), ids=lambda p: p.stem
)
def test_gov_cn_notices_state_no_numeric_goals(path: Path) -> None:
    # Read by hand: none of the four gov.cn notices sets a numeric goal.
    assert extract_targets(path.read_text(encoding="utf-8")) == []


def test_zhejiang_document_total() -> None:
    # Counted by hand from the document: 28 goal figures under 力争到2020年, the 18亿元 commitment,
    # and the two committed 三分之一 shares.
    text = (CORPUS / "2017-zhejiang-chuantong-zhizao-fenjie.txt").read_text(encoding="utf-8")
    found = extract_targets(text)
    assert len(found) == 31
    assert sum(t.year == 2020 for t in found) == 28


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "到2020年，国家级和省级开发区亩均税收分别达到65%和55%。",
            [("国家级开发区亩均税收", "65"), ("省级开发区亩均税收", "55")],
        ),
        (
            "力争到2025年，规上工业企业研发投入占比、新产品产值率均达到45%。",
            [("规上工业企业研发投入占比", "45"), ("新产品产值率", "45")],
        ),
    ],
)
def test_distributive_forms(sentence: str, expected: list[tuple[str, str]]) -> None:
    found = extract_targets(sentence)
    assert [(t.metric, t.value) for t in found] == expected
    assert all(t.unit == "%" for t in found)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("力争2020年前培育10家年产值超百亿元的龙头企业。", ("10", "家", None, 2020, False, "力争")),
        ("5年内新增高新技术企业1000家。", ("1000", "家", None, None, False, None)),
        ("确保到2020年全省光伏装机容量达到1.2亿千瓦左右。", ("1.2", "亿千瓦", "about", 2020, False, "确保")),
        ("到2022年，研发经费支出占比控制在3%以内。", ("3", "%", "at_most", 2022, False, None)),
        ("争取到2025年，累计培养技能人才不少于5万名。", ("5", "万名", "at_least", 2025, False, "争取")),
        ("力争到2030年，数字经济规模达到2万亿元。", ("2", "万亿元", None, 2030, False, "力争")),
        ("单位GDP能耗比2015年下降15%。", ("15", "%", None, None, False, None)),
        ("到2020年，节约10万吨标准煤。", ("10", "万吨", None, 2020, False, None)),
        ("到2020年，带动就业约5万人。", ("5", "万人", "about", 2020, False, None)),
    ],
)
def test_field_reading(sentence: str, expected: tuple[object, ...]) -> None:
    [target] = extract_targets(sentence)
    assert fields(target) == expected


def test_verb_before_number_lists() -> None:
    found = extract_targets("到2020年，培育形成2个千亿级产业集群和10个百亿级产业集群。")
    assert [(t.metric, t.value, t.unit, t.year) for t in found] == [
        ("千亿级产业集群", "2", "个", 2020),
        ("百亿级产业集群", "10", "个", 2020),
    ]


def test_verb_before_number_keeps_a_meaningful_verb_in_the_metric() -> None:
    [saved] = extract_targets("到2020年，节约10万吨标准煤。")
    [added] = extract_targets("到2020年，新增200家规上企业。")
    assert (saved.metric, added.metric) == ("节约标准煤", "新增规上企业")


def test_growth_rate_continues_the_previous_metric() -> None:
    total, growth = extract_targets("到2020年，全省数字经济总量达到3万亿元，年均增长15%以上。")
    assert (total.metric, total.value, total.unit, total.per_year) == ("数字经济总量", "3", "万亿元", False)
    assert (growth.metric, growth.value, growth.qualifier, growth.per_year) == (
        "数字经济总量增长",
        "15",
        "at_least",
        False,  # 年均增长 is a rate, not per year (docs/labeling.md)
    )


def test_present_state_is_not_a_goal() -> None:
    found = extract_targets("目前全省共有规上企业4万家，力争到2020年新增规上企业1000家。")
    assert [(t.metric, t.value) for t in found] == [("新增规上企业", "1000")]


@pytest.mark.parametrize(
    "sentence",
    [
        "对年营业收入2000万元以上的企业，给予最高50万元奖励。",
        "对符合条件的项目按设备投资额的10%给予补助，单个项目补助不超过500万元。",
        "贷款贴息期限不超过3年，贴息比例不超过同期贷款利率的50%。",
        "审批时间压缩至3个工作日以内。",
        "申请人应年满18周岁。",
        "力争进入全国前10名。",
    ],
)
def test_policy_parameters_are_not_targets(sentence: str) -> None:
    assert extract_targets(sentence) == []


# ---- properties -------------------------------------------------------------------------------

METRICS = ["工业机器人", "省级企业技术中心", "上云企业", "特色小镇", "标准厂房", "产业创新服务综合体", "高新技术企业"]
UNITS = ["家", "台", "个", "亿元", "万亿元", "万平方米", "%", "万名", "亿千瓦", "万家"]
VERBS = ["新增", "建设", "培育", "累计建成"]
POST = {"": None, "以上": "at_least", "以下": "at_most", "以内": "at_most", "左右": "about"}
PRE = {"": None, "超过": "at_least", "不少于": "at_least", "不超过": "at_most", "约": "about"}
MODAL = ["", "力争", "确保", "争取"]

numbers = st.one_of(
    st.integers(min_value=1, max_value=999_999).map(str),
    st.builds(lambda a, b: f"{a}.{b}", st.integers(1, 999), st.integers(1, 99)),
)


@settings(max_examples=300, deadline=None)
@given(
    metric=st.sampled_from(METRICS),
    verb=st.sampled_from(VERBS),
    number=numbers,
    unit=st.sampled_from(UNITS),
    post=st.sampled_from(sorted(POST)),
    modal=st.sampled_from(MODAL),
    year=st.integers(2015, 2035),
    per_year=st.booleans(),
)
def test_generated_postfix_goal_is_recovered(
    metric: str, verb: str, number: str, unit: str, post: str, modal: str, year: int, per_year: bool
) -> None:
    goal = f"{'每年' if per_year else ''}{verb}{metric}{number}{unit}{post}"
    sentence = f"{modal}到{year}年，{goal}。"
    [target] = extract_targets(sentence)
    assert fields(target) == (number, unit, POST[post], year, per_year, modal or None)
    assert metric in target.metric
    assert target.text in sentence


@settings(max_examples=300, deadline=None)
@given(
    metric=st.sampled_from(METRICS),
    number=numbers,
    unit=st.sampled_from(UNITS),
    pre=st.sampled_from(sorted(PRE)),
    year=st.integers(2015, 2035),
)
def test_generated_linking_verb_goal_is_recovered(metric: str, number: str, unit: str, pre: str, year: int) -> None:
    sentence = f"到{year}年，全省{metric}达到{pre}{number}{unit}。"
    [target] = extract_targets(sentence)
    assert (target.metric, target.value, target.unit, target.qualifier, target.year) == (
        metric,
        number,
        unit,
        PRE[pre],
        year,
    )


@settings(max_examples=200, deadline=None)
@given(
    metrics=st.lists(st.sampled_from(METRICS), min_size=2, max_size=4, unique=True),
    values=st.lists(st.integers(1, 99999), min_size=4, max_size=4),
    separator=st.sampled_from(["、", "，"]),
)
def test_generated_lists_give_one_target_each(metrics: list[str], values: list[int], separator: str) -> None:
    parts = [f"{m}{v}家" for m, v in zip(metrics, values, strict=False)]
    sentence = f"力争到2020年，新增{separator.join(parts)}。"
    found = extract_targets(sentence)
    assert [t.value for t in found] == [str(v) for v in values[: len(metrics)]]
    assert all(m in t.metric for m, t in zip(metrics, found, strict=True))
    assert {t.year for t in found} == {2020}


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(
                list("0123456789.,，。、；%万亿家个台年月底前以上以下左右约到力争新增达到每年分别均和“”《》()（）")
            ),
            st.characters(codec="utf-8"),
        ),
        max_size=120,
    )
)
def test_arbitrary_text_never_crashes_and_quotes_its_source(text: str) -> None:
    for target in extract_targets(text):
        assert target.text in text
        assert target.value in target.text
        assert target.metric


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("到2025年，支持20户以上的自然村通硬化路。", []),  # an eligibility threshold
        ("建设500亩以上的现代农业园区。", []),  # a size describing the park
        ("抓好80万吨乙烯改扩建项目。", []),  # the project's capacity
        ("在10个重点行业各选择1-2个县开展试点。", []),  # pilot design
        ("力争到2022年，培育10家以上的龙头企业。", [("10", "家", "at_least")]),
        ("引进100名以上的高层次人才。", [("100", "名", "at_least")]),
        ("集中力量抓好 132 个省市重点项目建设，新开工 48 个重大项目。", [("132", "个", None), ("48", "个", None)]),
    ],
)
def test_numbers_before_a_noun(sentence: str, expected: list[tuple[str, str, str | None]]) -> None:
    """A number written before its noun is a goal after a goal verb when it counts the noun
    (docs/labeling.md: counts of things built, selected, trained), not when it describes it."""
    assert [(t.value, t.unit, t.qualifier) for t in extract_targets(sentence)] == expected
