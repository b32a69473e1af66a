"""Uploaded files are checked by what they contain, their name and their size."""

import io
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError

from compact_portal import uploads
from tests.consultations.factories import (
    DOC_BYTES,
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    odt_bytes,
    upload,
    zip_bytes,
)

ACCEPTED = (
    "You can upload PDF, Word (.docx), Word 97–2003 (.doc), OpenDocument text (.odt), PNG or JPEG files of up to 10 MB."
)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", PDF_BYTES, "pdf"),
        ("a.PDF", PDF_BYTES, "pdf"),
        ("a.docx", docx_bytes(), "docx"),
        ("a.doc", DOC_BYTES, "doc"),
        ("a.odt", odt_bytes(), "odt"),
        ("a.png", PNG_BYTES, "png"),
        ("a.jpg", JPEG_BYTES, "jpeg"),
        ("a.jpeg", JPEG_BYTES, "jpeg"),
    ],
)
def test_each_kind_is_recognised_by_its_contents(name, content, kind):
    file = upload(name, content)
    assert uploads.validate_upload(file) == kind
    assert file.tell() == 0  # left ready to be saved


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", PNG_BYTES, "The selected file is called ‘a.pdf’ but it is a PNG file. Rename it to end in .png"),
        ("a.docx", PDF_BYTES, "but it is a PDF file"),
        ("a.pdf", EXE_BYTES, "The selected file is not a type of file we accept."),
        ("a.exe", EXE_BYTES, "The selected file is not a type of file we accept."),
        ("a.docx", b"PK\x03\x04 this is not really a zip", "not a type of file we accept"),
        ("a.docx", zip_bytes({"readme.txt": b"hello"}), "not a type of file we accept"),
        ("a.odt", zip_bytes({"mimetype": b"application/zip", "content.xml": b"<x/>"}), "not a type of file we accept"),
        ("a.txt", b"Just some text", "not a type of file we accept"),
        ("a.html", b"<html><script>alert(1)</script>", "not a type of file we accept"),
        ("a.pdf", b"", "The selected file is empty."),
    ],
)
def test_anything_else_is_refused_with_what_is_accepted(name, content, message):
    with pytest.raises(ValidationError) as caught:
        uploads.validate_upload(upload(name, content))
    text = " ".join(caught.value.messages)
    assert message in text
    assert ACCEPTED in text


def test_only_the_allowed_kinds_pass():
    with pytest.raises(ValidationError) as caught:
        uploads.validate_upload(upload("a.png", PNG_BYTES), allowed=("pdf",))
    assert "You can upload PDF files of up to 10 MB." in caught.value.messages[0]
    with pytest.raises(ValueError, match="Unknown kinds"):
        uploads.validate_upload(upload(), allowed=("exe",))


def test_the_size_limit():
    limit = 1024
    assert uploads.validate_upload(upload("a.pdf", PDF_BYTES + b"0" * (limit - len(PDF_BYTES))), max_bytes=limit)
    with pytest.raises(ValidationError) as caught:
        uploads.validate_upload(upload("a.pdf", PDF_BYTES + b"0" * limit), max_bytes=limit)
    assert "The selected file must be smaller than 1 KB." in caught.value.messages[0]
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        uploads.validate_upload(upload("a.pdf", PDF_BYTES + b"0" * uploads.DEFAULT_MAX_BYTES))


def test_a_zip_bomb_is_not_unpacked():
    """Only the names in the archive are read: a huge compressed member costs nothing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"0" * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    assert uploads.validate_upload(upload("big.docx", buffer.getvalue())) == "docx"


class UploadForm(forms.Form):
    file = forms.FileField(validators=[uploads.UploadValidator(allowed=("pdf", "png"), max_bytes=2048)])


def test_the_validator_in_a_form():
    form = UploadForm(files={"file": upload("a.pdf", PNG_BYTES)})
    assert not form.is_valid()
    assert "but it is a PNG file" in form.errors["file"][0]
    assert "You can upload PDF or PNG files of up to 2 KB." in form.errors["file"][0]
    assert UploadForm(files={"file": upload("a.png", PNG_BYTES)}).is_valid()
    assert str(uploads.UploadValidator(allowed=("pdf",)).hint) == "You can upload PDF files of up to 10 MB."
    assert uploads.UploadValidator() == uploads.UploadValidator()


def test_stored_names_are_short_and_safe():
    assert uploads.storage_name("../../etc/Pass word (final).PDF", "pdf") == "pass-word-final.pdf"
    assert uploads.storage_name("photo.jpeg", "jpeg") == "photo.jpg"
    assert uploads.storage_name("", "odt") == "document.odt"
    assert uploads.storage_name("§§§.pdf", "pdf") == "document.pdf"
    assert len(uploads.storage_name("x" * 300 + ".docx", "docx")) == 55


def test_content_types():
    assert uploads.content_type_for("consultations/documents/a.pdf") == "application/pdf"
    assert uploads.content_type_for("a.JPG") == "image/jpeg"
    assert uploads.content_type_for("a.docx").endswith("wordprocessingml.document")
    assert uploads.content_type_for("a.exe") == "application/octet-stream"


def test_accept_attribute():
    assert uploads.accept_attribute(("pdf", "jpeg")) == ".pdf,.jpg,.jpeg"


# --- Details about the author are removed on arrival ---------------------------------------------

NAME = "Riverside Community Larder"


def _naming_files():
    from tests.disputes import factories

    return [
        ("evidence.pdf", factories.pdf_naming(NAME), "pdf"),
        ("photo.jpg", factories.jpeg_naming(NAME), "jpeg"),
        ("picture.png", factories.png_naming(NAME), "png"),
        ("letter.docx", factories.docx_naming(NAME), "docx"),
        ("letter.odt", factories.odt_naming(NAME), "odt"),
    ]


@pytest.mark.parametrize("index", range(5))
def test_every_upload_loses_the_details_that_name_its_author(index):
    name, content, kind = _naming_files()[index]
    assert NAME.encode() in content  # the file as it came
    cleaned = uploads.checked_upload(upload(name, content))
    data = cleaned.read()
    assert NAME.encode() not in data
    assert b"Riverside" not in data
    # Still a file of the same kind, that opens.
    assert uploads.validate_upload(upload(name, data)) == kind
    if kind == "pdf":
        import pikepdf

        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) == 1
            assert "/Metadata" not in pdf.Root
    if kind in ("png", "jpeg"):
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (16, 12)
            assert not image.getexif()
    if kind == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert "word/document.xml" in archive.namelist()
            assert b"The grant letter." in archive.read("word/document.xml")


def test_the_original_bytes_are_given_back_only_when_cleaning_changed_them():
    cleaned, original = uploads.cleaned_upload(upload("My Evidence.pdf", _naming_files()[0][1]))
    assert cleaned.name == original.name == "my-evidence.pdf"
    assert NAME.encode() in original.read()
    assert NAME.encode() not in cleaned.read()
    cleaned, original = uploads.cleaned_upload(upload("plain.pdf", PDF_BYTES))
    assert original is None
    assert cleaned.read() == PDF_BYTES  # nothing to remove: the same bytes
    assert uploads.cleaned_upload(None) == (None, None)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("a.png", PNG_BYTES, "PNG"), ("a.jpg", JPEG_BYTES, "JPEG"), ("a.pdf", b"%PDF-1.7\nnothing else", "PDF")],
)
def test_a_file_that_cannot_be_opened_to_clean_is_refused_saying_what_to_do(name, content, kind):
    with pytest.raises(ValidationError) as caught:
        uploads.checked_upload(upload(name, content))
    assert caught.value.messages == [
        f"The selected file could not be opened as a {kind} file. It may be damaged or protected by a password: "
        "save it again without a password, then choose it again."
    ]


def test_a_zip_too_large_once_unpacked_is_refused_not_unpacked(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 1024)
    with pytest.raises(ValidationError, match="could not be opened as a Word"):
        uploads.checked_upload(
            upload("big.docx", zip_bytes({"[Content_Types].xml": b"<T/>", "word/a.xml": b"0" * 2048}))
        )
