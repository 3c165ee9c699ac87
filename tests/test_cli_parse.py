"""``policykg parse``: JSON shape, table view, and errors as one sentence with exit status 1."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from policykg.cli import app

EXAMPLES = Path(__file__).resolve().parents[1] / "policykg" / "examples"
runner = CliRunner()


def test_json_output_shape() -> None:
    result = runner.invoke(app, ["parse", str(EXAMPLES / "2019-guofa-3-zonghe-baoshuiqu.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"document", "measures", "warnings", "unresolved_agencies"}
    assert data["document"]["doc_number"] == "国发〔2019〕3号"
    assert len(data["measures"]) == 21
    first = data["measures"][0]
    keys = {"ref", "text", "lead", "support", "joint", "targets", "deadline", "scope", "industries", "span"}
    assert set(first) == keys
    assert first["ref"] == "四/(一)/1"
    assert first["lead"] == [{"id": "税务总局", "name": "税务总局", "as_written": "税务总局", "jurisdiction": "全国"}]
    assert [s["as_written"] for s in first["support"]] == ["财政部", "海关总署"]
    assert first["text"].startswith("1.拓展两个市场。") and first["text"].endswith("下同）")


def test_table_output_lists_every_measure() -> None:
    result = runner.invoke(
        app, ["parse", str(EXAMPLES / "2017-zhejiang-chuantong-zhizao-fenjie.txt"), "--format", "table"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("关于印发《浙江省全面改造提升传统制造业行动计划")
    assert lines[-1] == "62 measures, 0 warnings"
    assert any(line.lstrip().startswith("三/(六)/1 ") and "各市、县(市、区)政府" in line for line in lines)


def test_missing_file_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "absent.txt")])
    assert result.exit_code == 1
    assert "absent.txt: The file does not exist." in result.output
    assert "Traceback" not in result.output


def test_binary_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"line one\n\x00\x01\x02")
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 1
    assert "blob.txt, line 2:" in result.output and "binary" in result.output


def test_size_limit_option(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("一、任务\n1.推进改造。（商务部负责）\n" * 2000, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path), "--max-mb", "0.01"])
    assert result.exit_code == 1
    assert "larger than the limit" in result.output
