"""Reminders about actions: due in two weeks, and overdue; each once; one bad action stops nothing."""

import datetime

import pytest
from django.core import mail

from actionplans import reminders, services
from actionplans.reminders import due_reminders
from notifications.reminders import reminders_sweep
from signatories.models import Membership
from tests.accounts.factories import UserFactory
from tests.actionplans.factories import ActionFactory
from tests.commitments.factories import CompactFactory
from tests.signatories.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 31)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def coordinator():
    return UserFactory(username="coordinator")


@pytest.fixture
def action(coordinator):
    compact = CompactFactory(coordinators=[coordinator])
    lead = OrganisationFactory(name="Riverside Food Bank")
    MembershipFactory(organisation=lead, user=UserFactory(username="lead-admin"), role=Membership.Role.ADMIN)
    MembershipFactory(organisation=lead, user=UserFactory(username="lead-member"))  # not an admin: not told
    person = UserFactory(username="lead-person")
    MembershipFactory(organisation=lead, user=person)
    return ActionFactory(
        compact=compact, lead_organisation=lead, lead_user=person, due_on=DUE, title="Run a Compact week"
    )


def emails(reminder) -> list[str]:
    return sorted(r.email for r in reminder.recipients)


def test_due_soon_two_weeks_before_not_fifteen_days(action):
    assert list(due_reminders(DUE - days(15))) == []
    [reminder] = due_reminders(DUE - days(14))
    assert (reminder.kind, reminder.subject_key, reminder.due_on) == (
        "action_due_soon",
        f"action:{action.pk}",
        DUE - days(14),
    )
    assert emails(reminder) == [
        "coordinator@example.org",
        "lead-admin@example.org",
        "lead-person@example.org",
    ]


def test_overdue_the_day_after_the_due_date(action):
    assert [r.kind for r in due_reminders(DUE)] == []
    [reminder] = due_reminders(DUE + days(1))
    assert reminder.kind == "action_overdue"


def test_nothing_about_an_action_done_or_dropped(action):
    services.action_set_status(action=action, status="done", by=None)
    assert list(due_reminders(DUE + days(1))) == []
    assert list(due_reminders(DUE - days(14))) == []


def test_each_reminder_is_sent_once_in_the_recipient_s_language(action, django_capture_on_commit_callbacks):
    action.title_cy = "Cynnal wythnos y Compact"
    action.save()
    welsh = action.lead_user
    welsh.language = "cy"
    welsh.save()
    for _ in range(2):  # a second sweep (or a retry) sends nothing more
        with django_capture_on_commit_callbacks(execute=True):
            reminders_sweep(today=DUE + days(1), sources=[reminders.due_reminders])
    by_address = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 3 == len(by_address)
    assert "Cynnal wythnos y Compact" in by_address["lead-person@example.org"].subject
    assert "Run a Compact week" in by_address["lead-admin@example.org"].subject
    assert action.get_absolute_url() in by_address["coordinator@example.org"].body


def test_a_welsh_first_compact_writes_in_welsh_to_whoever_has_not_chosen(action, django_capture_on_commit_callbacks):
    action.title_cy = "Cynnal wythnos y Compact"
    action.save()
    action.compact.welsh_first = True
    action.compact.save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep(today=DUE + days(1), sources=[reminders.due_reminders])
    assert {"Cynnal wythnos y Compact" in m.subject for m in mail.outbox} == {True}


def test_one_action_that_cannot_be_worked_out_does_not_stop_the_others(action, monkeypatch, coordinator):
    other = ActionFactory(compact=action.compact, due_on=DUE, lead_organisation=action.lead_organisation)
    real = reminders._reminders_of

    def broken(subject, today):
        if subject.pk == action.pk:
            raise ValueError("a bad record")
        return real(subject, today)

    monkeypatch.setattr(reminders, "_reminders_of", broken)
    result = reminders_sweep(today=DUE + days(1), sources=[reminders.due_reminders])
    assert {item.subject_key for item in result.items} == {f"action:{other.pk}"}
    assert result.broken == [f"action {action.pk}"]
