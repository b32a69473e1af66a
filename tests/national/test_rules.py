"""The directory's status of a Compact: a pure function of its dates (commitments.rules)."""

import datetime

import pytest

from commitments.rules import compact_directory_status, years_after

TODAY = datetime.date(2027, 6, 15)


def status(published, last, years=3):
    return compact_directory_status(
        today=TODAY, current_published_on=published, review_period_years=years, last_activity_on=last
    )


def test_no_published_edition_is_no_edition_whatever_happened():
    assert status(None, TODAY) == "no_edition"
    assert status(None, None) == "no_edition"


@pytest.mark.parametrize(
    ("published", "years", "expected"),
    [
        (datetime.date(2024, 6, 16), 3, "active"),  # three years old tomorrow
        (datetime.date(2024, 6, 15), 3, "refresh_due"),  # three years old today
        (datetime.date(2026, 6, 15), 1, "refresh_due"),
        (datetime.date(2018, 1, 1), 10, "active"),
        (datetime.date(2017, 6, 15), 10, "refresh_due"),
    ],
)
def test_refresh_due_when_the_edition_is_as_old_as_the_review_period(published, years, expected):
    assert status(published, TODAY, years) == expected


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (TODAY - datetime.timedelta(days=364), "active"),
        (TODAY - datetime.timedelta(days=365), "lapsed"),
        (None, "lapsed"),
    ],
)
def test_lapsed_after_365_days_without_activity(last, expected):
    assert status(datetime.date(2026, 4, 1), last) == expected


def test_lapsed_wins_over_refresh_due():
    assert status(datetime.date(2019, 4, 1), TODAY - datetime.timedelta(days=400)) == "lapsed"


def test_a_leap_day_anniversary_falls_on_28_february():
    assert years_after(datetime.date(2024, 2, 29), 3) == datetime.date(2027, 2, 28)
    assert years_after(datetime.date(2024, 2, 29), 4) == datetime.date(2028, 2, 29)
