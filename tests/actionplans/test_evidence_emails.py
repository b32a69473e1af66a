"""A coordinator's decision on evidence is emailed to whoever gave it and its organisation's admins,
in their language, once, with the reason when it is returned."""

import pytest
from django.core import mail

from actionplans import services
from actionplans.models import Evidence
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.actionplans.factories import EvidenceFactory
from tests.commitments.factories import build_edition
from tests.signatories.factories import MembershipFactory, OrganisationFactory
from tests.support.catalogue import welsh_catalogue

pytestmark = pytest.mark.django_db

WELSH = {
    "Hello %(name)s,": "Helo %(name)s,",
    "Evidence returned: %(title)s": "Tystiolaeth wedi’i dychwelyd: %(title)s",
    "Evidence accepted: %(title)s": "Tystiolaeth wedi’i derbyn: %(title)s",
}


@pytest.fixture(autouse=True)
def welsh(tmp_path):
    with welsh_catalogue(tmp_path, WELSH):
        yield


@pytest.fixture
def edition():
    edition = build_edition()
    edition.compact.coordinators.set([UserFactory(username="coordinator", email="coordinator@example.org")])
    return edition


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Riverside Food Bank", contact_email="contact@riverside.example")


@pytest.fixture
def giver(organisation):
    return MembershipFactory(
        organisation=organisation, role="member", user=UserFactory(username="giver", email="giver@example.org")
    ).user


@pytest.fixture
def admin(organisation):
    return MembershipFactory(
        organisation=organisation,
        role="admin",
        user=UserFactory(username="admin", email="admin@example.org", language="cy"),
    ).user


@pytest.fixture
def evidence(edition, organisation, giver, admin):
    MembershipFactory(organisation=organisation, role="member", user=UserFactory(email="bystander@example.org"))
    return EvidenceFactory(
        outcome=edition.outcomes.get(number=1), organisation=organisation, submitted_by=giver, title="Monthly forum"
    )


def _decide(evidence, **kwargs):
    return services.evidence_decide(evidence=evidence, by=evidence.compact.coordinators.get(), **kwargs)


def test_accepting_tells_the_giver_and_the_admins_once(evidence, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _decide(evidence, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(evidence, accept=True)  # the form sent twice
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.org", "giver@example.org"]
    english = next(m for m in mail.outbox if m.to == ["giver@example.org"])
    assert english.subject == "Evidence accepted: Monthly forum"
    assert "is now public" in english.body
    assert evidence.get_absolute_url() in english.body
    assert set(Notification.objects.values_list("kind", flat=True)) == {"evidence_decided"}


def test_returning_gives_the_reason_in_each_person_s_language(evidence, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _decide(evidence, accept=False, reason="Add the dates of the meetings")
    giver = next(m for m in mail.outbox if m.to == ["giver@example.org"])
    admin = next(m for m in mail.outbox if m.to == ["admin@example.org"])
    assert giver.subject == "Evidence returned: Monthly forum"
    assert "Add the dates of the meetings" in giver.body and "Add the dates of the meetings" in admin.body
    assert admin.subject == "Tystiolaeth wedi’i dychwelyd: Monthly forum"  # the language the admin chose
    assert admin.body.startswith("Helo")
    assert Evidence.objects.get().status == Evidence.Status.RETURNED


def test_a_changed_decision_is_told_but_not_a_failed_one(evidence, django_capture_on_commit_callbacks):
    with pytest.raises(services.PlanError), django_capture_on_commit_callbacks(execute=True):
        _decide(evidence, accept=False, reason="  ")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _decide(evidence, accept=False, reason="Add the dates")
        _decide(evidence, accept=False, reason="Add the dates")
    with django_capture_on_commit_callbacks(execute=True):
        _decide(evidence, accept=True)
    subjects = sorted(m.subject for m in mail.outbox if m.to == ["giver@example.org"])
    assert subjects == ["Evidence accepted: Monthly forum", "Evidence returned: Monthly forum"]


def test_an_organisation_without_admins_is_told_at_its_contact(
    edition, organisation, giver, django_capture_on_commit_callbacks
):
    evidence = EvidenceFactory(outcome=edition.outcomes.get(number=1), organisation=organisation, submitted_by=giver)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(evidence, accept=True)
    assert sorted(m.to[0] for m in mail.outbox) == ["contact@riverside.example", "giver@example.org"]


def test_a_welsh_first_compact_writes_in_welsh_to_those_who_chose_no_language(
    edition, organisation, giver, django_capture_on_commit_callbacks
):
    compact = edition.compact
    compact.welsh_first = True
    compact.save()
    evidence = EvidenceFactory(outcome=edition.outcomes.get(number=1), organisation=organisation, submitted_by=giver)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(evidence, accept=True)
    to_giver = next(m for m in mail.outbox if m.to == ["giver@example.org"])
    assert to_giver.subject.startswith("Tystiolaeth wedi’i derbyn: ")
