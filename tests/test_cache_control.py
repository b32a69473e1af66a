"""Confidential pages and files are never kept by a browser or a cache on the way: every answer of the
access matrix (tests/access/matrix.py) that is a page (200) is asked again here, as each role, and must
say ``Cache-Control: private, no-store`` unless it is a public page asked anonymously, which stays
cacheable as before (compact_portal.middleware.PUBLIC_VIEWS)."""

import pytest
from django.urls import reverse

from compact_portal.middleware import PUBLIC_VIEWS
from tests.access.matrix import all_entries
from tests.access.world import ROLES
from tests.test_access_matrix import as_role, clock_stands_still, db, world  # noqa: F401 (the matrix's fixtures)

PAGES = [
    pytest.param(entry, role, id=f"{entry.label}-{role}")
    for entry in all_entries()
    if not entry.route.startswith("admin:") or entry.route in ("admin:index", "admin:accounts_user_changelist")
    for role, expected in zip(ROLES, entry.get, strict=True)
    if expected is not None and expected.status == 200 and not expected.label
]


def _read(response) -> None:
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize(("entry", "role"), PAGES)
def test_pages_that_are_not_public_are_never_stored(entry, role, world, as_role):  # noqa: F811
    response = as_role(role).get(entry.url(world))
    _read(response)
    assert response.status_code == 200
    cache_control = response.headers.get("Cache-Control", "")
    if "public" in cache_control:
        # A view that marks itself public (brand.css, the current edition's PDF): the same for everyone.
        assert entry.route in PUBLIC_VIEWS, f"{entry.label} as {role} is not public but says {cache_control!r}"
    elif role == "anonymous" and entry.route in PUBLIC_VIEWS:
        assert "no-store" not in cache_control and "private" not in cache_control, entry.label
    else:
        assert cache_control == "private, no-store", f"{entry.label} as {role}: {cache_control!r}"


def test_every_public_view_is_a_route_anyone_may_read():
    """The list of public views names routes the matrix gives to everyone (a typo would make a public
    page uncacheable, or a stale name hide a renamed confidential one)."""
    everyone = {
        entry.route for entry in all_entries() if all(e is not None and e.status in (200, 302) for e in entry.get)
    }
    assert not PUBLIC_VIEWS - everyone, sorted(PUBLIC_VIEWS - everyone)


def test_public_pages_are_not_stored_once_signed_in(world, as_role):  # noqa: F811
    assert "no-store" not in as_role("anonymous").get(reverse("home")).headers.get("Cache-Control", "")
    assert as_role("vcs_member").get(reverse("home"))["Cache-Control"] == "private, no-store"


def test_redirects_and_refusals_to_anonymous_visitors_of_private_pages_are_not_stored(world, as_role):  # noqa: F811
    response = as_role("anonymous").get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
