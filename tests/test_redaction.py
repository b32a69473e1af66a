"""The secrets some addresses carry stay out of the logs (compact_portal/redaction.py): gunicorn's
access log (its request line, path, query and Referer) and Django's own records of pages not found."""

import datetime
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from gunicorn.config import Config

from compact_portal import redaction
from compact_portal.accesslog import AccessLogger
from compact_portal.redaction import REDACTED, RedactingFilter, redact_request_line, redact_url

TOKEN = "Zk3-q_Secret.Token9"  # noqa: S105 - a made-up token


def _unquoted(url: str) -> str:
    return url.replace("%5Bredacted%5D", REDACTED)  # reverse() quotes the brackets


def _invitation(token=TOKEN):
    return _unquoted(reverse("signatories:invitation_accept", kwargs={"token": token}))


def _calendar(token=TOKEN):
    return _unquoted(reverse("notifications:organisation_calendar", kwargs={"token": token}))


def _reset(uid="MTIz", token=TOKEN):
    return _unquoted(reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (_invitation(), _invitation(REDACTED)),
        (_calendar(), _calendar(REDACTED)),
        (_reset(), _reset(REDACTED, REDACTED)),
        (_calendar() + "?lang=cy", _calendar(REDACTED) + "?lang=cy"),
        (
            reverse("accounts:oidc_callback") + f"?code={TOKEN}&state=abc&session_state=def",
            reverse("accounts:oidc_callback") + f"?code={REDACTED}&state={REDACTED}&session_state={REDACTED}",
        ),
        (f"https://portal.example{_invitation()}", f"https://portal.example{_invitation(REDACTED)}"),
    ],
)
def test_each_secret_in_an_address_is_taken_out(url, expected):
    assert redact_url(url) == expected
    assert TOKEN not in redact_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        reverse("commitments:compact_list"),
        reverse("commitments:compact_detail", kwargs={"slug": "ashford"}),
        reverse("accounts:password_reset_done"),
        "/consultations/?status=open&page=2",
        "/no-such-page/Zk3-q_Secret/",
        "-",
        "",
        "http://[",  # not an address a browser sends
    ],
)
def test_addresses_without_a_secret_are_left_as_they_are(url):
    assert redact_url(url) == url


def test_only_whole_parts_of_the_path_are_taken_out():
    # A token "s" must not take the "s" out of "invitations".
    assert redact_url(_invitation("s")) == _invitation(REDACTED)


def test_a_new_route_with_a_token_is_covered_without_a_change_here():
    # Found by resolving the path: the names of the route's parts, not a list of addresses.
    assert "token" in redaction.SECRET_ROUTE_PARTS
    assert redact_url(_calendar("abc")).count(REDACTED) == 1


def test_a_request_line():
    assert redact_request_line(f"GET {_invitation()} HTTP/1.1") == f"GET {_invitation(REDACTED)} HTTP/1.1"
    assert redact_request_line("not a request line") == "not a request line"


def test_the_query_pattern_takes_linear_time():
    # One character class and one quantifier per match: a long query is read once.
    long = "code=" + "a" * 200_000 + "&" * 100_000 + "state="
    assert redact_url("/?" + long).startswith(f"/?code={REDACTED}")


# --- gunicorn's access log --------------------------------------------------------------------------


def _conf() -> dict:
    return runpy.run_path(str(Path(settings.BASE_DIR) / "docker" / "gunicorn.conf.py"))


def _access_line(path: str, query: str = "", referer: str = "-", headers=()) -> str:
    conf = _conf()
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", conf["access_log_format"])
    logger = AccessLogger(cfg)
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    logger.access_log.handlers = [Keep()]
    raw = path + (f"?{query}" if query else "")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": raw,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_REFERER": referer,
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "a calendar app",
    }
    resp = SimpleNamespace(status="200 OK", sent=512, headers=[("Content-Type", "text/calendar")])
    req = SimpleNamespace(headers=[("REFERER", referer), *headers])
    logger.access(resp, req, environ, datetime.timedelta(milliseconds=37))
    assert len(lines) == 1
    return lines[0]


def test_the_web_servers_log_uses_the_redacting_logger_and_says_how_long_each_request_took():
    conf = _conf()
    assert conf["logger_class"] == "compact_portal.accesslog.AccessLogger"
    line = _access_line(_calendar(), "lang=cy")
    assert TOKEN not in line
    assert f'"GET {_calendar(REDACTED)}?lang=cy HTTP/1.1" 200 512' in line
    assert line.endswith(" 37")  # milliseconds in the worker: make load reads them


def test_the_page_a_person_came_from_is_redacted_too():
    # A link followed from an invitation page sends that page as the Referer (same-origin policy).
    line = _access_line("/", referer=f"https://portal.example{_invitation()}")
    assert TOKEN not in line
    assert f'"https://portal.example{_invitation(REDACTED)}"' in line


def test_the_sign_in_callbacks_code_is_redacted():
    line = _access_line(reverse("accounts:oidc_callback"), f"code={TOKEN}&state=xyz")
    assert TOKEN not in line
    assert "xyz" not in line


def test_a_format_naming_the_cookie_header_never_writes_it():
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", "%({cookie}i)s %({authorization}i)s")
    logger = AccessLogger(cfg)
    lines = []
    logger.access_log.handlers = [logging.Handler()]
    logger.access_log.handlers[0].emit = lambda record: lines.append(record.getMessage())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/", "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": "/"}
    req = SimpleNamespace(headers=[("COOKIE", "sessionid=abc123"), ("AUTHORIZATION", "Bearer k")])
    logger.access(SimpleNamespace(status="200 OK", sent=1, headers=[]), req, environ, datetime.timedelta(0))
    assert lines == [f"{REDACTED} {REDACTED}"]


def test_if_redacting_fails_no_address_is_written(monkeypatch):
    def broken(_line):
        raise RuntimeError("boom")

    monkeypatch.setattr("compact_portal.accesslog.redact_request_line", broken)
    line = _access_line(_invitation())
    assert TOKEN not in line
    assert f'"{REDACTED}"' in line


# --- Django's own records ---------------------------------------------------------------------------


def test_every_django_record_goes_through_the_filter():
    from compact_portal.settings import base  # the test settings keep logging quiet

    assert base.LOGGING["handlers"]["console"]["filters"] == ["redact"]
    assert base.LOGGING["filters"]["redact"]["()"] == "compact_portal.redaction.RedactingFilter"
    # Django's loggers and the development server's request lines go to the same handler, not to
    # those Django sets up (a console without the filter when DEBUG is on, an email to ADMINS).
    for name in ("django", "django.server"):
        [handler] = base.LOGGING["loggers"][name]["handlers"]
        assert base.LOGGING["handlers"][handler]["filters"] == ["redact"]
        assert base.LOGGING["loggers"][name]["propagate"] is False


@pytest.mark.django_db
def test_a_page_not_found_for_an_unknown_invitation_is_logged_without_its_token(client):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Keep()
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get(_invitation())
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    assert records, "Django logs a page not found"
    assert all(TOKEN not in record for record in records)
    assert any(_invitation(REDACTED) in record for record in records)


def test_the_filter_keeps_every_record_and_leaves_other_arguments():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s', (f"GET {_calendar()} HTTP/1.1", 200, 12), None
    )
    assert RedactingFilter().filter(record) is True
    assert TOKEN not in record.getMessage()
    assert record.args[1:] == (200, 12)
    named = logging.LogRecord("x", logging.INFO, __file__, 1, "%(path)s", None, None)
    named.args = {"path": _invitation()}
    RedactingFilter().filter(named)
    assert named.getMessage() == _invitation(REDACTED)


def test_a_filter_that_fails_keeps_the_record_without_its_arguments(monkeypatch):
    def broken(_value):
        raise RuntimeError("boom")

    monkeypatch.setattr(redaction, "_redact_value", broken)
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", (_invitation(),), None)
    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == f"Not Found: {REDACTED}"
    named = logging.LogRecord("x", logging.INFO, __file__, 1, "%(path)s", None, None)
    named.args = {"path": _invitation()}
    assert RedactingFilter().filter(named) is True
    assert TOKEN not in named.getMessage()
