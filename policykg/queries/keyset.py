"""Keyset pages: a list resumes after the last row's sort key, carried in an opaque cursor.

A query whose header says ``// cursor: after`` orders its rows by one integer ``sort_key``
(see :func:`policykg.ingest.measure_sort_key`) and takes ``after``: the next page is the rows
after the last key of this one, so its cost does not grow with how far into the list it is
(``SKIP`` reads and drops every row before it). A ``// window:`` query returns just the next
keys, read from relationships alone; the page is then bounded to ``upto`` its last key, so
the full rows (measure text, document title) are read for that page's rows only.

The cursor is the key and a short tag binding it to the query and its filters, base64url:
a cursor altered, cut short or made for other filters is refused with one sentence, never
run as another page.

>>> cursor = encode_cursor("agency_measures", {"name": "省经信委", "role": "lead", "limit": 100}, 42)
>>> decode_cursor(cursor, "agency_measures", {"name": "省经信委", "role": "lead", "limit": 5})
42
>>> try:
...     decode_cursor(cursor, "agency_measures", {"name": "省科技厅", "role": "lead", "limit": 100})
... except BadParameter as error:
...     print(error.param, str(error)[:32])
cursor cursor was made for another list

"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from policykg.queries.catalogue import BadParameter, NamedQuery

Row = dict[str, Any]
Reader = Callable[[str, dict[str, Any]], list[Row]]

# Parameters that move along a list rather than choose it: a cursor is good whatever they are.
PAGING_PARAMS = frozenset({"limit", "offset", "after", "upto"})
_VERSION = 1
_TAG_BYTES = 6
# The tag guards against altered and misplaced cursors, not against forgery: a forged key is
# only another place to start reading, which any client may ask for with ?offset.
_TAG_KEY = b"policykg keyset cursor"
_LAYOUT = struct.Struct(">Bq")
_LARGEST = 2**63 - 1


def _tag(query: str, params: Mapping[str, Any], key: int) -> bytes:
    chosen = {k: v for k, v in params.items() if k not in PAGING_PARAMS}
    text = json.dumps([query, sorted(chosen.items()), key], ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8"), key=_TAG_KEY, digest_size=_TAG_BYTES).digest()


def encode_cursor(query: str, params: Mapping[str, Any], key: int) -> str:
    """The opaque cursor of the page after ``key`` in ``query`` with ``params``' filters."""
    raw = _LAYOUT.pack(_VERSION, key) + _tag(query, params, key)
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, query: str, params: Mapping[str, Any]) -> int:
    """The key a cursor resumes after; BadParameter (a 422) for one this list never gave out."""
    broken = BadParameter(
        "cursor is not one this server gave out (it was changed or cut short); "
        "follow the next link as given, or start again without a cursor.",
        "cursor",
    )
    text = cursor.strip()
    if not text or len(text) > 64:
        raise broken
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise broken from None
    if len(raw) != _LAYOUT.size + _TAG_BYTES or raw[0] != _VERSION:
        raise broken
    _, key = _LAYOUT.unpack(raw[: _LAYOUT.size])
    if raw[_LAYOUT.size :] != _tag(query, params, key):
        raise BadParameter(
            "cursor was made for another list (other filters or another query); "
            "follow the next link as given, or start again without a cursor.",
            "cursor",
        )
    return int(key)


@dataclass(slots=True)
class KeysetPage:
    """One page: its rows, whether more follow, and the cursor of the next page (None on the last)."""

    rows: list[Row]
    has_more: bool
    next_cursor: str | None


def read_keyset_page(
    read: Reader, query: NamedQuery, bound: dict[str, Any], limit: int, window: NamedQuery | None = None
) -> KeysetPage:
    """The page of ``query`` after ``bound[query.cursor]``, at least ``limit`` rows unless it is the last.

    Rows whose key ties the page's last key all come on this page (a page may then run a
    few rows over ``limit``), so the next page, after that key, misses and repeats none.

    With a ``window`` query the page costs two short reads: the window's next keys, then
    the rows up to the page's last key (by the query's ``rows`` query when it names one).
    A filter the window does not take (``agency_measures``' ``doc_id``: one document's list
    is short) makes it one read of ``query`` itself.

    >>> rows = [{"id": i, "sort_key": i // 2} for i in range(7)]  # keys 0 0 1 1 2 2 3
    >>> def read(name, p):
    ...     fit = [r for r in rows if p["after"] < r["sort_key"] <= p.get("upto", 99)][: p.get("limit", 99)]
    ...     return [{"keys": [r["sort_key"] for r in fit]}] if name == "keys" else fit
    >>> q = NamedQuery("list", "", "", (), ("id", "sort_key"), "read", "", cursor="after")
    >>> page = read_keyset_page(read, q, {"after": -1, "limit": 3}, 3)  # ids 2 and 3 share key 1
    >>> [r["id"] for r in page.rows], page.has_more
    ([0, 1, 2, 3], True)
    >>> after = decode_cursor(page.next_cursor, "list", {})
    >>> [r["id"] for r in read_keyset_page(read, q, {"after": after, "limit": 3}, 3).rows]
    [4, 5, 6]
    >>> from policykg.queries.catalogue import QueryParam
    >>> keys = NamedQuery("keys", "", "", (QueryParam("after", "int"),), ("keys",), "read", "")
    >>> page = read_keyset_page(read, q, {"after": -1, "limit": 3}, 3, keys)
    >>> [r["id"] for r in page.rows], page.has_more
    ([0, 1, 2, 3], True)
    >>> q = NamedQuery("list", "", "", (), ("id", "sort_key"), "read", "", cursor="after", rows="backwards")
    >>> def read_rows(name, p):  # a rows query returns its rows in no set order
    ...     return read(name, p)[::-1] if name == "backwards" else read(name, p)
    >>> [r["sort_key"] for r in read_keyset_page(read_rows, q, {"after": 0, "limit": 3}, 3, keys).rows]
    [1, 1, 2, 2]
    """
    assert query.cursor is not None
    params = dict(bound)
    takes = _window_params(window, query, params)
    rows: list[Row] | None = None
    if window is not None and takes is not None:
        for _ in range(_ATTEMPTS):
            found_keys = read(window.name, {k: v for k, v in params.items() if k in takes} | {"limit": limit + 1})
            keys: list[int] = found_keys[0]["keys"] if found_keys else []
            if not keys:
                return KeysetPage([], False, None)
            has_more = len(keys) > limit
            upto = keys[min(limit, len(keys)) - 1]
            rows = _read_upto(read, query, params, upto, takes)
            # Two reads: a write between them (a document replaced) shows as other keys. Read again.
            if rows_match_keys(rows, keys, upto):
                break
        else:
            rows = None  # the store keeps changing under the two reads: one read, consistent by itself
    if rows is None:
        params["limit"] = limit + 1
        rows = read(query.name, params)
        has_more = len(rows) > limit
        if has_more:
            last = rows[limit - 1]["sort_key"]
            if rows[limit]["sort_key"] == last:
                # The probe row ties the page's last key: every row of that key comes on this page.
                params[str(query.cursor)] = last - 1
                rows = [r for r in rows[:limit] if r["sort_key"] < last] + _read_upto(read, query, params, last, takes)
            else:
                rows = rows[:limit]
    next_cursor = encode_cursor(query.name, bound, rows[-1]["sort_key"]) if has_more and rows else None
    return KeysetPage(rows, has_more, next_cursor)


def rows_match_keys(rows: list[Row], keys: list[int], upto: int) -> bool:
    """Whether ``rows`` (in key order) are the rows of ``keys`` up to ``upto``, ties of ``upto`` included:
    what a page read in two steps checks, since a write between the steps shows as other keys.

    >>> rows_match_keys([{"sort_key": 1}, {"sort_key": 2}, {"sort_key": 2}], [1, 2, 3], 2)
    True
    >>> rows_match_keys([{"sort_key": 2}], [1, 2, 3], 2)
    False
    """
    expected = [k for k in keys if k <= upto]
    found = [r["sort_key"] for r in rows]
    return found[: len(expected)] == expected and all(k == upto for k in found[len(expected) :])


def _window_params(window: NamedQuery | None, query: NamedQuery, params: dict[str, Any]) -> set[str] | None:
    """The window's parameters when it finds this page's keys: it takes every filter the page
    sets (the others keep their defaults); None when there is no such window."""
    if window is None:
        return None
    takes = {p.name for p in window.params}
    for p in query.params:
        if p.name not in PAGING_PARAMS and p.name not in takes and params.get(p.name, p.default) != p.default:
            return None
    return takes


def _read_upto(read: Reader, query: NamedQuery, params: dict[str, Any], upto: int, takes: set[str] | None) -> list[Row]:
    """The rows of ``query`` after ``params[query.cursor]`` up to ``upto``, all of them, in key order.

    Read by the query's ``rows`` query when it names one and the window fits the page (``takes``,
    its parameters): the same rows without SKIP, LIMIT or ORDER BY, which cost LadybugDB more
    than the read itself (a SKIP or LIMIT parameter makes it plan the statement again on every
    call); they are put in key order here.
    """
    if query.rows is None or takes is None:
        return read(query.name, params | {"upto": upto, "limit": _LARGEST_PAGE})
    rows = read(query.rows, {k: v for k, v in params.items() if k in takes and k != "limit"} | {"upto": upto})
    rows.sort(key=_SORT_KEY)
    return rows


_SORT_KEY = itemgetter("sort_key")


# Window and page read again when a write fell between them, at most this many times.
_ATTEMPTS = 3
# A bound page (after < key <= upto) holds about ``limit`` rows; the query's own limit only
# guards against a runaway, at the catalogue's largest page.
_LARGEST_PAGE = 10_000
