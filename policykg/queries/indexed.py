"""Pages read through a store's index: the embedded store's agency key index.

A query with the header ``// index: agency_keys`` (``agency_measures``) is paged here on a
store that keeps that index (:mod:`policykg.graph.key_index`): the agency's bucket list,
then the next keys bucket by bucket until the page is full (one or two buckets of a few
hundred keys), then the page's rows from those buckets. What a page reads no longer grows
with the agency's assignments, so its time stays about the same from 100,000 measures to a
million. The reads are the internal queries of ``cypher/index/`` (read-only, never served by
the API or the CLI).

A page the index does not fit (a filter it does not take, such as one document, or a role
the agency seldom takes, spread over more than :data:`MAX_BUCKETS` buckets), or one whose
reads keep seeing a write land between them, is left to :func:`~policykg.queries.keyset.read_keyset_page`
(None here).

>>> sorted(index_catalogue().queries)
['agency_bucket_keys', 'agency_bucket_rows', 'agency_key_buckets']
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from operator import itemgetter
from typing import Any

from policykg.graph.key_index import TARGET_ROWS
from policykg.graph.store import Row
from policykg.queries.catalogue import QUERY_DIR, Catalogue, NamedQuery
from policykg.queries.keyset import KeysetPage, Reader, encode_cursor, rows_match_keys

INDEXES = frozenset({"agency_keys"})
INDEX_DIR = QUERY_DIR / "index"
# Buckets one page reads at most before it leaves the page to a scan (a role seldom taken).
MAX_BUCKETS = 8
# Keys a bucket holds at the least when no deletion thinned it (half of key_index.TARGET_ROWS):
# a page of MAX_BUCKETS times as many rows goes by the window at once (read_all's pages of 10,000).
_FEWEST_KEYS = TARGET_ROWS // 2
# The parameters the index takes; any other set away from its default (a document, an offset, an
# upper key) makes the page a scan.
_TAKES = frozenset({"name", "role", "after", "limit"})
# Reads of a page again when a write fell between them, at most.
_ATTEMPTS = 3
_LO = itemgetter("lo")
_SORT_KEY = itemgetter("sort_key")


@cache
def index_catalogue() -> Catalogue:
    """The internal reads of store indexes (``cypher/index/``)."""
    return Catalogue.load_of_mode(INDEX_DIR, "read", "the index reads")


def read_indexed_page(
    read: Reader,
    query: NamedQuery,
    bound: dict[str, Any],
    limit: int,
    *,
    version: Callable[[], str] | None = None,
    max_buckets: int = MAX_BUCKETS,
) -> KeysetPage | None:
    """The page of ``query`` after ``bound[query.cursor]`` through the agency key index, as
    :func:`~policykg.queries.keyset.read_keyset_page` would read it; None when the index does not
    fit (or the page would take more than ``max_buckets`` buckets).

    ``read(name, params)`` runs one of :func:`index_catalogue`'s queries; ``version()`` is the
    store's version (:meth:`~policykg.graph.store.GraphStore.version`): a write landing between
    the reads (a bucket cut in two moves keys out of the buckets listed) shows there, and the
    page is read again.
    """
    if query.index != "agency_keys" or query.cursor is None or limit >= max_buckets * _FEWEST_KEYS:
        return None
    for param in query.params:
        if param.name not in _TAKES and bound.get(param.name, param.default) != param.default:
            return None
    name, role, after = bound["name"], bound["role"], bound[query.cursor]
    for _ in range(_ATTEMPTS):
        before = version() if version is not None else ""

        def unchanged(before: str = before) -> bool:
            return version is None or version() == before

        buckets = sorted(read("agency_key_buckets", {"name": name, "after": after}), key=_LO)
        keys: list[int] = []
        taken: list[tuple[str, list[int]]] = []
        for bucket in buckets:
            if len(taken) == max_buckets:
                return None
            found = read(
                "agency_bucket_keys",
                {"bucket": bucket["id"], "role": role, "after": after, "limit": limit + 1 - len(keys)},
            )
            got: list[int] = found[0]["keys"] if found else []
            taken.append((bucket["id"], got))
            keys += got
            if len(keys) > limit:
                break
        if not keys:
            if not unchanged():
                continue
            return KeysetPage([], False, None)
        has_more = len(keys) > limit
        upto = keys[min(limit, len(keys)) - 1]
        rows: list[Row] = []
        for bucket_id, got in taken:
            if got and got[0] <= upto:
                rows += read("agency_bucket_rows", {"bucket": bucket_id, "role": role, "after": after, "upto": upto})
        rows.sort(key=_SORT_KEY)
        # A write between the reads shows as another version, or as other keys: read again.
        if unchanged() and rows_match_keys(rows, keys, upto):
            agency = buckets[0]["agency"]
            page = [{"agency": agency, **row} for row in rows]
            cursor = encode_cursor(query.name, bound, page[-1]["sort_key"]) if has_more else None
            return KeysetPage(page, has_more, cursor)
    return None
