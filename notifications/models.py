from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something a person was told: kept for their notifications page, emailed by a worker."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    # Where it was emailed; for a person without an account (an organisation's contact) only this.
    email = models.EmailField(_("email address"))
    kind = models.CharField(_("kind"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # False when the person switched this kind of email off: it is only shown on their page.
    email_wanted = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # GOV.UK Notify (docs/decisions/0023): its id for the email once it took it, and what its
    # delivery receipt said ("delivered", "permanent-failure"…; "rejected" when Notify refused it).
    notify_id = models.CharField(max_length=36, blank=True, db_index=True)
    delivery_status = models.CharField(max_length=30, blank=True)
    # Times the email was sent again after a temporary failure (bounded: TEMPORARY_FAILURE_RETRIES).
    delivery_retries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            # The emails still to send (see notifications.tasks.deliver_unsent_notifications): few rows.
            models.Index(
                fields=["created_at"],
                condition=models.Q(emailed_at__isnull=True, email_wanted=True),
                name="notification_unsent_idx",
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} → {self.email}: {self.subject}"


class ReminderClaim(models.Model):
    """A reminder that has been claimed for sending: one row per (kind, subject, recipient).

    The unique constraint is what makes a reminder go out exactly once, whatever retries or
    parallel sweeps happen: a sweep that cannot insert the row does not send. ``sent_at`` stays
    empty until the email has been handed over; a claim left unsent for a while (its worker
    died) is taken up again by a later sweep.
    """

    kind = models.CharField(max_length=60)
    subject_key = models.CharField(max_length=120, help_text=_("What the reminder is about, e.g. 'signature:12'."))
    recipient_email = models.EmailField()
    due_on = models.DateField()
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "recipient_email"], name="one_reminder_per_kind_subject_recipient"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "claimed_at"], name="reminder_unsent_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_key} → {self.recipient_email}"


class EmailPreference(models.Model):
    """A person's choice not to be emailed about one kind of notification (they still see it here)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(max_length=60)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_user_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {'by email' if self.email else 'not emailed'}"


class BouncingAddress(models.Model):
    """An email address Notify could not deliver to for good (a permanent failure).

    Keyed by the address (lower case), not by a person: a new address is not bouncing. Reminders
    are not sent to it; the organisation's admins and the coordinator see it. It is forgotten when
    an email to it is delivered.
    """

    email = models.EmailField(unique=True)
    since = models.DateTimeField()
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("bouncing email address")
        verbose_name_plural = _("bouncing email addresses")

    def __str__(self) -> str:
        return self.email


class SendRateWindow(models.Model):
    """How many messages were asked to go out in one second (those turned away included), counted
    by every worker together: the pace of notifications.pacing (docs/decisions/0029)."""

    second = models.DateTimeField(unique=True)
    used = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.second:%Y-%m-%d %H:%M:%S}: {self.used}"


class PostedLetter(models.Model):
    """A PDF posted through GOV.UK Notify's precompiled letter API, and what Notify said of it.

    The app whose letter it is links to it and hears of each new status through the
    ``notifications.signals.letter_status_changed`` signal.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sent to GOV.UK Notify")
        ACCEPTED = "accepted", _("Accepted for printing")
        RECEIVED = "received", _("Received by the printer")
        REJECTED = "rejected", _("Refused by GOV.UK Notify")
        CANCELLED = "cancelled", _("Cancelled")
        VALIDATION_FAILED = "validation-failed", _("Failed GOV.UK Notify's checks")
        VIRUS_SCAN_FAILED = "virus-scan-failed", _("Failed the virus scan")
        TECHNICAL_FAILURE = "technical-failure", _("Not sent: a technical failure")
        PERMANENT_FAILURE = "permanent-failure", _("Returned: could not be delivered")

    reference = models.CharField(max_length=100, unique=True)
    pdf = models.BinaryField()
    postage = models.CharField(max_length=20, default="second")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.QUEUED)
    notify_id = models.CharField(max_length=36, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.reference}: {self.status}"
