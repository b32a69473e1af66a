"""The text of an uploaded Compact: plain text, .docx or a text PDF.

A MINIMAL STAND-IN written on h-parse so that the import pages and command can be tested; the
real module (clean-up pass, every change listed) lands with h-extract and replaces this one at
merge. The interface is the agreed one.
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Change:
    line: int
    kind: str
    before: str
    after: str
    description: str


@dataclass(frozen=True)
class SourceText:
    text: str
    changes: tuple[Change, ...]
    kind: str
    warnings: tuple[str, ...] = ()


class SourceError(ValueError):
    """The upload cannot be read as a Compact; the message says what to do, for the user."""


def read_source(*, name: str, data: bytes, max_bytes: int) -> SourceText:
    if len(data) > max_bytes:
        raise SourceError(_("The file must be %(size)s KB or smaller.") % {"size": max_bytes // 1024})
    if not data.strip():
        raise SourceError(_("The file is empty. Choose the file of the Compact."))
    lower = name.lower()
    if data.startswith(b"PK\x03\x04") or lower.endswith(".docx"):
        return SourceText(text=_docx_text(data), changes=(), kind="docx")
    if b"%PDF" in data[:1024] or lower.endswith(".pdf"):
        return SourceText(text=_pdf_text(data), changes=(), kind="pdf")
    from commitments.importer import CompactTextError, decode_compact_bytes

    try:
        return SourceText(text=decode_compact_bytes(data), changes=(), kind="text")
    except CompactTextError as exc:
        raise SourceError(exc.errors[0].message) from None


def _docx_text(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - any damage in the file means the same to the user
        message = _("This Word file could not be opened. Save it again as .docx and choose it again.")
        raise SourceError(message) from None
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _pdf_text(data: bytes) -> str:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception:  # noqa: BLE001
        raise SourceError(_("This PDF could not be read. Save it again as a PDF and choose it again.")) from None
    if not text.strip():
        raise SourceError(_("This PDF holds no text (it may be scanned pages). Choose a Word or text version."))
    return text
