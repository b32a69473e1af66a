"""The three jobs the portal exists for, done with the keyboard only, in Debian's chromium.

Nothing is clicked and no field is filled by the test: focus moves with Tab (and Shift+Tab), links
and buttons are used with Enter or Space, radios and checkboxes with Space and the arrow keys, and
text is typed. Each element reached must show GOV.UK's yellow focus indicator, and axe-core checks
every page on the way (WCAG 2.2 AA)."""

import re
import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.selectors import mfa_device_for, mfa_required
from tests.accounts.factories import PASSWORD, mfa_code, mfa_device
from tests.browser.conftest import assert_accessible
from tests.conftest import ROOT, require_executable
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db(transaction=True)

GOVUK_FOCUS_YELLOW = "rgb(255, 221, 0)"

# What has focus, for a failure message: "a 'Sign in'", "input#id_name", "button 'Continue'".
DESCRIBE_ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "(the page itself)";
  const name = (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "").trim().slice(0, 50);
  return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (name ? ` '${name}'` : "");
}"""

# GOV.UK Frontend draws focus in yellow: an outline, a box-shadow or a background on the element
# (or, for radios and checkboxes, on their label's ::before, since the input itself is invisible).
FOCUS_STYLES = """(el, yellow) => {
  const styles = [getComputedStyle(el), getComputedStyle(el, "::before"), getComputedStyle(el, "::after")];
  if (el.matches("input[type=radio], input[type=checkbox]")) {
    for (const label of el.labels || []) {
      styles.push(getComputedStyle(label, "::before"), getComputedStyle(label, "::after"));
    }
  }
  const found = [];
  for (const s of styles) {
    if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && s.outlineColor === yellow) found.push("outline");
    if (s.boxShadow !== "none" && s.boxShadow.includes(yellow)) found.push("box-shadow");
    if (s.backgroundColor === yellow) found.push("background");
  }
  return found;
}"""


def tab_to(page, target, *, max_presses: int = 60, key: str = "Tab") -> None:
    """Press Tab (or ``key``, e.g. "Shift+Tab") until ``target`` has focus, then check that the
    focus can be seen. Fails with everything that had focus on the way if it never gets there."""
    handle = target.element_handle()
    visited = []
    for _ in range(max_presses + 1):
        if handle.evaluate("el => el === document.activeElement"):
            break
        if len(visited) == max_presses:
            pytest.fail(
                f"{target} was not reached with {max_presses} presses of {key} on {page.url}; focus went to:\n"
                + "\n".join(visited),
                pytrace=False,
            )
        page.keyboard.press(key)
        visited.append(page.evaluate(DESCRIBE_ACTIVE))
    shown = handle.evaluate(FOCUS_STYLES, GOVUK_FOCUS_YELLOW)
    assert shown, f"{page.evaluate(DESCRIBE_ACTIVE)} on {page.url} has focus but shows no focus indicator"


def press(page, key: str = "Enter") -> None:
    """Press a key on whatever has focus, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def type_into(page, target, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def go_to_main_content(page) -> None:
    """From the top of a freshly loaded page: the first Tab reaches the skip link."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    assert skip.evaluate(FOCUS_STYLES, GOVUK_FOCUS_YELLOW), "the skip link shows no focus indicator"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def sign_out_and_in(page, user) -> None:
    """Sign out with the header's button, then sign in through the real form."""
    tab_to(page, page.get_by_role("button", name="Sign out"))
    press(page)
    tab_to(page, page.get_by_role("banner").get_by_role("link", name="Sign in"))
    press(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    type_into(page, page.get_by_label("User name"), user.username)
    # Coordinators and superusers have an authenticator app (set up at their first sign-in).
    device = (mfa_device_for(user) or mfa_device(user)) if mfa_required(user) else None
    type_into(page, page.get_by_label("Password"), PASSWORD)
    press(page)  # Enter in a field submits the form
    if device is not None:
        enter_code(page, device)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


def enter_code(page, device) -> None:
    """Type the code the person's authenticator app shows."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page)
    type_into(page, page.get_by_label("Code"), mfa_code(device))
    press(page)


def test_a_vcs_group_signs_up_and_the_coordinator_approves_it_onto_the_register(
    page, sign_in, edition, vcs_member, coordinator
):
    """The council officer who coordinates the Compact approves a voluntary group's sign-up (only
    the coordinator may decide, signatories.permissions.can_decide) and sees it on the register."""
    compact = edition.compact
    MembershipFactory(user=coordinator, organisation=PublicBodyFactory(name="Riverside Borough Council"))
    MembershipFactory(user=vcs_member, organisation=OrganisationFactory(name="Riverside Youth Club"))

    # A member of the food bank applies for it to sign, starting from the Compact.
    sign_in(vcs_member)
    page.goto(reverse("commitments:compact_detail", kwargs={"slug": compact.slug}))
    assert_accessible(page)
    go_to_main_content(page)
    tab_to(page, page.get_by_role("link", name="Sign your organisation up"))
    press(page)
    assert_accessible(page)
    # The member's two organisations are one radio group, one Tab stop: arrows choose within it.
    food_bank = page.get_by_role("radio", name="Riverside Food Bank")
    youth_club = page.get_by_role("radio", name="Riverside Youth Club")
    tab_to(page, food_bank)
    page.keyboard.press("Space")
    expect(food_bank).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(youth_club).to_be_checked()
    expect(youth_club).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(food_bank).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continue"))
    press(page)

    assert_accessible(page)
    type_into(page, page.get_by_label("Name of the person signing"), "Morgan Ellis")
    type_into(page, page.get_by_label("Their role in the organisation"), "Chair of trustees")
    type_into(page, page.get_by_label("Day"), "2")
    type_into(page, page.get_by_label("Month"), "3")
    type_into(page, page.get_by_label("Year"), "2026")
    confirm = page.get_by_label("I confirm that I may sign on behalf of Riverside Food Bank")
    tab_to(page, confirm)
    page.keyboard.press("Space")
    expect(confirm).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Send the application"))
    press(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Signature of Riverside Food Bank")
    expect(page.locator("main")).to_contain_text("Awaiting approval")
    assert_accessible(page)

    # The coordinator, a council officer, signs in through the sign-in form...
    sign_out_and_in(page, coordinator)
    assert_accessible(page)
    # ... finds the application from their account page and approves it.
    tab_to(page, page.get_by_role("link", name="1 sign-up awaiting approval"))
    press(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="Riverside Food Bank"))
    press(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Approve", exact=True))
    press(page, "Space")  # a link styled as a button: GOV.UK's script makes Space work on it too
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Approve the signature"))
    press(page)
    expect(page.locator("main")).to_contain_text("Signed")
    assert_accessible(page)

    # They go to the register through the menu: it now lists the food bank.
    tab_to(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Compacts"))
    press(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("main").get_by_role("link", name="Riverside Compact"))
    press(page)
    tab_to(page, page.get_by_role("link", name="Who has signed"))
    press(page)
    row = page.get_by_role("row").filter(has_text="Riverside Food Bank")
    expect(row).to_contain_text("Signed the current edition")
    assert_accessible(page)


def test_a_vcs_member_logs_a_breach_concern_and_follows_it_to_the_answer(page, sign_in, edition, vcs_member, officer):
    """The member raises a concern about the council from their account page; the council's officer
    finds it in their notifications and answers on the timeline; the member reads the answer."""
    sign_in(vcs_member)
    page.goto(reverse("accounts:dashboard"))
    assert_accessible(page)
    go_to_main_content(page)
    tab_to(page, page.get_by_role("link", name="Concerns raised by, about, or under a Compact you coordinate"))
    press(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="Raise a concern"))
    press(page)
    assert_accessible(page)

    # First the organisation the concern is about: search for part of its name, follow its link.
    expect(page.get_by_role("heading", level=1)).to_have_text("Which organisation is the concern about?")
    tab_to(page, page.get_by_role("button", name="Search"))
    press(page)  # an empty search is an error, and the summary links to the box
    assert_accessible(page)
    tab_to(page, page.locator(".govuk-error-summary").get_by_role("link"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Name of the organisation")).to_be_focused()
    page.keyboard.type("borough council")
    press(page)  # Enter in the search box searches
    expect(page.get_by_role("heading", name="1 organisation found")).to_be_visible()
    assert_accessible(page)
    tab_to(page, page.get_by_role("main").get_by_role("link", name="Riverside Borough Council"))
    press(page)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Riverside Borough Council")
    assert_accessible(page)
    type_into(page, page.get_by_label("The concern in a sentence"), "Our grant was cut with two weeks' notice")
    broken = page.get_by_role("checkbox", name="1.1 Public sector promise 1.1.")
    tab_to(page, broken)
    page.keyboard.press("Space")
    expect(broken).to_be_checked()
    type_into(page, page.get_by_label("What happened?"), "A letter on 1 March said our grant ends on 15 March.")
    type_into(page, page.get_by_label("Day"), "1")
    type_into(page, page.get_by_label("Month"), "3")
    type_into(page, page.get_by_label("Year"), "2026")
    type_into(page, page.get_by_label("What would you like to happen?"), "Three months' notice, as the Compact says.")
    tab_to(page, page.get_by_role("button", name="Raise the concern"))
    press(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Our grant was cut with two weeks' notice")
    expect(page.locator("main")).to_contain_text("Informal dialogue")
    assert_accessible(page)

    # The council's officer is told, and answers on the timeline.
    sign_in(officer)
    page.goto(reverse("accounts:dashboard"))
    tab_to(page, page.get_by_role("main").get_by_role("link", name="Your notifications"))
    press(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="A concern has been raised about your organisation"))
    press(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Add to the timeline"))
    press(page, "Space")
    assert_accessible(page)
    type_into(page, page.get_by_label("Details"), "We will look at the decision again at our next meeting.")
    tab_to(page, page.get_by_role("button", name="Add to the timeline"))
    press(page)
    expect(page.locator("main")).to_contain_text("We will look at the decision again")

    # The member follows the concern from their notifications to the answer.
    sign_in(vcs_member)
    page.goto(reverse("accounts:dashboard"))
    tab_to(page, page.get_by_role("main").get_by_role("link", name="Your notifications"))
    press(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name=re.compile(r"added to concern")))
    press(page)
    timeline = page.locator(".app-timeline")
    expect(timeline).to_contain_text("We will look at the decision again at our next meeting.")
    expect(timeline).to_contain_text("Riverside Borough Council")
    assert_accessible(page)


def test_a_coordinator_imports_a_text_publishes_it_as_a_new_edition_and_downloads_the_pdf(
    page, sign_in, edition, coordinator, tmp_path
):
    pdftotext = require_executable("pdftotext")
    sign_in(coordinator)
    page.goto(reverse("accounts:dashboard"))
    tab_to(page, page.get_by_role("link", name="Manage Riverside Compact"))
    press(page)
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Import a Compact from a document"))
    press(page, "Space")
    assert_accessible(page)

    # The page's advice on saving as plain text opens with Enter, and closes again.
    summary = page.get_by_text("How to save a document as plain text")
    tab_to(page, page.locator("summary", has=summary))
    page.keyboard.press("Enter")
    expect(page.get_by_text("choose ‘Plain text (.txt)’")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_text("choose ‘Plain text (.txt)’")).to_be_hidden()

    type_into(page, page.get_by_label("Name of the new edition"), "Fernbrook text")
    file_input = page.get_by_label("The Compact as a file")
    tab_to(page, file_input)
    # Enter or Space here opens the operating system's file chooser, which is not part of the page:
    # the file is handed to the input that the keyboard has reached instead.
    file_input.set_input_files(str(ROOT / "tests/fixtures/sample_compact.txt"))
    tab_to(page, page.get_by_role("button", name="Check the text"))
    press(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what was found in the file")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Create the draft edition"))
    press(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit draft: Fernbrook text")
    assert_accessible(page)

    tab_to(page, page.get_by_role("button", name="Check and publish"))
    press(page, "Space")
    assert_accessible(page)
    # The text has no principles: publishing without them is chosen with Space on its checkbox.
    tab_to(page, page.get_by_label("Publish without them"))
    page.keyboard.press("Space")
    expect(page.get_by_label("Publish without them")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Publish this edition"))
    press(page)
    expect(page.locator("main")).to_contain_text("‘Fernbrook text’ is now the current edition.")
    expect(page.locator("#u-2-5")).to_contain_text("Say who is being represented")
    assert_accessible(page)

    # The new edition's PDF, downloaded with Enter on its link.
    tab_to(page, page.get_by_role("link", name="Download the Compact in English (PDF)"))
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf_path = tmp_path / "compact.pdf"
    download.save_as(pdf_path)
    assert pdf_path.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run([pdftotext, str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Fernbrook text" in text
    assert "Say who is being represented" in text

    # Shift+Tab goes back the way it came, to the list of editions: the first one is still there.
    tab_to(page, page.get_by_role("link", name="All editions"))
    tab_to(page, page.get_by_role("link", name="Download the Compact in English (PDF)"), key="Shift+Tab")
    tab_to(page, page.get_by_role("link", name="All editions"))
    press(page)
    expect(page.locator("main")).to_contain_text("First edition")
    expect(page.locator("main")).to_contain_text("Fernbrook text")
    assert_accessible(page)


def test_tab_to_fails_on_an_element_out_of_reach_or_with_no_visible_focus(page):
    """The helper itself: it must not pass what a keyboard user could not use or could not see."""
    page.set_content(
        '<a href="/one/">One</a> <a href="/two/" tabindex="-1">Out of the tab order</a>'
        ' <button type="button">No yellow here</button>'
    )
    with pytest.raises(pytest.fail.Exception, match="focus went to:\n(.|\n)*button 'No yellow here'"):
        tab_to(page, page.get_by_role("link", name="Out of the tab order"), max_presses=5)
    page.keyboard.press("Shift+Tab")
    with pytest.raises(AssertionError, match="shows no focus indicator"):
        tab_to(page, page.get_by_role("link", name="One"), key="Shift+Tab", max_presses=5)
