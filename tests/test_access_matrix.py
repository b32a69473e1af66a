"""Who gets what from every route of the portal: the access matrix of tests/access/matrix.py, asked
as anonymous, as a member of an unrelated organisation and as each role, against one world of data
built once for this module (tests/access/world.py).

A route that the URL configuration has and the matrix does not (or the other way round) fails
``test_every_route_has_an_entry`` / ``test_every_entry_names_a_route``, naming it.
"""

import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.access.matrix import (
    MATRIX,
    admin_entries,
    admin_kind,
    all_entries,
    mediator_entries,
    national_entries,
    pending_officer_entries,
    writes,
)
from tests.access.routes import all_routes
from tests.access.world import ROLES, build_world

ENTRIES = all_entries()

GET_CASES = [
    pytest.param(entry, role, id=f"{entry.label}-{role}")
    for entry in ENTRIES
    for role in ROLES
    if entry.expect_get(role) is not None
]
POST_CASES = [
    pytest.param(entry, role, id=f"{entry.label}-{role}")
    for entry in ENTRIES
    for role in ROLES
    if entry.expect_post(role) is not None
]


@pytest.fixture(scope="module", autouse=True)
def clock_stands_still():
    """The sessions made with the world stay as they were made however long the matrix takes: no idle
    timeout, and no periodic touch of the session (accounts/middleware.py) in the middle of a request."""
    with mock.patch("accounts.middleware.now", return_value=time.time()):
        yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, made once inside a transaction that is rolled back after the last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def db(world):
    """In this module, pytest-django's ``db`` is replaced by a savepoint within the world's transaction,
    rolled back after the test, so that what one request changes the next does not see. (Its name
    tells pytest-django to set up the test database; a TestCase per test would cost more than most
    of the requests.)"""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def as_role(world, db):
    """A client signed in as the role, through the role's session made with the world."""

    def sign_in(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        return client

    return sign_in


def _answer(response) -> str:
    location = response.headers.get("Location")
    return f"{response.status_code} → {location}" if location else str(response.status_code)


def _check(entry, role, expected, response, world, url, method):
    if response.streaming:
        # Read a download to its end: the test client then closes it (and the file it streams).
        # Not response.close(), which would signal the end of a request and drop the connection.
        b"".join(response.streaming_content)
    got = _answer(response)
    if expected.where is None and response.status_code == expected.status:
        return
    wanted = f"{expected.status} → {expected.where(world, url)}" if expected.where else str(expected.status)
    assert got == wanted, f"{method} {url} as {role} ({entry.label}): expected {wanted} ({expected}), got {got}"


# --- The matrix -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("entry", "role"), GET_CASES)
def test_get(entry, role, world, as_role):
    client = as_role(role)
    url = entry.url(world)
    _check(entry, role, entry.expect_get(role), client.get(url), world, url, "GET")


@pytest.mark.parametrize(("entry", "role"), POST_CASES)
def test_refused_empty_post_changes_nothing(entry, role, world, as_role):
    client = as_role(role)
    url = entry.url(world)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {})
    _check(entry, role, entry.expect_post(role), response, world, url, "POST")
    written = writes(queries.captured_queries)
    assert not written, f"POST {url} as {role} was refused but wrote: " + " | ".join(written)


@pytest.mark.parametrize(("entry", "expected"), [pytest.param(e, x, id=e.label) for e, x in pending_officer_entries()])
def test_an_officer_of_a_body_awaiting_approval_gets_no_officer_answer(entry, expected, world, as_role):
    """A public body nobody has approved has none of a public body's rights (see matrix.PENDING_OFFICER_ROUTES)."""
    client = as_role("pending_officer")
    url = entry.url(world)
    _check(entry, "pending_officer", expected, client.get(url), world, url, "GET")
    if entry.post and expected.refuses:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {})
        _check(entry, "pending_officer", expected, response, world, url, "POST")
        written = writes(queries.captured_queries)
        assert not written, f"POST {url} as pending_officer was refused but wrote: " + " | ".join(written)


@pytest.mark.parametrize(("entry", "expected"), [pytest.param(e, x, id=e.label) for e, x in national_entries()])
def test_a_national_body_user_sees_nothing_confidential(entry, expected, world, as_role):
    """The national role opens the national pages and nothing else (see matrix.national_entries): every
    concern, funding notice, response, withheld name, internal note and coordinator's page refuses it."""
    client = as_role("national")
    url = entry.url(world)
    _check(entry, "national", expected, client.get(url), world, url, "GET")
    if entry.post and expected.refuses:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {})
        _check(entry, "national", expected, response, world, url, "POST")
        written = writes(queries.captured_queries)
        assert not written, f"POST {url} as national was refused but wrote: " + " | ".join(written)


MEDIATOR_CASES = [
    pytest.param(entry, role, expected, id=f"{entry.label}-{role}")
    for role in ("mediator", "proposed_mediator")
    for entry, expected in mediator_entries(role)
]


@pytest.mark.parametrize(("entry", "role", "expected"), MEDIATOR_CASES)
def test_a_mediator_reaches_only_the_mediation_they_are_appointed_to(entry, role, expected, world, as_role):
    """The appointed mediator opens their own pages and the one mediation they are appointed to; a mediator
    only proposed, and every mediator on every other concern or any disputes page, gets what someone unrelated
    gets (see matrix.mediator_entries)."""
    client = as_role(role)
    url = entry.url(world)
    _check(entry, role, expected, client.get(url), world, url, "GET")
    if entry.post and expected.refuses:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {})
        _check(entry, role, expected, response, world, url, "POST")
        written = writes(queries.captured_queries)
        assert not written, f"POST {url} as {role} was refused but wrote: " + " | ".join(written)


def test_the_mediators_are_refused_the_concerns_pages():
    """A guard on the rule above: no disputes page opens to a mediator, nor the mediation of another concern."""
    for role in ("mediator", "proposed_mediator"):
        expected = {entry.label: answer for entry, answer in mediator_entries(role)}
        for label in ("disputes:detail", "disputes:file[shared]", "disputes:move", "mediation:case[proposed]"):
            assert expected[label].refuses, f"{role} {label}: {expected[label]}"
        assert expected["mediation:case"].refuses == (role == "proposed_mediator")


def test_the_national_user_is_refused_every_confidential_route():
    """A guard on the rule above: the routes of concerns, funding notices, responses and coordinators'
    pages are all expected to refuse the national user."""
    expected = {(entry.label): answer for entry, answer in national_entries()}
    for label in (
        "disputes:detail", "disputes:file[internal]", "disputes:file_original", "disputes:read_log",
        "disputes:detail[held]", "disputes:letter_download", "funding:detail", "funding:edit",
        "consultations:response_file", "commitments:manage", "commitments:compact_directory_settings",
        "signatories:pending_list", "signatories:signed_form", "signatories:signature_detail",
    ):  # fmt: skip
        assert expected[label].refuses, f"{label}: {expected[label]}"


# --- The matrix against the URL configuration -------------------------------------------------------------


def test_every_route_has_an_entry():
    covered = {entry.route for entry in MATRIX}
    missing = [
        f"{route.key} ({route.pattern})"
        for route in all_routes()
        if route.namespace != "admin" and route.key not in covered
    ]
    assert not missing, (
        "These routes have no entry in the access matrix (tests/access/matrix.py); add a row with the "
        "answer each role must get: " + "; ".join(missing)
    )


def test_every_entry_names_a_route():
    known = {route.key for route in all_routes()}
    stale = sorted({entry.route for entry in MATRIX} - known)
    assert not stale, "The access matrix names routes that no longer exist: " + ", ".join(stale)


def test_the_admin_rule_understands_every_admin_route():
    admin_routes = [route for route in all_routes() if route.namespace == "admin"]
    not_understood = [f"{route.key} ({route.pattern})" for route in admin_routes if admin_kind(route) is None]
    assert not not_understood, "The admin rule of the access matrix does not know: " + "; ".join(not_understood)
    assert len(admin_entries()) == len(admin_routes)
