"""Writes to action plans and evidence: each a function with keyword-only arguments."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans import rules
from actionplans.models import Action, ActionStatusChange, Evidence, GuidanceStrand, ProgressNote, Strand
from commitments.selectors import compact_default_language
from notifications.services import Recipient, notify, recipients_for_users, unique_recipients
from signatories.models import Membership
from signatories.services import organisation_recipients


class PlanError(ValidationError):
    pass


def strands_ensure_guidance(*, compact) -> None:
    """Give the Compact the guidance's four strands, if it lacks any (they come first)."""
    have = set(Strand.objects.filter(compact=compact).exclude(guidance="").values_list("guidance", flat=True))
    Strand.objects.bulk_create(
        [
            Strand(compact=compact, guidance=value, position=position)
            for position, value in enumerate(GuidanceStrand.values)
            if value not in have
        ]
    )


def strand_create(*, compact, title: str, title_cy: str = "") -> Strand:
    last = Strand.objects.filter(compact=compact).order_by("-position").values_list("position", flat=True).first()
    return Strand.objects.create(compact=compact, title=title, title_cy=title_cy, position=(last or 0) + 1)


@transaction.atomic
def action_create(*, compact, by, **fields) -> Action:
    action = Action(compact=compact, created_by=by, **fields)
    action.full_clean()
    action.save()
    ActionStatusChange.objects.create(action=action, old_status="", new_status=action.status, by=by)
    return action


@transaction.atomic
def action_set_status(*, action: Action, status: str, by, reason: str = "") -> Action:
    """Change an action's status (rules.STATUS_TRANSITIONS), with a row of its history. Dropping
    needs a reason."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    old = action.status
    if status == old:
        return action
    if status not in rules.STATUS_TRANSITIONS[old]:
        raise PlanError(
            _("An action that is ‘%(old)s’ cannot become ‘%(new)s’.")
            % {"old": Action.Status(old).label, "new": Action.Status(status).label}
        )
    reason = (reason or "").strip()
    if status == Action.Status.DROPPED and not reason:
        raise PlanError({"reason": _("Enter why the action is dropped")})
    action.status = status
    action.dropped_reason = reason if status == Action.Status.DROPPED else ""
    action.save(update_fields=["status", "dropped_reason"])
    ActionStatusChange.objects.create(action=action, old_status=old, new_status=status, by=by, reason=reason)
    return action


def note_add(*, action: Action, by, text: str, written_on: datetime.date | None = None) -> ProgressNote:
    return ProgressNote.objects.create(action=action, by=by, text=text, written_on=written_on or timezone.localdate())


def evidence_submit(
    *, compact, organisation, outcome, year: int, kind: str, title: str, text: str = "", file=None, by
) -> Evidence:
    if outcome.edition.compact_id != compact.pk:
        raise PlanError({"outcome": _("Choose an outcome of this Compact")})
    evidence = Evidence(
        compact=compact,
        organisation=organisation,
        outcome=outcome,
        year=year,
        kind=kind,
        title=title,
        text=text,
        submitted_by=by,
    )
    if file is not None:
        evidence.file = file
    evidence.save()
    return evidence


def _evidence_people(evidence: Evidence) -> list[Recipient]:
    """Whoever gave the evidence, and its organisation's admins (or its contact, when it has none),
    as the organisation is told of a decision on its sign-up."""
    admins = evidence.organisation.memberships.filter(role=Membership.Role.ADMIN).select_related("user")
    giver = recipients_for_users([evidence.submitted_by]) if evidence.submitted_by_id else []
    return unique_recipients(giver, organisation_recipients(evidence.organisation, admins))


@transaction.atomic
def evidence_decide(*, evidence: Evidence, accept: bool, by, reason: str = "") -> Evidence:
    """Accept the evidence (it becomes public) or return it with a reason, and tell whoever gave it
    and the organisation's admins (``evidence_decided``). Deciding again what is already decided (a
    form sent twice) changes nothing and tells nobody again."""
    evidence = Evidence.objects.select_for_update().select_related("compact", "organisation").get(pk=evidence.pk)
    reason = (reason or "").strip()
    if not accept and not reason:
        raise PlanError({"reason": _("Enter why the evidence is returned")})
    status = Evidence.Status.ACCEPTED if accept else Evidence.Status.RETURNED
    if evidence.status == status:
        return evidence
    evidence.status = status
    evidence.return_reason = "" if accept else reason
    evidence.decided_by, evidence.decided_at = by, timezone.now()
    evidence.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
    notify(
        recipients=_evidence_people(evidence),
        kind="evidence_decided",
        template=f"actionplans/emails/evidence_{status}.txt",
        language=compact_default_language(evidence.compact),
        context={"evidence": evidence, "compact": evidence.compact},
        link=evidence.get_absolute_url(),
    )
    return evidence
