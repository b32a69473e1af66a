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

Welsh documents read the same way, with their Welsh headings (``Canlyniad 2: …``, ``Bydd y Cyngor
yn:``, ``Ymgymeriadau ar gyfer y sector gwirfoddol:``, ``Gwneud i'r Compact weithio``, ``Datrys
gwahaniaethau``); a bilingual document is split by each line's language and each half read on its
own (``read_bilingual_text``, at the end of this module).

Other councils' shapes, read where what follows a line shows what it is (each guess warned of, or
told on the check page, and every one overridden by a rule):

- chapters numbered ``3. Fair funding`` or named ``Theme 3 – …``, ``Priority 3: …``, ``Part 3 …``
  (``_dotted_outcome_lines``), and, in a document with no numbered outcome at all, a short heading
  straight above a block heading (``_titled_outcome_lines``); ``Outcome 3`` with its title on the
  next line (``_titles_below``);
- block headings worded ``… undertake(s) to:``, ``… commit(s) to:``, ``What the Council will do:``,
  ``Commitments by …``, ``Mae'r Cyngor yn ymrwymo i:`` (``_block_shape``); one of that shape naming
  no sector known, after a finished sentence, is an error asking for a rule;
- lists numbered on their own (``1.``, ``(2)``, ``A1``) under a block heading, given the outcome's
  next number like bullets; numbered principles;
- the document's list of signatories, and a glossary or an appendix after the outcomes, left out
  with a warning naming their lines.

Warnings (shown before saving; the user decides): gaps and out-of-order numbers (1.1 then 1.3),
outcomes out of order, a block heading with no undertakings under it, and a paragraph added to
an undertaking after a blank line.
"""

import re
import statistics
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commitments.models import UNDERTAKING_NUMBER_RE

OUTCOME_TITLE_MAX_LENGTH = 300


def _count_by_sector(undertakings: list["ParsedUndertaking"]) -> dict[str, int]:
    counts = {"public": 0, "vcs": 0}
    for undertaking in undertakings:
        counts[undertaking.sector] = counts.get(undertaking.sector, 0) + 1
    return counts


@dataclass
class ParsedUndertaking:
    number: str  # "2.4"
    sector: str  # "public", "vcs" or "joint" (both sectors); "" when unknown (an error says so)
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
class ParsedPart:
    """A principle (title and what it means) or a code of practice (title and text)."""

    title: str
    text: str
    line: int


@dataclass
class ParsedCompact:
    title: str
    introduction: str
    outcomes: list[ParsedOutcome]
    making_it_work: str = ""
    dispute_resolution: str = ""
    contacts: str = ""
    principles: list[ParsedPart] = field(default_factory=list)
    codes_of_practice: list[ParsedPart] = field(default_factory=list)
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
            principles = [ParsedPart(**part) for part in data["principles"]]
            codes = [ParsedPart(**part) for part in data["codes_of_practice"]]
            return cls(
                **{
                    **data,
                    "outcomes": outcomes,
                    "warnings": warnings,
                    "principles": principles,
                    "codes_of_practice": codes,
                }
            )
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
    """The text could not be read; ``errors`` says which lines and why, ``kinds`` what each line
    was read as (empty for a file that is not text at all)."""

    def __init__(self, errors: list[LineError], kinds: list[str] | None = None):
        self.errors = errors
        self.kinds = kinds or []
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

# What each line was read as, shown beside it in the structure preview.
KIND_BLANK = ""
KIND_TITLE = "title"
KIND_OUTCOME = "outcome"
KIND_SECTOR = "sector"
KIND_UNDERTAKING = "undertaking"
KIND_CONTINUATION = "continuation"
KIND_SECTION = "section"
KIND_PRINCIPLE = "principle"
KIND_TEXT = "text"
KIND_FOOTNOTE = "footnote"
KIND_IGNORED = "ignored"


def kind_labels() -> dict[str, str]:
    """The words shown for each kind of line (translated when called)."""
    return {
        KIND_BLANK: "",
        KIND_TITLE: _("Title"),
        KIND_OUTCOME: _("Outcome heading"),
        KIND_SECTOR: _("Sector heading"),
        KIND_UNDERTAKING: _("Undertaking"),
        KIND_CONTINUATION: _("Continuation"),
        KIND_SECTION: _("Section"),
        KIND_PRINCIPLE: _("Principle"),
        KIND_TEXT: _("Text"),
        KIND_FOOTNOTE: _("Footnote"),
        KIND_IGNORED: _("Ignored"),
    }


JOINT = "joint"  # undertakings both sectors make (UndertakingSector.JOINT)

# The coordinator's reading rules, in plain words (commitments.models.ImportRule keeps them).
RULE_OUTCOME = "outcome"  # lines starting with TEXT are outcome headings
RULE_SECTOR = "sector"  # TEXT means SECTOR
RULE_IGNORE = "ignore"  # ignore lines like TEXT


@dataclass(frozen=True)
class ReadingRule:
    kind: str
    text: str  # a literal start of a line; # stands for any digit
    sector: str = ""  # for RULE_SECTOR: "public", "vcs" or "joint"


def rule_pattern(text: str) -> re.Pattern:
    """The start of a line the rule text describes: literal characters, # (or ##…) for a number,
    any run of spaces for any run of spaces. Each repetition is followed by a character it cannot
    match, so matching is linear."""
    parts = []
    for word in text.split():
        pieces = re.split(r"(#+)", word)
        parts.append("".join(r"\d+" if piece.startswith("#") else re.escape(piece) for piece in pieces))
    return re.compile(r"\s+".join(parts), re.IGNORECASE)


def as_rule_text(text: str) -> str:
    """A line as the text of an "ignore lines like" rule: each number becomes #."""
    return re.sub(r"\d+", "#", text)


class _CompiledRules:
    def __init__(self, rules) -> None:
        self.outcome, self.sector, self.ignore = [], [], []
        for rule in rules:
            if not rule.text.split():
                continue
            pattern = rule_pattern(rule.text)
            if rule.kind == RULE_OUTCOME:
                self.outcome.append(pattern)
            elif rule.kind == RULE_SECTOR and rule.sector in ("public", "vcs", JOINT):
                self.sector.append((pattern, rule.sector))
            elif rule.kind == RULE_IGNORE:
                self.ignore.append(pattern)

        self.any = bool(self.outcome or self.sector or self.ignore)

    def ignores(self, line: str) -> bool:
        """Lines *like* the rule's text: the whole line, so that no other text is ever dropped."""
        return any(p.fullmatch(line) for p in self.ignore)

    def outcome_start(self, line: str) -> re.Match | None:
        for pattern in self.outcome:
            if found := pattern.match(line):
                return found
        return None

    def sector_of(self, line: str) -> str | None:
        for pattern, sector in self.sector:
            found = pattern.match(line)
            if found and line[found.end() :].strip(" :") == "":
                return sector
        return None


_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
# "Outcome 3: title", "Commitment 3 – title", "Section 3. title", "Canlyniad 3 / Outcome 3: title".
_OUTCOME_WORD = r"(?:outcome|commitment|section|canlyniad|ymrwymiad|adran)"
# An outcome's number in words, as some councils write it: "Outcome One: …".
_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"), start=1
    )
}
_OUTCOME_NUMBER = rf"(?:\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})"
_OUTCOME_HEADING_RE = re.compile(
    rf"^(?:{_OUTCOME_WORD}\s+\d{{1,3}}\s*/\s*)?{_OUTCOME_WORD}\s+(?P<number>{_OUTCOME_NUMBER})\s*[:.\-–—]\s*(?P<title>.*)$",
    re.IGNORECASE,
)


def _number_of(text: str) -> int:
    """The number of "12" or "twelve"."""
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


# "3: A title" (a colon, and a title starting with a letter).
_BARE_OUTCOME_RE = re.compile(r"^(?P<number>\d{1,3})\s*:\s*(?P<title>[^\W\d_].*)$")
# "3. A title", as the national Compact of 2010 and many local ones number their chapters: an outcome
# heading only where what follows it shows it is one (``_dotted_outcome_lines``).
_DOTTED_OUTCOME_RE = re.compile(r"^(?P<number>\d{1,2})\.\s+(?P<title>[^\W\d_].{0,150})$")
# "Theme 3 – A title", "Priority 3: …", "Part 3. …": other councils' words for an outcome, read as one
# where what follows shows it is one, as "3. A title" is.
_NAMED_OUTCOME_RE = re.compile(
    r"^(?:theme|priority|objective|chapter|part|standard|aim|thema|blaenoriaeth|amcan|pennod|rhan)\s+"
    r"(?P<number>\d{1,2})\s*[:.\-–—]\s*(?P<title>[^\W\d_].{0,150})$",
    re.IGNORECASE,
)
# Titles of what comes before the outcomes, whatever heads them: "Section 1: Introduction".
_PREAMBLE_TITLE_RE = re.compile(
    r"^(?:introduction|background|foreword|preface|purpose|scope|context|overview|(?:our\s+)?vision"
    r"|(?:executive\s+)?summary|about\s+(?:this|the|our)\s+compact|cyflwyniad|cefndir|rhagair|diben|cwmpas|trosolwg)"
    r"(?:\s+(?:and|a|ac)\s+[^\W\d_][\w\s]{0,40})?\s*:?$",
    re.IGNORECASE,
)
_OUTCOME_LIKE_RE = re.compile(rf"^{_OUTCOME_WORD}\s+\d{{1,3}}\b", re.IGNORECASE)
# "Outcome 3" alone on its line, its title on the next (as a Word document's two-line heading reads).
_OUTCOME_ALONE_RE = re.compile(rf"^{_OUTCOME_WORD}\s+(?P<number>{_OUTCOME_NUMBER})\s*[:.\-–—]?$", re.IGNORECASE)
_BLOCK_HEADING_RE = re.compile(
    r"^(?:(?:undertakings?|commitments|pledges|responsibilities)\s+(?:for|by|of|from)"
    r"|ymgymeriad(?:au)?\s+(?:ar\s+gyfer|gan|i))\s+(?P<who>[^.:]{1,80}?)\s*:?$",
    re.IGNORECASE,
)
# "The Council will:", "Public bodies will:", "Both sectors will:", "Organisations that have signed will:",
# "The VCS undertakes to:", "Public bodies commit to:", "The Council is committed to:", "Partners shall:".
_WILL_RE = re.compile(
    r"^(?P<who>[^.:;]{1,80}?)\s+(?:will(?:\s+do|\s+(?:aim|seek|try|endeavour|work)\s+to)?|shall"
    r"|(?:agree|undertake|commit|pledge|promise)s?\s+to|(?:is|are)\s+committed\s+to)\s*:?$",
    re.IGNORECASE,
)
# The line ends (lower case, without its colon) of those headings: tested before the pattern.
_WILL_ENDS = ("will", " to", "shall", "ll do")
# Welsh: "Bydd y Cyngor yn:", "Bydd cyrff cyhoeddus yn:", "Bydd y ddau sector yn:"; "Mae'r Cyngor yn
# ymrwymo i:", "Mae'r sector gwirfoddol yn cytuno i:".
_WELSH_WILL_RE = re.compile(
    r"^(?:bydd\s+(?P<who>[^.:;]{1,80}?)\s+yn|mae\S{0,3}\s+(?P<who2>[^.:;]{1,80}?)\s+yn\s+(?:ymrwymo|cytuno|addo)\s+i)"
    r"\s*:?$",
    re.IGNORECASE,
)
_JOINT_HEADING_RE = re.compile(
    r"^(?:(?:joint|shared)\s+(?:undertakings|commitments)(?:\s+for\s+both\s+sectors)?"
    r"|(?:ymgymeriadau|ymrwymiadau)\s+(?:ar\s+y\s+cyd|a\s+rennir)(?:\s+ar\s+gyfer\s+y\s+ddau\s+sector)?)\s*:?$",
    re.IGNORECASE,
)
_HEADING_NUMBER_RE = re.compile(r"^(?:(?:section|part|adran)\s+)?\d{1,2}\s*[.:)\-–—]?\s+", re.IGNORECASE)
_MAKING_RE = re.compile(
    r"^(?:making\s+(?:the|our|this)\s+compact\s+work|implementing\s+the\s+compact"
    r"|monitoring(?:\s+and\s+review(?:ing)?)?(?:\s+(?:of\s+)?the\s+compact)?|review(?:ing)?\s+(?:of\s+)?the\s+compact"
    r"|gwneud\s+i(?:['’]r|\s+ein)\s+compact\s+weithio|rhoi(?:['’]r|\s+y)\s+compact\s+ar\s+waith"
    r"|monitro(?:\s+ac\s+adolygu)?(?:\s+y\s+compact)?)\s*:?$",
    re.I,
)
_DISPUTE_RE = re.compile(
    r"^(?:resolving\s+(?:differences|disagreements|disputes|concerns)|(?:dispute|disagreement)\s+resolution"
    r"|(?:dealing\s+with|handling)\s+(?:disputes|disagreements|breaches)|breaches\s+of\s+the\s+compact"
    r"|when\s+things\s+go\s+wrong"
    r"|datrys\s+(?:gwahaniaethau|anghytundebau|anghydfodau|pryderon))\s*:?$",
    re.IGNORECASE,
)
_CONTACTS_RE = re.compile(
    r"^(?:(?:useful\s+|further\s+|key\s+)?contacts?(?:\s+details)?(?:\s+and\s+further\s+information)?"
    r"|(?:manylion\s+cyswllt|cysylltiadau(?:\s+defnyddiol)?))\s*:?$",
    re.I,
)
_PRINCIPLES_RE = re.compile(
    r"^(?:(?:our\s+|the\s+)?(?:shared\s+|compact\s+|guiding\s+)?principles(?:\s+of\s+the\s+compact)?"
    r"|(?:ein\s+h?|yr\s+)?egwyddorion(?:\s+(?:y\s+compact|a\s+rennir))?)\s*:?$",
    re.I,
)
# The document's own list of who signed: not imported (the register records who signed each edition).
_SIGNATORIES_RE = re.compile(
    r"^(?:(?:list\s+of\s+|our\s+)?signatories|signatures|signed(?:\s+on\s+behalf\s+of\s+the\s+partners)?"
    r"|(?:rhestr\s+o\s+)?llofnodwyr|llofnodion)\s*:?$",
    re.IGNORECASE,
)
# A glossary or an appendix after the Compact: not imported either (the edition has no part for it).
_ANNEX_RE = re.compile(
    r"^(?:glossary(?:\s+of\s+terms)?|definitions|abbreviations(?:\s+and\s+acronyms)?|jargon\s+buster|geirfa"
    r"|diffiniadau|(?:appendix|appendices|annexe?|atodiad(?:au)?)(?:\s+[A-Z0-9]{1,3})?(?:\s*[:.\-–—]\s*[^:]{1,80})?)"
    r"\s*:?$",
    re.IGNORECASE,
)
_INTRODUCTION_RE = re.compile(r"^(?:introduction|background|cyflwyniad|cefndir)\s*:?$", re.IGNORECASE)
_FOOTNOTE_RE = re.compile(r"^[*†‡]")
# "2.4 Text", "2.4. Text", "2.4) Text", "2.7Text", or "2.4" alone (its text on the next line).
_NUMBER = r"\d{1,3}\.\d{1,3}(?!\d)(?!\.\d)"
_NUMBERED_RE = re.compile(rf"^(?P<number>{_NUMBER})[.)]?(?:\s+|(?=[^\W\d_])|$)(?P<text>.*)$")
# "(a) Text", "b) Text", "(iv) Text"; "• Text", "- Text".
_LETTERED_RE = re.compile(r"^(?P<mark>\(?(?:[a-z]|[ivx]{1,4})\))\s+(?P<text>\S.*)$", re.IGNORECASE)
# "1. Text", "2) Text", "(3) Text", "A1 Text", "B.2 Text", "1a Text": a list numbered on its own under a
# block heading (not 2.4).
_LIST_NUMBER_RE = re.compile(
    r"^(?P<mark>\(\d{1,2}\)|\d{1,2}[a-z]?[.)]|\d{1,2}[a-z]|[A-Z]\.?\d{1,2}[.)]?)\s+(?P<text>[^\W\d_‘“\"'].*)$"
)
# "Section A: Consultation", "Part B – Funding": the lettered start of an outcome read by its place.
_LETTERED_HEADING_RE = re.compile(
    r"^(?:section|part|chapter|outcome|commitment|adran|rhan)\s+[A-Z]\s*[:.\-–—]\s*(?=\S)", re.IGNORECASE
)
_BULLET_CHARS = "•·▪◦●■□➢►-–—"
_BULLET_RE = re.compile(rf"^(?P<mark>[{re.escape(_BULLET_CHARS)}])\s*(?P<text>\S.*)$")
# Several undertakings on one line: two or more spaces (or tabs) before the next number.
# Linear on any text: a run of spaces is only tried from its start (the look-behind), and taken
# whole, never given back (possessive ``{2,}+``, ``++``). Without these, each of the n places in a
# long run of spaces was tried, each scanning the rest of the run: seconds for a 25 KB line.
_SPLIT_RE = re.compile(rf"(?<!\s)\s{{2,}}+(?={_NUMBER}[.)]?(?:\s++\S|[^\W\d_]))")
_PUBLIC_RE = re.compile(
    r"\b(?:public|government|councils?|local\s+authorit(?:y|ies)|statutory|nhs|police|integrated\s+care"
    r"|icbs?|ccgs?|fire\s+and\s+rescue|health\s+(?:bodies|partners|services|boards?|trusts?)|bwrdd\s+iechyd"
    r"|\w{0,3}yhoeddus|ngh?yngor|[cg]yngor|chyngor|cynghorau|awdurdod(?:au)?\s+lleol|statudol|gig|heddlu"
    r"|llywodraeth)\b",
    re.IGNORECASE,
)
_VCS_RE = re.compile(
    r"\b(?:vcf?se?|voluntary|civil\s+society|csos?|third[\s-]+sector|charit(?:y|ies)|organisations?\s+that\s+have\s+signed"
    r"|community\s+(?:groups?|organisations?|sector)|faith\s+(?:groups?|organisations?|sector)|social\s+enterprises?"
    r"|cvs|vcs?os?|tsos?"
    r"|sgc|gwirfoddol|trydydd\s+sector|elusennau|elusen|mudiadau|mudiad|cymdeithas\s+sifil"
    r"|(?:grwpiau|sefydliadau)\s+cymunedol"
    r"|sefydliadau\s+sydd\s+wedi\s+llofnodi)\b",
    re.IGNORECASE,
)
_JOINT_RE = re.compile(
    r"\b(?:both\s+sectors|together\s+we|we\s+(?:both|jointly)|all\s+partners|joint"
    r"|y\s+ddau\s+sector|gyda['’]n\s+gilydd|pob\s+partner|(?:yr\s+)?holl\s+bartneriaid|ar\s+y\s+cyd)\b",
    re.I,
)
# A page number that has found its way into the text: "12", "Page 4", "Page 4 of 12", "- 7 -".
_PAGE_LINE_RE = re.compile(
    r"^(?:(?:page|tudalen)\s+)?\d{1,4}(?:\s+(?:of|o)\s+\d{1,4})?$|^[-–]\s?\d{1,4}\s?[-–]$", re.IGNORECASE
)
_PAGE_IN_TEXT_RE = re.compile(r"\b(?:page \d{1,4} of|tudalen \d{1,4} o) \d{1,4}\b", re.IGNORECASE)
# Another undertaking's number inside a text: "… the sector. 1.5 Tell the …" (text is collapsed).
_INNER_NUMBER_RE = re.compile(r"(?<![\w.,])(?P<major>\d{1,3})\.(?P<place>\d{1,3})(?![\d.,])[.)]? ?(?=[A-Z])")
# A line in the introduction that may be an outcome heading the reader did not know: "Theme 1 – …".
_CANDIDATE_RE = re.compile(r"^(?P<prefix>[^\d]{0,40}?)(?P<number>\d{1,3})(?![\d.])")
_RULE_NUMBER_RE = re.compile(r"\d{1,3}")
_TITLE_START_RE = re.compile(r"^[\s:.\-–—/)]*")
# A principle's own number: "1. Respect: …", "(b) Honesty – …", "Principle 3: Independence – …".
_PRINCIPLE_NUMBER_RE = re.compile(
    r"^(?:(?:principle|egwyddor)\s+\d{1,2}\s*[.:)\-–—]?\s*|\d{1,2}[.)]\s+|\(?[a-z]\)\s+)", re.IGNORECASE
)
# Principles: "Respect: what it means", "Honesty – what it means", "• Equality".
_PRINCIPLE_RE = re.compile(r"^(?:[•·\-–]\s*)?(?P<title>[^\W\d_][^:–—]{0,60}?)\s*[:–—]\s*(?P<text>\S.*)$")

LONG_UNDERTAKING_CHARS = 1500
LONG_UNDERTAKING_FACTOR = 5


# What a line shaped like a block heading says: the sector it names (None: none we know), and whether
# it is shaped "… will:" (True) rather than "Undertakings for …" or "Joint undertakings" (False).
BlockShape = tuple[str | None, bool]


def _block_shape(line: str) -> BlockShape | None:
    """What a line shaped like a block heading ("The Council will:", "Undertakings for the VCS")
    says (see ``BlockShape``); None when it is not shaped like one. Cheap tests of the line's start
    and end first: most lines are undertakings or their continuations."""
    start, end = line[:11].lower(), line[-6:].lower().rstrip(" :")
    if start.startswith(("joint", "shared", "ymgymeriad", "ymrwymiad")) and _JOINT_HEADING_RE.match(line):
        return JOINT, False
    if start.startswith(("undertaking", "ymgymeriad", "commitments", "pledges", "responsibi")) and (
        block := _BLOCK_HEADING_RE.match(line)
    ):
        return _sector_for(block["who"]), False
    if end.endswith(_WILL_ENDS) and (will := _WILL_RE.match(line)):
        return _sector_for(will["who"]), True
    if start.startswith(("bydd", "mae")) and end.endswith((" yn", " i")) and (will := _WELSH_WILL_RE.match(line)):
        return _sector_for(will["who"] or will["who2"]), True
    return None


def _outcome_or_section_shaped(line: str) -> bool:
    return bool(_OUTCOME_HEADING_RE.match(line) or _BARE_OUTCOME_RE.match(line) or _SECTION_RE.match(line))


def _dotted_outcome_lines(lines: list[str], shapes: list[BlockShape | None], special: list[bool]) -> set[int]:
    """The numbers of the lines written "3. A title" that head an outcome: the next thing that is not
    text is a block heading ("The Council will:") or an undertaking numbered 3.x. "1. Introduction"
    (text follows), "3. Our commitments" (an "Outcome 1: …" heading follows) and "3. Contacts" are
    not, nor the items of a list numbered on its own under a block heading ("1. Consult early",
    "2. Say why", each the number after the one before), except the item just before a second
    block of a sector in the chapter, numbered as the next chapter ("2. Funding" after chapter 1's
    lists, above its own "The Council will:"). One pass over the lines (collapsed, with each one's
    block shape and whether it can be special, worked out once: ``_Parser.__init__``)."""
    found: set[int] = set()
    open_heading: tuple[int, int] | None = None  # (line, its number) not yet shown to be an outcome's
    list_number: int | None = None  # the last item's number, in a list numbered on its own
    chapter = 0  # the number of the last chapter found
    sectors: set = set()  # the sectors of the block headings since it
    last_item: tuple[int, int] | None = None  # (line, number) of the line before, when a list's item
    for index, line in enumerate(lines):
        if not line or not special[index]:
            continue
        number = index + 1
        item, last_item = last_item, None
        if (named := _NAMED_OUTCOME_RE.match(line)) and not line.endswith((".", ";", ",")):
            open_heading, list_number = (number, int(named["number"])), None
            continue
        if line[0].isdigit() and (dotted := _DOTTED_OUTCOME_RE.match(line)):
            place = int(dotted["number"])
            if (list_number is not None and place == list_number + 1) or line.endswith((".", ";", ",")):
                list_number = place  # an item of a list, not a chapter
                if not line.endswith((".", ";", ",")):
                    last_item = (number, place)
            else:
                open_heading, list_number = (number, place), None
            continue
        if line[0].isdigit() and (numbered := _NUMBERED_RE.match(line)):
            if open_heading is not None and numbered["number"].split(".")[0] == str(open_heading[1]):
                found.add(open_heading[0])
                chapter, sectors = open_heading[1], set()
            open_heading = list_number = None
        elif (shape := shapes[index]) is not None:
            if open_heading is not None:
                found.add(open_heading[0])
                chapter, sectors = open_heading[1], set()
            elif item is not None and chapter and item[1] == chapter + 1 and shape[0] in sectors:
                found.add(item[0])
                chapter, sectors = item[1], set()
            sectors.add(shape[0])
            open_heading, list_number = None, 0
        elif _outcome_or_section_shaped(line):
            open_heading = list_number = None
    return found


def _titles_below(lines: list[str], shapes: list[BlockShape | None]) -> dict[int, int]:
    """For each "Outcome 3" alone on its line, the number of the line below that is its title: the
    next line that is not blank, when it is short text (not a heading, not an undertaking)."""
    found: dict[int, int] = {}
    for index, line in enumerate(lines):
        if not line or not _OUTCOME_ALONE_RE.match(line):
            continue
        below = next((at for at in range(index + 1, min(index + 3, len(lines))) if lines[at]), None)
        if below is None:
            continue
        title = lines[below]
        if (
            len(title) <= OUTCOME_TITLE_MAX_LENGTH
            and shapes[below] is None
            and not _NUMBERED_RE.match(title)
            and not _OUTCOME_LIKE_RE.match(title)
            and not title.endswith((".", ",", ";"))
            and title[0] not in _BULLET_CHARS
        ):
            found[index + 1] = below + 1
    return found


def _titled_outcome_lines(lines: list[str], shapes: list[BlockShape | None], special: list[bool]) -> set[int]:
    """In a document with no outcome headings of a shape we know, the numbers of the lines that head
    an outcome by their place alone: a short line starting with a capital, ending no sentence, after
    a finished sentence (or a blank line, or a heading), straight above a block heading ("Fair
    funding" above "Public bodies will:", as a Word document's unnumbered Heading 1 reads). Each is
    read as the next outcome, with a warning. Not one holding a number near its start ("Theme 1 – …":
    the reader suggests a rule for those). None when any line is an outcome heading of a known
    shape. One pass (see ``_dotted_outcome_lines``)."""
    found: set[int] = set()
    candidate = 0  # the line before, when it may head an outcome
    ended = True  # the line before that ended a sentence, or was a heading
    first = True
    for index, line in enumerate(lines):
        if not line:
            ended = True
            continue
        heading = False
        if special[index]:
            if _OUTCOME_HEADING_RE.match(line) or _BARE_OUTCOME_RE.match(line):
                return set()
            if shapes[index] is not None:
                heading = True
                if candidate:
                    found.add(candidate)
            else:
                heading = bool(_SECTION_RE.match(line) or _INTRODUCTION_RE.match(line))
        candidate = (
            index + 1
            if not first
            and ended
            and not heading
            and len(line) <= 100
            and line[0].isupper()
            and not line.endswith((".", ",", ";", ":", "!", "?"))
            and line[0] not in _BULLET_CHARS
            and not _NUMBERED_RE.match(line)
            and not _LETTERED_RE.match(line)
            and not _CANDIDATE_RE.match(line)  # "Theme 1 – …": a rule reads it, with its number
            else 0
        )
        ended = first or heading or line.endswith((".", "!", "?", ":", ";", "’", '"', "”"))
        first = False
    return found


def heading_shaped(line: str) -> bool:
    """Whether the line is shaped like a heading the reader knows (an outcome's, a block of
    undertakings', a part's) or ends with a colon, wherever it stands. The clean-up
    (``import_sources``) never takes such a line for a running header, however regularly it comes
    back: "The VCS will:" heads a block in every outcome."""
    line = " ".join(line.split())
    return bool(
        line.endswith(":")
        or _OUTCOME_HEADING_RE.match(line)
        or _BARE_OUTCOME_RE.match(line)
        or _block_shape(line) is not None
        or _SECTION_RE.match(line)
    )


def split_lines(text: str) -> list[str]:
    """The lines of a text as the reader numbers them (CRLF, CR or LF; a BOM is dropped)."""
    return _LINE_BREAK_RE.split(text.removeprefix("\ufeff"))


def parse_compact_text(text: str, rules=()) -> ParsedCompact:
    """Read a local Compact from plain text (see the module docstring for the shape it reads);
    CompactTextError when any line cannot be read, or the reading is not safe to save."""
    return _Parser(text, rules).parse()


def _collapse(text: str) -> str:
    return " ".join(text.split())


# A council for voluntary service (or action) is the VCS's own infrastructure body, not a council.
_CVS_RE = re.compile(r"\bcouncils?\s+for\s+voluntary\s+(?:service|action)s?\b", re.IGNORECASE)


def sectors_named(text: str) -> tuple[bool, bool]:
    """Whether the text names the public sector, and whether it names the VCS, in the reader's words
    (English and Welsh); the clean-up (``import_sources``) reads table column headings with them."""
    text = _CVS_RE.sub("CVS", text)
    return bool(_PUBLIC_RE.search(text)), bool(_VCS_RE.search(text))


def _sector_for(who: str) -> str | None:
    """The sector a heading's "who" names; None when it names neither, or both (left to a rule)."""
    if _JOINT_RE.search(who):
        return JOINT
    public, vcs = sectors_named(who)
    if public == vcs:
        return None
    return "public" if public else "vcs"


def _sector_label(sector: str) -> str:
    return {
        "public": _("the public sector"),
        "vcs": _("the voluntary and community sector"),
        JOINT: _("both sectors"),
    }.get(sector, sector)


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


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
_ORPHAN = object()  # marks "unnumbered text under a block heading, already reported"

# A file with this many problems (or warnings) is not a Compact with a few slips: reading stops
# there, so that a crafted or wrong file costs a bounded time (each message is translated).
MAX_ERRORS = 100
MAX_WARNINGS = 200

# Every line that can be a heading, a numbered item or a footnote matches this; most running text
# does not, and is read without trying each heading in turn (a megabyte of text reads in well under
# a second).
_SPECIAL_START_RE = re.compile(
    r"\d|[*†‡(]|outcome|commitment|section|canlyniad|ymrwymiad|adran|intro|backg|cyfl|cefn|bydd|mae|ymgymer|tudalen"
    r"|theme|priorit|objective|chapter|part|standard|aim|thema|blaenoriaeth|amcan|pennod|rhan"
)
_SPECIAL_WORD_RE = re.compile(
    r"mak|impl|resol|disp|disag|contact|princip|code|undertak|joint|shared|will|agree|commit|pledge|promise|shall"
    r"|monit|review|breach|wrong|responsib|sign|llofnod|gloss|defin|abbrev|jargon|append|annex|geirfa|diffin|atodiad"
    r"|gwneud|rhoi|datrys|cyswllt|cysyllt|egwyddor|cod |cod$|ymgymer|ar y cyd|rennir"
)


def _is_special(line: str) -> bool:
    lower = line.lower()  # no IGNORECASE: a search for literals in lower case is several times faster
    return bool(_SPECIAL_START_RE.match(lower) or _SPECIAL_WORD_RE.search(lower))


_SECTION_WORD_RE = re.compile(
    r"mak|impl|resol|disp|disag|contact|princip|code|monit|review|breach|wrong|sign"
    r"|gloss|defin|abbrev|jargon|append|annex|geirfa|diffin|atodiad"
    r"|gwneud|rhoi|datrys|cyswllt|cysyllt|egwyddor|llofnod|cod\b",
    re.IGNORECASE,
)
_SECTION_RE = re.compile(
    "|".join(
        f"(?P<{name}>{pattern.pattern})"
        for pattern, name in (
            (_MAKING_RE, "making_it_work"),
            (_DISPUTE_RE, "dispute_resolution"),
            (_CONTACTS_RE, "contacts"),
            (_PRINCIPLES_RE, "principles"),
            (_SIGNATORIES_RE, "signatories"),
            (_ANNEX_RE, "annex"),
        )
    ),
    re.IGNORECASE,
)


class _TooManyProblems(Exception):
    def __init__(self, line: int):
        self.line = line
        super().__init__(line)


class _Parser:
    def __init__(self, text: str, rules=()) -> None:
        self.lines = split_lines(text)
        self.rules = _CompiledRules(rules)
        # Each line collapsed, whether it can be special (``_is_special``), and its block shape: worked
        # out once, for the two passes that find outcome headings by what follows them and the reading.
        collapsed = [" ".join(raw.split()) for raw in self.lines]
        special = [bool(line) and _is_special(line) for line in collapsed]
        self.shapes = [_block_shape(line) if can else None for line, can in zip(collapsed, special, strict=True)]
        self.dotted_outcomes = _dotted_outcome_lines(collapsed, self.shapes, special)
        self.titles_below = _titles_below(collapsed, self.shapes)
        self.heading_of_title = {title: heading for heading, title in self.titles_below.items()}
        self.titled_outcomes = (
            set()
            if self.dotted_outcomes or self.rules.outcome
            else _titled_outcome_lines(collapsed, self.shapes, special)
        )
        self.kinds: list[str] = [KIND_BLANK] * len(self.lines)
        self.errors: list[LineError] = []
        self.warnings: list[LineError] = []
        self.title: str | None = None
        self.introduction = _Prose()
        self.making_it_work = _Prose()
        self.dispute_resolution = _Prose()
        self.contacts = _Prose()
        self.left_out: list[int] = []  # the lines of the signatories' list or an annex, not imported
        self.principle_prose = _Prose()  # text under "Principles" that is not a principle
        self.principles: list[ParsedPart] = []
        self.codes: list[ParsedPart] = []
        self.code_prose = _Prose()
        self.section = "introduction"  # or "outcome", "principles", "code", "making_it_work", …
        self.section_heading = ("", 0)
        self.outcomes: list[ParsedOutcome] = []
        self.outcome_lines: dict[int, int] = {}  # outcome number -> line of its heading
        self.undertaking_lines: dict[str, int] = {}  # undertaking number -> line
        self.early: list[tuple[int, str]] = []  # numbered lines before any outcome heading
        self.candidates: dict[int, tuple[int, str, str]] = {}  # number -> (line, text, prefix)
        self.sectors_named: dict[str, tuple[int, str]] = {}  # sector -> (line, heading) first naming it
        # The outcome being read.
        self.outcome: ParsedOutcome | None = None
        self.description = _Prose()
        self.last_place = 0  # place (the 4 of 2.4) of the undertaking read last in this outcome
        self.places: list[tuple[int, ParsedUndertaking]] = []  # correctly numbered ones, for the gap check
        self.unsectored: list[tuple[int, str]] = []  # numbered before any block heading in this outcome
        self.sector: str | None = None  # None before the outcome's first block heading
        self.outcome_blocks: dict[str, int] = {}  # sector -> line of its first block heading in this outcome
        self.block_line = 0
        self.block_heading = ""
        self.block_count = 0
        self.target: ParsedUndertaking | object | None = None  # what a continuation line joins
        self.target_line = 0
        self.blank_before = False
        # The line before ended a sentence (or was a heading): what follows may be a heading.
        self.previous_ended = True
        self.more_text: dict[int, list[str]] = {}  # id of an undertaking -> the lines that continue it

    def error(self, line: int, message: str) -> None:
        self.errors.append(LineError(line, message))
        if len(self.errors) >= MAX_ERRORS:
            raise _TooManyProblems(line)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(LineError(line, message))
        if len(self.warnings) >= MAX_WARNINGS:
            raise _TooManyProblems(line)

    def mark(self, number: int, kind: str) -> None:
        self.kinds[number - 1] = kind

    # The whole file

    def parse(self) -> ParsedCompact:
        try:
            self._read_all()
            if not self.errors:
                self._check_whole()
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
            raise CompactTextError(sorted(self.errors, key=lambda e: e.line), self.kinds) from None
        if self.errors:
            raise CompactTextError(sorted(self.errors, key=lambda e: e.line), self.kinds)
        return ParsedCompact(
            title=self.title or "",
            introduction=self.introduction.text,
            outcomes=self.outcomes,
            making_it_work=self.making_it_work.text,
            dispute_resolution=self.dispute_resolution.text,
            contacts=self.contacts.text,
            principles=self.principles,
            codes_of_practice=self.codes,
            warnings=sorted(self.warnings, key=lambda e: e.line),
        )

    def _read_all(self) -> None:
        for number, raw in enumerate(self.lines, start=1):
            stripped = raw.strip()
            if not stripped:
                if not self.blank_before:  # a second blank line in a row changes nothing
                    self.blank_before = True
                    self._current_prose().blank()
                continue
            self._read_line(number, stripped)
            self.blank_before = False
            self.previous_ended = stripped.endswith((".", "!", "?", ":", ";", "’", '"', "”")) or self.kinds[
                number - 1
            ] in (KIND_TITLE, KIND_OUTCOME, KIND_SECTOR, KIND_SECTION)
        self._end_section()
        self._report_early()
        if not self.outcomes and not self.early:
            if self.title is None:
                self.error(0, _("The file is empty. Choose the text file of the Compact."))
            else:
                self.error(
                    0,
                    _(
                        "No outcomes were found. Each outcome must start on a line of its own, like "
                        "‘Outcome 1: A strong and independent voluntary sector’, or add a rule below saying how "
                        "this document’s outcome headings start."
                    ),
                )

    def _current_prose(self) -> _Prose:
        if self.section == "outcome":
            return self.description
        if self.section == "principles":
            return self.principle_prose
        if self.section == "code":
            return self.code_prose
        if self.section in ("signatories", "annex"):
            return _Prose()  # not imported
        return getattr(self, self.section)

    def _outcome_heading(self, line: str, number: int = 0) -> tuple[int | None, str] | None:
        """(number, title) when line ``number`` is an outcome heading, by a rule or a shape we know."""
        if self.rules.outcome and (found := self.rules.outcome_start(line)):
            rest = line[found.end() :]
            number_found = _RULE_NUMBER_RE.search(line, found.start())
            if number_found is None or number_found.start() > found.end() + 8:
                return None, _TITLE_START_RE.sub("", rest, count=1)
            return int(number_found[0]), _TITLE_START_RE.sub("", line[number_found.end() :], count=1)
        heading = _BARE_OUTCOME_RE.match(line) if line[0].isdigit() else _OUTCOME_HEADING_RE.match(line)
        if heading and not heading["title"].strip() and number in self.titles_below:
            heading = None  # "Outcome 3:" with its title below: read with it, next
        if heading:
            return _number_of(heading["number"]), heading["title"].strip()
        if number in self.titles_below and (alone := _OUTCOME_ALONE_RE.match(line)):
            return _number_of(alone["number"]), " ".join(self.lines[self.titles_below[number] - 1].split())
        if number in self.dotted_outcomes and (
            dotted := _DOTTED_OUTCOME_RE.match(line) if line[0].isdigit() else _NAMED_OUTCOME_RE.match(line)
        ):
            return int(dotted["number"]), dotted["title"].strip()
        if number in self.titled_outcomes:
            # Numbered in order, with a warning (``_start_outcome``); "Section A: " is not the title.
            return None, _LETTERED_HEADING_RE.sub("", line, count=1)
        return None

    def _section_heading(self, line: str) -> str | None:
        """The part a heading line starts ("making_it_work", "code", …), or None."""
        if not line or len(line) > 120 or line.endswith((".", ",", ";")) or not _SECTION_WORD_RE.search(line):
            return None
        bare = line
        if line[0].isdigit() or line[:4].lower() in ("sect", "part", "adra"):
            bare = _HEADING_NUMBER_RE.sub("", line, count=1)
        if found := _SECTION_RE.match(bare):
            if found.lastgroup == "annex" and not self.outcomes:
                return None  # "Definitions" in the introduction stay in it
            return found.lastgroup
        lower = bare.lower()
        # A heading starts with a capital; inside a block of undertakings only the full phrase counts,
        # so that a wrapped line ending "… the Funding Code" is not taken for a heading.
        if bare[:1].isupper() and (
            "code of practice" in lower
            or "code of good practice" in lower
            or lower.startswith(("cod ymarfer", "côd ymarfer"))
            or (self.sector is None and lower.rstrip(" :").endswith(" code"))
        ):
            return "code"
        return None

    def _read_line(self, number: int, stripped: str) -> None:
        line = " ".join(stripped.split())
        plain = not self.rules.any and not _is_special(line) and number not in self.titled_outcomes
        if self.rules.ignore and self.rules.ignores(line):
            self.mark(number, KIND_IGNORED)
            return
        if self.outcome is not None and self.heading_of_title.get(number) == self.outcome.line:
            self.mark(number, KIND_OUTCOME)  # the title of the outcome heading above, read with it
            return
        outcome_heading = None if plain else self._outcome_heading(line, number)
        if outcome_heading is not None and self._section_heading(outcome_heading[1]) is not None:
            outcome_heading = None  # "Section 6: Resolving disagreements" is not an outcome
        elif outcome_heading is not None and not self.outcomes and _PREAMBLE_TITLE_RE.match(outcome_heading[1]):
            outcome_heading = None  # nor "Section 1: Introduction", before any outcome
        if self.title is None and outcome_heading is None:
            self.title = line
            self.mark(number, KIND_TITLE)
            return
        if self.title is None:
            self.title = ""
        if outcome_heading is not None:
            self.mark(number, KIND_OUTCOME)
            self._start_outcome(number, *outcome_heading)
        elif not plain and (section := self._section_heading(line)):
            self.mark(number, KIND_SECTION)
            self._end_section()
            self.section = section
            self.section_heading = (line, number)
            if section == "code":
                self.codes.append(ParsedPart(title=line.rstrip(" :"), text="", line=number))
                self.code_prose = _Prose()
        elif self.section == "introduction":
            self._read_introduction(number, line, plain)
        elif self.section == "principles":
            self._read_principle(number, line)
        elif self.section in ("signatories", "annex"):
            self.mark(number, KIND_IGNORED)
            self.left_out.append(number)
        elif self.section != "outcome":
            self.mark(number, KIND_TEXT)
            self._check_section_line(number, line)
            self._current_prose().add(line)
        elif not plain and (sector := self._block_sector(line, number)) is not False:
            self.mark(number, KIND_SECTOR)
            self._start_block(number, line, sector)
        elif not plain and _FOOTNOTE_RE.match(line):
            self.mark(number, KIND_FOOTNOTE)
            self.description.blank()
            self.description.add(line)
            self.target, self.target_line = _FOOTNOTE, number
        elif self.sector is None:
            self._read_before_block(number, line)
        else:
            self._read_in_block(number, line, stripped, plain)

    def _block_sector(self, line: str, number: int) -> str | None | bool:
        """The sector a block heading names; None for an "Undertakings for …" heading that names none;
        False when the line is not a block heading."""
        if self.rules.sector and (sector := self.rules.sector_of(line)) is not None:
            return sector
        shape = self.shapes[number - 1]
        if shape is None:
            return False
        sector, by_will = shape
        return self._heading_sector(line, sector) if by_will else sector

    def _heading_sector(self, line: str, sector: str | None) -> str | None | bool:
        """The sector of a line shaped like "… will:" (see ``_block_sector``). One that names no
        sector we know ("The sector will:", "Partners undertake to:") is still a heading when it ends
        with a colon and follows a finished sentence, a blank line or a heading: an error then asks
        for a rule, where its undertakings would otherwise be read as the block's above. Without
        those, it is text (a wrapped line ending "… each of them will")."""
        if sector:
            return sector
        if line.endswith(":") and (self.blank_before or self.previous_ended):
            return None
        return False

    def _read_introduction(self, number: int, line: str, plain: bool) -> None:
        if not plain and _INTRODUCTION_RE.match(_HEADING_NUMBER_RE.sub("", line, count=1)):  # "1. Introduction"
            self.mark(number, KIND_SECTION)
            return
        if not plain and _NUMBERED_RE.match(line):
            self.mark(number, KIND_UNDERTAKING)
            self.early.append((number, line))
            if len(self.early) >= MAX_ERRORS:
                self._report_early()
                raise _TooManyProblems(number)
        else:
            self.mark(number, KIND_TEXT)
            if not self.early and len(line) <= 150 and (candidate := _CANDIDATE_RE.match(line)) is not None:
                self.candidates[int(candidate["number"])] = (number, line, candidate["prefix"].strip())
        self.introduction.add(line)

    def _report_early(self) -> None:
        """One error for all the numbered lines before the first outcome heading, with a guess at the
        heading that was missed."""
        if not self.early:
            return
        first_line, first_text = self.early[0]
        count = len(self.early)
        message = ngettext(
            "%(count)s line looks like an undertaking but comes before the first outcome heading, "
            "so it is not clear which outcome it belongs to (line %(line)s, ‘%(text)s’).",
            "%(count)s lines look like undertakings but come before the first outcome heading, "
            "so it is not clear which outcome they belong to (the first is line %(line)s, ‘%(text)s’).",
            count,
        ) % {"count": count, "line": first_line, "text": _short(first_text)}
        major = int(_NUMBERED_RE.match(first_text)["number"].split(".")[0])
        candidate = self.candidates.get(major)
        if candidate and candidate[0] < first_line:
            line, text, prefix = candidate
            message += " " + _("Did you mean line %(line)s, ‘%(text)s’, as Outcome %(number)s?") % {
                "line": line,
                "text": _short(text),
                "number": major,
            }
            if prefix:
                message += " " + _("If so, add the rule ‘lines starting with “%(prefix)s” are outcome headings’.") % {
                    "prefix": prefix
                }
            else:
                message += " " + _("If so, write ‘Outcome’ before its number in the file.")
        else:
            message += " " + _(
                "Add a heading like ‘Outcome 1: title’ above them, add a rule saying how this document’s outcome "
                "headings start, or remove the number if the line is part of the introduction."
            )
        self.error(first_line, message)

    def _read_principle(self, number: int, line: str) -> None:
        self.mark(number, KIND_PRINCIPLE)
        line = _PRINCIPLE_NUMBER_RE.sub("", line, count=1) or line  # "1. Respect: …", "Principle 3: …"
        if found := _PRINCIPLE_RE.match(line):
            self.principles.append(ParsedPart(title=found["title"].strip(), text=found["text"], line=number))
        elif (bullet := _BULLET_RE.match(line)) and len(bullet["text"]) <= 80:
            self.principles.append(ParsedPart(title=bullet["text"], text="", line=number))
        elif len(line) <= 60 and not line.endswith((".", ":", ",")):
            self.principles.append(ParsedPart(title=line, text="", line=number))
        elif self.principles and not self.blank_before or self.principles and self.principles[-1].text == "":
            last = self.principles[-1]
            last.text = f"{last.text} {line}".strip()
        else:
            self.mark(number, KIND_TEXT)
            self.principle_prose.add(line)

    def _check_section_line(self, number: int, line: str) -> None:
        """A code of practice numbers its own paragraphs (11.2), and closing sections may hold numbers;
        but the next number of the last outcome there means the outcome went on and the heading above
        was read wrongly: never drop it into the section silently."""
        if not self.outcomes or not (numbered := _NUMBERED_RE.match(line)):
            return
        last = self.outcomes[-1]
        places = [int(u.number.split(".")[1]) for u in last.undertakings if UNDERTAKING_NUMBER_RE.match(u.number)]
        if numbered["number"] == f"{last.number}.{max(places, default=0) + 1}":
            heading, heading_line = self.section_heading
            self.error(
                number,
                _(
                    "%(number)s looks like the next undertaking of Outcome %(outcome)s, but it comes after "
                    "‘%(heading)s’ (line %(line)s), which was read as the heading of another part of the Compact. "
                    "If that line is part of an undertaking, join it to the line above it; if the part really "
                    "starts there, put it after the last outcome."
                )
                % {"number": numbered["number"], "outcome": last.number, "heading": heading, "line": heading_line},
            )

    def _end_section(self) -> None:
        if self.section == "outcome":
            self._end_outcome()
        elif self.section == "code" and self.codes:
            self.codes[-1].text = self.code_prose.text
        elif self.section in ("signatories", "annex") and self.left_out:
            first, last = self.left_out[0], self.left_out[-1]
            if self.section == "signatories":
                message = _(
                    "Lines %(first)s to %(last)s, the document’s list of signatories, are not imported: the "
                    "register records who signed each edition. Once the edition is published, record each "
                    "sign-up on paper with ‘Record a sign-up for an organisation’."
                )
            else:
                message = _(
                    "Lines %(first)s to %(last)s, under ‘%(heading)s’, are not imported: an edition has no part "
                    "for a glossary or an appendix. Once the draft is made, copy what the Compact needs into its "
                    "introduction."
                )
            self.warn(
                self.section_heading[1], message % {"first": first, "last": last, "heading": self.section_heading[0]}
            )
            self.left_out = []
        elif self.section == "principles":
            self._check_last_principles()
            if self.principle_prose.text:
                self.introduction.blank()
                self.introduction.add(self.principle_prose.text)
                self.principle_prose = _Prose()

    def _check_last_principles(self) -> None:
        """The last principles with a title and no text, after principles with text, may be the
        heading that follows them ("Our commitments", "3. Commitments"): a warning on each."""
        if not any(part.text for part in self.principles):
            return  # a list of principles' names ("• Equality"), none with text
        for part in reversed(self.principles):
            if part.text:
                return
            self.warn(
                part.line,
                _(
                    "‘%(title)s’ was read as a principle with no text of its own, after principles that have "
                    "text. If it is a heading, add a rule to ignore lines like it."
                )
                % {"title": part.title},
            )

    # Outcomes

    def _start_outcome(self, number: int, outcome_number: int | None, title: str) -> None:
        self._end_section()
        self.section = "outcome"
        if outcome_number is None:
            outcome_number = max(self.outcome_lines, default=0) + 1
            self.warn(
                number,
                _("This outcome heading has no number; it has been read as Outcome %(number)s.")
                % {"number": outcome_number},
            )
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
        self.unsectored = []
        self.sector = None
        self.outcome_blocks = {}
        self.block_line = 0
        self.target = None

    def _end_outcome(self) -> None:
        outcome = self.outcome
        if outcome is None:
            return
        self._end_block()
        self._report_unsectored()
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
            self.mark(number, KIND_UNDERTAKING)
            self.unsectored.append((number, numbered["number"]))
            self._add_undertaking(number, numbered["number"], numbered["text"], sector="")
            return
        self.mark(number, KIND_TEXT)
        self.description.add(line)

    def _report_unsectored(self) -> None:
        """One error for the numbered lines of an outcome that come before any block heading."""
        if not self.unsectored:
            return
        (first_line, first), (_last_line, last) = self.unsectored[0], self.unsectored[-1]
        numbers = first if first == last else _("%(first)s to %(last)s") % {"first": first, "last": last}
        self.error(
            first_line,
            ngettext(
                "Undertaking %(numbers)s comes before any ‘Undertakings for …’ heading in Outcome %(outcome)s, "
                "so it is not clear who makes it.",
                "Undertakings %(numbers)s (%(count)s lines) come before any ‘Undertakings for …’ heading in "
                "Outcome %(outcome)s, so it is not clear who makes them.",
                len(self.unsectored),
            )
            % {"numbers": numbers, "outcome": self.outcome.number, "count": len(self.unsectored)}
            + " "
            + _(
                "Add a heading like ‘Undertakings for the public sector:’ or ‘Undertakings for the VCS:’ above "
                "them, or add a rule saying which sector the heading above them means."
            ),
        )
        self.unsectored = []

    # Blocks of undertakings

    def _start_block(self, number: int, line: str, sector: str | None) -> None:
        self._end_block()
        self._report_unsectored()
        if sector is None:
            self.error(
                number,
                _(
                    "‘%(heading)s’ does not say which sector makes these undertakings. Write "
                    "‘Undertakings for the public sector:’ or ‘Undertakings for the VCS:’, or add a rule saying "
                    "which sector it means."
                )
                % {"heading": line},
            )
            sector = ""
        else:
            self.sectors_named.setdefault(sector, (number, line))
            if sector in self.outcome_blocks and self.outcome is not None:
                # Most often an outcome heading the reader did not know ("2. Funding" read as the
                # last item of a list numbered 1, 2 above it).
                self.warn(
                    number,
                    _(
                        "‘%(heading)s’ starts a second block of undertakings for %(sector)s in Outcome %(number)s "
                        "(the first is at line %(line)s). If a new outcome starts above it, add a rule saying how "
                        "this document’s outcome headings start."
                    )
                    % {
                        "heading": line,
                        "sector": _sector_label(sector),
                        "number": self.outcome.number,
                        "line": self.outcome_blocks[sector],
                    },
                )
            self.outcome_blocks.setdefault(sector, number)
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

    def _read_in_block(self, number: int, line: str, stripped: str, plain: bool) -> None:
        if not plain and _OUTCOME_LIKE_RE.match(line):
            self.error(
                number,
                _(
                    "This looks like an outcome heading but is not written like one. Write it as "
                    "‘Outcome 2: title’, with a colon after the number."
                ),
            )
            return
        if "  " in stripped or "\t" in stripped:
            first, *others = _SPLIT_RE.split(stripped)
            first = _collapse(first) if others else line
        else:
            first, others = line, ()
        if not plain and (numbered := _NUMBERED_RE.match(first)):
            self.mark(number, KIND_UNDERTAKING)
            self._add_undertaking(number, numbered["number"], numbered["text"], sector=self.sector)
        elif item := self._item(first):
            self.mark(number, KIND_UNDERTAKING)
            if numbered := _NUMBERED_RE.match(item["text"]):  # "• 2.4 Text"
                self._add_undertaking(number, numbered["number"], numbered["text"], sector=self.sector)
            else:
                label = f"{self.outcome.number}.{self.last_place + 1}"
                if any(character.isdigit() for character in item["mark"]):  # "3.", "(3)", "A1": in its list alone
                    message = _(
                        "The item ‘%(mark)s’ is numbered in its list, not in its outcome; it has been given the "
                        "number %(number)s."
                    )
                else:
                    message = _(
                        "The item ‘%(mark)s’ has no number of its own; it has been given the number %(number)s."
                    )
                self.warn(number, message % {"mark": item["mark"], "number": label})
                self._add_undertaking(number, label, item["text"], sector=self.sector)
        else:
            self.kinds[number - 1] = KIND_CONTINUATION
            self._continue(number, first)
        for segment in others:
            numbered = _NUMBERED_RE.match(_collapse(segment))
            self._add_undertaking(number, numbered["number"], numbered["text"], sector=self.sector)

    @staticmethod
    def _item(line: str) -> re.Match | None:
        """A lettered, bulleted or list-numbered item, "(a) Text", "• Text" or "3. Text"."""
        if ")" in line[:7] and (item := _LETTERED_RE.match(line)):
            return item
        if (
            line[0].isdigit() or line[0] == "(" or (line[0].isupper() and (line[1:2].isdigit() or line[1:2] == "."))
        ) and (item := _LIST_NUMBER_RE.match(line)):
            return item
        if line[0] in _BULLET_CHARS:
            return _BULLET_RE.match(line)
        return None

    def _continue(self, number: int, line: str) -> None:
        target = self.target
        if target is _FOOTNOTE:
            self.mark(number, KIND_FOOTNOTE)
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
        elif target is _ORPHAN:
            return  # reported once, on the first line of this text
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
            self.target = _ORPHAN
        elif len(line) <= 20 and (line[-1].isdigit() or line[-1] in "-–") and _PAGE_LINE_RE.match(line):
            self.error(
                number,
                _(
                    "‘%(page)s’ looks like a page number inside undertaking %(number)s. If it is one, add the rule "
                    "‘ignore lines like %(pattern)s’; if it is part of the text, join it to the line above."
                )
                % {"page": line, "number": target.number, "pattern": as_rule_text(line)},
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
            more = self.more_text.get(id(target))
            if more is None:
                self._more_text(target, " " + line)
            else:
                more.append(" " + line)

    def _more_text(self, undertaking: ParsedUndertaking, text: str) -> None:
        """Lines that continue an undertaking are joined once, at the end of its outcome: adding each
        to a growing string would copy it each time (seconds for thousands of lines)."""
        self.more_text.setdefault(id(undertaking), []).append(text)

    def _add_undertaking(self, number: int, label: str, text: str, *, sector: str) -> None:
        outcome = self.outcome
        undertaking = ParsedUndertaking(number=label, sector=sector, text=text, line=number)
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

    # Never silently wrong: what a line-by-line reading cannot see

    def _check_whole(self) -> None:
        undertakings = [u for outcome in self.outcomes for u in outcome.undertakings]
        counts = _count_by_sector(undertakings)
        for sector, (line, heading) in sorted(self.sectors_named.items(), key=lambda item: item[1][0]):
            if not counts.get(sector):
                self.error(
                    line,
                    _(
                        "The document names %(sector)s here (‘%(heading)s’) but no undertakings were read for it. "
                        "Check in the structure below where its undertakings went: if they were joined to other "
                        "undertakings, start each on a line of its own."
                    )
                    % {"sector": _sector_label(sector), "heading": heading},
                )
        lengths = sorted(len(u.text) for u in undertakings)
        median = statistics.median(lengths) if lengths else 0
        for outcome in self.outcomes:
            for undertaking in outcome.undertakings:
                self._check_undertaking(outcome, undertaking, median)

    def _check_undertaking(self, outcome: ParsedOutcome, undertaking: ParsedUndertaking, median: float) -> None:
        text = undertaking.text
        for inner in _INNER_NUMBER_RE.finditer(text):
            label = f"{int(inner['major'])}.{int(inner['place'])}"
            if int(inner["major"]) == outcome.number and label != undertaking.number:
                self.error(
                    undertaking.line,
                    _(
                        "Undertaking %(number)s holds the number %(inner)s inside its text (‘…%(context)s’), so "
                        "two undertakings may have been read as one. Start %(inner)s on a line of its own, or "
                        "put two spaces before it, and choose the file again."
                    )
                    % {
                        "number": undertaking.number,
                        "inner": label,
                        "context": _short(text[inner.start() :], 6),
                    },
                )
                break
        if len(text) > LONG_UNDERTAKING_CHARS and len(text) > LONG_UNDERTAKING_FACTOR * median:
            self.error(
                undertaking.line,
                _(
                    "Undertaking %(number)s is %(length)s characters long, far longer than the others (most are "
                    "about %(median)s), so other text may have been joined to it. Check where it should end in the "
                    "structure below."
                )
                % {"number": undertaking.number, "length": len(text), "median": int(median)},
            )
        if page := _PAGE_IN_TEXT_RE.search(text):
            self.error(
                undertaking.line,
                _(
                    "Undertaking %(number)s holds a page number (‘%(page)s’). Add the rule ‘ignore lines like "
                    "%(pattern)s’ if it is on a line of its own, or remove it from the file."
                )
                % {
                    "number": undertaking.number,
                    "page": page[0],
                    "pattern": as_rule_text(page[0]),
                },
            )


@dataclass
class Reading:
    """What one reading of a text gave: the Compact (None when it cannot be saved), the errors and
    what each line was read as."""

    parsed: ParsedCompact | None
    errors: list[LineError]
    kinds: list[str]


def read_compact_text(text: str, rules=()) -> Reading:
    parser = _Parser(text, rules)
    try:
        parsed = parser.parse()
    except CompactTextError as exc:
        return Reading(parsed=None, errors=exc.errors, kinds=exc.kinds)
    return Reading(parsed=parsed, errors=[], kinds=parser.kinds)


# Welsh, English and bilingual documents.
#
# Welsh public bodies publish a Compact in Welsh, in English, or in both: back to back (the whole
# Welsh text, then the whole English), side by side (a table read row by row), or paragraph by
# paragraph. Each line is given a language from the words it holds; a bilingual text is read as two
# texts of the same lines, each with the other language's lines left blank, so that every message
# keeps the line number of the file. The two readings are then paired by outcome and undertaking
# number, and principles and codes of practice by their order.

LANGUAGE_EN = "en"
LANGUAGE_CY = "cy"
LANGUAGE_BOTH = "both"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are common in one language and (almost) never written in the other. Short words that
# both languages use ("a", "i", "am", "at", "sector") are left out.
_WELSH_WORDS = _words(
    """y yr ac yn ar gan bod mae maen eu ei fydd bydd byddwn byddant yw ein eich wedi gyda sy sydd hefyd
    ag neu pob lle fel drwy trwy rhwng pan fo hynny ymlaen llaw arian da iawn felly ond oes
    cyngor cymru gwirfoddol cyhoeddus canlyniad ymgymeriadau ymgymeriad
    egwyddorion cymunedau cymunedol grwpiau grŵp lleol ddim nid na hyn hwn hon dros ni chi nhw yma mewn
    iddynt iddo gwaith cyllid ymgynghoriad ymgynghoriadau sut pwy pam beth rydym rydyn ydyn ydym cael
    gael wneud gwneud datrys dweud rhoi cadw o leiaf ynghylch ynglŷn gilydd ddau sefydliadau mudiadau"""
)
_ENGLISH_WORDS = _words(
    """the and of to in will be with for that is on by we our are their it as or from this an have has
    not who when what which they public voluntary council outcome undertakings undertaking making
    resolving differences work working groups community communities local funding consultation
    principles should would can must each every all about where how why give keep make take"""
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Letter groups common in one language's spelling and rare in the other's.
_WELSH_SPELLING = ("dd", "ll", "wy", "yw", "ae", "rh", "ch", "ff", "ŵ", "ŷ", "au ", "iau")
_ENGLISH_SPELLING = ("th", "sh", "ck", "wh", "qu", "tion", "ing", "ea", "ou", "ee", "oo", "v")


def line_language(line: str) -> str | None:
    """ "cy" or "en" from the words of a line; None when it holds no telling word (a number, a name)."""
    welsh = english = 0
    words = _WORD_RE.findall(line.lower())
    for word in words:
        # "a'r", "hynny'n", "i'w": a word with 'r, 'n or 'w is Welsh; "it's", "don't", "we're" are English.
        base, _sep, tail = word.replace("’", "'").partition("'")
        if base in _WELSH_WORDS or tail in ("r", "n", "w", "ch"):
            welsh += 1
        elif base in _ENGLISH_WORDS:
            english += 1
        elif "ŵ" in base or "ŷ" in base or base.endswith(("iad", "iadau", "wyr", "ydd")):
            welsh += 1
    if welsh == english:
        # No telling word: the spelling of the words tells most lines apart.
        text = " ".join(words)
        welsh = sum(text.count(pattern) for pattern in _WELSH_SPELLING)
        english = sum(text.count(pattern) for pattern in _ENGLISH_SPELLING)
        if abs(welsh - english) < 2:
            return None
    return LANGUAGE_CY if welsh > english else LANGUAGE_EN


def line_languages(lines: list[str]) -> list[str]:
    """Each line's language; a line with no telling words (a bare number, a name, a blank line)
    takes the language of the line before it (or the first telling line after it, at the top)."""
    found = [line_language(line) if line.strip() else None for line in lines]
    first = next((language for language in found if language), LANGUAGE_EN)
    result, current = [], first
    for language in found:
        current = language or current
        result.append(current)
    return result


def document_language(text: str) -> str:
    """ "en", "cy" or "both": what most telling lines are written in (both when each language has at
    least a fifth of them)."""
    counts = {LANGUAGE_EN: 0, LANGUAGE_CY: 0}
    for line in split_lines(text):
        if language := line_language(line):
            counts[language] += 1
    total = counts[LANGUAGE_EN] + counts[LANGUAGE_CY]
    if total and min(counts.values()) * 5 >= total:
        return LANGUAGE_BOTH
    return LANGUAGE_CY if counts[LANGUAGE_CY] > counts[LANGUAGE_EN] else LANGUAGE_EN


def split_languages(text: str) -> tuple[str, str]:
    """(Welsh text, English text) of a bilingual text: the same lines, the other language's left blank."""
    lines = split_lines(text)
    languages = line_languages(lines)
    welsh = [line if language == LANGUAGE_CY else "" for line, language in zip(lines, languages, strict=True)]
    english = [line if language == LANGUAGE_EN else "" for line, language in zip(lines, languages, strict=True)]
    return "\n".join(welsh), "\n".join(english)


def pair_languages(english: ParsedCompact, welsh: ParsedCompact) -> tuple[list[LineError], list[LineError]]:
    """(errors, warnings) of pairing a Welsh reading with an English one.

    Errors: a Welsh outcome or undertaking with no English one of the same number (the Welsh
    cannot be placed), or a Welsh undertaking made by another sector than the English of the same
    number. Warnings: English outcomes, undertakings, principles or codes that have no Welsh (they
    are saved without it)."""
    errors: list[LineError] = []
    warnings: list[LineError] = []
    english_outcomes = {outcome.number: outcome for outcome in english.outcomes}
    welsh_outcomes = {outcome.number: outcome for outcome in welsh.outcomes}
    for outcome in welsh.outcomes:
        match = english_outcomes.get(outcome.number)
        if match is None:
            errors.append(
                LineError(
                    outcome.line,
                    _("The Welsh has Outcome %(number)s, which the English does not have.")
                    % {"number": outcome.number},
                )
            )
            continue
        english_undertakings = {u.number: u for u in match.undertakings}
        for undertaking in outcome.undertakings:
            other = english_undertakings.get(undertaking.number)
            if other is None:
                errors.append(
                    LineError(
                        undertaking.line,
                        _("The Welsh has undertaking %(number)s, which the English does not have.")
                        % {"number": undertaking.number},
                    )
                )
            elif other.sector != undertaking.sector:
                errors.append(
                    LineError(
                        undertaking.line,
                        _(
                            "In Welsh, undertaking %(number)s is made by %(welsh)s, but in English by %(english)s "
                            "(line %(line)s). Check the block headings above them."
                        )
                        % {
                            "number": undertaking.number,
                            "welsh": _sector_label(undertaking.sector),
                            "english": _sector_label(other.sector),
                            "line": other.line,
                        },
                    )
                )
    for outcome in english.outcomes:
        welsh_outcome = welsh_outcomes.get(outcome.number)
        welsh_numbers = {u.number for u in welsh_outcome.undertakings} if welsh_outcome else set()
        if welsh_outcome is None:
            warnings.append(
                LineError(
                    outcome.line,
                    _("Outcome %(number)s has no Welsh text in the file; it will be saved in English only.")
                    % {"number": outcome.number},
                )
            )
            continue
        missing = [u for u in outcome.undertakings if u.number not in welsh_numbers]
        if missing:
            warnings.append(
                LineError(
                    missing[0].line,
                    ngettext(
                        "Undertaking %(numbers)s has no Welsh text in the file; it will be saved in English only.",
                        "Undertakings %(numbers)s have no Welsh text in the file; they will be saved in English only.",
                        len(missing),
                    )
                    % {"numbers": ", ".join(u.number for u in missing)},
                )
            )
    for kind, english_parts, welsh_parts in (
        (_("principles"), english.principles, welsh.principles),
        (_("codes of practice"), english.codes_of_practice, welsh.codes_of_practice),
    ):
        if len(english_parts) != len(welsh_parts):
            first = (welsh_parts or english_parts)[0]
            problem = errors if len(welsh_parts) > len(english_parts) else warnings
            problem.append(
                LineError(
                    first.line,
                    _(
                        "The file has %(welsh)s %(kind)s in Welsh and %(english)s in English; they are paired in "
                        "order, so each needs its Welsh."
                    )
                    % {"welsh": len(welsh_parts), "english": len(english_parts), "kind": kind},
                )
            )
    return errors, warnings


@dataclass
class BilingualReading:
    """What one reading of a Welsh or bilingual text gave: each language's reading, and pairing problems."""

    language: str  # "cy" or "both"
    english: Reading | None  # None for a Welsh-only text
    welsh: Reading
    errors: list[LineError]
    warnings: list[LineError]
    kinds: list[str]
    languages: list[str]


def read_bilingual_text(text: str, rules=(), *, language: str) -> BilingualReading:
    """Read a Welsh (``language="cy"``) or bilingual (``"both"``) text. For a bilingual text, each
    language is read on its own and the two are paired; errors of either reading, or of the pairing,
    stop it being saved."""
    lines = split_lines(text)
    if language == LANGUAGE_CY:
        welsh = read_compact_text(text, rules)
        return BilingualReading(
            language=language,
            english=None,
            welsh=welsh,
            errors=list(welsh.errors),
            warnings=list(welsh.parsed.warnings) if welsh.parsed else [],
            kinds=welsh.kinds,
            languages=[LANGUAGE_CY] * len(lines),
        )
    welsh_text, english_text = split_languages(text)
    welsh = read_compact_text(welsh_text, rules)
    english = read_compact_text(english_text, rules)
    errors = [*english.errors, *welsh.errors]
    warnings = [*(english.parsed.warnings if english.parsed else []), *(welsh.parsed.warnings if welsh.parsed else [])]
    if english.parsed is not None and welsh.parsed is not None:
        pair_errors, pair_warnings = pair_languages(english.parsed, welsh.parsed)
        errors += pair_errors
        warnings += pair_warnings
    kinds = [english_kind or welsh_kind for english_kind, welsh_kind in zip(english.kinds, welsh.kinds, strict=False)]
    return BilingualReading(
        language=language,
        english=english,
        welsh=welsh,
        errors=sorted(errors, key=lambda e: e.line),
        warnings=sorted(warnings, key=lambda e: e.line),
        kinds=kinds,
        languages=line_languages(lines),
    )
