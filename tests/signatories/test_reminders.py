"""Which signature reminders are due on a day, and to whom (signatories.reminders)."""

import datetime

import pytest
from django.template.loader import render_to_string

from commitments.models import Nation
from signatories import services
from signatories.reminders import due_reminders
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.notifications import admin_emails, applied, asked_to_reaffirm

pytestmark = pytest.mark.django_db

REQUESTED = datetime.date(2027, 3, 1)


def day(n: int) -> datetime.date:
    return REQUESTED + datetime.timedelta(days=n)


def due(today: datetime.date, kind: str | None = None) -> list:
    return [r for r in due_reminders(today) if kind is None or r.kind == kind]


def emails(reminder) -> list[str]:
    return sorted(r.email for r in reminder.recipients)


@pytest.fixture
def new_edition(compact):
    return PublishedEditionFactory(compact=compact, name="Refreshed Compact 2027")


# --- Re-affirmation: 2 and 4 weeks after the request ---------------------------------------------


def test_the_first_reaffirmation_reminder_is_due_14_days_after_the_request_not_13(new_edition):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)

    assert due(day(13)) == []
    [reminder] = due(day(14))

    assert reminder.kind == "reaffirm_2_weeks"
    assert reminder.subject_key == f"signature:{signature.pk}"
    assert reminder.due_on == day(14)
    assert reminder.link == signature.get_absolute_url()
    assert emails(reminder) == admin_emails(signature)


def test_the_second_reaffirmation_reminder_is_due_28_days_after_the_request_not_27(new_edition):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)

    assert due(day(27), "reaffirm_4_weeks") == []
    [reminder] = due(day(28))

    assert reminder.kind == "reaffirm_4_weeks"
    assert reminder.due_on == day(28)
    assert reminder.subject_key == f"signature:{signature.pk}"


def test_a_missed_day_is_caught_up_for_a_week_and_then_left(new_edition):
    asked_to_reaffirm(edition=new_edition, on=REQUESTED)

    assert [r.kind for r in due(day(20))] == ["reaffirm_2_weeks"]
    assert due(day(21)) == []  # the 2-week reminder is over; the 4-week one is not due yet
    assert [r.kind for r in due(day(34))] == ["reaffirm_4_weeks"]
    assert due(day(35)) == []


def test_the_days_are_counted_in_london_time(new_edition):
    """Asked at 00:30 on 2 June (British Summer Time), which is still 1 June in UTC."""
    asked_to_reaffirm(edition=new_edition, on=datetime.date(2027, 6, 2), hour=0)

    assert due(datetime.date(2027, 6, 15)) == []
    assert [r.due_on for r in due(datetime.date(2027, 6, 16))] == [datetime.date(2027, 6, 16)]


def test_no_reminder_once_the_organisation_has_reaffirmed(new_edition):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    admin = signature.organisation.memberships.get().user

    services.signature_reaffirm(
        signature=signature, by=admin, signatory_name="Ann Chair", signatory_role="Chair", signed_on=day(3)
    )

    assert due(day(14)) == []
    assert due(day(28)) == []


def test_no_reminder_once_the_signature_is_withdrawn(new_edition):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)

    services.signature_withdraw(signature=signature, by=None, reason="We have closed.")

    assert due(day(14)) == []


def test_no_reminder_for_an_edition_replaced_since_the_request(new_edition):
    """A newer edition asks the organisation again; it is reminded of that request, not both."""
    asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    assert len(due(day(14))) == 1
    new_edition.status = new_edition.Status.SUPERSEDED
    new_edition.save(update_fields=["status"])
    assert due(day(14)) == []


def test_the_reaffirmation_reminder_goes_to_the_admins_not_to_plain_members(new_edition):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED, admins=2, members=3, contact_email="info@x.org")

    [reminder] = due(day(14))

    assert len(admin_emails(signature)) == 2
    assert emails(reminder) == admin_emails(signature)


def test_an_inactive_admin_is_not_reminded(new_edition):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED, admins=2)
    gone = signature.organisation.memberships.first().user
    gone.is_active = False
    gone.save()

    [reminder] = due(day(14))

    assert gone.email not in emails(reminder)
    assert len(reminder.recipients) == 1


def test_without_admins_the_reminder_goes_to_the_contact_email(new_edition):
    asked_to_reaffirm(edition=new_edition, on=REQUESTED, admins=0, members=2, contact_email="hello@foodbank.org")

    [reminder] = due(day(14))

    assert emails(reminder) == ["hello@foodbank.org"]


def test_without_admins_or_a_contact_email_there_is_no_one_to_remind(new_edition):
    asked_to_reaffirm(edition=new_edition, on=REQUESTED, admins=0, members=1)

    assert due(day(14)) == []


# --- Sign-ups waiting for approval for more than 10 working days --------------------------------


def test_an_application_waiting_more_than_10_working_days_reminds_each_coordinator():
    first, second = UserFactory(), UserFactory()
    edition = PublishedEditionFactory(compact=CompactFactory(coordinators=[first, second]))
    monday = datetime.date(2027, 3, 1)
    signature = applied(edition=edition, on=monday)

    # Ten working days later (Monday 15 March) it has waited 10 working days, not more.
    assert due(datetime.date(2027, 3, 15)) == []
    [reminder] = due(datetime.date(2027, 3, 16))

    assert reminder.kind == "approval_waiting"
    assert reminder.subject_key == f"signature:{signature.pk}"
    assert reminder.due_on == datetime.date(2027, 3, 16)
    assert emails(reminder) == sorted([first.email, second.email])


@pytest.mark.parametrize(
    ("nation", "not_yet", "due_on"),
    [
        # Applied Thursday 18 December 2025. England: Christmas Day, Boxing Day, New Year's Day off.
        (Nation.ENGLAND, datetime.date(2026, 1, 6), datetime.date(2026, 1, 7)),
        # Scotland also has 2 January off.
        (Nation.SCOTLAND, datetime.date(2026, 1, 7), datetime.date(2026, 1, 8)),
    ],
)
def test_working_days_skip_the_bank_holidays_of_the_compacts_nation(nation, not_yet, due_on):
    edition = PublishedEditionFactory(compact=CompactFactory(nation=nation, coordinators=[UserFactory()]))
    applied(edition=edition, on=datetime.date(2025, 12, 18))

    assert due(not_yet) == []
    assert [r.due_on for r in due(due_on)] == [due_on]


def test_no_approval_reminder_once_the_application_is_decided(compact, coordinator):
    edition = PublishedEditionFactory(compact=compact)
    signature = applied(edition=edition, on=datetime.date(2027, 3, 1))

    services.signature_approve(signature=signature, by=coordinator)

    assert due(datetime.date(2027, 3, 16)) == []


def test_no_approval_reminder_for_a_compact_without_coordinators():
    edition = PublishedEditionFactory(compact=CompactFactory())
    applied(edition=edition, on=datetime.date(2027, 3, 1))

    assert due(datetime.date(2027, 3, 16)) == []


# --- Queries ------------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_reminders(new_edition, django_assert_num_queries):
    """Four queries for everything the emails need, whether 1 or 12 reminders are due."""

    def render_all(today):
        reminders = due(today)
        for reminder in reminders:
            for recipient in reminder.recipients:
                render_to_string(reminder.template, {**reminder.context, "recipient": recipient, "link": reminder.link})
        return reminders

    asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    applied(edition=new_edition, on=day(-3))  # Friday 26 February: due on Monday 15 March
    with django_assert_num_queries(4):
        assert len(render_all(day(14))) == 2

    for _ in range(5):
        asked_to_reaffirm(edition=new_edition, on=REQUESTED, admins=2, members=1)
        applied(edition=PublishedEditionFactory(compact=CompactFactory(coordinators=[UserFactory()])), on=day(-3))
    with django_assert_num_queries(4):
        assert len(render_all(day(14))) == 12


def test_the_reminder_emails_say_what_to_do(new_edition):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    waiting = applied(edition=new_edition, on=day(-3))
    waiting.organisation.name = "Smith & Jones' Trust"
    waiting.organisation.save()
    reminders = {r.kind: r for r in [*due(day(14)), *due(day(28))]}

    def render(kind):
        reminder = reminders[kind]
        context = {**reminder.context, "recipient": reminder.recipients[0], "link": "https://portal.test/x/"}
        return render_to_string(reminder.template, context)

    two_weeks, four_weeks, waiting_text = (
        render("reaffirm_2_weeks"),
        render("reaffirm_4_weeks"),
        render("approval_waiting"),
    )
    assert two_weeks.startswith("Reminder: please re-affirm your signature of Riverside Compact\n")
    assert "On 1 March 2027 we asked" in two_weeks
    assert signature.organisation.name in two_weeks
    assert "https://portal.test/x/" in two_weeks
    assert four_weeks.startswith("Last reminder: please re-affirm")
    assert waiting_text.startswith("Waiting for your approval: Smith & Jones' Trust’s application")  # not escaped
    assert "applied on 26 February 2027" in waiting_text
    assert "more than 10 working days" in waiting_text
