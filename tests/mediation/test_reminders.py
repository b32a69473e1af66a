"""Actions agreed in mediation on the exactly-once reminder sweep: due in two weeks, and overdue."""

import datetime

import pytest
from django.core import mail

from mediation import reminders, services
from mediation.models import Side
from notifications.reminders import reminders_sweep
from tests.mediation.factories import accredit, case_in_mediation

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 9, 1)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def agreed(compact, coordinator, edition, officer, vcs_member):
    mediator = accredit(compact=compact, by=coordinator, username="morag")
    food_bank, council = vcs_member.memberships.get().organisation, officer.memberships.get().organisation
    case = case_in_mediation(
        complainant=food_bank, respondent=council, edition=edition, by=vcs_member, withhold_name=True
    )
    mediation = services.mediator_appoint(mediation=case.mediation, mediator=mediator, by=coordinator)
    services.agreement_record(
        mediation=mediation, by=mediator.user, summary="Agreed.", actions=[("Restore the grant", Side.RESPONDENT, DUE)]
    )
    return mediation


def confirm_both(mediation, vcs_member, officer):
    services.agreement_confirm(mediation=mediation, by=vcs_member)
    services.agreement_confirm(mediation=mediation, by=officer)


def test_nothing_until_both_parties_confirm(agreed, vcs_member):
    services.agreement_confirm(mediation=agreed, by=vcs_member)
    assert list(reminders.due_reminders(DUE - days(14))) == []


def test_due_soon_and_overdue_to_the_owner_party_and_the_coordinator(agreed, vcs_member, officer, coordinator):
    confirm_both(agreed, vcs_member, officer)
    assert list(reminders.due_reminders(DUE - days(15))) == []
    [soon] = reminders.due_reminders(DUE - days(14))
    assert soon.kind == "agreement_action_due_soon"
    assert sorted(r.email for r in soon.recipients) == sorted([officer.email, coordinator.email])
    [late] = reminders.due_reminders(DUE + days(1))
    assert late.kind == "agreement_action_overdue"
    assert vcs_member.email not in [r.email for r in late.recipients]


def test_each_reminder_is_sent_once_and_never_names_a_withheld_complainant(
    agreed, vcs_member, officer, django_capture_on_commit_callbacks
):
    confirm_both(agreed, vcs_member, officer)
    mail.outbox.clear()
    for _ in range(2):  # a second sweep (or a retry) sends nothing more
        with django_capture_on_commit_callbacks(execute=True):
            reminders_sweep(today=DUE + days(1), sources=[reminders.due_reminders])
    to_officer = [m for m in mail.outbox if officer.email in m.to]
    assert len(to_officer) == 1
    assert "Restore the grant" in to_officer[0].body
    assert vcs_member.memberships.get().organisation.name not in to_officer[0].body
