"""The sign-up journey's pages: applying, recording on paper, approving, withdrawing, re-affirming."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commitments import services as edition_services
from signatories import services
from signatories.models import Membership, Organisation, Signature
from tests.commitments.factories import CompactFactory, build_edition
from tests.signatories.factories import MembershipFactory, OrganisationFactory, SignatureFactory

pytestmark = pytest.mark.django_db

S = Signature.Status


def url(name: str, **kwargs) -> str:
    return reverse(f"signatories:{name}", kwargs=kwargs)


def login_url_for(path: str) -> str:
    return reverse("accounts:login") + "?next=" + path


def html(response) -> str:
    return response.content.decode()


def signing_data(day="2", month="4", year="2026", **overrides) -> dict:
    data = {
        "signatory_name": "Pat Chair",
        "signatory_role": "Chair of trustees",
        "signed_on_0": day,
        "signed_on_1": month,
        "signed_on_2": year,
        "confirm": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def food_bank(vcs_member):
    return vcs_member.organisations.get()


@pytest.fixture
def admin(food_bank):
    return MembershipFactory(organisation=food_bank, role=Membership.Role.ADMIN).user


@pytest.fixture
def pending(edition, food_bank, vcs_member):
    return SignatureFactory(organisation=food_bank, edition=edition, applied_by=vcs_member)


@pytest.fixture
def other_vcs_member(db):
    """A member of another voluntary organisation, with its own pending application."""
    return MembershipFactory(organisation=OrganisationFactory(name="Hillside Youth Club")).user


@pytest.fixture
def other_officer(db):
    """An officer of another public body."""
    from tests.signatories.factories import PublicBodyFactory

    return MembershipFactory(organisation=PublicBodyFactory(name="Hillside Fire Service")).user


# --- sign_up --------------------------------------------------------------------------------------------


def test_sign_up_asks_anonymous_people_to_sign_in(client, edition):
    page = url("sign_up", slug=edition.compact.slug)
    response = client.get(page)
    assert response.status_code == 302 and response.url == login_url_for(page)


def test_sign_up_explains_when_nothing_is_published(client, vcs_member):
    compact = CompactFactory(name="Unpublished Compact")
    client.force_login(vcs_member)
    response = client.get(url("sign_up", slug=compact.slug))
    assert response.status_code == 200
    assert "This Compact cannot be signed yet" in html(response)
    assert not Signature.objects.exists()


def test_sign_up_unknown_compact_is_a_404(client, vcs_member):
    client.force_login(vcs_member)
    assert client.get(url("sign_up", slug="nowhere")).status_code == 404


def test_step_one_offers_the_users_organisations_and_shows_those_already_applied(
    client, edition, food_bank, vcs_member
):
    larder = OrganisationFactory(name="Riverside Larder")
    MembershipFactory(user=vcs_member, organisation=larder)
    signature = SignatureFactory(organisation=larder, edition=edition, status=S.PENDING)
    OrganisationFactory(name="Somebody Else's Group")
    client.force_login(vcs_member)
    response = client.get(url("sign_up", slug=edition.compact.slug))
    page = html(response)
    assert response.status_code == 200
    assert "<title>Sign up to Riverside Compact" in page
    assert f'value="{food_bank.pk}"' in page  # a radio for the food bank
    assert f'value="{larder.pk}"' not in page  # the larder has applied: no radio
    assert "Awaiting approval" in page and signature.get_absolute_url() in page
    assert "Somebody Else" not in page
    assert "/organisations/new/?next=%2Fcompacts%2Friverside%2Fsign%2F" in page


def test_step_one_says_what_is_missing(client, edition, vcs_member):
    client.force_login(vcs_member)
    response = client.post(url("sign_up", slug=edition.compact.slug), {})
    assert response.status_code == 200
    assert "There is a problem" in html(response) and "Choose the organisation that is signing" in html(response)
    assert "<title>Error:" in html(response)


def test_step_one_refuses_someone_elses_organisation(client, edition, vcs_member):
    other = OrganisationFactory()
    client.force_login(vcs_member)
    response = client.post(url("sign_up", slug=edition.compact.slug), {"organisation": other.pk})
    assert response.status_code == 200
    assert "Choose one of your organisations that has not signed yet" in html(response)
    response = client.post(url("sign_up", slug=edition.compact.slug), {"organisation": "not-a-number"})
    assert response.status_code == 200


def test_step_one_leads_to_step_two(client, edition, food_bank, vcs_member):
    client.force_login(vcs_member)
    response = client.post(url("sign_up", slug=edition.compact.slug), {"organisation": food_bank.pk})
    assert response.status_code == 302
    assert response.url == url("sign_up", slug=edition.compact.slug) + f"?organisation={food_bank.pk}"


def test_a_member_applies_and_the_coordinator_is_told(
    client, django_capture_on_commit_callbacks, edition, food_bank, vcs_member, coordinator
):
    client.force_login(vcs_member)
    page = url("sign_up", slug=edition.compact.slug) + f"?organisation={food_bank.pk}"
    response = client.get(page)
    assert "Riverside Food Bank signs Riverside Compact (First edition)" in html(response)
    assert "I confirm that I may sign on behalf of Riverside Food Bank and that it agrees to this statement" in html(
        response
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, signing_data(), follow=True)
    signature = Signature.objects.get(organisation=food_bank, edition=edition)
    assert response.redirect_chain[-1][0] == signature.get_absolute_url()
    assert "Your application has been sent to the coordinator." in html(response)
    assert signature.status == S.PENDING
    assert (signature.signatory_name, signature.signatory_role) == ("Pat Chair", "Chair of trustees")
    assert signature.signed_on == datetime.date(2026, 4, 2)
    assert signature.applied_by == vcs_member and not signature.recorded_on_behalf
    assert [m.subject for m in mail.outbox if coordinator.email in m.to] == [
        "Riverside Food Bank has applied to sign the Compact"
    ]


def test_step_two_says_what_is_missing(client, edition, food_bank, vcs_member):
    client.force_login(vcs_member)
    page = url("sign_up", slug=edition.compact.slug) + f"?organisation={food_bank.pk}"
    response = client.post(page, {})
    text = html(response)
    assert response.status_code == 200
    for message in (
        "Enter the name of the person signing",
        "Enter the role of the person signing",
        "Enter the date it was signed",
        "Confirm that you may sign on behalf of Riverside Food Bank",
    ):
        assert message in text
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "Enter a real date, like 27 3 2026"),
        ("x", "4", "2026", "Enter the day as a number, like 27"),
        ("2", "13x", "2026", "Enter the month as a number, like 3"),
        ("2", "4", "26", "Enter the year as 4 numbers, like 2026"),
        ("2", "4", "", "The date must include a year"),
        ("2", "4", "1850", "The date signed must be in 1998 or later"),
        ("2", "4", "2999", "The date signed must be today or in the past"),
        ("0", "0", "0000", "Enter a real date"),
    ],
)
def test_step_two_checks_the_date(client, edition, food_bank, vcs_member, day, month, year, message):
    client.force_login(vcs_member)
    page = url("sign_up", slug=edition.compact.slug) + f"?organisation={food_bank.pk}"
    response = client.post(page, signing_data(day=day, month=month, year=year))
    assert response.status_code == 200
    assert message in html(response)
    assert not Signature.objects.exists()


def test_a_refusal_from_the_service_is_shown_as_an_error(client, monkeypatch, edition, food_bank, vcs_member):
    def refuse(**kwargs):
        raise services.SignatureError("Riverside Food Bank has already applied to sign this edition.")

    monkeypatch.setattr(services, "signature_apply", refuse)
    client.force_login(vcs_member)
    page = url("sign_up", slug=edition.compact.slug) + f"?organisation={food_bank.pk}"
    response = client.post(page, signing_data())
    assert response.status_code == 200
    assert "There is a problem" in html(response) and "already applied to sign this edition" in html(response)


def test_step_two_is_not_offered_for_someone_elses_organisation(client, edition, vcs_member):
    other = OrganisationFactory(name="Not Theirs")
    client.force_login(vcs_member)
    page = url("sign_up", slug=edition.compact.slug) + f"?organisation={other.pk}"
    assert "Not Theirs" not in html(client.get(page))
    client.post(page, signing_data())
    assert not Signature.objects.exists()


def test_names_typed_by_users_are_escaped_in_labels(client, edition, vcs_member):
    evil = OrganisationFactory(name="<script>alert(1)</script> Group")
    MembershipFactory(user=vcs_member, organisation=evil)
    client.force_login(vcs_member)
    for page in (
        url("sign_up", slug=edition.compact.slug),
        url("sign_up", slug=edition.compact.slug) + f"?organisation={evil.pk}",
        url("organisation_detail", pk=evil.pk),
    ):
        response = client.get(page)
        assert "<script>alert(1)</script>" not in html(response), page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Group" in html(response), page


def test_someone_without_an_organisation_is_told_how_to_add_one(client, edition, stranger):
    client.force_login(stranger)
    response = client.get(url("sign_up", slug=edition.compact.slug))
    assert "You are not a member of any organisation on the portal yet." in html(response)
    assert "My organisation is not on the portal yet" in html(response)


# --- record_on_behalf -------------------------------------------------------------------------------------


def test_only_officers_and_the_coordinator_record_on_behalf(
    client, edition, officer, coordinator, vcs_member, stranger, admin
):
    page = url("record_on_behalf", slug=edition.compact.slug)
    response = client.get(page)
    assert response.status_code == 302 and response.url == login_url_for(page)
    for user in (vcs_member, stranger, admin):
        client.force_login(user)
        assert client.get(page).status_code == 403, user
        assert client.post(page + "?new=1", {"name": "X"}).status_code == 403, user
    for user in (officer, coordinator):
        client.force_login(user)
        assert client.get(page).status_code == 200, user
    assert not Organisation.objects.filter(name="X").exists()


def test_search_finds_organisations_with_their_signature_state(client, edition, officer, food_bank, pending):
    numbered = OrganisationFactory(name="Numbered Trust", charity_number="1234567")
    client.force_login(officer)
    page = url("record_on_behalf", slug=edition.compact.slug)
    response = client.get(page, {"q": "riverside food"})
    text = html(response)
    assert "1 organisation found" in text and "Riverside Food Bank" in text and "Awaiting approval" in text
    assert f"?organisation={food_bank.pk}" not in text  # it has applied already: nothing to record
    response = client.get(page, {"q": "1234 567"})
    assert "Numbered Trust" in html(response) and f"?organisation={numbered.pk}" in html(response)
    assert "0 organisations found" in html(client.get(page, {"q": "zzz"}))


def test_an_officer_records_a_paper_sign_up(client, django_capture_on_commit_callbacks, edition, officer, coordinator):
    group = OrganisationFactory(name="Paper Group", contact_email="paper@example.org")
    client.force_login(officer)
    page = url("record_on_behalf", slug=edition.compact.slug) + f"?organisation={group.pk}"
    response = client.get(page)
    assert "I confirm that Paper Group signed this statement" in html(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, signing_data(), follow=True)
    signature = Signature.objects.get(organisation=group)
    assert response.redirect_chain[-1][0] == signature.get_absolute_url()
    assert "The sign-up has been recorded and sent to the coordinator for approval." in html(response)
    assert signature.recorded_on_behalf and signature.applied_by == officer and signature.status == S.PENDING
    assert not group.memberships.exists()  # the officer did not join it
    assert "paper@example.org" in {m.to[0] for m in mail.outbox}
    # The officer may follow it, but cannot change the organisation.
    assert client.get(url("organisation_edit", pk=group.pk)).status_code == 404


def test_recording_for_an_organisation_that_has_applied_goes_back_to_the_search(client, edition, officer, pending):
    client.force_login(officer)
    page = url("record_on_behalf", slug=edition.compact.slug)
    response = client.get(page, {"organisation": pending.organisation_id}, follow=True)
    assert "has already applied to sign First edition" in html(response)
    assert client.get(page, {"organisation": "abc"}).status_code == 200
    assert client.get(page, {"organisation": "999999"}).status_code == 404


def test_recording_says_what_is_missing(client, edition, officer):
    group = OrganisationFactory(name="Paper Group")
    client.force_login(officer)
    page = url("record_on_behalf", slug=edition.compact.slug) + f"?organisation={group.pk}"
    response = client.post(page, {"signed_on_0": "31", "signed_on_1": "2", "signed_on_2": "2026"})
    assert response.status_code == 200
    assert "Enter a real date" in html(response) and "Confirm that Paper Group signed this statement" in html(response)


def test_an_officer_adds_an_organisation_after_checking_for_duplicates(client, edition, officer, food_bank):
    client.force_login(officer)
    page = url("record_on_behalf", slug=edition.compact.slug) + "?new=1"
    data = {"name": "The Riverside Food-Bank Ltd", "sector": "vcs", "organisation_type": "charity"}
    response = client.post(page, data)
    assert response.status_code == 200
    assert "This organisation may already be on the portal" in html(response)
    assert f"?organisation={food_bank.pk}" in html(response)  # record for the existing one instead
    assert Organisation.objects.count() == 2  # the food bank and the council

    response = client.post(page, {**data, "not_a_duplicate": "on"})
    created = Organisation.objects.get(name="The Riverside Food-Bank Ltd")
    assert response.status_code == 302
    assert response.url == url("record_on_behalf", slug=edition.compact.slug) + f"?organisation={created.pk}"
    assert not created.memberships.exists()


# --- pending_list ---------------------------------------------------------------------------------------


def test_only_the_coordinator_sees_the_pending_list(
    client, edition, pending, coordinator, officer, vcs_member, admin, stranger
):
    page = url("pending_list", slug=edition.compact.slug)
    response = client.get(page)
    assert response.status_code == 302 and response.url == login_url_for(page)
    for user in (officer, vcs_member, admin, stranger):
        client.force_login(user)
        assert client.get(page).status_code == 403, user
    client.force_login(coordinator)
    response = client.get(page)
    assert response.status_code == 200
    assert "Riverside Food Bank" in html(response) and pending.get_absolute_url() in html(response)


def test_the_pending_list_shows_only_this_compacts_applications(client, edition, coordinator, food_bank):
    SignatureFactory(organisation=food_bank, edition=edition, status=S.SIGNED)
    elsewhere = build_edition(compact=CompactFactory(coordinators=[coordinator]))
    SignatureFactory(organisation=OrganisationFactory(name="Elsewhere Group"), edition=elsewhere)
    recorded = SignatureFactory(
        organisation=OrganisationFactory(name="On Paper Group"), edition=edition, recorded_on_behalf=True
    )
    client.force_login(coordinator)
    text = html(client.get(url("pending_list", slug=edition.compact.slug)))
    assert "On Paper Group" in text and recorded.get_absolute_url() in text
    assert "Riverside Food Bank" not in text and "Elsewhere Group" not in text
    assert "1 application, oldest first" in text


def test_the_pending_list_takes_the_same_queries_for_3_or_30_rows(
    client, django_assert_max_num_queries, edition, coordinator, officer
):
    def add(n):
        for _ in range(n):
            SignatureFactory(edition=edition, applied_by=officer, organisation=OrganisationFactory())

    client.force_login(coordinator)
    page = url("pending_list", slug=edition.compact.slug)
    add(3)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        assert html(client.get(page)).count('<th scope="row"') == 3
    add(27)
    with django_assert_max_num_queries(len(few)):
        assert html(client.get(page)).count('<th scope="row"') == 30


# --- signature_detail -------------------------------------------------------------------------------------


def test_a_signature_page_is_for_its_organisation_the_coordinator_and_the_applicant(
    client, pending, vcs_member, admin, coordinator, officer, stranger, other_vcs_member, other_officer
):
    page = url("signature_detail", pk=pending.pk)
    response = client.get(page)
    assert response.status_code == 302 and response.url == login_url_for(page)
    for user in (stranger, officer, other_vcs_member, other_officer):
        client.force_login(user)
        assert client.get(page).status_code == 404, user
    for user in (vcs_member, admin, coordinator):
        client.force_login(user)
        assert client.get(page).status_code == 200, user
    pending.applied_by = officer
    pending.save()
    client.force_login(officer)
    assert client.get(page).status_code == 200


def test_a_vcs_member_cannot_see_another_organisations_pending_application(
    client, edition, vcs_member, other_vcs_member
):
    theirs = SignatureFactory(organisation=other_vcs_member.organisations.get(), edition=edition)
    client.force_login(vcs_member)
    assert client.get(url("signature_detail", pk=theirs.pk)).status_code == 404
    assert client.get(url("organisation_detail", pk=theirs.organisation_id)).status_code == 404
    assert client.get(url("signature_withdraw", pk=theirs.pk)).status_code == 404


def test_the_signature_page_shows_what_each_person_may_do(client, pending, vcs_member, admin, coordinator):
    approve, withdraw = url("signature_approve", pk=pending.pk), url("signature_withdraw", pk=pending.pk)
    client.force_login(coordinator)
    text = html(client.get(url("signature_detail", pk=pending.pk)))
    assert approve in text and url("signature_reject", pk=pending.pk) in text and withdraw in text
    client.force_login(admin)
    text = html(client.get(url("signature_detail", pk=pending.pk)))
    assert approve not in text and withdraw in text
    client.force_login(vcs_member)
    text = html(client.get(url("signature_detail", pk=pending.pk)))
    assert approve not in text and withdraw not in text
    assert "Pat Chair, Chair of trustees" in text and "Awaiting approval" in text
    assert url("organisation_detail", pk=pending.organisation_id) in text
    client.force_login(coordinator)  # not a member: no link to a page that would be a 404
    assert url("organisation_detail", pk=pending.organisation_id) not in html(
        client.get(url("signature_detail", pk=pending.pk))
    )


def test_the_signature_page_shows_the_history_and_the_reason(client, edition, food_bank, vcs_member, coordinator):
    signature = services.signature_apply(
        organisation=food_bank,
        edition=edition,
        by=vcs_member,
        signatory_name="Pat Chair",
        signatory_role="Chair",
        signed_on=datetime.date(2026, 4, 2),
    )
    services.signature_reject(signature=signature, by=coordinator, reason="Give the <b>full</b> name.")
    client.force_login(vcs_member)
    text = html(client.get(url("signature_detail", pk=signature.pk)))
    assert "Why it was not approved" in text and "Give the &lt;b&gt;full&lt;/b&gt; name." in text
    assert "Not approved" in text and str(coordinator) in text and str(vcs_member) in text
    assert timezone.localdate().strftime("%-d %B %Y") in text
    assert "Apply again" in text and f"/compacts/riverside/sign/?organisation={food_bank.pk}" in text


# --- approve / reject -------------------------------------------------------------------------------------


def test_the_coordinator_approves(client, django_capture_on_commit_callbacks, pending, coordinator, vcs_member):
    client.force_login(coordinator)
    page = url("signature_approve", pk=pending.pk)
    assert client.get(page).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, follow=True)
    pending.refresh_from_db()
    assert pending.status == S.SIGNED and pending.decided_by == coordinator
    assert "has signed First edition" in html(response)
    assert "Riverside Food Bank has signed the Compact" in {m.subject for m in mail.outbox if vcs_member.email in m.to}
    # Approving again is not offered: back to the signature.
    response = client.get(page)
    assert response.status_code == 302 and response.url == pending.get_absolute_url()


@pytest.mark.parametrize("action", ["signature_approve", "signature_reject"])
def test_only_the_coordinator_decides(client, action, pending, vcs_member, admin, officer, stranger, other_officer):
    page = url(action, pk=pending.pk)
    response = client.get(page)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    pending.applied_by = officer
    pending.save()
    for user in (vcs_member, admin, officer):  # they may see it, not decide it
        client.force_login(user)
        assert client.get(page).status_code == 403, user
        assert client.post(page, {"reason": "x"}).status_code == 403, user
    for user in (stranger, other_officer):
        client.force_login(user)
        assert client.post(page, {"reason": "x"}).status_code == 404, user
    pending.refresh_from_db()
    assert pending.status == S.PENDING


def test_rejecting_needs_a_reason_that_the_applicant_sees(client, pending, coordinator, vcs_member):
    client.force_login(coordinator)
    page = url("signature_reject", pk=pending.pk)
    response = client.post(page, {"reason": "  "})
    assert response.status_code == 200
    assert "Enter the reason the application is not approved" in html(response)
    pending.refresh_from_db()
    assert pending.status == S.PENDING
    client.post(page, {"reason": "The signatory must be a trustee."})
    pending.refresh_from_db()
    assert pending.status == S.REJECTED
    client.force_login(vcs_member)
    assert "The signatory must be a trustee." in html(client.get(url("signature_detail", pk=pending.pk)))


# --- withdraw -------------------------------------------------------------------------------------------


def test_an_admin_withdraws_with_a_reason(client, pending, admin, vcs_member, coordinator):
    page = url("signature_withdraw", pk=pending.pk)
    client.force_login(vcs_member)  # a member who is not an admin
    assert client.get(page).status_code == 403
    assert client.post(page, {"reason": "No"}).status_code == 403
    client.force_login(admin)
    response = client.post(page, {"reason": ""})
    assert response.status_code == 200 and "Enter the reason for withdrawing" in html(response)
    response = client.post(page, {"reason": "We are closing down."})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == S.WITHDRAWN and pending.reason == "We are closing down."
    assert pending.events.last().by == admin


def test_the_coordinator_may_withdraw_a_signature_but_an_officer_may_not(
    client, edition, food_bank, coordinator, officer
):
    signed = SignatureFactory(organisation=food_bank, edition=edition, status=S.SIGNED, applied_by=officer)
    page = url("signature_withdraw", pk=signed.pk)
    client.force_login(officer)
    assert client.post(page, {"reason": "x"}).status_code == 403
    client.force_login(coordinator)
    assert client.post(page, {"reason": "Asked by the trustees"}).status_code == 302
    signed.refresh_from_db()
    assert signed.status == S.WITHDRAWN
    response = client.get(page)  # nothing left to withdraw
    assert response.status_code == 302 and response.url == signed.get_absolute_url()


# --- reaffirm -------------------------------------------------------------------------------------------


@pytest.fixture
def asked_to_reaffirm(compact, edition, coordinator, food_bank):
    SignatureFactory(organisation=food_bank, edition=edition, status=S.SIGNED)
    draft = edition_services.edition_start_from_current(compact=compact, name="Refreshed 2027", by=coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the commit queues the re-affirmation requests
        new = edition_services.edition_publish(edition=draft, by=coordinator)
    return Signature.objects.get(organisation=food_bank, edition=new)


def test_an_admin_reaffirms_for_the_new_edition(client, asked_to_reaffirm, admin):
    client.force_login(admin)
    detail = html(client.get(url("signature_detail", pk=asked_to_reaffirm.pk)))
    assert url("signature_reaffirm", pk=asked_to_reaffirm.pk) in detail
    page = url("signature_reaffirm", pk=asked_to_reaffirm.pk)
    text = html(client.get(page))
    assert "Riverside Food Bank signs Riverside Compact (Refreshed 2027)" in text
    response = client.post(page, signing_data(signatory_name="Ana New"), follow=True)
    asked_to_reaffirm.refresh_from_db()
    assert asked_to_reaffirm.status == S.SIGNED and asked_to_reaffirm.signatory_name == "Ana New"
    assert "has re-affirmed its signature of Refreshed 2027" in html(response)


def test_reaffirming_says_what_is_missing(client, asked_to_reaffirm, admin):
    client.force_login(admin)
    response = client.post(url("signature_reaffirm", pk=asked_to_reaffirm.pk), {"signatory_name": "Ana"})
    assert response.status_code == 200 and "Enter the date it was signed" in html(response)
    asked_to_reaffirm.refresh_from_db()
    assert asked_to_reaffirm.status == S.REAFFIRMATION_REQUESTED


def test_a_request_for_an_edition_replaced_since_cannot_be_answered(
    client, compact, coordinator, asked_to_reaffirm, admin
):
    """The organisation is asked again for the edition that replaced it (decision 0030, revised):
    re-affirming the replaced one would sign an edition nobody follows any more."""
    draft = edition_services.edition_start_from_current(compact=compact, name="Refreshed 2028", by=coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        latest = edition_services.edition_publish(edition=draft, by=coordinator)
    again = Signature.objects.get(organisation=asked_to_reaffirm.organisation, edition=latest)
    assert again.status == S.REAFFIRMATION_REQUESTED
    client.force_login(admin)
    page = url("signature_reaffirm", pk=asked_to_reaffirm.pk)
    detail = html(client.get(url("signature_detail", pk=asked_to_reaffirm.pk)))
    assert page not in detail
    # The page says why, rather than asking an admin to re-affirm with nothing to press.
    assert "Refreshed 2027 has been replaced, so its signature can no longer be re-affirmed." in detail
    assert "needs to re-affirm the signature" not in detail
    assert url("signature_reaffirm", pk=again.pk) in html(client.get(url("signature_detail", pk=again.pk)))
    response = client.post(page, signing_data(signatory_name="Ana New"), follow=True)
    assert "Refreshed 2027 has been replaced, so its signature can no longer be re-affirmed." in html(response)
    asked_to_reaffirm.refresh_from_db()
    assert asked_to_reaffirm.status == S.REAFFIRMATION_REQUESTED
    with pytest.raises(services.SignatureError, match="Re-affirm the current edition instead"):
        services.signature_reaffirm(
            signature=asked_to_reaffirm,
            by=admin,
            signatory_name="Ana",
            signatory_role="Chair",
            signed_on=datetime.date.today(),
        )

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = html(client.get(page, follow=True, HTTP_ACCEPT_LANGUAGE="cy"))
    assert "ddisodli, felly ni ellir ailgadarnhau ei lofnod mwyach. Ailgadarnhewch yr argraffiad presennol" in welsh


def test_only_the_organisations_admins_reaffirm(client, asked_to_reaffirm, vcs_member, coordinator, stranger):
    page = url("signature_reaffirm", pk=asked_to_reaffirm.pk)
    for user in (vcs_member, coordinator):
        client.force_login(user)
        assert client.get(page).status_code == 403, user
        assert client.post(page, signing_data()).status_code == 403, user
    client.force_login(stranger)
    assert client.get(page).status_code == 404
    asked_to_reaffirm.refresh_from_db()
    assert asked_to_reaffirm.status == S.REAFFIRMATION_REQUESTED
