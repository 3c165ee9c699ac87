"""Jurisdictions: the country, provinces and cities an agency acts for, and which one a document is.

The data lives in ``policykg/data/jurisdictions.toml``. A document's jurisdiction is read from
its issuer, then its 文号 prefix, then its title:

>>> places = JurisdictionIndex.load_default()
>>> places.detect(issuer="山东省人民政府办公厅").name
'山东省'
>>> places.detect(doc_number="鲁政办字〔2019〕20号").name
'山东省'
>>> places.detect(doc_number="穗府办〔2006〕19号").name, places.get("广州市").parent
('广州市', '广东省')
>>> places.detect(doc_number="国办发〔2018〕129号").name
'全国'
>>> places.detect(doc_number="宁政发〔2020〕1号") is None  # 宁夏 or 南京: the 文号 alone cannot say
True
>>> places.detect(title="某市2023年政府工作报告重点工作任务分工方案") is None
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from policykg.errors import InputError
from policykg.graph.model import NATIONAL
from policykg.loaders.datafile import read_text

Level = Literal["country", "province", "city", "county"]
_FORMS = ("province", "municipality", "autonomous_region")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The level word a jurisdiction's own units open with (省发展改革委, 自治区发展改革委, 市财政局 …).
_UNIT_PREFIX = {"province": "省", "municipality": "市", "autonomous_region": "自治区"}
# A place named by an issuer or title that the list does not hold: a county, district or
# county-level city ("立山区人民政府", "桐乡市人民政府办公室").
_LOCAL_PLACE = re.compile(
    r"^(?P<place>[\u4e00-\u9fff]{1,8}?(?:自治县|自治旗|县|区|旗|市))(?:人民政府|政府|委员会|党委)"
)


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """A territory: 全国, a province-level unit, a prefecture-level city, or a county."""

    name: str
    level: Level
    form: str  # province | municipality | autonomous_region | city | county
    short: str | None = None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    prefixes: tuple[str, ...] = ()
    reform_2018: str | None = None

    @property
    def unit_prefix(self) -> str:
        """The word its own units open with: 省, 自治区, 市, 县 or 区.

        >>> Jurisdiction("立山区", "county", "county").unit_prefix
        '区'
        """
        if self.form in _UNIT_PREFIX:
            return _UNIT_PREFIX[self.form]
        if self.level == "county":
            return self.name[-1] if self.name[-1] in "县区市旗" else "县"
        return "市"

    @property
    def template_set(self) -> str | None:
        """Which agency templates apply: province, city or county (a municipality uses the city set)."""
        if self.level == "country":
            return None
        if self.form == "municipality":
            return "city"
        return self.level


class JurisdictionIndex:
    """The known jurisdictions, by name and alias, with their 文号 prefixes."""

    def __init__(
        self, places: list[Jurisdiction], issuer_endings: tuple[str, ...] = (), national_issuers: tuple[str, ...] = ()
    ) -> None:
        self._places = {p.name: p for p in places}
        self._names: dict[str, str] = {}
        for place in places:
            for written in (place.name, *place.aliases):
                if len(written) >= 2:
                    self._names.setdefault(written, place.name)
        self._by_length = sorted(self._names, key=len, reverse=True)
        # The same names by first character (longest first within each): a look-up tries a few, not all.
        self._by_first: dict[str, list[str]] = {}
        for written in self._by_length:
            self._by_first.setdefault(written[0], []).append(written)
        self._prefixes: dict[str, set[str]] = {}
        for place in places:
            for prefix in place.prefixes:
                self._prefixes.setdefault(prefix, set()).add(place.name)
        self._shorts = {p.short: p.name for p in places if p.short and p.level == "province"}
        self._issuer_endings = issuer_endings
        self._national_issuers = national_issuers

    # ------------------------------------------------------------------ loading

    @classmethod
    @functools.cache
    def load_default(cls) -> JurisdictionIndex:
        """The list packaged with policykg (``policykg/data/jurisdictions.toml``), read once."""
        resource = resources.files("policykg") / "data" / "jurisdictions.toml"
        return cls._from_text(resource.read_text(encoding="utf-8"), str(resource))

    @classmethod
    def load(cls, path: str | Path) -> JurisdictionIndex:
        return cls._from_text(read_text(path, "The jurisdiction list"), str(path))

    @classmethod
    def _from_text(cls, text: str, source: str) -> JurisdictionIndex:
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"The jurisdiction list is not valid TOML: {exc}.", path=source) from exc
        countries = _tables(data, "country", source)
        provinces = _tables(data, "province", source)
        if len(countries) != 1 or not provinces:
            raise InputError("The jurisdiction list needs one [[country]] and [[province]] tables.", path=source)
        country = countries[0]
        places = [
            Jurisdiction(
                _text(country, "name", source), "country", "country", prefixes=_names(country, "prefixes", source)
            )
        ]
        cities: dict[str, Jurisdiction] = {}
        for raw in provinces:
            name = _text(raw, "name", source)
            form = raw.get("form", "province")
            if form not in _FORMS:
                raise InputError(
                    f"The province {name} has form {form!r}; expected one of {', '.join(_FORMS)}.", path=source
                )
            reform = raw.get("reform_2018")
            if reform is not None and not (isinstance(reform, str) and _DATE.match(reform)):
                raise InputError(f"The province {name} has a reform_2018 that is not YYYY-MM-DD.", path=source)
            places.append(
                Jurisdiction(
                    name,
                    "province",
                    form,
                    short=_text(raw, "short", source),
                    aliases=_names(raw, "aliases", source),
                    parent=NATIONAL,
                    prefixes=_names(raw, "prefixes", source),
                    reform_2018=reform,
                )
            )
            for city in _names(raw, "cities", source):
                cities[city] = Jurisdiction(city, "city", "city", parent=name, reform_2018=reform)
        for raw in data.get("city", []):
            name = _text(raw, "name", source)
            province = _text(raw, "province", source)
            known = cities.get(name)
            if known is None or known.parent != province:
                raise InputError(f"The [[city]] {name} is not one of the cities listed under {province}.", path=source)
            cities[name] = Jurisdiction(
                name,
                "city",
                "city",
                aliases=_names(raw, "aliases", source),
                parent=province,
                prefixes=_names(raw, "prefixes", source),
                reform_2018=known.reform_2018,
            )
        places.extend(cities.values())
        return cls(
            places,
            issuer_endings=_names(country, "issuer_endings", source),
            national_issuers=_names(country, "issuers", source),
        )

    # ------------------------------------------------------------------ look-ups

    def get(self, name: str) -> Jurisdiction | None:
        """A jurisdiction by name or alias (山东 → 山东省); a county or district named like one
        ("立山区", "桐乡市") is made up on the spot, with no parent.

        >>> JurisdictionIndex.load_default().get("山东").name
        '山东省'
        >>> JurisdictionIndex.load_default().get("桐乡市").level
        'county'
        >>> JurisdictionIndex.load_default().get("某某") is None
        True
        """
        name = name.strip()
        if name in (NATIONAL, "中央", "国家"):
            return self._places[NATIONAL]
        known = self._names.get(name)
        if known is not None:
            return self._places[known]
        if re.fullmatch(r"[\u4e00-\u9fff]{1,8}(?:自治县|自治旗|县|区|旗|市)", name) and not name.startswith(
            ("某", "各")
        ):
            return Jurisdiction(name, "county", "county")
        return None

    def require(self, name: str) -> Jurisdiction:
        """Like :meth:`get`, but an unknown name is an :class:`InputError` (for ``--jurisdiction``)."""
        found = self.get(name)
        if found is None:
            raise InputError(
                f"{name!r} is not a jurisdiction policykg knows: give 全国, a province (山东省), "
                "a prefecture-level city (济南市) or a county or district ending in 县, 区 or 市."
            )
        return found

    def parent_of(self, place: Jurisdiction) -> Jurisdiction | None:
        return self._places.get(place.parent) if place.parent else None

    def chain(self, place: Jurisdiction) -> list[Jurisdiction]:
        """The place, its parents upwards, and the country last."""
        out = [place]
        while out[-1].parent and out[-1].parent in self._places and len(out) < 5:
            out.append(self._places[out[-1].parent])
        if out[-1].name != NATIONAL:
            out.append(self._places[NATIONAL])
        return out

    def named_at_start(self, text: str) -> Jurisdiction | None:
        """The jurisdiction whose name (or alias) opens ``text``, longest name first.

        >>> JurisdictionIndex.load_default().named_at_start("山东省发展和改革委员会").name
        '山东省'
        """
        written = self.names_at_start(text)
        return self._places[self._names[written]] if written is not None else None

    def names_at_start(self, text: str) -> str | None:
        """The written name or alias that opens ``text`` (山东省, 山东 …), if any."""
        for written in self._by_first.get(text[:1], ()):
            if text.startswith(written):
                return written
        return None

    def detect(
        self, *, issuer: str | None = None, doc_number: str | None = None, title: str | None = None
    ) -> Jurisdiction | None:
        """The jurisdiction a document belongs to: its issuer's place, else its 文号 prefix, else the
        place its title opens with or names; None when none of them says."""
        for found in (self._from_issuer(issuer or ""), self._from_number(doc_number or "")):
            if found is not None:
                return found
        return self._from_title(title or "")

    def _from_issuer(self, issuer: str) -> Jurisdiction | None:
        issuer = issuer.strip()
        if not issuer:
            return None
        first = re.split(r"[\s、,，]+", issuer)[0]
        if any(first.startswith(national) for national in self._national_issuers):
            return self._places[NATIONAL]
        named = self.named_at_start(first)
        if named is not None:
            return named
        local = _LOCAL_PLACE.match(first)
        if local is not None:
            return self.get(local.group("place"))
        if first.startswith("国家") or (
            not first.startswith(("省", "市", "县", "区", "某")) and first.endswith(self._issuer_endings)
        ):
            return self._places[NATIONAL]  # 国家发展改革委, 工业和信息化部, 海关总署 …
        return None

    def _from_number(self, number: str) -> Jurisdiction | None:
        number = re.sub(r"\s+", "", number)
        if not number:
            return None
        matched = [p for p in self._prefixes if number.startswith(p)]
        if matched:
            longest = max(len(p) for p in matched)
            owners = {o for p in matched if len(p) == longest for o in self._prefixes[p]}
            province = self._shorts.get(number[0])
            # 青政 is Qinghai's and Qingdao's, 宁政 Ningxia's and Nanjing's: undecided.
            others = owners - {province} if province is not None else set()
            if number[1:2] in "政府委办发" and any(self._places[o].parent != province for o in others):
                return None
            if len(owners) == 1:
                return self._places[owners.pop()]
            return None
        province = self._shorts.get(number[0])
        return self._places[province] if province is not None else None

    def _from_title(self, title: str) -> Jurisdiction | None:
        title = re.sub(r"\s+", "", title).removeprefix("关于印发").lstrip("《<")
        named = self.named_at_start(title)
        if named is not None:
            return named
        local = _LOCAL_PLACE.match(title)
        if local is not None:
            return self.get(local.group("place"))
        if title.startswith(self._national_issuers):
            return self._places[NATIONAL]
        return None

    def __iter__(self) -> Iterator[Jurisdiction]:
        return iter(self._places.values())

    def __len__(self) -> int:
        return len(self._places)


def _tables(data: dict[str, Any], key: str, source: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(f"The jurisdiction list's {key} entries are not [[{key}]] tables.", path=source)
    return value


def _text(raw: dict[str, Any], key: str, source: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"A jurisdiction entry ({raw.get('name', '?')}) has no '{key}'.", path=source)
    return value.strip()


def _names(raw: dict[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(
            f"The jurisdiction {raw.get('name', '?')} has a '{key}' that is not a list of names.", path=source
        )
    return tuple(v.strip() for v in value)
