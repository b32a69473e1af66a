"""The review PDF's content hash is remembered, so a download of an up-to-date PDF is a few queries
(not the ~45 of building the review's HTML); any change to what the review is made from, a new day,
or another language gives a fresh hash and a fresh PDF."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from actionplans import services as plan_services
from actionplans.models import Evidence
from reviews import pdf
from reviews.models import ReviewDocument
from signatories.models import Organisation
from tests.accounts.factories import UserFactory
from tests.commitments.factories import build_edition
from tests.consultations.factories import ConsultationFactory
from tests.reviews.data import ISSUER, YEAR, review_world
from tests.reviews.test_pdf import pdf_text
from tests.signatories.factories import PublicBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def builds(monkeypatch):
    """How many times the review's HTML is built to work out its hash."""
    made = []
    real = pdf.review_pdf_html

    def counting(*args, **kwargs):
        made.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "review_pdf_html", counting)
    return made


def _url(compact):
    return reverse("reviews:pdf", kwargs={"slug": compact.slug, "year": YEAR})


def _download(client, compact, django_capture_on_commit_callbacks) -> bytes:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_url(compact))
    if response.status_code == 303:  # made by the (eager) worker on commit
        response = client.get(_url(compact))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_an_up_to_date_pdf_is_served_in_a_few_queries(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    compact = review_world()
    _download(client, compact, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(8):
        response = client.get(_url(compact))
    assert response.status_code == 200
    assert ReviewDocument.objects.count() == 1


def test_a_change_to_the_data_gives_a_fresh_pdf(client, django_capture_on_commit_callbacks):
    compact = review_world()
    first = _download(client, compact, django_capture_on_commit_callbacks)
    assert "Unchecked evidence" not in pdf_text(first)
    # A row of the Compact's own: evidence accepted.
    evidence = Evidence.objects.get(title="Unchecked evidence")
    plan_services.evidence_decide(evidence=evidence, accept=True, by=UserFactory())
    second = _download(client, compact, django_capture_on_commit_callbacks)
    assert "Unchecked evidence" in " ".join(pdf_text(second).split())
    # A row of no one Compact: the public body that gave too little notice is renamed.
    issuer = Organisation.objects.get(name=ISSUER)
    issuer.name = "Renamed Borough Council"
    issuer.save()
    third = _download(client, compact, django_capture_on_commit_callbacks)
    assert "Renamed Borough Council" in pdf_text(third) and ISSUER not in pdf_text(third)
    assert ReviewDocument.objects.filter(compact=compact).count() == 3


def test_the_hash_is_worked_out_again_only_when_it_may_have_changed(builds):
    compact = review_world()
    other = build_edition().compact
    body = PublicBodyFactory()
    today = datetime.date(2026, 6, 1)
    digest = pdf.review_content_hash(compact, YEAR, language="en", today=today)
    assert pdf.review_content_hash(compact, YEAR, language="en", today=today) == digest
    assert len(builds) == 1
    # Another Compact's consultation: this review cannot have changed.
    ConsultationFactory(edition=other.editions.get(), organisation=body)
    assert pdf.review_content_hash(compact, YEAR, language="en", today=today) == digest
    assert len(builds) == 1
    # Another language, another day: each its own hash, worked out.
    pdf.review_content_hash(compact, YEAR, language="cy", today=today)
    pdf.review_content_hash(compact, YEAR, language="en", today=today + datetime.timedelta(days=1))
    assert len(builds) == 3
    # This Compact's consultation: worked out again (and different: one more consultation).
    ConsultationFactory(
        edition=compact.editions.get(status="published"),
        organisation=body,
        opens_on=datetime.date(2025, 6, 1),
        closes_on=datetime.date(2025, 6, 10),
    )
    assert pdf.review_content_hash(compact, YEAR, language="en", today=today) != digest
    assert len(builds) == 4


def test_a_lost_token_never_brings_an_old_hash_back(builds):
    compact = review_world()
    today = datetime.date(2026, 6, 1)
    pdf.review_content_hash(compact, YEAR, language="en", today=today)
    cache.delete(f"reviews:sources:{compact.pk}")  # evicted
    pdf.review_content_hash(compact, YEAR, language="en", today=today)
    assert len(builds) == 2


def test_a_pdf_whose_figures_changed_before_it_was_made_is_dropped_and_the_hash_forgotten(client, monkeypatch, builds):
    compact = review_world()
    monkeypatch.setattr(pdf.ReviewPdf, "queue_render", lambda self, document_id: None)  # a busy worker
    client.get(_url(compact))
    document = ReviewDocument.objects.get()
    # A change no signal saw (a bulk update) before the worker gets to it.
    Evidence.objects.filter(title="Unchecked evidence").update(status=Evidence.Status.ACCEPTED)
    assert pdf.review_document_render(document_id=document.pk) is None
    assert not ReviewDocument.objects.exists()
    client.get(_url(compact))
    assert ReviewDocument.objects.get().content_hash != document.content_hash


def test_the_token_is_replaced_again_when_the_change_commits(django_capture_on_commit_callbacks):
    """A request between the save and the commit reads the old rows: what it remembers is dropped."""
    with django_capture_on_commit_callbacks(execute=True):
        pdf.review_sources_changed(compact_id=1)
        during = pdf._token(1)
    assert pdf._token(1) != during
