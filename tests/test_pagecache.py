"""The public page cache (compact_portal/pagecache.py): kept for anonymous visitors, made again
after any committed write, never for a signed-in person."""

import os
import re
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from commitments.models import Compact, Edition
from compact_portal import pagecache
from compact_portal.dates import financial_year_of
from consultations.models import Consultation
from notifications.models import Notification, ReminderClaim
from tests.accounts.factories import UserFactory
from tests.commitments.factories import PublishedEditionFactory
from tests.conftest import require

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
def test_a_new_row_empties_the_pages_on_every_database():
    # On SQLite, an INSERT with RETURNING reports no row until its id is read: it used to leave them.
    before = pagecache.version()
    PublishedEditionFactory()
    assert pagecache.version() > before


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
    assert pagecache._bump_waiting(connection) is None
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


@pytest.mark.django_db(transaction=True)
def test_writes_no_kept_page_reads_leave_the_pages(client):
    """The reminder sweep and the emails it sends write notifications and claims all morning: they
    must not empty the cache for every reader of the Compact."""
    PublishedEditionFactory()
    url = reverse("commitments:compact_list")
    client.get(url)
    before = pagecache.version()
    user = UserFactory()
    with transaction.atomic():
        notification = Notification.objects.create(recipient=user, email=user.email, kind="x", subject="s", body="b")
        ReminderClaim.objects.create(
            kind="x",
            subject_key="signature:1",
            recipient_email=user.email,
            due_on=timezone.localdate(),
            claimed_at=timezone.now(),
        )
    Notification.objects.filter(pk=notification.pk).update(subject="t")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM disputes_caseview WHERE id = %s", [0])  # who opened a concern
    assert pagecache.version() == before
    assert client.get(url).headers.get("X-Page-Cache") == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_write_empties_only_the_pages_that_read_its_app(client):
    """A signature changes the register, not the Compact's own page: the re-affirmation requests
    after a publish emptied every kept page, batch after batch."""
    from signatories.models import Signature

    edition = PublishedEditionFactory()
    compact = reverse("commitments:compact_detail", kwargs={"slug": edition.compact.slug})
    register = reverse("signatories:register", kwargs={"slug": edition.compact.slug})
    review = reverse("reviews:review", kwargs={"slug": edition.compact.slug})
    for url in (compact, register, review):
        client.get(url)
        assert client.get(url).headers.get("X-Page-Cache") == "hit"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE signatories_signature SET id = id WHERE id = %s", [0])  # no row: nothing
    assert client.get(register).headers.get("X-Page-Cache") == "hit"
    with transaction.atomic():
        Signature.objects.filter(pk=0).delete()  # no row either
        assert pagecache._bump_waiting(connection) is None
    before = pagecache.versions(("commitments",))
    from tests.signatories.factories import SignatureFactory

    signatures = pagecache.versions(("signatories",))
    SignatureFactory(edition=edition)  # a real write, committed
    assert pagecache.versions(("signatories",)) > signatures
    assert pagecache.versions(("commitments",)) == before
    assert client.get(compact).headers.get("X-Page-Cache") == "hit"  # the Compact's page is kept
    assert "X-Page-Cache" not in client.get(register).headers  # the register is made again
    assert "X-Page-Cache" not in client.get(review).headers  # as is every page reading all apps


@pytest.mark.django_db(transaction=True)
def test_a_version_evicted_from_the_cache_never_comes_back_to_an_old_number(client):
    """The shared cache may evict a version (Redis under memory pressure): a page kept before must not
    be served again, whatever writes the lost number had counted."""
    edition = PublishedEditionFactory()
    url = reverse("commitments:compact_detail", kwargs={"slug": edition.compact.slug})
    client.get(url)
    assert client.get(url).headers.get("X-Page-Cache") == "hit"
    (kept,) = pagecache.versions(("commitments",))
    time.sleep(0.002)  # the versions count milliseconds
    pagecache._cache().delete(pagecache._version_key("commitments"))  # evicted
    (now,) = pagecache.versions(("commitments",))
    assert now > kept
    assert "X-Page-Cache" not in client.get(url).headers  # made again, not the page kept before
    time.sleep(0.002)
    pagecache._cache().delete(pagecache._version_key("commitments"))
    pagecache.bump({"commitments"})  # a write after an eviction: above the number before it too
    assert pagecache.versions(("commitments",))[0] > now


def test_the_apps_each_view_reads_are_of_kept_views_and_watched_apps():
    assert set(pagecache.PAGE_READS) <= pagecache.PAGE_CACHE_VIEWS
    for apps in pagecache.PAGE_READS.values():
        assert set(apps) <= set(pagecache.WATCHED_APPS)
    assert pagecache.page_reads("reviews:review") == pagecache.WATCHED_APPS  # not listed: every app


@pytest.mark.django_db(transaction=True)
def test_a_transaction_raises_the_version_of_each_app_it_wrote_once_on_commit():
    edition = PublishedEditionFactory()
    before = dict(zip(pagecache.WATCHED_APPS, pagecache.versions(), strict=True))
    with transaction.atomic():
        Compact.objects.filter(pk=edition.compact_id).update(name="Hillside Compact")
        Compact.objects.filter(pk=edition.compact_id).update(name="Riverside Compact")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE funding_fundingnotice SET id = id")  # no row in this test: nothing
        assert pagecache._bump_waiting(connection) == {"commitments"}
    after = dict(zip(pagecache.WATCHED_APPS, pagecache.versions(), strict=True))
    assert {app: after[app] - before[app] for app in before} == {
        app: 1 if app == "commitments" else 0 for app in before
    }


@pytest.mark.parametrize(
    ("table", "watched"),
    [
        ("commitments_edition", True),
        ("signatories_signature", True),
        ("consultations_response", True),
        ("disputes_guardflag", True),
        ("disputes_caseview", False),
        ("commitments_editiondocument", False),
        ("reviews_reviewdocument", False),
        ("commitments_editionstatuschange", True),
        ("reviews_newtable", True),
        ("notifications_notification", False),
        ("notifications_reminderclaim", False),
        ("funding_fundingnotice", True),
        ("mediation_mediator", False),
        ("django_session", False),
        (None, False),
    ],
)
def test_which_tables_are_watched(table, watched):
    assert pagecache.watched(table) is watched


def _kept_page_urls() -> list[str]:
    urls = [reverse("home"), reverse("commitments:compact_list"), reverse("consultations:list")]
    for compact in Compact.objects.all():
        slug = {"slug": compact.slug}
        urls += [
            reverse("commitments:compact_detail", kwargs=slug),
            reverse("commitments:edition_list", kwargs=slug),
            reverse("signatories:register", kwargs=slug),
            reverse("signatories:coverage", kwargs=slug),
            reverse("disputes:figures", kwargs=slug),
            reverse("monitoring:measures", kwargs=slug),
            reverse("monitoring:measures_csv", kwargs=slug),
            reverse("reviews:review", kwargs=slug),
        ]
        for year in (financial_year_of(timezone.localdate()), financial_year_of(timezone.localdate()) - 1):
            urls += [reverse(f"reviews:{name}", kwargs={**slug, "year": year}) for name in ("csv", "ods")]
        for edition in Edition.objects.filter(compact=compact):
            urls += [
                reverse("commitments:edition_detail", kwargs={**slug, "pk": edition.pk}),
                reverse("commitments:edition_compare", kwargs={**slug, "pk": edition.pk}),
            ]
    urls += [
        reverse("consultations:detail", kwargs={"pk": pk}) for pk in Consultation.objects.values_list("pk", flat=True)
    ]
    return urls


@pytest.mark.django_db(transaction=True)
def test_every_kept_page_reads_only_watched_tables(client):
    """Every page the cache keeps, for every Compact, edition and consultation of the demo data, in
    English and Welsh: each table it reads is one whose writes empty the cache. A page that starts
    showing another table fails here until the table is watched."""
    call_command("seed_demo", "--force", verbosity=0)
    shown: set[str] = set()
    read: dict[str, set[str]] = {}
    undeclared: set[tuple[str, str]] = set()
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=0):
        for url in _kept_page_urls():
            for language in ("en", "cy"):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                if response.status_code != 200:
                    continue
                view = response.resolver_match.view_name
                shown.add(view)
                for query in queries.captured_queries:
                    for table in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"]):
                        read.setdefault(table, set()).add(url)
                        if pagecache.watched(table) and not table.startswith(pagecache.page_reads(view)):
                            undeclared.add((view, table))
    assert shown == pagecache.PAGE_CACHE_VIEWS
    assert "signatories_signature" in read and "consultations_consultation" in read  # the pattern finds tables
    unwatched = sorted(table for table in read if not pagecache.watched(table))
    assert unwatched == [], {table: sorted(read[table])[:2] for table in unwatched}
    # Each page reads only the apps its versions are of: a write to another leaves it kept.
    assert sorted(undeclared) == []


@pytest.mark.django_db(transaction=True)
def test_a_write_that_changes_no_row_leaves_the_pages(client):
    """A download of a PDF still being rendered asks, with a conditional UPDATE, whether its render
    was lost: matching no row, it must not empty every kept page (make load found it did, every
    few seconds). A write that changes a row still does."""
    edition = PublishedEditionFactory()
    url = reverse("commitments:compact_list")
    client.get(url)
    before = pagecache.version()
    assert Compact.objects.filter(pk=edition.compact_id, name="No such name").update(name="x") == 0
    assert Edition.objects.filter(pk=-1).delete()[0] == 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM commitments_compact WHERE id = %s", [-1])
        cursor.executemany("UPDATE commitments_compact SET name = %s WHERE id = %s", [("x", -1), ("y", -2)])
    assert pagecache.version() == before
    assert client.get(url).headers.get("X-Page-Cache") == "hit"

    # Many statements at once, one of them changing a row: the driver counts them together.
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE commitments_compact SET name = %s WHERE id = %s", [("x", -1), ("Changed", edition.compact_id)]
        )
    assert pagecache.version() > before
    assert "X-Page-Cache" not in client.get(url).headers
    assert "Changed" in client.get(url).content.decode()

    before = pagecache.version()
    Compact.objects.filter(pk=edition.compact_id).update(name="Changed again")
    assert pagecache.version() > before


@pytest.mark.django_db(transaction=True)
def test_a_pdf_download_while_its_render_is_pending_leaves_the_pages(client):
    from commitments.models import EditionDocument

    edition = PublishedEditionFactory()
    pdf = reverse("commitments:edition_pdf", kwargs={"slug": edition.compact.slug, "pk": edition.pk})
    url = reverse("commitments:compact_list")
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        from unittest import mock

        with mock.patch("commitments.tasks.render_edition_document.delay"):
            client.get(pdf)  # asks for the render: a new row, a real write
            assert EditionDocument.objects.filter(edition=edition, status="pending").exists()
            client.get(url)
            before = pagecache.version()
            for _ in range(3):
                client.get(pdf)  # pending, not lost: the conditional UPDATE matches nothing
    assert pagecache.version() == before
    assert client.get(url).headers.get("X-Page-Cache") == "hit"


@pytest.mark.django_db(transaction=True)
def test_asking_for_a_pdf_and_its_render_leave_the_pages(client):
    """A download of a PDF not made yet asks for it (a new row), and its render writes its progress
    and the file: none of it is on a kept page, which links to the PDF whatever its state."""
    from commitments import pdf as edition_pdf
    from commitments.models import EditionDocument

    edition = PublishedEditionFactory()
    pdf = reverse("commitments:edition_pdf", kwargs={"slug": edition.compact.slug, "pk": edition.pk})
    compact = reverse("commitments:compact_detail", kwargs={"slug": edition.compact.slug})
    client.get(compact)
    before = pagecache.version()
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        from unittest import mock

        with mock.patch("commitments.tasks.render_edition_document.delay"):
            client.get(pdf)  # asks for the render: a new row
    document = EditionDocument.objects.get(edition=edition)
    edition_pdf.edition_document_render(document_id=document.pk)  # the worker's render, to the file
    document.refresh_from_db()
    assert document.status == "ready"
    with connection.cursor() as cursor:  # raw SQL too, as any statement is watched
        cursor.execute("UPDATE reviews_reviewdocument SET status = status WHERE id = %s", [0])
    assert pagecache.version() == before
    assert client.get(compact).headers.get("X-Page-Cache") == "hit"


# --- One request makes a missing page; the others wait for it ---------------------------------------


def _slow_page(calls: list, *, seconds: float = 0.3, status: int = 200):
    from django.http import HttpResponse

    def get_response(request):
        calls.append(request)
        time.sleep(seconds)
        return HttpResponse(f"page {len(calls)}", status=status)

    return get_response


def _ask_together(middleware, count: int, *, stagger: float = 0.05) -> list:
    """``count`` anonymous requests for the compact list at about the same time, each in a thread."""
    from django.test import RequestFactory

    url = reverse("commitments:compact_list")
    answers = [None] * count

    def ask(number: int) -> None:
        answers[number] = middleware(RequestFactory().get(url))

    threads = [threading.Thread(target=ask, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
        time.sleep(stagger)  # the first marks the page as being made before the others ask
    for thread in threads:
        thread.join(timeout=10)
    return answers


def test_a_missing_page_is_made_once_while_the_others_asking_for_it_wait():
    calls = []
    answers = _ask_together(pagecache.PublicPageCacheMiddleware(_slow_page(calls)), 4)
    assert len(calls) == 1  # made once, not four times at once
    assert [answer.content for answer in answers] == [b"page 1"] * 4
    assert "X-Page-Cache" not in answers[0].headers
    assert [answer["X-Page-Cache"] for answer in answers[1:]] == ["hit after waiting"] * 3
    assert pagecache._cache().get(_building_key()) is None  # the mark goes with the page made


@pytest.mark.redis
def test_made_once_with_redis_as_in_production():
    """The same through Redis (production's cache, shared by the web workers): ``cache.add`` is
    Redis's SET NX, which one request alone wins."""
    import uuid

    url = os.environ.get("CELERY_BROKER_URL", "")
    require(url.startswith("redis://"), "needs Redis (CELERY_BROKER_URL=redis://…)")
    prefix = f"pagecache-test-{uuid.uuid4().hex}"
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    with override_settings(CACHES={"default": redis_cache}):
        try:
            calls = []
            answers = _ask_together(pagecache.PublicPageCacheMiddleware(_slow_page(calls)), 4)
            assert len(calls) == 1
            assert [answer.content for answer in answers] == [b"page 1"] * 4
            # Whichever asked first made it (the first thread's first connection to Redis may come
            # later than the second's): the others waited for it.
            headers = sorted(answer.headers.get("X-Page-Cache", "made") for answer in answers)
            assert headers == ["hit after waiting"] * 3 + ["made"]
            assert pagecache._cache().get(_building_key()) is None
        finally:
            from django.core.cache import caches

            keys = caches["default"]._cache.get_client().keys(f"{prefix}:*")
            if keys:
                caches["default"]._cache.get_client().delete(*keys)


def test_a_page_that_is_not_kept_is_made_by_each_waiting_request():
    # An error is not kept: those who waited for it make the page themselves, as without the cache.
    calls = []
    answers = _ask_together(pagecache.PublicPageCacheMiddleware(_slow_page(calls, status=500)), 3)
    assert len(calls) == 3
    assert all(answer.status_code == 500 and "X-Page-Cache" not in answer.headers for answer in answers)


def test_a_request_waits_at_most_wait_seconds_and_leaves_the_others_mark(monkeypatch):
    # A request making the page that never ends (a process killed half-way): the mark stays until it
    # expires, and a request waits WAIT_SECONDS, then makes the page itself.
    from django.test import RequestFactory

    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.2)
    pagecache._cache().add(_building_key(), 1, pagecache.BUILDING_SECONDS)
    calls = []
    started = time.monotonic()
    answer = pagecache.PublicPageCacheMiddleware(_slow_page(calls, seconds=0))(
        RequestFactory().get(reverse("commitments:compact_list"))
    )
    assert 0.2 <= time.monotonic() - started < 2
    assert answer.content == b"page 1" and len(calls) == 1
    assert pagecache._cache().get(_building_key()) == 1  # not this request's to take away


def test_a_request_after_a_write_does_not_wait_for_a_page_made_before_it():
    # The page being made read the version before the write: a request after the write asks for the
    # new version's page, makes it at once, and is never given the older one.
    from django.test import RequestFactory

    calls = []
    middleware = pagecache.PublicPageCacheMiddleware(_slow_page(calls, seconds=0.5))
    url = reverse("commitments:compact_list")
    before = threading.Thread(target=middleware, args=(RequestFactory().get(url),))
    before.start()
    time.sleep(0.1)
    pagecache.bump()  # a write committed
    started = time.monotonic()
    after = middleware(RequestFactory().get(url))
    waited = time.monotonic() - started
    before.join(timeout=10)
    assert after.content == b"page 2"
    assert "X-Page-Cache" not in after.headers
    assert waited < 0.5 + 0.3  # its own making, not the wait for the other one first
    assert len(calls) == 2


def _building_key() -> str:
    from django.test import RequestFactory

    from compact_portal.pagecache import _key, page_reads, versions

    request = RequestFactory().get(reverse("commitments:compact_list"))
    numbers = versions(page_reads("commitments:compact_list"))
    return f"{_key(request, translation.get_language(), numbers)}:building"
