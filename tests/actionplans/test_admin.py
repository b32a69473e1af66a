"""Action plans in the Django admin: the changelists in a fixed number of queries, an action added
there gets its history, notes are recorded as the staff member's, and evidence accepted there is
told to whoever gave it."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from actionplans.models import Action, ActionStatusChange, Evidence, ProgressNote
from tests.accounts.factories import UserFactory
from tests.actionplans.factories import ActionFactory, EvidenceFactory, guidance_strand
from tests.commitments.factories import build_edition
from tests.signatories.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return build_edition()


@pytest.fixture
def superuser(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _actions(edition, n):
    return [ActionFactory(compact=edition.compact, lead_organisation=OrganisationFactory()) for _ in range(n)]


def _evidence(edition, n):
    return EvidenceFactory.create_batch(n, outcome=edition.outcomes.get(number=1), organisation=OrganisationFactory())


@pytest.mark.parametrize(
    ("model", "make", "search"),
    [
        ("action", _actions, "Action"),
        ("evidence", _evidence, "Evidence"),
        ("strand", lambda edition, n: [build_edition() for _ in range(n)], "Compact"),
    ],
)
def test_each_changelist_in_a_fixed_number_of_queries(
    client, superuser, edition, model, make, search, django_assert_max_num_queries
):
    page = reverse(f"admin:actionplans_{model}_changelist")
    make(edition, 2)
    client.get(page)
    with django_assert_max_num_queries(40) as small:
        assert client.get(page).status_code == 200
    make(edition, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(page)
    assert response.status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(page, {"q": search}).status_code == 200


def test_an_action_added_in_the_admin_starts_its_history(client, superuser, edition):
    lead = OrganisationFactory()
    response = client.post(
        reverse("admin:actionplans_action_add"),
        {
            "strand": guidance_strand(edition.compact).pk,
            "compact": edition.compact.pk,
            "title": "Hold a Compact Week event",
            "lead_organisation": lead.pk,
            "lead_person": "Jo",
            "starts_on": "2026-04-01",
            "due_on": "2026-11-06",
            "notes-TOTAL_FORMS": "0",
            "notes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    action = Action.objects.get()
    assert action.created_by == superuser
    assert list(ActionStatusChange.objects.values_list("new_status", "by")) == [("not_started", superuser.pk)]


def test_a_due_date_before_the_start_is_refused_in_the_admin(client, superuser, edition):
    response = client.post(
        reverse("admin:actionplans_action_add"),
        {
            "strand": guidance_strand(edition.compact).pk,
            "compact": edition.compact.pk,
            "title": "Backwards",
            "lead_organisation": OrganisationFactory().pk,
            "lead_person": "Jo",
            "starts_on": "2026-04-01",
            "due_on": "2026-03-01",
            "notes-TOTAL_FORMS": "0",
            "notes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Action.objects.exists()


def test_a_note_added_inline_is_the_staff_member_s(client, superuser, edition):
    action = _actions(edition, 1)[0]
    page = reverse("admin:actionplans_action_change", args=[action.pk])
    assert client.get(page).status_code == 200
    data = {
        "strand": action.strand_id,
        "compact": action.compact_id,
        "title": action.title,
        "lead_organisation": action.lead_organisation_id,
        "lead_person": action.lead_person,
        "starts_on": action.starts_on.isoformat(),
        "due_on": action.due_on.isoformat(),
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "0",
        "notes-0-written_on": "2026-05-01",
        "notes-0-text": "Met the chair",
        "notes-0-action": action.pk,
    }
    assert client.post(page, data).status_code == 302
    note = ProgressNote.objects.get()
    assert (note.text, note.by, note.written_on) == ("Met the chair", superuser, datetime.date(2026, 5, 1))


def test_evidence_accepted_in_the_admin_is_told_to_whoever_gave_it(
    client, superuser, edition, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    giver = MembershipFactory(organisation=organisation, user=UserFactory(email="giver@example.org")).user
    evidence = EvidenceFactory(outcome=edition.outcomes.get(number=1), organisation=organisation, submitted_by=giver)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:actionplans_evidence_changelist"),
            {"action": "accept", "_selected_action": [evidence.pk]},
        )
    assert Evidence.objects.get().status == Evidence.Status.ACCEPTED
    assert [m.to for m in mail.outbox] == [["giver@example.org"]]
    assert client.get(reverse("admin:actionplans_evidence_add")).status_code == 403
