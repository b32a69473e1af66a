"""Reading a list of signatories from a CSV file saved from a spreadsheet. No database access.

``decode_csv_bytes`` turns the uploaded bytes into text, or refuses a file that is not text
(a PDF, an Excel workbook, a Word file, anything with NUL bytes). ``parse_signatory_csv`` reads
the heading row and every row under it and returns the rows, or raises ``CsvImportError``
listing every problem, each with its line number (the spreadsheet's row number: the headings
are line 1). Matching rows to organisations already in the portal, and saving, is done by
``signatories.import_services``.

Columns (headings in any case, with any spaces, hyphens or underscores; in any order):

====================  ======================================================================
column                also accepted as a heading
====================  ======================================================================
name (required)       organisation, organisation name, organization, organization name
sector (required)     (values: Public, Public sector, Public body, Statutory; VCS, VCSE,
                      Voluntary, Voluntary and community sector, Community, Third sector)
type (required)       organisation type, type of organisation (values: a type's name as the
                      portal shows it, such as "NHS body" or "Community group", or its short
                      form, such as "nhs" or "community_group"; "Other" means the sector's other)
signed date           date signed, date, signed on, date of signing (values: 27/03/2026,
(required)            27-03-2026, 27.03.2026, 2026-03-27, 27 March 2026, 27 Mar 2026)
charity number        registered charity number, charity no, charity
company number        company no, company registration number, company
contact name          contact
contact email         email, email address, contact email address
signatory name        signatory, signed by, name of signatory
signatory role        role, signatory's role, position
====================  ======================================================================

Other columns are ignored, and the preview says which. Rows with every cell empty are skipped.
"""

import csv
import datetime
import functools
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.models import Sector
from signatories.models import PUBLIC_TYPES, OrganisationType
from signatories.rules import normalise_name, normalise_number

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_TEXT_LENGTH = 200  # the model's max_length for names, roles and contact names
NUMBER_MAX_LENGTH = 20
# The first national Compact was agreed in 1998: an earlier date is a typing mistake.
EARLIEST_SIGNED_DATE = datetime.date(1998, 1, 1)

REQUIRED = ("name", "sector", "organisation_type", "signed_on")
HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("name", "organisation", "organisation name", "organization", "organization name", "name of organisation"),
    "sector": ("sector",),
    "organisation_type": (
        "type",
        "organisation type",
        "organization type",
        "type of organisation",
        "type of organization",
    ),
    "charity_number": (
        "charity number",
        "registered charity number",
        "charity no",
        "charity registration number",
        "charity",
    ),
    "company_number": ("company number", "company no", "company registration number", "company"),
    "contact_name": ("contact name", "contact"),
    "contact_email": ("contact email", "contact email address", "email", "email address"),
    "signed_on": ("signed date", "date signed", "date", "signed on", "date of signing"),
    "signatory_name": ("signatory name", "signatory", "signed by", "name of signatory"),
    "signatory_role": ("signatory role", "role", "signatorys role", "signatory s role", "position"),
}
COLUMN_NAMES = {
    "name": "name",
    "sector": "sector",
    "organisation_type": "type",
    "charity_number": "charity number",
    "company_number": "company number",
    "contact_name": "contact name",
    "contact_email": "contact email",
    "signed_on": "signed date",
    "signatory_name": "signatory name",
    "signatory_role": "signatory role",
}

_SECTOR_WORDS = {
    Sector.PUBLIC: (
        "public",
        "public sector",
        "public body",
        "public bodies",
        "statutory",
        "statutory sector",
        "statutory body",
    ),
    Sector.VCS: (
        "vcs",
        "vcse",
        "vcs sector",
        "vcse sector",
        "voluntary",
        "voluntary sector",
        "voluntary and community",
        "voluntary and community sector",
        "voluntary community and social enterprise",
        "voluntary community and social enterprise sector",
        "community",
        "community sector",
        "third sector",
    ),
}
_TYPE_ALIASES = {
    "local authority": OrganisationType.COUNCIL,
    "nhs": OrganisationType.NHS,
    "nhs trust": OrganisationType.NHS,
    "fire": OrganisationType.FIRE,
    "fire service": OrganisationType.FIRE,
    "fire and rescue": OrganisationType.FIRE,
    "probation": OrganisationType.PROBATION,
    "cvs": OrganisationType.CVS,
    "council for voluntary service": OrganisationType.CVS,
    "registered charity": OrganisationType.CHARITY,
    "other public": OrganisationType.OTHER_PUBLIC,
    "other vcs": OrganisationType.OTHER_VCS,
    "other voluntary": OrganisationType.OTHER_VCS,
}
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%d %b %Y")
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")


def _words(text: str) -> str:
    """Lower case, "&" as "and", anything but letters and digits as one space."""
    text = (text or "").lower().replace("&", " and ")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


# The headings of the register's CSV download (signatories.views.register): a download in either
# language can be imported again, so each heading is read in English and in Welsh.
DOWNLOAD_HEADINGS = {
    "name": gettext_lazy("organisation"),
    "sector": gettext_lazy("sector"),
    "organisation_type": gettext_lazy("type"),
    "charity_number": gettext_lazy("charity number"),
    "company_number": gettext_lazy("company number"),
    "signed_on": gettext_lazy("date signed"),
    "signatory_name": gettext_lazy("signatory name"),
    "signatory_role": gettext_lazy("signatory role"),
}


@functools.cache
def _lookups() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(headings, sectors, types) by their words, in every language of the portal: English aliases,
    and each language's headings and labels (the Welsh download, or "Sector cyhoeddus" typed in)."""
    headings = {_words(heading): column for column, names in HEADINGS.items() for heading in names}
    sectors = {_words(word): sector.value for sector, words in _SECTOR_WORDS.items() for word in words}
    types = {_words(value): value for value in OrganisationType.values}
    types.update({_words(alias): value.value for alias, value in _TYPE_ALIASES.items()})
    # "Council for voluntary service (CVS)" also read without its bracket.
    types[_words("council for voluntary service")] = OrganisationType.CVS.value
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for column, heading in DOWNLOAD_HEADINGS.items():
                headings.setdefault(_words(str(heading)), column)
            sectors.update({_words(str(label)): value for value, label in Sector.choices})
            types.update({_words(str(label)): value for value, label in OrganisationType.choices})
    return headings, sectors, types


class CsvImportError(Exception):
    """The file cannot be imported; ``errors`` says every reason, for the user."""

    def __init__(self, errors: list["LineError"]):
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


@dataclass(frozen=True)
class LineError:
    line: int | None  # None: about the whole file (its headings, its encoding)
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class ImportRow:
    line: int
    name: str
    sector: str  # a Sector value
    organisation_type: str  # an OrganisationType value
    signed_on: datetime.date
    charity_number: str = ""
    company_number: str = ""
    contact_name: str = ""
    contact_email: str = ""
    signatory_name: str = ""
    signatory_role: str = ""

    @property
    def normalised_name(self) -> str:
        return normalise_name(self.name)

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label)

    @property
    def organisation_type_label(self) -> str:
        return str(OrganisationType(self.organisation_type).label)


@dataclass
class ParsedSignatoryFile:
    rows: list[ImportRow]
    ignored_columns: list[str] = field(default_factory=list)


# --- Bytes to text ---------------------------------------------------------------------------------


def _not_csv(kind: str) -> CsvImportError:
    return CsvImportError(
        [
            LineError(
                None,
                _(
                    "The file is %(kind)s, not a CSV file. Open it in your spreadsheet, choose ‘Save as’ and "
                    "choose ‘CSV UTF-8 (comma delimited) (.csv)’, then choose the new file."
                )
                % {"kind": kind},
            )
        ]
    )


def decode_csv_bytes(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Windows-1252.

    Refuses what is not text, checking the content rather than the file's name or type.
    """
    if not data.strip():
        raise CsvImportError([LineError(None, _("The file is empty."))])
    if data.startswith(b"%PDF"):
        raise _not_csv(_("a PDF"))
    if data.startswith(b"PK\x03\x04"):
        raise _not_csv(_("an Excel workbook (.xlsx) or another zipped file"))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _not_csv(_("an older Excel (.xls) or Word file"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _not_csv(_("saved as ‘Unicode text’ (UTF-16)"))
    if b"\x00" in data:
        raise _not_csv(_("not text"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _not_csv(_("not text we can read")) from None
    # Control characters other than tab and line ends mean a binary file that happened to decode.
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n")
    if controls:
        raise _not_csv(_("not text"))
    return text


# --- Text to rows ----------------------------------------------------------------------------------


def _dialect(text: str):
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def parse_date(value: str) -> datetime.date | None:
    """A date written the British way or as ISO (27/03/2026, 2026-03-27, 27 March 2026), or None."""
    text = _ORDINAL.sub(r"\1", " ".join(value.split()))
    # A spreadsheet may add a time to a date: "2026-03-27 00:00:00".
    text = re.sub(r"\s+00:00(:00)?$", "", text)
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def _read_headings(cells: list[str]) -> tuple[dict[str, int], list[str], list[LineError]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    errors: list[LineError] = []
    for index, cell in enumerate(cells):
        heading = cell.strip()
        if not heading:
            continue
        column = _lookups()[0].get(_words(heading))
        if column is None:
            ignored.append(heading)
        elif column in columns:
            errors.append(
                LineError(
                    1,
                    _("There are two columns for the %(column)s (‘%(first)s’ and ‘%(second)s’). Delete one of them.")
                    % {"column": COLUMN_NAMES[column], "first": cells[columns[column]].strip(), "second": heading},
                )
            )
        else:
            columns[column] = index
    missing = [COLUMN_NAMES[column] for column in REQUIRED if column not in columns]
    if missing:
        errors.append(
            LineError(
                1,
                _(
                    "The first line must be the column headings, and there is no column for: %(missing)s. "
                    "The headings needed are name, sector, type and signed date."
                )
                % {"missing": ", ".join(missing)},
            )
        )
    return columns, ignored, errors


def _sector(value: str) -> str | None:
    return _lookups()[1].get(_words(value))


def _organisation_type(value: str, sector: str | None) -> str | None:
    words = _words(value)
    if words in ("other", "other organisation", "other body"):
        if sector is None:
            return None
        return (OrganisationType.OTHER_PUBLIC if sector == Sector.PUBLIC else OrganisationType.OTHER_VCS).value
    return _lookups()[2].get(words)


def _number(value: str, what: str, problems: list[str]) -> str:
    number = normalise_number(value)
    if number and (len(number) > NUMBER_MAX_LENGTH or not _NUMBER.match(number)):
        problems.append(
            _("The %(what)s ‘%(value)s’ is not a number we can use: use letters, digits and hyphens only.")
            % {"what": what, "value": value.strip()}
        )
        return ""
    return number


def _read_row(line: int, cell: dict[str, str], today: datetime.date) -> tuple[ImportRow | None, list[str]]:
    """One row's values, or the list of what is wrong with it (each a sentence)."""
    problems: list[str] = []
    name = " ".join(cell["name"].split())
    if not name:
        problems.append(_("Enter the organisation’s name."))

    sector = _sector(cell["sector"])
    if not cell["sector"].strip():
        problems.append(_("Enter the sector: ‘Public sector’ or ‘VCS’."))
    elif sector is None:
        problems.append(
            _("The sector ‘%(value)s’ is not one we know: use ‘Public sector’ or ‘VCS’.") % {"value": cell["sector"]}
        )

    organisation_type = _organisation_type(cell["organisation_type"], sector)
    if not cell["organisation_type"].strip():
        problems.append(_("Enter the type of organisation, for example ‘Council’ or ‘Charity’."))
    elif organisation_type is None:
        if sector is not None or _words(cell["organisation_type"]) not in ("other", "other organisation", "other body"):
            problems.append(
                _("The type ‘%(value)s’ is not one we know. Use one of: %(types)s.")
                % {"value": cell["organisation_type"], "types": ", ".join(str(x) for x in OrganisationType.labels)}
            )
    elif sector is not None:
        is_public_type = organisation_type in PUBLIC_TYPES
        if is_public_type != (sector == Sector.PUBLIC):
            problems.append(
                _("The type ‘%(type)s’ belongs to the %(type_sector)s, but the sector given is ‘%(sector)s’.")
                % {
                    "type": cell["organisation_type"].strip(),
                    "type_sector": Sector.PUBLIC.label.lower() if is_public_type else Sector.VCS.label.lower(),
                    "sector": cell["sector"].strip(),
                }
            )

    signed_on = parse_date(cell["signed_on"])
    if not cell["signed_on"].strip():
        problems.append(_("Enter the date the organisation signed."))
    elif signed_on is None:
        problems.append(
            _("The date ‘%(value)s’ is not a real date in a form we can read: write it like 27/03/2026.")
            % {"value": cell["signed_on"].strip()}
        )
    elif signed_on > today:
        problems.append(_("The date signed, %(date)s, is in the future.") % {"date": signed_on.strftime("%d/%m/%Y")})
    elif signed_on < EARLIEST_SIGNED_DATE:
        problems.append(
            _("The date signed, %(date)s, is before the first Compacts were agreed: check the year.")
            % {"date": signed_on.strftime("%d/%m/%Y")}
        )

    email = cell["contact_email"].strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("The email address ‘%(value)s’ is not a valid email address.") % {"value": email})

    texts = {}
    for column in ("contact_name", "signatory_name", "signatory_role"):
        texts[column] = " ".join(cell[column].split())
    for column, value in (("name", name), *texts.items()):
        if len(value) > MAX_TEXT_LENGTH:
            problems.append(
                _("The %(column)s is longer than %(max)s characters.")
                % {"column": COLUMN_NAMES[column], "max": MAX_TEXT_LENGTH}
            )
    charity_number = _number(cell["charity_number"], _("charity number"), problems)
    company_number = _number(cell["company_number"], _("company number"), problems)

    if problems:
        return None, problems
    return (
        ImportRow(
            line=line,
            name=name,
            sector=sector,
            organisation_type=organisation_type,
            signed_on=signed_on,
            charity_number=charity_number,
            company_number=company_number,
            contact_name=texts["contact_name"],
            contact_email=email,
            signatory_name=texts["signatory_name"],
            signatory_role=texts["signatory_role"],
        ),
        [],
    )


def _duplicate_keys(row: ImportRow) -> list[tuple[str, str]]:
    """What identifies the row's organisation: its numbers and its normalised name."""
    keys = [("charity_number", row.charity_number), ("company_number", row.company_number)]
    keys.append(("name", row.normalised_name))
    return [(kind, value) for kind, value in keys if value]


def _same(kind: str) -> str:
    return {
        "charity_number": _("the same charity number"),
        "company_number": _("the same company number"),
        "name": _("the same name"),
    }[kind]


def parse_signatory_csv(text: str, *, today: datetime.date) -> ParsedSignatoryFile:
    """Every row of the file, checked; raises ``CsvImportError`` with every problem found."""
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    errors: list[LineError] = []
    rows: list[ImportRow] = []
    try:
        headings = next(reader, None)
        if headings is None:
            raise CsvImportError([LineError(None, _("The file is empty."))])
        columns, ignored, heading_errors = _read_headings(headings)
        if heading_errors:
            raise CsvImportError(heading_errors)
        seen: dict[tuple[str, str], int] = {}
        line = 1
        count = 0
        for cells in reader:
            line += 1
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                message = _("The file has more than %(max)s organisations. Split it into smaller files.")
                raise CsvImportError([LineError(None, message % {"max": MAX_ROWS})])
            extra = [cell for index, cell in enumerate(cells) if index >= len(headings) and cell.strip()]
            cell = {column: (cells[index] if index < len(cells) else "") for column, index in columns.items()}
            for column in HEADINGS:
                cell.setdefault(column, "")
            row, problems = _read_row(line, cell, today)
            if extra:
                problems.append(_("This line has more cells than there are column headings."))
            if row is not None and not problems:
                keys = _duplicate_keys(row)
                duplicate = next((key for key in keys if key in seen), None)
                if duplicate:
                    problems.append(
                        _("This organisation is already on line %(line)s (%(what)s).")
                        % {"line": seen[duplicate], "what": _same(duplicate[0])}
                    )
                else:
                    for key in keys:
                        seen.setdefault(key, line)
            if problems:
                errors.append(LineError(line, " ".join(problems)))
            else:
                rows.append(row)
    except csv.Error as error:
        errors.append(LineError(reader.line_num, _("This line cannot be read (%(error)s).") % {"error": error}))
    if errors:
        raise CsvImportError(errors)
    if not rows:
        raise CsvImportError([LineError(None, _("The file has column headings but no organisations under them."))])
    return ParsedSignatoryFile(rows=rows, ignored_columns=ignored)


def type_examples() -> list[tuple[str, str]]:
    """Each type of organisation as the file may name it, with its sector (for the upload page)."""
    return [
        (str(label), str(Sector.PUBLIC.label if value in PUBLIC_TYPES else Sector.VCS.label))
        for value, label in OrganisationType.choices
    ]
