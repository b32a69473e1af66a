"""The withheld-name rule, said once in ``disputes.rules`` (no database)."""

import pytest

from disputes.rules import COMPLAINANT, COORDINATOR, RESPONDENT, complainant_name, sees_complainant_name


@pytest.mark.parametrize("side", [COMPLAINANT, RESPONDENT, COORDINATOR])
def test_every_side_is_told_the_name_when_the_complainant_did_not_ask_to_withhold_it(side):
    assert sees_complainant_name(withhold_name=False, side=side)
    assert complainant_name(name="Riverside Larder", withhold_name=False, side=side) == "Riverside Larder"


def test_a_withheld_name_is_told_to_the_complainant_and_the_coordinator_but_never_to_the_other_party():
    assert sees_complainant_name(withhold_name=True, side=COMPLAINANT)
    assert sees_complainant_name(withhold_name=True, side=COORDINATOR)
    assert not sees_complainant_name(withhold_name=True, side=RESPONDENT)
    assert (
        complainant_name(name="Riverside Larder", withhold_name=True, side=RESPONDENT)
        == "A voluntary or community organisation (name withheld)"
    )
