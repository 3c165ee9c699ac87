"""The parser's compiled build (policykg/_compiled.py, tools/compile_parser.py): loaded only when it
matches the files it was built from, and reading every document exactly as the source does."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policykg import _compiled
from policykg.loaders import parse_text
from policykg.loaders.clauses import RoleGroup, Unit
from policykg.loaders.industries import IndustryDictionary

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted(ROOT.glob("policykg/examples/*.txt")) + sorted(ROOT.glob("tests/data/**/*.txt"))
SUFFIX = _compiled.EXTENSION_SUFFIX
built = pytest.mark.skipif(not _compiled.running_compiled(), reason="the parser's compiled build is not loaded")

# A subprocess that runs the source, whatever is built: the comparison and the source-only tests.
_RUN_SOURCE = "import sys; from policykg import _compiled; _compiled.prefer_source(); "


def readings() -> str:
    """Every bundled and labelled document's full reading, one repr a line (types and all: a tuple
    is not a list, 1 is not 1.0)."""
    return "\n".join(repr(parse_text(path.read_text("utf-8"), source=path.name)) for path in DOCUMENTS)


def _python(code: str, pythonpath: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with ``pythonpath`` first on the path (and as the working folder, which ``-c`` puts first)."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=pythonpath, env=env, capture_output=True, text=True, timeout=600, check=False
    )


# ------------------------------------------------------------------ when a build is loaded (on files)


def _package_copy(tmp_path: Path, *, with_build: bool) -> Path:
    """A copy of the policykg package; with its real build or none."""
    target = tmp_path / "site" / "policykg"
    skip = (
        shutil.ignore_patterns("__pycache__", "examples")
        if with_build
        else shutil.ignore_patterns("__pycache__", "examples", "*.so", _compiled.MANIFEST)
    )
    shutil.copytree(_compiled.ROOT_DIR, target, ignore=skip)
    return target


def _fake_build(root: Path) -> None:
    """Empty files where a build's modules go, and its record of the sources as they are."""
    for name in [*_compiled.COMPILED_MODULES, _compiled.LIBRARY]:
        (root / "loaders" / f"{name}{SUFFIX}").write_bytes(b"")
    _record(root)


def _record(root: Path) -> None:
    (root / "loaders" / _compiled.MANIFEST).write_text(json.dumps(_compiled.manifest(root)), encoding="utf-8")


def _edit(path: Path) -> None:
    with path.open("a", encoding="utf-8") as source:
        source.write("# edited after the build\n")


@pytest.mark.parametrize(
    "changed", ["loaders/targets.py", "loaders/lexicon.py", "graph/model.py", "errors.py"], ids=lambda p: p
)
def test_a_build_is_stale_once_any_file_it_was_built_from_changes(tmp_path: Path, changed: str) -> None:
    """A compiled module's own source, or a module it imports (compiled code checks the types of
    what it reads from those)."""
    root = _package_copy(tmp_path, with_build=False)
    _fake_build(root)
    assert _compiled.state(root) == "fresh"
    _edit(root / changed)
    assert _compiled.state(root) == "stale"


@pytest.mark.parametrize(
    "damage",
    [
        "the shared library is missing",
        "a module is missing",
        "a module not in the list is built",
        "no record",
        "a damaged record",
    ],
)
def test_an_incomplete_or_unrecorded_build_is_stale(tmp_path: Path, damage: str) -> None:
    root = _package_copy(tmp_path, with_build=False)
    _fake_build(root)
    loaders = root / "loaders"
    if damage == "the shared library is missing":
        (loaders / f"{_compiled.LIBRARY}{SUFFIX}").unlink()
    elif damage == "a module is missing":
        (loaders / f"layout{SUFFIX}").unlink()
    elif damage == "a module not in the list is built":
        (loaders / f"reading{SUFFIX}").write_bytes(b"")
    elif damage == "no record":
        (loaders / _compiled.MANIFEST).unlink()
    else:
        (loaders / _compiled.MANIFEST).write_text('{"sources": 3}', encoding="utf-8")
    assert _compiled.state(root) == "stale"


def test_no_build_or_one_for_another_python_is_absent(tmp_path: Path) -> None:
    root = _package_copy(tmp_path, with_build=False)
    assert _compiled.state(root) == "absent"
    for name in _compiled.COMPILED_MODULES:
        (root / "loaders" / f"{name}.cpython-399-x86_64-linux-gnu.so").write_bytes(b"")
    assert _compiled.state(root) == "absent", "another Python's modules are not imported by this one"


# ------------------------------------------------------------------ with the real build


@built
def test_a_moved_build_loads_and_a_stale_one_gives_way_to_the_source(tmp_path: Path) -> None:
    root = _package_copy(tmp_path, with_build=True)
    probe = "import policykg.loaders.parser as p, policykg._compiled as c; print(p.__file__, c.running_compiled())"

    moved = _python(probe, root.parent)
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.split()[1] == "True" and moved.stdout.startswith(str(root)), "a checkout moved elsewhere"

    _edit(root / "loaders" / "lexicon.py")  # not compiled, but the build reads it
    stale = _python(probe, root.parent)
    assert stale.returncode == 0, stale.stderr
    assert stale.stdout.split() == [str(root / "loaders" / "parser.py"), "False"]
    assert "does not match its source" in stale.stderr and "make compile" in stale.stderr

    _record(root)
    (root / "loaders" / f"{_compiled.LIBRARY}{SUFFIX}").unlink()
    broken = _python(
        probe + "; from policykg.loaders import parse_text; parse_text('1.建设。（省科技厅负责）', source='x')",
        root.parent,
    )
    assert broken.returncode == 0, broken.stderr
    assert broken.stdout.split() == [str(root / "loaders" / "parser.py"), "False"]


@built
def test_a_preferred_source_is_what_gets_imported() -> None:
    done = _python(_RUN_SOURCE + "import policykg.loaders.parser as p; print(p.__file__, _compiled.running_compiled())")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(_compiled.PACKAGE_DIR / "parser.py"), "False"]


def test_in_ci_the_build_is_made_and_loaded() -> None:
    if os.environ.get("CI") != "true":
        pytest.skip("only CI requires the build (a machine without a C compiler runs the source)")
    assert _compiled.state() == "fresh", "make install builds the parser: see build/mypyc/build.log"
    assert _compiled.running_compiled()


@built
def test_the_build_reads_every_document_exactly_as_the_source() -> None:
    done = _python(_RUN_SOURCE + "from tests.test_compiled import readings; sys.stdout.write(readings())")
    assert done.returncode == 0, done.stderr
    assert len(DOCUMENTS) > 40
    compiled = readings()
    assert compiled.count("\n") == len(DOCUMENTS) - 1
    assert compiled == done.stdout


def test_what_a_parallel_load_sends_to_its_processes_pickles() -> None:
    """Compiled classes unpickle by calling __init__ with no arguments unless they say otherwise."""
    industries = IndustryDictionary.load_default()
    text = "推进新能源汽车和集成电路产业发展"
    assert pickle.loads(pickle.dumps(industries)).find_in(text) == industries.find_in(text) != []
    group = RoleGroup("lead", [Unit("省经信委", 3, 7)])
    assert pickle.loads(pickle.dumps(group)) == group


@built
def test_the_source_only_tests_and_doctests_pass_against_the_source() -> None:
    """The tests marked ``source`` (the parser's doctests, tests that patch inside its modules),
    skipped in this process, run in one that loads the source."""
    done = _python(
        _RUN_SOURCE + "import pytest; sys.exit(pytest.main("
        "['-m', 'source', '-q', '-p', 'no:cacheprovider', 'policykg/loaders', 'tests']))"
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
