import datetime

import pytest

from consultations import rules

D = datetime.date


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2027, 1, 3), rules.FORTHCOMING),
        (D(2027, 1, 4), rules.OPEN),  # opening day
        (D(2027, 3, 28), rules.OPEN),  # closing day
        (D(2027, 3, 29), rules.AWAITING_FEEDBACK),
    ],
)
def test_status_follows_the_dates(today, expected):
    assert (
        rules.status(today=today, opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28), feedback_published_on=None)
        == expected
    )


def test_status_once_feedback_is_published():
    assert (
        rules.status(
            today=D(2027, 6, 1), opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28), feedback_published_on=D(2027, 5, 1)
        )
        == rules.FEEDBACK_PUBLISHED
    )


def test_twelve_weeks_counts_both_the_opening_and_the_closing_day():
    opens = D(2027, 1, 4)  # a Monday
    assert rules.minimum_closing_date(opens, 12) == D(2027, 3, 28)
    assert rules.length_days(opens, D(2027, 3, 28)) == 84
    assert rules.is_long_enough(opens, D(2027, 3, 28), 12)
    assert not rules.is_long_enough(opens, D(2027, 3, 27), 12)


def test_length_across_a_leap_day_and_a_month_end():
    # 2028 is a leap year: 31 January + 12 weeks - 1 day is 23 April.
    assert rules.minimum_closing_date(D(2028, 1, 31), 12) == D(2028, 4, 23)
    assert rules.minimum_closing_date(D(2027, 1, 31), 12) == D(2027, 4, 24)


def test_shorter_or_informal_consultations_need_a_rationale():
    assert rules.needs_rationale(opens_on=D(2027, 1, 4), closes_on=D(2027, 2, 14), min_weeks=12, formal=True)
    assert rules.needs_rationale(opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28), min_weeks=12, formal=False)
    assert not rules.needs_rationale(opens_on=D(2027, 1, 4), closes_on=D(2027, 3, 28), min_weeks=12, formal=True)


def test_feedback_due_date_that_falls_on_a_bank_holiday_moves_to_the_next_working_day():
    # Closing 1 March 2027 + 12 weeks = Monday 24 May 2027, a working day.
    assert rules.feedback_due_on(D(2027, 3, 1), 12, "england") == D(2027, 5, 24)
    # Closing 6 March 2028 + 12 weeks = Monday 29 May 2028: the spring bank holiday → Tuesday 30 May.
    assert rules.feedback_due_on(D(2028, 3, 6), 12, "england") == D(2028, 5, 30)
    # 10 October 2026 + 12 weeks = Saturday 2 January 2027. In Scotland 2 January is a bank
    # holiday too, moved to Monday 4 January, so feedback is due on Tuesday 5 January there.
    assert rules.feedback_due_on(D(2026, 10, 10), 12, "england") == D(2027, 1, 4)
    assert rules.feedback_due_on(D(2026, 10, 10), 12, "scotland") == D(2027, 1, 5)
    # New Year's Day itself (Friday 1 January 2027).
    assert rules.feedback_due_on(D(2026, 10, 9), 12, "england") == D(2027, 1, 4)
    assert rules.feedback_due_on(D(2026, 10, 9), 12, "scotland") == D(2027, 1, 5)


def compliance(**overrides):
    values = {
        "today": D(2027, 4, 1),
        "opens_on": D(2027, 1, 4),
        "closes_on": D(2027, 3, 28),
        "formal": True,
        "rationale": "",
        "early_notice_on": D(2026, 12, 1),
        "feedback_published_on": None,
        "min_weeks": 12,
        "feedback_weeks": 12,
        "nation": "england",
    }
    values.update(overrides)
    return rules.compliance(**values)


def test_a_full_length_consultation_with_early_notice_waits_only_for_its_feedback():
    result = compliance()
    assert result.length_ok and result.early_notice_ok and result.feedback_ok is None
    assert result.compliant is None
    assert result.feedback_due_on == D(2027, 6, 21)


def test_six_weeks_without_a_rationale_is_not_compliant_and_with_one_it_is():
    assert compliance(closes_on=D(2027, 2, 14)).length_ok is False
    assert compliance(closes_on=D(2027, 2, 14)).compliant is False
    assert compliance(closes_on=D(2027, 2, 14), rationale="A statutory deadline set by government.").length_ok
    assert compliance(closes_on=D(2027, 2, 14), rationale="   ").length_ok is False


def test_a_shorter_or_informal_one_with_a_reason_is_a_state_of_its_own():
    assert compliance().length == rules.LENGTH_MET
    shorter = compliance(closes_on=D(2027, 2, 14), rationale="A statutory deadline set by government.")
    assert shorter.length == rules.LENGTH_REASON_GIVEN
    informal = compliance(formal=False, rationale="Drop-in sessions.")
    assert informal.length == rules.LENGTH_REASON_GIVEN
    assert compliance(closes_on=D(2027, 2, 14)).length == rules.LENGTH_NOT_MET
    assert compliance(formal=False).length == rules.LENGTH_NOT_MET
    # A full-length formal one with a reason typed anyway has nothing to excuse.
    assert compliance(rationale="Just in case.").length == rules.LENGTH_MET


def test_early_notice_must_come_before_opening():
    assert compliance(early_notice_on=None).early_notice_ok is False
    assert compliance(early_notice_on=D(2027, 1, 4)).early_notice_ok is False
    assert compliance(early_notice_on=D(2027, 1, 3)).early_notice_ok


def test_feedback_on_the_due_day_is_on_time_and_the_day_after_is_late():
    assert compliance(today=D(2027, 7, 1), feedback_published_on=D(2027, 6, 21)).feedback_ok is True
    assert compliance(today=D(2027, 7, 1), feedback_published_on=D(2027, 6, 22)).feedback_ok is False
    assert compliance(today=D(2027, 6, 21)).feedback_ok is None  # still due today
    assert compliance(today=D(2027, 6, 22)).feedback_ok is False  # overdue the day after
    assert compliance(today=D(2027, 7, 1), feedback_published_on=D(2027, 6, 21)).compliant is True
