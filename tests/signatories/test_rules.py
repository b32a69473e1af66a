"""Names compared as a reader sees them: look-alike letters of other scripts, accents and case set aside."""

import pytest

from signatories.rules import normalise_name, sector_needs_approval, skeleton


@pytest.mark.parametrize(
    "lookalike",
    [
        "\u0415xample Borough Council",  # Cyrillic capital Ie
        "Ex\u0430mple B\u043erough \u0421ouncil",  # Cyrillic a, o, Es
        "\u0395xample \u0392orough \u039founcil".replace("\u039f", "C"),  # Greek Epsilon, Beta
        "Ex\u03b1mple Borough Council",  # Greek alpha
        "EXAMPLE BOROUGH COUNCIL",
        "Exámple Borough Cóuncil",
        "The Example Borough Council Ltd.",
        "\uff25xample Borough Council",  # full-width E
    ],
)
def test_names_that_look_the_same_are_the_same(lookalike):
    assert normalise_name(lookalike) == normalise_name("Example Borough Council") == "example borough council"


def test_different_names_stay_different():
    assert normalise_name("Example Borough Council") != normalise_name("Example County Council")
    assert normalise_name("Жилищный совет") != normalise_name("Example Borough Council")


def test_the_skeleton_maps_cyrillic_and_greek_homoglyphs_and_digits():
    assert skeleton("\u0410\u0412\u0421\u0415\u041d\u041a\u041c\u041e\u0420\u0422\u0425") == "abcehkmoptx"
    assert skeleton("\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7") == (
        "abezhikmnoptyx"
    )
    assert skeleton("\u0417") == "3"  # Cyrillic Ze looks like the digit 3


def test_what_needs_a_coordinators_approval():
    assert sector_needs_approval(sector="public", organisation_type="council", verified_sector="", verified_type="")
    assert not sector_needs_approval(sector="vcs", organisation_type="charity", verified_sector="", verified_type="")
    assert sector_needs_approval(
        sector="public", organisation_type="council", verified_sector="vcs", verified_type="charity"
    )
    assert sector_needs_approval(
        sector="public", organisation_type="nhs", verified_sector="public", verified_type="council"
    )
    assert not sector_needs_approval(
        sector="public", organisation_type="council", verified_sector="public", verified_type="council"
    )
