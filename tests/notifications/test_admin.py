"""Bouncing addresses in the Django admin: listed in a fixed number of queries with Notify's status,
searched, cleared only with the action (through notifications.delivery.bouncing_address_clear),
never added, edited or deleted by hand."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import bouncing_addresses
from notifications.models import BouncingAddress, Notification
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _bounce(email: str) -> BouncingAddress:
    notification = Notification.objects.create(
        email=email, kind="address_bouncing", subject="s", body="b", delivery_status="permanent-failure"
    )
    return BouncingAddress.objects.create(email=email, since=timezone.now(), notification=notification)


def test_the_list_shows_notifys_status_in_a_fixed_number_of_queries(client, superuser, django_assert_max_num_queries):
    page = reverse("admin:notifications_bouncingaddress_changelist")
    for n in range(2):
        _bounce(f"a{n}@example.org")
    client.get(page)
    with django_assert_max_num_queries(30) as small:
        response = client.get(page)
    assert response.status_code == 200
    assert "permanent-failure" in response.content.decode()
    for n in range(12):
        _bounce(f"b{n}@example.org")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(page)
    assert response.content.decode().count("@example.org") >= 14


def test_search_finds_an_address(client, superuser):
    _bounce("ann@example.org")
    _bounce("bob@example.org")
    html = client.get(reverse("admin:notifications_bouncingaddress_changelist"), {"q": "ann@"}).content.decode()
    assert "ann@example.org" in html
    assert "bob@example.org" not in html


def test_the_clear_action_forgets_only_the_chosen_addresses(client, superuser):
    ann, bob = _bounce("ann@example.org"), _bounce("bob@example.org")
    response = client.post(
        reverse("admin:notifications_bouncingaddress_changelist"),
        {"action": "clear", "_selected_action": [ann.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 address cleared" in response.content.decode()
    assert bouncing_addresses(["ann@example.org", "bob@example.org"]) == {"bob@example.org"}
    assert BouncingAddress.objects.get() == bob
    from django.contrib.admin.models import DELETION, LogEntry

    assert list(LogEntry.objects.values_list("user", "action_flag", "object_repr")) == [
        (superuser.pk, DELETION, "ann@example.org")
    ]


def test_the_status_cannot_be_typed_nor_a_row_deleted_or_added_by_hand(client, superuser):
    bounce = _bounce("ann@example.org")
    change = reverse("admin:notifications_bouncingaddress_change", args=[bounce.pk])
    html = client.get(change).content.decode()
    assert 'name="email"' not in html and 'name="_save"' not in html
    response = client.post(change, {"email": "other@example.org", "since_0": "2026-01-01", "since_1": "10:00"})
    assert response.status_code == 403
    assert (
        client.post(
            reverse("admin:notifications_bouncingaddress_delete", args=[bounce.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:notifications_bouncingaddress_add")).status_code == 403
    assert BouncingAddress.objects.get().email == "ann@example.org"
