"""Targets counted from the portal's data; the plan and the evidence for the annual review."""

import datetime

import pytest

from actionplans import selectors, services
from actionplans.models import Action, Evidence, Strand
from commitments.models import Edition
from tests.actionplans.factories import ActionFactory, EvidenceFactory
from tests.commitments.factories import CompactFactory, build_edition
from tests.consultations.factories import ConsultationFactory
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory, SignatureFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 1)


@pytest.fixture
def edition():
    return build_edition(published_on=D(2025, 4, 1))


@pytest.fixture
def compact(edition):
    return edition.compact


def signed(edition, on, organisation=None, **kwargs):
    organisation = organisation or OrganisationFactory(**kwargs)
    SignatureFactory(organisation=organisation, edition=edition, status="signed", signed_on=on)
    return organisation


def test_every_compact_has_the_four_strands_of_the_guidance():
    compact = CompactFactory()
    assert [str(s) for s in Strand.objects.filter(compact=compact)] == [
        "Communication",
        "Sign-up",
        "Representation",
        "Engagement",
    ]
    services.strands_ensure_guidance(compact=compact)  # again: nothing doubled
    assert Strand.objects.filter(compact=compact).count() == 4


def test_more_vcs_signatories_counts_approved_vcs_signups_since_the_start(compact, edition):
    action = ActionFactory(compact=compact, starts_on=D(2026, 6, 1), target_kind="vcs_signatories", target_number=5)
    signed(edition, D(2026, 5, 31))  # before the start
    signed(edition, D(2026, 6, 1))
    signed(edition, D(2026, 9, 1))
    signed(edition, D(2026, 9, 2), sector="public", organisation_type="council")  # a public body
    SignatureFactory(edition=edition, status="pending", signed_on=None)  # not approved
    SignatureFactory(edition=edition, status="withdrawn", signed_on=D(2026, 7, 1))  # no longer signed
    other = build_edition(published_on=D(2025, 4, 1))
    signed(other, D(2026, 7, 1))  # another Compact
    # An organisation that signed the old edition before the start and re-affirmed the new one after:
    # not a new signatory.
    old = build_edition(compact=compact, status=Edition.Status.SUPERSEDED, published_on=D(2020, 4, 1))
    veteran = signed(old, D(2021, 1, 1))
    signed(edition, D(2026, 8, 1), organisation=veteran)

    progress = selectors.action_progress(action, selectors.target_data(compact), TODAY)

    assert (progress.done, progress.total) == (2, 5)


def test_champions_counts_signed_organisations_that_name_one(compact, edition):
    action = ActionFactory(compact=compact, target_kind="champions")
    signed(edition, D(2025, 5, 1), champion=UserFactory())
    signed(edition, D(2025, 5, 1), champion=UserFactory())
    signed(edition, D(2025, 5, 1))
    OrganisationFactory(champion=UserFactory())  # has a champion but has not signed

    progress = selectors.action_progress(action, selectors.target_data(compact), TODAY)

    assert (progress.done, progress.total, progress.share_percent) == (2, 3, 66)


def test_consultation_length_reads_the_consultations_of_this_compact(compact, edition):
    action = ActionFactory(compact=compact, starts_on=D(2026, 6, 1), target_kind="consultation_length")
    body = PublicBodyFactory()
    common = {"edition": edition, "organisation": body}
    ConsultationFactory(opens_on=D(2026, 6, 1), closes_on=D(2026, 8, 23), **common)  # 12 weeks
    ConsultationFactory(opens_on=D(2026, 6, 1), closes_on=D(2026, 7, 1), **common)  # short, no reason
    ConsultationFactory(opens_on=D(2026, 6, 1), closes_on=D(2026, 7, 1), shorter_rationale="Urgent", **common)
    ConsultationFactory(opens_on=D(2026, 6, 1), closes_on=D(2026, 7, 1), kind="informal", **common)
    ConsultationFactory(opens_on=D(2026, 6, 1), closes_on=D(2026, 7, 1))  # another Compact

    progress = selectors.action_progress(action, selectors.target_data(compact), TODAY)

    assert (progress.done, progress.total) == (2, 3)


def test_plan_progress_takes_the_actions_of_the_year_counted_to_its_end(compact, edition):
    in_year = ActionFactory(
        compact=compact, starts_on=D(2026, 4, 1), due_on=D(2026, 9, 30), target_kind="vcs_signatories", target_number=2
    )
    ActionFactory(compact=compact, starts_on=D(2027, 4, 1), due_on=D(2027, 9, 30))  # next year
    ActionFactory(compact=compact, starts_on=D(2024, 4, 1), due_on=D(2025, 3, 31))  # finished before
    dropped = ActionFactory(compact=compact, starts_on=D(2026, 4, 1), due_on=D(2027, 3, 31))
    services.action_set_status(action=dropped, status="dropped", by=None, reason="No funding")
    signed(edition, D(2026, 5, 1))
    signed(edition, D(2027, 5, 1))  # after the year: not counted in it

    progress = selectors.plan_progress(compact, 2026, today=D(2027, 6, 1))

    assert [row.action for row in progress.actions] == [in_year, dropped]
    assert (progress.actions[0].progress.done, progress.actions[0].progress.total) == (1, 2)
    assert progress.by_status == {"not_started": 1, "under_way": 0, "done": 0, "dropped": 1}


def test_plan_progress_of_an_empty_year():
    progress = selectors.plan_progress(CompactFactory(), 2026)
    assert (progress.total, progress.actions) == (0, [])


def test_accepted_evidence_is_only_the_accepted_of_the_year(compact, edition):
    outcome = edition.outcomes.get(number=1)
    accepted = EvidenceFactory(outcome=outcome)
    services.evidence_decide(evidence=accepted, accept=True, by=None)
    EvidenceFactory(outcome=outcome)  # not yet checked
    returned = EvidenceFactory(outcome=outcome)
    services.evidence_decide(evidence=returned, accept=False, by=None, reason="Please add dates")
    EvidenceFactory(outcome=outcome, year=2025, status=Evidence.Status.ACCEPTED)  # another year

    assert list(selectors.accepted_evidence(compact, 2026)) == [accepted]


def test_the_plan_reads_in_a_fixed_number_of_queries(compact, edition, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            kind = ("vcs_signatories", "champions", "consultation_length", "")[i % 4]
            ActionFactory(compact=compact, target_kind=kind, target_number=3 if kind == "vcs_signatories" else None)
            signed(edition, D(2026, 5, 1), champion=UserFactory() if i % 2 else None)

    add(4)
    with django_assert_max_num_queries(5):
        small = selectors.plan(compact, today=TODAY)
    add(20)
    with django_assert_max_num_queries(5):
        large = selectors.plan(compact, today=TODAY)
    assert sum(len(s.actions) for s in small) == 4
    assert sum(len(s.actions) for s in large) == 24


def test_dropping_needs_a_reason_and_is_recorded(compact):
    action = ActionFactory(compact=compact)
    with pytest.raises(services.PlanError):
        services.action_set_status(action=action, status="dropped", by=None, reason=" ")
    services.action_set_status(action=action, status="under_way", by=None)
    services.action_set_status(action=action, status="dropped", by=None, reason="The grant ended")
    action.refresh_from_db()
    assert (action.status, action.dropped_reason) == (Action.Status.DROPPED, "The grant ended")
    assert [(c.old_status, c.new_status, c.reason) for c in action.status_changes.all()] == [
        ("not_started", "under_way", ""),
        ("under_way", "dropped", "The grant ended"),
    ]
