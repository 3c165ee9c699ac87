"""The package boundaries, read from the source with ``ast`` (every import: top level, inside
functions, under ``TYPE_CHECKING``), so a rule broken anywhere fails here by file and line.

The library (graph, loaders, queries, ingest, resolve, csvout, tables, web, settings …) knows
nothing of the four outer packages. Of those, ``analytics`` and ``viz`` are features over the
library and never import ``api``, ``cli`` or each other; ``api`` and ``cli`` are the two ways
in: the API includes the analytics' and the explorer's routers explicitly in ``api/app.py``,
the CLI runs the analytics and builds the explorer, and starts the API for ``policykg serve``.
Nothing imports a module by a string, so every dependency is visible to this test and to mypy.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "policykg"
OUTER = ("api", "cli", "viz", "analytics")
# Of the graph package, loaders may use the data model only: parsing never touches a store.
LOADER_GRAPH_MODULES = {"policykg.graph.model"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in ``path``, relative ones made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:  # `from policykg.viz import routes` imports the module policykg.viz.routes
                if is_module(f"{base}.{alias.name}"):
                    yield node.lineno, f"{base}.{alias.name}"


def is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def area(module: str) -> str:
    """The top-level part of policykg a module belongs to: ``api``, ``graph``, ``resolve`` …"""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "policykg" else ""


def broken(rule: str, allowed: object) -> list[str]:
    """Every import breaking ``allowed(importer, imported)``, as ``file:line importer → imported``."""
    found = []
    for path in sources():
        importer = module_name(path)
        for line, imported in imports(path):
            if imported.startswith("policykg") and not allowed(importer, imported):  # type: ignore[operator]
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line} {importer} → {imported}")
    return found


def under(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def graph_rule(importer: str, imported: str) -> bool:
    return not (area(importer) == "graph" and under(imported, "policykg.queries", "policykg.settings"))


def loaders_rule(importer: str, imported: str) -> bool:
    if area(importer) != "loaders":
        return True
    if under(imported, "policykg.graph"):
        return imported in LOADER_GRAPH_MODULES or imported == "policykg.graph"
    return not under(imported, "policykg.ingest", "policykg.queries", "policykg.kg", *(f"policykg.{o}" for o in OUTER))


def library_rule(importer: str, imported: str) -> bool:
    """The library imports none of the outer packages; kg.py (the notebook API) may use the analytics."""
    if area(importer) in OUTER or importer == "policykg.__main__":
        return True
    allowed_outer = {"analytics"} if importer == "policykg.kg" else set()
    return area(imported) not in set(OUTER) - allowed_outer


def outer_rule(importer: str, imported: str) -> bool:
    """analytics and viz import no other outer package; api only their routers, in app.py; cli not api's insides."""
    source, target = area(importer), area(imported)
    if source not in OUTER or target not in OUTER or source == target:
        return True
    if source in ("analytics", "viz"):
        return False
    if source == "api":
        return importer == "policykg.api.app" and imported in {
            "policykg.analytics",
            "policykg.analytics.routes",
            "policykg.viz",
            "policykg.viz.routes",
        }
    # cli: the analytics and explorer commands drive those packages; serve starts the app.
    return target in ("analytics", "viz") or imported in {"policykg.api", "policykg.api.app"}


@pytest.mark.parametrize(
    ("rule", "check"),
    [
        ("graph imports neither queries nor settings", graph_rule),
        ("loaders import no store, no ingest, no queries and no outer package", loaders_rule),
        ("the library imports none of api, cli, viz, analytics", library_rule),
        ("api, cli, viz and analytics import each other only to include routers and run commands", outer_rule),
    ],
)
def test_import_rule(rule: str, check: object) -> None:
    assert broken(rule, check) == [], rule


def test_no_module_is_imported_by_a_string() -> None:
    """importlib.import_module / __import__ would hide a dependency from the rules above."""
    found = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name.endswith("import_module") or name == "__import__":
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {name}")
    assert found == []


def test_the_rules_see_a_broken_import() -> None:
    """The reader finds imports at every depth, relative ones included."""
    sample = PACKAGE / "viz" / "routes.py"
    found = {module for _, module in imports(sample)}
    assert {"policykg.web", "policykg.resolve", "policykg.viz.site"} <= found
    assert not outer_rule("policykg.viz.routes", "policykg.api.deps")
    assert not outer_rule("policykg.api.routes.agencies", "policykg.analytics.timeline")
    assert not outer_rule("policykg.cli.commands_query", "policykg.api.responses")
    assert not loaders_rule("policykg.loaders.parser", "policykg.graph.embedded")
    assert not graph_rule("policykg.graph.open", "policykg.settings")
    assert not library_rule("policykg.ingest", "policykg.api.errors")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*extras: str) -> set[str]:
    """Distribution names pyproject.toml declares: the dependencies and the given extras."""
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"], *(d for e in extras for d in project["optional-dependencies"][e])]
    return {_normal(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in specs}


def third_party(paths: list[Path]) -> dict[str, str]:
    """Top-level module → the first file importing it, for every module outside the stdlib and policykg."""
    found: dict[str, str] = {}
    for path in paths:
        for _, module in imports(path):
            top = module.split(".")[0]
            if top and top != "policykg" and top not in sys.stdlib_module_names:
                found.setdefault(top, str(path))
    return found


@pytest.mark.parametrize(("folder", "extras"), [("policykg", ("notebook",)), ("tests", ("dev",)), ("bench", ("dev",))])
def test_every_imported_package_is_declared_in_pyproject(folder: str, extras: tuple[str, ...]) -> None:
    """The next machine installs only what pyproject.toml names: a package that arrives only as
    another's dependency may be gone after that one's next release."""
    distributions = packages_distributions()
    local = {p.stem for d in ("tests", "bench") for p in (PACKAGE.parent / d).glob("*.py")}  # their own helpers
    wanted = declared(*extras)
    missing = {
        module: where
        for module, where in third_party(sorted((PACKAGE.parent / folder).rglob("*.py"))).items()
        if module not in local and not wanted & {_normal(d) for d in distributions.get(module, [module])}
    }
    assert missing == {}
