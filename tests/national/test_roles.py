"""The national body's role: given only by a superuser or a national-body user, taken away, audited."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from national import services
from national.models import NationalRole
from national.permissions import can_view_national, is_national
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def national_user(superuser):
    user = UserFactory(username="nat", email="nat@national.example")
    services.national_role_grant(email=user.email, by=superuser)
    return user


def test_a_superuser_gives_the_role_and_it_is_recorded(superuser):
    person = UserFactory(email="Person@Example.org")
    assert not is_national(person)
    role = services.national_role_grant(email=" person@example.org ", by=superuser)
    assert role.user == person and role.granted_by == superuser and role.granted_at
    assert is_national(type(person).objects.get(pk=person.pk))
    assert LogEntry.objects.get_for_object(role).filter(action=LogEntry.Action.CREATE).exists()


def test_a_national_user_gives_it_to_another(national_user):
    other = UserFactory(email="other@example.org")
    services.national_role_grant(email=other.email, by=national_user)
    assert is_national(other)


@pytest.mark.parametrize("who", ["stranger", "coordinator", "staff"])
def test_nobody_else_may_give_it_not_even_to_themselves(who, compact, coordinator):
    giver = {
        "stranger": UserFactory(),
        "coordinator": coordinator,
        "staff": UserFactory(is_staff=True),
    }[who]
    with pytest.raises(PermissionDenied):
        services.national_role_grant(email=giver.email, by=giver)
    assert not NationalRole.objects.exists()


def test_an_unknown_email_or_a_second_grant_is_refused(national_user, superuser):
    with pytest.raises(ValidationError):
        services.national_role_grant(email="nobody@example.org", by=superuser)
    with pytest.raises(ValidationError):
        services.national_role_grant(email=national_user.email, by=superuser)
    assert NationalRole.objects.count() == 1


def test_taking_it_away_keeps_the_record_and_it_can_be_given_again(national_user, superuser):
    role = NationalRole.objects.get(user=national_user)
    services.national_role_revoke(role=role, by=superuser)
    role.refresh_from_db()
    assert role.revoked_by == superuser and role.revoked_at
    fresh = type(national_user).objects.get(pk=national_user.pk)
    assert not is_national(fresh) and not can_view_national(fresh)
    services.national_role_grant(email=national_user.email, by=superuser)
    assert NationalRole.objects.filter(user=national_user).count() == 2


def test_an_inactive_national_user_is_not_national(national_user):
    national_user.is_active = False
    national_user.save(update_fields=["is_active"])
    assert not is_national(type(national_user).objects.get(pk=national_user.pk))


# --- The page -------------------------------------------------------------------------------------------


def test_the_page_gives_the_role_by_email(client, national_user):
    person = UserFactory(email="new@example.org", first_name="Nia", last_name="Jones")
    client.force_login(national_user)
    response = client.post(reverse("national:roles"), {"email": "new@example.org"}, follow=True)
    assert "Nia Jones is now in the national body." in response.text
    assert NationalRole.objects.get(user=person).granted_by == national_user


def test_the_page_says_when_there_is_no_such_account(client, national_user):
    client.force_login(national_user)
    response = client.post(reverse("national:roles"), {"email": "ghost@example.org"})
    assert response.status_code == 200
    assert "There is no account with this email address" in response.text
    assert NationalRole.objects.count() == 1


def test_the_page_takes_the_role_away(client, national_user, superuser):
    other = UserFactory(email="other@example.org")
    role = services.national_role_grant(email=other.email, by=superuser)
    client.force_login(national_user)
    url = reverse("national:role_revoke", kwargs={"pk": role.pk})
    assert client.get(url).status_code == 200
    client.post(url)
    role.refresh_from_db()
    assert role.revoked_by == national_user
    assert client.get(url).status_code == 404  # already taken away


@pytest.mark.parametrize("who", ["stranger", "coordinator"])
def test_the_page_is_refused_to_others(client, who, stranger, coordinator, compact):
    client.force_login({"stranger": stranger, "coordinator": coordinator}[who])
    assert client.get(reverse("national:roles")).status_code == 403
    assert client.post(reverse("national:roles"), {"email": stranger.email}).status_code == 403
    assert not NationalRole.objects.exists()


def test_the_admin_gives_the_role_through_the_service(client, superuser):
    person = UserFactory(email="admin-given@example.org")
    client.force_login(superuser)
    response = client.post(reverse("admin:national_nationalrole_add"), {"user": person.pk})
    assert response.status_code == 302
    assert NationalRole.objects.get(user=person).granted_by == superuser


def test_the_account_page_links_to_the_national_pages_for_national_users_only(client, national_user, stranger):
    client.force_login(national_user)
    assert reverse("national:directory") in client.get(reverse("accounts:dashboard")).text
    client.force_login(stranger)
    assert reverse("national:directory") not in client.get(reverse("accounts:dashboard")).text
