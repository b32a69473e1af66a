"""The sign-in pages of coordinators (authenticator app, code, recovery codes) and the password-change
page, in Debian's chromium with axe-core: a coordinator sets up their app the way a person would, from
the key shown as text."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, UserFactory, mfa_code, mfa_device
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_password(page, user) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_coordinator_sets_up_an_authenticator_app_and_keeps_the_recovery_codes(page, compact, coordinator):
    sign_in_with_password(page, coordinator)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the 6-digit code from your authenticator app")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)

    key = page.locator("#mfa-secret").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(f"{totp(b32decode(key)):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your authenticator app is set up")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    assert_accessible(page)

    page.get_by_role("button", name="I have kept my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


def test_the_code_page_with_an_error_is_accessible(page, compact, coordinator):
    device = mfa_device(coordinator)
    sign_in_with_password(page, coordinator)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page)
    page.get_by_label("Code").fill("abc")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert_accessible(page)
    page.wait_for_timeout(1100)  # a wrong code makes the next one wait a second
    page.get_by_label("Code").fill(mfa_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


def test_changing_the_password_from_your_account(page, sign_in):
    user = UserFactory(username="grace")
    sign_in(user)
    page.goto(reverse("accounts:dashboard"))
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible(page)
    page.get_by_role("button", name="Change your password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your current password")
    assert_accessible(page)
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a-much-longer-new-passphrase")
    page.get_by_label("New password again").fill("a-much-longer-new-passphrase")
    page.get_by_role("button", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_accessible(page)
