"""Getting the text of a Compact out of what councils have, and cleaning it up before parsing.

``read_source`` takes the bytes of an upload (or pasted text, encoded) and gives back plain text,
one item or heading per line, that ``commitments.importer`` reads, together with every change the
clean-up made, so the preview can show each one: nothing is changed blind.

What it reads, decided by the content (not by the file name):

- plain text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (said so);
- Word ``.docx`` (a zip holding ``word/document.xml``): paragraphs and tables in body order,
  list numbers taken from the document's numbering (``3.4`` from a multi-level list), and a
  two-column table headed public sector | VCS read column by column;
- PDF with a text layer: page text, with running headers, footers and page numbers cropped. A
  PDF with no text (a scan) is refused.

Then the clean-up pass, on every kind: Unicode NFKC (ligatures), soft hyphens, words split across
lines, bullets and dashes before numbers, running headers and page numbers left in the text,
two-column plain-text tables, trailing whitespace.

Every regular expression here is anchored or possessive, so that a crafted file costs time in
proportion to its size.
"""

import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commitments.importer import LANGUAGE_CY, heading_shaped, line_language, sectors_named

# --- The interface -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One clean-up change, shown in the preview."""

    line: int  # 1-based line number in the cleaned text it ends up on
    kind: str  # see CHANGE_KINDS
    before: str  # the text as it was (trimmed to 200 characters)
    after: str  # what it became ("" when removed)
    description: str  # a translated sentence for the preview


CHANGE_KINDS = (
    "ligature",
    "soft_hyphen",
    "split_word",
    "bullet",
    "running_header",
    "page_number",
    "encoding",
    "line_endings",
    "table_columns",
    "whitespace",
    "numbering",
    "contents",
    "symbol_bullet",
)


@dataclass(frozen=True)
class SourceText:
    text: str  # the cleaned text, one item/heading per line, \n line endings
    changes: tuple[Change, ...]
    kind: str  # "text", "docx", "pdf"
    warnings: tuple[str, ...] = ()


class SourceError(ValueError):
    """The file cannot be read; the message says what to do instead."""


# At most this many changes of one kind are listed; a warning counts the rest.
MAX_CHANGES_PER_KIND = 200
# A .docx is a zip: refuse one that would unpack to far more than any Compact (a zip bomb).
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
# The text of a long Compact is well under a megabyte of document.xml; more is not a Compact.
MAX_DOCUMENT_XML_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 500
# The longest Compacts run to a few thousand lines; a file with far more is not one, and reading
# it line by line would cost seconds.
MAX_LINES = 10_000
_TRIM = 200


def read_source(*, name: str, data: bytes, max_bytes: int) -> SourceText:
    """The cleaned text of an uploaded file or pasted text; SourceError says what to fix."""
    if len(data) > max_bytes:
        raise SourceError(
            _("The file is too big: it is %(size)s KB and the most that can be read is %(max)s KB.")
            % {"size": (len(data) + 1023) // 1024, "max": max_bytes // 1024}
        )
    if not data.strip():
        raise SourceError(_("The file is empty. Choose the file of the Compact."))
    doc = _Document()
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        kind = "pdf"
        _read_pdf(data, doc)
    elif data.startswith(b"PK\x03\x04"):
        kind = "docx"
        _read_docx(data, doc)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceError(
            _(
                "This is an old Word (.doc) file, which cannot be read. Open it in your word processor and save "
                "it as a Word document (.docx) or as plain text (.txt)."
            )
        )
    elif data.startswith(b"{\\rtf"):
        raise SourceError(
            _(
                "This is a Rich Text (.rtf) file, which cannot be read. Open it in your word processor and save "
                "it as a Word document (.docx) or as plain text (.txt)."
            )
        )
    else:
        suffix = name.rsplit(".", 1)[-1].casefold() if "." in name else ""
        if suffix in ("docx", "pdf", "odt", "doc"):
            raise SourceError(
                _("The file ‘%(name)s’ is named like a .%(suffix)s file but is not one: it may be damaged.")
                % {"name": _trim(name), "suffix": suffix}
                + " "
                + _save_as_advice()
            )
        kind = "text"
        _read_text(data, doc)
    _check_line_count(len(doc.lines))
    _clean_up(doc, kind=kind)
    if not any(line.text.strip() for line in doc.lines):
        raise SourceError(_("No text was found in the file. Choose the file of the Compact."))
    return doc.result(kind)


class _Lazy:
    """A change's description, translated only when it is shown: a file can make thousands of
    changes, and translating each one costs more than all the clean-up."""

    __slots__ = ("message", "params")

    def __init__(self, message: str, params: dict | None = None) -> None:
        self.message = message
        self.params = params

    def __mod__(self, params: dict) -> "_Lazy":
        return _Lazy(self.message, params)

    def __str__(self) -> str:
        text = _(self.message)
        return text % self.params if self.params is not None else text


def _check_line_count(count: int) -> None:
    if count > MAX_LINES:
        raise SourceError(
            _(
                "The file has %(lines)s lines, far more than a Compact has (at most %(max)s). Check that this is "
                "the Compact, and not a list or a data export."
            )
            % {"lines": count, "max": MAX_LINES}
        )


# --- Lines with their changes --------------------------------------------------------------------


def _trim(text: str) -> str:
    return text if len(text) <= _TRIM else text[: _TRIM - 1] + "…"


class _Line:
    __slots__ = ("changes", "emptied", "text")

    def __init__(self, text: str, changes: list | None = None) -> None:
        self.text = text
        self.emptied = False  # its text went onto the line before (a split word)
        self.changes: list[tuple[str, str, str, str]] = changes or []


class _Document:
    """Lines of text, each carrying the changes that ended on it, so that line numbers are right
    whatever later steps remove or join."""

    def __init__(self) -> None:
        self.lines: list[_Line] = []
        self.head_changes: list[tuple[str, str, str, str]] = []  # about the whole file: line 1
        self.warnings: list[str] = []

    def set_text(self, text: str) -> None:
        self.lines = [_Line(line) for line in text.split("\n")]

    def result(self, kind: str) -> SourceText:
        # Blank lines at the end go; their changes move onto the last line with text. Blank lines at
        # the start stay, so that every line keeps its number.
        while len(self.lines) > 1 and not self.lines[-1].text.strip():
            self.lines[-2].changes.extend(self.lines.pop().changes)
        changes: list[Change] = []
        counts: Counter = Counter()
        for kind_, before, after, description in self.head_changes:
            counts[kind_] += 1
            changes.append(Change(1, kind_, _trim(before), _trim(after), str(description)))
        for number, line in enumerate(self.lines, start=1):
            for kind_, before, after, description in line.changes:
                counts[kind_] += 1
                if counts[kind_] <= MAX_CHANGES_PER_KIND:
                    changes.append(Change(number, kind_, _trim(before), _trim(after), str(description)))
        warnings = list(self.warnings)
        for kind_, count in counts.items():
            if count > MAX_CHANGES_PER_KIND:
                warnings.append(
                    _("%(more)s more changes of the kind ‘%(kind)s’ were made and are not listed one by one.")
                    % {"more": count - MAX_CHANGES_PER_KIND, "kind": change_kind_label(kind_)}
                )
        text = "\n".join(line.text for line in self.lines) + "\n"
        return SourceText(text=text, changes=tuple(changes), kind=kind, warnings=tuple(warnings))


def change_kind_label(kind: str) -> str:
    """A short translated name for a kind of change (for grouping the changes in the preview)."""
    return {
        "ligature": _("ligature"),
        "soft_hyphen": _("soft hyphen"),
        "split_word": _("word split across lines"),
        "bullet": _("bullet before a number"),
        "running_header": _("running header or footer"),
        "page_number": _("page number"),
        "encoding": _("character encoding"),
        "line_endings": _("line endings"),
        "table_columns": _("table read column by column"),
        "whitespace": _("spaces"),
        "numbering": _("list numbering"),
        "contents": _("table of contents"),
        "symbol_bullet": _("bullet of a symbol font"),
    }.get(kind, kind)


def _drop(dropped: _Line, verdict: tuple[str, str] | bool) -> list:
    """The changes that a removed line leaves to the next line kept (``True``: removed with no
    change of its own, because the change was recorded where its text went)."""
    if verdict is True:
        return list(dropped.changes)
    kind, description = verdict
    return [*dropped.changes, (kind, dropped.text, "", description)]


def _filter(doc: _Document, remove) -> None:
    """Remove the lines for which ``remove(index, line)`` gives (kind, description) or True; their
    changes go onto the next line kept (or the last line kept when none follows)."""
    kept: list[_Line] = []
    pending: list = []
    for index, line in enumerate(doc.lines):
        verdict = remove(index, line)
        if verdict:
            pending.extend(_drop(line, verdict))
            continue
        if pending:
            line.changes[:0] = pending
            pending = []
        kept.append(line)
    if pending:
        if kept:
            kept[-1].changes.extend(pending)
        else:
            kept.append(_Line("", pending))
    doc.lines = kept


# --- Plain text ----------------------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _save_as_advice() -> str:
    return _("Save it as a Word document (.docx), a PDF or plain text (.txt) and choose that file instead.")


def _read_text(data: bytes, doc: _Document) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SourceError(_("The file could not be read as text.") + " " + _save_as_advice()) from None
        doc.head_changes.append(
            (
                "encoding",
                "UTF-16",
                "UTF-8",
                _Lazy(gettext_noop("The file was read as UTF-16 text (from the mark at its start).")),
            )
        )
    else:
        if b"\x00" in data:
            raise SourceError(
                _("The file is not text that can be read (it contains binary data).") + " " + _save_as_advice()
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            if "\ufffd" in text:
                raise SourceError(
                    _("The file could not be read as text. Save it as plain text with the UTF-8 encoding.")
                ) from None
            doc.head_changes.append(
                (
                    "encoding",
                    "Windows-1252",
                    "UTF-8",
                    _Lazy(
                        gettext_noop(
                            "The file is not UTF-8, so it was read as Windows-1252 (the older Windows encoding). Check "
                            "that quotation marks, dashes and accented letters look right."
                        )
                    ),
                )
            )
    if text[:1024].lstrip().lower().startswith(("<!doctype html", "<html", "<?xml")):
        raise SourceError(
            _(
                "This is a web page or XML file, not the text of the Compact. Open it in a web browser, copy the "
                "text of the Compact and paste it, or save it as plain text (.txt)."
            )
        )
    if len(_CONTROL_RE.findall(text)) > max(10, len(text) // 100):
        raise SourceError(_("The file is not text that can be read.") + " " + _save_as_advice())
    crlf, cr = text.count("\r\n"), 0
    if "\r" in text:
        cr = text.count("\r") - crlf
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        doc.head_changes.append(
            (
                "line_endings",
                "CRLF" if crlf else "CR",
                "LF",
                _Lazy(
                    gettext_noop(
                        "Changed %(count)s line endings written the Windows or old Mac way to plain line breaks."
                    )
                )
                % {"count": crlf + cr},
            )
        )
    _check_line_count(text.count("\n") + 1)
    doc.set_text(text)


# --- Word (.docx) --------------------------------------------------------------------------------


def _read_docx(data: bytes, doc: _Document) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SourceError(_("The file looks like a zip archive but is damaged.") + " " + _save_as_advice()) from None
    if "word/document.xml" not in names:
        if "content.xml" in names:
            raise SourceError(
                _(
                    "This is an OpenDocument (.odt) file, which cannot be read. Open it in your word processor and "
                    "save it as a Word document (.docx)."
                )
            )
        raise SourceError(_("This is a zip archive, not a Word document.") + " " + _save_as_advice())
    if unzipped > MAX_UNZIPPED_BYTES or archive.getinfo("word/document.xml").file_size > MAX_DOCUMENT_XML_BYTES:
        raise SourceError(
            _("This Word document is too big to read. Remove pictures from it, or save it as plain text.")
        )
    import docx  # python-docx: imported here so that plain text does not pay for it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise SourceError(_("This Word document could not be opened.") + " " + _save_as_advice()) from exc
    except Exception as exc:  # lxml errors in a damaged document.xml, among others
        raise SourceError(_("This Word document could not be opened.") + " " + _save_as_advice()) from exc
    _DocxReader(document, doc).read()


_BULLET = "•"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VISIBLE_NUMBER_RE = re.compile(r"^(?:\(?[0-9a-zA-Z]{1,3}[.)]|\d{1,3}\.\d{1,3}|outcome\s|commitment\s|section\s)", re.I)


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):  # fmt: skip
        while number >= value:
            out += letters
            number -= value
    return out


def _letters(number: int) -> str:
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _format_number(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(value)
    if fmt == "upperLetter":
        return _letters(value).upper()
    if fmt == "lowerRoman":
        return _roman(value)
    if fmt == "upperRoman":
        return _roman(value).upper()
    return str(value)


class _DocxReader:
    def __init__(self, document, doc: _Document) -> None:
        self.document = document
        self.doc = doc
        self.levels = self._numbering_levels()
        self.counters: dict[str, list[int]] = {}
        self.lines: list[_Line] = []

    def _numbering_levels(self) -> dict[str, tuple[str, dict[int, tuple[int, str, str]]]]:
        """numId -> (the counter it uses, ilvl -> (start, numFmt, lvlText)), from word/numbering.xml."""
        try:
            numbering = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return {}
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in numbering.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{_W}lvl"):
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                try:
                    level = int(lvl.get(f"{_W}ilvl", "0"))
                    first = int(start.get(f"{_W}val")) if start is not None else 1
                except ValueError:
                    continue
                levels[level] = (
                    first,
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                )
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        result = {}
        for num in numbering.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            num_id, abstract_id = num.get(f"{_W}numId", ""), ref.get(f"{_W}val", "")
            levels = dict(abstract.get(abstract_id, {}))
            overrides = num.findall(f"{_W}lvlOverride")
            for override in overrides:
                start = override.find(f"{_W}startOverride")
                try:
                    level = int(override.get(f"{_W}ilvl", "0"))
                    if start is not None and level in levels:
                        levels[level] = (int(start.get(f"{_W}val")), *levels[level][1:])
                except (TypeError, ValueError):
                    continue
            # Lists that share a definition continue each other's numbers, as in Word, unless one
            # restarts them ("Restart numbering" writes a start override).
            result[num_id] = (f"num:{num_id}" if overrides else f"abstract:{abstract_id}", levels)
        return result

    def read(self) -> None:
        from docx.table import Table

        body = self.document.element.body
        for block in self._blocks(body, self.document._body):
            if isinstance(block, Table):
                self._table(block)
            else:
                self._paragraph(block)
        self.doc.lines = self.lines or [_Line("")]
        if body.find(f".//{_W}del") is not None or body.find(f".//{_W}ins") is not None:
            self.doc.warnings.append(
                _(
                    "This document has tracked changes: the text was read with every change accepted. If that "
                    "is not the text you mean, accept or reject the changes in Word and choose the file again."
                )
            )

    def _blocks(self, container, parent):
        """Paragraphs and tables in document order, including those inside content controls."""
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        for child in container.iterchildren():
            if child.tag == f"{_W}p":
                yield Paragraph(child, parent)
            elif child.tag == f"{_W}tbl":
                yield Table(child, parent)
            elif child.tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    yield from self._blocks(content, parent)

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        """(numId, ilvl) of a numbered paragraph: its own numbering, else its style's."""
        candidates = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None:
            candidates.append(style.element.pPr)
            style = style.base_style
        for ppr in candidates:
            if ppr is None or ppr.numPr is None:
                continue
            num_id = ppr.numPr.numId
            ilvl = ppr.numPr.ilvl
            level = ilvl.val if ilvl is not None else 0
            return (str(num_id.val) if num_id is not None else "", level or 0)
        return None

    def _list_number(self, num_id: str, level: int) -> str:
        key, levels = self.levels.get(num_id, ("", {}))
        if not levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(key, [0] * 9)
        level = max(0, min(level, 8))
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        start, fmt, pattern = levels.get(level, (1, "decimal", ""))
        if fmt == "bullet":
            return _BULLET
        if fmt == "none" or not pattern:
            return ""

        def value(match: re.Match) -> str:
            at = int(match[1]) - 1
            first, at_fmt, _pattern = levels.get(at, (1, "decimal", ""))
            count = counters[at] if at <= level else 0
            return _format_number(first - 1 + max(count, 1), at_fmt)

        return re.sub(r"%([1-9])", value, pattern)

    def _paragraph(self, paragraph, into: list[_Line] | None = None) -> None:
        into = self.lines if into is None else into
        # Line breaks inside a paragraph (Shift+Enter) join its lines; runs of spaces stay, for the parser.
        text = _paragraph_text(paragraph._p).strip()
        num_pr = self._num_pr(paragraph)
        if num_pr is not None:
            number = self._list_number(*num_pr)
            if number == _BULLET and text and not _VISIBLE_NUMBER_RE.match(text):
                bulleted = f"{_BULLET} {text}"
                description = _Lazy(
                    gettext_noop(
                        "Marked as a bullet point, as it is in the document's list (Word does not keep the bullet "
                        "in the text)."
                    )
                )
                into.append(_Line(bulleted, [("bullet", text, bulleted, description)]))
                return
            if number and number != _BULLET and text and not _VISIBLE_NUMBER_RE.match(text):
                numbered = f"{number} {text}"
                into.append(
                    _Line(
                        numbered,
                        [
                            (
                                "numbering",
                                text,
                                numbered,
                                _Lazy(
                                    gettext_noop(
                                        "Numbered %(number)s from the document's list (Word shows this number but does "
                                        "not keep it in the text)."
                                    )
                                )
                                % {"number": number},
                            )
                        ],
                    )
                )
                return
        if not text and into and not into[-1].text:
            return  # one blank line is enough
        into.append(_Line(text))

    def _cell_lines(self, cell) -> list[_Line]:
        lines: list[_Line] = []
        from docx.table import Table

        for block in self._blocks(cell._tc, cell):
            if isinstance(block, Table):
                for row in block.rows:
                    for inner in _unique_cells(row):
                        lines.extend(self._cell_lines(inner))
            else:
                self._paragraph(block, into=lines)
        return [line for line in lines if line.text]

    def _table(self, table) -> None:
        rows = [_unique_cells(row) for row in table.rows]
        if rows and _sector_columns([cell.text for cell in rows[0]]):
            columns: list[list[_Line]] = [[] for _cell in rows[0]]
            for row in rows:
                for at, cell in enumerate(row[: len(columns)]):
                    columns[at].extend(self._cell_lines(cell))
            _note_columns(columns)
            for column in columns:
                self.lines.extend(column)
            return
        if rows and (who := _who_column(rows)) is not None:
            self._who_table(rows, who)
            return
        # Any other table: each row's cells in order, one line per paragraph.
        for row in rows:
            for cell in row:
                self.lines.extend(self._cell_lines(cell))

    def _who_table(self, rows: list, who: int) -> None:
        """A table with a row per undertaking and a column saying who makes it ("Who", "Lead"): each
        row as one line ("1.1 Consult early"), under a block heading made from the column's cell
        wherever it changes ("Undertakings for Public bodies:"), and said so."""
        heading = " ".join(rows[0][who].text.split()) if who < len(rows[0]) else ""
        current = None
        for row in rows[1:]:
            named = " ".join(row[who].text.split())
            text = " ".join(
                line.text for at, cell in enumerate(row) if at != who for line in self._cell_lines(cell) if line.text
            )
            if not text:
                continue
            if _column_sector(named) != current:
                current = _column_sector(named)
                # In the language of the cell ("Y Cyngor" heads Welsh rows), English when it does not tell.
                welsh = line_language(named) == LANGUAGE_CY
                block = f"Ymgymeriadau ar gyfer {named}:" if welsh else f"Undertakings for {named}:"
                self.lines.append(
                    _Line(
                        block,
                        [
                            (
                                "table_columns",
                                named,
                                block,
                                _Lazy(
                                    gettext_noop(
                                        "A table with a row per undertaking was read row by row; its column "
                                        "‘%(column)s’ says who makes them, so ‘%(who)s’ heads the rows below."
                                    )
                                )
                                % {"column": _trim(heading), "who": _trim(named)},
                            )
                        ],
                    )
                )
            self.lines.append(_Line(text))


def _who_column(rows: list) -> int | None:
    """In a table of two or more rows under a heading row, the column whose every cell names one sector
    (the public sector, the VCS, or both), when the rows hold undertakings beside it; None otherwise."""
    body = [row for row in rows[1:] if any(cell.text.strip() for cell in row)]
    if len(body) < 2 or len({len(row) for row in body}) != 1 or not 2 <= len(body[0]) <= 4:
        return None
    width = len(body[0])
    headings = [" ".join(cell.text.split()) for cell in rows[0]]
    numbered = any(all(_UNDERTAKING_NUMBER_CELL_RE.match(row[at].text.strip()) for row in body) for at in range(width))
    if not numbered and not any(_UNDERTAKINGS_HEADING_RE.search(heading) for heading in headings):
        return None  # a table of partners and their contacts, say: no undertakings in it
    for at in range(width):
        cells = [" ".join(row[at].text.split()) for row in body]
        if all(cell and len(cell) <= 80 and _column_sector(cell) for cell in cells) and (
            any(_column_sector(cell) != _column_sector(cells[0]) for cell in cells)
            or (at < len(rows[0]) and _WHO_HEADING_RE.match(" ".join(rows[0][at].text.split())))
        ):
            return at
    return None


_UNDERTAKING_NUMBER_CELL_RE = re.compile(r"^\d{1,3}\.\d{1,3}\.?$")
# The heading of the column of undertakings: "Commitment", "What we will do", "Ymrwymiad".
_UNDERTAKINGS_HEADING_RE = re.compile(r"commitment|undertaking|pledge|\bwill\b|ymrwym|ymgymer", re.IGNORECASE)
# The heading of a column saying who makes each row's undertaking: "Who", "By whom", "Lead", "Sector".
_WHO_HEADING_RE = re.compile(
    r"^(?:who|by\s+whom|by|lead(?:\s+partner)?|sector|partners?|responsib\w*|pwy|gan\s+bwy|arweinydd)\s*:?$",
    re.IGNORECASE,
)


_TEXT_PARTS = {
    f"{_W}t": None,  # its text
    f"{_W}tab": "\t",
    f"{_W}br": " ",  # a line break inside the paragraph (Shift+Enter) joins its lines
    f"{_W}cr": " ",
    f"{_W}noBreakHyphen": "-",
    f"{_W}softHyphen": "\u00ad",  # removed, and said so, by the clean-up
}


def _paragraph_text(p) -> str:
    """A paragraph's text as Word shows it with changes accepted: inserted text in, deleted text out
    (deleted text is in w:delText, never w:t). Runs of spaces stay, for the parser."""
    parts = []
    for element in p.iter(*_TEXT_PARTS):
        fixed = _TEXT_PARTS[element.tag]
        parts.append(element.text or "" if fixed is None else fixed)
    return "".join(parts)


def _unique_cells(row) -> list:
    """A row's cells, each merged cell once."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


# --- PDF -----------------------------------------------------------------------------------------


def _read_pdf(data: bytes, doc: _Document) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise SourceError(
                _("This PDF is protected with a password. Save a copy without the password and choose that file.")
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise SourceError(
                _("This PDF has %(pages)s pages; the most that can be read is %(max)s.")
                % {"pages": len(reader.pages), "max": MAX_PDF_PAGES}
            )
        pages = [(page.extract_text() or "") for page in reader.pages]
    except SourceError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        raise SourceError(_("This PDF could not be read: it may be damaged.") + " " + _save_as_advice()) from exc
    except Exception as exc:  # a damaged PDF can fail inside pypdf in many other ways (filters, fonts, zlib)
        raise SourceError(_("This PDF could not be read: it may be damaged.") + " " + _save_as_advice()) from exc
    if not any(page.strip() for page in pages):
        raise SourceError(
            _(
                "This PDF has no text layer: it looks like a scan or a picture of the pages. Use the Word or text "
                "version of the Compact, or a PDF saved from the word processor (not scanned)."
            )
        )
    blank = [str(number) for number, page in enumerate(pages, start=1) if not page.strip()]
    if blank:
        doc.warnings.append(
            _(
                "These pages have no text and may be scanned pictures, so their text is missing: %(pages)s. Check "
                "the preview against the document, or use its Word or text version."
            )
            % {"pages": ", ".join(blank[:20]) + ("…" if len(blank) > 20 else "")}
        )
    page_lines = [[_Line(line) for line in _normalise_breaks(page).split("\n")] for page in pages]
    _crop_running_lines(page_lines)
    lines: list[_Line] = []
    for page in page_lines:
        lines.extend(page)
    doc.lines = lines


def _normalise_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_PAGE_NUMBER_RE = re.compile(
    r"^[\s\-–—]*+(?:(?:page|tudalen)\s++)?+\d{1,4}(?:\s*+(?:of|/|o)\s*+\d{1,4})?+[\s\-–—]*+$", re.IGNORECASE
)
_EDGE = 3  # lines looked at, at the top and at the bottom of each page


def _shape(text: str) -> str:
    """A line with its numbers blanked, to find a header that carries the page number."""
    return re.sub(r"\d++", "#", " ".join(text.split())).casefold()


def _crop_running_lines(pages: list[list[_Line]]) -> None:
    """Remove page numbers and the lines repeated at the top or bottom of most pages."""
    edges: Counter = Counter()
    for page in pages:
        texts = [line for line in page if line.text.strip()]
        # Numbered items and headings are never running lines, however alike they look.
        shapes = {_shape(line.text) for line in texts[:_EDGE] + texts[-_EDGE:] if not _STRUCTURE_RE.match(line.text)}
        edges.update(shapes)
    need = max(2, (len(pages) + 1) // 2)
    running = {shape for shape, count in edges.items() if count >= need and len(pages) >= 2}
    for number, page in enumerate(pages):
        texts = [index for index, line in enumerate(page) if line.text.strip()]
        edge = set(texts[:_EDGE] + texts[-_EDGE:])
        kept: list[_Line] = []
        pending: list = []
        for index, line in enumerate(page):
            verdict = None
            if index in edge:
                if _PAGE_NUMBER_RE.match(line.text):
                    verdict = (
                        "page_number",
                        _Lazy(gettext_noop("Removed the page number ‘%(text)s’.")) % {"text": line.text.strip()},
                    )
                elif _shape(line.text) in running:
                    verdict = (
                        "running_header",
                        _Lazy(gettext_noop("Removed ‘%(text)s’, repeated at the top or foot of the pages."))
                        % {"text": _trim(line.text.strip())},
                    )
            if verdict:
                pending.extend(_drop(line, verdict))
                continue
            if pending:
                line.changes[:0] = pending
                pending = []
            kept.append(line)
        if pending:
            if kept:
                kept[-1].changes.extend(pending)
            elif number + 1 < len(pages) and pages[number + 1]:
                pages[number + 1][0].changes[:0] = pending
            else:
                kept.append(_Line("", pending))
        page[:] = kept


# --- The clean-up pass ---------------------------------------------------------------------------

_LIGATURES = frozenset("\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06")
_SOFT_HYPHEN = "\u00ad"
_CONTINUATION_RE = re.compile(r"^([a-z][^\W\d_]*+)(.*)$", re.DOTALL)
# Prefixes after which a hyphen at the end of a line is a real hyphen (multi-year, non-statutory).
_REAL_HYPHEN_PREFIXES = frozenset(
    ("anti", "co", "counter", "cross", "cut", "evidence", "full", "half", "high", "long", "low", "multi", "non")
    + ("over", "part", "post", "pre", "pro", "re", "self", "semi", "short", "sub", "two", "three", "under", "well")
)
_BULLET_RE = re.compile(r"^(\s*+)[•·▪◦‣●○■□►▸➢✓\-–—o](?:\s++)(?=\d{1,3}\.\d{1,3}(?!\d))")
_LONE_NUMBER_RE = re.compile(r"^[\s\-–—]*+\d{1,4}[\s\-–—]*+$")
_PAGE_OF_RE = re.compile(r"^\s*+(?:page|tudalen)\s++\d{1,4}(?:\s++(?:of|o)\s++\d{1,4})?+\s*+$", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.:;!?”’\")]\s*+$")
# Lines the parser reads as structure never count as running headers.
_STRUCTURE_RE = re.compile(
    r"^\s*+(?:outcome|commitment|section|undertakings?|the\s+council|public|making|resolving|\d{1,3}\.\d)",
    re.IGNORECASE,
)
# What ends a table saved as text: the next heading; after a blank line, anything but an item.
_HEADING_RE = re.compile(
    r"^\s*+(?:outcome|commitment|section|undertakings?|making|resolving|dispute|principles?)\b", re.IGNORECASE
)
_ITEM_RE = re.compile(r"^\s*+(?:\d{1,3}\.\d{1,3}|\(?[a-z]\))")
# A gap that splits two table cells: a tab, or three or more spaces.
_GAP_RE = re.compile(r"\t++|[ ]{3,}+")


def _clean_up(doc: _Document, *, kind: str) -> None:
    _nfkc(doc)
    _soft_hyphens(doc)
    _split_words(doc)
    _bullets(doc)
    _contents_list(doc)
    if kind != "docx":
        _page_numbers_in_text(doc)
        _repeated_lines(doc)
        _plain_tables(doc)
    _whitespace(doc)


# A table of contents: its heading, then entries ending with their page number (after dot leaders, a
# tab or a space). Entries are short: longer lines are never tried, so the search stays linear.
_CONTENTS_HEADING_RE = re.compile(
    r"^\s*+(?:table\s+of\s+contents|contents(?:\s+page)?|tabl\s+cynnwys|cynnwys)\s*+:?\s*+$", re.IGNORECASE
)
_CONTENTS_ENTRY_RE = re.compile(r"\S(?:\s*+[.…·]{2,}+\s*+|\t++|\s++)(?:page\s+|tudalen\s+)?\d{1,3}\s*+$", re.I)
_CONTENTS_ENTRY_MAX = 200


def _contents_list(doc: _Document) -> None:
    """Remove a table of contents (two entries or more, each ending with its page number), and say so:
    its "Outcome 1: Open doors ..... 3" would be read as the outcome itself."""
    lines = doc.lines
    start = next((at for at, line in enumerate(lines) if _CONTENTS_HEADING_RE.match(line.text)), None)
    if start is None:
        return
    end, entries = start + 1, 0
    while end < len(lines):
        text = lines[end].text
        if text.strip() and not (len(text) <= _CONTENTS_ENTRY_MAX and _CONTENTS_ENTRY_RE.search(text)):
            break
        entries += bool(text.strip())
        end += 1
    if entries < 2:
        return
    removed = range(start, end)
    _filter(
        doc,
        lambda index, line: (
            (
                "contents",
                _Lazy(gettext_noop("Removed ‘%(text)s’, part of the table of contents.")) % {"text": _trim(line.text)},
            )
            if index in removed and line.text.strip()
            else None
        ),
    )


def _nfkc(doc: _Document) -> None:
    for line in doc.lines:
        if line.text.isascii():
            continue
        cleaned = unicodedata.normalize("NFKC", line.text)
        if cleaned == line.text:
            continue
        if any(char in _LIGATURES for char in line.text):
            kind, description = (
                "ligature",
                _Lazy(gettext_noop("Wrote out ligatures (joined letters such as ‘ﬁ’) as separate letters.")),
            )
        elif " ".join(cleaned.split()) == " ".join(line.text.split()):
            kind, description = (
                "whitespace",
                _Lazy(gettext_noop("Changed special spaces (such as non-breaking spaces) to plain spaces.")),
            )
        else:
            kind, description = (
                "encoding",
                _Lazy(gettext_noop("Changed special characters to their plain form (Unicode NFKC).")),
            )
        line.changes.append((kind, line.text, cleaned, description))
        line.text = cleaned


def _soft_hyphens(doc: _Document) -> None:
    for index, line in enumerate(doc.lines):
        if _SOFT_HYPHEN not in line.text:
            continue
        before = line.text
        ends_split = line.text.rstrip().endswith(_SOFT_HYPHEN)
        line.text = line.text.replace(_SOFT_HYPHEN, "")
        line.changes.append(
            (
                "soft_hyphen",
                before,
                line.text,
                _Lazy(gettext_noop("Removed soft hyphens (invisible hyphenation marks).")),
            )
        )
        if ends_split and index + 1 < len(doc.lines):
            _join_fragment(line, doc.lines[index + 1], keep_hyphen=False, trailing=line.text.rstrip())


_LETTERS_RE = re.compile(r"[^\W\d_]*+")


def _last_word(text: str) -> str:
    """The letters just before the end of ``text`` ("legisla" in "Share the legisla")."""
    tail = text[-80:][::-1]
    return _LETTERS_RE.match(tail)[0][::-1]


def _join_fragment(line: _Line, following: _Line, *, keep_hyphen: bool, trailing: str) -> bool:
    """Move the first word of ``following`` onto the end of ``line``, when it is a lowercase
    continuation; ``trailing`` is ``line``'s text without the hyphen."""
    continuation = _CONTINUATION_RE.match(following.text.lstrip())
    if not continuation:
        return False
    word, rest = continuation[1], continuation[2]
    before = f"{line.text} / {following.text}"
    head = trailing + ("-" if keep_hyphen else "") + word
    first = _last_word(trailing)
    line.text = head
    following.text = rest.lstrip()
    following.emptied = not following.text
    line.changes.append(
        (
            "split_word",
            before,
            line.text,
            _Lazy(gettext_noop("Joined ‘%(first)s-’ and ‘%(second)s’ split across lines."))
            % {"first": first, "second": word},
        )
    )
    return True


def _split_words(doc: _Document) -> None:
    lines = doc.lines
    for index in range(len(lines) - 1):
        line = lines[index]
        text = line.text.rstrip()
        if not text.endswith("-") or text.endswith("--"):
            continue
        first = _last_word(text[:-1])
        if not first or not text[-len(first) - 2 :].startswith((" ", first)):
            continue
        following = lines[index + 1]
        keep = first.casefold() in _REAL_HYPHEN_PREFIXES
        _join_fragment(line, following, keep_hyphen=keep, trailing=text[:-1])
    _filter(doc, lambda index, line: line.emptied)


# A bullet written in a symbol font (Symbol, Wingdings): Word and PDFs saved as text keep the font's
# private character (U+F0B7 and its like), which no other font shows as a bullet. U+F0A7 is Word's
# third-level bullet (as "o" is its second): a sub-point, which stays with the item above it ("‣").
_SYMBOL_BULLET_RE = re.compile(r"^(\s*+)([\uf000-\uf0ff])(?:\s++|(?=[^\W\d_]))")
_SUB_POINT = "\uf0a7"


def _bullets(doc: _Document) -> None:
    for line in doc.lines:
        if line.text and (symbol := _SYMBOL_BULLET_RE.match(line.text)):
            before, bullet = line.text, "‣" if symbol[2] == _SUB_POINT else "•"
            line.text = f"{symbol[1]}{bullet} {line.text[symbol.end() :]}"
            line.changes.append(
                (
                    "symbol_bullet",
                    before,
                    line.text,
                    _Lazy(
                        gettext_noop(
                            "Read the symbol font’s character at the start of the line as a bullet (%(bullet)s)."
                        )
                    )
                    % {"bullet": bullet},
                )
            )
    for line in doc.lines:
        if not line.text:
            continue
        bullet = _BULLET_RE.match(line.text)
        if bullet:
            before = line.text
            line.text = bullet[1] + line.text[bullet.end() :]
            line.changes.append(
                (
                    "bullet",
                    before,
                    line.text,
                    _Lazy(gettext_noop("Removed the bullet or dash before the number %(number)s."))
                    % {"number": line.text.split()[0]},
                )
            )


def _page_numbers_in_text(doc: _Document) -> None:
    """'Page 4 of 12' anywhere; a lone number between two lines of one sentence; form feeds."""
    lines = doc.lines
    texts = [line.text for line in lines]

    def neighbour(index: int, step: int) -> str:
        index += step
        while 0 <= index < len(texts) and not texts[index].strip():
            index += step
        return texts[index] if 0 <= index < len(texts) else ""

    def remove(index: int, line: _Line):
        text = line.text
        if "\f" in text:
            line.changes.append(
                ("whitespace", text, text.replace("\f", ""), _Lazy(gettext_noop("Removed a page break character.")))
            )
            line.text = text = text.replace("\f", "")
        if _PAGE_OF_RE.match(text):
            return ("page_number", _Lazy(gettext_noop("Removed the page number ‘%(text)s’.")) % {"text": text.strip()})
        if _LONE_NUMBER_RE.match(text):
            before, after = neighbour(index, -1), neighbour(index, 1).lstrip()
            if before and after and not _SENTENCE_END_RE.search(before) and after[:1].islower():
                return (
                    "page_number",
                    _Lazy(gettext_noop("Removed ‘%(text)s’, a page number in the middle of a sentence."))
                    % {"text": text.strip()},
                )
        return None

    _filter(doc, remove)


def _repeated_lines(doc: _Document) -> None:
    """A line that comes back at regular intervals (at least three times) is a running header; never
    one the reader takes for a heading (``importer.heading_shaped``: "Statutory partners will:")."""
    places: dict[str, list[int]] = {}
    for index, line in enumerate(doc.lines):
        text = line.text.strip()
        if 3 <= len(text) <= 120 and not _STRUCTURE_RE.match(text) and not heading_shaped(text):
            places.setdefault(_shape(text), []).append(index)
    running = set()
    for shape, where in places.items():
        if len(where) < 3:
            continue
        gaps = [b - a for a, b in zip(where, where[1:], strict=False)]
        if min(gaps) >= 5 and max(gaps) - min(gaps) <= max(2, min(gaps) // 5):
            running.add(shape)
    if not running:
        return
    _filter(
        doc,
        lambda index, line: (
            (
                "running_header",
                _Lazy(gettext_noop("Removed ‘%(text)s’, repeated through the text like a page header or footer."))
                % {"text": _trim(line.text.strip())},
            )
            if line.text.strip() and _shape(line.text.strip()) in running
            else None
        ),
    )


# Who a column heading names, in English or Welsh: the reader's words (``importer.sectors_named``),
# and "signatories" for the VCS.
_SIGNATORIES_RE = re.compile(r"\bsignator(?:y|ies)\b", re.IGNORECASE)


def _named(text: str) -> tuple[bool, bool]:
    public, vcs = sectors_named(text)
    return public, vcs or bool(_SIGNATORIES_RE.search(text))


def _sector_of(text: str) -> str | None:
    public, vcs = _named(text)
    if public == vcs:
        return None
    return "public" if public else "vcs"


_JOINT_RE = re.compile(
    r"\b(?:both\s+sectors|joint(?:ly)?|shared|all\s+partners|together|y\s+ddau\s+sector|ar\s+y\s+cyd)\b", re.IGNORECASE
)


def _column_sector(text: str) -> str | None:
    """Who a column heading names: "public", "vcs", "joint" (both sectors), or None."""
    text = " ".join(text.split())
    if not text or len(text) > 200:
        return None
    if _JOINT_RE.search(text):
        return "joint"
    public, vcs = _named(text)
    if public and vcs:
        return "joint"
    return "public" if public else "vcs" if vcs else None


def _sector_columns(headings: list[str]) -> bool:
    """Whether a table's first row names a different sector in each column, the public sector and
    the VCS among them (a third column may hold the joint undertakings)."""
    if not 2 <= len(headings) <= 3:
        return False
    sectors = [_column_sector(heading) for heading in headings]
    return None not in sectors and len(set(sectors)) == len(sectors) and {"public", "vcs"} <= set(sectors)


def _note_columns(columns: list[list[_Line]]) -> None:
    """Record, on the first line of each column after the first, that the table was read column by column."""
    first = columns[0][0].text if columns and columns[0] else ""
    for column in columns[1:]:
        if column:
            heading = column[0].text
            column[0].changes.append(
                (
                    "table_columns",
                    heading,
                    heading,
                    _Lazy(
                        gettext_noop(
                            "The table whose first column is headed ‘%(left)s’ was read column by column: the column "
                            "‘%(right)s’ starts here."
                        )
                    )
                    % {"left": _trim(first), "right": _trim(heading)},
                )
            )


def _is_sector_pair(left: str, right: str) -> bool:
    """Whether two column headings name the public sector and the VCS, in either order."""
    left, right = " ".join(left.split()), " ".join(right.split())
    if not left or not right or len(left) > 200 or len(right) > 200:
        return False
    sectors = {_sector_of(left), _sector_of(right)}
    return sectors == {"public", "vcs"}


def _cells(text: str) -> tuple[str, str, int] | None:
    """A table row split in two at its first wide gap: (left, right, column of right)."""
    gap = _GAP_RE.search(text.rstrip())
    if gap is None:
        return None
    left = text[: gap.start()]
    right = text[gap.end() :]
    if not right.strip():
        return None
    return left, right, gap.end()


def _plain_tables(doc: _Document) -> None:
    """A two-column table saved as text (tab or wide gap between 'public' and 'VCS' cells) is read
    column by column: the whole left column, then the right one."""
    lines = doc.lines
    out: list[_Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "\t" in line.text and len(line.text) < 2000:
            headings = [cell for cell in line.text.split("\t") if cell.strip()]
            if _sector_columns(headings):
                index = _tab_table(lines, index, len(headings), out)
                continue
        split = _cells(line.text) if len(line.text) < 2000 else None
        if not split or not _is_sector_pair(split[0], split[1]):
            out.append(line)
            index += 1
            continue
        column = split[2]
        tabbed = "\t" in line.text
        after_blank = False
        left: list[_Line] = [_Line(split[0].strip(), line.changes)]
        right: list[_Line] = [_Line(split[1].strip())]
        index += 1
        while index < len(lines):
            text = lines[index].text
            if not text.strip():
                left.append(lines[index])
                index += 1
                after_blank = True
                continue
            if tabbed:
                if "\t" not in text:
                    break
                first, _tab, rest = text.partition("\t")
                cell_left, cell_right = first, rest.lstrip("\t")
            else:
                cells = _cells(text)
                indent = len(text) - len(text.lstrip(" "))
                if cells and cells[0].strip():
                    cell_left, cell_right = cells[0], cells[1]
                elif indent >= column - 4 and indent > 0:
                    cell_left, cell_right = "", text
                elif not _HEADING_RE.match(text) and not (after_blank and not _ITEM_RE.match(text)):
                    cell_left, cell_right = text, ""
                else:
                    break
            if cell_left.strip():
                left.append(_Line(cell_left.strip(), lines[index].changes))
            elif lines[index].changes:
                left.append(_Line("", lines[index].changes))
            if cell_right.strip():
                right.append(_Line(cell_right.strip()))
            index += 1
            after_blank = False
        while left and not left[-1].text and not left[-1].changes:
            left.pop()
        right[0].changes.append(
            (
                "table_columns",
                line.text,
                right[0].text,
                _Lazy(
                    gettext_noop(
                        "The table with the columns ‘%(left)s’ and ‘%(right)s’ was read column by column: the whole "
                        "left column, then the right one from here."
                    )
                )
                % {"left": _trim(left[0].text), "right": _trim(right[0].text)},
            )
        )
        out.extend(left)
        out.append(_Line(""))
        out.extend(right)
        out.append(_Line(""))
    doc.lines = out


def _tab_table(lines: list[_Line], index: int, width: int, out: list[_Line]) -> int:
    """A table saved as text with tabs between its cells (Word's "save as text"), from its heading row
    at ``index`` to the first line with no tab; its columns go to ``out`` one after the other. Returns
    the index of the first line after the table."""
    columns: list[list[_Line]] = [[] for _at in range(width)]
    first = True
    while index < len(lines):
        line = lines[index]
        if line.text.strip() and "\t" not in line.text:
            break
        cells = [cell.strip() for cell in line.text.split("\t")]
        if first:
            cells = [cell for cell in cells if cell]
            first = False
        if len(cells) > width:  # more tabs than columns: the rest belongs to the last column
            cells = [*cells[: width - 1], " ".join(cell for cell in cells[width - 1 :] if cell)]
        for at, cell in enumerate(cells):
            if cell:
                columns[at].append(_Line(cell))
        if line.changes:
            columns[0].append(_Line("", line.changes))
        index += 1
    _note_columns(columns)
    for column in columns:
        out.extend(column)
        out.append(_Line(""))
    return index


def _whitespace(doc: _Document) -> None:
    for line in doc.lines:
        cleaned = line.text.rstrip()
        if cleaned != line.text:
            if cleaned.strip() or line.text.strip():
                line.changes.append(
                    ("whitespace", line.text, cleaned, _Lazy(gettext_noop("Removed spaces at the end of the line.")))
                )
            line.text = cleaned
