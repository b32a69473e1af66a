"""Writes about breach concerns. Views, commands and tasks call these; they check the moves."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Edition, Undertaking
from commitments.selectors import compact_default_language
from compact_portal.dates import date_range_problem
from disputes import permissions, rules
from disputes.models import Case, Check, GuardFlag, StageChange, TimelineEntry
from disputes.signals import case_moved
from notifications.services import Message, notify_many, recipients_for_users
from signatories.models import Organisation
from signatories.services import organisation_recipients

WITHHELD = "withheld"


class CaseError(Exception):
    """A step that is not allowed; the message says why, for the user."""


def _parties_and_coordinator(case: Case) -> dict[str, list]:
    """Who to tell about a case, by side; the respondent's side never learns a withheld name."""
    return {
        "complainant": organisation_recipients(case.complainant, case.complainant.memberships.select_related("user")),
        "respondent": organisation_recipients(case.respondent, case.respondent.memberships.select_related("user")),
        "coordinator": recipients_for_users(case.compact.coordinators.all()),
    }


def _tell(case: Case, *, kind: str, template: str, context: dict, sides=("complainant", "respondent", "coordinator")):
    """One notification per person for one action, whatever the number of sides they are on: the
    respondent's copy comes first, so that nobody on that side is told a withheld name. The other
    party is not told of a case that waits for the coordinator's check."""
    people = _parties_and_coordinator(case)
    if case.check_status in (Check.PENDING, Check.RETURNED):
        sides = [side for side in sides if side != "respondent"]
    seen: set[str] = set()
    messages = []
    for side in sorted(sides, key=("respondent", "complainant", "coordinator").index):
        side_context = {
            **context,
            "case": case,
            "side": side,
            "complainant_name": rules.complainant_name(
                name=case.complainant.name, withhold_name=case.withhold_name, side=side
            ),
        }
        for recipient in people[side]:
            if recipient.email.lower() in seen:
                continue
            seen.add(recipient.email.lower())
            messages.append(
                Message(
                    recipient=recipient,
                    kind=kind,
                    template=template,
                    context=side_context,
                    link=case.get_absolute_url(),
                    language=compact_default_language(case.compact),
                )
            )
    notify_many(messages)


def _check_needed(case: Case, side: Organisation | None) -> str:
    """What a complainant whose name is withheld shares waits for the coordinator's check."""
    if case.withhold_name and side is not None and side.pk == case.complainant_id:
        return Check.PENDING
    return Check.NOT_NEEDED


@transaction.atomic
def case_open(
    *,
    complainant: Organisation,
    respondent: Organisation,
    edition: Edition,
    undertakings: list[Undertaking],
    by,
    summary: str,
    what_happened: str,
    happened_on: datetime.date,
    outcome_sought: str,
    withhold_name: bool = False,
    source_consultation=None,
    source_funding_notice=None,
    evidence=(),
    today: datetime.date | None = None,
) -> Case:
    """Log a concern with its evidence, in one go: it starts in informal dialogue, due in the
    edition's working days, and each person concerned is told once.

    ``evidence`` holds ``(file, original)`` pairs from ``compact_portal.uploads.cleaned_upload``.
    When the name is withheld, each file waits for the coordinator's check, and so does the whole
    concern when it comes from a funding notice or a consultation (which can point to the
    complainant): the other party is told once the coordinator releases it."""
    today = today or timezone.localdate()
    if complainant.pk == respondent.pk:
        raise CaseError(_("A concern is raised about another organisation, not your own."))
    if edition.status == Edition.Status.DRAFT:
        raise CaseError(_("Choose a published edition of the Compact."))
    if not undertakings:
        raise CaseError(_("Choose at least one undertaking that was not kept."))
    if any(u.edition_id != edition.pk for u in undertakings):
        raise CaseError(_("The undertakings must come from the edition chosen."))
    if happened_on > today:
        raise CaseError(_("The date it happened must be today or in the past."))
    if problem := date_range_problem(happened_on, today=today, name=_("The date it happened")):
        raise CaseError(problem)
    case = Case.objects.create(
        compact=edition.compact,
        edition=edition,
        complainant=complainant,
        respondent=respondent,
        summary=summary,
        what_happened=what_happened,
        happened_on=happened_on,
        outcome_sought=outcome_sought,
        withhold_name=withhold_name,
        stage=Case.Stage.INFORMAL,
        stage_started_on=today,
        stage_due_on=rules.stage_due_on(
            stage=Case.Stage.INFORMAL, started_on=today, edition=edition, nation=edition.compact.nation
        ),
        raised_by=by,
        source_consultation=source_consultation,
        source_funding_notice=source_funding_notice,
        check_status=(
            Check.PENDING
            if withhold_name and (source_consultation is not None or source_funding_notice is not None)
            else Check.NOT_NEEDED
        ),
    )
    case.undertakings.set(undertakings)
    StageChange.objects.create(case=case, old_stage="", new_stage=case.stage, by=by, due_on=case.stage_due_on)
    entries = [
        _entry_create(
            case=case,
            by=by,
            side=complainant,
            kind=TimelineEntry.Kind.DOCUMENT,
            text=_("Evidence"),
            file=file,
            original=original,
        )
        for file, original in evidence
    ]
    _tell(
        case,
        kind="case_opened",
        template="disputes/emails/case_opened.txt",
        context={
            "evidence_count": len(entries),
            "evidence_held": any(entry.check_status == Check.PENDING for entry in entries),
        },
    )
    return case


@transaction.atomic
def case_move(
    *, case: Case, to: str, by, note: str = "", lessons_learned: str = "", today: datetime.date | None = None
) -> Case:
    """Move a case on (``to`` is a stage, or ``closed:<outcome>``), if this user may make that move."""
    today = today or timezone.localdate()
    case = (
        Case.objects.select_for_update()
        .select_related("compact", "edition", "complainant", "respondent")
        .get(pk=case.pk)
    )
    if to not in permissions.allowed_moves(by, case):
        raise CaseError(_("This move is not possible now, or not yours to make."))
    new_stage, _sep, outcome = to.partition(":")
    if new_stage == Case.Stage.CLOSED and not note.strip() and outcome != Case.Outcome.WITHDRAWN:
        raise CaseError(_("Say how the concern was settled: it is recorded with the outcome."))
    old_stage = case.stage
    case.stage = new_stage
    case.stage_started_on = today
    case.stage_due_on = rules.stage_due_on(
        stage=new_stage, started_on=today, edition=case.edition, nation=case.compact.nation
    )
    if new_stage == Case.Stage.CLOSED:
        case.outcome = outcome
        case.closed_on = today
        case.lessons_learned = lessons_learned.strip()
    case.save()
    StageChange.objects.create(
        case=case, old_stage=old_stage, new_stage=new_stage, by=by, note=note.strip(), due_on=case.stage_due_on
    )
    side = _side_of(by, case)
    TimelineEntry.objects.create(
        case=case,
        kind=TimelineEntry.Kind.STAGE,
        author=by,
        author_organisation=side,
        text=note.strip(),
        check_status=_check_needed(case, side) if note.strip() else Check.NOT_NEEDED,
    )
    _tell(
        case, kind="case_stage_changed", template="disputes/emails/stage_changed.txt", context={"old_stage": old_stage}
    )
    case_moved.send(sender=Case, case=case, old_stage=old_stage, by=by)
    return case


def _side_of(user, case: Case) -> Organisation | None:
    if permissions.is_complainant(user, case):
        return case.complainant
    if permissions.is_respondent(user, case):
        return case.respondent
    return None


def _entry_create(
    *, case: Case, by, side, kind: str, text: str, visibility=TimelineEntry.Visibility.SHARED, file=None, original=None
) -> TimelineEntry:
    entry = TimelineEntry(
        case=case,
        kind=kind,
        visibility=visibility,
        author=by,
        author_organisation=side,
        text=(text or "").strip(),
        check_status=_check_needed(case, side) if visibility == TimelineEntry.Visibility.SHARED else Check.NOT_NEEDED,
    )
    if file:
        entry.file_name = file.name[-200:]
        entry.file = file
        if original:
            entry.original_file = original
    entry.save()
    return entry


@transaction.atomic
def timeline_add(
    *,
    case: Case,
    by,
    kind: str,
    text: str,
    visibility: str = TimelineEntry.Visibility.SHARED,
    file=None,
    original=None,
) -> TimelineEntry:
    """Add a note, letter, meeting, decision or document to the case. Only the coordinator keeps
    internal entries; a party's entry is always shared. ``file`` is a cleaned upload and
    ``original`` its bytes as uploaded (``compact_portal.uploads.cleaned_upload``)."""
    if not permissions.can_add_entry(by, case):
        raise CaseError(_("You cannot add to this case."))
    if visibility == TimelineEntry.Visibility.INTERNAL and not permissions.can_see_internal(by, case):
        raise CaseError(_("Only the coordinator can keep an entry internal."))
    if not (text or "").strip() and not file:
        raise CaseError(_("Write something or attach a file."))
    entry = _entry_create(
        case=case,
        by=by,
        side=_side_of(by, case),
        kind=kind,
        text=text,
        visibility=visibility,
        file=file,
        original=original,
    )
    if visibility == TimelineEntry.Visibility.SHARED:
        sides = ("complainant", "coordinator") if entry.check_status == Check.PENDING else None
        _tell(
            case,
            kind="case_entry_added",
            template="disputes/emails/entry_added.txt",
            context={"entry": entry},
            **({"sides": sides} if sides else {}),
        )
    return entry


@transaction.atomic
def timeline_record(*, case: Case, kind: str, text: str, by=None) -> TimelineEntry:
    """An entry another app records on the case's shared timeline (a mediation meeting, its
    outcome): both parties see it at once, so ``text`` must name no withheld complainant; written
    by ``by`` (or the portal), for no side. Nobody is emailed: the app that records it tells people."""
    if kind not in TimelineEntry.Kind.values or not text.strip():
        raise CaseError(_("Say what happened."))
    return TimelineEntry.objects.create(
        case=case,
        kind=kind,
        visibility=TimelineEntry.Visibility.SHARED,
        author=by,
        author_organisation=None,
        text=text.strip(),
        check_status=Check.NOT_NEEDED,
    )


@transaction.atomic
def entry_check(*, entry: TimelineEntry, by, release: bool, reason: str = "") -> TimelineEntry:
    """The coordinator releases what a withheld complainant shared to the other party, or returns
    it to the complainant with a reason (the other party never sees it)."""
    case = entry.case
    if not permissions.is_case_coordinator(by, case):
        raise CaseError(_("Only the coordinator checks what the complainant shares."))
    entry = TimelineEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.check_status != Check.PENDING:
        raise CaseError(_("This has been checked already."))
    if not release and not reason.strip():
        raise CaseError(_("Say why it goes back to the complainant: they are told the reason."))
    entry.check_status = Check.RELEASED if release else Check.RETURNED
    entry.check_note = "" if release else reason.strip()
    entry.checked_by = by
    entry.checked_at = timezone.now()
    entry.save(update_fields=["check_status", "check_note", "checked_by", "checked_at"])
    if release and entry.kind == TimelineEntry.Kind.LETTER:
        from disputes.letters import letter_post_on_release  # letters imports this module's neighbours

        letter_post_on_release(entry)
    if release:
        _tell(
            case,
            kind="case_entry_added",
            template="disputes/emails/entry_added.txt",
            context={"entry": entry},
            sides=("respondent",),
        )
    else:
        _tell(
            case,
            kind="case_entry_added",
            template="disputes/emails/entry_returned.txt",
            context={"entry": entry, "reason": entry.check_note},
            sides=("complainant",),
        )
    return entry


@transaction.atomic
def case_check(*, case: Case, by, release: bool, reason: str = "", summary: str = "") -> Case:
    """The coordinator's check of a withheld complainant's concern drawn from a funding notice or a
    consultation: released (with the summary reworded if need be), the other party is told of it;
    returned, the complainant is told why, and it stays with them and the coordinator."""
    if not permissions.is_case_coordinator(by, case):
        raise CaseError(_("Only the coordinator checks what the complainant shares."))
    case = Case.objects.select_for_update().select_related("compact", "complainant", "respondent").get(pk=case.pk)
    if case.check_status not in (Check.PENDING, Check.RETURNED):
        raise CaseError(_("This has been checked already."))
    if not release and not reason.strip():
        raise CaseError(_("Say why it goes back to the complainant: they are told the reason."))
    if release:
        case.check_status = Check.RELEASED
        case.check_note = ""
        if summary.strip():
            case.summary = summary.strip()[:200]
        case.save(update_fields=["check_status", "check_note", "summary", "updated_at"])
        _tell(case, kind="case_opened", template="disputes/emails/case_opened.txt", context={}, sides=("respondent",))
    else:
        case.check_status = Check.RETURNED
        case.check_note = reason.strip()
        case.save(update_fields=["check_status", "check_note", "updated_at"])
        _tell(
            case,
            kind="case_opened",
            template="disputes/emails/case_returned.txt",
            context={"reason": case.check_note},
            sides=("complainant",),
        )
    return case


# --- The guard against retaliation ---------------------------------------------------------------


def guard_concerns(*, body: Organisation, organisation: Organisation, on: datetime.date):
    """The concerns ``organisation`` raised against ``body`` that are open, or were closed less than a
    year before ``on`` (closed on the same date a year earlier still counts)."""
    return Case.objects.filter(complainant=organisation, respondent=body).filter(
        ~Q(stage=Case.Stage.CLOSED) | Q(closed_on__gte=on - relativedelta(years=1))
    )


@transaction.atomic
def guard_check(
    *, compact, body: Organisation, organisation: Organisation, on: datetime.date, **source
) -> GuardFlag | None:
    """Raise the flag when a body acts against (``source``: a ``funding_notice`` or an ``alert_stop``)
    an organisation with a concern against it, and alert the Compact's coordinators at once, once.

    Nothing is sent to the body or shown on its pages: the complainant's name stays withheld.
    """
    cases = list(guard_concerns(body=body, organisation=organisation, on=on))
    if not cases:
        return None
    flag, created = GuardFlag.objects.get_or_create(
        **source, defaults={"compact": compact, "body": body, "organisation": organisation, "raised_on": on}
    )
    flag.cases.add(*cases)
    if created:
        notify_many(
            Message(
                recipient=recipient,
                kind="guard_flag_raised",
                template="disputes/emails/guard_flag.txt",
                context={"flag": flag, "cases": cases},
                link=flag.get_absolute_url(),
                language=compact_default_language(compact),
            )
            for recipient in recipients_for_users(compact.coordinators.all())
        )
    return flag


@transaction.atomic
def guard_review(*, flag: GuardFlag, by, review: str, note: str) -> GuardFlag:
    """The coordinator's review of a flag: who and when are recorded; a later review replaces it
    (the audit log keeps the earlier one)."""
    note = (note or "").strip()
    if review not in GuardFlag.Review.values or review == GuardFlag.Review.PENDING:
        raise CaseError(_("Choose what your review found"))
    if not note:
        raise CaseError(_("Enter a note on your review"))
    flag.review, flag.review_note, flag.reviewed_by, flag.reviewed_at = review, note, by, timezone.now()
    flag.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    return flag
