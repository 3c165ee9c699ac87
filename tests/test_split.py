"""Splitting unit lists: the real collectives and tails, and properties over generated lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.loaders.split import split_units


def names(text: str) -> list[str]:
    return [u.text for u in split_units(text)]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("省科技厅、省经信委", ["省科技厅", "省经信委"]),
        ("各市、县(市、区)政府,省金融办、省经信委", ["各市、县(市、区)政府", "省金融办", "省经信委"]),
        ("各市、县（市、区）政府，省财政厅", ["各市、县（市、区）政府", "省财政厅"]),
        ("省级试点所在市、县(市、区)政府", ["省级试点所在市、县(市、区)政府"]),
        (
            "18个实施振兴实体经济(传统产业改造)财政专项激励的县(市、区)政府,省经信委、省财政厅",
            ["18个实施振兴实体经济(传统产业改造)财政专项激励的县(市、区)政府", "省经信委", "省财政厅"],
        ),
        ("各省、自治区、直辖市人民政府", ["各省、自治区、直辖市人民政府"]),
        ("绍兴市、宁波市", ["绍兴市", "宁波市"]),
        ("省工业转型升级领导小组成员单位,绍兴市政府", ["省工业转型升级领导小组成员单位", "绍兴市政府"]),
        ("扶贫办、全国总工会等和各省级人民政府", ["扶贫办", "全国总工会", "各省级人民政府"]),
        ("商务部等和各有关省级人民政府", ["商务部", "各有关省级人民政府"]),
        ("海关总署、商务部等有关部门", ["海关总署", "商务部", "有关部门"]),
        ("人民银行等部门", ["人民银行"]),
        ("全国总工会等", ["全国总工会"]),
        ("中央和国家机关工委、文化和旅游部", ["中央和国家机关工委", "文化和旅游部"]),
        ("教育部；各高等学校", ["教育部", "各高等学校"]),
        ("人力资源社会保障部; 住房城乡建设部", ["人力资源社会保障部", "住房城乡建设部"]),
    ],
)
def test_real_lists(written: str, expected: list[str]) -> None:
    assert names(written) == expected


def test_offsets_point_at_the_names() -> None:
    text = "各市、县(市、区)政府,省金融办"
    units = split_units(text, offset=100)
    assert [(u.start, u.end) for u in units] == [(100, 111), (112, 116)]
    assert [text[u.start - 100 : u.end - 100] for u in units] == ["各市、县(市、区)政府", "省金融办"]


# Characters of agency names that neither end a collective fragment (省/市/县/区…) nor start a tail (等/和).
NAME_CHARS = "经信委财政厅科技部发展改革商务海关总署人民银行教育卫生健康自然资源交通运输农业农村"
plain_name = st.text(alphabet=NAME_CHARS, min_size=2, max_size=10)
separator = st.sampled_from(["、", "，", ",", "；", ";"])
inner = st.lists(st.text(alphabet=NAME_CHARS + "市县区", min_size=1, max_size=4), min_size=1, max_size=3)
bracketed_name = st.builds(
    lambda head, parts, sep, brackets, tail: f"{head}{brackets[0]}{sep.join(parts)}{brackets[1]}{tail}",
    plain_name,
    inner,
    separator,
    st.sampled_from([("(", ")"), ("（", "）")]),
    st.text(alphabet=NAME_CHARS, min_size=0, max_size=4),
)
name = st.one_of(plain_name, bracketed_name)


@settings(max_examples=300, deadline=None)
@given(st.lists(plain_name, min_size=1, max_size=12))
def test_split_then_join_with_dunhao_loses_no_name(listed: list[str]) -> None:
    written = "、".join(listed)
    units = names(written)
    assert units == listed
    assert "、".join(units) == written


@settings(max_examples=300, deadline=None)
@given(st.lists(name, min_size=1, max_size=8), separator)
def test_nothing_inside_parentheses_is_split(listed: list[str], sep: str) -> None:
    assert names(sep.join(listed)) == listed


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=NAME_CHARS + "、，,；; ()（）等和各有关市县区", max_size=60))
def test_no_empty_names_and_offsets_match(written: str) -> None:
    for unit in split_units(written):
        assert unit.text.strip()
        assert written[unit.start : unit.end] == unit.text
