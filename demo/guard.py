"""The demo's guard against retaliation (decision 0025): two acts of the council against groups that
had a concern against it, flagged for the demo coordinator, one reviewed and one waiting.

In the demo's past, like ``demo.history`` (on which it builds: the notices, consultations and
concerns are there): the notice ending Canal Side Youth Project's outreach contract (1 September
2025), months after the group's concern against the council closed; and the alerts about the youth
services review stopped for Borough Deaf Club (16 March 2026), weeks after its concern closed. The
first is reviewed; the second waits for the coordinator, who was told of it (a notification), as
``disputes.services.guard_check`` tells coordinators. The text is our own.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from commitments.models import Compact
from consultations.models import AlertStop, Consultation
from disputes import services as dispute_services
from disputes.models import GuardFlag
from funding.models import FundingNotice
from signatories.models import Organisation

D = datetime.date

NOTICE_REVIEW = (
    "The council brought all youth outreach work into its own youth service in 2025, for every provider "
    "at once, as its youth plan said before the group's concern was raised. No link to the concern."
)
STOP_REASON = "The club works with adults only and asked not to hear about services for young people."


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def guard_flags(compact: Compact, users: dict[str, User]) -> None:
    """Only once: a flag for the Compact marks it done."""
    if GuardFlag.objects.filter(compact=compact).exists():
        return
    council = Organisation.objects.get(name="Example Borough Council")

    # The notice, reviewed two weeks later: no link.
    notice = FundingNotice.objects.get(
        compact=compact, issuer=council, recipient__name="Canal Side Youth Project", notice_given_on=D(2025, 9, 1)
    )
    cases = list(
        dispute_services.guard_concerns(body=council, organisation=notice.recipient, on=notice.notice_given_on)
    )
    if not cases:
        raise ValueError("The demo's history no longer has a concern for the guard to flag.")
    flag = GuardFlag.objects.create(
        compact=compact,
        body=council,
        organisation=notice.recipient,
        funding_notice=notice,
        raised_on=notice.notice_given_on,
    )
    flag.cases.set(cases)
    dispute_services.guard_review(
        flag=flag, by=users["coordinator"], review=GuardFlag.Review.NO_LINK, note=NOTICE_REVIEW
    )
    GuardFlag.objects.filter(pk=flag.pk).update(
        created_at=_at(notice.notice_given_on), reviewed_at=_at(D(2025, 9, 15), 15)
    )

    # The stopped alert, not reviewed yet: raised through the service, which tells the coordinator.
    stopped_on = D(2026, 3, 16)
    consultation = Consultation.objects.get(compact=compact, title="Youth services review")
    stop = AlertStop.objects.create(
        consultation=consultation,
        organisation=Organisation.objects.get(name="Borough Deaf Club"),
        reason=STOP_REASON,
        stopped_by=users["officer"],
    )
    AlertStop.objects.filter(pk=stop.pk).update(stopped_at=_at(stopped_on))
    flag = dispute_services.guard_check(
        compact=compact, body=council, organisation=stop.organisation, on=stopped_on, alert_stop=stop
    )
    if flag is None:
        raise ValueError("The demo's history no longer has a concern for the guard to flag.")
    GuardFlag.objects.filter(pk=flag.pk).update(created_at=_at(stopped_on))
