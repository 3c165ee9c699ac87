"""The command line as a new user meets it: --version, flags shown as flags, tables that fit
100 columns, clean one-line errors, exit statuses that say what happened, and the analytics
running while another process holds the store.

Expected figures come from reading the bundled Zhejiang document (22 measures led by 省经信委,
26 supported) and from pyproject.toml, never from the code under test.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykg.cli import app
from policykg.errors import PolicykgError
from policykg.graph.embedded import EmbeddedStore
from policykg.ingest import load_files

ROOT = Path(__file__).resolve().parents[1]
ZHEJIANG = ROOT / "policykg" / "examples" / "2017-zhejiang-chuantong-zhizao-fenjie.txt"
ZHEJIANG_TITLE = "关于印发《浙江省全面改造提升传统制造业行动计划(2017-2020年)相关任务责任分解方案》的通知"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def width(line: str) -> int:
    """Terminal columns of a line, CJK counted double (computed here, not with rich)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("cli") / "store"
    with EmbeddedStore(path) as store:
        report = load_files([ZHEJIANG], store, progress=False)
        assert report.measures == 62
    yield path


def test_version_is_the_one_pyproject_declares() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"policykg {declared}"


@pytest.mark.parametrize("command", [[], ["load"], ["stats"], ["export"], ["demo"], ["parse"]])
def test_help_shows_flags_as_flags(command: list[str]) -> None:
    code, out, _ = run(*command, "--help", env={"COLUMNS": "100"})
    assert code == 0
    assert "--help" in out and "<bool>" not in out


def test_load_help_shows_json_as_a_bare_flag() -> None:
    _, out, _ = run("load", "--help", env={"COLUMNS": "100"})
    line = next(x for x in out.splitlines() if "--json" in x)
    assert "Print the load report as JSON" in line and "<" not in line


def test_stats_table_fits_100_columns_and_lists_only_agencies_with_measures(store_dir: Path) -> None:
    code, out, _ = run("stats", "--store", str(store_dir), env={"COLUMNS": "200"})
    assert code == 0
    lines = [x for x in out.splitlines() if x.strip()]
    assert max(width(x) for x in lines) <= 100
    row = next(x.split() for x in lines if x.split()[0] == "省经信委")
    assert row[1:][:6] == ["province", "department", "22", "26", "0", "48"]
    assert "government_department" not in out
    assert all(x.split()[-2] != "0.0" for x in lines[2:])  # no idle registry unit


def test_stats_all_adds_idle_agencies_and_filters_narrow_the_ranking(store_dir: Path) -> None:
    _, busy, _ = run("stats", "--store", str(store_dir), "--format", "json")
    _, everyone, _ = run("stats", "--store", str(store_dir), "--format", "json", "--all")
    busy_rows, all_rows = json.loads(busy)["agencies"], json.loads(everyone)["agencies"]
    assert all(r["measures"] > 0 for r in busy_rows)
    assert any(r["measures"] == 0 for r in all_rows) and len(all_rows) > len(busy_rows)
    _, provincial, _ = run("stats", "--store", str(store_dir), "--format", "json", "--level", "province")
    assert {r["level"] for r in json.loads(provincial)["agencies"]} == {"province"}
    _, collectives, _ = run("stats", "--store", str(store_dir), "--format", "json", "--kind", "collective", "--all")
    names = [r["agency"] for r in json.loads(collectives)["agencies"]]
    assert names and all(r["level"] == "collective" or "各" in r["agency"] for r in json.loads(collectives)["agencies"])
    assert "省经信委" not in names
    code, _, err = run("stats", "--store", str(store_dir), "--kind", "ministry")
    assert code == 2 and "department, government, collective" in err


def test_stats_by_document_names_the_document_by_its_title(store_dir: Path) -> None:
    code, out, _ = run("stats", "--by", "document", "--store", str(store_dir), env={"COLUMNS": "100"})
    assert code == 0
    assert ZHEJIANG_TITLE[:20] in out and "doc-" not in out
    _, as_json, _ = run("stats", "--by", "document", "--format", "json", "--store", str(store_dir))
    rows = json.loads(as_json)
    assert {r["document"] for r in rows} == {ZHEJIANG_TITLE}


def test_export_onto_an_existing_file_is_one_clean_sentence(store_dir: Path, tmp_path: Path) -> None:
    existing = tmp_path / "net.csv"
    existing.write_text("keep me", encoding="utf-8")
    code, out, err = run("export", "--format", "csv", "--out", str(existing), "--store", str(store_dir))
    assert code == 1 and "Traceback" not in out + err and "FileExistsError" not in out + err
    assert err.count("\n") == 1 and err.startswith(f"Error: {existing} is a file;")
    assert existing.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["parse", "{tmp}/absent.txt"], "absent.txt: The file does not exist."),
        (["delete", "doc-000000000000", "--store", "{store}"], "There is no loaded document doc-000000000000"),
        (["reset", "--store", "{tmp}/s"], "run it again with --yes"),
        (["query", "agency_measures", "-p", "name=省不存在委", "--store", "{store}"], "No agency called '省不存在委'"),
        (["explore", "--out", "{tmp}/site", "--store", "{tmp}/none"], "load documents into it first"),
        (["export", "--format", "gexf", "--out", "{tmp}", "--store", "{store}"], "is a directory"),
    ],
)
def test_every_deliberate_error_is_one_sentence_and_exit_1(
    args: list[str], sentence: str, store_dir: Path, tmp_path: Path
) -> None:
    argv = [a.format(tmp=tmp_path, store=store_dir) for a in args]
    code, out, err = run(*argv)
    assert code == 1 and sentence in err, (code, out, err)
    assert err.startswith("Error: ") and len(err.strip().splitlines()) == 1 and "Traceback" not in err + out


@pytest.mark.parametrize(("variable", "value"), [("POLICYKG_LOG_LEVEL", "loud"), ("POLICYKG_BUFFER_POOL_MB", "10")])
def test_a_bad_setting_is_one_sentence_naming_the_variable(variable: str, value: str) -> None:
    code, _, err = run("query", env={variable: value})
    assert code == 1 and err.startswith(f"Error: The setting {variable}={value!r} is not valid")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "env", "level"),
    [
        (["-v", "query"], {}, logging.INFO),
        (["-vv", "query"], {}, logging.DEBUG),
        (["query"], {"POLICYKG_LOG_LEVEL": "error"}, logging.ERROR),
        (["query"], {}, logging.WARNING),  # last: the level later tests run with
    ],
)
def test_verbose_and_the_log_level_setting_choose_what_the_library_logs(
    args: list[str], env: dict[str, str], level: int
) -> None:
    code, _, _ = run(*args, env=env)
    assert code == 0 and logging.getLogger("policykg").level == level
    handler = next(h for h in logging.getLogger("policykg").handlers if h.level <= level)
    record = logging.LogRecord("policykg.ingest", level, __file__, 1, "a.txt could not be loaded", None, None)
    assert handler.format(record) == f"{logging.getLevelName(level)} policykg.ingest: a.txt could not be loaded"


def test_load_of_a_file_with_no_measures_exits_3(tmp_path: Path) -> None:
    diary = tmp_path / "diary.txt"
    diary.write_text("今天天气很好。\n我去公园散步，看到很多人在跳舞。\n晚上和朋友一起吃饭。\n", encoding="utf-8")
    code, _, err = run("load", str(diary), "--store", str(tmp_path / "store"))
    assert code == 3 and "No measures found in diary.txt" in err


def test_random_bytes_are_not_reported_at_a_line(tmp_path: Path) -> None:
    noise = tmp_path / "noise.txt"
    # Bytes that decode as neither UTF-8 nor GB18030, with newlines scattered among them.
    noise.write_bytes(bytes([0x8F, 0xFF, 0x0A, 0xFE, 0x80, 0x0A, 0xFF, 0xFF, 0x81, 0x30]) * 50)
    code, out, err = run("load", str(noise), "--store", str(tmp_path / "store"))
    assert code == 1
    text = out + err
    assert text.count(str(noise)) == 1 and ", line " not in text


def test_analytics_run_while_another_process_holds_the_store_for_writing(store_dir: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from policykg.graph.embedded import EmbeddedStore; "
        f"s = EmbeddedStore({str(store_dir)!r}); print('holding', flush=True); sys.stdin.readline()"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        code_stats, out, err = run("stats", "--format", "csv", "--store", str(store_dir))
        assert code_stats == 0, err
        assert any(line.startswith("省经信委,") for line in out.splitlines())
        assert run("export", "--format", "gexf", "--out", str(tmp_path / "n.gexf"), "--store", str(store_dir))[0] == 0
        assert run("chart", "workload", "--out", str(tmp_path / "w.png"), "--store", str(store_dir))[0] == 0
    finally:
        holder.communicate("\n", timeout=60)


def test_demo_on_a_busy_port_stops_before_loading_or_announcing(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {"POLICYKG_STORE_DIR": str(tmp_path / "store"), "POLICYKG_EXPLORER_DIR": str(tmp_path / "site")}
        result = CliRunner().invoke(app, ["demo", "--port", str(port)], env=env)
    assert result.exit_code == 1 and not isinstance(result.exception, PolicykgError)  # one sentence, no traceback
    assert result.stderr.startswith("Error: ") and f"Port {port} on 127.0.0.1 is in use" in result.stderr
    assert "API on" not in result.output and "Loaded" not in result.output
    assert not (tmp_path / "store").exists()
