"""Every page the foundation adds, opened as each role, checked by axe-core (WCAG 2.2 AA)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commitments import services
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.commitments.factories import build_edition

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(compact, coordinator):
    """A Compact with a superseded edition, a current one and a draft."""
    first = build_edition(compact=compact, name="First edition")
    second = services.edition_start_from_current(compact=compact, name="Second edition", by=coordinator)
    changed = second.undertakings.get(number="1.1")
    changed.text = "Public sector promise 1.1, kept in writing."
    changed.save()
    services.edition_publish(edition=second, by=coordinator)
    draft = services.edition_start_from_current(compact=compact, name="Third edition", by=coordinator)
    return {"first": first, "current": second, "draft": draft}


def public_pages(compact, world):
    slug = compact.slug
    return [
        reverse("home"),
        reverse("accessibility"),
        reverse("commitments:compact_list"),
        reverse("commitments:compact_detail", kwargs={"slug": slug}),
        reverse("commitments:edition_list", kwargs={"slug": slug}),
        reverse("commitments:edition_detail", kwargs={"slug": slug, "pk": world["first"].pk}),
        reverse("commitments:edition_compare", kwargs={"slug": slug, "pk": world["current"].pk}),
        reverse("commitments:edition_compare", kwargs={"slug": slug, "pk": world["current"].pk}) + "?show=all",
        reverse("commitments:edition_compare", kwargs={"slug": slug, "pk": world["first"].pk}),
    ]


def coordinator_pages(compact, world):
    slug, draft = compact.slug, world["draft"]
    undertaking = draft.undertakings.first()
    outcome = draft.outcomes.first()
    principle = draft.principles.first()

    def edition_url(name, **kwargs):
        return reverse(f"commitments:{name}", kwargs={"slug": slug, "pk": draft.pk, **kwargs})

    return [
        reverse("accounts:dashboard"),
        reverse("commitments:manage", kwargs={"slug": slug}),
        reverse("commitments:edition_new", kwargs={"slug": slug}),
        reverse("commitments:import_upload", kwargs={"slug": slug}),
        reverse("commitments:edition_detail", kwargs={"slug": slug, "pk": draft.pk}),
        edition_url("edition_edit"),
        edition_url("edition_settings"),
        edition_url("edition_publish"),
        edition_url("edition_history"),
        reverse("commitments:edition_history", kwargs={"slug": slug, "pk": world["current"].pk}),
        edition_url("part_create", part="principles"),
        edition_url("part_create", part="outcomes"),
        edition_url("part_create", part="undertakings"),
        edition_url("part_create", part="codes"),
        edition_url("part_update", part="undertakings", part_pk=undertaking.pk),
        edition_url("part_update", part="outcomes", part_pk=outcome.pk),
        edition_url("part_update", part="principles", part_pk=principle.pk),
        edition_url("part_delete", part="outcomes", part_pk=outcome.pk),
        edition_url("part_delete", part="undertakings", part_pk=undertaking.pk),
    ]


def visit(page, path, expected_status=200):
    response = page.goto(path)
    assert response.status == expected_status, f"{path} answered {response.status}"
    assert page.title(), f"{path} has no title"
    assert_accessible(page)


def test_public_pages_signed_out(page, compact, world):
    for path in public_pages(compact, world):
        visit(page, path)
    for path in (
        reverse("accounts:login"),
        reverse("accounts:password_reset"),
        reverse("accounts:password_reset_done"),
        reverse("accounts:password_reset_complete"),
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "expired-token"}),
    ):
        visit(page, path)
    visit(page, "/no-such-page/", expected_status=404)


def test_public_pages_as_an_officer_and_a_vcs_member(page, sign_in, compact, world, officer, vcs_member):
    for user in (officer, vcs_member):
        sign_in(user)
        for path in [*public_pages(compact, world), reverse("accounts:dashboard")]:
            visit(page, path)
        visit(page, reverse("commitments:manage", kwargs={"slug": compact.slug}), expected_status=403)


def test_coordinator_pages(page, sign_in, compact, world, coordinator):
    sign_in(coordinator)
    for path in [*public_pages(compact, world), *coordinator_pages(compact, world)]:
        visit(page, path)


def test_forms_showing_errors_are_accessible(page, sign_in, compact, world, coordinator):
    sign_in(coordinator)
    page.goto(reverse("commitments:edition_new", kwargs={"slug": compact.slug}))
    page.get_by_role("button", name="Start the draft").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)

    draft = world["draft"]
    page.goto(reverse("commitments:part_create", kwargs={"slug": compact.slug, "pk": draft.pk, "part": "undertakings"}))
    page.get_by_label("Undertaking number").fill("9.9")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_sign_in_form_with_errors_is_accessible(page):
    UserFactory(username="someone")
    page.goto(reverse("accounts:login"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
