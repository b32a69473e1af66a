"""The running body stops a consultation's alerts to a named signatory organisation, with a reason:
a form on a page linked from the consultation's page (for those who manage it); the alert reminders
then skip that organisation, and only that one."""

import pytest
from django.urls import reverse

from consultations import services
from consultations.models import AlertStop
from tests.consultations.test_reminders import FOUR_WEEKS_BEFORE, consultation, due, member_emails, signatory
from tests.signatories.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def current(compact):
    from tests.commitments.factories import PublishedEditionFactory

    return PublishedEditionFactory(compact=compact, name="Refreshed Compact 2027")


@pytest.fixture
def setting(current, officer):
    council = officer.organisations.get()
    running = consultation(edition=current, body=council)
    stopped, kept = signatory(current), signatory(current)
    return running, stopped, kept


def alerts_url(running):
    return reverse("consultations:alerts", kwargs={"pk": running.pk})


def test_the_body_stops_the_alerts_to_one_organisation_and_the_reminders_skip_only_it(client, setting, officer):
    running, stopped, kept = setting
    before = {email for r in due(FOUR_WEEKS_BEFORE) for email in (x.email for x in r.recipients)}
    assert set(member_emails(stopped, kept)) <= before
    client.force_login(officer)
    detail = client.get(running.get_absolute_url()).content.decode()
    assert alerts_url(running) in detail  # reachable from the consultation's page
    response = client.post(alerts_url(running), {"organisation": stopped.pk, "reason": "It has closed down."})
    assert response.status_code == 302
    stop = AlertStop.objects.get()
    assert (stop.organisation, stop.reason, stop.stopped_by) == (stopped, "It has closed down.", officer)
    after = {email for r in due(FOUR_WEEKS_BEFORE) for email in (x.email for x in r.recipients)}
    assert not set(member_emails(stopped)) & after
    assert set(member_emails(kept)) <= after
    page = client.get(alerts_url(running)).content.decode()
    assert "It has closed down." in page
    # It is no longer offered: its alerts are stopped already.
    assert f'value="{stopped.pk}"' not in page and f'value="{kept.pk}"' in page


def test_a_reason_and_an_alerted_organisation_are_needed(client, setting, officer):
    running, stopped, _kept = setting
    client.force_login(officer)
    page = client.post(alerts_url(running), {"organisation": "", "reason": ""}).content.decode()
    assert "Choose the organisation whose alerts are stopped" in page
    assert "Enter why the alerts to this organisation are stopped" in page
    outsider = MembershipFactory().organisation
    page = client.post(alerts_url(running), {"organisation": outsider.pk, "reason": "x" * 1001}).content.decode()
    assert "Choose an organisation that is alerted about this consultation" in page
    assert "The reason must be 1000 characters or fewer" in page
    assert not AlertStop.objects.exists()
    with pytest.raises(services.ConsultationInvalid):
        services.alert_stop(consultation=running, organisation=outsider, by=officer, reason="No.")


def test_others_cannot_stop_alerts(client, setting, vcs_member, stranger):
    running, stopped, _kept = setting
    for user in (vcs_member, stranger):
        client.force_login(user)
        assert client.post(alerts_url(running), {"organisation": stopped.pk, "reason": "r"}).status_code == 403
    assert not AlertStop.objects.exists()
