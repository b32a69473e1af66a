"""The benchmark's dataset has its reminders due on whatever day it is generated.

The CI benchmark generates its data for the day it runs, so this must hold on every day of the
week and over bank holidays: a day on which no due date fits once made the generator loop until
the dates ran out.
"""

import datetime

import pytest

from benchmarks.dataset import DUE_EVERY, _Generator
from commitments.models import Nation
from disputes import reminders as disputes_reminders
from disputes.rules import due_soon_on

DAYS = [datetime.date(2026, 12, 1) + datetime.timedelta(days=n) for n in range(35)]  # Christmas too


@pytest.mark.parametrize("nation", [Nation.ENGLAND, Nation.SCOTLAND])
@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_due_soon_concern_is_due_on_the_sweep_day(today, nation):
    generator = _Generator(0.01, today, log=lambda _m: None)

    stage, due, outcome, closed = generator._case_stage(81 + DUE_EVERY, today - datetime.timedelta(days=3), nation)

    assert (stage, outcome, closed) == ("mediation", "", None)
    assert due > today  # not overdue
    assert disputes_reminders._is_due(due_soon_on(due, nation), today)
    assert generator.due_subjects == 1
