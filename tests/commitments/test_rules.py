import datetime

import pytest

from commitments.rules import add_working_days, is_working_day, working_days_between

D = datetime.date


def test_weekends_are_skipped():
    assert add_working_days(D(2026, 11, 20), 1, "england") == D(2026, 11, 23)  # Friday + 1 = Monday


def test_bank_holidays_of_the_nation_are_skipped():
    # 2 January 2026 is a bank holiday in Scotland only.
    assert add_working_days(D(2026, 1, 1), 1, "england") == D(2026, 1, 2)
    assert add_working_days(D(2026, 1, 1), 1, "scotland") == D(2026, 1, 5)
    # St Patrick's Day, Northern Ireland only.
    assert not is_working_day(D(2026, 3, 17), "northern_ireland")
    assert is_working_day(D(2026, 3, 17), "wales")


def test_christmas_and_easter():
    assert add_working_days(D(2026, 12, 24), 1, "england") == D(2026, 12, 29)  # 25, 26→28 substitute
    assert add_working_days(D(2026, 4, 2), 1, "wales") == D(2026, 4, 7)  # Good Friday, Easter Monday


def test_ten_working_days_across_a_year_end():
    assert add_working_days(D(2026, 12, 18), 10, "england") == D(2027, 1, 6)


def test_working_days_between_counts_the_end_not_the_start():
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 23), "england") == 1
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 20), "england") == 0
    start = D(2026, 12, 18)
    assert working_days_between(start, add_working_days(start, 10, "england"), "england") == 10


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), -1, "england")
