"""A crawl of the whole portal as each kind of user, in Debian's chromium.

Starting from the home page and the user's account page, it follows every link on every page it
reaches, breadth first. It fails on a link that answers with an error (naming the page that offered
it), a server error, a JavaScript error or Content Security Policy violation, an in-page link to
nothing, a download that is not the file it should be, and any axe-core WCAG 2.2 AA violation.

Each role's crawl runs twice: on a desktop screen and on a 375 px phone screen (the width of the
smallest iPhones in use). On the phone it also fails on a page wider than the screen, naming the
element that sticks out furthest, since that page can only be read by scrolling sideways.

To stay finite and quick, pages whose address has the same shape (numbers as {n}, the same query
keys) are opened at most ``PAGES_PER_SHAPE`` times; every other distinct link of that shape is still
fetched to check its status."""

import hashlib
import io
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Error as PlaywrightError

from accounts.models import User
from commitments import services as edition_services
from commitments.models import Compact, Edition
from consultations import services as consultation_services
from consultations.models import Consultation
from disputes import letters
from disputes import services as dispute_services
from disputes.models import TimelineEntry
from signatories.models import Membership, Organisation, OrganisationType
from tests.accounts.factories import UserFactory
from tests.browser.conftest import axe_violations
from tests.consultations.factories import PDF_BYTES, upload
from tests.disputes.factories import open_case
from tests.signatories.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory, signed_signature

pytestmark = pytest.mark.django_db(transaction=True)

PAGES_PER_SHAPE = 2
MAX_PAGES = 200  # per role (pages are opened at most twice per view: it grows with views, not data);
# reaching it fails the test, so the crawl never stops early unnoticed
SKIPPED_PATHS = ("/admin/", "/accounts/sign-out/")
FILE_TYPES = (
    "application/pdf",
    "text/csv",
    "text/calendar",
    "application/json",
    "application/vnd.oai.openapi+json",
    "application/vnd.oasis.opendocument.spreadsheet",
)
# The open data API answers JSON, not pages: its addresses are fetched and checked as files (opened in
# the browser, a JSON document has the browser ask for a favicon the portal does not have).
API_PREFIX = "/api/"

DOCUMENT_WITHOUT_TOKENS = """() => document.documentElement.outerHTML
  .replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, 'name="csrfmiddlewaretoken"')"""
AXE_RESULTS: dict[str, list[str]] = {}  # the violations found, by the page's document

VIEWPORTS = {"desktop": {"width": 1280, "height": 720}, "375px": {"width": 375, "height": 812}}

# The page's width beyond the screen, and the widest element reaching past the screen's right edge
# (outermost first among equals), or else the one whose text spills past it, described so a person
# can find it in the template.
HORIZONTAL_OVERFLOW = """() => {
  const screen = window.innerWidth;
  const overflow = document.documentElement.scrollWidth - screen;
  if (overflow <= 0) return null;
  let widest = null;
  let spilling = null;  // the innermost element whose text spills out of it past the edge (a long URL)
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right > screen + 0.5 && (!widest || box.width > widest.width)) widest = {element, width: box.width};
    if (box.left + element.scrollWidth > screen + 0.5) spilling = {element, width: element.scrollWidth};
  }
  widest = widest || spilling;
  const describe = (element) => {
    if (!element) return "(none found)";
    const classes = Array.from(element.classList).slice(0, 3).map((name) => "." + name).join("");
    const text = (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    const id = element.id ? "#" + element.id : "";
    return `<${element.tagName.toLowerCase()}${id}${classes}>` + (text ? ` "${text}"` : "");
  };
  return {scrollWidth: document.documentElement.scrollWidth, screen, widest: describe(widest?.element),
          widestWidth: Math.round(widest?.width || 0)};
}"""

LINKS_ON_PAGE = """() => Array.from(document.querySelectorAll("a[href]"), (a) => {
  const raw = a.getAttribute("href");
  if (raw.startsWith("#")) {
    const id = decodeURIComponent(raw.slice(1));
    return {raw, href: null, target: !id || !!document.getElementById(id) || document.getElementsByName(id).length > 0};
  }
  return {raw, href: a.href, target: true};
})"""


STAND_IN_PDF = PDF_BYTES


def build_world() -> dict[str, User]:
    """The demo Compact (seed_demo, through the services) with everything else a page can show:
    a superseded edition and the current one, a draft, organisations of both sectors, signatures
    signed, pending and to re-affirm, consultations open and closed with published feedback and a
    response, a funding notice, a concern with documents, an answer and a challenge letter, and
    the notifications all of these sent.

    The PDFs made while building it are stand-ins (weasyprint takes seconds each, for every role):
    the crawl checks that their links answer with a PDF; what is in them is the journeys' business.
    A PDF the crawl itself asks for (a draft's) is made for real."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("compact_portal.documents.render_pdf", lambda html, **kwargs: STAND_IN_PDF)
        return _build_world()


def _build_world() -> dict[str, User]:
    call_command("seed_demo", "--force", stdout=io.StringIO())
    users = {user.username: user for user in User.objects.all()}
    coordinator, officer, volunteer = users["coordinator"], users["officer"], users["volunteer"]
    compact = Compact.objects.get(slug="example-borough")
    council = Organisation.objects.get(name="Example Borough Council")
    larder = Organisation.objects.get(name="Riverside Community Larder")
    first = compact.editions.get(status=Edition.Status.PUBLISHED)

    users["member"] = UserFactory(username="member", first_name="Dev", last_name="Patel")
    MembershipFactory(user=users["member"], organisation=larder, role=Membership.Role.MEMBER)
    signed_signature(organisation=OrganisationFactory(name="Northside Youth Club"), edition=first)
    signed_signature(
        organisation=PublicBodyFactory(name="Example Fire and Rescue", organisation_type=OrganisationType.FIRE),
        edition=first,
    )

    refreshed = edition_services.edition_start_from_current(compact=compact, name="Compact 2027", by=coordinator)
    changed = refreshed.undertakings.get(number="4.4")
    changed.text += " The reasons are given in writing."
    changed.save()
    edition_services.edition_publish(edition=refreshed, by=coordinator)
    edition_services.edition_start_from_current(compact=compact, name="Compact 2028 draft", by=coordinator)

    libraries = Consultation.objects.get(title="Library opening hours from next April")
    consultation_services.response_record(
        consultation=libraries,
        organisation=larder,
        by=volunteer,
        summary="Keep the Saturday opening: it is when families come.",
        document=upload("larder-response.pdf"),
    )

    case = open_case(complainant=larder, respondent=council, edition=refreshed, by=volunteer, numbers=("4.4",))
    dispute_services.timeline_add(
        case=case,
        by=volunteer,
        kind=TimelineEntry.Kind.DOCUMENT,
        text="The letter that ended our grant.",
        file=upload("grant-letter.pdf", PDF_BYTES),
    )
    dispute_services.timeline_add(
        case=case, by=officer, kind=TimelineEntry.Kind.NOTE, text="We will look at the decision again."
    )
    case = dispute_services.case_move(case=case, to="formal", by=volunteer, note="The informal talk did not help.")
    letters.letter_request(
        case=case,
        by=volunteer,
        addressed_to="Director of Communities, Example Borough Council",
        response_due_on=case.stage_due_on,
    )
    return users


@dataclass
class Crawl:
    page: object
    problems: object  # the page fixture's PageProblems
    origin: str
    pages: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)  # every distinct link, opened or fetched
    failures: list[str] = field(default_factory=list)
    shapes: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)  # where the time goes: open, axe, fetch

    def run(self, starts: list[str]) -> None:
        queue = deque((self.origin + start, "(start)") for start in starts)
        self.checked.update(normalise(url) for url, _referrer in queue)
        while queue:
            url, referrer = queue.popleft()
            if url.startswith(self.origin + API_PREFIX):
                self.fetch(url, referrer, expect_file=True)
                continue
            if self.shapes[shape(url)] >= PAGES_PER_SHAPE:
                self.fetch(url, referrer)
                continue
            self.shapes[shape(url)] += 1
            if len(self.pages) >= MAX_PAGES:
                pytest.fail(f"the crawl reached its cap of {MAX_PAGES} pages with {len(queue)} still to go")
            for link in self.open(url, referrer):
                if link not in self.checked:
                    self.checked.add(link)
                    queue.append((link, url))

    def open(self, url: str, referrer: str) -> list[str]:
        """Open a page; check it and return the links to follow from it."""
        started = time.monotonic()
        try:
            response = self.page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" not in str(error):
                raise
            self.fetch(url, referrer, expect_file=True)
            return []
        content_type = response.headers.get("content-type", "")
        if response.status >= 400:
            self.failures.append(f"{url} answered {response.status} (linked from {referrer})")
            return []
        if not content_type.startswith("text/html"):
            self.fetch(url, referrer, expect_file=True)
            return []
        self.pages.append(url)
        self.seconds["open"] += time.monotonic() - started
        started = time.monotonic()
        for violation in self.accessibility_problems():
            self.failures.append(f"{url}: {violation}")
        self.seconds["axe"] += time.monotonic() - started
        overflow = self.page.evaluate(HORIZONTAL_OVERFLOW)
        if overflow:
            self.failures.append(
                f"{url}: the page is {overflow['scrollWidth']} px wide on a {overflow['screen']} px screen;"
                f" the widest element past the edge is {overflow['widest']} ({overflow['widestWidth']} px)"
            )
        links = []
        for link in self.page.evaluate(LINKS_ON_PAGE):
            if link["href"] is None:
                if not link["target"]:
                    self.failures.append(f"{url}: the in-page link {link['raw']} leads to nothing")
                continue
            if self.follows(link["href"]):
                links.append(normalise(link["href"]))
        for message in self.problems.take():  # JavaScript errors and CSP violations
            self.failures.append(f"{url}: {message}")
        return links

    def accessibility_problems(self) -> list[str]:
        """axe-core's violations on the open page. A page whose document is exactly one already
        checked (in this run, under any role; CSRF tokens aside) has the same result: it is not
        checked again. Public pages look the same to everyone signed in."""
        document = self.page.evaluate(DOCUMENT_WITHOUT_TOKENS)
        width = self.page.viewport_size["width"]  # a page can pass on a desktop and fail on a phone
        key = f"{width}:{hashlib.sha256(document.encode()).hexdigest()}"
        if key not in AXE_RESULTS:
            AXE_RESULTS[key] = [
                f"axe {v['id']} ({v['impact']}): {v['help']} {[node['target'] for node in v['nodes']][:3]}"
                for v in axe_violations(self.page)
            ]
        return AXE_RESULTS[key]

    def fetch(self, url: str, referrer: str, *, expect_file: bool = False) -> None:
        """Check a link's status without opening it; a file must be the type it says."""
        started = time.monotonic()
        response = self.page.request.get(url)
        self.seconds["fetch"] += time.monotonic() - started
        content_type = response.headers.get("content-type", "")
        if response.status >= 400:
            self.failures.append(f"{url} answered {response.status} (linked from {referrer})")
        elif expect_file or not content_type.startswith("text/html"):
            self.files.append(url)
            if response.status != 200 or not content_type.startswith(FILE_TYPES):
                self.failures.append(f"the download {url} answered {response.status} {content_type!r}")
            elif content_type.startswith("application/pdf") and not response.body().startswith(b"%PDF-"):
                self.failures.append(f"the download {url} is not a PDF")

    def follows(self, href: str) -> bool:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return False  # mailto:, tel: and other sites
        if "lang" in dict(parse_qsl(parts.query, keep_blank_values=True)):
            # The header's language switch: the same page in the other language. Following it would
            # set the language cookie and turn the rest of this crawl Welsh (it has its own tests,
            # tests/browser/test_language_switch.py and tests/test_language_choice.py).
            return False
        return not parts.path.startswith(SKIPPED_PATHS)


def normalise(url: str) -> str:
    """Without the fragment, with the query's keys in order."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def shape(url: str) -> tuple[str, tuple[str, ...]]:
    """/signatures/12/?page=3 and /signatures/40/?page=1 are the same kind of page, and so are the
    same page of two Compacts (/compacts/a/plan/, /compacts/b/plan/): the view that answers it."""
    parts = urlsplit(url)
    keys = tuple(sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)}))
    try:
        return resolve(parts.path).view_name, keys
    except Resolver404:
        return re.sub(r"\d+", "{n}", parts.path), keys


# Pages each role must reach, so that a crawl which silently found less fails.
MUST_REACH = {
    "anonymous": ["signatories:register", "commitments:edition_compare", "consultations:detail", "disputes:figures"],
    "member": ["disputes:detail", "notifications:list", "funding:detail", "consultations:detail"],
    "volunteer": ["disputes:detail", "disputes:file", "signatories:organisation_detail", "funding:detail"],
    "officer": ["disputes:detail", "consultations:feedback", "funding:detail", "signatories:organisation_detail"],
    "coordinator": [
        "commitments:edition_edit",
        "commitments:import_upload",
        "signatories:pending_list",
        "disputes:read_log",
        "consultations:detail",
    ],
}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("role", list(MUST_REACH))
def test_every_link_works_and_every_page_is_accessible(
    role, viewport, page, page_problems, sign_in, live_server, capsys
):
    page.set_viewport_size(VIEWPORTS[viewport])
    users = build_world()
    starts = [reverse("home")]
    if role != "anonymous":
        sign_in(users[role])
        starts.append(reverse("accounts:dashboard"))

    started = time.monotonic()
    crawl = Crawl(page=page, problems=page_problems, origin=live_server.url)
    crawl.run(starts)
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\ncrawl as {role} ({viewport}): {len(crawl.pages)} pages opened,"
            f" {len(crawl.checked)} distinct links checked,"
            f" {len(crawl.files)} downloads, {seconds:.1f}s"
            f" ({', '.join(f'{what} {spent:.1f}s' for what, spent in crawl.seconds.items())})"
        )

    assert not crawl.failures, f"The crawl as {role} ({viewport}) found {len(crawl.failures)} problems:\n" + "\n".join(
        crawl.failures
    )
    reached = {_url_name(url) for url in crawl.pages + crawl.files}
    missing = [name for name in MUST_REACH[role] if name not in reached]
    assert not missing, f"The crawl as {role} never reached {missing}; it opened:\n" + "\n".join(crawl.pages)


def _url_name(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return ""
    return match.view_name


# --- The harness itself -----------------------------------------------------------------------

STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


def test_axe_runs_and_csp_violations_are_caught_under_a_strict_policy(page, page_problems, live_server):
    """Whatever headers the portal sends, axe-core still runs (it is evaluated through the
    DevTools protocol, not added as an inline script), and an inline script that the policy blocks
    is reported, so the test that caused it fails."""

    def with_strict_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/*", with_strict_csp)
    page.goto(reverse("home"))
    assert axe_violations(page) == []
    assert page.evaluate("typeof axe.run") == "function"
    assert page_problems.take() == []

    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s) }")
    page.wait_for_timeout(200)  # let the violation event arrive
    problems = page_problems.take()
    assert any("script-src" in problem for problem in problems), problems


def test_the_crawl_reports_broken_links_server_errors_and_inaccessible_pages(page, page_problems, live_server):
    """The crawler on pages made up for it: each kind of problem is reported, with where it was."""
    pages = {
        "/crawl-check/": '<a href="/nowhere/">gone</a> <a href="#missing">nothing</a>'
        ' <a href="#here" id="here">here</a> <a href="mailto:someone@example.org">mail</a>'
        ' <a href="/crawl-check/broken/">broken</a> <a href="/crawl-check/unlabelled/">unlabelled</a>',
        "/crawl-check/unlabelled/": '<img src="/static/images/favicon.svg">',
    }

    def fulfil(route):
        path = urlsplit(route.request.url).path
        if path == "/crawl-check/broken/":
            route.fulfill(status=500, content_type="text/html", body="<title>Error</title>")
        else:
            body = f'<!DOCTYPE html><html lang="en"><title>Check</title><main><h1>Check</h1>{pages[path]}</main>'
            route.fulfill(status=200, content_type="text/html", body=body)

    page.route("**/crawl-check/**", fulfil)
    crawl = Crawl(page=page, problems=page_problems, origin=live_server.url)
    crawl.run(["/crawl-check/"])

    start = f"{live_server.url}/crawl-check/"
    assert crawl.failures == [
        f"{start}: the in-page link #missing leads to nothing",
        f"{live_server.url}/nowhere/ answered 404 (linked from {start})",
        f"{live_server.url}/crawl-check/broken/ answered 500 (linked from {start})",
        f"{start}unlabelled/: axe image-alt (critical): Images must have alternative text [['img']]",
    ]
    assert len(crawl.checked) == 4  # the mail link is not followed


def test_the_crawl_reports_a_page_wider_than_a_phone_screen(page, page_problems, live_server):
    """At 375 px, a page that must be scrolled sideways fails, naming the element that sticks out:
    a wide table, or a hint whose long address spills out of it."""
    page.set_viewport_size(VIEWPORTS["375px"])
    pages = {
        "/crawl-check/": '<p>Fits.</p> <a href="/crawl-check/wide/">wide</a> <a href="/crawl-check/long/">long</a>',
        "/crawl-check/wide/": '<table id="register" style="width: 566px"><tr><td>Riverside Larder</td></tr></table>',
        "/crawl-check/long/": '<div class="hint">https://www.example.gov.uk/consultations/parksandopenspacesintheborough2027</div>',
    }

    def fulfil(route):
        path = urlsplit(route.request.url).path
        body = f'<!DOCTYPE html><html lang="en"><title>Check</title><main><h1>Check</h1>{pages[path]}</main>'
        route.fulfill(status=200, content_type="text/html", body=body)

    page.route("**/crawl-check/**", fulfil)
    crawl = Crawl(page=page, problems=page_problems, origin=live_server.url)
    crawl.run(["/crawl-check/"])

    wide, long = crawl.failures
    assert wide.startswith(f"{live_server.url}/crawl-check/wide/: the page is ")
    assert (
        'on a 375 px screen; the widest element past the edge is <table#register> "Riverside Larder" (566 px)' in wide
    )
    assert long.startswith(f"{live_server.url}/crawl-check/long/: the page is ")
    assert 'the widest element past the edge is <div.hint> "https://www.example.gov.uk/consultatio' in long
