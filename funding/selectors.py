"""Reads of funding-change notices, checked per user: a notice that is not theirs is a 404.

Compliance is never stored: it is worked out for each notice by ``funding.rules`` from its dates
and its edition's minimum notice, in Python, from rows fetched in a fixed number of queries.
"""

import datetime
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Min, Q, QuerySet
from django.db.models.signals import post_save
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from commitments.models import Compact, Edition
from compact_portal.dates import financial_year_of, long_date
from funding import rules
from funding.models import FundingNotice, NoticeStep
from funding.permissions import can_view
from signatories.models import Membership, Organisation
from signatories.selectors import reach_of, verified_public_bodies_of

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
    # The ids first (one small query), then literal lists: with subqueries in an OR, PostgreSQL
    # reads every notice (50,000 rows, 20 ms at national scale) instead of the three indexes. Not a
    # join: a join through a Compact's coordinators would repeat a notice once per coordinator.
    reach = reach_of(user)
    if not reach:
        return FundingNotice.objects.none()
    own = reach.organisation_ids
    return _notices().filter(Q(issuer_id__in=own) | Q(recipient_id__in=own) | Q(compact_id__in=reach.compact_ids))


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


# --- The parts of compliance and the right of reply (issue 16, decision 0022) ---------------------------


@dataclass(frozen=True)
class StepDates:
    """From a notice's timeline, the dates its compliance parts look at."""

    first_reply_on: datetime.date | None = None
    considered_on: datetime.date | None = None
    timetable_offered_on: datetime.date | None = None


def _step_dates(notice_ids: list[int]) -> dict[int, StepDates]:
    """The dates of each notice's first reply, first consideration (or decision) and first timetable
    the body offered (a timetable the organisation proposes is part of its reply: the Compact asks the
    body to offer one); one query."""
    rows = (
        NoticeStep.objects.filter(notice_id__in=notice_ids)
        .values("notice_id", "kind", "side")
        .annotate(first=Min("recorded_on"))
    )
    found: dict[int, dict[tuple[str, str], datetime.date]] = {}
    for row in rows:
        found.setdefault(row["notice_id"], {})[(row["kind"], row["side"])] = row["first"]
    recipient, issuer = NoticeStep.Side.RECIPIENT, NoticeStep.Side.ISSUER
    result = {}
    for notice_id, firsts in found.items():
        replies = [firsts.get((k, recipient)) for k in NoticeStep.RECIPIENT_KINDS]
        considered = [firsts.get((k, issuer)) for k in (NoticeStep.Kind.CONSIDERATION, NoticeStep.Kind.DECISION)]
        result[notice_id] = StepDates(
            first_reply_on=min(filter(None, replies), default=None),
            considered_on=min(filter(None, considered), default=None),
            timetable_offered_on=firsts.get((NoticeStep.Kind.TIMETABLE, issuer)),
        )
    return result


def _parts_of(facts: dict, dates: StepDates, today: datetime.date) -> rules.Parts:
    return rules.parts(
        today=today,
        notice_given_on=facts["notice_given_on"],
        effective_on=facts["effective_on"],
        min_months=facts["min_months"],
        exceptional=facts["exceptional"],
        exceptional_reason=facts["exceptional_reason"] or "",
        assessed=facts["impact_assessed"],
        findings=facts["impact_findings"] or "",
        discussed_before=facts["discussed_before"],
        response_working_days=facts["response_days"],
        nation=facts["nation"],
        first_reply_on=dates.first_reply_on,
        considered_on=dates.considered_on,
        for_performance=facts["ended_for_performance"],
        timetable_offered_on=dates.timetable_offered_on,
    )


def notice_parts(notice: FundingNotice, *, today: datetime.date | None = None) -> rules.Parts:
    """The notice's compliance part by part (one query for its timeline's dates)."""
    facts = {
        "notice_given_on": notice.notice_given_on,
        "effective_on": notice.effective_on,
        "min_months": notice.edition.funding_notice_min_months,
        "exceptional": notice.exceptional,
        "exceptional_reason": notice.exceptional_reason,
        "impact_assessed": notice.impact_assessed,
        "impact_findings": notice.impact_findings,
        "discussed_before": notice.discussed_before,
        "response_days": notice.edition.dispute_informal_days,
        "nation": notice.compact.nation,
        "ended_for_performance": notice.ended_for_performance,
    }
    return _parts_of(facts, _step_dates([notice.pk]).get(notice.pk, StepDates()), today or timezone.localdate())


_PART_FACTS = {
    "notice_given_on": "notice_given_on",
    "effective_on": "effective_on",
    "min_months": "edition__funding_notice_min_months",
    "exceptional": "exceptional",
    "exceptional_reason": "exceptional_reason",
    "impact_assessed": "impact_assessed",
    "impact_findings": "impact_findings",
    "discussed_before": "discussed_before",
    "response_days": "edition__dispute_informal_days",
    "nation": "compact__nation",
    "ended_for_performance": "ended_for_performance",
}


@dataclass(frozen=True)
class PartCount:
    """For one part of compliance: how many notices met it, did not, are still open, and it applied to."""

    part: str
    met: int = 0
    not_met: int = 0
    pending: int = 0

    @property
    def applies_to(self) -> int:
        return self.met + self.not_met + self.pending

    @property
    def label(self) -> str:
        return str(PART_LABELS[self.part])


PART_LABELS = {
    rules.NOTICE_LENGTH: gettext_lazy("Minimum notice given (or exceptional circumstances)"),
    rules.IMPACT: gettext_lazy("Impact assessed, with its findings written"),
    rules.DISCUSSED: gettext_lazy("Discussed with the organisation before the decision"),
    rules.RESPONSE: gettext_lazy("Chance to respond before the change took effect"),
    rules.TIMETABLE: gettext_lazy("Improvement timetable offered (funding changed for performance)"),
}


# What the notice list's counts are worked out from: a save or delete of any of these starts a new
# version of the kept counts (funding/apps.py connects ``part_counts_changed``).
PART_COUNT_MODELS = (
    ("funding", "FundingNotice"),
    ("funding", "NoticeStep"),
    ("commitments", "Edition"),
    ("commitments", "Compact"),
)
_PART_COUNTS_VERSION_KEY = "funding:part-counts-version"
# Counts are kept at most this long (a save that commits after a read may be missed that long).
PART_COUNTS_SECONDS = 5 * 60


# What a notice's parts read from its edition and its Compact (``_PART_FACTS``): a save of one that
# writes none of these (a publish: the status of the two editions) changes no count.
_COUNTED_FIELDS = {
    "edition": {"funding_notice_min_months", "dispute_informal_days", "compact"},
    "compact": {"nation"},
}


def part_counts_changed(signal=None, instance=None, created=False, update_fields=None, **_kwargs) -> None:
    """A receiver of post_save and post_delete for ``PART_COUNT_MODELS``: kept counts are dropped,
    unless the row is an edition or a Compact that no notice counts on yet (new, or a draft edition:
    notices are given under the current one) or whose save wrote nothing a notice's parts read.
    Publishing dropped every kept count, and the national coordinator's list took more than a second
    (five under load, make load) to work its counts out again."""
    counted = _COUNTED_FIELDS.get(instance._meta.model_name) if instance is not None else None
    if counted is not None and signal is post_save:
        if created or getattr(instance, "status", None) == Edition.Status.DRAFT:
            return
        if update_fields is not None and not counted & set(update_fields):
            return
    cache.set(_PART_COUNTS_VERSION_KEY, uuid.uuid4().hex, None)


def part_counts(notices: QuerySet[FundingNotice], *, today: datetime.date | None = None) -> list[PartCount]:
    """Counts per part of compliance over ``notices`` (two queries, however many): a part that does
    not apply to a notice (the timetable, unless funding changes for performance) is not counted.

    Working the parts out for every notice a national coordinator sees takes more than a second:
    the counts are kept for the same notices (the same query: the person's and the filters'), the
    same day, while no notice, step, edition or Compact is saved or deleted.
    """
    today = today or timezone.localdate()
    version = cache.get(_PART_COUNTS_VERSION_KEY)
    if version is None:
        cache.add(_PART_COUNTS_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(_PART_COUNTS_VERSION_KEY)
    query = hashlib.sha256(str(notices.order_by().values_list("pk").query).encode()).hexdigest()
    key = f"funding:part-counts:{version}:{today.isoformat()}:{query}"
    kept = cache.get(key)
    if kept is None:
        kept = _count_parts(_part_rows(notices), today)
        cache.set(key, kept, PART_COUNTS_SECONDS)
    return kept


def part_counts_by_year(
    notices: QuerySet[FundingNotice], *, today: datetime.date | None = None
) -> dict[int, list[PartCount]]:
    """``part_counts`` for each financial year of the notice date (two queries, however many)."""
    today = today or timezone.localdate()
    by_year: dict[int, list[dict]] = {}
    for row in _part_rows(notices):
        by_year.setdefault(financial_year_of(row["notice_given_on"]), []).append(row)
    dates = _step_dates([row["pk"] for rows in by_year.values() for row in rows]) if by_year else {}
    return {year: _count_parts(rows, today, dates) for year, rows in by_year.items()}


def _part_rows(notices: QuerySet[FundingNotice]) -> list[dict]:
    return [
        {"pk": row[0], **dict(zip(_PART_FACTS, row[1:], strict=True))}
        for row in notices.order_by().values_list("pk", *_PART_FACTS.values())
    ]


def _count_parts(rows: list[dict], today: datetime.date, dates: dict | None = None) -> list[PartCount]:
    if dates is None:
        dates = _step_dates([row["pk"] for row in rows]) if rows else {}
    tallies = {name: [0, 0, 0] for name in rules.PART_NAMES}
    for row in rows:
        for name, value in _parts_of(row, dates.get(row["pk"], StepDates()), today).items():
            tallies[name][0 if value else 1 if value is False else 2] += 1
    return [PartCount(name, *tallies[name]) for name in rules.PART_NAMES]


# --- The timeline ----------------------------------------------------------------------------------------


def notice_timeline(notice: FundingNotice) -> list[NoticeStep]:
    """The notice's steps in order, each with who recorded it and its timetable (three queries). The
    caller has checked the user may see the notice (``notice_get_for_user``)."""
    return list(
        notice.steps.select_related("author", "organisation").prefetch_related("timetable").order_by("created_at", "pk")
    )


def step_get_for_user(*, user, notice_pk: int, pk: int) -> NoticeStep:
    """A step of a notice the user may see; else 404."""
    notice = notice_get_for_user(user=user, pk=notice_pk)
    return get_object_or_404(NoticeStep, notice=notice, pk=pk)


@dataclass(frozen=True)
class PartRow:
    """One part of a notice's compliance, for the notice page."""

    part: str
    value: bool | None

    @property
    def label(self) -> str:
        return str(PART_LABELS[self.part])

    @property
    def status_label(self) -> str:
        if self.value is None:
            return gettext("Not yet known")
        return gettext("Met") if self.value else gettext("Not met")

    @property
    def tag_meaning(self) -> str:
        if self.value is None:
            return "waiting"
        return "positive" if self.value else "negative"


def part_rows(parts: rules.Parts) -> list[PartRow]:
    return [PartRow(name, value) for name, value in parts.items()]
