"""Asking the signatories of a replaced edition to re-affirm: a task queued when the publishing
commits, in batches, safe to run again (signatories.services.reaffirmation_request_all)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_save
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from commitments import services as edition_services
from commitments.models import Edition, EditionStatusChange
from monitoring import indicators
from notifications.models import Notification
from reviews import pdf as review_pdf
from signatories import services
from signatories.models import Membership, Signature, SignatureEvent
from signatories.tasks import request_missing_reaffirmations, request_reaffirmation
from tests.accounts.factories import UserFactory
from tests.commitments.factories import CompactFactory, build_edition
from tests.signatories.factories import MembershipFactory, OrganisationFactory, SignatureFactory

S = Signature.Status
SUBJECT = "Please re-affirm your signature of Riverside Compact"


def signatories(edition, count: int, *, admins: int = 1) -> list:
    """``count`` organisations that signed ``edition``, each with ``admins`` admins and one plain member."""
    organisations = []
    for _ in range(count):
        organisation = OrganisationFactory()
        for _ in range(admins):
            MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
        MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)
        SignatureFactory(organisation=organisation, edition=edition, status=S.SIGNED)
        organisations.append(organisation)
    return organisations


def publish_without_the_task(compact, coordinator, name: str = "Refreshed 2027"):
    """Publish a new edition; what the commit sets off (the task) is not run. Returns the new edition
    and the callbacks the commit would run."""
    draft = edition_services.edition_start_from_current(compact=compact, name=name, by=coordinator)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        new = edition_services.edition_publish(edition=draft, by=coordinator)
    return new, callbacks


def run(previous, new, by, django_capture_on_commit_callbacks) -> int:
    """The task, as a worker runs it: its commits send the emails."""
    with django_capture_on_commit_callbacks(execute=True):
        return request_reaffirmation(previous.pk, new.pk, by.pk)


def task_alone(previous, new, by) -> int:
    """The task without what its commits set off (the emails are sent by tasks of their own)."""
    with TestCase.captureOnCommitCallbacks(execute=False):
        return request_reaffirmation(previous.pk, new.pk, by.pk)


def emails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def admin_addresses(organisation) -> list[str]:
    return list(
        organisation.memberships.filter(role=Membership.Role.ADMIN).values_list("user__email", flat=True).order_by("pk")
    )


def audit_entries(new) -> list:
    ids = [str(pk) for pk in Signature.objects.filter(edition=new).values_list("pk", flat=True)]
    return list(LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Signature), object_pk__in=ids))


@pytest.fixture
def two_batches(monkeypatch):
    monkeypatch.setattr(services, "REAFFIRMATION_BATCH", 2)


def test_the_task_asks_each_signatory_once_with_its_event_audit_entry_and_email(
    django_capture_on_commit_callbacks, compact, edition, coordinator
):
    organisations = signatories(edition, 3, admins=2)
    by_post = OrganisationFactory(name="Paper Group", contact_email="post@paper.example")  # no members at all
    SignatureFactory(organisation=by_post, edition=edition, status=S.SIGNED)
    pending = signatories(edition, 1)[0]
    Signature.objects.filter(organisation=pending, edition=edition).update(status=S.PENDING)
    new, _callbacks = publish_without_the_task(compact, coordinator)
    assert not Signature.objects.filter(edition=new).exists()  # the request asked nobody itself

    assert run(edition, new, coordinator, django_capture_on_commit_callbacks) == 4

    requested = Signature.objects.filter(edition=new)
    assert {s.organisation_id for s in requested} == {o.pk for o in [*organisations, by_post]}
    assert {s.status for s in requested} == {S.REAFFIRMATION_REQUESTED}
    events = SignatureEvent.objects.filter(signature__edition=new)
    assert sorted((e.signature_id, e.old_status, e.new_status, e.by_id) for e in events) == sorted(
        (s.pk, "", S.REAFFIRMATION_REQUESTED, coordinator.pk) for s in requested
    )
    entries = audit_entries(new)
    assert sorted(int(e.object_pk) for e in entries) == sorted(s.pk for s in requested)
    assert {(e.action, e.actor_id) for e in entries} == {(LogEntry.Action.CREATE, coordinator.pk)}
    [entry] = [e for e in entries if int(e.object_pk) == requested.get(organisation=by_post).pk]
    assert entry.object_repr == str(requested.get(organisation=by_post))
    assert entry.changes["status"] == ["None", S.REAFFIRMATION_REQUESTED]
    # Each admin (or, with none, the contact) once; plain members and the pending organisation not at all.
    for organisation in organisations:
        for address in admin_addresses(organisation):
            [email] = emails_to(address)
            assert email.subject == SUBJECT
            signature = requested.get(organisation=organisation)
            assert (
                f"A new edition of Riverside Compact, Refreshed 2027, has been published. {organisation.name} "
                "signed the previous edition (First edition). Please read the new edition and re-affirm your "
                "signature, so that the register shows you as a signatory of the current Compact."
            ) in " ".join(email.body.split())
            assert signature.get_absolute_url() in email.body
    [to_contact] = emails_to("post@paper.example")
    assert "Paper Group signed the previous edition (First edition)" in " ".join(to_contact.body.split())
    members = Membership.objects.filter(role=Membership.Role.MEMBER).values_list("user__email", flat=True)
    assert not [m for m in mail.outbox if set(m.to) & set(members)]
    assert not emails_to(admin_addresses(pending)[0])
    assert len(mail.outbox) == 3 * 2 + 1


def test_each_admin_is_written_to_in_their_language(django_capture_on_commit_callbacks, compact, edition, coordinator):
    organisation = signatories(edition, 1)[0]
    welsh = UserFactory(language="cy")
    MembershipFactory(organisation=organisation, user=welsh, role=Membership.Role.ADMIN)
    new, _callbacks = publish_without_the_task(compact, coordinator)
    run(edition, new, coordinator, django_capture_on_commit_callbacks)
    [english_admin] = [a for a in admin_addresses(organisation) if a != welsh.email]
    assert [m.subject for m in emails_to(english_admin)] == [SUBJECT]
    assert [m.subject for m in emails_to(welsh.email)] == ["Ailgadarnhewch eich llofnod ar Riverside Compact"]


def test_a_task_delivered_twice_asks_nobody_twice(django_capture_on_commit_callbacks, compact, edition, coordinator):
    signatories(edition, 3)
    new, _callbacks = publish_without_the_task(compact, coordinator)
    run(edition, new, coordinator, django_capture_on_commit_callbacks)
    counts = (Signature.objects.count(), SignatureEvent.objects.count(), LogEntry.objects.count())
    sent, notified = len(mail.outbox), Notification.objects.count()

    assert run(edition, new, coordinator, django_capture_on_commit_callbacks) == 0

    assert (Signature.objects.count(), SignatureEvent.objects.count(), LogEntry.objects.count()) == counts
    assert (len(mail.outbox), Notification.objects.count()) == (sent, notified) == (3, 3)


def test_a_task_that_dies_half_way_is_finished_by_the_next_delivery(
    django_capture_on_commit_callbacks, monkeypatch, two_batches, compact, edition, coordinator
):
    organisations = signatories(edition, 5)
    new, _callbacks = publish_without_the_task(compact, coordinator)
    real_notify_many, calls = services.notify_many, []

    def dies_on_the_second_batch(messages):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_notify_many(messages)

    monkeypatch.setattr(services, "notify_many", dies_on_the_second_batch)
    with pytest.raises(RuntimeError):
        run(edition, new, coordinator, django_capture_on_commit_callbacks)
    # The first batch was committed, emails and all; the second was rolled back whole.
    assert Signature.objects.filter(edition=new).count() == 2
    assert len(mail.outbox) == 2 and len(audit_entries(new)) == 2

    monkeypatch.setattr(services, "notify_many", real_notify_many)
    assert run(edition, new, coordinator, django_capture_on_commit_callbacks) == 3

    assert Signature.objects.filter(edition=new).count() == 5
    assert SignatureEvent.objects.filter(signature__edition=new).count() == 5
    assert len(audit_entries(new)) == 5
    for organisation in organisations:
        [address] = admin_addresses(organisation)
        assert [m.subject for m in emails_to(address)] == [SUBJECT]


def test_the_audit_log_and_the_kept_figures_hear_of_every_batch(
    django_capture_on_commit_callbacks, two_batches, compact, edition, coordinator
):
    """bulk_create sends no post_save: the audit entries are written and post_save sent once a batch,
    so monitoring's figures and the reviews' change tokens are dropped as a save would drop them."""
    signatories(edition, 5)
    new, _callbacks = publish_without_the_task(compact, coordinator)
    figures_before = cache.get(indicators._VERSION_KEY)
    portal_key = review_pdf._SOURCES_KEY.format("portal")
    cache.set(portal_key, "before", None)
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.edition_id, created))

    post_save.connect(receiver, sender=Signature, dispatch_uid="test-reaffirmation-batches")
    try:
        run(edition, new, coordinator, django_capture_on_commit_callbacks)
    finally:
        post_save.disconnect(sender=Signature, dispatch_uid="test-reaffirmation-batches")

    assert heard == [(new.pk, True)] * 3  # batches of 2, 2 and 1
    assert len(audit_entries(new)) == 5
    assert cache.get(indicators._VERSION_KEY) not in (None, figures_before)
    assert cache.get(portal_key) != "before"


def task_queries(coordinator, count: int) -> int:
    """The queries of the task asking ``count`` signatories of a new Compact's first edition."""
    ContentType.objects.get_for_model(Signature)  # kept by ContentType's own cache after the first use
    compact = CompactFactory(coordinators=[coordinator])
    first = build_edition(compact=compact, name="First edition")
    signatories(first, count)
    new, _callbacks = publish_without_the_task(compact, coordinator)
    with CaptureQueriesContext(connection) as captured:
        asked = task_alone(first, new, coordinator)
    assert asked == count
    return len(captured)


def test_the_task_costs_the_same_queries_for_3_or_30_organisations(coordinator):
    assert task_queries(coordinator, 3) == task_queries(coordinator, 30)


def test_more_batches_cost_a_constant_number_of_queries_each(coordinator, two_batches):
    two, four, six = (task_queries(coordinator, count) for count in (2, 4, 6))
    assert four - two == six - four > 0


def test_the_publish_request_costs_the_same_queries_whatever_the_number_of_signatories(client, coordinator):
    def publish(count: int):
        compact = CompactFactory(name=f"Compact of {count}", coordinators=[coordinator])
        first = build_edition(compact=compact, name="First edition")
        signatories(first, count)
        draft = edition_services.edition_start_from_current(compact=compact, name="Refreshed 2027", by=coordinator)
        page = reverse("commitments:edition_publish", kwargs={"slug": compact.slug, "pk": draft.pk})
        with (
            TestCase.captureOnCommitCallbacks(execute=False) as callbacks,
            CaptureQueriesContext(connection) as captured,
        ):
            response = client.post(page)
        assert response.status_code == 302
        assert not Signature.objects.filter(edition=draft).exists()  # asked by the task, not the request
        return len(captured), client.get(response.url).content.decode(), callbacks, draft

    client.force_login(coordinator)
    few, few_page, _callbacks, _draft = publish(3)
    many, many_page, callbacks, draft = publish(30)
    assert few == many
    sent_to = "Re-affirmation requests are being sent to the {} organisations that signed First edition or an earlier"
    assert sent_to.format(3) + " edition and have not withdrawn." in few_page
    assert sent_to.format(30) + " edition and have not withdrawn." in many_page
    for callback in callbacks:  # the commit queues the task
        callback()
    assert Signature.objects.filter(edition=draft, status=S.REAFFIRMATION_REQUESTED).count() == 30


def test_the_publish_message_says_nothing_of_re_affirmation_when_nobody_signed(client, compact, edition, coordinator):
    draft = edition_services.edition_start_from_current(compact=compact, name="Refreshed 2027", by=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("commitments:edition_publish", kwargs={"slug": compact.slug, "pk": draft.pk}), follow=True
    )
    page = response.content.decode()
    assert "‘Refreshed 2027’ is now the current edition." in page
    assert "Re-affirmation" not in page


def test_an_edition_replaced_before_the_task_ran_asks_nobody(
    django_capture_on_commit_callbacks, compact, edition, coordinator
):
    signatories(edition, 2)
    middle, _callbacks = publish_without_the_task(compact, coordinator)
    latest, _callbacks = publish_without_the_task(compact, coordinator, name="Refreshed 2028")
    assert run(edition, middle, coordinator, django_capture_on_commit_callbacks) == 0
    assert not Signature.objects.filter(edition=middle).exists()
    assert not Signature.objects.filter(edition=latest).exists()
    assert mail.outbox == []


def test_two_editions_published_before_either_task_ran_ask_the_first_ones_signatories_for_the_latest(
    django_capture_on_commit_callbacks, compact, edition, coordinator
):
    """Nobody had signed the middle edition: its signatories were to be asked by the task the middle
    one's publishing queued, which asks nobody once its edition is replaced. The latest's task asks
    them (make load found them never asked, its worker slow and two publishes close together)."""
    organisations = signatories(edition, 2)
    middle, _callbacks = publish_without_the_task(compact, coordinator)
    latest, _callbacks = publish_without_the_task(compact, coordinator, name="Refreshed 2028")
    later = timezone.now() + datetime.timedelta(hours=1)
    assert services.reaffirmation_runs_unfinished(now=later) == [(middle.pk, latest.pk, coordinator.pk)]
    assert run(edition, middle, coordinator, django_capture_on_commit_callbacks) == 0
    assert run(middle, latest, coordinator, django_capture_on_commit_callbacks) == 2
    asked = Signature.objects.filter(edition=latest, status=S.REAFFIRMATION_REQUESTED)
    assert sorted(asked.values_list("organisation_id", flat=True)) == sorted(o.pk for o in organisations)
    assert not Signature.objects.filter(edition=middle).exists()
    # Their emails name the edition they signed.
    assert len(mail.outbox) == 2 and all(edition.name in m.body for m in mail.outbox)
    assert services.reaffirmation_runs_unfinished(now=later) == []
    assert run(middle, latest, coordinator, django_capture_on_commit_callbacks) == 0  # again: nobody twice


def asked_then_one_answered_and_one_withdrawn(
    compact, edition, coordinator, django_capture_on_commit_callbacks, answered, withdrawn
):
    """A new edition whose request went to the signatories of ``edition``: ``answered`` re-affirms,
    ``withdrawn`` withdraws, the others stay silent. Returns the new edition."""
    middle, _callbacks = publish_without_the_task(compact, coordinator)
    assert run(edition, middle, coordinator, django_capture_on_commit_callbacks) == 3
    services.signature_reaffirm(
        signature=Signature.objects.get(edition=middle, organisation=answered),
        by=coordinator,
        signatory_name="Ada Jones",
        signatory_role="Chair",
        signed_on=timezone.localdate(),
    )
    services.signature_withdraw(
        signature=Signature.objects.get(edition=middle, organisation=withdrawn), by=coordinator, reason="Closing down."
    )
    return middle


def test_those_asked_and_not_answered_are_asked_again_for_the_next_edition_and_the_withdrawn_are_not(
    django_capture_on_commit_callbacks, compact, edition, coordinator
):
    answered, silent, withdrawn = signatories(edition, 3)
    middle = asked_then_one_answered_and_one_withdrawn(
        compact, edition, coordinator, django_capture_on_commit_callbacks, answered, withdrawn
    )
    latest, _callbacks = publish_without_the_task(compact, coordinator, name="Refreshed 2028")
    mail.outbox = []

    assert run(middle, latest, coordinator, django_capture_on_commit_callbacks) == 2
    asked = Signature.objects.filter(edition=latest, status=S.REAFFIRMATION_REQUESTED)
    assert sorted(asked.values_list("organisation_id", flat=True)) == sorted([answered.pk, silent.pk])
    assert not Signature.objects.filter(edition=latest, organisation=withdrawn).exists()


def test_the_publish_message_counts_those_asked_before_and_not_answered_and_not_the_withdrawn(
    client, django_capture_on_commit_callbacks, compact, edition, coordinator
):
    answered, _silent, withdrawn = signatories(edition, 3)
    middle = asked_then_one_answered_and_one_withdrawn(
        compact, edition, coordinator, django_capture_on_commit_callbacks, answered, withdrawn
    )
    draft = edition_services.edition_start_from_current(compact=compact, name="Refreshed 2028", by=coordinator)
    client.force_login(coordinator)
    with TestCase.captureOnCommitCallbacks(execute=False):
        response = client.post(
            reverse("commitments:edition_publish", kwargs={"slug": compact.slug, "pk": draft.pk}), follow=True
        )
    # The one that re-affirmed Refreshed 2027 and the one asked to and silent; not the withdrawn one.
    assert (
        "Re-affirmation requests are being sent to the 2 organisations that signed Refreshed 2027 or an earlier "
        "edition and have not withdrawn." in response.content.decode()
    )
    with translation.override("cy"), TestCase.captureOnCommitCallbacks(execute=False):
        message = services.on_edition_replaced(Edition, previous=middle, new=Edition.objects.get(pk=draft.pk), by=None)
    assert message == (
        "Mae ceisiadau i ailgadarnhau yn cael eu hanfon at y 2 sefydliad a lofnododd Refreshed 2027 neu argraffiad "
        "cynharach ac nad ydynt wedi tynnu'n ôl."
    )


def test_the_sweep_queues_a_lost_task_again(django_capture_on_commit_callbacks, compact, edition, coordinator):
    organisations = signatories(edition, 3)
    new, _callbacks = publish_without_the_task(compact, coordinator)  # the task never queued
    published_at = EditionStatusChange.objects.get(edition=new, new_status="published").changed_at
    # Not in the first minutes (the task queued on commit has its chance), nor after a week.
    assert services.reaffirmation_runs_unfinished(now=published_at + datetime.timedelta(minutes=5)) == []
    assert services.reaffirmation_runs_unfinished(now=published_at + datetime.timedelta(days=8)) == []
    later = published_at + datetime.timedelta(hours=1)
    assert services.reaffirmation_runs_unfinished(now=later) == [(edition.pk, new.pk, coordinator.pk)]

    EditionStatusChange.objects.filter(edition__compact=compact).update(
        changed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert request_missing_reaffirmations() == 1
    assert Signature.objects.filter(edition=new, status=S.REAFFIRMATION_REQUESTED).count() == 3
    assert len(mail.outbox) == len(organisations)
    assert services.reaffirmation_runs_unfinished() == []  # done: nothing more to queue


def test_the_sweep_is_one_query_however_many_compacts(coordinator, django_assert_num_queries):
    for n in range(3):
        compact = CompactFactory(coordinators=[coordinator])
        first = build_edition(compact=compact, name="First edition")
        signatories(first, n + 1)
        publish_without_the_task(compact, coordinator)
    later = timezone.now() + datetime.timedelta(hours=1)
    with django_assert_num_queries(1):
        runs = services.reaffirmation_runs_unfinished(now=later)
    assert len(runs) == 3
