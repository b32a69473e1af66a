"""Breach concerns for tests, opened through the service as a user would open them."""

import datetime

from disputes import services
from disputes.models import Case
from tests.consultations.factories import PDF_BYTES, PNG_BYTES, upload  # noqa: F401 (re-exported)

D = datetime.date
TODAY = D(2026, 6, 1)  # a Monday


def open_case(*, complainant, respondent, edition, by, withhold_name=False, numbers=("1.3",), today=TODAY, **kwargs):
    """A concern in informal dialogue, about the undertakings numbered ``numbers`` of ``edition``."""
    fields = {
        "summary": "The council cut our grant without notice",
        "what_happened": "A letter arrived on Friday ending the grant on Monday.",
        "happened_on": D(2026, 5, 15),
        "outcome_sought": "Three months' notice, as the Compact says.",
    }
    fields.update(kwargs)
    return services.case_open(
        complainant=complainant,
        respondent=respondent,
        edition=edition,
        undertakings=list(edition.undertakings.filter(number__in=numbers)),
        by=by,
        withhold_name=withhold_name,
        today=today,
        **fields,
    )


class World:
    """The people of one concern: Riverside Food Bank (complainant) against Riverside Borough Council."""

    def __init__(self, *, compact, edition, officer, vcs_member, coordinator, stranger):
        from tests.accounts.factories import UserFactory
        from tests.signatories.factories import MembershipFactory, OrganisationFactory

        self.compact, self.edition, self.coordinator, self.stranger = compact, edition, coordinator, stranger
        self.officer, self.vcs_member = officer, vcs_member
        vcs_member.first_name, vcs_member.last_name = "Olwen", "Featherstonehaugh"
        vcs_member.save()
        self.food_bank = vcs_member.memberships.get().organisation
        self.council = officer.memberships.get().organisation
        # A named person of the complainant, whose name must not reach the council either.
        self.volunteer = UserFactory(username="volunteer", first_name="Priya", last_name="Quartermaine")
        MembershipFactory(user=self.volunteer, organisation=self.food_bank)
        self.outsider = MembershipFactory(organisation=OrganisationFactory(name="Unrelated Allotment Society")).user

    def open(self, **kwargs) -> Case:
        kwargs.setdefault("by", self.volunteer)
        return open_case(complainant=self.food_bank, respondent=self.council, edition=self.edition, **kwargs)


# --- Files that carry a name in each place a name hides -------------------------------------------


def pdf_naming(name: str) -> bytes:
    """A one-page PDF whose document information (Author, Title) and XMP metadata carry ``name``;
    its text does not."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    comment = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[10, 10, 30, 30], T=name, Contents="Seen."
        )
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([comment]))
    pdf.docinfo["/Author"] = name
    pdf.docinfo["/Title"] = f"Evidence from {name}"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [name]
        meta["xmp:CreatorTool"] = f"{name} office"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def jpeg_naming(name: str) -> bytes:
    """A small photo whose EXIF carries ``name`` as its Artist and a GPS position."""
    import io

    from PIL import Image

    image = Image.new("RGB", (16, 12), "teal")
    exif = image.getexif()
    exif[0x013B] = name  # Artist
    exif[0x8298] = f"(c) {name}"  # Copyright
    exif.get_ifd(0x8825).update({1: "N", 2: (54.0, 46.0, 30.0), 3: "W", 4: (1.0, 34.0, 12.0)})  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=name.encode())
    return out.getvalue()


def png_naming(name: str) -> bytes:
    """A small picture whose text chunks carry ``name``."""
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", name)
    info.add_itxt("Description", f"Photo by {name}")
    out = io.BytesIO()
    Image.new("RGB", (16, 12), "navy").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def docx_naming(name: str) -> bytes:
    """A Word file whose document properties (docProps/core.xml creator) and a comment name ``name``."""
    from tests.consultations.factories import zip_bytes

    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "docProps/core.xml": (
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
                'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:creator>{name}</dc:creator><cp:lastModifiedBy>{name}</cp:lastModifiedBy>"
                "</cp:coreProperties>"
            ).encode(),
            "docProps/app.xml": f"<Properties><Company>{name}</Company></Properties>".encode(),
            "word/document.xml": b"<w:document><w:body><w:p>The grant letter.</w:p></w:body></w:document>",
            "word/comments.xml": f'<w:comments><w:comment w:author="{name}" w:initials="RL"/></w:comments>'.encode(),
            "word/people.xml": f'<w15:people><w15:person w15:author="{name}"/></w15:people>'.encode(),
        }
    )


def odt_naming(name: str) -> bytes:
    from tests.consultations.factories import zip_bytes

    return zip_bytes(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            "meta.xml": f"<office:document-meta><meta:initial-creator>{name}</meta:initial-creator>"
            f"<dc:creator>{name}</dc:creator></office:document-meta>".encode(),
            "META-INF/manifest.xml": b"<manifest/>",
        }
    )
