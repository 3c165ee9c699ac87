"""The parser against hand-checked expected outputs for every corpus document.

The expected files in ``tests/data/*.expected.json`` were written by reading the
documents (rules in ``tests/data/CONVENTIONS.md``), never by running a parser, so they
are the yardstick: when a test here fails, the parser is wrong unless the document
plainly says otherwise (then fix the expected file and CONVENTIONS.md together).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from policykg.graph.model import Measure, ParsedDocument

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "policykg" / "examples"
DATA = Path(__file__).resolve().parent / "data"

STEMS = [
    "2017-zhejiang-chuantong-zhizao-fenjie",
    "2019-guofa-3-zonghe-baoshuiqu",
    "2018-guobanfa-126-chuangxin-gaige-table",
    "2018-guofa-38-zimaoqu",
    "2018-guobanfa-129-xiaofei-fupin",
]
ZHEJIANG = STEMS[0]

TargetKey = tuple[str, "str | None", "int | None", "str | None", bool]


def expected(stem: str) -> dict[str, Any]:
    """The hand-written expected output for one corpus document."""
    with (DATA / f"{stem}.expected.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@cache
def parsed(stem: str) -> ParsedDocument:
    """The parser's output for one corpus document (parsed once per test session)."""
    from policykg.loaders import parse_file

    return parse_file(EXAMPLES / expected(stem)["source"])


def parsed_by_ref(stem: str) -> dict[str, Measure]:
    return {m.ref: m for m in parsed(stem).measures}


def as_written(measure: Measure, role: str) -> list[str]:
    return [a.as_written for a in measure.assignments if a.role == role]


def target_keys(targets: list[Any]) -> Counter[TargetKey]:
    """Targets as a multiset of (value, unit, year, qualifier, per_year)."""
    keys: Counter[TargetKey] = Counter()
    for t in targets:
        if isinstance(t, dict):
            keys[(t["value"], t["unit"], t["year"], t["qualifier"], t["per_year"])] += 1
        else:
            keys[(t.value, t.unit, t.year, t.qualifier, t.per_year)] += 1
    return keys


def common_measures(stem: str) -> list[tuple[dict[str, Any], Measure]]:
    """Expected measures paired with the parsed measure of the same ref; a missing ref fails."""
    got = parsed_by_ref(stem)
    missing = [m["ref"] for m in expected(stem)["measures"] if m["ref"] not in got]
    assert not missing, f"{stem}: the parser produced no measure for refs {missing}"
    return [(m, got[m["ref"]]) for m in expected(stem)["measures"]]


# --- the expected files themselves -------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_expected_file_is_consistent_with_its_document(stem: str) -> None:
    exp = expected(stem)
    text = (EXAMPLES / exp["source"]).read_text(encoding="utf-8")
    refs = [m["ref"] for m in exp["measures"]]
    assert exp["measure_count"] == len(exp["measures"]), f"{stem}: measure_count disagrees with the list"
    assert len(set(refs)) == len(refs), f"{stem}: duplicate refs in the expected file"
    for m in exp["measures"]:
        for role in ("lead", "support", "joint"):
            for name in m[role]:
                assert name in text, f"{stem} {m['ref']}: expected {role} {name!r} does not occur in the document"
        if m["deadline"] is not None:
            assert m["deadline"] in text, f"{stem} {m['ref']}: deadline {m['deadline']!r} not in the document"


def test_expected_corpus_counts_match_sources_md() -> None:
    counts = {stem: expected(stem)["measure_count"] for stem in STEMS}
    assert counts == {
        "2017-zhejiang-chuantong-zhizao-fenjie": 62,
        "2019-guofa-3-zonghe-baoshuiqu": 21,
        "2018-guobanfa-126-chuangxin-gaige-table": 17,  # 23 rows, 15-20 omitted in the published text
        "2018-guofa-38-zimaoqu": 53,
        "2018-guobanfa-129-xiaofei-fupin": 17,
    }


# --- the parser against them -------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_document_title_and_number(stem: str) -> None:
    exp = expected(stem)["document"]
    doc = parsed(stem).document
    assert doc.title == exp["title"], f"{stem}: title {doc.title!r}, expected {exp['title']!r}"
    assert doc.doc_number == exp["doc_number"], f"{stem}: 文号 {doc.doc_number!r}, expected {exp['doc_number']!r}"


@pytest.mark.parametrize("stem", STEMS)
def test_document_issuer_date_and_implements(stem: str) -> None:
    exp = expected(stem)["document"]
    doc = parsed(stem).document
    assert doc.issuer == exp["issuer"], f"{stem}: issuer {doc.issuer!r}, expected {exp['issuer']!r}"
    assert doc.date_written == exp["date_written"], (
        f"{stem}: 成文 date {doc.date_written!r}, expected {exp['date_written']!r}"
    )
    assert list(doc.implements) == exp["implements"], (
        f"{stem}: implements {doc.implements!r}, expected {exp['implements']!r}"
    )


@pytest.mark.parametrize("stem", STEMS)
def test_measure_count(stem: str) -> None:
    got = len(parsed(stem).measures)
    assert got == expected(stem)["measure_count"], f"{stem}: {got} measures, expected {expected(stem)['measure_count']}"


@pytest.mark.parametrize("stem", STEMS)
def test_refs_in_document_order(stem: str) -> None:
    got = [m.ref for m in parsed(stem).measures]
    want = [m["ref"] for m in expected(stem)["measures"]]
    extra = [r for r in got if r not in want]
    missing = [r for r in want if r not in got]
    assert got == want, f"{stem}: refs differ; missing {missing}, unexpected {extra}; got {got}"


@pytest.mark.parametrize("stem", STEMS)
def test_roles_as_written_per_measure(stem: str) -> None:
    problems = []
    for exp, got in common_measures(stem):
        for role in ("lead", "support", "joint"):
            names = as_written(got, role)
            if names != exp[role]:
                problems.append(f"{exp['ref']} {role}: got {names}, expected {exp[role]}")
    assert not problems, f"{stem}: roles differ in {len(problems)} places:\n" + "\n".join(problems)


@pytest.mark.parametrize("stem", STEMS)
def test_targets_per_measure(stem: str) -> None:
    problems = []
    for exp, got in common_measures(stem):
        want_keys, got_keys = target_keys(exp["targets"]), target_keys(got.targets)
        if want_keys != got_keys:
            problems.append(
                f"{exp['ref']}: missing {sorted((want_keys - got_keys).elements(), key=str)}, "
                f"unexpected {sorted((got_keys - want_keys).elements(), key=str)}"
            )
    assert not problems, f"{stem}: targets differ in {len(problems)} measures:\n" + "\n".join(problems)


@pytest.mark.parametrize("stem", STEMS)
def test_deadline_text_per_measure(stem: str) -> None:
    problems = [
        f"{exp['ref']}: got {got.deadline!r}, expected {exp['deadline']!r}"
        for exp, got in common_measures(stem)
        if got.deadline != exp["deadline"]
    ]
    assert not problems, f"{stem}: deadlines differ:\n" + "\n".join(problems)


# --- the Zhejiang headline numbers through canonical names ------------------------------


def zhejiang_counts(name: str) -> tuple[int, int]:
    """(measures the unit leads, measures it takes any part in), by canonical name."""
    measures = parsed(ZHEJIANG).measures
    leads = sum(1 for m in measures if any(a.name == name for a in m.lead))
    anywhere = sum(1 for m in measures if any(a.name == name for a in m.assignments))
    return leads, anywhere


def test_zhejiang_jingxinwei_leads_22_and_takes_part_in_48() -> None:
    assert zhejiang_counts("省经信委") == (22, 48)


def test_zhejiang_local_governments_lead_12() -> None:
    from policykg.loaders.registry import AgencyRegistry

    # The registry's canonical spelling may use full-width brackets; resolve the name as the issue writes it.
    resolved = AgencyRegistry.load_default().resolve("各市、县(市、区)政府")
    assert resolved is not None
    leads, _ = zhejiang_counts(resolved.name)
    assert leads == 12


def test_zhejiang_huanbaoju_as_written_resolves_to_huanbaoting() -> None:
    found = [(m.ref, a) for m in parsed(ZHEJIANG).measures for a in m.assignments if a.as_written == "省环保局"]
    assert [ref for ref, _ in found] == ["三/(十)/1"], f"省环保局 found in {[ref for ref, _ in found]}"
    _, assignment = found[0]
    assert assignment.name == "省环保厅" and assignment.resolved, assignment
