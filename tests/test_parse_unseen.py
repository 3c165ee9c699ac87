"""The parser on real documents of the task-decomposition family that it was not built on.

``tests/data/unseen/*.txt`` are excerpts of published 分工方案 / 责任分解 documents (sources in
``tests/data/unseen/SOURCES.md``; three files named ``composed-*`` are written in the published
style where no full real text was at hand). Each ``*.expected.json`` beside them was written by
reading the excerpt, following ``tests/data/CONVENTIONS.md``, before the parser was run on it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from policykg.graph.model import Measure, ParsedDocument
from policykg.loaders import parse_file

UNSEEN = Path(__file__).resolve().parent / "data" / "unseen"
STEMS = sorted(p.name.removesuffix(".expected.json") for p in UNSEEN.glob("*.expected.json"))


def expected(stem: str) -> dict[str, Any]:
    with (UNSEEN / f"{stem}.expected.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def written(measure: Measure, role: str) -> list[str]:
    return [a.as_written for a in measure.assignments if a.role == role]


def target_keys(targets: list[Any]) -> Counter[tuple[Any, ...]]:
    keys: Counter[tuple[Any, ...]] = Counter()
    for t in targets:
        if isinstance(t, dict):
            keys[(t["value"], t["unit"], t["year"], t["qualifier"], t["per_year"])] += 1
        else:
            keys[(t.value, t.unit, t.year, t.qualifier, t.per_year)] += 1
    return keys


def check_against_expected(doc: ParsedDocument, exp: dict[str, Any]) -> None:
    got = [m.ref for m in doc.measures]
    assert got == [m["ref"] for m in exp["measures"]]
    for want, measure in zip(exp["measures"], doc.measures, strict=True):
        ref = want["ref"]
        for role in ("lead", "support", "joint"):
            assert written(measure, role) == want[role], f"{ref} {role}"
        assert target_keys(measure.targets) == target_keys(want["targets"]), f"{ref} targets"
        assert measure.deadline == want["deadline"], f"{ref} deadline"


def test_every_excerpt_has_a_source_note() -> None:
    sources = (UNSEEN / "SOURCES.md").read_text(encoding="utf-8")
    assert len(STEMS) >= 8
    for stem in STEMS:
        assert f"{stem}.txt" in sources


@pytest.mark.parametrize("stem", STEMS)
def test_measures_match_the_hand_written_reading(stem: str) -> None:
    check_against_expected(parse_file(UNSEEN / f"{stem}.txt"), expected(stem))


@pytest.mark.parametrize("stem", STEMS)
def test_document_metadata(stem: str) -> None:
    doc = parse_file(UNSEEN / f"{stem}.txt").document
    for key, value in expected(stem)["document"].items():
        assert getattr(doc, key) == value, key
