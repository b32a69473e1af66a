"""Single sign-on in Debian's chromium with axe-core: "Sign in with <council>" on the sign-in page
takes the person through the test's own provider (tests/support/fake_oidc.py) and back, signed in;
a refusal is a page that says why."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.signatories.factories import PublicBodyFactory
from tests.support.fake_oidc import FakeProvider

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(settings):
    fake = FakeProvider().start()
    for name, value in fake.settings().items():
        setattr(settings, name, value)
    PublicBodyFactory(name="Riverside Borough Council")
    settings.OIDC_DOMAIN_ORGANISATIONS = "riverside.gov.uk=riverside-borough-council"
    settings.PORTAL_COUNCIL_NAME = "Riverside Borough Council"
    yield fake
    fake.stop()


def test_an_officer_signs_in_with_the_council_and_a_stranger_is_told_why_not(page, provider):
    provider.person = {"sub": "s-1", "email": "ann@riverside.gov.uk", "email_verified": True, "given_name": "Ann"}
    page.goto(reverse("accounts:login"))
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with Riverside Borough Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text("Riverside Borough Council").first).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    provider.person = {"sub": "s-2", "email": "eve@example.com", "email_verified": True}
    page.goto(reverse("accounts:login"))
    page.get_by_role("button", name="Sign in with Riverside Borough Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You could not be signed in")
    expect(page.get_by_text("does not belong to an organisation")).to_be_visible()
    assert_accessible(page)
