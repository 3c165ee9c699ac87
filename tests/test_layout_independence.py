"""Layout does not matter (LABELING.md): a document whose paragraphs were run together on one line,
or cut at any width, reads exactly as the same document with its line breaks.

Property test over the bundled corpus (policykg/examples/, tests/data/unseen/ and the labelled
development documents in tests/data/dev/): the parsed measures (refs), their agencies with roles,
and their targets must be those of the original. Table rows (``a | b | c``) stay rows: a table's
layout is its structure, not a line break. A fixed-width copy is cut at a width that most long
paragraphs exceed (at least three lines are cut): a single cut line carries no sign of its width.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.loaders import parse_text
from policykg.loaders.layout import paragraph_view
from policykg.loaders.reading import read_document

REPO = Path(__file__).resolve().parent.parent
CORPUS = [
    *sorted((REPO / "policykg" / "examples").glob("*.txt")),
    *sorted((REPO / "tests" / "data" / "unseen").glob("*.txt")),
    *sorted((REPO / "tests" / "data" / "dev").glob("*.txt")),
]
IDS = [path.stem for path in CORPUS]

Reading = list[tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str, int], ...]]]


def reading(text: str, source: str) -> Reading:
    doc = parse_text(text, source=source)
    return [
        (
            m.ref,
            tuple((a.as_written, a.role) for a in m.assignments),
            tuple(sorted((t.value, t.unit or "", t.year or 0) for t in m.targets)),
        )
        for m in doc.measures
    ]


@cache
def original(path: Path) -> tuple[str, Reading]:
    text = read_document(path)
    return text, reading(text, path.name)


def run_together(text: str) -> str:
    """Every paragraph on one line, as crawled copies have them (table rows stay rows)."""
    out: list[str] = []
    run: list[str] = []
    for line in text.split("\n"):
        if "|" in line:
            if run:
                out.append("".join(run))
                run = []
            out.append(line)
        elif line.strip():
            run.append(line.strip())
    if run:
        out.append("".join(run))
    return "\n".join(out)


def cut_at(text: str, width: int) -> str:
    """Every paragraph cut into lines of ``width`` characters, as fixed-width copies have them."""
    out: list[str] = []
    for line in text.split("\n"):
        if "|" in line or len(line) <= width:
            out.append(line)
        else:
            out.extend(line[i : i + width] for i in range(0, len(line), width))
    return "\n".join(out)


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_paragraphs_run_together_read_the_same(path: Path) -> None:
    text, expected = original(path)
    assert expected, "the corpus document gives measures"
    assert reading(run_together(text), path.name) == expected


def widest_cut(text: str) -> int:
    """The largest width that cuts at least three lines of ``text``."""
    lengths = sorted((len(line) for line in text.split("\n") if "|" not in line), reverse=True)
    return max(6, lengths[2] - 1) if len(lengths) > 2 else 6


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
@settings(max_examples=4, deadline=None, derandomize=True)
@given(share=st.floats(min_value=0.0, max_value=1.0))
def test_paragraphs_cut_at_any_width_read_the_same(path: Path, share: float) -> None:
    text, expected = original(path)
    width = 6 + round(share * (widest_cut(text) - 6))
    assert reading(cut_at(text, width), path.name) == expected, f"width {width}"


def test_spans_point_into_the_text_as_given() -> None:
    text = "一、主要任务（一）推进创新。（省科技厅负责）（二）推进改革。（省发展改革委负责）"
    doc = parse_text(text, source="x.txt")
    assert doc.text == text
    assert [m.ref for m in doc.measures] == ["一/(一)", "一/(二)"]
    for measure in doc.measures:
        assert text[slice(*measure.span)] == measure.text
    assert doc.measures[1].text == "（二）推进改革。（省发展改革委负责）"


def test_a_document_laid_out_by_paragraph_is_its_own_view() -> None:
    for path in CORPUS:
        text = read_document(path)
        assert not paragraph_view(text).changed, path.name


def test_an_inline_list_is_not_taken_for_paragraphs() -> None:
    view = paragraph_view("一、任务\n1.推进城市更新：①加快老旧小区改造；②启动城市更新项目20个。产能达到2.5万吨。")
    assert not view.changed


# ------------------------------------------------------------------ the candidate pattern

# The paragraph-number candidates as first written: a plain alternation, searched the slow way.
_PLAIN_CANDIDATE = re.compile(
    r"\(\s*[一二三四五六七八九十百零〇\d]{1,4}\s*\)"
    r"|(?<![一二三四五六七八九十百零〇])[一二三四五六七八九十百]{1,4}\s*、"
    r"|(?<![\d.])\d{1,3}\s*[.、](?!\d+[.、%])"
    r"|[\u2460-\u2473\u3251-\u325f]"
    r"|第[一二三四五六七八九十]{1,3}部分"
)


def test_the_ranges_passed_over_hold_no_digit_and_no_paragraph_number_start() -> None:
    """layout._CANDIDATE opens with all characters but these ranges: none may start a match."""
    from policykg.loaders import layout

    passed_over = "".join(chr(c) for a, b in layout._NOT_A_START for c in range(a, b + 1))
    assert re.search(r"\d", passed_over) is None
    assert not set(passed_over) & set("(一二三四五六七八九十百第\u2460\u3251")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="(一二三十百零〇0123456789.、 )第部分①㉑x\n٣５丁%", max_size=30), st.integers(0, 3))
def test_the_candidate_pattern_finds_what_the_plain_alternation_finds(text: str, pos: int) -> None:
    from policykg.loaders import layout

    def spans(pattern: re.Pattern[str]) -> list[tuple[int, int]]:
        return [m.span() for m in pattern.finditer(text, pos)]

    assert spans(layout._CANDIDATE) == spans(_PLAIN_CANDIDATE)
