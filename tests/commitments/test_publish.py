"""Publishing a draft that lacks parts the current edition has: warned, and offered to carry them over."""

import pytest
from django.urls import reverse

from commitments import services
from commitments.models import CodeOfPractice, Edition


def publish_url(draft):
    return reverse("commitments:edition_publish", kwargs={"slug": draft.compact.slug, "pk": draft.pk})


@pytest.fixture
def current(edition):
    edition.introduction = "How the partners in this borough agree to work."
    edition.save()
    CodeOfPractice.objects.create(edition=edition, title="Funding", body="Give three months' notice.", position=1)
    return edition


@pytest.fixture
def bare_draft(current, coordinator):
    """A draft started from the current edition, then stripped of its principles, codes and introduction."""
    draft = services.edition_start_from_current(compact=current.compact, name="Leaner edition", by=coordinator)
    draft.principles.all().delete()
    draft.codes_of_practice.all().delete()
    draft.introduction = ""
    draft.save()
    return draft


def test_the_publish_page_warns_of_each_part_the_draft_would_drop(client, coordinator, bare_draft):
    client.force_login(coordinator)
    html = client.get(publish_url(bare_draft)).content.decode()
    assert "The current edition has 2 principles; this draft has none." in html
    assert "The current edition has 1 code of practice; this draft has none." in html
    assert "The current edition has a section ‘introduction’; in this draft it is empty." in html
    assert "Copy the current edition’s 2 principles into this draft" in html
    assert 'type="checkbox"' in html and "Publish without them" in html


def test_publishing_without_choosing_is_refused_with_a_message_and_publishes_nothing(client, coordinator, bare_draft):
    client.force_login(coordinator)
    response = client.post(publish_url(bare_draft))
    assert response.status_code == 200
    assert "Choose the parts to copy from the current edition, or choose to publish without them" in (
        response.content.decode()
    )
    bare_draft.refresh_from_db()
    assert bare_draft.status == Edition.Status.DRAFT


def test_choosing_both_a_part_and_none_is_refused(client, coordinator, bare_draft):
    client.force_login(coordinator)
    response = client.post(publish_url(bare_draft), {"carry_over": ["principles", "none"]})
    assert "Choose the parts to copy, or choose to publish without them, not both" in response.content.decode()
    bare_draft.refresh_from_db()
    assert bare_draft.status == Edition.Status.DRAFT


def test_carrying_over_copies_the_chosen_parts_then_publishes(client, coordinator, current, bare_draft):
    client.force_login(coordinator)
    response = client.post(publish_url(bare_draft), {"carry_over": ["principles", "introduction"]})
    assert response.status_code == 302
    bare_draft.refresh_from_db()
    assert bare_draft.status == Edition.Status.PUBLISHED
    assert list(bare_draft.principles.values_list("title", flat=True)) == ["Respect", "Honesty"]
    assert bare_draft.introduction == "How the partners in this borough agree to work."
    assert not bare_draft.codes_of_practice.exists()  # not chosen, so not copied
    page = client.get(reverse("commitments:compact_detail", kwargs={"slug": current.compact.slug}), follow=True)
    assert "Honesty" in page.content.decode()
    assert current.principles.count() == 2  # the old edition keeps its own


def test_publishing_without_them_is_the_coordinators_choice(client, coordinator, bare_draft):
    client.force_login(coordinator)
    response = client.post(publish_url(bare_draft), {"carry_over": ["none"]})
    assert response.status_code == 302
    bare_draft.refresh_from_db()
    assert bare_draft.status == Edition.Status.PUBLISHED
    assert not bare_draft.principles.exists()


def test_a_draft_with_every_part_is_published_without_a_question(client, coordinator, current):
    draft = services.edition_start_from_current(compact=current.compact, name="Full edition", by=coordinator)
    client.force_login(coordinator)
    assert "Parts this draft would drop" not in client.get(publish_url(draft)).content.decode()
    assert client.post(publish_url(draft)).status_code == 302


def test_carrying_over_never_doubles_a_part_the_draft_already_has(coordinator, current):
    draft = services.edition_start_from_current(compact=current.compact, name="Full edition", by=coordinator)
    services.edition_publish(edition=draft, by=coordinator, carry_over=["principles", "codes", "introduction"])
    assert draft.principles.count() == 2 and draft.codes_of_practice.count() == 1
