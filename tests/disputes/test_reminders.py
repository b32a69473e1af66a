"""Which breach-concern reminders are due on a day, and to whom (disputes.reminders)."""

import datetime

import pytest
from django.core import mail

from disputes.models import Case
from disputes.reminders import DUE_SOON, OVERDUE, due_reminders
from notifications.models import Notification
from notifications.reminders import reminders_sweep
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
# Due on Friday 2 April 2027. Five working days before it, across Good Friday (26 March) and
# Easter Monday (29 March): Wednesday 24 March.
DUE = D(2027, 4, 2)
DUE_SOON_DAY = D(2027, 3, 24)
OVERDUE_DAY = D(2027, 4, 3)


def make_case(edition, complainant, respondent, *, stage=Case.Stage.FORMAL, due=DUE, **fields) -> Case:
    case = Case.objects.create(
        compact=edition.compact,
        edition=edition,
        complainant=complainant,
        respondent=respondent,
        summary="Grant cut without notice",
        what_happened="The grant was ended by email.",
        happened_on=D(2027, 1, 11),
        outcome_sought="Restore it.",
        stage=stage,
        stage_started_on=D(2027, 2, 1),
        stage_due_on=due,
        **fields,
    )
    case.undertakings.set(edition.undertakings.all()[:1])
    return case


@pytest.fixture
def complainant(vcs_member):
    return vcs_member.memberships.get().organisation


@pytest.fixture
def respondent(officer):
    return officer.memberships.get().organisation


@pytest.fixture
def case(edition, complainant, respondent) -> Case:
    return make_case(edition, complainant, respondent)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(today: D):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep(today=today)

    return run


def due(today: D, kind: str | None = None) -> list:
    return [r for r in due_reminders(today) if kind is None or r.kind == kind]


def emails(reminders) -> list[str]:
    return sorted({r.email for reminder in reminders for r in reminder.recipients})


def test_due_soon_five_working_days_before_counting_the_easter_bank_holidays(case, officer, coordinator):
    assert due(DUE_SOON_DAY - datetime.timedelta(days=1)) == []
    reminders = due(DUE_SOON_DAY)
    assert {r.kind for r in reminders} == {DUE_SOON}
    assert {r.due_on for r in reminders} == {DUE_SOON_DAY}
    assert {r.subject_key for r in reminders} == {f"case:{case.pk}:formal"}
    assert emails(reminders) == sorted([officer.email, coordinator.email])


def test_overdue_the_day_after_the_due_date(case, officer, coordinator):
    assert due(DUE, OVERDUE) == []
    reminders = due(OVERDUE_DAY, OVERDUE)
    assert {r.due_on for r in reminders} == {OVERDUE_DAY}
    assert emails(reminders) == sorted([officer.email, coordinator.email])


def test_in_mediation_only_the_coordinator_is_reminded(edition, complainant, respondent, coordinator):
    make_case(edition, complainant, respondent, stage=Case.Stage.MEDIATION)
    assert emails(due(DUE_SOON_DAY)) == [coordinator.email]
    assert emails(due(OVERDUE_DAY)) == [coordinator.email]


def test_a_concern_held_for_the_coordinators_check_reminds_only_the_coordinator(
    edition, complainant, respondent, coordinator
):
    make_case(edition, complainant, respondent, withhold_name=True, check_status="pending")
    assert emails(due(DUE_SOON_DAY)) == [coordinator.email]
    assert emails(due(OVERDUE_DAY)) == [coordinator.email]


def test_a_respondent_without_members_is_reminded_at_its_contact(edition, complainant, coordinator):
    body = PublicBodyFactory(contact_email="compact@harbour.gov.example")
    make_case(edition, complainant, body, stage=Case.Stage.INFORMAL)
    assert emails(due(DUE_SOON_DAY)) == sorted(["compact@harbour.gov.example", coordinator.email])


def test_closed_and_escalated_cases_have_no_reminders(edition, complainant, respondent):
    make_case(edition, complainant, respondent, stage=Case.Stage.ESCALATED, due=None)
    make_case(edition, complainant, respondent, stage=Case.Stage.CLOSED, outcome=Case.Outcome.RESOLVED, closed_on=DUE)
    assert due(DUE_SOON_DAY) == []
    assert due(OVERDUE_DAY) == []


def test_each_reminder_is_sent_once_across_two_sweeps(case, officer, coordinator, sweep):
    first = sweep(DUE_SOON_DAY)
    assert first.sent == 2
    again = sweep(DUE_SOON_DAY + datetime.timedelta(days=1))  # within the catch-up days
    assert again.sent == 0
    assert Notification.objects.filter(kind=DUE_SOON).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, coordinator.email])

    sweep(OVERDUE_DAY)
    sweep(OVERDUE_DAY)
    assert Notification.objects.filter(kind=OVERDUE).count() == 2


def test_a_new_stage_gets_new_reminders(case, coordinator, sweep):
    sweep(DUE_SOON_DAY)
    case.stage = Case.Stage.MEDIATION
    case.stage_started_on = DUE_SOON_DAY
    case.stage_due_on = DUE  # same due date, a different stage
    case.save()
    result = sweep(DUE_SOON_DAY)
    assert result.sent == 1
    assert Notification.objects.filter(kind=DUE_SOON, email=coordinator.email).count() == 2


def test_a_withheld_name_is_not_in_the_respondents_emails(case, officer, coordinator, sweep):
    case.withhold_name = True
    case.save()
    sweep(DUE_SOON_DAY)
    sweep(OVERDUE_DAY)
    to_respondent = [m for m in mail.outbox if m.to == [officer.email]]
    to_coordinator = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(to_respondent) == 2 and len(to_coordinator) == 2
    for message in to_respondent:
        assert "Riverside Food Bank" not in message.subject + message.body
        assert "name withheld" in message.body
        assert case.reference in message.subject
    for message in to_coordinator:
        assert "Riverside Food Bank" in message.body


def test_the_query_count_does_not_grow_with_the_cases(edition, complainant, respondent, django_assert_num_queries):
    make_case(edition, complainant, respondent)
    with django_assert_num_queries(3):
        assert len(due(DUE_SOON_DAY)) == 2
    for _ in range(4):
        other = OrganisationFactory()
        MembershipFactory(organisation=other)
        body = PublicBodyFactory()
        MembershipFactory(organisation=body)
        make_case(edition, other, body)
    with django_assert_num_queries(3):
        assert len(due(DUE_SOON_DAY)) == 10
