"""A response says whom the organisation represents and how it gathered their views: asked on the
response form (with hints and length caps), shown to the body (its page and its email) and beside
each response summary where the body reads the responses with its feedback."""

import pytest
from django.core import mail
from django.urls import reverse

from consultations.models import Response
from tests.consultations.factories import ConsultationFactory, ResponseFactory
from tests.consultations.test_views import text

pytestmark = pytest.mark.django_db

REPRESENTS = "Our 40 member lunch clubs"
GATHERED = "A survey of members in February and two open meetings."


@pytest.fixture
def consultation(edition, officer, monkeypatch):
    import datetime

    monkeypatch.setattr("consultations.views.today", lambda: datetime.date(2027, 2, 1))
    return ConsultationFactory(edition=edition, organisation=officer.organisations.get(), title="Library hours")


def respond(client, consultation, **data):
    return client.post(
        reverse("consultations:respond", kwargs={"pk": consultation.pk}), {"summary": "Open on Saturdays.", **data}
    )


def test_the_form_asks_whom_it_represents_and_how_with_hints(client, consultation, vcs_member):
    client.force_login(vcs_member)
    page = text(client.get(reverse("consultations:respond", kwargs={"pk": consultation.pk})))
    assert "Whom does your organisation represent in this response? (optional)" in page
    assert "For example: “our 40 member groups”" in page
    assert "How did you gather their views? (optional)" in page
    assert "For example: a survey of members" in page


def test_both_are_recorded_and_shown_to_the_body_and_in_its_email(
    client, consultation, vcs_member, officer, django_capture_on_commit_callbacks
):
    client.force_login(vcs_member)
    with django_capture_on_commit_callbacks(execute=True):
        assert respond(client, consultation, represents=REPRESENTS, views_gathered=GATHERED).status_code == 302
    response = Response.objects.get()
    assert (response.represents, response.views_gathered) == (REPRESENTS, GATHERED)
    body_email = next(m for m in mail.outbox if officer.email in m.to)
    assert f"Speaks for: {REPRESENTS}" in body_email.body
    assert f"How their views were gathered: {GATHERED}" in body_email.body
    # The form shows them again when the response is changed.
    page = client.get(reverse("consultations:respond", kwargs={"pk": consultation.pk})).content.decode()
    assert REPRESENTS in page and GATHERED in page
    client.force_login(officer)
    page = text(client.get(consultation.get_absolute_url()))
    assert f"Open on Saturdays. Speaks for {REPRESENTS} How their views were gathered {GATHERED}" in page


def test_too_long_answers_are_explained_and_nothing_is_saved(client, consultation, vcs_member):
    client.force_login(vcs_member)
    response = respond(client, consultation, represents="x" * 301, views_gathered="y" * 1001)
    assert response.status_code == 200
    page = text(response)
    assert "Whom your organisation represents must be 300 characters or fewer" in page
    assert "How you gathered their views must be 1000 characters or fewer" in page
    assert not Response.objects.exists()


def test_the_published_feedback_page_shows_them_beside_each_response_summary(client, consultation, officer, vcs_member):
    ResponseFactory(
        consultation=consultation,
        organisation=vcs_member.organisations.get(),
        summary="Weekend hours.",
        represents=REPRESENTS,
        views_gathered=GATHERED,
    )
    other = ResponseFactory(consultation=consultation, summary="No change, please.")
    consultation.feedback_summary = "We heard you."
    consultation.feedback_published_on = consultation.closes_on
    consultation.save()
    client.force_login(officer)
    page = text(client.get(consultation.get_absolute_url()))
    assert f"Weekend hours. Speaks for {REPRESENTS} How their views were gathered {GATHERED}" in page
    # A response that says neither shows no empty labels.
    assert f"{other.organisation.name}" in page
    assert page.count("Speaks for") == 1
    # The public reads the feedback, not the responses nor whom they speak for.
    client.logout()
    public = text(client.get(consultation.get_absolute_url()))
    assert "We heard you." in public and REPRESENTS not in public
