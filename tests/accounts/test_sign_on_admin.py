"""Single sign-on links in the Django admin: read only, searched, listed in a fixed number of queries;
deleting one unlinks the person through accounts.services.sign_on_unlink (as manage.py sign_on_unlink)."""

import pytest
from django.urls import reverse

from accounts.models import SignOnIdentity, User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://sign-in.riverside.example"


@pytest.fixture
def superuser(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _linked(n: int, prefix: str = "p") -> list[SignOnIdentity]:
    made = []
    for i in range(n):
        user = UserFactory(email=f"{prefix}{i}@riverside.gov.uk")
        made.append(SignOnIdentity.objects.create(user=user, issuer=ISSUER, subject=f"{prefix}-{i}", email=user.email))
    return made


def test_the_list_in_a_fixed_number_of_queries_and_searched(client, superuser, django_assert_max_num_queries):
    page = reverse("admin:accounts_signonidentity_changelist")
    _linked(2)
    client.get(page)
    with django_assert_max_num_queries(30) as small:
        assert client.get(page).status_code == 200
    _linked(12, prefix="q")
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(page).content.decode()
    assert "q11@riverside.gov.uk" in html
    html = client.get(page, {"q": "q-3"}).content.decode()
    assert "q3@riverside.gov.uk" in html and "p0@riverside.gov.uk" not in html


def test_read_only_and_never_added_by_hand(client, superuser):
    (identity,) = _linked(1)
    change = reverse("admin:accounts_signonidentity_change", args=[identity.pk])
    html = client.get(change).content.decode()
    assert 'name="subject"' not in html and 'name="_save"' not in html
    assert client.post(change, {"subject": "taken-over"}).status_code == 403
    assert client.get(reverse("admin:accounts_signonidentity_add")).status_code == 403
    assert SignOnIdentity.objects.get().subject == "p-0"


def test_deleting_a_link_unlinks_the_person_and_keeps_the_account(client, superuser):
    first, second = _linked(2)
    response = client.post(reverse("admin:accounts_signonidentity_delete", args=[first.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert list(SignOnIdentity.objects.all()) == [second]
    assert User.objects.filter(pk=first.user_id).exists()


def test_the_delete_action_unlinks_each_chosen_person(client, superuser):
    first, second, third = _linked(3)
    client.post(
        reverse("admin:accounts_signonidentity_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert list(SignOnIdentity.objects.all()) == [third]
    assert User.objects.count() == 4
