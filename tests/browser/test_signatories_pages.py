"""Every page of the sign-up journey and of an organisation's own pages, opened as each role that can
see it, checked by axe-core (WCAG 2.2 AA), including forms showing their errors and the duplicate warning."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commitments import services as edition_services
from signatories import services
from signatories.models import Membership, Signature
from tests.browser.conftest import assert_accessible
from tests.commitments.factories import CompactFactory, build_edition
from tests.signatories.factories import MembershipFactory, OrganisationFactory, SignatureFactory

pytestmark = pytest.mark.django_db(transaction=True)


def url(name: str, **kwargs) -> str:
    return reverse(f"signatories:{name}", kwargs=kwargs)


def visit(page, path: str, expected_status: int = 200) -> None:
    response = page.goto(path)
    assert response.status == expected_status, f"{path} answered {response.status}"
    assert page.title(), f"{path} has no title"
    assert_accessible(page)


def submit_and_check_errors(page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)


@pytest.fixture
def world(compact, coordinator, vcs_member, officer):
    """A Compact on its second edition: one organisation asked to re-affirm, one awaiting approval."""
    first = build_edition(compact=compact, name="First edition")
    signed = OrganisationFactory(name="Hillside Youth Club", charity_number="1234567")
    signed_admin = MembershipFactory(organisation=signed, role=Membership.Role.ADMIN).user
    old = services.signature_apply(
        organisation=signed,
        edition=first,
        by=signed_admin,
        signatory_name="Pat Chair",
        signatory_role="Chair of trustees",
        signed_on=first.published_on,
    )
    services.signature_approve(signature=old, by=coordinator)
    draft = edition_services.edition_start_from_current(compact=compact, name="Refreshed 2027", by=coordinator)
    second = edition_services.edition_publish(edition=draft, by=coordinator)

    food_bank = vcs_member.organisations.get()
    food_bank_admin = MembershipFactory(organisation=food_bank, role=Membership.Role.ADMIN).user
    pending = services.signature_apply(
        organisation=food_bank,
        edition=second,
        by=vcs_member,
        signatory_name="Sam Treasurer",
        signatory_role="Treasurer",
        signed_on=second.published_on,
    )
    larder = OrganisationFactory(name="Riverside Larder")
    MembershipFactory(user=vcs_member, organisation=larder)
    invitation, token = services.invitation_send(
        organisation=food_bank, email="newcomer@example.org", role=Membership.Role.MEMBER, by=food_bank_admin
    )
    # A public body awaiting a coordinator's approval, and an application left on the replaced edition.
    pending_body = services.organisation_create(
        by=MembershipFactory().user, name="Riverside Parish Council", sector="public", organisation_type="council"
    )
    replaced = SignatureFactory(organisation=OrganisationFactory(name="Old Form Group"), edition=first)
    return {
        "second": second,
        "food_bank": food_bank,
        "food_bank_admin": food_bank_admin,
        "pending": pending,
        "larder": larder,
        "signed_admin": signed_admin,
        "reaffirm": Signature.objects.get(organisation=signed, edition=second),
        "token": token,
        "paper_group": OrganisationFactory(name="Paper Group"),
        "invitation": invitation,
        "pending_body": pending_body,
        "replaced": replaced,
        "signed": signed,
    }


def test_pages_for_a_vcs_member(page, sign_in, compact, world, vcs_member):
    sign_in(vcs_member)
    sign_up = url("sign_up", slug=compact.slug)
    for path in (
        sign_up,
        sign_up + f"?organisation={world['larder'].pk}",
        url("organisation_new"),
        url("organisation_detail", pk=world["food_bank"].pk),
        url("signature_detail", pk=world["pending"].pk),
    ):
        visit(page, path)
    for path in (
        url("organisation_edit", pk=world["food_bank"].pk),
        url("signature_withdraw", pk=world["pending"].pk),
        url("pending_list", slug=compact.slug),
        url("record_on_behalf", slug=compact.slug),
    ):
        visit(page, path, expected_status=403)
    visit(page, url("signature_detail", pk=world["reaffirm"].pk), expected_status=404)
    visit(page, url("sign_up", slug=CompactFactory(name="Unpublished Compact").slug))


def test_sign_up_forms_showing_errors(page, sign_in, compact, world, vcs_member):
    sign_in(vcs_member)
    page.goto(url("sign_up", slug=compact.slug))
    submit_and_check_errors(page, "Continue")
    page.get_by_label("Riverside Larder").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign Riverside Larder up")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    submit_and_check_errors(page, "Send the application")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real date")


def test_organisation_forms_showing_errors_and_the_duplicate_warning(page, sign_in, world, vcs_member):
    sign_in(vcs_member)
    page.goto(url("organisation_new"))
    submit_and_check_errors(page, "Add the organisation")
    page.get_by_label("Name of the organisation").fill("The Hillside Youth Club Ltd")
    page.get_by_label("Voluntary and community sector").check()
    page.get_by_label("Charity", exact=True).check()
    submit_and_check_errors(page, "Add the organisation")
    expect(page.locator(".govuk-warning-text")).to_contain_text("may already be on the portal")
    expect(page.get_by_role("table")).to_contain_text("1234567")


def test_pages_for_an_organisation_admin(page, sign_in, compact, world):
    sign_in(world["food_bank_admin"])
    food_bank = world["food_bank"]
    member = Membership.objects.get(organisation=food_bank, role=Membership.Role.MEMBER)
    for path in (
        url("organisation_detail", pk=food_bank.pk),
        url("organisation_edit", pk=food_bank.pk),
        url("champion", pk=food_bank.pk),
        url("invite", pk=food_bank.pk),
        url("membership_role", pk=food_bank.pk, membership_pk=member.pk),
        url("signature_detail", pk=world["pending"].pk),
        url("signature_withdraw", pk=world["pending"].pk),
        url("invitation_cancel", pk=food_bank.pk, invitation_pk=world["invitation"].pk),
    ):
        visit(page, path)

    page.goto(url("organisation_edit", pk=food_bank.pk))
    page.get_by_label("Name of the organisation").fill("")
    submit_and_check_errors(page, "Save the details")
    page.goto(url("invite", pk=food_bank.pk))
    page.get_by_label("Their email address").fill("not an email")
    submit_and_check_errors(page, "Send the invitation")
    own = Membership.objects.get(user=world["food_bank_admin"])
    page.goto(url("membership_role", pk=food_bank.pk, membership_pk=own.pk))
    page.get_by_label("Member", exact=True).check()
    submit_and_check_errors(page, "Save the role")
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least one admin")
    page.goto(url("signature_withdraw", pk=world["pending"].pk))
    submit_and_check_errors(page, "Withdraw the signature")


def test_reaffirming(page, sign_in, world):
    sign_in(world["signed_admin"])
    reaffirm = world["reaffirm"]
    visit(page, url("signature_detail", pk=reaffirm.pk))
    visit(page, url("signature_reaffirm", pk=reaffirm.pk))
    submit_and_check_errors(page, "Re-affirm the signature")
    page.get_by_label("Name of the person signing").fill("Ana Chair")
    page.get_by_label("Their role in the organisation").fill("Chair")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("I confirm that I may sign on behalf of Hillside Youth Club").check()
    page.get_by_role("button", name="Re-affirm the signature").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has re-affirmed its signature")
    assert_accessible(page)


def test_pages_for_the_coordinator(page, sign_in, compact, world, coordinator):
    sign_in(coordinator)
    pending = world["pending"]
    for path in (
        url("pending_list", slug=compact.slug),
        url("signature_detail", pk=pending.pk),
        url("signature_approve", pk=pending.pk),
        url("signature_reject", pk=pending.pk),
        url("record_on_behalf", slug=compact.slug),
        url("organisation_pending_list", slug=compact.slug),
        url("organisation_approve", slug=compact.slug, pk=world["pending_body"].pk),
        url("organisation_reject", slug=compact.slug, pk=world["pending_body"].pk),
        url("signature_detail", pk=world["replaced"].pk),
        url("organisation_public", pk=world["signed"].pk),
    ):
        visit(page, path)
    visit(page, url("signature_approve", pk=world["replaced"].pk))
    submit_and_check_errors(page, "Approve the signature")
    page.get_by_label(re.compile("The current edition")).check()
    page.get_by_role("button", name="Approve the signature").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Old Form Group has signed Refreshed 2027")
    assert_accessible(page)
    page.goto(url("organisation_reject", slug=compact.slug, pk=world["pending_body"].pk))
    submit_and_check_errors(page, "Do not approve")
    page.goto(url("signature_reject", pk=pending.pk))
    submit_and_check_errors(page, "Do not approve")
    page.get_by_label("Why is it not approved?").fill("The treasurer cannot sign for the trustees.")
    page.get_by_role("button", name="Do not approve").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("was not approved")
    assert_accessible(page)


def test_pages_for_an_officer_recording_on_paper(page, sign_in, compact, world, officer):
    sign_in(officer)
    record = url("record_on_behalf", slug=compact.slug)
    visit(page, record)
    visit(page, record + "?q=riverside")
    visit(page, record + f"?organisation={world['paper_group'].pk}")
    submit_and_check_errors(page, "Record the sign-up")
    visit(page, record + "?new=1")
    page.get_by_label("Name of the organisation").fill("Paper Group Ltd")
    page.get_by_label("Voluntary and community sector").check()
    page.get_by_label("Community group").check()
    submit_and_check_errors(page, "Add the organisation")
    expect(page.get_by_role("link", name=re.compile("Record the sign-up for this one"))).to_be_visible()
    visit(page, url("pending_list", slug=compact.slug), expected_status=403)


def test_invitation_pages(page, sign_in, world, stranger):
    accept = url("invitation_accept", token=world["token"])
    visit(page, accept)  # signed out: create an account
    submit_and_check_errors(page, "Create the account and join")
    visit(page, url("invitation_accept", token="not-a-real-token"), expected_status=404)
    sign_in(stranger)
    visit(page, accept)
    page.get_by_role("button", name="Join Riverside Food Bank").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have joined Riverside Food Bank.")
    assert_accessible(page)
    visit(page, accept, expected_status=410)
