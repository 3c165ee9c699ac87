"""One contract, two engines: every test here runs on the embedded store and on Neo4j.

Expected counts and rows are worked out by hand from the sample in fixtures_stores.py.
"""

from __future__ import annotations

import copy
import json
import logging
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from fixtures_stores import (
    INJECTION,
    load_sample,
    read,
    sample_document_a,
    sample_document_b,
    sample_industries,
    sample_registry,
)

from policykg import queries
from policykg.errors import InputError, NotFound, StoreError, StoreUnavailable
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.model import Agency, Assignment, DocumentMeta, Measure, ParsedDocument, Section, document_id
from policykg.graph.schema import NODES, RELS
from policykg.graph.store import DocumentRows, GraphStore, Statement, WritePlan
from policykg.ingest import document_rows, reference_rows
from policykg.loaders.registry import AgencyInfo, AgencyRegistry
from policykg.queries import writes
from policykg.queries.catalogue import Catalogue, NamedQuery

DOC_A = document_id("浙经信〔2017〕1号", "")
DOC_B = document_id("浙经信〔2018〕2号", "")
STUB = document_id("浙政发〔2017〕23号", "浙政发〔2017〕23号")

ZERO = dict.fromkeys([*NODES, *RELS], 0)
REFERENCE = {**ZERO, "Agency": 7, "Industry": 3, "MEMBER_OF": 2, "SUCCEEDED_BY": 1}
WITH_A = {
    **REFERENCE,
    "Document": 2,  # A and the stub of 浙政发〔2017〕23号
    "Section": 3,
    "Measure": 3,
    "Target": 1,
    "Agency": 8,  # + the unresolved 某某办
    "HAS_SECTION": 3,
    "HAS_SUBSECTION": 1,
    "HAS_MEASURE": 3,
    "INCLUDES": 3,
    "ASSIGNED": 6,
    "SETS_TARGET": 1,
    "CONCERNS": 3,
    "IMPLEMENTS": 1,
}
WITH_A_AND_B = {
    **WITH_A,
    "Document": 3,
    "Section": 4,
    "Measure": 4,
    "HAS_SECTION": 4,
    "HAS_MEASURE": 4,
    "INCLUDES": 4,
    "ASSIGNED": 8,
    "CONCERNS": 4,
    "IMPLEMENTS": 2,
}
A_MEASURES = [
    {"id": f"{DOC_A}~一.一.1", "ref": "一/(一)/1", "text": '推进"机器换人"，新增工业机器人20000台。',
     "section_path": "一/(一)", "ordinal": 0},
    {"id": f"{DOC_A}~一.一.2", "ref": "一/(一)/2", "text": INJECTION, "section_path": "一/(一)", "ordinal": 1},
    {"id": f"{DOC_A}~二.1", "ref": "二/1", "text": "加强统筹协调。", "section_path": "二", "ordinal": 2},
]  # fmt: skip


def rows_of(parsed: ParsedDocument) -> DocumentRows:
    return document_rows(parsed, sample_registry(), sample_industries())


def test_an_empty_store_counts_every_schema_entry_as_zero(store: GraphStore) -> None:
    assert store.counts() == ZERO


# -- the executing protocol: execute_read and execute_write(plan) ----------------------------------


def test_execute_read_binds_values_as_parameters_and_returns_plain_rows(store: GraphStore) -> None:
    load_sample(store, sample_document_a())
    assert store.execute_read("RETURN $x AS x, $text AS text", {"x": 2, "text": INJECTION}) == [
        {"x": 2, "text": INJECTION}
    ]
    found = store.execute_read(
        "MATCH (a:Agency) WHERE a.id = $id RETURN a.id AS id, a.aliases AS aliases", {"id": "省经信委"}
    )
    assert found == [{"id": "省经信委", "aliases": ["经信委"]}]
    assert store.execute_read("MATCH (a:Agency) WHERE a.id = $id RETURN a.id AS id", {"id": INJECTION}) == []
    assert store.counts() == WITH_A


def test_execute_write_runs_the_statements_in_order_in_one_transaction(store: GraphStore) -> None:
    rows = ({"id": "甲", "name": "甲业"}, {"id": "乙", "name": "乙业"})
    plan = WritePlan(
        "The industries could not be written",
        (
            Statement("UNWIND $rows AS r CREATE (n:Industry {id: r.id, name: r.name})", rows=rows),
            Statement("MATCH (n:Industry {id: $id}) SET n.code = $code", {"id": "乙", "code": "C99"}),
        ),
    )
    assert store.execute_write(plan) is True
    assert store.execute_read("MATCH (n:Industry) RETURN n.id AS id, n.code AS code ORDER BY id", {}) == [
        {"id": "乙", "code": "C99"},
        {"id": "甲", "code": None},
    ]


def test_a_guard_stops_a_plan_before_anything_changes(store: GraphStore) -> None:
    plan = WritePlan(
        "The industry could not be written",
        (
            Statement("MATCH (n:Industry {id: $id}) RETURN count(n) AS n", {"id": "甲"}, guard=True),
            Statement("CREATE (n:Industry {id: $id, name: $id})", {"id": "乙"}),
        ),
    )
    assert store.execute_write(plan) is False
    assert store.counts() == ZERO


@pytest.mark.parametrize("fault", ["engine refuses", "unmatched rows"])
def test_a_failed_plan_leaves_the_store_unchanged(store: GraphStore, fault: str) -> None:
    """The document plan of a new version of A, with one statement at its end that fails: the
    deletions, merges and creations before it (COPY ones too, on the bulk path) are all undone."""
    load_sample(store, sample_document_a())
    before = read(store, "measures_of_document", {"doc_id": DOC_A})
    revised = sample_document_a()
    revised.measures[0].text = "这一版本不应写入。"
    plan = writes.document_plan(rows_of(revised))
    if fault == "engine refuses":  # a second Measure with a key that is now taken
        failing = Statement("CREATE (n:Measure {id: $id, doc_id: $doc})", {"id": before[0]["id"], "doc": DOC_A})
    else:
        failing = Statement(
            "UNWIND $rows AS r MATCH (a:Agency {id: r.from}) RETURN count(*) AS n",
            rows=({"from": "不存在的单位"},),
            unmatched="{missing} rows name an agency that does not exist.",
        )
    with pytest.raises(StoreError, match=f"The document {DOC_A} could not be written; the store is unchanged"):
        store.execute_write(WritePlan(plan.failure, (*plan.statements, failing)))
    assert store.counts() == WITH_A
    assert read(store, "measures_of_document", {"doc_id": DOC_A}) == before


def test_a_document_plan_survives_its_journal_unchanged() -> None:
    """The embedded store journals a plan as JSON before a bulk write; it must come back equal."""
    plan = writes.document_plan(rows_of(sample_document_a()))
    assert WritePlan.from_json(json.loads(json.dumps(plan.to_json(), ensure_ascii=False))) == plan
    assert plan.recovery == writes.delete_plan(DOC_A)
    owned_rels = sum(WITH_A[t] for t in RELS if t not in ("MEMBER_OF", "SUCCEEDED_BY"))
    assert plan.row_count() == WITH_A["Section"] + WITH_A["Measure"] + WITH_A["Target"] + owned_rels


def test_write_statements_are_never_read_queries(store: GraphStore) -> None:
    """The API and CLI run the read catalogue: the write files are not in it, and read() refuses them."""
    assert {q.mode for q in Catalogue.load_default()} == {"read"}
    assert {q.mode for q in writes.write_catalogue()} == {"write"}
    with pytest.raises(NotFound, match="no query named 'stub_reset'"):
        queries.read(store, "stub_reset", {"doc_id": DOC_A})
    with pytest.raises(StoreError, match="is not a read query"):
        queries.read(store, "stub_reset", {"doc_id": DOC_A}, catalogue=writes.write_catalogue())


def test_reference_upsert_is_idempotent(store: GraphStore) -> None:
    rows = reference_rows(sample_registry(), sample_industries())
    writes.upsert_reference(store, rows)
    writes.upsert_reference(store, rows)
    assert store.counts() == REFERENCE
    assert read(store, "reference_graph") == [
        {"source": "省科技厅", "rel": "MEMBER_OF", "target": "省工业转型升级领导小组", "date": None},
        {"source": "省经信委", "rel": "MEMBER_OF", "target": "省工业转型升级领导小组", "date": None},
        {"source": "省质监局", "rel": "SUCCEEDED_BY", "target": "省市场监管局", "date": "2018-10-01"},
    ]


def test_a_written_document_reads_back_in_order(store: GraphStore) -> None:
    load_sample(store, sample_document_a())
    assert store.counts() == WITH_A
    assert read(store, "measures_of_document", {"doc_id": DOC_A}) == A_MEASURES


def test_loading_the_same_document_twice_changes_nothing(store: GraphStore) -> None:
    load_sample(store, sample_document_a())
    first = read(store, "measures_of_document", {"doc_id": DOC_A})
    load_sample(store, sample_document_a())
    assert store.counts() == WITH_A
    assert read(store, "measures_of_document", {"doc_id": DOC_A}) == first


def test_a_new_version_replaces_the_old_one(store: GraphStore) -> None:
    load_sample(store, sample_document_a())
    revised = sample_document_a()
    del revised.measures[1]  # the measure with 某某办 and two industries goes
    revised.measures[0].text = "推进机器换人。"
    revised.measures[0].targets = []
    writes.write_document(store, rows_of(revised))
    counts = store.counts()
    assert (counts["Measure"], counts["Target"], counts["ASSIGNED"], counts["CONCERNS"]) == (2, 0, 4, 1)
    assert counts["Agency"] == 8  # 某某办 is shared: it stays although no measure names it now
    texts = [row["text"] for row in read(store, "measures_of_document", {"doc_id": DOC_A})]
    assert texts == ["推进机器换人。", "加强统筹协调。"]


def test_deleting_a_document_keeps_shared_agencies_and_the_stub_others_implement(store: GraphStore) -> None:
    load_sample(store)
    assert store.counts() == WITH_A_AND_B
    assert writes.delete_document(store, DOC_A) is True
    assert store.counts() == {
        **REFERENCE,
        "Agency": 8,
        "Document": 2,  # B, and the stub B still implements
        "Section": 1,
        "Measure": 1,
        "HAS_SECTION": 1,
        "HAS_MEASURE": 1,
        "INCLUDES": 1,
        "ASSIGNED": 2,
        "CONCERNS": 1,
        "IMPLEMENTS": 1,
    }
    assert read(store, "measures_of_document", {"doc_id": DOC_A}) == []
    assert writes.delete_document(store, DOC_A) is False
    assert writes.delete_document(store, STUB) is False  # a stub is not a loaded document
    assert writes.delete_document(store, "doc-nonexistent") is False


def test_deleting_the_last_implementer_removes_the_stub(store: GraphStore) -> None:
    load_sample(store, sample_document_a())
    assert writes.delete_document(store, DOC_A) is True
    assert store.counts() == {**REFERENCE, "Agency": 8}


def test_a_deleted_document_that_another_implements_becomes_a_stub(store: GraphStore) -> None:
    follower = ParsedDocument(
        DocumentMeta(title="落实方案", doc_number="杭经信〔2017〕9号", implements=["浙经信〔2017〕1号"]),
        sections=[Section("一", "任务", 1)],
        measures=[Measure("一/1", "落实。", ("一",), [Assignment("省经信委", "省经信委", "lead", 0)])],
    )
    load_sample(store, sample_document_a(), follower)
    assert writes.delete_document(store, DOC_A) is True
    documents = {row["id"]: row for row in read(store, "document_info")}
    assert documents[DOC_A] == {
        "id": DOC_A,
        "title": "浙经信〔2017〕1号",
        "doc_number": "浙经信〔2017〕1号",
        "year": None,
        "attachments": None,
        "loaded": False,
    }
    assert STUB not in documents  # only A implemented it
    assert store.counts()["IMPLEMENTS"] == 1


@pytest.mark.parametrize("fault", ["duplicate measure", "missing agency", "duplicate target"])
def test_a_write_failing_half_way_leaves_the_previous_version(store: GraphStore, fault: str) -> None:
    load_sample(store, sample_document_a())
    before = read(store, "measures_of_document", {"doc_id": DOC_A})
    revised = sample_document_a()
    revised.measures[0].text = "这一版本不应写入。"
    rows = rows_of(revised)
    if fault == "duplicate measure":
        rows.owned.nodes["Measure"].append(copy.deepcopy(rows.owned.nodes["Measure"][-1]))
    elif fault == "missing agency":  # a link to a node that was never written, after the nodes went in
        rows.owned.rels["ASSIGNED"].append({**rows.owned.rels["ASSIGNED"][0], "from": "不存在的单位"})
    else:
        rows.owned.nodes["Target"].append(copy.deepcopy(rows.owned.nodes["Target"][0]))
    with pytest.raises(StoreError, match="could not be written; the store is unchanged"):
        writes.write_document(store, rows)
    assert store.counts() == WITH_A
    assert read(store, "measures_of_document", {"doc_id": DOC_A}) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.owned.nodes["Measure"][0].update(colour="red"), "property 'colour'"),
        (lambda r: r.owned.nodes["Measure"][0].update(ordinal="first"), "not of the schema type INT64"),
        (lambda r: r.owned.nodes.setdefault("Measure) DETACH DELETE (x", []).append({"id": "x"}), "not a node label"),
        (lambda r: r.owned.rels.setdefault("OWNS", []).append({"from": "a", "to": "b"}), "not a relationship type"),
        (lambda r: r.owned.nodes["Measure"][0].update(doc_id="doc-other"), "belongs to document"),
    ],
    ids=["unknown property", "wrong type", "label injection", "unknown rel type", "foreign doc_id"],
)
def test_rows_outside_the_schema_are_refused_before_anything_changes(
    store: GraphStore, change: Any, message: str
) -> None:
    load_sample(store, sample_document_a())
    rows = rows_of(sample_document_a())
    change(rows)
    with pytest.raises(StoreError, match=message):
        writes.write_document(store, rows)
    assert store.counts() == WITH_A


def test_reference_data_overwrites_what_a_document_left(store: GraphStore) -> None:
    load_sample(store, sample_document_a())
    workload = {row["agency"]: row for row in read(store, "workload")}
    assert workload["某某办"]["resolved"] is False
    registry = sample_registry()
    grown = AgencyRegistry(
        [*(AgencyInfo(a, None, None) for a in registry.agencies()), AgencyInfo(Agency("某某办"), None, None)]
    )
    writes.upsert_reference(store, reference_rows(grown, sample_industries()))
    workload = {row["agency"]: row for row in read(store, "workload")}
    assert workload["某某办"] == {"agency": "某某办", "resolved": True, "measures": 1, "leads": 0}


def test_parameters_are_data_never_cypher(store: GraphStore) -> None:
    load_sample(store)
    assert read(store, "measure_by_text", {"text": INJECTION}) == [{"id": f"{DOC_A}~一.一.2", "text": INJECTION}]
    assert read(store, "measure_by_text", {"text": "'}) MATCH (n) DETACH DELETE n //"}) == []
    assert store.counts() == WITH_A_AND_B


def test_an_unknown_query_or_parameter_is_a_clear_error(store: GraphStore) -> None:
    with pytest.raises(NotFound, match="There is no query named 'no_such_query'"):
        read(store, "no_such_query")
    with pytest.raises(InputError, match="needs the parameter doc_id"):
        read(store, "measures_of_document")
    with pytest.raises(InputError, match="takes no parameter colour"):
        read(store, "measures_of_document", {"doc_id": DOC_A, "colour": "red"})


def test_queries_may_return_properties_only_and_never_write(store: GraphStore) -> None:
    load_sample(store)
    with pytest.raises(StoreError, match="must return properties"):
        read(store, "whole_node")
    with pytest.raises(StoreError, match="would change the store"):
        read(store, "sneaky_write")
    assert store.counts() == WITH_A_AND_B


def test_values_come_back_as_plain_python(store: GraphStore) -> None:
    load_sample(store)
    documents = {row["id"]: row for row in read(store, "document_info")}
    assert documents[DOC_A] == {
        "id": DOC_A,
        "title": "传统制造业改造提升任务分解方案",
        "doc_number": "浙经信〔2017〕1号",
        "year": 2017,
        "attachments": ["附件1, 任务表", '附件"2"'],
        "loaded": True,
    }
    assert documents[STUB]["loaded"] is False
    assert read(store, "target_values") == [
        {
            "measure": f"{DOC_A}~一.一.1",
            "targets": [
                {"metric": "工业机器人", "value": "20000", "value_number": 20000.0, "unit": "台", "year": 2020,
                 "per_year": False}
            ],
        }
    ]  # fmt: skip
    assert type(read(store, "target_values")[0]["targets"][0]["value_number"]) is float


def test_workload_includes_units_without_tasks_as_plain_integers(store: GraphStore) -> None:
    load_sample(store)
    workload = read(store, "workload")
    assert [(row["agency"], row["measures"], row["leads"]) for row in workload] == [
        ("省科技厅", 3, 1),
        ("省经信委", 3, 1),
        ("某某办", 1, 0),
        ("省发展改革委", 1, 1),
        ("省工业转型升级领导小组", 0, 0),
        ("省市场监管局", 0, 0),
        ("省统计局", 0, 0),
        ("省质监局", 0, 0),
    ]
    assert all(type(row["leads"]) is int and type(row["measures"]) is int for row in workload)


def test_role_parameter_filters_assignments(store: GraphStore) -> None:
    load_sample(store)
    rows = read(store, "agency_assignments", {"name": "省经信委", "role": "lead"})
    assert rows == [
        {"measure": f"{DOC_A}~一.一.1", "role": "lead", "as_written": "经信委", "position": 0, "doc_id": DOC_A}
    ]
    assert len(read(store, "agency_assignments", {"name": "省经信委"})) == 3


def test_section_tree(store: GraphStore) -> None:
    load_sample(store, sample_document_a())
    assert read(store, "section_tree", {"doc_id": DOC_A}) == [
        {"parent": None, "child": "一", "measures": 0},
        {"parent": "一", "child": "一/(一)", "measures": 2},
        {"parent": None, "child": "二", "measures": 1},
    ]


# -- dialect traps: each query has an .embedded.cypher variant; both give these rows -------------


def test_relationship_types_label_r_and_type_r(store: GraphStore) -> None:
    load_sample(store)
    m1 = f"{DOC_A}~一.一.1"
    assert read(store, "neighbours", {"id": m1}) == [
        {"rel": "ASSIGNED", "other": "省科技厅"},
        {"rel": "ASSIGNED", "other": "省经信委"},
        {"rel": "CONCERNS", "other": "纺织"},
        {"rel": "HAS_MEASURE", "other": f"{DOC_A}~s~一.一"},
        {"rel": "INCLUDES", "other": DOC_A},
        {"rel": "SETS_TARGET", "other": f"{m1}~t0"},
    ]


def test_node_label_label_n_and_labels_n(store: GraphStore) -> None:
    load_sample(store)
    assert read(store, "node_kind", {"id": f"{DOC_A}~二.1"}) == [{"kind": "Measure"}]
    assert read(store, "node_kind", {"id": "省统计局"}) == [{"kind": "Agency"}]
    assert read(store, "node_kind", {"id": STUB}) == [{"kind": "Document"}]


def test_shortest_path_both_spellings(store: GraphStore) -> None:
    load_sample(store)
    assert read(store, "agency_distance", {"source": "省经信委", "target": "省发展改革委"}) == [{"hops": 2}]
    assert read(store, "agency_distance", {"source": "省科技厅", "target": "省发展改革委"}) == [{"hops": 4}]
    assert read(store, "agency_distance", {"source": "省科技厅", "target": "省统计局"}) == []


# -- engine faults: a second process, a killed writer, a stopped server ---------------------------

CHILD_PRELUDE = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).parent)!r})
from fixtures_stores import load_sample, sample_document_a, sample_registry, sample_industries
from policykg.graph.embedded import EmbeddedStore
from policykg.queries import writes
"""


def _child(code: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD_PRELUDE + textwrap.dedent(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(child: subprocess.Popen[str], line: str) -> None:
    assert child.stdout is not None
    got = child.stdout.readline().strip()
    if got != line:
        child.kill()
        raise AssertionError(f"child said {got!r}, not {line!r}: {child.communicate()[1][-2000:]}")


def test_embedded_second_writer_gets_store_unavailable_and_readers_still_read(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "store"
    holder = _child(
        f"""
        store = EmbeddedStore({str(directory)!r})
        load_sample(store)
        print("holding", flush=True)
        time.sleep(60)
        """
    )
    try:
        _wait_for(holder, "holding")
        with pytest.raises(StoreUnavailable) as caught:
            EmbeddedStore(directory)
        assert str(caught.value) == (
            f"The store at {directory} is in use by another process (process {holder.pid} holds it for writing); "
            "wait for it to finish or stop it."
        )
        with EmbeddedStore(directory, read_only=True) as reader:
            assert reader.counts() == WITH_A_AND_B
            assert read(reader, "measures_of_document", {"doc_id": DOC_A}) == A_MEASURES
            with pytest.raises(StoreError, match="open read-only"):
                writes.write_document(reader, rows_of(sample_document_a()))
    finally:
        holder.kill()
        holder.communicate()
    with EmbeddedStore(directory) as store:  # free again once the holder is gone
        assert store.counts() == WITH_A_AND_B


@pytest.mark.parametrize(("size", "delay"), [(5000, 0.0), (5000, 0.05), (5000, 0.3), (300, 0.0), (300, 0.01)])
def test_embedded_store_killed_while_committing_reopens_with_whole_documents_only(
    tmp_path: Path, size: int, delay: float
) -> None:
    """A kill -9 during a bulk COMMIT once left a rewritten document without sections or measures.

    5000 measures go the bulk (COPY) way, 300 the parameterised one."""
    directory = tmp_path / "store"
    writer = _child(
        f"""
        from policykg.ingest import document_rows
        from policykg.graph.model import Assignment, Measure
        store = EmbeddedStore({str(directory)!r})
        load_sample(store, sample_document_a())
        big = sample_document_a()
        big.measures = [
            Measure(f"一/(一)/{{i}}", f"措施{{i}}", ("一", "一/(一)"), [Assignment("省经信委", "省经信委", "lead", 0)])
            for i in range({size})
        ]
        rows = document_rows(big, sample_registry(), sample_industries())
        run = EmbeddedStore._run
        def announce_commit(self, query, params=None):  # fault-injection hook: tell the parent when to kill
            if query == "COMMIT":
                print("committing", flush=True)
            return run(self, query, params)
        EmbeddedStore._run = announce_commit
        writes.write_document(store, rows)
        time.sleep(60)
        """
    )
    try:
        _wait_for(writer, "committing")
        time.sleep(delay)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.communicate()
    assert writer.returncode == -signal.SIGKILL
    with EmbeddedStore(directory) as store:
        counts = store.counts()
        measures = read(store, "measures_of_document", {"doc_id": DOC_A})
    whole = {**WITH_A, "Measure": size, "INCLUDES": size, "HAS_MEASURE": size, "ASSIGNED": size}
    whole.update({"Target": 0, "SETS_TARGET": 0, "CONCERNS": 0})  # 某某办 stays: shared rows are never deleted
    assert counts in (WITH_A, whole)
    assert len(measures) == counts["Measure"]


def test_embedded_store_finishes_a_journalled_plan_on_opening_and_logs_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A journal left by a killed writer (written here as the store writes it): the plan is run on
    opening; one that cannot be finished runs its recovery plan (the document goes). Both are
    logged at WARNING and kept in ``recovery_notes``."""
    directory = tmp_path / "store"
    with EmbeddedStore(directory) as store:
        load_sample(store, sample_document_b())
    pending = directory / "pending"
    pending.mkdir()
    (pending / "a.json").write_text(json.dumps(writes.document_plan(rows_of(sample_document_a())).to_json()))
    with caplog.at_level(logging.WARNING, logger="policykg.graph.embedded"), EmbeddedStore(directory) as store:
        assert store.counts() == WITH_A_AND_B
        assert store.recovery_notes == [f"Finished writing the document {DOC_A}, interrupted when a process stopped."]
    assert [r.getMessage() for r in caplog.records] == [f"{directory}: {store.recovery_notes[0]}"]
    assert not list(pending.iterdir())

    broken = writes.document_plan(rows_of(sample_document_a()))
    unmatched = Statement(
        "UNWIND $rows AS r MATCH (a:Agency {id: r.from}) RETURN count(*) AS n",
        rows=({"from": "不存在的单位"},),
        unmatched="{missing} rows name an agency that does not exist.",
    )
    broken = WritePlan(broken.failure, (*broken.statements, unmatched), broken.subject, broken.recovery)
    (pending / "a.json").write_text(json.dumps(broken.to_json()))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="policykg.graph.embedded"), EmbeddedStore(directory) as store:
        assert read(store, "measures_of_document", {"doc_id": DOC_A}) == []
        [note] = store.recovery_notes
    assert note.startswith(f"Could not finish writing the document {DOC_A} (") and note.endswith("it was removed.")
    assert [r.levelname for r in caplog.records] == ["WARNING"]


def test_a_slow_named_query_is_logged_with_its_name(
    embedded_store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    load_sample(embedded_store, sample_document_a())
    with caplog.at_level(logging.WARNING, logger="policykg.queries"):
        read(embedded_store, "measures_of_document", {"doc_id": DOC_A})
        assert caplog.records == []  # no threshold set: nothing is slow
        embedded_store.slow_query_ms = 1e-6
        read(embedded_store, "measures_of_document", {"doc_id": DOC_A})
    [record] = caplog.records
    assert record.levelname == "WARNING" and record.name == "policykg.queries.run"
    assert record.getMessage().startswith("slow query measures_of_document took ")


def test_neo4j_unreachable_is_store_unavailable() -> None:
    from policykg.graph.neo4j_store import Neo4jStore

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreUnavailable, match=rf"Neo4j at bolt://127.0.0.1:{port} cannot be reached"):
        Neo4jStore(f"bolt://127.0.0.1:{port}", connection_timeout=2.0)


@pytest.mark.neo4j
def test_open_store_follows_the_settings(tmp_path: Path, neo4j_uri: str, neo4j_database: str) -> None:
    from policykg.graph.neo4j_store import Neo4jStore
    from policykg.settings import Settings

    embedded = Settings(backend="embedded", store_dir=tmp_path / "s").open_store()
    assert isinstance(embedded, EmbeddedStore) and embedded.directory == tmp_path / "s"
    embedded.close()
    settings = Settings(backend="neo4j", neo4j_uri=neo4j_uri, neo4j_database=neo4j_database)
    neo4j = settings.open_store()
    assert isinstance(neo4j, Neo4jStore) and neo4j.uri == neo4j_uri
    neo4j.close()


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_store_reconnects_by_itself_when_the_server_is_back(tmp_path: Path) -> None:
    """Its own server (the session's must keep running): stop it, see StoreUnavailable, start it again."""
    from fixtures_neo4j import load_neo4j_server_module, skip_or_fail

    from policykg.graph.neo4j_store import Neo4jStore

    server = load_neo4j_server_module()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tmp_path / "neo4j-home"
    home.mkdir()
    try:
        running = server.start_neo4j(home, port=port)
    except server.Neo4jUnavailable as error:
        skip_or_fail(str(error))
        return
    try:
        store = Neo4jStore(running.uri, connection_timeout=1.0)
        load_sample(store, sample_document_a())
        running.stop()
        with pytest.raises(StoreUnavailable, match="cannot be reached"):
            read(store, "document_info")
        with pytest.raises(StoreUnavailable, match="cannot be reached"):
            writes.write_document(store, rows_of(sample_document_a()))
        running = server.start_neo4j(home, port=port)
        assert store.counts() == WITH_A  # the same store object, the data kept by the server
        writes.write_document(store, rows_of(sample_document_a()))
        assert read(store, "measures_of_document", {"doc_id": DOC_A}) == A_MEASURES
        store.close()
    finally:
        running.stop()


def test_the_embedded_variants_are_needed(embedded_store: GraphStore, test_catalogue: Catalogue) -> None:
    """The Neo4j spelling on the embedded engine: type(r) fails, labels(n)[0] is silently ''."""
    load_sample(embedded_store)
    neo4j_only = Catalogue(
        {
            name: NamedQuery(q.name, q.title, q.description, q.params, q.returns, q.mode, q.text)
            for name, q in test_catalogue.queries.items()
        }
    )
    assert queries.read(embedded_store, "node_kind", {"id": "省统计局"}, catalogue=neo4j_only) == [{"kind": ""}]
    with pytest.raises(StoreError, match="The query neighbours failed on the embedded store"):
        queries.read(embedded_store, "neighbours", {"id": DOC_A}, catalogue=neo4j_only)
    with pytest.raises(StoreError, match="The query agency_distance failed on the embedded store"):
        queries.read(
            embedded_store, "agency_distance", {"source": "省经信委", "target": "省发展改革委"}, catalogue=neo4j_only
        )
