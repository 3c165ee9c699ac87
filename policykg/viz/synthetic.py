"""Synthetic explorer data of a chosen size, for the large-view tests and the benchmark.

One busy agency leads every measure; each measure also names one of many supporting
agencies, so that agency's ego network has exactly ``1 + measures + supporters`` nodes.

>>> data = busy_agency_data(measures=10, supporters=4)
>>> len(data.measures), len(data.agencies)
(10, 5)
"""

from __future__ import annotations

from policykg.viz.data import DocumentInfo, ExplorerData, MeasureInfo, Responsibility, SectionInfo

BUSY_AGENCY = "省经济和信息化委员会"


def busy_agency_data(measures: int, supporters: int, *, documents: int = 5) -> ExplorerData:
    """``measures`` measures over ``documents`` documents, all led by :data:`BUSY_AGENCY`."""
    docs = [
        DocumentInfo(f"doc-synth-{d}", f"合成分工方案 {d}", sections=(SectionInfo("一", "主要任务", 1),))
        for d in range(documents)
    ]
    rows = []
    responsibilities = []
    for i in range(measures):
        doc = docs[i % documents]
        measure_id = f"{doc.id}~一.{i}"
        rows.append(MeasureInfo(measure_id, doc.id, f"一/{i}", f"第{i}项任务：推进重点领域改革。", "一"))
        responsibilities.append(Responsibility(BUSY_AGENCY, measure_id, "lead"))
        responsibilities.append(Responsibility(f"配合单位{i % supporters:04d}", measure_id, "support"))
    return ExplorerData.build(documents=docs, measures=rows, responsibilities=responsibilities)
