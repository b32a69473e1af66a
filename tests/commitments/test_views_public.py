import pytest
from django.urls import reverse

from commitments import services
from commitments.models import Edition
from tests.commitments.factories import CompactFactory, build_edition

pytestmark = pytest.mark.django_db


def test_current_edition_shows_undertakings_by_sector_with_stable_anchors(client, edition):
    response = client.get(reverse("commitments:compact_detail", kwargs={"slug": edition.compact.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="u-1-1"' in html and 'id="u-2-4"' in html
    assert 'href="#u-2-4"' in html
    assert "What the public sector undertakes" in html
    assert "What the voluntary and community sector undertakes" in html
    assert "Public sector promise 2.1." in html
    assert "Download the Compact in English (PDF)" in html
    assert "Riverside Compact – Compact Portal" in html  # the page title says where you are


def test_joint_undertakings_have_their_own_heading_after_both_sectors_in_each_outcome(client, compact):
    edition = build_edition(compact=compact, outcomes=2, per_sector=1, joint=1)
    edition.undertakings.filter(number="2.3").update(text="Review the grants calendar together every spring.")
    response = client.get(reverse("commitments:compact_detail", kwargs={"slug": compact.slug}))
    html = response.content.decode()
    outcome_2 = html.split('id="outcome-2"')[1]
    assert outcome_2.count("What both sectors undertake together") == 1
    public, rest = outcome_2.split("What the voluntary and community sector undertakes")
    assert "What the public sector undertakes" in public
    vcs, joint = rest.split("What both sectors undertake together")
    assert "Voluntary and community sector promise 2.2." in vcs
    assert 'id="u-2-3"' in joint and "Review the grants calendar together every spring." in joint
    assert "2 by both sectors together" in html  # the counts beside the text


def test_an_edition_without_joint_undertakings_has_no_joint_heading(client, edition):
    html = client.get(reverse("commitments:compact_detail", kwargs={"slug": edition.compact.slug})).content.decode()
    assert "both sectors" not in html


def test_compact_with_nothing_published_says_so(client):
    compact = CompactFactory(name="Quiet Compact")
    response = client.get(reverse("commitments:compact_detail", kwargs={"slug": compact.slug}))
    assert response.status_code == 200
    assert "No edition of this Compact has been published yet." in response.content.decode()


def test_superseded_edition_stays_readable_and_is_marked(client, edition, coordinator):
    draft = services.edition_start_from_current(compact=edition.compact, name="Second edition", by=coordinator)
    services.edition_publish(edition=draft, by=coordinator)
    response = client.get(edition.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "This edition has been replaced." in html
    assert "First edition" in html

    listing = client.get(reverse("commitments:edition_list", kwargs={"slug": edition.compact.slug})).content.decode()
    assert "Second edition" in listing and "First edition" in listing and "Replaced" in listing


def test_current_edition_url_redirects_to_the_compact_page(client, edition):
    response = client.get(edition.get_absolute_url())
    assert response.status_code == 302
    assert response.url == reverse("commitments:compact_detail", kwargs={"slug": edition.compact.slug})


def test_draft_is_404_for_the_public_and_for_other_users(client, compact, stranger, officer):
    draft = build_edition(compact=compact, status=Edition.Status.DRAFT)
    url = reverse("commitments:edition_detail", kwargs={"slug": compact.slug, "pk": draft.pk})
    assert client.get(url).status_code == 404
    for user in (stranger, officer):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(url + "changes/").status_code == 404
    listing = client.get(reverse("commitments:edition_list", kwargs={"slug": compact.slug}))
    assert draft.name not in listing.content.decode()


def test_draft_preview_for_its_coordinator(client, compact, coordinator):
    draft = build_edition(compact=compact, status=Edition.Status.DRAFT, name="Secret draft")
    client.force_login(coordinator)
    response = client.get(reverse("commitments:edition_detail", kwargs={"slug": compact.slug, "pk": draft.pk}))
    assert response.status_code == 200
    assert "This is a draft." in response.content.decode()


def test_comparison_page_says_an_undertaking_is_now_made_by_both_sectors(client, edition, coordinator):
    draft = services.edition_start_from_current(compact=edition.compact, name="Second edition", by=coordinator)
    draft.undertakings.filter(number="1.3").update(sector="joint")
    services.edition_publish(edition=draft, by=coordinator)

    response = client.get(reverse("commitments:edition_compare", kwargs={"slug": edition.compact.slug, "pk": draft.pk}))
    row = response.content.decode().split('id="change-1.3"', 1)[1].split("</tr>", 1)[0]
    assert "Now made by: Both sectors" in row
    assert "other sector" not in row


def test_comparison_page_lists_added_removed_and_changed_undertakings(client, edition, coordinator):
    draft = services.edition_start_from_current(compact=edition.compact, name="Second edition", by=coordinator)
    changed = draft.undertakings.get(number="1.1")
    changed.text = "Public sector promise 1.1, now in writing."
    changed.save()
    draft.undertakings.get(number="2.4").delete()
    outcome = draft.outcomes.get(number=2)
    draft.undertakings.create(outcome=outcome, number="2.5", sector="vcs", text="A brand new promise.")
    services.edition_publish(edition=draft, by=coordinator)

    response = client.get(reverse("commitments:edition_compare", kwargs={"slug": edition.compact.slug, "pk": draft.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 undertaking added" in html
    assert "1 undertaking removed" in html
    assert "1 undertaking changed" in html
    assert '<ins class="app-diff__added">now in writing.</ins>' in html or "now in writing." in html
    assert "A brand new promise." in html
    assert "Public sector promise 1.2." not in html  # unchanged ones are hidden by default
    assert (
        "Public sector promise 1.2."
        in client.get(
            reverse("commitments:edition_compare", kwargs={"slug": edition.compact.slug, "pk": draft.pk}) + "?show=all"
        ).content.decode()
    )


def test_compact_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    for _ in range(3):
        build_edition(outcomes=1, per_sector=1)
    with django_assert_max_num_queries(3) as small:
        client.get(reverse("commitments:compact_list"))
    for _ in range(15):
        build_edition(outcomes=1, per_sector=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("commitments:compact_list"))
    assert response.content.decode().count("published 1 April 2026") == 18


def test_edition_page_query_count_does_not_grow_with_undertakings(client, django_assert_max_num_queries):
    small = build_edition(outcomes=1, per_sector=1)
    url = reverse("commitments:compact_detail", kwargs={"slug": small.compact.slug})
    with django_assert_max_num_queries(20) as captured:
        client.get(url)
    big = build_edition(outcomes=5, per_sector=8)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(reverse("commitments:compact_detail", kwargs={"slug": big.compact.slug}))
    assert response.content.decode().count('class="app-undertaking"') == 80


def test_user_text_is_shown_as_text(client, edition):
    undertaking = edition.undertakings.first()
    undertaking.text = '<script>alert("x")</script> Keep <b>promises</b>.'
    undertaking.save()
    html = client.get(reverse("commitments:compact_detail", kwargs={"slug": edition.compact.slug})).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")</script>' not in html


def test_a_replaced_edition_is_called_replaced_on_every_page_never_superseded(client, edition, coordinator):
    draft = services.edition_start_from_current(compact=edition.compact, name="Second edition", by=coordinator)
    services.edition_publish(edition=draft, by=coordinator)
    client.force_login(coordinator)
    slug = edition.compact.slug
    pages = {
        "the edition": edition.get_absolute_url(),
        "the list of editions": reverse("commitments:edition_list", kwargs={"slug": slug}),
        "its history": reverse("commitments:edition_history", kwargs={"slug": slug, "pk": edition.pk}),
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert "Replaced" in html, name
        assert "superseded" not in html.lower(), name
