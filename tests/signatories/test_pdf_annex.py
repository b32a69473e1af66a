"""The printed Compact's annex: the organisations that signed that edition, by sector."""

import datetime
import re
import subprocess

import pytest

from commitments import pdf
from commitments import services as commitment_services
from commitments.models import Edition
from compact_portal import documents
from signatories.models import OrganisationType, Signature
from tests.commitments.factories import PublishedEditionFactory
from tests.conftest import require_executable
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory, SignatureFactory, signed_signature

pytestmark = pytest.mark.django_db

S = Signature.Status
ANNEX = "Annex: organisations that have signed this"  # the heading wraps before "edition"


def pdf_text(data: bytes) -> str:
    pdftotext = require_executable("pdftotext")
    result = subprocess.run([pdftotext, "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


@pytest.fixture
def signatories(edition):
    signed_signature(
        organisation=OrganisationFactory(name="Riverside Food Bank", organisation_type=OrganisationType.CHARITY),
        edition=edition,
        signatory_name="Ann Jones",
        signatory_role="Chair of trustees",
        signed_on=datetime.date(2026, 4, 3),
    )
    signed_signature(
        organisation=OrganisationFactory(name="Alder Youth Club"),
        edition=edition,
        signatory_name="Ben Cole",
        signatory_role="Secretary",
        signed_on=datetime.date(2026, 4, 9),
    )
    signed_signature(
        organisation=PublicBodyFactory(name="Riverside Borough Council"),
        edition=edition,
        signatory_name="Cara Dunn",
        signatory_role="Chief Executive",
        signed_on=datetime.date(2026, 4, 2),
    )
    SignatureFactory(organisation=OrganisationFactory(name="Pending Allotments"), edition=edition, status=S.PENDING)
    SignatureFactory(organisation=OrganisationFactory(name="Refused Society"), edition=edition, status=S.REJECTED)
    signed_signature(organisation=OrganisationFactory(name="Gone Away Group"), edition=edition, status=S.WITHDRAWN)
    SignatureFactory(
        organisation=PublicBodyFactory(name="Reaffirm Police"), edition=edition, status=S.REAFFIRMATION_REQUESTED
    )
    # Signed another edition only.
    other = PublishedEditionFactory(compact=edition.compact, status=Edition.Status.SUPERSEDED, name="Old edition")
    signed_signature(organisation=OrganisationFactory(name="Old Timers Club"), edition=other)


def test_sections_public_bodies_first_then_vcs_each_by_type_and_name(edition, signatories):
    sections = pdf.edition_signatories_for_pdf(edition)
    signed = [section for section in sections if not section.pending]
    assert [section.label for section in signed] == ["Public sector", "Voluntary and community sector"]
    assert signed[0].rows == [
        pdf.SignatoryRow(
            "Riverside Borough Council", "Cara Dunn", "Chief Executive", datetime.date(2026, 4, 2), "Council"
        )
    ]
    # By type (Charity before Community group), then by name.
    assert [row.organisation for row in signed[1].rows] == ["Riverside Food Bank", "Alder Youth Club"]
    assert signed[1].rows[0] == pdf.SignatoryRow(
        "Riverside Food Bank", "Ann Jones", "Chair of trustees", datetime.date(2026, 4, 3), "Charity"
    )
    # Signed the edition before this one and has not re-affirmed: apart, as pending.
    pending = [section for section in sections if section.pending]
    assert [(section.label, [row.organisation for row in section.rows]) for section in pending] == [
        ("Voluntary and community sector", ["Old Timers Club"])
    ]


def test_a_sector_nobody_signed_for_is_left_out(edition):
    signed_signature(organisation=OrganisationFactory(name="Lonely Charity"), edition=edition)
    assert [section.label for section in pdf.edition_signatories_for_pdf(edition)] == ["Voluntary and community sector"]
    assert pdf.edition_signatories_for_pdf(PublishedEditionFactory()) == []


def test_the_printed_annex_lists_signed_organisations_under_their_sector(edition, signatories):
    text = pdf_text(documents.render_pdf(pdf.edition_pdf_html(edition), stylesheet=pdf.STYLESHEET))
    annex = text.split(ANNEX)[-1]
    assert "No organisation has signed this edition yet." not in annex
    # Each sector's name is a heading on a line of its own, public bodies first.
    assert re.match(r"\s*edition\s+Public sector\s*\n", annex)
    public, vcs = re.split(r"^\s*Voluntary and community sector\s*$", annex, maxsplit=1, flags=re.MULTILINE)
    assert re.search(r"Riverside Borough Council\s+Cara Dunn\s+Chief Executive\s+2 April 2026", public)
    assert "Riverside Food Bank" not in public
    assert re.search(r"Riverside Food Bank\s+Ann Jones\s+Chair of trustees\s+3 April 2026", vcs)
    signed_vcs, pending = vcs.split("Signed the previous edition, re-affirmation pending")
    # Grouped by type under a heading each, organisations by name within a type.
    assert re.search(r"^\s*Charity\s*\n\s*Riverside Food Bank", signed_vcs, flags=re.MULTILINE)
    assert re.search(r"^\s*Community group\s*\n\s*Alder Youth Club", signed_vcs, flags=re.MULTILINE)
    # The organisation that signed only the edition before is printed apart, as pending.
    assert "Old Timers Club" in pending
    assert "Old Timers Club" not in signed_vcs
    for absent in ("Pending Allotments", "Refused Society", "Gone Away Group", "Reaffirm Police"):
        assert absent not in text


def test_the_pdf_is_made_again_when_an_organisation_signs(edition):
    before = pdf.content_hash(pdf.edition_pdf_html(edition))
    pending = SignatureFactory(organisation=OrganisationFactory(name="Late Signer"), edition=edition)
    assert pdf.content_hash(pdf.edition_pdf_html(edition)) == before  # an application changes nothing

    pending.status = S.SIGNED
    pending.save()
    after = pdf.content_hash(pdf.edition_pdf_html(edition))
    assert after != before

    first = pdf.edition_document_request(edition)
    pending.status = S.WITHDRAWN
    pending.save()
    second = pdf.edition_document_request(edition)
    assert second.pk != first.pk  # a new document for the new content
    assert second.content_hash == before


def test_a_freshly_published_edition_prints_who_is_asked_to_re_affirm_not_that_nobody_signed(
    edition, coordinator, django_capture_on_commit_callbacks
):
    signed_signature(
        organisation=OrganisationFactory(
            name="Willow Lane Allotments", organisation_type=OrganisationType.COMMUNITY_GROUP
        ),
        edition=edition,
        signed_on=datetime.date(2026, 4, 5),
    )
    signed_signature(organisation=PublicBodyFactory(name="Riverside Borough Council"), edition=edition)
    draft = commitment_services.edition_start_from_current(compact=edition.compact, name="Refreshed", by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        commitment_services.edition_publish(edition=draft, by=coordinator, today=datetime.date(2027, 3, 4))
    draft.refresh_from_db()

    text = pdf_text(documents.render_pdf(pdf.edition_pdf_html(draft), stylesheet=pdf.STYLESHEET))
    annex = text.split(ANNEX)[-1]
    assert "No organisation has signed this edition yet." not in annex
    assert "No organisation has re-affirmed this edition yet." in annex
    signed, pending = annex.split("Signed the previous edition, re-affirmation pending")
    assert "Willow Lane Allotments" not in signed
    assert re.search(r"Willow Lane Allotments\s+Community group\s+signed 5 April 2026", pending)
    public, vcs = re.split(r"^\s*Voluntary and community sector\s*$", pending, maxsplit=1, flags=re.MULTILINE)
    assert "Riverside Borough Council" in public and "Willow Lane Allotments" in vcs

    # Once it re-affirms, it moves from pending to signed.
    signature = Signature.objects.get(organisation__name="Willow Lane Allotments", edition=draft)
    signature.status = S.SIGNED
    signature.signed_on = datetime.date(2027, 3, 20)
    signature.save()
    text = pdf_text(documents.render_pdf(pdf.edition_pdf_html(draft), stylesheet=pdf.STYLESHEET))
    signed, pending = text.split(ANNEX)[-1].split("Signed the previous edition, re-affirmation pending")
    assert "Willow Lane Allotments" in signed and "Willow Lane Allotments" not in pending
