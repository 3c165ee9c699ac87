"""The embedded store's key index: each agency's assignments in buckets of consecutive sort keys.

LadybugDB indexes primary keys only. "The next 100 measures an agency leads after a key"
therefore reads every ASSIGNED relationship of the agency and sorts their keys: at a million
measures the busiest agency has about 40,000 of them, and its first page cost 2.5 times the
one at 100,000. The index files every ASSIGNED row a second time, under a bucket of its
agency holding a few hundred consecutive keys::

    (Agency)-[:HAS_KEYS]->(KeyBucket {id, agency, lo, hi, n})-[:FILED {role, as_written, position, sort_key}]->(Measure)

so a page reads the agency's bucket list, then one or two buckets by their primary key
(:mod:`policykg.queries.indexed`). Neo4j needs none of it: its pages are one read.

What a page relies on, kept by the embedded store in the very transaction that writes the
assignments (:func:`file_assignments`):

1. every ASSIGNED row has one FILED row, in a bucket of its agency; a deleted measure takes
   both along (DETACH DELETE);
2. an agency's buckets hold disjoint ranges: sorted by ``lo``, bucket i holds keys in
   [lo_i, lo_i+1), and its ``hi`` is at least every key it holds.

``n``, the rows a bucket holds, is exact once written and may be high after deletions; it
only decides when a bucket is cut: past ``2 * target`` rows, into buckets of about ``target``.

>>> [len(c) for c in _chunks([{"sort_key": k} for k in (1, 2, 3, 3, 3, 4, 5)], 2)]
[2, 3, 2]
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Protocol

from policykg.errors import StoreError
from policykg.graph.store import Row

# A bucket holds about this many keys; one past twice as many is cut.
TARGET_ROWS = 512

# The tables, in the form schema.NODES/RELS give the store's own (checked on open likewise).
NODE_TABLES: dict[str, dict[str, str]] = {
    "KeyBucket": {"id": "STRING", "agency": "STRING", "lo": "INT64", "hi": "INT64", "n": "INT64"}
}
REL_TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "HAS_KEYS": ("Agency", "KeyBucket", {}),
    "FILED": (
        "KeyBucket",
        "Measure",
        {"role": "STRING", "as_written": "STRING", "position": "INT64", "sort_key": "INT64"},
    ),
}
FILED_COLUMNS = ("from", "to", "role", "as_written", "position", "sort_key")

_BUCKETS_OF = "MATCH (a:Agency)-[:HAS_KEYS]->(b:KeyBucket) WHERE a.id IN $agencies RETURN a.id, b.id, b.lo, b.hi, b.n"
# Buckets a deletion emptied: they would only cost a page a read each (and hold a range no key needs).
_DROP_EMPTY = "MATCH (b:KeyBucket) WHERE NOT (b)-[:FILED]->(:Measure) DETACH DELETE b"
_FILED_IN = (
    "MATCH (b:KeyBucket {id: $bucket})-[f:FILED]->(m:Measure) RETURN m.id, f.role, f.as_written, f.position, f.sort_key"
)
_UNFILE = "MATCH (b:KeyBucket {id: $bucket})-[f:FILED]->(:Measure) DELETE f"
_NEW_BUCKETS = (
    "UNWIND $rows AS r CREATE (b:KeyBucket {id: r.id, agency: r.agency, lo: r.lo, hi: r.hi, n: r.n}) RETURN count(*)"
)
_HAS_KEYS = (
    "UNWIND $rows AS r MATCH (a:Agency {id: r.agency}) MATCH (b:KeyBucket {id: r.id}) "
    "CREATE (a)-[:HAS_KEYS]->(b) RETURN count(*)"
)
_RESIZE = "UNWIND $rows AS r MATCH (b:KeyBucket {id: r.id}) SET b.lo = r.lo, b.hi = r.hi, b.n = r.n RETURN count(*)"
_ASSIGNED_PER_AGENCY = "MATCH (a:Agency)-[r:ASSIGNED]->(:Measure) RETURN a.id, count(r)"
_ASSIGNED_OF = (
    "MATCH (a:Agency)-[r:ASSIGNED]->(m:Measure) WHERE a.id IN $agencies "
    "RETURN a.id, m.id, r.role, r.as_written, r.position, r.sort_key"
)
_SORT_KEY = itemgetter("sort_key")


class IndexIO(Protocol):
    """What the index needs of the store's open transaction."""

    def rows(self, cypher: str, params: dict[str, Any]) -> list[list[Any]]:
        """Run a statement, its result rows as value lists."""
        ...

    def file(self, records: list[list[Any]]) -> None:
        """Create FILED relationships from value lists in :data:`FILED_COLUMNS` order (all of them,
        or raise :class:`StoreError`)."""
        ...


@dataclass(slots=True)
class _Bucket:
    id: str
    agency: str
    lo: int
    hi: int
    n: int

    def as_row(self) -> Row:
        return {"id": self.id, "agency": self.agency, "lo": self.lo, "hi": self.hi, "n": self.n}


def file_assignments(io: IndexIO, assignments: Sequence[Row], *, target: int = TARGET_ROWS) -> None:
    """File new ASSIGNED rows (``from`` the agency, ``to`` the measure, ``role``, ``as_written``,
    ``position``, ``sort_key``) in their agencies' buckets, cutting any bucket they overfill."""
    by_agency: dict[str, list[Row]] = {}
    for row in assignments:
        if row.get("sort_key") is None:
            raise StoreError(
                f"An assignment of {row.get('from')!r} to {row.get('to')!r} has no sort_key; "
                "the embedded store files assignments by it (policykg.ingest.assignment_sort_key)."
            )
        by_agency.setdefault(row["from"], []).append(row)
    held: dict[str, list[_Bucket]] = {}
    for agency, bucket_id, lo, hi, n in io.rows(_BUCKETS_OF, {"agencies": sorted(by_agency)}):
        held.setdefault(agency, []).append(_Bucket(bucket_id, agency, lo, hi, n))
    created: list[_Bucket] = []
    resized: dict[str, _Bucket] = {}
    records: list[list[Any]] = []
    for agency, rows in by_agency.items():
        rows.sort(key=_SORT_KEY)
        buckets = sorted(held.get(agency, ()), key=lambda b: b.lo)
        if not buckets:
            created += _fill(agency, _chunks(rows, target), records)
            continue
        starts = [b.lo for b in buckets]
        placed: dict[int, list[Row]] = {}
        for row in rows:
            # The bucket of the greatest lo at or below the key; a key below every lo, the first.
            placed.setdefault(max(bisect_right(starts, row["sort_key"]) - 1, 0), []).append(row)
        for index, added in placed.items():
            bucket = buckets[index]
            if bucket.n + len(added) <= 2 * target:
                bucket.lo = min(bucket.lo, added[0]["sort_key"])
                bucket.hi = max(bucket.hi, added[-1]["sort_key"])
                bucket.n += len(added)
                resized[bucket.id] = bucket
                records += (_record(bucket.id, row) for row in added)
                continue
            # Too full: the bucket's rows and the new ones, cut into buckets of ``target``.
            kept = [_row(found) for found in io.rows(_FILED_IN, {"bucket": bucket.id})]
            io.rows(_UNFILE, {"bucket": bucket.id})
            first, *rest = _chunks(sorted(kept + added, key=_SORT_KEY), target)
            bucket.lo = min(bucket.lo, first[0]["sort_key"])
            bucket.hi = first[-1]["sort_key"]
            bucket.n = len(first)
            resized[bucket.id] = bucket
            records += (_record(bucket.id, row) for row in first)
            created += _fill(agency, rest, records)
    if created:
        rows_of_created = [b.as_row() for b in created]
        _all_matched(io.rows(_NEW_BUCKETS, {"rows": rows_of_created}), len(created), "new buckets")
        _all_matched(io.rows(_HAS_KEYS, {"rows": rows_of_created}), len(created), "bucket owners")
    if resized:
        _all_matched(io.rows(_RESIZE, {"rows": [b.as_row() for b in resized.values()]}), len(resized), "buckets")
    if records:
        io.file(records)


def first_filing(assignments: Sequence[Row], *, target: int = TARGET_ROWS) -> list[tuple[str, list[list[Any]]]]:
    """The index's rows for ``assignments`` of agencies that have no bucket yet, per table
    (``KeyBucket``, ``HAS_KEYS``, ``FILED``) as value lists in COPY column order: what the store
    writes besides the graph's own rows on a first load (``bench/bench_ingest.py`` copies them
    too, to compare the store with one bulk COPY of everything it holds)."""
    by_agency: dict[str, list[Row]] = {}
    for row in assignments:
        by_agency.setdefault(row["from"], []).append(row)
    buckets: list[_Bucket] = []
    records: list[list[Any]] = []
    for agency, rows in by_agency.items():
        buckets += _fill(agency, _chunks(sorted(rows, key=_SORT_KEY), target), records)
    return [
        ("KeyBucket", [[b.id, b.agency, b.lo, b.hi, b.n] for b in buckets]),
        ("HAS_KEYS", [[b.agency, b.id] for b in buckets]),
        ("FILED", records),
    ]


def drop_empty_buckets(io: IndexIO) -> None:
    """Remove the buckets deletions emptied (a document removed or replaced takes its FILED rows along)."""
    io.rows(_DROP_EMPTY, {})


def _all_matched(result: list[list[Any]], expected: int, what: str) -> None:
    found = result[0][0] if result and result[0] else 0
    if found != expected:
        raise StoreError(f"The key index found {found} of {expected} {what} it was writing.")


def drop_all(io: IndexIO) -> None:
    """Empty the index (the first step of a rebuild)."""
    io.rows("MATCH (b:KeyBucket) DETACH DELETE b", {})


def rebuild_groups(io: IndexIO, *, rows_per_read: int = 200_000) -> list[list[str]]:
    """The agencies with assignments, in groups of about ``rows_per_read`` assignments: a rebuild
    files each group in a transaction of its own (:func:`file_agencies`), so its memory stays bounded."""
    groups: list[list[str]] = [[]]
    held = 0
    for agency, count in sorted(io.rows(_ASSIGNED_PER_AGENCY, {})):
        if groups[-1] and held + count > rows_per_read:
            groups.append([])
            held = 0
        groups[-1].append(agency)
        held += count
    return [group for group in groups if group]


def file_agencies(io: IndexIO, agencies: list[str], *, target: int = TARGET_ROWS) -> None:
    """File every ASSIGNED row of ``agencies`` (none of which has a bucket yet)."""
    found = io.rows(_ASSIGNED_OF, {"agencies": agencies})
    file_assignments(io, [dict(zip(FILED_COLUMNS, row, strict=True)) for row in found], target=target)


def _fill(agency: str, chunks: list[list[Row]], records: list[list[Any]]) -> list[_Bucket]:
    buckets = []
    for chunk in chunks:
        bucket = _Bucket(
            f"{agency}#{uuid.uuid4().hex[:16]}", agency, chunk[0]["sort_key"], chunk[-1]["sort_key"], len(chunk)
        )
        records += (_record(bucket.id, row) for row in chunk)
        buckets.append(bucket)
    return buckets


def _chunks(rows: list[Row], target: int) -> list[list[Row]]:
    """Sorted rows in runs of about ``target``, never parting rows of one key (a bucket's range ends
    where the next one's starts)."""
    pieces = max(1, -(-len(rows) // target))
    size = -(-len(rows) // pieces)
    chunks: list[list[Row]] = []
    start = 0
    while start < len(rows):
        end = min(start + size, len(rows))
        while end < len(rows) and rows[end]["sort_key"] == rows[end - 1]["sort_key"]:
            end += 1
        chunks.append(rows[start:end])
        start = end
    return chunks


def _row(found: list[Any]) -> Row:
    measure, role, as_written, position, sort_key = found
    return {"to": measure, "role": role, "as_written": as_written, "position": position, "sort_key": sort_key}


_record_values: Callable[[Row], tuple[Any, ...]] = itemgetter("to", "role", "as_written", "position", "sort_key")


def _record(bucket: str, row: Row) -> list[Any]:
    return [bucket, *_record_values(row)]
