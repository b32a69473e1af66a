"""Checking uploaded files by what they contain, not by what they are called.

A file is accepted only when its first bytes (its "magic number") show it is one of the allowed
kinds, its name ends with an extension of that same kind, and it is no larger than the limit.
A ``.pdf`` that is really a PNG, or a program renamed ``.docx``, is refused.

``validate_upload`` does the check and returns the kind it found; ``UploadValidator`` wraps it as
a form-field validator and ``upload_field`` makes the GOV.UK file field that uses it.
``checked_upload`` checks a file, removes the details about its author that it carries
(``clean_bytes``: a PDF's document information and XMP metadata, an image's EXIF, XMP and text
chunks, a Word or OpenDocument file's document properties and comment authors) and renames it to a
short, safe name of its real kind (``storage_name``); ``cleaned_upload`` does the same and also
gives back the original bytes, for whoever must keep them as evidence. ``content_type_for`` gives
the type to serve a stored file with. Word 97–2003 (.doc) files cannot be cleaned and are kept as
they are.
"""

import io
import os
import re
import shutil
import zipfile
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_ALLOWED = ("pdf", "docx", "doc", "odt", "png", "jpeg")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # 10 MB

# The longest stem kept from the uploaded name (the storage paths must fit FileField's 100 characters).
MAX_STEM_LENGTH = 50

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class Kind:
    label: object  # a lazy translated string, for messages
    extensions: tuple[str, ...]  # the first one is the extension the file is stored with
    content_type: str


KINDS: dict[str, Kind] = {
    "pdf": Kind(gettext_lazy("PDF"), (".pdf",), "application/pdf"),
    "docx": Kind(
        gettext_lazy("Word (.docx)"),
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "doc": Kind(gettext_lazy("Word 97–2003 (.doc)"), (".doc",), "application/msword"),
    "odt": Kind(gettext_lazy("OpenDocument text (.odt)"), (".odt",), "application/vnd.oasis.opendocument.text"),
    "png": Kind(gettext_lazy("PNG"), (".png",), "image/png"),
    "jpeg": Kind(gettext_lazy("JPEG"), (".jpg", ".jpeg"), "image/jpeg"),
}

_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),  # an OLE2 compound file: Word 97–2003
)
_ZIP_SIGNATURE = b"PK\x03\x04"


def _read_head(file, size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head or b""


def _zip_kind(file) -> str | None:
    """A .docx is a zip with ``word/`` parts; an .odt a zip whose ``mimetype`` names OpenDocument
    text and that has ``content.xml``. Only the list of names and the tiny ``mimetype`` member are
    read, never the compressed contents, so a zip bomb costs nothing."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and "content.xml" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    with archive.open(info) as member:
                        if member.read(100).strip() == ODT_MIMETYPE:
                            return "odt"
            if "[Content_Types].xml" in names and any(name.startswith("word/") for name in names):
                return "docx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError, NotImplementedError):
        return None
    finally:
        file.seek(0)
    return None


def detect_kind(file) -> str | None:
    """The kind of file its contents show (a key of ``KINDS``), or None when it is none of them."""
    head = _read_head(file)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(_ZIP_SIGNATURE):
        return _zip_kind(file)
    return None


def _size_text(max_bytes: int) -> str:
    if max_bytes >= 1024 * 1024:
        return _("%(size)s MB") % {"size": f"{max_bytes / (1024 * 1024):g}"}
    return _("%(size)s KB") % {"size": f"{max_bytes / 1024:g}"}


def _kinds_text(allowed) -> str:
    labels = [str(KINDS[kind].label) for kind in allowed]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def accepted_text(*, allowed=DEFAULT_ALLOWED, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """'You can upload PDF, … or JPEG files of up to 10 MB.': for hints and messages."""
    return _("You can upload %(kinds)s files of up to %(size)s.") % {
        "kinds": _kinds_text(allowed),
        "size": _size_text(max_bytes),
    }


accepted_text_lazy = lazy(accepted_text, str)


def accept_attribute(allowed=DEFAULT_ALLOWED) -> str:
    """The file input's ``accept`` attribute: lets the browser offer the right files first."""
    return ",".join(ext for kind in allowed for ext in KINDS[kind].extensions)


def validate_upload(file, *, allowed=DEFAULT_ALLOWED, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Check an uploaded file by its size, its contents and its name; return the kind it is.

    Raises ``ValidationError`` with a message that says which files are accepted and the limit.
    """
    unknown = set(allowed) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown kinds of file: {sorted(unknown)}")
    accepted = accepted_text(allowed=allowed, max_bytes=max_bytes)
    size = getattr(file, "size", None)
    if not size:
        raise ValidationError(
            _("The selected file is empty. %(accepted)s"), params={"accepted": accepted}, code="empty"
        )
    if size > max_bytes:
        raise ValidationError(
            _("The selected file must be smaller than %(size)s. %(accepted)s"),
            params={"size": _size_text(max_bytes), "accepted": accepted},
            code="too_large",
        )
    kind = detect_kind(file)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("The selected file is not a type of file we accept. %(accepted)s"),
            params={"accepted": accepted},
            code="wrong_type",
        )
    extension = os.path.splitext(getattr(file, "name", "") or "")[1].lower()
    if extension not in KINDS[kind].extensions:
        raise ValidationError(
            _(
                "The selected file is called ‘%(name)s’ but it is a %(kind)s file. Rename it to end in "
                "%(extension)s, or choose another file. %(accepted)s"
            ),
            params={
                "name": os.path.basename(file.name or ""),
                "kind": str(KINDS[kind].label),
                "extension": KINDS[kind].extensions[0],
                "accepted": accepted,
            },
            code="name_mismatch",
        )
    return kind


@deconstructible
class UploadValidator:
    """``validate_upload`` as a form-field (or model-field) validator."""

    def __init__(self, *, allowed=DEFAULT_ALLOWED, max_bytes: int = DEFAULT_MAX_BYTES):
        self.allowed = tuple(allowed)
        self.max_bytes = max_bytes

    def __call__(self, file) -> None:
        if file:
            validate_upload(file, allowed=self.allowed, max_bytes=self.max_bytes)

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and (self.allowed, self.max_bytes) == (other.allowed, other.max_bytes)

    @property
    def hint(self):
        """The accepted files, for the field's hint (translated when shown)."""
        return accepted_text_lazy(allowed=self.allowed, max_bytes=self.max_bytes)


def upload_field(label, help_text="") -> forms.FileField:
    """An optional GOV.UK file upload, checked by ``UploadValidator`` with the default kinds and size."""
    return forms.FileField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=255,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": accept_attribute()}),
        validators=[UploadValidator()],
        error_messages={
            "invalid": gettext_lazy("The selected file could not be read. Choose it again."),
            "empty": gettext_lazy("The selected file is empty"),
            "max_length": gettext_lazy("The name of the selected file must be 255 characters or fewer"),
        },
    )


# The most a Word or OpenDocument file may hold once unpacked, to be cleaned (the zip's own
# record of each member's size bounds what is read, so a zip bomb is refused, not unpacked).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


class CannotClean(ValueError):
    """The file could not be opened to remove its details (damaged, or protected by a password)."""


_PDF_MARKUP = {
    f"/{name}"
    for name in [
        "Text",
        "FreeText",
        "Line",
        "Square",
        "Circle",
        "Polygon",
        "PolyLine",
        "Highlight",
        "Underline",
        "Squiggly",
        "StrikeOut",
        "Stamp",
        "Caret",
        "Ink",
        "Popup",
        "FileAttachment",
        "Sound",
        "Redact",
    ]
}


def _clean_pdf(data: bytes) -> bytes:
    """Remove the document information (Author, Title, Creator…) and every XMP metadata stream.
    Rewriting the file also drops the earlier revisions that incremental saves leave behind."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            found = "/Info" in pdf.trailer
            if found:
                del pdf.trailer["/Info"]
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                    for key in ("/Metadata", "/PieceInfo"):
                        if key in obj:
                            del obj[key]
                            found = True
                    # A comment's author (/T of a markup annotation; a form field's /T is its name).
                    if obj.get("/Subtype") in _PDF_MARKUP and "/T" in obj:
                        del obj["/T"]
                        found = True
            if not found:
                return data
            out = io.BytesIO()
            pdf.save(out, fix_metadata_version=False)
            return out.getvalue()
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, RuntimeError) as error:
        raise CannotClean(str(error)) from error


def _clean_image(data: bytes, kind: str) -> bytes:
    """Draw the picture again from its pixels alone: no EXIF (camera owner, Artist, GPS), no XMP,
    no comments or text chunks. A photo turned by its EXIF orientation is turned for good first."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            if upright.mode in ("P", "PA") and upright.palette is not None:
                clean.putpalette(upright.getpalette(upright.palette.mode), upright.palette.mode)
            options = {}
            if kind == "png" and "transparency" in upright.info:
                options["transparency"] = upright.info["transparency"]
            if kind == "jpeg":
                options["quality"] = 92
            out = io.BytesIO()
            clean.save(out, "PNG" if kind == "png" else "JPEG", **options)
            return out.getvalue()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as error:
        raise CannotClean(str(error)) from error


_BLANK_PARTS = {
    # Word: who wrote it, who saved it last, its title, company and any custom properties.
    "docProps/core.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
    ),
    "docProps/app.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
    ),
    "docProps/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
    ),
    # OpenDocument: its creator, initial creator, title and user-defined fields.
    "meta.xml": (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' office:version="1.2"><office:meta/></office:document-meta>'
    ),
}
# Comment and tracked-change authors inside the text: Word's w:author/w:initials attributes,
# OpenDocument's <dc:creator> of an annotation.
_WORD_AUTHOR = re.compile(rb'((?:w|w1\d):(?:author|initials|userId))="[^"]*"')
_ODF_CREATOR = re.compile(rb"<dc:creator>[^<]*</dc:creator>")


def _clean_zip(data: bytes, kind: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            infos = source.infolist()
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise CannotClean("too large once unpacked")
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as target:
                for info in infos:
                    name = info.filename
                    if name in _BLANK_PARTS and (kind == "odt") == (name == "meta.xml"):
                        target.writestr(info, _BLANK_PARTS[name], compress_type=info.compress_type)
                    elif kind == "docx" and name.startswith("word/") and name.endswith(".xml"):
                        text = _WORD_AUTHOR.sub(rb'\1=""', source.read(info))
                        target.writestr(info, text, compress_type=info.compress_type)
                    elif kind == "odt" and name in ("content.xml", "styles.xml"):
                        text = _ODF_CREATOR.sub(b"<dc:creator></dc:creator>", source.read(info))
                        target.writestr(info, text, compress_type=info.compress_type)
                    else:
                        with source.open(info) as member, target.open(info, "w") as copy:
                            shutil.copyfileobj(member, copy)
            return out.getvalue()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError, NotImplementedError) as error:
        raise CannotClean(str(error)) from error


def clean_bytes(data: bytes, kind: str) -> bytes:
    """The file's bytes without the details about its author it carries (see the module's doc).
    Raises ``CannotClean`` when the file cannot be opened to do so."""
    if kind == "pdf":
        return _clean_pdf(data)
    if kind in ("png", "jpeg"):
        return _clean_image(data, kind)
    if kind in ("docx", "odt"):
        return _clean_zip(data, kind)
    return data  # .doc: an OLE2 file, kept as it is


def cleaned_upload(file):
    """The uploaded file checked (ValidationError if refused), cleaned of its author's details and
    renamed to a short, safe name of the kind it really is, with the original bytes when cleaning
    changed them (else None): ``(cleaned, original)``; ``(None, None)`` when no file was given."""
    if not file:
        return None, None
    kind = validate_upload(file)
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        cleaned = clean_bytes(data, kind)
    except CannotClean:
        raise ValidationError(
            _(
                "The selected file could not be opened as a %(kind)s file. It may be damaged or protected "
                "by a password: save it again without a password, then choose it again."
            ),
            params={"kind": str(KINDS[kind].label)},
            code="cannot_clean",
        ) from None
    name = storage_name(file.name, kind)
    content_type = KINDS[kind].content_type
    original = SimpleUploadedFile(name, data, content_type=content_type) if cleaned != data else None
    return SimpleUploadedFile(name, cleaned, content_type=content_type), original


def checked_upload(file):
    """The uploaded file, checked by its contents (ValidationError if refused), cleaned of the
    details about its author it carries and renamed to a short, safe name of the kind it really
    is; None when no file was given."""
    return cleaned_upload(file)[0]


def storage_name(original: str, kind: str) -> str:
    """A short, safe name to store a checked file under: its own name's stem, cut down, with the
    extension of the kind it really is."""
    stem = os.path.splitext(os.path.basename(original or ""))[0]
    stem = get_valid_filename(slugify(stem)) if slugify(stem) else ""
    return (stem[:MAX_STEM_LENGTH] or "document") + KINDS[kind].extensions[0]


def content_type_for(name: str) -> str:
    """The type to serve a stored file with, from the extension it was stored with (its contents
    were checked against that extension when it was uploaded)."""
    extension = os.path.splitext(name or "")[1].lower()
    for kind in KINDS.values():
        if extension in kind.extensions:
            return kind.content_type
    return "application/octet-stream"


def file_download(field_file, name: str | None = None, *, private: bool = False):
    """A stored, checked file as a download (404 when it is missing), served as the type its
    checked extension stands for, named ``name`` (its stored name when not given); ``private``
    keeps it out of every cache."""
    from django.http import FileResponse, Http404
    from django.utils.cache import patch_cache_control

    if not field_file:
        raise Http404
    try:
        stored = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    name = name or os.path.basename(field_file.name)
    response = FileResponse(stored, as_attachment=True, filename=name, content_type=content_type_for(name))
    if private:
        patch_cache_control(response, private=True, no_store=True)
    return response


def request_too_large(request) -> HttpResponse:
    """The 413 page: what was sent is larger than settings.PORTAL_MAX_REQUEST_BYTES."""
    from django.conf import settings
    from django.shortcuts import render

    megabytes = f"{settings.PORTAL_MAX_REQUEST_BYTES / (1024 * 1024):g}"
    return render(request, "errors/413.html", {"max_megabytes": megabytes}, status=413)


class RequestSizeLimitHandler(FileUploadHandler):
    """The first upload handler: counts every byte of every file as it arrives and stops the upload
    once they pass settings.PORTAL_MAX_REQUEST_BYTES, whatever the Content-Length said (a body sent
    without one, or with a false one, is not read to its end). The request is marked, and
    RequestSizeLimitMiddleware answers it with the 413 page."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        from django.conf import settings

        self.received += len(raw_data)
        if self.received > settings.PORTAL_MAX_REQUEST_BYTES:
            if self.request is not None:
                self.request.portal_request_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
