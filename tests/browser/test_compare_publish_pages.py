"""The compare page and the publish page's choice of parts to carry over, in a browser, checked by axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commitments import services
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_carries_over_the_principles_then_sees_what_changed(page, sign_in, edition, coordinator):
    draft = services.edition_start_from_current(compact=edition.compact, name="Second edition", by=coordinator)
    draft.principles.all().delete()
    outcome = draft.outcomes.get(number=2)
    for undertaking in draft.undertakings.filter(outcome=outcome).order_by("-position"):
        undertaking.number = f"2.{int(undertaking.number.split('.')[1]) + 1}"
        undertaking.save()
    draft.undertakings.create(outcome=outcome, number="2.1", sector="public", text="Name a lead officer.")
    reworded = draft.undertakings.get(number="1.1")
    reworded.text = "Public sector promise 1.1, kept every year."
    reworded.save()
    draft.consultation_min_weeks = 8
    draft.save()

    sign_in(coordinator)
    page.goto(reverse("commitments:edition_publish", kwargs={"slug": edition.compact.slug, "pk": draft.pk}))
    expect(page.locator("#missing-parts")).to_have_text("The current edition has 2 principles; this draft has none.")
    assert_accessible(page)

    page.get_by_role("button", name="Publish this edition").click()  # without choosing
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the parts to copy from the current edition")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)

    page.get_by_label("Copy the current edition’s 2 principles into this draft").check()
    page.get_by_role("button", name="Publish this edition").click()
    expect(page.locator("main")).to_contain_text("‘Second edition’ is now the current edition.")
    expect(page.locator("main")).to_contain_text("Honesty")

    page.goto(reverse("commitments:edition_compare", kwargs={"slug": edition.compact.slug, "pk": draft.pk}))
    expect(page.locator("main")).to_contain_text("moved from 2.4 to 2.5")
    expect(page.locator("main")).to_contain_text("The principles are the same.")
    expect(page.locator("#change-1\\.1 ins")).to_have_text("added: 1.1, kept every year.")
    expect(page.locator("#change-2\\.1")).to_contain_text("Name a lead officer.")
    assert_accessible(page)
    page.get_by_role("link", name="Show unchanged undertakings too").click()
    assert_accessible(page)
