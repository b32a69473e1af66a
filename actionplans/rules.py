"""An action's measurable targets, computed from the portal's data: pure functions of dates and
plain values. Nothing here reads the database; nobody types progress in.

- ``vcs_signatories``: "N more VCS signatories": approved VCS sign-ups dated on or after the day
  the action started (and not after today), against the number N.
- ``champions``: "every signatory names a champion": of the organisations that have signed, how
  many name a Compact champion (``signatories.Organisation.champion``), against the target share
  (100% unless another is given).
- ``consultation_length``: "all formal consultations 12 weeks or explained": of the formal
  consultations that closed between the action's start and today, how many were of the Compact's
  minimum length or gave a reason for being shorter (``consultations.rules``), against the target
  share (100% unless another is given).

The financial year (1 April to 31 March) is compact_portal.dates'.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from consultations import rules as consultation_rules

COUNT = "count"  # "9 of 15": N more of something
SHARE = "share"  # "8 of 10 (80%)": a share of a whole, against a target percentage


@dataclass(frozen=True)
class Progress:
    """How far an action has come towards its target.

    ``done`` of ``total``; for a COUNT target ``total`` is the number wanted, for a SHARE target it is
    the whole (and ``goal_percent`` the share wanted). ``percent`` is how far towards the goal (0–100).
    """

    style: str
    done: int
    total: int
    goal_percent: int = 100

    @property
    def share_percent(self) -> int | None:
        """For a SHARE target, the share reached (rounded down); None when there is nothing to count."""
        if self.style != SHARE or self.total == 0:
            return None
        return self.done * 100 // self.total

    @property
    def percent(self) -> int:
        """How far towards the goal, 0 to 100, for a progress bar."""
        if self.style == COUNT:
            return 100 if self.total == 0 else min(100, self.done * 100 // self.total)
        share = self.share_percent
        if share is None:
            return 0
        if self.goal_percent == 0:
            return 100
        return min(100, share * 100 // self.goal_percent)

    @property
    def met(self) -> bool:
        if self.style == COUNT:
            return self.done >= self.total
        share = self.share_percent
        return share is not None and share >= self.goal_percent


def vcs_signatories_progress(
    *, signed_on: Iterable[datetime.date | None], starts_on: datetime.date, today: datetime.date, number: int
) -> Progress:
    """Approved VCS sign-ups (their dates signed) on or after ``starts_on`` and not after ``today``."""
    done = sum(1 for day in signed_on if day is not None and starts_on <= day <= today)
    return Progress(style=COUNT, done=done, total=number)


def champions_progress(*, champions: Iterable[bool], goal_percent: int = 100) -> Progress:
    """One value per signed organisation: whether it names a champion."""
    values = list(champions)
    return Progress(style=SHARE, done=sum(1 for has in values if has), total=len(values), goal_percent=goal_percent)


@dataclass(frozen=True)
class ConsultationFacts:
    opens_on: datetime.date
    closes_on: datetime.date
    formal: bool
    rationale: str
    min_weeks: int


def consultation_length_progress(
    *,
    consultations: Iterable[ConsultationFacts],
    starts_on: datetime.date,
    today: datetime.date,
    goal_percent: int = 100,
) -> Progress:
    """Formal consultations that closed from ``starts_on`` up to ``today``: how many were long enough
    or explained why not (``consultations.rules``: the length is met, or a reason is given)."""
    closed = [c for c in consultations if c.formal and starts_on <= c.closes_on < today]
    done = 0
    for c in closed:
        short = consultation_rules.needs_rationale(
            opens_on=c.opens_on, closes_on=c.closes_on, min_weeks=c.min_weeks, formal=True
        )
        if not short or (c.rationale or "").strip():
            done += 1
    return Progress(style=SHARE, done=done, total=len(closed), goal_percent=goal_percent)


# Which status changes an action may make. Dropping needs a reason; a done or dropped action may be
# taken up again.
STATUS_TRANSITIONS = {
    "not_started": ("under_way", "done", "dropped"),
    "under_way": ("not_started", "done", "dropped"),
    "done": ("under_way",),
    "dropped": ("not_started", "under_way"),
}

DUE_SOON_DAYS = 14  # the reminder that an action is due comes two weeks before


def is_open(status: str) -> bool:
    return status in ("not_started", "under_way")


def is_overdue(*, status: str, due_on: datetime.date, today: datetime.date) -> bool:
    return is_open(status) and due_on < today
