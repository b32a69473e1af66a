"""A coordinator's journey in a real browser, done with the keyboard where a person would."""

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_signs_in_starts_a_draft_changes_an_undertaking_and_publishes(page, edition, coordinator):
    page.goto(reverse("accounts:login"))
    page.get_by_label("User name").fill(coordinator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/")

    page.goto(reverse("commitments:manage", kwargs={"slug": edition.compact.slug}))
    page.get_by_role("button", name="Start a new edition").click()
    page.get_by_label("Name of the new edition").fill("Refreshed 2027")
    page.get_by_label("A copy of the current edition, to change what needs changing").check()
    page.get_by_role("button", name="Start the draft").click()
    assert "The draft edition ‘Refreshed 2027’ has been started." in page.content()

    page.get_by_role("link", name="Change undertaking 2.1").click()
    page.get_by_label("Undertaking", exact=True).fill("Public sector promise 2.1, now with a deadline.")
    page.get_by_role("button", name="Save").click()
    assert page.url.endswith("#u-2-1")

    page.get_by_role("button", name="Check and publish").click()
    assert "1 added" not in page.content()
    assert "0 added, 0 removed, 1 changed" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Publish this edition").click()

    assert "‘Refreshed 2027’ is now the current edition." in page.content()
    assert page.locator("#u-2-1").inner_text().startswith("2.1 Public sector promise 2.1, now with a deadline.")
    page.get_by_role("link", name="What changed since First edition").click()
    assert "1 undertaking changed" in page.content()
    assert_accessible(page)


def test_undertaking_anchor_scrolls_into_view(page, edition):
    page.goto(reverse("commitments:compact_detail", kwargs={"slug": edition.compact.slug}) + "#u-2-3")
    assert page.locator("#u-2-3").is_visible()
    assert page.evaluate("document.querySelector(':target').id") == "u-2-3"
