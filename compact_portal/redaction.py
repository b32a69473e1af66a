"""Secrets that some addresses carry, kept out of the logs.

An invitation link, an organisation's calendar feed, a password reset link and the council sign-in's
callback each carry a secret in the address: whoever has the address can join the organisation,
read its deadlines, set a password or finish a sign-in. The web server's access log writes every
address it serves (the request line and the page the browser came from, which for a link followed
from an invitation page is that page), and Django logs the address of every page not found (an
invitation that has expired). Whoever reads the logs (a supplier's support desk, a log service)
would hold the secrets.

``redact_url`` replaces each secret part of an address with ``[redacted]``:

- the parts of the path a route names ``token`` or ``uidb64`` (``SECRET_ROUTE_PARTS``), found by
  resolving the path with the portal's own routes, so a new route with a ``token`` is covered
  without a change here;
- the values of the query's ``code``, ``state``, ``token`` and ``session_state``
  (``SECRET_QUERY_NAMES``: OpenID Connect's callback, and any future link of the same kind).

Used by gunicorn's access log (``AccessLogger``, docker/gunicorn.conf.py) and by a filter on the
console handler of every Django log (``RedactingFilter``, settings ``LOGGING``).
"""

import logging
import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from django.urls import Resolver404, resolve

REDACTED = "[redacted]"
SECRET_ROUTE_PARTS = frozenset({"token", "uidb64"})
SECRET_QUERY_NAMES = ("code", "state", "token", "session_state")
# name=value in a query string; linear (one character class, one quantifier).
_NAMES = "|".join(SECRET_QUERY_NAMES)
_QUERY_SECRET = re.compile(rf"(^|[&;])((?:{_NAMES})=)([^&;#]*)", re.IGNORECASE)
# "GET /path?query HTTP/1.1": the address in a request line.
_REQUEST_LINE = re.compile(r"^([A-Z]{1,16} )(\S+)( HTTP/[0-9.]{1,5})$")


def redact_path(path: str) -> str:
    """The path with each part a route names as a secret replaced. A path no route serves is
    returned as it is: nothing in it is a secret the portal gave."""
    try:
        match = resolve(unquote(path))
    except (Resolver404, ValueError):
        return path
    secrets = {str(value) for name, value in match.kwargs.items() if name in SECRET_ROUTE_PARTS and value}
    if not secrets:
        return path
    return "/".join(_redact_segment(segment, secrets) for segment in path.split("/"))


def _redact_segment(segment: str, secrets: set[str]) -> str:
    """A part of the path that is a secret, or a secret and its extension ("<token>.ics"). Only
    whole parts: a secret "s" leaves "invitations" as it is."""
    plain = unquote(segment)
    for secret in secrets:
        if plain == secret:
            return REDACTED
        if plain.startswith(secret + "."):
            return REDACTED + quote(plain[len(secret) :], safe=".")
    return segment


def redact_query(query: str) -> str:
    return _QUERY_SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED if m.group(3) else ''}", query)


def redact_url(url: str) -> str:
    """An address (a path with its query, or a whole URL such as a Referer) without its secrets."""
    if not url or url == "-":
        return url
    try:
        parts = urlsplit(url)
    except ValueError:  # an address no browser sends ("http://[" ...): nothing resolvable in it
        return url
    return urlunsplit(parts._replace(path=redact_path(parts.path), query=redact_query(parts.query)))


def redact_request_line(line: str) -> str:
    """``GET /invitations/abc/ HTTP/1.1`` → ``GET /invitations/[redacted]/ HTTP/1.1``."""
    match = _REQUEST_LINE.match(line)
    if not match:
        return line
    return f"{match.group(1)}{redact_url(match.group(2))}{match.group(3)}"


def _redact_value(value):
    if not isinstance(value, str):
        return value
    if value.startswith("/"):
        return redact_url(value)
    return redact_request_line(value)


class RedactingFilter(logging.Filter):
    """Takes the secrets out of the addresses a log record carries as its arguments (Django's "Not
    Found: %s", the development server's request line). Keeps every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            if isinstance(record.args, tuple):
                record.args = tuple(_redact_value(arg) for arg in record.args)
            elif isinstance(record.args, dict):
                record.args = {key: _redact_value(arg) for key, arg in record.args.items()}
        except Exception:  # noqa: BLE001 - a filter that raised would fail the request that logged
            record.args = tuple(REDACTED for _arg in record.args) if isinstance(record.args, tuple) else {}
            record.msg = str(record.msg) if record.args else REDACTED
        return True
