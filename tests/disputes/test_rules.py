"""The withheld-name rule, said once in ``disputes.rules`` (no database)."""

import pathlib

import pytest
from django.conf import settings

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


def test_the_withheld_label_is_written_only_in_the_rules():
    """Every page, email, reminder and letter takes the label from ``disputes.rules.WITHHELD_NAME``."""
    root = pathlib.Path(settings.BASE_DIR)
    code = [path for app in root.iterdir() if (app / "apps.py").exists() for path in app.rglob("*.py")]
    templates = [path for path in (root / "templates").rglob("*") if path.suffix in {".html", ".txt"}]
    written_in = sorted(
        str(path.relative_to(root)) for path in code + templates if "(name withheld)" in path.read_text()
    )
    assert written_in == ["disputes/rules.py"]
