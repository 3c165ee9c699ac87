"""``policykg eval``: pairing by ref and the counts behind every score, worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykg.cli import app
from policykg.errors import InputError
from policykg.evaluation import evaluate, find_labelled, normalise_ref, score_document
from policykg.graph.model import Assignment, DocumentMeta, Measure, ParsedDocument, Role, Target

runner = CliRunner()


def _measure(
    ref: str, roles: list[tuple[str, Role]], targets: list[Target] | None = None, deadline: str | None = None
) -> Measure:
    assignments = [Assignment(name, name, role, i) for i, (name, role) in enumerate(roles)]
    return Measure(ref=ref, text="…", assignments=assignments, targets=targets or [], deadline=deadline)


def _target(value: str, unit: str, year: int | None, qualifier: str | None) -> Target:
    return Target(
        metric="m",
        value=value,
        unit=unit,
        qualifier=qualifier,
        year=year,
        per_year=False,  # type: ignore[arg-type]
        modality=None,
        text="…",
    )


GOLD = {
    "measures": [
        {"ref": "一/1", "lead": ["省商务厅"], "support": ["省财政厅"], "joint": [], "targets": [], "deadline": None},
        {
            "ref": "一/2",
            "lead": [],
            "support": [],
            "joint": ["省经信委", "省科技厅"],
            "targets": [
                {"value": "2", "unit": "万台", "year": 2020, "qualifier": "at_least", "per_year": False},
                {"min": "3", "max": "5", "value": None, "unit": "家", "year": None, "qualifier": None},
            ],
            "deadline": None,
        },
        {
            "ref": "一/3",
            "lead": [],
            "support": [],
            "joint": ["海关总署", "商务部"],
            "targets": [],
            "deadline": "2019年底前",
        },
        {"ref": "一/4", "lead": ["省发展改革委"], "support": [], "joint": [], "targets": [], "deadline": None},
    ]
}


def _parsed() -> ParsedDocument:
    return ParsedDocument(
        DocumentMeta(title="t"),
        measures=[
            _measure("一/1", [("省商务厅", "lead"), ("省财政厅", "support")]),
            _measure(
                "一/2",
                [("省经信委", "lead"), ("省科技厅", "support")],
                targets=[_target("2", "万台", 2020, None), _target("5", "个", None, None)],
            ),
            _measure("一/3", [("海关总署", "joint")], deadline="2019年底前"),
            _measure("一/5", [("省林业局", "joint")]),
        ],
    )


def test_scores_count_what_agrees_record_by_record() -> None:
    score = score_document("doc", _parsed(), GOLD)
    assert (score.counts.gold_records, score.counts.paired_records) == (4, 3)
    assert score.records_found == 0.75
    # names: 2 + 2 + 1 right; 商务部 and 省发展改革委 missed; 省林业局 spurious
    assert (score.counts.agency_tp, score.counts.agency_fn, score.counts.agency_fp) == (5, 2, 1)
    assert score.agency_f1 == pytest.approx(10 / 13)
    assert score.lead_exact == 0.5  # 一/1 right, 一/4 not found
    assert score.no_lead_kept_joint == 0.5  # 一/2 given an invented lead, 一/3 kept joint
    assert (score.target_precision, score.target_recall) == (0.5, 1.0)  # the range is not scored
    assert score.qualifier_accuracy == 0.0
    assert score.deadline_accuracy == 1.0
    assert "一/4: not found" in score.misses
    assert any(m.startswith("一/5: parsed but not in the gold") for m in score.misses)


def test_refs_pair_across_bracket_width_and_spaces() -> None:
    assert normalise_ref("二/（三）/ 1#2") == "二/(三)/1#2"
    assert normalise_ref("三、") == normalise_ref("三")
    assert normalise_ref("二/(三)") != normalise_ref("二/三")


def test_documents_add_up_to_the_overall_score(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text("x", encoding="utf-8")
        (tmp_path / f"{name}.gold.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    scores, overall = evaluate(find_labelled(tmp_path), parse=lambda _: _parsed())
    assert [s.name for s in scores] == ["a", "b"]
    assert overall.counts.gold_records == 8 and overall.records_found == 0.75
    assert overall.agency_f1 == pytest.approx(10 / 13)


def _labelled_dir(tmp_path: Path) -> Path:
    (tmp_path / "doc.txt").write_text("一、任务\n1.建设平台。（海关总署、商务部负责）\n", encoding="utf-8")
    gold = {
        "source": "doc.txt",
        "measures": [
            {"ref": "一/1", "lead": [], "support": [], "joint": ["海关总署", "商务部"], "targets": [], "deadline": None}
        ],
    }
    (tmp_path / "doc.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_cli_prints_a_table_and_json(tmp_path: Path) -> None:
    folder = _labelled_dir(tmp_path)
    table = runner.invoke(app, ["eval", str(folder)])
    assert table.exit_code == 0, table.output
    assert any(line.split()[:3] == ["doc", "1/1", "1.000"] for line in table.stdout.splitlines())
    result = runner.invoke(app, ["eval", str(folder), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["overall"]["records_found"] == 1.0
    assert data["overall"]["no_lead_kept_joint"] == 1.0
    assert data["documents"][0]["counts"]["agency_tp"] == 2


def test_a_malformed_reading_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("x", encoding="utf-8")
    (tmp_path / "bad.gold.json").write_text('{"measures": [\n  {"ref": "1",}\n]}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        find_labelled(tmp_path)
    assert "bad.gold.json" in str(caught.value) and "line 2" in str(caught.value)


def test_a_reading_without_its_document_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "lonely.gold.json").write_text('{"measures": []}', encoding="utf-8")
    with pytest.raises(InputError, match="No document file"):
        find_labelled(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        find_labelled(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no labelled document"):
        find_labelled(tmp_path / "empty")
