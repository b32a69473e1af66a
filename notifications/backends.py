"""The email backends: the pace every email goes through, and GOV.UK Notify.

:class:`PacedEmailBackend` is Django's ``EMAIL_BACKEND``: it takes each message's slot of the pace
(:mod:`notifications.pacing`) and hands the message to ``PORTAL_EMAIL_BACKEND`` (the environment's
``EMAIL_BACKEND``: SMTP, files, or Notify), so that an email sent outside the outbox (a password
reset) counts as the outbox's do.

:class:`NotifyEmailBackend` sends through GOV.UK Notify (chosen when ``NOTIFY_API_KEY`` is set).

The message keeps its text from the portal's own templates; Notify gets it through one generic
template (``NOTIFY_EMAIL_TEMPLATE_ID``) as the personalisation ``subject`` and ``body``. Notify's
ids are left on the message (``message.notify_ids``, one per recipient) for the caller to store.
Errors are :mod:`notifications.notify`'s: ``Retryable`` or ``Rejected``.
"""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

from notifications import notify, pacing

logger = logging.getLogger(__name__)

# How long a message sent outside the outbox (a password reset, in a worker) may sleep for its
# slot when the second is full; the outbox's emails wait in the queue instead.
SLOT_WAIT_SECONDS = 30


class PacedEmailBackend(BaseEmailBackend):
    """Each message takes a slot of the pace, then goes to ``PORTAL_EMAIL_BACKEND``.

    In the outbox's own slot (``notification_deliver``) nothing more is taken. Outside it the
    message waits for a slot (``SLOT_WAIT_SECONDS`` at most); with ``fail_silently`` (Django's
    error emails to admins) it is not sent rather than wait.
    """

    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        backend = settings.PORTAL_EMAIL_BACKEND
        if backend == f"{__name__}.{type(self).__name__}":
            raise ImproperlyConfigured("PORTAL_EMAIL_BACKEND is the backend that sends, not PacedEmailBackend")
        self.inner = get_connection(backend, fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.inner.open()

    def close(self) -> None:
        self.inner.close()

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        opened = self.inner.open()
        sent = 0
        try:
            for message in email_messages:
                try:
                    with pacing.slot(wait=0 if self.fail_silently else SLOT_WAIT_SECONDS):
                        sent += self.inner.send_messages([message]) or 0
                except pacing.RateLimited:
                    if not self.fail_silently:
                        raise
                    logger.warning("An email was not sent (fail_silently): the pace has no slot free this second")
        finally:
            if opened:
                self.inner.close()
        return sent


class NotifyEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            ids = []
            try:
                for address in message.recipients():
                    ids.append(
                        notify.send_email(
                            to=address,
                            subject=message.subject,
                            body=message.body,
                            reference=message.extra_headers.get("X-Portal-Reference", ""),
                        )
                    )
            except notify.NotifyError:
                if not self.fail_silently:
                    raise
                continue
            message.notify_ids = ids
            sent += 1
        return sent
