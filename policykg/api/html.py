"""A plain, dependency-free HTML view of rows (datasette style): every resource readable in a browser.

>>> "<td>省经信委</td>" in html_table([{"name": "省经信委"}])
True
>>> "&lt;script&gt;" in html_table([{"name": "<script>"}])
True
"""

from __future__ import annotations

import html
import json
from typing import Any

from starlette.requests import Request

from policykg.api.links import relative_url
from policykg.graph.store import Row

_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}
th{background:#f3f3f3;text-align:left}tr:nth-child(even) td{background:#fafafa}
nav a{margin-right:1rem}.meta{color:#666;font-size:.85rem}
"""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "<br>".join(html.escape(str(v)) for v in value)
    if isinstance(value, dict | list):
        return "<code>" + html.escape(json.dumps(value, ensure_ascii=False)) + "</code>"
    return html.escape(str(value))


def html_table(rows: list[Row], columns: list[str] | None = None) -> str:
    names = columns or (list(rows[0]) if rows else [])
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    body = "".join("<tr>" + "".join(f"<td>{_cell(row.get(n))}</td>" for n in names) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_record(row: Row) -> str:
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{_cell(v)}</td></tr>" for k, v in row.items())
    return f"<table><tbody>{body}</tbody></table>"


def html_page(
    title: str,
    request: Request,
    rows: list[Row],
    columns: list[str] | None,
    *,
    next_url: str | None = None,
    record: bool = False,
    sections: dict[str, list[Row]] | None = None,
) -> str:
    json_url = html.escape(relative_url(request, format="json"))
    csv_url = html.escape(relative_url(request, format="csv"))
    parts = [
        f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<nav><a href='/agencies?format=html'>agencies</a><a href='/documents?format=html'>documents</a>"
        "<a href='/measures?format=html'>measures</a><a href='/targets?format=html'>targets</a>"
        "<a href='/industries?format=html'>industries</a><a href='/queries?format=html'>queries</a>"
        "<a href='/docs'>API docs</a></nav>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p class='meta'><a href='{json_url}'>JSON</a> · <a href='{csv_url}'>CSV</a></p>",
        html_record(rows[0]) if record and rows else html_table(rows, columns),
    ]
    for name, section_rows in (sections or {}).items():
        parts.append(f"<h2>{html.escape(name)}</h2>")
        parts.append(html_table(section_rows))
    if next_url:
        parts.append(f"<p><a href='{html.escape(next_url)}'>next page →</a></p>")
    parts.append("</body></html>")
    return "".join(parts)
