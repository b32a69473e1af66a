"""The rules behind the signatory measures (monitoring.indicators)."""

import datetime

from signatories.models import OrganisationType
from signatories.rules import STATUTORY_PARTNER_TYPES, editions_in_force

D = datetime.date


def test_statutory_partners_are_the_five_public_types():
    assert STATUTORY_PARTNER_TYPES == (
        OrganisationType.COUNCIL,
        OrganisationType.NHS,
        OrganisationType.POLICE,
        OrganisationType.FIRE,
        OrganisationType.PROBATION,
    )


def test_the_edition_in_force_on_a_day_and_the_one_before():
    published = [(3, D(2026, 5, 1)), (1, D(2020, 4, 1)), (2, D(2024, 4, 1))]
    assert editions_in_force(published, D(2027, 4, 1)) == (3, 2)
    assert editions_in_force(published, D(2026, 5, 1)) == (2, 1)  # published that day: not yet in force
    assert editions_in_force(published, D(2024, 4, 2)) == (2, 1)
    assert editions_in_force(published, D(2021, 1, 1)) == (1, None)
    assert editions_in_force(published, D(2020, 4, 1)) == (None, None)
    assert editions_in_force([], D(2026, 1, 1)) == (None, None)
