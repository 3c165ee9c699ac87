"""Ingest: parsed documents to rows (checked row by row against the hand-built sample), and
loading files — good ones loaded, bad ones named — through the library and the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_stores import INJECTION, sample_document_a, sample_industries, sample_registry
from typer.testing import CliRunner

from policykg.cli import app
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.model import Assignment, DocumentMeta, Measure, ParsedDocument, Section, document_id
from policykg.ingest import document_rows, load_files, reference_rows

DOC_A = document_id("浙经信〔2017〕1号", "")
STUB = document_id("浙政发〔2017〕23号", "浙政发〔2017〕23号")
EXAMPLES = Path(__file__).resolve().parent.parent / "policykg" / "examples"
ZHEJIANG = EXAMPLES / "2017-zhejiang-chuantong-zhizao-fenjie.txt"
GUOFA = EXAMPLES / "2019-guofa-3-zonghe-baoshuiqu.txt"


def pairs(rows: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(r["from"], r["to"]) for r in rows]


def test_document_rows_of_a_hand_built_document() -> None:
    rows = document_rows(sample_document_a(), sample_registry(), sample_industries())
    owned, shared = rows.owned, rows.shared
    assert rows.doc_id == DOC_A
    assert owned.nodes["Document"] == [
        {
            "id": DOC_A,
            "title": "传统制造业改造提升任务分解方案",
            "doc_number": "浙经信〔2017〕1号",
            "issuer": "浙江省工业转型升级领导小组办公室",
            "date_written": "2017-07-03",
            "date_issued": None,
            "date_published": None,
            "year": 2017,
            "source": None,
            "attachments": ["附件1, 任务表", '附件"2"'],
            "jurisdiction": None,
            "loaded": True,
        }
    ]
    s1, s11, s2 = f"{DOC_A}~s~一", f"{DOC_A}~s~一.一", f"{DOC_A}~s~二"
    m1, m2, m3 = f"{DOC_A}~一.一.1", f"{DOC_A}~一.一.2", f"{DOC_A}~二.1"
    assert [(s["id"], s["path"], s["level"], s["ordinal"]) for s in owned.nodes["Section"]] == [
        (s1, "一", 1, 0),
        (s11, "一/(一)", 2, 1),
        (s2, "二", 1, 2),
    ]
    assert pairs(owned.rels["HAS_SECTION"]) == [(DOC_A, s1), (DOC_A, s11), (DOC_A, s2)]
    assert pairs(owned.rels["HAS_SUBSECTION"]) == [(s1, s11)]
    assert pairs(owned.rels["HAS_MEASURE"]) == [(s11, m1), (s11, m2), (s2, m3)]
    assert pairs(owned.rels["INCLUDES"]) == [(DOC_A, m1), (DOC_A, m2), (DOC_A, m3)]
    assert owned.nodes["Measure"][2] == {
        "id": m3,
        "doc_id": DOC_A,
        "ref": "二/1",
        "text": "加强统筹协调。",
        "section_path": "二",
        "deadline": "2018年底前",
        "deadline_date": "2018-12-31",
        "due_date": "2018-12-31",
        "due_date_derived": False,
        "span_start": 81,
        "span_end": 95,
        "line": 9,
        "ordinal": 2,
        "sort_key": owned.nodes["Measure"][2]["sort_key"],  # checked below
        "doc_title": "传统制造业改造提升任务分解方案",
        "doc_issued": None,
        "doc_year": 2017,
    }
    # One document's measures: consecutive keys in reading order. An assignment's key is its
    # measure's times four plus the role's place (joint 0, lead 1, support 2); an industry link's, the measure's.
    k1, k2, k3 = (m["sort_key"] for m in owned.nodes["Measure"])
    assert (k2 - k1, k3 - k2) == (1, 1)
    assert [r.pop("sort_key") for r in owned.rels["ASSIGNED"]] == [
        4 * k1 + 1,
        4 * k1 + 2,
        4 * k2 + 1,
        4 * k2 + 2,
        4 * k3,
        4 * k3,
    ]
    assert owned.nodes["Measure"][1]["text"] == INJECTION
    assert owned.rels["ASSIGNED"] == [
        {"from": "省经信委", "to": m1, "role": "lead", "as_written": "经信委", "position": 0, "doc_id": DOC_A},
        {"from": "省科技厅", "to": m1, "role": "support", "as_written": "省科技厅", "position": 1, "doc_id": DOC_A},
        {"from": "省科技厅", "to": m2, "role": "lead", "as_written": "省科技厅", "position": 0, "doc_id": DOC_A},
        {"from": "某某办", "to": m2, "role": "support", "as_written": "某某办", "position": 1, "doc_id": DOC_A},
        {"from": "省经信委", "to": m3, "role": "joint", "as_written": "省经信委", "position": 0, "doc_id": DOC_A},
        {"from": "省科技厅", "to": m3, "role": "joint", "as_written": "省科技厅", "position": 1, "doc_id": DOC_A},
    ]
    assert owned.nodes["Target"] == [
        {
            "id": f"{m1}~t0",
            "doc_id": DOC_A,
            "metric": "工业机器人",
            "value": "20000",
            "value_number": 20000.0,
            "unit": "台",
            "qualifier": "at_least",
            "year": 2020,
            "per_year": False,
            "modality": "力争",
            "text": "新增工业机器人20000台",
            "value_normalised": 20000.0,
            "base_unit": "台",
            "minimum": None,
            "maximum": None,
            "horizon": None,
            "derived_year": None,
            "span_start": 9,
            "span_end": 22,
        }
    ]
    assert pairs(owned.rels["SETS_TARGET"]) == [(m1, f"{m1}~t0")]
    assert "SETS" not in owned.rels  # every measure of the sample names an agency: no goals of its own
    assert owned.rels["CONCERNS"] == [
        {"from": m1, "to": "纺织", "doc_id": DOC_A, "sort_key": k1},
        {"from": m2, "to": "纺织", "doc_id": DOC_A, "sort_key": k2},
        {"from": m2, "to": "化工", "doc_id": DOC_A, "sort_key": k2},
    ]
    assert pairs(owned.rels["IMPLEMENTS"]) == [(DOC_A, STUB)]
    # shared rows: registry entries in full, the unknown unit as written, the stub document
    agencies = {a["id"]: a for a in shared.nodes["Agency"]}
    assert list(agencies) == ["省经信委", "省科技厅", "某某办"]
    assert agencies["省经信委"] == {
        "id": "省经信委",
        "name": "省经信委",
        "full_name": "浙江省经济和信息化委员会",
        "english_name": None,
        "level": "province",
        "kind": "department",
        "aliases": ["经信委"],
        "jurisdiction": None,
        "resolved": True,
    }
    assert agencies["某某办"] == {
        "id": "某某办",
        "name": "某某办",
        "aliases": [],
        "jurisdiction": None,
        "resolved": False,
    }
    assert shared.nodes["Industry"] == [
        {"id": "纺织", "name": "纺织", "code": "C17", "category": "制造业"},
        {"id": "化工", "name": "化工", "code": "C26", "category": "制造业"},
    ]
    assert shared.nodes["Document"] == [
        {"id": STUB, "title": "浙政发〔2017〕23号", "doc_number": "浙政发〔2017〕23号", "loaded": False}
    ]


def test_repeated_numbering_and_missing_headings_still_give_unique_ids_and_nearest_sections() -> None:
    lead = [Assignment("省经信委", "省经信委", "lead", 0), Assignment("省经信委", "省经信委", "lead", 1)]
    parsed = ParsedDocument(
        DocumentMeta(title="无文号的方案", date_issued="2019-01-02"),
        sections=[Section("一", "任务", 1)],
        measures=[
            Measure("一/1", "甲。", ("一", "一/(二)"), lead),  # 一/(二) was never a heading
            Measure("一/1", "乙。", ("一",), lead),  # the same numbering again
            Measure("1", "丙。", (), lead),  # under no heading at all
        ],
    )
    rows = document_rows(parsed)
    doc = document_id(None, "无文号的方案")
    ids = [m["id"] for m in rows.owned.nodes["Measure"]]
    assert ids == [f"{doc}~一.1", f"{doc}~一.1~2", f"{doc}~1"]
    assert pairs(rows.owned.rels["HAS_MEASURE"]) == [(f"{doc}~s~一", ids[0]), (f"{doc}~s~一", ids[1])]
    assert len(rows.owned.rels["ASSIGNED"]) == 3  # the unit named twice in one role counts once per measure
    assert rows.owned.nodes["Document"][0]["year"] == 2019  # no date written: the issue date's year
    # without a registry every name is kept as written, unresolved
    assert rows.shared.nodes["Agency"] == [
        {"id": "省经信委", "name": "省经信委", "aliases": [], "jurisdiction": None, "resolved": False}
    ]


def test_reference_rows_hold_every_unit_membership_and_reform_step() -> None:
    rows = reference_rows(sample_registry(), sample_industries())
    assert [a["name"] for a in rows.nodes["Agency"]] == [
        "省经信委",
        "省科技厅",
        "省发展改革委",
        "省工业转型升级领导小组",
        "省质监局",
        "省市场监管局",
        "省统计局",
    ]
    assert all(a["resolved"] is True for a in rows.nodes["Agency"])
    assert pairs(rows.rels["MEMBER_OF"]) == [
        ("省经信委", "省工业转型升级领导小组"),
        ("省科技厅", "省工业转型升级领导小组"),
    ]
    assert rows.rels["SUCCEEDED_BY"] == [{"from": "省质监局", "to": "省市场监管局", "date": "2018-10-01"}]
    assert [i["name"] for i in rows.nodes["Industry"]] == ["纺织", "化工", "汽车"]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Two real documents and three that cannot be loaded."""
    good_a, good_b = tmp_path / "zhejiang.txt", tmp_path / "guofa.txt"
    shutil.copy(ZHEJIANG, good_a)
    shutil.copy(GUOFA, good_b)
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "junk.docx"
    binary.write_bytes(b"\x00\x01not a zip file\xff" * 10)
    return {"good_a": good_a, "good_b": good_b, "empty": empty, "binary": binary, "missing": tmp_path / "nope.txt"}


def test_load_files_loads_the_good_files_and_names_the_bad_ones(tmp_path: Path, files: dict[str, Path]) -> None:
    order = ["good_a", "empty", "binary", "good_b", "missing"]
    with EmbeddedStore(tmp_path / "store") as store:
        report = load_files([files[k] for k in order], store, progress=False)
        counts = store.counts()
    assert [d.path for d in report.documents] == [str(files["good_a"]), str(files["good_b"])]
    assert [path for path, _ in report.failures] == [str(files["empty"]), str(files["binary"]), str(files["missing"])]
    assert all(str(Path(path).name) in message for path, message in report.failures)
    assert report.measures == sum(d.measures for d in report.documents) == counts["Measure"]
    assert counts["INCLUDES"] == report.measures
    assert "浙江省:省经信委" in report.agencies_resolved  # jurisdiction:name
    summary = report.summary()
    assert summary.startswith("Loaded 2 documents")
    assert f"Failed: {files['empty']}" in summary and f"Failed: {files['missing']}" in summary


def test_a_failed_file_leaves_the_store_as_it_was(tmp_path: Path, files: dict[str, Path]) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        load_files([files["good_a"]], store, progress=False)
        before = store.counts()
        report = load_files([files["binary"], files["good_a"], files["empty"]], store, progress=False)
        assert len(report.failures) == 2
        assert store.counts() == before  # the good file reloaded in place, the bad ones changed nothing


def test_cli_load_exit_status_and_output(tmp_path: Path, files: dict[str, Path]) -> None:
    runner = CliRunner()
    store = str(tmp_path / "store")
    mixed = runner.invoke(app, ["load", str(files["good_a"]), str(files["missing"]), "--store", store])
    assert mixed.exit_code == 0, mixed.output
    assert "Loaded 1 document (" in mixed.stdout and f"Failed: {files['missing']}" in mixed.stdout

    nothing = runner.invoke(app, ["load", str(files["empty"]), str(files["binary"]), "--store", store])
    assert nothing.exit_code == 1
    # Each bad file is named once, in its own one-sentence line.
    assert nothing.output.count(str(files["empty"])) == 1 and nothing.output.count(str(files["binary"])) == 1
    assert "nothing could be loaded" in nothing.output
    assert "Traceback" not in nothing.output

    as_json = runner.invoke(app, ["load", str(files["good_b"]), "--store", store, "--json"])
    assert as_json.exit_code == 0, as_json.output
    report = json.loads(as_json.stdout)
    assert [d["path"] for d in report["documents"]] == [str(files["good_b"])] and report["failures"] == []
    doc_id = report["documents"][0]["doc_id"]

    assert runner.invoke(app, ["delete", doc_id, "--store", store]).exit_code == 0
    again = runner.invoke(app, ["delete", doc_id, "--store", store])
    assert again.exit_code == 1 and f"no loaded document {doc_id}" in again.output

    refused = runner.invoke(app, ["reset", "--store", store])
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert runner.invoke(app, ["reset", "--yes", "--store", store]).exit_code == 0
    with EmbeddedStore(store) as opened:
        assert set(opened.counts().values()) == {0}


def test_cli_names_a_store_held_by_another_process(tmp_path: Path, files: dict[str, Path]) -> None:
    store = tmp_path / "store"
    command = Path(sys.executable).parent / "policykg"
    with EmbeddedStore(store):  # this test process holds it for writing
        result = subprocess.run(
            [str(command), "load", str(files["good_a"]), "--store", str(store)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert f"The store at {store} is in use by another process" in result.stderr


GOALS_DOCUMENT = """某县人才发展实施方案
一、发展目标
到2025年，高素质职业农民达到1000人，农业机械总动力达到7200万千瓦左右。
二、主要任务
1.到2025年，教育人才队伍达到8800人。（县教育局负责）
某县人民政府
2021年3月1日
"""


def test_a_goals_paragraph_sets_its_targets_on_the_document() -> None:
    from policykg.loaders.parser import parse_text

    rows = document_rows(parse_text(GOALS_DOCUMENT, source="goals.txt"))
    targets = {t["id"]: t for t in rows.owned.nodes["Target"]}
    goals = f"{rows.doc_id}~一"
    # the goals record (no agency) links its two targets to the document; the assigned one does not
    assert sorted(pairs(rows.owned.rels["SETS"])) == [(rows.doc_id, f"{goals}~t0"), (rows.doc_id, f"{goals}~t1")]
    assert len(rows.owned.rels["SETS_TARGET"]) == 3
    power = targets[f"{goals}~t1"]
    assert (power["value"], power["unit"], power["qualifier"]) == ("7200", "万千瓦", "about")
    assert (power["value_normalised"], power["base_unit"]) == (72_000_000.0, "千瓦")


def test_a_goals_paragraph_loads_with_its_document_link(tmp_path: Path) -> None:
    source = tmp_path / "goals.txt"
    source.write_text(GOALS_DOCUMENT, encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        report = load_files([source], store, progress=False)
        assert (report.measures, report.targets) == (2, 3)
        assert store.counts()["SETS"] == 2
        load_files([source], store, progress=False)  # loading twice changes nothing
        assert store.counts()["SETS"] == 2
