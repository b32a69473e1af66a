import datetime

import pytest

from funding import rules

D = datetime.date


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (D(2026, 11, 30), D(2027, 2, 28)),  # 30 November + 3 months: February has no 30th
        (D(2027, 11, 30), D(2028, 2, 29)),  # ... or 29 in a leap year
        (D(2027, 1, 31), D(2027, 4, 30)),
        (D(2027, 3, 15), D(2027, 6, 15)),
        (D(2027, 10, 1), D(2028, 1, 1)),  # across a year end
    ],
)
def test_three_calendar_months(notice, expected):
    assert rules.earliest_effective_date(notice, 3) == expected


def test_the_effective_date_may_be_the_earliest_date_but_not_a_day_before():
    assert rules.notice_is_long_enough(D(2026, 11, 30), D(2027, 2, 28), 3)
    assert not rules.notice_is_long_enough(D(2026, 11, 30), D(2027, 2, 27), 3)


def test_exceptional_circumstances_need_a_reason():
    short = {"notice_given_on": D(2027, 1, 10), "effective_on": D(2027, 2, 1), "min_months": 3}
    assert not rules.is_compliant(**short, exceptional=False, exceptional_reason="")
    assert not rules.is_compliant(**short, exceptional=True, exceptional_reason="  ")
    assert rules.is_compliant(**short, exceptional=True, exceptional_reason="The grant from government was withdrawn.")
    assert rules.is_compliant(
        notice_given_on=D(2027, 1, 10),
        effective_on=D(2027, 4, 10),
        min_months=3,
        exceptional=False,
        exceptional_reason="",
    )


def test_notice_given_in_months_and_days():
    assert rules.notice_months_and_days(D(2027, 1, 10), D(2027, 2, 1)) == (0, 22)
    assert rules.notice_months_and_days(D(2026, 11, 30), D(2027, 2, 28)) == (3, 0)  # a full three months
    assert rules.notice_months_and_days(D(2027, 1, 10), D(2028, 3, 10)) == (14, 0)
