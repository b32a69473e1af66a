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


# --- The coordinator's list of the Compact's bouncing addresses ---------------------------------------


def _bouncing_page(client, compact):
    return client.get(reverse("signatories:bouncing_list", kwargs={"slug": compact.slug}))


def test_the_coordinator_sees_the_signatories_bouncing_addresses_and_what_to_do(
    client, compact, coordinator, food_bank, django_capture_on_commit_callbacks
):
    from tests.commitments.factories import CompactFactory, build_edition

    MembershipFactory(
        organisation=food_bank, user=UserFactory(email="Gone@Example.org", first_name="Gwen", last_name="Gone")
    )
    MembershipFactory(organisation=food_bank, user=UserFactory(email="fine@example.org"))
    food_bank.contact_email = "Office@FoodBank.example"
    food_bank.save(update_fields=["contact_email"])
    # Bouncing, but of an organisation that signed only another Compact, or withdrew: not listed.
    elsewhere = OrganisationFactory(name="Hillside Choir")
    signed_signature(organisation=elsewhere, edition=build_edition(compact=CompactFactory()))
    MembershipFactory(organisation=elsewhere, user=UserFactory(email="choir@example.org"))
    withdrawn = OrganisationFactory(name="Withdrawn Group")
    signed_signature(organisation=withdrawn, edition=compact.editions.get(), status="withdrawn")
    MembershipFactory(organisation=withdrawn, user=UserFactory(email="withdrawn@example.org"))
    for email in ("gone@example.org", "office@foodbank.example", "choir@example.org", "withdrawn@example.org"):
        bounce(email, django_capture_on_commit_callbacks)

    client.force_login(coordinator)
    manage = client.get(reverse("commitments:manage", kwargs={"slug": compact.slug})).content.decode()
    assert reverse("signatories:bouncing_list", kwargs={"slug": compact.slug}) in manage
    page = _bouncing_page(client, compact).content.decode()

    assert "Gone@Example.org" in page and "Gwen Gone" in page
    assert "Office@FoodBank.example" in page and "The organisation’s contact address" in page
    assert "Permanent failure" in page and "permanent-failure" in page
    assert "ask the person to change the email address on their account" in page
    assert "fine@example.org" not in page
    assert "choir@example.org" not in page and "withdrawn@example.org" not in page
    assert "2 addresses" in page


def test_a_delivered_email_takes_the_address_off_the_list(
    client, compact, coordinator, food_bank, django_capture_on_commit_callbacks
):
    MembershipFactory(organisation=food_bank, user=UserFactory(email="back@example.org"))
    bounce("back@example.org", django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    assert "back@example.org" in _bouncing_page(client, compact).content.decode()
    notification = Notification.objects.create(
        email="back@example.org", kind="k", subject="s", body="b", notify_id="n-1"
    )
    delivery_receipt_record(notify_id=notification.notify_id, status="delivered")
    page = _bouncing_page(client, compact).content.decode()
    assert "back@example.org" not in page
    assert "No email address of the Compact’s signatories bounces." in page


def test_another_compacts_coordinator_is_refused(client, compact, food_bank):
    from tests.commitments.factories import CompactFactory

    other = UserFactory()
    CompactFactory(coordinators=[other])
    client.force_login(other)
    assert _bouncing_page(client, compact).status_code == 403


def test_the_list_takes_the_same_queries_whatever_its_length(
    client, compact, coordinator, edition, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            organisation = OrganisationFactory(contact_email=f"org{i}@example.org")
            signed_signature(organisation=organisation, edition=edition)
            MembershipFactory(organisation=organisation, user=UserFactory(email=f"person{i}@example.org"))
            bounce(f"person{i}@example.org", django_capture_on_commit_callbacks)
            bounce(f"org{i}@example.org", django_capture_on_commit_callbacks)

    client.force_login(coordinator)
    add(2, 0)
    _bouncing_page(client, compact)
    with django_assert_max_num_queries(20) as small:
        assert "4 addresses" in _bouncing_page(client, compact).content.decode()
    add(10, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "24 addresses" in _bouncing_page(client, compact).content.decode()
