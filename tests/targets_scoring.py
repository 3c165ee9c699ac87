"""Scoring the target extractor against the hand-labelled set in tests/data/targets/.

Matching follows the evaluation: a found target matches a labelled one with the same value,
unit and year; the qualifier is scored on the matches. Ranges are not scored.
"""

from __future__ import annotations

import inspect
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LABELLED = Path(__file__).resolve().parent / "data" / "targets" / "labelled.json"

Key = tuple[str, "str | None", "int | None"]


def items() -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads(LABELLED.read_text(encoding="utf-8"))
    result: list[dict[str, Any]] = data["items"]
    return result


def found_targets(item: dict[str, Any]) -> list[Any]:
    from policykg.loaders.targets import extract_targets

    if "reference_year" in inspect.signature(extract_targets).parameters:
        return list(extract_targets(item["text"], reference_year=item.get("doc_year")))
    return list(extract_targets(item["text"]))


def is_range(t: Any) -> bool:
    if isinstance(t, dict):
        return bool(t.get("range"))
    return bool(getattr(t, "is_range", False))


def key(t: Any) -> Key:
    if isinstance(t, dict):
        return (t["value"], t["unit"], t["year"])
    return (t.value, t.unit, t.year)


def qualifier(t: Any) -> str | None:
    return t["qualifier"] if isinstance(t, dict) else t.qualifier


@dataclass
class Score:
    true_positives: int = 0
    found: int = 0
    expected: int = 0
    qualifier_right: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def qualifier_accuracy(self) -> float:
        return self.qualifier_right / self.true_positives if self.true_positives else 1.0


def score(selected: list[dict[str, Any]]) -> Score:
    result = Score()
    for item in selected:
        want = [t for t in item["targets"] if not is_range(t)]
        got = [t for t in found_targets(item) if not is_range(t)]
        want_keys, got_keys = Counter(key(t) for t in want), Counter(key(t) for t in got)
        matched = want_keys & got_keys
        result.true_positives += sum(matched.values())
        result.found += len(got)
        result.expected += len(want)
        for k, n in matched.items():
            want_q = sorted(str(qualifier(t)) for t in want if key(t) == k)
            got_q = sorted(str(qualifier(t)) for t in got if key(t) == k)
            result.qualifier_right += sum(1 for a, b in zip(want_q[:n], got_q[:n], strict=False) if a == b)
        result.misses += [f"{item['id']}: {k}" for k in (want_keys - got_keys).elements()]
        result.extras += [f"{item['id']}: {k}" for k in (got_keys - want_keys).elements()]
    return result


if __name__ == "__main__":
    everything = items()
    for name, chosen in (
        ("real", [i for i in everything if not i.get("composed")]),
        ("composed", [i for i in everything if i.get("composed")]),
        ("all", everything),
    ):
        s = score(chosen)
        print(
            f"{name:9} expected {s.expected:3} found {s.found:3} tp {s.true_positives:3}  "
            f"P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} qualifier {s.qualifier_accuracy:.3f}"
        )
    s = score(everything)
    print("misses:", *s.misses, sep="\n  ")
    print("extras:", *s.extras, sep="\n  ")
