"""Stored PDFs of content that has since changed are deleted with their files; the current one stays."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from commitments import pdf
from commitments.models import Edition, EditionDocument
from commitments.tasks import prune_edition_documents
from tests.commitments.factories import build_edition

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def document(edition, digest, *, status=EditionDocument.Status.READY, days_ago=3, rendered_days_ago=None):
    row = EditionDocument.objects.create(edition=edition, content_hash=digest, status=status)
    if status == EditionDocument.Status.READY:
        row.file.save(f"{digest}.pdf", ContentFile(b"%PDF-1.7 " + digest.encode()), save=False)
    rendered = NOW - datetime.timedelta(days=days_ago if rendered_days_ago is None else rendered_days_ago)
    EditionDocument.objects.filter(pk=row.pk).update(
        file=row.file.name,
        requested_at=NOW - datetime.timedelta(days=days_ago),
        rendered_at=rendered if status == EditionDocument.Status.READY else None,
    )
    row.refresh_from_db()
    return row


def test_old_pdfs_go_with_their_files_and_the_newest_ready_one_stays(edition):
    oldest = document(edition, "a" * 64, days_ago=30)
    old_failed = document(edition, "b" * 64, status=EditionDocument.Status.FAILED, days_ago=20)
    current = document(edition, "c" * 64, days_ago=10)
    being_made = document(edition, "d" * 64, status=EditionDocument.Status.PENDING, days_ago=5)
    failed_today = document(edition, "e" * 64, status=EditionDocument.Status.FAILED, days_ago=0)
    storage = oldest.file.storage

    assert pdf.edition_documents_prune(now=NOW) == 2

    assert set(EditionDocument.objects.values_list("pk", flat=True)) == {current.pk, being_made.pk, failed_today.pk}
    assert not storage.exists(oldest.file.name)
    assert storage.exists(current.file.name)
    assert old_failed.pk not in EditionDocument.objects.values_list("pk", flat=True)

    # Once a newer PDF is ready, the one it replaced goes as well (its request is over a day old).
    newer = document(edition, "9" * 64, days_ago=0)
    assert pdf.edition_documents_prune(now=NOW + datetime.timedelta(days=2)) == 2  # current, failed_today
    assert set(EditionDocument.objects.values_list("pk", flat=True)) == {newer.pk, being_made.pk}
    assert not storage.exists(current.file.name)
    assert storage.exists(newer.file.name)


def test_an_edition_whose_only_pdf_failed_long_ago_loses_the_failure_only(edition, compact):
    other = build_edition(compact=compact, name="Second edition", status=Edition.Status.DRAFT)
    failed = document(other, "f" * 64, status=EditionDocument.Status.FAILED, days_ago=9)
    kept = document(edition, "0" * 64, days_ago=40)

    assert prune_edition_documents() == 1
    assert list(EditionDocument.objects.values_list("pk", flat=True)) == [kept.pk]
    assert failed.pk != kept.pk
