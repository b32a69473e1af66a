"""A date stored before typed dates were checked (31 December 9999) breaks nothing for anyone:
not the consultation pages, not the calendars, not the reminder sweep. And one source or subject
the sweep cannot work out is logged and left out, while everything else is sent."""

import datetime
import logging

import pytest
from django.core import mail
from django.urls import reverse

from consultations import reminders as consultation_reminders
from consultations.models import Consultation, PolicyArea
from funding.models import FundingNotice
from notifications.reminders import DueReminder, reminders_sweep
from notifications.services import Recipient, organisation_calendar_token
from signatories.models import Membership, Signature
from tests.commitments.factories import PublishedEditionFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
OPENS = D(2027, 3, 1)
CLOSES = D(2027, 5, 23)
FAR = D(9999, 12, 31)


@pytest.fixture
def current(compact):
    return PublishedEditionFactory(compact=compact, name="Refreshed Compact 2027")


@pytest.fixture
def council():
    body = PublicBodyFactory(name="Riverside Borough Council")
    MembershipFactory(organisation=body)
    return body


@pytest.fixture
def food_bank(current):
    """A signatory of the current edition that asked to hear when a consultation opens."""
    organisation = OrganisationFactory(name="Riverside Food Bank", wants_consultation_alerts=True)
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN, user__email="admin@foodbank.example")
    Signature.objects.create(
        organisation=organisation, edition=current, status=Signature.Status.SIGNED, signed_on=D(2026, 5, 1)
    )
    return organisation


def consultation(*, edition, body, title, opens_on=OPENS, closes_on=CLOSES) -> Consultation:
    return Consultation.objects.create(
        compact=edition.compact,
        edition=edition,
        organisation=body,
        title=title,
        summary="What we propose.",
        policy_area=PolicyArea.HOUSING,
        opens_on=opens_on,
        closes_on=closes_on,
        contact_name="Jo Officer",
        contact_email="jo@riverside.gov.example",
    )


@pytest.fixture
def far_consultation(current, council):
    """Saved directly, as a row stored before the range was checked would be."""
    return consultation(edition=current, body=council, title="Mistyped closing year", closes_on=FAR)


@pytest.fixture
def far_notice(current, council, food_bank):
    return FundingNotice.objects.create(
        compact=current.compact,
        edition=current,
        issuer=council,
        recipient=food_bank,
        change=FundingNotice.Change.ENDED,
        description="Grant for the holiday food programme",
        notice_given_on=D(2026, 11, 2),
        effective_on=FAR,
        reasons="The programme ends.",
    )


def sweep(django_capture_on_commit_callbacks, today, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return reminders_sweep(today=today, **kwargs)


def subjects_emailed() -> set[str]:
    return {message.subject for message in mail.outbox}


# --- Pages and calendars ------------------------------------------------------------------------------


def test_the_consultation_list_and_page_still_work_for_everyone(client, far_consultation, current, council):
    ordinary = consultation(edition=current, body=council, title="Library opening hours")
    listing = client.get(reverse("consultations:list"))
    assert listing.status_code == 200
    assert "Mistyped closing year" in listing.content.decode()
    assert "Library opening hours" in listing.content.decode()
    page = client.get(far_consultation.get_absolute_url())
    assert page.status_code == 200
    assert "31 December 9999" in page.content.decode()
    assert client.get(ordinary.get_absolute_url()).status_code == 200


def test_the_compacts_calendar_leaves_out_only_what_no_calendar_can_hold(
    client, far_consultation, current, council, compact
):
    ordinary = consultation(edition=current, body=council, title="Library opening hours")
    response = client.get(reverse("notifications:compact_calendar", kwargs={"slug": compact.slug}))
    assert response.status_code == 200
    feed = response.content.decode()
    assert f"consultation-{ordinary.pk}-closes@" in feed
    assert f"consultation-{far_consultation.pk}-closes@" not in feed


def test_a_far_future_funding_notice_breaks_neither_organisations_calendar(client, far_notice, council, food_bank):
    for organisation in (council, food_bank):
        token = organisation_calendar_token(organisation=organisation)
        response = client.get(reverse("notifications:organisation_calendar", kwargs={"token": token}))
        assert response.status_code == 200
        assert b"BEGIN:VCALENDAR" in response.content


def test_the_funding_pages_still_work_with_a_far_future_notice(client, far_notice, council):
    client.force_login(council.memberships.get().user)
    assert client.get(reverse("funding:list")).status_code == 200
    assert client.get(far_notice.get_absolute_url()).status_code == 200


# --- The sweep ----------------------------------------------------------------------------------------


def test_a_far_future_consultation_does_not_stop_the_sweep(
    django_capture_on_commit_callbacks, current, council, food_bank, far_notice
):
    """Both open on the same day: the alert of each goes out, and nothing is left out."""
    far = consultation(edition=current, body=council, title="Mistyped closing year", closes_on=FAR)
    ordinary = consultation(edition=current, body=council, title="Library opening hours")
    result = sweep(django_capture_on_commit_callbacks, OPENS)
    opened = {item.subject_key for item in result.items if item.kind == "consultation_opened"}
    assert opened == {f"consultation:{far.pk}", f"consultation:{ordinary.pk}"}
    assert result.sent == len(result.items) and result.broken == []
    assert "admin@foodbank.example" in {message.to[0] for message in mail.outbox}


def test_one_consultation_that_cannot_be_worked_out_is_logged_and_the_others_are_sent(
    django_capture_on_commit_callbacks, current, council, food_bank, monkeypatch, caplog
):
    broken = consultation(edition=current, body=council, title="Broken one")
    ordinary = consultation(edition=current, body=council, title="Library opening hours")
    real = consultation_reminders._opening_reminders

    def opening_reminders(item, today, alerted):
        if item.pk == broken.pk:
            raise OverflowError("date value out of range")
        return real(item, today, alerted)

    monkeypatch.setattr(consultation_reminders, "_opening_reminders", opening_reminders)
    with caplog.at_level(logging.ERROR, logger="notifications.reminders"):
        result = sweep(django_capture_on_commit_callbacks, OPENS)
    assert {item.subject_key for item in result.items} == {f"consultation:{ordinary.pk}"}
    assert result.sent == 1
    assert result.broken == [f"consultation {broken.pk}"]
    assert f"consultation {broken.pk}" in caplog.text and "OverflowError" in caplog.text


def test_a_source_that_fails_is_logged_and_the_other_sources_are_sent(django_capture_on_commit_callbacks, caplog):
    def reminder(subject: str) -> DueReminder:
        return DueReminder(
            kind="reaffirm_2_weeks",
            subject_key=subject,
            recipients=[Recipient(email=f"{subject.replace(':', '-')}@example.org")],
            due_on=OPENS,
            template="signatories/emails/reminder_reaffirm_2_weeks.txt",
        )

    def broken_source(today):
        yield reminder("half:1")  # found before it failed: still sent
        raise OverflowError("date value out of range")

    def failing_at_once(today):
        raise RuntimeError("a bug")

    def good_source(today):
        yield reminder("good:1")

    with caplog.at_level(logging.ERROR, logger="notifications.reminders"):
        result = sweep(django_capture_on_commit_callbacks, OPENS, sources=[broken_source, failing_at_once, good_source])
    assert sorted(item.subject_key for item in result.items) == ["good:1", "half:1"]
    assert result.sent == 2
    assert len(result.broken) == 2
    assert "broken_source" in result.broken[0] and "failing_at_once" in result.broken[1]
    assert "RuntimeError: a bug" in caplog.text
