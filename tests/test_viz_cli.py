"""``policykg explore --out DIR``: builds the site for a loaded store and says where to open it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from policykg.cli import app
from policykg.graph.embedded import EmbeddedStore
from policykg.ingest import load_files
from policykg.viz.filenames import agency_page

EXAMPLE = Path(__file__).parent.parent / "policykg" / "examples" / "2017-zhejiang-chuantong-zhizao-fenjie.txt"


def test_explore_builds_the_site_for_a_loaded_store(tmp_path: Path) -> None:
    store_dir, out = tmp_path / "store", tmp_path / "site"
    with EmbeddedStore(store_dir) as store:
        load_files([EXAMPLE], store, progress=False)
    result = CliRunner().invoke(app, ["explore", "--out", str(out), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert f"Open {(out / 'index.html').resolve().as_uri()}" in result.output
    assert "1 document pages" in result.output
    assert (out / "index.html").is_file() and (out / agency_page("省经信委")).is_file()


def test_explore_refuses_a_file_as_the_output(tmp_path: Path) -> None:
    target = tmp_path / "taken.txt"
    target.write_text("x", encoding="utf-8")
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        app, ["explore", "--out", str(target), "--store", str(tmp_path / "s")]
    )
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_explore_without_a_store_says_to_load_first(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["explore", "--out", str(tmp_path / "site"), "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "load documents into it first" in str(result.exception) + result.output
