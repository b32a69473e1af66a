"""Writes about mediation. Views, the admin and the signal from disputes call these."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commitments.selectors import compact_default_language
from compact_portal.dates import date_range_problem, long_date_and_time
from disputes import permissions as dispute_permissions
from disputes import rules as dispute_rules
from disputes import services as dispute_services
from disputes.models import Case, TimelineEntry
from mediation import permissions
from mediation.models import (
    AgreementAction,
    CompactSetting,
    Confirmation,
    Conflict,
    Mediation,
    Mediator,
    Meeting,
    PrivateNote,
    Proposal,
    Side,
)
from notifications.services import Message, Recipient, notify_many, recipients_for_users
from signatories.models import Membership
from signatories.services import organisation_recipients

MediationError = dispute_services.CaseError


# --- The pool -----------------------------------------------------------------------------------------


@transaction.atomic
def mediator_accredit(*, email: str, compacts, every_compact: bool = False, by) -> Mediator:
    """Accredit a person (who has an account) for some Compacts, or (the national body) for every one.
    A live mediator accredited again gains the Compacts named."""
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise MediationError(_("Nobody with that email address has an account: ask them to create one first."))
    if every_compact and not permissions.can_accredit_every_compact(by):
        raise MediationError(_("Only the national body accredits a mediator for every Compact."))
    allowed = set(permissions.accrediting_compacts(by).values_list("pk", flat=True))
    compacts = list(compacts)
    if any(compact.pk not in allowed for compact in compacts):
        raise MediationError(_("You can accredit mediators only for the Compacts you coordinate."))
    if not compacts and not every_compact:
        raise MediationError(_("Choose at least one Compact the mediator covers."))
    mediator = Mediator.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    if mediator is None:
        mediator = Mediator.objects.create(user=user, accredited_by=by, every_compact=every_compact)
    elif every_compact and not mediator.every_compact:
        mediator.every_compact = True
        mediator.save(update_fields=["every_compact"])
    mediator.compacts.add(*compacts)
    return mediator


@transaction.atomic
def mediator_revoke(*, mediator: Mediator, by) -> Mediator:
    """Take the accreditation away; the row stays (who, by whom, when)."""
    if not permissions.can_revoke(by, mediator):
        raise MediationError(_("You cannot take this mediator’s accreditation away."))
    mediator = Mediator.objects.select_for_update().get(pk=mediator.pk)
    if mediator.revoked_at is None:
        mediator.revoked_at = timezone.now()
        mediator.revoked_by = by
        mediator.save(update_fields=["revoked_at", "revoked_by"])
    return mediator


@transaction.atomic
def conflict_declare(*, mediator: Mediator, organisation, note: str = "", by) -> Conflict:
    if mediator.user_id != by.pk or mediator.revoked_at is not None:
        raise MediationError(_("Only the mediator declares their own conflicts."))
    try:
        with transaction.atomic():
            return Conflict.objects.create(mediator=mediator, organisation=organisation, note=note.strip()[:200])
    except IntegrityError:
        raise MediationError(_("You have declared that organisation already.")) from None


@transaction.atomic
def compact_setting_save(*, compact, mediator_from_other_area: bool, by) -> CompactSetting:
    from commitments.permissions import is_coordinator

    if not is_coordinator(by, compact):
        raise MediationError(_("Only the Compact’s coordinator changes its mediation settings."))
    setting, _created = CompactSetting.objects.update_or_create(
        compact=compact, defaults={"mediator_from_other_area": mediator_from_other_area}
    )
    return setting


def eligible_mediators(case: Case):
    """Live mediators who cover the concern's Compact (or, when the Compact asks for it, come from
    another area), declared no conflict with either party and are members of neither."""
    other_area = CompactSetting.objects.filter(compact_id=case.compact_id, mediator_from_other_area=True).exists()
    live = Mediator.objects.filter(revoked_at__isnull=True).exclude(user_id__in=case.compact.coordinators.values("pk"))
    if other_area:
        live = live.exclude(compacts=case.compact_id)
    else:
        live = live.filter(Q(every_compact=True) | Q(compacts=case.compact_id))
    conflicted = Conflict.objects.filter(organisation_id__in=[case.complainant_id, case.respondent_id]).values(
        "mediator_id"
    )
    members = Membership.objects.filter(organisation_id__in=[case.complainant_id, case.respondent_id]).values("user_id")
    return live.exclude(pk__in=conflicted).exclude(user_id__in=members).distinct().select_related("user").order_by("pk")


# --- A concern's mediation ----------------------------------------------------------------------------


def on_case_moved(*, sender, case: Case, old_stage: str, by, **kwargs) -> None:
    """disputes.signals.case_moved: a concern moving to independent mediation gets its mediation and
    the mediators proposed for it."""
    if case.stage == Case.Stage.MEDIATION:
        mediation_start(case=case)


@transaction.atomic
def mediation_start(*, case: Case) -> Mediation:
    mediation, created = Mediation.objects.get_or_create(case=case)
    if created:
        proposals = Proposal.objects.bulk_create(
            [Proposal(mediation=mediation, mediator=mediator) for mediator in eligible_mediators(case)]
        )
        _tell_started(mediation, proposed=[proposal.mediator for proposal in proposals])
    return mediation


def _side(user, mediation: Mediation) -> str:
    side = permissions.party_side(user, mediation.case)
    if side is None:
        raise MediationError(_("Only the parties to the concern can do this."))
    return side


@transaction.atomic
def proposal_decline(*, proposal: Proposal, by, reason: str) -> Proposal:
    mediation = proposal.mediation
    if not permissions.can_decline(by, mediation):
        raise MediationError(_("You cannot decline a mediator now."))
    if not reason.strip():
        raise MediationError(_("Say why you decline this mediator."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.declined_at is not None:
        raise MediationError(_("This mediator has been declined already."))
    proposal.declined_side = _side(by, mediation)
    proposal.declined_reason = reason.strip()
    proposal.declined_by = by
    proposal.declined_at = timezone.now()
    proposal.save()
    return proposal


@transaction.atomic
def mediator_appoint(*, mediation: Mediation, mediator: Mediator, by) -> Mediation:
    """The coordinator appoints a proposed mediator that neither party declined. A mediator who
    declared a conflict with either party is refused, whenever they declared it."""
    mediation = Mediation.objects.select_for_update().select_related("case__compact").get(pk=mediation.pk)
    if not permissions.can_appoint(by, mediation):
        raise MediationError(_("Only the coordinator appoints the mediator, once, while the concern is in mediation."))
    if mediator.revoked_at is not None:
        raise MediationError(_("This mediator is no longer accredited."))
    if permissions.has_conflict(mediator, mediation.case):
        raise MediationError(_("This mediator declared a conflict with one of the parties and cannot be appointed."))
    proposal = mediation.proposals.filter(mediator=mediator).first()
    if proposal is None:
        raise MediationError(_("Appoint one of the mediators proposed for this concern."))
    if proposal.declined_at is not None:
        raise MediationError(_("A party declined this mediator."))
    mediation.mediator = mediator
    mediation.appointed_by = by
    mediation.appointed_at = timezone.now()
    mediation.save(update_fields=["mediator", "appointed_by", "appointed_at"])
    _tell(
        mediation,
        kind="mediation_appointed",
        template="mediation/emails/appointed.txt",
        context={"mediator": mediator},
        mediator_too=True,
    )
    return mediation


@transaction.atomic
def name_reveal(*, mediation: Mediation, by) -> Mediation:
    """The complainant agrees that the other party may learn its name during the mediation."""
    if not permissions.can_reveal(by, mediation):
        raise MediationError(_("Only the organisation that raised the concern can reveal its name."))
    mediation.name_revealed_by = by
    mediation.name_revealed_at = timezone.now()
    mediation.save(update_fields=["name_revealed_by", "name_revealed_at"])
    return mediation


@transaction.atomic
def note_add(*, mediation: Mediation, by, text: str) -> PrivateNote:
    if not permissions.can_mediate(by, mediation):
        raise MediationError(_("Only the appointed mediator keeps notes here."))
    if not text.strip():
        raise MediationError(_("Write the note."))
    return PrivateNote.objects.create(mediation=mediation, mediator=mediation.mediator, text=text.strip())


@transaction.atomic
def meeting_schedule(
    *, mediation: Mediation, by, starts_at: datetime.datetime, online: bool, place: str, today=None
) -> Meeting:
    """The mediator schedules a meeting; the parties and the coordinator are told."""
    today = today or timezone.localdate()
    if not permissions.can_mediate(by, mediation):
        raise MediationError(_("Only the appointed mediator schedules meetings."))
    if problem := date_range_problem(timezone.localdate(starts_at), today=today, name=_("The meeting date")):
        raise MediationError(problem)
    if timezone.localdate(starts_at) < today:
        raise MediationError(_("The meeting date must be today or in the future."))
    if not place.strip():
        raise MediationError(_("Say where the meeting is, or give the link to join it."))
    meeting = Meeting.objects.create(mediation=mediation, starts_at=starts_at, online=online, place=place.strip())
    with _case_language(mediation.case):
        text = _("Mediation meeting on %(when)s") % {"when": long_date_and_time(starts_at)}
    dispute_services.timeline_record(case=mediation.case, kind=TimelineEntry.Kind.MEETING, text=text, by=by)
    _tell(
        mediation,
        kind="mediation_meeting",
        template="mediation/emails/meeting.txt",
        context={
            "meeting": meeting,
            "day": timezone.localdate(starts_at),
            "time": timezone.localtime(starts_at).strftime("%H:%M"),
        },
    )
    return meeting


@transaction.atomic
def agreement_record(*, mediation: Mediation, by, summary: str, actions) -> Mediation:
    """The mediator records an agreement and its actions ((what, owner side, due date) each); both
    parties are asked to confirm it."""
    if not permissions.can_mediate(by, mediation) or mediation.outcome:
        raise MediationError(_("Only the appointed mediator records the outcome, once."))
    actions = list(actions)
    if not summary.strip():
        raise MediationError(_("Say what was agreed."))
    if not actions:
        raise MediationError(_("Give at least one action agreed."))
    today = timezone.localdate()
    for what, owner, due_on in actions:
        if owner not in Side.values or not what.strip():
            raise MediationError(_("Each action needs what is to be done and who does it."))
        if problem := date_range_problem(due_on, today=today, name=_("The due date")):
            raise MediationError(problem)
    AgreementAction.objects.bulk_create(
        [
            AgreementAction(mediation=mediation, what=what.strip()[:300], owner=owner, due_on=due_on)
            for what, owner, due_on in actions
        ]
    )
    mediation.outcome = Mediation.Outcome.AGREEMENT
    mediation.outcome_summary = summary.strip()
    mediation.outcome_at = timezone.now()
    mediation.save(update_fields=["outcome", "outcome_summary", "outcome_at"])
    with _case_language(mediation.case):
        text = _("Agreement recorded")
    dispute_services.timeline_record(case=mediation.case, kind=TimelineEntry.Kind.DECISION, text=text, by=by)
    _tell(mediation, kind="mediation_outcome", template="mediation/emails/agreement.txt", context={})
    return mediation


@transaction.atomic
def agreement_confirm(*, mediation: Mediation, by) -> Confirmation:
    """A member of a party's organisation confirms the agreement for that party."""
    if not permissions.can_confirm(by, mediation):
        raise MediationError(_("Only the parties confirm an agreement."))
    side = _side(by, mediation)
    # The other side's confirmation may be arriving at the same moment: one of the two sees both.
    mediation = (
        Mediation.objects.select_for_update(of=("self",))
        .select_related("case__compact", "mediator__user")
        .get(pk=mediation.pk)
    )
    try:
        with transaction.atomic():
            confirmation = Confirmation.objects.create(mediation=mediation, side=side, by=by)
    except IntegrityError:
        raise MediationError(_("Your organisation has confirmed the agreement already.")) from None
    if is_confirmed(mediation):
        with _case_language(mediation.case):
            text = _("Agreement confirmed by both parties")
        dispute_services.timeline_record(case=mediation.case, kind=TimelineEntry.Kind.DECISION, text=text)
        _tell(
            mediation,
            kind="mediation_confirmed",
            template="mediation/emails/confirmed.txt",
            context={},
            mediator_too=True,
        )
    return confirmation


@transaction.atomic
def no_agreement_record(*, mediation: Mediation, by, summary: str, today=None) -> Mediation:
    """The mediator records that no agreement was reached and refers the concern to the next stage."""
    if not permissions.can_mediate(by, mediation) or mediation.outcome:
        raise MediationError(_("Only the appointed mediator records the outcome, once."))
    if not summary.strip():
        raise MediationError(_("Say why no agreement was reached."))
    mediation.outcome = Mediation.Outcome.NO_AGREEMENT
    mediation.outcome_summary = summary.strip()
    mediation.outcome_at = timezone.now()
    mediation.save(update_fields=["outcome", "outcome_summary", "outcome_at"])
    with _case_language(mediation.case):
        note = _("No agreement: referred on")
    dispute_services.case_move(case=mediation.case, to=Case.Stage.ESCALATED, by=by, note=note, today=today)
    return mediation


def is_confirmed(mediation: Mediation) -> bool:
    return {c.side for c in mediation.confirmations.all()} == set(Side.values)


# --- Telling people -----------------------------------------------------------------------------------


def _case_language(case: Case):
    """What is written on a case's shared timeline is written once, in the Compact's language."""
    return translation.override(compact_default_language(case.compact) or settings.LANGUAGE_CODE)


def _messages(
    mediation: Mediation,
    *,
    kind: str,
    template: str,
    context: dict,
    people: dict[str, list[Recipient]],
    seen: set[str],
    link: str = "",
) -> list[Message]:
    """One message per person (``seen`` holds who is told already), by side in the order given: the
    respondent's side first, so that nobody on it is told a withheld name unless the complainant
    revealed it. Any side but the respondent's is told the name (see disputes.rules)."""
    case = mediation.case
    revealed = mediation.name_revealed_at is not None
    messages = []
    for side, recipients in people.items():
        named = revealed or dispute_rules.sees_complainant_name(withhold_name=case.withhold_name, side=side)
        side_context = {
            **context,
            "case": case,
            "mediation": mediation,
            "complainant_name": case.complainant.name if named else str(dispute_rules.WITHHELD_NAME),
        }
        for recipient in recipients:
            if recipient.email.lower() in seen:
                continue
            seen.add(recipient.email.lower())
            messages.append(
                Message(
                    recipient=recipient,
                    kind=kind,
                    template=template,
                    context=side_context,
                    link=link or mediation.get_absolute_url(),
                    language=compact_default_language(case.compact),
                )
            )
    return messages


def _parties_and_coordinator(mediation: Mediation) -> dict[str, list[Recipient]]:
    """Both parties and the coordinators; the respondent is not told of a concern the coordinator has
    not released to it yet."""
    case = mediation.case
    people = {}
    if not dispute_permissions.held_for_check(case):
        people["respondent"] = organisation_recipients(
            case.respondent, case.respondent.memberships.select_related("user")
        )
    people["complainant"] = organisation_recipients(
        case.complainant, case.complainant.memberships.select_related("user")
    )
    people["coordinator"] = recipients_for_users(case.compact.coordinators.all())
    return people


def _tell(mediation: Mediation, *, kind: str, template: str, context: dict, mediator_too: bool = False) -> None:
    """Each party, the coordinator (and the appointed mediator) told once."""
    people = _parties_and_coordinator(mediation)
    if mediator_too and mediation.mediator:
        people["mediator"] = recipients_for_users([mediation.mediator.user])
    notify_many(_messages(mediation, kind=kind, template=template, context=context, people=people, seen=set()))


def _tell_started(mediation: Mediation, *, proposed: list[Mediator]) -> None:
    """The mediation starts: the parties and the coordinators are told who is proposed (each party
    may decline one), and each proposed mediator that they are proposed. A mediator proposed but not
    appointed is not told a withheld name: they learn it once appointed."""
    seen: set[str] = set()
    context = {"proposed": [str(mediator) for mediator in proposed]}
    messages = _messages(
        mediation,
        kind="mediation_started",
        template="mediation/emails/started.txt",
        context=context,
        people=_parties_and_coordinator(mediation),
        seen=seen,
    )
    messages += _messages(
        mediation,
        kind="mediation_started",
        template="mediation/emails/proposed.txt",
        context={},
        # Told as the other party is: without a withheld name.
        people={"respondent": recipients_for_users([mediator.user for mediator in proposed])},
        seen=seen,
        link=reverse("mediation:mine"),
    )
    notify_many(messages)
