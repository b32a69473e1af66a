"""Downloading an edition's PDF: served from storage, a waiting page while it is made, retries."""

import os
import re
import time

import pytest
from django.db import connections
from django.template.loader import render_to_string
from django.urls import reverse

from commitments import pdf
from commitments.models import Edition, EditionDocument
from compact_portal import documents
from tests.commitments.factories import build_edition
from tests.conftest import require

INLINE_SCRIPT_RE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def pdf_url(edition: Edition) -> str:
    return reverse("commitments:edition_pdf", kwargs={"slug": edition.compact.slug, "pk": edition.pk})


def progress_url(edition: Edition) -> str:
    return reverse("commitments:edition_pdf_progress", kwargs={"slug": edition.compact.slug, "pk": edition.pk})


@pytest.fixture
def ready(django_capture_on_commit_callbacks):
    """Request the edition's PDF and let the (eager) worker make it."""

    def make(edition: Edition) -> EditionDocument:
        with django_capture_on_commit_callbacks(execute=True):
            document = pdf.edition_document_request(edition)
        document.refresh_from_db()
        assert document.status == EditionDocument.Status.READY
        return document

    return make


def test_a_public_edition_downloads_as_an_attached_pdf(client, edition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(pdf_url(edition))
    assert first.status_code == 303  # the render runs in the worker, after the answer
    assert first["Location"] == progress_url(edition)

    response = client.get(pdf_url(edition))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="riverside-compact-first-edition-en.pdf"'
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    document = EditionDocument.objects.get(edition=edition)
    assert int(response["Content-Length"]) == len(body) == document.size
    assert response["ETag"] == f'"{document.content_hash}"'
    assert "public" in response["Cache-Control"]
    assert "max-age=600" in response["Cache-Control"]


def test_a_cached_copy_is_revalidated_by_its_etag(client, edition, ready):
    document = ready(edition)

    response = client.get(pdf_url(edition), headers={"if-none-match": f'"{document.content_hash}"'})

    assert response.status_code == 304
    assert response.content == b""


def test_while_pending_the_download_goes_to_a_page_that_asks_again(client, edition):
    response = client.get(pdf_url(edition), follow=True)

    assert response.redirect_chain == [(progress_url(edition), 303)]
    page = response.content.decode()
    assert "Preparing the PDF" in page
    assert 'http-equiv="refresh"' not in page  # a page that reloads itself fails WCAG 2.2.1
    assert 'data-module="app-pdf-progress"' in page
    assert f'data-status-url="{progress_url(edition)}?format=json"' in page
    assert f'href="{progress_url(edition)}">Check whether it is ready' in page  # without script
    assert not INLINE_SCRIPT_RE.search(page)
    assert f'href="{edition.get_absolute_url()}"' in page
    assert "no-store" in response["Cache-Control"]  # never kept (compact_portal.middleware)
    assert EditionDocument.objects.get(edition=edition).status == EditionDocument.Status.PENDING


def test_the_status_is_answered_as_json_for_the_pages_script(client, edition):
    pending = client.get(progress_url(edition) + "?format=json")
    assert pending.json() == {"status": "pending"}
    assert "no-store" in pending["Cache-Control"]
    pdf.edition_document_render(document_id=EditionDocument.objects.get(edition=edition).pk)
    assert client.get(progress_url(edition) + "?format=json").json() == {"status": "ready"}


def test_once_ready_the_progress_page_offers_the_download(client, edition, ready):
    ready(edition)

    response = client.get(progress_url(edition))

    page = response.content.decode()
    assert "Your PDF is ready" in page
    assert f'href="{pdf_url(edition)}"' in page
    assert 'http-equiv="refresh"' not in page


def test_the_progress_page_does_not_render_anything_itself(client, edition, monkeypatch):
    monkeypatch.setattr(documents, "render_pdf", lambda html, **kwargs: pytest.fail("the web request rendered a PDF"))

    assert client.get(progress_url(edition)).status_code == 200
    assert client.get(pdf_url(edition)).status_code == 303


def test_a_draft_pdf_is_hidden_from_the_public_and_strangers(client, compact, stranger, ready):
    draft = build_edition(compact=compact, name="Refresh", status=Edition.Status.DRAFT)
    ready(draft)

    assert client.get(pdf_url(draft)).status_code == 404
    assert client.get(progress_url(draft)).status_code == 404
    client.force_login(stranger)
    assert client.get(pdf_url(draft)).status_code == 404
    assert client.post(pdf_url(draft)).status_code == 404


def test_a_coordinator_downloads_a_draft_privately(client, compact, coordinator, ready):
    draft = build_edition(compact=compact, name="Refresh", status=Edition.Status.DRAFT)
    ready(draft)
    client.force_login(coordinator)

    response = client.get(pdf_url(draft))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_a_failed_render_says_so_and_try_again_works(
    client, edition, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    real = documents.render_pdf

    def broken(html, **kwargs):
        raise RuntimeError("out of memory at /srv/secret")

    monkeypatch.setattr(documents, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(pdf_url(edition))

    response = client.get(pdf_url(edition), follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(progress_url(edition), 303)]
    assert "The PDF could not be made" in page
    assert f'action="{pdf_url(edition)}"' in page
    assert "Try again" in page
    assert 'http-equiv="refresh"' not in page
    assert "/srv/secret" not in page  # the error is for coordinators only
    client.force_login(coordinator)
    assert "out of memory at /srv/secret" in client.get(progress_url(edition)).content.decode()

    monkeypatch.setattr(documents, "render_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        retry = client.post(pdf_url(edition))
    assert retry.status_code == 303
    assert retry["Location"] == progress_url(edition)
    assert "Your PDF is ready" in client.get(progress_url(edition)).content.decode()
    assert client.get(pdf_url(edition)).status_code == 200


def test_a_lost_file_is_made_again(client, edition, ready, django_capture_on_commit_callbacks):
    document = ready(edition)
    document.file.storage.delete(document.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(pdf_url(edition))

    assert response.status_code == 303
    assert client.get(pdf_url(edition)).status_code == 200


def test_the_progress_page_only_answers_get(client, edition):
    assert client.post(progress_url(edition)).status_code == 405


def test_the_download_include_links_to_the_pdf(edition):
    html = render_to_string("includes/pdf_download.html", {"edition": edition})
    assert f'href="{pdf_url(edition)}"' in html
    assert "Download the Compact in English (PDF)" in html


# --- A real worker ---------------------------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_pdf_through_redis(client, compact):
    """The worker runs in a thread of this process and shares its database: PostgreSQL, or SQLite's
    shared in-memory test database (both work with transaction=True)."""
    require(os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"), "needs Redis (CELERY_BROKER_URL=redis://…)")
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from compact_portal.celery import app

    ran = []

    def after_task(sender, **kwargs):
        ran.append((sender.name, sender.request.is_eager))
        connections.close_all()  # runs in the worker's thread, so the test database can be dropped

    edition = build_edition(compact=compact, name="First edition", outcomes=5, per_sector=5)
    app.conf.task_always_eager = False
    task_postrun.connect(after_task, weak=False)
    try:
        app.control.purge()
        with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
            started = time.monotonic()
            assert client.get(pdf_url(edition)).status_code == 303
            while time.monotonic() - started < 60:
                page = client.get(progress_url(edition)).content.decode()
                if "Preparing the PDF" not in page:
                    break
                time.sleep(0.2)
            assert "Your PDF is ready" in page
            response = client.get(pdf_url(edition))
    finally:
        task_postrun.disconnect(after_task)
        app.conf.task_always_eager = True

    assert ran == [("commitments.tasks.render_edition_document", False)]  # by the worker, not eagerly
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert EditionDocument.objects.get(edition=edition).status == EditionDocument.Status.READY
