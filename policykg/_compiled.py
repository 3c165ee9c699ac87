"""The parser's compiled build: which modules it holds, whether it matches their source, and
running the source instead when it does not.

``make install`` compiles the parser's modules with mypyc (``tools/compile_parser.py``): the
same source, as C extension modules placed beside it, about 1.5 times faster. Python imports an
extension module before a source file of the same name, so a build older than its source would
run code that is no longer there. The build therefore records a SHA-256 of every file it was
made from, the compiled modules and every policykg module they import
(``policykg/loaders/_compiled.json``); :func:`activate` compares them when ``policykg.loaders`` is
imported and, on any difference or an incomplete build, has the source imported instead (with one
log line saying so). Without a build nothing changes: the source runs, as it always did.

This module is never compiled, and imports nothing of policykg, so it can decide before any
compiled module is loaded.

>>> state(ROOT_DIR / "no-such-folder")
'absent'
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Literal

PACKAGE = "policykg.loaders"
ROOT_DIR = Path(__file__).resolve().parent  # the policykg package
PACKAGE_DIR = ROOT_DIR / "loaders"
# Every module parse_text runs through, but those that read data files with pydantic (lexicon,
# registry, jurisdictions): mypyc does not compile pydantic models, and they run once per process.
COMPILED_MODULES = (
    "blocks",
    "clauses",
    "deadlines",
    "industries",
    "layout",
    "metadata",
    "normalise",
    "numbering",
    "parser",
    "rules",
    "scan",
    "split",
    "tables",
    "targets",
)
MANIFEST = "_compiled.json"
EXTENSION_SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]  # this Python's: .cpython-311-x86_64-linux-gnu.so
GROUP = f"{PACKAGE}._native"  # mypyc's group name for the build
LIBRARY = f"{GROUP.rpartition('.')[2]}__mypyc"  # the group's shared library (mypyc's naming): _native__mypyc*.so

State = Literal["absent", "fresh", "stale"]
_log = logging.getLogger("policykg")
_prefer_source = False


def build_inputs(root: Path = ROOT_DIR) -> list[str]:
    """The files a build is made from, relative to the package: the compiled modules and every
    policykg module they import, directly or not (compiled code checks the types of what it reads
    from those, so a change there is a change of the build's input too).

    >>> inputs = build_inputs()
    >>> "loaders/parser.py" in inputs and "loaders/lexicon.py" in inputs and "graph/model.py" in inputs
    True
    """
    import ast

    pending = [f"policykg.loaders.{name}" for name in COMPILED_MODULES]
    found: set[str] = set()
    while pending:
        module = pending.pop()
        path = _source_of(root, module)
        if path is None or path in found:
            continue
        found.add(path)
        for node in ast.walk(ast.parse((root / path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("policykg"):
                pending += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                pending += [alias.name for alias in node.names if alias.name.startswith("policykg")]
    return sorted(found)


def _source_of(root: Path, module: str) -> str | None:
    """The source file of a policykg module, relative to ``root`` (None: not a module there)."""
    parts = module.split(".")[1:]
    for candidate in (Path(*parts).with_suffix(".py") if parts else None, Path(*parts, "__init__.py")):
        if candidate is not None and (root / candidate).is_file():
            return candidate.as_posix()
    return None


def manifest(root: Path = ROOT_DIR, inputs: list[str] | None = None) -> dict[str, object]:
    """What a build made from ``inputs`` (by default :func:`build_inputs`), as they are now, records."""
    files = build_inputs(root) if inputs is None else inputs
    return {
        "extension_suffix": EXTENSION_SUFFIX,
        "sources": {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in files},
    }


def state(root: Path = ROOT_DIR) -> State:
    """``absent``: no module of ``policykg.loaders`` is built for this Python; ``fresh``: every
    compiled module and the shared library are, and every file recorded as the build's input is
    as it was; ``stale``: anything else (an input edited since, a module or the library missing,
    a module built that is not in the list any more, no record)."""
    package, suffix = root / "loaders", EXTENSION_SUFFIX
    built = {path.name for path in package.glob(f"*{suffix}")}
    if not built:
        return "absent"
    expected = {f"{name}{suffix}" for name in (*COMPILED_MODULES, LIBRARY)}
    if built != expected:
        return "stale"
    try:
        recorded = json.loads((package / MANIFEST).read_text(encoding="utf-8"))
        sources = recorded["sources"]
        inputs = list(sources)
        current = manifest(root, inputs)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "stale"  # no record, a damaged one, or an input that is gone
    if not all(f"loaders/{name}.py" in sources for name in COMPILED_MODULES):
        return "stale"
    return "fresh" if recorded == current else "stale"


def prefer_source() -> None:
    """Run the source even when the build is fresh, in this process (not in processes it starts);
    call before ``policykg.loaders`` is imported. For the tests that look inside the parser's
    modules, and for comparing the two."""
    global _prefer_source
    _prefer_source = True


def activate() -> State:
    """Called first by ``policykg.loaders``: the compiled modules are imported when the build is
    fresh (and the source is not preferred); otherwise the source is."""
    found = state()
    if found == "stale":
        _log.warning(
            "The parser's compiled build does not match its source (a file it was built from changed, "
            "or the build is incomplete), so the source runs, about 1.5 times slower; `make compile` rebuilds it."
        )
    if found == "stale" or (found == "fresh" and _prefer_source):
        _install_source_finder()
    return found


def running_compiled() -> bool:
    """Whether the parser loaded is the compiled build.

    >>> import policykg.loaders
    >>> running_compiled() == (state() == "fresh" and not _prefer_source)
    True
    """
    module: ModuleType | None = sys.modules.get(f"{PACKAGE}.parser")
    return module is not None and not str(getattr(module, "__file__", "")).endswith(".py")


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Finds the source file of every module of ``policykg.loaders`` that has one, before the path
    finder would find a built module of the same name (listed or left from an older build)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        source = PACKAGE_DIR / f"{name}.py"
        if package != PACKAGE or not source.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def _install_source_finder() -> None:
    if not any(isinstance(finder, _SourceFirst) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SourceFirst())
