"""Calendar feeds hold a year back and onwards, and answer a calendar app that has them with 304.

Issue 17: a Compact's feed held every consultation ever. The day is fixed here (``TODAY``).
"""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from icalendar import Calendar

from tests.commitments.factories import PublishedEditionFactory
from tests.notifications.test_calendars import (
    compact_feed,
    consultation,
    events,
    funding_notice,
    organisation_feed,
    signs,
)
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2027, 6, 1)
A_YEAR_AGO = D(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    cache.clear()


@pytest.fixture
def current(compact):
    return PublishedEditionFactory(compact=compact)


@pytest.fixture
def council():
    return PublicBodyFactory(name="Riverside Borough Council")


def test_the_public_feed_holds_a_year_back_and_everything_ahead(client, compact, current, council):
    old = consultation(edition=current, body=council, title="Old", opens_on=D(2026, 2, 1), closes_on=D(2026, 5, 31))
    edge = consultation(edition=current, body=council, title="Edge", opens_on=D(2026, 3, 1), closes_on=A_YEAR_AGO)
    ahead = consultation(edition=current, body=council, title="Ahead", opens_on=D(2027, 5, 1), closes_on=D(2027, 8, 1))

    response = compact_feed(client, compact)
    found = events(response)

    assert f"consultation-{edge.pk}-closes@127.0.0.1" in found
    assert f"consultation-{ahead.pk}-feedback-due@127.0.0.1" in found
    assert not [uid for uid in found if uid.startswith(f"consultation-{old.pk}-")]
    assert min(day for day, _ in found.values()) >= A_YEAR_AGO
    assert str(Calendar.from_ical(response.content)["X-WR-CALDESC"]) == (
        "Dates from 1 June 2026 onwards. Earlier ones are on the portal."
    )


def test_the_window_moves_with_the_day(client, compact, current, council, monkeypatch):
    item = consultation(edition=current, body=council, opens_on=D(2026, 3, 1), closes_on=A_YEAR_AGO)
    assert f"consultation-{item.pk}-closes@127.0.0.1" in events(compact_feed(client, compact))

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY + datetime.timedelta(days=1))

    assert f"consultation-{item.pk}-closes@127.0.0.1" not in events(compact_feed(client, compact))


def test_the_organisation_feed_holds_a_year_back_too(client, compact, current, council):
    food_bank = OrganisationFactory(name="Riverside Food Bank")
    signs(food_bank, current)
    gone = funding_notice(edition=current, issuer=council, recipient=food_bank, effective_on=D(2026, 5, 31))
    coming = funding_notice(edition=current, issuer=council, recipient=food_bank, effective_on=D(2027, 7, 31))
    old = consultation(edition=current, body=council, title="Old", opens_on=D(2026, 2, 1), closes_on=D(2026, 5, 31))

    found = events(organisation_feed(client, food_bank))

    assert f"funding-{coming.pk}-effective@127.0.0.1" in found
    assert f"funding-{gone.pk}-effective@127.0.0.1" not in found
    assert not [uid for uid in found if uid.startswith(f"consultation-{old.pk}-")]


def test_the_calendar_page_says_what_the_feed_holds(client, current):
    member = OrganisationFactory()
    user = MembershipFactory(organisation=member).user
    client.force_login(user)
    response = client.get(reverse("notifications:organisation_calendar_page", kwargs={"pk": member.pk}))

    assert "holds the dates from a year ago onwards (today, from 1 June 2026)" in response.content.decode()


# --- Conditional GET --------------------------------------------------------------------------------


def test_a_calendar_app_that_has_the_feed_is_told_304_by_etag_or_date(client, compact, current, council):
    consultation(edition=current, body=council, closes_on=D(2027, 8, 1))
    url = reverse("notifications:compact_calendar", kwargs={"slug": compact.slug})
    first = client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=etag)
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)

    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == etag
    assert "public" in by_etag["Cache-Control"]
    assert by_date.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.parametrize("change", ["edit", "add", "delete", "rename the Compact", "language"])
def test_any_change_to_the_feed_is_a_new_version_served_at_once(client, compact, current, council, change):
    item = consultation(edition=current, body=council, closes_on=D(2027, 8, 1))
    kept = consultation(edition=current, body=council, title="Kept", closes_on=D(2027, 9, 1))
    url = reverse("notifications:compact_calendar", kwargs={"slug": compact.slug})
    first = client.get(url)
    query = ""
    if change == "edit":
        item.title = "Library opening hours, revised"
        item.save()
    elif change == "add":
        consultation(edition=current, body=council, title="New one", closes_on=D(2027, 10, 1))
    elif change == "delete":
        item.delete()
    elif change == "rename the Compact":
        compact.name = "Riverside and District"
        compact.save()
    else:
        query = "?lang=cy"

    again = client.get(url + query, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again.content != first.content
    assert f"consultation-{kept.pk}-closes@127.0.0.1" in events(again)


def test_the_organisation_feed_has_a_new_version_when_a_funding_notice_changes(client, compact, current, council):
    food_bank = OrganisationFactory(name="Riverside Food Bank")
    notice = funding_notice(edition=current, issuer=council, recipient=food_bank, effective_on=D(2027, 7, 31))
    first = organisation_feed(client, food_bank)
    token_url = first.wsgi_request.path
    assert client.get(token_url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert "private" in first["Cache-Control"]

    notice.effective_on = D(2027, 8, 31)
    notice.save()
    again = client.get(token_url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert events(again)[f"funding-{notice.pk}-effective@127.0.0.1"][0] == D(2027, 8, 31)
