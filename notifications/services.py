"""Telling people things: a Notification row per person, emailed by a worker after commit."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from notifications.kinds import is_switchable
from notifications.models import EmailPreference, Notification
from notifications.registry import kind as registered_kind


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


def recipient_language(recipient: Recipient, default: str = "") -> str:
    """The language to write to this person in: the one they chose (``User.language``); else
    ``default``, which the sending app gives (Welsh when the message is about a Welsh-first Compact);
    else the portal's (``settings.LANGUAGE_CODE``)."""
    chosen = getattr(recipient.user, "language", "") if recipient.user is not None else ""
    return chosen or default or settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path if path.startswith("/") else path


@dataclass(frozen=True)
class Message:
    """One notification to record: who, which kind, and the text template with its context."""

    recipient: Recipient
    kind: str
    template: str
    context: dict
    link: str = ""
    postscript: str = ""  # added after the rendered body, e.g. why this person is told
    # The language for a recipient who has not chosen one (see recipient_language): "cy" when the
    # message concerns a Welsh-first Compact; "" for the portal's default.
    language: str = ""


def notify(
    *,
    recipients: Iterable[Recipient],
    kind: str,
    template: str,
    context: dict,
    link: str = "",
    language: str = "",
) -> list[Notification]:
    """Record a notification for each recipient and email it once the transaction commits.

    ``template`` names a text template whose first line is the subject and the rest the body,
    rendered with ``context`` and ``link`` (absolute). It is rendered once per language: each
    person gets it in theirs (:func:`recipient_language`; ``language`` is the sending app's default
    for those who have not chosen), subject included, starting with a greeting by name
    (:func:`greeting`).

    Everyone gets the notification on their notifications page; the email is left out for a person
    who switched that kind off (see :mod:`notifications.kinds`). A recipient without an account
    is always emailed. A kind no app registered raises ``UnknownKind`` (see
    :mod:`notifications.registry`).
    """
    return notify_many(
        [
            Message(recipient=r, kind=kind, template=template, context=context, link=link, language=language)
            for r in recipients
        ]
    )


def greeting(recipient: Recipient) -> str:
    return gettext("Hello %(name)s,") % {"name": recipient.name or gettext("there")}


class _Greetings(dict):
    """The greeting for each (language, name) (see greeting), translated once per name and language."""

    def __missing__(self, key: tuple[str, str]) -> str:
        language, name = key
        with translation.override(language):
            self[key] = text = greeting(Recipient(email="", name=name))
        return text


def notify_many(messages: Iterable[Message]) -> list[Notification]:
    """Record many notifications at once (one query for the email choices, one insert), each
    emailed once the transaction commits; see :func:`notify`.

    Messages with the same template, context (the same dict), link and language are rendered once.
    """
    created = notifications_prepare(messages)
    if created:
        Notification.objects.bulk_create(created)
        queue_emails_on_commit(created)
    return created


def notifications_prepare(messages: Iterable[Message]) -> list[Notification]:
    """The notifications of these messages, rendered and not yet saved (see :func:`notify_many`,
    which saves them; the reminder sweep saves them beside its claims)."""
    messages = list(messages)
    if not messages:
        return []
    for code in {message.kind for message in messages}:
        registered_kind(code)  # raises UnknownKind: every kind sent is declared, with its label and templates
    not_emailed = _not_emailed(messages)
    rendered: dict[tuple, tuple[str, str]] = {}
    greetings = _Greetings()
    created = []
    for message in messages:
        link = message.link
        recipient = message.recipient
        language = recipient_language(recipient, message.language)
        group = (message.template, id(message.context), link, language)
        if group not in rendered:
            with translation.override(language):
                text = render_to_string(
                    message.template, {**message.context, "link": absolute_url(link) if link else ""}
                )
            subject, _, body = text.strip().partition("\n")
            # One line whatever a name holds: a "\r" (or any other line break) in a subject header
            # would make the email fail to send.
            rendered[group] = (" ".join(subject.split())[:200], body.strip())
        subject, body = rendered[group]
        user = recipient.user
        created.append(
            Notification(
                recipient=user,
                email=recipient.email,
                kind=message.kind,
                subject=subject,
                body="\n\n".join(filter(None, (greetings[(language, recipient.name)], body, str(message.postscript)))),
                link=link,
                # No address, no email (an account or a contact without one): the notification is
                # still shown in the portal; marking it emailed would claim a message nobody got.
                email_wanted=bool(recipient.email) and (user is None or (user.pk, message.kind) not in not_emailed),
            )
        )
    return created


def queue_emails_on_commit(notifications: list[Notification]) -> None:
    """Queue the emails of these saved notifications (those wanted) once the transaction commits.

    A process that dies between the commit and the queueing leaves the emails unsent:
    ``deliver_unsent_notifications`` queues them again.
    """
    from notifications.tasks import queue_emails

    to_email = [n.pk for n in notifications if n.email_wanted]
    if to_email:
        transaction.on_commit(lambda: queue_emails(to_email))


def _not_emailed(messages: list[Message]) -> set[tuple[int, str]]:
    """(user id, kind) for each user here who does not want that kind emailed: switched off, or never
    switched on when the kind is not emailed by default (one query, none if nobody can choose)."""
    chosen = [m for m in messages if m.recipient.user is not None and is_switchable(m.kind)]
    if not chosen:
        return set()
    rows = EmailPreference.objects.filter(
        user__in={m.recipient.user.pk for m in chosen}, kind__in={m.kind for m in chosen}
    ).values_list("user_id", "kind", "email")
    choices = {(user_id, kind): email for user_id, kind, email in rows}
    return {
        (m.recipient.user.pk, m.kind)
        for m in chosen
        if not choices.get((m.recipient.user.pk, m.kind), registered_kind(m.kind).emailed_by_default)
    }


def email_preferences_save(*, user, emailed: Iterable[str], kinds: Iterable[str]) -> None:
    """Record, for each of ``kinds``, whether the user wants it by email (those in ``emailed``)."""
    emailed = set(emailed)
    EmailPreference.objects.bulk_create(
        [EmailPreference(user=user, kind=kind, email=kind in emailed) for kind in kinds],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["email"],
    )


# --- Calendar feeds ------------------------------------------------------------------------------


# The token is written with ``update()``, not ``save()``: the audit log records what ``save()``
# changes, and a secret has no place there.


def organisation_calendar_token(*, organisation) -> str:
    """The secret in the organisation's calendar address, made the first time it is asked for.

    Two first requests at once make one token: only a row still without one is updated.
    """
    if not organisation.calendar_token:
        type(organisation).objects.filter(pk=organisation.pk, calendar_token__isnull=True).update(
            calendar_token=secrets.token_urlsafe(32)
        )
        organisation.refresh_from_db(fields=["calendar_token"])
    return organisation.calendar_token


def organisation_calendar_token_rotate(*, organisation) -> str:
    """A new secret for the organisation's calendar address: the old address stops working at once."""
    token = secrets.token_urlsafe(32)
    type(organisation).objects.filter(pk=organisation.pk).update(calendar_token=token)
    organisation.calendar_token = token
    return token
