"""Named Cypher queries: one ``.cypher`` file per query, with a header.

Header lines at the top of each file, ``// key: value``::

    // title: Measures of one agency by role
    // description: Everything an agency leads, supports or shares.
    // param: name: str — canonical name, alias or id of the agency
    // param: role: str{lead|support|joint|any} = any — one of the listed values
    // param: limit: int(1..1000) = 100 — an integer within the bounds
    // param: q: str = '' — the empty string as default
    // returns: id, ref, text, role, document
    // cursor: after
    // window: agency_measures_keys
    // rows: agency_measures_rows
    // mode: read

``cursor`` names the integer parameter a page resumes after (the last row's ``sort_key``;
the API hands it out as an opaque ``cursor``); ``window``, a query returning the next
``sort_key`` values alone (one row, the list ``keys``), cheap to run, so a page can be
bounded to its own rows (``upto``) before the full rows are read; ``rows``, the query that
reads them: the same rows between two keys, taking the window's parameters (``upto`` for
``limit``), with no SKIP, LIMIT or ORDER BY to pay for (see :mod:`policykg.queries.keyset`).
``window: NAME (embedded)`` pages by the window on those engines only; elsewhere a page is
one read of the query itself (on Neo4j that is a round trip less, and its plans do not
depend on SKIP and LIMIT values). ``index: agency_keys`` says a store that keeps the agency
key index (the embedded one, :mod:`policykg.graph.key_index`) reads the pages there instead.

A file ``NAME.embedded.cypher`` beside ``NAME.cypher`` replaces it on the embedded
engine where the two dialects really differ.

>>> cat = Catalogue.load_default()
>>> "agency_measures" in cat
True
"""

from __future__ import annotations

import builtins
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StrictStr, TypeAdapter, ValidationError

from policykg.graph.store import Dialect

QUERY_DIR = Path(__file__).parent / "cypher"
_PARAM = re.compile(
    r"^(?P<name>\w+)\s*:\s*(?P<type>\w+)"
    r"(?:\{(?P<choices>[^}]*)\}|\((?P<minimum>-?\d+)?\.\.(?P<maximum>-?\d+)?\))?"
    r"(?:\s*=\s*(?P<default>[^—]*?))?\s*(?:—\s*(?P<doc>.*))?$"
)
# Longest text a string parameter accepts: requests stay bounded, and no legitimate name or
# keyword comes near it.
MAX_TEXT_LENGTH = 500
# ``list`` (a list of strings) is for write plans only: no route or CLI option takes one.
_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool, "list": list}


class UnknownQuery(KeyError):
    """No query of that name is in the catalogue."""


class BadParameter(ValueError):
    """A parameter value the query cannot take; ``param`` names it (the API answers 422).

    >>> QueryParam("role", "str", choices=("lead", "any")).coerce("boss")
    Traceback (most recent call last):
    ...
    policykg.queries.catalogue.BadParameter: role must be one of lead, any, not 'boss'.
    >>> QueryParam("limit", "int", minimum=1, maximum=1000).coerce("0")
    Traceback (most recent call last):
    ...
    policykg.queries.catalogue.BadParameter: limit must be at least 1, not 0.
    """

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True, slots=True)
class QueryParam:
    name: str
    type: str
    default: Any = None
    required: bool = True
    description: str = ""
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    @property
    def python_type(self) -> builtins.type[Any]:
        """The Python type of the values (``int`` for ``int(1..10)``), before bounds and choices."""
        return _TYPES[self.type]

    def coerce(self, raw: Any) -> Any:
        """Turn a raw value (a CLI or query-string string) into the declared type, within its
        bounds: pydantic validates against the type the header declares (:func:`_adapter`), and
        its first complaint becomes one sentence naming the parameter."""
        if raw is None:
            return None
        try:
            return _adapter(self.type, self.choices, self.minimum, self.maximum).validate_python(raw)
        except ValidationError as error:
            raise BadParameter(self._sentence(error.errors()[0], raw), self.name) from None

    def _sentence(self, problem: Any, raw: Any) -> str:
        kind, context = problem["type"], problem.get("ctx") or {}
        shown = _number(raw) if kind in {"greater_than_equal", "less_than_equal"} else raw
        text = str(raw).strip() if isinstance(raw, str) else raw
        sentences = {
            "literal_error": f"must be one of {', '.join(self.choices)}, not {shown!r}",
            "greater_than_equal": f"must be at least {context.get('ge')}, not {shown!r}",
            "less_than_equal": f"must be at most {context.get('le')}, not {shown!r}",
            "finite_number": f"must be a finite number, not {_number(raw)!r}",
            "string_too_long": f"is longer than {MAX_TEXT_LENGTH} characters",
            "bool_parsing": f"must be true or false, not {text!r}",
            "bool_type": f"must be true or false, not {text!r}",
        }
        if kind in sentences:
            return f"{self.name} {sentences[kind]}."
        if kind == "value_error":  # our own validators' reasons (NUL, 64-bit range)
            return f"{self.name} {context.get('error')}."
        if self.type == "list":
            return f"{self.name} must be a list of strings, not {raw!r}."
        article = {"int": "an integer", "float": "a number", "str": "text"}.get(self.type, self.type)
        return f"{self.name} must be {article}, not {text!r}."


def _number(raw: Any) -> Any:
    """A raw bound-breaking value as the number it was read as (0, not '0'), for the message."""
    if isinstance(raw, str):
        for kind in (int, float):
            try:
                return kind(raw.strip())
            except ValueError:
                continue
    return raw


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def _in_64_bits(value: int) -> int:
    if not -(2**63) <= value < 2**63:
        raise ValueError("is out of the 64-bit integer range")
    return value


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be an integer, not a true/false value")
    return value


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


@cache
def _adapter(type_name: str, choices: tuple[str, ...], minimum: int | None, maximum: int | None) -> TypeAdapter[Any]:
    """The pydantic type of a header parameter: ``str{a|b}`` a Literal, ``int(1..10)`` a bounded
    int within 64 bits, ``float`` a finite number, ``bool`` true/false/yes/no/1/0, ``str`` at most
    :data:`MAX_TEXT_LENGTH` characters without NUL, ``list`` strings (write plans only)."""
    kind: Any
    bounds = Field(ge=minimum, le=maximum)
    if choices:
        kind = Literal[choices]
    elif type_name == "str":
        kind = Annotated[str, Field(max_length=MAX_TEXT_LENGTH), AfterValidator(_no_nul)]
    elif type_name == "int":
        checks = (BeforeValidator(_not_bool), BeforeValidator(_stripped), bounds, AfterValidator(_in_64_bits))
        kind = Annotated[int, *checks]
    elif type_name == "float":
        kind = Annotated[float, BeforeValidator(_stripped), Field(allow_inf_nan=False), bounds]
    elif type_name == "bool":
        kind = Annotated[bool, BeforeValidator(_stripped)]
    else:
        kind = list[StrictStr]
    return TypeAdapter(kind, config=ConfigDict(strict=False))


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
    cursor: str | None = None
    window: str | None = None
    rows: str | None = None
    # The engines that page by the window (empty: every one).
    window_dialects: tuple[str, ...] = ()
    # The store index a page is read through where the store keeps it (policykg.queries.indexed).
    index: str | None = None

    def text_for(self, dialect: str) -> str:
        return self.embedded_text if dialect == "embedded" and self.embedded_text else self.text

    def window_for(self, dialect: str) -> str | None:
        """The window query a page of this query reads first on ``dialect``; None: one read.

        >>> q = Catalogue.load_default().get("agency_measures")
        >>> q.window_for("embedded"), q.window_for("neo4j")
        ('agency_measures_keys', None)
        """
        if self.window is None or (self.window_dialects and dialect not in self.window_dialects):
            return None
        return self.window

    def bind(self, raw: dict[str, Any] | None = None) -> dict[str, Any]:
        """Coerce raw values, fill defaults, and refuse unknown or missing parameters."""
        raw = dict(raw or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(raw) - known)
        if unknown:
            takes = ", ".join(sorted(known)) or "none"
            message = f"Query {self.name} takes no parameter {', '.join(unknown)}; it takes {takes}."
            raise BadParameter(message, unknown[0])
        bound: dict[str, Any] = {}
        for p in self.params:
            if p.name in raw and raw[p.name] is not None:
                bound[p.name] = p.coerce(raw[p.name])
            elif p.required:
                raise BadParameter(f"Query {self.name} needs the parameter {p.name}.", p.name)
            else:
                bound[p.name] = p.default
        return bound


def _parse_default(type_name: str, text: str | None) -> tuple[Any, bool]:
    if text is None:
        return None, True
    text = text.strip()
    if text in {"null", "None", ""}:
        return None, False
    if text in {"''", '""'}:
        return "", False
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
        choices = tuple(c.strip() for c in (pm.group("choices") or "").split("|") if c.strip())
        minimum, maximum = (int(b) if b is not None else None for b in pm.group("minimum", "maximum"))
        param = QueryParam(
            pm.group("name"),
            pm.group("type"),
            default,
            required,
            (pm.group("doc") or "").strip(),
            choices,
            minimum,
            maximum,
        )
        if default is not None:
            try:
                param.coerce(default)
            except BadParameter as error:
                raise ValueError(f"{path.name}: the default of {param.name} breaks its own bounds: {error}") from None
        params.append(param)
    name = path.name.removesuffix(".cypher")
    returns = tuple(c.strip() for c in ",".join(header.get("returns", [])).split(",") if c.strip())
    window, window_dialects = _window_header(path, header["window"][0] if header.get("window") else None)
    return NamedQuery(
        name=name,
        title=" ".join(header.get("title", [name])),
        description=" ".join(header.get("description", [])),
        params=tuple(params),
        returns=returns,
        mode=(header.get("mode", ["read"])[0]).lower(),
        text="\n".join(body).strip(),
        path=path,
        cursor=header["cursor"][0] if header.get("cursor") else None,
        window=window,
        rows=header["rows"][0] if header.get("rows") else None,
        index=_index_header(path, header["index"][0] if header.get("index") else None),
        window_dialects=window_dialects,
    )


_WINDOW = re.compile(r"(?P<name>\w+)(?:\s*\((?P<dialects>[\w\s,]+)\))?")
_DIALECTS: tuple[str, ...] = get_args(Dialect)


def _index_header(path: Path, value: str | None) -> str | None:
    """The ``index`` header: a store index this query's pages can be read through."""
    from policykg.queries.indexed import INDEXES

    if value is not None and value not in INDEXES:
        raise ValueError(f"{path.name}: the index line names {value!r}; the indexes are {', '.join(sorted(INDEXES))}.")
    return value


def _window_header(path: Path, value: str | None) -> tuple[str | None, tuple[str, ...]]:
    """``NAME`` or ``NAME (dialect, …)`` of a ``window`` header line."""
    if value is None:
        return None, ()
    match = _WINDOW.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"{path.name}: the window line should read 'window: NAME' or 'window: NAME (embedded)'.")
    dialects = tuple(d.strip() for d in (match["dialects"] or "").split(",") if d.strip())
    unknown = [d for d in dialects if d not in _DIALECTS]
    if unknown:
        raise ValueError(
            f"{path.name}: the window names an unknown engine {unknown[0]!r}; engines: {', '.join(_DIALECTS)}."
        )
    return match["name"], dialects


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
            queries[base] = dataclasses.replace(q, embedded_text=variant.text)
        for q in queries.values():
            if q.cursor is not None and not any(p.name == q.cursor and p.type == "int" for p in q.params):
                raise ValueError(f"{q.name}.cypher pages by cursor {q.cursor}, which is not one of its int parameters.")
            if q.window is not None and q.window not in queries:
                raise ValueError(f"{q.name}.cypher names the window query {q.window}, which does not exist.")
            if q.rows is not None:
                _check_rows_query(q, queries)
        return cls(queries)

    @classmethod
    def load_of_mode(cls, directory: Path, mode: str, what: str) -> Catalogue:
        """The files of ``directory``, every one of which must say ``mode: MODE`` (``what`` names them)."""
        catalogue = cls.load(directory)
        for query in catalogue:
            if query.mode != mode:
                raise ValueError(f"{query.name}.cypher is among {what} but says mode: {query.mode}.")
        return catalogue

    @classmethod
    def load_default(cls) -> Catalogue:
        """The ``.cypher`` files of :data:`QUERY_DIR` and the whole-graph queries made from the schema."""
        catalogue = cls.load(QUERY_DIR)
        catalogue.queries.update((q.name, q) for q in schema_queries())
        return catalogue

    def __contains__(self, name: object) -> bool:
        return name in self.queries

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self.queries.values())

    def get(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQuery(
                f"There is no query named {name!r}; the catalogue has {', '.join(sorted(self.queries))}."
            ) from None


def _check_rows_query(query: NamedQuery, queries: dict[str, NamedQuery]) -> None:
    """A ``rows`` query reads the rows between two keys the ``window`` query found: it takes the
    window's parameters, ``upto`` for ``limit``, and returns the page's columns."""
    rows = queries.get(query.rows or "")
    if rows is None or query.window is None:
        raise ValueError(f"{query.name}.cypher names the rows query {query.rows} without a window query beside it.")
    wanted = {p.name for p in queries[query.window].params} - {"limit"} | {"upto"}
    if {p.name for p in rows.params} != wanted or rows.returns != query.returns:
        raise ValueError(
            f"{rows.name}.cypher must take {', '.join(sorted(wanted))} (the parameters of {query.window}, upto "
            f"for limit) and return the columns of {query.name}, to read its pages' rows."
        )


def schema_queries() -> list[NamedQuery]:
    """One read query per node label and per relationship type, returning every schema property.

    They feed the whole-graph exports and are made from :mod:`policykg.graph.schema`, so a
    property added there is exported without another file to keep in step.

    >>> q = {q.name: q for q in schema_queries()}["graph_rels_assigned"]
    >>> q.returns[:3], q.text.splitlines()[0]
    (('source', 'target', 'role'), 'MATCH (a:Agency)-[r:ASSIGNED]->(b:Measure)')
    """
    from policykg.graph.schema import NODES, RELS

    def whole(name: str, title: str, description: str, returns: tuple[str, ...], text: str) -> NamedQuery:
        return NamedQuery(name, title, description, (), returns, "read", text)

    queries: list[NamedQuery] = []
    for label, spec in NODES.items():
        projection = ", ".join(f"n.{c} AS {c}" for c in spec.properties)
        queries.append(
            whole(
                f"graph_nodes_{label.lower()}",
                f"Every {label} node",
                f"All {label} nodes with every property of the schema; for the whole-graph exports.",
                tuple(spec.properties),
                f"MATCH (n:{label})\nRETURN {projection}\nORDER BY n.{spec.key}",
            )
        )
    for rel_type, rel in RELS.items():
        columns = ("source", "target", *rel.properties)
        source_key, target_key = NODES[rel.source].key, NODES[rel.target].key
        projection = ", ".join([f"a.{source_key} AS source", f"b.{target_key} AS target"] +
                               [f"r.{c} AS {c}" for c in rel.properties])  # fmt: skip
        queries.append(
            whole(
                f"graph_rels_{rel_type.lower()}",
                f"Every {rel_type} relationship",
                f"All {rel.source}-[{rel_type}]->{rel.target} relationships with their properties.",
                columns,
                f"MATCH (a:{rel.source})-[r:{rel_type}]->(b:{rel.target})\nRETURN {projection}"
                f"\nORDER BY {', '.join(columns)}",
            )
        )
    return queries
