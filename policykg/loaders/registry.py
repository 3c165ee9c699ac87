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

Identity is jurisdictional: :meth:`AgencyRegistry.resolve_in` reads a name as a document of
one jurisdiction writes it. Entries with a jurisdiction (Zhejiang's) override the templates of
``agency_templates.toml``, which stand for every other province, city and county:

>>> reg.resolve_in("省发展改革委", "山东省").id, reg.resolve_in("省发展改革委", "山东省").full_name
('山东省:省发展改革委', '山东省发展和改革委员会')
>>> reg.resolve_in("省发改委", "浙江省").id
'浙江省:省发展改革委'
>>> reg.resolve_in("市发改委", "济南市").id, reg.resolve_in("省财政厅", "济南市").id
('济南市:市发展改革委', '山东省:省财政厅')
>>> reg.resolve_in("国家发展改革委", "山东省").id
'发展改革委'
>>> reg.resolve_in("省经信委", None) is None  # a document of no known place: not Zhejiang's
True
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from policykg.errors import InputError
from policykg.graph.model import NATIONAL, Agency
from policykg.loaders.datafile import read_tables, read_text
from policykg.loaders.jurisdictions import Jurisdiction, JurisdictionIndex

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
_TEMPLATE_SETS: tuple[str, ...] = ("province", "city", "county")
MAX_REMEMBERED = 50_000  # resolve_in answers kept per registry (a few MB at most)
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

    def __init__(
        self,
        infos: list[AgencyInfo],
        source: str = "<memory>",
        *,
        templates: list[AgencyTemplate] | None = None,
        places: JurisdictionIndex | None = None,
    ) -> None:
        self._source = source
        self._infos: dict[str, AgencyInfo] = {}  # by agency id
        self._by_key: dict[str, str] = {}  # written form → id, any jurisdiction (first entry wins)
        self._local: dict[str | None, dict[str, str]] = {}  # jurisdiction → written form → id
        for info in infos:
            self._infos[info.agency.id] = info
            local = self._local.setdefault(info.agency.jurisdiction, {})
            for written in _written_forms(info.agency):
                self._by_key.setdefault(normalise_name(written), info.agency.id)
                local.setdefault(normalise_name(written), info.agency.id)
        self._templates = list(templates or [])
        self._places = places
        self._instances: dict[str, dict[str, Agency]] = {}
        # resolve_in's answers: a corpus writes the same few hundred names over and over, and the
        # registry never changes after it is built.
        self._resolved: dict[tuple[str, str | Jurisdiction | None], Agency | None] = {}

    # ------------------------------------------------------------------ loading

    @classmethod
    def load_default(cls) -> AgencyRegistry:
        """The registry packaged with policykg (``policykg/data/agencies.toml``)."""
        return _load_default()

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
        places = JurisdictionIndex.load_default()
        _validate(infos, source, lines, places)
        return cls(infos, source, templates=load_templates(), places=places)

    # ------------------------------------------------------------------ look-ups

    def resolve(self, name: str) -> Agency | None:
        """The agency a name denotes (canonical, full name or alias, normalised), else None.

        >>> AgencyRegistry.load_default().resolve("国家知识产权局").name
        '知识产权局'
        """
        key = normalise_name(name)
        canonical = self._by_key.get(key)
        if canonical is not None:
            return self._infos[canonical].agency
        return self._named_place(key) if self._places is not None else None

    @property
    def places(self) -> JurisdictionIndex:
        """The jurisdictions this registry reads names in."""
        return self._places if self._places is not None else JurisdictionIndex.load_default()

    def resolve_in(self, name: str, jurisdiction: str | Jurisdiction | None) -> Agency | None:
        """The agency ``name`` means in a document of ``jurisdiction``, else None.

        Looked up in the jurisdiction's own entries and templates, then its parents' (a city
        document's 省财政厅 is its province's), then the national units; a name that opens
        with a place (山东省发展和改革委员会, 杭州市发改委) is read in that place; generic
        collectives (有关部门) become the jurisdiction's own. With no jurisdiction only national
        units, place-named units and generic collectives resolve: a bare 省发展改革委 of a
        document of unknown place is never taken for some province's.
        """
        memo = (name, jurisdiction)
        if memo in self._resolved:
            return self._resolved[memo]
        found = self._resolve_in(name, jurisdiction)
        if len(self._resolved) > MAX_REMEMBERED:
            self._resolved.clear()
        self._resolved[memo] = found
        return found

    def _resolve_in(self, name: str, jurisdiction: str | Jurisdiction | None) -> Agency | None:
        place = self.places.get(jurisdiction) if isinstance(jurisdiction, str) else jurisdiction
        key = normalise_name(name)
        chain = self.places.chain(place) if place is not None else [self.places.get(NATIONAL)]
        for step in chain:
            if step is None:
                continue
            hit = self._in_place(step).get(key)
            if hit is not None:
                return hit
        named = self._named_place(key)
        if named is not None:
            return named
        generic = self._local.get(None, {}).get(key)
        if generic is not None:
            agency = self._infos[generic].agency
            return replace(agency, jurisdiction=place.name if place is not None else None)
        return None

    def _named_place(self, key: str) -> Agency | None:
        """A unit written with its place's name: 山东省发展和改革委员会, 杭州市发改委, 浙江省税务局."""
        written = self.places.names_at_start(key)
        place = self.places.get(written) if written else None
        if written is None or place is None:
            return None
        found = self._in_place(place)
        return found.get(key) or found.get(normalise_name(place.unit_prefix + key[len(written) :]))

    def _in_place(self, place: Jurisdiction) -> dict[str, Agency]:
        """Written form → agency for one jurisdiction: its own entries, then its template units
        (a template unit sharing a written form with an entry is that entry)."""
        cached = self._instances.get(place.name)
        if cached is not None:
            return cached
        found: dict[str, Agency] = {}
        for key, agency_id in self._local.get(place.name, {}).items():
            found[key] = self._infos[agency_id].agency
        for key in list(found):
            # Entries are written 省经信委; documents also write 浙江省经信委.
            if key.startswith(place.unit_prefix) and not key.startswith(place.name):
                found.setdefault(place.name + key[len(place.unit_prefix) :], found[key])
        for template in self._templates:
            if template.set != place.template_set:
                continue
            instance = template.instantiate(place)
            keys = [normalise_name(w) for w in _written_forms(instance)]
            owner = next((found[k] for k in keys if k in found and found[k].jurisdiction == place.name), instance)
            for k in keys:
                found.setdefault(k, owner)
        if len(self._instances) > 2000:
            self._instances.clear()
        self._instances[place.name] = found
        return found

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
        return self._infos.get(agency.id) if agency else None

    def suggest(self, name: str, limit: int = 5) -> list[str]:
        """Canonical names closest to an unknown name, best first, for a "did you mean" hint.

        >>> AgencyRegistry.load_default().suggest("省经信局", limit=1)
        ['省经信委']
        """
        key = normalise_name(name)
        close = difflib.get_close_matches(key, list(self._by_key), n=limit * 4, cutoff=0.5)
        result: list[str] = []
        for match in close:
            canonical = self._infos[self._by_key[match]].agency.name
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
        return [
            a.name for a in self.agencies() if group.name in a.member_of and self.link_id(a, group.name) == group.id
        ]

    def successors(self, name: str) -> list[str]:
        """Every unit that took over from this one, transitively, nearest first (breadth-first).

        >>> AgencyRegistry.load_default().successors("省质监局")
        ['省市场监管局']
        """
        return self._walk(name, lambda a: [self.link_id(a, s) for s, _ in a.succeeded_by])

    def predecessors(self, name: str) -> list[str]:
        """Every unit this one took over from, transitively, nearest first.

        >>> sorted(AgencyRegistry.load_default().predecessors("省市场监管局"))
        ['省工商局', '省质监局', '省食品药品监管局']
        """
        start = self.resolve(name)
        if start is None:
            return []
        before: dict[str | None, list[str]] = {}
        for a in self.agencies():
            for successor, _ in a.succeeded_by:
                before.setdefault(self.link_id(a, successor), []).append(a.id)
        return self._walk(name, lambda a: before.get(a.id, []))

    def lineage_edges(self) -> list[tuple[str, str, str]]:
        """``(predecessor, successor, date)`` for every recorded reform step, in file order."""
        return [(a.name, s, d) for a in self.agencies() for s, d in a.succeeded_by]

    def link_id(self, agency: Agency, name: str) -> str | None:
        """The id of the unit a ``member_of``/``succeeded_by`` name of ``agency`` means: an entry of
        the same jurisdiction, else of a parent jurisdiction, else a national or generic one."""
        key = normalise_name(name)
        places: list[str | None] = [agency.jurisdiction]
        place = self.places.get(agency.jurisdiction) if agency.jurisdiction else None
        if place is not None:
            places = [p.name for p in self.places.chain(place)]
        for jurisdiction in [*places, NATIONAL, None]:
            for agency_id in self._local.get(jurisdiction, {}).values():
                if self._infos[agency_id].agency.name == key or self._infos[agency_id].agency.name == name:
                    return agency_id
        return None

    def _walk(self, name: str, step: Any) -> list[str]:
        start = self.resolve(name)
        if start is None:
            return []
        seen: list[str] = []
        frontier = [start.id]
        while frontier:
            following: list[str] = []
            for current in frontier:
                for nxt in step(self._infos[current].agency):
                    if nxt is not None and nxt != start.id and nxt not in seen:
                        seen.append(nxt)
                        following.append(nxt)
            frontier = following
        return [self._infos[i].agency.name for i in seen]


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


NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Step(_Entry):
    name: NonEmpty
    date: Annotated[str, StringConstraints(pattern=_DATE.pattern)]


class AgencyEntry(_Entry):
    """One ``[[agency]]`` table of agencies.toml, as pydantic checks it."""

    name: NonEmpty
    full_name: NonEmpty | None = None
    english_name: NonEmpty | None = None
    level: Literal[LEVELS]  # type: ignore[valid-type]
    kind: Literal[KINDS]  # type: ignore[valid-type]
    jurisdiction: NonEmpty | None = None
    aliases: list[NonEmpty] = []
    member_of: list[NonEmpty] = []
    succeeded_by: list[_Step] = []
    note: NonEmpty | None = None


class TemplateEntry(_Entry):
    """One ``[[template]]`` table of agency_templates.toml, as pydantic checks it."""

    set: Literal[_TEMPLATE_SETS]  # type: ignore[valid-type]
    name: NonEmpty
    full_name: NonEmpty | None = None
    aliases: list[NonEmpty] = []
    kind: Literal[KINDS]  # type: ignore[valid-type]
    collective: bool = False
    succeeded_by: list[NonEmpty] = []
    note: NonEmpty | None = None


E = TypeVar("E", bound=_Entry)


def _checked(model: type[E], raw: Any, what: str, source: str, line: int | None) -> E:
    """``raw`` as ``model``; else one sentence naming the entry, the file and its line.

    >>> _checked(AgencyEntry, {"name": "乙局", "kind": "other"}, "agency entry 2", "a.toml", 7)
    Traceback (most recent call last):
    ...
    policykg.errors.InputError: a.toml, line 7: The agency entry 2 (乙局) has no 'level'.
    """
    name = raw.get("name") if isinstance(raw, dict) else None
    label = f"{what} ({name})" if isinstance(name, str) else what
    if not isinstance(raw, dict):
        raise InputError(f"The {label} is not a table.", path=source, line=line)
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise InputError(f"The {label} {_problem(error, raw)}.", path=source, line=line) from None


def _problem(error: ValidationError, raw: dict[str, Any]) -> str:
    """What is wrong with an entry, in the words of its file: the first problem pydantic found."""
    problems = error.errors()
    unknown = sorted(str(p["loc"][0]) for p in problems if p["type"] == "extra_forbidden")
    if unknown:
        return f"has unknown fields: {', '.join(unknown)}"
    first = problems[0]
    key = str(first["loc"][0])
    if first["type"] == "missing":
        return f"has no '{key}'"
    if first["type"] == "literal_error":
        expected = first.get("ctx", {}).get("expected", "")
        return f"has {key} '{raw.get(key)}'; expected one of {expected.replace(' or ', ', ').replace(chr(39), '')}"
    if key == "succeeded_by" and len(first["loc"]) > 1 and raw.get(key) and isinstance(raw[key][0], dict):
        return 'has a \'succeeded_by\' item that is not {name = "...", date = "YYYY-MM-DD"}'
    if isinstance(raw.get(key), bool) or first["type"] == "bool_type":
        return f"has a '{key}' that is not true or false"
    if isinstance(raw.get(key), list) or len(first["loc"]) > 1 or first["type"] == "list_type":
        return f"has a '{key}' that is not a list of names"
    return f"has a '{key}' that is not a non-empty string"


def _parse_entry(raw: Any, source: str, line: int | None, index: int) -> AgencyInfo:
    entry = _checked(AgencyEntry, raw, f"agency entry {index + 1}", source, line)
    agency = Agency(
        name=entry.name,
        full_name=entry.full_name,
        english_name=entry.english_name,
        level=entry.level,
        kind=entry.kind,
        aliases=tuple(entry.aliases),
        member_of=tuple(entry.member_of),
        succeeded_by=tuple((step.name, step.date) for step in entry.succeeded_by),
        jurisdiction=entry.jurisdiction,
    )
    return AgencyInfo(agency=agency, jurisdiction=entry.jurisdiction, note=entry.note)


def _validate(infos: list[AgencyInfo], source: str, lines: list[int], places: JurisdictionIndex) -> None:
    """Unique canonical names and written forms within each jurisdiction, known jurisdictions,
    and link targets that exist (in the same jurisdiction, a parent one, or nationally)."""

    def fail(i: int, problem: str) -> InputError:
        return InputError(f"{problem}.", path=source, line=lines[i] if i < len(lines) else None)

    canonical: dict[tuple[str | None, str], int] = {}
    for i, info in enumerate(infos):
        agency = info.agency
        if agency.jurisdiction and places.get(agency.jurisdiction) is None:
            raise fail(
                i,
                f"The agency '{agency.name}' has jurisdiction '{agency.jurisdiction}', not a known jurisdiction",
            )
        key = (agency.jurisdiction, agency.name)
        if key in canonical:
            raise fail(i, f"The agency name '{agency.name}' is used by entries {canonical[key] + 1} and {i + 1}")
        canonical[key] = i
    owner: dict[tuple[str | None, str], str] = {}
    for i, info in enumerate(infos):
        name = info.agency.name
        for written in _written_forms(info.agency):
            form = normalise_name(written)
            if not form:
                raise fail(i, f"The agency '{name}' has a name or alias that is empty once normalised")
            other = owner.setdefault((info.agency.jurisdiction, form), name)
            if other != name:
                raise fail(i, f"The name '{written}' of agency '{name}' is already a name of '{other}'")
    for i, info in enumerate(infos):
        agency = info.agency
        place = places.get(agency.jurisdiction) if agency.jurisdiction else None
        scopes = [p.name for p in places.chain(place)] if place is not None else [NATIONAL]
        links = [("member_of", g) for g in agency.member_of]
        links += [("succeeded_by", s) for s, _ in agency.succeeded_by]
        for field_name, target in links:
            if not any((scope, target) in canonical for scope in [*scopes, None]):
                raise fail(
                    i, f"The agency '{agency.name}' is {field_name} '{target}', which is not a canonical agency name"
                )
            if target == agency.name:
                raise fail(i, f"The agency '{agency.name}' is {field_name} itself")


# ---------------------------------------------------------------------- templates


@dataclass(frozen=True, slots=True)
class AgencyTemplate:
    """A unit every jurisdiction of a set has (``{p}发展改革委``), instantiated per jurisdiction.

    >>> t = AgencyTemplate("province", "{p}财政厅", "{place}财政厅", ("{p}财政局",), "government_department")
    >>> a = t.instantiate(JurisdictionIndex.load_default().get("广西"))
    >>> a.id, a.full_name, a.level, "广西壮族自治区财政局" in a.aliases
    ('广西壮族自治区:自治区财政厅', '广西壮族自治区财政厅', 'province', True)
    """

    set: str
    name: str
    full_name: str | None
    aliases: tuple[str, ...]
    kind: str
    collective: bool = False
    succeeded_by: tuple[str, ...] = ()

    def instantiate(self, place: Jurisdiction) -> Agency:
        prefix = place.unit_prefix

        def fill(text: str) -> str:
            return text.replace("{p}", prefix).replace("{place}", place.name)

        aliases: list[str] = []
        for written in (self.name, *self.aliases):
            filled = fill(written)
            if filled != fill(self.name):
                aliases.append(filled)
            if written.startswith("{p}"):
                aliases.append(place.name + written[len("{p}") :])
        return Agency(
            name=fill(self.name),
            full_name=fill(self.full_name) if self.full_name else None,
            level="collective" if self.collective else place.level,
            kind=self.kind,
            aliases=tuple(dict.fromkeys(a for a in aliases if a != fill(self.full_name or ""))),
            succeeded_by=tuple((fill(s), place.reform_2018 or "") for s in self.succeeded_by),
            jurisdiction=place.name,
        )


@functools.cache
def load_templates() -> list[AgencyTemplate]:
    """The packaged templates (``policykg/data/agency_templates.toml``), read once."""
    resource = resources.files("policykg") / "data" / "agency_templates.toml"
    return templates_from_text(resource.read_text(encoding="utf-8"), str(resource))


def templates_from_text(text: str, source: str) -> list[AgencyTemplate]:
    """Templates from TOML ``[[template]]`` tables; errors name the file and the entry's line."""
    _, entries = read_tables(text, source, "The agency templates", "template")
    lines = _table_lines(text, "template")
    out: list[AgencyTemplate] = []
    seen: dict[tuple[str, str], str] = {}
    for i, raw in enumerate(entries):
        line = lines[i] if i < len(lines) else None
        entry = _checked(TemplateEntry, raw, f"template entry {i + 1}", source, line)
        template = AgencyTemplate(
            set=entry.set,
            name=entry.name,
            full_name=entry.full_name,
            aliases=tuple(entry.aliases),
            kind=entry.kind,
            collective=entry.collective,
            succeeded_by=tuple(entry.succeeded_by),
        )
        for written in (template.name, *template.aliases, *([template.full_name] if template.full_name else [])):
            key = (template.set, normalise_name(written))
            other = seen.setdefault(key, template.name)
            if other != template.name:
                problem = f"has the form '{written}', already a form of '{other}'"
                raise InputError(f"The template entry {i + 1} ({template.name}) {problem}.", path=source, line=line)
        out.append(template)
    names = {(t.set, t.name) for t in out}
    for t in out:
        for successor in t.succeeded_by:
            if (t.set, successor) not in names:
                raise InputError(
                    f"The template '{t.name}' is succeeded_by '{successor}', which is not a template name.", path=source
                )
    return out


@functools.cache
def _load_default() -> AgencyRegistry:
    resource = resources.files("policykg") / "data" / "agencies.toml"
    return AgencyRegistry._from_text(resource.read_text(encoding="utf-8"), str(resource))
