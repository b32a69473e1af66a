"""A member's address that bounces (GOV.UK Notify's permanent failure, decision 0023) is shown to the
organisation's admins on its members page, and told to them and to the Compact's coordinators."""

import uuid

import pytest
from django.urls import reverse

from notifications.delivery import delivery_receipt_record
from notifications.models import Notification
from signatories.models import Membership
from tests.accounts.factories import UserFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, signed_signature

pytestmark = pytest.mark.django_db


def bounce(email: str, django_capture_on_commit_callbacks) -> None:
    notify_id = str(uuid.uuid4())
    Notification.objects.create(email=email, kind="signature_approved", subject="s", body="b", notify_id=notify_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_receipt_record(notify_id=notify_id, status="permanent-failure")


@pytest.fixture
def food_bank(edition):
    organisation = OrganisationFactory(name="Riverside Food Bank")
    signed_signature(organisation=organisation, edition=edition)
    return organisation


def test_admins_see_the_bouncing_member_on_the_members_page(client, food_bank, django_capture_on_commit_callbacks):
    admin = MembershipFactory(organisation=food_bank, role=Membership.Role.ADMIN).user
    member = MembershipFactory(organisation=food_bank, user=UserFactory(email="gone@example.org")).user
    other = MembershipFactory(organisation=food_bank).user
    bounce("Gone@Example.org", django_capture_on_commit_callbacks)

    url = reverse("signatories:organisation_detail", kwargs={"pk": food_bank.pk})
    client.force_login(admin)
    page = client.get(url).content.decode()
    assert "Emails bounce" in page
    assert "Emails to gone@example.org cannot be delivered" in page
    assert page.count("Emails bounce") == 1

    client.force_login(other)  # a member who is not an admin does not see who bounces
    assert "Emails bounce" not in client.get(url).content.decode()
    assert member.email == "gone@example.org"


def test_the_admins_and_the_coordinator_are_told_once(food_bank, coordinator, django_capture_on_commit_callbacks):
    admin = MembershipFactory(organisation=food_bank, role=Membership.Role.ADMIN).user
    MembershipFactory(organisation=food_bank, user=UserFactory(email="gone@example.org"))
    bounce("gone@example.org", django_capture_on_commit_callbacks)
    told = Notification.objects.filter(kind="address_bouncing")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([admin.pk, coordinator.pk])
    assert "gone@example.org" in told.first().body

    bounce("gone@example.org", django_capture_on_commit_callbacks)  # a second bounce tells nobody again
    assert Notification.objects.filter(kind="address_bouncing").count() == 2


def test_a_bouncing_admin_is_not_told_of_their_own_address(food_bank, coordinator, django_capture_on_commit_callbacks):
    MembershipFactory(organisation=food_bank, role=Membership.Role.ADMIN, user=UserFactory(email="gone@example.org"))
    bounce("gone@example.org", django_capture_on_commit_callbacks)
    assert list(Notification.objects.filter(kind="address_bouncing").values_list("recipient_id", flat=True)) == [
        coordinator.pk
    ]
