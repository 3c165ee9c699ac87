"""The accelerated scanner answers exactly what the regular-expression engine answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.loaders.lexicon import default_lexicon
from policykg.loaders.normalise import fold
from policykg.loaders.scan import Scanner

LEX = default_lexicon()
PATTERNS = {
    "line_label": LEX.line_label.compiled,
    "label": LEX.label,
    "lead_rule": LEX.lead_rule,
    "attachment_mark": LEX.attachment_mark.compiled,
    "part_break": LEX.part_break,
    "needs one of two ways": re.compile(r"附\s*件\d|(?<=[局委])\d{4}年\d{1,2}月(?!起)"),
    "needs in a repeat": re.compile(r"(?:第[一二]条){1,3}|为(?:牵头|主办)单位"),
    "lookbehind first": re.compile(r"(?<![一二三])[一二三]{1,4}\s*、|(?<![\d.])\d{1,3}\s*[.、](?!\d)"),
    "optional prefix": re.compile(r"(?:\[\s*)?(?:牵头|配合)单位(?:\s*\]|\s*:)"),
    "anchored branch": re.compile(r"(?:^|(?<=[。;]))\s*(?:牵头|责任)\s*:"),
    "categories": re.compile(r"\s*\d+\s*年|\w{2}部"),
    # Unbounded starts: the scanner must fall back to the plain search and still agree.
    "can match nothing": re.compile(r"(?:省)?"),
    "any first": re.compile(r".部"),
    "negated set first": re.compile(r"[^省]局"),
}
TEXTS = [fold(line) for path in sorted(Path(__file__).parents[1].glob("policykg/examples/*.txt")) for line in
         path.read_text(encoding="utf-8").split("\n")]  # fmt: skip
ALPHABET = "一二三、.1234年月日附件印发省部局委牵头配合单位责任:;。[] \u3000\n（）()第首为列条主办"


def spans(matches: object) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_the_corpus_lines_give_the_engines_matches(name: str) -> None:
    pattern = PATTERNS[name]
    scanner = Scanner(pattern)
    for text in TEXTS:
        assert spans(scanner.finditer(text)) == spans(pattern.finditer(text)), text
        end = max(0, len(text) - 3)
        assert spans(scanner.finditer(text, 2, end)) == spans(pattern.finditer(text, 2, end)), text
        found, expected = scanner.search(text, 1), pattern.search(text, 1)
        assert (found.span() if found else None) == (expected.span() if expected else None), text


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_the_needed_characters_keep_every_match(name: str) -> None:
    """A text refused for lacking the characters a pattern needs has no match of it."""
    pattern = PATTERNS[name]
    scanner = Scanner(pattern, skip_to_starts=False)
    for text in TEXTS:
        if scanner._hopeless(text, 0, len(text)):
            assert pattern.search(text) is None, text
        assert (scanner.match(text) is None) == (pattern.match(text) is None), text


def test_needed_characters_are_worked_out_from_the_pattern() -> None:
    needs = Scanner(re.compile(r"(?:\[\s*)?(?:牵头|配合)(?:\s*\]|\s*:)"))._needs
    assert {frozenset(way) for way in needs} == {frozenset(w) for w in ("牵头]", "牵头:", "配合]", "配合:")}
    assert Scanner(re.compile(r"附件|印发"))._needs == (("件", "附"), ("印", "发"))
    assert Scanner(re.compile(r"\(此件\)"))._needs == (("件", "此", "(", ")"),)  # ideographs tested first
    assert Scanner(re.compile(r"附?件|\d年"))._needs == (("件",), ("年",))
    assert Scanner(re.compile(r"(?:省)?"))._needs == ()  # can match nothing
    assert Scanner(re.compile(r"省|.局"))._needs == (("省",), ("局",))
    assert Scanner(re.compile(r"省|\d"))._needs == ()  # one way needs no literal
    assert Scanner(re.compile(r"(?i)abc"))._needs == ()  # case-insensitive: no literal is certain


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60), st.integers(0, 8), st.sampled_from(sorted(PATTERNS)))
def test_any_text_gives_the_engines_matches(text: str, pos: int, name: str) -> None:
    pattern = PATTERNS[name]
    scanner = Scanner(pattern)
    assert spans(scanner.finditer(text, pos)) == spans(pattern.finditer(text, pos))
    assert spans(scanner.finditer(text, 0, pos)) == spans(pattern.finditer(text, 0, pos))
    plain = Scanner(pattern, skip_to_starts=False)
    assert spans(plain.finditer(text, pos)) == spans(pattern.finditer(text, pos))
    found, expected = plain.match(text, pos), pattern.match(text, pos)
    assert (found.span() if found else None) == (expected.span() if expected else None)
