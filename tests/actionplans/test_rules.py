"""The targets' arithmetic (actionplans.rules), on edge data, without a database."""

import datetime

from actionplans import rules
from actionplans.rules import ConsultationFacts

D = datetime.date
START = D(2026, 6, 1)
TODAY = D(2026, 12, 1)


def test_vcs_signatories_count_from_the_start_day_to_today():
    days = [D(2026, 5, 31), START, D(2026, 9, 1), TODAY, D(2026, 12, 2), None]
    progress = rules.vcs_signatories_progress(signed_on=days, starts_on=START, today=TODAY, number=15)
    assert (progress.done, progress.total, progress.percent, progress.met) == (3, 15, 20, False)


def test_vcs_signatories_beyond_the_target_are_capped_at_100_percent():
    progress = rules.vcs_signatories_progress(signed_on=[START] * 4, starts_on=START, today=TODAY, number=3)
    assert (progress.done, progress.percent, progress.met) == (4, 100, True)


def test_a_target_of_none_more_is_met_at_once():
    progress = rules.vcs_signatories_progress(signed_on=[], starts_on=START, today=TODAY, number=0)
    assert (progress.percent, progress.met) == (100, True)


def test_champions_share_of_signed_organisations():
    progress = rules.champions_progress(champions=[True, True, False, True, False])
    assert (progress.done, progress.total, progress.share_percent, progress.percent, progress.met) == (
        3,
        5,
        60,
        60,
        False,
    )


def test_no_signed_organisations_is_nothing_to_count_not_a_division_by_zero():
    progress = rules.champions_progress(champions=[])
    assert (progress.share_percent, progress.percent, progress.met) == (None, 0, False)


def test_a_goal_below_100_percent_is_met_when_the_share_reaches_it():
    progress = rules.champions_progress(champions=[True] * 8 + [False] * 2, goal_percent=80)
    assert (progress.share_percent, progress.percent, progress.met) == (80, 100, True)


def _formal(opens, closes, rationale="", weeks=12, formal=True):
    return ConsultationFacts(opens_on=opens, closes_on=closes, formal=formal, rationale=rationale, min_weeks=weeks)


def test_consultations_meet_the_target_when_long_enough_or_explained():
    consultations = [
        _formal(D(2026, 6, 1), D(2026, 8, 23)),  # 12 weeks exactly (84 days, both ends counted): met
        _formal(D(2026, 6, 1), D(2026, 8, 22)),  # a day short, no reason: not met
        _formal(D(2026, 7, 1), D(2026, 8, 1), rationale="Urgent budget decision"),  # short, explained: met
        _formal(D(2026, 7, 1), D(2026, 8, 1), rationale="   "),  # a blank reason is no reason
        _formal(D(2026, 1, 1), D(2026, 5, 31)),  # closed before the action started: not counted
        _formal(D(2026, 10, 1), D(2026, 12, 1)),  # closes today: not closed yet, not counted
        _formal(D(2026, 6, 1), D(2026, 7, 1), formal=False),  # informal: not counted
    ]
    progress = rules.consultation_length_progress(consultations=consultations, starts_on=START, today=TODAY)
    assert (progress.done, progress.total, progress.share_percent) == (2, 4, 50)


def test_the_compact_s_own_minimum_length_is_used():
    six_weeks = _formal(D(2026, 6, 1), D(2026, 7, 12), weeks=6)
    progress = rules.consultation_length_progress(consultations=[six_weeks], starts_on=START, today=TODAY)
    assert progress.met


def test_an_action_is_overdue_the_day_after_it_was_due_unless_done_or_dropped():
    due = D(2026, 11, 30)
    assert not rules.is_overdue(status="under_way", due_on=due, today=due)
    assert rules.is_overdue(status="under_way", due_on=due, today=TODAY)
    assert rules.is_overdue(status="not_started", due_on=due, today=TODAY)
    assert not rules.is_overdue(status="done", due_on=due, today=TODAY)
    assert not rules.is_overdue(status="dropped", due_on=due, today=TODAY)
