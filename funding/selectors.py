"""Reads of funding-change notices, checked per user: a notice that is not theirs is a 404.

Compliance is never stored: it is worked out for each notice by ``funding.rules`` from its dates
and its edition's minimum notice, in Python, from rows fetched in a fixed number of queries.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, ngettext

from commitments.models import Compact, Edition
from compact_portal.dates import long_date
from funding import rules
from funding.models import FundingNotice
from funding.permissions import can_view
from signatories.models import Membership, Organisation
from signatories.selectors import verified_public_bodies_of

MEETS = "meets"
DOES_NOT_MEET = "does_not_meet"


def notice_length_text(notice_given_on: datetime.date, effective_on: datetime.date) -> str:
    """How much notice was given, in words: "1 month and 22 days’ notice", "3 months’ notice"."""
    if effective_on <= notice_given_on:
        return gettext("no notice")
    months, days = rules.notice_months_and_days(notice_given_on, effective_on)
    if not days:
        return ngettext("%(months)d month’s notice", "%(months)d months’ notice", months) % {"months": months}
    days_text = ngettext("%(days)d day’s notice", "%(days)d days’ notice", days) % {"days": days}
    if not months:
        return days_text
    months_text = ngettext("%(months)d month", "%(months)d months", months) % {"months": months}
    return gettext("%(months)s and %(days)s") % {"months": months_text, "days": days_text}


@dataclass(frozen=True)
class NoticeCompliance:
    """Whether a notice meets its edition of the Compact, and the figures that say why."""

    compliant: bool
    long_enough: bool
    notice_given_on: datetime.date
    effective_on: datetime.date
    earliest_effective_date: datetime.date
    months_given: int
    days_given: int
    min_months: int
    exceptional: bool
    exceptional_reason: str

    @property
    def exceptional_claimed(self) -> bool:
        """Exceptional circumstances claimed with a reason (a claim without one does not count)."""
        return self.exceptional and bool(self.exceptional_reason.strip())

    @property
    def by_exception(self) -> bool:
        """Too little notice, but meets the Compact because exceptional circumstances are claimed."""
        return self.compliant and not self.long_enough

    @property
    def notice_given_text(self) -> str:
        return notice_length_text(self.notice_given_on, self.effective_on)

    @property
    def minimum_text(self) -> str:
        return ngettext("at least %(months)d month", "at least %(months)d months", self.min_months) % {
            "months": self.min_months
        }

    @property
    def status_label(self) -> str:
        if not self.compliant:
            return gettext("Does not meet the Compact")
        if self.by_exception:
            return gettext("Meets the Compact: exceptional circumstances")
        return gettext("Meets the Compact")

    @property
    def tag_meaning(self) -> str:
        """What the status means, coloured by the portal's status tag."""
        if not self.compliant:
            return "negative"
        return "information" if self.by_exception else "positive"

    @property
    def explanation(self) -> str:
        """One sentence: "Does not meet the Compact: 1 month and 22 days’ notice; the Compact asks
        for at least 3 months (no earlier than 10 April 2027)"."""
        params = {
            "given": self.notice_given_text,
            "minimum": self.minimum_text,
            "earliest": long_date(self.earliest_effective_date),
        }
        if not self.compliant:
            text = gettext(
                "Does not meet the Compact: %(given)s; the Compact asks for %(minimum)s (no earlier than %(earliest)s)"
            )
        elif self.by_exception:
            text = gettext(
                "Meets the Compact because exceptional circumstances are claimed: %(given)s; the Compact asks "
                "for %(minimum)s (no earlier than %(earliest)s)"
            )
        else:
            text = gettext(
                "Meets the Compact: %(given)s; the Compact asks for %(minimum)s (no earlier than %(earliest)s)"
            )
        return text % params


def compliance_of(
    *,
    notice_given_on: datetime.date,
    effective_on: datetime.date,
    min_months: int,
    exceptional: bool,
    exceptional_reason: str,
) -> NoticeCompliance:
    months, days = rules.notice_months_and_days(notice_given_on, effective_on)
    reason = exceptional_reason or ""
    return NoticeCompliance(
        compliant=rules.is_compliant(
            notice_given_on=notice_given_on,
            effective_on=effective_on,
            min_months=min_months,
            exceptional=exceptional,
            exceptional_reason=reason,
        ),
        long_enough=rules.notice_is_long_enough(notice_given_on, effective_on, min_months),
        notice_given_on=notice_given_on,
        effective_on=effective_on,
        earliest_effective_date=rules.earliest_effective_date(notice_given_on, min_months),
        months_given=max(months, 0),
        days_given=max(days, 0),
        min_months=min_months,
        exceptional=exceptional,
        exceptional_reason=reason,
    )


def notice_compliance(notice: FundingNotice) -> NoticeCompliance:
    """The notice against the minimum of the edition it was recorded under (no query when the
    edition was fetched with it)."""
    return compliance_of(
        notice_given_on=notice.notice_given_on,
        effective_on=notice.effective_on,
        min_months=notice.edition.funding_notice_min_months,
        exceptional=notice.exceptional,
        exceptional_reason=notice.exceptional_reason,
    )


# --- One notice ---------------------------------------------------------------------------------------


def _notices() -> QuerySet[FundingNotice]:
    return FundingNotice.objects.select_related("compact", "edition", "issuer", "recipient")


def notice_get_for_user(*, user, pk: int) -> FundingNotice:
    """The notice, if the user may see it; a 404 if there is none or it is not theirs."""
    notice = get_object_or_404(_notices().select_related("created_by"), pk=pk)
    if not can_view(user, notice):
        raise Http404
    return notice


def notice_for_user(*, user, pk: int) -> FundingNotice | None:
    """The notice if there is one and the user may see it; None otherwise (for a page of another
    app that mentions a notice only when the user may see it)."""
    notice = _notices().filter(pk=pk).first()
    if notice is None or not can_view(user, notice):
        return None
    return notice


# --- Lists --------------------------------------------------------------------------------------------


def _own_organisation_ids(user) -> QuerySet:
    return Membership.objects.filter(user=user).values("organisation_id")


def notices_visible_to(user) -> QuerySet[FundingNotice]:
    """Notices given by the user's bodies, received by the user's organisations, or under a Compact
    the user coordinates; each once, newest notice first."""
    if not user.is_authenticated or not user.is_active:
        return FundingNotice.objects.none()
    if user.is_superuser:
        return _notices()
    own = _own_organisation_ids(user)
    coordinated = Compact.objects.filter(coordinators=user).values("pk")
    # Subqueries, not joins: a join through a Compact's coordinators would repeat a notice once per
    # coordinator.
    return _notices().filter(Q(issuer_id__in=own) | Q(recipient_id__in=own) | Q(compact_id__in=coordinated))


def notices_given_by_organisations_of(notices: QuerySet[FundingNotice], user) -> QuerySet[FundingNotice]:
    return notices.filter(issuer_id__in=_own_organisation_ids(user))


def notices_received_by_organisations_of(notices: QuerySet[FundingNotice], user) -> QuerySet[FundingNotice]:
    return notices.filter(recipient_id__in=_own_organisation_ids(user))


@dataclass(frozen=True)
class NoticeRow:
    notice: FundingNotice
    compliance: NoticeCompliance


def _pks_by_compliance(notices: QuerySet[FundingNotice], *, compliant: bool) -> list[int]:
    """The notices (in their order) that meet the Compact, or that do not: one query, the rule applied
    in Python to the dates of each."""
    facts = notices.values_list(
        "pk",
        "notice_given_on",
        "effective_on",
        "edition__funding_notice_min_months",
        "exceptional",
        "exceptional_reason",
    )
    return [
        pk
        for pk, given, effective, min_months, exceptional, reason in facts
        if rules.is_compliant(
            notice_given_on=given,
            effective_on=effective,
            min_months=min_months,
            exceptional=exceptional,
            exceptional_reason=reason,
        )
        == compliant
    ]


def notice_page(
    notices: QuerySet[FundingNotice], *, compliance: str = "", page_number=None, per_page: int = 50
) -> tuple[Page, list[NoticeRow]]:
    """One page of the notices, each with its compliance, optionally only those that meet the
    Compact (``MEETS``) or do not (``DOES_NOT_MEET``). Two queries, however many notices.

    The database sorts bare ids (a subquery for the page's ids), and only the page's rows are
    joined to their Compact, edition and organisations: joining every notice's wide rows before
    sorting took most of a second at national scale."""
    if compliance in (MEETS, DOES_NOT_MEET):
        pks = _pks_by_compliance(notices, compliant=compliance == MEETS)
        page = Paginator(pks, per_page).get_page(page_number)
        by_pk = notices.in_bulk(list(page.object_list)) if page.object_list else {}
        return page, rows_for([by_pk[pk] for pk in page.object_list if pk in by_pk])
    page = Paginator(notices.values_list("pk", flat=True), per_page).get_page(page_number)
    return page, rows_for(notices.filter(pk__in=page.object_list))


# --- Choices for the form -----------------------------------------------------------------------------


def public_bodies_of(user) -> QuerySet[Organisation]:
    """The public bodies the user belongs to: the ones they may record notices for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return verified_public_bodies_of(user)


def compacts_with_current_edition() -> QuerySet[Compact]:
    """Compacts a notice can be recorded under: those with a published edition (one at most each)."""
    return Compact.objects.filter(editions__status=Edition.Status.PUBLISHED).order_by("name")


def rows_for(notices: Iterable[FundingNotice]) -> list[NoticeRow]:
    return [NoticeRow(notice=notice, compliance=notice_compliance(notice)) for notice in notices]


def year_counts(*, compact_ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, tuple[int, int]]:
    """For each Compact, (met, given): notices given in [start, end), and how many of them gave the
    edition's minimum notice or claimed exceptional circumstances with a reason. One query."""
    counts = {pk: [0, 0] for pk in compact_ids}
    rows = FundingNotice.objects.filter(
        compact_id__in=compact_ids, notice_given_on__gte=start, notice_given_on__lt=end
    ).values_list(
        "compact_id",
        "notice_given_on",
        "effective_on",
        "edition__funding_notice_min_months",
        "exceptional",
        "exceptional_reason",
    )
    for compact_id, given, effective, min_months, exceptional, reason in rows:
        met = rules.is_compliant(
            notice_given_on=given,
            effective_on=effective,
            min_months=min_months,
            exceptional=exceptional,
            exceptional_reason=reason,
        )
        counts[compact_id][0] += met
        counts[compact_id][1] += 1
    return {pk: (met, given) for pk, (met, given) in counts.items()}
