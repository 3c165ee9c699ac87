"""The explorer's in-memory graph: workload, partners and co-responsibility, counted by hand."""

from __future__ import annotations

import pytest

from policykg.errors import NotFound
from policykg.viz.data import DocumentInfo, ExplorerData, MeasureInfo, Responsibility


def test_workload_is_counted_per_role_busiest_first(explorer_sample: ExplorerData) -> None:
    rows = [(w.agency, w.lead, w.support, w.joint, w.total) for w in explorer_sample.workload()]
    assert rows == [
        ("省经信委", 1, 3, 1, 5),
        ("省科技厅", 1, 1, 0, 2),
        ("省财政厅", 1, 1, 0, 2),
        ("省发展改革委", 1, 0, 0, 1),
        ("各市政府", 0, 0, 1, 1),
        ("省税务局", 0, 1, 0, 1),
    ]


def test_partners_count_shared_measures(explorer_sample: ExplorerData) -> None:
    assert explorer_sample.partners("省经信委") == {
        "省科技厅": 2,
        "省财政厅": 2,
        "各市政府": 1,
        "省发展改革委": 1,
        "省税务局": 1,
    }
    assert explorer_sample.partners("省税务局") == {"省经信委": 1, "省财政厅": 1}


def test_co_responsibility_pairs(explorer_sample: ExplorerData) -> None:
    assert explorer_sample.co_responsibility() == {
        ("省科技厅", "省经信委"): 2,
        ("省经信委", "省财政厅"): 2,
        ("省科技厅", "省财政厅"): 1,
        ("各市政府", "省经信委"): 1,
        ("省发展改革委", "省经信委"): 1,
        ("省税务局", "省财政厅"): 1,
        ("省税务局", "省经信委"): 1,
    }


def test_unknown_names_raise_not_found(explorer_sample: ExplorerData) -> None:
    with pytest.raises(NotFound, match="no agency named '不存在'"):
        explorer_sample.agency("不存在")
    with pytest.raises(NotFound, match="no document"):
        explorer_sample.document("doc-missing")


def test_dangling_references_are_refused() -> None:
    doc = DocumentInfo("d", "t")
    with pytest.raises(ValueError, match="document x, which is not in the data"):
        ExplorerData.build(documents=[doc], measures=[MeasureInfo("m", "x", "1", "t")])
    with pytest.raises(ValueError, match="measure nope, which is not in the data"):
        ExplorerData.build(documents=[doc], responsibilities=[Responsibility("a", "nope", "lead")])


def test_duplicate_responsibilities_count_once() -> None:
    data = ExplorerData.build(
        documents=[DocumentInfo("d", "t")],
        measures=[MeasureInfo("m", "d", "1", "t")],
        responsibilities=[Responsibility("a", "m", "lead"), Responsibility("a", "m", "lead")],
    )
    assert [(w.agency, w.total) for w in data.workload()] == [("a", 1)]
