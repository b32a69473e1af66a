"""Security hardening: the response headers, the templates the Content-Security-Policy relies on,
production's cookies and HSTS, and the throttles on endpoints that send email or create things."""

import json
import re
import subprocess
import sys
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from compact_portal import throttle
from signatories.models import Invitation, Membership
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import ROOT
from tests.signatories.factories import MembershipFactory
from tests.test_deployment import clean_env, production_env  # noqa: F401 (clean_env is a fixture)

CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict((part.strip() + " ").split(" ", 1) for part in policy.split(";"))


def stripped(directives: dict[str, str]) -> dict[str, str]:
    return {name: value.strip() for name, value in directives.items()}


# --- headers in every environment --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "accessibility", "privacy", "accounts:login"])
def test_every_page_has_a_strict_content_security_policy(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert stripped(csp(response)) == CSP_DIRECTIVES
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "upgrade-insecure-requests" not in policy  # production only


@pytest.mark.django_db
def test_error_pages_have_the_policy_too(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert stripped(csp(response)) == CSP_DIRECTIVES


@pytest.mark.django_db
def test_other_security_headers(client):
    response = client.get(reverse("home"))

    permissions = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert permissions[feature] == "()", feature
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


# --- templates the policy depends on -------------------------------------------------------------

# Templates rendered as PDFs (WeasyPrint) or sent as emails are never pages a browser enforces the
# policy on; everything else must work with script-src/style-src 'self' and nothing inline.
NOT_BROWSER_PAGES = {"pdf", "emails"}
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
JSON_DATA_SCRIPT = re.compile(r"<script\b[^>]*type=[\"']application/(ld\+)?json[\"']", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def browser_templates():
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            if not NOT_BROWSER_PAGES & set(path.relative_to(folder).parts[:-1]):
                yield path


def test_the_template_scan_finds_the_templates():
    names = {path.relative_to(ROOT).as_posix() for path in browser_templates()}
    assert {"templates/base.html", "templates/privacy.html", "templates/errors/429.html"} <= names
    assert not any("/pdf/" in name or "/emails/" in name for name in names)


@pytest.mark.parametrize(
    ("html", "pattern"),
    [
        ("<script>alert(1)</script>", INLINE_SCRIPT),
        ('<div class="x" style="color: red">', STYLE_ATTRIBUTE),
        ("<style>p {}</style>", STYLE_ELEMENT),
        ('<button type="button"\n onclick="go()">', EVENT_HANDLER),
        ('<a href="javascript:void(0)">', JAVASCRIPT_URL),
    ],
)
def test_the_template_scan_would_catch_each_kind_of_inline_code(html, pattern):
    assert pattern.search(html)


def test_no_template_has_inline_script_style_or_handlers():
    problems = []
    for path in browser_templates():
        text = path.read_text()
        for label, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("<style> element", STYLE_ELEMENT),
            ("style= attribute", STYLE_ATTRIBUTE),
            ("on*= event handler", EVENT_HANDLER),
            ("javascript: URL", JAVASCRIPT_URL),
        ):
            for match in pattern.finditer(text):
                if pattern is INLINE_SCRIPT and JSON_DATA_SCRIPT.match(match.group(0)):
                    continue  # data for a script file, never executed
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {label}")
    assert not problems, "\n".join(problems)


def test_scripts_are_files_and_govuk_frontend_support_is_set_from_one():
    base = (ROOT / "templates" / "base.html").read_text()
    sources = re.findall(r"<script\b[^>]*\bsrc=\"\{% static '([^']+)' %\}\"", base)
    assert sources == ["js/body-class.mjs", "js/app.mjs"]
    for source in sources:
        assert (ROOT / "static" / source).exists(), source
    assert "govuk-frontend-supported" in (ROOT / "static" / "js" / "body-class.mjs").read_text()


# --- production: settings, HSTS, cookies, a real sign-in over HTTPS ---------------------------

DUMP_SECURITY_SETTINGS = """
import json
from django.conf import settings
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_AGE", "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_NAME", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "CSRF_TRUSTED_ORIGINS",
    "LANGUAGE_COOKIE_SECURE", "CONTENT_SECURITY_POLICY", "PORTAL_TRUSTED_PROXY_COUNT",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


@pytest.fixture
def production_settings(clean_env, tmp_path):  # noqa: F811
    """The security settings production.py decides, read in a subprocess (it refuses to import
    without a real secret key and hosts, and settings are read once per process)."""
    env = production_env(clean_env, tmp_path)
    env["DJANGO_ALLOWED_HOSTS"] = "compact.example.org,.council.example.org"
    result = subprocess.run(
        [sys.executable, "-c", DUMP_SECURITY_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_production_settings_are_https_only(production_settings):
    values = production_settings

    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SESSION_COOKIE_AGE"] <= 12 * 60 * 60
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://compact.example.org", "https://*.council.example.org"]
    assert values["PORTAL_TRUSTED_PROXY_COUNT"] == 1
    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["upgrade-insecure-requests"] is True


def test_production_keeps_csrf_trusted_origins_from_the_environment(clean_env, tmp_path):  # noqa: F811
    env = {**production_env(clean_env, tmp_path), "DJANGO_CSRF_TRUSTED_ORIGINS": "https://portal.example.org"}
    command = "from django.conf import settings; print(settings.CSRF_TRUSTED_ORIGINS)"

    result = subprocess.run(
        [sys.executable, "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['https://portal.example.org']"


def production_overrides(values: dict) -> dict:
    """Production's security settings, applied to the test settings (same database, hosts)."""
    return {name: value for name, value in values.items() if name not in {"DEBUG", "CSRF_TRUSTED_ORIGINS"}}


@pytest.mark.django_db
def test_production_sends_hsts_and_redirects_plain_http(production_settings):
    with override_settings(**production_overrides(production_settings)):
        client = Client()
        plain = client.get(reverse("home"))
        proxied = client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    policy = proxied["Content-Security-Policy"]
    assert "upgrade-insecure-requests" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert stripped({k: v for k, v in csp(proxied).items() if k != "upgrade-insecure-requests"}) == CSP_DIRECTIVES


@pytest.mark.django_db
def test_production_sign_in_works_over_https_with_host_prefixed_secure_cookies(production_settings):
    user = UserFactory(username="officer")
    login_url = reverse("accounts:login")
    # What the proxy passes on: the public Host, the scheme, and the browser's Referer.
    https = {
        "HTTP_HOST": "testserver",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_REFERER": f"https://testserver{login_url}",
    }

    with override_settings(**production_overrides(production_settings)):
        client = Client(enforce_csrf_checks=True)
        form = client.get(login_url, **https)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)
        signed_in = client.post(
            login_url, {"username": "officer", "password": PASSWORD, "csrfmiddlewaretoken": token}, **https
        )
        dashboard = client.get(reverse("accounts:dashboard"), **https)

    csrf_cookie = form.cookies["__Host-csrftoken"]
    assert csrf_cookie["secure"] and csrf_cookie["httponly"] and csrf_cookie["samesite"] == "Lax"
    assert csrf_cookie["path"] == "/" and not csrf_cookie["domain"]
    assert signed_in.status_code == 302, signed_in.content.decode()[:500]
    session_cookie = signed_in.cookies["__Host-sessionid"]
    assert session_cookie["secure"] and session_cookie["httponly"] and session_cookie["samesite"] == "Lax"
    assert session_cookie["path"] == "/" and not session_cookie["domain"]
    assert "sessionid" not in signed_in.cookies
    assert dashboard.status_code == 200  # signed in: the dashboard needs an account
    assert dashboard.wsgi_request.user == user


# --- throttles ------------------------------------------------------------------------------------


@pytest.fixture
def throttles():
    """Count in a real (in-memory) cache; the test settings count nothing (see settings/test.py)."""
    with override_settings(PORTAL_THROTTLE_CACHE="default"):
        caches["default"].clear()
        yield
        caches["default"].clear()


@pytest.fixture
def clock():
    """A frozen clock for the throttles' windows: set ``clock.now`` to move it."""

    class Clock:
        now = 1_800_000_000.0  # 2027-01-15 08:00 UTC, on a window boundary for 1, 24 hours

    with mock.patch.object(throttle, "now", side_effect=lambda: Clock.now):
        yield Clock


def reset_request(client, email, address="192.0.2.10", **extra):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address, **extra)


@pytest.mark.django_db
def test_password_reset_is_limited_per_email_address(client, throttles, clock):
    UserFactory(email="sam@example.org")

    answers = [reset_request(client, "sam@example.org").status_code for _ in range(3)]
    blocked = reset_request(client, " SAM@example.org ", address="198.51.100.7")

    assert answers == [302, 302, 302]
    assert len(mail.outbox) == 3
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "3600"
    page = blocked.content.decode()
    assert "You have done this too many times" in page
    assert "You can try again in 60 minutes, after 9am." in page  # London is on UTC in January
    assert len(mail.outbox) == 3
    assert reset_request(client, "someone-else@example.org").status_code == 302


@pytest.mark.django_db
def test_password_reset_is_limited_per_address_and_opens_again_after_the_window(client, throttles, clock):
    for n in range(10):
        assert reset_request(client, f"person{n}@example.org").status_code == 302

    clock.now += 60 * 59
    blocked = reset_request(client, "person10@example.org")
    other_address = reset_request(client, "person10@example.org", address="192.0.2.11")
    clock.now += 60
    next_window = reset_request(client, "person11@example.org")

    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    assert "You can try again in 1 minute" in blocked.content.decode()
    assert other_address.status_code == 302
    assert next_window.status_code == 302


@pytest.mark.django_db
def test_forms_sent_back_with_errors_and_pages_read_are_not_counted(client, throttles, clock):
    for _ in range(15):
        assert reset_request(client, "not an email address").status_code == 200
        assert client.get(reverse("accounts:password_reset"), REMOTE_ADDR="192.0.2.10").status_code == 200

    assert reset_request(client, "sam@example.org").status_code == 302


@pytest.mark.django_db
@override_settings(PORTAL_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_client_address_is_the_one_the_proxy_added(client, throttles, clock):
    """A client cannot dodge the limit by sending its own X-Forwarded-For: only the last entry,
    appended by our proxy, counts."""
    for n in range(10):
        spoofed = f"203.0.113.{n}, 192.0.2.10"
        assert reset_request(client, f"p{n}@example.org", "10.0.0.2", HTTP_X_FORWARDED_FOR=spoofed).status_code == 302

    blocked = reset_request(client, "p10@example.org", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.10")
    another_client = reset_request(client, "p10@example.org", "10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.44")

    assert blocked.status_code == 429
    assert another_client.status_code == 302


def test_client_ip_ignores_forwarded_for_without_trusted_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.5")

    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert throttle.client_ip(request) == "192.0.2.1"
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert throttle.client_ip(request) == "203.0.113.5"
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2  # fewer entries than proxies: not forwarded by them
    assert throttle.client_ip(request) == "192.0.2.1"


@pytest.mark.django_db
def test_invitations_are_limited_per_user(client, throttles, clock):
    admin = MembershipFactory(role=Membership.Role.ADMIN)
    organisation = admin.organisation
    client.force_login(admin.user)
    invite_url = reverse("signatories:invite", kwargs={"pk": organisation.pk})

    answers = [
        client.post(invite_url, {"email": f"new{n}@example.org", "role": "member"}).status_code for n in range(31)
    ]

    assert answers == [302] * 30 + [429]
    assert Invitation.objects.filter(organisation=organisation).count() == 30


@pytest.mark.django_db
def test_adding_organisations_is_limited_per_user_per_day(client, throttles, clock):
    user = UserFactory()
    client.force_login(user)
    new = reverse("signatories:organisation_new")

    def add(n):
        return client.post(
            new, {"name": f"Allotment Society {n}", "sector": "vcs", "organisation_type": "community_group"}
        )

    answers = [add(n).status_code for n in range(11)]
    clock.now += 24 * 60 * 60
    next_day = add(11)

    assert answers == [302] * 10 + [429]
    assert user.organisations.count() == 11 and next_day.status_code == 302


@pytest.mark.django_db
def test_the_throttle_cache_key_holds_no_address_in_clear(throttles, clock):
    key = throttle._cache_key("password-reset-email", "email:sam@example.org", 0)
    assert "sam" not in key and "example" not in key


def test_the_test_settings_count_nothing(client):
    """Other tests post from one address many times; without the `throttles` fixture nothing is counted."""
    view = throttle.throttle("t", key=throttle.by_ip, limit=1, window=60)(lambda request: _redirect())
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    assert [view(request).status_code for _ in range(3)] == [302, 302, 302]


def _redirect():
    from django.http import HttpResponseRedirect

    return HttpResponseRedirect("/")


# --- privacy notice and accessibility statement ------------------------------------------------


@pytest.mark.django_db
@override_settings(
    PORTAL_COUNCIL_NAME="Fernbrook District Council", PORTAL_PRIVACY_CONTACT_EMAIL="dpo@fernbrook.example"
)
def test_the_privacy_notice_is_public_and_names_the_controller_and_contact(client):
    response = client.get(reverse("privacy"))

    assert response.status_code == 200
    page = response.content.decode()
    headings = re.findall(r'<h2 class="govuk-heading-m"[^>]*>([^<]+)</h2>', page)
    assert headings == [
        "Who is responsible for your information",
        "What information we hold",
        "Why we hold it and our lawful basis",
        "Who can see it",
        "How long we keep it",
        "Cookies",
        "Your rights",
        "Contact us or complain",
    ]
    assert "is run by Fernbrook District Council. The council is the data controller" in page
    assert 'href="mailto:dpo@fernbrook.example"' in page
    assert "a task carried out in the public interest" in page
    assert "14 days" in page and "12 hours" in page  # what the portal itself lets lapse
    assert "Information Commissioner" in page


@pytest.mark.django_db
def test_the_footer_links_to_the_privacy_notice_next_to_the_accessibility_statement(client):
    page = client.get(reverse("home")).content.decode()

    footer = page[page.index('<footer class="govuk-footer">') :]
    accessibility = footer.index(f'href="{reverse("accessibility")}"')
    privacy = footer.index(f'href="{reverse("privacy")}"')
    assert accessibility < privacy
    assert ">Privacy notice</a>" in footer


@pytest.mark.django_db
def test_the_accessibility_statement_says_how_the_service_is_tested(client):
    page = client.get(reverse("accessibility")).content.decode()

    assert "How we tested this service" in page
    assert "axe-core" in page and "WCAG 2.2" in page
    assert "keyboard only" in page
    assert "not yet been audited" in page


# --- request size ------------------------------------------------------------------------------


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.django_db
def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_read(client):
    user = UserFactory()
    client.force_login(user)
    sixty_megabytes = 60 * 1024 * 1024

    response = client.generic(
        "POST",
        reverse("accounts:dashboard"),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(sixty_megabytes),
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent is too large" in page
    assert "add up to more than 32 MB, so nothing was saved" in page
    assert "each file can be up to 10 MB" in page
    assert response["Cache-Control"] == "private, no-store"


def _multipart_request(size: int, declared: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = RequestFactory().post("/upload/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * size)})
    # What the server says the body holds, not what it sends (none, or a false Content-Length).
    request.META["CONTENT_LENGTH"] = str(declared)
    return request


@pytest.mark.django_db
def test_a_body_larger_than_its_content_length_said_is_stopped_at_the_limit(settings):
    from django.http import HttpResponse

    from compact_portal.middleware import RequestSizeLimitMiddleware

    settings.PORTAL_MAX_REQUEST_BYTES = 10_000
    middleware = RequestSizeLimitMiddleware(lambda request: HttpResponse("the view"))

    small = _multipart_request(5_000, declared=100)
    assert middleware.process_view(small, None, (), {}) is None
    assert small.FILES["file"].size == 5_005

    large = _multipart_request(50_000, declared=100)
    assert middleware(large).status_code == 200  # the declared length passes...
    response = middleware.process_view(large, None, (), {})  # ... the bytes do not
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert "file" not in large.FILES
