"""Emails through GOV.UK Notify (decision 0023), against the fake Notify of tests/support."""

import datetime
import json
import uuid

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from notifications import notify as notify_api
from notifications import pacing
from notifications.delivery import TEMPORARY_FAILURE_RETRIES, notification_deliver
from notifications.models import BouncingAddress, Notification, SendRateWindow
from notifications.reminders import DueReminder, reminders_sweep
from notifications.services import Recipient, notify
from notifications.tasks import deliver_notification, deliver_unsent_notifications
from tests.accounts.factories import UserFactory
from tests.support import fake_notify as fake

pytestmark = pytest.mark.django_db

TEMPLATE = "notifications/emails/reminder_footer.txt"
CALLBACK = "/notify/callback/"


def recorded(email="amal@example.org", **kwargs) -> Notification:
    """A notification recorded, its email not yet sent (the on-commit queueing does not run in a test)."""
    [notification] = notify(
        recipients=[Recipient(email=email, name="Amal")],
        kind="signature_approved",
        template=TEMPLATE,
        context={},
        **kwargs,
    )
    return notification


def receipt(client, notify_id, status, token="a-callback-token-of-some-length"):  # noqa: S107 - test value
    return client.post(
        CALLBACK,
        data={
            "id": notify_id,
            "reference": None,
            "to": "x@example.org",
            "status": status,
            "created_at": "2027-03-04T10:00:00.000000Z",
            "notification_type": "email",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"} if token is not None else {},
    )


def test_an_email_goes_through_the_generic_template_once_and_keeps_notifys_id(fake_notify):
    notification = recorded()
    deliver_notification(notification.pk)
    deliver_notification(notification.pk)  # a duplicate task sends nothing

    [sent] = fake_notify.emails()
    assert sent["email_address"] == "amal@example.org"
    assert sent["template_id"] == fake.TEMPLATE_ID
    assert sent["personalisation"] == {"subject": notification.subject, "body": notification.body}
    assert sent["reference"] == f"notification-{notification.pk}-0"
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert uuid.UUID(notification.notify_id)
    assert notification.delivery_status == "sending"
    assert len(fake_notify.requests) == 1


def test_without_a_key_emails_go_to_the_configured_backend_as_before():
    notification = recorded()
    deliver_notification(notification.pk)
    assert [m.to for m in mail.outbox] == [["amal@example.org"]]
    notification.refresh_from_db()
    assert notification.notify_id == ""


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_429_or_5xx_is_tried_again_later_and_then_sent_once(fake_notify, status):
    notification = recorded()
    fake_notify.fail_next(status)
    with pytest.raises(notify_api.Retryable) as raised:
        notification_deliver(notification_id=notification.pk)
    assert raised.value.status == status
    notification.refresh_from_db()
    assert notification.emailed_at is None  # rolled back: still to send

    assert notification_deliver(notification_id=notification.pk) == "sent"
    assert len(fake_notify.emails()) == 1


def test_the_task_retries_a_retryable_answer_with_a_delay(fake_notify, monkeypatch):
    notification = recorded()
    fake_notify.fail_next(429)
    delays = []

    def retry(exc=None, countdown=None, **kwargs):
        delays.append(countdown)
        return Retry(exc=exc)

    monkeypatch.setattr(deliver_notification._get_current_object(), "retry", retry)
    with pytest.raises(Retry):
        deliver_notification(notification.pk)
    assert delays and delays[0] >= 30
    assert fake_notify.emails() == []


@pytest.mark.parametrize("status", [400, 403])
def test_a_400_or_403_is_not_tried_again(fake_notify, status):
    notification = recorded()
    fake_notify.fail_next(status)
    assert notification_deliver(notification_id=notification.pk) == "rejected"
    notification.refresh_from_db()
    assert notification.delivery_status == "rejected"
    assert notification.emailed_at is None

    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert deliver_unsent_notifications() == 0  # the catch-up leaves it too
    assert notification_deliver(notification_id=notification.pk) == "skipped"
    assert fake_notify.emails() == []


def test_an_invalid_address_is_refused_by_notify_and_not_retried(fake_notify):
    notification = recorded(email="amal@example.org")
    Notification.objects.filter(pk=notification.pk).update(email="not an address@")
    assert notification_deliver(notification_id=notification.pk) == "rejected"
    assert fake_notify.requests[-1].status == 400


def test_the_pace_is_shared_and_waits_for_the_next_second(fake_notify, settings, monkeypatch):
    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 120  # 2 a second
    now = timezone.now().replace(microsecond=100_000)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    first, second, third = recorded("a@example.org"), recorded("b@example.org"), recorded("c@example.org")
    assert notification_deliver(notification_id=first.pk) == "sent"
    assert notification_deliver(notification_id=second.pk) == "sent"
    with pytest.raises(pacing.RateLimited) as raised:
        notification_deliver(notification_id=third.pk)
    assert 0.9 <= raised.value.countdown < 1.5  # the next second, not the next minute
    assert len(fake_notify.requests) == 2  # the third never reached Notify
    third.refresh_from_db()
    assert third.emailed_at is None

    # The next second has room again (one counter row per second, whatever the worker).
    now += datetime.timedelta(seconds=1)
    assert notification_deliver(notification_id=third.pk) == "sent"
    assert len(fake_notify.requests) == 3
    assert SendRateWindow.objects.get(second=now.replace(microsecond=0)).used == 1


def test_a_delivered_receipt_is_recorded(fake_notify, client):
    notification = recorded()
    deliver_notification(notification.pk)
    notification.refresh_from_db()
    assert receipt(client, notification.notify_id, "delivered").status_code == 204
    notification.refresh_from_db()
    assert notification.delivery_status == "delivered"


def test_a_permanent_failure_marks_the_address_bouncing_and_stops_reminders(fake_notify, client):
    user = UserFactory(email="Amal@Example.org")
    notification = recorded(email=user.email)
    deliver_notification(notification.pk)
    notification.refresh_from_db()
    assert receipt(client, notification.notify_id, "permanent-failure").status_code == 204
    assert BouncingAddress.objects.filter(email="amal@example.org").exists()

    today = datetime.date(2027, 3, 4)

    def source(day):
        yield DueReminder(
            kind="signature_approved",
            subject_key="thing:1",
            recipients=[Recipient.for_user(user)],
            due_on=day,
            template=TEMPLATE,
        )

    result = reminders_sweep(today=today, sources=[source])
    assert (result.sent, result.bouncing) == (0, 1)
    assert len(fake_notify.emails()) == 1  # only the first email

    # A new address is not bouncing: reminders go to it again.
    user.email = "amal.new@example.org"
    user.save()
    result = reminders_sweep(today=today, sources=[source])
    assert (result.sent, result.bouncing) == (1, 0)


def test_a_temporary_failure_is_sent_again_a_bounded_number_of_times(
    fake_notify, client, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(deliver_notification, "apply_async", lambda args, countdown: queued.append((args, countdown)))
    notification = recorded()
    deliver_notification(notification.pk)
    for _attempt in range(TEMPORARY_FAILURE_RETRIES + 1):
        notification.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            receipt(client, notification.notify_id, "temporary-failure")
        if queued:
            deliver_notification(*queued.pop()[0])
    notification.refresh_from_db()
    assert notification.delivery_retries == TEMPORARY_FAILURE_RETRIES
    assert notification.delivery_status == "temporary-failure"
    assert len(fake_notify.emails()) == 1 + TEMPORARY_FAILURE_RETRIES
    assert not BouncingAddress.objects.exists()


def test_a_delivery_clears_a_bounce(fake_notify, client):
    BouncingAddress.objects.create(email="amal@example.org", since=timezone.now())
    notification = recorded()
    deliver_notification(notification.pk)
    notification.refresh_from_db()
    receipt(client, notification.notify_id, "delivered")
    assert not BouncingAddress.objects.exists()


@pytest.mark.parametrize(
    ("token", "expected"),
    [(None, 401), ("wrong-token-of-some-length", 401), ("a-callback-token-of-some-lengtH", 401), ("", 401)],
)
def test_the_callback_refuses_a_missing_or_wrong_token(fake_notify, client, token, expected):
    notification = recorded()
    deliver_notification(notification.pk)
    notification.refresh_from_db()
    assert receipt(client, notification.notify_id, "permanent-failure", token=token).status_code == expected
    assert not BouncingAddress.objects.exists()


def test_the_callback_is_off_without_a_token(client, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    assert receipt(client, str(uuid.uuid4()), "delivered", token="").status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"id": "not-a-uuid", "status": "delivered"}',
        b'{"id": "%s"}' % b"446dc696-e27f-43ed-b864-7611a14a144e",
        b'{"id": "%s", "status": "exploded"}' % b"12201814-e6fa-43ed-b864-0ca9b565bbc1",
    ],
)
def test_the_callback_answers_400_to_a_body_that_is_not_a_receipt(fake_notify, client, body):
    response = client.post(
        CALLBACK,
        data=body,
        content_type="application/json",
        headers={"Authorization": "Bearer a-callback-token-of-some-length"},
    )
    assert response.status_code == 400


def test_the_callback_takes_post_only(fake_notify, client):
    assert client.get(CALLBACK, headers={"Authorization": "Bearer a-callback-token-of-some-length"}).status_code == 405


def test_a_receipt_for_an_id_that_is_not_ours_is_accepted_and_changes_nothing(fake_notify, client):
    assert receipt(client, str(uuid.uuid4()), "permanent-failure").status_code == 204
    assert not BouncingAddress.objects.exists()


def test_the_callback_needs_no_csrf_token(fake_notify, settings):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    assert receipt(csrf_client, str(uuid.uuid4()), "delivered").status_code == 204
    assert reverse("notifications:notify_callback") == CALLBACK


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=8,
)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.binary(max_size=200),
        _json.map(lambda value: json.dumps(value).encode()),
        st.fixed_dictionaries(
            {
                "id": st.one_of(st.uuids().map(str), st.text(max_size=40)),
                "status": st.sampled_from(["delivered", "permanent-failure", "x"]),
            },
        ).map(lambda value: json.dumps(value).encode()),
    )
)
def test_no_body_makes_the_callback_fail(fake_notify, body):
    from django.test import Client

    response = Client(raise_request_exception=True).post(
        CALLBACK,
        data=body,
        content_type="application/json",
        headers={"Authorization": "Bearer a-callback-token-of-some-length"},
    )
    assert response.status_code in (204, 400)
