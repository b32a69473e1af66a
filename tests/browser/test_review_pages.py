"""The annual review in a browser: reached from the Compact's page, a year chosen, the charts drawn
without breaking the Content-Security-Policy (the page fixture fails on a console error), axe-core
clean, in forced colours (high contrast) too, and usable at a phone's width."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.reviews.data import ISSUER, review_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_reads_the_annual_review(page):
    compact = review_world()
    page.goto(compact.editions.first().get_absolute_url())
    page.get_by_role("link", name="Annual review").click()
    page.get_by_label("Financial year", exact=True).select_option(label="2025–26")
    page.get_by_role("button", name="Show this year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual review 2025–26")
    expect(page.locator("#missed-notices")).to_contain_text(ISSUER)
    chart = page.get_by_role("img", name="Organisations signed up at the end of 2025–26, by type")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box and box["height"] > 100  # drawn, not collapsed
    assert_accessible(page)

    page.emulate_media(forced_colors="active")
    assert_accessible(page)
    page.emulate_media(forced_colors="none")

    page.set_viewport_size({"width": 320, "height": 640})
    expect(page.get_by_role("region", name="Organisations signed up, by type")).to_be_visible()
    assert_accessible(page)
