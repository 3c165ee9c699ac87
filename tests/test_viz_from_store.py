"""ExplorerData read from a real store (both engines) holding the hand-written sample documents."""

from __future__ import annotations

from fixtures_stores import INJECTION, load_sample

from policykg.graph.store import GraphStore
from policykg.viz.from_store import explorer_data_from_store


def test_explorer_data_mirrors_the_sample_documents(store: GraphStore) -> None:
    load_sample(store)
    data = explorer_data_from_store(store)

    assert sorted(d.title for d in data.documents.values()) == ["传统制造业改造提升任务分解方案", "汽车产业任务分工"]
    doc_a = next(d for d in data.documents.values() if d.doc_number == "浙经信〔2017〕1号")
    assert [(s.path, s.level) for s in doc_a.sections] == [("一", 1), ("一/(一)", 2), ("二", 1)]
    assert doc_a.year == 2017

    by_ref = {(m.doc_id, m.ref): m for m in data.measures.values()}
    robots = by_ref[(doc_a.id, "一/(一)/1")]
    assert robots.section_path == "一/(一)" and robots.industries == ("纺织",)
    assert [t.text for t in robots.targets] == ["新增工业机器人20000台"]
    assert by_ref[(doc_a.id, "一/(一)/2")].text == INJECTION
    assert sorted(by_ref[(doc_a.id, "一/(一)/2")].industries) == ["化工", "纺织"]
    assert by_ref[(doc_a.id, "二/1")].deadline == "2018年底前"
    assert len(data.measures) == 4

    # Only agencies some document names, not the whole registry.
    assert sorted(data.agencies) == sorted(["省经信委", "省科技厅", "某某办", "省发展改革委"])
    assert data.agencies["某某办"].resolved is False
    assert [(w.agency, w.lead, w.support, w.joint) for w in data.workload()] == [
        ("省科技厅", 1, 1, 1),
        ("省经信委", 1, 1, 1),
        ("省发展改革委", 1, 0, 0),
        ("某某办", 0, 1, 0),
    ]
    assert data.partners("省经信委") == {"省科技厅": 2, "省发展改革委": 1}
