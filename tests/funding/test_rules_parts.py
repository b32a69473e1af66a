"""The parts of a funding notice's compliance (decision 0022), on edge dates."""

import datetime

import pytest

from funding import rules

D = datetime.date


@pytest.mark.parametrize(
    ("given", "nation", "earliest"),
    [
        # Monday 1 March 2027: ten working days are 2–5, 8–12 and 15 March; the change may take effect on the 16th.
        (D(2027, 3, 1), "england", D(2027, 3, 16)),
        # Tuesday 15 February 2028: the tenth working day is 29 February (a leap year), so 1 March.
        (D(2028, 2, 15), "england", D(2028, 3, 1)),
        # Monday 20 December 2027: Christmas and New Year's bank holidays (27, 28 December, 3 January) are skipped.
        (D(2027, 12, 20), "england", D(2028, 1, 7)),
        # ... and in Scotland 4 January is a bank holiday too.
        (D(2027, 12, 20), "scotland", D(2028, 1, 8)),
    ],
)
def test_the_earliest_effective_date_that_leaves_ten_working_days_to_respond(given, nation, earliest):
    assert rules.earliest_effective_for_response(given, 10, nation) == earliest
    assert rules.response_window_is_long_enough(given, earliest, 10, nation)
    assert not rules.response_window_is_long_enough(given, earliest - datetime.timedelta(days=1), 10, nation)


def _respond(**kwargs):
    facts = {
        "today": D(2027, 3, 10),
        "notice_given_on": D(2027, 3, 1),
        "effective_on": D(2027, 3, 31),
        "working_days": 10,
        "nation": "england",
        "first_reply_on": None,
        "considered_on": None,
    }
    return rules.chance_to_respond(**{**facts, **kwargs})


def test_no_reply_the_window_alone_decides():
    assert _respond() is True
    assert _respond(effective_on=D(2027, 3, 15)) is False  # the day before the earliest (16 March)
    assert _respond(effective_on=D(2027, 3, 16)) is True


def test_a_reply_needs_the_bodys_consideration_before_the_effective_date():
    replied = {"first_reply_on": D(2027, 3, 5)}
    # The day before the effective date: it counts.
    assert _respond(**replied, considered_on=D(2027, 3, 30)) is True
    # On the effective date itself: too late, once that day has come.
    assert _respond(**replied, considered_on=D(2027, 3, 31), today=D(2027, 3, 31)) is False
    # Nothing recorded yet: not known on the day before, not met from the effective date on.
    assert _respond(**replied, today=D(2027, 3, 30)) is None
    assert _respond(**replied, today=D(2027, 3, 31)) is False
    assert _respond(**replied, today=D(2027, 4, 1)) is False


def test_a_too_short_window_fails_whatever_was_considered():
    assert _respond(effective_on=D(2027, 3, 15), first_reply_on=D(2027, 3, 2), considered_on=D(2027, 3, 3)) is False


def test_a_reply_after_the_change_took_effect_does_not_call_for_consideration_before_it():
    assert _respond(first_reply_on=D(2027, 4, 2), today=D(2027, 4, 3)) is True


def test_impact_needs_its_findings_written():
    assert rules.impact_assessed(assessed=True, findings="Forty older people would lose a meal.") is True
    assert rules.impact_assessed(assessed=True, findings="  ") is False
    assert rules.impact_assessed(assessed=False, findings="") is False


@pytest.mark.parametrize(
    ("offered_on", "today", "expected"),
    [
        (D(2028, 2, 28), D(2028, 3, 5), True),  # the day before a leap-year 29 February effective date
        (D(2028, 2, 29), D(2028, 3, 5), False),  # on the effective date: too late
        (None, D(2028, 2, 28), None),  # the day before: can still be offered
        (None, D(2028, 2, 29), False),  # the effective date has come
    ],
)
def test_a_timetable_before_the_effective_date_when_funding_ends_for_performance(offered_on, today, expected):
    assert (
        rules.timetable_offered(today=today, effective_on=D(2028, 2, 29), for_performance=True, offered_on=offered_on)
        is expected
    )


def test_a_timetable_is_not_asked_for_when_the_change_is_not_about_performance():
    assert (
        rules.timetable_offered(
            today=D(2030, 1, 1), effective_on=D(2028, 2, 29), for_performance=False, offered_on=None
        )
        is None
    )


def _parts(**kwargs):
    facts = {
        "today": D(2027, 8, 1),
        "notice_given_on": D(2026, 11, 30),
        "effective_on": D(2027, 2, 28),  # 30 November + 3 months, a month end
        "min_months": 3,
        "exceptional": False,
        "exceptional_reason": "",
        "assessed": True,
        "findings": "Forty older people would lose a meal.",
        "discussed_before": True,
        "response_working_days": 10,
        "nation": "england",
        "first_reply_on": None,
        "considered_on": None,
        "for_performance": False,
        "timetable_offered_on": None,
    }
    return rules.parts(**{**facts, **kwargs})


def test_every_part_met_on_the_month_end_edge():
    parts = _parts()
    assert parts.all_met is True
    assert [name for name, _ in parts.items()] == ["notice_length", "impact", "discussed", "response"]


def test_one_part_failing_fails_the_whole_but_the_notice_length_keeps_its_own_meaning():
    parts = _parts(discussed_before=False)
    assert parts.notice_length is True and parts.discussed is False and parts.all_met is False
    parts = _parts(effective_on=D(2027, 2, 27))  # the day before the earliest date
    assert parts.notice_length is False and parts.response is True and parts.all_met is False


def test_a_part_still_to_come_leaves_the_whole_unknown():
    parts = _parts(today=D(2027, 2, 1), for_performance=True)
    assert parts.timetable is None and parts.all_met is None
    assert [name for name, _ in parts.items()][-1] == "timetable"
