import pytest
from django.http import Http404

from commitments import selectors, services
from commitments.compare import compare_undertakings
from commitments.models import Edition
from tests.commitments.factories import build_edition


@pytest.mark.django_db
def test_drafts_are_hidden_from_everyone_but_coordinators(compact, coordinator, stranger):
    draft = build_edition(compact=compact, status=Edition.Status.DRAFT)
    assert selectors.edition_get_for_user(user=coordinator, compact=compact, pk=draft.pk) == draft
    with pytest.raises(Http404):
        selectors.edition_get_for_user(user=stranger, compact=compact, pk=draft.pk)
    assert draft not in selectors.editions_for_user(user=stranger, compact=compact)
    assert draft in selectors.editions_for_user(user=coordinator, compact=compact)


@pytest.mark.django_db
def test_edition_contents_groups_by_outcome_and_sector_in_constant_queries(compact, django_assert_num_queries):
    small = build_edition(compact=compact, outcomes=1, per_sector=1)
    with django_assert_num_queries(4):
        contents = selectors.edition_contents(edition=small)
    assert contents.count_by_sector == {"public": 1, "vcs": 1, "joint": 0}

    big = build_edition(compact=build_edition().compact, status=Edition.Status.DRAFT, outcomes=5, per_sector=6)
    with django_assert_num_queries(4):
        contents = selectors.edition_contents(edition=big)
    assert contents.undertaking_count == 60
    first = contents.outcomes[0]
    assert [label for _sector, label, _u in first.by_sector] == [
        "Public sector",
        "Voluntary and community sector",
    ]
    assert [u.number for _s, _l, us in first.by_sector for u in us] == [f"1.{n}" for n in range(1, 13)]


@pytest.mark.django_db
def test_edition_contents_puts_joint_undertakings_last_in_each_outcome_and_counts_them(compact):
    edition = build_edition(compact=compact, outcomes=2, per_sector=1, joint=2)
    contents = selectors.edition_contents(edition=edition)
    assert contents.count_by_sector == {"public": 2, "vcs": 2, "joint": 4}
    assert contents.undertaking_count == 8
    first = contents.outcomes[0]
    assert [(sector, label) for sector, label, _u in first.by_sector] == [
        ("public", "Public sector"),
        ("vcs", "Voluntary and community sector"),
        ("joint", "Both sectors"),
    ]
    assert [u.number for u in first.by_sector[2][2]] == ["1.3", "1.4"]


def test_compare_names_who_makes_an_undertaking_that_became_joint():
    (row,) = compare_undertakings([("3.2", "vcs", "Meet yearly.")], [("3.2", "joint", "Meet yearly.")])
    assert row.change == "changed"
    assert row.new_sector_label == "Both sectors"


@pytest.mark.django_db
def test_previous_edition_is_the_one_a_draft_was_based_on(edition, coordinator):
    draft = services.edition_start_from_current(compact=edition.compact, name="Next", by=coordinator)
    assert selectors.edition_previous(edition=draft) == edition
    assert selectors.edition_previous(edition=edition) is None
