"""Named Cypher queries: one ``.cypher`` file per query, with a header.

Header lines at the top of each file, ``// key: value``::

    // title: Measures of one agency by role
    // description: Everything an agency leads, supports or shares.
    // param: name: str — canonical name, alias or id of the agency
    // param: role: str = any — lead, support, joint or any
    // returns: id, ref, text, role, document
    // mode: read

A file ``NAME.embedded.cypher`` beside ``NAME.cypher`` replaces it on the embedded
engine where the two dialects really differ.

>>> cat = Catalogue.load_default()
>>> "agency_measures" in cat
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUERY_DIR = Path(__file__).parent / "cypher"
_PARAM = re.compile(r"^(?P<name>\w+)\s*:\s*(?P<type>\w+)(?:\s*=\s*(?P<default>[^—]*?))?\s*(?:—\s*(?P<doc>.*))?$")
_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


class UnknownQuery(KeyError):
    """No query of that name is in the catalogue."""


@dataclass(frozen=True, slots=True)
class QueryParam:
    name: str
    type: str
    default: Any = None
    required: bool = True
    description: str = ""

    def coerce(self, raw: Any) -> Any:
        """Turn a raw value (a CLI or query-string string) into the declared type."""
        if raw is None:
            return None
        kind = _TYPES[self.type]
        if isinstance(raw, kind) and not (kind is int and isinstance(raw, bool)):
            return raw
        text = str(raw).strip()
        if kind is bool:
            if text.lower() in {"1", "true", "yes"}:
                return True
            if text.lower() in {"0", "false", "no"}:
                return False
            raise ValueError(f"{self.name} must be true or false, not {text!r}.")
        try:
            return kind(text)
        except ValueError:
            raise ValueError(f"{self.name} must be {'an integer' if kind is int else 'a number'}, not {text!r}.") from None


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    returns: tuple[str, ...]
    mode: str
    text: str
    embedded_text: str | None = None
    path: Path | None = None

    def text_for(self, dialect: str) -> str:
        return self.embedded_text if dialect == "embedded" and self.embedded_text else self.text

    def bind(self, raw: dict[str, Any] | None = None) -> dict[str, Any]:
        """Coerce raw values, fill defaults, and refuse unknown or missing parameters."""
        raw = dict(raw or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"Query {self.name} takes no parameter {', '.join(unknown)}; it takes {', '.join(sorted(known)) or 'none'}.")
        bound: dict[str, Any] = {}
        for p in self.params:
            if p.name in raw and raw[p.name] is not None:
                bound[p.name] = p.coerce(raw[p.name])
            elif p.required:
                raise ValueError(f"Query {self.name} needs the parameter {p.name}.")
            else:
                bound[p.name] = p.default
        return bound


def _parse_default(type_name: str, text: str | None) -> tuple[Any, bool]:
    if text is None:
        return None, True
    text = text.strip()
    if text in {"null", "None", ""}:
        return None, False
    return QueryParam("default", type_name).coerce(text), False


def parse_query_file(path: Path) -> NamedQuery:
    header: dict[str, list[str]] = {}
    body: list[str] = []
    in_header = True
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^//\s*(\w+)\s*:\s*(.*)$", line) if in_header else None
        if m:
            header.setdefault(m.group(1).lower(), []).append(m.group(2).strip())
            continue
        if in_header and not line.strip():
            continue
        in_header = False
        body.append(line)
    params = []
    for spec in header.get("param", []):
        pm = _PARAM.match(spec)
        if not pm or pm.group("type") not in _TYPES:
            raise ValueError(f"{path.name}: cannot read the parameter line {spec!r}.")
        default, required = _parse_default(pm.group("type"), pm.group("default"))
        params.append(QueryParam(pm.group("name"), pm.group("type"), default, required, (pm.group("doc") or "").strip()))
    name = path.name.removesuffix(".cypher")
    returns = tuple(c.strip() for c in ",".join(header.get("returns", [])).split(",") if c.strip())
    return NamedQuery(
        name=name,
        title=" ".join(header.get("title", [name])),
        description=" ".join(header.get("description", [])),
        params=tuple(params),
        returns=returns,
        mode=(header.get("mode", ["read"])[0]).lower(),
        text="\n".join(body).strip(),
        path=path,
    )


@dataclass
class Catalogue:
    queries: dict[str, NamedQuery] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path) -> Catalogue:
        queries: dict[str, NamedQuery] = {}
        for path in sorted(directory.glob("*.cypher")):
            if path.name.endswith(".embedded.cypher"):
                continue
            queries[path.name.removesuffix(".cypher")] = parse_query_file(path)
        for path in sorted(directory.glob("*.embedded.cypher")):
            base = path.name.removesuffix(".embedded.cypher")
            if base not in queries:
                raise ValueError(f"{path.name} is an embedded variant of {base}.cypher, which does not exist.")
            variant = parse_query_file(path)
            q = queries[base]
            queries[base] = NamedQuery(q.name, q.title, q.description, q.params, q.returns, q.mode, q.text, variant.text, q.path)
        return cls(queries)

    @classmethod
    def load_default(cls) -> Catalogue:
        return cls.load(QUERY_DIR)

    def __contains__(self, name: object) -> bool:
        return name in self.queries

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self.queries.values())

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQuery(f"There is no query named {name!r}; the catalogue has {', '.join(sorted(self.queries))}.") from None
