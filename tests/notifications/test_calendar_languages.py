"""Calendar feeds in their reader's language: a Compact's public feed in the Compact's (Welsh for a
Welsh-first one) or the one its address asks for; an organisation's feed in its member's."""

import pytest
from django.urls import reverse

from notifications.services import organisation_calendar_token
from tests.notifications.test_calendars import (
    calendar_name,
    compact_feed,
    consultation,
    council,  # noqa: F401 (fixtures)
    current,  # noqa: F401
    events,
)
from tests.signatories.factories import MembershipFactory
from tests.support.catalogue import welsh_catalogue

pytestmark = pytest.mark.django_db

WELSH = {
    "%(compact)s: consultation deadlines": "%(compact)s: dyddiadau cau ymgynghoriadau",
    "Consultation closes: %(title)s": "Ymgynghoriad yn cau: %(title)s",
}


@pytest.fixture(autouse=True)
def welsh(tmp_path):
    with welsh_catalogue(tmp_path, WELSH):
        yield


def summaries(response) -> set[str]:
    return {summary for _day, summary in events(response).values()}


def test_a_compact_that_is_not_welsh_first_has_an_english_feed_unless_asked(client, compact, current, council):  # noqa: F811
    consultation(edition=current, body=council)
    compact.name_cy = "Compact Glan yr Afon"
    compact.save()
    english = compact_feed(client, compact)
    assert calendar_name(english) == "Riverside Compact: consultation deadlines"
    assert "Consultation closes: Library opening hours" in summaries(english)
    # The reader's browser does not change a feed a shared cache keeps one copy of.
    url = reverse("notifications:compact_calendar", kwargs={"slug": compact.slug})
    assert client.get(url, headers={"accept-language": "cy"}).content == english.content
    welsh = client.get(url + "?lang=cy")
    assert calendar_name(welsh) == "Compact Glan yr Afon: dyddiadau cau ymgynghoriadau"
    assert "Ymgynghoriad yn cau: Library opening hours" in summaries(welsh)


def test_a_welsh_first_compacts_feed_is_welsh_unless_english_is_asked_for(client, compact, current, council):  # noqa: F811
    consultation(edition=current, body=council)
    compact.welsh_first = True
    compact.save()
    welsh = compact_feed(client, compact)
    assert "Ymgynghoriad yn cau: Library opening hours" in summaries(welsh)
    url = reverse("notifications:compact_calendar", kwargs={"slug": compact.slug})
    assert "Consultation closes: Library opening hours" in summaries(client.get(url + "?lang=en"))


def test_a_welsh_speaking_member_is_given_the_welsh_address_of_the_organisations_feed(client, current, council):  # noqa: F811
    consultation(edition=current, body=council)
    member = MembershipFactory(organisation=council, user__language="cy").user
    client.force_login(member)
    page = client.get(reverse("notifications:organisation_calendar_page", kwargs={"pk": council.pk})).content.decode()
    token = organisation_calendar_token(organisation=council)
    path = reverse("notifications:organisation_calendar", kwargs={"token": token})
    assert f"{path}?lang=cy" in page
    feed = client.get(f"{path}?lang=cy")
    assert "Ymgynghoriad yn cau: Library opening hours" in summaries(feed)
    assert "Consultation closes: Library opening hours" in summaries(client.get(path))
