"""Browser tests: Playwright drives Debian's chromium against the live test server, and axe-core
checks each page for WCAG 2.2 AA violations.

Every page also watches for JavaScript errors and Content Security Policy violations: a test whose
pages raised one fails at teardown with the messages."""

import os
import shutil
from functools import cache

import pytest
from django.conf import settings

from tests.conftest import ROOT, require

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Runs in every document before its own scripts, through the DevTools protocol, so the page's CSP
# does not apply to it. A violation is reported to Python even when the browser logs nothing.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation?.(
    `${event.effectiveDirective} blocked ${event.blockedURI || "an inline script or style"}` +
    ` (${event.sourceFile || document.location.href}:${event.lineNumber})`
  );
});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


class PageProblems:
    """JavaScript errors, console errors and CSP violations seen in a browser context."""

    def __init__(self):
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def take(self) -> list[str]:
        """The messages so far, forgetting them (a crawl checks page by page)."""
        messages, self.messages = self.messages, []
        return messages

    def watch(self, page) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.add(f"JavaScript error on {page.url}: {error}"))

    def _console(self, page, message) -> None:
        text = message.text
        if message.type == "error" and not _is_main_document_status(page, message):
            self.add(f"console error on {page.url}: {text}")
        elif "Refused to" in text or "Content Security Policy" in text:
            self.add(f"CSP ({message.type}) on {page.url}: {text}")


def _is_main_document_status(page, message) -> bool:
    """Chromium logs "Failed to load resource: … status of 404" for an error page itself; the
    test that opens it checks the status. Only a resource the page loads is a problem."""
    location = (message.location or {}).get("url", "")
    return message.text.startswith("Failed to load resource") and location.split("#")[0] == page.url.split("#")[0]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None
    require(bool(path), "Debian's chromium is not installed (make system-deps)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in requirements-dev.txt
        require(False, "playwright is not installed")
    require(AXE_JS.exists(), "axe-core is not installed (npm ci)")
    require((ROOT / "static" / "build" / "app.css").exists(), "styles are not built (make setup)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test itself makes
    # (factories, force_login) are still synchronous and safe. Only while browser tests run.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser, live_server, page_problems):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.expose_binding("__reportCspViolation", lambda source, text: page_problems.add(f"CSP violation: {text}"))
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page_problems.watch(page)
    page.set_default_timeout(15_000)
    yield page
    context.close()
    if page_problems.messages:
        pytest.fail(
            "The pages broke the Content Security Policy or raised JavaScript errors:\n"
            + "\n".join(page_problems.messages),
            pytrace=False,
        )


@pytest.fixture
def sign_in(page, client, live_server):
    """Sign the browser in as a user by handing it a session made by the test client."""

    def sign_in_as(user) -> None:
        page.context.clear_cookies()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in_as


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol rather than added as a <script>: a page's
    # Content-Security-Policy (script-src 'self') would block an inline script tag.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    summary = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations]
    assert not violations, f"axe-core found WCAG 2.2 AA violations on {page.url}:\n" + "\n".join(summary)
