"""Handing emails and letters over, and what GOV.UK Notify's delivery receipts tell us.

Exactly once: an email is sent with its Notification row locked, and marked sent (with Notify's
id) in the same transaction; a second run finds it locked or sent and does nothing. The one window
left is a worker that dies after Notify took the email and before the commit (decision 0007).
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from notifications import notify, pacing
from notifications.models import BouncingAddress, Notification, PostedLetter
from notifications.signals import address_bouncing, letter_status_changed

logger = logging.getLogger(__name__)

# A temporary failure (a full inbox; Notify already tried for 72 hours) is sent again this many
# times at most, this long after the receipt.
TEMPORARY_FAILURE_RETRIES = 2
TEMPORARY_FAILURE_DELAY = datetime.timedelta(hours=6)

EMAIL_STATUSES = {"delivered", "permanent-failure", "temporary-failure", "technical-failure"}
LETTER_STATUSES = {
    "accepted",
    "received",
    "cancelled",
    "pending-virus-check",
    "virus-scan-failed",
    "validation-failed",
    "technical-failure",
    "permanent-failure",
}
RECEIPT_STATUSES = EMAIL_STATUSES | LETTER_STATUSES | {"sending", "created", "sent"}


class Outcome:
    SENT = "sent"
    SKIPPED = "skipped"  # already sent, being sent, or not to be emailed
    REJECTED = "rejected"  # Notify refused it: not tried again


def still_to_email(notification_ids: list[int]) -> list[int]:
    """Those of these notifications not yet emailed (nor refused), in the order given: one query.

    A batch queued again (by ``deliver_unsent_notifications``, or delivered again after a worker
    died) so takes no slot of the pace for an email already sent.
    """
    unsent = set(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True, email_wanted=True)
        .exclude(delivery_status=Outcome.REJECTED)
        .values_list("pk", flat=True)
    )
    return [pk for pk in notification_ids if pk in unsent]


def notification_deliver(*, notification_id: int) -> str:
    """Email one notification once. Raises ``notify.Retryable`` when it should be tried later
    (``pacing.RateLimited``, one of them, when this second's slots are taken)."""
    # The slot is taken (and committed) before the row is locked, whatever the backend: a full
    # second raises pacing.RateLimited with nothing locked or sent.
    with pacing.slot(), transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, emailed_at__isnull=True, email_wanted=True)
            .exclude(delivery_status=Outcome.REJECTED)
            .first()
        )
        if notification is None:
            return Outcome.SKIPPED
        message = EmailMultiAlternatives(  # as send_mail made it
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.email],
            headers={"X-Portal-Reference": f"notification-{notification.pk}-{notification.delivery_retries}"},
        )
        try:
            message.send()
        except notify.Rejected as error:
            logger.warning("Notify refused notification %s: %s", notification.pk, error)
            notification.delivery_status = Outcome.REJECTED
            notification.save(update_fields=["delivery_status"])
            return Outcome.REJECTED
        notification.emailed_at = timezone.now()
        notification.notify_id = (getattr(message, "notify_ids", None) or [""])[0]
        notification.delivery_status = "sending" if notification.notify_id else ""
        notification.save(update_fields=["emailed_at", "notify_id", "delivery_status"])
    return Outcome.SENT


def bouncing_addresses(emails: Iterable[str]) -> set[str]:
    """Which of these addresses are bouncing (lower case): one query."""
    wanted = {email.strip().lower() for email in emails if email}
    if not wanted:
        return set()
    return set(BouncingAddress.objects.filter(email__in=wanted).values_list("email", flat=True))


def bouncing_address_clear(*, emails: Iterable[str], by) -> int:
    """Forget that these addresses bounce (the admin's "clear" action), when the person says the
    mailbox works again: reminders go to it again, and a new permanent failure marks it once more.
    Returns how many were cleared."""
    wanted = {email.strip().lower() for email in emails if email}
    with transaction.atomic():
        deleted, _kinds = BouncingAddress.objects.filter(email__in=wanted).delete()
    if deleted:
        logger.info("%s cleared %d bouncing address(es)", getattr(by, "pk", by), deleted)
    return deleted


def delivery_receipt_record(*, notify_id: str, status: str) -> bool:
    """Record what Notify's receipt says of an email or a letter; False when the id is not ours."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(notify_id=notify_id).first()
        if notification is not None:
            _email_receipt(notification, status)
            return True
        letter = PostedLetter.objects.select_for_update().filter(notify_id=notify_id).first()
        if letter is not None:
            _letter_receipt(letter, status)
            return True
    logger.info("A delivery receipt for %s, which is not ours", notify_id)
    return False


def _email_receipt(notification: Notification, status: str) -> None:
    now = timezone.now()
    email = notification.email.strip().lower()
    notification.delivery_status = status
    fields = ["delivery_status"]
    if status == "delivered":
        BouncingAddress.objects.filter(email=email).delete()
    elif status == "permanent-failure":
        _bounce, created = BouncingAddress.objects.update_or_create(
            email=email, defaults={"since": now, "notification": notification}
        )
        if created:  # told once, not at every bounce
            transaction.on_commit(lambda: address_bouncing.send(sender=BouncingAddress, email=email))
    elif status in ("temporary-failure", "technical-failure") and (
        notification.delivery_retries < TEMPORARY_FAILURE_RETRIES
    ):
        # Sent again later, as a new Notify notification.
        notification.delivery_retries += 1
        notification.emailed_at = None
        notification.notify_id = ""
        fields += ["delivery_retries", "emailed_at", "notify_id"]
        pk = notification.pk

        def queue() -> None:
            from notifications.tasks import deliver_notification

            deliver_notification.apply_async((pk,), countdown=int(TEMPORARY_FAILURE_DELAY.total_seconds()))

        transaction.on_commit(queue)
    notification.save(update_fields=fields)


def _letter_receipt(letter: PostedLetter, status: str) -> None:
    if status not in PostedLetter.Status.values or status == letter.status:
        return  # "pending-virus-check" and the like say nothing new to a reader
    letter.status = status
    letter.status_at = timezone.now()
    letter.save(update_fields=["status", "status_at"])
    transaction.on_commit(lambda: letter_status_changed.send(sender=PostedLetter, letter=letter))


# --- Letters --------------------------------------------------------------------------------------


def letter_post(*, pdf: bytes, reference: str, postage: str = "") -> PostedLetter:
    """Record a letter to post and send it to Notify after commit (see :func:`letter_deliver`)."""
    from notifications.tasks import deliver_letter

    letter = PostedLetter.objects.create(
        pdf=pdf, reference=reference, postage=postage or settings.NOTIFY_LETTER_POSTAGE
    )
    transaction.on_commit(lambda: deliver_letter.delay(letter.pk))
    return letter


def letter_deliver(*, letter_id: int) -> str:
    """Send one posted letter to Notify, once (as :func:`notification_deliver`)."""
    with pacing.slot(), transaction.atomic():
        letter = (
            PostedLetter.objects.select_for_update(skip_locked=True)
            .filter(pk=letter_id, status=PostedLetter.Status.QUEUED)
            .first()
        )
        if letter is None:
            return Outcome.SKIPPED
        try:
            letter.notify_id = notify.send_precompiled_letter(
                pdf=bytes(letter.pdf), reference=letter.reference, postage=letter.postage
            )
            letter.status = PostedLetter.Status.SENDING
        except notify.Rejected as error:
            logger.warning("Notify refused letter %s: %s", letter.reference, error)
            letter.status = PostedLetter.Status.REJECTED
        letter.sent_at = letter.status_at = timezone.now()
        letter.save(update_fields=["notify_id", "status", "sent_at", "status_at"])
        transaction.on_commit(lambda: letter_status_changed.send(sender=PostedLetter, letter=letter))
    return Outcome.SENT if letter.status == PostedLetter.Status.SENDING else Outcome.REJECTED
