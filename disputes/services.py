"""Writes about breach concerns. Views, commands and tasks call these; they check the moves."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Edition, Undertaking
from compact_portal.dates import date_range_problem
from disputes import permissions, rules
from disputes.models import Case, StageChange, TimelineEntry
from notifications.services import notify, recipients_for_users
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
    people = _parties_and_coordinator(case)
    withheld_label = _("A voluntary or community organisation (name withheld)")
    for side in sides:
        show_name = side != "respondent" or not case.withhold_name
        notify(
            recipients=people[side],
            kind=kind,
            template=template,
            context={
                **context,
                "case": case,
                "side": side,
                "complainant_name": case.complainant.name if show_name else withheld_label,
            },
            link=case.get_absolute_url(),
        )


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
    today: datetime.date | None = None,
) -> Case:
    """Log a concern: it starts in informal dialogue, due in the edition's working days."""
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
    )
    case.undertakings.set(undertakings)
    StageChange.objects.create(case=case, old_stage="", new_stage=case.stage, by=by, due_on=case.stage_due_on)
    _tell(case, kind="case_opened", template="disputes/emails/case_opened.txt", context={})
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
    TimelineEntry.objects.create(
        case=case,
        kind=TimelineEntry.Kind.STAGE,
        author=by,
        author_organisation=_side_of(by, case),
        text=note.strip(),
    )
    _tell(
        case, kind="case_stage_changed", template="disputes/emails/stage_changed.txt", context={"old_stage": old_stage}
    )
    return case


def _side_of(user, case: Case) -> Organisation | None:
    if permissions.is_complainant(user, case):
        return case.complainant
    if permissions.is_respondent(user, case):
        return case.respondent
    return None


@transaction.atomic
def timeline_add(
    *, case: Case, by, kind: str, text: str, visibility: str = TimelineEntry.Visibility.SHARED, file=None
) -> TimelineEntry:
    """Add a note, letter, meeting, decision or document to the case. Only the coordinator keeps
    internal entries; a party's entry is always shared."""
    if not permissions.can_add_entry(by, case):
        raise CaseError(_("You cannot add to this case."))
    if visibility == TimelineEntry.Visibility.INTERNAL and not permissions.can_see_internal(by, case):
        raise CaseError(_("Only the coordinator can keep an entry internal."))
    if not (text or "").strip() and not file:
        raise CaseError(_("Write something or attach a file."))
    entry = TimelineEntry(
        case=case,
        kind=kind,
        visibility=visibility,
        author=by,
        author_organisation=_side_of(by, case),
        text=text.strip(),
    )
    if file:
        entry.file_name = file.name[-200:]
        entry.file = file
    entry.save()
    if visibility == TimelineEntry.Visibility.SHARED:
        _tell(case, kind="case_entry_added", template="disputes/emails/entry_added.txt", context={"entry": entry})
    return entry
