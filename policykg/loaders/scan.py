"""Faster searching with patterns that the regular-expression engine would try at every position.

Python's ``re`` looks for a quick start only when a pattern opens with a literal or a set of
characters; a pattern opening with an optional part, a look-behind or ``\\s*`` (most of the
lexicon's) is tried in full at every offset of the text. :class:`Scanner` works out, from the
pattern itself, which characters a match can start with, finds those with a one-set search
(which runs at C speed) and tries the full pattern only there. Answers are exactly the
pattern's own: ``search`` is the leftmost match from ``pos``, ``finditer`` the same
non-overlapping matches; a pattern whose first characters cannot be bounded (``.``, a negated
set, one that can match nothing, flags other than the default) is used as it is.

>>> s = Scanner(re.compile(r"(?:\\[\\s*)?(?:牵头|配合)单位\\s*:"))
>>> [m.group() for m in s.finditer("任务一。牵头单位:省经信委;[ 配合单位:省科技厅")]
['牵头单位:', '[ 配合单位:']
>>> s.search("牵头单位 无冒号") is None
True
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any

try:  # the parser of the standard library's engine (private, so its absence is only slower)
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Python versions
    _sre = _sre_parse = None

_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_END = sys.maxsize
_FEW_WAYS = 4  # needs of up to this many ways are tested by substring tests on a whole text


class Scanner:
    """A compiled pattern searched only where its first character can stand, and only in text that
    holds the characters every match needs."""

    __slots__ = ("_needs", "_one_of", "_starts", "compiled")

    def __init__(
        self, pattern: re.Pattern[str], *, skip_to_starts: bool = True, starts: re.Pattern[str] | None = None
    ) -> None:
        """``skip_to_starts=False``: leave the search to the engine (a pattern whose first
        characters are everywhere in the text gains nothing from trying them one by one), keeping
        only the test of the needed characters. ``starts``: the caller's pattern of the places a
        match can start (it must find every one, and each of its matches must start there; a
        narrower one than the first characters, from what the caller knows of the pattern)."""
        self.compiled = pattern
        self._starts = starts if starts is not None else _first_characters(pattern) if skip_to_starts else None
        self._needs = _needed_characters(pattern)
        # The quick form of the test: the first (likeliest rare) character of each way, searched
        # for at once; text without any of them cannot hold a match.
        firsts = sorted({way[0] for way in self._needs})
        self._one_of = re.compile("[" + "".join(map(_escape_character, firsts)) + "]") if firsts else None

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def may_match_in(self, text: str | frozenset[str] | set[str]) -> bool:
        """Whether ``text`` (or a text holding exactly these characters) may hold a match: False when
        each way of matching needs a character it lacks. Substring tests, no engine call: for short
        text (a line), cheaper than starting a search."""
        return may_match_in(self._needs, text)

    def _hopeless(self, text: str, pos: int, endpos: int) -> bool:
        """Whether no match can lie in ``text[pos:endpos]``: for each way of matching, a character
        it needs is missing there. First one set search (C speed) for each way's first character,
        then, when one is there, each way's characters in turn."""
        one_of = self._one_of
        if one_of is None:
            return False  # nothing is known to be needed
        if pos == 0 and endpos >= len(text) and len(self._needs) <= _FEW_WAYS:
            # The whole of a short text (a line, a sentence): a substring test per character (memchr
            # speed) costs less than starting the engine's set search.
            return not may_match_in(self._needs, text)
        if one_of.search(text, pos, endpos) is None:
            return True
        for characters in self._needs:
            for ch in characters:
                if text.find(ch, pos, endpos) < 0:
                    break
            else:
                return False
        return True

    def match(self, text: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        """``pattern.match(text, pos, endpos)`` (anchored: nothing to skip)."""
        if self._one_of is not None and self._hopeless(text, pos, endpos):
            return None
        return self.compiled.match(text, pos, endpos)

    def sub(self, replacement: str, text: str) -> str:
        """``pattern.sub(replacement, text)``."""
        return self.compiled.sub(replacement, text)

    def search(self, text: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        """``pattern.search(text, pos, endpos)``."""
        if self._one_of is not None and self._hopeless(text, pos, endpos):
            return None
        return self._search(text, pos, endpos)

    def _search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        starts = self._starts
        if starts is None:
            return self.compiled.search(text, pos, endpos)
        match = self.compiled.match
        find = starts.search
        while True:
            candidate = find(text, pos, endpos)
            if candidate is None:
                return None
            found = match(text, candidate.start(), endpos)
            if found is not None:
                return found
            pos = candidate.start() + 1

    def finditer(self, text: str, pos: int = 0, endpos: int = _END) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text, pos, endpos)``."""
        if self._one_of is not None and self._hopeless(text, pos, endpos):
            return
        if self._starts is None:
            yield from self.compiled.finditer(text, pos, endpos)
            return
        while True:
            found = self._search(text, pos, endpos)
            if found is None:
                return
            yield found
            pos = found.end()  # never empty: a pattern that can match nothing has no _starts


_Needs = tuple[tuple[str, ...], ...]  # ways of matching, each with the characters it needs (all of them)
_MAX_WAYS = 8


@functools.lru_cache(maxsize=256)
def needed_characters(pattern: re.Pattern[str]) -> _Needs:
    """The ways of matching ``pattern`` with the characters each needs (empty: nothing is known).

    >>> needed_characters(re.compile("附件|抄送"))
    (('件', '附'), ('抄', '送'))
    """
    return _needed_characters(pattern)


def may_match_in(needs: _Needs, characters: str | frozenset[str] | set[str]) -> bool:
    """Whether a text (or a text holding exactly these characters) may hold a match of a pattern
    that ``needs``."""
    if not needs:
        return True  # nothing is known to be needed
    for way in needs:
        for ch in way:
            if ch not in characters:
                break
        else:
            return True
    return False


def _needed_characters(pattern: re.Pattern[str]) -> _Needs:
    """The characters a match needs, worked out from the pattern itself: any match holds all the
    characters of at least one of the returned tuples (literal characters the pattern must consume,
    not ones in look-arounds, which may stand outside the searched range). Empty when nothing can
    be said (a pattern that can match without a literal, case-insensitive matching)."""
    if _sre_parse is None or not isinstance(pattern.pattern, str) or pattern.flags & ~re.UNICODE:
        return ()
    try:
        ways = _needs_of_sequence(list(_sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # an engine detail this does not know: no test, the plain search
        return ()
    if any(not way for way in ways):
        return ()
    return tuple(tuple(sorted(way, key=_rarer_first)) for way in ways)


def _rarer_first(ch: str) -> tuple[bool, str]:
    """Letters and ideographs before punctuation and ASCII (brackets, colons are everywhere in a
    policy text), so that the test of a way usually stops at its first character."""
    return ch.isascii() or not ch.isalnum(), ch


_Ways = list[frozenset[str]]
_GROUPS = (_sre.SUBPATTERN, _sre.ATOMIC_GROUP) if _sre is not None else ()


def _group_body(op: Any, av: Any) -> list[tuple[Any, Any]] | None:
    """The items inside a group, plain or atomic; None for one that changes flags (its
    characters are not known here). Both walkers of the parse tree below read groups so."""
    if op is _sre.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else list(sub)
    return list(av)


_ANYTHING: _Ways = [frozenset()]  # one way that needs nothing


def _fewest(ways: _Ways) -> _Ways:
    """Ways without those needing more than another does (they add nothing to the test)."""
    unique = list(dict.fromkeys(ways))
    return [w for w in unique if not any(other < w for other in unique)]


def _needs_of_sequence(items: list[tuple[Any, Any]]) -> _Ways:
    """A sequence needs what each of its items needs: the ways of the items combined (items whose
    combination would give too many ways are left out, which only weakens the test)."""
    parts = sorted((w for w in (_needs_of(op, av) for op, av in items) if w != _ANYTHING), key=len)
    ways = _ANYTHING
    for part in parts:
        if len(ways) * len(part) > _MAX_WAYS:
            continue
        ways = _fewest([a | b for a in ways for b in part])
    return ways


def _needs_of(op: Any, av: Any) -> _Ways:
    if op is _sre.LITERAL:
        return [frozenset(chr(av))]
    if op is _sre.IN:
        if len(av) <= 4 and all(item_op is _sre.LITERAL for item_op, _ in av):
            return [frozenset(chr(code)) for _, code in av]
        return _ANYTHING
    if op is _sre.BRANCH:
        ways: _Ways = []
        for alternative in av[1]:
            one = _needs_of_sequence(list(alternative))
            if one == _ANYTHING:
                return _ANYTHING
            ways += one
        ways = _fewest(ways)
        return ways if len(ways) <= _MAX_WAYS else _ANYTHING
    if op in _GROUPS:
        body = _group_body(op, av)
        return _ANYTHING if body is None else _needs_of_sequence(body)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _, sub = av
        return _needs_of_sequence(list(sub)) if low >= 1 else _ANYTHING
    return _ANYTHING  # look-arounds, anchors, any character, sets, group references: no literal


def _first_characters(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A one-set pattern of the characters a match can start with, or None when unbounded."""
    if _sre_parse is None or not isinstance(pattern.pattern, str) or pattern.flags & ~re.UNICODE:
        return None
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        first = _first(list(parsed))
    except Exception:  # an engine detail this does not know: search the plain way
        return None
    if first is None or first[1] or not first[0]:
        return None
    parts = []
    for op, av in first[0]:
        if op is _sre.LITERAL:
            parts.append(_escape(av))
        elif op is _sre.RANGE:
            parts.append(_escape(av[0]) + "-" + _escape(av[1]))
        else:  # CATEGORY
            parts.append(_CATEGORIES[str(av)])
    return re.compile("[" + "".join(parts) + "]", pattern.flags)


def _escape_character(ch: str) -> str:
    return _escape(ord(ch))


def _escape(code: int) -> str:
    return "\\" + chr(code) if chr(code) in "\\]^-[" else chr(code)


_Firsts = tuple[list[tuple[Any, Any]], bool]  # (set items, whether the items can match nothing)


def _first(items: list[tuple[Any, Any]]) -> _Firsts | None:
    """First-character set items of a sequence, and whether the whole sequence can match nothing."""
    found: list[tuple[Any, Any]] = []
    for op, av in items:
        one = _first_of(op, av)
        if one is None:
            return None
        found += one[0]
        if not one[1]:
            return found, False
    return found, True


def _first_of(op: Any, av: Any) -> _Firsts | None:
    if op is _sre.LITERAL:
        return [(op, av)], False
    if op is _sre.IN:
        if any(item_op is _sre.NEGATE for item_op, _ in av):
            return None
        if any(item_op not in (_sre.LITERAL, _sre.RANGE, _sre.CATEGORY) for item_op, _ in av):
            return None
        if any(item_op is _sre.CATEGORY and str(item) not in _CATEGORIES for item_op, item in av):
            return None
        return list(av), False
    if op is _sre.BRANCH:
        found: list[tuple[Any, Any]] = []
        empty = False
        for alternative in av[1]:
            one = _first(list(alternative))
            if one is None:
                return None
            found += one[0]
            empty = empty or one[1]
        return found, empty
    if op in _GROUPS:
        body = _group_body(op, av)
        return None if body is None else _first(body)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _, sub = av
        one = _first(list(sub))
        if one is None:
            return None
        return one[0], one[1] or low == 0
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return [], True  # takes no character: the match starts with what follows
    return None  # ANY, NOT_LITERAL, group references, conditionals: unbounded


@functools.lru_cache(maxsize=256)
def context_free(pattern: re.Pattern[str]) -> bool:
    """Whether a match of the pattern depends only on the characters it consumes: no anchors, no
    look-arounds, no group references, default flags. Such a pattern matching in a piece of a text
    also matches somewhere in the whole text, so one search of the whole text that finds nothing
    answers for every piece of it. (Remembered per pattern: the parser asks it per document.)

    >>> context_free(re.compile("为了?(?:贯彻|落实)《[^》]+》")), context_free(re.compile("^附件"))
    (True, False)
    """
    if _sre_parse is None or not isinstance(pattern.pattern, str) or pattern.flags & ~re.UNICODE:
        return False
    try:
        return _free_of_context(list(_sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # an engine detail this does not know: not known to be free
        return False


def _free_of_context(items: list[tuple[Any, Any]]) -> bool:
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY):
            continue
        if op is _sre.BRANCH:
            if not all(_free_of_context(list(alternative)) for alternative in av[1]):
                return False
        elif op is _sre.SUBPATTERN:
            if av[1] or av[2] or not _free_of_context(list(av[3])):
                return False
        elif op is _sre.ATOMIC_GROUP:
            if not _free_of_context(list(av)):
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            if not _free_of_context(list(av[2])):
                return False
        else:
            return False  # anchors, look-arounds, group references, conditionals
    return True


def trie_alternation(words: Iterable[str], *, spaced: bool = False) -> str:
    """The alternation of ``words`` that tries the longest first (``a|b|c`` sorted longest first),
    written as a trie: words sharing a beginning share its pattern, so at each position the engine
    follows one branch per character instead of trying every word in turn (a list of hundreds of
    words, tried at every candidate position, is most of a flat alternation's cost).

    It matches exactly what the flat alternation matches, with the same backtracking order: the
    words matching at one position are prefixes of each other, and a node tries its longer words
    before ending. ``spaced`` lets spaces stand between the characters (``\\s*``); words holding
    spaces themselves are then written flat (a space could not tell branches apart).

    >>> trie_alternation(["牵头", "牵头单位", "配合"])
    '(?:牵头(?:单位)?|配合)'
    >>> re.fullmatch(trie_alternation(["a.b", "a"]), "a.b") is not None
    True
    """
    unique = sorted(set(words))
    separator = r"\s*" if spaced else ""
    if spaced and any(any(ch.isspace() for ch in w) for w in unique):
        ordered = sorted(unique, key=len, reverse=True)
        return "|".join(separator.join(map(re.escape, w)) for w in ordered)
    root: dict[str, Any] = {}
    for word in unique:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True  # a word ends here

    def continuation(node: dict[str, Any], top: bool) -> str:
        """What may follow a node's characters (at the root: the whole pattern)."""
        branches = [re.escape(ch) + continuation(child, False) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        either = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        sequence = either if top else separator + either
        if "" in node:  # a word ends here: its longer words are tried first, then it alone
            return f"(?:{sequence})?"
        return sequence

    return continuation(root, True)
