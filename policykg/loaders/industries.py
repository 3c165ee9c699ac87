"""The industry dictionary: which industries a measure's text mentions.

The data lives in ``policykg/data/industries.toml``. Matching is exact keyword matching,
leftmost and longest first, and matched text is consumed: 重点传统制造业 counts once as
重点传统制造业, not also as 传统制造业 or 制造业. Phrases listed under ``ignore`` (agency
names such as 文化和旅游部) are consumed without producing a mention.

>>> d = IndustryDictionary.load_default()
>>> d.find_in("围绕重点传统制造业和块状经济，发展工业大数据、新材料等新兴高端产业。")
['重点传统制造业', '块状经济', '工业大数据', '新材料', '战略性新兴产业']
>>> d.find_in("（农业农村部、文化和旅游部负责）")
[]
>>> d.get("纺织").code
'17'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from policykg.errors import InputError, NotFound
from policykg.graph.model import Industry
from policykg.loaders.datafile import read_tables, read_text
from policykg.loaders.scan import trie_alternation

CATEGORIES: tuple[str, ...] = ("generic", "sector", "traditional_manufacturing")
_FIELDS = frozenset(["name", "code", "category", "keywords"])
# GB/T 4754-2017: a section letter, a 2-digit division, a 3-digit group or a 4-digit class.
_CODE = re.compile(r"^(?:[A-T]|\d{2,4})$")


def _fold(text: str) -> str:
    """Full-width forms as ASCII, one character for one, so offsets stay those of the input.

    >>> _fold("（传统产业改造）")
    '(传统产业改造)'
    """
    # ASCII and the unified ideographs fold to themselves; a charset scan (C speed) finds the other
    # characters, and a str.replace per distinct one that changes folds them: several times faster
    # than str.translate, which looks every character up in a Python mapping.
    others = _MAY_CHANGE.findall(text)
    if not others:
        return text
    for ch in set(others):
        folded = _FOLDED.get(ch)
        if folded is None:
            folded = unicodedata.normalize("NFKC", ch)
            _FOLDED[ch] = folded = folded if len(folded) == 1 else ch
        if folded != ch:
            text = text.replace(ch, folded)  # a folded character folds to itself: no chains
    return text


_STABLE_PUNCTUATION = "".join(ch for ch in "、。“”《》〈〉「」『』—·" if unicodedata.normalize("NFKC", ch) == ch)
_MAY_CHANGE = re.compile(rf"[^\x00-\x7f\u4e00-\u9fff{re.escape(_STABLE_PUNCTUATION)}]")
_FOLDED: dict[str, str] = {}  # character → its one-character NFKC form (itself when NFKC gives several)


@dataclass(frozen=True, slots=True)
class Mention:
    """One matched keyword: the industry's canonical name and the span in the searched text."""

    industry: str
    keyword: str
    start: int
    end: int


class IndustryDictionary:
    """Industries with their keywords, and a longest-match scanner over text."""

    def __init__(self, industries: list[Industry], ignore: list[str] | None = None) -> None:
        self._made_from = (industries, ignore)
        self._industries = {i.name: i for i in industries}
        # first character → (folded keyword, canonical name or None for an ignore phrase), longest first
        self._index: dict[str, list[tuple[str, str | None]]] = {}
        phrases: list[tuple[str, str | None]] = [(_fold(p), None) for p in ignore or []]
        for industry in industries:
            phrases += [(_fold(k), industry.name) for k in _keywords(industry)]
        for phrase, owner in sorted(set(phrases), key=lambda p: (-len(p[0]), p[0])):
            self._index.setdefault(phrase[0], []).append((phrase, owner))
        # The same scan as one regex: longest first, so at each position the first alternative
        # that matches is the longest phrase there (leftmost-longest, non-overlapping).
        self._owner: dict[str, str | None] = {}
        for entries in self._index.values():
            for phrase, owner in entries:
                self._owner.setdefault(phrase, owner)
        # Written as a trie (scan.trie_alternation): the same matches, without trying every phrase
        # at every position where one could start.
        self._scanner = re.compile(trie_alternation(self._owner)) if self._owner else None

    def __reduce__(self) -> tuple[type[IndustryDictionary], tuple[list[Industry], list[str] | None]]:
        # Pickled as what it was made from (a parallel load sends it to each parsing process): a
        # compiled class is otherwise unpickled by calling __init__ with no arguments.
        return IndustryDictionary, self._made_from

    # ------------------------------------------------------------------ loading

    @classmethod
    def load_default(cls) -> IndustryDictionary:
        """The dictionary packaged with policykg (``policykg/data/industries.toml``)."""
        resource = resources.files("policykg") / "data" / "industries.toml"
        return cls._from_text(resource.read_text(encoding="utf-8"), str(resource))

    @classmethod
    def load(cls, path: str | Path) -> IndustryDictionary:
        """A dictionary from a TOML file of ``[[industry]]`` tables; errors name the file and entry."""
        return cls._from_text(read_text(path, "The industry dictionary"), str(path))

    @classmethod
    def _from_text(cls, text: str, source: str) -> IndustryDictionary:
        data, entries = read_tables(text, source, "The industry dictionary", "industry")
        ignore = data.get("ignore", [])
        if not isinstance(ignore, list) or not all(isinstance(p, str) and p for p in ignore):
            raise InputError("The industry dictionary's 'ignore' is not a list of phrases.", path=source)
        header = re.compile(r"^\s*\[\[\s*industry\s*\]\]")
        lines = [n for n, line in enumerate(text.splitlines(), start=1) if header.match(line)]
        industries: list[Industry] = []
        owner: dict[str, str] = {_fold(p): "the ignore list" for p in ignore}
        for index, raw in enumerate(entries):
            line = lines[index] if index < len(lines) else None
            industry = _parse_entry(raw, source, line, index)
            if industry.name in {i.name for i in industries}:
                raise InputError(f"The industry name '{industry.name}' is used twice.", path=source, line=line)
            for keyword in _keywords(industry):
                other = owner.setdefault(_fold(keyword), industry.name)
                if other != industry.name:
                    raise InputError(
                        f"The keyword '{keyword}' of industry '{industry.name}' already belongs to {_owner(other)}.",
                        path=source,
                        line=line,
                    )
            industries.append(industry)
        return cls(industries, ignore)

    # ------------------------------------------------------------------ look-ups

    def mentions(self, text: str) -> list[Mention]:
        """Every keyword match, leftmost-longest and non-overlapping, in text order.

        >>> [(m.industry, m.start, m.end) for m in IndustryDictionary.load_default().mentions("纺织服装")]
        [('纺织', 0, 2), ('服装', 2, 4)]
        """
        if self._scanner is None:
            return []
        found: list[Mention] = []
        for match in self._scanner.finditer(_fold(text)):
            owner = self._owner[match.group()]
            if owner is not None:
                found.append(Mention(owner, text[match.start() : match.end()], match.start(), match.end()))
        return found

    def find_in(self, text: str) -> list[str]:
        """Canonical names of the industries the text mentions, in order of first mention.

        >>> IndustryDictionary.load_default().find_in("支持综合保税区内企业开展跨境电商进出口业务")
        ['跨境电商']
        """
        if self._scanner is None:
            return []
        # The matched phrases alone (findall, no match objects): the parser asks this of every measure.
        owner = self._owner
        seen: dict[str, None] = {}
        for phrase in self._scanner.findall(_fold(text)):
            industry = owner[phrase]
            if industry is not None:
                seen.setdefault(industry, None)
        return list(seen)

    def get(self, name: str) -> Industry:
        """The industry with this canonical name; :class:`NotFound` otherwise."""
        try:
            return self._industries[name]
        except KeyError:
            raise NotFound(f"No industry named '{name}' is in the industry dictionary.") from None

    def industries(self) -> list[Industry]:
        """Every industry, in file order."""
        return list(self._industries.values())

    def __contains__(self, name: object) -> bool:
        return name in self._industries

    def __len__(self) -> int:
        return len(self._industries)


def _keywords(industry: Industry) -> list[str]:
    return list(dict.fromkeys([industry.name, *industry.keywords]))


def _owner(name: str) -> str:
    return name if name == "the ignore list" else f"industry '{name}'"


def _parse_entry(raw: Any, source: str, line: int | None, index: int) -> Industry:
    label = f"industry entry {index + 1}"
    if not isinstance(raw, dict):
        raise InputError(f"The {label} is not a table.", path=source, line=line)
    if isinstance(raw.get("name"), str):
        label += f" ({raw['name']})"

    def fail(problem: str) -> InputError:
        return InputError(f"The {label} {problem}.", path=source, line=line)

    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise fail(f"has unknown fields: {', '.join(unknown)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("has no 'name'")
    category = raw.get("category")
    if category not in CATEGORIES:
        raise fail(f"has category '{category}'; expected one of {', '.join(CATEGORIES)}")
    code = raw.get("code")
    if code is not None and (not isinstance(code, str) or not _CODE.match(code)):
        raise fail(f"has code '{code}', which is not a GB/T 4754 section letter or 2-4 digit code")
    keywords = raw.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise fail("has 'keywords' that are not a list of words")
    return Industry(name=name.strip(), code=code, category=category, keywords=tuple(k.strip() for k in keywords))
