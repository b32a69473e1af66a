"""Reading a local Compact from plain text (shaped like the County Durham Compact).

The parser is a pure function of the text: it returns what it found or raises
CompactTextError listing every line it could not read. Saving is done by
commitments.services.edition_create_from_import, all or nothing.

The shape it reads, top to bottom:

- the title: the first line that is not blank;
- the introduction: everything up to the first outcome heading;
- outcome headings, each on a line of its own: ``Outcome 2: Fair funding`` (a colon, full stop
  or dash after the number; any spaces around it);
- text between an outcome heading and its first block heading: the outcome's description;
- block headings saying who makes the undertakings under them: ``Undertakings for the Public
  sector:``, ``Undertakings for the VCS:`` (``for the Government`` and ``for CSOs`` too; any
  case, colon optional). The sector is forgotten at each new outcome: every outcome needs its
  own block headings;
- numbered undertakings ``2.4 Text``, several on one line when separated by two or more spaces
  (word processors' "save as text" does this), with or without a space after the number
  (``2.7Work with``);
- a line that follows an undertaking and has no number continues it (hard-wrapped text). After a
  blank line it starts a second paragraph of that undertaking, and a warning says so, in case it
  was meant to be something else;
- a line starting with ``*`` (or † or ‡) is a footnote: it and the lines straight after it go to
  the end of the outcome's description, never into an undertaking;
- ``Making the Compact Work`` on a line of its own: the text after it is ``making_it_work``;
  ``Resolving differences`` (or ``Resolving disputes``/``disagreements``, ``Dispute resolution``)
  on a line of its own: the text after it is ``dispute_resolution``. Numbered lines in these
  sections are ordinary text. An outcome heading after them starts an outcome again.

Errors (nothing can be saved): an undertaking before any outcome, or before any ``Undertakings
for …`` heading, or under a heading that does not say which sector; a number that does not start
with its outcome's number, is not of the form 2.4, or is used twice; text under a block heading
before its first numbered undertaking; an undertaking with no text; an outcome with no title, a
title too long, an outcome number used twice, an outcome with no undertakings; no outcomes at all.

Warnings (shown before saving; the user decides): gaps and out-of-order numbers (1.1 then 1.3),
outcomes out of order, a block heading with no undertakings under it, and a paragraph added to
an undertaking after a blank line.
"""

import re
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from commitments.models import UNDERTAKING_NUMBER_RE

OUTCOME_TITLE_MAX_LENGTH = 300


def _count_by_sector(undertakings: list["ParsedUndertaking"]) -> dict[str, int]:
    counts = {"public": 0, "vcs": 0}
    for undertaking in undertakings:
        counts[undertaking.sector] = counts.get(undertaking.sector, 0) + 1  # "joint" too, when there are any
    return counts


@dataclass
class ParsedUndertaking:
    number: str  # "2.4"
    sector: str  # commitments.models.Sector value: "public" or "vcs"
    text: str
    line: int  # 1-based line number where the undertaking starts


@dataclass
class ParsedOutcome:
    number: int
    title: str
    line: int
    undertakings: list[ParsedUndertaking] = field(default_factory=list)
    # Text between the heading and the first block, then any footnotes ("* ...") of the outcome.
    description: str = ""

    def count_by_sector(self) -> dict[str, int]:
        return _count_by_sector(self.undertakings)


@dataclass
class ParsedCompact:
    title: str
    introduction: str
    outcomes: list[ParsedOutcome]
    making_it_work: str = ""
    dispute_resolution: str = ""
    # Things that were read but may not be what the author meant; shown before saving.
    warnings: list["LineError"] = field(default_factory=list)

    @property
    def undertakings(self) -> list[ParsedUndertaking]:
        return [u for outcome in self.outcomes for u in outcome.undertakings]

    def count_by_sector(self) -> dict[str, int]:
        return _count_by_sector(self.undertakings)

    def to_data(self) -> dict:
        """Plain data (JSON), to keep what was read between the check and the confirmation without
        reading the text again."""
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> "ParsedCompact":
        """What ``to_data`` gave; ``ValueError`` if it is not that (an old or damaged session)."""
        try:
            outcomes = [
                ParsedOutcome(**{**outcome, "undertakings": [ParsedUndertaking(**u) for u in outcome["undertakings"]]})
                for outcome in data["outcomes"]
            ]
            warnings = [LineError(**warning) for warning in data["warnings"]]
            return cls(**{**data, "outcomes": outcomes, "warnings": warnings})
        except (KeyError, TypeError) as exc:
            raise ValueError("Not a parsed Compact") from exc


@dataclass(frozen=True)
class LineError:
    line: int  # 1-based; 0 when the problem is with the whole file
    message: str

    def __str__(self) -> str:
        if not self.line:
            return self.message
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class CompactTextError(Exception):
    """The text could not be read; ``errors`` says which lines and why."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__("; ".join(f"line {e.line}: {e.message}" for e in errors))


# --- Decoding ------------------------------------------------------------------------------------

# Files that are not plain text, by their first bytes.
_NOT_TEXT_SIGNATURES = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "Word (.docx) or OpenDocument"),
    (b"\xd0\xcf\x11\xe0", "Word (.doc)"),
    (b"{\\rtf", "Rich Text (.rtf)"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _save_as_text_advice() -> str:
    return _("Open it in your word processor, choose ‘Save as’, pick ‘Plain text (.txt)’ and use that file instead.")


def decode_compact_bytes(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Raises CompactTextError (line 0) for an empty file or one that is not plain text.
    """
    if not data.strip():
        raise _file_error(_("The file is empty. Choose the text file of the Compact."))
    head = data[:1024]
    for signature, kind in _NOT_TEXT_SIGNATURES:
        if data.startswith(signature) or (signature == b"%PDF" and signature in head):
            raise _file_error(
                _("This is a %(kind)s file, not plain text.") % {"kind": kind} + " " + _save_as_text_advice()
            )
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _file_error(_("The file could not be read as text.") + " " + _save_as_text_advice()) from None
    if b"\x00" in data:
        raise _file_error(_("The file is not plain text (it contains binary data).") + " " + _save_as_text_advice())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _file_error(
                _("The file could not be read as text. Save it as plain text with the UTF-8 encoding.")
            ) from None
    # A few stray control characters are harmless; many mean a binary file.
    if len(_CONTROL_RE.findall(text)) > max(10, len(text) // 100):
        raise _file_error(_("The file is not plain text.") + " " + _save_as_text_advice())
    return text


def _file_error(message: str) -> CompactTextError:
    return CompactTextError([LineError(0, message)])


def parse_compact_bytes(data: bytes) -> ParsedCompact:
    """Decode an uploaded file and read it; CompactTextError for either step."""
    return parse_compact_text(decode_compact_bytes(data))


# --- Parsing -------------------------------------------------------------------------------------

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_OUTCOME_HEADING_RE = re.compile(r"^outcome\s+(?P<number>\d{1,3})\s*[:.\-–—]\s*(?P<title>.*)$", re.IGNORECASE)
_OUTCOME_LIKE_RE = re.compile(r"^outcome\s+\d{1,3}\b", re.IGNORECASE)
_BLOCK_HEADING_RE = re.compile(r"^undertakings?\s+(?:for|by|of)\s+(?P<who>[^.:]{1,80}?)\s*:?$", re.IGNORECASE)
_MAKING_RE = re.compile(r"^making\s+(?:the|our|this)\s+compact\s+work\s*:?$", re.IGNORECASE)
_DISPUTE_RE = re.compile(
    r"^(?:resolving\s+(?:differences|disagreements|disputes)|dispute\s+resolution)\s*:?$", re.IGNORECASE
)
_FOOTNOTE_RE = re.compile(r"^[*†‡]")
# "2.4 Text", "2.4. Text", "2.4) Text", "2.7Text", or "2.4" alone (its text on the next line).
_NUMBER = r"\d{1,3}\.\d{1,3}(?!\d)(?!\.\d)"
_NUMBERED_RE = re.compile(rf"^(?P<number>{_NUMBER})[.)]?(?:\s+|(?=[^\W\d_])|$)(?P<text>.*)$")
# Several undertakings on one line: two or more spaces (or tabs) before the next number.
# Linear on any text: a run of spaces is only tried from its start (the look-behind), and taken
# whole, never given back (possessive ``{2,}+``, ``++``). Without these, each of the n places in a
# long run of spaces was tried, each scanning the rest of the run: seconds for a 25 KB line.
_SPLIT_RE = re.compile(rf"(?<!\s)\s{{2,}}+(?={_NUMBER}[.)]?(?:\s++\S|[^\W\d_]))")
_PUBLIC_RE = re.compile(r"\b(?:public|government|councils?|local\s+authorit(?:y|ies)|statutory)\b", re.IGNORECASE)
_VCS_RE = re.compile(r"\b(?:vcse?|voluntary|civil\s+society|csos?|third\s+sector|charit(?:y|ies))\b", re.IGNORECASE)


def parse_compact_text(text: str) -> ParsedCompact:
    """Read a local Compact from plain text (see the module docstring for the shape it reads)."""
    return _Parser(text).parse()


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _sector_for(who: str) -> str | None:
    public, vcs = bool(_PUBLIC_RE.search(who)), bool(_VCS_RE.search(who))
    if public == vcs:
        return None
    return "public" if public else "vcs"


def _number_range(outcome: int, first: int, last: int) -> str:
    if first == last:
        return f"{outcome}.{first}"
    if last == first + 1:
        return _("%(first)s and %(last)s") % {"first": f"{outcome}.{first}", "last": f"{outcome}.{last}"}
    return _("%(first)s to %(last)s") % {"first": f"{outcome}.{first}", "last": f"{outcome}.{last}"}


class _Prose:
    """Lines of running text, whitespace collapsed, one blank line between paragraphs."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


_FOOTNOTE = object()  # marks "the last thing read was a footnote"

# A file with this many problems (or warnings) is not a Compact with a few slips: reading stops
# there, so that a crafted or wrong file costs a bounded time (each message is translated).
MAX_ERRORS = 100
MAX_WARNINGS = 200


class _TooManyProblems(Exception):
    def __init__(self, line: int):
        self.line = line
        super().__init__(line)


class _Parser:
    def __init__(self, text: str) -> None:
        self.lines = _LINE_BREAK_RE.split(text.removeprefix("\ufeff"))
        self.errors: list[LineError] = []
        self.warnings: list[LineError] = []
        self.title: str | None = None
        self.introduction = _Prose()
        self.making_it_work = _Prose()
        self.dispute_resolution = _Prose()
        self.section = "introduction"  # or "outcome", "making_it_work", "dispute_resolution"
        self.outcomes: list[ParsedOutcome] = []
        self.outcome_lines: dict[int, int] = {}  # outcome number -> line of its heading
        self.undertaking_lines: dict[str, int] = {}  # undertaking number -> line
        # The outcome being read.
        self.outcome: ParsedOutcome | None = None
        self.description = _Prose()
        self.last_place = 0  # place (the 4 of 2.4) of the undertaking read last in this outcome
        self.places: list[tuple[int, ParsedUndertaking]] = []  # correctly numbered ones, for the gap check
        self.sector: str | None = None  # None before the outcome's first block heading
        self.block_line = 0
        self.block_heading = ""
        self.block_count = 0
        self.target: ParsedUndertaking | object | None = None  # what a continuation line joins
        self.target_line = 0
        self.blank_before = False
        self.more_text: dict[int, list[str]] = {}  # id of an undertaking -> the lines that continue it

    def error(self, line: int, message: str) -> None:
        self.errors.append(LineError(line, message))
        if len(self.errors) >= MAX_ERRORS:
            raise _TooManyProblems(line)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(LineError(line, message))
        if len(self.warnings) >= MAX_WARNINGS:
            raise _TooManyProblems(line)

    # The whole file

    def parse(self) -> ParsedCompact:
        try:
            self._read_all()
        except _TooManyProblems as stop:
            self.errors.append(
                LineError(
                    stop.line,
                    _(
                        "Reading stopped here, after %(errors)s problems and %(warnings)s warnings. Check that this "
                        "is the plain-text version of the Compact, fix the problems listed and choose the file again."
                    )
                    % {"errors": len(self.errors), "warnings": len(self.warnings)},
                )
            )
            raise CompactTextError(sorted(self.errors, key=lambda e: e.line)) from None
        if self.errors:
            raise CompactTextError(sorted(self.errors, key=lambda e: e.line))
        return ParsedCompact(
            title=self.title or "",
            introduction=self.introduction.text,
            outcomes=self.outcomes,
            making_it_work=self.making_it_work.text,
            dispute_resolution=self.dispute_resolution.text,
            warnings=sorted(self.warnings, key=lambda e: e.line),
        )

    def _read_all(self) -> None:
        for number, raw in enumerate(self.lines, start=1):
            stripped = raw.strip()
            if not stripped:
                self.blank_before = True
                self._current_prose().blank()
                continue
            self._read_line(number, stripped)
            self.blank_before = False
        self._end_outcome()
        if not self.outcomes:
            if self.title is None:
                self.error(0, _("The file is empty. Choose the text file of the Compact."))
            else:
                self.error(
                    0,
                    _(
                        "No outcomes were found. Each outcome must start on a line of its own, like "
                        "‘Outcome 1: A strong and independent voluntary sector’."
                    ),
                )

    def _current_prose(self) -> _Prose:
        if self.section == "outcome":
            return self.description
        return getattr(self, self.section)

    def _read_line(self, number: int, stripped: str) -> None:
        line = _collapse(stripped)
        heading = _OUTCOME_HEADING_RE.match(line)
        if self.title is None:
            self.title = "" if heading else line
            if not heading:
                return
        if heading:
            self._start_outcome(number, heading)
        elif _MAKING_RE.match(line):
            self._end_outcome()
            self.section = "making_it_work"
        elif _DISPUTE_RE.match(line):
            self._end_outcome()
            self.section = "dispute_resolution"
        elif self.section == "introduction":
            self._read_introduction(number, line)
        elif self.section != "outcome":
            self._current_prose().add(line)
        elif block := _BLOCK_HEADING_RE.match(line):
            self._start_block(number, line, block["who"])
        elif _FOOTNOTE_RE.match(line):
            self.description.blank()
            self.description.add(line)
            self.target, self.target_line = _FOOTNOTE, number
        elif self.sector is None:
            self._read_before_block(number, line)
        else:
            self._read_in_block(number, line, stripped)

    def _read_introduction(self, number: int, line: str) -> None:
        if numbered := _NUMBERED_RE.match(line):
            self.error(
                number,
                _(
                    "%(number)s looks like an undertaking, but it comes before the first outcome heading. "
                    "Add a heading like ‘Outcome 1: title’ above it, or remove the number if it is part of "
                    "the introduction."
                )
                % {"number": numbered["number"]},
            )
        self.introduction.add(line)

    # Outcomes

    def _start_outcome(self, number: int, heading: re.Match) -> None:
        self._end_outcome()
        self.section = "outcome"
        outcome_number = int(heading["number"])
        title = heading["title"].strip()
        if outcome_number == 0:
            self.error(number, _("Outcomes are numbered from 1. Renumber ‘Outcome 0’."))
        if not title:
            self.error(
                number,
                _("Outcome %(number)s has no title. Write it after the colon, like ‘Outcome %(number)s: Fair funding’.")
                % {"number": outcome_number},
            )
        elif len(title) > OUTCOME_TITLE_MAX_LENGTH:
            self.error(
                number,
                _(
                    "The title of Outcome %(number)s is longer than %(max)s characters. Put the title alone on the "
                    "heading line and any more text on the lines below it."
                )
                % {"number": outcome_number, "max": OUTCOME_TITLE_MAX_LENGTH},
            )
        if outcome_number in self.outcome_lines:
            self.error(
                number,
                _(
                    "Outcome %(number)s appears twice, on line %(first)s and here. Each outcome number must be used "
                    "once; if the first is part of a list in the introduction, remove the word ‘Outcome’ and the "
                    "number there."
                )
                % {"number": outcome_number, "first": self.outcome_lines[outcome_number]},
            )
        elif outcome_number:
            previous = max(self.outcome_lines, default=0)
            if outcome_number < previous:
                self.warn(
                    number,
                    _("Outcome %(number)s comes after Outcome %(previous)s. Check the order of the outcomes.")
                    % {"number": outcome_number, "previous": previous},
                )
            elif outcome_number > previous + 1:
                self.warn(
                    number,
                    _("Outcome %(number)s comes after Outcome %(previous)s: is an outcome missing?")
                    % {"number": outcome_number, "previous": previous}
                    if previous
                    else _("The first outcome is numbered %(number)s: is an outcome missing?")
                    % {"number": outcome_number},
                )
            self.outcome_lines[outcome_number] = number
        self.outcome = ParsedOutcome(number=outcome_number, title=title, line=number)
        self.outcomes.append(self.outcome)
        self.description = _Prose()
        self.last_place = 0
        self.places = []
        self.sector = None
        self.block_line = 0
        self.target = None

    def _end_outcome(self) -> None:
        outcome = self.outcome
        if outcome is None:
            return
        self._end_block()
        self._warn_about_gaps(outcome)
        if not outcome.undertakings:
            self.error(
                outcome.line,
                _(
                    "Outcome %(number)s has no undertakings. Put its numbered undertakings under a heading like "
                    "‘Undertakings for the public sector:’, or remove the outcome."
                )
                % {"number": outcome.number},
            )
        for undertaking in outcome.undertakings:
            undertaking.text += "".join(self.more_text.pop(id(undertaking), ()))
            paragraphs = (_collapse(p) for p in undertaking.text.split("\n\n"))
            undertaking.text = "\n\n".join(p for p in paragraphs if p)
            if not undertaking.text:
                self.error(
                    undertaking.line,
                    _("Undertaking %(number)s has no text. Write it after the number.")
                    % {"number": undertaking.number},
                )
        outcome.description = self.description.text
        self.outcome = None
        self.sector = None
        self.target = None

    def _read_before_block(self, number: int, line: str) -> None:
        if numbered := _NUMBERED_RE.match(line):
            self.error(
                number,
                _(
                    "Undertaking %(number)s comes before any ‘Undertakings for …’ heading in Outcome %(outcome)s, "
                    "so it is not clear who makes it. Add a heading like ‘Undertakings for the public sector:’ or "
                    "‘Undertakings for the VCS:’ above it."
                )
                % {"number": numbered["number"], "outcome": self.outcome.number},
            )
            self._add_undertaking(number, numbered, sector="")
            return
        self.description.add(line)

    # Blocks of undertakings

    def _start_block(self, number: int, line: str, who: str) -> None:
        self._end_block()
        sector = _sector_for(who)
        if sector is None:
            self.error(
                number,
                _(
                    "‘%(heading)s’ does not say which sector makes these undertakings. Write "
                    "‘Undertakings for the public sector:’ or ‘Undertakings for the VCS:’."
                )
                % {"heading": line},
            )
            sector = ""
        self.sector = sector
        self.block_line, self.block_heading, self.block_count = number, line, 0
        self.target = None

    def _end_block(self) -> None:
        if self.block_line and not self.block_count:
            self.warn(
                self.block_line,
                _("‘%(heading)s’ has no numbered undertakings under it.") % {"heading": self.block_heading},
            )
        self.block_line = 0

    def _read_in_block(self, number: int, line: str, stripped: str) -> None:
        if _OUTCOME_LIKE_RE.match(line):
            self.error(
                number,
                _(
                    "This looks like an outcome heading but is not written like one. Write it as "
                    "‘Outcome 2: title’, with a colon after the number."
                ),
            )
            return
        first, *others = _SPLIT_RE.split(stripped)
        if numbered := _NUMBERED_RE.match(_collapse(first)):
            self._add_undertaking(number, numbered, sector=self.sector)
        else:
            self._continue(number, _collapse(first))
        for segment in others:
            self._add_undertaking(number, _NUMBERED_RE.match(_collapse(segment)), sector=self.sector)

    def _continue(self, number: int, line: str) -> None:
        target = self.target
        if target is _FOOTNOTE:
            if self.blank_before:
                self.warn(
                    number,
                    _(
                        "This paragraph has been added to the footnote on line %(footnote)s, in the description of "
                        "Outcome %(outcome)s. If it is an undertaking, give it a number."
                    )
                    % {"footnote": self.target_line, "outcome": self.outcome.number},
                )
            self.description.add(line)
        elif target is None:
            self.error(
                number,
                _(
                    "This text is under the heading ‘%(heading)s’ (line %(heading_line)s) but is not a numbered "
                    "undertaking. Number it (for example %(example)s), start it with * if it is a footnote, or move "
                    "it above the heading if it describes the outcome."
                )
                % {
                    "heading": self.block_heading,
                    "heading_line": self.block_line,
                    "example": f"{self.outcome.number}.{self.last_place + 1}",
                },
            )
        elif not target.text:
            target.text = line
        elif self.blank_before:
            self.warn(
                number,
                _(
                    "This paragraph has been added to undertaking %(number)s as a second paragraph. If it is not "
                    "part of %(number)s, give it its own number, or start it with * if it is a footnote."
                )
                % {"number": target.number},
            )
            self._more_text(target, "\n\n" + line)
        else:
            self._more_text(target, " " + line)

    def _more_text(self, undertaking: ParsedUndertaking, text: str) -> None:
        """Lines that continue an undertaking are joined once, at the end of its outcome: adding each
        to a growing string would copy it each time (seconds for thousands of lines)."""
        self.more_text.setdefault(id(undertaking), []).append(text)

    def _add_undertaking(self, number: int, numbered: re.Match, *, sector: str) -> None:
        outcome = self.outcome
        label = numbered["number"]
        undertaking = ParsedUndertaking(number=label, sector=sector, text=numbered["text"], line=number)
        outcome.undertakings.append(undertaking)
        self.target = undertaking
        self.block_count += 1
        if not UNDERTAKING_NUMBER_RE.match(label):
            self.error(
                number,
                _(
                    "%(number)s is not an undertaking number. "
                    "Number undertakings %(outcome)s.1, %(outcome)s.2 and so on."
                )
                % {"number": label, "outcome": outcome.number},
            )
            return
        major, place = (int(part) for part in label.split("."))
        if major != outcome.number:
            self.error(
                number,
                _("Undertaking %(number)s is under Outcome %(outcome)s; its number must start with %(outcome)s.")
                % {"number": label, "outcome": outcome.number},
            )
            return
        if label in self.undertaking_lines:
            self.error(
                number,
                _("Undertaking %(number)s appears twice, on line %(first)s and here. Each number must be used once.")
                % {"number": label, "first": self.undertaking_lines[label]},
            )
            return
        self.undertaking_lines[label] = number
        if place < self.last_place:
            self.warn(
                number,
                _("Undertaking %(number)s comes after %(previous)s. Check the numbering.")
                % {"number": label, "previous": f"{outcome.number}.{self.last_place}"},
            )
        self.last_place = place
        self.places.append((place, undertaking))

    def _warn_about_gaps(self, outcome: ParsedOutcome) -> None:
        """A warning for each run of missing numbers, on the line of the number after it."""
        previous = 0
        for place, undertaking in sorted(self.places, key=lambda item: item[0]):
            if place > previous + 1:
                missing = _number_range(outcome.number, previous + 1, place - 1)
                if place - previous == 2:
                    missing_text = _("%(missing)s is missing") % {"missing": missing}
                else:
                    missing_text = _("%(missing)s are missing") % {"missing": missing}
                if previous:
                    message = _(
                        "Undertaking %(number)s is the next number after %(previous)s, so %(missing)s. Check that "
                        "no undertaking has been lost or joined to the one before it."
                    ) % {
                        "number": undertaking.number,
                        "previous": f"{outcome.number}.{previous}",
                        "missing": missing_text,
                    }
                else:
                    message = _(
                        "Undertaking %(number)s is the lowest number in Outcome %(outcome)s, so %(missing)s."
                    ) % {
                        "number": undertaking.number,
                        "outcome": outcome.number,
                        "missing": missing_text,
                    }
                self.warn(undertaking.line, message)
            previous = place
