"""Who may do what in mediation. Anyone a mediation is nothing to is answered 404.

The national body is a layer above mediation: its role is read here through a plain query on its
model (``apps.get_model``), never by importing it.
"""

from django.apps import apps

from commitments.models import Compact
from disputes import permissions as dispute_permissions
from disputes.models import Case
from mediation.models import Mediation, Mediator, Side
from signatories.models import Membership


def is_national(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    role = apps.get_model("national", "NationalRole")
    return role.objects.filter(user=user, revoked_at__isnull=True).exists()


def live_mediator(user) -> Mediator | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return Mediator.objects.filter(user=user, revoked_at__isnull=True).first()


def can_view_pool(user) -> bool:
    """Coordinators of any Compact, the national body and superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or is_national(user) or Compact.objects.filter(coordinators=user).exists()


def accrediting_compacts(user):
    """The Compacts this person may accredit mediators for (and take them back from)."""
    if not user.is_authenticated or not user.is_active:
        return Compact.objects.none()
    if user.is_superuser or is_national(user):
        return Compact.objects.all()
    return Compact.objects.filter(coordinators=user)


def can_accredit_every_compact(user) -> bool:
    """Only the national body (and superusers) accredit a mediator for every Compact."""
    return user.is_authenticated and user.is_active and (user.is_superuser or is_national(user))


def can_revoke(user, mediator: Mediator) -> bool:
    if can_accredit_every_compact(user):
        return True
    if mediator.every_compact:
        return False
    own = set(accrediting_compacts(user).values_list("pk", flat=True))
    covered = set(mediator.compacts.values_list("pk", flat=True))
    return bool(covered) and covered <= own


def party_side(user, case: Case) -> str | None:
    """The side of the case this user speaks for (the complainant first), or None."""
    if dispute_permissions.is_complainant(user, case):
        return Side.COMPLAINANT
    if dispute_permissions.is_respondent(user, case) and not dispute_permissions.held_for_check(case):
        return Side.RESPONDENT
    return None


def is_appointed(user, mediation: Mediation) -> bool:
    return (
        mediation.mediator_id is not None
        and mediation.mediator.revoked_at is None
        and mediation.mediator.user_id == user.pk
        and user.is_active
    )


def can_view(user, mediation: Mediation) -> bool:
    """The parties, the Compact's coordinator and the appointed mediator; nobody else."""
    case = mediation.case
    return (
        party_side(user, case) is not None
        or dispute_permissions.is_case_coordinator(user, case)
        or is_appointed(user, mediation)
    )


def sees_complainant_name(user, mediation: Mediation) -> bool:
    """Everyone but the other party, unless the complainant agreed to reveal its name."""
    case = mediation.case
    if not case.withhold_name or mediation.name_revealed_at is not None:
        return True
    if dispute_permissions.is_complainant(user, case) or dispute_permissions.is_case_coordinator(user, case):
        return True
    return is_appointed(user, mediation)


def can_decline(user, mediation: Mediation) -> bool:
    return (
        mediation.case.stage == Case.Stage.MEDIATION
        and mediation.mediator_id is None
        and bool(party_side(user, mediation.case))
    )


def can_appoint(user, mediation: Mediation) -> bool:
    return (
        mediation.case.stage == Case.Stage.MEDIATION
        and mediation.mediator_id is None
        and dispute_permissions.is_case_coordinator(user, mediation.case)
    )


def can_mediate(user, mediation: Mediation) -> bool:
    """Notes, meetings and the outcome: the appointed mediator, while the concern is in mediation."""
    return mediation.case.stage == Case.Stage.MEDIATION and is_appointed(user, mediation)


def can_confirm(user, mediation: Mediation) -> bool:
    return mediation.outcome == Mediation.Outcome.AGREEMENT and party_side(user, mediation.case) is not None


def can_reveal(user, mediation: Mediation) -> bool:
    return (
        mediation.case.withhold_name
        and mediation.name_revealed_at is None
        and dispute_permissions.is_complainant(user, mediation.case)
    )


def mediator_moves(user, case: Case) -> set[str]:
    """For disputes.permissions.allowed_moves: the appointed mediator refers a concern with no
    agreement on to the next stage."""
    if case.stage != Case.Stage.MEDIATION or not user.is_authenticated:
        return set()
    mediation = Mediation.objects.filter(case=case).select_related("mediator").first()
    if mediation is None or not is_appointed(user, mediation):
        return set()
    return {Case.Stage.ESCALATED.value}


def has_conflict(mediator: Mediator, case: Case) -> bool:
    """A conflict the mediator declared with either party, or a membership of either (a fact the
    portal knows, whether declared or not)."""
    parties = [case.complainant_id, case.respondent_id]
    return (
        mediator.conflicts.filter(organisation_id__in=parties).exists()
        or Membership.objects.filter(user_id=mediator.user_id, organisation_id__in=parties).exists()
    )
