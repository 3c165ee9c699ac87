"""What falls due when, and on whom: deadlines and target years on a monthly timeline.

Two kinds of date are put on the timeline: a measure's **deadline** (the 完成时限 as one ISO day,
see :mod:`policykg.loaders.due_dates`) and a **target**'s year (力争到2020年… is due by the end of
2020). Each entry keeps the agency's role, so a chart can stack lead, support and joint.

>>> entries = [TimelineEntry("2017-12-31", "deadline", "lead", "省经信委", "m1", "1", "到2017年底…", False),
...            TimelineEntry("2020-12-31", "target", "lead", "省经信委", "m2", "2", "新增工业机器人20000台", False)]
>>> [(row["month"], row["lead"]) for row in by_month(entries)]
[('2017-12', 1), ('2020-12', 1)]
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any, Literal

from policykg import queries
from policykg.graph.store import GraphStore

Kind = Literal["deadline", "target"]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    due_date: str
    kind: Kind
    role: str
    agency: str
    measure_id: str
    ref: str
    label: str
    derived: bool

    @property
    def month(self) -> str:
        return self.due_date[:7]

    def as_dict(self) -> dict[str, Any]:
        return {"month": self.month, **asdict(self)}


def read_timeline(store: GraphStore, agency: str = "", role: str = "any") -> list[TimelineEntry]:
    """Deadlines and target years of one agency (its id; empty: every agency), earliest first."""
    entries: list[TimelineEntry] = []
    # Target rows list agencies by name; the id (浙江省:省经信委) is matched to its name.
    found = queries.read(store, "agency_lookup", {"name": agency}) if agency else []
    name = found[0]["name"] if found and found[0]["id"] == agency else agency
    for row in queries.read_all(store, "deadlines", {"agency": agency, "role": role}):
        entries.append(
            TimelineEntry(
                row["due_date"],
                "deadline",
                row["role"],
                row["agency"],
                row["id"],
                row["ref"],
                row["deadline"] or "",
                bool(row["due_date_derived"]),
            )
        )
    for row in queries.read_all(store, "targets", {"agency": agency, "role": role}):
        if not row.get("year"):
            continue
        for named, held in _roles_of(row, name):
            if role not in ("any", held):
                continue
            entries.append(
                TimelineEntry(
                    f"{int(row['year']):04d}-12-31",
                    "target",
                    held,
                    named,
                    row["measure_id"],
                    row["ref"],
                    row["text"] or row["metric"] or "",
                    False,
                )
            )
    return sorted(entries, key=lambda e: (e.due_date, e.kind, e.measure_id, e.agency))


def by_month(entries: list[TimelineEntry]) -> list[dict[str, Any]]:
    """One row per month: how many deadlines and targets fall due, by role."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry in entries:
        month = counts[entry.month]
        month[entry.role] += 1
        month[entry.kind + "s"] += 1
    return [
        {"month": month, **{key: values.get(key, 0) for key in ("lead", "support", "joint", "deadlines", "targets")}}
        for month, values in sorted(counts.items())
    ]


def overdue(entries: list[TimelineEntry], as_of: str) -> list[TimelineEntry]:
    """Entries due before ``as_of`` (an ISO date)."""
    return [e for e in entries if e.due_date < as_of]


def timeline_chart(entries: list[TimelineEntry], *, title: str = "", fmt: str = "png") -> bytes:
    """Bars per month, stacked by role (lead, support, joint); deadlines and targets together."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from policykg.analytics.charts import ROLE_COLOURS, _use_cjk_font

    _use_cjk_font()
    months = by_month(entries)
    labels = [row["month"] for row in months]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.45 * len(labels) + 2), 4))
    bottom = [0] * len(months)
    for role, colour in ROLE_COLOURS.items():
        values = [row[role] for row in months]
        ax.bar(range(len(months)), values, bottom=bottom, color=colour, label=role)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(range(len(months)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_ylabel("measures and targets falling due")
    ax.set_title(title or "What falls due per month")
    ax.legend()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def _roles_of(row: dict[str, Any], agency: str) -> list[tuple[str, str]]:
    lead, joint = list(row.get("lead") or []), list(row.get("joint") or [])
    if agency:
        held = "lead" if agency in lead else "joint" if agency in joint else "support"
        return [(agency, held)]
    return [(name, "lead") for name in lead] + [(name, "joint") for name in joint]
