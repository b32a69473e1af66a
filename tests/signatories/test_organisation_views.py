"""An organisation's pages: adding it, its details, champion, people, invitations and signatures."""

import datetime
import re

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from signatories import services
from signatories.models import Invitation, Membership, Organisation, Signature
from tests.accounts.factories import UserFactory
from tests.commitments.factories import PublishedEditionFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"signatories:{name}", kwargs=kwargs)


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def food_bank(vcs_member):
    return vcs_member.organisations.get()


@pytest.fixture
def admin(food_bank):
    return MembershipFactory(
        organisation=food_bank, role=Membership.Role.ADMIN, user__first_name="Alex", user__last_name="Admin"
    ).user


@pytest.fixture
def other_officer(db):
    return MembershipFactory(organisation=PublicBodyFactory(name="Hillside Fire Service")).user


NEW = {"name": "Hillside Allotment Society", "sector": "vcs", "organisation_type": "community_group"}


# --- organisation_new ---------------------------------------------------------------------------------


def test_adding_an_organisation_needs_an_account(client):
    response = client.get(url("organisation_new"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_someone_adds_their_organisation_and_becomes_its_admin(client, stranger):
    client.force_login(stranger)
    assert client.get(url("organisation_new")).status_code == 200
    response = client.post(
        url("organisation_new"),
        {**NEW, "charity_number": "sc 01 2345", "website": "hillside.example", "contact_email": "a@hillside.example"},
        follow=True,
    )
    organisation = Organisation.objects.get(name="Hillside Allotment Society")
    assert response.redirect_chain[-1][0] == url("organisation_detail", pk=organisation.pk)
    assert "Hillside Allotment Society has been added. You are its admin." in html(response)
    assert organisation.charity_number == "SC012345"
    assert organisation.website == "https://hillside.example"
    assert Membership.objects.get(organisation=organisation).user == stranger
    assert Membership.objects.get(organisation=organisation).role == Membership.Role.ADMIN


def test_adding_an_organisation_goes_back_to_a_local_next_page_only(client, stranger, edition):
    client.force_login(stranger)
    sign_up = url("sign_up", slug=edition.compact.slug)
    response = client.post(url("organisation_new") + f"?next={sign_up}", NEW)
    assert response.status_code == 302 and response.url == sign_up
    response = client.post(url("organisation_new") + "?next=https://evil.example/", {**NEW, "name": "Other Club"})
    assert response.url == url("organisation_detail", pk=Organisation.objects.get(name="Other Club").pk)


def test_adding_an_organisation_says_what_is_missing(client, stranger):
    client.force_login(stranger)
    response = client.post(url("organisation_new"), {"website": "not a url", "contact_email": "nope"})
    text = html(response)
    assert response.status_code == 200 and "There is a problem" in text
    for message in (
        "Enter the name of the organisation",
        "Choose the sector the organisation is in",
        "Choose the type of organisation",
        "Enter a web address in the right format",
        "Enter an email address in the right format",
    ):
        assert message in text
    assert not Organisation.objects.exists()


def test_the_type_must_belong_to_the_sector(client, stranger):
    client.force_login(stranger)
    response = client.post(url("organisation_new"), {**NEW, "organisation_type": "council"})
    assert response.status_code == 200
    assert "Choose a type of organisation that belongs to the sector you chose" in html(response)
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "The Riverside Food Bank Ltd."},
        {"name": "Riverside Food Bank & Co"},
        {"name": "A Completely Different Name", "charity_number": "1 234 567"},
    ],
)
def test_likely_duplicates_are_shown_before_an_organisation_is_added(client, stranger, data):
    existing = OrganisationFactory(name="Riverside Food Bank", charity_number="1234567", company_number="07654321")
    client.force_login(stranger)
    response = client.post(url("organisation_new"), {**NEW, **data})
    text = html(response)
    assert response.status_code == 200
    assert "This organisation may already be on the portal" in text
    assert "Riverside Food Bank" in text and "1234567" in text and "07654321" in text and "Community group" in text
    assert "None of these is my organisation" in text
    assert Organisation.objects.get() == existing

    response = client.post(url("organisation_new"), {**NEW, **data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Organisation.objects.count() == 2


def test_the_duplicate_box_is_not_shown_when_there_is_no_likely_duplicate(client, stranger):
    client.force_login(stranger)
    assert "None of these is my organisation" not in html(client.get(url("organisation_new")))


# --- organisation_detail ----------------------------------------------------------------------------------


def test_an_organisation_page_is_for_its_members_only(client, food_bank, vcs_member, admin, officer, stranger):
    page = url("organisation_detail", pk=food_bank.pk)
    response = client.get(page)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    other_vcs = MembershipFactory(organisation=OrganisationFactory()).user
    for user in (officer, stranger, other_vcs):
        client.force_login(user)
        assert client.get(page).status_code == 404, user
    for user in (vcs_member, admin):
        client.force_login(user)
        assert client.get(page).status_code == 200, user
    assert client.get(url("organisation_detail", pk=999999)).status_code == 404


def test_admins_see_the_links_to_change_things_and_members_do_not(client, food_bank, vcs_member, admin):
    admin_links = [
        url("organisation_edit", pk=food_bank.pk),
        url("champion", pk=food_bank.pk),
        url("invite", pk=food_bank.pk),
        url("membership_role", pk=food_bank.pk, membership_pk=Membership.objects.get(user=vcs_member).pk),
    ]
    client.force_login(admin)
    text = html(client.get(url("organisation_detail", pk=food_bank.pk)))
    assert all(link in text for link in admin_links)
    assert "Alex Admin" in text and "Organisation admin" in text
    client.force_login(vcs_member)
    text = html(client.get(url("organisation_detail", pk=food_bank.pk)))
    assert not any(link in text for link in admin_links)


def test_the_page_lists_signatures_and_the_compacts_still_to_sign(client, edition, food_bank, vcs_member):
    client.force_login(vcs_member)
    text = html(client.get(url("organisation_detail", pk=food_bank.pk)))
    assert "Sign up to Riverside Compact" in text
    assert f"/compacts/riverside/sign/?organisation={food_bank.pk}" in text

    signature = SignatureFactory(organisation=food_bank, edition=edition, signed_on=datetime.date(2026, 4, 2))
    text = html(client.get(url("organisation_detail", pk=food_bank.pk)))
    assert "Sign up to Riverside Compact" not in text
    assert signature.get_absolute_url() in text and "Awaiting approval" in text

    signature.status = Signature.Status.REJECTED
    signature.save()
    text = html(client.get(url("organisation_detail", pk=food_bank.pk)))
    assert "Not approved" in text and "Sign up to Riverside Compact" in text


def test_the_signature_list_takes_the_same_queries_for_3_or_30(client, django_assert_max_num_queries, food_bank, admin):
    def add(n):
        for _ in range(n):
            SignatureFactory(organisation=food_bank, edition=PublishedEditionFactory())

    client.force_login(admin)
    page = url("organisation_detail", pk=food_bank.pk)
    add(3)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        assert html(client.get(page)).count("Awaiting approval") == 3
    add(27)
    with django_assert_max_num_queries(len(few)):
        assert html(client.get(page)).count("Awaiting approval") == 30


def test_pending_invitations_are_shown_to_admins(client, food_bank, admin, vcs_member):
    services.invitation_send(organisation=food_bank, email="new@example.org", role="member", by=admin)
    client.force_login(admin)
    assert "new@example.org" in html(client.get(url("organisation_detail", pk=food_bank.pk)))
    client.force_login(vcs_member)
    assert "new@example.org" not in html(client.get(url("organisation_detail", pk=food_bank.pk)))


# --- organisation_edit -------------------------------------------------------------------------------------


def admin_pages(organisation, membership):
    return [
        url("organisation_edit", pk=organisation.pk),
        url("champion", pk=organisation.pk),
        url("invite", pk=organisation.pk),
        url("membership_role", pk=organisation.pk, membership_pk=membership.pk),
    ]


def test_admin_pages_are_refused_to_everyone_but_the_admins(
    client, food_bank, vcs_member, admin, officer, other_officer, stranger, coordinator
):
    pages = admin_pages(food_bank, Membership.objects.get(user=vcs_member))
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), page
    client.force_login(vcs_member)  # a member, not an admin
    for page in pages:
        assert client.get(page).status_code == 403, page
        assert client.post(page, {"name": "Renamed", "role": "admin", "email": "x@example.org"}).status_code == 403
    for user in (officer, other_officer, stranger, coordinator):  # not members at all
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)
            assert client.post(page, {"name": "Renamed"}).status_code == 404, (user, page)
    client.force_login(admin)
    for page in pages:
        assert client.get(page).status_code == 200, page
    food_bank.refresh_from_db()
    assert food_bank.name == "Riverside Food Bank"
    assert Membership.objects.get(user=vcs_member).role == Membership.Role.MEMBER
    assert not Invitation.objects.exists()


def test_an_admin_changes_the_details(client, food_bank, admin):
    client.force_login(admin)
    page = url("organisation_edit", pk=food_bank.pk)
    assert 'value="Riverside Food Bank"' in html(client.get(page))
    response = client.post(
        page, {"name": "Riverside Food Bank CIO", "sector": "vcs", "organisation_type": "charity"}, follow=True
    )
    assert "The organisation’s details have been saved." in html(response)
    food_bank.refresh_from_db()
    assert food_bank.name == "Riverside Food Bank CIO" and food_bank.normalised_name == "riverside food bank"
    response = client.post(page, {"name": "", "sector": "public", "organisation_type": "charity"})
    assert response.status_code == 200
    assert "Enter the name of the organisation" in html(response)
    response = client.post(page, {"name": "X", "sector": "public", "organisation_type": "charity"})
    assert "Choose a type of organisation that belongs to the sector you chose" in html(response)
    food_bank.refresh_from_db()
    assert food_bank.sector == "vcs"


# --- champion ---------------------------------------------------------------------------------------------


def test_an_admin_chooses_the_compact_champion(client, food_bank, admin, vcs_member, stranger):
    client.force_login(admin)
    page = url("champion", pk=food_bank.pk)
    assert str(vcs_member) in html(client.get(page))
    response = client.post(page, {"champion": vcs_member.pk}, follow=True)
    food_bank.refresh_from_db()
    assert food_bank.champion == vcs_member
    assert f"{vcs_member} is now the Compact champion of Riverside Food Bank." in html(response)
    response = client.post(page, {"champion": stranger.pk})  # not a member
    assert response.status_code == 200 and "There is a problem" in html(response)
    response = client.post(page, {})
    assert "Choose the Compact champion" in html(response)
    client.post(page, {"champion": "none"})
    food_bank.refresh_from_db()
    assert food_bank.champion is None


# --- invite ------------------------------------------------------------------------------------------------


def test_an_admin_invites_a_colleague_by_email(client, django_capture_on_commit_callbacks, food_bank, admin):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite", pk=food_bank.pk), {"email": "New@Example.org", "role": "admin"}, follow=True
        )
    assert "We have emailed an invitation to new@example.org. The link works for 14 days." in html(response)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == ("new@example.org", "admin", admin)
    [email] = mail.outbox
    assert email.to == ["new@example.org"]
    assert re.search(r"/invitations/[\w-]+/", email.body)


def test_the_invitation_form_says_what_is_wrong(client, food_bank, admin, vcs_member):
    client.force_login(admin)
    response = client.post(url("invite", pk=food_bank.pk), {"email": "", "role": ""})
    assert "Enter the email address of the person to invite" in html(response)
    assert "Choose what the person can do" in html(response)
    response = client.post(url("invite", pk=food_bank.pk), {"email": vcs_member.email.upper(), "role": "member"})
    assert "is already a member of Riverside Food Bank" in html(response)
    response = client.post(url("invite", pk=food_bank.pk), {"email": "a@example.org", "role": "owner"})
    assert response.status_code == 200 and "There is a problem" in html(response)
    assert not Invitation.objects.exists()


# --- membership_role --------------------------------------------------------------------------------------


def test_an_admin_sets_a_members_role_but_keeps_one_admin(client, food_bank, admin, vcs_member):
    client.force_login(admin)
    own = Membership.objects.get(user=admin)
    response = client.post(url("membership_role", pk=food_bank.pk, membership_pk=own.pk), {"role": "member"})
    assert response.status_code == 200
    assert "An organisation needs at least one admin. Make someone else an admin first." in html(response)
    own.refresh_from_db()
    assert own.role == Membership.Role.ADMIN

    theirs = Membership.objects.get(user=vcs_member)
    response = client.post(url("membership_role", pk=food_bank.pk, membership_pk=theirs.pk), {"role": "admin"})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.role == Membership.Role.ADMIN
    response = client.post(url("membership_role", pk=food_bank.pk, membership_pk=theirs.pk), {"role": "boss"})
    assert response.status_code == 200 and "There is a problem" in html(response)


def test_a_membership_of_another_organisation_is_a_404(client, food_bank, admin):
    elsewhere = MembershipFactory()
    client.force_login(admin)
    assert client.get(url("membership_role", pk=food_bank.pk, membership_pk=elsewhere.pk)).status_code == 404


# --- invitation_accept ------------------------------------------------------------------------------------


@pytest.fixture
def invitation(food_bank, admin):
    invitation, token = services.invitation_send(
        organisation=food_bank, email="newcomer@example.org", role=Membership.Role.MEMBER, by=admin
    )
    return invitation, url("invitation_accept", token=token)


def test_a_signed_in_person_joins_with_one_button(client, invitation, stranger, food_bank):
    _invitation, page = invitation
    client.force_login(stranger)
    text = html(client.get(page))
    assert "Join Riverside Food Bank as Member" in text
    assert "The invitation was sent to newcomer@example.org" in text
    response = client.post(page, follow=True)
    assert response.redirect_chain[-1][0] == url("organisation_detail", pk=food_bank.pk)
    assert "You have joined Riverside Food Bank." in html(response)
    assert Membership.objects.get(user=stranger).role == Membership.Role.MEMBER
    # The link works once.
    response = client.get(page)
    assert response.status_code == 410
    assert "This invitation has already been used. Ask Riverside Food Bank to send a new one." in html(response)


def test_an_expired_or_unknown_link_says_so(client, invitation):
    sent, page = invitation
    Invitation.objects.filter(pk=sent.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(page)
    assert response.status_code == 410 and "Ask Riverside Food Bank to send a new one" in html(response)
    assert client.post(page, {"username": "x"}).status_code == 410
    response = client.get(url("invitation_accept", token="made-up-token"))
    assert response.status_code == 404 and "This invitation link is not right" in html(response)
    assert not User.objects.filter(username="x").exists()


def test_someone_without_an_account_creates_one_and_joins(client, invitation, food_bank):
    _invitation, page = invitation
    response = client.get(page)
    text = html(response)
    assert "Your account will use the address this invitation was sent to: newcomer@example.org." in text
    assert 'name="email"' not in text
    assert reverse("accounts:login") + "?next=" + page.replace("/", "%2F") in text
    response = client.post(
        page,
        {
            "first_name": "Nia",
            "last_name": "Newcomer",
            "username": "nia",
            "email": "someone.else@example.org",  # no such field: the invitation's address is used
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
        follow=True,
    )
    user = User.objects.get(username="nia")
    assert response.redirect_chain[-1][0] == url("organisation_detail", pk=food_bank.pk)
    assert get_user(client) == user
    assert Membership.objects.get(user=user, organisation=food_bank).role == Membership.Role.MEMBER
    assert user.check_password("a long enough passphrase 42")
    assert user.email == "newcomer@example.org"  # proven by the link, never typed


def test_the_account_form_says_what_is_wrong(client, invitation, vcs_member):
    _invitation, page = invitation
    response = client.post(
        page,
        {
            "first_name": "",
            "last_name": "N",
            "username": vcs_member.username.upper(),
            "email": vcs_member.email,
            "password1": "short",
            "password2": "different",
        },
    )
    text = html(response)
    assert response.status_code == 200 and "There is a problem" in text
    assert "Enter your first name" in text
    assert "A user with that username already exists." in text
    assert "The two passwords are not the same" in text
    response = client.post(
        page,
        {
            "first_name": "N",
            "last_name": "N",
            "username": "newbie",
            "email": "newcomer@example.org",
            "password1": "short",
            "password2": "short",
        },
    )
    assert "This password is too short" in html(response)
    assert not User.objects.filter(username="newbie").exists()
    assert not Membership.objects.filter(user__username="newbie").exists()


def test_an_invitation_used_meanwhile_creates_no_account(client, invitation, monkeypatch):
    _invitation, page = invitation

    def used(**kwargs):
        raise services.SignatureError("This invitation has already been used.")

    monkeypatch.setattr(services, "invitation_accept", used)
    response = client.post(
        page,
        {
            "first_name": "N",
            "last_name": "N",
            "username": "late",
            "email": "late@example.org",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 200 and "This invitation has already been used." in html(response)
    assert not User.objects.filter(username="late").exists()
    assert UserFactory()  # the database is still usable after the rollback


def test_the_account_form_answers_the_same_whoever_has_an_account(client, invitation, vcs_member):
    """Typing someone else's address cannot tell whether they have an account: no address is asked."""
    _invitation, page = invitation
    answers = []
    for email in (vcs_member.email, "nobody.here@example.org"):
        response = client.post(
            page,
            {"first_name": "N", "last_name": "N", "username": "", "email": email, "password1": "x", "password2": "x"},
        )
        answers.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html(response)))
    assert answers[0] == answers[1]
    assert "already an account" not in answers[0]


def test_the_invited_address_with_an_account_is_told_to_sign_in(client, invitation):
    _invitation, page = invitation
    UserFactory(email="Newcomer@example.org")
    response = client.post(
        page,
        {
            "first_name": "Nia",
            "last_name": "Newcomer",
            "username": "nia2",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    assert "There is already an account with the address this invitation was sent to. Sign in" in html(response)
    assert not User.objects.filter(username="nia2").exists()


def test_the_accept_form_is_throttled_whatever_the_answer(client, invitation, settings):
    settings.PORTAL_THROTTLE_CACHE = "default"
    from django.core.cache import caches

    caches["default"].clear()
    _invitation, page = invitation
    statuses = [client.post(page, {"username": ""}).status_code for _ in range(21)]
    assert statuses[:20] == [200] * 20  # each sent back with errors, and each counted
    assert statuses[20] == 429
    caches["default"].clear()


def test_an_admin_cancels_an_invitation_and_its_link_stops_working(client, invitation, admin, food_bank, stranger):
    sent, page = invitation
    client.force_login(admin)
    detail = html(client.get(url("organisation_detail", pk=food_bank.pk)))
    cancel = url("invitation_cancel", pk=food_bank.pk, invitation_pk=sent.pk)
    assert cancel in detail
    assert "Cancel the invitation to newcomer@example.org?" in html(client.get(cancel))
    response = client.post(cancel, follow=True)
    assert "The invitation to newcomer@example.org is cancelled: its link no longer works." in html(response)
    assert cancel not in html(response)
    client.force_login(stranger)
    response = client.get(page)
    assert response.status_code == 410
    assert "This invitation was cancelled by the organisation." in html(response)
    assert client.post(page).status_code == 410
    assert not Membership.objects.filter(user=stranger).exists()


def test_a_member_who_is_not_an_admin_cannot_cancel(client, invitation, vcs_member, food_bank):
    sent, _page = invitation
    client.force_login(vcs_member)
    assert client.post(url("invitation_cancel", pk=food_bank.pk, invitation_pk=sent.pk)).status_code == 403
    sent.refresh_from_db()
    assert sent.cancelled_at is None


@pytest.mark.parametrize("change", ["demoted", "removed", "deactivated"])
def test_an_invitation_dies_when_its_sender_is_no_longer_an_admin(
    client, invitation, admin, food_bank, stranger, change
):
    sent, page = invitation
    MembershipFactory(organisation=food_bank, role=Membership.Role.ADMIN)  # the organisation keeps an admin
    membership = Membership.objects.get(user=admin, organisation=food_bank)
    if change == "demoted":
        services.membership_set_role(membership=membership, role=Membership.Role.MEMBER, by=admin)
    elif change == "removed":
        membership.delete()
    else:
        User.objects.filter(pk=admin.pk).update(is_active=False)
    client.force_login(stranger)
    response = client.get(page)
    assert response.status_code == 410
    assert "The person who sent this invitation is no longer an admin of the organisation." in html(response)
    assert client.post(page).status_code == 410
    assert not Membership.objects.filter(user=stranger).exists()
    with pytest.raises(services.SignatureError, match="no longer an admin"):
        services.invitation_accept(invitation=sent, user=stranger)
