"""The reminder sweep: what is due is sent once per reminder and recipient, whatever happens."""

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.utils import timezone

from notifications import reminders
from notifications.models import Notification, ReminderClaim
from notifications.reminders import CLAIM_LEASE, DueReminder, Outcome, reminders_sweep
from notifications.services import Recipient
from notifications.tasks import send_due_reminders
from tests.commitments.factories import PublishedEditionFactory
from tests.notifications import admin_emails, asked_to_reaffirm

pytestmark = pytest.mark.django_db

REQUESTED = datetime.date(2027, 3, 1)
DAY_14 = datetime.date(2027, 3, 15)


@pytest.fixture
def new_edition(compact):
    return PublishedEditionFactory(compact=compact, name="Refreshed Compact 2027")


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep and let the (eager) worker email what it recorded, as after a real commit."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep(**kwargs)

    return run


def sent_to() -> list[tuple[str, str]]:
    return sorted((message.to[0], message.subject) for message in mail.outbox)


def test_a_due_reminder_is_emailed_to_each_admin_with_the_link(new_edition, sweep):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED, admins=2)

    result = sweep(today=DAY_14)

    subject = "Reminder: please re-affirm your signature of Riverside Compact"
    assert sent_to() == [(email, subject) for email in admin_emails(signature)]
    assert f"http://127.0.0.1:8000/signatures/{signature.pk}/" in mail.outbox[0].body
    assert (result.due, result.claimed, result.sent, result.skipped) == (2, 2, 2, 0)
    claims = ReminderClaim.objects.order_by("recipient_email")
    assert [(c.kind, c.subject_key, c.recipient_email, c.due_on) for c in claims] == [
        ("reaffirm_2_weeks", f"signature:{signature.pk}", email, DAY_14) for email in admin_emails(signature)
    ]
    assert all(c.sent_at and c.notification.emailed_at for c in claims)
    assert Notification.objects.filter(kind="reaffirm_2_weeks").count() == 2


def test_a_second_sweep_sends_nothing(new_edition, sweep):
    asked_to_reaffirm(edition=new_edition, on=REQUESTED, admins=2)
    sweep(today=DAY_14)
    mail.outbox.clear()

    again = sweep(today=DAY_14)
    next_day = sweep(today=DAY_14 + datetime.timedelta(days=1))

    assert mail.outbox == []
    assert (again.due, again.claimed, again.sent, again.skipped) == (2, 0, 0, 2)
    assert (next_day.sent, next_day.skipped) == (0, 2)
    assert ReminderClaim.objects.count() == 2
    assert Notification.objects.count() == 2


def test_the_four_week_reminder_is_a_reminder_of_its_own(new_edition, sweep):
    asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    sweep(today=DAY_14)

    result = sweep(today=REQUESTED + datetime.timedelta(days=28))

    assert result.sent == 1
    assert [m.subject for m in mail.outbox] == [
        "Reminder: please re-affirm your signature of Riverside Compact",
        "Last reminder: please re-affirm your signature of Riverside Compact",
    ]


def test_a_dry_run_lists_what_is_due_but_claims_and_sends_nothing(new_edition, sweep):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED, admins=2)

    result = sweep(today=DAY_14, dry_run=True)

    assert mail.outbox == []
    assert ReminderClaim.objects.count() == 0
    assert Notification.objects.count() == 0
    assert (result.due, result.would_send, result.claimed, result.sent) == (2, 2, 0, 0)
    assert sorted((i.kind, i.subject_key, i.email, i.outcome) for i in result.items) == [
        ("reaffirm_2_weeks", f"signature:{signature.pk}", email, Outcome.WOULD_SEND)
        for email in admin_emails(signature)
    ]
    assert sweep(today=DAY_14).sent == 2  # and the real run still sends them


def test_a_dry_run_does_not_list_what_was_sent(new_edition, sweep):
    asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    sweep(today=DAY_14)

    result = sweep(today=DAY_14, dry_run=True)

    assert (result.would_send, result.skipped) == (0, 1)


def unsent_claim(signature, *, claimed_ago: datetime.timedelta) -> ReminderClaim:
    """A claim made by a sweep that has not (yet) sent it."""
    return ReminderClaim.objects.create(
        kind="reaffirm_2_weeks",
        subject_key=f"signature:{signature.pk}",
        recipient_email=admin_emails(signature)[0],
        due_on=DAY_14,
        claimed_at=timezone.now() - claimed_ago,
    )


def test_a_claim_lost_by_a_dead_worker_is_sent_once_by_a_later_sweep(new_edition, sweep):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    claim = unsent_claim(signature, claimed_ago=CLAIM_LEASE + datetime.timedelta(minutes=1))

    result = sweep(today=DAY_14)
    again = sweep(today=DAY_14)

    assert sent_to() == [(admin_emails(signature)[0], "Reminder: please re-affirm your signature of Riverside Compact")]
    assert (result.claimed, result.taken_over, result.sent) == (1, 1, 1)
    assert (again.sent, again.skipped) == (0, 1)
    # The lost claim was released and made again, with its notification, in one transaction.
    assert not ReminderClaim.objects.filter(pk=claim.pk).exists()
    sent = ReminderClaim.objects.get()
    assert sent.sent_at is not None
    assert sent.notification.email == admin_emails(signature)[0]


def test_a_claim_held_by_a_live_sweep_is_left_alone(new_edition, sweep):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    claim = unsent_claim(signature, claimed_ago=datetime.timedelta(minutes=1))

    result = sweep(today=DAY_14)

    assert mail.outbox == []
    assert (result.claimed, result.sent, result.skipped) == (0, 0, 1)
    held = ReminderClaim.objects.get()
    assert (held.claimed_at, held.sent_at, held.notification) == (claim.claimed_at, None, None)
    assert sweep(today=DAY_14, dry_run=True).would_send == 0


def test_a_reminder_another_sweep_sends_meanwhile_is_not_sent_again(new_edition, sweep, monkeypatch):
    """Between finding what is due and recording it, another sweep records one of the reminders: this
    sweep's claim for it inserts nothing, and the notification it made for it is taken back before
    its commit. The other reminder of the batch is sent."""
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED, admins=2)
    first, second = admin_emails(signature)
    real_send = reminders._send

    def the_other_sweep_first(keys, due):
        other = Notification.objects.create(email=first, kind="reaffirm_2_weeks", subject="sent by the other sweep")
        ReminderClaim.objects.create(
            kind="reaffirm_2_weeks",
            subject_key=f"signature:{signature.pk}",
            recipient_email=first,
            due_on=DAY_14,
            claimed_at=timezone.now(),
            sent_at=timezone.now(),
            notification=other,
        )
        return real_send(keys, due)

    monkeypatch.setattr(reminders, "_send", the_other_sweep_first)
    result = sweep(today=DAY_14)

    assert [m.to for m in mail.outbox] == [[second]]
    assert (result.claimed, result.sent, result.skipped) == (1, 1, 1)
    assert sorted(Notification.objects.values_list("email", "subject")) == [
        (first, "sent by the other sweep"),
        (second, "Reminder: please re-affirm your signature of Riverside Compact"),
    ]
    assert ReminderClaim.objects.get(recipient_email=first).notification.subject == "sent by the other sweep"


def test_a_reminder_no_longer_due_is_not_sent(new_edition, sweep):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    unsent_claim(signature, claimed_ago=CLAIM_LEASE * 2)
    signature.status = signature.Status.SIGNED
    signature.save()

    result = sweep(today=DAY_14)

    assert (result.due, result.sent) == (0, 0)
    assert mail.outbox == []


def source_for(signature, *, due_on: datetime.date, emails: list[str], template: str = ""):
    def source(today):
        yield DueReminder(
            kind="reaffirm_2_weeks",
            subject_key=f"signature:{signature.pk}",
            recipients=[Recipient(email=email) for email in emails],
            due_on=due_on,
            template=template or "signatories/emails/reminder_reaffirm_2_weeks.txt",
            context={"signature": signature, "requested_on": REQUESTED},
            link=signature.get_absolute_url(),
        )

    return source


def test_a_changed_due_date_or_the_case_of_an_email_does_not_send_it_again(new_edition, sweep):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    first = sweep(today=DAY_14, sources=[source_for(signature, due_on=DAY_14, emails=["Admin@Example.org"])])
    later = DAY_14 + datetime.timedelta(days=3)

    second = sweep(today=later, sources=[source_for(signature, due_on=later, emails=["admin@example.org "])])

    assert (first.sent, second.sent, second.skipped) == (1, 0, 1)
    assert [m.to for m in mail.outbox] == [["Admin@Example.org"]]
    assert ReminderClaim.objects.get().recipient_email == "admin@example.org"


def test_reminders_sharing_a_context_are_rendered_once_and_each_says_why_it_was_sent(new_edition, sweep, monkeypatch):
    """A message, then its reason (per group of recipients), then the footer every reminder ends with."""
    from notifications import services

    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    shared = {"signature": signature, "requested_on": REQUESTED}

    def source(today):
        for group, reason in (("a", "You are told as A."), ("b", "You are told as B."), ("c", "")):
            yield DueReminder(
                kind="reaffirm_2_weeks",
                subject_key=f"signature:{signature.pk}",
                recipients=[Recipient(email=f"{group}@x.org", name=group.upper())],
                due_on=DAY_14,
                template="signatories/emails/reminder_reaffirm_2_weeks.txt",
                context=shared,
                link=signature.get_absolute_url(),
                reason=reason,
            )

    rendered = []
    render = services.render_to_string
    monkeypatch.setattr(services, "render_to_string", lambda *a, **k: rendered.append(a[0]) or render(*a, **k))

    assert sweep(today=DAY_14, sources=[source]).sent == 3

    assert rendered == ["signatories/emails/reminder_reaffirm_2_weeks.txt"]
    bodies = {m.to[0]: m.body for m in mail.outbox}
    footer = (
        f"--\nAn automatic reminder from {settings.PORTAL_SERVICE_NAME}, run by {settings.PORTAL_COUNCIL_NAME}. "
        "It is sent only once."
    )
    for group in "ab":
        body = bodies[f"{group}@x.org"]
        assert body.startswith(f"Hello {group.upper()},\n\n")
        assert body.endswith(f"/signatures/{signature.pk}/\n\nYou are told as {group.upper()}.\n\n{footer}")
    assert bodies["c@x.org"].endswith(f"/signatures/{signature.pk}/\n\n{footer}")
    assert all(body.count("An automatic reminder") == 1 for body in bodies.values())


def test_a_recipient_listed_twice_gets_one_email(new_edition, sweep):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)

    result = sweep(today=DAY_14, sources=[source_for(signature, due_on=DAY_14, emails=["a@x.org", "A@X.org"])])

    assert (result.due, result.sent, len(mail.outbox)) == (1, 1, 1)


def test_a_reminder_that_cannot_be_sent_does_not_stop_the_others_and_is_tried_again(new_edition, sweep):
    broken_for = asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    fine = asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    sources = [
        source_for(broken_for, due_on=DAY_14, emails=["a@x.org"], template="signatories/emails/no_such.txt"),
        source_for(fine, due_on=DAY_14, emails=["b@x.org"]),
    ]

    result = sweep(today=DAY_14, sources=sources)

    assert (result.sent, result.failed) == (1, 1)
    assert [m.to for m in mail.outbox] == [["b@x.org"]]
    # Nothing of it was written: no claim holds it, and the next sweep (here with the template
    # mended) sends it, without waiting for a lease.
    assert not ReminderClaim.objects.filter(recipient_email="a@x.org").exists()
    assert not Notification.objects.filter(email="a@x.org").exists()
    mended = sweep(today=DAY_14, sources=[source_for(broken_for, due_on=DAY_14, emails=["a@x.org"])])
    assert (mended.taken_over, mended.sent) == (0, 1)
    assert [m.to for m in mail.outbox] == [["b@x.org"], ["a@x.org"]]


def test_one_reminder_that_cannot_be_sent_is_found_by_halving_its_batch(new_edition, sweep, monkeypatch):
    """The batch is sent together; when that fails, each half is sent on its own, down to the one
    reminder that fails: the other 63 are sent, in a few transactions rather than one each."""
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    emails = [f"person{number:02}@x.org" for number in range(64)]
    sources = [
        source_for(signature, due_on=DAY_14, emails=[email for email in emails if email != "person37@x.org"]),
        source_for(signature, due_on=DAY_14, emails=["person37@x.org"], template="signatories/emails/no_such.txt"),
    ]
    sends = []
    send = reminders._send
    monkeypatch.setattr(reminders, "_send", lambda claims, due: sends.append(len(claims)) or send(claims, due))

    result = sweep(today=DAY_14, sources=sources)

    assert (result.sent, result.failed) == (63, 1)
    assert sorted(m.to[0] for m in mail.outbox) == [email for email in emails if email != "person37@x.org"]
    assert [item.email for item in result.items if item.outcome == Outcome.FAILED] == ["person37@x.org"]
    assert not ReminderClaim.objects.filter(recipient_email="person37@x.org").exists()
    # 64, then its halves: the first sent, the second (with the bad one, due last) halved again, and
    # so on: 2 × 6 + 1 transactions, where one at a time would have been 1 + 64.
    assert sends == [64, 32, 32, 16, 16, 8, 8, 4, 4, 2, 2, 1, 1]


def test_the_sweep_takes_the_same_queries_for_3_or_60_reminders(new_edition):
    """A fixed number of queries per batch: what is due already claimed, the bouncing addresses, then
    in one transaction the notifications' insert and the claims' insert."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few, many = (asked_to_reaffirm(edition=new_edition, on=REQUESTED) for _ in range(2))

    def run(signature, count):
        emails = [f"{signature.pk}-{number}@x.org" for number in range(count)]
        with CaptureQueriesContext(connection) as queries:
            result = reminders_sweep(today=DAY_14, sources=[source_for(signature, due_on=DAY_14, emails=emails)])
        assert result.sent == count
        # (Each of the sweep's transactions is a savepoint inside the test's.)
        return [
            query["sql"].split()[0]
            for query in queries.captured_queries
            if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        ]

    assert run(few, 3) == run(many, 60) == ["SELECT", "SELECT", "INSERT", "INSERT"]


def test_the_sweep_refuses_to_run_inside_a_transaction(new_edition):
    """Each batch must commit on its own (its emails are queued once it has), so the sweep cannot be
    nested in a transaction: it refuses before doing anything."""
    from django.db import transaction

    asked_to_reaffirm(edition=new_edition, on=REQUESTED)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        reminders_sweep(today=DAY_14)


# --- The Celery task and the schedule ----------------------------------------------------------------


def test_the_task_sweeps_the_day_it_is_given(new_edition, django_capture_on_commit_callbacks):
    signature = asked_to_reaffirm(edition=new_edition, on=REQUESTED)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders.delay("2027-03-13").get()["due"] == 0
        counts = send_due_reminders.delay(DAY_14.isoformat()).get()

    assert counts["sent"] == 1
    assert [m.to for m in mail.outbox] == [admin_emails(signature)]


def test_the_task_without_a_date_sweeps_today(new_edition, django_capture_on_commit_callbacks):
    asked_to_reaffirm(edition=new_edition, on=timezone.localdate() - datetime.timedelta(days=14))

    with django_capture_on_commit_callbacks(execute=True):
        counts = send_due_reminders.delay().get()

    assert counts["sent"] == 1
    assert len(mail.outbox) == 1


def test_beat_runs_the_sweep_every_day_at_seven_in_london():
    from compact_portal.celery import app

    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == send_due_reminders.name]
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert app.conf.timezone == "Europe/London"
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    assert send_due_reminders.name in app.tasks
    # 05:59 UTC on a summer morning is 06:59 in London (BST): due in a minute, not in an hour.
    now = datetime.datetime(2027, 6, 15, 5, 59, tzinfo=datetime.UTC)
    schedule = crontab(hour=7, minute=0, app=app, nowfun=lambda: now)
    assert schedule.remaining_estimate(now - datetime.timedelta(hours=23)) <= datetime.timedelta(minutes=1)
