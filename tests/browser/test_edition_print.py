"""The edition's page printed from the browser, and the coordinator's page for the cover's logos."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from commitments.models import CompactLogo, Edition
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_edition_page_prints_its_text_alone_with_link_addresses(page, edition):
    Edition.objects.filter(pk=edition.pk).update(
        making_it_work="Write to compact@riverside.example.org or see https://www.riverside.example.org/compact"
    )
    page.goto(reverse("commitments:compact_detail", kwargs={"slug": edition.compact.slug}))
    link = page.locator(".app-edition__text a[href^='mailto:']")
    assert link.is_visible()
    assert page.locator(".govuk-header").is_visible()

    page.emulate_media(media="print")
    for hidden in (".govuk-header", ".govuk-footer", ".app-edition__aside", ".app-undertaking__self-link >> nth=0"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("#u-2-1").is_visible()
    after = page.evaluate("(a) => getComputedStyle(a, '::after').content", link.element_handle())
    assert "mailto:compact@riverside.example.org" in after
    breaks = page.evaluate("getComputedStyle(document.querySelector('.app-undertaking')).breakInside")
    assert breaks == "avoid"


def test_a_coordinator_adds_a_logo_for_the_cover(page, sign_in, edition, coordinator, tmp_path):
    sign_in(coordinator)
    page.goto(reverse("commitments:manage", kwargs={"slug": edition.compact.slug}))
    page.get_by_role("link", name="Logos on the cover of the PDF").click()
    assert_accessible(page)

    not_a_picture = tmp_path / "logo.png"
    not_a_picture.write_text("Only words, no picture.")
    page.get_by_label("Whose logo is it?").fill("Riverside Borough Council")
    page.get_by_label("The logo").set_input_files(str(not_a_picture))
    page.get_by_role("button", name="Upload the logo").click()
    assert "There is a problem" in page.content()
    assert "not a type of file we accept" in page.content()
    assert_accessible(page)

    picture = tmp_path / "council.png"
    out = io.BytesIO()
    Image.new("RGB", (90, 40), (29, 112, 184)).save(out, "PNG")
    picture.write_bytes(out.getvalue())
    page.get_by_label("Whose logo is it?").fill("Riverside Borough Council")
    page.get_by_label("The logo").set_input_files(str(picture))
    page.get_by_role("button", name="Upload the logo").click()
    assert "The logo has been added to the cover of the PDF." in page.content()
    assert CompactLogo.objects.filter(organisation="Riverside Borough Council").exists()
    assert_accessible(page)

    page.get_by_role("link", name="Remove the logo of Riverside Borough Council").click()
    assert_accessible(page)
    page.get_by_role("button", name="Remove the logo").click()
    assert "The logo has been removed from the cover of the PDF." in page.content()
    assert not CompactLogo.objects.exists()
