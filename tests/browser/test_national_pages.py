"""The national body's pages in a browser, checked by axe-core: a national user opens the directory,
filters it to Wales, sorts it and opens two Compacts; the people page; the coordinator's directory settings."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commitments.models import Edition
from national import services
from signatories.models import Signature
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.commitments.factories import CompactFactory, PublishedEditionFactory
from tests.signatories.factories import OrganisationFactory, SignatureFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def national_user():
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    user = UserFactory(username="nat", email="nat@national.example")
    services.national_role_grant(email=user.email, by=root)
    UserFactory(username="other", email="colleague@national.example", first_name="Cai", last_name="Evans")
    return user


@pytest.fixture
def compacts(compact):
    today = datetime.date.today()
    cardiff = CompactFactory(name="Cardiff Compact", area="Cardiff", slug="cardiff", nation="wales",
                             ons_code="W06000015", contact_email="compact@cardiff.example")  # fmt: skip
    current = PublishedEditionFactory(compact=cardiff, published_on=today - datetime.timedelta(days=100))
    SignatureFactory(organisation=OrganisationFactory(), edition=current, status=Signature.Status.SIGNED)
    swansea = CompactFactory(name="Swansea Compact", area="Swansea", slug="swansea", nation="wales")
    PublishedEditionFactory(compact=swansea, published_on=today - datetime.timedelta(days=1500))
    Edition.objects.filter(compact=swansea).update(created_at=datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC))
    return cardiff, swansea


def test_a_national_user_filters_the_directory_to_wales_and_opens_two_compacts(page, sign_in, national_user, compacts):
    sign_in(national_user)
    page.goto(reverse("national:directory"))
    expect(page.get_by_role("heading", name="Directory of Compacts")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nation").select_option("wales")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="2 Compacts match these filters")).to_be_visible()
    table = page.locator("#directory-table")
    expect(table).to_contain_text("W06000015")
    expect(table).not_to_contain_text("Riverside")
    expect(table.locator(".govuk-tag").first).to_have_text("Active")
    assert_accessible(page)
    page.get_by_role("link", name="Voluntary organisations signed").click()
    expect(page.locator('th[aria-sort="ascending"]')).to_have_text("Voluntary organisations signed")
    assert_accessible(page)

    for name in ("Cardiff Compact", "Swansea Compact"):
        page.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        assert_accessible(page)
        page.go_back()


def test_a_national_user_compares_two_compacts_measures(page, sign_in, national_user, compacts):
    sign_in(national_user)
    page.goto(reverse("national:directory"))
    page.get_by_role("link", name="Every Compact's measures side by side").click()
    expect(page.get_by_role("heading", name="Measures side by side")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nation").select_option("wales")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name=re.compile(r"^2 Compacts"))).to_be_visible()
    page.get_by_role("link", name="Voluntary and community organisations signed up").click()
    expect(page.locator('th[aria-sort="ascending"]')).to_have_text("Voluntary and community organisations signed up")
    rows = page.locator("#indicators-table tbody tr")
    expect(rows.nth(0)).to_contain_text("National median")
    expect(rows.nth(1)).to_contain_text("Swansea Compact")
    expect(rows.nth(2)).to_contain_text("Cardiff Compact")
    assert_accessible(page)
    page.get_by_role("link", name="Cardiff Compact").click()
    expect(page.locator("#measures")).to_contain_text("National median")
    assert_accessible(page)


def test_the_people_page_and_taking_the_role_away(page, sign_in, national_user):
    sign_in(national_user)
    page.goto(reverse("national:roles"))
    page.get_by_label("Email address of their account").fill("nobody@example.org")
    page.get_by_role("button", name="Give the role").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address of their account").fill("colleague@national.example")
    page.get_by_role("button", name="Give the role").click()
    expect(page.locator("#national-people")).to_contain_text("Cai Evans")
    assert_accessible(page)
    page.get_by_role("link", name="Take away the role of Cai Evans").click()
    assert_accessible(page)
    page.get_by_role("button", name="Take the role away").click()
    expect(page.locator("#national-people")).not_to_contain_text("Cai Evans")


def test_the_coordinators_directory_settings(page, sign_in, coordinator, compact):
    sign_in(coordinator)
    page.goto(reverse("commitments:compact_directory_settings", kwargs={"slug": compact.slug}))
    assert_accessible(page)
    page.get_by_label("The council's ONS code").fill("X1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The council's ONS code").fill("E06000047")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#directory-details")).to_contain_text("E06000047")
    assert_accessible(page)
