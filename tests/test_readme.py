"""README.md as a new user follows it: every `policykg` and `curl` line of its ``sh`` blocks runs
against the demo (``policykg demo`` into a fresh store, ``policykg serve`` on a free port), and
what its comments claim (counts, names, content types) is checked.

Each runnable line must have a check below, so a line added to the README without one fails
here. ``text`` blocks are synopses with placeholders and are not run.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fixtures_demo import DemoServer, policykg_command

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DEMO_URL = "http://127.0.0.1:8000"
MEASURES = r"(\d+) measures"


@dataclass
class Ran:
    line: str
    comment: str
    code: int
    out: str
    err: str
    cwd: Path
    content_type: str = ""
    status: int = 0


def readme_lines() -> list[tuple[str, str]]:
    """(command, comment) for every policykg/curl line of the README's ``sh`` blocks."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for raw in block.splitlines():
            command, _, comment = raw.partition("  #")
            command = command.strip()
            if command.startswith(("policykg", "curl ")):
                lines.append((command, comment.strip()))
    return lines


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def claimed(comment: str, pattern: str) -> int:
    found = re.search(pattern, comment)
    assert found, f"the README comment {comment!r} does not say {pattern}"
    return int(found.group(1))


def _parse_table(ran: Ran) -> None:
    summary = ran.out.strip().splitlines()[-1]  # "62 measures, 0 warnings"
    assert summary.split(", ")[0] == f"{claimed(ran.comment, MEASURES)} measures"


def _lead_rows(ran: Ran) -> None:
    rows = len([x for x in ran.out.splitlines()[2:] if x.strip()])
    assert rows == claimed(ran.comment, r"the (\d+) measures") and f"{rows} rows" in ran.err
    assert all("lead" in x.split() for x in ran.out.splitlines()[2:] if x.strip())


def _alias_profile(ran: Ran) -> None:
    assert "省环保厅" in ran.comment and "省环保厅" in ran.out


def _narrow_table(ran: Ran) -> None:
    lines = [x for x in ran.out.splitlines() if x.strip()]
    assert max(width(x) for x in lines) <= 100
    assert lines[2].split()[0] == "省经信委" and lines[2].split()[1:3] == ["province", "department"]
    assert all(x.split()[1] == "province" for x in lines[2:])


def _by_document(ran: Ran) -> None:
    assert "doc-" not in ran.out
    assert "国务院关于促进综合保税区高水平开放高质量发展的若干意见" in ran.out and "2019-01-12" in ran.out


def _chart(ran: Ran) -> None:
    assert (ran.cwd / "workload.png").read_bytes().startswith(b"\x89PNG")


def _gexf(ran: Ran) -> None:
    import networkx as nx

    assert "省经信委" in nx.read_gexf(ran.cwd / "network.gexf")


def _json(ran: Ran) -> dict:  # type: ignore[type-arg]
    assert ran.status == 200 and ran.content_type.startswith("application/json"), (ran.status, ran.content_type)
    body: dict = json.loads(ran.out)  # type: ignore[type-arg]
    return body


def _curl_lead(ran: Ran) -> None:
    body = _json(ran)
    assert body["count"] == claimed(ran.comment, MEASURES) and {r["role"] for r in body["rows"]} == {"lead"}


def _curl_search(ran: Ran) -> None:
    rows = _json(ran)["rows"]
    assert rows and all("机器人" in r["text"] for r in rows)


def _curl_alias(ran: Ran) -> None:
    body = _json(ran)
    assert body["data"]["name"] == "省环保厅" and "省环保厅" in ran.comment


def _curl_csv(ran: Ran) -> None:
    assert ran.status == 200 and ran.content_type.startswith("text/csv") and "text/csv" in ran.comment
    line = next(x for x in ran.out.splitlines() if x.startswith("省经信委,"))
    assert ",22,26," in line


def _curl_filtered(ran: Ran) -> None:
    rows = _json(ran)["rows"]
    assert rows and {r["level"] for r in rows} == {"province"} and "省经信委" in {r["agency"] for r in rows}


def _curl_targets_in_jia(ran: Ran) -> None:
    rows = _json(ran)["rows"]
    assert rows and all(r["base_unit"] == "家" for r in rows), rows[:3]


def _curl_targets_metric(ran: Ran) -> None:
    rows = _json(ran)["rows"]
    assert all("机械化率" in (r["metric"] or "") for r in rows)


def _curl_target_year(ran: Ran) -> None:
    assert _json(ran)["rows"]


def _stats_csv(ran: Ran) -> None:
    header = ran.out.splitlines()[0].split(",")
    assert "lead_target_sums" in header and "lead_target_sums" in ran.comment


CHECKS: list[tuple[str, Callable[[Ran], None]]] = [
    (r"^policykg --version$", lambda ran: ran.out.startswith("policykg 0.")),  # type: ignore[func-returns-value]
    (r"^policykg parse .* --format table$", _parse_table),
    (r"^policykg query agency_measures -p name=省经信委 -p role=lead$", _lead_rows),
    (r"^policykg query agency_profile -p name=省环保局$", _alias_profile),
    (r"^policykg stats --level province --kind department$", _narrow_table),
    (r"^policykg stats --by document$", _by_document),
    (r"^policykg chart workload --out workload.png$", _chart),
    (r"^policykg export --format gexf --out network.gexf$", _gexf),
    (r"^curl '.*/agencies/%E7%9C%81%E7%BB%8F%E4%BF%A1%E5%A7%94/measures\?role=lead'$", _curl_lead),
    (r"^curl --get '.*/measures' --data-urlencode 'q=机器人'$", _curl_search),
    (r"^curl '.*/agencies/%E7%9C%81%E7%8E%AF%E4%BF%9D%E5%B1%80'$", _curl_alias),
    (r"^curl '.*/stats/workload\?format=csv'$", _curl_csv),
    (r"^curl '.*/stats/workload\?level=province&kind=department'$", _curl_filtered),
    (
        r"^curl --get '.*/targets\?year=2020' --data-urlencode 'unit=家' --data-urlencode 'lead=省经信委'$",
        _curl_targets_in_jia,
    ),
    (r"^curl --get '.*/targets\?derived=false' --data-urlencode 'metric=机械化率'$", _curl_targets_metric),
    (r"^curl '.*/measures\?target_year=2020'$", _curl_target_year),
    (r"^policykg stats --format csv$", _stats_csv),
]


def check_for(command: str) -> Callable[[Ran], None]:
    matching = [check for pattern, check in CHECKS if re.search(pattern, command)]
    assert len(matching) == 1, f"README line without exactly one check in tests/test_readme.py: {command}"
    return matching[0]


def run(command: str, comment: str, demo: DemoServer, cwd: Path) -> Ran:
    if command.startswith("policykg"):
        args = [*policykg_command(), *shlex.split(command)[1:]]
        done = subprocess.run(args, cwd=cwd, env=demo.env, capture_output=True, text=True, timeout=300)
        return Ran(command, comment, done.returncode, done.stdout, done.stderr, cwd)
    url_command = command.replace(DEMO_URL, demo.base)
    body = cwd / "body"
    args = [*shlex.split(url_command), "-sS", "-o", str(body), "-w", "%{http_code} %{content_type}"]
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)
    status, _, content_type = done.stdout.partition(" ")
    return Ran(
        command,
        comment,
        done.returncode,
        body.read_text(encoding="utf-8"),
        done.stderr,
        cwd,
        content_type,
        int(status or 0),
    )


def test_every_runnable_readme_line_has_a_check() -> None:
    lines = readme_lines()
    assert len(lines) >= 10
    for command, _ in lines:
        check_for(command)


@pytest.mark.parametrize(("command", "comment"), readme_lines(), ids=[c for c, _ in readme_lines()])
def test_readme_line_does_what_it_says(command: str, comment: str, demo_server: DemoServer, tmp_path: Path) -> None:
    # The user's folder is the repository: commands may name policykg/examples/… and write files there.
    for name in ("policykg", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    ran = run(command, comment, demo_server, tmp_path)
    assert ran.code == 0, ran.err[-2000:]
    assert "Traceback" not in ran.err
    check_for(command)(ran)


def test_a_raw_chinese_query_string_is_refused_as_the_readme_says(demo_server: DemoServer) -> None:
    assert "a raw `?q=机器人` is refused" in README.read_text(encoding="utf-8")
    done = subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", f"{demo_server.base}/measures?q=机器人"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout == "400"
