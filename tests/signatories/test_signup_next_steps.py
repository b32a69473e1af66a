"""Rough edges of signing up: officers find "record a sign-up", attach the scan of the paper form (the
coordinator's alone), replaced-edition applications are flagged and can be approved for the current
edition, each decision offers the next step, and the register links to organisations' public pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Edition
from signatories import services
from signatories.models import Signature
from tests.commitments.factories import build_edition
from tests.consultations.factories import PDF_BYTES, PNG_BYTES
from tests.signatories.factories import OrganisationFactory, SignatureFactory, signed_signature

pytestmark = pytest.mark.django_db

S = Signature.Status


def url(name: str, **kwargs) -> str:
    return reverse(f"signatories:{name}", kwargs=kwargs)


def html(response) -> str:
    return response.content.decode()


def signing_data(**extra) -> dict:
    return {
        "signatory_name": "Pat Chair",
        "signatory_role": "Chair of trustees",
        "signed_on_0": "2",
        "signed_on_1": "4",
        "signed_on_2": "2026",
        "confirm": "on",
        **extra,
    }


@pytest.fixture
def allotments(db):
    return OrganisationFactory(name="Riverside Allotments", contact_email="plots@allotments.example")


def test_officers_find_record_a_sign_up_on_their_dashboard_and_the_compact_page(client, officer, vcs_member, edition):
    compact = edition.compact
    record = url("record_on_behalf", slug=compact.slug)
    client.force_login(officer)
    dashboard = html(client.get(reverse("accounts:dashboard")))
    assert "Record a sign-up for an organisation: Riverside Compact" in dashboard
    assert f'href="{record}"' in dashboard
    page = html(client.get(reverse("commitments:compact_detail", kwargs={"slug": compact.slug})))
    assert f'href="{record}">Record a sign-up for an organisation</a>' in page
    assert client.get(record).status_code == 200

    client.force_login(vcs_member)
    assert record not in html(client.get(reverse("accounts:dashboard")))
    assert record not in html(client.get(reverse("commitments:compact_detail", kwargs={"slug": compact.slug})))


def test_an_officer_attaches_the_scan_that_only_the_coordinator_sees(client, officer, coordinator, edition, allotments):
    record = url("record_on_behalf", slug=edition.compact.slug) + f"?organisation={allotments.pk}"
    client.force_login(officer)
    page = html(client.get(record))
    assert 'enctype="multipart/form-data"' in page and "Scan of the signed form (optional)" in page

    fake = SimpleUploadedFile("signed.pdf", PNG_BYTES, content_type="application/pdf")
    response = client.post(record, signing_data(signed_form=fake))
    assert response.status_code == 200
    assert "govuk-error-summary" in html(response)
    assert not Signature.objects.exists()

    scan = SimpleUploadedFile("Signed form (Allotments).pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(record, signing_data(signed_form=scan), follow=True)
    signature = Signature.objects.get()
    assert signature.recorded_on_behalf and signature.signed_form.name.endswith(".pdf")
    download = url("signed_form", pk=signature.pk)
    # The officer who recorded it sees the signature, not the scan.
    text = html(response)
    assert download not in text
    assert "Record another sign-up" in text  # the next step
    assert client.get(download).status_code == 404

    client.force_login(coordinator)
    assert download in html(client.get(signature.get_absolute_url()))
    response = client.get(download)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_signature_without_a_scan_has_no_download(client, coordinator, edition, allotments):
    signature = SignatureFactory(organisation=allotments, edition=edition)
    client.force_login(coordinator)
    assert client.get(url("signed_form", pk=signature.pk)).status_code == 404


@pytest.fixture
def replaced(edition, allotments):
    """An application for the first edition, left pending when a second edition replaced it."""
    signature = SignatureFactory(organisation=allotments, edition=edition)
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SUPERSEDED)
    current = build_edition(compact=edition.compact, name="Refreshed edition", published_on=datetime.date(2026, 6, 1))
    return signature, current


def test_an_application_for_a_replaced_edition_is_flagged_and_approved_for_the_current_one(
    client, coordinator, replaced, allotments
):
    old, current = replaced
    client.force_login(coordinator)
    listing = html(client.get(url("pending_list", slug=current.compact.slug)))
    assert "Replaced edition" in listing
    assert "Applied for First edition; the current edition is Refreshed edition." in listing

    approve = url("signature_approve", pk=old.pk)
    page = html(client.get(approve))
    assert "This application is for First edition, which has been replaced by Refreshed edition." in page
    response = client.post(approve, {})
    assert "Choose the edition the organisation signs" in html(response)
    old.refresh_from_db()
    assert old.status == S.PENDING

    response = client.post(approve, {"edition": "current"}, follow=True)
    new = Signature.objects.get(organisation=allotments, edition=current)
    assert new.status == S.SIGNED and new.decided_by == coordinator
    assert "Riverside Allotments has signed Refreshed edition." in html(response)
    old.refresh_from_db()
    assert old.status == S.REJECTED
    assert old.reason == "Approved for Refreshed edition, the current edition, instead."
    assert [e.new_status for e in new.events.all()] == [S.PENDING, S.SIGNED]


def test_an_application_for_a_replaced_edition_can_still_be_refused(client, coordinator, replaced):
    old, _current = replaced
    client.force_login(coordinator)
    client.post(url("signature_reject", pk=old.pk), {"reason": "Please apply for the refreshed edition."})
    old.refresh_from_db()
    assert old.status == S.REJECTED
    with pytest.raises(services.SignatureError, match="cannot be done now"):
        services.signature_approve_for_current(signature=old, by=None)


def test_after_a_decision_the_coordinator_is_offered_the_next_application(client, coordinator, edition):
    first = SignatureFactory(organisation=OrganisationFactory(name="Aspen Club"), edition=edition)
    second = SignatureFactory(organisation=OrganisationFactory(name="Birch Club"), edition=edition)
    client.force_login(coordinator)
    response = client.post(url("signature_approve", pk=first.pk), {}, follow=True)
    text = html(response)
    assert "Next application awaiting approval: Birch Club" in text
    assert f'href="{second.get_absolute_url()}"' in text


def test_register_names_link_to_the_organisations_public_page(client, edition, allotments):
    signed_signature(organisation=allotments, edition=edition)
    register = html(client.get(url("register", slug=edition.compact.slug)))
    public = url("organisation_public", pk=allotments.pk)
    assert f'<a class="govuk-link" href="{public}">Riverside Allotments</a>' in register
    page = html(client.get(public))
    assert "Riverside Allotments" in page and "Riverside Compact" in page
    assert "plots@allotments.example" not in page  # no contact details on the public page
    not_signed = SignatureFactory(organisation=OrganisationFactory(name="Pending Club"), edition=edition)
    assert client.get(url("organisation_public", pk=not_signed.organisation_id)).status_code == 404
