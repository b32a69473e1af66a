"""The rules behind the concern measures (monitoring.indicators): time limits kept, and the median."""

import datetime

from disputes.rules import closed_within_limits, median_of

D = datetime.date


def test_every_stage_must_end_by_its_due_date():
    closed_on_due_day = [(D(2026, 6, 1), D(2026, 6, 15)), (D(2026, 6, 15), None)]
    assert closed_within_limits(closed_on_due_day)
    a_day_late = [(D(2026, 6, 1), D(2026, 6, 15)), (D(2026, 6, 16), None)]
    assert not closed_within_limits(a_day_late)
    late_in_the_middle = [
        (D(2026, 6, 1), D(2026, 6, 15)),
        (D(2026, 6, 10), D(2026, 7, 1)),
        (D(2026, 7, 2), D(2026, 8, 1)),
        (D(2026, 7, 20), None),
    ]
    assert not closed_within_limits(late_in_the_middle)


def test_a_stage_without_a_limit_is_never_late():
    escalated_for_a_year = [(D(2026, 6, 1), D(2026, 6, 15)), (D(2026, 6, 10), None), (D(2027, 6, 10), None)]
    assert closed_within_limits(escalated_for_a_year)


def test_median_of_working_days():
    assert median_of([]) is None
    assert median_of([4]) == 4
    assert median_of([7, 11, 7, 22]) == 9
