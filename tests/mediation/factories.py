"""Mediators and mediations for tests, made through the services as people would make them."""

from disputes import services as dispute_services
from mediation import services
from tests.accounts.factories import UserFactory
from tests.disputes.factories import TODAY, open_case


def accredit(*, compact, by, username: str, first_name: str = "Morag", last_name: str = "Mediator", **kwargs):
    """A mediator for ``compact``, accredited by its coordinator ``by``."""
    user = UserFactory(username=username, first_name=first_name, last_name=last_name)
    return services.mediator_accredit(email=user.email, compacts=[compact], by=by, **kwargs)


def case_in_mediation(*, complainant, respondent, edition, by, withhold_name=False, today=TODAY):
    """A concern moved by its complainant (``by``) through the formal challenge to mediation."""
    case = open_case(
        complainant=complainant, respondent=respondent, edition=edition, by=by, withhold_name=withhold_name, today=today
    )
    case = dispute_services.case_move(case=case, to="formal", by=by, today=today)
    return dispute_services.case_move(case=case, to="mediation", by=by, today=today)
