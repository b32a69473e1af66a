"""The register, coverage and import pages, opened as the public and as the coordinator, checked by
axe-core (WCAG 2.2 AA), with filters applied, with results, and showing errors."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commitments.models import Edition
from signatories.models import OrganisationType, Signature
from tests.browser.conftest import assert_accessible
from tests.commitments.factories import PublishedEditionFactory
from tests.signatories.factories import OrganisationFactory, PublicBodyFactory, SignatureFactory, signed_signature
from tests.signatories.test_register import make_signatories

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "signatories.csv"
S = Signature.Status


@pytest.fixture
def world(compact):
    first = PublishedEditionFactory(
        compact=compact, name="First edition", status=Edition.Status.SUPERSEDED, published_on=datetime.date(2025, 4, 1)
    )
    current = PublishedEditionFactory(
        compact=compact, name="Second edition", published_on=datetime.date(2026, 4, 1), based_on=first
    )
    council = PublicBodyFactory(name="Aldergate Borough Council")
    signed_signature(organisation=council, edition=first)
    signed_signature(organisation=council, edition=current)
    nhs = PublicBodyFactory(name="Birchfield NHS Trust", organisation_type=OrganisationType.NHS)
    signed_signature(organisation=nhs, edition=first)
    SignatureFactory(organisation=nhs, edition=current, status=S.REAFFIRMATION_REQUESTED)
    club = OrganisationFactory(name="Damson Youth Club")
    signed_signature(organisation=club, edition=first)
    SignatureFactory(organisation=club, edition=current, status=S.WITHDRAWN)
    make_signatories(current, 60)  # enough for a second page
    return {"first": first, "current": current}


def urls(compact, world) -> list[str]:
    register = reverse("signatories:register", kwargs={"slug": compact.slug})
    return [
        register,
        register + "?page=2",
        register + "?sector=public&status=earlier",
        register + f"?edition={world['first'].pk}&q=birchfield",
        register + "?q=nobody+at+all",
        reverse("signatories:coverage", kwargs={"slug": compact.slug}),
    ]


def visit(page, path, expected_status=200):
    response = page.goto(path)
    assert response.status == expected_status, f"{path} answered {response.status}"
    assert page.title(), f"{path} has no title"
    assert_accessible(page)


def test_register_and_coverage_for_the_public(page, compact, world):
    for path in urls(compact, world):
        visit(page, path)
    visit(page, reverse("signatories:register", kwargs={"slug": compact.slug}) + "?sector=martian")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))


def test_filtering_with_the_form(page, compact, world):
    page.goto(reverse("signatories:register", kwargs={"slug": compact.slug}))
    page.get_by_label("Sector").select_option("public")
    page.get_by_label("Status").select_option("earlier")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 organisation matches these filters")).to_be_visible()
    expect(page.locator("#register-table")).to_contain_text("Birchfield NHS Trust")
    link = page.get_by_role("link", name="Download these results (CSV)")
    assert link.get_attribute("href").endswith("?sector=public&status=earlier")
    assert_accessible(page)


def test_coordinator_pages(page, sign_in, compact, world, coordinator):
    sign_in(coordinator)
    for path in urls(compact, world):
        visit(page, path)
    register = reverse("signatories:register", kwargs={"slug": compact.slug})
    page.goto(register)
    page.get_by_role("link", name="Import signatories from a spreadsheet").click()
    expect(page.get_by_role("heading", name="Import signatories from a spreadsheet")).to_be_visible()
    assert_accessible(page)

    # A file with problems: every one shown, in an accessible error summary.
    page.set_input_files(
        "input[name=csv_file]",
        files=[
            {
                "name": "bad.csv",
                "mimeType": "text/csv",
                "buffer": b"name,sector,type,signed date\nA,Nowhere,Charity,01/01/2026\n,VCS,Charity,01/01/2026\n",
            }
        ],
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Line 2: The sector ‘Nowhere’ is not one we know")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Line 3: Enter the organisation’s name.")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)

    # Not a CSV file at all.
    page.set_input_files(
        "input[name=csv_file]",
        files=[{"name": "list.xlsx", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04\x00\x00"}],
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Excel workbook")
    assert_accessible(page)

    # A good file: the preview, then the import.
    page.set_input_files("input[name=csv_file]", str(FIXTURE))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the signatories before importing them")).to_be_visible()
    expect(page.locator("#import-new-signatures")).to_have_text("8")
    assert_accessible(page)
    page.get_by_role("button", name="Import 8 signatures").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("8 new organisations")
    assert_accessible(page)

    # The same file again: nothing to do.
    page.goto(reverse("signatories:import_upload", kwargs={"slug": compact.slug}))
    page.set_input_files("input[name=csv_file]", str(FIXTURE))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-nothing")).to_be_visible()
    assert_accessible(page)


def test_import_pages_are_closed_to_others(page, sign_in, compact, world, officer):
    sign_in(officer)
    visit(page, reverse("signatories:import_upload", kwargs={"slug": compact.slug}), expected_status=403)
    for path in urls(compact, world)[:1]:
        visit(page, path)
    expect(page.get_by_role("link", name="Import signatories from a spreadsheet")).to_have_count(0)
