"""Opening, moving and adding to a breach concern: the allowed moves per role, due dates in working
days, closing, and who sees which timeline entries."""

import pytest

from disputes import permissions, selectors, services
from disputes.models import Case, StageChange, TimelineEntry
from tests.disputes.factories import TODAY, D, World, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(compact, edition, officer, vcs_member, coordinator, stranger):
    return World(
        compact=compact,
        edition=edition,
        officer=officer,
        vcs_member=vcs_member,
        coordinator=coordinator,
        stranger=stranger,
    )


def test_opening_starts_informal_dialogue_due_in_ten_working_days(world):
    case = world.open()
    assert case.stage == Case.Stage.INFORMAL
    assert case.stage_started_on == TODAY
    assert case.stage_due_on == D(2026, 6, 15)  # 10 working days after Monday 1 June
    assert [u.number for u in case.undertakings.all()] == ["1.3"]
    assert StageChange.objects.get(case=case).new_stage == Case.Stage.INFORMAL


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"numbers": ()}, "at least one undertaking"),
        ({"happened_on": D(2026, 6, 2)}, "today or in the past"),
    ],
)
def test_opening_refuses_a_concern_that_is_not_complete(world, kwargs, message):
    with pytest.raises(services.CaseError, match=message):
        world.open(**kwargs)
    assert not Case.objects.exists()


def test_a_concern_about_your_own_organisation_is_refused(world):
    with pytest.raises(services.CaseError):
        services.case_open(
            complainant=world.food_bank,
            respondent=world.food_bank,
            edition=world.edition,
            undertakings=list(world.edition.undertakings.all()[:1]),
            by=world.vcs_member,
            summary="x",
            what_happened="x",
            happened_on=TODAY,
            outcome_sought="x",
            today=TODAY,
        )


def test_the_complainant_moves_the_case_on_with_due_dates_in_working_days(world):
    case = world.open()
    case = services.case_move(case=case, to="formal", by=world.vcs_member, today=D(2026, 6, 8))
    assert (case.stage, case.stage_due_on) == ("formal", D(2026, 7, 6))  # 20 working days
    case = services.case_move(case=case, to="mediation", by=world.vcs_member, today=D(2026, 7, 6))
    assert (case.stage, case.stage_due_on) == (
        "mediation",
        D(2026, 9, 1),
    )  # 40 working days, skipping the bank holiday on 31 August
    case = services.case_move(case=case, to="escalated", by=world.vcs_member, today=D(2026, 9, 2))
    assert (case.stage, case.stage_due_on) == ("escalated", None)
    history = list(case.stage_changes.values_list("old_stage", "new_stage"))
    assert history == [("", "informal"), ("informal", "formal"), ("formal", "mediation"), ("mediation", "escalated")]
    kinds = list(case.timeline.values_list("kind", flat=True))
    assert kinds == [TimelineEntry.Kind.STAGE] * 3


@pytest.mark.parametrize("who", ["officer", "stranger", "outsider"])
@pytest.mark.parametrize("to", ["formal", "closed:resolved", "closed:not_upheld", "closed:withdrawn"])
def test_the_respondent_and_outsiders_cannot_move_a_case(world, who, to):
    case = world.open()
    with pytest.raises(services.CaseError):
        services.case_move(case=case, to=to, by=getattr(world, who), note="Settled.", today=TODAY)
    case.refresh_from_db()
    assert case.stage == Case.Stage.INFORMAL


def test_only_the_coordinator_closes_a_case_as_not_upheld(world):
    case = world.open()
    assert "closed:not_upheld" not in permissions.allowed_moves(world.vcs_member, case)
    with pytest.raises(services.CaseError):
        services.case_move(case=case, to="closed:not_upheld", by=world.vcs_member, note="x", today=TODAY)
    case = services.case_move(
        case=case, to="closed:not_upheld", by=world.coordinator, note="No undertaking was broken.", today=TODAY
    )
    assert (case.stage, case.outcome, case.closed_on) == ("closed", "not_upheld", TODAY)


def test_moves_skip_no_stage(world):
    case = world.open()
    for to in ("mediation", "escalated", "informal"):
        with pytest.raises(services.CaseError):
            services.case_move(case=case, to=to, by=world.coordinator, today=TODAY)


def test_closing_records_the_outcome_and_the_lessons_learned(world):
    case = world.open()
    with pytest.raises(services.CaseError, match="how the concern was settled"):
        services.case_move(case=case, to="closed:resolved", by=world.vcs_member, today=TODAY)
    case = services.case_move(
        case=case,
        to="closed:resolved",
        by=world.vcs_member,
        note="The grant was restored.",
        lessons_learned="Write to grant holders before deciding.",
        today=D(2026, 6, 3),
    )
    assert case.outcome == Case.Outcome.RESOLVED
    assert case.lessons_learned == "Write to grant holders before deciding."
    assert case.closed_on == D(2026, 6, 3)
    assert case.stage_due_on is None
    assert permissions.allowed_moves(world.coordinator, case) == set()


def test_the_complainant_withdraws_without_a_note(world):
    case = services.case_move(case=world.open(), to="closed:withdrawn", by=world.vcs_member, today=TODAY)
    assert case.outcome == Case.Outcome.WITHDRAWN


def test_internal_entries_are_seen_only_by_the_coordinator(world):
    case = world.open()
    services.timeline_add(
        case=case, by=world.coordinator, kind="note", text="Called the council.", visibility="internal"
    )
    services.timeline_add(case=case, by=world.officer, kind="letter", text="Our reply.", file=upload("reply.pdf"))
    assert [e.text for e in selectors.timeline_for_user(case, world.coordinator)] == [
        "Called the council.",
        "Our reply.",
    ]
    assert [e.text for e in selectors.timeline_for_user(case, world.vcs_member)] == ["Our reply."]
    assert [e.text for e in selectors.timeline_for_user(case, world.officer)] == ["Our reply."]


def test_a_party_cannot_keep_an_entry_internal_and_outsiders_cannot_add(world):
    case = world.open()
    with pytest.raises(services.CaseError):
        services.timeline_add(case=case, by=world.officer, kind="note", text="Secret", visibility="internal")
    with pytest.raises(services.CaseError):
        services.timeline_add(case=case, by=world.outsider, kind="note", text="Hello")
    assert not case.timeline.exists()


def test_a_welsh_first_compact_still_counts_the_working_days_of_wales(world):
    """Welsh for the whole Compact changes its words, not its calendar: Easter Monday is a bank
    holiday in Wales (not in Scotland), so a concern opened the Wednesday before is due a day later."""
    world.compact.welsh_first = True
    world.compact.nation = "wales"
    world.compact.save()
    case = world.open(today=D(2026, 4, 1), happened_on=D(2026, 3, 30))
    assert case.stage_due_on == D(2026, 4, 17)  # Good Friday and Easter Monday skipped
    world.compact.nation = "scotland"
    world.compact.save()
    Case.objects.all().delete()
    assert world.open(today=D(2026, 4, 1), happened_on=D(2026, 3, 30)).stage_due_on == D(2026, 4, 16)
