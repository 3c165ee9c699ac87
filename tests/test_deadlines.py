"""Deadlines out of measure text and 完成时限 cells; expected values read from the documents by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.loaders.deadlines import extract_deadline, read_deadline_cell

CORPUS = Path(__file__).resolve().parent.parent / "policykg" / "examples"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Zhejiang 四/(四)/3, the only task deadline in the corpus
        (
            "到2017年底,各市县都要设立政策性融资担保机构,切实为传统制造业改造提升提供融资担保服务,"
            "加大企业转贷支持力度,积极帮助化解“两链”风险。(责任单位:各市、县(市、区)政府,省经信委)",
            ("2017年底", "2017-12-31"),
        ),
        ("2012年10月底前完成清理规范工作。", ("2012年10月底前", "2012-10-31")),
        ("2019年6月前出台实施细则。", ("2019年6月前", "2019-06")),
        ("2018年6月30日前上线运行。", ("2018年6月30日前", "2018-06-30")),
        ("2018年上半年完成试点评估。", ("2018年上半年", "2018-06-30")),
        ("2019年第一季度前印发方案。", ("2019年第一季度前", "2019-03-31")),
        ("到2018年底完成试点，到2020年底全面推开。", ("2020年底", "2020-12-31")),
        ("２０１８年底前完成。", ("２０１８年底前", "2018-12-31")),
        ("2018年十二月底前完成。", ("2018年十二月底前", "2018-12-31")),
        ("各地要于2018年年底前完成摸底。", ("2018年年底前", "2018-12-31")),
        ("长期坚持", ("长期坚持", None)),
        ("持续推进。", ("持续推进", None)),
        ("加强督促检查。（完成时限：2018年12月底前）", ("2018年12月底前", "2018-12-31")),
    ],
)
def test_deadlines_read(text: str, expected: tuple[str | None, str | None]) -> None:
    assert extract_deadline(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the year a numeric target is tied to is the target's year (Zhejiang 三/(一)/1)
        "力争到2020年,重点传统制造业建设省级产业创新服务综合体20家。",
        # validity periods of a policy (Zhejiang 四/(三)/2)
        "2017—2018年,省政府给予市、县(市)地方部分增值税当年增收额5%的财政奖励;2017—2019年省政府整合工业与信息化"
        "发展专项资金和新增财力,每年安排18亿元资金实施振兴实体经济(传统产业改造)财政专项激励政策。",
        # past events, base years, starting dates, titles, dates of signature
        "国务院办公厅已于2017年印发通知予以推广。",
        "单位GDP能耗比2015年下降15%。",
        "自2019年1月1日起施行。",
        "为认真贯彻落实《浙江省全面改造提升传统制造业行动计划(2017—2020年)的通知》。",
        "浙江省工业转型升级领导小组办公室 2017年7月3日",
        # ordinary verbs that only look like the standing-duty cells
        "持续推进“放管服”改革，优化营商环境。",
        "",
    ],
)
def test_no_deadline(text: str) -> None:
    assert extract_deadline(text) == (None, None)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_corpus_documents_have_one_task_deadline_in_all(path: Path) -> None:
    # Read by hand: only Zhejiang 四/(四)/3 sets a completion time; the gov.cn notices set none.
    found = [extract_deadline(line) for line in path.read_text(encoding="utf-8").splitlines()]
    found = [d for d in found if d != (None, None)]
    expected = [("2017年底", "2017-12-31")] if path.name.startswith("2017-zhejiang") else []
    assert found == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2018年6月底前", ("2018年6月底前", "2018-06-30")),
        ("2019年", ("2019年", "2019")),
        (" 2018年底前 ", ("2018年底前", "2018-12-31")),
        ("2018年底前出台意见，2020年底前完成", ("2018年底前出台意见，2020年底前完成", "2020-12-31")),
        ("长期坚持", ("长期坚持", None)),
        ("持续推进", ("持续推进", None)),
        ("2018年起", ("2018年起", None)),
        ("", (None, None)),
        ("  ", (None, None)),
    ],
)
def test_deadline_cells(cell: str, expected: tuple[str | None, str | None]) -> None:
    assert read_deadline_cell(cell) == expected


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(["前", "之前", ""]))
def test_generated_full_dates(day: dt.date, before: str) -> None:
    written = f"{day.year}年{day.month}月{day.day}日{before}"
    assert extract_deadline(f"到{written}完成。") == (written, day.isoformat())


@settings(max_examples=200, deadline=None)
@given(st.integers(1990, 2099), st.integers(1, 12), st.sampled_from(["底", "末"]))
def test_generated_month_ends(year: int, month: int, end: str) -> None:
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = next_month - dt.timedelta(days=1)
    assert extract_deadline(f"{year}年{month}月{end}前完成。") == (f"{year}年{month}月{end}前", last_day.isoformat())


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("0123456789０１２年月日底前末季度上下半到至起：完成时限长期坚持持续推进，。")),
            st.characters(codec="utf-8"),
        ),
        max_size=80,
    )
)
def test_arbitrary_text_never_crashes(text: str) -> None:
    written, iso = extract_deadline(text)
    if written is not None:
        assert written in text
    if iso is not None:
        assert written is not None
        parts = iso.split("-")
        assert 1 <= len(parts) <= 3 and len(parts[0]) == 4
        if len(parts) == 3:
            dt.date.fromisoformat(iso)
    cell_written, _ = read_deadline_cell(text)
    assert (cell_written is None) == (not text.split())
