"""The document parser: text in, measures with lead / supporting / joint agencies and provenance out.

It reads a document top to bottom once: numbered paragraphs open items in the outline,
un-numbered lines continue the current item, ``a | b | c`` rows under a header naming an
agency column are table records, and a lone "附件" line starts a new part. Each
responsibility clause in an item gives one record; roles follow the clause's words, else the
document's lead rule ("列第一位者为牵头单位，以下同"), else every unit is joint.

Bad input: text with no Chinese at all is an :class:`InputError` (nothing in it can be a
policy document); Chinese text with no responsibility clause parses to zero measures and a
warning (a notice without a task list is still a document); unbalanced brackets and clauses cut
off at the end of a line are warnings naming the line, and parsing goes on.

>>> doc = parse_text(
...     "三、主要任务\\n（一）推进创新。\\n"
...     "1.建设综合体。（责任单位：省科技厅、省经信委，列第一位者为牵头单位，以下同）\\n"
...     "2.实施工程。（责任单位：省经信委）\\n", source="x.txt")
>>> [(m.ref, [a.as_written for a in m.lead], [a.as_written for a in m.support]) for m in doc.measures]
[('三/(一)/1', ['省科技厅'], ['省经信委']), ('三/(一)/2', ['省经信委'], [])]
>>> doc.text[slice(*doc.measures[1].span)]
'2.实施工程。（责任单位：省经信委）'
"""

from __future__ import annotations

import bisect
import functools
import operator
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from policykg.errors import InputError
from policykg.graph.model import (
    Agency,
    Assignment,
    DocumentMeta,
    Measure,
    ParsedDocument,
    ParseWarning,
    Role,
    Section,
    Target,
)
from policykg.loaders.clauses import ClauseReading, read_clause
from policykg.loaders.deadlines import extract_deadline, read_deadline_cell
from policykg.loaders.layout import UNREAD, paragraph_view
from policykg.loaders.lexicon import Lexicon, default_lexicon
from policykg.loaders.limits import DEFAULT_MAX_BYTES, ReadLimits
from policykg.loaders.metadata import read_metadata
from policykg.loaders.normalise import clean_text, fold
from policykg.loaders.numbering import Numbering, Outline, numbering_of
from policykg.loaders.reading import read_bytes, read_path, with_reader_notes
from policykg.loaders.rules import RuleState
from policykg.loaders.scan import context_free, may_match_in
from policykg.loaders.tables import TableHeader, read_header, read_row, tab_rows_as_pipes
from policykg.loaders.targets import derive_years, extract_targets

if TYPE_CHECKING:
    from policykg.loaders.jurisdictions import JurisdictionIndex


class AgencyResolver(Protocol):
    def resolve(self, name: str) -> Agency | None: ...

    def resolve_in(self, name: str, jurisdiction: str | None) -> Agency | None: ...

    @property
    def places(self) -> JurisdictionIndex: ...


class IndustryFinder(Protocol):
    def find_in(self, text: str) -> list[str]: ...


_CJK = re.compile(r"[\u4e00-\u9fff]")
_NEWLINE = re.compile("\n")
# Every word read here (labels, part breaks, the lead rules) is in the lexicon (lexicon.py).
_OPEN = "([〔"
_CLOSE = ")]〕"
_BRACKETS = re.compile(r"[()\[\]〔〕]")
_BRACKET_CHARACTERS = "()[]〔〕"
_TRAILING = " .。;,、"
MAX_ROLE_SENTENCE = 80
MIN_GLUED_TASK = 4  # "推进改革": the fewest characters of a task glued onto a label line


# The parser's working records are plain classes with their own __init__, not dataclasses: in the
# compiled build (policykg/_compiled.py) a dataclass's generated __init__ still runs as Python, and
# these are made for every line, clause and item.
class _Line:
    __slots__ = ("end", "number", "start")

    def __init__(self, number: int, start: int, end: int) -> None:
        self.number = number  # 1-based
        self.start = start
        self.end = end


class _Clause:
    __slots__ = ("end", "labelled_line", "line", "reading", "start")

    def __init__(self, start: int, end: int, reading: ClauseReading, line: int, labelled_line: bool = False) -> None:
        self.start = start
        self.end = end
        self.reading = reading
        self.line = line
        self.labelled_line = labelled_line  # "牵头单位：X" written as a line of its own, not in brackets


class _Item:
    __slots__ = ("clauses", "end", "heading", "line", "numbering", "own_end", "part", "path", "start")

    def __init__(
        self, path: list[str], numbering: Numbering | None, start: int, line: int, part: int, heading: str, own_end: int
    ) -> None:
        self.path = path
        self.numbering = numbering
        self.start = start  # offset of the item's first character
        self.line = line
        self.part = part
        self.heading = heading
        self.clauses: list[_Clause] = []
        self.own_end = own_end  # end of the numbered paragraph's own line
        self.end = 0  # end of the item's last line (its un-numbered paragraphs included)


def parse_file(
    path: str | os.PathLike[str],
    *,
    registry: AgencyResolver | None = None,
    industries: IndustryFinder | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lexicon: Lexicon | None = None,
    limits: ReadLimits | None = None,
    jurisdiction: str | None = None,
) -> ParsedDocument:
    """Parse a document file of any kind :mod:`policykg.loaders.reading` reads (found by content),
    refusing files over ``max_bytes`` (or over ``limits``). ``jurisdiction`` (全国, 山东省, 济南市 …)
    overrides the one read from the document."""
    read = read_path(path, limits=limits or ReadLimits(max_bytes=max_bytes))
    parsed = parse_text(
        read.text,
        source=str(path),
        registry=registry,
        industries=industries,
        lexicon=lexicon,
        jurisdiction=jurisdiction,
    )
    return with_reader_notes(read, parsed)


def parse_bytes(
    data: bytes,
    *,
    source: str,
    suffix: str = "",
    registry: AgencyResolver | None = None,
    industries: IndustryFinder | None = None,
    lexicon: Lexicon | None = None,
    limits: ReadLimits | None = None,
    jurisdiction: str | None = None,
) -> ParsedDocument:
    """Parse a document's bytes (an upload); ``source`` names it in messages."""
    read = read_bytes(data, source=source, suffix=suffix, limits=(limits or ReadLimits()).restarted())
    parsed = parse_text(
        read.text, source=source, registry=registry, industries=industries, lexicon=lexicon, jurisdiction=jurisdiction
    )
    return with_reader_notes(read, parsed)


def parse_text(
    text: str,
    *,
    source: str,
    registry: AgencyResolver | None = None,
    industries: IndustryFinder | None = None,
    lexicon: Lexicon | None = None,
    jurisdiction: str | None = None,
) -> ParsedDocument:
    """Parse a document's text; ``source`` names it in metadata and error messages; the words it
    reads roles and rules by are ``lexicon``'s (the packaged one by default).

    Agencies are read in the document's jurisdiction (its issuer, 文号 prefix or title, or
    ``jurisdiction`` when given): a Shandong document's 省发展改革委 is Shandong's."""
    return _Parser(
        text, source, registry or _default_registry(), industries or _default_industries(), lexicon or default_lexicon()
    ).run(jurisdiction)


@functools.cache
def _default_registry() -> AgencyResolver:
    """The packaged registry, read once per process (parse_text is called per document)."""
    from policykg.loaders.registry import AgencyRegistry

    return AgencyRegistry.load_default()


@functools.cache
def _default_industries() -> IndustryFinder:
    """The packaged industry dictionary, read once per process."""
    from policykg.loaders.industries import IndustryDictionary

    return IndustryDictionary.load_default()


class _Parser:
    def __init__(
        self, text: str, source: str, registry: AgencyResolver, industries: IndustryFinder, lexicon: Lexicon
    ) -> None:
        self.source = source
        self.lex = lexicon
        self.registry = registry
        self.industries = industries
        # The parser reads paragraphs: one per line of the view, whatever the source's line breaks.
        self.view = paragraph_view(clean_text(tab_rows_as_pipes(text, lexicon=lexicon)), lexicon)
        self.text = self.view.text
        self.folded = self.view.folded if self.view.folded is not None else fold(self.text)
        self.lines = _split_lines(self.text)
        # Where the folded text's brackets stand, in order: every bracket walk below reads this list
        # (built by substring searches) instead of scanning its stretch of text with a pattern.
        self.brackets = _positions(self.folded, _BRACKET_CHARACTERS)
        self.line_starts = [line.start for line in self.lines]
        # What the layout read of each line already (part break, numbering), when the view is the text.
        facts = self.view.line_facts
        self.facts = facts if facts is not None and len(facts) == len(self.lines) else None
        self.warnings: list[ParseWarning] = []
        self.items: list[_Item] = []
        self.record_parts: set[int] = set()  # parts (body, 附件 …) that gave records
        self.rows_in_table = 0
        self.consumed_until = 0  # offset up to which a wrapped clause has been read already
        self.numbered_at = (-1, False)  # (where the line being read starts, whether it is numbered)
        self.records: list[tuple[int, Measure]] = []  # (document offset, measure) for ordering
        # The document's assignments by their fields, each made once (immutable: shared where it recurs).
        self.assignments: dict[tuple[str, str, Role, int, bool, str | None], Assignment] = {}
        # The role rules the document declares, where they are stated and where they hold.
        # (The rules' patterns are searched in the whole text only when it holds the characters a
        # match needs: substring tests run at memory speed, the engine's search at a few dozen
        # instructions per character, and most documents state neither rule.)
        folded = self.folded
        self.rules = RuleState(
            responsible_lead=may_match_in(lexicon.responsible_lead_needs, folded)
            and lexicon.responsible_lead.search(folded) is not None
        )
        # Where the lead rule is stated in the text (read once: the lines and the clauses ask), and
        # whether a line may state it: when the whole text holds none, no line does.
        self.lead_rules = (
            [m.start() for m in lexicon.lead_rule.finditer(folded)]
            if may_match_in(lexicon.lead_rule_needs, folded)
            else []
        )
        self.lead_rule_anywhere = bool(self.lead_rules) or not context_free(lexicon.lead_rule)
        self.jurisdiction: str | None = None  # the place the document is of (全国, 山东省 …), if known

    # -- top level -------------------------------------------------------------------------
    def run(self, jurisdiction: str | None = None) -> ParsedDocument:
        if not self.text.strip():
            raise InputError("The document has no text.", path=self.source)
        if not _CJK.search(self.text):
            raise InputError(
                "The document contains no Chinese text, so it is not a policy document this parser reads.",
                path=self.source,
            )
        meta = read_metadata(
            self.text.split("\n"),  # (the lines of self.lines, cut in one call)
            source=self.source,
            folded_lines=self.folded.split("\n"),
        )
        meta.jurisdiction = self.jurisdiction = self._jurisdiction(
            meta.issuer, meta.doc_number, meta.title, jurisdiction
        )
        self._read_lines()
        if self._rule_outside_clauses():
            self.rules.declare_for_all()
        self.rules.restart()
        self._item_records()
        self.records.sort(key=lambda pair: pair[0])
        measures = [m for _, m in self.records]
        _derive_target_years(measures, meta)
        self._make_refs_unique(measures)
        if not measures:
            self.warnings.append(
                ParseWarning("No responsibility clause or table of responsible units was found; no measures.")
            )
        sections = self._sections(measures)
        if self.view.changed:
            self._to_source(measures)
        return ParsedDocument(
            document=meta,
            sections=sections,
            measures=measures,
            warnings=self.warnings,
            text=self.view.source,
        )

    def _to_source(self, measures: list[Measure]) -> None:
        """Spans, texts and line numbers of the source text (the parser read its paragraph view)."""
        source = self.view.source
        starts = [0] + [m.end() for m in _NEWLINE.finditer(source)]
        for measure in measures:
            start, end = self.view.source_span(*measure.span)
            measure.span = (start, end)
            measure.text = source[start:end]
            measure.line = bisect.bisect_right(starts, start)
        for index, warning in enumerate(self.warnings):
            if warning.line is not None and 0 < warning.line <= len(self.lines):
                offset = self.view.source_offset(self.lines[warning.line - 1].start)
                self.warnings[index] = ParseWarning(warning.message, bisect.bisect_right(starts, offset))

    # -- pass 1: lines into items, clauses and table rows ----------------------------------
    def _read_lines(self) -> None:
        outline = Outline()
        part = 0
        current: _Item | None = None
        header: TableHeader | None = None
        last_row: tuple[str, int] | None = None
        for line in self.lines:
            raw = self.folded[line.start : line.end]
            stripped = raw.strip()
            if not stripped:
                continue
            lstart = line.start + (len(raw) - len(raw.lstrip()))
            if self.lead_rule_anywhere and "|" not in stripped and _states_lead_rule(raw, self.lex):
                self.rules.declare_for_all()  # a notice sentence: "列第一位的责任单位为牵头单位"
            if self._part_break(line, stripped):
                outline.reset()
                part += 1
                current, header, last_row = None, None, None
                continue
            if "|" in stripped:
                new_header = read_header(self.text[line.start : line.end], line.start, lexicon=self.lex)
                if new_header is not None:
                    header, last_row, current = new_header, None, None
                    self.rows_in_table = 0
                    if new_header.lead_rule:
                        self.rules.declare_for_all()
                    continue
                if header is not None:
                    last_row = self._table_row(header, line, outline, part, last_row)
                    continue
            numbering = self._numbering(line, raw)
            if "|" not in stripped and header is not None and numbering is None:
                header = None
            self.numbered_at = (lstart, numbering is not None)
            if numbering is not None:
                path = outline.enter(numbering)
                heading = _heading(self.text[line.start + numbering.end : line.end])
                current = _Item(list(path), numbering, lstart, line.number, part, heading, own_end=line.end)
                self.items.append(current)
            elif current is None:
                # Text before any numbering (a notice body or an un-numbered document) is an item
                # of its own part, so that a clause there is still read.
                current = _Item(list(outline.path), None, lstart, line.number, part, "", own_end=line.end)
                self.items.append(current)
            self._add_clauses(current, self._clauses_in_line(line, lstart), line, lstart)
            current.end = line.end

    def _add_clauses(self, item: _Item, clauses: list[_Clause], line: _Line, lstart: int) -> None:
        """Label lines that follow each other ("牵头单位：X" / "配合单位：Y" / "完成时限：…") are one clause."""
        previous = item.clauses[-1] if item.clauses else None
        follows = (
            previous is not None and previous.labelled_line and self._only_blank_between(previous.line, line.number)
        )
        if follows and previous is not None:
            deadline = self.lex.deadline_line.match(self.folded, lstart, line.end)
            if not clauses and deadline is not None:
                previous.reading.deadline_text = self.text[deadline.end() : line.end].strip(_TRAILING)
                previous.end, previous.line = line.end, line.number
                return
            # A further 牵头 line after one that has its lead starts the next clause.
            new_lead = any(g.kind == "lead" for g in clauses[0].reading.groups) if clauses else False
            has_lead = any(g.kind == "lead" for g in previous.reading.groups)
            if (
                len(clauses) == 1
                and clauses[0].labelled_line
                and clauses[0].start == lstart
                and not (new_lead and has_lead)
            ):
                previous.reading.groups.extend(clauses[0].reading.groups)
                previous.reading.deadline_text = previous.reading.deadline_text or clauses[0].reading.deadline_text
                previous.reading.lead_rule = previous.reading.lead_rule or clauses[0].reading.lead_rule
                previous.end, previous.line = clauses[0].end, line.number
                return
        item.clauses.extend(clauses)

    def _brackets_between(self, start: int, end: int) -> list[int]:
        """Offsets of the brackets in ``folded[start:end]``, in order."""
        brackets = self.brackets
        return brackets[bisect.bisect_left(brackets, start) : bisect.bisect_left(brackets, end)]

    def _inside(self, start: int, position: int) -> bool:
        """Whether ``position`` is inside brackets opened after ``start``."""
        return _depth(self.folded, self._brackets_between(start, position)) > 0

    def _sentence_end(self, start: int, limit: int) -> int:
        """The offset of the first "。" at bracket depth 0 from ``start``, else ``limit``."""
        folded = self.folded
        stop = folded.find("。", start, limit)
        if stop < 0:
            return limit  # no stop at all: brackets alone never end a sentence
        depth = 0
        for at in self._brackets_between(start, limit):
            while 0 <= stop < at:  # the stops before this bracket
                if depth == 0:
                    return stop
                stop = folded.find("。", stop + 1, limit)
            depth = depth + 1 if folded[at] in _OPEN else max(0, depth - 1)
        while stop >= 0:
            if depth == 0:
                return stop
            stop = folded.find("。", stop + 1, limit)
        return limit

    def _part_break(self, line: _Line, stripped: str) -> bool:
        """Whether the line (``stripped``: its folded text stripped) is a part break ("附件", a date
        line …): the layout's reading of it when there is one."""
        if self.facts is not None:
            fact = self.facts[line.number - 1]
            if fact[0] or fact[1] is not UNREAD:
                return fact[0]
        return self.lex.part_break.match(stripped) is not None

    def _numbering(self, line: _Line, raw: str) -> Numbering | None:
        """The numbering opening the line (``raw``: its folded text): the layout's reading when there is one."""
        if self.facts is not None:
            numbering = self.facts[line.number - 1][1]
            if numbering is not UNREAD:
                return numbering  # type: ignore[return-value]
        return numbering_of(raw, folded=True)

    def _only_blank_between(self, earlier: int, later: int) -> bool:
        """Whether lines ``earlier`` and ``later`` (1-based) are next to each other but for blank lines
        (web-page copies put an empty line between every paragraph)."""
        if earlier >= later:
            return False
        return all(not self.folded[ln.start : ln.end].strip() for ln in self.lines[earlier : later - 1])

    def _clauses_in_line(self, line: _Line, lstart: int) -> list[_Clause]:
        """Every clause of a line, by the recognisers in order: each one reads what the ones before
        it left (bracketed clauses, then label clauses, then role sentences)."""
        lstart = max(lstart, self.consumed_until)  # a clause wrapped from the line above ends here
        found: list[_Clause] = []
        for recognise in (self._bracket_clauses, self._label_clauses, self._role_sentences):
            found.extend(recognise(line, lstart, found))
            if self.consumed_until > line.end:
                break  # a clause ran on over the next lines: they are read already
        if len(found) > 1:
            found.sort(key=_clause_start)
        return found

    def _bracket_clauses(self, line: _Line, lstart: int, taken: list[_Clause]) -> list[_Clause]:
        """Bracketed clauses: "（A牵头，B配合）", "【责任单位：A】", a bare unit list closing a paragraph."""
        folded = self.folded
        found: list[_Clause] = []
        depth = 0
        open_at = -1
        paren_depth, paren_broken = 0, False
        for i in self._brackets_between(lstart, line.end):
            ch = folded[i]
            if ch == "(":
                paren_depth += 1
            elif ch == ")":
                paren_depth -= 1
                paren_broken = paren_broken or paren_depth < 0
            if ch in _OPEN:
                if depth == 0:
                    open_at = i
                depth += 1
            elif depth > 0:
                depth -= 1
                if depth == 0:
                    clause = self._bracket_clause(open_at, i + 1, line)
                    if clause is not None:
                        found.append(clause)
        if depth > 0 and open_at >= 0:
            wrapped = self._closed_on_next_lines(open_at, line)
            if wrapped is not None:
                # A clause broken over lines (hard-wrapped text): read it whole.
                close_end, end_line = wrapped
                clause = self._bracket_clause(open_at, close_end, end_line)
                if clause is not None:
                    found.append(clause)
                    self.consumed_until = close_end
                    return found
        if paren_depth != 0 or paren_broken:
            message = "Unbalanced parenthesis: a bracket is not closed or not opened."
            self.warnings.append(ParseWarning(message, line.number))
        if depth > 0 and open_at >= 0:
            # A clause cut off at the end of the line: read what there is and say so.
            clause = self._bracket_clause(open_at, line.end, line, closed=False)
            if clause is not None:
                found.append(clause)
                message = "A responsibility clause is not closed; it was read to the end of the line."
                self.warnings.append(ParseWarning(message, line.number))
        return found

    def _label_clauses(self, line: _Line, lstart: int, taken: list[_Clause]) -> list[_Clause]:
        """Unbracketed label clauses: "牵头单位：A；配合单位：B。" opening a line or a sentence. One
        runs to its sentence's end, and on over sentences that open with a further non-lead label
        ("。配合单位：B。完成时限：…"); a sentence opening with a lead label starts the next clause."""
        folded = self.folded
        found: list[_Clause] = []
        segment = folded[lstart : line.end]
        cursor = lstart
        depth, depth_at = 0, lstart  # bracket depth at depth_at, carried forward (long lines stay linear)
        for label in self.lex.line_label.finditer(segment):
            matched = label.group()
            start = lstart + label.start() + len(matched) - len(matched.lstrip())
            if start < cursor:
                continue
            depth = _depth(folded, self._brackets_between(depth_at, start), depth)
            depth_at = start
            if depth > 0 or _within(taken, start):
                continue
            end = self._label_clause_end(start, line.end)
            body_end = end
            while body_end > start and folded[body_end - 1] in _TRAILING:
                body_end -= 1
            reading = read_clause(self.text[start:body_end], start, folded=folded[start:body_end], lexicon=self.lex)
            clause_line = line
            if reading is None and lstart + label.end() >= body_end:
                # "责任单位：" alone on its line: the units are on the next line.
                nxt = self._label_continuation(line)
                if nxt is not None:
                    body_end, clause_line = nxt.end, nxt
                    while body_end > start and folded[body_end - 1] in _TRAILING:
                        body_end -= 1
                    reading = read_clause(
                        self.text[start:body_end], start, folded=folded[start:body_end], lexicon=self.lex
                    )
                    if reading is not None:
                        self.consumed_until = body_end
            cursor = end
            if reading is not None and clause_line is line:
                reading, body_end = self._cut_glued_task(reading, start, body_end)
            if reading is not None:
                found.append(_Clause(start, body_end, reading, clause_line.number, labelled_line=True))
        return found

    def _cut_glued_task(self, reading: ClauseReading, start: int, end: int) -> tuple[ClauseReading, int]:
        """A label line run together with the next task ("配合单位：省财政厅推进改革。牵头单位：…"): the
        last name runs on past a unit's ending into words; the clause ends where the name does."""
        last = reading.units[-1]
        if self.lex.looks_like_unit(last.text) or self._known(last.text):
            return reading, end
        if self.folded[end : end + 1] != "。":
            return reading, end  # the task glued on is a sentence of its own
        for cut in range(len(last.text) - MIN_GLUED_TASK, 1, -1):
            if self.lex.office_ending.search(last.text[:cut]):
                new_end = last.start + cut
                shorter = read_clause(
                    self.text[start:new_end], start, folded=self.folded[start:new_end], lexicon=self.lex
                )
                if shorter is not None:
                    return shorter, new_end
                break
        return reading, end

    def _label_clause_end(self, start: int, limit: int) -> int:
        folded = self.folded
        position = start
        while True:
            stop = self._sentence_end(position, limit)
            if stop >= limit:
                return limit
            nxt = stop + 1
            while nxt < limit and folded[nxt].isspace():
                nxt += 1
            label = self.lex.label.match(folded, nxt)
            if label is None or self.lex.labels.get("".join(label.group("label").split())) == "lead":
                return stop + 1
            position = nxt

    def _role_sentences(self, line: _Line, lstart: int, taken: list[_Clause]) -> list[_Clause]:
        """Unbracketed sentences that only say who does it: "…。省发展改革委牵头，省财政厅参与。"
        Each sentence of the line but a numbered paragraph's first (its task) is tried."""
        folded = self.folded
        found: list[_Clause] = []
        if not self.lex.verb_word.search(folded, lstart, line.end):
            return found  # every role sentence holds a role word (_role_phrase): a line without one has none
        if self.numbered_at[0] == lstart:
            numbered = self.numbered_at[1]  # the line's own numbering, read already (the same line from the same place)
        else:
            numbered = numbering_of(folded[lstart : line.end], folded=True) is not None
        spans = sorted((c.start, c.end) for c in taken)
        k = 0
        start = lstart
        first = True
        while start < line.end:
            stop = self._sentence_end(start, line.end)
            while k < len(spans) and spans[k][1] <= start:
                k += 1  # (sentences and clauses both run left to right: one pass, long lines stay linear)
            overlaps = k < len(spans) and spans[k][0] < stop
            if not (first and numbered) and not overlaps:
                clause = self._role_sentence(line, start, min(stop + 1, line.end))
                if clause is not None:
                    found.append(clause)
            first = False
            start = stop + 1
        return found

    def _label_continuation(self, line: _Line) -> _Line | None:
        """The next non-blank line when it can hold a label's units: not numbered, not a label."""
        for nxt in self.lines[line.number : line.number + 3]:
            raw = self.folded[nxt.start : nxt.end]
            if not raw.strip():
                continue
            if self._numbering(nxt, raw) is not None or self._part_break(nxt, raw.strip()):
                return None
            if self.lex.line_label.search(raw) or "|" in raw:
                return None
            return nxt
        return None

    def _role_sentence(self, line: _Line, start: int, end: int) -> _Clause | None:
        """A role sentence between ``start`` and ``end``.

        Read only when every name in it ends like a unit and either the roles are in words
        (牵头/配合/由…负责) or the registry knows one of the names, so prose ("海关总署要继续做好
        牵头工作", "各地要积极配合") is never taken for a clause. Failing the whole sentence, its
        last ";"-part is tried ("…；省发展改革委牵头，省财政厅参与")."""
        folded = self.folded
        if not self.lex.verb_word.search(folded, start, end):
            return None  # each phrase tried below needs a role word inside this sentence
        while end > start and folded[end - 1] in _TRAILING:
            end -= 1
        while start < end and folded[start].isspace():
            start += 1
        # A sentence starts outside any bracket (sentences end only at a "。" outside them).
        clause = self._role_phrase(line, start, start, end)
        if clause is None:
            cut = folded.rfind(";", start, end)
            if cut > start:
                clause = self._role_phrase(line, start, cut + 1, end)
        return clause

    def _role_phrase(self, line: _Line, sentence: int, start: int, end: int) -> _Clause | None:
        folded = self.folded
        while start < end and folded[start].isspace():
            start += 1
        if end - start > MAX_ROLE_SENTENCE or end <= start or self._inside(sentence, start):
            return None
        if not self.lex.verb_word.search(folded, start, end):
            return None  # read_clause finds no role word either (most sentences are the task's words)
        reading = read_clause(self.text[start:end], start, folded=folded[start:end], lexicon=self.lex)
        if reading is None or reading.labelled or not reading.explicit:
            return None
        if not all(self.lex.looks_like_unit(u.text) or self._known(u.text) for u in reading.units):
            return None
        # Roles in words ("市住建局牵头，市财政局配合", "由市市场监管局负责") mark a clause even when
        # the registry knows none of the units (a city's 市住建局); a bare "A负责" needs a known unit.
        worded = any(g.kind != "responsible" for g in reading.groups) or folded[start:end].lstrip().startswith("由")
        if not worded and not any(self._known(u.text) for u in reading.units):
            return None
        return _Clause(start, end, reading, line.number, labelled_line=True)

    def _closed_on_next_lines(self, open_at: int, line: _Line) -> tuple[int, _Line] | None:
        """Where a bracket opened at ``open_at`` closes on one of the next two lines, if it does
        before any numbered paragraph, blank line or part break."""
        folded = self.folded
        depth = 0
        for at in self._brackets_between(open_at, line.end):
            depth = depth + 1 if folded[at] in _OPEN else depth - 1
        for nxt in self.lines[line.number : line.number + 2]:
            raw = folded[nxt.start : nxt.end]
            if not raw.strip() or self._numbering(nxt, raw) is not None or self._part_break(nxt, raw.strip()):
                return None
            for at in self._brackets_between(nxt.start, nxt.end):
                depth = depth + 1 if folded[at] in _OPEN else depth - 1
                if depth == 0:
                    return at + 1, nxt
        return None

    def _bracket_clause(self, open_at: int, close_end: int, line: _Line, *, closed: bool = True) -> _Clause | None:
        inner_end = close_end - 1 if closed else close_end
        content = self.text[open_at + 1 : inner_end]
        folded = self.folded[open_at + 1 : inner_end]
        reading = read_clause(content, open_at + 1, folded=folded, lexicon=self.lex)
        if reading is not None and not reading.labelled and not self._plausible_units(reading):
            return None
        if reading is None:
            # A bare list closing the paragraph counts when every name is a known unit.
            after = self.folded[close_end : line.end].strip(_TRAILING)
            if after:
                return None
            reading = read_clause(content, open_at + 1, default="responsible", folded=folded, lexicon=self.lex)
            if reading is None:
                return None
            # "（市发展改革委（牵头）、市财政局）": a unit marked with its role makes the list a clause.
            marked = any(g.kind != "responsible" for g in reading.groups) and self._plausible_units(reading)
            # A bare list is a clause when the registry knows every unit, or when the names read
            # as units by their form (endings, collectives): a city's units need no registry entry.
            known = all(self._known(u.text) for u in reading.units)
            if not marked and not known and not self.lex.unit_list_by_grammar([u.text for u in reading.units]):
                return None
        return _Clause(open_at, close_end, reading, line.number)

    def _plausible_units(self, reading: ClauseReading) -> bool:
        """A clause known only by its closing word ("…负责", "…落实") must name units: each name
        ends like one, or the registry knows it ("（具体办法由财政部另行制定并组织实施）" is prose)."""
        return all(self.lex.looks_like_unit(u.text) or self._known(u.text) for u in reading.units)

    def _table_row(
        self, header: TableHeader, line: _Line, outline: Outline, part: int, last_row: tuple[str, int] | None
    ) -> tuple[str, int] | None:
        row = read_row(header, self.text[line.start : line.end], line.start, lexicon=self.lex)
        if row is None:
            return last_row
        if row.group_heading is not None:
            path = outline.enter(row.group_heading)
            heading = _heading(self.text[row.start : row.end].split("|")[0][row.group_heading.end :])
            self.items.append(
                _Item(list(path), row.group_heading, row.start, line.number, part, heading, own_end=row.start)
            )
            return None
        numbered = "number" in header.kinds
        if numbered and not row.number and not row.readings:
            return last_row  # neither a numbered task nor units: a note or page text under the table
        base = outline.path
        if numbered and last_row is not None and (not row.number or row.number == last_row[0]):
            # A row without its own 序号 (or repeating it, from a merged cell) is another
            # clause of the same item: number them all #1, #2, ….
            token, count = last_row[0], last_row[1] + 1
            ref = "/".join([*base, token]) + f"#{count}"
            if count == 2 and self.records and not self.records[-1][1].ref.endswith("#1"):
                self.records[-1][1].ref += "#1"
        elif numbered and row.number:
            token, count = row.number, 1
            ref = "/".join([*base, token])
        else:
            token, count = str(self.rows_in_table + 1), 1  # no 序号 column: the row's place in its table
            ref = "/".join([*base, token])
        self.rows_in_table += 1
        measure = Measure(
            ref=ref,
            text=self.text[row.start : row.end],
            section_path=_prefixes(base),
            span=(row.start, row.end),
            line=line.number,
        )
        # A cell may state the rule itself: "省经信厅、省科技厅（列第一位的为牵头单位，下同）".
        states_rule = any(r.lead_rule is not None for r in row.readings)
        if states_rule:
            self.rules.declare_for_all()
        measure.assignments = self._assign(row.readings, self.rules.clause(states_rule) or header.lead_rule)
        measure.targets = _targets(row.task_text)
        if row.deadline_text:
            measure.deadline, measure.deadline_date = _deadline_cell(row.deadline_text)
        else:
            measure.deadline, measure.deadline_date = _deadline(row.task_text, measure.targets)
        measure.industries = list(self.industries.find_in(row.task_text))
        self.records.append((row.start, measure))
        self.record_parts.add(part)
        return token, count

    # -- pass 2: items into records ---------------------------------------------------------
    def _rule_outside_clauses(self) -> bool:
        if self.rules.stated_for_all:
            return True
        spans = sorted((c.start, c.end) for item in self.items for c in item.clauses)
        starts = [s for s, _ in spans]

        def in_a_clause(offset: int) -> bool:
            index = bisect.bisect_right(starts, offset) - 1
            return index >= 0 and offset < spans[index][1]

        return any(not in_a_clause(start) for start in self.lead_rules)

    def _item_records(self) -> None:
        for item in self.items:
            count = len(item.clauses)
            previous_end = item.start
            for k, clause in enumerate(item.clauses, start=1):
                rule_here = self.rules.clause(clause.reading.lead_rule is not None)
                start = item.start if k == 1 else _skip_punctuation(self.folded, previous_end, clause.start)
                ref = "/".join(item.path) + (f"#{k}" if count > 1 else "")
                end = self._record_end(item, clause) if count == 1 else clause.end
                measure = self._measure(ref or f"#{k}", item, start, end, self._line_of(start), clause)
                measure.assignments = self._assign([clause.reading], rule_here)
                measure.scope = clause.reading.scope_text
                if clause.reading.deadline_text and not measure.deadline:
                    measure.deadline, measure.deadline_date = _deadline_cell(clause.reading.deadline_text)
                self.records.append((start, measure))
                self.record_parts.add(item.part)
                previous_end = clause.end
            if count == 0 and item.numbering is not None:
                # A goals paragraph (发展目标 / 主要目标 …): targets and no responsibility clause, a
                # record with no agencies, its paragraphs under the heading included.
                own_end = max(item.own_end, item.end)
                own = self.text[item.start : own_end]
                if _targets(own):
                    end = own_end
                    while end > item.start and self.text[end - 1].isspace():
                        end -= 1
                    measure = self._measure("/".join(item.path), item, item.start, end, item.line)
                    self.records.append((item.start, measure))
                    self.record_parts.add(item.part)

    def _make_refs_unique(self, measures: list[Measure]) -> None:
        """A ref written twice (a numbering slip, or two parts numbered alike) gets @2, @3 … so that
        every record keeps its own identity downstream; the repetition is reported."""
        seen: dict[str, int] = {}
        for measure in measures:
            count = seen.get(measure.ref, 0) + 1
            seen[measure.ref] = count
            if count > 1:
                message = f"The numbering {measure.ref} appears more than once; this record is {measure.ref}@{count}."
                self.warnings.append(ParseWarning(message, measure.line))
                measure.ref = f"{measure.ref}@{count}"

    def _record_end(self, item: _Item, clause: _Clause) -> int:
        """Where a record's text ends: after its clause, or at the end of the line when the
        clause opens the item ("1.【省发展改革委牵头】推进…") and the task's words follow it."""
        line = self.lines[clause.line - 1]
        after = self.folded[clause.end : line.end].strip(_TRAILING)
        before = self.folded[max(item.start, line.start) : clause.start].strip(_TRAILING)
        if len(after) <= len(before) + 4:
            return clause.end
        end = line.end
        while end > clause.end and self.text[end - 1].isspace():
            end -= 1
        return end

    def _measure(
        self, ref: str, item: _Item, start: int, end: int, line: int, clause: _Clause | None = None
    ) -> Measure:
        text = self.text[start:end]
        # The measure's own words, without its responsibility clause (no targets hide there).
        body = text if clause is None else self.text[start : max(start, clause.start)] + self.text[clause.end : end]
        targets = _targets(body)
        deadline, deadline_date = _deadline(body, targets)
        return Measure(
            ref=ref,
            text=text,
            section_path=_prefixes(item.path[:-1]) if item.numbering is not None else _prefixes(item.path),
            targets=targets,
            deadline=deadline,
            deadline_date=deadline_date,
            industries=list(self.industries.find_in(body)),
            span=(start, end),
            line=line,
        )

    def _assign(self, readings: Iterable[ClauseReading], rule_here: bool) -> list[Assignment]:
        assignments: list[Assignment] = []
        groups = [g for r in readings for g in r.groups]
        kinds = {g.kind for g in groups}
        position = 0
        role_of, resolve, jurisdiction = self.rules.role, self.registry.resolve_in, self.jurisdiction
        made = self.assignments
        for group in groups:
            for unit in group.units:
                role = role_of(group.kind, kinds, position, rule_here)
                agency = resolve(unit.text, jurisdiction)  # (_resolve_here, inline: asked for every unit)
                if agency is not None:
                    fields = (agency.name, unit.text, role, position, True, agency.jurisdiction)
                else:  # kept as written, as a unit of the document's own jurisdiction
                    fields = (unit.text, unit.text, role, position, False, jurisdiction)
                assignment = made.get(fields)
                if assignment is None:
                    assignment = made[fields] = Assignment(*fields)
                assignments.append(assignment)
                position += 1
        return assignments

    def _resolve_here(self, name: str) -> Agency | None:
        """The agency a unit of this document is: read in the document's jurisdiction, so that
        辽宁省's 省发展改革委 is Liaoning's, and a document of unknown place never takes a bare
        省发展改革委 for some province's (it stays as written)."""
        return self.registry.resolve_in(name, self.jurisdiction)

    def _known(self, name: str) -> bool:
        return self._resolve_here(name) is not None

    def _jurisdiction(self, issuer: str | None, number: str | None, title: str, given: str | None) -> str | None:
        """The jurisdiction given by the caller, else the one the issuer, 文号 or title shows."""
        places = self.registry.places
        if given:
            return str(places.require(given).name)
        found = places.detect(issuer=issuer, doc_number=number, title=title)
        if found is None:
            self.warnings.append(
                ParseWarning(
                    "The document's jurisdiction could not be read from its issuer, 文号 or title; "
                    "local units are kept as written (give one with --jurisdiction)."
                )
            )
            return None
        return str(found.name)

    def _line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    # -- sections ---------------------------------------------------------------------------
    def _sections(self, measures: list[Measure]) -> list[Section]:
        """Headings above records, and every top-level heading of a part that gave records
        (so "一、总体要求(略)" is listed); headings of a notice body without records are not."""
        wanted = {p for m in measures for p in m.section_path}
        sections: dict[str, Section] = {}
        record_refs = {m.ref for m in measures}
        for item in self.items:
            if item.numbering is None or item.part not in self.record_parts:
                continue
            path = "/".join(item.path)
            if path in record_refs and path not in wanted:
                continue
            if path in wanted or len(item.path) == 1:
                sections.setdefault(path, Section(path, item.heading, len(item.path)))
        return list(sections.values())


def _states_lead_rule(folded_line: str, lex: Lexicon) -> bool:
    """Whether a line states the lead rule as a sentence of its own (not inside a clause's
    brackets, not on a "责任单位：" label line), so that it holds for the whole list."""
    match = lex.lead_rule.search(folded_line)
    if match is None or _inside(folded_line, 0, match.start()):
        return False
    return lex.line_label.search(folded_line) is None


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for number, chunk in enumerate(text.split("\n"), start=1):
        lines.append(_Line(number, start, start + len(chunk)))
        start += len(chunk) + 1
    return lines


def _prefixes(path: list[str]) -> tuple[str, ...]:
    """``("三", "三/(一)", …)``: each level's path (built on the one above, not joined again)."""
    prefixes: list[str] = []
    joined = ""
    for component in path:
        joined = f"{joined}/{component}" if prefixes else component
        prefixes.append(joined)
    return tuple(prefixes)


def _heading(text: str) -> str:
    text = text.strip()
    stop = text.find("。")
    if 0 <= stop < 80:
        return text[: stop + 1]
    return text[:80]


def _inside(folded: str, start: int, position: int) -> bool:
    if _BRACKETS.search(folded, start, position) is None:
        return False  # no bracket at all before it (most places): depth 0 without walking
    return _depth(folded, (m.start() for m in _BRACKETS.finditer(folded, start, position))) > 0


def _depth(folded: str, brackets: Iterable[int], depth: int = 0) -> int:
    """The bracket depth after the brackets at offsets ``brackets`` of ``folded``, from ``depth``
    (a close with nothing open counts for nothing)."""
    for at in brackets:
        depth = depth + 1 if folded[at] in _OPEN else max(0, depth - 1)
    return depth


def _positions(text: str, characters: str) -> list[int]:
    """Every offset in ``text`` of any of ``characters``, in order (a substring search per character
    runs at memory speed, a set pattern at a few dozen instructions per character)."""
    found: list[int] = []
    for ch in characters:
        at = text.find(ch)
        while at >= 0:
            found.append(at)
            at = text.find(ch, at + 1)
    found.sort()
    return found


_clause_start = operator.attrgetter("start")


def _within(clauses: list[_Clause], offset: int) -> bool:
    return any(c.start <= offset < c.end for c in clauses)


def _skip_punctuation(folded: str, start: int, limit: int) -> int:
    while start < limit and (folded[start].isspace() or folded[start] in "。;,.、"):
        start += 1
    return start


def _targets(text: str) -> list[Target]:
    return list(extract_targets(text))


def _derive_target_years(measures: list[Measure], meta: DocumentMeta) -> None:
    """A target set for 今年 / 3年内 gets the year it ends from the document's own year."""
    dated = meta.date_issued or meta.date_written or meta.date_published or ""
    if dated[:4].isdigit():
        year = int(dated[:4])
        for measure in measures:
            if measure.targets:  # (most measures have none)
                measure.targets = derive_years(measure.targets, year)


def _deadline(text: str, targets: list[Target]) -> tuple[str | None, str | None]:
    """``targets`` are ``_targets(text)``: the deadline reader needs them and need not read them again."""
    return extract_deadline(text, targets=targets)


def _deadline_cell(text: str) -> tuple[str | None, str | None]:
    return read_deadline_cell(text)
