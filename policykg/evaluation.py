"""Scoring the parser against hand-labelled readings (``policykg eval GOLD_DIR``).

A labelled document is a document file beside ``NAME.gold.json`` (or the older
``NAME.expected.json``) in the shape ``docs/gold-format.md`` describes. Gold and parsed records
are paired by ref; the scores are those the project is judged on: records found, agency-set F1,
lead exact, lists with no lead kept joint, target F1, qualifier and deadline accuracy.

>>> from policykg.loaders import parse_text
>>> gold = {"measures": [{"ref": "1", "lead": [], "support": [], "joint": ["海关总署", "商务部"],
...                       "targets": [], "deadline": None}]}
>>> score = score_document("x", parse_text("1.建设平台。（海关总署、商务部负责）", source="x.txt"), gold)
>>> score.records_found, score.agency_f1, score.no_lead_kept_joint
(1.0, 1.0, 1.0)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from policykg.errors import InputError
from policykg.graph.model import Measure, ParsedDocument

GOLD_SUFFIXES = (".gold.json", ".expected.json")
_SPACE = re.compile(r"\s+")
_REF_PUNCT = re.compile(r"[、.．,，]+(?=/|#|$)")

TargetKey = tuple[float | str, str, int | None]


@dataclass(slots=True)
class Counts:
    """Raw counts for one document; scores are ratios of sums, so documents add up exactly."""

    gold_records: int = 0
    parsed_records: int = 0
    paired_records: int = 0
    agency_tp: int = 0
    agency_fp: int = 0
    agency_fn: int = 0
    lead_records: int = 0
    lead_exact: int = 0
    no_lead_records: int = 0
    no_lead_kept: int = 0
    target_tp: int = 0
    target_fp: int = 0
    target_fn: int = 0
    qualifier_right: int = 0
    deadline_records: int = 0
    deadline_right: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self


@dataclass(slots=True)
class DocumentScore:
    """The scores of one labelled document (or, for ``name="overall"``, of a whole set)."""

    name: str
    counts: Counts = field(default_factory=Counts)
    misses: list[str] = field(default_factory=list)

    @property
    def records_found(self) -> float | None:
        return _ratio(self.counts.paired_records, self.counts.gold_records)

    @property
    def agency_f1(self) -> float | None:
        c = self.counts
        return _f1(c.agency_tp, c.agency_fp, c.agency_fn)

    @property
    def lead_exact(self) -> float | None:
        return _ratio(self.counts.lead_exact, self.counts.lead_records)

    @property
    def no_lead_kept_joint(self) -> float | None:
        return _ratio(self.counts.no_lead_kept, self.counts.no_lead_records)

    @property
    def target_precision(self) -> float | None:
        return _ratio(self.counts.target_tp, self.counts.target_tp + self.counts.target_fp)

    @property
    def target_recall(self) -> float | None:
        return _ratio(self.counts.target_tp, self.counts.target_tp + self.counts.target_fn)

    @property
    def target_f1(self) -> float | None:
        c = self.counts
        return _f1(c.target_tp, c.target_fp, c.target_fn)

    @property
    def qualifier_accuracy(self) -> float | None:
        return _ratio(self.counts.qualifier_right, self.counts.target_tp)

    @property
    def deadline_accuracy(self) -> float | None:
        return _ratio(self.counts.deadline_right, self.counts.deadline_records)

    def as_dict(self) -> dict[str, Any]:
        """Scores and the counts behind them, for ``--format json``."""
        return {
            "name": self.name,
            "records_found": self.records_found,
            "agency_f1": self.agency_f1,
            "lead_exact": self.lead_exact,
            "no_lead_kept_joint": self.no_lead_kept_joint,
            "target_precision": self.target_precision,
            "target_recall": self.target_recall,
            "target_f1": self.target_f1,
            "qualifier_accuracy": self.qualifier_accuracy,
            "deadline_accuracy": self.deadline_accuracy,
            "counts": {f.name: getattr(self.counts, f.name) for f in fields(self.counts)},
            "misses": list(self.misses),
        }


@dataclass(frozen=True, slots=True)
class LabelledDocument:
    """A document file and its hand-written reading."""

    name: str
    document: Path
    gold: dict[str, Any]


def find_labelled(gold_dir: Path, documents_dir: Path | None = None) -> list[LabelledDocument]:
    """Every ``*.gold.json`` / ``*.expected.json`` below ``gold_dir`` with its document file.

    The document is the file the reading's ``source`` names, looked up beside the reading, then in
    ``documents_dir``; without ``source``, any other file with the reading's stem.
    """
    if not gold_dir.is_dir():
        raise InputError("The gold folder does not exist or is not a folder.", path=str(gold_dir))
    found: list[LabelledDocument] = []
    for gold_path in sorted(p for p in gold_dir.rglob("*.json") if p.name.endswith(GOLD_SUFFIXES)):
        stem = _stem(gold_path)
        gold = read_gold(gold_path)
        document = _document_for(gold_path, stem, gold.get("source"), documents_dir)
        found.append(LabelledDocument(name=stem, document=document, gold=gold))
    if not found:
        raise InputError(
            "The folder holds no labelled document (NAME.gold.json beside NAME.txt/.html/.docx…).",
            path=str(gold_dir),
        )
    return found


def read_gold(path: Path) -> dict[str, Any]:
    """Read and check one gold file; a malformed one is an error naming the file and line."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(f"The gold file is not valid JSON ({error.msg}).", path=str(path), line=error.lineno) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"The gold file cannot be read ({error}).", path=str(path)) from None
    measures = data.get("measures") if isinstance(data, dict) else None
    if not isinstance(measures, list):
        raise InputError('The gold file has no "measures" list.', path=str(path))
    for index, record in enumerate(measures, start=1):
        if not isinstance(record, dict) or not isinstance(record.get("ref"), str):
            raise InputError(f'Gold record {index} has no "ref".', path=str(path))
    return data


def evaluate(
    labelled: Iterable[LabelledDocument], parse: Callable[[Path], ParsedDocument] | None = None
) -> tuple[list[DocumentScore], DocumentScore]:
    """Parse each labelled document and score it; returns per-document scores and the overall one.

    ``parse`` (a path → :class:`ParsedDocument` callable) defaults to
    :func:`policykg.loaders.parse_file`.
    """
    if parse is None:
        from policykg.loaders import parse_file

        parse = parse_file
    scores: list[DocumentScore] = []
    overall = DocumentScore("overall")
    for item in labelled:
        score = score_document(item.name, parse(item.document), item.gold)
        scores.append(score)
        overall.counts += score.counts
    return scores, overall


def score_document(name: str, parsed: ParsedDocument, gold: dict[str, Any]) -> DocumentScore:
    """Pair gold and parsed records by ref and count what agrees."""
    score = DocumentScore(name)
    c = score.counts
    gold_records: list[dict[str, Any]] = gold["measures"]
    c.gold_records = len(gold_records)
    c.parsed_records = len(parsed.measures)
    unpaired = _by_ref(parsed.measures)
    for record in gold_records:
        gold_names = _gold_names(record)
        gold_lead = Counter(_name(n) for n in record.get("lead") or [])
        gold_targets = _gold_targets(record)
        has_no_lead = not gold_lead and bool(record.get("joint"))
        if gold_lead:
            c.lead_records += 1
        if has_no_lead:
            c.no_lead_records += 1
        candidates = unpaired.get(normalise_ref(record["ref"]))
        if not candidates:
            score.misses.append(f"{record['ref']}: not found")
            c.agency_fn += sum(gold_names.values())
            c.target_fn += sum(gold_targets.values())
            continue
        measure = candidates.pop(0)
        c.paired_records += 1
        names = Counter(_name(a.as_written) for a in measure.assignments)
        tp = sum((names & gold_names).values())
        c.agency_tp += tp
        c.agency_fp += sum(names.values()) - tp
        c.agency_fn += sum(gold_names.values()) - tp
        lead = Counter(_name(a.as_written) for a in measure.lead)
        if gold_lead:
            if lead == gold_lead:
                c.lead_exact += 1
            else:
                score.misses.append(f"{record['ref']}: lead {sorted(lead)} ≠ {sorted(gold_lead)}")
        if has_no_lead:
            if not lead:
                c.no_lead_kept += 1
            else:
                score.misses.append(f"{record['ref']}: lead {sorted(lead)} invented for a list with no lead")
        if gold_names != names:
            score.misses.append(f"{record['ref']}: agencies {sorted(names)} ≠ {sorted(gold_names)}")
        _score_targets(score, record, measure, gold_targets)
        if "deadline" in record:
            c.deadline_records += 1
            if _text(record.get("deadline")) == _text(measure.deadline):
                c.deadline_right += 1
            else:
                score.misses.append(f"{record['ref']}: deadline {measure.deadline!r} ≠ {record.get('deadline')!r}")
    for leftover in unpaired.values():
        for measure in leftover:
            score.misses.append(f"{measure.ref}: parsed but not in the gold reading")
            c.agency_fp += len(measure.assignments)
            c.target_fp += sum(1 for _ in _parsed_target_keys(measure))
    return score


def normalise_ref(ref: str) -> str:
    """Refs compare without spaces, bracket width or enumeration commas.

    >>> normalise_ref("二/（三）/1、#2") == normalise_ref("二/(三)/1#2")
    True
    """
    return _REF_PUNCT.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", ref)))


def render_table(scores: Sequence[DocumentScore], overall: DocumentScore) -> str:
    """One line per document and an overall line, scores to three places ("-" where undefined)."""
    from policykg.tables import table_text

    rows = []
    for score in [*scores, overall]:
        c = score.counts
        rows.append(
            {
                "document": score.name,
                "records": f"{c.paired_records}/{c.gold_records}",
                "found": _fmt(score.records_found),
                "agency F1": _fmt(score.agency_f1),
                "lead": _fmt(score.lead_exact),
                "no-lead joint": _fmt(score.no_lead_kept_joint),
                "target P/R/F1": f"{_fmt(score.target_precision)}/{_fmt(score.target_recall)}/{_fmt(score.target_f1)}",
                "qualifier": _fmt(score.qualifier_accuracy),
                "deadline": _fmt(score.deadline_accuracy),
            }
        )
    return table_text(rows, list(rows[0]), fit=False)


def _score_targets(score: DocumentScore, record: dict[str, Any], measure: Measure, gold: Counter[TargetKey]) -> None:
    c = score.counts
    qualifiers = {_target_key(t): t.get("qualifier") for t in record.get("targets") or [] if _target_key(t)}
    parsed_qualifiers: dict[TargetKey, str | None] = {}
    found: Counter[TargetKey] = Counter()
    for key, qualifier in _parsed_target_keys(measure):
        found[key] += 1
        parsed_qualifiers.setdefault(key, qualifier)
    matched = found & gold
    tp = sum(matched.values())
    c.target_tp += tp
    c.target_fp += sum(found.values()) - tp
    c.target_fn += sum(gold.values()) - tp
    for key, n in matched.items():
        if qualifiers.get(key) == parsed_qualifiers.get(key):
            c.qualifier_right += n
        else:
            got, want = parsed_qualifiers.get(key), qualifiers.get(key)
            score.misses.append(f"{record['ref']}: target {key[0]}{key[1]} qualifier {got!r} ≠ {want!r}")
    for key in (gold - found).elements():
        score.misses.append(f"{record['ref']}: target {key[0]}{key[1]} ({key[2]}) missed")
    for key in (found - gold).elements():
        score.misses.append(f"{record['ref']}: target {key[0]}{key[1]} ({key[2]}) spurious")


def _parsed_target_keys(measure: Measure) -> Iterator[tuple[TargetKey, str | None]]:
    for target in measure.targets:
        key = _key(target.value, target.unit, target.year)
        if key is not None:
            yield key, target.qualifier


def _gold_targets(record: dict[str, Any]) -> Counter[TargetKey]:
    keys: Counter[TargetKey] = Counter()
    for target in record.get("targets") or []:
        key = _target_key(target)
        if key is not None:
            keys[key] += 1
    return keys


def _target_key(target: dict[str, Any]) -> TargetKey | None:
    return _key(target.get("value"), target.get("unit"), target.get("year"))


def _key(value: object, unit: object, year: object) -> TargetKey | None:
    """(value, unit, year) with the value compared as a number; a range (no value) is not scored."""
    if value is None or str(value).strip() == "":
        return None
    text = unicodedata.normalize("NFKC", str(value)).replace(",", "").strip()
    number: float | str
    try:
        number = float(text)
    except ValueError:
        number = text
    return (number, _text(unit) or "", int(year) if isinstance(year, int | str) and str(year).isdigit() else None)


def _by_ref(measures: Iterable[Measure]) -> dict[str, list[Measure]]:
    grouped: dict[str, list[Measure]] = {}
    for measure in measures:
        # A repeated ref is written ref@2 by the parser: it pairs with the second gold record of that ref.
        grouped.setdefault(normalise_ref(measure.ref.split("@")[0]), []).append(measure)
    return grouped


def _gold_names(record: dict[str, Any]) -> Counter[str]:
    return Counter(_name(n) for role in ("lead", "support", "joint") for n in record.get(role) or [])


def _name(name: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).removesuffix("等")


def _text(value: object) -> str | None:
    if value is None:
        return None
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(value))) or None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(tp: int, fp: int, fn: int) -> float | None:
    if tp + fp + fn == 0:
        return None
    return 2 * tp / (2 * tp + fp + fn)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _stem(gold_path: Path) -> str:
    for suffix in GOLD_SUFFIXES:
        if gold_path.name.endswith(suffix):
            return gold_path.name[: -len(suffix)]
    return gold_path.stem


def _document_for(gold_path: Path, stem: str, source: object, documents_dir: Path | None) -> Path:
    folders = [gold_path.parent] + ([documents_dir] if documents_dir else [])
    if isinstance(source, str) and source:
        for folder in folders:
            if (folder / source).is_file():
                return folder / source
    for folder in folders:
        for candidate in sorted(folder.glob(f"{glob_escape(stem)}.*")):
            if candidate.is_file() and not candidate.name.endswith(GOLD_SUFFIXES):
                return candidate
    raise InputError(f"No document file for this reading (looked for {source or stem + '.*'}).", path=str(gold_path))


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
