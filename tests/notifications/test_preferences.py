"""A person chooses which kinds of notification are emailed; every one is still recorded."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications import kinds, registry
from notifications.models import EmailPreference, Notification, ReminderClaim
from notifications.registry import Kind
from notifications.reminders import reminders_sweep
from notifications.services import Recipient, notify
from tests.accounts.factories import UserFactory
from tests.commitments.factories import PublishedEditionFactory
from tests.notifications import asked_to_reaffirm

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("notifications:preferences")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """notify() as the services call it: inside a transaction, emailed once it commits."""

    def run(recipients, kind="signature_approved", template="notifications/emails/reminder_footer.txt"):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(recipients=recipients, kind=kind, template=template, context={}, link="/somewhere/")

    return run


def switch_off(user, *codes):
    for code in codes:
        EmailPreference.objects.create(user=user, kind=code, email=False)


# --- notify() honours the choices -----------------------------------------------------------------


def test_a_kind_switched_off_is_recorded_but_not_emailed(send):
    quiet, keen = UserFactory(), UserFactory()
    switch_off(quiet, "signature_approved")

    created = send([Recipient.for_user(quiet), Recipient.for_user(keen)])

    assert [m.to for m in mail.outbox] == [[keen.email]]
    assert {n.recipient for n in created} == {quiet, keen}
    assert Notification.objects.get(recipient=quiet).emailed_at is None
    assert Notification.objects.get(recipient=keen).emailed_at is not None


def test_switching_off_one_kind_leaves_the_others_emailed(send):
    user = UserFactory()
    switch_off(user, "signature_rejected")
    EmailPreference.objects.create(user=user, kind="signature_withdrawn", email=True)

    send([Recipient.for_user(user)], kind="signature_approved")
    send([Recipient.for_user(user)], kind="signature_withdrawn")
    send([Recipient.for_user(user)], kind="signature_rejected")

    assert len(mail.outbox) == 2
    assert Notification.objects.filter(recipient=user).count() == 3


def test_an_invitation_is_always_emailed(send):
    user = UserFactory()
    switch_off(user, "invitation")

    send([Recipient.for_user(user), Recipient(email="new.person@example.org")], kind="invitation")

    assert sorted(m.to[0] for m in mail.outbox) == sorted([user.email, "new.person@example.org"])


def test_someone_without_an_account_is_always_emailed(send):
    send([Recipient(email="contact@group.example")])

    assert [m.to for m in mail.outbox] == [["contact@group.example"]]


def test_a_reminder_switched_off_is_claimed_and_recorded_once_but_not_emailed(
    compact, django_capture_on_commit_callbacks
):
    edition = PublishedEditionFactory(compact=compact)
    signature = asked_to_reaffirm(edition=edition, on=datetime.date(2027, 3, 1), admins=2)
    quiet, keen = (m.user for m in signature.organisation.memberships.order_by("pk"))
    switch_off(quiet, "reaffirm_2_weeks")

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_sweep(today=datetime.date(2027, 3, 15))

    assert [m.to for m in mail.outbox] == [[keen.email]]
    assert ReminderClaim.objects.filter(sent_at__isnull=False).count() == 2
    assert Notification.objects.filter(kind="reaffirm_2_weeks", recipient=quiet).count() == 1


@pytest.mark.parametrize("people", [1, 5, 40])
def test_notify_looks_the_choices_up_once_and_inserts_once_for_all_recipients(send, django_assert_num_queries, people):
    users = [UserFactory() for _ in range(people)]
    switch_off(users[0], "signature_approved")

    with django_assert_num_queries(2):  # the choices, then one insert for every notification
        notify(
            recipients=[Recipient.for_user(u) for u in users],
            kind="signature_approved",
            template="notifications/emails/reminder_footer.txt",
            context={},
        )


# --- The page ------------------------------------------------------------------------------------------


def checked(response) -> set[str]:
    html = response.content.decode()
    return set(re.findall(r'value="([a-z_0-9]+)"\s+checked', html))


def test_the_page_is_for_signed_in_people(client):
    response = client.get(PREFERENCES)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_everything_is_emailed_until_switched_off(client):
    user = UserFactory()
    client.force_login(user)

    response = client.get(PREFERENCES)

    assert response.status_code == 200
    assert checked(response) == {kind.code for kind in kinds.switchable_kinds()}
    text = response.content.decode()
    for heading in ("Sign-ups", "Reminders about sign-ups", "Consultations", "Funding"):
        assert heading in text
    assert 'value="invitation"' not in text  # cannot be switched off
    assert "still appears on" in text
    assert "a consultation closes in 4 weeks" in text


def test_saving_writes_a_choice_per_kind_and_the_page_shows_it(client):
    user = UserFactory()
    other = UserFactory()
    switch_off(other, "consultation_opened")
    client.force_login(user)
    keep = {"signature_applied", "consultation_closing_1_week", "funding_notice_received"}

    response = client.post(
        PREFERENCES,
        {
            "signups": ["signature_applied"],
            "consultations": ["consultation_closing_1_week"],
            "funding": ["funding_notice_received"],
        },
    )

    assert response.status_code == 302
    assert response.url == PREFERENCES
    saved = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
    assert saved == {kind.code: kind.code in keep for kind in kinds.switchable_kinds()}
    page = client.get(PREFERENCES)
    assert checked(page) == keep
    assert "Your choices have been saved" in page.content.decode()
    assert EmailPreference.objects.filter(user=other).count() == 1  # nobody else's choices change

    client.post(PREFERENCES, {"signups": ["signature_applied", "signature_approved"]})
    assert set(EmailPreference.objects.filter(user=user, email=True).values_list("kind", flat=True)) == {
        "signature_applied",
        "signature_approved",
    }


def test_a_kind_that_does_not_exist_is_refused(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(PREFERENCES, {"signups": ["invitation"]})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not EmailPreference.objects.exists()


def test_unticking_everything_switches_every_email_off_but_keeps_notifications(client, send):
    user = UserFactory()
    client.force_login(user)
    client.post(PREFERENCES, {})

    send([Recipient.for_user(user)], kind="consultation_feedback_published")
    send([Recipient.for_user(user)], kind="invitation")

    assert [m.to for m in mail.outbox] == [[user.email]]  # the invitation only
    assert Notification.objects.filter(recipient=user).count() == 2


# --- A kind an app declares as not emailed until asked for ------------------------------------------------


@pytest.fixture
def quiet_kind(monkeypatch):
    """A kind its app declares as not emailed by default (none of today's kinds is one)."""
    kind = Kind(
        "signature_weekly_digest",
        "signups",
        "a weekly digest of sign-ups is ready",
        "Only for those who ask for it.",
        templates=("signatories/emails/approved.txt",),
        emailed_by_default=False,
    )
    monkeypatch.setitem(registry._kinds, kind.code, kind)
    return kind


def test_a_kind_not_emailed_by_default_is_unticked_until_chosen_and_emailed_once_chosen(client, send, quiet_kind):
    chooser, other = UserFactory(), UserFactory()
    client.force_login(chooser)

    page = client.get(PREFERENCES)
    assert "a weekly digest of sign-ups is ready" in page.content.decode()
    assert checked(page) == {kind.code for kind in kinds.switchable_kinds()} - {quiet_kind.code}

    client.post(PREFERENCES, {"signups": ["signature_applied", quiet_kind.code]})
    assert quiet_kind.code in checked(client.get(PREFERENCES))

    send([Recipient.for_user(chooser), Recipient.for_user(other)], kind=quiet_kind.code)

    assert [m.to for m in mail.outbox] == [[chooser.email]]
    assert Notification.objects.filter(kind=quiet_kind.code).count() == 2
