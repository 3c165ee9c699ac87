"""Fuzzing the loader: whatever the input, a parse or an InputError that names the file — never a crash.

Hypothesis generates about 10,250 inputs over these tests (each example bounded in size and
time): malformed and unbalanced responsibility clauses, very long lines, control
characters, text in mixed encodings, and random or damaged bytes written to .txt, .html
and .docx files read through :func:`parse_file`. tests/test_parse_robustness.py checks the
invariants of successful parses over real pieces; here the point is the failure mode.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykg.errors import InputError
from policykg.graph.model import ParsedDocument
from policykg.loaders import parse_file, parse_text
from policykg.loaders.industries import IndustryDictionary
from policykg.loaders.registry import AgencyRegistry

pytestmark = pytest.mark.slow

REGISTRY = AgencyRegistry.load_default()
INDUSTRIES = IndustryDictionary.load_default()
_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large]


def fuzz(examples: int) -> settings:
    """A bounded budget per test: ``examples`` inputs, each within two seconds."""
    return settings(max_examples=examples, deadline=2000, suppress_health_check=_CHECKS)

AGENCIES = ["省经信委", "省科技厅", "商务部", "国家发展改革委", "省发展改革委", "各设区市政府", "某某办"]
CLAUSE_PIECES = [
    "（", "）", "(", ")", "【", "】", "〔", "〕", "《", "》", "“", "”", "、", "，", ",", "；", "：", ":", "。",
    "责任单位", "牵头单位", "配合单位", "负责", "牵头", "配合", "会同", "列第一位者为牵头单位", "以下同", "下同",
    "一、", "（一）", "1.", "2．", "①", "\n", "\n", " | ", "序号 | 任务 | 牵头单位 | 配合单位",
    "力争到2020年，新增", "25家", "2019年底前", "附件", "浙政发〔2017〕23号", "\t", "\u3000", "\ufeff",
]  # fmt: skip
CONTROL = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127, 0x85, 0x2028, 0x2029, 0x200B, 0xFFFD)]


def _check(result: ParsedDocument | None, error: InputError | None, name: str) -> None:
    if error is not None:
        message = str(error)
        assert name in message, f"the error does not name the file: {message}"
        assert message.rstrip().endswith((".", "。", ")", "）")), f"not a sentence: {message}"
        return
    assert isinstance(result, ParsedDocument)
    for measure in result.measures:
        start, end = measure.span
        assert result.text[start:end] == measure.text


def _parse_text(text: str, name: str = "fuzz.txt") -> None:
    result, error = None, None
    try:
        result = parse_text(text, source=name, registry=REGISTRY, industries=INDUSTRIES)
    except InputError as caught:
        error = caught
    _check(result, error, name)


def _parse_bytes(directory: Path, suffix: str, data: bytes) -> None:
    path = directory / f"fuzz{suffix}"
    path.write_bytes(data)
    result, error = None, None
    try:
        result = parse_file(path, registry=REGISTRY, industries=INDUSTRIES)
    except InputError as caught:
        error = caught
    _check(result, error, str(path))


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="policykg-fuzz-") as tmp:
        yield Path(tmp)


# ------------------------------------------------------------------------------ text


clause = st.lists(st.sampled_from(CLAUSE_PIECES + AGENCIES), max_size=40).map("".join)
item = st.builds(
    lambda number, body, units, rule, close: f"{number}.{body}（责任单位：{'、'.join(units)}{rule}{close}",
    st.integers(0, 200),
    st.text(alphabet="推进改造建设平台企业产业机器人，。", max_size=60),
    st.lists(st.sampled_from(AGENCIES), max_size=5),
    st.sampled_from(["", "，列第一位者为牵头单位，以下同", "，列第一位者为牵头单位"]),
    st.sampled_from(["）", "", ")", "））", "（"]),
)


@fuzz(2000)
@given(st.lists(st.one_of(clause, item), max_size=30).map("\n".join))
def test_malformed_and_unbalanced_clauses(text: str) -> None:
    _parse_text(text)


@fuzz(1600)
@given(st.lists(st.sampled_from(CLAUSE_PIECES + AGENCIES + CONTROL), max_size=60).map("".join))
def test_control_characters_among_clause_pieces(text: str) -> None:
    _parse_text(text)


@fuzz(1500)
@given(st.text(max_size=400))
def test_arbitrary_unicode_text(text: str) -> None:
    _parse_text(text)


# Target and deadline phrases are left out here: a long run of either is quadratic (the test after this one).
LONG_LINE_PIECES = [p for p in CLAUSE_PIECES + AGENCIES if p not in ("力争到2020年，新增", "2019年底前")]


@fuzz(150)
@given(
    st.sampled_from(LONG_LINE_PIECES),
    st.integers(2_000, 40_000),
    st.sampled_from(["", "\n"]),
)
def test_very_long_lines(piece: str, repeat: int, tail: str) -> None:
    _parse_text(f"1.推进改造。{piece * (repeat // max(1, len(piece)))}（责任单位：省经信委）{tail}")


@pytest.mark.xfail(
    reason="parser bug (reported): target and deadline extraction are quadratic in a long run of their "
    "phrases (力争到2020年，新增 ×: 10k chars 2.7 s, 20k 9.6 s, 40k 39 s of CPU; 2019年底前 ×: 20k chars 7 s), "
    "so one crafted line can stall a load or an upload",
    strict=True,
)
@pytest.mark.parametrize("phrase", ["力争到2020年，新增", "2019年底前"])
def test_a_long_run_of_target_or_deadline_phrases_parses_in_linear_time(phrase: str) -> None:
    import time

    line = phrase * (12_000 // len(phrase))  # about 12,000 characters on one line
    started = time.process_time()
    parse_text(f"1.推进改造。{line}（责任单位：省经信委）", source="long.txt", registry=REGISTRY, industries=INDUSTRIES)
    seconds = time.process_time() - started
    # Other pieces of the same length take about 0.02 s (test_very_long_lines); allow 50 times that.
    assert seconds < 1.0, f"{seconds:.1f} s of CPU for {len(line)} characters"


# ------------------------------------------------------------------------------ files


@fuzz(1500)
@given(st.binary(max_size=2000))
def test_random_bytes_as_txt(scratch: Path, data: bytes) -> None:
    _parse_bytes(scratch, ".txt", data)


@fuzz(1000)
@given(st.binary(max_size=2000))
def test_random_bytes_as_html(scratch: Path, data: bytes) -> None:
    _parse_bytes(scratch, ".html", data)


@fuzz(600)
@given(st.binary(max_size=2000))
def test_random_bytes_as_docx(scratch: Path, data: bytes) -> None:
    _parse_bytes(scratch, ".docx", data)


@fuzz(600)
@given(
    st.lists(st.one_of(clause, item), min_size=1, max_size=10).map("\n".join),
    st.lists(st.sampled_from(["utf-8", "gb18030", "utf-16", "big5", "latin-1"]), min_size=1, max_size=3),
)
def test_mixed_encodings(scratch: Path, text: str, encodings: list[str]) -> None:
    """Pieces of one text encoded differently and glued together (a file pasted from several sources)."""
    chunks = [text[i::len(encodings)] for i in range(len(encodings))]
    data = b"".join(chunk.encode(encoding, errors="replace") for chunk, encoding in zip(chunks, encodings, strict=True))
    _parse_bytes(scratch, ".txt", data)


@fuzz(600)
@given(st.lists(st.one_of(clause, item, st.sampled_from(CONTROL)), max_size=15), st.booleans())
def test_malformed_html(scratch: Path, pieces: list[str], close_tags: bool) -> None:
    cells = "".join(f"<td>{p}" + ("</td>" if close_tags else "") for p in pieces)
    html = f"<html><body><p>{'<br>'.join(pieces)}<table><tr>{cells}<tr><td rowspan=x colspan=99>1</table>"
    _parse_bytes(scratch, ".html", html.encode("utf-8"))


def _docx_bytes(paragraphs: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


VALID_DOCX = _docx_bytes(["分工方案", "1.推进改造。（责任单位：省经信委、省科技厅）"])


@fuzz(400)
@given(st.lists(st.tuples(st.integers(0, len(VALID_DOCX) - 1), st.integers(0, 255)), min_size=1, max_size=20))
def test_damaged_docx(scratch: Path, flips: list[tuple[int, int]]) -> None:
    """A real .docx with bytes overwritten: a zip that may not open, or opens with broken XML."""
    data = bytearray(VALID_DOCX)
    for offset, value in flips:
        data[offset] = value
    _parse_bytes(scratch, ".docx", bytes(data))


@fuzz(300)
@given(st.lists(st.sampled_from([*CLAUSE_PIECES, *AGENCIES, "<", ">", "&", "<w:p>", "</w:t>"]), max_size=40))
def test_docx_with_garbage_document_xml(scratch: Path, pieces: list[str]) -> None:
    """A well-formed zip whose word/document.xml is not WordprocessingML (or not XML at all)."""
    body = "".join(pieces)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID_DOCX)) as original, zipfile.ZipFile(out, "w") as damaged:
        for info in original.infolist():
            content = original.read(info.filename)
            if info.filename == "word/document.xml":
                content = body.encode("utf-8")
            damaged.writestr(info, content)
    _parse_bytes(scratch, ".docx", out.getvalue())
