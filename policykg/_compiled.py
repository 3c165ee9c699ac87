"""The parser's compiled build: which modules it holds, whether it matches their source, and
running the source instead when it does not.

``make install`` compiles the parser's modules with mypyc (``tools/compile_parser.py``): the
same source, as C extension modules placed beside it, about 1.6 times faster. Python imports an
extension module before a source file of the same name, so a build older than its source would
run code that is no longer there. The build therefore records a SHA-256 of every source it was
made from (``policykg/loaders/_compiled.json``); :func:`activate` compares them when
``policykg.loaders`` is imported and, on any difference, has the source imported instead (with
one log line saying so). Without a build nothing changes: the source runs, as it always did.

This module is never compiled, and imports nothing of policykg, so it can decide before any
compiled module is loaded.

>>> state(PACKAGE_DIR / "no-such-folder")
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
PACKAGE_DIR = Path(__file__).resolve().parent / "loaders"
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
GROUP = f"{PACKAGE}._native"  # the build's shared library: policykg/loaders/_native__mypyc*.so

State = Literal["absent", "fresh", "stale"]
_log = logging.getLogger("policykg")
_prefer_source = False


def source_hashes(package_dir: Path = PACKAGE_DIR) -> dict[str, str]:
    """SHA-256 of each compiled module's source file, by file name."""
    return {
        f"{name}.py": hashlib.sha256((package_dir / f"{name}.py").read_bytes()).hexdigest() for name in COMPILED_MODULES
    }


def manifest(package_dir: Path = PACKAGE_DIR) -> dict[str, object]:
    """What a build made from the sources as they are now records."""
    return {"extension_suffix": _extension_suffix(), "sources": source_hashes(package_dir)}


def state(package_dir: Path = PACKAGE_DIR) -> State:
    """``absent``: no compiled module is there; ``fresh``: every one is, built from the sources as
    they are by this Python; ``stale``: anything else (a source edited since, a module missing, a
    build for another Python, no manifest)."""
    suffix = _extension_suffix()
    built = [(package_dir / f"{name}{suffix}").is_file() for name in COMPILED_MODULES]
    if not any(built) and not any(package_dir.glob(f"*{suffix}")):
        return "absent"
    if not all(built):
        return "stale"
    try:
        recorded = json.loads((package_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "stale"
    return "fresh" if recorded == manifest(package_dir) else "stale"


def prefer_source() -> None:
    """Run the source even when the build is fresh; call before ``policykg.loaders`` is imported
    (the tests that look inside the parser's modules, and a comparison of the two, do)."""
    global _prefer_source
    _prefer_source = True


def activate() -> State:
    """Called first by ``policykg.loaders``: the compiled modules are imported when the build is
    fresh (and the source is not preferred); otherwise the source is."""
    found = state()
    if found == "stale":
        _log.warning(
            "The parser's compiled build does not match its source (edited or built for another Python), "
            "so the source runs, about 1.6 times slower; `make compile` rebuilds it."
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
    """Finds the compiled modules' source files, before the path finder would find the build."""

    names = frozenset(f"{PACKAGE}.{name}" for name in COMPILED_MODULES)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        source = PACKAGE_DIR / f"{fullname.rpartition('.')[2]}.py"
        return importlib.util.spec_from_file_location(fullname, source)


def _install_source_finder() -> None:
    if not any(isinstance(finder, _SourceFirst) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SourceFirst())


def _extension_suffix() -> str:
    return importlib.machinery.EXTENSION_SUFFIXES[0]
