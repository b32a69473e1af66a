"""The outcome measures page in a browser: reached from the Compact's page, a year chosen with the
GOV.UK select, axe-core (WCAG 2.2 AA) clean, and usable at a phone's width."""

import datetime

import pytest
from playwright.sync_api import expect

from compact_portal.dates import financial_year_label
from tests.browser.conftest import assert_accessible
from tests.consultations.factories import ConsultationFactory
from tests.monitoring.factories import concern

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date


def test_a_reader_sees_how_the_compact_is_doing_and_chooses_a_year(page, edition):
    edition.published_on = D(2025, 4, 1)
    edition.save()
    ConsultationFactory(edition=edition, early_notice_on=D(2025, 5, 1), opens_on=D(2025, 6, 2), closes_on=D(2025, 9, 1))
    concern(edition=edition, stages=[("informal", D(2025, 6, 2), D(2025, 6, 16))], closed_on=D(2025, 6, 10))

    page.goto(edition.compact.get_absolute_url())
    page.get_by_role("link", name="How the Compact is doing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How the Compact is doing")
    assert_accessible(page)

    page.get_by_label("Financial year").select_option(label=financial_year_label(2025))
    page.get_by_role("button", name="Show this year").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Measures for 2025–26 and the year before")
    length = page.locator("#measure-consultation_length")
    expect(length.get_by_role("cell").first).to_contain_text("100%")
    expect(page.locator("#measure-concern_days").get_by_role("cell").first).to_have_text("Fewer than 3")
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 640})
    expect(page.get_by_role("region", name="Measures for 2025–26 and the year before")).to_be_visible()
    assert_accessible(page)
