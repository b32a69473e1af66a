"""Reads of consultations, and how their status and compliance are explained.

Status and compliance come from ``consultations.rules`` (pure functions), fed with the parameters
of the edition in force when the consultation was registered and the nation of its Compact.
The public list costs a fixed number of queries: each row's consultation comes with its body,
Compact and edition in one query, and its status and compliance are worked out in Python.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Case, Count, F, Func, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commitments.models import Compact, Edition, Sector
from compact_portal.dates import long_date
from consultations import rules
from consultations.models import AlertStop, Consultation, FeedbackItem, Response
from consultations.permissions import can_manage, can_view_response
from signatories.models import Organisation, Signature
from signatories.selectors import verified_public_bodies_of

STATUS_LABELS = {
    rules.FORTHCOMING: gettext_lazy("Forthcoming"),
    rules.OPEN: gettext_lazy("Open"),
    rules.AWAITING_FEEDBACK: gettext_lazy("Closed: awaiting feedback"),
    rules.FEEDBACK_PUBLISHED: gettext_lazy("Feedback published"),
}
STATUS_CHOICES = list(STATUS_LABELS.items())
# The order of the public list: open ones first, then forthcoming, then closed ones.
STATUS_RANK = {rules.OPEN: 0, rules.FORTHCOMING: 1, rules.AWAITING_FEEDBACK: 2, rules.FEEDBACK_PUBLISHED: 3}
STATUS_BY_RANK = {rank: status for status, rank in STATUS_RANK.items()}


def describe_length(days: int) -> str:
    """'6 weeks (42 days)', '6 weeks and 3 days (45 days)', '5 days'."""
    weeks, rest = divmod(days, 7)
    if weeks == 0:
        return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
    week_text = ngettext("%(weeks)s week", "%(weeks)s weeks", weeks) % {"weeks": weeks}
    if rest:
        rest_text = ngettext("%(days)s day", "%(days)s days", rest) % {"days": rest}
        week_text = _("%(weeks)s and %(days)s") % {"weeks": week_text, "days": rest_text}
    return _("%(length)s (%(days)s days)") % {"length": week_text, "days": days}


def weeks_text(weeks: int) -> str:
    return ngettext("%(weeks)s week", "%(weeks)s weeks", weeks) % {"weeks": weeks}


# --- Status and compliance of one consultation ----------------------------------------------------


def consultation_status(consultation: Consultation, today: datetime.date) -> str:
    return rules.status(
        today=today,
        opens_on=consultation.opens_on,
        closes_on=consultation.closes_on,
        feedback_published_on=consultation.feedback_published_on,
    )


def consultation_compliance(consultation: Consultation, today: datetime.date) -> rules.Compliance:
    """``rules.compliance`` with the parameters of the edition the consultation was registered under
    and the nation of its Compact (for the bank holidays that move the feedback deadline)."""
    edition = consultation.edition
    return rules.compliance(
        today=today,
        opens_on=consultation.opens_on,
        closes_on=consultation.closes_on,
        formal=consultation.kind == Consultation.Kind.FORMAL,
        rationale=consultation.shorter_rationale,
        early_notice_on=consultation.early_notice_on,
        feedback_published_on=consultation.feedback_published_on,
        min_weeks=edition.consultation_min_weeks,
        feedback_weeks=edition.feedback_due_weeks,
        nation=consultation.compact.nation,
    )


@dataclass(frozen=True)
class Tag:
    label: str
    meaning: str  # what it means, coloured by the status tag (compact_portal.templatetags.status_tags)


STATUS_MEANINGS = {
    rules.FORTHCOMING: "information",
    rules.OPEN: "positive",
    rules.AWAITING_FEEDBACK: "waiting",
    rules.FEEDBACK_PUBLISHED: "neutral",
}


def status_tag(status: str) -> Tag:
    return Tag(str(STATUS_LABELS[status]), STATUS_MEANINGS[status])


def reason_given_label(*, formal: bool) -> str:
    """What a shorter (or informal) consultation with a recorded reason is called: allowed by the
    Compact, but not the same as one that ran the full length."""
    return _("Shorter, reason given") if formal else _("Informal, reason given")


def compliance_tag(compliance: rules.Compliance, *, formal: bool = True) -> Tag:
    if compliance.compliant is True and compliance.length == rules.LENGTH_REASON_GIVEN:
        return Tag(reason_given_label(formal=formal), "waiting")
    if compliance.compliant is True:
        return Tag(_("Meets the Compact"), "positive")
    if compliance.compliant is False:
        return Tag(_("Does not meet the Compact"), "negative")
    return Tag(_("Feedback due %(date)s") % {"date": long_date(compliance.feedback_due_on)}, "neutral")


@dataclass(frozen=True)
class ConsultationRow:
    """A consultation with what the pages show about it."""

    consultation: Consultation
    status: str
    status_tag: Tag
    compliance: rules.Compliance
    compliance_tag: Tag
    length_days: int

    @property
    def length_text(self) -> str:
        return describe_length(self.length_days)


def consultation_row(consultation: Consultation, today: datetime.date) -> ConsultationRow:
    status = consultation_status(consultation, today)
    compliance = consultation_compliance(consultation, today)
    return ConsultationRow(
        consultation=consultation,
        status=status,
        status_tag=status_tag(status),
        compliance=compliance,
        compliance_tag=compliance_tag(compliance, formal=consultation.kind == Consultation.Kind.FORMAL),
        length_days=rules.length_days(consultation.opens_on, consultation.closes_on),
    )


@dataclass(frozen=True)
class CompliancePart:
    """One part of the Compact's expectations, explained in plain words."""

    title: str
    ok: bool | None  # None: not decided yet
    text: str
    reason: str = ""  # the rationale given, shown as the user typed it (escaped by the template)
    reason_label: str = ""
    met_label: str = ""  # instead of "Met", when it is met in a way of its own (a reason given)

    @property
    def tag(self) -> Tag:
        if self.ok is True and self.met_label:
            return Tag(self.met_label, "waiting")
        if self.ok is True:
            return Tag(_("Met"), "positive")
        if self.ok is False:
            return Tag(_("Not met"), "negative")
        return Tag(_("Not due yet"), "neutral")


def compliance_parts(consultation: Consultation, today: datetime.date) -> list[CompliancePart]:
    """Length (or the reason it is shorter or informal), early notice, and feedback, each explained."""
    compliance = consultation_compliance(consultation, today)
    min_weeks = consultation.edition.consultation_min_weeks
    length = describe_length(rules.length_days(consultation.opens_on, consultation.closes_on))
    minimum = weeks_text(min_weeks)
    formal = consultation.kind == Consultation.Kind.FORMAL
    long_enough = rules.is_long_enough(consultation.opens_on, consultation.closes_on, min_weeks)
    reason = consultation.shorter_rationale.strip()
    reason_label = ""
    if formal and long_enough:
        length_text = _("Open for %(length)s: meets the Compact’s minimum of %(minimum)s.") % {
            "length": length,
            "minimum": minimum,
        }
    elif formal:
        length_text = _("Open for %(length)s, shorter than the Compact’s %(minimum)s.") % {
            "length": length,
            "minimum": minimum,
        }
        reason_label = _("The reason given")
    else:
        length_text = _(
            "An informal consultation, open for %(length)s. The Compact expects a formal written consultation of "
            "at least %(minimum)s, or a reason for an informal approach."
        ) % {"length": length, "minimum": minimum}
        reason_label = _("The reason given for an informal approach")
    if reason_label and not reason:
        length_text += " " + _("No reason was given.")
    parts = [
        CompliancePart(
            title=_("Length"),
            ok=compliance.length_ok,
            text=length_text,
            reason=reason if reason_label else "",
            reason_label=reason_label if reason else "",
            met_label=reason_given_label(formal=formal) if compliance.length == rules.LENGTH_REASON_GIVEN else "",
        )
    ]

    notice = consultation.early_notice_on
    if notice is None:
        notice_text = _("No early notice was recorded before it opened.")
    elif compliance.early_notice_ok:
        notice_text = _("Early notice was given on %(date)s, before it opened on %(opens)s.") % {
            "date": long_date(notice),
            "opens": long_date(consultation.opens_on),
        }
    else:
        notice_text = _("Early notice was given on %(date)s, not before it opened on %(opens)s.") % {
            "date": long_date(notice),
            "opens": long_date(consultation.opens_on),
        }
    parts.append(CompliancePart(title=_("Early notice"), ok=compliance.early_notice_ok, text=notice_text))

    due = long_date(compliance.feedback_due_on)
    weeks = weeks_text(consultation.edition.feedback_due_weeks)
    published = consultation.feedback_published_on
    if published is not None and compliance.feedback_ok:
        feedback_text = _("Feedback was published on %(date)s, by the due date of %(due)s.") % {
            "date": long_date(published),
            "due": due,
        }
    elif published is not None:
        feedback_text = _("Feedback was published on %(date)s, after the due date of %(due)s.") % {
            "date": long_date(published),
            "due": due,
        }
    elif compliance.feedback_ok is False:
        feedback_text = _("Feedback was due by %(due)s and has not been published.") % {"due": due}
    else:
        feedback_text = _("Feedback is due by %(due)s, %(weeks)s after it closes.") % {"due": due, "weeks": weeks}
    parts.append(CompliancePart(title=_("Feedback"), ok=compliance.feedback_ok, text=feedback_text))
    return parts


# --- The public list --------------------------------------------------------------------------------


def status_q(status: str, today: datetime.date) -> Q:
    """The consultations whose ``rules.status`` on ``today`` is ``status``, as a database condition
    (tests check that the two agree)."""
    if status == rules.FORTHCOMING:
        return Q(opens_on__gt=today)
    if status == rules.OPEN:
        return Q(opens_on__lte=today, closes_on__gte=today)
    if status == rules.AWAITING_FEEDBACK:
        return Q(closes_on__lt=today, feedback_published_on__isnull=True)
    if status == rules.FEEDBACK_PUBLISHED:
        return Q(closes_on__lt=today, feedback_published_on__isnull=False)
    raise ValueError(status)


# The order within one status, the same as in ``consultations_public``, in plain columns that an
# index serves (``consultation_open_idx``, ``consultation_opens_idx``, ``consultation_feedback_idx``).
STATUS_ORDER = {
    rules.OPEN: ("closes_on", "-pk"),
    rules.FORTHCOMING: ("opens_on", "-pk"),
    rules.AWAITING_FEEDBACK: ("-closes_on", "-pk"),
    rules.FEEDBACK_PUBLISHED: ("-closes_on", "-pk"),
}


def consultations_with_status(queryset: QuerySet[Consultation], status: str, today: datetime.date):
    """Those of ``queryset`` whose status on ``today`` is ``status``, in the public list's order.

    The order of the whole list depends on today (a computed rank); within one status it is a
    date, so the database walks an index of date ranges instead of sorting every consultation.
    """
    return queryset.filter(status_q(status, today)).order_by(*STATUS_ORDER[status])


class ConsultationIdsInOrder:
    """The ids of ``queryset`` in the public list's order, for a ``Paginator``, without sorting
    every consultation by a rank worked out for each row.

    Two queries per page, whatever the data: the number of each status (the count the paginator
    needs anyway), then the page's ids, each status's part of the page taken down its
    own index (``consultations_with_status``) and put together in one ``UNION ALL``.
    """

    def __init__(self, queryset: QuerySet[Consultation], today: datetime.date):
        self.queryset = queryset.order_by()
        self.today = today
        self._counts: list[tuple[str, int]] | None = None

    def counts(self) -> list[tuple[str, int]]:
        """How many of each status, in the list's order: one query of a count per status, each
        counted from its own index rather than one pass deciding every row's status."""
        if self._counts is None:
            statuses = sorted(STATUS_RANK, key=STATUS_RANK.get)
            parts = [
                self.queryset.filter(status_q(status, self.today))
                .values(n=Func(template="COUNT(*)", output_field=IntegerField()))
                .query.sql_with_params()
                for status in statuses
            ]
            sql = "SELECT " + ", ".join(f"({part_sql})" for part_sql, _params in parts)
            with connections[self.queryset.db].cursor() as cursor:
                cursor.execute(sql, [param for _sql, params in parts for param in params])
                self._counts = list(zip(statuses, cursor.fetchone(), strict=True))
        return self._counts

    def count(self) -> int:
        return sum(number for _status, number in self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[int]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("ConsultationIdsInOrder takes a slice")
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        parts = []
        offset = 0
        for status, number in self.counts():
            low, high = max(start - offset, 0), min(stop - offset, number)
            if low < high:
                date = STATUS_ORDER[status][0].lstrip("-")
                part = (
                    consultations_with_status(self.queryset, status, self.today)
                    .annotate(rank=Value(STATUS_RANK[status]), day=F(date))
                    .values_list("pk", "rank", "day")
                )
                parts.append(part[low:high])
            offset += number
        if not parts:
            return []
        if len(parts) == 1:
            rows = list(parts[0])
        elif connections[self.queryset.db].features.supports_slicing_ordering_in_compound:
            rows = list(parts[0].union(*parts[1:], all=True))
        else:  # SQLite (the embedded run): no LIMIT inside a UNION, so a query per status (four at most)
            rows = [row for part in parts for row in part]

        def order(row) -> tuple:
            pk, rank, day = row
            descending = STATUS_ORDER[STATUS_BY_RANK[rank]][0].startswith("-")
            return rank, -day.toordinal() if descending else day.toordinal(), -pk

        return [row[0] for row in sorted(rows, key=order)]


def consultations_public(*, today: datetime.date) -> QuerySet[Consultation]:
    """Every consultation, with its body, Compact and edition: open ones first (closing soonest
    first), then forthcoming ones (opening soonest first), then closed ones (most recent first)."""
    rank = Case(
        *(When(status_q(status, today), then=Value(STATUS_RANK[status])) for status in STATUS_RANK),
        output_field=IntegerField(),
    )
    return (
        Consultation.objects.select_related("organisation", "compact", "edition")
        .annotate(status_rank=rank)
        .annotate(
            soonest=Case(
                When(status_rank=STATUS_RANK[rules.OPEN], then=F("closes_on")),
                When(status_rank=STATUS_RANK[rules.FORTHCOMING], then=F("opens_on")),
            ),
            latest=Case(When(status_rank__gte=STATUS_RANK[rules.AWAITING_FEEDBACK], then=F("closes_on"))),
        )
        .order_by("status_rank", F("soonest").asc(nulls_last=True), F("latest").desc(nulls_last=True), "-pk")
    )


def consultations_in_order(pks: list[int]) -> list[Consultation]:
    """These consultations, in this order, with their body, Compact and edition (one query).

    The list pages through ``consultations_public`` as bare ids, so that the database sorts the
    consultations alone and joins the other tables for one page only.
    """
    by_pk = Consultation.objects.select_related("organisation", "compact", "edition").in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


def compacts_for_filter() -> QuerySet[Compact]:
    """Every Compact (a few per portal), so that a link from a Compact's page always works."""
    return Compact.objects.order_by("name")


# --- One consultation ---------------------------------------------------------------------------------


def consultation_get(*, pk: int) -> Consultation:
    """Any consultation: they are public. Its responses are not (see ``responses_for_manager``)."""
    return get_object_or_404(
        Consultation.objects.select_related("organisation", "compact", "edition").annotate(
            response_count=Count("responses")
        ),
        pk=pk,
    )


def consultation_or_none(*, pk: int) -> Consultation | None:
    """Any consultation (they are public), or None if there is none with that number."""
    return Consultation.objects.select_related("organisation").filter(pk=pk).first()


def consultation_get_for_manager(*, user, pk: int) -> Consultation:
    """The consultation if the user may change it and its feedback: 404 if there is none, 403 if
    it is not theirs to change."""
    consultation = consultation_get(pk=pk)
    if not can_manage(user, consultation):
        raise PermissionDenied
    return consultation


def responses_for_manager(*, consultation: Consultation) -> QuerySet[Response]:
    return consultation.responses.select_related("organisation", "submitted_by").order_by("organisation__name")


def response_get_for_user(*, user, consultation_pk: int, pk: int) -> Response:
    """A response the user may see (its organisation's members, the consultation's managers); 404
    for everyone else, so that nobody learns it exists."""
    response = get_object_or_404(
        Response.objects.select_related("organisation", "consultation__organisation", "consultation__compact"),
        pk=pk,
        consultation_id=consultation_pk,
    )
    if not can_view_response(user, response):
        raise Http404
    return response


def feedback_items(*, consultation: Consultation) -> list[FeedbackItem]:
    return list(consultation.feedback_items.all())


def feedback_item_get(*, consultation: Consultation, pk) -> FeedbackItem:
    try:
        return consultation.feedback_items.get(pk=int(pk))
    except (ValueError, TypeError, FeedbackItem.DoesNotExist):
        raise Http404 from None


# --- For the forms ----------------------------------------------------------------------------------


def public_bodies_of(user) -> QuerySet[Organisation]:
    """The public bodies the user belongs to: those they may register consultations for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return verified_public_bodies_of(user)


def vcs_organisations_of(user) -> QuerySet[Organisation]:
    """The voluntary and community organisations the user belongs to: those they may respond for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, sector=Sector.VCS).order_by("name")


def compacts_open_for_registration() -> QuerySet[Compact]:
    """Compacts with a current edition, each with it as ``current_editions`` (a list of one)."""
    return (
        Compact.objects.filter(editions__status=Edition.Status.PUBLISHED)
        .prefetch_related(
            Prefetch(
                "editions", queryset=Edition.objects.filter(status=Edition.Status.PUBLISHED), to_attr="current_editions"
            )
        )
        .distinct()
        .order_by("name")
    )


def alertable_organisations(*, consultation: Consultation) -> QuerySet[Organisation]:
    """The signatory organisations this consultation's alerts go to and have not been stopped for:
    voluntary and community organisations that signed its Compact's current edition and asked for
    alerts (as consultations.reminders finds them)."""
    return (
        Organisation.objects.filter(
            sector=Sector.VCS,
            wants_consultation_alerts=True,
            signatures__status=Signature.Status.SIGNED,
            signatures__edition__status=Edition.Status.PUBLISHED,
            signatures__edition__compact_id=consultation.compact_id,
        )
        .exclude(pk__in=consultation.alert_stops.values("organisation_id"))
        .distinct()
        .order_by("name")
    )


def alert_stops(*, consultation: Consultation) -> QuerySet[AlertStop]:
    return consultation.alert_stops.select_related("organisation", "stopped_by")


def alert_stop_get(*, pk: int) -> AlertStop:
    """For the apps above (disputes' guard): one stopped alert with its consultation."""
    return get_object_or_404(AlertStop.objects.select_related("consultation", "organisation"), pk=pk)


def responses_by_organisation(*, consultation: Consultation, organisations) -> dict[int, Response]:
    """The responses already recorded for these organisations, by organisation id."""
    return {
        response.organisation_id: response
        for response in consultation.responses.filter(organisation__in=list(organisations))
    }


# The outcome measures (monitoring.indicators): counts per Compact for one financial year.

# Feedback falls due at most this long after closing (the edition's maximum feedback weeks, and a
# run of bank holidays); consultations closing earlier cannot have feedback due in the year.
_FEEDBACK_REACH = datetime.timedelta(weeks=52 + 3)


@dataclass
class YearCounts:
    """(met, counted) pairs for one Compact's consultations in one financial year."""

    length: list[int]
    early_notice: list[int]
    feedback: list[int]


def year_counts(*, compact_ids: list[int], start: datetime.date, end: datetime.date, today: datetime.date) -> dict:
    """For each Compact: formal consultations closing in [start, end) that were long enough (or said
    why not) and that gave early notice; consultations whose feedback fell due in [start, end) and
    that published it by the due date. One query whatever the number of Compacts."""
    counts = {pk: YearCounts([0, 0], [0, 0], [0, 0]) for pk in compact_ids}
    rows = Consultation.objects.filter(
        compact_id__in=compact_ids, closes_on__gte=start - _FEEDBACK_REACH, closes_on__lt=end
    ).values_list(
        "compact_id",
        "kind",
        "opens_on",
        "closes_on",
        "shorter_rationale",
        "early_notice_on",
        "feedback_published_on",
        "edition__consultation_min_weeks",
        "edition__feedback_due_weeks",
        "compact__nation",
    )
    for compact_id, kind, opens, closes, rationale, early, published, min_weeks, feedback_weeks, nation in rows:
        formal = kind == Consultation.Kind.FORMAL
        judged = rules.compliance(
            today=today,
            opens_on=opens,
            closes_on=closes,
            formal=formal,
            rationale=rationale,
            early_notice_on=early,
            feedback_published_on=published,
            min_weeks=min_weeks,
            feedback_weeks=feedback_weeks,
            nation=nation,
        )
        year = counts[compact_id]
        if formal and start <= closes < end:
            year.length[0] += judged.length_ok
            year.length[1] += 1
            year.early_notice[0] += judged.early_notice_ok
            year.early_notice[1] += 1
        if start <= judged.feedback_due_on < end and judged.feedback_ok is not None:
            year.feedback[0] += judged.feedback_ok
            year.feedback[1] += 1
    return counts
