"""The public page cache (compact_portal/pagecache.py): kept for anonymous visitors, made again
after any committed write, never for a signed-in person."""

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from commitments.models import Compact
from compact_portal import pagecache
from tests.accounts.factories import UserFactory
from tests.commitments.factories import PublishedEditionFactory

pytestmark = pytest.mark.django_db

ON = override_settings(
    PORTAL_PAGE_CACHE_SECONDS=300,
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pagecache-test"}},
)


@pytest.fixture(autouse=True)
def _cache_on():
    with ON:
        from django.core.cache import caches

        caches["default"].clear()
        yield


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "commitments_compact" ("name") VALUES (%s)', "commitments_compact"),
        ('UPDATE "signatories_signature" SET "status" = %s', "signatories_signature"),
        ('DELETE FROM "consultations_consultation" WHERE id = 1', "consultations_consultation"),
        ('SELECT "id" FROM "commitments_compact"', None),
        ("SAVEPOINT s1", None),
    ],
)
def test_which_statements_are_writes(sql, table):
    assert pagecache.writes_table(sql) == table


@pytest.mark.django_db(transaction=True)  # real commits
def test_a_public_page_is_kept_and_made_again_after_a_committed_write(client, django_assert_num_queries):
    edition = PublishedEditionFactory(compact__name="Riverside Compact")
    url = reverse("commitments:compact_list")
    first = client.get(url)
    assert first.status_code == 200
    assert "X-Page-Cache" not in first.headers
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.content == first.content

    # A write by any route (here QuerySet.update, which sends no signal) empties the cache on commit.
    before = pagecache.version()
    with transaction.atomic():
        Compact.objects.filter(pk=edition.compact_id).update(name="Hillside Compact")
        assert pagecache.version() == before  # not before it commits
    assert pagecache.version() > before
    third = client.get(url)
    assert "X-Page-Cache" not in third.headers
    assert "Hillside Compact" in third.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_write_that_rolls_back_leaves_the_pages():
    PublishedEditionFactory()
    before = pagecache.version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Compact.objects.update(name="Never committed")
        raise RuntimeError
    assert pagecache.version() == before


def test_sessions_and_sign_in_records_do_not_empty_it():
    with connection.cursor() as cursor:
        before = pagecache.version()
        cursor.execute("DELETE FROM django_session WHERE session_key = %s", ["none"])
    assert not any(func is pagecache.bump for _s, func, _r in connection.run_on_commit)
    assert pagecache.version() == before


def test_signed_in_people_get_their_own_page(client):
    PublishedEditionFactory()
    url = reverse("commitments:compact_list")
    client.get(url)
    assert client.get(url).headers.get("X-Page-Cache") == "hit"
    client.force_login(UserFactory())
    assert "X-Page-Cache" not in client.get(url).headers
    assert "X-Page-Cache" not in client.get(url).headers


def test_only_the_listed_public_views_are_kept(client):
    url = reverse("accounts:login")
    client.get(url)
    assert "X-Page-Cache" not in client.get(url).headers


def test_off_when_the_setting_is_zero(client):
    PublishedEditionFactory()
    url = reverse("commitments:compact_list")
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=0):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url).headers
