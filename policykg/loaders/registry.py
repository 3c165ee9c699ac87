"""The curated agency registry: canonical names, aliases, levels, collectives and reform lineage.

The data lives in ``policykg/data/agencies.toml`` (one ``[[agency]]`` table per unit); this
module reads and validates it and answers "which unit is this name?".

>>> reg = AgencyRegistry.load_default()
>>> reg.resolve("国家发展和改革委员会").name
'发展改革委'
>>> reg.resolve("省环保局").name
'省环保厅'
>>> reg.resolve("各市、县(市、区)政府").name
'各市、县（市、区）政府'
>>> reg.resolve("全国总工会等").name
'全国总工会'
>>> reg.resolve("省经济委") is None
True
>>> reg.successors("银监会")
['银保监会', '金融监管总局']
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from policykg.errors import InputError
from policykg.graph.model import Agency
from policykg.loaders.datafile import read_tables, read_text

LEVELS: tuple[str, ...] = ("central", "province", "city", "county", "collective")
KINDS: tuple[str, ...] = (
    "government_department",
    "leading_group",
    "leading_group_office",
    "local_government",
    "local_government_collective",
    "financial_regulator_branch",
    "court",
    "procuratorate",
    "party_department",
    "military",
    "public_institution",
    "state_owned_enterprise",
    "peoples_organisation",
    "other",
)
_FIELDS = frozenset(
    [
        "name",
        "full_name",
        "english_name",
        "level",
        "kind",
        "jurisdiction",
        "aliases",
        "member_of",
        "succeeded_by",
        "note",
    ]
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SPACE = re.compile(r"\s+")
# Punctuation a clause splitter may leave on either side of a name.
_EDGE_PUNCT = " ,;:.、。"


def normalise_name(name: str) -> str:
    """The matching key of a name: NFKC (full-width parentheses → ASCII), no spaces, no edge 等.

    >>> normalise_name(" 各市、县（市、区）政府 ")
    '各市、县(市、区)政府'
    >>> normalise_name("全国总工会等")
    '全国总工会'
    >>> normalise_name("等有关部门")
    '有关部门'
    """
    key = _SPACE.sub("", unicodedata.normalize("NFKC", name))
    previous = None
    while key != previous:
        previous = key
        key = key.strip(_EDGE_PUNCT).removesuffix("等").removeprefix("等")
    return key


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    """Registry facts the graph's :class:`Agency` does not carry."""

    agency: Agency
    jurisdiction: str | None
    note: str | None


class AgencyRegistry:
    """Canonical agencies with exact-match resolution of every recorded way of writing them."""

    def __init__(self, infos: list[AgencyInfo], source: str = "<memory>") -> None:
        self._source = source
        self._infos: dict[str, AgencyInfo] = {}
        self._by_key: dict[str, str] = {}
        for info in infos:
            self._infos[info.agency.name] = info
            for written in _written_forms(info.agency):
                self._by_key.setdefault(normalise_name(written), info.agency.name)

    # ------------------------------------------------------------------ loading

    @classmethod
    def load_default(cls) -> AgencyRegistry:
        """The registry packaged with policykg (``policykg/data/agencies.toml``)."""
        resource = resources.files("policykg") / "data" / "agencies.toml"
        return cls._from_text(resource.read_text(encoding="utf-8"), str(resource))

    @classmethod
    def load(cls, path: str | Path) -> AgencyRegistry:
        """A registry from a TOML file of ``[[agency]]`` tables; errors name the file and entry."""
        return cls._from_text(read_text(path, "The agency registry"), str(path))

    @classmethod
    def _from_text(cls, text: str, source: str) -> AgencyRegistry:
        _, entries = read_tables(text, source, "The agency registry", "agency")
        lines = _table_lines(text, "agency")
        infos = [
            _parse_entry(entry, source, lines[i] if i < len(lines) else None, i) for i, entry in enumerate(entries)
        ]
        _validate(infos, source, lines)
        return cls(infos, source)

    # ------------------------------------------------------------------ look-ups

    def resolve(self, name: str) -> Agency | None:
        """The agency a name denotes (canonical, full name or alias, normalised), else None.

        >>> AgencyRegistry.load_default().resolve("国家知识产权局").name
        '知识产权局'
        """
        canonical = self._by_key.get(normalise_name(name))
        return self._infos[canonical].agency if canonical else None

    def as_agency(self, name: str) -> Agency:
        """The registry entry for a name, or an unresolved :class:`Agency` that keeps the name as written.

        >>> reg = AgencyRegistry.load_default()
        >>> reg.as_agency("省环保局").name, reg.as_agency("省环保局").resolved
        ('省环保厅', True)
        >>> unknown = reg.as_agency(" 某某局 ")
        >>> unknown.name, unknown.resolved, unknown.level
        ('某某局', False, None)
        """
        return self.resolve(name) or Agency(name=name.strip(), resolved=False)

    def info(self, name: str) -> AgencyInfo | None:
        """The agency with its jurisdiction and note, for any name :meth:`resolve` accepts.

        >>> AgencyRegistry.load_default().info("省经信委").jurisdiction
        '浙江省'
        """
        agency = self.resolve(name)
        return self._infos[agency.name] if agency else None

    def suggest(self, name: str, limit: int = 5) -> list[str]:
        """Canonical names closest to an unknown name, best first, for a "did you mean" hint.

        >>> AgencyRegistry.load_default().suggest("省经信局", limit=1)
        ['省经信委']
        """
        key = normalise_name(name)
        close = difflib.get_close_matches(key, list(self._by_key), n=limit * 4, cutoff=0.5)
        result: list[str] = []
        for match in close:
            canonical = self._by_key[match]
            if canonical not in result:
                result.append(canonical)
        return result[:limit]

    def agencies(self) -> list[Agency]:
        """Every agency, in file order."""
        return [info.agency for info in self._infos.values()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.resolve(name) is not None

    def __len__(self) -> int:
        return len(self._infos)

    def __iter__(self) -> Iterator[Agency]:
        return iter(self.agencies())

    def by_level(self, level: str) -> list[Agency]:
        """Agencies of one level (central, province, city, county, collective).

        >>> "省级有关单位" in [a.name for a in AgencyRegistry.load_default().by_level("collective")]
        True
        """
        return [a for a in self.agencies() if a.level == level]

    def members_of(self, name: str) -> list[str]:
        """Canonical names of the units recorded as members of a collective or leading group."""
        group = self.resolve(name)
        if group is None:
            return []
        return [a.name for a in self.agencies() if group.name in a.member_of]

    def successors(self, name: str) -> list[str]:
        """Every unit that took over from this one, transitively, nearest first (breadth-first).

        >>> AgencyRegistry.load_default().successors("省质监局")
        ['省市场监管局']
        """
        return self._walk(name, lambda a: [s for s, _ in a.succeeded_by])

    def predecessors(self, name: str) -> list[str]:
        """Every unit this one took over from, transitively, nearest first.

        >>> sorted(AgencyRegistry.load_default().predecessors("省市场监管局"))
        ['省工商局', '省质监局', '省食品药品监管局']
        """
        start = self.resolve(name)
        if start is None:
            return []
        before: dict[str, list[str]] = {}
        for a in self.agencies():
            for successor, _ in a.succeeded_by:
                before.setdefault(successor, []).append(a.name)
        return self._walk(name, lambda a: before.get(a.name, []))

    def lineage_edges(self) -> list[tuple[str, str, str]]:
        """``(predecessor, successor, date)`` for every recorded reform step, in file order."""
        return [(a.name, s, d) for a in self.agencies() for s, d in a.succeeded_by]

    def _walk(self, name: str, step: Any) -> list[str]:
        start = self.resolve(name)
        if start is None:
            return []
        seen: list[str] = []
        frontier = [start.name]
        while frontier:
            following: list[str] = []
            for current in frontier:
                for nxt in step(self._infos[current].agency):
                    if nxt != start.name and nxt not in seen:
                        seen.append(nxt)
                        following.append(nxt)
            frontier = following
        return seen


# ---------------------------------------------------------------------- parsing helpers


def _written_forms(agency: Agency) -> list[str]:
    forms = [agency.name, *agency.aliases]
    if agency.full_name:
        forms.append(agency.full_name)
    return forms


def _table_lines(text: str, table: str) -> list[int]:
    """1-based line numbers of each ``[[table]]`` header, so errors can point at the entry."""
    header = re.compile(rf"^\s*\[\[\s*{table}\s*\]\]")
    return [i for i, line in enumerate(text.splitlines(), start=1) if header.match(line)]


@dataclass(frozen=True, slots=True)
class _Entry:
    """One raw ``[[agency]]`` table and where it sits, so every error can name the file and entry."""

    raw: dict[str, Any]
    source: str
    line: int | None
    index: int

    def fail(self, problem: str) -> InputError:
        name = self.raw.get("name")
        label = f"agency entry {self.index + 1}" + (f" ({name})" if isinstance(name, str) else "")
        return InputError(f"The {label} {problem}.", path=self.source, line=self.line)

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise self.fail(f"has no '{key}'")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"has a '{key}' that is not a non-empty string")
        return value.strip()

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key, required=True)
        if value not in allowed:
            raise self.fail(f"has {key} '{value}'; expected one of {', '.join(allowed)}")
        return value

    def names(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"has a '{key}' that is not a list of names")
        return tuple(v.strip() for v in value)

    def lineage(self) -> tuple[tuple[str, str], ...]:
        value = self.raw.get("succeeded_by", [])
        if not isinstance(value, list):
            raise self.fail("has a 'succeeded_by' that is not a list")
        steps: list[tuple[str, str]] = []
        for step in value:
            if not (
                isinstance(step, dict)
                and set(step) == {"name", "date"}
                and isinstance(step["name"], str)
                and isinstance(step["date"], str)
                and _DATE.match(step["date"])
            ):
                raise self.fail('has a \'succeeded_by\' item that is not {name = "...", date = "YYYY-MM-DD"}')
            steps.append((step["name"], step["date"]))
        return tuple(steps)


def _parse_entry(raw: Any, source: str, line: int | None, index: int) -> AgencyInfo:
    if not isinstance(raw, dict):
        raise InputError(f"Agency entry {index + 1} is not a table.", path=source, line=line)
    entry = _Entry(raw, source, line, index)
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise entry.fail(f"has unknown fields: {', '.join(unknown)}")
    agency = Agency(
        name=entry.text("name", required=True) or "",
        full_name=entry.text("full_name"),
        english_name=entry.text("english_name"),
        level=entry.choice("level", LEVELS),
        kind=entry.choice("kind", KINDS),
        aliases=entry.names("aliases"),
        member_of=entry.names("member_of"),
        succeeded_by=entry.lineage(),
    )
    return AgencyInfo(agency=agency, jurisdiction=entry.text("jurisdiction"), note=entry.text("note"))


def _validate(infos: list[AgencyInfo], source: str, lines: list[int]) -> None:
    """Unique canonical names, no written form shared by two agencies, link targets that exist."""

    def fail(i: int, problem: str) -> InputError:
        return InputError(f"{problem}.", path=source, line=lines[i] if i < len(lines) else None)

    canonical: dict[str, int] = {}
    for i, info in enumerate(infos):
        name = info.agency.name
        if name in canonical:
            raise fail(i, f"The agency name '{name}' is used by entries {canonical[name] + 1} and {i + 1}")
        canonical[name] = i
    owner: dict[str, str] = {}
    for i, info in enumerate(infos):
        name = info.agency.name
        for written in _written_forms(info.agency):
            key = normalise_name(written)
            if not key:
                raise fail(i, f"The agency '{name}' has a name or alias that is empty once normalised")
            other = owner.setdefault(key, name)
            if other != name:
                raise fail(i, f"The name '{written}' of agency '{name}' is already a name of '{other}'")
    for i, info in enumerate(infos):
        name = info.agency.name
        links = [("member_of", g) for g in info.agency.member_of]
        links += [("succeeded_by", s) for s, _ in info.agency.succeeded_by]
        for field_name, target in links:
            if target not in canonical:
                raise fail(i, f"The agency '{name}' is {field_name} '{target}', which is not a canonical agency name")
            if target == name:
                raise fail(i, f"The agency '{name}' is {field_name} itself")
