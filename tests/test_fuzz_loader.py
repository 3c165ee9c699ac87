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
from policykg.graph.model import ParsedDocument, Target
from policykg.loaders import parse_file, parse_text, targets
from policykg.loaders.industries import IndustryDictionary
from policykg.loaders.registry import AgencyRegistry

pytestmark = pytest.mark.slow

REGISTRY = AgencyRegistry.load_default()
INDUSTRIES = IndustryDictionary.load_default()
_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large]


def fuzz(examples: int) -> settings:
    """A bounded budget per test: ``examples`` inputs. No per-example deadline (speed belongs in
    bench/); a hang is stopped by pytest-timeout."""
    return settings(max_examples=examples, deadline=None, suppress_health_check=_CHECKS)


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


LONG_LINE_PIECES = CLAUSE_PIECES + AGENCIES


@fuzz(150)
@given(
    st.sampled_from(LONG_LINE_PIECES),
    st.integers(2_000, 40_000),
    st.sampled_from(["", "\n"]),
)
def test_very_long_lines(piece: str, repeat: int, tail: str) -> None:
    _parse_text(f"1.推进改造。{piece * (repeat // max(1, len(piece)))}（责任单位：省经信委）{tail}")


@pytest.mark.source  # (patches a function inside the targets module)
@pytest.mark.parametrize("phrase", ["力争到2020年，新增", "2019年底前", "新增25家"])
def test_a_long_run_of_target_or_deadline_phrases_is_read_in_bounded_pieces(
    phrase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The work of target reading stays linear in a 12,000-character run-on line of goal or date
    phrases: no piece handed to the per-sentence reader is longer than 2,000 characters (real
    sentences are under 600), and all pieces together are a small multiple of the text — not
    the whole line again for every date in it, as when each date re-read its sentence."""
    read: list[int] = []
    read_sentence = targets._sentence_targets

    def counting(reading: targets._Reading) -> list[Target]:
        read.append(len(reading.sentence))
        return read_sentence(reading)

    monkeypatch.setattr(targets, "_sentence_targets", counting)
    text = f"1.推进改造。{phrase * (12_000 // len(phrase))}（责任单位：省经信委）"
    result = parse_text(text, source="long.txt", registry=REGISTRY, industries=INDUSTRIES)

    assert result.measures, "the line is one measure with its responsible agency"
    assert read, "the targets of the line were read"
    assert max(read) <= 2_000
    assert sum(read) <= 4 * len(text)


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
    chunks = [text[i :: len(encodings)] for i in range(len(encodings))]
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
