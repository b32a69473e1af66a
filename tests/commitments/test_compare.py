"""Comparing editions by their words: the pure matching, then the page a reader sees."""

import re
import time

import pytest
from django.urls import reverse

from commitments import selectors, services
from commitments.compare import compare_parts, compare_undertakings, pair_up, word_diff
from commitments.models import CodeOfPractice
from tests.commitments.factories import OutcomeFactory, UndertakingFactory, build_edition
from tests.test_escaping import PAYLOAD, assert_shown_as_text


def by_new_number(rows):
    return {row.new_number: row for row in rows if row.new_number}


def test_a_renumbered_undertaking_is_matched_by_its_words_and_shows_as_moved():
    old = [
        ("2.3", "public", "Tell partners about funding rounds well before they open."),
        ("2.4", "public", "Publish the reasons behind every grant decision."),
    ]
    new = [
        ("2.3", "public", "Hold an annual meeting with every partner to review the agreement."),
        ("2.4", "public", "Tell partners about funding rounds well before they open."),
        ("2.5", "public", "Publish the reasons behind every grant decision."),
    ]
    rows = compare_undertakings(old, new)
    moved = by_new_number(rows)["2.5"]
    assert (moved.change, moved.old_number) == ("moved", "2.4")
    assert by_new_number(rows)["2.4"].old_number == "2.3"
    assert by_new_number(rows)["2.3"].change == "added"
    assert not [r for r in rows if r.change == "removed"]


def test_a_reworded_undertaking_pairs_with_its_closest_old_text_in_the_same_sector_only():
    old = [
        ("1.1", "vcs", "Explain clearly whom the group represents when it responds to a consultation."),
        ("1.2", "public", "Explain clearly whom the group represents when it answers a consultation paper."),
    ]
    new = [("1.7", "vcs", "Explain clearly whom the group represents when it replies to a consultation.")]
    rows = compare_undertakings(old, new)
    (reworded,) = [r for r in rows if r.new_number]
    assert (reworded.change, reworded.old_number, reworded.renumbered) == ("changed", "1.1", True)
    assert [r.old_number for r in rows if r.change == "removed"] == ["1.2"]


def test_a_third_sector_value_compares_like_any_other():
    old = [("3.1", "joint", "Both sides meet twice a year to check the agreement is kept.")]
    new = [
        ("3.1", "public", "Both sides meet twice a year to check the agreement is kept well."),
        ("3.2", "joint", "Both sides meet twice a year to check the agreement is kept."),
    ]
    rows = by_new_number(compare_undertakings(old, new))
    assert rows["3.2"].change == "moved"
    assert rows["3.1"].change == "added"


def test_white_space_is_not_a_change_and_a_new_sector_is():
    rows = compare_undertakings(
        [("1.1", "public", "Share plans early."), ("2.10", "public", "Keep the register.")],
        [("1.1", "public", "Share  plans\nearly."), ("2.10", "vcs", "Keep the register.")],
    )
    rows = by_new_number(rows)
    assert rows["1.1"].change == "unchanged"
    assert rows["2.10"].change == "changed" and rows["2.10"].sector_changed


def test_word_diff_marks_words_for_eyes_and_screen_readers_and_escapes_html():
    diff = word_diff("Give <b>notice</b> early", "Give written <b>notice</b> <script>x</script>")
    assert str(diff.after).startswith(
        'Give <ins class="app-diff__added"><span class="govuk-visually-hidden">added: </span>written</ins>'
    )
    assert '<del class="app-diff__removed"><span class="govuk-visually-hidden">removed: </span>early</del>' in str(
        diff.before
    )
    assert "&lt;b&gt;notice&lt;/b&gt;" in diff.before and "&lt;script&gt;" in diff.after
    assert "<b>" not in diff.before + diff.after and "<script>" not in diff.after


def test_principles_match_by_name_first_then_by_words():
    rows = compare_parts(
        [("Fairness", "Treat every partner even-handedly."), ("Openness", "Share information freely.")],
        [("Openness", "Share information freely and early."), ("Candour", "Share information freely.")],
    )
    assert [(r.change, r.old_title, r.new_title) for r in rows] == [
        ("changed", "Openness", "Openness"),
        ("added", "", "Candour"),
        ("removed", "Fairness", ""),
    ]


def test_matching_a_hundred_undertakings_stays_quick():
    old = [
        (f"{n // 10 + 1}.{n % 10 + 1}", "public", f"Partner promise number {n} about topic {n * 7}.")
        for n in range(100)
    ]
    new = [
        (f"9.{n + 1}", "public", f"Reworded promise number {n} about subject {n * 7}, in plain words.")
        for n in range(100)
    ]
    started = time.perf_counter()
    pairs = pair_up([(s, t) for _n, s, t in old], [(s, t) for _n, s, t in new])
    assert time.perf_counter() - started < 5
    assert len(pairs) >= 100


# The pages.


def compare_url(edition, **query):
    url = reverse("commitments:edition_compare", kwargs={"slug": edition.compact.slug, "pk": edition.pk})
    return url + ("?show=all" if query.get("show_all") else "")


@pytest.fixture
def next_edition(edition, coordinator):
    return services.edition_start_from_current(compact=edition.compact, name="Second edition", by=coordinator)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_shows_a_renumbered_undertaking_as_moved(client, edition, next_edition, coordinator):
    # Make room at 2.1: each undertaking of outcome 2 takes the next number, a new one comes first.
    outcome = next_edition.outcomes.get(number=2)
    for undertaking in next_edition.undertakings.filter(outcome=outcome).order_by("-position"):
        major, minor = undertaking.number.split(".")
        undertaking.number = f"{major}.{int(minor) + 1}"
        undertaking.save()
    next_edition.undertakings.create(outcome=outcome, number="2.1", sector="public", text="Name a lead officer.")
    services.edition_publish(edition=next_edition, by=coordinator)

    page = text_of(client.get(compare_url(next_edition)).content.decode())
    assert "moved from 2.4 to 2.5" in page
    assert "moved from 2.1 to 2.2" in page
    assert "4 undertakings moved to a new number" in page
    assert "1 undertaking added" in page and "0 undertakings removed" in page


def test_the_page_shows_a_reworded_undertaking_side_by_side_word_by_word(client, edition, next_edition, coordinator):
    undertaking = next_edition.undertakings.get(number="1.2")
    undertaking.text = "Public sector promise 1.2, kept <em>every</em> year."
    undertaking.save()
    services.edition_publish(edition=next_edition, by=coordinator)

    html = client.get(compare_url(next_edition)).content.decode()
    row = html[html.index('id="change-1.2"') :]
    row = row[: row.index("</tr>")]
    assert '<del class="app-diff__removed"><span class="govuk-visually-hidden">removed: </span>1.2.</del>' in row
    assert (
        '<ins class="app-diff__added"><span class="govuk-visually-hidden">added: </span>'
        "1.2, kept &lt;em&gt;every&lt;/em&gt; year.</ins>"
    ) in row
    assert "<em>every" not in html


def test_the_page_shows_new_and_removed_undertakings_plainly(client, edition, next_edition, coordinator):
    next_edition.undertakings.get(number="2.4").delete()
    next_edition.undertakings.create(
        outcome=next_edition.outcomes.get(number=1), number="1.5", sector="vcs", text="Train volunteers each spring."
    )
    services.edition_publish(edition=next_edition, by=coordinator)

    html = client.get(compare_url(next_edition)).content.decode()
    added = text_of(html.split('id="change-1.5">')[1].split("</tr>")[0])
    removed = text_of(html.split('id="change-2.4-removed">')[1].split("</tr>")[0])
    assert added == "1.5 Added Not there before Train volunteers each spring."
    assert removed == "2.4 Removed Voluntary and community sector promise 2.4. No longer there"


def test_the_page_shows_changed_principles_introduction_sections_codes_and_time_limits(
    client, edition, next_edition, coordinator
):
    edition.introduction = "This agreement sets out how partners work together."
    edition.save()
    CodeOfPractice.objects.create(edition=edition, title="Consultation", body="Consult for twelve weeks.")
    next_edition.refresh_from_db()
    next_edition.introduction = "This agreement sets out how partners across the borough work together."
    next_edition.dispute_resolution = "Raise a concern with the liaison group first."
    next_edition.consultation_min_weeks = 8
    next_edition.dispute_formal_days = 15
    next_edition.save()
    next_edition.principles.filter(title="Honesty").update(description="Say what you mean.")
    next_edition.principles.create(title="Inclusion", position=3)
    services.edition_publish(edition=next_edition, by=coordinator)

    html = client.get(compare_url(next_edition)).content.decode()
    page = text_of(html)
    assert "Minimum length of a formal consultation, in weeks removed: 12 added: 8" in page
    assert "Working days to answer a formal written challenge removed: 20 added: 15" in page
    assert "Feedback due after a consultation closes" not in page  # unchanged limits are not listed
    assert "Introduction Reworded" in page
    assert "added: across the borough" in page
    assert "Resolving differences Added" in page and "Raise a concern with the liaison group first." in page
    assert "Reworded Honesty Honesty added: Say what you mean." in page
    assert "Added Not there before Inclusion" in page
    assert "Removed Consultation Consult for twelve weeks. No longer there" in page
    # An unchanged principle is listed only on request (the "Welsh text" section after the tables
    # lists it as a part with no Welsh, which is another matter).
    assert "Respect" not in page.split("Welsh text", 1)[0]
    assert "Principle: Respect" in page.split("Welsh text", 1)[1]
    assert "Respect" in text_of(client.get(compare_url(next_edition, show_all=True)).content.decode())


def test_the_comparison_reads_a_fixed_number_of_queries_however_many_undertakings(
    compact, coordinator, django_assert_num_queries
):
    small = build_edition(compact=compact, outcomes=1, per_sector=1)
    small_next = services.edition_start_from_current(compact=compact, name="Small next", by=coordinator)
    with django_assert_num_queries(6):
        selectors.edition_compare(old=small, new=small_next)

    big = build_edition(outcomes=5, per_sector=10)
    big_next = services.edition_start_from_current(compact=big.compact, name="Big next", by=coordinator)
    extra = OutcomeFactory(edition=big_next, number=6)
    for n in range(1, 11):
        UndertakingFactory(outcome=extra, number=f"6.{n}", text=f"A new promise on topic {n * 13}.")
    with django_assert_num_queries(6):
        comparison = selectors.edition_compare(old=big, new=big_next)
    assert comparison.summary["added"] == 10 and comparison.summary["unchanged"] == 100


def test_html_typed_into_any_compared_part_is_shown_as_text(client, edition, next_edition, coordinator):
    next_edition.introduction = f"{edition.introduction} {PAYLOAD}"
    next_edition.save()
    reworded = next_edition.undertakings.get(number="1.1")
    reworded.text = f"Public sector promise 1.1. {PAYLOAD}"
    reworded.save()
    next_edition.undertakings.create(outcome=reworded.outcome, number="1.9", sector="public", text=PAYLOAD)
    next_edition.principles.create(title=PAYLOAD, position=5)
    next_edition.codes_of_practice.create(title="Data", body=PAYLOAD)
    services.edition_publish(edition=next_edition, by=coordinator)

    assert_shown_as_text(client.get(compare_url(next_edition)), times=5)


def test_two_very_long_texts_are_shown_whole_not_matched_word_by_word(monkeypatch):
    """A megabyte-scale introduction must not tie up the public compare page in difflib."""
    from commitments import compare

    monkeypatch.setattr(compare, "MAX_DIFF_WORK", 100)
    calls = []
    real = compare.difflib.SequenceMatcher.get_opcodes
    monkeypatch.setattr(compare.difflib.SequenceMatcher, "get_opcodes", lambda self: calls.append(1) or real(self))
    old = " ".join(f"old{n}" for n in range(20))
    new = " ".join(f"new{n}" for n in range(20))
    diff = compare.word_diff(old, new)
    assert calls == []  # 20 × 20 words is past the bound: no word matching
    assert "old19" in diff.before and "<del" in diff.before
    assert "new19" in diff.after and "<ins" in diff.after
    assert compare.similarity(old, new) <= 1.0
    # Short texts are still matched word by word.
    short = compare.word_diff("a b c", "a b d")
    assert calls
    assert short.before.startswith("a b <del") and "c</del>" in short.before
