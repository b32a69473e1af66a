"""A person's notifications page, and the page giving an organisation its secret calendar address."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from signatories.models import Membership, Organisation
from tests.accounts.factories import UserFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def notification(user, subject: str, *, minutes_ago: int = 0, link: str = "/signatures/1/", **fields) -> Notification:
    item = Notification.objects.create(
        recipient=user,
        email=user.email,
        kind="signature_approved",
        subject=subject,
        body="The body.",
        link=link,
        **fields,
    )
    Notification.objects.filter(pk=item.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return item


def subjects(response) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="[^"]*">([^<]+)</a>\s*<details', response.content.decode())


# --- The notifications page ----------------------------------------------------------------------------


def test_the_page_is_for_signed_in_people(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_lists_the_persons_own_notifications_newest_first_with_their_links(client):
    user, other = UserFactory(), UserFactory()
    notification(user, "Older", minutes_ago=60, link="/signatures/7/")
    notification(user, "Newer", minutes_ago=1)
    notification(other, "Someone else’s")
    client.force_login(user)

    response = client.get(LIST)

    assert response.status_code == 200
    assert subjects(response) == ["Newer", "Older"]
    text = response.content.decode()
    assert 'href="/signatures/7/"' in text
    assert "Someone else" not in text
    assert timezone.localdate().strftime("%-d %B %Y") in text
    assert reverse("notifications:preferences") in text


def test_notifications_are_marked_read_once_shown(client):
    user = UserFactory()
    shown = notification(user, "Shown")
    client.force_login(user)

    first = client.get(LIST).content.decode()
    second = client.get(LIST).content.decode()

    assert ">New</strong>" in first
    assert ">New</strong>" not in second
    shown.refresh_from_db()
    assert shown.read_at is not None


def test_the_message_itself_can_be_read_on_the_page(client):
    user = UserFactory()
    item = notification(user, "Approved")
    Notification.objects.filter(pk=item.pk).update(body="Line one <b>\nSee https://portal.example/x/")
    client.force_login(user)

    text = client.get(LIST).content.decode()

    assert "Line one &lt;b&gt;<br>" in text
    assert '<a href="https://portal.example/x/" rel="nofollow">https://portal.example/x/</a>' in text


def test_the_page_is_paginated_25_at_a_time(client):
    user = UserFactory()
    for n in range(30):
        notification(user, f"Number {n}", minutes_ago=n)
    client.force_login(user)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert subjects(first) == [f"Number {n}" for n in range(25)]
    assert subjects(second) == [f"Number {n}" for n in range(25, 30)]
    assert 'aria-label="Page 2"' in first.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_the_page_takes_the_same_queries_for_3_or_25(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    for n in range(3):
        notification(user, f"Number {n}")
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)

    for n in range(40):
        notification(user, f"More {n}")
    with django_assert_max_num_queries(len(few) + 1):  # + marking them read (none were new the first time)
        assert len(subjects(client.get(LIST))) == 25


def test_an_empty_page_says_so(client):
    client.force_login(UserFactory())

    assert "You have no notifications yet." in client.get(LIST).content.decode()


# --- The organisation's calendar page -------------------------------------------------------------------


@pytest.fixture
def food_bank() -> Organisation:
    return OrganisationFactory(name="Riverside Food Bank")


@pytest.fixture
def member(food_bank):
    return MembershipFactory(organisation=food_bank, role=Membership.Role.MEMBER).user


@pytest.fixture
def admin(food_bank):
    return MembershipFactory(organisation=food_bank, role=Membership.Role.ADMIN).user


def page_url(organisation) -> str:
    return reverse("notifications:organisation_calendar_page", kwargs={"pk": organisation.pk})


def feed_address(response) -> str:
    [address] = re.findall(r'id="calendar-address"[^>]* value="([^"]+)"', response.content.decode())
    return address


def test_a_member_sees_the_secret_address_and_how_to_use_it(client, food_bank, member):
    client.force_login(member)

    response = client.get(page_url(food_bank))

    assert response.status_code == 200
    food_bank.refresh_from_db()
    assert food_bank.calendar_token
    assert feed_address(response) == "http://127.0.0.1:8000" + reverse(
        "notifications:organisation_calendar", kwargs={"token": food_bank.calendar_token}
    )
    text = response.content.decode()
    assert "Outlook" in text and "Google Calendar" in text
    assert "Make a new address" not in text  # for admins only
    assert response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]


def test_the_address_stays_the_same_until_it_is_replaced(client, food_bank, member):
    client.force_login(member)

    assert feed_address(client.get(page_url(food_bank))) == feed_address(client.get(page_url(food_bank)))


def test_people_outside_the_organisation_get_a_404(client, food_bank):
    client.force_login(UserFactory())

    assert client.get(page_url(food_bank)).status_code == 404
    assert client.post(page_url(food_bank)).status_code == 404
    food_bank.refresh_from_db()
    assert food_bank.calendar_token is None


def test_signed_out_people_are_asked_to_sign_in(client, food_bank):
    assert client.get(page_url(food_bank)).status_code == 302


def test_an_admin_makes_a_new_address_and_the_old_one_stops_working(client, food_bank, admin):
    client.force_login(admin)
    old = feed_address(client.get(page_url(food_bank)))
    assert client.get(old).status_code == 200

    response = client.post(page_url(food_bank), follow=True)

    new = feed_address(response)
    assert new != old
    assert "The calendar has a new address" in response.content.decode()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_plain_member_cannot_make_a_new_address(client, food_bank, member):
    client.force_login(member)
    old = feed_address(client.get(page_url(food_bank)))

    assert client.post(page_url(food_bank)).status_code == 403
    assert client.get(old).status_code == 200
