"""An email backend that sends through GOV.UK Notify (chosen when ``NOTIFY_API_KEY`` is set).

The message keeps its text from the portal's own templates; Notify gets it through one generic
template (``NOTIFY_EMAIL_TEMPLATE_ID``) as the personalisation ``subject`` and ``body``. Notify's
ids are left on the message (``message.notify_ids``, one per recipient) for the caller to store.
Errors are :mod:`notifications.notify`'s: ``Retryable`` or ``Rejected``.
"""

from django.core.mail.backends.base import BaseEmailBackend

from notifications import notify


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
