"""The query catalogue: every file's header is complete and agrees with its body; parameters bind strictly.

Running every query on both stores and comparing the rows is tests/test_queries.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policykg.queries.catalogue import (
    QUERY_DIR,
    BadParameter,
    Catalogue,
    NamedQuery,
    QueryParam,
    UnknownQuery,
    parse_query_file,
)

CATALOGUE = Catalogue.load_default()
QUERIES = sorted(CATALOGUE, key=lambda q: q.name)

# The queries the API and the CLI are built on; the brief names each of them.
REQUIRED = {
    "agency_measures",
    "agency_profile",
    "agency_workload",
    "agency_partners",
    "measure_detail",
    "measures_search",
    "targets",
    "industry_measures",
    "document_outline",
    "documents",
    "agencies_without_tasks",
    "agency_path",
    "lead_support_matrix",
    "industries",
}

_PARAM_USE = re.compile(r"\$(\w+)")
_COMMENT = re.compile(r"//[^\n]*")
_STRING = re.compile(r"'(?:\\.|[^'\\])*'")


def _body_params(text: str) -> set[str]:
    return set(_PARAM_USE.findall(_STRING.sub("''", _COMMENT.sub("", text))))


def _top_level_items(clause: str) -> list[str]:
    items, depth, current = [], 0, ""
    for char in clause:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    items.append(current.strip())
    return items


def _returned_columns(text: str) -> list[str]:
    """Column names of the last RETURN clause (alias after AS, or the bare variable)."""
    body = _COMMENT.sub("", text)
    last = body[[m.start() for m in re.finditer(r"\bRETURN\b", body)][-1] + len("RETURN") :]
    last = re.split(r"\b(?:ORDER BY|SKIP|LIMIT)\b", last)[0]
    columns = []
    for item in _top_level_items(last):
        alias = re.search(r"\bAS\s+(\w+)\s*$", item)
        columns.append(alias.group(1) if alias else item.split(".")[-1])
    return columns


def test_the_catalogue_has_every_query_the_api_needs() -> None:
    assert {q.name for q in QUERIES} >= REQUIRED


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_header_is_complete(query: NamedQuery) -> None:
    assert query.title and query.title != query.name, "a title line"
    assert query.description, "a description line"
    assert query.returns, "a returns line"
    assert query.mode == "read"
    for param in query.params:
        assert param.description, f"parameter {param.name} has no description"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_header_parameters_are_the_parameters_the_body_uses(query: NamedQuery) -> None:
    declared = {p.name for p in query.params}
    assert _body_params(query.text) == declared
    if query.embedded_text is not None:
        assert _body_params(query.embedded_text) == declared


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_returns_line_names_the_returned_columns_in_order(query: NamedQuery) -> None:
    assert _returned_columns(query.text) == list(query.returns)
    if query.embedded_text is not None:
        assert _returned_columns(query.embedded_text) == list(query.returns)


@pytest.mark.parametrize("query", [q for q in QUERIES if q.name in REQUIRED], ids=lambda q: q.name)
def test_every_list_query_orders_its_rows(query: NamedQuery) -> None:
    # Rows compare equal across stores only when the order is total; one-row queries need none.
    if query.name in {"measure_detail", "document_detail"}:
        return
    assert "ORDER BY" in query.text.split("RETURN")[-1]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_paging_parameters_are_bounded(query: NamedQuery) -> None:
    params = {p.name: p for p in query.params}
    if "limit" in params:
        assert params["limit"].minimum == 1 and params["limit"].maximum is not None
    if "offset" in params:
        assert params["offset"].minimum == 0


def test_agency_measures_header_reads_as_written() -> None:
    query = CATALOGUE.get("agency_measures")
    role = next(p for p in query.params if p.name == "role")
    assert role.choices == ("lead", "support", "joint", "any")
    assert role.default == "any" and not role.required
    name = next(p for p in query.params if p.name == "name")
    assert name.required
    assert query.bind({"name": "省经信委"}) == {
        "name": "省经信委",
        "role": "any",
        "doc_id": "",
        "limit": 100,
        "offset": 0,
        "after": -1,
        "upto": 2**63 - 1,
    }
    assert (query.cursor, query.window, query.rows) == ("after", "agency_measures_keys", "agency_measures_rows")
    # Two short reads pay on the embedded engine only; on Neo4j a page is one read.
    assert (query.window_for("embedded"), query.window_for("neo4j")) == ("agency_measures_keys", None)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("// window: q_keys (sqlite)", "unknown engine 'sqlite'"),
        ("// window: q_keys embedded", "should read 'window: NAME'"),
    ],
)
def test_a_bad_window_line_is_refused_naming_the_file(tmp_path: Path, line: str, words: str) -> None:
    (tmp_path / "q.cypher").write_text(
        f"// title: q\n// param: after: int = -1 — key\n// cursor: after\n{line}\nMATCH (n) RETURN n.id AS id\n",
        encoding="utf-8",
    )
    (tmp_path / "q_keys.cypher").write_text("// title: keys\nRETURN [] AS keys\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape("q.cypher:")) as caught:
        Catalogue.load(tmp_path)
    assert words in str(caught.value)


def test_an_index_line_must_name_an_index_a_store_keeps(tmp_path: Path) -> None:
    assert CATALOGUE.get("agency_measures").index == "agency_keys"
    assert CATALOGUE.get("industry_measures").index is None
    (tmp_path / "q.cypher").write_text(
        "// title: q\n// param: after: int = -1 — key\n// cursor: after\n// index: measure_keys\n"
        "MATCH (n) RETURN n.id AS id\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ValueError, match=re.escape("q.cypher: the index line names 'measure_keys'; the indexes are agency_keys.")
    ):
        Catalogue.load(tmp_path)


def test_a_window_for_some_engines_pages_by_one_read_on_the_others(tmp_path: Path) -> None:
    (tmp_path / "q.cypher").write_text(
        "// title: q\n// param: after: int = -1 — key\n// cursor: after\n// window: q_keys (neo4j)\n"
        "MATCH (n) RETURN n.id AS id\n",
        encoding="utf-8",
    )
    (tmp_path / "q_keys.cypher").write_text("// title: keys\nRETURN [] AS keys\n", encoding="utf-8")
    query = Catalogue.load(tmp_path).get("q")
    assert (query.window_for("neo4j"), query.window_for("embedded")) == ("q_keys", None)


def test_bind_coerces_query_string_values() -> None:
    query = CATALOGUE.get("agency_measures")
    assert query.bind({"name": "省经信委", "limit": "5", "offset": " 10 "})["limit"] == 5
    assert query.bind({"name": "省经信委", "limit": "5", "offset": " 10 "})["offset"] == 10
    documents = CATALOGUE.get("documents")
    assert documents.bind({"referenced": "yes"})["referenced"] is True


@pytest.mark.parametrize(
    ("raw", "param", "words"),
    [
        ({"name": "x", "role": "boss"}, "role", "one of lead, support, joint, any"),
        ({"name": "x", "limit": "0"}, "limit", "at least 1"),
        ({"name": "x", "limit": "10001"}, "limit", "at most 10000"),
        ({"name": "x", "offset": "-1"}, "offset", "at least 0"),
        ({"name": "x", "limit": "ten"}, "limit", "an integer"),
        ({"name": "x", "limit": "1.5"}, "limit", "an integer"),
        ({"role": "lead"}, "name", "needs the parameter name"),
        ({"name": "x", "cypher": "MATCH (n) DETACH DELETE n"}, "cypher", "takes no parameter cypher"),
        ({"name": "x" * 501}, "name", "longer than 500"),
        ({"name": "a\x00b"}, "name", "NUL"),
    ],
)
def test_bind_refuses_bad_values_naming_the_parameter(raw: dict[str, str], param: str, words: str) -> None:
    with pytest.raises(BadParameter, match=re.escape(words)) as caught:
        CATALOGUE.get("agency_measures").bind(raw)
    assert caught.value.param == param


def test_float_parameters_refuse_non_finite_values() -> None:
    with pytest.raises(BadParameter, match="finite"):
        QueryParam("share", "float").coerce("nan")
    assert QueryParam("share", "float").coerce("0.5") == 0.5


def test_unknown_query_lists_the_catalogue() -> None:
    with pytest.raises(UnknownQuery, match="agency_measures"):
        CATALOGUE.get("no_such_query")


def test_header_syntax_choices_bounds_and_empty_default(tmp_path: Path) -> None:
    path = tmp_path / "demo.cypher"
    path.write_text(
        "// title: Demo\n"
        "// description: A demo.\n"
        "// param: kind: str{a|b} = b — a or b\n"
        "// param: n: int(2..5) = 3 — between two and five\n"
        "// param: q: str = '' — empty by default\n"
        "// param: year: int — required\n"
        "// returns: x\n"
        "// mode: read\n"
        "MATCH (d:Document) WHERE d.year = $year AND $kind <> $q AND $n > 0 RETURN d.id AS x\n",
        encoding="utf-8",
    )
    query = parse_query_file(path)
    assert [(p.name, p.default, p.required) for p in query.params] == [
        ("kind", "b", False),
        ("n", 3, False),
        ("q", "", False),
        ("year", None, True),
    ]
    assert query.params[0].choices == ("a", "b")
    assert (query.params[1].minimum, query.params[1].maximum) == (2, 5)


def test_a_default_outside_its_bounds_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.cypher"
    path.write_text("// title: Bad\n// param: n: int(1..5) = 9 — n\nRETURN $n AS n\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.cypher"):
        parse_query_file(path)


def test_an_embedded_variant_without_its_base_is_refused(tmp_path: Path) -> None:
    (tmp_path / "orphan.embedded.cypher").write_text("RETURN 1 AS x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"orphan\.cypher"):
        Catalogue.load(tmp_path)


def test_a_rows_query_must_take_the_window_parameters_and_return_the_page_columns(tmp_path: Path) -> None:
    page = (
        "// param: name: str — n\n// param: limit: int = 3 — l\n// param: after: int = -1 — a\n"
        "// param: upto: int = 99 — u\n// returns: id, sort_key\n// cursor: after\n// window: page_keys\n"
        "// rows: page_rows\nRETURN 1 AS id, 1 AS sort_key\n"
    )
    keys = "// param: name: str — n\n// param: after: int = -1 — a\n// param: limit: int = 3 — l\n// returns: keys\n"
    (tmp_path / "page.cypher").write_text(page, encoding="utf-8")
    (tmp_path / "page_keys.cypher").write_text(keys + "RETURN [1] AS keys\n", encoding="utf-8")
    rows = "// param: name: str — n\n// param: after: int = -1 — a\n// returns: id, sort_key\n"
    rows += "RETURN 1 AS id, 1 AS sort_key\n"
    (tmp_path / "page_rows.cypher").write_text(rows, encoding="utf-8")
    with pytest.raises(ValueError, match=r"page_rows\.cypher must take after, name, upto"):
        Catalogue.load(tmp_path)
    (tmp_path / "page_rows.cypher").write_text("// param: upto: int — u\n" + rows, encoding="utf-8")
    assert Catalogue.load(tmp_path).get("page").rows == "page_rows"


def test_embedded_variants_replace_the_text_only_on_the_embedded_engine() -> None:
    variants = [p for p in QUERY_DIR.glob("*.embedded.cypher")]
    assert variants, "agency_path needs a Kuzu-dialect variant"
    for path in variants:
        query = CATALOGUE.get(path.name.removesuffix(".embedded.cypher"))
        assert query.embedded_text and query.text_for("embedded") == query.embedded_text
        assert query.text_for("neo4j") == query.text
