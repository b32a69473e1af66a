"""The Compact list keeps its written rows under a hash of what they show (issue 17: half the
admin's time at national scale): any change to what a row shows is on the next request."""

import datetime

import pytest
from django.urls import reverse

from commitments.models import Edition
from tests.commitments.factories import CompactFactory, EditionFactory, PublishedEditionFactory

pytestmark = pytest.mark.django_db
URL = reverse("commitments:compact_list")


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_renamed_compact_and_a_newly_published_edition_show_at_once(client):
    compact = CompactFactory(name="Riverside Compact", area="Riverside")
    draft = EditionFactory(compact=compact, name="Refreshed edition")
    assert "Riverside Compact" in page(client)
    assert "Not published yet" in page(client)

    compact.name = "Riverside and District Compact"
    compact.save()
    draft.status = Edition.Status.PUBLISHED
    draft.published_on = datetime.date(2026, 5, 1)
    draft.save()
    html = page(client)

    assert "Riverside and District Compact" in html
    assert "Refreshed edition, published 1 May 2026" in html
    assert "Not published yet" not in html


def test_a_new_compact_shows_at_once_and_welsh_readers_get_their_own_rows(client):
    PublishedEditionFactory(compact=CompactFactory(name="Riverside Compact", name_cy="Compact Glan yr Afon"))
    assert "Riverside Compact" in page(client)
    CompactFactory(name="Hillside Compact")
    assert "Hillside Compact" in page(client)

    client.cookies.load({"django_language": "cy"})
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="cy")
    assert "Compact Glan yr Afon" in response.content.decode()
