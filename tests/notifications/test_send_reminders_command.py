"""python manage.py send_reminders [--today YYYY-MM-DD] [--dry-run]"""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications.models import ReminderClaim
from tests.commitments.factories import PublishedEditionFactory
from tests.notifications import admin_emails, asked_to_reaffirm

pytestmark = pytest.mark.django_db

REQUESTED = datetime.date(2027, 3, 1)


@pytest.fixture
def signature(compact):
    return asked_to_reaffirm(edition=PublishedEditionFactory(compact=compact), on=REQUESTED)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(*args) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", *args, stdout=out)
        return out.getvalue()

    return run


def test_it_sends_what_is_due_on_the_day_given_and_lists_it(signature, run):
    output = run("--today", "2027-03-15")

    [email] = admin_emails(signature)
    assert f"sent        reaffirm_2_weeks  signature:{signature.pk}  → {email}  (2027-03-15)" in output
    assert "Reminders for 2027-03-15: 1 due, 1 sent, 0 already sent or being sent, 0 failed." in output
    assert [m.to for m in mail.outbox] == [[email]]


def test_run_again_it_sends_nothing(signature, run):
    run("--today", "2027-03-15")

    output = run("--today", "2027-03-15")

    assert "1 due, 0 sent, 1 already sent or being sent" in output
    assert "sent  " not in output
    assert len(mail.outbox) == 1


def test_more_verbose_it_lists_what_it_skipped(signature, run):
    run("--today", "2027-03-15")

    output = run("--today", "2027-03-15", "--verbosity", "2")

    assert f"skipped     reaffirm_2_weeks  signature:{signature.pk}" in output


def test_a_dry_run_lists_what_would_be_sent_and_sends_nothing(signature, run):
    output = run("--today", "2027-03-15", "--dry-run")

    [email] = admin_emails(signature)
    assert f"would send  reaffirm_2_weeks  signature:{signature.pk}  → {email}  (2027-03-15)" in output
    assert (
        "Dry run for 2027-03-15: 1 would be sent, 0 already sent or being sent. Nothing was claimed or sent." in output
    )
    assert mail.outbox == []
    assert ReminderClaim.objects.count() == 0


def test_nothing_is_due_the_day_before(signature, run):
    output = run("--today", "2027-03-14")

    assert output == "Reminders for 2027-03-14: 0 due, 0 sent, 0 already sent or being sent, 0 failed.\n"
    assert mail.outbox == []


def test_without_a_date_it_works_out_what_is_due_today(compact, run):
    today = timezone.localdate()
    signature = asked_to_reaffirm(edition=PublishedEditionFactory(compact=compact), on=today - datetime.timedelta(28))

    output = run()

    assert f"reaffirm_4_weeks  signature:{signature.pk}" in output
    assert f"Reminders for {today.isoformat()}: 1 due, 1 sent" in output


@pytest.mark.parametrize("value", ["15/03/2027", "2027-02-30", "tomorrow", "2027-3", ""])
def test_a_bad_date_is_refused_with_a_clear_message(value, run):
    with pytest.raises(CommandError) as error:
        run("--today", value)

    assert str(error.value) == (
        f"--today must be a real date written YYYY-MM-DD, for example 2027-03-04, not ‘{value}’."
    )
    assert mail.outbox == []


def test_a_source_that_fails_is_named_and_the_rest_are_sent(signature, monkeypatch, django_capture_on_commit_callbacks):
    from notifications import reminders

    real_sources = reminders.reminder_sources

    def broken(today):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(reminders, "reminder_sources", lambda: (broken, *real_sources()))
    out = StringIO()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(CommandError, match="could not be worked out; the others were sent"),
    ):
        call_command("send_reminders", "--today", "2027-03-15", stdout=out)
    assert "Left out: the reminders of" in out.getvalue() and "broken" in out.getvalue()
    assert [message.to[0] for message in mail.outbox] == admin_emails(signature)
