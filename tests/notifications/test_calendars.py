"""Calendar feeds, read back with the `icalendar` package as a calendar app would."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from commitments.models import Edition
from consultations.models import Consultation, PolicyArea
from funding.models import FundingNotice
from notifications.services import organisation_calendar_token, organisation_calendar_token_rotate
from signatories.models import Signature
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
OPENS, CLOSES, EFFECTIVE = D(2027, 3, 1), D(2027, 5, 23), D(2027, 7, 31)


@pytest.fixture
def current(compact) -> Edition:
    return PublishedEditionFactory(compact=compact)


@pytest.fixture
def council():
    return PublicBodyFactory(name="Riverside Borough Council")


@pytest.fixture
def food_bank():
    return OrganisationFactory(name="Riverside Food Bank")


def consultation(*, edition, body, title="Library opening hours", opens_on=OPENS, closes_on=CLOSES, **f):
    return Consultation.objects.create(
        compact=edition.compact,
        edition=edition,
        organisation=body,
        title=title,
        summary="How long should our libraries open?",
        policy_area=PolicyArea.CULTURE_LEISURE,
        opens_on=opens_on,
        closes_on=closes_on,
        contact_name="Jo Officer",
        contact_email="jo@riverside.gov.example",
        **f,
    )


def funding_notice(*, edition, issuer, recipient, effective_on=EFFECTIVE):
    return FundingNotice.objects.create(
        compact=edition.compact,
        edition=edition,
        issuer=issuer,
        recipient=recipient,
        change=FundingNotice.Change.ENDED,
        description="Grant for the holiday food programme",
        notice_given_on=D(2027, 3, 8),
        effective_on=effective_on,
        reasons="The programme ends.",
    )


def signs(organisation, edition, status=Signature.Status.SIGNED):
    return Signature.objects.create(organisation=organisation, edition=edition, status=status)


def compact_feed(client, compact):
    return client.get(reverse("notifications:compact_calendar", kwargs={"slug": compact.slug}))


def organisation_feed(client, organisation):
    token = organisation_calendar_token(organisation=organisation)
    return client.get(reverse("notifications:organisation_calendar", kwargs={"token": token}))


def events(response) -> dict[str, tuple[D, str]]:
    """UID → (day, summary), after checking the response is a well-formed calendar of all-day events."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    found = {}
    for event in calendar.walk("VEVENT"):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert type(start) is D and end == start + datetime.timedelta(days=1)  # all day (VALUE=DATE)
        assert "DTSTAMP" in event
        found[str(event["uid"])] = (start, str(event["summary"]))
    return found


def calendar_name(response) -> str:
    return str(Calendar.from_ical(response.content)["X-WR-CALNAME"])


# --- A Compact's public feed ------------------------------------------------------------------------------


def test_the_public_feed_has_each_consultations_closing_and_feedback_dates(client, compact, current, council):
    item = consultation(edition=current, body=council)
    elsewhere = consultation(edition=PublishedEditionFactory(compact=CompactFactory()), body=council, title="Not here")

    response = compact_feed(client, compact)

    assert events(response) == {
        f"consultation-{item.pk}-closes@127.0.0.1": (D(2027, 5, 23), "Consultation closes: Library opening hours"),
        # 12 weeks after closing is Sunday 15 August: due the next working day
        f"consultation-{item.pk}-feedback-due@127.0.0.1": (D(2027, 8, 16), "Feedback due: Library opening hours"),
    }
    assert f"consultation-{elsewhere.pk}" not in response.content.decode()
    assert calendar_name(response) == "Riverside Compact: consultation deadlines"
    assert "public" in response["Cache-Control"]


def test_the_description_links_to_the_consultation_on_the_portal(client, compact, current, council):
    item = consultation(edition=current, body=council)

    calendar = Calendar.from_ical(compact_feed(client, compact).content)

    for event in calendar.walk("VEVENT"):
        assert f"http://127.0.0.1:8000/consultations/{item.pk}/" in str(event["description"])
        assert str(event["url"]) == f"http://127.0.0.1:8000/consultations/{item.pk}/"
    assert "Riverside Borough Council" in str(calendar.walk("VEVENT")[0]["description"])


def test_the_public_feed_never_shows_funding_notices(client, compact, current, council, food_bank):
    funding_notice(edition=current, issuer=council, recipient=food_bank)
    consultation(edition=current, body=council)

    response = compact_feed(client, compact)

    assert not [uid for uid in events(response) if uid.startswith("funding")]
    assert "Grant for the holiday food programme" not in response.content.decode()
    assert "Riverside Food Bank" not in response.content.decode()


def test_uids_stay_the_same_across_requests_and_when_a_date_moves(client, compact, current, council):
    item = consultation(edition=current, body=council)
    first = events(compact_feed(client, compact))
    assert compact_feed(client, compact).content == compact_feed(client, compact).content

    item.closes_on = D(2027, 6, 6)
    item.save()
    moved = events(compact_feed(client, compact))

    assert set(moved) == set(first)
    assert moved[f"consultation-{item.pk}-closes@127.0.0.1"][0] == D(2027, 6, 6)
    assert moved[f"consultation-{item.pk}-feedback-due@127.0.0.1"][0] == D(2027, 8, 31)  # after the summer bank holiday
    assert D(2027, 5, 23) not in {day for day, _ in moved.values()}


def test_an_unknown_compact_has_no_feed(client):
    assert client.get(reverse("notifications:compact_calendar", kwargs={"slug": "nowhere"})).status_code == 404


def test_the_public_feed_takes_the_same_queries_for_1_or_10(
    client, compact, current, council, django_assert_max_num_queries
):
    consultation(edition=current, body=council)
    with CaptureQueriesContext(connection) as few:
        compact_feed(client, compact)
    for n in range(9):
        consultation(edition=current, body=PublicBodyFactory(), title=f"Consultation {n}")
    with django_assert_max_num_queries(len(few)):
        assert len(events(compact_feed(client, compact))) == 20


# --- An organisation's secret feed --------------------------------------------------------------------------


def test_the_organisation_feed_has_what_matters_to_it(client, compact, current, council, food_bank):
    signs(food_bank, current)
    open_to_it = consultation(edition=current, body=council)
    other_compact = PublishedEditionFactory(compact=CompactFactory())
    not_signed = consultation(edition=other_compact, body=council, title="Elsewhere")
    received = funding_notice(edition=current, issuer=council, recipient=food_bank)
    someone_elses = funding_notice(edition=current, issuer=council, recipient=OrganisationFactory())

    found = events(organisation_feed(client, food_bank))

    assert found == {
        f"consultation-{open_to_it.pk}-closes@127.0.0.1": (
            D(2027, 5, 23),
            "Consultation closes: Library opening hours",
        ),
        f"funding-{received.pk}-effective@127.0.0.1": (
            D(2027, 7, 31),
            "Funding change takes effect: Riverside Borough Council to Riverside Food Bank",
        ),
    }
    assert f"consultation-{not_signed.pk}" not in str(found)
    assert f"funding-{someone_elses.pk}" not in str(found)


def test_only_a_signature_of_the_current_edition_counts(client, compact, current, council, food_bank):
    old = PublishedEditionFactory(compact=compact, status=Edition.Status.SUPERSEDED)
    signs(food_bank, old)
    signs(food_bank, current, status=Signature.Status.REAFFIRMATION_REQUESTED)
    consultation(edition=current, body=council)

    assert events(organisation_feed(client, food_bank)) == {}


def test_a_public_body_sees_the_deadlines_of_its_own_consultations_and_notices(client, current, council, food_bank):
    ours = consultation(edition=current, body=council)
    given = funding_notice(edition=current, issuer=council, recipient=food_bank)

    response = organisation_feed(client, council)

    assert set(events(response)) == {
        f"consultation-{ours.pk}-closes@127.0.0.1",
        f"consultation-{ours.pk}-feedback-due@127.0.0.1",
        f"funding-{given.pk}-effective@127.0.0.1",
    }
    assert calendar_name(response) == "Riverside Borough Council: Compact deadlines"
    assert response["Cache-Control"].startswith("private")
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_wrong_or_replaced_token_is_a_404(client, food_bank):
    old = organisation_calendar_token(organisation=food_bank)
    assert (
        client.get(reverse("notifications:organisation_calendar", kwargs={"token": "not-a-token"})).status_code == 404
    )

    new = organisation_calendar_token_rotate(organisation=food_bank)

    assert new != old and len(new) >= 40
    assert client.get(reverse("notifications:organisation_calendar", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("notifications:organisation_calendar", kwargs={"token": new})).status_code == 200


def test_the_token_is_made_once(food_bank):
    first = organisation_calendar_token(organisation=food_bank)
    food_bank.refresh_from_db()

    assert organisation_calendar_token(organisation=food_bank) == first


def test_the_organisation_feed_takes_the_same_queries_for_a_few_or_many(
    client, current, council, food_bank, django_assert_max_num_queries
):
    signs(food_bank, current)
    organisation_calendar_token(organisation=food_bank)
    consultation(edition=current, body=council)
    funding_notice(edition=current, issuer=council, recipient=food_bank)
    with CaptureQueriesContext(connection) as few:
        organisation_feed(client, food_bank)
    for n in range(8):
        consultation(edition=current, body=PublicBodyFactory(), title=f"Consultation {n}")
        funding_notice(edition=current, issuer=PublicBodyFactory(), recipient=food_bank)
        consultation(edition=current, body=food_bank, title=f"Its own {n}")
    with django_assert_max_num_queries(len(few)):
        assert len(events(organisation_feed(client, food_bank))) == 2 + 8 + 8 + 16
