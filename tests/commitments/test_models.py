"""The choices of the commitments models: who makes an undertaking, and an edition's statuses."""

import pytest
from django.core.exceptions import ValidationError

from commitments.models import Edition, Sector, UndertakingSector
from signatories.models import Organisation
from tests.commitments.factories import OutcomeFactory, UndertakingFactory


def test_an_undertaking_is_made_by_either_sector_or_by_both():
    assert UndertakingSector.choices == [
        ("public", "Public sector"),
        ("vcs", "Voluntary and community sector"),
        ("joint", "Both sectors"),
    ]
    # The one-sector values are the organisations' own, so a respondent's sector matches its undertakings.
    assert UndertakingSector.PUBLIC == Sector.PUBLIC and UndertakingSector.VCS == Sector.VCS


def test_an_organisation_can_never_be_of_both_sectors():
    assert "joint" not in Sector.values
    assert "joint" not in dict(Organisation._meta.get_field("sector").choices)


def test_a_replaced_edition_is_labelled_replaced_where_the_admin_shows_it():
    assert Edition(status=Edition.Status.SUPERSEDED).get_status_display() == "Replaced"


@pytest.mark.django_db
def test_joint_undertakings_share_their_outcomes_numbering_and_its_uniqueness():
    outcome = OutcomeFactory(number=3)
    UndertakingFactory(outcome=outcome, number="3.1", sector="public")
    joint = UndertakingFactory(outcome=outcome, number="3.2", sector="joint")
    joint.full_clean()
    assert joint.position == 2
    clash = UndertakingFactory.build(outcome=outcome, edition=outcome.edition, number="3.1", sector="joint")
    with pytest.raises(ValidationError, match="already exists"):
        clash.full_clean()
