"""Telling people things: a Notification row per person, emailed by a worker after commit."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from notifications.models import Notification


@dataclass(frozen=True)
class Recipient:
    email: str
    user: object | None = None  # accounts.User, when the person has an account
    name: str = ""

    @classmethod
    def for_user(cls, user) -> "Recipient":
        return cls(email=user.email, user=user, name=user.get_full_name() or user.get_username())


def recipients_for_users(users: Iterable) -> list[Recipient]:
    seen, result = set(), []
    for user in users:
        if user.is_active and user.email and user.email.lower() not in seen:
            seen.add(user.email.lower())
            result.append(Recipient.for_user(user))
    return result


def unique_recipients(*groups: Iterable[Recipient]) -> list[Recipient]:
    """Everyone in the groups, once each (by email address), in order."""
    seen, result = set(), []
    for group in groups:
        for recipient in group:
            if recipient.email.lower() not in seen:
                seen.add(recipient.email.lower())
                result.append(recipient)
    return result


def absolute_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path if path.startswith("/") else path


def notify(
    *, recipients: Iterable[Recipient], kind: str, template: str, context: dict, link: str = ""
) -> list[Notification]:
    """Record a notification for each recipient and email it once the transaction commits.

    ``template`` names a text template whose first line is the subject and the rest the body;
    it is rendered once per recipient with ``recipient`` and ``link`` (absolute) in the context.
    """
    from notifications.tasks import deliver_notification

    created = []
    for recipient in recipients:
        text = render_to_string(
            template, {**context, "recipient": recipient, "link": absolute_url(link) if link else ""}
        ).strip()
        subject, _, body = text.partition("\n")
        notification = Notification.objects.create(
            recipient=recipient.user,
            email=recipient.email,
            kind=kind,
            subject=subject.strip()[:200],
            body=body.strip(),
            link=link,
        )
        created.append(notification)
        transaction.on_commit(lambda pk=notification.pk: deliver_notification.delay(pk))
    return created
