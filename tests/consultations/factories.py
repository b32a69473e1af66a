import datetime

import factory

from consultations.models import Consultation, FeedbackItem, PolicyArea, Response
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A formal 12-week consultation (4 January to 28 March 2027) with early notice and a link.

    Pass ``edition`` (a published one); its Compact is used."""

    class Meta:
        model = Consultation

    edition = factory.SubFactory("tests.commitments.factories.PublishedEditionFactory")
    compact = factory.SelfAttribute("edition.compact")
    organisation = factory.SubFactory(PublicBodyFactory)
    title = factory.Sequence(lambda n: f"Consultation {n}")
    summary = "What we propose, and who it affects."
    policy_area = PolicyArea.HOUSING
    kind = Consultation.Kind.FORMAL
    early_notice_on = datetime.date(2026, 12, 1)
    opens_on = datetime.date(2027, 1, 4)
    closes_on = datetime.date(2027, 3, 28)
    link = "https://www.example.gov.uk/consultations/one"
    contact_name = "Consultation Team"
    contact_email = "consult@example.gov.uk"


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    consultation = factory.SubFactory(ConsultationFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    summary = "We support the proposal, with changes to opening hours."


class FeedbackItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackItem

    consultation = factory.SubFactory(ConsultationFactory)
    position = factory.Sequence(lambda n: n + 1)
    theme = factory.Sequence(lambda n: f"Theme {n}")
    you_said = "Open the hub on Saturdays."
    we_did = "The hub now opens on Saturday mornings."


# Small but real files, by their first bytes.
PDF_BYTES = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
DOC_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def zip_bytes(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def odt_bytes() -> bytes:
    return zip_bytes(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest/>",
        }
    )


def upload(name: str = "proposal.pdf", content: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)
