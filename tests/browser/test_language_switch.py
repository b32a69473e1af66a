"""The English / Cymraeg switch in the header, in Debian's chromium: following it keeps the page, the
page is then in Welsh, and at 320 px the header fits the screen."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.commitments.factories import build_edition

pytestmark = pytest.mark.django_db(transaction=True)

HEADER_OVERFLOW = """() => {
  const header = document.querySelector("header.govuk-header");
  const screen = document.documentElement.clientWidth;
  const spilling = [...header.querySelectorAll("*")]
    .filter((element) => element.getBoundingClientRect().right > screen + 0.5)
    .map((element) => element.outerHTML.slice(0, 80));
  return {page: document.documentElement.scrollWidth - screen, header: header.scrollWidth - screen, spilling};
}"""


def test_cymraeg_takes_a_visitor_to_the_same_page_in_welsh_and_english_brings_them_back(page, compact):
    build_edition(compact=compact, name="First edition")
    address = reverse("commitments:compact_detail", kwargs={"slug": compact.slug}) + "?from=test"
    page.goto(address)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch = page.get_by_role("navigation", name="Language")
    expect(switch.locator("[aria-current=true]")).to_have_text("English")

    switch.get_by_role("link", name="Cymraeg").click()

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url.endswith(address)
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.LANGUAGE_COOKIE_NAME)
    assert cookie["value"] == "cy"
    switch = page.locator("nav.app-language-switch")  # its label is in Welsh now
    expect(switch.locator("[aria-current=true]")).to_have_text("Cymraeg")
    assert_accessible(page)

    switch.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith(address)


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_at_320_px_the_header_fits_the_screen(page, compact, language, vcs_member, sign_in):
    page.set_viewport_size({"width": 320, "height": 640})
    for signed_in in (False, True):
        if signed_in:
            sign_in(vcs_member)
        page.goto(reverse("home") + f"?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language[:2])
        overflow = page.evaluate(HEADER_OVERFLOW)
        assert overflow["page"] <= 0 and overflow["header"] <= 0 and not overflow["spilling"], overflow
        expect(page.locator(".app-language-switch a")).to_be_visible()
        assert_accessible(page)


def test_a_signed_in_person_chooses_welsh_on_their_account(page, vcs_member, sign_in):
    sign_in(vcs_member)
    page.goto(reverse("accounts:dashboard"))
    page.get_by_role("link", name="Change the language of your pages and emails").click()
    expect(page.get_by_role("group", name="Language for pages and emails")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Cymraeg").check()
    page.get_by_role("button", name="Save").click()

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url.endswith(reverse("accounts:dashboard"))
    vcs_member.refresh_from_db()
    assert vcs_member.language == "cy"
