"""The target extractor against the hand-labelled set in tests/data/targets/ (labelled before the
extractor ran on it; sources and readings in tests/data/targets/SOURCES.md)."""

from __future__ import annotations

import pytest
from targets_scoring import items, score

from policykg.loaders.targets import extract_targets

REAL = [i for i in items() if not i.get("composed")]
COMPOSED = [i for i in items() if i.get("composed")]


def test_the_set_covers_every_form_of_the_rules() -> None:
    texts = " ".join(i["text"] for i in items())
    for form in (
        "均达到",
        "分别达到",
        "分别突破",
        "万亿",
        "以内",
        "左右",
        "以上",
        "控制在",
        "年内",
        "任期末",
        "设立",
        "遴选",
    ):
        assert form in texts, form
    assert any(t.get("range") for i in items() for t in i["targets"])
    assert any(not i["targets"] for i in items())


@pytest.mark.parametrize(("name", "selected"), [("real", REAL), ("composed", COMPOSED)])
def test_precision_recall_and_qualifiers(name: str, selected: list[dict[str, object]]) -> None:
    s = score(selected)  # type: ignore[arg-type]
    assert s.precision >= 0.95, (name, s.extras)
    assert s.recall >= 0.95, (name, s.misses)
    assert s.qualifier_accuracy >= 0.95, name


@pytest.mark.parametrize(
    "item", [i for i in items() if any("value_normalised" in t for t in i["targets"])], ids=lambda i: i["id"]
)
def test_normalised_values(item: dict[str, object]) -> None:
    found = {(t.value, t.unit): t for t in extract_targets(str(item["text"]), reference_year=item.get("doc_year"))}  # type: ignore[arg-type]
    for want in item["targets"]:  # type: ignore[attr-defined]
        if "value_normalised" in want:
            got = found[(want["value"], want["unit"])]
            assert (got.value_normalised, got.base_unit) == (pytest.approx(want["value_normalised"]), want["base_unit"])


@pytest.mark.parametrize(
    "item", [i for i in items() if any(t.get("range") for t in i["targets"])], ids=lambda i: i["id"]
)
def test_ranges_carry_their_bounds(item: dict[str, object]) -> None:
    found = extract_targets(str(item["text"]))
    for want in (t for t in item["targets"] if t.get("range")):  # type: ignore[attr-defined]
        assert any(
            t.is_range
            and (float(t.minimum or 0), float(t.maximum or 0)) == (want["min"], want["max"])
            and t.unit == want["unit"]
            for t in found
        )


@pytest.mark.parametrize(
    "item", [i for i in items() if any("horizon" in t for t in i["targets"])], ids=lambda i: i["id"]
)
def test_horizons_and_derived_years(item: dict[str, object]) -> None:
    found = {(t.value, t.unit): t for t in extract_targets(str(item["text"]), reference_year=item.get("doc_year"))}  # type: ignore[arg-type]
    for want in item["targets"]:  # type: ignore[attr-defined]
        if "horizon" in want:
            got = found[(want["value"], want["unit"])]
            assert got.horizon == want["horizon"]
            assert got.year is None  # a relative period never gives a written year
            assert got.derived_year == want.get("derived_year")


@pytest.mark.parametrize(
    "item_id",
    ["agmech-potato", "agmech-cash-crops", "agmech-livestock", "anhui-soy", "c-phd", "county-talent-farm", "c-chain"],
)
def test_metrics_name_what_is_counted(item_id: str) -> None:
    item = next(i for i in items() if i["id"] == item_id)
    found = extract_targets(item["text"])
    assert sorted(t.metric for t in found) == sorted(t["metric"] for t in item["targets"])
