import pytest
from django.http import Http404

from commitments import selectors, services
from commitments.models import Edition
from commitments.selectors import compare_undertakings
from tests.commitments.factories import build_edition


def test_compare_reports_added_removed_changed_and_unchanged():
    old = [
        ("1.1", "public", "Share plans early."),
        ("1.2", "vcs", "Answer consultations."),
        ("1.3", "public", "Pay on time."),
    ]
    new = [
        ("1.1", "public", "Share  plans early."),
        ("1.2", "vcs", "Answer every consultation."),
        ("1.4", "vcs", "Say whom you speak for."),
    ]
    rows = {row.number: row for row in compare_undertakings(old, new)}

    assert rows["1.1"].change == "unchanged"  # white space alone is not a change
    assert rows["1.2"].change == "changed"
    assert rows["1.3"].change == "removed"
    assert rows["1.4"].change == "added"
    assert [r.number for r in compare_undertakings(old, new)] == ["1.1", "1.2", "1.3", "1.4"]


def test_compare_sorts_numbers_numerically_and_notices_a_change_of_sector():
    rows = compare_undertakings(
        [("2.10", "public", "x"), ("2.9", "public", "y")], [("2.10", "vcs", "x"), ("2.9", "public", "y")]
    )
    assert [r.number for r in rows] == ["2.9", "2.10"]
    assert rows[1].change == "changed"


def test_text_diff_marks_words_and_escapes_html():
    (row,) = compare_undertakings(
        [("1.1", "public", "Give <b>notice</b> early")], [("1.1", "public", "Give written <b>notice</b> early")]
    )
    html = str(row.text_diff)
    assert '<ins class="app-diff__added">written</ins>' in html
    assert "&lt;b&gt;notice&lt;/b&gt;" in html
    assert "<b>" not in html


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
