"""The synthetic corpus (bench/synth.py) parses back to what the generator planted.

The benchmarks only mean something if the synthetic documents exercise the real parser the
way real documents do: every planted item must come back as one measure with the planted
lead (or jointly responsible units), and every planted target must be found.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from policykg.loaders import parse_file, parse_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synth import STYLES, PlannedDocument, generate_corpus, generate_document


@pytest.fixture(scope="module")
def corpus() -> list[PlannedDocument]:
    return generate_corpus(8, measures=60, seed=11)


def test_generation_is_deterministic_and_seeded() -> None:
    first = generate_corpus(3, measures=20, seed=5)
    again = generate_corpus(3, measures=20, seed=5)
    other = generate_corpus(3, measures=20, seed=6)
    assert [d.text for d in first] == [d.text for d in again]
    assert [d.text for d in first] != [d.text for d in other]


def test_every_clause_style_is_planted(corpus: list[PlannedDocument]) -> None:
    styles = {m.style for d in corpus for m in d.measures}
    assert styles == set(STYLES)
    assert all(d.measure_count == 60 for d in corpus)
    assert any("列第一位者为牵头单位，以下同" in d.text for d in corpus)
    assert any("负责）" in d.text for d in corpus)
    assert any("\n牵头单位：" in d.text for d in corpus)
    assert any("序号 | 工作任务 | 牵头单位" in d.text for d in corpus)


def test_documents_parse_back_to_the_planted_measures_and_leads(corpus: list[PlannedDocument], tmp_path: Path) -> None:
    for index, planned in enumerate(corpus):
        parsed = parse_file(planned.write(tmp_path, index))
        assert parsed.document.doc_number == planned.doc_number
        assert len(parsed.measures) == planned.measure_count, planned.doc_number
        for number, (plan, measure) in enumerate(zip(planned.measures, parsed.measures, strict=True), start=1):
            where = f"{planned.doc_number} item {number} ({plan.style})"
            assert tuple(a.name for a in measure.lead) == plan.leads, where
            assert tuple(a.name for a in measure.assignments) == plan.units, where
            if plan.style == "joint":
                assert {a.role for a in measure.assignments} == {"joint"}, where
            assert bool(measure.targets) == plan.has_target, where


def test_documents_get_distinct_ids(corpus: list[PlannedDocument]) -> None:
    ids = {parse_text(d.text, source="s.txt").document.id for d in corpus}
    assert len(ids) == len(corpus)


def test_measure_count_follows_the_request() -> None:
    for measures in (1, 7, 130):
        planned = generate_document(4, measures=measures, seed=2)  # a table document
        assert len(parse_text(planned.text, source="t.txt").measures) == measures
        planned = generate_document(1, measures=measures, seed=2)  # an outline document
        assert len(parse_text(planned.text, source="o.txt").measures) == measures


def test_a_table_row_mentioning_a_column_word_stays_a_row() -> None:
    """Found by the synthetic corpus: a short task cell containing 协同 made the row a new header."""
    text = (
        "分工方案\n"
        "序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限\n"
        "1 | 建设平台。 | 省财政厅 | 省科技厅 | 2020年底前\n"
        "2 | 加快推进绿色制造体系，促进产业链上下游协同发展。 | 省审计厅 |  | 2018年底前\n"
        "3 | 培育企业。 | 省商务厅 | 省科技厅 | 2019年底前\n"
    )
    parsed = parse_text(text, source="table.txt")
    assert [m.ref for m in parsed.measures] == ["1", "2", "3"]
    assert [[a.name for a in m.lead] for m in parsed.measures] == [["省财政厅"], ["省审计厅"], ["省商务厅"]]
