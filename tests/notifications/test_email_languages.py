"""Emails in each recipient's language: the one they chose, else Welsh for a Welsh-first Compact,
else the portal's; subject lines too."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from accounts import tasks as account_tasks
from notifications import reminders, services
from notifications.services import Recipient, recipient_language
from signatories import services as signatory_services
from signatories.models import Membership
from tests.accounts.factories import UserFactory
from tests.signatories.factories import MembershipFactory, SignatureFactory
from tests.support.catalogue import welsh_catalogue

pytestmark = pytest.mark.django_db

WELSH = {
    "%(organisation)s has signed the Compact": "Mae %(organisation)s wedi llofnodi’r Compact",
    "Hello %(name)s,": "Helo %(name)s,",
    "You are invited to join %(organisation)s on the Compact Portal": (
        "Gwahoddiad i ymuno â %(organisation)s ar Borth y Compact"
    ),
    "Reset your %(site_name)s password": "Ailosod eich cyfrinair %(site_name)s",
    "The link works for one day and only once.": "Mae’r ddolen yn gweithio am un diwrnod ac unwaith yn unig.",
}


@pytest.fixture(autouse=True)
def welsh(tmp_path):
    with welsh_catalogue(tmp_path, WELSH):
        yield


def subjects_to(address: str) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [address]]


def body_to(address: str) -> str:
    return "\n".join(message.body for message in mail.outbox if message.to == [address])


@pytest.fixture
def signature(edition, coordinator):
    signature = SignatureFactory(edition=edition, organisation__name="Riverside Food Bank")
    people = {}
    for name, language in (("gwen", "cy"), ("jack", "en-gb"), ("sam", "")):
        people[name] = MembershipFactory(
            organisation=signature.organisation,
            user=UserFactory(username=name, email=f"{name}@example.org", language=language),
            role=Membership.Role.ADMIN,
        ).user
    return signature


def test_one_event_reaches_each_person_in_their_own_language(
    signature, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signatory_services.signature_approve(signature=signature, by=coordinator)
    assert subjects_to("gwen@example.org") == ["Mae Riverside Food Bank wedi llofnodi’r Compact"]
    assert body_to("gwen@example.org").startswith("Helo ")
    assert subjects_to("jack@example.org") == ["Riverside Food Bank has signed the Compact"]
    assert body_to("jack@example.org").startswith("Hello ")
    # Sam has not chosen, and the Compact is not Welsh-first: the portal's language.
    assert subjects_to("sam@example.org") == ["Riverside Food Bank has signed the Compact"]


def test_someone_who_has_not_chosen_is_written_to_in_welsh_about_a_welsh_first_compact(
    signature, coordinator, django_capture_on_commit_callbacks
):
    compact = signature.edition.compact
    compact.welsh_first = True
    compact.save()
    with django_capture_on_commit_callbacks(execute=True):
        signatory_services.signature_approve(signature=signature, by=coordinator)
    assert subjects_to("sam@example.org") == ["Mae Riverside Food Bank wedi llofnodi’r Compact"]
    assert subjects_to("jack@example.org") == ["Riverside Food Bank has signed the Compact"]  # chose English


def test_the_language_a_person_chose_comes_first():
    assert recipient_language(Recipient(email="a@example.org"), "cy") == "cy"
    assert recipient_language(Recipient(email="a@example.org")) == "en-gb"
    english = UserFactory(language="en-gb")
    assert recipient_language(Recipient.for_user(english), "cy") == "en-gb"


def test_an_invitation_is_written_in_the_inviters_language(signature, django_capture_on_commit_callbacks):
    gwen = signature.organisation.memberships.get(user__username="gwen").user
    with django_capture_on_commit_callbacks(execute=True):
        signatory_services.invitation_send(
            organisation=signature.organisation, email="new@example.org", role="member", by=gwen
        )
    assert subjects_to("new@example.org") == ["Gwahoddiad i ymuno â Riverside Food Bank ar Borth y Compact"]


def test_messages_sharing_a_context_are_rendered_once_per_language(signature, coordinator):
    """How the sweep sends a reminder to many: one context, rendered in each recipient's language."""
    gwen, jack = (signature.organisation.memberships.get(user__username=name).user for name in ("gwen", "jack"))
    reminder = reminders.DueReminder(
        kind="approval_waiting",
        subject_key=f"signature:{signature.pk}",
        recipients=[Recipient.for_user(gwen), Recipient.for_user(jack)],
        due_on=datetime.date(2027, 3, 4),
        template="signatories/emails/approved.txt",
        context={"signature": signature},
    )
    notifications = services.notify_many(
        [
            services.Message(recipient=r, kind=reminder.kind, template=reminder.template, context=reminder.context)
            for r in reminder.recipients
        ]
    )
    by_email = {n.email: n for n in notifications}
    assert by_email["gwen@example.org"].subject.startswith("Mae ")
    assert by_email["jack@example.org"].subject.endswith("has signed the Compact")


def test_the_password_reset_email_is_in_the_accounts_language(client):
    UserFactory(username="gwen", email="gwen@example.org", language="cy")
    UserFactory(username="jack", email="jack@example.org", language="en-gb")
    for address in ("gwen@example.org", "jack@example.org"):
        account_tasks.password_reset_send(address, "testserver", False, "en-gb")
    assert subjects_to("gwen@example.org") == ["Ailosod eich cyfrinair testserver"]
    assert "Mae’r ddolen yn gweithio am un diwrnod" in body_to("gwen@example.org")
    assert subjects_to("jack@example.org") == ["Reset your testserver password"]
    assert "The link works for one day and only once." in body_to("jack@example.org")


def test_a_reset_asked_from_a_welsh_page_for_an_account_without_a_choice_is_in_welsh(client):
    UserFactory(username="sam", email="sam@example.org", language="")
    queued = []
    with mock.patch.object(account_tasks.password_reset_send, "delay", side_effect=lambda *a: queued.append(a)):
        client.post(reverse("accounts:password_reset"), {"email": "sam@example.org"}, headers={"accept-language": "cy"})
    assert queued and queued[0][3] == "cy"
    account_tasks.password_reset_send(*queued[0])
    assert subjects_to("sam@example.org") == ["Ailosod eich cyfrinair testserver"]


def test_the_compact_and_edition_are_named_in_the_recipients_language(
    signature, coordinator, django_capture_on_commit_callbacks
):
    """An email names the Compact by its Welsh name for a Welsh reader, its English one for others."""
    edition = signature.edition
    edition.compact.name_cy = "Compact Glan yr Afon"
    edition.compact.save()
    edition.name_cy = "Argraffiad cyntaf"
    edition.save()
    with django_capture_on_commit_callbacks(execute=True):
        signatory_services.signature_approve(signature=signature, by=coordinator)
    welsh, english = body_to("gwen@example.org"), body_to("jack@example.org")
    assert "Compact Glan yr Afon" in welsh and "Argraffiad cyntaf" in welsh
    assert edition.compact.name not in welsh
    assert edition.compact.name in english and "Compact Glan yr Afon" not in english
