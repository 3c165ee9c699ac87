"""The parser's compiled build (policykg/_compiled.py, tools/compile_parser.py): loaded only when it
matches its source, and reading every document exactly as the source does."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from policykg import _compiled
from policykg.loaders import parse_text

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted(ROOT.glob("policykg/examples/*.txt")) + sorted(ROOT.glob("tests/data/**/*.txt"))
built = pytest.mark.skipif(not _compiled.running_compiled(), reason="the parser's compiled build is not loaded")

# A subprocess that runs the source, whatever is built: the comparison and the source-only tests.
_RUN_SOURCE = "import sys; from policykg import _compiled; _compiled.prefer_source(); "


def _as_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _as_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_as_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _as_data(v) for k, v in value.items()}
    return value


def readings() -> str:
    """Every bundled and labelled document's full reading, as JSON (run in both processes)."""
    return json.dumps(
        {
            str(path.relative_to(ROOT)): _as_data(parse_text(path.read_text("utf-8"), source=path.name))
            for path in DOCUMENTS
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_build_is_loaded_exactly_when_it_matches_the_source() -> None:
    assert _compiled.running_compiled() == (_compiled.state() == "fresh")
    if os.environ.get("CI") == "true":
        assert _compiled.state() == "fresh", "CI builds the parser (make install): the build failed or is stale"


def test_a_preferred_source_is_what_gets_imported() -> None:
    done = _python(_RUN_SOURCE + "import policykg.loaders.parser as p; print(p.__file__, _compiled.running_compiled())")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(_compiled.PACKAGE_DIR / "parser.py"), "False"]


def _fake_build(package: Path) -> None:
    package.mkdir()
    for name in _compiled.COMPILED_MODULES:
        shutil.copy(_compiled.PACKAGE_DIR / f"{name}.py", package)
        (package / f"{name}{_compiled._extension_suffix()}").write_bytes(b"")
    (package / _compiled.MANIFEST).write_text(json.dumps(_compiled.manifest(package)), encoding="utf-8")


def test_a_build_is_stale_once_a_source_changes_or_its_record_is_missing(tmp_path: Path) -> None:
    package = tmp_path / "loaders"
    _fake_build(package)
    assert _compiled.state(package) == "fresh"

    with (package / "targets.py").open("a", encoding="utf-8") as source:
        source.write("# edited after the build\n")
    assert _compiled.state(package) == "stale"

    (package / _compiled.MANIFEST).write_text(json.dumps(_compiled.manifest(package)), encoding="utf-8")
    assert _compiled.state(package) == "fresh"
    (package / f"layout{_compiled._extension_suffix()}").unlink()
    assert _compiled.state(package) == "stale", "a module missing from the build"

    _fake_build(tmp_path / "again")
    (tmp_path / "again" / _compiled.MANIFEST).write_text("{not json", encoding="utf-8")
    assert _compiled.state(tmp_path / "again") == "stale"


def test_a_build_for_another_python_is_stale(tmp_path: Path) -> None:
    package = tmp_path / "loaders"
    _fake_build(package)
    recorded = json.loads((package / _compiled.MANIFEST).read_text(encoding="utf-8"))
    recorded["extension_suffix"] = ".cpython-312-x86_64-linux-gnu.so"
    (package / _compiled.MANIFEST).write_text(json.dumps(recorded), encoding="utf-8")
    assert _compiled.state(package) == "stale"


def test_no_build_is_absent(tmp_path: Path) -> None:
    package = tmp_path / "loaders"
    package.mkdir()
    shutil.copy(_compiled.PACKAGE_DIR / "parser.py", package)
    assert _compiled.state(package) == "absent"


@built
def test_the_build_reads_every_document_exactly_as_the_source() -> None:
    done = _python(_RUN_SOURCE + "from tests.test_compiled import readings; sys.stdout.write(readings())")
    assert done.returncode == 0, done.stderr
    compiled = readings()
    assert len(DOCUMENTS) > 40
    assert json.loads(compiled) == json.loads(done.stdout)


@built
def test_the_source_only_tests_and_doctests_pass_against_the_source() -> None:
    """The tests marked ``source`` (the parser's doctests, tests that patch inside its modules),
    skipped in this process, run in one that loads the source."""
    done = _python(
        _RUN_SOURCE + "import pytest; sys.exit(pytest.main(["
        "'-m', 'source', '-q', '-p', 'no:cacheprovider', 'policykg/loaders', 'tests']))"
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
