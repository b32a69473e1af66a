"""Who may do what with a breach concern. Everyone else is answered 404, so that a case's
existence is not revealed."""

from commitments.permissions import is_coordinator
from disputes import rules
from disputes.models import Case
from signatories.models import Membership


def _member(user, organisation_id: int) -> bool:
    return user.is_authenticated and Membership.objects.filter(user=user, organisation_id=organisation_id).exists()


def is_complainant(user, case: Case) -> bool:
    return _member(user, case.complainant_id)


def is_respondent(user, case: Case) -> bool:
    return _member(user, case.respondent_id)


def is_case_coordinator(user, case: Case) -> bool:
    return is_coordinator(user, case.compact)


def held_for_check(case: Case) -> bool:
    """A withheld complainant's concern the coordinator has not released to the other party yet."""
    return case.check_status in ("pending", "returned")


def can_view(user, case: Case) -> bool:
    return (
        is_complainant(user, case)
        or (is_respondent(user, case) and not held_for_check(case))
        or is_case_coordinator(user, case)
    )


def viewer_side(user, case: Case) -> str | None:
    """The side from which this user sees the case (``disputes.rules.COMPLAINANT``, ``COORDINATOR``
    or ``RESPONDENT``: the first that fits, so someone on two sides gets the wider view), or None
    if the user may not see it."""
    if is_complainant(user, case):
        return rules.COMPLAINANT
    if is_case_coordinator(user, case):
        return rules.COORDINATOR
    if is_respondent(user, case) and not held_for_check(case):
        return rules.RESPONDENT
    return None


def sees_complainant_name(user, case: Case) -> bool:
    """Everyone who may see the case, except the other party when the name is withheld."""
    side = viewer_side(user, case)
    return side is not None and rules.sees_complainant_name(withhold_name=case.withhold_name, side=side)


def can_see_internal(user, case: Case) -> bool:
    return is_case_coordinator(user, case)


def can_add_entry(user, case: Case) -> bool:
    return case.is_open and can_view(user, case)


# Apps above disputes may let more people make a move (mediation: the appointed mediator refers a
# concern on when no agreement is reached). Each is a function (user, case) -> set of moves.
_move_grants: list = []


def register_move_grant(grant) -> None:
    if grant not in _move_grants:
        _move_grants.append(grant)


def allowed_moves(user, case: Case) -> set[str]:
    """The stages (or outcomes, for closing) this user may move the case to now.

    The complainant takes the case forward (formal challenge, mediation, escalation) or closes it as
    resolved or withdrawn; the coordinator may make any allowed move and alone decides "not upheld".
    """
    if not case.is_open:
        return set()
    possible = rules.TRANSITIONS[case.stage]
    if is_case_coordinator(user, case):
        moves = set(possible)
        if "closed" in moves:
            moves |= {"closed:resolved", "closed:not_upheld", "closed:withdrawn"}
        return moves - {"closed"}
    if is_complainant(user, case):
        moves = possible - {"closed"}
        if "closed" in possible:
            moves |= {"closed:resolved", "closed:withdrawn"}
        return moves
    granted: set[str] = set()
    for grant in _move_grants:
        granted |= grant(user, case)
    return granted & possible


def can_check(user, case: Case) -> bool:
    """The coordinator releases or returns what a withheld complainant shares."""
    return case.withhold_name and is_case_coordinator(user, case)


def can_request_letter(user, case: Case) -> bool:
    """The complainant or the coordinator generate the formal written challenge."""
    return case.stage == Case.Stage.FORMAL and (is_complainant(user, case) or is_case_coordinator(user, case))
