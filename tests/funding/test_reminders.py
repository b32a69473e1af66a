"""Which funding-notice reminders are due on a day, and to whom (funding.reminders)."""

import datetime

import pytest
from django.core import mail
from django.template.loader import render_to_string

from funding.models import FundingNotice
from funding.reminders import due_reminders
from notifications.models import ReminderClaim
from notifications.reminders import reminders_sweep
from signatories.models import Membership, Organisation
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.notifications import at
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
RECORDED = D(2027, 3, 10)
GIVEN = D(2027, 3, 8)
EFFECTIVE = D(2027, 7, 31)  # more than 3 months on: enough notice
MONTH_BEFORE = D(2027, 6, 30)


def day_before(day: D) -> D:
    return day - datetime.timedelta(days=1)


# --- Helpers (the funding app's own factories are written elsewhere) -------------------------------


@pytest.fixture
def current(compact):
    return PublishedEditionFactory(compact=compact)


@pytest.fixture
def council() -> Organisation:
    body = PublicBodyFactory(name="Riverside Borough Council", contact_email="grants@riverside.gov.example")
    for _ in range(2):
        MembershipFactory(organisation=body)
    return body


@pytest.fixture
def food_bank() -> Organisation:
    group = OrganisationFactory(name="Riverside Food Bank", contact_email="hello@foodbank.example")
    MembershipFactory(organisation=group, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=group)
    return group


def notice(
    *, edition, issuer, recipient, recorded=RECORDED, given=GIVEN, effective=EFFECTIVE, hour=10, **fields
) -> FundingNotice:
    fields.setdefault("description", "Core grant for the advice service")
    item = FundingNotice.objects.create(
        compact=edition.compact,
        edition=edition,
        issuer=issuer,
        recipient=recipient,
        change=FundingNotice.Change.REDUCED,
        notice_given_on=given,
        effective_on=effective,
        reasons="The council's budget for 2027/28 is smaller.",
        **fields,
    )
    FundingNotice.objects.filter(pk=item.pk).update(created_at=at(recorded, hour))
    item.refresh_from_db()
    return item


def member_emails(*organisations) -> list[str]:
    return sorted(Membership.objects.filter(organisation__in=organisations).values_list("user__email", flat=True))


def due(today: D, kind: str | None = None) -> list:
    return [r for r in due_reminders(today) if kind is None or r.kind == kind]


def emails(reminders) -> list[str]:
    return sorted({r.email for reminder in reminders for r in reminder.recipients})


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(today: D):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep(today=today)

    return run


# --- Notice received ---------------------------------------------------------------------------------


def test_the_organisation_receiving_a_notice_hears_of_it_on_the_day_it_is_recorded(current, council, food_bank):
    item = notice(edition=current, issuer=council, recipient=food_bank)

    assert due(day_before(RECORDED)) == []
    [reminder] = due(RECORDED)

    assert reminder.kind == "funding_notice_received"
    assert reminder.subject_key == f"funding:{item.pk}"
    assert reminder.due_on == RECORDED
    assert reminder.link == item.get_absolute_url()
    assert emails([reminder]) == member_emails(food_bank)  # every member, not the council


def test_a_missed_day_is_caught_up_for_a_week(current, council, food_bank):
    notice(edition=current, issuer=council, recipient=food_bank)

    assert [r.due_on for r in due(RECORDED + datetime.timedelta(days=6))] == [RECORDED]
    assert due(RECORDED + datetime.timedelta(days=7)) == []


def test_the_day_it_was_recorded_is_a_day_in_london(current, council, food_bank):
    """Recorded at 00:30 on 2 June (British Summer Time), which is still 1 June in UTC."""
    notice(
        edition=current, issuer=council, recipient=food_bank, recorded=D(2027, 6, 2), hour=0, effective=D(2027, 12, 1)
    )

    assert due(D(2027, 6, 1)) == []
    assert [r.due_on for r in due(D(2027, 6, 2))] == [D(2027, 6, 2)]


def test_an_organisation_without_members_hears_through_its_contact_email(current, council):
    no_members = OrganisationFactory(contact_email="office@youth.example")
    notice(edition=current, issuer=council, recipient=no_members)

    assert emails(due(RECORDED)) == ["office@youth.example"]


# --- Not enough notice --------------------------------------------------------------------------------


def test_a_notice_shorter_than_the_minimum_is_reported_to_the_coordinators(current, council, food_bank, coordinator):
    second = UserFactory()
    current.compact.coordinators.add(second)
    item = notice(edition=current, issuer=council, recipient=food_bank, effective=D(2027, 4, 30))

    [reminder] = due(RECORDED, "funding_notice_non_compliant")

    assert reminder.subject_key == f"funding:{item.pk}"
    assert reminder.due_on == RECORDED
    assert emails([reminder]) == sorted([coordinator.email, second.email])
    [received] = due(RECORDED, "funding_notice_received")
    assert received.context["compliant"] is False


@pytest.mark.parametrize(
    ("fields", "reported"),
    [
        ({"effective": D(2027, 6, 8)}, False),  # exactly 3 calendar months
        ({"effective": D(2027, 6, 7)}, True),
        ({"effective": D(2027, 4, 30), "exceptional": True, "exceptional_reason": "The grant was withdrawn."}, False),
        ({"effective": D(2027, 4, 30), "exceptional": True, "exceptional_reason": "  "}, True),
    ],
)
def test_only_a_notice_that_breaks_the_compact_is_reported(current, council, food_bank, fields, reported):
    notice(edition=current, issuer=council, recipient=food_bank, **fields)

    assert bool(due(RECORDED, "funding_notice_non_compliant")) is reported


def test_the_minimum_is_the_editions(compact, council, food_bank):
    six_months = PublishedEditionFactory(compact=compact, funding_notice_min_months=6)
    notice(edition=six_months, issuer=council, recipient=food_bank)  # 4 months and 3 weeks

    assert len(due(RECORDED, "funding_notice_non_compliant")) == 1


# --- One month before the change ---------------------------------------------------------------------


def test_both_parties_are_reminded_a_calendar_month_before_the_change(current, council, food_bank):
    item = notice(edition=current, issuer=council, recipient=food_bank)

    assert due(day_before(MONTH_BEFORE)) == []
    reminders = due(MONTH_BEFORE)

    assert {r.kind for r in reminders} == {"funding_effective_1_month"}
    assert {r.due_on for r in reminders} == {MONTH_BEFORE}
    assert {r.subject_key for r in reminders} == {f"funding:{item.pk}"}
    assert emails(reminders) == member_emails(council, food_bank)
    assert {r.context["audience"]: emails([r]) for r in reminders} == {
        "issuer": member_emails(council),
        "recipient": member_emails(food_bank),
    }


@pytest.mark.parametrize(
    ("effective", "month_before"),
    [
        (D(2027, 5, 31), D(2027, 4, 30)),  # April has no 31st
        (D(2028, 3, 31), D(2028, 2, 29)),  # a leap year
        (D(2027, 3, 31), D(2027, 2, 28)),
    ],
)
def test_a_calendar_month_before_a_month_end(current, council, food_bank, effective, month_before):
    notice(
        edition=current,
        issuer=council,
        recipient=food_bank,
        recorded=D(2027, 1, 4),
        given=D(2027, 1, 4),
        effective=effective,
    )

    assert due(day_before(month_before), "funding_effective_1_month") == []
    assert {r.due_on for r in due(month_before, "funding_effective_1_month")} == {month_before}


def test_no_month_reminder_when_the_notice_was_recorded_later_than_that(current, council, food_bank):
    """Recorded on 10 March for 31 March: the notice itself told them; no reminder about 28 February."""
    notice(edition=current, issuer=council, recipient=food_bank, effective=D(2027, 3, 31))

    assert due(RECORDED, "funding_effective_1_month") == []
    assert due(D(2027, 3, 11), "funding_effective_1_month") == []


def test_a_public_body_without_members_is_reminded_through_its_contact(current, food_bank):
    lonely = PublicBodyFactory(contact_email="grants@nhs.example")
    notice(edition=current, issuer=lonely, recipient=food_bank)

    assert emails(due(MONTH_BEFORE)) == sorted(["grants@nhs.example", *member_emails(food_bank)])


def test_nobody_else_hears_of_a_notice(current, council, food_bank, coordinator):
    """Notices are confidential: other organisations, even signatories, are never told."""
    bystander = OrganisationFactory(wants_consultation_alerts=True)
    MembershipFactory(organisation=bystander)
    notice(edition=current, issuer=council, recipient=food_bank, effective=D(2027, 4, 30))

    everyone = emails([*due(RECORDED), *due(D(2027, 3, 30))])

    assert everyone == sorted([*member_emails(council, food_bank), coordinator.email])


# --- Through the sweep -------------------------------------------------------------------------------


def test_each_reminder_is_emailed_once_across_two_sweeps(current, council, food_bank, coordinator, sweep):
    notice(edition=current, issuer=council, recipient=food_bank, effective=D(2027, 4, 30))

    first, second = sweep(RECORDED), sweep(RECORDED + datetime.timedelta(days=1))

    assert (first.sent, second.sent, second.skipped) == (3, 0, 3)  # two food bank members, the coordinator
    assert sorted(m.to[0] for m in mail.outbox) == sorted([*member_emails(food_bank), coordinator.email])


def test_a_moved_effective_date_does_not_send_a_sent_reminder_again(current, council, food_bank, sweep):
    item = notice(edition=current, issuer=council, recipient=food_bank)
    assert sweep(MONTH_BEFORE).sent == 4
    item.effective_on = D(2027, 8, 31)
    item.save()

    assert sweep(D(2027, 7, 31)).sent == 0
    assert ReminderClaim.objects.filter(kind="funding_effective_1_month").count() == 4


def test_a_moved_effective_date_moves_the_reminder_not_yet_sent(current, council, food_bank, sweep):
    item = notice(edition=current, issuer=council, recipient=food_bank)
    sweep(RECORDED)
    item.effective_on = D(2027, 8, 31)
    item.save()

    assert sweep(MONTH_BEFORE).sent == 0
    assert sweep(D(2027, 7, 31)).sent == 4
    assert set(ReminderClaim.objects.filter(kind="funding_effective_1_month").values_list("due_on", flat=True)) == {
        D(2027, 7, 31)
    }


def test_the_emails_say_what_changes_and_link_to_the_notice(current, council, food_bank, coordinator, sweep):
    food_bank.name = "Riverside Food Bank & Pantry"
    food_bank.save()
    item = notice(edition=current, issuer=council, recipient=food_bank, effective=D(2027, 4, 30))
    url = f"http://127.0.0.1:8000/funding/{item.pk}/"

    def emails_on(day):
        mail.outbox.clear()
        sweep(day)
        for message in mail.outbox:
            assert url in message.body
            assert "Riverside Food Bank & Pantry" in message.body  # not escaped
            assert "30 April 2027" in message.body
        return {message.to[0]: message for message in mail.outbox}

    recorded = emails_on(RECORDED)
    assert sorted(recorded) == sorted([*member_emails(food_bank), coordinator.email])
    received = recorded[member_emails(food_bank)[0]]
    assert "Riverside Borough Council" in received.subject
    assert "8 March 2027" in received.body
    assert "less notice than" in received.body  # 3 months are asked for; not 2 months after 8 March
    reported = recorded[coordinator.email]
    assert "Riverside Borough Council" in reported.subject and "Riverside Food Bank & Pantry" in reported.subject
    assert "3 months" in reported.body

    month_before = emails_on(D(2027, 3, 30))
    assert sorted(month_before) == member_emails(council, food_bank)
    assert all("In one month" in m.subject for m in month_before.values())
    assert month_before[member_emails(council)[0]].subject != month_before[member_emails(food_bank)[0]].subject


# --- Queries ----------------------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_reminders(current, council, food_bank, django_assert_num_queries):
    """Four queries for everything the emails need, whether 3 or 15 reminders are due."""

    def render_all(today):
        reminders = due(today)
        for reminder in reminders:
            for recipient in reminder.recipients:
                render_to_string(reminder.template, {**reminder.context, "recipient": recipient, "link": "x"})
        return reminders

    notice(edition=current, issuer=council, recipient=food_bank, effective=D(2027, 4, 30))  # received, reported
    notice(edition=current, issuer=council, recipient=food_bank, recorded=D(2027, 1, 4), effective=D(2027, 4, 10))
    with django_assert_num_queries(4):  # notices, recipients' members, issuers' members, coordinators
        assert len(render_all(RECORDED)) == 4

    for _ in range(4):
        edition = PublishedEditionFactory(compact=CompactFactory(coordinators=[UserFactory()]))
        body, group = PublicBodyFactory(), OrganisationFactory()
        MembershipFactory(organisation=body)
        MembershipFactory(organisation=group)
        notice(edition=edition, issuer=body, recipient=group, effective=D(2027, 4, 30))
        notice(edition=edition, issuer=body, recipient=group, recorded=D(2027, 1, 4), effective=D(2027, 4, 10))
    with django_assert_num_queries(4):
        assert len(render_all(RECORDED)) == 4 * 5
