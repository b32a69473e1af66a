"""Dispute time limits and public figures: pure functions of dates and the edition's parameters."""

import datetime
import itertools
import statistics

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from commitments.rules import add_working_days, working_days_between

# The sides from which someone sees a case.
COMPLAINANT = "complainant"
RESPONDENT = "respondent"
COORDINATOR = "coordinator"

# What the other party is told instead of a withheld complainant's name.
WITHHELD_NAME: Promise = _("A voluntary or community organisation (name withheld)")

# Which of the edition's parameters sets each stage's time limit, in working days.
STAGE_DAYS_FIELD = {
    "informal": "dispute_informal_days",
    "formal": "dispute_formal_days",
    "mediation": "dispute_mediation_days",
}

# The moves a case may make (the people allowed to make each are in disputes.permissions).
TRANSITIONS: dict[str, set[str]] = {
    "informal": {"formal", "closed"},
    "formal": {"mediation", "closed"},
    "mediation": {"escalated", "closed"},
    "escalated": {"closed"},
    "closed": set(),
}

# Figures drawn from fewer cases than this are not published: they could identify a case.
MINIMUM_CASES_FOR_A_FIGURE = 3
DUE_SOON_WORKING_DAYS = 5


def sees_complainant_name(*, withhold_name: bool, side: str) -> bool:
    """Whether someone on ``side`` of a case (``COMPLAINANT``, ``RESPONDENT`` or ``COORDINATOR``) is
    told the complainant's name: everyone is, unless the complainant asked for its name to be
    withheld; then the other party (the respondent) never is, so that raising a concern cannot
    threaten its funding."""
    return not withhold_name or side != RESPONDENT


def complainant_name(*, name: str, withhold_name: bool, side: str) -> str:
    """The complainant's name as someone on ``side`` is told it: the name, or ``WITHHELD_NAME``."""
    return name if sees_complainant_name(withhold_name=withhold_name, side=side) else str(WITHHELD_NAME)


def stage_due_on(*, stage: str, started_on: datetime.date, edition, nation: str) -> datetime.date | None:
    """The stage's due date, counted in working days of the nation; None for stages without one."""
    field = STAGE_DAYS_FIELD.get(stage)
    if field is None:
        return None
    return add_working_days(started_on, getattr(edition, field), nation)


def due_soon_on(due_on: datetime.date, nation: str) -> datetime.date:
    """The day a "due in 5 working days" reminder is due: 5 working days before the due date."""
    day = due_on
    counted = 0
    while counted < DUE_SOON_WORKING_DAYS:
        day -= datetime.timedelta(days=1)
        if working_days_between(day, day + datetime.timedelta(days=1), nation):
            counted += 1
    return day


def median_working_days(pairs: list[tuple[datetime.date, datetime.date]], nation: str) -> float | None:
    """The median working days from opening to closing, or None when too few cases to publish."""
    if len(pairs) < MINIMUM_CASES_FOR_A_FIGURE:
        return None
    return statistics.median(working_days_between(start, end, nation) for start, end in pairs)


# A count left out only because showing it would let a hidden one be worked out from a total.
HIDDEN = "hidden"


def publishable(count: int) -> int | None:
    """A count the public may see, or None when it is drawn from too few cases (1 or 2); a true 0
    is shown as 0, since it identifies no one."""
    return count if count == 0 or count >= MINIMUM_CASES_FOR_A_FIGURE else None


def publishable_group(counts: list[int]) -> list[int | str | None]:
    """The counts of a table whose total is published elsewhere (by stage, by outcome, by sector).

    Each count of 1 or 2 is None; and when only one count is None, the total minus the others
    would give it away, so the next smallest count above 0 is hidden too (``HIDDEN``)."""
    shown: list[int | str | None] = [publishable(count) for count in counts]
    suppressed = [i for i, value in enumerate(shown) if value is None]
    if len(suppressed) == 1:
        others = [i for i, value in enumerate(shown) if isinstance(value, int) and value > 0]
        if others:
            shown[min(others, key=lambda i: counts[i])] = HIDDEN
    return shown


def closed_within_limits(stages: list[tuple[datetime.date, datetime.date | None]]) -> bool:
    """Whether a closed case kept to every stage's time limit.

    ``stages`` are its stages in order as (the day it began, its due date or None), the last being
    the closing; each stage with a due date must have ended (the next one begun) by that date.
    """
    return all(due is None or ended <= due for (_began, due), (ended, _next_due) in itertools.pairwise(stages))


def median_of(days: list[int]) -> float | None:
    """The median of these working-day counts; None when there are none (the caller suppresses
    figures drawn from too few cases)."""
    return statistics.median(days) if days else None
