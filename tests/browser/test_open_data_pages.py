"""The open data page, checked by axe-core at desktop and phone width, and the links it gives."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.commitments.factories import build_edition

pytestmark = pytest.mark.django_db(transaction=True)


def test_open_data_page_is_accessible_and_leads_to_the_data(page, compact):
    build_edition(compact=compact, name="First edition")
    response = page.goto(reverse("commitments:compact_detail", kwargs={"slug": compact.slug}))
    assert response.status == 200
    page.get_by_role("link", name="Open data: reuse this Compact’s data").click()
    expect(page.get_by_role("heading", name="Open data", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Read the licence")).to_have_attribute(
        "href", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    )
    expect(page.get_by_role("region", name="API addresses")).to_contain_text("/api/v1/compacts/{slug}/undertakings/")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    schema = page.request.get(reverse("opendata:schema"))
    assert schema.ok
    assert json.loads(schema.body())["info"]["license"]["name"] == "Open Government Licence v3.0"
