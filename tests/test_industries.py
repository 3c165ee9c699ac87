"""The industry dictionary: matches on real corpus sentences, longest-match rules, load errors."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from policykg.errors import InputError, NotFound
from policykg.graph.model import Industry
from policykg.loaders.industries import IndustryDictionary

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = Path("/work/shared/corpus")
CORPUS = SHARED_CORPUS if SHARED_CORPUS.is_dir() else REPO / "policykg" / "examples"


@pytest.fixture(scope="module")
def dictionary() -> IndustryDictionary:
    return IndustryDictionary.load_default()


def corpus_line(file_stem: str, starts_with: str) -> str:
    """The one line of a corpus document that starts with the given text (after NFKC)."""
    text = (CORPUS / f"{file_stem}.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()]
    found = [line for line in lines if unicodedata.normalize("NFKC", line).startswith(starts_with)]
    assert len(found) == 1, (file_stem, starts_with, found)
    return found[0]


ZJ = "2017-zhejiang-chuantong-zhizao-fenjie"
BSQ = "2019-guofa-3-zonghe-baoshuiqu"
FTZ = "2018-guofa-38-zimaoqu"
FUPIN = "2018-guobanfa-129-xiaofei-fupin"
TABLE = "2018-guobanfa-126-chuangxin-gaige-table"


@pytest.mark.parametrize(
    ("stem", "starts_with", "expected"),
    [
        (ZJ, "1.围绕重点传统制造业和块状经济", ["重点传统制造业", "块状经济"]),
        (ZJ, "1.深化企业“两化”融合登高计划", ["工业互联网", "大数据", "云计算", "物联网", "智能制造"]),
        (ZJ, "3.加快实施制造业企业上云计划", ["制造业", "云计算", "中小企业", "电子商务", "重点传统制造业"]),
        (ZJ, "3.发挥传统制造业门类齐全", ["传统制造业", "工业大数据", "新材料", "战略性新兴产业"]),
        (ZJ, "1.实施智能制造装备开发计划", ["高端装备", "传统制造业", "重点传统制造业"]),
        # 深化工业企业: 深化 + 工业, not 化工
        (ZJ, "1.落实“最多跑一次”改革措施", []),
        (BSQ, "15.支持再制造业", ["再制造", "航空航天", "工程机械", "数控机床"]),
        (BSQ, "18.促进跨境电商发展", ["跨境电商"]),
        (BSQ, "19.支持服务外包", ["服务外包", "软件和信息技术服务", "文化创意"]),
        (BSQ, "9.支持医疗设备研发", ["医疗器械"]),
        (FTZ, "(二十八)在自贸试验区试点实施进口非特殊用途化妆品备案管理", ["化妆品"]),
        (FTZ, "(十七)研究支持对海关特殊监管区域外的“两头在外”航空维修业态", ["保税维修"]),
        (FUPIN, "(十)加大基础设施建设力度", ["休闲农业", "乡村旅游"]),
        (FUPIN, "(十二)做好规划设计", ["休闲农业", "乡村旅游", "旅游"]),
        (TABLE, "13 | 以协商估值", ["中小企业"]),
    ],
)
def test_industries_found_in_real_corpus_sentences(
    dictionary: IndustryDictionary, stem: str, starts_with: str, expected: list[str]
) -> None:
    assert dictionary.find_in(corpus_line(stem, starts_with)) == expected


def test_zhejiang_ten_traditional_industries_are_found_in_order(dictionary: IndustryDictionary) -> None:
    # The corpus omits 二、重点产业 ("(略)"); this list is the one 浙政发〔2017〕23号 names.
    sentence = (
        "重点传统制造业包括纺织、服装、皮革、化工、化纤、造纸、"
        "橡胶塑料制品、非金属矿物制品、有色金属加工、农副食品加工。"
    )
    assert dictionary.find_in(sentence) == [
        "重点传统制造业", "纺织", "服装", "皮革", "化工", "化纤", "造纸", "橡胶塑料制品", "非金属矿物制品",
        "有色金属加工", "农副食品加工",
    ]  # fmt: skip


def test_traditional_industries_carry_their_gb_t_4754_2017_division(dictionary: IndustryDictionary) -> None:
    codes = {
        "纺织": "17", "服装": "18", "皮革": "19", "造纸": "22", "化工": "26", "化纤": "28",
        "橡胶塑料制品": "29", "非金属矿物制品": "30", "有色金属加工": "32", "农副食品加工": "13",
    }  # fmt: skip
    for name, code in codes.items():
        industry = dictionary.get(name)
        assert industry.code == code, name
        assert industry.category == "traditional_manufacturing"
    assert {i.name for i in dictionary.industries() if i.category == "traditional_manufacturing"} == set(codes)


def test_longest_match_consumes_nested_keywords(dictionary: IndustryDictionary) -> None:
    assert dictionary.find_in("重点传统制造业") == ["重点传统制造业"]
    assert dictionary.find_in("工业大数据") == ["工业大数据"]
    assert dictionary.find_in("跨境电子商务") == ["跨境电商"]
    assert dictionary.find_in("纺织服装") == ["纺织", "服装"]
    assert dictionary.find_in("传统制造业和制造业") == ["传统制造业", "制造业"]


def test_each_industry_is_listed_once_in_order_of_first_mention(dictionary: IndustryDictionary) -> None:
    assert dictionary.find_in("新材料、物联网、新材料、云计算、物联网") == ["新材料", "物联网", "云计算"]


def test_agency_names_in_a_clause_are_not_industry_mentions(dictionary: IndustryDictionary) -> None:
    assert dictionary.find_in("（农业农村部、文化和旅游部、国家中医药管理局、药监局负责）") == []
    clause = "（责任单位：18个实施振兴实体经济（传统产业改造）财政专项激励的县（市、区）政府）"
    assert dictionary.find_in(clause) == []


def test_mentions_give_spans_in_the_original_text(dictionary: IndustryDictionary) -> None:
    text = "（一）发展跨境电商和新材料"
    mentions = dictionary.mentions(text)
    assert [(m.industry, text[m.start : m.end]) for m in mentions] == [("跨境电商", "跨境电商"), ("新材料", "新材料")]
    assert mentions[0].keyword == "跨境电商"


def test_get_and_lookups(dictionary: IndustryDictionary) -> None:
    industry = dictionary.get("重点传统制造业")
    assert isinstance(industry, Industry)
    assert industry.category == "generic"
    assert "重点传统制造业" in dictionary
    assert len(dictionary) == len(dictionary.industries()) >= 50
    with pytest.raises(NotFound, match="No industry named '不存在'"):
        dictionary.get("不存在")


def test_every_entry_has_a_valid_category(dictionary: IndustryDictionary) -> None:
    for industry in dictionary.industries():
        assert industry.category in {"generic", "sector", "traditional_manufacturing"}


# ---------------------------------------------------------------------------- load errors

GOOD = '[[industry]]\nname = "纺织"\ncode = "17"\ncategory = "traditional_manufacturing"\nkeywords = ["纺织业"]\n'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "industries.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_small_valid_file_loads(tmp_path: Path) -> None:
    dictionary = IndustryDictionary.load(_write(tmp_path, GOOD))
    assert dictionary.find_in("纺织业和纺织") == ["纺织"]
    assert dictionary.get("纺织") == Industry(
        name="纺织", code="17", category="traditional_manufacturing", keywords=("纺织业",)
    )


def test_ignore_phrases_from_the_file_are_honoured(tmp_path: Path) -> None:
    dictionary = IndustryDictionary.load(_write(tmp_path, 'ignore = ["纺织业协会"]\n' + GOOD))
    assert dictionary.find_in("纺织业协会") == []
    assert dictionary.find_in("纺织业") == ["纺织"]


def test_malformed_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '[[industry]]\nname = "纺织\n')
    with pytest.raises(InputError, match="not valid TOML") as error:
        IndustryDictionary.load(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ('name = "服装"\ncategory = "fashion"\n', r"industry entry 2 \(服装\) has category 'fashion'"),
        ('name = "服装"\ncode = "1a"\ncategory = "sector"\n', r"has code '1a'"),
        ('name = "服装"\ncategory = "sector"\nkeywords = ["纺织业"]\n', r"'纺织业' of industry '服装' already belongs"),
        ('name = "纺织"\ncategory = "sector"\n', r"'纺织' is used twice"),
        ('category = "sector"\n', r"has no 'name'"),
        ('name = "服装"\ncategory = "sector"\nsynonyms = []\n', r"unknown fields: synonyms"),
    ],
)
def test_bad_entries_name_file_line_and_entry(tmp_path: Path, second: str, message: str) -> None:
    path = _write(tmp_path, GOOD + "\n[[industry]]\n" + second)
    with pytest.raises(InputError, match=message) as error:
        IndustryDictionary.load(path)
    assert str(error.value).startswith(f"{path}, line 7: ")
