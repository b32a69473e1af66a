import pytest
from django.urls import reverse

from commitments import services

pytestmark = pytest.mark.django_db


def test_history_shows_who_created_changed_and_published(client, edition, coordinator):
    client.force_login(coordinator)
    new = client.post(
        reverse("commitments:edition_new", kwargs={"slug": edition.compact.slug}),
        {"name": "Refresh 2027", "start_from": "current"},
    )
    assert new.status_code == 302
    draft = edition.compact.editions.get(name="Refresh 2027")
    undertaking = draft.undertakings.get(number="1.1")
    client.post(
        reverse(
            "commitments:part_update",
            kwargs={"slug": edition.compact.slug, "pk": draft.pk, "part": "undertakings", "part_pk": undertaking.pk},
        ),
        {"outcome": undertaking.outcome_id, "number": "1.1", "sector": "public", "text": "Answer letters in a week."},
    )
    client.post(reverse("commitments:edition_publish", kwargs={"slug": edition.compact.slug, "pk": draft.pk}))

    history = reverse("commitments:edition_history", kwargs={"slug": edition.compact.slug, "pk": draft.pk})
    html = client.get(history).content.decode()
    assert "Answer letters in a week." in html  # the change itself
    assert "Public sector promise 1.1." in html  # and what it was before
    assert str(coordinator) in html  # who did it
    assert "Published" in html  # the status change is recorded


def test_history_is_for_coordinators_only(client, edition, stranger):
    client.force_login(stranger)
    url = reverse("commitments:edition_history", kwargs={"slug": edition.compact.slug, "pk": edition.pk})
    assert client.get(url).status_code == 403


def test_history_records_the_actor_of_a_service_call(edition, coordinator):
    from auditlog.context import set_actor

    from commitments.selectors import edition_history

    with set_actor(coordinator):
        draft = services.edition_start_from_current(compact=edition.compact, name="Next", by=coordinator)
    entries = list(edition_history(edition=draft))
    assert entries
    assert {entry.actor for entry in entries} == {coordinator}
