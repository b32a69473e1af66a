"""The document engine (compact_portal.documents), through a plain kind of its own: request and
queue on commit, the content hash, a failure recorded and tried again, a lost task queued again
(on asking and by the beat sweep), serving a stored file. Edition PDFs and challenge letters are
built on it (tests/commitments/test_pdf*.py, tests/disputes/test_letters.py)."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from commitments.models import EditionDocument
from compact_portal import documents, tasks

pytestmark = pytest.mark.django_db

HTML = (
    '<html lang="en-GB"><head><title>A notice</title><link rel="stylesheet" href="pdf/compact.css"></head>'
    "<body><p>Plain words.</p></body></html>"
)
STAND_IN_PDF = b"%PDF-1.7 stand-in"


class PlainKind(documents.DocumentKind):
    """A document with fixed HTML, stored as an edition's row; renders run at once when queued."""

    model = EditionDocument
    stylesheet = "pdf/compact.css"

    def __init__(self):
        self.html_text = HTML
        self.queued: list[int] = []
        self.stored_calls: list[int] = []

    def html(self, document):
        return self.html_text

    def filename(self, document):
        return f"plain-{document.pk}.pdf"

    def queue_render(self, document_id):
        self.queued.append(document_id)
        documents.document_render(self, document_id=document_id)

    def stored(self, document):
        self.stored_calls.append(document.pk)
        return []


@pytest.fixture
def kind():
    return PlainKind()


@pytest.fixture
def renders(monkeypatch):
    """Stand in for WeasyPrint (these tests are about the engine, not the PDF): counts renders."""
    calls = []

    def render(html, *, stylesheet):
        calls.append((html, stylesheet))
        return STAND_IN_PDF

    monkeypatch.setattr(documents, "render_pdf", render)
    return calls


@pytest.fixture
def pending(edition, kind, django_capture_on_commit_callbacks):
    """A row asked for whose task never ran (the commit's callbacks are thrown away)."""
    with django_capture_on_commit_callbacks(execute=False):
        document = EditionDocument.objects.create(edition=edition, content_hash="")
        documents.document_queue(kind, document)
    return document


def age(document, by: datetime.timedelta) -> None:
    EditionDocument.objects.filter(pk=document.pk).update(requested_at=timezone.now() - by)
    document.refresh_from_db()


def test_the_render_is_queued_only_once_the_transaction_commits(
    pending, kind, renders, django_capture_on_commit_callbacks
):
    assert kind.queued == [] and renders == []
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_queue(kind, pending)
    pending.refresh_from_db()
    assert pending.is_ready
    assert pending.file.read() == STAND_IN_PDF
    assert pending.size == len(STAND_IN_PDF)
    assert pending.attempts == 1
    assert pending.rendered_at is not None
    assert kind.stored_calls == [pending.pk]
    assert renders == [(HTML, "pdf/compact.css")]


def test_the_same_content_asked_for_again_is_the_same_document_rendered_once(
    edition, kind, renders, django_capture_on_commit_callbacks
):
    digest = documents.content_hash(HTML, stylesheet=kind.stylesheet, version=kind.renderer_version)
    with django_capture_on_commit_callbacks(execute=True):
        first = documents.document_request(kind, edition=edition, content_hash=digest)
    assert first.is_pending  # answered before the render

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = documents.document_request(kind, edition=edition, content_hash=digest)

    assert callbacks == []  # nothing queued the second time
    assert second.pk == first.pk and second.is_ready
    assert EditionDocument.objects.count() == 1
    assert len(renders) == 1

    kind.html_text = HTML.replace("Plain words.", "Other words.")
    changed = documents.content_hash(kind.html_text, stylesheet=kind.stylesheet, version=kind.renderer_version)
    with django_capture_on_commit_callbacks(execute=True):
        third = documents.document_request(kind, edition=edition, content_hash=changed)
    third.refresh_from_db()
    assert third.pk != first.pk and third.is_ready
    assert len(renders) == 2


def test_a_failed_document_asked_for_again_is_retried_only_when_asked_to(
    edition, kind, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(documents, "render_pdf", lambda html, *, stylesheet: 1 / 0)
    digest = documents.content_hash(HTML, stylesheet=kind.stylesheet, version=kind.renderer_version)
    with django_capture_on_commit_callbacks(execute=True):
        failed = documents.document_request(kind, edition=edition, content_hash=digest)
    failed.refresh_from_db()
    assert failed.error == "ZeroDivisionError: division by zero"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert documents.document_request(kind, edition=edition, content_hash=digest).is_failed
    assert callbacks == []

    monkeypatch.setattr(documents, "render_pdf", lambda html, *, stylesheet: STAND_IN_PDF)
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_request(kind, edition=edition, content_hash=digest, retry_failed=True)
    failed.refresh_from_db()
    assert failed.is_ready and failed.attempts == 2


def test_the_content_hash_is_recorded_and_a_ready_document_is_not_rendered_again(pending, kind, renders):
    document = documents.document_render(kind, document_id=pending.pk)
    assert document.content_hash == documents.content_hash(HTML, stylesheet="pdf/compact.css", version="1")
    assert document.content_hash != documents.content_hash(HTML + " ", stylesheet="pdf/compact.css", version="1")
    assert document.content_hash != documents.content_hash(HTML, stylesheet="pdf/compact.css", version="2")

    again = documents.document_render(kind, document_id=pending.pk)  # a redelivered task

    assert again.is_ready
    assert len(renders) == 1
    assert again.attempts == 1


def test_content_that_changed_after_it_was_asked_for_is_not_rendered(pending, kind, renders):
    documents.document_render(kind, document_id=pending.pk)
    kind.html_text = HTML.replace("Plain words.", "Other words.")
    EditionDocument.objects.filter(pk=pending.pk).update(status=documents.RenderedDocument.Status.PENDING)

    assert documents.document_render(kind, document_id=pending.pk).is_failed

    pending.refresh_from_db()
    assert pending.is_failed
    assert pending.error == "DocumentChanged: The content changed after the document was asked for."
    assert len(renders) == 1


def test_a_failure_is_recorded_with_its_message_and_can_be_tried_again(
    pending, kind, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(html, *, stylesheet):
        raise RuntimeError("renderer fell over")

    monkeypatch.setattr(documents, "render_pdf", broken)
    failed = documents.document_render(kind, document_id=pending.pk)
    assert failed.is_failed
    assert failed.error == "RuntimeError: renderer fell over"
    assert not failed.file

    monkeypatch.setattr(documents, "render_pdf", lambda html, *, stylesheet: STAND_IN_PDF)
    with django_capture_on_commit_callbacks(execute=True):
        assert documents.document_retry(kind, failed) is True
        assert documents.document_retry(kind, failed) is False  # claimed already: queued once
    failed.refresh_from_db()
    assert failed.is_ready
    assert failed.error == ""
    assert failed.attempts == 2
    assert kind.queued == [failed.pk]


def test_a_ready_document_is_not_tried_again(pending, kind, renders, django_capture_on_commit_callbacks):
    documents.document_render(kind, document_id=pending.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert documents.document_retry(kind, pending) is False
    assert callbacks == []


def test_a_lost_task_is_queued_again_when_asked_for_after_the_limit(
    pending, kind, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert documents.document_requeue_if_lost(kind, pending) is False  # a worker may be on it
    assert callbacks == []

    age(pending, kind.lost_after + datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert documents.document_requeue_if_lost(kind, pending) is True

    pending.refresh_from_db()
    assert pending.is_ready
    assert kind.queued == [pending.pk]


def test_the_sweep_queues_every_lost_render_again_and_leaves_fresh_ones(
    edition, kind, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        lost = EditionDocument.objects.create(edition=edition, content_hash="")
        fresh = EditionDocument.objects.create(edition=edition, content_hash="other")
    age(lost, datetime.timedelta(minutes=11))
    age(fresh, datetime.timedelta(minutes=9))

    with django_capture_on_commit_callbacks(execute=True):
        assert documents.documents_requeue_lost(kinds=[kind]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert documents.documents_requeue_lost(kinds=[kind]) == 0  # nothing twice

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.is_ready
    assert fresh.is_pending
    assert kind.queued == [lost.pk]


def test_the_beat_sweeps_every_registered_kind_every_15_minutes(settings):
    from commitments.pdf import EDITION_PDF
    from disputes.letters import LETTER_PDF

    assert {EDITION_PDF, LETTER_PDF} <= set(documents.registered_kinds())
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-lost-documents"]
    assert entry["task"] == tasks.requeue_lost_documents.name == "compact_portal.tasks.requeue_lost_documents"
    assert entry["schedule"].minute == {0, 15, 30, 45}


def test_a_lost_file_is_queued_again(pending, kind, renders, django_capture_on_commit_callbacks):
    documents.document_render(kind, document_id=pending.pk)
    pending.refresh_from_db()
    pending.file.storage.delete(pending.file.name)
    assert documents.document_response(RequestFactory().get("/"), pending, filename="x.pdf", confidential=True) is None

    with django_capture_on_commit_callbacks(execute=True):
        assert documents.document_rerender(kind, pending) is True

    pending.refresh_from_db()
    assert pending.is_ready
    assert pending.file.read() == STAND_IN_PDF


def test_a_confidential_document_is_kept_by_no_cache_and_a_public_one_is_revalidated(pending, kind, renders):
    document = documents.document_render(kind, document_id=pending.pk)

    private = documents.document_response(RequestFactory().get("/"), document, filename="a.pdf", confidential=True)
    assert b"".join(private.streaming_content) == STAND_IN_PDF
    assert private["Content-Disposition"] == 'attachment; filename="a.pdf"'
    assert "private" in private["Cache-Control"] and "no-store" in private["Cache-Control"]

    public = documents.document_response(
        RequestFactory().get("/"), document, filename="a.pdf", confidential=False, max_age=60
    )
    assert "public" in public["Cache-Control"] and "max-age=60" in public["Cache-Control"]
    assert public["ETag"] == f'"{document.content_hash}"'
    again = documents.document_response(
        RequestFactory().get("/", headers={"if-none-match": public["ETag"]}),
        document,
        filename="a.pdf",
        confidential=False,
    )
    assert again.status_code == 304


def test_the_language_tag_is_bcp_47():
    assert documents.language_tag("en-gb") == "en-GB"
    assert documents.language_tag("cy") == "cy"


def test_a_request_that_finds_its_document_reads_it_in_one_query(
    edition, kind, renders, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Every download after the first finds the row: one SELECT, no transaction around it."""
    digest = documents.content_hash(HTML, stylesheet=kind.stylesheet, version=kind.renderer_version)
    with django_capture_on_commit_callbacks(execute=True):
        first = documents.document_request(kind, edition=edition, content_hash=digest)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, django_assert_num_queries(1):
        again = documents.document_request(kind, edition=edition, content_hash=digest)

    assert callbacks == []
    assert again.pk == first.pk and again.is_ready
