"""Collection rules for the whole suite, for the parser's compiled build (policykg/_compiled.py).

With the build loaded, the parser's modules are extension modules: pytest cannot import their
source files as those modules to collect doctests, and tests that patch a function inside them
patch nothing (compiled code calls its functions directly). Both kinds are marked ``source``:
under the build, tests/test_compiled.py runs them against the source in a subprocess, and they
are skipped here; with no build, they run here as every other test does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policykg.loaders  # noqa: F401  (decides, once, whether the build or the source is loaded)
from policykg import _compiled

SOURCE_ONLY = "runs against the parser's source in tests/test_compiled.py (the compiled build is loaded here)"


def _is_compiled_source(path: Path) -> bool:
    return path.suffix == ".py" and path.parent == _compiled.PACKAGE_DIR and path.stem in _compiled.COMPILED_MODULES


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if _compiled.running_compiled() and _is_compiled_source(collection_path):
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    compiled = _compiled.running_compiled()
    for item in items:
        if _is_compiled_source(Path(item.path)):
            item.add_marker(pytest.mark.source)
        if compiled and item.get_closest_marker("source") is not None:
            item.add_marker(pytest.mark.skip(reason=SOURCE_ONLY))
